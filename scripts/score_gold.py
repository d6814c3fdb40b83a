"""Score the extractor on every gold set, as ``kg evaluate`` does, in one run.

Sets: ``seeds`` (seeds/gold.jsonl), ``corpus`` (tests/gold/corpus.jsonl, reports), and the policy and
news gold split once by tests/gold/split.json into ``policy-dev``, ``news-dev``, ``policy-test`` and
``news-test``; and passages annotated later to measure, unseen, how the rules written on dev generalise:
``policy-fresh`` and ``news-fresh`` (and ``policy-fresh2``, ``news-fresh2``, the third session's last batch)
are scored and never read; once scored and recorded, a fresh batch may become development material
(``policy-dev2``, ``news-dev2``: the second session's first batch; ``policy-dev3``, ``news-dev3``: the third
session's, see tests/gold/policy/README.md). ``--errors`` is for the dev sets; it refuses the test and fresh
sets; ``--labels`` prints per-label counts on any set.

    python scripts/score_gold.py                  # every set, one table
    python scripts/score_gold.py policy-dev --errors
    python scripts/score_gold.py --json scores.json --profile fast    # or full; --no-model = --profile fast
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.evaluate import evaluate, load_extractions
from kg.nlp.extract import extract_all
from kg.nlp.pipeline import DEFAULT_PROFILE, PROFILES, shared_nlp
from kg.read.documents import iter_documents

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
SPLIT = json.loads((GOLD / "split.json").read_text(encoding="utf-8"))


def _sets() -> dict[str, tuple[Path, Path, set[str] | None]]:
    """name -> (gold file, the texts (a folder, or a JSONL corpus with each passage's metadata: title, issuer,
    date, as a user's corpus carries them), the doc ids it keeps or None for all)."""

    sets: dict[str, tuple[Path, Path, set[str] | None]] = {
        "seeds": (ROOT / "seeds" / "gold.jsonl", ROOT / "seeds", None),
        "corpus": (GOLD / "corpus.jsonl", GOLD / "corpus", None),
    }
    for genre in ("policy", "news"):
        for part in ("dev", "dev2", "dev3", "test", "fresh", "fresh2"):
            prefix = "policy-" if genre == "policy" else "cctv-"
            ids = {i for i in SPLIT.get(part, []) if i.startswith(prefix)}
            sets[f"{genre}-{part}"] = (GOLD / genre / "gold.jsonl", GOLD / genre / "passages.jsonl", ids)
    return sets


def main() -> int:
    sets = _sets()
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help=f"sets to score (default: all of {', '.join(sets)})")
    parser.add_argument("--profile", choices=list(PROFILES), default=DEFAULT_PROFILE,
                        help="pipeline profile (kg.nlp.pipeline.PROFILES)")
    parser.add_argument("--no-model", action="store_true", help="the fast profile: no network")
    parser.add_argument("--errors", action="store_true",
                        help="print missed and spurious items (dev sets only)")
    parser.add_argument("--labels", action="store_true",
                        help="print each set's per-label table (counts only: allowed on every set)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    names = args.names or list(sets)
    if unknown := [n for n in names if n not in sets]:
        parser.error(f"unknown set(s): {', '.join(unknown)}")
    if args.errors and any(n.endswith(("-test", "-fresh", "-fresh2")) for n in names):
        parser.error("--errors is for dev sets only: the test and fresh sets are scored, never read")
    nlp = shared_nlp("fast" if args.no_model else args.profile)
    figures: dict[str, dict[str, float]] = {}
    print(f"{'set':<13}{'docs':>5}  {'ent P':>6}{'ent R':>6}{'ent F1':>7}  "
          f"{'rel P':>6}{'rel R':>6}{'rel F1':>7}")
    for name in names:
        gold_file, texts, ids = sets[name]
        if not gold_file.exists():
            print(f"{name:<13} (no {gold_file.relative_to(ROOT)} yet)")
            continue
        gold = {k: v for k, v in load_extractions(gold_file).items() if ids is None or k in ids}
        docs = (d for d in iter_documents([str(texts)]) if d.id in gold)
        pred = {x.doc_id: x for x in extract_all(docs, nlp)}
        report = evaluate(gold, pred)
        ent, rel = report.entities_strict.overall, report.relations_strict.overall
        figures[name] = {"entity_p": ent.precision, "entity_r": ent.recall, "entity_f1": ent.f1,
                         "relation_p": rel.precision, "relation_r": rel.recall, "relation_f1": rel.f1}
        print(f"{name:<13}{len(gold):>5}  {ent.precision:>6.3f}{ent.recall:>6.3f}{ent.f1:>7.3f}  "
              f"{rel.precision:>6.3f}{rel.recall:>6.3f}{rel.f1:>7.3f}")
        if args.errors or args.labels:
            print(report.format_table())
        if args.errors:
            for doc_id in sorted(gold):
                errors = report.errors(doc_id)
                print(f"--- {doc_id}")
                print(json.dumps(_plain(errors), ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def _plain(value: object) -> object:
    """A JSON-friendly copy of an errors record (dataclasses and named tuples to dicts and lists)."""

    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if hasattr(value, "__dataclass_fields__"):
        return {k: _plain(getattr(value, k)) for k in value.__dataclass_fields__}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


if __name__ == "__main__":
    sys.exit(main())
