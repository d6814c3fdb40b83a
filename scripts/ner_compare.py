#!/usr/bin/env python
"""Rules alone, the trained model alone, and the combination, on the NER validation split (issue 3).

    python scripts/ner_compare.py                          # print the markdown table
    python scripts/ner_compare.py --json scores.json       # also write every number as JSON
    python scripts/ner_compare.py --update-doc docs/ner.md # also rewrite the table between the markers
    python scripts/ner_compare.py --explain                # also: why the combination loses model hits

The validation split is the one ``scripts/train_ner.py`` holds out (1,075 CLUENER lines, seed 13; the line
numbers ship in ``kg/nlp/models/ner/split_lines.json`` and are checked against the script's split), with its
label map (government/organization/company -> ORG, name -> PERSON, position -> POST, address -> PLACE).
Three systems, each scored per label on ORG / PERSON / POST / PLACE and ALL (micro average):

- **rules**: the full kg pipeline without the trained component (``build_nlp(use_model=False)``);
- **model**: the shipped spaCy model in ``kg/nlp/models/ner`` applied to the sentence, exactly as
  ``train_ner.py --evaluate-only`` does;
- **combination**: the full kg pipeline (``build_nlp(use_model=True)``).

For the two pipelines, the prediction is every mention of every final entity that ``kg.nlp.extract.extract``
returns for the sentence (what ``kg extract`` writes), restricted to the four labels; all other labels
(MECHANISM, GROUP, METRIC, ...) are ignored because CLUENER does not annotate them. Scoring is
``train_ner.evaluate`` (exact character offsets and label) and ``train_ner.evaluate_overlap`` (a same-label
overlap counts), imported, not copied.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
for _p in (PROJECT, PROJECT / "scripts"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import train_ner  # noqa: E402  (scripts/train_ner.py: data, split, label map, scoring)
from train_ner import LABELS, evaluate, evaluate_overlap, read_rows, split_rows  # noqa: E402

SYSTEMS = ("rules", "model", "combination")
BEGIN = "<!-- ner_compare:begin -->"
END = "<!-- ner_compare:end -->"


@dataclass(frozen=True)
class _Ent:
    start_char: int
    end_char: int
    label_: str


@dataclass(frozen=True)
class _Result:
    ents: tuple[_Ent, ...]


class PipelineAsNER:
    """The kg pipeline seen through the interface ``train_ner.evaluate`` uses (``pipe`` -> ``.ents``).

    ``.ents`` are the mentions of the final entities of ``kg.nlp.extract.extract`` with one of the four
    labels.
    """

    def __init__(self, use_model: bool) -> None:
        from kg.nlp.pipeline import build_nlp

        self.nlp = build_nlp(use_model=use_model)
        self._cache: dict[str, _Result] = {}

    def _run(self, text: str) -> _Result:
        from kg.core.records import Document
        from kg.nlp.extract import extract

        if text not in self._cache:
            extraction = extract(Document(id="cluener", text=text), self.nlp)
            ents = sorted(
                {_Ent(s, e, ent.label) for ent in extraction.entities if ent.label in LABELS
                 for s, e in ent.mentions},
                key=lambda x: (x.start_char, x.end_char, x.label_),
            )
            self._cache[text] = _Result(tuple(ents))
        return self._cache[text]

    def pipe(self, texts: Iterable[str], batch_size: int = 0) -> Iterator[_Result]:
        for text in texts:
            yield self._run(text)


def explain(rows: Sequence[tuple[int, str, list[Any]]]) -> dict[str, Any]:
    """Why the combination misses what the model finds, and where its wrong mentions come from.

    Runs the full pipeline and looks at ``kg_ner``'s own candidates (the same model, every score) next to
    ``kg_merge``'s choice: each gold entity the model candidates match exactly but the combination does not
    is put down to the first reason that applies: its score is below ``min_model_score``, ``kg_merge``'s
    shape test rejects it, a rule mention overlaps it, or anything else (another model candidate, resolve).
    Each combination mention that is not a gold entity is counted by the recogniser that produced it.
    """
    from kg.nlp.candidates import candidates
    from kg.nlp.pipeline import build_nlp

    nlp = build_nlp(use_model=True)
    merger: Any = nlp.get_pipe("kg_merge")  # kg.nlp.merge.Merger
    lost: dict[str, Counter[str]] = {lab: Counter() for lab in LABELS}
    wrong: dict[str, Counter[str]] = {lab: Counter() for lab in LABELS}
    for _lineno, text, gold in rows:
        doc = nlp(text)
        mentions = [m for m in doc._.kg_mentions or [] if m.label in LABELS]
        chosen = {(m.start, m.end, m.label) for m in mentions}
        rule_spans = [(m.start, m.end) for m in doc._.kg_mentions or [] if m.source != "model"]
        model = {(c.start, c.end, c.label): c for c in candidates(doc) if c.source == "model"}
        merger.shape.text = doc.text
        for span in gold:
            if span in chosen or span not in model:
                continue
            c = model[span]
            if c.score < merger.min_model_score:
                reason = "score < min_model_score"
            elif not merger.shape(c):
                reason = "shape test"
            elif any(c.start < e and s < c.end for s, e in rule_spans):
                reason = "overlaps a rule mention"
            else:
                reason = "other"
            lost[span[2]][reason] += 1
        gold_set = set(gold)
        for m in mentions:
            if (m.start, m.end, m.label) not in gold_set:
                wrong[m.label]["model" if m.source == "model" else "rules"] += 1
    return {"lost_model_hits": {k: dict(v) for k, v in lost.items()},
            "wrong_mentions_by_source": {k: dict(v) for k, v in wrong.items()}}


def explain_markdown(diag: dict[str, Any]) -> str:
    reasons = ("score < min_model_score", "shape test", "overlaps a rule mention", "other")
    lines = ["| exact model hits the combination loses, by reason | " + " | ".join(reasons) + " |",
             "|---" * (len(reasons) + 1) + "|"]
    for lab in LABELS:
        got = diag["lost_model_hits"][lab]
        lines.append(f"| {lab} | " + " | ".join(str(got.get(r, 0)) for r in reasons) + " |")
    lines += ["", "| combination mentions that are not gold, by recogniser | rules | model |",
              "|---|---|---|"]
    for lab in LABELS:
        got = diag["wrong_mentions_by_source"][lab]
        lines.append(f"| {lab} | {got.get('rules', 0)} | {got.get('model', 0)} |")
    return "\n".join(lines)


def validation_rows(data: Path, model_dir: Path) -> list[tuple[int, str, list[Any]]]:
    """The held-out rows, as train_ner.py splits them; checked against the shipped split_lines.json."""
    rows = read_rows(data)
    validation = split_rows(rows, tune_size=500)["validation"]
    shipped = json.loads((model_dir / "split_lines.json").read_text(encoding="utf-8"))
    if [lineno for lineno, _, _ in validation] != shipped["validation"]:
        raise SystemExit(f"{model_dir / 'split_lines.json'}: validation lines differ from train_ner.py's")
    return validation


def compare(data: Path, model_dir: Path) -> dict[str, Any]:
    import spacy

    rows = validation_rows(data, model_dir)
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    from kg.nlp.pipeline import PIPELINE_VERSION

    out: dict[str, Any] = {
        "pipeline_version": PIPELINE_VERSION,
        "model_version": meta.get("version"),
        "model_date": meta.get("date"),
        "sentences": len(rows),
        "gold_entities": sum(len(g) for _, _, g in rows),
        "systems": {},
    }
    for system in SYSTEMS:
        started = time.monotonic()
        nlp: Any
        if system == "model":
            nlp = spacy.load(model_dir)
        else:
            nlp = PipelineAsNER(use_model=system == "combination")
        exact = evaluate(nlp, rows)
        overlap = evaluate_overlap(nlp, rows)
        seconds = time.monotonic() - started
        print(f"{system}: ALL F {exact['ALL']['f']} (overlap {overlap['ALL']['f']}), {seconds:.0f} s",
              file=sys.stderr)
        out["systems"][system] = {"exact": exact, "overlap": overlap, "seconds": round(seconds, 1)}
    return out


def _cell(s: dict[str, float], bold: bool = False) -> str:
    f = f"**{s['f']:.1f}**" if bold else f"{s['f']:.1f}"
    return f"{s['p']:.1f} / {s['r']:.1f} / {f}"


def markdown(result: dict[str, Any]) -> str:
    version = result["model_version"]
    names = {"rules": "rules (`use_model=False`)", "model": f"model {version} alone",
             "combination": f"combination (rules + model {version})"}
    head = "| | " + " | ".join(f"{lab} P/R/F" for lab in (*LABELS, "ALL")) + " |"
    lines = [head, "|---" * (len(LABELS) + 2) + "|"]
    for system in SYSTEMS:
        exact = result["systems"][system]["exact"]
        cells = [_cell(exact[lab], bold=True) for lab in (*LABELS, "ALL")]
        lines.append(f"| {names[system]} | " + " | ".join(cells) + " |")
    support = result["systems"]["model"]["exact"]
    lines.append("| gold entities (support) | " + " | ".join(str(support[lab]["support"])
                                                          for lab in (*LABELS, "ALL")) + " |")
    lines.append("")
    lines.append("Overlap-lenient F1 (a same-label overlap counts; exact → overlap shows how much is "
                 "boundaries):")
    lines.append("")
    for system in SYSTEMS:
        ov = result["systems"][system]["overlap"]
        ex = result["systems"][system]["exact"]
        per = ", ".join(f"{lab} {ov[lab]['f']:.1f}" for lab in LABELS)
        lines.append(f"- {names[system]}: ALL **{ov['ALL']['f']:.1f}** (exact {ex['ALL']['f']:.1f}); {per}")
    return "\n".join(lines)


def update_doc(path: Path, table: str) -> None:
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path}: no {BEGIN} ... {END} block to replace")
    path.write_text(pattern.sub(lambda _m: f"{BEGIN}\n{table}\n{END}", text, count=1), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=train_ner.DEFAULT_DATA, help="CLUENER train.jsonl")
    ap.add_argument("--json", type=Path, help="write all scores (exact and overlap, with support) here")
    ap.add_argument("--explain", action="store_true",
                    help="also break down what the combination loses against the model, and its wrong "
                    "mentions")
    ap.add_argument("--update-doc", type=Path, help="replace the table between the ner_compare markers")
    args = ap.parse_args(argv)
    result = compare(args.data, train_ner.DEFAULT_OUTPUT)  # the model the pipeline loads
    table = markdown(result)
    print(f"Pipeline {result['pipeline_version']}, model {result['model_version']} ({result['model_date']}), "
          f"{result['sentences']} validation "
          f"sentences, {result['gold_entities']} gold entities; exact character offsets and label.\n")
    print(table)
    if args.explain:
        result["explain"] = explain(validation_rows(args.data, train_ner.DEFAULT_OUTPUT))
        print("\n" + explain_markdown(result["explain"]))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.update_doc:
        update_doc(args.update_doc, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
