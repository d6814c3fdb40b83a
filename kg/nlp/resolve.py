"""``kg_resolve``: mentions to entities, within one document.

- Lexicon mentions carry their canonical name; a place's short form (河南) resolves to its full name (河南省).
- A local body takes its canonical name from the gazetteers (kg.nlp.gazetteer): 青岛市市场监管局 is
  青岛市市场监督管理局. Named without its place, it takes a place of the right level only: 省… and 省委… the
  document's home province when that is a 省 (省委社会工作部 in a Henan article is 河南省委社会工作部), 市… and
  市委… the document's city when one is known (from its metadata, or the one city its text names), 县… and
  区… nothing: they keep the name as written. The home province is the document's (its ``place`` or its
  issuer's), else the province most often named in the text or in the names of its bodies.
- The document's voice: 我部, 本部门 are its issuer (``Document.issuer``, or the body its title line names),
  我省, 我市 its province and its city; with none known they are dropped.
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

from kg.core.lexicon import Division, Lexicon, load_lexicon
from kg.core.normalize import normalize_name
from kg.core.records import Document
from kg.nlp.gazetteer import BARE_WORDS, VOICE_PLACE, gazetteer_for
from kg.nlp.lexicon_ruler import VOICE
from kg.nlp.merge import Mention
from kg.nlp.text import doc_text

if not Doc.has_extension("kg_entities"):
    Doc.set_extension("kg_entities", default=None)

PARTY_PREFIX = re.compile(r"^(?:中共|中国共产党)(?=.)")
#: Level words that open a body name when its place is left out (省委…, 市总工会…).
BARE_LEVELS = BARE_WORDS


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
        self.gazetteer = gazetteer_for(lexicon)
        self.place_full: dict[str, str] = {}
        for t in lexicon.terms:
            if t.label != "PLACE":
                continue
            for s in (t.name, *t.aliases):
                self.place_full.setdefault(s, t.name)

    def home(self, text: str, mentions: list[Mention],
             document: Document | None) -> tuple[Division | None, Division | None, str | None]:
        """The document's province, its city (None unless known) and its issuer's canonical name.

        Metadata first: the ``place`` field, then the issuer's place. Else the text: the province most often
        named (as a place or at the head of a body's name), and a city only when the text names one city
        at least twice, three times as often as any other and at least as often as the province.
        """
        g = self.gazetteer
        province = city = None
        issuer = None
        if document is not None:
            if document.place:
                found = g.place_prefix(document.place + "\x00")
                place = found[0] if found else None
                if place is not None:
                    province, city = g.province_of(place), place if place.level == "prefecture" else None
            issuer, where = g.issuer(document.issuer)
            if where is not None and province is None:
                province = g.province_of(where)
                city = where if where.level == "prefecture" else None
            if province is not None:
                return province, city, issuer
        provinces: Counter[str] = Counter()
        cities: Counter[str] = Counter()
        for m in mentions:
            if m.label not in ("PLACE", "ORG") or m.name == VOICE:
                continue
            found = g.place_prefix(PARTY_PREFIX.sub("", text[m.start:m.end]) + "\x00")
            if found is None:
                continue
            place = found[0]
            if place.level in ("county", "district"):
                place = g.by_code.get(place.parent, place)
            if place.level == "prefecture":
                cities[place.code] += 1
            provinces[g.province_of(place).code] += 1
        if provinces:
            province = g.by_code[sorted(provinces.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]]
        if cities:
            ranked = sorted(cities.items(), key=lambda kv: (-kv[1], kv[0]))
            code, n = ranked[0]
            second = ranked[1][1] if len(ranked) > 1 else 0
            candidate = g.by_code[code]
            own = sum(1 for m in mentions if m.label == "PLACE"
                      and self.place_full.get(m.name or text[m.start:m.end]) == g.province_of(candidate).name)
            if n >= 2 and n >= 3 * second and n >= own:
                city = candidate
                province = g.province_of(candidate)
        return province, city, issuer

    def __call__(self, doc: Doc, document: Document | None = None) -> Doc:
        text = doc_text(doc)
        mentions: list[Mention] = doc._.kg_mentions or []
        province, city, issuer = self.home(text, mentions, document)
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
            if m.name == VOICE:
                voiced = self.voice(surface, province, city, issuer)
                if voiced is None:
                    continue
                label, name = voiced
                key = ("ORG", org_match_key(name)) if label == "ORG" else (label, normalize_name(name))
                add(key, label, name, m, surface)
                continue
            name = m.name or surface
            if m.label == "PLACE":
                name = self.place_full.get(name, name)
            if m.label == "ORG":
                expanded = self.gazetteer.expand(surface, province, city)
                if expanded is not None:
                    name = expanded
                elif (central := self.gazetteer.central_forms.get(surface)) is not None \
                        and self.gazetteer.central_allowed(text, m.start):
                    name = central
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
            if ent.label == "ORG" and not self._canonical(ent.name):
                ent.name = max(ent.surfaces + [ent.name], key=lambda s: (len(org_match_key(s)), len(s), s))
            ent.mentions.sort(key=lambda m: m.start)
            entities.append(ent)
        entities.sort(key=lambda e: e.first)
        doc._.kg_entities = entities
        return doc


    def _canonical(self, name: str) -> bool:
        """Whether ``name`` is a gazetteer's canonical name (kept, whatever longer surfaces say)."""
        return name in self.gazetteer.central or self.gazetteer.parse_local(name) is not None \
            and self.gazetteer.place_prefix(name) is not None

    def voice(self, surface: str, province: Division | None, city: Division | None,
              issuer: str | None) -> tuple[str, str] | None:
        """我省 -> the province, 我市 -> the city, 我部 -> the issuer; None when the document does not say."""
        kind = VOICE_PLACE.get(surface)
        if kind is None:
            return ("ORG", issuer) if issuer else None
        if kind == "province" and province is not None and province.kind == "province":
            return "PLACE", province.name
        if kind == "city":
            place = city or (province if province is not None and province.kind == "municipality" else None)
            return ("PLACE", place.name) if place is not None else None
        if kind == "region" and province is not None and province.kind == "autonomous region":
            return "PLACE", province.name
        return None


@Language.factory("kg_resolve", default_config={"lexicon_dir": None})
def make_resolver(nlp: Language, name: str, lexicon_dir: str | None) -> Resolver:
    return Resolver(load_lexicon(Path(lexicon_dir) if lexicon_dir else None))


def _tidy(value: Decimal) -> Decimal:
    """36000 for 36000.0, 3.5 for 3.50: the plain form of a figure."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
