"""``kg_merge``: decide among the recognisers' candidates and write the document's entity mentions.

Precedence, and why:

1. Rule candidates (``pattern``, ``lexicon``) before LAC's names (``lac``, kg/nlp/lac.py), and both before the
   trained char-CNN model. The rules encode the genre's naming
   shapes and a curated lexicon; the model was trained on general news (CLUENER) and marks, for instance,
   "河南省委社会工作部部长" as one POST. The model only fills gaps that no rule candidate touches, and only
   above ``min_model_score``.
2. Among rule candidates the longer span wins (河南省委社会工作部 over 河南省 inside it); on equal length the
   pattern wins over the lexicon, then the earlier start.
3. One exception to 1: a LAC ORG (its shape already checked by kg.nlp.lac.LacNames: a strong body suffix) that
   holds a rule PLACE or ORG opening where it opens is the longer body name (河南省委 + 社会工作部, 北京市 +
   教育委员会): it joins the rule candidates, and wins there by its length.
4. A rule MECHANISM, PROGRAM, GROUP or EVENT with exactly the span of a LAC PLACE is dropped (the patterns'
   list distribution makes 济南市 a MECHANISM in "鼓励济南市、青岛市建设…平台").
5. LAC's other names fill gaps no rule candidate touches, before the char-CNN model's.
6. A METRIC may sit inside another entity (七项 in 七项协调机制): figures are kept beside the names they
   count.

The result goes to ``doc._.kg_mentions`` (character offsets, every mention kept) and, where the jieba tokens
allow it, to ``doc.ents``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba.posseg
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.core.lexicon import Lexicon, load_lexicon, read_list
from kg.core.resources import ontology_path
from kg.core.text import CharMask
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)
from kg.nlp.candidates import Candidate, candidates
from kg.nlp.text import doc_text

_RANK = {"pattern": 0, "lexicon": 1, "lac": 2, "model": 3}


@dataclass(frozen=True)
class Mention:
    """One entity mention: ``[start, end)`` in ``doc.text``, its label, and what its recogniser knew."""

    start: int
    end: int
    label: str
    source: str
    score: float = 1.0
    name: str | None = None  # canonical name (lexicon) or METRIC "value\x1funit"


def select(cands: list[Candidate], *, min_model_score: float = 0.5,
           shape: Callable[[Candidate], bool] | None = None) -> list[Mention]:
    """The non-overlapping choice among candidates (METRIC aside), in text order.

    Text outside the document's body never reaches the recognisers: kg.nlp.extract masks it first.
    """
    rules = [c for c in cands if c.source in ("pattern", "lexicon") and c.end > c.start]
    model = [c for c in cands if c.source == "model" and c.score >= min_model_score and c.end > c.start]
    lac = [c for c in cands if c.source == "lac" and c.end > c.start]
    if lac:
        places = {(c.start, c.end) for c in lac if c.label == "PLACE"}
        rules = [c for c in rules if c.label not in _NOT_PLACES or (c.start, c.end) not in places]
        promoted = _longer_bodies(lac, rules)
        rules.extend(promoted)
        lac = [c for c in lac if c not in promoted]
    size = max((c.end for c in cands), default=0)
    chosen: list[Candidate] = []
    taken, metric_taken = CharMask(size), CharMask(size)
    for c in sorted((c for c in rules if c.label == "METRIC"), key=lambda c: (-(c.end - c.start), c.start)):
        if not metric_taken.overlaps(c.start, c.end):
            chosen.append(c)
            metric_taken.take(c.start, c.end)
    others = sorted((c for c in rules if c.label != "METRIC"),
                    key=lambda c: (-(c.end - c.start), _RANK[c.source], c.start, c.label))
    for c in others:
        if not taken.overlaps(c.start, c.end):
            chosen.append(c)
            taken.take(c.start, c.end)
    for c in sorted(lac, key=lambda c: (-(c.end - c.start), c.start)):
        if not taken.overlaps(c.start, c.end) and not metric_taken.overlaps(c.start, c.end):
            chosen.append(c)
            taken.take(c.start, c.end)
    for c in sorted(model, key=lambda c: (-c.score, c.start)):
        if shape is not None and not shape(c):
            continue
        if not taken.overlaps(c.start, c.end) and not metric_taken.overlaps(c.start, c.end):
            chosen.append(c)
            taken.take(c.start, c.end)
    chosen.sort(key=lambda c: (c.start, -c.end))
    return [Mention(c.start, c.end, c.label, c.source, c.score, c.name) for c in chosen]


#: Labels of a rule candidate that a LAC PLACE of exactly its span overrules (济南市 is no MECHANISM).
_NOT_PLACES = frozenset({"MECHANISM", "PROGRAM", "GROUP", "EVENT"})


def _longer_bodies(lac: list[Candidate], rules: list[Candidate]) -> list[Candidate]:
    """LAC ORGs that hold a rule PLACE or ORG opening at their own start and ending before their end."""
    openings: dict[int, int] = {}
    for c in rules:
        if c.label in ("PLACE", "ORG"):
            openings[c.start] = max(openings.get(c.start, 0), c.end)
    return [c for c in lac if c.label == "ORG" and c.start in openings and openings[c.start] < c.end]


class ModelShape:
    """Whether a model candidate has the shape of its label in this genre.

    The model was trained on general news; on governance prose it also tags fragments (革发展, 基层治).
    A model ORG must end with a body suffix, a PERSON must open with a surname and be two to four characters
    (two only before a cue such as 同志 or a post title), a POST must end with a known title, a PLACE must be
    at least two characters.
    """

    def __init__(self, lexicon: Lexicon, lexicon_dir: Path) -> None:
        self.org_suffixes = tuple(s for s in lexicon.org_suffixes if len(s) >= 2)
        self.posts = tuple(t.name for t in lexicon.terms if t.label == "POST")
        self.surnames = {w for line in read_list(lexicon_dir / "surnames.txt") for w in line.split()}
        self.text = ""
        #: kg_ner's gate: what its word tests found of each word seen (kg.nlp.statistical._word_flags); one
        #: entry per distinct jieba word, so it grows with the vocabulary, not with the corpus
        self.gate_flags: dict[str, int] = {}

    def __call__(self, c: Candidate) -> bool:
        surface = self.text[c.start:c.end]
        if c.label == "ORG":
            return len(surface) >= 3 and surface.endswith(self.org_suffixes)
        if c.label == "PERSON":
            return self.person_like(surface) and self.person_cued(self.text, c.start, c.end)
        if c.label == "POST":
            return surface.endswith(self.posts)
        return len(surface) >= 2 and surface[-1] in PLACE_ENDINGS

    def person_like(self, surface: str) -> bool:
        """The PERSON shape: two to four characters, opening with a surname, not an ordinary word."""
        return person_like(surface, self.surnames)

    def person_cued(self, text: str, start: int, end: int) -> bool:
        """Whether a model PERSON at ``text[start:end]`` has the context its length needs: none for three
        characters or more; for two, a name cue beside it: a post title before it (书记王浩), or after it a
        post title or one of :data:`NAME_CUES` (罗素教授, 李强总理, 王东说).

        In these texts most two-character words that open with a surname and that jieba's dictionary tags as
        names are ordinary words (施政, 周密, 黄麻, 宁可, 陈规).
        """
        return (end - start > 2 or text.startswith(NAME_CUES, end) or text.startswith(self.posts, end)
                or text.endswith(self.posts, 0, start))


#: What follows a person's name, and makes a two-character model PERSON credible (毛泽东同志, 罗素教授, 他说):
#: forms of address and verbs of saying.
NAME_CUES = ("同志", "先生", "女士", "教授", "博士", "院士", "将军", "元帅", "烈士", "说", "指出", "强调")


#: jieba tags of a word that is itself a name (place, person, organisation, other proper name)
NAME_TAGS = ("ns", "nr", "nt", "nz")


def person_like(surface: str, surnames: AbstractSet[str], *, given_min: int = 1) -> bool:
    """Two to four characters opening with a surname, and not an ordinary word that happens to (施工, 关于,
    张浪费 = 张 + 浪费).

    Four characters are two ordinary words (a phrase) unless a compound surname opens them or a half is
    a name or unknown to jieba (赫鲁/晓夫). Otherwise jieba must tag the whole a person name (nr), or not
    know it; then its given name (what follows the surname), if it has at least ``given_min`` characters,
    must be tagged a name or unknown as well. A one-character given name is most often a dictionary word on
    its own (王东 = 王 + 东/ns): where the context says a name follows (after a post title) ``given_min=2``
    leaves it untested.
    """
    if not (2 <= len(surface) <= 4 and (surface[0] in surnames or surface[:2] in surnames)):
        return False
    tags = jieba_tags()
    if len(surface) == 4 and surface[:2] not in surnames and all(
            (t := tags.get(half)) is not None and not t.startswith(NAME_TAGS)
            for half in (surface[:2], surface[2:])):
        return False  # two ordinary words: a phrase (严格/执行, 明显/改善), even where jieba tags it nr
    tag = tags.get(surface)
    if tag is not None:
        return tag.startswith("nr")
    given = surface[1:] if surface[0] in surnames else surface[2:]
    if len(given) < given_min:
        return True
    given_tag = tags.get(given)
    return given_tag is None or given_tag.startswith("nr")


PLACE_ENDINGS = frozenset("省市县区州盟旗镇乡村岛湾江河湖山海峡港")


@lru_cache(maxsize=1)
def jieba_tags() -> dict[str, str]:
    """jieba's word -> part-of-speech table (``word_tag_tab``), loaded once per process; read by kg_merge,
    kg_patterns, kg_lexicon's gazetteer, kg_lac and kg_ner's gate. A dictionary look-up per word: nothing is
    tagged per document (``jieba.posseg.cut`` would run the HMM again over the text)."""
    tags: dict[str, str] = jieba.posseg.dt.word_tag_tab
    return tags


class Merger:
    def __init__(self, *, min_model_score: float, lexicon_dir: str | None = None) -> None:
        self.min_model_score = min_model_score
        directory = Path(lexicon_dir) if lexicon_dir else ontology_path("lexicon")
        self.shape = ModelShape(load_lexicon(directory), directory)

    def __call__(self, doc: Doc) -> Doc:
        self.shape.text = doc_text(doc)
        mentions = select(candidates(doc), min_model_score=self.min_model_score, shape=self.shape)
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


@Language.factory("kg_merge", default_config={"min_model_score": 0.5, "lexicon_dir": None},
                  requires=["doc._.kg_candidates"], assigns=["doc.ents", "doc._.kg_mentions"])
def make_merger(nlp: Language, name: str, min_model_score: float, lexicon_dir: str | None) -> Merger:
    return Merger(min_model_score=min_model_score, lexicon_dir=lexicon_dir)


__all__ = ["Mention", "Merger", "jieba_tags", "select"]
