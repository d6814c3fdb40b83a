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

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from _sampling import draw, extractions, parser

from kg.core.records import Entity, Relation
from kg.read.documents import iter_documents

SEED = 20261204
N = 100


def population(extraction: Path) -> list[tuple[str, Relation, Entity, Entity]]:
    """Every relation of the extraction, in file order: (document id, relation, head, tail)."""
    return [(doc_id, rel, x.entity(rel.head), x.entity(rel.tail))
            for doc_id, x in extractions(extraction).items() for rel in x.relations]


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
    args = parser(__doc__.split("\n\n")[0], n=N, seed=SEED).parse_args(argv)
    picked = draw(population(args.extraction), args.n, args.seed, what="relations", source=args.extraction,
                  label_of=lambda item: item[1].label, doc_of=lambda item: item[0])
    wanted = {doc_id for doc_id, *_ in picked}
    docs = {d.id: d for d in iter_documents(args.corpus) if d.id in wanted}

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
