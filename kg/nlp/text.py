"""Text helpers shared by the components: a matching view of the text and sentence offsets."""

from __future__ import annotations

import re
import unicodedata

from kg.normalize import to_simplified

_SENT_END = re.compile(r"[。！？；!?;]+[”’」』]?|\n+")
_CLAUSE_END = re.compile(r"[，,：:、]")


def match_text(text: str) -> str:
    """The text as recognisers see it: simplified characters and half-width forms, same length as ``text``.

    Offsets found in the result are offsets into ``text``: each character maps to one character.
    """
    chars = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        chars.append(n if len(n) == 1 else ch)
    return to_simplified("".join(chars))


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
