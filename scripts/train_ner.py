#!/usr/bin/env python
"""Train kg's statistical NER from CLUENER and ship it in ``kg/nlp/models/ner/``.

    OMP_NUM_THREADS=1 python scripts/train_ner.py            # convert, train, evaluate, save
    python scripts/train_ner.py --evaluate-only               # re-score the shipped model

Steps:

1. Read ``../shared/data/cluener/train.jsonl`` and map its types onto kg's labels (``LABEL_MAP``);
   other types (book, game, movie, scene) are dropped, i.e. their text is "not an entity".
2. Split by line with a fixed seed (13): 10% *validation* (held out, never trained on and never used to
   pick a checkpoint), ``--tune-size`` sentences of *tuning* data (spaCy's dev set, used to choose the best
   checkpoint), the rest *train*. The line numbers of every split are written next to the model.
3. Train with spaCy on ``scripts/ner.cfg``: character tokens, tok2vec inside the ner component, each
   character embedded with its bigrams and its jieba word (``kg/nlp/ner_features.py``, imported here so
   the config's ``kg.CharFeatureEmbed.v1`` resolves). Early stopping on the tuning split
   (``training.patience``), at most ``training.max_steps`` updates.
4. Score the best checkpoint on the validation split: exact character-offset match, P/R/F per label;
   also a lenient "overlap" score (a same-label overlap counts), which shows how much of the error is
   boundaries rather than missed or invented entities.
5. Save the pipeline (``nlp.to_disk``: config, tokenizer, vocab, ner weights; no optimizer state, no
   corpora) to ``kg/nlp/models/ner/`` with a ``meta.json`` holding the version, date, label map and scores.

Label map and PLACE. CLUENER's ``address`` is the only source of PLACE. Its spans run from a country
(美国) to a full street address (广州市天河区体育东路116号财富广场东塔1901室), and whether a bare city
is marked at all varies between sentences, so PLACE is the weakest label: most of its errors are
boundary disagreements (compare exact and overlap scores in meta.json). The mapping is kept as it is
(address -> PLACE, ``scene`` dropped) so that the validation gold, and hence the scores, stay comparable
from one model version to the next; kg's lexicon (GB/T 2260 names) is the better source of places and
``kg_merge`` prefers rule candidates over model ones.

Nothing is downloaded. Training runs on the CPU; set ``OMP_NUM_THREADS=1`` to keep it to one thread.
On the 2-core project machine the full run takes about half an hour (meta.json: training_seconds).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Iterable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402
from spacy.util import filter_spans, load_config, load_model_from_config  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
import kg.nlp.ner_features  # noqa: E402,F401  (registers kg.CharFeatureEmbed.v1, used by ner.cfg)

DEFAULT_DATA = PROJECT.parent / "shared" / "data" / "cluener" / "train.jsonl"
DEFAULT_CONFIG = Path(__file__).resolve().parent / "ner.cfg"
DEFAULT_OUTPUT = PROJECT / "kg" / "nlp" / "models" / "ner"

#: CLUENER type -> kg label. Types not listed (book, game, movie, scene) are dropped.
LABEL_MAP: dict[str, str] = {
    "government": "ORG",
    "organization": "ORG",
    "company": "ORG",
    "name": "PERSON",
    "position": "POST",
    "address": "PLACE",
}
LABELS = ("ORG", "PERSON", "POST", "PLACE")
SEED = 13
VALIDATION_FRACTION = 0.10
MODEL_VERSION = "0.2.0"
#: Published CLUENER2020 dev-set F1 (per original type), for comparison in docs/ner.md.
PUBLISHED_F1 = {
    "BiLSTM+CRF": {"government": 71.3, "organization": 73.3, "name": 71.5, "position": 72.3},
    "RoBERTa-large": {"government": 83.1, "organization": 80.3, "name": 87.4, "position": 79.0},
}

Span = tuple[int, int, str]  # [start, end) character offsets and a kg label


# ---------------------------------------------------------------- data


def read_rows(path: Path) -> list[tuple[int, str, list[Span]]]:
    """(1-based line number, text, gold spans mapped to kg labels) for each line of the CLUENER file."""
    rows: list[tuple[int, str, list[Span]]] = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            obj = json.loads(line)
            text: str = obj["text"]
            spans: set[Span] = set()
            for cluener_type, surfaces in obj.get("label", {}).items():
                label = LABEL_MAP.get(cluener_type)
                if label is None:
                    continue
                for surface, offsets in surfaces.items():
                    for start, end_inclusive in offsets:
                        if text[start : end_inclusive + 1] != surface:
                            raise ValueError(
                                f"{path}:{lineno}: offsets {start},{end_inclusive} miss {surface!r}"
                            )
                        spans.add((start, end_inclusive + 1, label))
            rows.append((lineno, text, sorted(spans)))
    return rows


def split_rows(
    rows: Sequence[tuple[int, str, list[Span]]], tune_size: int
) -> dict[str, list[tuple[int, str, list[Span]]]]:
    """Fixed-seed split by position: validation (10%), tuning (tune_size), train (the rest)."""
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    n_val = round(len(rows) * VALIDATION_FRACTION)
    parts = {
        "validation": sorted(order[:n_val]),
        "tune": sorted(order[n_val : n_val + tune_size]),
        "train": sorted(order[n_val + tune_size :]),
    }
    return {name: [rows[i] for i in idx] for name, idx in parts.items()}


def to_docbin(nlp: Language, rows: Iterable[tuple[int, str, list[Span]]]) -> tuple[DocBin, Counter[str]]:
    """Tokenize with the pipeline's own tokenizer and attach the gold entities."""
    db = DocBin(store_user_data=False)
    stats: Counter[str] = Counter()
    for _lineno, text, spans in rows:
        doc = nlp.make_doc(text)
        ents = []
        for start, end, label in spans:
            span = doc.char_span(start, end, label=label)
            if span is None:  # only possible with word tokens (jieba): widen to the enclosing tokens
                stats["misaligned"] += 1
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                ents.append(span)
        kept = filter_spans(ents)
        stats["overlap_dropped"] += len(ents) - len(kept)
        stats["entities"] += len(kept)
        doc.ents = kept
        db.add(doc)
    return db, stats


# ---------------------------------------------------------------- scoring


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(100 * p, 2), "r": round(100 * r, 2), "f": round(100 * f, 2), "support": n_gold}


def evaluate(nlp: Language, rows: Sequence[tuple[int, str, list[Span]]]) -> dict[str, dict[str, float]]:
    """Exact-match P/R/F per label (and micro-averaged "ALL") on character offsets of the raw text."""
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    texts = [text for _, text, _ in rows]
    for (_lineno, _text, gold), doc in zip(rows, nlp.pipe(texts, batch_size=256), strict=True):
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        gold_set = set(gold)
        for _, _, label in pred:
            n_pred[label] += 1
        for _, _, label in gold_set:
            n_gold[label] += 1
        for _, _, label in pred & gold_set:
            tp[label] += 1
    scores = {label: prf(tp[label], n_pred[label], n_gold[label]) for label in LABELS}
    scores["ALL"] = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return scores


def evaluate_overlap(
    nlp: Language, rows: Sequence[tuple[int, str, list[Span]]]
) -> dict[str, dict[str, float]]:
    """Lenient P/R/F: a prediction is right if it overlaps a gold entity of its label, and vice versa."""
    hit_pred: Counter[str] = Counter()
    hit_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()

    def overlaps(a: Span, others: Iterable[Span]) -> bool:
        return any(a[2] == b[2] and a[0] < b[1] and b[0] < a[1] for b in others)

    texts = [text for _, text, _ in rows]
    for (_lineno, _text, gold), doc in zip(rows, nlp.pipe(texts, batch_size=256), strict=True):
        pred = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for span in pred:
            n_pred[span[2]] += 1
            hit_pred[span[2]] += overlaps(span, gold)
        for span in gold:
            n_gold[span[2]] += 1
            hit_gold[span[2]] += overlaps(span, pred)

    def score(hp: int, np_: int, hg: int, ng: int) -> dict[str, float]:
        p = hp / np_ if np_ else 0.0
        r = hg / ng if ng else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(100 * p, 2), "r": round(100 * r, 2), "f": round(100 * f, 2), "support": ng}

    out = {lab: score(hit_pred[lab], n_pred[lab], hit_gold[lab], n_gold[lab]) for lab in LABELS}
    out["ALL"] = score(
        sum(hit_pred.values()), sum(n_pred.values()), sum(hit_gold.values()), sum(n_gold.values())
    )
    return out


# ---------------------------------------------------------------- saving


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def write_model(
    trained: Path,
    output: Path,
    *,
    scores: dict[str, dict[str, float]],
    overlap_scores: dict[str, dict[str, float]],
    splits: dict[str, list[tuple[int, str, list[Span]]]],
    data: Path,
    tokenizer: dict[str, Any],
    train_seconds: float,
    stats: Counter[str],
) -> None:
    """Copy the trained pipeline to ``output`` (fresh), adding kg's meta and the split line numbers."""
    nlp = spacy.load(trained)
    if output.exists():
        shutil.rmtree(output)
    nlp.meta.update(
        {
            "name": "kg_ner",
            "version": MODEL_VERSION,
            "description": "kg statistical NER (ORG, PERSON, POST, PLACE) trained on CLUENER2020 train",
            "license": "MIT (weights); training data CLUENER2020",
        }
    )
    for key in ("train", "dev"):  # scratch paths of this run: meaningless elsewhere
        nlp.config["paths"][key] = None
    nlp.to_disk(output)
    lines = {name: [lineno for lineno, _, _ in part] for name, part in splits.items()}
    (output / "split_lines.json").write_text(
        json.dumps({"seed": SEED, **{k: lines[k] for k in ("validation", "tune")}}, separators=(",", ":"))
        + "\n",
        encoding="utf-8",
    )
    meta = json.loads((output / "meta.json").read_text(encoding="utf-8"))
    embed = nlp.config["components"]["ner"]["model"]["tok2vec"]["embed"]
    n_lines = sum(len(part) for part in splits.values())
    meta.update(
        {
            "date": dt.date.today().isoformat(),
            "kg": {
                "labels": list(LABELS),
                "label_map": LABEL_MAP,
                "dropped_types": ["book", "game", "movie", "scene"],
                "label_notes": {
                    "PLACE": "CLUENER address, unchanged: spans range from countries to street addresses "
                    "and bare cities are marked inconsistently, so PLACE is weak (see overlap_scores); "
                    "kept as is so that validation scores stay comparable across model versions"
                },
                "tokenization": "spacy.blank('zh') tokenizer, segmenter='char' (one token per character)",
                "tokenizer": tokenizer,
                "features": {
                    "architecture": embed.get("@architectures"),
                    "names": list(embed.get("features", [])),
                    "note": "kg/nlp/ner_features.py: character, shape, left/right bigram, place in the "
                    "jieba word + jieba POS, jieba word; jieba's own dictionary, private instance",
                },
                "training_data": f"CLUENER2020 train ({data.name}), {n_lines} lines",
                "split": {
                    "seed": SEED,
                    "validation": len(splits["validation"]),
                    "tune": len(splits["tune"]),
                    "train": len(splits["train"]),
                    "lines_file": "split_lines.json (1-based line numbers; train = all other lines)",
                },
                "training_seconds": round(train_seconds),
                "training_threads": os.environ.get("OMP_NUM_THREADS"),
                "training_steps": {
                    "max_steps": nlp.config["training"]["max_steps"],
                    "patience": nlp.config["training"]["patience"],
                    "eval_frequency": nlp.config["training"]["eval_frequency"],
                },
                "conversion": dict(stats),
                "validation": {
                    "scoring": "exact match on character offsets, per kg label; ALL = micro average",
                    "scores": scores,
                    "overlap_scores": overlap_scores,
                },
                "published_cluener_dev_f1": PUBLISHED_F1,
            },
        }
    )
    meta.pop("performance", None)  # spaCy's numbers are on the tuning split; ours are in kg.validation
    meta_path = output / "meta.json"
    # size of the whole folder, this meta.json included: write once with 0, then with the measured size
    meta["kg"]["size_bytes"] = 0
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    size = folder_size(output)
    meta["kg"]["size_bytes"] = size + len(str(size)) - 1
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="CLUENER train.jsonl")
    ap.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="spaCy training config")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where the pipeline is saved")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-ner-train"), help="scratch folder")
    ap.add_argument("--name", default="run", help="name of this run's folder under --work")
    ap.add_argument("--tune-size", type=int, default=500, help="sentences used to pick the checkpoint")
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra config override, e.g. components.ner.model.hidden_width=64",
    )
    ap.add_argument("--evaluate-only", action="store_true", help="score --output on the validation split")
    ap.add_argument("--no-save", action="store_true", help="train and score, leave --output alone")
    args = ap.parse_args(argv)

    rows = read_rows(args.data)
    splits = split_rows(rows, args.tune_size)
    print(f"{len(rows)} lines: " + ", ".join(f"{k} {len(v)}" for k, v in splits.items()), file=sys.stderr)

    if args.evaluate_only:
        shipped = spacy.load(args.output)
        scores = evaluate(shipped, splits["validation"])
        overlap = evaluate_overlap(shipped, splits["validation"])
        print(json.dumps({"exact": scores, "overlap": overlap}, indent=2))
        return 0

    overrides: dict[str, Any] = {}
    if args.max_steps is not None:
        overrides["training.max_steps"] = args.max_steps
    for item in args.set:
        key, _, value = item.partition("=")
        overrides[key] = json.loads(value)
    config = load_config(args.config, overrides=overrides, interpolate=False)
    tokenizer_nlp = load_model_from_config(config, auto_fill=True)  # only its tokenizer is used
    tokenizer_cfg = dict(config["nlp"]["tokenizer"])

    args.work.mkdir(parents=True, exist_ok=True)
    stats: Counter[str] = Counter()
    for name in ("train", "tune"):
        db, part_stats = to_docbin(tokenizer_nlp, splits[name])
        db.to_disk(args.work / f"{name}.spacy")
        if name == "train":
            stats = part_stats
    print(f"converted: {dict(stats)}", file=sys.stderr)

    from spacy.cli.train import train as spacy_train

    overrides.update(
        {"paths.train": str(args.work / "train.spacy"), "paths.dev": str(args.work / "tune.spacy")}
    )
    trained_root = args.work / f"out-{args.name}"
    started = time.monotonic()
    spacy_train(args.config, trained_root, overrides=overrides)
    train_seconds = time.monotonic() - started
    print(f"trained in {train_seconds / 60:.1f} min", file=sys.stderr)

    best = trained_root / "model-best"
    best_nlp = spacy.load(best)
    scores = evaluate(best_nlp, splits["validation"])
    overlap_scores = evaluate_overlap(best_nlp, splits["validation"])
    print(json.dumps({"exact": scores, "overlap": overlap_scores}, indent=2))
    (trained_root / "validation_scores.json").write_text(
        json.dumps({"exact": scores, "overlap": overlap_scores}, indent=2), encoding="utf-8"
    )
    if args.no_save:
        return 0
    write_model(
        best,
        args.output,
        scores=scores,
        overlap_scores=overlap_scores,
        splits=splits,
        data=args.data,
        tokenizer=tokenizer_cfg,
        train_seconds=train_seconds,
        stats=stats,
    )
    print(f"saved {args.output} ({folder_size(args.output) / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
