"""What the two precision-review samplers share: their command line and the draw.

``sample_entities.py`` and ``sample_relations.py`` read a ``kg extract`` JSONL file with
``kg.evaluate.load_extractions`` (so its records are checked as ``kg evaluate`` checks them), draw
``random.Random(seed).sample(population, n)`` and print the draw numbered 1..n with each item's sentence.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from kg.core.errors import KGError  # noqa: E402 - after the checkout is on the path
from kg.evaluate import Extraction, load_extractions  # noqa: E402

T = TypeVar("T")


def parser(description: str, *, n: int, seed: int) -> argparse.ArgumentParser:
    """The arguments both samplers take: EXTRACTION CORPUS... [--n] [--seed] [--format]."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("extraction", type=Path, help="kg extract output (JSONL)")
    ap.add_argument("corpus", nargs="+", help="the inputs kg extract read")
    ap.add_argument("--n", type=int, default=n, help=f"sample size (default {n})")
    ap.add_argument("--seed", type=int, default=seed, help=f"random seed (default {seed})")
    ap.add_argument("--format", choices=("text", "jsonl"), default="text")
    return ap


def extractions(path: Path) -> dict[str, Extraction]:
    """The extraction file's records, doc_id -> Extraction; a bad file ends the script in one line."""
    if not path.is_file():
        raise SystemExit(f"{path}: no such file")
    try:
        return load_extractions(path)
    except KGError as exc:
        raise SystemExit(str(exc)) from None


def draw(population: Sequence[T], n: int, seed: int, *, what: str, source: Path,
         label_of, doc_of) -> list[T]:
    """``random.Random(seed).sample(population, n)``, after saying on stderr what it is drawn from."""
    if n > len(population):
        raise SystemExit(f"{source}: only {len(population)} {what}, cannot draw {n}")
    by_label = Counter(label_of(item) for item in population)
    print(f"# population: {len(population)} {what} in {len({doc_of(i) for i in population})} documents; "
          f"sample n={n}, seed={seed}; by label: "
          + ", ".join(f"{k} {v}" for k, v in sorted(by_label.items(), key=lambda kv: -kv[1])),
          file=sys.stderr)
    return random.Random(seed).sample(list(population), n)
