"""Draw the passages of the policy and news gold sets (issue 14) from the development corpora, reproducibly.

Policy documents: one passage per document, from documents of distinct issuers first; a passage is a run of
whole paragraphs (lines) of 600-1,400 characters, ending a sentence, taken where the density of the cues that
assign work to bodies is highest (牵头, 会同, 联合, 负责, 责任单位, 配合, 共同, 部门, 厅, 局, 委 ...).
News: whole stories of 400-1,500 characters with at least two body or post cues, drawn at random.
Then one split of all passages into dev (two thirds) and test (one third) by a fixed seed.

    python scripts/select_gold_passages.py ../shared/corpus OUTDIR
writes OUTDIR/{policy,news}/passages/{doc_id}.txt and OUTDIR/{policy,news}/selection.json.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

SEED = 20261204
CUES = re.compile(r"牵头|会同|联合|负责|责任单位|配合|共同|参与|部门|[省市]\w{0,6}[厅局委办]"
                  r"|部[、，和]|工作机制|联席会议|《")
BODY = re.compile(r"部|委员会|委|厅|局|办公室|政府|省委|市委|中央|国务院|书记|部长|主任|省长|市长|会议")


def _paragraph_windows(text: str, lo: int = 600, hi: int = 1400):
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if text[m.start():m.end()].strip()]
    for i in range(len(lines)):
        for j in range(i, len(lines)):
            s, e = lines[i][0], lines[j][1]
            # leading indentation (spaces, ideographic spaces) is not part of the passage
            while s < e and text[s] in " \u3000\t":
                s += 1
            if e - s > hi:
                break
            if e - s >= lo and text[e - 1] in "。！？；”）":
                yield s, e


def _density(t: str) -> float:
    return len(CUES.findall(t)) / len(t)


def select_policy(path: Path, n: int, rng: random.Random, *, skip_issuers: frozenset[str] = frozenset(),
                  skip_docs: frozenset[str] = frozenset()) -> list[dict]:
    """One passage from each of ``n`` issuers, issuers in random order, leaving out the issuers and documents
    given (the passages drawn before: scripts/select_fresh_passages.py)."""
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    by_issuer: dict[str, list[dict]] = {}
    for d in docs:
        if d["issuer_en"] in skip_issuers or d["id"] in skip_docs:
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
                       "text": d["text"][s:e]})
        if len(chosen) == n:
            break
    return chosen


def eligible_news(path: Path, taken: set[str] = frozenset()) -> list[dict]:
    """Stories of 400-1,500 characters with at least 4 BODY cue hits, not in taken, sorted by id."""

    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    eligible = [d for d in docs if 400 <= len(d["text"]) <= 1500 and len(BODY.findall(d["text"])) >= 4
                and d["id"] not in taken]
    return sorted(eligible, key=lambda d: d["id"])


def select_news(path: Path, n: int, rng: random.Random) -> list[dict]:
    picked = rng.sample(eligible_news(path), n)
    return [{"source_id": d["id"], "title": d["title"], "date": d["date"], "source_start": 0,
             "source_end": len(d["text"]), "text": d["text"]} for d in sorted(picked, key=lambda d: d["id"])]


def main(corpus: str, out: str) -> None:
    rng = random.Random(SEED)
    sets = {"policy": select_policy(Path(corpus) / "policy-documents.jsonl", 19, rng),
            "news": select_news(Path(corpus) / "cctv-news-2023.jsonl", 12, rng)}
    all_ids = []
    for name, passages in sets.items():
        folder = Path(out) / name / "passages"
        folder.mkdir(parents=True, exist_ok=True)
        meta = []
        for p in passages:
            doc_id = f"{p['source_id']}_{p['source_start']}"
            (folder / f"{doc_id}.txt").write_text(p["text"], encoding="utf-8")
            record = {k: v for k, v in p.items() if k != "text"}
            meta.append(record | {"doc_id": doc_id, "chars": len(p["text"])})
            all_ids.append((name, doc_id))
        selection = json.dumps(meta, ensure_ascii=False, indent=1) + "\n"
        (Path(out) / name / "selection.json").write_text(selection, encoding="utf-8")
    split_rng = random.Random(SEED + 1)
    order = sorted(all_ids)
    split_rng.shuffle(order)
    n_test = len(order) // 3
    split = {"seed": SEED + 1, "test": sorted(d for _, d in order[:n_test]),
             "dev": sorted(d for _, d in order[n_test:])}
    split_text = json.dumps(split, ensure_ascii=False, indent=1) + "\n"
    (Path(out) / "split.json").write_text(split_text, encoding="utf-8")
    for name, passages in sets.items():
        print(name, len(passages), "passages,", sum(len(p["text"]) for p in passages), "characters,",
              len({p.get("issuer_en") for p in passages}), "issuers")
    print("dev", len(split["dev"]), "test", len(split["test"]))


if __name__ == "__main__":
    main(*sys.argv[1:3])
