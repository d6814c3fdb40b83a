"""Score extractions against gold annotations, as docs/annotation.md ("Scoring") lays down.

Reading::

    gold = load_extractions(Path("gold.jsonl"))     # doc_id -> Extraction; GoldError on bad input
    pred = load_extractions(Path("pred.jsonl"))
    report = evaluate(gold, pred)
    print(report.format_table())
    report.to_json()                                 # the same numbers, plus errors per document

Four kinds of figure are reported, each per label and overall (micro-averaged), per document and for
the whole set:

``entities_strict``
    same label and a normalised name or alias in common; METRIC on equal value and unit.
``entities_relaxed``
    also accepts a predicted name that contains the gold name or is contained in it, when the shorter
    is at least two thirds of the longer.
``relations_strict``
    relations scored on the *strict* entity alignment: same label, the predicted head and tail aligned
    to the gold head and tail (either order for ``cooperatesWith``); ``post`` is not scored.
``relations_relaxed``
    the same, on the relaxed entity alignment.

Mention-level scoring for span-annotated corpora is :func:`mention_score`.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from kg.core.errors import GoldError
from kg.core.normalize import normalize_name
from kg.core.records import ENTITY_LABELS, RELATION_LABELS, Entity, Extraction, Relation

KINDS = ("entities_strict", "entities_relaxed", "relations_strict", "relations_relaxed")
_KIND_TITLES = {
    "entities_strict": "entities (strict)",
    "entities_relaxed": "entities (relaxed: containment, shorter >= 2/3 of longer)",
    "relations_strict": "relations (on strict entity alignment)",
    "relations_relaxed": "relations (on relaxed entity alignment)",
}
_SYMMETRIC_RELATIONS = frozenset({"cooperatesWith"})
_LABEL_ORDER = {label: i for i, label in enumerate(ENTITY_LABELS + RELATION_LABELS)}

# Match tiers, best first: the matching fills tier 0 first, then lets tier 1, then tier 2, add pairs.
_EXACT, _ALIAS, _CONTAINS = 0, 1, 2


# --------------------------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class Score:
    """Counts and the precision, recall and F1 they give (0.0 wherever a denominator is 0)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True)
class LabelScores:
    """Scores per label (only labels seen in gold or predictions), and their micro average."""

    by_label: Mapping[str, Score]

    @classmethod
    def from_counts(cls, tp: Counter[str], fp: Counter[str], fn: Counter[str]) -> LabelScores:
        labels = sorted(set(tp) | set(fp) | set(fn), key=_label_key)
        return cls({label: Score(tp[label], fp[label], fn[label]) for label in labels})

    def __getitem__(self, label: str) -> Score:
        return self.by_label.get(label, Score())

    def __add__(self, other: LabelScores) -> LabelScores:
        labels = sorted(set(self.by_label) | set(other.by_label), key=_label_key)
        return LabelScores({label: self[label] + other[label] for label in labels})

    @property
    def overall(self) -> Score:
        """Micro average: the counts summed over labels."""
        return sum(self.by_label.values(), Score())

    def to_json(self) -> dict[str, Any]:
        return {
            "by_label": {label: score.to_json() for label, score in self.by_label.items()},
            "overall": self.overall.to_json(),
        }


def _label_key(label: str) -> tuple[int, str]:
    return (_LABEL_ORDER.get(label, len(_LABEL_ORDER)), label)


# --------------------------------------------------------------------------------------------- errors


class EntityRef(NamedTuple):
    label: str
    name: str


class RelationRef(NamedTuple):
    label: str
    head: str
    tail: str


class NearMiss(NamedTuple):
    """A pair the relaxed score accepts and the strict one does not."""

    label: str
    gold: str
    predicted: str


@dataclass(frozen=True)
class DocErrors:
    """What one document got wrong, on the strict alignment, for error analysis."""

    missed_entities: tuple[EntityRef, ...] = ()
    spurious_entities: tuple[EntityRef, ...] = ()
    missed_relations: tuple[RelationRef, ...] = ()
    spurious_relations: tuple[RelationRef, ...] = ()
    near_misses: tuple[NearMiss, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "missed_entities": [e._asdict() for e in self.missed_entities],
            "spurious_entities": [e._asdict() for e in self.spurious_entities],
            "missed_relations": [r._asdict() for r in self.missed_relations],
            "spurious_relations": [r._asdict() for r in self.spurious_relations],
            "near_misses": [m._asdict() for m in self.near_misses],
        }


@dataclass(frozen=True)
class DocScores:
    entities_strict: LabelScores
    entities_relaxed: LabelScores
    relations_strict: LabelScores
    relations_relaxed: LabelScores
    errors: DocErrors

    def kind(self, kind: str) -> LabelScores:
        if kind not in KINDS:
            raise KeyError(kind)
        scores: LabelScores = getattr(self, kind)
        return scores

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {kind: self.kind(kind).to_json() for kind in KINDS}
        out["errors"] = self.errors.to_json()
        return out


@dataclass(frozen=True)
class Report:
    """The whole-set figures (summed over documents), each document's figures and errors."""

    documents: Mapping[str, DocScores]
    entities_strict: LabelScores
    entities_relaxed: LabelScores
    relations_strict: LabelScores
    relations_relaxed: LabelScores
    missing_pred_docs: tuple[str, ...] = ()
    unmatched_pred_docs: tuple[str, ...] = ()

    def kind(self, kind: str) -> LabelScores:
        if kind not in KINDS:
            raise KeyError(kind)
        scores: LabelScores = getattr(self, kind)
        return scores

    def errors(self, doc_id: str) -> DocErrors:
        """Missed and spurious entities and relations of one gold document (KeyError if not in gold)."""
        return self.documents[doc_id].errors

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "missing_pred_docs": list(self.missing_pred_docs),
            "unmatched_pred_docs": list(self.unmatched_pred_docs),
            "overall": {kind: self.kind(kind).to_json() for kind in KINDS},
            "per_document": {doc_id: doc.to_json() for doc_id, doc in self.documents.items()},
        }

    def format_table(self, *, per_document: bool = False) -> str:
        """One block per kind, a row per label, then "overall"; optionally a block of per-document F1."""
        lines = [
            f"{len(self.documents)} gold documents; {len(self.missing_pred_docs)} missing from the "
            f"predictions (all false negatives); {len(self.unmatched_pred_docs)} predicted documents "
            "not in gold (ignored)"
        ]
        header = f"  {'label':<18}{'tp':>6}{'fp':>6}{'fn':>6}{'prec':>8}{'rec':>8}{'f1':>8}"
        for kind in KINDS:
            scores = self.kind(kind)
            lines += ["", _KIND_TITLES[kind], header]
            rows = [*scores.by_label.items(), ("overall", scores.overall)]
            for label, s in rows:
                lines.append(
                    f"  {label:<18}{s.tp:>6}{s.fp:>6}{s.fn:>6}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}"
                )
        if per_document and self.documents:
            width = max(12, *(len(d) for d in self.documents)) + 2
            lines += ["", "per document (overall F1)",
                      f"  {'doc_id':<{width}}{'ent':>8}{'ent~':>8}{'rel':>8}{'rel~':>8}"]
            for doc_id, doc in self.documents.items():
                f1s = "".join(f"{doc.kind(kind).overall.f1:>8.3f}" for kind in KINDS)
                lines.append(f"  {doc_id:<{width}}{f1s}")
        return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------- evaluate


def evaluate(gold: Mapping[str, Extraction], pred: Mapping[str, Extraction]) -> Report:
    """Score ``pred`` against ``gold`` as docs/annotation.md lays down.

    Entities: each gold entity is matched at most once, and so is each prediction. The matching is a
    deterministic maximum matching: a bipartite matching (Kuhn's augmenting paths, predictions in
    document order, candidate gold entities in document order) is first built from exact-name pairs
    (the two normalised names equal; for METRIC, equal value and unit *and* equal names), then grown
    with alias pairs (any name or alias in common; METRIC: equal value and unit, whatever the name),
    and, for the relaxed score only, with containment pairs. Growing only ever adds pairs, so the
    result has the largest possible number of matches, and exact pairs are kept unless giving one up
    is the only way to match one more entity. Two predictions with the same name thus credit one gold
    entity once, the other is a false positive. A METRIC without a value on either side is matched
    by name like any other entity. Units are compared after :func:`normalize_name` too.

    Relations are scored on the strict entity alignment (``relations_strict``) and, as a second
    figure, on the relaxed one (``relations_relaxed``): a predicted relation is a true positive when
    its label is the gold label and its head and tail are aligned to the gold head and tail (either
    order for cooperatesWith). ``post`` is not scored. A predicted relation whose head or tail was not
    aligned to any gold entity is a false positive; each gold relation is credited at most once.

    Gold documents absent from ``pred`` count as all false negatives (``missing_pred_docs``);
    predicted documents absent from gold are ignored and listed in ``unmatched_pred_docs``.
    """
    documents: dict[str, DocScores] = {}
    for doc_id in sorted(gold):
        documents[doc_id] = _score_document(gold[doc_id], pred.get(doc_id) or Extraction(doc_id=doc_id))
    totals = {kind: sum((d.kind(kind) for d in documents.values()), LabelScores({})) for kind in KINDS}
    return Report(
        documents=documents,
        missing_pred_docs=tuple(d for d in sorted(gold) if d not in pred),
        unmatched_pred_docs=tuple(d for d in sorted(pred) if d not in gold),
        **totals,
    )


def _score_document(gold: Extraction, pred: Extraction) -> DocScores:
    g_entities, p_entities = gold.entities, pred.entities
    g_forms = [_surface_forms(e) for e in g_entities]
    p_forms = [_surface_forms(e) for e in p_entities]
    candidates = [
        sorted(
            (tier, gi)
            for gi, g in enumerate(g_entities)
            if (tier := _match_tier(p, p_forms[pi], g, g_forms[gi])) is not None
        )
        for pi, p in enumerate(p_entities)
    ]
    strict = _max_matching(candidates, max_tier=_ALIAS)
    relaxed = _max_matching(candidates, max_tier=_CONTAINS)

    ent_strict = _entity_scores(g_entities, p_entities, strict)
    ent_relaxed = _entity_scores(g_entities, p_entities, relaxed)
    rel_strict, missed_rel, spurious_rel = _relation_scores(gold, pred, strict)
    rel_relaxed, _, _ = _relation_scores(gold, pred, relaxed)

    tiers = {pi: {gi: tier for tier, gi in c} for pi, c in enumerate(candidates)}
    matched_gold = set(strict.values())
    errors = DocErrors(
        missed_entities=tuple(_entity_ref(g) for gi, g in enumerate(g_entities) if gi not in matched_gold),
        spurious_entities=tuple(_entity_ref(p) for pi, p in enumerate(p_entities) if pi not in strict),
        missed_relations=missed_rel,
        spurious_relations=spurious_rel,
        near_misses=tuple(
            NearMiss(p_entities[pi].label, g_entities[gi].name, p_entities[pi].name)
            for pi, gi in sorted(relaxed.items())
            if tiers[pi][gi] == _CONTAINS
        ),
    )
    return DocScores(ent_strict, ent_relaxed, rel_strict, rel_relaxed, errors)


def _surface_forms(entity: Entity) -> frozenset[str]:
    forms = (normalize_name(s) for s in (entity.name, *entity.aliases))
    return frozenset(f for f in forms if f)


def _match_tier(pred: Entity, p_forms: frozenset[str], gold: Entity, g_forms: frozenset[str]) -> int | None:
    """How well a prediction matches a gold entity: _EXACT, _ALIAS, _CONTAINS or None."""
    if pred.label != gold.label:
        return None
    same_name = normalize_name(pred.name) == normalize_name(gold.name)
    if pred.label == "METRIC" and pred.value is not None and gold.value is not None:
        if pred.value != gold.value or normalize_name(pred.unit or "") != normalize_name(gold.unit or ""):
            return None
        return _EXACT if same_name else _ALIAS
    if same_name and p_forms:
        return _EXACT
    if p_forms & g_forms:
        return _ALIAS
    if any(_contains(p, g) for p in p_forms for g in g_forms):
        return _CONTAINS
    return None


def _contains(a: str, b: str) -> bool:
    """One contains the other and the shorter is at least two thirds of the longer (in characters)."""
    short, long = sorted((a, b), key=len)
    return short in long and 3 * len(short) >= 2 * len(long)


def _max_matching(candidates: Sequence[Sequence[tuple[int, int]]], *, max_tier: int) -> dict[int, int]:
    """Prediction index -> gold index, a maximum matching grown tier by tier (see :func:`evaluate`)."""
    pred_to_gold: dict[int, int] = {}
    gold_to_pred: dict[int, int] = {}

    def augment(pi: int, tier: int, seen: set[int]) -> bool:
        for t, gi in candidates[pi]:
            if t > tier or gi in seen:
                continue
            seen.add(gi)
            if gi not in gold_to_pred or augment(gold_to_pred[gi], tier, seen):
                gold_to_pred[gi] = pi
                pred_to_gold[pi] = gi
                return True
        return False

    for tier in range(max_tier + 1):
        for pi in range(len(candidates)):
            if pi not in pred_to_gold:
                augment(pi, tier, set())
    return pred_to_gold


def _entity_scores(
    gold: Sequence[Entity], pred: Sequence[Entity], matching: Mapping[int, int]
) -> LabelScores:
    tp: Counter[str] = Counter(gold[gi].label for gi in matching.values())
    fp: Counter[str] = Counter(p.label for pi, p in enumerate(pred) if pi not in matching)
    matched_gold = set(matching.values())
    fn: Counter[str] = Counter(g.label for gi, g in enumerate(gold) if gi not in matched_gold)
    return LabelScores.from_counts(tp, fp, fn)


def _relation_scores(
    gold: Extraction, pred: Extraction, matching: Mapping[int, int]
) -> tuple[LabelScores, tuple[RelationRef, ...], tuple[RelationRef, ...]]:
    """Relation scores on one entity alignment, with the missed and spurious relations."""
    g_index = _first_index(gold.entities)
    p_index = _first_index(pred.entities)
    remaining: Counter[tuple[str, object]] = Counter(
        _relation_key(r.label, g_index.get(r.head), g_index.get(r.tail)) for r in gold.relations
    )
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    spurious: list[RelationRef] = []
    for r in pred.relations:
        head, tail = p_index.get(r.head), p_index.get(r.tail)
        key = _relation_key(
            r.label,
            matching.get(head) if head is not None else None,
            matching.get(tail) if tail is not None else None,
        )
        if None not in _key_ends(key) and remaining[key] > 0:
            remaining[key] -= 1
            tp[r.label] += 1
        else:
            fp[r.label] += 1
            spurious.append(_relation_ref(r, pred))
    fn: Counter[str] = Counter()
    missed: list[RelationRef] = []
    for r in gold.relations:
        key = _relation_key(r.label, g_index.get(r.head), g_index.get(r.tail))
        if remaining[key] > 0:
            remaining[key] -= 1
            fn[r.label] += 1
            missed.append(_relation_ref(r, gold))
    return LabelScores.from_counts(tp, fp, fn), tuple(missed), tuple(spurious)


def _first_index(entities: Sequence[Entity]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, e in enumerate(entities):
        index.setdefault(e.id, i)
    return index


def _relation_key(label: str, head: int | None, tail: int | None) -> tuple[str, object]:
    if label in _SYMMETRIC_RELATIONS and head is not None and tail is not None:
        return (label, frozenset((head, tail)) if head != tail else (head, tail))
    return (label, (head, tail))


def _key_ends(key: tuple[str, object]) -> tuple[object, ...]:
    ends = key[1]
    return tuple(ends) if isinstance(ends, tuple | frozenset) else (ends,)


def _entity_ref(entity: Entity) -> EntityRef:
    return EntityRef(entity.label, entity.name)


def _relation_ref(relation: Relation, extraction: Extraction) -> RelationRef:
    def name(entity_id: str) -> str:
        try:
            return extraction.entity(entity_id).name
        except KeyError:
            return entity_id

    return RelationRef(relation.label, name(relation.head), name(relation.tail))


# ------------------------------------------------------------------------------------ mention scoring

Span = tuple[int, int, str]


def mention_score(pairs: Iterable[tuple[Iterable[Span], Iterable[Span]]]) -> LabelScores:
    """Mention-level scores for span-annotated corpora: ``[start, end)`` and label must match exactly.

    ``pairs`` holds one ``(gold spans, predicted spans)`` pair per document; counts are summed over
    documents (micro average). A span listed twice counts twice on its side.
    """
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold_spans, pred_spans in pairs:
        gold = Counter((int(s), int(e), label) for s, e, label in gold_spans)
        pred = Counter((int(s), int(e), label) for s, e, label in pred_spans)
        for span in gold | pred:
            hit = min(gold[span], pred[span])
            label = span[2]
            tp[label] += hit
            fp[label] += pred[span] - hit
            fn[label] += gold[span] - hit
    return LabelScores.from_counts(+tp, +fp, +fn)


# -------------------------------------------------------------------------------------------- loading


class _Bad(Exception):
    """A problem in one record; load_extractions adds the file and line."""


def load_extractions(path: Path) -> dict[str, Extraction]:
    """Read an docs/annotation.md JSON Lines file (gold or predictions): doc_id -> Extraction.

    ``mentions`` and ``evidence`` may be left out; fields this module does not know are ignored.
    Blank lines are skipped. Raises GoldError naming the file and line for anything that does not
    follow the format: malformed JSON, a missing doc_id, an unknown label, a relation pointing at an
    entity id the document does not have, a METRIC without value or unit, a duplicate doc_id.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GoldError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
        raise GoldError(f"{path}:{bad_line}: not UTF-8 ({exc.reason})") from exc

    out: dict[str, Extraction] = {}
    first_seen: dict[str, int] = {}
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}:{lineno}: malformed JSON: {exc.msg} (column {exc.colno})") from exc
        try:
            extraction = _extraction(record)
        except _Bad as exc:
            raise GoldError(f"{path}:{lineno}: {exc}") from exc
        if extraction.doc_id in first_seen:
            raise GoldError(
                f"{path}:{lineno}: duplicate doc_id {extraction.doc_id!r} "
                f"(first on line {first_seen[extraction.doc_id]})"
            )
        first_seen[extraction.doc_id] = lineno
        out[extraction.doc_id] = extraction
    return out


def _extraction(record: object) -> Extraction:
    if not isinstance(record, dict):
        raise _Bad(f"expected a JSON object, got {type(record).__name__}")
    doc_id = record.get("doc_id")
    if not isinstance(doc_id, str) or not doc_id:
        if doc_id is None:
            raise _Bad("missing doc_id")
        raise _Bad(f"doc_id must be a non-empty string, got {doc_id!r}")
    where = f"doc {doc_id!r}"
    entities = tuple(
        _entity(e, f"{where}, entity {i + 1}") for i, e in enumerate(_list(record, "entities", where))
    )
    ids: set[str] = set()
    for e in entities:
        if e.id in ids:
            raise _Bad(f"{where}: duplicate entity id {e.id!r}")
        ids.add(e.id)
    relations = tuple(
        _relation(r, f"{where}, relation {i + 1}", ids)
        for i, r in enumerate(_list(record, "relations", where))
    )
    return Extraction(doc_id=doc_id, entities=entities, relations=relations)


def _list(record: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = record.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Bad(f"{where}: {key!r} must be a list, got {type(value).__name__}")
    return value


def _entity(record: object, where: str) -> Entity:
    if not isinstance(record, dict):
        raise _Bad(f"{where}: expected a JSON object, got {type(record).__name__}")
    entity_id = _id(record.get("id"), f"{where}: id")
    where = f"{where} ({entity_id})"
    label = record.get("label")
    if label not in ENTITY_LABELS:
        raise _Bad(f"{where}: unknown entity label {label!r} (expected one of {', '.join(ENTITY_LABELS)})")
    name = record.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _Bad(f"{where}: name must be a non-empty string, got {name!r}")
    aliases = record.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise _Bad(f"{where}: aliases must be a list of strings")
    mentions = tuple(_offsets(m, f"{where}: mention") for m in _list(record, "mentions", where))
    value = unit = None
    if label == "METRIC":
        value = _decimal(record.get("value"), f"{where} {name!r}")
        unit = record.get("unit")
        if not isinstance(unit, str) or not unit.strip():
            raise _Bad(f"{where} {name!r}: METRIC needs a unit (a non-empty string), got {unit!r}")
    name_en = record.get("name_en")
    if name_en is not None and not isinstance(name_en, str):
        raise _Bad(f"{where}: name_en must be a string, got {name_en!r}")
    return Entity(
        id=entity_id,
        label=label,
        name=name,
        aliases=tuple(aliases),
        mentions=mentions,
        value=value,
        unit=unit,
        name_en=name_en or None,
        confidence=_confidence(record.get("confidence"), where),
    )


def _relation(record: object, where: str, entity_ids: set[str]) -> Relation:
    if not isinstance(record, dict):
        raise _Bad(f"{where}: expected a JSON object, got {type(record).__name__}")
    label = record.get("label")
    if label not in RELATION_LABELS:
        known = ", ".join(RELATION_LABELS)
        raise _Bad(f"{where}: unknown relation label {label!r} (expected one of {known})")
    ends = []
    for end in ("head", "tail"):
        entity_id = _id(record.get(end), f"{where} ({label}): {end}")
        if entity_id not in entity_ids:
            raise _Bad(f"{where} ({label}): {end} points at missing entity id {entity_id!r}")
        ends.append(entity_id)
    post = record.get("post")
    if post is not None and not isinstance(post, str):
        raise _Bad(f"{where} ({label}): post must be a string, got {post!r}")
    evidence = record.get("evidence")
    sentence = record.get("sentence")
    return Relation(
        label=label,
        head=ends[0],
        tail=ends[1],
        evidence=None if evidence is None else _offsets(evidence, f"{where}: evidence"),
        sentence=None if sentence is None else _offsets(sentence, f"{where}: sentence"),
        post=post or None,
        confidence=_confidence(record.get("confidence"), where),
    )


def _id(value: object, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise _Bad(f"{where} must be a non-empty string, got {value!r}")
    return str(value)


def _offsets(value: object, where: str) -> tuple[int, int]:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] <= value[1]
    ):
        return (value[0], value[1])
    raise _Bad(f"{where} must be [start, end) with 0 <= start <= end, got {value!r}")


def _decimal(value: object, where: str) -> Decimal:
    if value is None:
        raise _Bad(f"{where}: METRIC needs a value (a number)")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Bad(f"{where}: value must be a number, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise _Bad(f"{where}: value must be a number, got {value!r}") from exc
    if not number.is_finite():
        raise _Bad(f"{where}: value must be a finite number, got {value!r}")
    return number


def _confidence(value: object, where: str) -> float:
    if value is None:
        return 1.0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Bad(f"{where}: confidence must be a number, got {value!r}")
    return float(value)
