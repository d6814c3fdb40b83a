"""The shipped statistical NER (kg/nlp/models/ner) and the ``kg_ner`` component around it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from kg.core.errors import ConfigError
from kg.nlp.candidates import Candidate, candidates
from kg.nlp.statistical import DEFAULT_MODEL_PATH, StatisticalNER, chunk_offsets, model_info

MODEL_DIR = Path(__file__).resolve().parent.parent / "kg" / "nlp" / "models" / "ner"
LABELS = ("ORG", "PERSON", "POST", "PLACE")

# Sentences written for these tests (not from CLUENER), with the entities that must be among the
# candidates as (label, surface). A POST may carry its body in front (CLUENER marks 省委书记 that way),
# so a POST matches when the candidate ends with the title.
SENTENCES = [
    (
        "国务院总理李强在北京主持召开国务院常务会议。",
        [("PERSON", "李强"), ("ORG", "国务院"), ("PLACE", "北京"), ("POST", "总理")],
    ),
    pytest.param(
        "浙江省委书记王浩到杭州市调研数字经济发展情况。",
        [("PERSON", "王浩"), ("POST", "书记"), ("PLACE", "杭州市")],
        # A known miss of model 0.2.0 (0.1.0 found it): it tags 浙江省委 as ORG and nothing for the 书记 that
        # follows; CLUENER has few "province committee + 书记" examples. The pipeline's rules find the post
        # (test_pipeline_finds_what_the_model_misses). strict: a model that finds it must drop this marker.
        marks=pytest.mark.xfail(strict=True, reason="model 0.2.0 misses POST 书记 after 浙江省委"),
    ),
    (
        "华为技术有限公司董事长梁华在深圳出席新品发布会。",
        [("ORG", "华为技术有限公司"), ("POST", "董事长"), ("PERSON", "梁华")],
    ),
    (
        "财政部部长蓝佛安表示，将加大对地方的转移支付力度。",
        [("ORG", "财政部"), ("POST", "部长"), ("PERSON", "蓝佛安")],
    ),
    (
        "广东省副省长张新在广州会见了新加坡客人。",
        [("POST", "副省长"), ("PERSON", "张新"), ("PLACE", "广州")],
    ),
    (
        "中国人民银行行长潘功胜在上海出席陆家嘴论坛。",
        [("ORG", "中国人民银行"), ("POST", "行长"), ("PERSON", "潘功胜"), ("PLACE", "上海")],
    ),
    (
        "阿里巴巴集团首席执行官吴泳铭在杭州接受了记者采访。",
        [("ORG", "阿里巴巴集团"), ("POST", "首席执行官"), ("PERSON", "吴泳铭"), ("PLACE", "杭州")],
    ),
]


def _found(text: str, cands: list[Candidate], label: str, surface: str) -> bool:
    for c in cands:
        got = text[c.start : c.end]
        if c.label == label and (got == surface or (label == "POST" and got.endswith(surface))):
            return True
    return False


@pytest.fixture(scope="module")
def ner() -> StatisticalNER:
    return StatisticalNER()


@pytest.fixture(scope="module")
def jieba_nlp() -> Language:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("kg_ner")
    return nlp


def test_shipped_model_is_the_default_and_small() -> None:
    assert DEFAULT_MODEL_PATH == MODEL_DIR
    assert (MODEL_DIR / "config.cfg").is_file()
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size < 30_000_000


def test_model_info_has_version_label_map_and_validation_scores() -> None:
    meta = model_info()
    assert meta["version"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"])
    assert meta["kg"]["label_map"]["government"] == "ORG"
    assert "book" not in meta["kg"]["label_map"]
    scores = meta["kg"]["validation"]["scores"]
    for label in (*LABELS, "ALL"):
        assert set(scores[label]) >= {"p", "r", "f", "support"}
        assert 0 < scores[label]["f"] <= 100
        assert scores[label]["support"] > 0


def test_loading_the_shipped_model_does_not_train(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the shipped model must load without training")

    monkeypatch.setattr(Language, "initialize", refuse)
    monkeypatch.setattr(Language, "update", refuse)
    monkeypatch.setattr("spacy.training.loop.train", refuse)
    fresh = StatisticalNER()
    assert fresh._model is None  # nothing loaded before first use
    found = fresh.predict("国务院总理李强在北京主持召开国务院常务会议。")
    assert fresh._model is not None
    assert any(c.label == "PERSON" for c in found)


@pytest.mark.parametrize(("text", "expected"), SENTENCES, ids=[f"sentence{i}" for i in range(len(SENTENCES))])
def test_tags_unseen_sentences(ner: StatisticalNER, text: str, expected: list[tuple[str, str]]) -> None:
    found = ner.predict(text)
    missing = [(label, surface) for label, surface in expected if not _found(text, found, label, surface)]
    assert not missing, f"missing {missing}; got {[(text[c.start : c.end], c.label) for c in found]}"
    for c in found:
        assert c.source == "model"
        assert c.label in LABELS
        assert 0.0 < c.score <= 1.0


def test_component_appends_candidates_with_offsets_into_a_jieba_doc(jieba_nlp: Language) -> None:
    text = "记者从浙江省获悉，\n国务院总理李强在北京主持召开国务院常务会议。"
    doc = jieba_nlp(text)
    assert any(len(t.text) > 1 for t in doc)  # word tokens, not characters
    cands = candidates(doc)
    assert cands and all(c.source == "model" for c in cands)
    person = [c for c in cands if c.label == "PERSON"]
    assert [(c.start, c.end) for c in person] == [(text.index("李强"), text.index("李强") + 2)]
    assert _found(text, cands, "PLACE", "北京")
    assert not doc.ents  # recognisers propose; kg_merge decides


def test_component_keeps_earlier_candidates(jieba_nlp: Language) -> None:
    doc = jieba_nlp.make_doc("国务院总理李强在北京主持召开国务院常务会议。")
    earlier = Candidate(0, 3, "ORG", "lexicon", 1.0, "中华人民共和国国务院")
    candidates(doc).append(earlier)
    doc = jieba_nlp.get_pipe("kg_ner")(doc)
    assert candidates(doc)[0] == earlier
    assert len(candidates(doc)) > 1


def test_long_document_offsets_map_back(ner: StatisticalNER) -> None:
    sentence = "国务院总理李强在北京主持召开国务院常务会议。"
    text = "\n".join(f"第{i}条。{sentence}" for i in range(120))  # ~3,400 characters, many chunks
    found = ner.predict(text)
    people = [c for c in found if c.label == "PERSON"]
    assert len(people) >= 115
    assert all(text[c.start : c.end] == "李强" for c in people)
    assert [c.start for c in found] == sorted(c.start for c in found)


def test_chunks_end_at_sentence_ends_and_stay_under_the_limit() -> None:
    text = "".join(f"这是第{i}个句子，内容不长。" for i in range(100)) + "字" * 1200
    regions = chunk_offsets(text, 500)
    assert all(0 < end - start <= 500 for start, end in regions)
    assert "".join(text[s:e] for s, e in regions) == text
    assert all(text[e - 1] == "。" for s, e in regions if e <= text.index("字"))


def test_min_score_and_labels_filter(ner: StatisticalNER) -> None:
    text = "国务院总理李强在北京主持召开国务院常务会议。"
    everything = ner.predict(text)
    only_people = StatisticalNER(labels=["PERSON"])
    only_people._model = ner.model  # share the loaded pipeline
    assert {c.label for c in only_people.predict(text)} == {"PERSON"}
    confident = StatisticalNER(min_score=0.9)
    confident._model = ner.model
    kept = confident.predict(text)
    assert all(c.score >= 0.9 for c in kept)
    assert set(kept) == {c for c in everything if c.score >= 0.9}


def test_missing_model_folder_is_a_config_error(tmp_path: Path) -> None:
    nlp = spacy.blank("zh")
    with pytest.raises(ConfigError, match="train_ner.py"):
        nlp.add_pipe("kg_ner", config={"model_path": str(tmp_path / "nowhere")})
    with pytest.raises(ConfigError, match="train_ner.py"):
        model_info(tmp_path)


def test_features_follow_characters_and_ignore_the_global_jieba_dictionary() -> None:
    import jieba

    from kg.nlp.ner_features import FEATURES, char_feature_ids, doc_feature_ids

    text = "华为技术有限公司董事长梁华在深圳出席发布会。 ABC"
    before = char_feature_ids(text, FEATURES).copy()
    assert before.shape == (len(text), len(FEATURES))
    doc = spacy.blank("zh").make_doc(text)  # the model's character tokenizer: the space is no token
    assert (doc_feature_ids(doc, FEATURES) == before[[t.idx for t in doc]]).all()
    jieba.add_word("梁华在深")  # other kg components may change jieba's global dictionary
    try:
        char_feature_ids.cache_clear()
        assert (char_feature_ids(text, FEATURES) == before).all()
    finally:
        jieba.del_word("梁华在深")
    assert (char_feature_ids(text.lower(), FEATURES) == before).all()  # CLUENER is lower-cased


def test_pipeline_finds_what_the_model_misses(full_nlp: Language) -> None:
    doc = full_nlp("浙江省委书记王浩到杭州市调研数字经济发展情况。")
    found = {(e.label, e.name) for e in doc._.kg_entities}
    assert {("POST", "书记"), ("PERSON", "王浩"), ("PLACE", "杭州市")} <= found
    assert any(label == "ORG" and name.endswith("浙江省委") for label, name in found)


def test_numpy_blas_finds_what_blis_finds(ner: StatisticalNER) -> None:
    """The model multiplies through numpy's BLAS (faster here); thinc's BLIS gives the same entities."""
    from thinc.api import NumpyOps

    texts = [p.values[0] if hasattr(p, "values") else p[0] for p in SENTENCES]
    layers = [node for _, component in ner.model.pipeline for node in component.model.walk()]
    assert all(not getattr(node.ops, "use_blis", True) for node in layers)
    fast = [ner.predict(t) for t in texts]
    blis = StatisticalNER()
    for _, component in blis.model.pipeline:
        for node in component.model.walk():
            node.ops = NumpyOps(use_blis=True)
    slow = [blis.predict(t) for t in texts]
    spans = [[(c.start, c.end, c.label) for c in found] for found in fast]
    assert spans == [[(c.start, c.end, c.label) for c in found] for found in slow]
    pairs = [(a, b) for x, y in zip(fast, slow, strict=True) for a, b in zip(x, y, strict=True)]
    assert all(abs(a.score - b.score) <= 0.001 for a, b in pairs)


def test_one_blas_thread_while_the_model_multiplies_and_the_callers_own_after(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> list[int]:
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    fresh = StatisticalNER()  # loads the model (and sets up its BLAS) inside the caller's setting below
    seen: list[list[int]] = []
    tag = fresh._tag

    def spy(texts: list[str]) -> list[list[tuple[int, int, str, float]]]:
        seen.append(blas_threads())
        return tag(texts)

    monkeypatch.setattr(fresh, "_tag", spy)
    with threadpool_limits(limits=2, user_api="blas"):
        assert fresh.predict("河南省委社会工作部部长郅晓峰说。")
        assert blas_threads() and all(n == 2 for n in blas_threads())
    assert seen and all(n == 1 for threads in seen for n in threads)
