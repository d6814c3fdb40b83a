"""The components' views of a Doc, made once per doc: its text, its matching text, its token offsets.

The text helpers that need no spaCy are in :mod:`kg.core.text`.
"""

from __future__ import annotations

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc

from kg.core.text import match_text
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc."""
    if doc._.kg_text is None:
        doc._.kg_text = doc.text
    text: str = doc._.kg_text
    return text


def get_match_text(doc: Doc) -> str:
    """:func:`match_text` of the doc's text, made once per doc."""
    if doc._.kg_match_text is None:
        doc._.kg_match_text = match_text(doc_text(doc))
    text: str = doc._.kg_match_text
    return text


def token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Where each jieba word starts and where it ends, in token order (read without making Token objects)."""
    if doc._.kg_token_offsets is None:
        array = doc.to_array([IDX, LENGTH])
        doc._.kg_token_offsets = (array[:, 0].tolist(), (array[:, 0] + array[:, 1]).tolist())
    offsets: tuple[list[int], list[int]] = doc._.kg_token_offsets
    return offsets


def token_bounds(doc: Doc) -> tuple[frozenset[int], frozenset[int]]:
    """The character offsets where jieba words start and where they end.

    Each set also holds the text's end.
    """
    if doc._.kg_token_bounds is None:
        starts, ends = token_offsets(doc)
        end = len(doc_text(doc))
        doc._.kg_token_bounds = (frozenset([*starts, end]), frozenset([*ends, end]))
    bounds: tuple[frozenset[int], frozenset[int]] = doc._.kg_token_bounds
    return bounds
