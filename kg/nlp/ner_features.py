"""Character features for kg's statistical NER (``kg/nlp/models/ner``, trained by ``scripts/train_ner.py``).

The NER is character-level (spaCy's blank ``zh`` tokenizer with ``segmenter="char"``), so every token
is one character and CLUENER's entity boundaries always fall on token boundaries. A character alone
says little about where a name starts or ends; this module gives each character the context a word
segmenter sees, as extra hashed embeddings next to the character itself (the text is lower-cased
first, character by character, as CLUENER is):

``char``
    the character (spaCy's ``NORM`` for a one-character token);
``shape``
    a coarse class: CJK ideograph, digit, Latin letter, or the Unicode category otherwise;
``bigram_left`` / ``bigram_right``
    the character with the one before / after it (``^`` and ``$`` at the ends of the text);
``jieba_pos``
    the place of the character in its jieba word (B, I, E or S for a one-character word) and jieba's
    part-of-speech tag of that word (``nr`` person name, ``ns`` place, ``nt`` organisation, ...);
``jieba_word``
    the jieba word that contains the character.

jieba is run with a private ``jieba.Tokenizer`` on jieba's own shipped dictionary (HMM on), so words
that other parts of kg add to the global jieba dictionary do not change the model's features. Nothing
is downloaded. The features are computed from ``doc.text`` and each token's character offset, so they
are the same whatever produced the doc, as long as it is the model's own character tokenizer.

The architecture is registered as ``kg.CharFeatureEmbed.v1``; import this module before loading or
training the model (``kg.nlp.statistical`` and ``scripts/train_ner.py`` do).
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, cast

import jieba
import jieba.posseg
import numpy
from spacy.attrs import IDX
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d

from kg.nlp.text import doc_text

FEATURES = ("char", "shape", "bigram_left", "bigram_right", "jieba_pos", "jieba_word")

_jieba_lock = threading.Lock()
_jieba_tokenizer: Any = None


def _pos_tokenizer() -> Any:
    global _jieba_tokenizer
    with _jieba_lock:
        if _jieba_tokenizer is None:
            jieba.setLogLevel(logging.WARNING)
            _jieba_tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
        return _jieba_tokenizer


def _lower(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


def _shape(ch: str) -> str:
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return "CJK"
    if ch.isdigit():
        return "d"
    if ch.isascii() and ch.isalpha():
        return "x"
    return unicodedata.category(ch)


def _jieba_tags(text: str) -> tuple[list[str], list[str]]:
    """Per character: "<B|I|E|S>-<pos>" and the jieba word it belongs to."""
    pos = ["O"] * len(text)
    words = [""] * len(text)
    i = 0
    for pair in _pos_tokenizer().cut(text):
        word, flag = pair.word, pair.flag
        if text[i : i + len(word)] != word:  # never seen; keep going with empty features
            j = text.find(word, i)
            if j < 0:
                break
            i = j
        n = len(word)
        for k in range(n):
            place = "S" if n == 1 else "B" if k == 0 else "E" if k == n - 1 else "I"
            pos[i + k] = f"{place}-{flag}"
            words[i + k] = word
        i += n
    return pos, words


def _char_values(text: str, name: str, jieba: tuple[list[str], list[str]] | None) -> list[str]:
    if name == "char":
        return list(text)
    if name == "shape":
        return [_shape(c) for c in text]
    if name == "bigram_left":
        return [("^" if i == 0 else text[i - 1]) + c for i, c in enumerate(text)]
    if name == "bigram_right":
        return [c + (text[i + 1] if i + 1 < len(text) else "$") for i, c in enumerate(text)]
    assert jieba is not None
    if name == "jieba_pos":
        return jieba[0]
    if name == "jieba_word":
        return jieba[1]
    raise ValueError(f"unknown NER feature {name!r}; known: {', '.join(FEATURES)}")


@lru_cache(maxsize=65536)
def char_feature_ids(text: str, features: tuple[str, ...]) -> numpy.ndarray:
    """uint64 ids, one row per character of ``text``, one column per feature."""
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"unknown NER feature(s) {unknown}; known: {', '.join(FEATURES)}")
    text = "".join(_lower(c) for c in text)  # CLUENER is lower-cased; one character each, offsets kept
    jieba = _jieba_tags(text) if any(f.startswith("jieba") for f in features) else None
    out = numpy.zeros((len(text), len(features)), dtype="uint64")
    for col, name in enumerate(features):
        out[:, col] = [hash_string(v) for v in _char_values(text, name, jieba)]
    return out


def doc_feature_ids(doc: Doc, features: tuple[str, ...]) -> numpy.ndarray:
    """Feature ids for each token of ``doc``: those of the token's first character."""
    if not len(doc):
        return numpy.zeros((0, len(features)), dtype="uint64")
    ids = char_feature_ids(doc_text(doc), features)
    return ids[doc.to_array(IDX).astype("int64")]


def char_feature_extractor(features: Sequence[str]) -> Model[list[Doc], list[Ints2d]]:
    feats = tuple(features)

    def forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], Callable]:
        out = [model.ops.asarray2i(cast(Ints2d, doc_feature_ids(doc, feats)), dtype="uint64") for doc in docs]
        return out, lambda d_features: []

    return Model("kg_char_features", forward, attrs={"features": feats})


@registry.architectures("kg.CharFeatureEmbed.v1")
def char_feature_embed(
    width: int, features: list[str], rows: list[int], widths: list[int], seed: int = 7
) -> Model[list[Doc], list[Floats2d]]:
    """Hashed embeddings of each feature (own rows and width), concatenated and mixed to ``width``.

    The same construction as spaCy's ``MultiHashEmbed`` (HashEmbed per column -> concatenate ->
    Maxout with layer norm), but over :data:`FEATURES` instead of lexical attributes.
    """
    if not (len(features) == len(rows) == len(widths)):
        raise ValueError("features, rows and widths must have the same length")
    embeddings: list[Model[Any, Any]] = [
        HashEmbed(w, r, column=i, seed=seed + i, dropout=0.0)
        for i, (r, w) in enumerate(zip(rows, widths, strict=True))
    ]
    concat_size = sum(widths)
    mix: Model[Any, Any] = with_array(Maxout(width, concat_size, nP=3, dropout=0.0, normalize=True))
    model: Model[list[Doc], list[Floats2d]] = chain(
        char_feature_extractor(features),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        mix,
        ragged2list(),
    )
    model.set_dim("nO", width)
    model.attrs["features"] = tuple(features)
    return model
