"""The seeds' graph for the query, serve and notebook tests: ``build_dataset`` over the hand-written gold.

The gold extractions (``seeds/gold.jsonl``) are written by hand from the two seed texts, so every row a saved
query returns on this graph can be checked against them.
"""

from __future__ import annotations

from pathlib import Path

from kg.core.records import Extraction
from kg.evaluate import load_extractions

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def gold() -> dict[str, Extraction]:
    return load_extractions(SEEDS / "gold.jsonl")


def write_seeds_build(out: Path) -> Path:
    """A build folder as ``kg build`` lays it out (``graph.nq``), made from the gold extractions."""
    from kg.rdf.dataset import build_dataset
    from kg.read.documents import read_file

    pairs = [(read_file(SEEDS / f"{doc_id}.txt"), x) for doc_id, x in sorted(gold().items())]
    dataset = build_dataset(pairs)
    out.mkdir(parents=True, exist_ok=True)
    dataset.serialize(destination=str(out / "graph.nq"), format="nquads", encoding="utf-8")
    return out
