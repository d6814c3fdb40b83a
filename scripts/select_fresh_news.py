"""Draw a fresh set of news stories for gold annotation, reproducibly.

Same eligibility as select_gold_passages.select_news (400-1,500 characters, at least 4 BODY cue hits),
skipping the stories of the first SKIP entries of tests/gold/news/selection.json (all of them by default);
rng.sample of N among the eligible sorted by id.

    python scripts/select_fresh_news.py CORPUS [N] [--seed SEED] [--skip-first SKIP]
prints the chosen stories as JSON (source_id, title, date, url, chars).

The skip is explicit so that every batch can be redrawn after later batches were appended to selection.json:
    batch 1 (second session, 6 stories, dev2 since):
        python scripts/select_fresh_news.py ../shared/corpus/cctv-news-2023.jsonl 6 \
            --seed 20261207 --skip-first 12
    batch 2 (second session, later; 6 stories, 'fresh'):
        python scripts/select_fresh_news.py ../shared/corpus/cctv-news-2023.jsonl 6 \
            --seed 20261209 --skip-first 18
    batch 3 (third session; 8 stories):
        python scripts/select_fresh_news.py ../shared/corpus/cctv-news-2023.jsonl 8 \
            --seed 20261211 --skip-first 24
    batch 4 (third session, scored only; 6 stories):
        python scripts/select_fresh_news.py /work/shared/corpus/cctv-news-2023.jsonl 6 \
            --seed 20261213 --skip-first 32
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from select_gold_passages import eligible_news  # noqa: E402

SEED = 20261207
ROOT = Path(__file__).resolve().parent.parent


def select_fresh(path: Path, n: int = 6, seed: int = SEED, skip_first: int | None = None) -> list[dict]:
    """Draw n stories; skip_first=None skips every entry of selection.json, an int only its first ones."""
    selection = json.loads((ROOT / "tests/gold/news/selection.json").read_text("utf-8"))
    if skip_first is not None:
        if skip_first > len(selection):
            raise ValueError(f"--skip-first {skip_first} > {len(selection)} entries in selection.json")
        selection = selection[:skip_first]
    picked = random.Random(seed).sample(eligible_news(path, {r["source_id"] for r in selection}), n)
    return sorted(picked, key=lambda d: d["id"])


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("n", type=int, nargs="?", default=6)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--skip-first", type=int, default=None,
                    help="skip only the stories of the first N entries of selection.json (default: all)")
    args = ap.parse_args()
    for d in select_fresh(args.corpus, args.n, args.seed, args.skip_first):
        print(json.dumps({"source_id": d["id"], "title": d["title"], "date": d["date"], "url": d.get("url"),
                          "chars": len(d["text"])}, ensure_ascii=False))
