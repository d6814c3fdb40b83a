"""``kg.JiebaTokenizer.v1``: spaCy's jieba tokenizer for Chinese, without its quadratic alignment.

spaCy's ``spacy.zh.ChineseTokenizer`` (segmenter ``jieba``) cuts the text with jieba, then aligns the words
with the text by ``spacy.util.get_words_and_spaces``, which searches each word in a fresh copy of the rest of
the text (``text[pos:].index(word)``): time quadratic in the text's length, on a long report about as much
as jieba's cut (benchmarks/README.md). jieba's words are the text cut into pieces, so this tokenizer reads
the same tokens and the same whitespace flags off its whitespace words instead, and keeps the text it was
given as ``doc._.kg_text`` so that ``kg.nlp.text.doc_text`` does not rebuild it from the tokens. Everything
else (the jieba instance, serialisation, the config) is the ChineseTokenizer's own.
"""

from __future__ import annotations

from typing import Any

from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry

from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """What ``spacy.util.get_words_and_spaces(words, text)`` returns, in linear time when it can be.

    When the words are the text cut into pieces (what jieba and the char segmenter give) only the whitespace
    words need looking at; any other words go through spaCy's own alignment.
    """
    if "".join(words) == text:
        return _whole_words_and_spaces(words)
    return get_words_and_spaces(words, text)


def _whole_words_and_spaces(words: list[str]) -> tuple[list[str], list[bool]]:
    """:func:`words_and_spaces` when the words are the text cut into pieces (as jieba cuts it).

    Only the whitespace words need looking at: a run of them after a word gives that word its trailing space
    if it opens with one, and the rest of the run is a token.
    """
    blanks = [i for i, w in enumerate(words) if w.isspace()]
    if not blanks:
        return list(words), [False] * len(words)
    out_words: list[str] = []
    out_spaces: list[bool] = []
    prev = 0
    i = 0
    while i < len(blanks):
        first = last = blanks[i]
        while i + 1 < len(blanks) and blanks[i + 1] == last + 1:
            i += 1
            last = blanks[i]
        out_words.extend(words[prev:first])
        out_spaces.extend([False] * (first - prev))
        run = "".join(words[first : last + 1])
        if out_words and run[0] == " ":
            out_spaces[-1] = True
            run = run[1:]
        if run:
            out_words.append(run)
            out_spaces.append(False)
        prev = last + 1
        i += 1
    out_words.extend(words[prev:])
    out_spaces.extend([False] * (len(words) - prev))
    return out_words, out_spaces


class JiebaTokenizer(ChineseTokenizer):  # type: ignore[misc]
    """spaCy's ChineseTokenizer aligned in linear time (see the module), for the jieba and char segmenters.

    ``char`` is what kg's NER model reads (:func:`use_fast_tokenizer` puts this in place after loading it).
    """

    def __call__(self, text: str) -> Doc:
        if self.segmenter == Segmenter.jieba:
            assert self.jieba_seg is not None  # set by ChineseTokenizer for this segmenter
            words = [w for w in self.jieba_seg.cut(text, cut_all=False) if w]
        elif self.segmenter == Segmenter.char:
            words = list(text)
        else:
            return super().__call__(text)
        words, spaces = words_and_spaces(words, text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc._.kg_text = text
        return doc


def use_fast_tokenizer(nlp: Any) -> None:
    """Replace a loaded pipeline's ChineseTokenizer by :class:`JiebaTokenizer` (same segmenter, same docs)."""
    tokenizer = nlp.tokenizer
    if type(tokenizer) is ChineseTokenizer and tokenizer.segmenter in (Segmenter.jieba, Segmenter.char):
        fast = JiebaTokenizer(nlp.vocab, segmenter=Segmenter(tokenizer.segmenter))
        if tokenizer.segmenter == Segmenter.jieba:
            fast.jieba_seg = tokenizer.jieba_seg
        nlp.tokenizer = fast


@registry.tokenizers("kg.JiebaTokenizer.v1")
def create_jieba_tokenizer() -> Any:
    def jieba_tokenizer_factory(nlp: Any) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, segmenter=Segmenter.jieba)

    return jieba_tokenizer_factory
