"""Frozen records passed between stages (see docs/annotation.md for the interchange format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ENTITY_LABELS = ("ORG", "PERSON", "POST", "PLACE", "MECHANISM", "PROGRAM", "POLICY", "GROUP", "METRIC",
                 "EVENT")
RELATION_LABELS = (
    "holdsPost",
    "subOrganizationOf",
    "locatedIn",
    "runs",
    "issues",
    "cooperatesWith",
    "targets",
    "quantifies",
    "partOf",
    "organizes",
)

Offsets = tuple[int, int]


@dataclass(frozen=True)
class Document:
    """One text as read from disk.

    ``text`` is the decoded text, untouched: every offset in the project points into it.
    ``content`` lists the ``[start, end)`` regions worth extracting from (metadata header lines and
    boilerplate are left out); empty means the whole text.
    """

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    content: tuple[Offsets, ...] = ()
    #: who issued the document (a body's name, Chinese or English; JSONL "issuer" or "issuer_en"): its voice
    #: (我部, 我省) and the place its bodies belong to when they are named without it (kg.nlp.resolve)
    issuer: str | None = None
    #: the place the document is about or from (JSONL "place": 山东省, 青岛市)
    place: str | None = None

    def content_regions(self) -> tuple[Offsets, ...]:
        return self.content or ((0, len(self.text)),)


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Offsets, ...] = ()
    value: Decimal | None = None
    unit: str | None = None
    name_en: str | None = None
    confidence: float = 1.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.label, "name": self.name,
                               "aliases": list(self.aliases)}
        if self.name_en:
            out["name_en"] = self.name_en
        if self.value is not None:
            out["value"] = decimal_to_json(self.value)
            out["unit"] = self.unit
        out["mentions"] = [list(m) for m in self.mentions]
        return out


@dataclass(frozen=True)
class Relation:
    label: str
    head: str
    tail: str
    evidence: Offsets | None = None
    sentence: Offsets | None = None
    post: str | None = None
    confidence: float = 1.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"label": self.label, "head": self.head, "tail": self.tail}
        if self.post:
            out["post"] = self.post
        if self.evidence is not None:
            out["evidence"] = list(self.evidence)
        if self.sentence is not None:
            out["sentence"] = list(self.sentence)
        out["confidence"] = round(self.confidence, 3)
        return out


@dataclass(frozen=True)
class Extraction:
    """What the extractor says about one document."""

    doc_id: str
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    document: Document | None = field(default=None, compare=False)

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "entities": [e.to_json() for e in self.entities],
            "relations": [r.to_json() for r in self.relations],
        }


def decimal_to_json(value: Decimal) -> int | float:
    """36000 for Decimal('36000'), 3.5 for Decimal('3.5'): JSON numbers as docs/annotation.md wants."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
