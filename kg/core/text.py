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


def sentence_offsets(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence: split after 。！？；!?; and at line breaks, whitespace trimmed."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        end = m.end() if text[m.start()] != "\n" else m.start()
        _append_trimmed(text, start, end, out)
        start = m.end()
    _append_trimmed(text, start, len(text), out)
    return out


def _append_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
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
