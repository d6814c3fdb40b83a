"""The one place names are normalised, for matching, scoring and IRI keys (docs/annotation.md, "Scoring")."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import opencc

_QUOTES = "“”‘’\"'「」『』《》〈〉﹁﹂﹃﹄〝〞„‟‹›«»"
_QUOTE_RE = re.compile("[" + re.escape(_QUOTES) + "]")
_SPACE_RE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "［": "[", "］": "]", "【": "[", "】": "]", "〔": "[",
                           "〕": "]", "｛": "{", "｝": "}", "〖": "[", "〗": "]"})


@lru_cache(maxsize=1)
def _t2s() -> Any:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters mapped to simplified, keeping the length (and so every offset) unchanged."""
    if not text:
        return text
    converted: str = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length: fall back to character by character, which cannot.
    return "".join(c2 if len(c2 := _t2s().convert(ch)) == 1 else ch for ch in text)


@lru_cache(maxsize=1 << 16)
def normalize_name(name: str) -> str:
    """NFKC, no whitespace, no quotation or title marks, ASCII brackets, simplified characters (cached: the
    same few thousand names come back in every document)."""
    text = unicodedata.normalize("NFKC", name)
    text = _SPACE_RE.sub("", text)
    text = _QUOTE_RE.sub("", text)
    text = text.translate(_BRACKETS)
    return to_simplified(text)
