"""The small error hierarchy. Every message names the file, line or value at fault."""

from __future__ import annotations


class KGError(Exception):
    """Base class: the CLI turns these into a one-line message and a non-zero exit."""


class InputError(KGError):
    """A corpus file that cannot be read: missing, empty, binary, undecodable, malformed."""

    def __init__(self, path: object, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class OutputError(KGError):
    """An output location that cannot be written."""


class GoldError(KGError):
    """A gold or prediction file that does not follow ANNOTATION.md."""


class QueryError(KGError):
    """A SPARQL query that cannot be parsed or run."""


class ConfigError(KGError):
    """A pipeline or lexicon setting that is wrong."""
