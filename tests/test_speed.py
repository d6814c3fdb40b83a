"""The framework's faster paths give what the plain ones give: jieba's words, the longest word ending at a
position, the POS table under its public name."""

from __future__ import annotations

import random

import jieba
import pytest

from kg.core.text import first_of, last_of
from kg.nlp import merge
from kg.nlp.patterns import _ends_with_any
from kg.nlp.pipeline import shared_nlp
from kg.nlp.tokenizer import _PRISTINE, jieba_cut, plain_tokenizer

TEXTS = [
    "",
    " ",
    "。",
    "\r\n\r\n",
    "国务院总理李强在北京主持召开国务院常务会议，研究部署下一步工作。",
    "张晓梅和欧阳振华同志到屯溪区黎阳镇调研，看望了王二小。",  # names jieba's dictionary lacks: its HMM
    "AI+医疗 3.5% 的 GDP，C++ 与 x-y_z.v2 #标签 &符号 100%完成",
    "全角\u3000空格　和 tab\t以及\r\n换行的 English words mixed中文",
    "呜呜呜呜呜呜呜呜呜呜，哈哈哈哈哈",
    "龍年 臺灣 繁體字與简体字混排",
    "一二三四五六七八九十百千万亿",
    "①②③ ㈠ ＡＢＣ１２３ ｘｙｚ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_jieba_cut_is_jiebas_cut(text: str) -> None:
    jieba.dt.check_initialized()
    assert jieba_cut(jieba.dt, text) == list(jieba.dt.cut(text))


def test_jieba_cut_follows_words_added_to_the_dictionary() -> None:
    seg = jieba.Tokenizer()  # its own dictionary: the shared one stays as it is
    text = "这是测试用的一个怪词语组合呢"
    before = jieba_cut(seg, text)
    assert before == list(seg.cut(text))
    seg.add_word("怪词语组合", freq=50000)
    after = jieba_cut(seg, text)
    assert after == list(seg.cut(text))
    assert "怪词语组合" in after and "怪词语组合" not in before


def _longest_ending(text: str, pos: int, words: list[str]) -> str | None:
    """The plain loop: the first word of a list (longest first) that ends at ``pos``."""
    for w in words:
        if text.endswith(w, 0, pos):
            return w
    return None


def test_ends_with_any_returns_the_longest_word_ending_there() -> None:
    words = sorted(["北京", "北京市", "京市", "市", "海淀区", "区"], key=len, reverse=True)
    text = "北京市海淀区人民政府"
    assert _ends_with_any(text, 3, words) == "北京市"
    assert _ends_with_any(text, 6, words) == "海淀区"
    assert _ends_with_any(text, 2, words) == "北京"
    assert _ends_with_any(text, 8, words) is None
    assert _ends_with_any(text, 0, words) is None
    assert _ends_with_any(text, 3, {"北京市", "京市"}) == "北京市"  # a set: by length, as before


def test_ends_with_any_on_a_list_not_sorted_is_the_first_match() -> None:
    words = ["市", "北京市"]  # not longest first: the list's order decides, as the plain loop does
    assert _ends_with_any("北京市", 3, words) == "市"


def test_ends_with_any_is_the_plain_loop_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = "省市县区北京上海天津河南郑州"
    words = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 4))) for _ in range(60)},
                   key=len, reverse=True)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        for pos in range(len(text) + 2):
            assert _ends_with_any(text, pos, words) == _longest_ending(text, pos, words)


def test_jieba_tags_is_loaded_once() -> None:
    tags = merge.jieba_tags()
    assert tags is merge.jieba_tags()  # loaded once
    assert tags.get("北京", "").startswith("ns")


def test_plain_tokenizer_is_jiebas_own_dictionary() -> None:
    """The shared dictionary with the lexicon's words undone is the dictionary a fresh jieba.Tokenizer loads:
    every entry, the total, and the dictionary cuts."""
    shared_nlp("fast")  # adds the lexicon's names to jieba's shared dictionary
    added = [w for w, before in _PRISTINE.items() if before is None and len(w) >= 4]
    assert added and all(w in jieba.dt.FREQ for w in added)
    plain, fresh = plain_tokenizer(), jieba.Tokenizer()
    fresh.check_initialized()
    assert plain.total == fresh.total != jieba.dt.total
    for key in [*jieba.dt.FREQ, *fresh.FREQ]:
        assert (key in plain.FREQ) == (key in fresh.FREQ) and plain.FREQ.get(key) == fresh.FREQ.get(key)
    for text in [*TEXTS, "支持大中小企业融通创新，完善青年科技人才培养使用机制", *added[:50]]:
        assert plain.lcut(text, HMM=False) == fresh.lcut(text, HMM=False)


def test_last_of_and_first_of_are_the_plain_searches() -> None:
    marks = "，,；;。！？!?：:\n（("
    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice("ab，,；;。!\n（") for _ in range(rng.randint(0, 30)))
        start, end = rng.randint(0, len(text)), rng.randint(0, len(text))
        assert last_of(text, marks, end) == max(text.rfind(c, 0, end) for c in marks)
        assert last_of(text, marks, end, start) == max(text.rfind(c, start, end) for c in marks)
        assert first_of(text, marks, start) == min([k for k in (text.find(c, start) for c in marks) if k >= 0]
                                                   or [len(text)])
