"""Text helpers that need no spaCy: the matching view of a text, sentence offsets, masks.

The pipeline (kg.nlp) and the RDF writer (kg.rdf) both use them; offsets are always character offsets into
the text given.
"""

from __future__ import annotations

import re
import unicodedata

from kg.core.normalize import to_simplified

__all__ = ["CharMask", "mask", "match_text", "sentence_offsets"]

_SENT_END = re.compile(r"[。！？；!?;]+[”’」』]?|\n+")
#: The longest sentence the components see. A longer run of text without 。！？； or a line break (the longest
#: real sentence of the corpora is 1,467 characters) is cut into pieces of at most this many characters, at
#: the last comma-like mark of each piece when there is one in its second half: relation extraction pairs
#: the mentions of a sentence, so one 2 MB unpunctuated line would otherwise take minutes.
MAX_SENTENCE_CHARS = 2000
_CUT_MARKS = "，,、：:"


def match_text(text: str) -> str:
    """The text as recognisers see it: simplified characters and half-width forms, same length as ``text``.

    Offsets found in the result are offsets into ``text``: each character maps to one character.
    """
    return to_simplified(text.translate(_NFKC_CHAR))


class _NFKCChar(dict):  # type: ignore[type-arg]
    """``str.translate`` table: a character to its NFKC form when that is one character, filled on use."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        n = unicodedata.normalize("NFKC", ch)
        self[code] = value = n if len(n) == 1 else ch
        return value


_NFKC_CHAR = _NFKCChar()


class CharMask:
    """Characters of a text marked as taken, one byte each: an overlap test as long as the span tested."""

    def __init__(self, size: int) -> None:
        self.mask = bytearray(size)

    def overlaps(self, start: int, end: int) -> bool:
        """True if a character of ``[start, end)`` is taken."""
        return self.mask.find(1, start, end) >= 0

    def take(self, start: int, end: int) -> None:
        self.mask[start:end] = b"\x01" * (end - start)


def sentence_offsets(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence: split after 。！？；!?; and at line breaks, whitespace trimmed.

    A sentence longer than ``max_chars`` is cut into pieces no longer (see :data:`MAX_SENTENCE_CHARS`).
    """
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if text[m.start()] != "\n" else m.start()
        _append_trimmed(text, start, end, out, max_chars)
        start = m.end()
    _append_trimmed(text, start, len(text), out, max_chars)
    return out


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]], max_chars: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > max_chars:  # an over-long sentence: cut after a comma-like mark, else hard
        cut = max(text.rfind(mark, start + max_chars // 2, start + max_chars) for mark in _CUT_MARKS)
        piece_end = cut + 1 if cut >= 0 else start + max_chars
        _append_trimmed(text, start, piece_end, out, max_chars)
        start = piece_end
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append((start, end))


def mask(text: str, keep: tuple[tuple[int, int], ...]) -> str:
    """``text`` with everything outside ``keep`` replaced by spaces (newlines kept), so offsets stay valid."""
    if keep == ((0, len(text)),):
        return text
    chars = [c if c == "\n" else " " for c in text]
    for s, e in keep:
        chars[s:e] = text[s:e]
    return "".join(chars)
