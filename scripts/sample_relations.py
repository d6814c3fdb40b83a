#!/usr/bin/env python
"""Draw a reproducible random sample of extracted relations for a precision review (issue 14).

    kg extract /work/shared/corpus/policy-documents.jsonl -o /tmp/review-policy.jsonl -q
    python scripts/sample_relations.py /tmp/review-policy.jsonl /work/shared/corpus/policy-documents.jsonl
    python scripts/sample_relations.py EXTRACTION CORPUS --n 100 --seed 20261204 --format jsonl

The population is every relation record in the extraction JSONL (``kg extract`` output, one document per
line), in file order: documents as they appear, relations as listed. The sample is
``random.Random(seed).sample(population, n)`` (uniform, without replacement), printed in draw order and
numbered 1..n. Each relation comes with its document id, label, head and tail names (and labels), its
``post`` if any, and its evidence sentence ``text[evidence]`` from the document text as ``kg`` reads it
(``kg.read.documents.iter_documents``, so the offsets are the extraction's own). In the text format the
head's and tail's mentions inside the evidence are marked 【head】 and 〖tail〗.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from kg.core.errors import KGError  # noqa: E402 - after the checkout is on the path
from kg.core.records import Entity, Relation  # noqa: E402
from kg.evaluate import load_extractions  # noqa: E402
from kg.read.documents import iter_documents  # noqa: E402

SEED = 20261204
N = 100


def population(extraction: Path) -> list[tuple[str, Relation, Entity, Entity]]:
    """Every relation of the extraction, in file order: (document id, relation, head, tail)."""
    try:
        extractions = load_extractions(extraction)
    except KGError as exc:
        raise SystemExit(str(exc)) from None
    return [(doc_id, rel, x.entity(rel.head), x.entity(rel.tail))
            for doc_id, x in extractions.items() for rel in x.relations]


def mark(text: str, start: int, end: int, head: Entity, tail: Entity) -> str:
    """text[start:end] with the head's mentions in 【】 and the tail's in 〖〗 (overlaps: head wins)."""
    spans: list[tuple[int, int, str, str]] = []
    for ent, (op, cl) in ((head, ("【", "】")), (tail, ("〖", "〗"))):
        for s, e in ent.mentions:
            if start <= s and e <= end and not any(s < e2 and s2 < e for s2, e2, _, _ in spans):
                spans.append((s, e, op, cl))
    out, pos = [], start
    for s, e, op, cl in sorted(spans):
        out += [text[pos:s], op, text[s:e], cl]
        pos = e
    out.append(text[pos:end])
    return "".join(out).replace("\n", " ")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("extraction", type=Path, help="kg extract output (JSONL)")
    ap.add_argument("corpus", nargs="+", help="the inputs kg extract read")
    ap.add_argument("--n", type=int, default=N, help=f"sample size (default {N})")
    ap.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    ap.add_argument("--format", choices=("text", "jsonl"), default="text")
    args = ap.parse_args(argv)
    if not args.extraction.is_file():
        raise SystemExit(f"{args.extraction}: no such file")

    everything = population(args.extraction)
    if args.n > len(everything):
        raise SystemExit(f"{args.extraction}: only {len(everything)} relations, cannot draw {args.n}")
    picked = random.Random(args.seed).sample(everything, args.n)
    wanted = {doc_id for doc_id, *_ in picked}
    docs = {d.id: d for d in iter_documents(args.corpus) if d.id in wanted}

    by_label = Counter(rel.label for _, rel, _, _ in everything)
    print(f"# population: {len(everything)} relations in {len({d for d, *_ in everything})} documents; "
          f"sample n={args.n}, seed={args.seed}; by label: "
          + ", ".join(f"{k} {v}" for k, v in sorted(by_label.items(), key=lambda kv: -kv[1])),
          file=sys.stderr)
    for i, (doc_id, rel, head, tail) in enumerate(picked, start=1):
        if doc_id not in docs:
            raise SystemExit(f"{doc_id}: document not in {' '.join(args.corpus)}")
        text = docs[doc_id].text
        start, end = rel.evidence or (0, 0)
        row = {
            "n": i,
            "doc_id": doc_id,
            "label": rel.label,
            "head": head.name,
            "head_label": head.label,
            "tail": tail.name,
            "tail_label": tail.label,
            "post": rel.post,
            "evidence": [start, end],
            "sentence": text[start:end].replace("\n", " "),
        }
        if args.format == "jsonl":
            print(json.dumps(row, ensure_ascii=False))
        else:
            post = f" (post {row['post']})" if row["post"] else ""
            print(f"{i:3d}. {row['doc_id']} {row['label']}: {row['head']} [{row['head_label']}] -> "
                  f"{row['tail']} [{row['tail_label']}]{post} @{start}-{end}\n"
                  f"     {mark(text, start, end, head, tail)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
