#!/usr/bin/env python
"""Draw a reproducible random sample of extracted entities for a precision review (issue 3).

    kg extract /work/shared/corpus/government-reports.jsonl > /tmp/review/extraction.jsonl
    python scripts/sample_entities.py /tmp/review/extraction.jsonl ../shared/corpus/government-reports.jsonl
    python scripts/sample_entities.py EXTRACTION CORPUS --n 100 --seed 20261124 --format jsonl --with-source

The population is every entity record of every label in the extraction JSONL (``kg extract`` output, one
document per line), taken in file order: documents as they appear, entities as listed. The sample is
``random.Random(seed).sample(population, n)`` (uniform, without replacement) and is printed in draw order,
numbered 1..n. Each entity comes with its label, name, document id, the offsets of its first mention, and
the sentence of that first mention (``kg.nlp.text.sentence_offsets`` on the document text as ``kg`` reads
it, so the offsets are the extraction's own) with the mention marked 【like this】.

``--with-source`` re-runs the pipeline on the sampled documents and adds which recogniser produced the first
mention (``lexicon``, ``pattern`` or ``model``, with the model's score); it needs the same pipeline and
model as the extraction, and says so when the mention is not found again.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _sampling import draw, extractions, parser

from kg.core.records import Entity
from kg.core.text import mask, sentence_offsets
from kg.nlp.pipeline import shared_nlp
from kg.read.documents import iter_documents

SEED = 20261124
N = 100


def population(extraction: Path) -> list[tuple[str, Entity]]:
    """Every entity of the extraction, in file order, with its document id."""
    return [(doc_id, ent) for doc_id, x in extractions(extraction).items() for ent in x.entities]


def sentence_of(text: str, start: int, end: int) -> tuple[int, int]:
    for s, e in sentence_offsets(text):
        if s <= start < e:
            return s, max(e, end)
    return start, end


def sources(docs: dict[str, Any], picked: list[tuple[str, Entity]]) -> dict[tuple[str, int, int], str]:
    """(doc id, start, end) of each first mention -> its recogniser, by re-running the pipeline."""
    nlp = shared_nlp(True)
    wanted = {(doc_id, *ent.mentions[0]) for doc_id, ent in picked if ent.mentions}
    out: dict[tuple[str, int, int], str] = {}
    for doc_id in sorted({w[0] for w in wanted}):
        document = docs[doc_id]
        doc = nlp(mask(document.text, document.content_regions()))
        for m in doc._.kg_mentions or []:
            key = (doc_id, m.start, m.end)
            if key in wanted:
                out[key] = m.source if m.source != "model" else f"model {m.score:.2f}"
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = parser(__doc__.split("\n\n")[0], n=N, seed=SEED)
    ap.add_argument("--with-source", action="store_true", help="add the recogniser of the first mention")
    args = ap.parse_args(argv)

    picked = draw(population(args.extraction), args.n, args.seed, what="entities", source=args.extraction,
                  label_of=lambda item: item[1].label, doc_of=lambda item: item[0])
    docs = {d.id: d for d in iter_documents(args.corpus)}
    found = sources(docs, picked) if args.with_source else {}

    for i, (doc_id, ent) in enumerate(picked, start=1):
        if doc_id not in docs:
            raise SystemExit(f"{doc_id}: document not in {' '.join(args.corpus)}")
        text = docs[doc_id].text
        start, end = ent.mentions[0] if ent.mentions else (0, 0)
        s, e = sentence_of(text, start, end)
        marked = text[s:start] + "【" + text[start:end] + "】" + text[end:e]
        row = {
            "n": i,
            "label": ent.label,
            "name": ent.name,
            "aliases": list(ent.aliases),
            "doc_id": doc_id,
            "mentions": len(ent.mentions),
            "first": [start, end],
            "surface": text[start:end],
            "sentence": marked.replace("\n", " "),
        }
        if args.with_source:
            row["source"] = found.get((doc_id, start, end), "not found again")
        if args.format == "jsonl":
            print(json.dumps(row, ensure_ascii=False))
        else:
            extra = f" [{row['source']}]" if args.with_source else ""
            alias = f" (aliases: {'、'.join(row['aliases'])})" if row["aliases"] else ""
            print(f"{i:3d}. {row['label']} {row['name']}{alias} — {row['doc_id']} @{start}, "
                  f"{row['mentions']} mention(s){extra}\n     {row['sentence']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
