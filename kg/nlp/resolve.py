"""``kg_resolve``: mentions to entities, within one document.

- Lexicon mentions carry their canonical name; a place's short form (河南) resolves to its full name (河南省).
- A body named without its place (省委社会工作部, 省总工会) takes the document's home province, the place most
  often named in the document or in the names of its bodies: 省委社会工作部 in a Henan article is
  河南省委社会工作部.
- 中共 before a place-led body name is dropped for matching (中共海南省委社会工作部 = 海南省委社会工作部); the
  longest form seen is the canonical name.
- A shorter body name that is the tail of exactly one longer body name in the document is that body
  (“两新”工委 → 河南省委“两新”工委, 社会工作部 → 中共海南省委社会工作部).
- Everything else is grouped by label and normalised name.

The result goes to ``doc._.kg_entities``: ``ResolvedEntity`` records, each with its mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.core.lexicon import Lexicon, load_lexicon
from kg.core.normalize import normalize_name
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)
from kg.nlp.merge import Mention
from kg.nlp.text import doc_text

PARTY_PREFIX = re.compile(r"^(?:中共|中国共产党)(?=.)")
#: Level words that open a body name when its place is left out (省委…, 市总工会…).
BARE_LEVELS = ("省委", "市委", "县委", "区委", "省", "市", "县", "区")


@dataclass
class ResolvedEntity:
    label: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)
    value: Decimal | None = None
    unit: str | None = None

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


def org_match_key(name: str) -> str:
    """The form bodies are compared by: normalised, without a leading 中共 (or 中国共产党)."""
    return PARTY_PREFIX.sub("", normalize_name(name))


class Resolver:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.place_full: dict[str, str] = {}
        self.province_short: dict[str, str] = {}
        for t in lexicon.terms:
            if t.label != "PLACE":
                continue
            for s in (t.name, *t.aliases):
                self.place_full.setdefault(s, t.name)
            if t.kind in ("province", "municipality", "autonomous region", "special administrative region"):
                short = min((t.name, *t.aliases), key=len)
                self.province_short[t.name] = short
        self._places_longest = sorted(self.place_full, key=len, reverse=True)

    def home_province(self, text: str, mentions: list[Mention]) -> str | None:
        counts: Counter[str] = Counter()
        for m in mentions:
            surface = text[m.start:m.end]
            if m.label in ("PLACE", "ORG"):
                for p in self._places_longest:
                    if surface.startswith(p) or PARTY_PREFIX.sub("", surface).startswith(p):
                        full = self.place_full[p]
                        if full in self.province_short:
                            counts[full] += 1
                        break
        if not counts:
            return None
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        mentions: list[Mention] = doc._.kg_mentions or []
        home = self.home_province(text, mentions)
        home_short = self.province_short.get(home, "") if home else ""
        groups: dict[tuple[str, str], ResolvedEntity] = {}
        order: list[tuple[str, str]] = []

        def add(key: tuple[str, str], label: str, name: str, m: Mention, surface: str) -> ResolvedEntity:
            if key not in groups:
                groups[key] = ResolvedEntity(label, name)
                order.append(key)
            ent = groups[key]
            ent.mentions.append(m)
            ent.surfaces.append(surface)
            return ent

        for m in mentions:
            surface = text[m.start:m.end]
            if m.label == "METRIC":
                value_s, unit = (m.name or "\x1f").split("\x1f")
                ent = add(("METRIC", f"{value_s}|{unit}"), "METRIC", surface, m, surface)
                ent.value, ent.unit = _tidy(Decimal(value_s)), unit
                continue
            name = m.name or surface
            if m.label == "PLACE":
                name = self.place_full.get(name, name)
            if m.label == "ORG":
                if home_short and surface.startswith(BARE_LEVELS) and not any(
                        PARTY_PREFIX.sub("", surface).startswith(p) for p in self._places_longest):
                    name = home_short + surface
                key = ("ORG", org_match_key(name))
            else:
                key = (m.label, normalize_name(name))
            add(key, m.label, name, m, surface)

        # bodies: a name that is the tail of exactly one longer body name is that body
        orgs = [k for k in order if k[0] == "ORG"]
        for k in sorted(orgs, key=lambda k: len(k[1])):
            longer = [o for o in orgs if o != k and o in groups and len(o[1]) > len(k[1])
                      and o[1].endswith(k[1])]
            if len(longer) == 1 and len(k[1]) >= 3:
                target = groups[longer[0]]
                src = groups.pop(k)
                target.mentions += src.mentions
                target.surfaces += src.surfaces
        entities = []
        for k in order:
            if k not in groups:
                continue
            ent = groups[k]
            if ent.label == "ORG":
                ent.name = max(ent.surfaces + [ent.name], key=lambda s: (len(org_match_key(s)), len(s), s))
            ent.mentions.sort(key=lambda m: m.start)
            entities.append(ent)
        entities.sort(key=lambda e: e.first)
        doc._.kg_entities = entities
        return doc


@Language.factory("kg_resolve", default_config={"lexicon_dir": None}, requires=["doc._.kg_mentions"],
                  assigns=["doc._.kg_entities"])
def make_resolver(nlp: Language, name: str, lexicon_dir: str | None) -> Resolver:
    return Resolver(load_lexicon(Path(lexicon_dir) if lexicon_dir else None))


def _tidy(value: Decimal) -> Decimal:
    """36000 for 36000.0, 3.5 for 3.50: the plain form of a figure."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
