"""Score the relation rules alone: kg_relations run on the gold entities of the dev sets.

The figure says how the rules do when the entities are right (``score_gold.py`` measures the whole pipeline,
where most missed relations are missed entities). Dev sets only: the test split is never read here.

    python scripts/relations_on_gold.py            # the table
    python scripts/relations_on_gold.py --show     # and each missed or spurious relation
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.core.lexicon import load_lexicon
from kg.nlp.merge import Mention
from kg.nlp.relations import RelationExtractor
from kg.nlp.resolve import ResolvedEntity

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="print each missed and spurious relation")
    args = parser.parse_args()
    dev = set(json.loads((GOLD / "split.json").read_text(encoding="utf-8"))["dev"])
    extractor = RelationExtractor(load_lexicon())
    tp: collections.Counter[str] = collections.Counter()
    fp: collections.Counter[str] = collections.Counter()
    fn: collections.Counter[str] = collections.Counter()
    for genre in ("policy", "news"):
        texts = {}
        for line in (GOLD / genre / "passages.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            texts[record["id"]] = record["text"]
        for line in (GOLD / genre / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            gold = json.loads(line)
            if gold["doc_id"] not in dev:
                continue
            text = texts[gold["doc_id"]]
            entities = []
            for e in gold["entities"]:
                mentions = [Mention(s, t, e["label"], "gold") for s, t in e["mentions"]]
                if mentions:
                    surfaces = list(dict.fromkeys(text[s:t] for s, t in e["mentions"]))
                    entities.append(ResolvedEntity(e["label"], e["name"], mentions, surfaces))
            entities.sort(key=lambda e: e.first)
            doc = Doc(Vocab(), words=[text], spaces=[False])
            doc._.kg_text = text
            doc._.kg_entities = entities
            extractor(doc)
            names = {e["id"]: e["name"] for e in gold["entities"]}
            predicted = {_key(r.label, entities[r.head].name, entities[r.tail].name)
                         for r in doc._.kg_relations}
            expected = {_key(r["label"], names[r["head"]], names[r["tail"]]) for r in gold["relations"]}
            for r in predicted & expected:
                tp[r[0]] += 1
            for kind, found, counter in (("spurious", predicted - expected, fp),
                                         ("missed", expected - predicted, fn)):
                for r in sorted(found):
                    counter[r[0]] += 1
                    if args.show:
                        print(f"{gold['doc_id']}  {kind:8}  {r[0]}: {r[1]} -> {r[2]}")
    t, p, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"relations on gold entities (dev): P {t / max(t + p, 1):.3f}  R {t / max(t + n, 1):.3f}  "
          f"F1 {2 * t / max(2 * t + p + n, 1):.3f}")
    for label in sorted(set(tp) | set(fp) | set(fn)):
        print(f"  {label:<18} tp {tp[label]:>3}  fp {fp[label]:>3}  fn {fn[label]:>3}")
    return 0


def _key(label: str, head: str, tail: str) -> tuple[str, str, str]:
    if label == "cooperatesWith":
        head, tail = sorted((head, tail))
    return (label, head, tail)


if __name__ == "__main__":
    raise SystemExit(main())
