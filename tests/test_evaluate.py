"""Scoring as docs/annotation.md lays it down, on small hand-written gold and predictions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kg.core.errors import GoldError
from kg.core.records import Entity, Extraction, Relation
from kg.evaluate import (
    EntityRef,
    NearMiss,
    RelationRef,
    Score,
    evaluate,
    load_extractions,
    mention_score,
)


def ent(
    eid: str, label: str, name: str, *aliases: str, value: str | None = None, unit: str | None = None
) -> Entity:
    return Entity(
        id=eid,
        label=label,
        name=name,
        aliases=aliases,
        value=Decimal(value) if value is not None else None,
        unit=unit,
    )


def doc(
    entities: Sequence[Entity], relations: Sequence[Relation] = (), doc_id: str = "d1"
) -> dict[str, Extraction]:
    return {doc_id: Extraction(doc_id=doc_id, entities=tuple(entities), relations=tuple(relations))}


def rel(label: str, head: str, tail: str) -> Relation:
    return Relation(label=label, head=head, tail=tail)


def strict(gold: dict[str, Extraction], pred: dict[str, Extraction]) -> Score:
    return evaluate(gold, pred).entities_strict.overall


def relaxed(gold: dict[str, Extraction], pred: dict[str, Extraction]) -> Score:
    return evaluate(gold, pred).entities_relaxed.overall


# ------------------------------------------------------------------------------------------- entities


def test_exact_name_matches() -> None:
    gold = doc([ent("e1", "ORG", "河南省委社会工作部")])
    pred = doc([ent("p1", "ORG", "河南省委社会工作部")])
    assert strict(gold, pred) == Score(tp=1, fp=0, fn=0)


def test_same_name_with_another_label_does_not_match() -> None:
    gold = doc([ent("e1", "ORG", "枫桥经验")])
    pred = doc([ent("p1", "MECHANISM", "枫桥经验")])
    assert strict(gold, pred) == Score(tp=0, fp=1, fn=1)


def test_alias_matches_either_way() -> None:
    gold = doc([ent("e1", "ORG", "河南省委社会工作部", "省委社会工作部"), ent("e2", "ORG", "省总工会")])
    pred = doc([ent("p1", "ORG", "省委社会工作部"), ent("p2", "ORG", "河南省总工会", "省总工会")])
    assert strict(gold, pred) == Score(tp=2, fp=0, fn=0)


@pytest.mark.parametrize(
    ("gold_name", "pred_name"),
    [
        ("国务院", "國務院"),
        ("基层治理能力提升三年行动方案", "《基层治理能力提升三年行动方案》"),
        ("省委“两新”工委", "省委两新工委"),
        ("《海南省商务楼宇党建工作实施办法(试行)》", "海南省商务楼宇党建工作实施办法（试行）"),
        ("12345市民服务热线", "１２３４５ 市民服务热线"),
    ],
)
def test_names_are_compared_after_normalisation(gold_name: str, pred_name: str) -> None:
    gold = doc([ent("e1", "POLICY", gold_name)])
    pred = doc([ent("p1", "POLICY", pred_name)])
    assert strict(gold, pred) == Score(tp=1, fp=0, fn=0)


def test_metric_matches_on_value_and_unit_whatever_the_name() -> None:
    gold = doc([ent("e1", "METRIC", "3.6万名", value="36000", unit="名")])
    assert strict(gold, doc([ent("p1", "METRIC", "36000名", value="36000.0", unit="名")])).tp == 1
    # Same name, different value or unit: no match.
    assert strict(gold, doc([ent("p1", "METRIC", "3.6万名", value="3.6", unit="名")])).tp == 0
    assert strict(gold, doc([ent("p1", "METRIC", "3.6万名", value="36000", unit="人")])).tp == 0


def test_a_gold_entity_is_matched_once() -> None:
    gold = doc([ent("e1", "ORG", "省妇联")])
    pred = doc([ent("p1", "ORG", "省妇联"), ent("p2", "ORG", "省妇联")])
    report = evaluate(gold, pred)
    assert report.entities_strict.overall == Score(tp=1, fp=1, fn=0)
    assert report.errors("d1").spurious_entities == (EntityRef("ORG", "省妇联"),)


def test_matching_is_maximum_not_first_come() -> None:
    # p1 matches both gold entities by alias, p2 only e1: pairing p1 with the first it matches (e1)
    # would leave p2 unmatched; the maximum matching pairs p1-e2 and p2-e1.
    gold = doc([ent("e1", "ORG", "省总工会"), ent("e2", "ORG", "省妇联")])
    pred = doc(
        [ent("p1", "ORG", "群团组织", "省总工会", "省妇联"), ent("p2", "ORG", "河南省总工会", "省总工会")]
    )
    assert strict(gold, pred) == Score(tp=2, fp=0, fn=0)


def test_exact_names_are_preferred_to_aliases() -> None:
    # p1 matches e1 by alias and e2 by name; p2 matches nothing. p1 must go to e2 (its own name),
    # which the relation then shows.
    gold = doc(
        [ent("e1", "ORG", "省总工会"), ent("e2", "ORG", "省妇联"), ent("e3", "PLACE", "河南省")],
        [rel("locatedIn", "e2", "e3")],
    )
    pred = doc(
        [ent("p1", "ORG", "省妇联", "省总工会"), ent("p3", "PLACE", "河南省")],
        [rel("locatedIn", "p1", "p3")],
    )
    report = evaluate(gold, pred)
    assert report.errors("d1").missed_entities == (EntityRef("ORG", "省总工会"),)
    assert report.relations_strict.overall == Score(tp=1, fp=0, fn=0)


@pytest.mark.parametrize(
    ("gold_name", "pred_name", "accepted"),
    [
        # predicted name contained in the gold name: 6 of 9 characters is exactly 2/3
        ("河南省委社会工作部", "委社会工作部", True),
        ("河南省委社会工作部", "社会工作部", False),  # 5 of 9
        # predicted name containing the gold name
        ("省社会工作部", "河南省社会工作部门", True),  # 6 of 9
        ("省社会工作部", "中共河南省社会工作部", False),  # 6 of 10
    ],
)
def test_relaxed_containment_two_thirds_rule(gold_name: str, pred_name: str, accepted: bool) -> None:
    gold = doc([ent("e1", "ORG", gold_name)])
    pred = doc([ent("p1", "ORG", pred_name)])
    assert strict(gold, pred).tp == 0
    assert relaxed(gold, pred).tp == (1 if accepted else 0)


def test_relaxed_lengths_are_counted_after_normalisation() -> None:
    # 《》 and “” do not count: 省委“两新”工委 is 6 characters, 委两新工委 is 5 of them.
    gold = doc([ent("e1", "ORG", "省委“两新”工委")])
    pred = doc([ent("p1", "ORG", "委“两新”工委")])
    report = evaluate(gold, pred)
    assert report.entities_relaxed.overall.tp == 1
    assert report.errors("d1").near_misses == (NearMiss("ORG", "省委“两新”工委", "委“两新”工委"),)


# ------------------------------------------------------------------------------------------ relations

ORGS = [ent("e1", "ORG", "省总工会"), ent("e2", "ORG", "省妇联"), ent("e3", "MECHANISM", "联席会议机制")]
PRED_ORGS = [ent("p1", "ORG", "省总工会"), ent("p2", "ORG", "省妇联"), ent("p3", "MECHANISM", "联席会议机制")]


def test_cooperates_with_matches_in_either_order() -> None:
    gold = doc(ORGS, [rel("cooperatesWith", "e1", "e2")])
    pred = doc(PRED_ORGS, [rel("cooperatesWith", "p2", "p1")])
    assert evaluate(gold, pred).relations_strict.overall == Score(tp=1, fp=0, fn=0)


def test_directed_relation_swapped_does_not_match() -> None:
    gold = doc(ORGS, [rel("runs", "e1", "e3")])
    pred = doc(PRED_ORGS, [rel("runs", "p3", "p1")])
    report = evaluate(gold, pred)
    assert report.relations_strict.overall == Score(tp=0, fp=1, fn=1)
    assert report.errors("d1").missed_relations == (RelationRef("runs", "省总工会", "联席会议机制"),)
    assert report.errors("d1").spurious_relations == (RelationRef("runs", "联席会议机制", "省总工会"),)


def test_relation_whose_head_did_not_match_is_not_credited() -> None:
    gold = doc(ORGS, [rel("runs", "e1", "e3")])
    pred = doc(
        [ent("p1", "ORG", "市总工会"), ent("p3", "MECHANISM", "联席会议机制")],
        [rel("runs", "p1", "p3")],
    )
    assert evaluate(gold, pred).relations_strict.overall == Score(tp=0, fp=1, fn=1)


def test_relation_label_must_match_and_post_is_ignored() -> None:
    gold = doc([ent("e1", "PERSON", "郅晓峰"), ent("e2", "ORG", "河南省委社会工作部")],
               [Relation(label="holdsPost", head="e1", tail="e2", post="部长")])
    pred = doc([ent("p1", "PERSON", "郅晓峰"), ent("p2", "ORG", "河南省委社会工作部")],
               [Relation(label="holdsPost", head="p1", tail="p2", post="书记"),
                rel("subOrganizationOf", "p1", "p2")])
    scores = evaluate(gold, pred).relations_strict
    assert scores["holdsPost"] == Score(tp=1, fp=0, fn=0)
    assert scores["subOrganizationOf"] == Score(tp=0, fp=1, fn=0)


def test_relations_are_also_scored_on_the_relaxed_alignment() -> None:
    gold = doc([ent("e1", "ORG", "河南省委社会工作部"), ent("e2", "PLACE", "河南省")],
               [rel("locatedIn", "e1", "e2")])
    pred = doc([ent("p1", "ORG", "省委社会工作部"), ent("p2", "PLACE", "河南省")],
               [rel("locatedIn", "p1", "p2")])
    report = evaluate(gold, pred)
    assert report.relations_strict.overall == Score(tp=0, fp=1, fn=1)
    assert report.relations_relaxed.overall == Score(tp=1, fp=0, fn=0)


# -------------------------------------------------------------------------------------------- numbers


def test_per_label_and_micro_numbers_by_hand() -> None:
    gold = doc(
        [
            ent("e1", "ORG", "省总工会"),
            ent("e2", "ORG", "省妇联"),
            ent("e3", "ORG", "团省委"),
            ent("e4", "PLACE", "河南省"),
        ]
    )
    pred = doc(
        [
            ent("p1", "ORG", "省总工会"),  # tp
            ent("p2", "ORG", "省妇联"),  # tp
            ent("p3", "ORG", "省科协"),  # fp; 团省委 is a fn
            ent("p4", "PLACE", "河南省"),  # tp
            ent("p5", "PLACE", "海南"),  # fp
            ent("p6", "GROUP", "志愿者"),  # fp
        ]
    )
    scores = evaluate(gold, pred).entities_strict
    org, place, group = scores["ORG"], scores["PLACE"], scores["GROUP"]
    assert (org.tp, org.fp, org.fn) == (2, 1, 1)
    assert org.precision == pytest.approx(2 / 3) and org.recall == pytest.approx(2 / 3)
    assert org.f1 == pytest.approx(2 / 3)
    assert (place.precision, place.recall) == (0.5, 1.0)
    assert place.f1 == pytest.approx(2 * 0.5 * 1.0 / 1.5)
    assert (group.precision, group.recall, group.f1) == (0.0, 0.0, 0.0)
    # micro: tp 3, fp 3, fn 1
    overall = scores.overall
    assert (overall.tp, overall.fp, overall.fn) == (3, 3, 1)
    assert overall.precision == 0.5 and overall.recall == 0.75
    assert overall.f1 == pytest.approx(2 * 0.5 * 0.75 / 1.25)
    assert list(scores.by_label) == ["ORG", "PLACE", "GROUP"]


def test_whole_set_sums_documents() -> None:
    gold = doc([ent("e1", "ORG", "省妇联")], doc_id="a") | doc([ent("e1", "ORG", "省总工会")], doc_id="b")
    pred = doc([ent("p1", "ORG", "省妇联")], doc_id="a") | doc([ent("p1", "ORG", "市总工会")], doc_id="b")
    report = evaluate(gold, pred)
    assert report.documents["a"].entities_strict.overall == Score(1, 0, 0)
    assert report.documents["b"].entities_strict.overall == Score(0, 1, 1)
    assert report.entities_strict.overall == Score(1, 1, 1)


def test_missing_prediction_document_is_all_false_negatives() -> None:
    gold = doc(ORGS, [rel("runs", "e1", "e3")])
    pred = doc([ent("p1", "ORG", "省总工会")], doc_id="not-in-gold")
    report = evaluate(gold, pred)
    assert report.entities_strict.overall == Score(tp=0, fp=0, fn=3)
    assert report.relations_strict.overall == Score(tp=0, fp=0, fn=1)
    assert report.missing_pred_docs == ("d1",)
    assert report.unmatched_pred_docs == ("not-in-gold",)
    assert report.errors("d1").missed_entities == tuple(EntityRef(e.label, e.name) for e in ORGS)


def test_report_json_and_table() -> None:
    gold = doc(ORGS, [rel("runs", "e1", "e3")])
    pred = doc(PRED_ORGS[:1] + [ent("p9", "ORG", "省科协")])
    data = evaluate(gold, pred).to_json()
    assert list(data) == ["documents", "missing_pred_docs", "unmatched_pred_docs", "overall", "per_document"]
    assert list(data["overall"]) == [
        "entities_strict", "entities_relaxed", "relations_strict", "relations_relaxed"
    ]
    assert data["overall"]["entities_strict"]["overall"] == {
        "tp": 1, "fp": 1, "fn": 2, "precision": 0.5, "recall": 0.3333, "f1": 0.4
    }
    errors = data["per_document"]["d1"]["errors"]
    assert errors["missed_entities"] == [{"label": "ORG", "name": "省妇联"},
                                         {"label": "MECHANISM", "name": "联席会议机制"}]
    assert errors["spurious_entities"] == [{"label": "ORG", "name": "省科协"}]
    assert errors["missed_relations"] == [{"label": "runs", "head": "省总工会", "tail": "联席会议机制"}]
    json.dumps(data, ensure_ascii=False)  # serialisable as it is

    table = evaluate(gold, pred).format_table(per_document=True)
    lines = table.splitlines()
    assert "entities (strict)" in lines
    org_row = next(line for line in lines if line.split()[:1] == ["ORG"])
    assert org_row.split() == ["ORG", "1", "1", "1", "0.500", "0.500", "0.500"]
    assert any(line.split()[:1] == ["d1"] for line in lines)


# ------------------------------------------------------------------------------------------- mentions


def test_mention_score_needs_exact_span_and_label() -> None:
    scores = mention_score(
        [
            ([(0, 3, "ORG"), (5, 8, "PERSON")], [(0, 3, "ORG"), (5, 7, "PERSON")]),
            ([(2, 4, "PLACE")], [(2, 4, "ORG")]),
        ]
    )
    assert scores["ORG"] == Score(tp=1, fp=1, fn=0)
    assert scores["PERSON"] == Score(tp=0, fp=1, fn=1)
    assert scores["PLACE"] == Score(tp=0, fp=0, fn=1)
    assert scores.overall == Score(tp=1, fp=2, fn=2)


# -------------------------------------------------------------------------------------------- loading


def write_jsonl(path: Path, *records: object) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
        encoding="utf-8",
    )
    return path


GOOD = {
    "doc_id": "000_a",
    "entities": [
        {"id": "e1", "label": "ORG", "name": "河南省委社会工作部", "aliases": ["省委社会工作部"],
         "mentions": [[17, 26]], "wikidata": "Q1"},
        {"id": "e2", "label": "PERSON", "name": "郅晓峰"},
        {"id": "e3", "label": "METRIC", "name": "3.6万名", "value": 3.6, "unit": "万名"},
    ],
    "relations": [{"label": "holdsPost", "head": "e2", "tail": "e1", "post": "部长", "evidence": [17, 42]}],
}


def test_load_reads_the_interchange_format(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "gold.jsonl", GOOD, "", {"doc_id": "001_b"})
    loaded = load_extractions(path)
    assert list(loaded) == ["000_a", "001_b"]
    first = loaded["000_a"]
    assert first.entity("e1").aliases == ("省委社会工作部",) and first.entity("e1").mentions == ((17, 26),)
    assert first.entity("e2").mentions == ()
    assert first.entity("e3").value == Decimal("3.6") and first.entity("e3").unit == "万名"
    assert first.relations == (
        Relation(label="holdsPost", head="e2", tail="e1", evidence=(17, 42), post="部长"),
    )
    assert loaded["001_b"].entities == ()


def test_load_and_score_a_prediction_against_itself(tmp_path: Path) -> None:
    gold = load_extractions(write_jsonl(tmp_path / "gold.jsonl", GOOD))
    report = evaluate(gold, gold)
    assert report.entities_strict.overall == Score(tp=3, fp=0, fn=0)
    assert report.relations_strict.overall == Score(tp=1, fp=0, fn=0)


def entity_changed(index: int, **fields: object) -> dict[str, object]:
    record: dict[str, Any] = json.loads(json.dumps(GOOD))
    for field, value in fields.items():
        if value is None:
            record["entities"][index].pop(field)
        else:
            record["entities"][index][field] = value
    return record


@pytest.mark.parametrize(
    ("bad_record", "message"),
    [
        ('{"doc_id": "x", "entities": [}', "malformed JSON"),
        ({k: v for k, v in GOOD.items() if k != "doc_id"}, "missing doc_id"),
        (entity_changed(0, label="ORGANISATION"), "unknown entity label 'ORGANISATION'"),
        ({**GOOD, "relations": [{"label": "runs", "head": "e1", "tail": "e9"}]}, "missing entity id 'e9'"),
        ({**GOOD, "relations": [{"label": "manages", "head": "e1", "tail": "e2"}]}, "unknown relation label"),
        (entity_changed(2, value=None), "METRIC needs a value"),
        (entity_changed(2, unit=None), "METRIC needs a unit"),
        (entity_changed(2, value="many"), "value must be a number"),
        ("[1, 2]", "expected a JSON object"),
    ],
)
def test_malformed_input_names_file_and_line(tmp_path: Path, bad_record: object, message: str) -> None:
    path = write_jsonl(tmp_path / "gold.jsonl", {"doc_id": "ok"}, bad_record)
    with pytest.raises(GoldError, match=message) as info:
        load_extractions(path)
    assert str(info.value).startswith(f"{path}:2: ")


def test_duplicate_doc_id_names_both_lines(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "pred.jsonl", GOOD, {"doc_id": "other"}, GOOD)
    with pytest.raises(GoldError) as info:
        load_extractions(path)
    assert str(info.value) == f"{path}:3: duplicate doc_id '000_a' (first on line 1)"


def test_unreadable_file_is_a_gold_error(tmp_path: Path) -> None:
    with pytest.raises(GoldError, match="missing.jsonl"):
        load_extractions(tmp_path / "missing.jsonl")
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(b'{"doc_id": "a"}\n{"doc_id": "\xe9"}\n')
    with pytest.raises(GoldError, match=r"latin1\.jsonl:2: not UTF-8"):
        load_extractions(bad)
