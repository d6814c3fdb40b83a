"""Text helpers that need no spaCy: the matching view of a text, sentence offsets, masks.

The pipeline (kg.nlp) and the RDF writer (kg.rdf) both use them; offsets are always character offsets into
the text given.
"""

from __future__ import annotations

import re
import unicodedata

from kg.core.normalize import to_simplified

__all__ = ["CharMask", "map_span", "mask", "match_text", "reflow", "sentence_offsets"]

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


# -- hard-wrapped text ------------------------------------------------------------------------------------
_CJK_CHAR = r"[\u3400-\u9fff\uf900-\ufaff“”‘’《》（）、，]"
#: a line break inside a sentence: a CJK character (or CJK punctuation that continues a sentence), the break
#: with the indentation around it, a CJK character
_WRAP = re.compile(rf"(?<={_CJK_CHAR})[ \t\u3000]*\n[ \t\u3000]*(?={_CJK_CHAR})")
#: a line that is only a page number: 12, - 12 -, —12—, 第12页
_PAGE_LINE = re.compile(r"(?m)^[ \t\u3000]*(?:[-—－–]+[ \t\u3000]*\d{1,4}[ \t\u3000]*[-—－–]+|\d{1,4}"
                        r"|第\d{1,4}页|\d{1,4}[ \t\u3000]*/[ \t\u3000]*\d{1,4})[ \t\u3000]*\n")
#: how an item of a numbered list opens: 一、 （一） 1. 1、 （1） 第一条 第二章
_LIST_MARK = re.compile(r"[ \t\u3000]*(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]"
                        r"|\d+[、．.]|第[一二三四五六七八九十百零\d]+[条章节]|[①-⑳])")
_SENTENCE_PUNCT = re.compile(r"[。；;！？!?：:，,]")
#: a line shorter than this ends its paragraph (the wrapped lines of a paragraph are as wide as the page)
WRAP_MIN_LINE = 16


def reflow(text: str) -> tuple[str, list[int]]:
    """Join hard-wrapped lines and drop page-number lines; return the new text and where each of its
    characters was in ``text``.

    A line break is removed (with the indentation around it) where a CJK character comes before and after
    it and the line before is long (``WRAP_MIN_LINE`` characters or more, leading indentation not counted):
    the width of a page. A break stays before a line that opens a numbered item (一、 （一） 1. 第二条) and
    after a heading (a line that opens with such a mark and has no sentence punctuation). Lines that are only
    a page number (12, - 12 -, 第3页) are dropped, so that the lines around them can join.

    ``index[k]`` is the offset in ``text`` of the k-th character of the result, and ``index[len(result)]``
    is ``len(text)``: a span ``[s, e)`` of the result is ``[index[s], index[e - 1] + 1)`` in ``text``.
    Text with nothing to join comes back unchanged, with ``index`` the identity.
    """
    drop: list[tuple[int, int]] = []
    for m in _PAGE_LINE.finditer(text):
        if m.start() > 0 and text[m.start() - 1] != "\n":
            continue
        drop.append((m.start(), m.end()))
    dropped = _apply_drops(text, drop)
    base, base_index = dropped if dropped else (text, None)
    cuts: list[tuple[int, int]] = []
    for m in _WRAP.finditer(base):
        line_start = base.rfind("\n", 0, m.start()) + 1
        line = base[line_start:m.start()].strip(" \t\u3000")
        if len(line) < WRAP_MIN_LINE:
            continue
        if _LIST_MARK.match(line) and not _SENTENCE_PUNCT.search(line):
            continue  # a heading: 一、加快建设智慧林业立体感知体系
        if _LIST_MARK.match(base, m.end()):
            continue  # the next line opens a new item
        cuts.append((m.start(), m.end()))
    if not cuts and base_index is None:
        return text, list(range(len(text) + 1))
    joined = _apply_drops(base, cuts) or (base, list(range(len(base) + 1)))
    out, index = joined
    if base_index is not None:
        index = [base_index[k] for k in index]
    return out, index


def _apply_drops(text: str, drops: list[tuple[int, int]]) -> tuple[str, list[int]] | None:
    """``text`` without the (sorted, disjoint) spans of ``drops``, and the offset of each kept character."""
    if not drops:
        return None
    parts: list[str] = []
    index: list[int] = []
    pos = 0
    for s, e in drops:
        parts.append(text[pos:s])
        index.extend(range(pos, s))
        pos = e
    parts.append(text[pos:])
    index.extend(range(pos, len(text)))
    index.append(len(text))
    return "".join(parts), index


def map_span(index: list[int], start: int, end: int) -> tuple[int, int]:
    """A span of reflowed text as a span of the text it came from (``index`` from :func:`reflow`)."""
    if end <= start:
        return index[start], index[start]
    return index[start], index[end - 1] + 1


def last_of(text: str, chars: str, end: int, start: int = 0) -> int:
    """``max(text.rfind(c, start, end) for c in chars)``: where the last of ``chars`` before ``end`` is (-1:
    none), each search only after the last found so far (a mark the text lacks is not looked for back to its
    start; put the commonest first)."""
    best = -1
    for c in chars:
        k = text.rfind(c, max(best + 1, start), end)
        if k > best:
            best = k
    return best


def first_of(text: str, chars: str, start: int) -> int:
    """``min`` of ``text.find(c, start)`` over ``chars`` found, or ``len(text)``: where the first of ``chars``
    from ``start`` is, each search only up to the first found so far."""
    best = len(text)
    for c in chars:
        k = text.find(c, start, best)
        if k >= 0:
            best = k
    return best
