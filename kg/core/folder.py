"""The build folder (``kg build --out DIR``): the one place its files are named.

The build writes it, and ``kg view``, ``kg query`` and ``kg serve`` read it, so it lives here, above every
stage that needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.core.files import BUILD_MARKER

__all__ = ["GRAPH_FILES", "MEDIA_TYPES", "BuildFolder"]

#: Format key -> file name of the whole dataset in that format, in the order they are written.
GRAPH_FILES = {"ttl": "graph.ttl", "trig": "graph.trig", "nq": "graph.nq", "jsonld": "graph.jsonld"}
#: Format key -> the IANA media type of that file (the dataset description lists the files with them).
MEDIA_TYPES = {"ttl": "text/turtle", "trig": "application/trig", "nq": "application/n-quads",
               "jsonld": "application/ld+json"}


@dataclass(frozen=True)
class BuildFolder:
    """The paths of a build folder ``root``; nothing is created or read by making one."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))  # a str or any path-like is accepted

    def graph_file(self, key: str) -> Path:
        """The dataset in the format ``key`` (a key of :data:`GRAPH_FILES`)."""
        return self.root / GRAPH_FILES[key]

    @property
    def graph_files(self) -> dict[str, Path]:
        """Format key -> path of the whole dataset in that format."""
        return {key: self.root / name for key, name in GRAPH_FILES.items()}

    @property
    def datasets(self) -> tuple[Path, Path]:
        """The files holding every named graph, in order of preference (N-Quads parses fastest)."""
        return self.graph_file("nq"), self.graph_file("trig")

    @property
    def shards(self) -> Path:
        """The N-Quads shards, one per batch (``part-00000.nq`` ...), that together are ``graph.nq``."""
        return self.root / "shards"

    def shard(self, index: int, *, description: bool = False) -> Path:
        """The shard of batch ``index``; the last one (``description``) holds the dataset's description."""
        return self.shards / (f"part-{index:05d}-description.nq" if description else f"part-{index:05d}.nq")

    def shard_files(self) -> list[Path]:
        """The shards there are, in order (empty if none)."""
        return sorted(self.shards.glob("*.nq"))

    @property
    def view(self) -> Path:
        return self.root / "graph.html"

    @property
    def extractions(self) -> Path:
        """The extraction records, one JSON line per document (``extraction.jsonl``)."""
        return self.root / "extraction.jsonl"

    @property
    def report(self) -> Path:
        return self.root / "report.md"

    @property
    def store(self) -> Path:
        """The query store (Oxigraph) loaded from the shards."""
        return self.root / "store"

    @property
    def cache(self) -> Path:
        """The extraction cache, which a later build into the same folder reuses."""
        return self.root / ".kg-cache"

    @property
    def cached_extractions(self) -> Path:
        return self.cache / "extractions"

    @property
    def marker(self) -> Path:
        """The file that marks the folder as a kg build, which a later build may replace."""
        return self.root / BUILD_MARKER

    @property
    def ontology(self) -> Path:
        """The ontology as shipped (governance.ttl, shapes.ttl); the store loads each into its own graph."""
        return self.root / "ontology"

    @property
    def work(self) -> Path:
        """The batches between the build's two stages, inside the temporary folder only."""
        return self.root / ".work"
