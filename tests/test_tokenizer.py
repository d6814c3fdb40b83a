"""kg's jieba tokenizer makes the tokens spaCy's ChineseTokenizer makes, and keeps the text it was given."""

from __future__ import annotations

import pytest
from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.util import get_words_and_spaces

from kg.nlp.pipeline import build_nlp
from kg.nlp.text import doc_text
from kg.nlp.tokenizer import JiebaTokenizer, words_and_spaces

TEXTS = [
    "",
    " ",
    "国务院总理李强在北京主持召开国务院常务会议。",
    "  前导空白和 单个空格，两个  空格\t制表符\n\n换行 ",
    "全角\u3000空格与 English words, 3.5% 和 GDP。",
    "尾随空白  ",
    "\n",
    "a \n b",
    "会议\n \n决定  通过   文件 \u3000\n",
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_words_and_spaces_as_spacy(text: str) -> None:
    import jieba

    words = [w for w in jieba.cut(text) if w]
    assert words_and_spaces(words, text) == get_words_and_spaces(words, text)


def test_words_that_do_not_match_the_text_are_an_error() -> None:
    with pytest.raises(ValueError):
        words_and_spaces(["国务院", "总统"], "国务院总理")
    with pytest.raises(ValueError):
        words_and_spaces(["国务"], "国务院")


@pytest.mark.parametrize("text", TEXTS)
def test_same_doc_as_the_chinese_tokenizer(text: str) -> None:
    nlp = build_nlp(use_model=False)
    assert isinstance(nlp.tokenizer, JiebaTokenizer)
    ours = nlp.make_doc(text)
    theirs = ChineseTokenizer(nlp.vocab, segmenter=Segmenter.jieba)(text)
    assert [(t.text, t.whitespace_) for t in ours] == [(t.text, t.whitespace_) for t in theirs]
    assert ours.text == text
    assert ours._.kg_text == text and doc_text(ours) == text
