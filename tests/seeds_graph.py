"""The seeds' gold extractions and the dataset built from them, made once per test session.

The gold extractions (``seeds/gold.jsonl``) are written by hand from the two seed texts, so every row a saved
query returns on this graph can be checked against them. tests/conftest.py serves these as fixtures; helper
modules that are no test call them directly.
"""

from __future__ import annotations

import socket
from functools import lru_cache
from pathlib import Path

from rdflib import Dataset

from kg.core.folder import BuildFolder
from kg.core.records import Document, Extraction
from kg.evaluate import load_extractions
from kg.rdf.dataset import build_dataset
from kg.read.documents import read_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
#: (document, gold extraction) of each seed text.
Pairs = tuple[tuple[Document, Extraction], ...]


def gold() -> dict[str, Extraction]:
    return load_extractions(SEEDS / "gold.jsonl")


@lru_cache(maxsize=1)
def seed_pairs() -> Pairs:
    """(document, gold extraction) of each seed text, in id order."""
    extractions = gold()
    return tuple((read_file(SEEDS / f"{doc_id}.txt"), extractions[doc_id]) for doc_id in sorted(extractions))


@lru_cache(maxsize=1)
def seeds_dataset() -> Dataset:
    """``build_dataset`` of :func:`seed_pairs`: shared, so a test must not change it."""
    return build_dataset(list(seed_pairs()))


def write_seeds_build(out: Path) -> Path:
    """A build folder as ``kg build`` lays it out (``graph.nq``), made from the gold extractions."""
    out.mkdir(parents=True, exist_ok=True)
    seeds_dataset().serialize(destination=str(BuildFolder(out).graph_file("nq")), format="nquads",
                              encoding="utf-8")
    return out


def free_port() -> int:
    """A loopback port nobody listens on (for the servers the tests start)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
