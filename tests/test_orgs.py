"""Bodies' names, their boundaries and the bodies inside them (kg.nlp.orgs), on sentences written for the
test."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.core.records import Document
from kg.nlp.extract import extract
from kg.nlp.orgs import impossible_opening, verb_opening


def orgs(nlp: Language, text: str, **meta: str) -> set[str]:
    return {e.name for e in extract(Document("t", text, **meta), nlp).entities if e.label == "ORG"}


# -- a body's name never opens with a verb or a preposition ---------------------------------------------


@pytest.mark.parametrize("text", [
    "审核通过后，市商务局函请市财政局按程序拨付。",
    "各区要根据市财政局下达的额度安排配套资金。",
])
def test_a_short_form_after_a_verb_is_read_without_it(nlp: Language, text: str) -> None:
    names = orgs(nlp, text, place="烟台市")
    assert "烟台市财政局" in names, names
    assert not any(n.startswith(("函请", "根据")) for n in names), names


def test_an_unknown_place_before_a_level_word_is_still_read() -> None:
    assert not verb_opening("崂山", "区")  # a place jieba does not tag as a verb
    assert not verb_opening("直辖", "市")  # 直辖市: the level character ends a word of its own
    assert verb_opening("函请", "市") and verb_opening("根据", "市") and verb_opening("组织", "区")


@pytest.mark.parametrize("name, bad", [
    ("函请市财政局", True), ("根据市财政局", True), ("组织区县政府", True), ("按照省教育厅", True),
    ("联合国", False), ("组织部", False), ("市财政局", False), ("指导中心", False),
])
def test_verb_initial_names_are_impossible(name: str, bad: bool) -> None:
    assert (impossible_opening(name) is not None) is bad
