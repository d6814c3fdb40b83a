"""Draw the fresh policy passages (second session), reproducibly.

One document per issuer, issuers in seeded random order (seed 20261206), skipping every issuer and every
source document already in tests/gold/policy/selection.json; the passage is the densest window of whole
paragraphs (600-1,400 characters, ending a sentence), as scripts/select_gold_passages.py's select_policy
takes it; the first 8 are kept.

    python scripts/select_fresh_passages.py ../shared/corpus/policy-documents.jsonl [N]
prints the selection as JSON (source_id, issuer_en, source_start, source_end, doc_id, chars).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from select_gold_passages import _density, _paragraph_windows  # noqa: E402

SEED = 20261206
SELECTION = Path(__file__).resolve().parent.parent / "tests/gold/policy/selection.json"
FIRST_SET = 19  # the entries select_gold_passages.py wrote; the fresh entries are appended after them


def select_fresh(path: Path, n: int, rng: random.Random) -> list[dict]:
    previous = json.loads(SELECTION.read_text(encoding="utf-8"))[:FIRST_SET]
    seen_issuers = {p["issuer_en"] for p in previous}
    seen_docs = {p["source_id"] for p in previous}
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    by_issuer: dict[str, list[dict]] = {}
    for d in docs:
        if d["issuer_en"] in seen_issuers or d["id"] in seen_docs:
            continue
        by_issuer.setdefault(d["issuer_en"], []).append(d)
    issuers = sorted(by_issuer)
    rng.shuffle(issuers)
    chosen = []
    for issuer in issuers:  # one document per issuer, issuers in random order
        d = rng.choice(sorted(by_issuer[issuer], key=lambda x: x["id"]))
        wins = list(_paragraph_windows(d["text"]))
        if not wins:
            continue
        s, e = max(wins, key=lambda se: (_density(d["text"][se[0]:se[1]]), -se[0]))
        if _density(d["text"][s:e]) < 0.004:
            continue
        chosen.append({"source_id": d["id"], "issuer_en": issuer, "source_start": s, "source_end": e,
                       "doc_id": f"{d['id']}_{s}", "chars": e - s})
        if len(chosen) == n:
            break
    return chosen


if __name__ == "__main__":
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    print(json.dumps(select_fresh(Path(sys.argv[1]), n, random.Random(SEED)), ensure_ascii=False, indent=1))
