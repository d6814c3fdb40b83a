"""``kg_merge``: decide among the recognisers' candidates and write the document's entity mentions.

Precedence, and why:

1. Rule candidates (``pattern``, ``lexicon``) before the trained model. The rules encode the genre's naming
   shapes and a curated lexicon; the model was trained on general news (CLUENER) and marks, for instance,
   "河南省委社会工作部部长" as one POST. The model only fills gaps that no rule candidate touches, and only above
   ``min_model_score``.
2. Among rule candidates the longer span wins (河南省委社会工作部 over 河南省 inside it); on equal length the
   pattern wins over the lexicon, then the earlier start.
3. A METRIC may sit inside another entity (七项 in 七项协调机制): figures are kept beside the names they count.

The result goes to ``doc._.kg_mentions`` (character offsets, every mention kept) and, where the jieba tokens
allow it, to ``doc.ents``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.candidates import Candidate, candidates
from kg.nlp.text import mask

if not Doc.has_extension("kg_mentions"):
    Doc.set_extension("kg_mentions", default=None)
if not Doc.has_extension("kg_content"):
    Doc.set_extension("kg_content", default=None)

_RANK = {"pattern": 0, "lexicon": 1, "model": 2}


@dataclass(frozen=True)
class Mention:
    """One entity mention: ``[start, end)`` in ``doc.text``, its label, and what its recogniser knew."""

    start: int
    end: int
    label: str
    source: str
    score: float = 1.0
    name: str | None = None  # canonical name (lexicon) or METRIC "value\x1funit"


def _overlaps(a: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in taken)


def select(cands: list[Candidate], *, min_model_score: float = 0.5,
           content: tuple[tuple[int, int], ...] | None = None) -> list[Mention]:
    """The non-overlapping choice among candidates (METRIC aside), in text order."""
    def inside(c: Candidate) -> bool:
        return content is None or any(s <= c.start and c.end <= e for s, e in content)

    rules = [c for c in cands if c.source != "model" and c.end > c.start and inside(c)]
    model = [c for c in cands if c.source == "model" and c.score >= min_model_score and inside(c)]
    chosen: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    metric_taken: list[tuple[int, int]] = []
    for c in sorted((c for c in rules if c.label == "METRIC"), key=lambda c: (-(c.end - c.start), c.start)):
        if not _overlaps((c.start, c.end), metric_taken):
            chosen.append(c)
            metric_taken.append((c.start, c.end))
    others = sorted((c for c in rules if c.label != "METRIC"),
                    key=lambda c: (-(c.end - c.start), _RANK[c.source], c.start, c.label))
    for c in others:
        if not _overlaps((c.start, c.end), taken):
            chosen.append(c)
            taken.append((c.start, c.end))
    for c in sorted(model, key=lambda c: (-c.score, c.start)):
        span = (c.start, c.end)
        if not _overlaps(span, taken) and not _overlaps(span, metric_taken):
            chosen.append(c)
            taken.append(span)
    chosen.sort(key=lambda c: (c.start, -c.end))
    return [Mention(c.start, c.end, c.label, c.source, c.score, c.name) for c in chosen]


class Merger:
    def __init__(self, *, min_model_score: float) -> None:
        self.min_model_score = min_model_score

    def __call__(self, doc: Doc) -> Doc:
        content = doc._.kg_content
        mentions = select(candidates(doc), min_model_score=self.min_model_score, content=content)
        doc._.kg_mentions = mentions
        spans: list[Span] = []
        last_end = 0
        for m in mentions:
            span = doc.char_span(m.start, m.end, label=m.label)
            if span is not None and span.start >= last_end:
                spans.append(span)
                last_end = span.end
        doc.ents = spans
        return doc


@Language.factory("kg_merge", default_config={"min_model_score": 0.5})
def make_merger(nlp: Language, name: str, min_model_score: float) -> Merger:
    return Merger(min_model_score=min_model_score)


__all__ = ["Mention", "Merger", "select", "mask"]
