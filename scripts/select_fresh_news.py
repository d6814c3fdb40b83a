"""Draw a fresh set of news stories for gold annotation (second session), reproducibly.

Same eligibility as select_gold_passages.select_news (400-1,500 characters, at least 4 BODY cue hits),
skipping every story already in tests/gold/news/selection.json; rng.sample of N among the eligible sorted
by id.

    python scripts/select_fresh_news.py /work/shared/corpus/cctv-news-2023.jsonl [N]
prints the chosen stories as JSON (source_id, title, date, url, chars).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from select_gold_passages import BODY  # noqa: E402

SEED = 20261207
ROOT = Path(__file__).resolve().parent.parent


def select_fresh(path: Path, n: int = 6, seed: int = SEED) -> list[dict]:
    taken = {r["source_id"] for r in json.loads((ROOT / "tests/gold/news/selection.json").read_text("utf-8"))}
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    eligible = [d for d in docs if 400 <= len(d["text"]) <= 1500 and len(BODY.findall(d["text"])) >= 4
                and d["id"] not in taken]
    eligible.sort(key=lambda d: d["id"])
    picked = random.Random(seed).sample(eligible, n)
    return sorted(picked, key=lambda d: d["id"])


if __name__ == "__main__":
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    for d in select_fresh(Path(sys.argv[1]), n):
        print(json.dumps({"source_id": d["id"], "title": d["title"], "date": d["date"], "url": d.get("url"),
                          "chars": len(d["text"])}, ensure_ascii=False))
