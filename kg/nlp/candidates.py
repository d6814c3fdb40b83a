"""Entity candidates: what each recogniser proposes, before the merger decides.

Recognisers (lexicon, patterns, the trained model) never write ``doc.ents`` themselves. Each appends
``Candidate`` records, in character offsets of ``doc.text``, to ``doc._.kg_candidates``; the ``kg_merge``
component resolves overlaps by a fixed precedence and only then creates token-aligned spans.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)

#: Which source wins when candidates overlap, highest first (see kg/nlp/merge.py for the reasons).
SOURCES = ("pattern", "lexicon", "lac", "model")


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    label: str
    source: str  # one of SOURCES
    score: float = 1.0
    #: canonical name when the recogniser knows it (lexicon entries), else None
    name: str | None = None


def candidates(doc: Doc) -> list[Candidate]:
    """The document's candidate list, created on first use."""
    if doc._.kg_candidates is None:
        doc._.kg_candidates = []
    out: list[Candidate] = doc._.kg_candidates
    return out
