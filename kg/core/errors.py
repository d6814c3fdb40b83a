"""The small error hierarchy. Every message names the file, line or value at fault."""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` with what cannot be written as UTF-8 (the bytes of a file name that is not UTF-8, which Python
    keeps as lone surrogates) shown as ``\\xff`` escapes, so that a message naming it can be printed."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
            if not _lone(text) else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _lone(text: str) -> bool:
    """True if ``text`` has surrogates that are not escaped bytes (``\\udc80``-``\\udcff``)."""
    return any("\ud800" <= ch <= "\udfff" and not "\udc80" <= ch <= "\udcff" for ch in text)


class KGError(Exception):
    """Base class: the CLI turns these into a one-line message and a non-zero exit."""


class InputError(KGError):
    """A corpus file that cannot be read: missing, empty, binary, undecodable, malformed."""

    def __init__(self, path: object, problem: str, line: int | None = None) -> None:
        self.path = printable(str(path))
        self.problem = printable(problem)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class InputWarning(InputError):
    """A corpus problem that does not stop a document from being read (it was repaired)."""


class OutputError(KGError):
    """An output location that cannot be written."""


class GoldError(KGError):
    """A gold or prediction file that does not follow docs/annotation.md."""


class QueryError(KGError):
    """A SPARQL query that cannot be parsed or run."""


class ConfigError(KGError):
    """A pipeline or lexicon setting that is wrong."""
