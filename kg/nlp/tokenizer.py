"""``kg.JiebaTokenizer.v1``: spaCy's jieba tokenizer for Chinese, without its quadratic alignment.

spaCy's ``spacy.zh.ChineseTokenizer`` (segmenter ``jieba``) cuts the text with jieba, then aligns the words
with the text by ``spacy.util.get_words_and_spaces``, which searches each word in a fresh copy of the rest of
the text (``text[pos:].index(word)``): time quadratic in the text's length, on a long report about as much
as jieba's cut (benchmarks/README.md). jieba's words are the text cut into pieces, so this tokenizer reads
the same tokens and the same whitespace flags off its whitespace words instead, and keeps the text it was
given as ``doc._.kg_text`` so that ``kg.nlp.text.doc_text`` does not rebuild it from the tokens. Everything
else (the jieba instance, serialisation, the config) is the ChineseTokenizer's own.

The words themselves are jieba's (:func:`jieba_cut`: ``jieba.cut(text)``, the default mode with the HMM, word
for word), with its dictionary search done in one pass: jieba builds each block's graph of dictionary words,
then looks every word up again, slices it and takes its logarithm to find the best route; :func:`_cut_block`
scores each word as it finds it. The same words, about twice as fast.
"""

from __future__ import annotations

from math import log
from typing import Any

import jieba
from jieba import finalseg
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


def jieba_cut(seg: jieba.Tokenizer, text: str) -> list[str]:
    """``list(seg.cut(text))`` (jieba's default mode, with the HMM for unknown words), word for word.

    The text is cut into blocks as jieba cuts it (``re_han_default``, ``re_skip_default``); a block of Chinese
    goes to :func:`_cut_block`, jieba's ``__cut_DAG`` with its dictionary search in one pass.
    """
    seg.check_initialized()
    words: list[str] = []
    re_han, re_skip = jieba.re_han_default, jieba.re_skip_default
    freq = seg.FREQ
    logtotal = log(seg.total)
    for blk in re_han.split(text):
        if not blk:
            continue
        if re_han.match(blk):
            _cut_block(blk, freq, logtotal, words)
        else:
            for x in re_skip.split(blk):
                if re_skip.match(x):
                    words.append(x)
                else:
                    words.extend(x)
    return words


def _cut_block(sentence: str, freq: dict[str, int], logtotal: float, out: list[str]) -> None:
    """jieba's ``Tokenizer.__cut_DAG(sentence)``, appended to ``out``.

    jieba finds the dictionary words starting at each position (``get_DAG``), then from the end backwards the
    best route (``calc``): for each word ``log(freq or 1) - logtotal`` plus the best route after it, the
    highest score winning and, on a tie, the longer word. This is that computation in the same order and the
    same floating-point operations (so the same route), each word scored where the search finds it, from the
    end backwards, without the graph, the second look-up, the slice and the logarithm of every word again.
    """
    n = len(sentence)
    score = [0.0] * (n + 1)  # jieba's route[k][0]; route[n] = (0, 0), and x + 0 is x + 0.0
    nxt = [0] * (n + 1)  # jieba's route[k][1]: the last index of the word that starts at k
    for k in range(n - 1, -1, -1):
        best_x = -1
        best = 0.0
        i = k
        frag = sentence[k]
        while True:
            f = freq.get(frag)
            if f is None:
                break
            if f:
                s = log(f) - logtotal + score[i + 1]
                if best_x < 0 or s >= best:  # ties: the later x (jieba's max over (score, x))
                    best, best_x = s, i
            i += 1
            if i >= n:
                break
            frag = sentence[k:i + 1]
        if best_x < 0:  # no dictionary word starts here: the character alone, with frequency 1
            best, best_x = log(freq.get(sentence[k]) or 1) - logtotal + score[k + 1], k
        score[k] = best
        nxt[k] = best_x
    x = 0
    buf = ""
    while x < n:
        y = nxt[x] + 1
        if y - x == 1:
            buf += sentence[x]
        else:
            if buf:
                _flush(buf, freq, out)
                buf = ""
            out.append(sentence[x:y])
        x = y
    if buf:
        _flush(buf, freq, out)


def _flush(buf: str, freq: dict[str, int], out: list[str]) -> None:
    """jieba's handling of a run of single characters: one character as it is, a run the dictionary does not
    know through its HMM (``finalseg.cut``), a known one character by character."""
    if len(buf) == 1:
        out.append(buf)
    elif not freq.get(buf):
        out.extend(finalseg.cut(buf))
    else:
        out.extend(buf)


class JiebaTokenizer(ChineseTokenizer):  # type: ignore[misc]
    """spaCy's ChineseTokenizer aligned in linear time (see the module), for the jieba and char segmenters.

    ``char`` is what kg's NER model reads (:func:`use_fast_tokenizer` puts this in place after loading it).
    """

    def __call__(self, text: str) -> Doc:
        if self.segmenter == Segmenter.jieba:
            assert self.jieba_seg is not None  # set by ChineseTokenizer for this segmenter
            seg = getattr(self.jieba_seg, "dt", self.jieba_seg)  # the jieba module: its default Tokenizer
            if type(seg) is jieba.Tokenizer:
                words = [w for w in jieba_cut(seg, text) if w]
            else:
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


#: the entries of jieba's shared dictionary (``jieba.dt.FREQ``) that :func:`add_user_word` changed, with
#: their values before (None: absent), and its total before
_PRISTINE: dict[str, int | None] = {}
_PRISTINE_TOTAL: list[int] = []


def add_user_word(word: str, freq: int) -> None:
    """``jieba.add_word(word, freq=freq)``, noting what it changes (for :func:`plain_tokenizer`)."""
    dt = jieba.dt
    dt.check_initialized()
    if not _PRISTINE_TOTAL:
        _PRISTINE_TOTAL.append(dt.total)
    for i in range(1, len(word) + 1):
        _PRISTINE.setdefault(word[:i], dt.FREQ.get(word[:i]))
    jieba.add_word(word, freq=freq)


class _PlainFreq:
    """The shared dictionary read as it was before the user words (what jieba's cut reads of ``FREQ``)."""

    def __init__(self, shared: dict[str, int], pristine: dict[str, int | None]) -> None:
        self.shared, self.pristine = shared, pristine

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.pristine:
            value = self.pristine[key]
            return default if value is None else value
        return self.shared.get(key, default)

    def __contains__(self, key: str) -> bool:
        return self.pristine[key] is not None if key in self.pristine else key in self.shared

    def __getitem__(self, key: str) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value


def plain_tokenizer() -> jieba.Tokenizer:
    """A jieba Tokenizer on jieba's own dictionary only, as a fresh ``jieba.Tokenizer()`` has it, without
    loading that dictionary again (0.6 CPU s a process): the shared dictionary, the user words of
    :func:`add_user_word` undone, read through a view (no copy). For dictionary cuts (``HMM=False``)."""
    dt = jieba.dt
    dt.check_initialized()
    plain = jieba.Tokenizer()
    plain.FREQ = _PlainFreq(dt.FREQ, _PRISTINE)
    plain.total = _PRISTINE_TOTAL[0] if _PRISTINE_TOTAL else dt.total
    plain.initialized = True
    return plain
