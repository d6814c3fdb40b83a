"""The gate of ``kg_ner``: the model only tags where ``kg_merge`` could keep one of its entities."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.core.text import sentence_offsets
from kg.nlp.candidates import Candidate, candidates
from kg.nlp.pipeline import build_nlp, pipeline_config
from kg.nlp.statistical import (
    GATE_CONTEXT,
    GATE_CONTEXT_AFTER,
    MAX_CHUNK_CHARS,
    StatisticalNER,
    chunk_regions,
    gate_regions,
)

# Sentences written for these tests, with the entity the model must add to the extraction through the gate.
UNSEEN = [
    ("谭植棠同志在会上作了重要讲话。", "PERSON", "谭植棠"),  # a name jieba does not know
    ("胡乔木同志发表了文章。", "PERSON", "胡乔木"),  # a name jieba tags nr
    ("地方政府要切实负起责任。", "ORG", "地方政府"),  # a noun before a suffix word
    ("支持国家开发银行改革。", "ORG", "国家开发银行"),  # one word ending with a suffix
    ("东部地区要率先实现现代化。", "PLACE", "东部地区"),  # a direction word before 地区
]
COVERED = "国务院总理李强在北京主持召开国务院常务会议。"  # every name here is a rule candidate
NO_TRIGGER = "今年要继续扩大内需。"  # no suffix, title, place ending or name-like word


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(use_model=True, use_lac=False)  # the char-CNN alone beside the rules


@pytest.fixture(scope="module")
def rules_nlp() -> Language:
    return build_nlp(use_model=False, use_lac=False)


def _ruled(rules_nlp: Language, text: str) -> Doc:
    """The doc as ``kg_ner`` receives it: jieba tokens and the rule candidates."""
    doc = rules_nlp.make_doc(text)
    for name in ("kg_lexicon", "kg_patterns"):
        doc = rules_nlp.get_pipe(name)(doc)
    return doc


def _regions(nlp: Language, rules_nlp: Language, text: str) -> list[tuple[int, int]]:
    doc = _ruled(rules_nlp, text)
    ner: StatisticalNER = nlp.get_pipe("kg_ner")
    return gate_regions(doc, ner.shape, [(c.start, c.end) for c in candidates(doc)])


def test_gate_is_on_by_default_and_switchable() -> None:
    assert pipeline_config(use_model=True)["components"]["kg_ner"]["gate"] is True
    assert pipeline_config(use_model=True, gate=False)["components"]["kg_ner"]["gate"] is False
    assert "kg_ner" not in pipeline_config(use_model=False)["components"]
    assert "kg_ner" not in pipeline_config()["components"]  # the default profile leaves the char-CNN out
    assert build_nlp(use_model=True, use_lac=False, gate=False).get_pipe("kg_ner").gate is False


def test_keeps_the_words_around_an_uncovered_person_or_org(nlp: Language, rules_nlp: Language) -> None:
    text = f"{NO_TRIGGER}谭植棠同志在会上作了重要讲话。{NO_TRIGGER}地方政府要切实负起责任。"
    sentences = sentence_offsets(text)
    person, org = text.index("谭植棠"), text.index("地方政府")
    # each trigger word with GATE_CONTEXT characters before it and GATE_CONTEXT_AFTER after it, inside its
    # own sentence (both triggers open theirs)
    assert _regions(nlp, rules_nlp, text) == [
        (sentences[1][0], person + 3 + GATE_CONTEXT_AFTER),
        (sentences[3][0], org + 4 + GATE_CONTEXT_AFTER),
    ]


def test_a_trigger_far_from_the_sentence_ends_gets_a_window(nlp: Language, rules_nlp: Language) -> None:
    padding = "我们要认真学习文件精神并且在实际工作中贯彻落实"  # 24 characters without a trigger
    text = f"{padding}谭植棠{padding}。"
    start = text.index("谭植棠")
    assert _regions(nlp, rules_nlp, text) == [(start - GATE_CONTEXT, start + 3 + GATE_CONTEXT_AFTER)]
    assert gate_regions(_ruled(rules_nlp, text), nlp.get_pipe("kg_ner").shape, [], context=2, after=1) == [
        (start - 2, start + 4)]


def test_near_triggers_share_one_region(nlp: Language, rules_nlp: Language) -> None:
    text = "会议由谭植棠主持，胡乔木同志发表了文章，大家一致赞成。"
    regions = _regions(nlp, rules_nlp, text)
    assert regions == [(0, text.index("胡乔木") + 3 + GATE_CONTEXT_AFTER)]


def test_an_entity_cut_by_a_window_edge_is_dropped(nlp: Language) -> None:
    ner: StatisticalNER = nlp.get_pipe("kg_ner")
    text = "胡乔木同志发表了文章。"
    assert ("PERSON", 0, 3) in {(c.label, c.start, c.end) for c in ner.predict(text, [(0, len(text))])}
    # the model tags the name when a window ends at punctuation after it ...
    assert ("PERSON", 0, 3) in {(c.label, c.start, c.end) for c in ner.predict("胡乔木。", [(0, 4)])}
    # ... but a window that ends between two letters may have cut a longer name: nothing ends at that edge
    assert not [c for c in ner.predict(text, [(0, 3)]) if c.end == 3]
    assert not [c for c in ner.predict("张胡乔木。", [(1, 5)]) if c.start == 1]


def test_skips_sentences_the_rules_cover_or_without_a_trigger(nlp: Language, rules_nlp: Language) -> None:
    assert candidates(_ruled(rules_nlp, COVERED))  # the rules find its names ...
    assert _regions(nlp, rules_nlp, COVERED) == []  # ... so the model has nothing to add
    assert _regions(nlp, rules_nlp, NO_TRIGGER) == []
    assert _regions(nlp, rules_nlp, "关系，方面，方针。") == []  # a surname before punctuation is no name


def test_regions_with_only_whitespace_between_are_one(nlp: Language, rules_nlp: Language) -> None:
    text = "谭植棠同志讲话。\n胡乔木同志发表了文章。"
    assert _regions(nlp, rules_nlp, text) == [(0, text.index("胡乔木") + 3 + GATE_CONTEXT_AFTER)]


@pytest.mark.parametrize(("text", "label", "surface"), UNSEEN, ids=[s for _, _, s in UNSEEN])
def test_gated_extraction_finds_the_models_entity(nlp: Language, text: str, label: str, surface: str) -> None:
    ner: StatisticalNER = nlp.get_pipe("kg_ner")
    assert ner.gate
    found = [(m.label, text[m.start : m.end]) for m in nlp(text)._.kg_mentions if m.source == "model"]
    assert (label, surface) in found


def test_the_windows_are_all_the_model_sees(nlp: Language) -> None:
    ner: StatisticalNER = nlp.get_pipe("kg_ner")
    sentence = "地方政府要切实负起责任。"
    text = COVERED * 3 + NO_TRIGGER * 3 + sentence + COVERED
    tagged, seen = ner.chars_tagged, ner.chars_seen
    doc = nlp(text)
    assert ner.chars_seen - seen == len(text)
    assert ner.chars_tagged - tagged == len("地方政府") + GATE_CONTEXT_AFTER  # the trigger opens its sentence
    start = text.index(sentence)
    model = {(m.label, m.start, m.end) for m in doc._.kg_mentions if m.source == "model"}
    assert ("ORG", start, start + 4) in model


def test_gated_chunks_stay_under_the_limit_and_offsets_map_back(nlp: Language, rules_nlp: Language) -> None:
    sentence = "谭植棠同志在会上作了重要讲话，" * 40 + "大家一致赞成。"  # one sentence longer than a chunk
    text = "\n".join([NO_TRIGGER, sentence, NO_TRIGGER, "胡乔木同志发表了文章。", NO_TRIGGER] * 3)
    regions = _regions(nlp, rules_nlp, text)
    spans = [(s, s + len(t)) for t in (sentence, "胡乔木同志发表了文章。") for s in _starts(text, t)]
    assert len(regions) == 6 and all(any(s <= a < b <= e for s, e in spans) for a, b in regions)
    assert max(b - a for a, b in regions) > MAX_CHUNK_CHARS  # the long sentence's triggers make one region
    chunks = chunk_regions(text, regions)
    assert all(0 < e - s <= MAX_CHUNK_CHARS for s, e in chunks)
    assert all(any(rs <= s and e <= re for rs, re in regions) for s, e in chunks)
    assert sum(e - s for s, e in chunks) == sum(e - s for s, e in regions)
    ner: StatisticalNER = nlp.get_pipe("kg_ner")
    people = [c for c in ner.predict(text, regions) if c.label == "PERSON"]
    assert {text[c.start : c.end] for c in people} == {"谭植棠", "胡乔木"}
    assert len(people) >= 3 * 40


def test_kg_info_says_the_gate_is_on() -> None:
    from click.testing import CliRunner

    from kg.cli import main

    result = CliRunner().invoke(main, ["info"])
    assert result.exit_code == 0, result.output
    assert "gate: on (it tags only 10 characters before and 5 after the words" in result.output


def _starts(text: str, part: str) -> list[int]:
    out, i = [], text.find(part)
    while i >= 0:
        out.append(i)
        i = text.find(part, i + 1)
    return out


@pytest.mark.parametrize(("surface", "expected"), [
    ("李克强", True),  # jieba tags it nr
    ("谭植棠", True),  # unknown to jieba, and so is the given name
    ("王东", False),  # the given name is a word (东/ns): not from the model alone (after a post title, yes)
    ("张浪费", False), ("施工", False), ("关于", False),  # ordinary words, or a surname before one
    ("严格执行", False), ("明显改善", False), ("安全措施", False),  # two ordinary words (jieba tags nr)
    ("欧阳海燕", True),  # a compound surname
    ("谭", False), ("毛泽东思想", False),  # one character, five
])
def test_the_person_shape(nlp: Language, surface: str, expected: bool) -> None:
    """What the merge keeps as a model PERSON, and what makes a PERSON trigger for the gate."""
    ner: StatisticalNER = nlp.get_pipe("kg_ner")
    assert ner.shape.person_like(surface) is expected


def test_a_two_character_person_needs_a_cue(nlp: Language, rules_nlp: Language) -> None:
    """Two-character words that open with a surname and that jieba tags nr are mostly ordinary words."""
    ner: StatisticalNER = nlp.get_pipe("kg_ner")
    shape = ner.shape
    text = "要依法施政，周密部署。罗素教授来华讲学。"
    shape.text = text
    assert not shape(Candidate(text.index("施政"), text.index("施政") + 2, "PERSON", "model", 0.99))
    assert not shape(Candidate(text.index("周密"), text.index("周密") + 2, "PERSON", "model", 0.99))
    assert shape(Candidate(text.index("罗素"), text.index("罗素") + 2, "PERSON", "model", 0.99))
    assert shape(Candidate(0, 3, "PERSON", "model", 0.99)) is False  # 要依法: no surname
    # the gate asks the same: no window around 施政 or 周密 (jieba tags both nr)
    assert _regions(nlp, rules_nlp, "各级政府要依法施政，周密部署，抓好落实。") == []
    found = {(m.label, m.start, m.end) for m in nlp(text)._.kg_mentions}
    assert ("PERSON", text.index("施政"), text.index("施政") + 2) not in found
