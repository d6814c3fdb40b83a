"""Draw a batch of fresh policy passages, reproducibly.

One document per issuer, issuers in seeded random order, skipping every issuer and every source document of
the first N entries of tests/gold/policy/selection.json (the passages drawn before the batch); the passage is
the densest window of whole paragraphs (600-1,400 characters, ending a sentence), as
scripts/select_gold_passages.py's select_policy takes it; the first n are kept.

Batches drawn so far (each batch's entries are appended to selection.json after it is drawn):

    # batch 1 (second session): skip the 19 entries select_gold_passages.py wrote
    python scripts/select_fresh_passages.py ../shared/corpus/policy-documents.jsonl 8 \
        --seed 20261206 --skip-first 19
    # batch 2 (second session, later): skip all 27 entries (the 19 and batch 1's 8)
    python scripts/select_fresh_passages.py ../shared/corpus/policy-documents.jsonl 8 \
        --seed 20261208 --skip-first 27
    # batch 3 (third session): skip all 35 entries (the 19, batch 1's 8 and batch 2's 8)
    python scripts/select_fresh_passages.py /work/shared/corpus/policy-documents.jsonl 10 \
        --seed 20261210 --skip-first 35
    # batch 4 (third session): skip all 45 entries (the 35 and batch 3's 10)
    python scripts/select_fresh_passages.py /work/shared/corpus/policy-documents.jsonl 8 \
        --seed 20261212 --skip-first 45

The defaults (n 8, --seed 20261206, --skip-first 19) give batch 1. Prints the selection as JSON (source_id,
issuer_en, source_start, source_end, doc_id, chars).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from select_gold_passages import select_policy  # noqa: E402

SEED = 20261206  # batch 1
SELECTION = Path(__file__).resolve().parent.parent / "tests/gold/policy/selection.json"
FIRST_SET = 19  # the entries select_gold_passages.py wrote; the fresh batches are appended after them


def select_fresh(path: Path, n: int, rng: random.Random, skip_first: int = FIRST_SET) -> list[dict]:
    previous = json.loads(SELECTION.read_text(encoding="utf-8"))
    if len(previous) < skip_first:
        raise SystemExit(f"selection.json has {len(previous)} entries, fewer than --skip-first {skip_first}")
    previous = previous[:skip_first]
    chosen = select_policy(path, n, rng, skip_issuers=frozenset(p["issuer_en"] for p in previous),
                           skip_docs=frozenset(p["source_id"] for p in previous))
    return [{k: v for k, v in c.items() if k != "text"} | {"doc_id": f"{c['source_id']}_{c['source_start']}",
                                                           "chars": c["source_end"] - c["source_start"]}
            for c in chosen]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="policy-documents.jsonl")
    ap.add_argument("n", type=int, nargs="?", default=8, help="passages to keep (default 8)")
    ap.add_argument("--seed", type=int, default=SEED, help=f"the batch's seed (default {SEED}, batch 1)")
    ap.add_argument("--skip-first", type=int, default=FIRST_SET,
                    help=f"skip the issuers and documents of the first N entries of selection.json "
                         f"(default {FIRST_SET}, batch 1)")
    a = ap.parse_args()
    chosen = select_fresh(a.corpus, a.n, random.Random(a.seed), a.skip_first)
    print(json.dumps(chosen, ensure_ascii=False, indent=1))
