"""``kg_resolve``: mentions to entities, within one document.

- Lexicon mentions carry their canonical name; a place's short form (河南) resolves to its full name (河南省).
- A local body takes its canonical name from the gazetteers (kg.nlp.gazetteer): 青岛市市场监管局 is
  青岛市市场监督管理局. Named without its place, it takes a place of the right level only: 省… and 省委… the
  document's home province when that is a 省 (省委社会工作部 in a Henan article is 河南省委社会工作部), 市…
  and
  市委… the document's city when one is known (from its metadata, or the one city its text names), 县… and
  区… nothing: they keep the name as written. The home province is the document's (its ``place`` or its
  issuer's), else the province most often named in the text or in the names of its bodies.
- A title "X关于…的通知/意见/答复/办法…", the document's own (its first line) or one quoted (《X关于…》),
  makes X issue it: X becomes an ORG mention inside the title (several when 中共中央 国务院 issue it
  together), the title a POLICY, and ``kg_title`` (after ``kg_relations``) states ``issues``. The document's
  own title also gives its voice when its metadata names no issuer.
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
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)
from kg.nlp import news
from kg.nlp.gazetteer import BARE_WORDS, GENERIC_LEVELS, VOICE_PLACE, gazetteer_for
from kg.nlp.lexicon_ruler import VOICE
from kg.nlp.merge import Mention, jieba_tags
from kg.nlp.orgs import bracket_units
from kg.nlp.text import doc_text, token_offsets

#: "X（以下简称Y）", "X(简称Y)": what follows the cue is X's short name in the document.
ALIAS_CUE = re.compile(r"[（(](?:以下简称|以下称|下称|简称)[:：]?[“\"「]?$")

#: Names that open like a generic level pair and are one body (市区 is a word; 省市场监管局 is 省 + 市场…).
NOT_GENERIC = ("省市场", "市区人民", "区县人民法院")
#: Addressees of a circular that name a kind of body in every province (各省、自治区、直辖市教育厅).
ADDRESSEE_LEVELS = ("直辖市", "计划单列市", "自治区", "各省", "各市", "各地", "各级", "各县", "各区", "地方")

#: a list of levels that a body's name ends (各区、市政府, 各市、县人民政府; 各省、自治区、直辖市及新疆生产
#: 建设兵团工业和信息化主管部门): bodies of a kind
LEVEL_LIST = re.compile(r"各[省市县区州盟]、$"
                        r"|(?:直辖市|计划单列市)(?:[（(][^（()）]{0,6}[）)])?(?:及|、|和)$")

#: "X关于…的通知": a title that names its issuer. X is one body or several separated by spaces or 、.
TITLE_RE = re.compile(r"^(?P<issuers>[^关《》“”，。；：\n]{2,60}?)关于[^\n]{2,120}?的"
                      r"(?:通知|意见|指导意见|实施意见|答复|复函|函|办法|决定|批复|公告|通告|报告|规定|决议|"
                      r"建议|通报)$")

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
            for s in (t.name, *t.aliases, *news.short_place_forms(t.name, t.aliases)):
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
            if m.label not in ("PLACE", "ORG") or m.name == VOICE \
                    or text[m.start:m.end] in g.central_forms:
                continue  # a central body's name (新疆生产建设兵团) says nothing of the document's place
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
        titles, issuer_mentions = self.titles(text, mentions)
        joint, added = news.extra_mentions(  # joint titles, bodies meetings are named after, governments
            text, mentions, self.gazetteer.central_forms, self.place_full,
            lambda start, end, label, name: Mention(start, end, label, news.SOURCE, 0.8, name))
        titles, issuer_mentions = titles + joint, issuer_mentions + added
        if issuer_mentions:
            mentions = sorted([*mentions, *issuer_mentions], key=lambda m: (m.start, -m.end))
        province, city, issuer = self.home(text, mentions, document)
        if issuer is None and titles and titles[0][1].start <= 1 + len(text) - len(text.lstrip()):
            issuer = titles[0][0][0].name  # the document's own title line names its issuer
        if units := bracket_units(text, mentions, issuer, self.gazetteer.central_forms, VOICE,  # 我部（X司）
                                       lambda s, e, n: Mention(s, e, "ORG", "pattern", 0.8, n)):
            mentions = sorted([*mentions, *units], key=lambda m: (m.start, -m.end))
        groups: dict[tuple[str, str], ResolvedEntity] = {}
        order: list[tuple[str, str]] = []
        named_places = {("PLACE", normalize_name(self.place_full.get(m.name or text[m.start:m.end],
                                                                      m.name or text[m.start:m.end])))
                        for m in mentions if m.label == "PLACE" and m.name != VOICE}

        key_of: dict[int, tuple[str, str]] = {}

        def add(key: tuple[str, str], label: str, name: str, m: Mention, surface: str) -> ResolvedEntity:
            key_of[id(m)] = key
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
                if voiced[0] == "PLACE" and (voiced[0], normalize_name(voiced[1])) not in named_places:
                    continue  # 我省 joins the province where the text names it; alone it adds no place
                label, name = voiced
                key = ("ORG", org_match_key(name)) if label == "ORG" else (label, normalize_name(name))
                add(key, label, name, m, surface)
                continue
            name = m.name or surface
            if m.label == "PLACE":
                name = self.place_full.get(name, name)
            generic = PARTY_PREFIX.sub("", surface).startswith(GENERIC_LEVELS) \
                and not surface.startswith(NOT_GENERIC)
            addressee = (surface.startswith(ADDRESSEE_LEVELS)
                         or LEVEL_LIST.search(text, max(0, m.start - 14), m.start)) \
                and not (surface.startswith("自治区") and self._regional(province))
            if m.label == "ORG" and (generic or addressee):
                continue  # 省市政府, 市县政府, 市级人民政府: a kind of body at several levels, not one body
            if m.label == "ORG" and self.gazetteer.word_goes_on(text, surface, m.end):
                continue  # 生态环境部门: departments of a kind, not the ministry
            if m.label == "ORG":
                central = self.gazetteer.central_forms.get(re.sub(r"^(?:中国|我国)(?=.)", "", surface)) \
                    if surface not in self.gazetteer.central_forms else self.gazetteer.central_forms[surface]
                if central is not None and self.gazetteer.central_allowed(text, m.start):
                    name = central
                elif (expanded := self.gazetteer.expand(  # a short mention named by its rule (kg.nlp.orgs)
                        name if m.source == "pattern" and m.name else surface, province, city)) is not None:
                    name = expanded
                key = ("ORG", org_match_key(name))
            else:
                key = (m.label, normalize_name(name))
            add(key, m.label, name, m, surface)

        # "X（以下简称Y）": Y is X
        ends = sorted(((m.end, m.label, key_of[id(m)]) for m in mentions if id(m) in key_of),
                      key=lambda t: t[0])
        for m in mentions:
            k = key_of.get(id(m))
            if k is None or k not in groups or not ALIAS_CUE.search(text, max(0, m.start - 8), m.start) \
                    or not re.match(r"[”\"」]?[）)]", text[m.end:m.end + 2]):
                continue  # the mention must be the whole short name (教育部 in 简称教育部网信办 is not)
            cue = ALIAS_CUE.search(text, max(0, m.start - 8), m.start)
            at = cue.start() if cue else m.start
            if at > 0 and text[at - 1] in "）)":  # X（中央电化教育馆）（以下简称Y）: past the aside
                lo = max(0, at - 30)
                opening = max(text.rfind("（", lo, at - 1), text.rfind("(", lo, at - 1))
                at = opening if opening >= 0 else at
            before = [t for t in ends if t[0] <= at and t[1] == m.label and t[0] >= at - 2]
            if not before or before[-1][2] == k or before[-1][2] not in groups:
                continue
            target, src = groups[before[-1][2]], groups[k]
            if len(src.mentions) and all(x in target.mentions for x in src.mentions):
                continue
            target.mentions += src.mentions
            target.surfaces += src.surfaces
            del groups[k]

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
        starts, ends = token_offsets(doc)
        entities = news.standalone_places(text, entities, dict(zip(starts, ends, strict=True)), jieba_tags(),
                                          VOICE, doc._.kg_lac or ())  # decision 8: a place named on its own
        entities = news.doctrine_openings(text, entities)  # 习近平新时代中国特色社会主义思想 names no one
        doc._.kg_entities = entities
        where = {(m.start, m.end, m.label): i for i, e in enumerate(entities) for m in e.mentions}
        doc._.kg_title_issues = [
            (where[(o.start, o.end, o.label)], where[(p.start, p.end, p.label)], (p.start, p.end))
            for orgs, p in titles for o in orgs
            if (o.start, o.end, o.label) in where and (p.start, p.end, p.label) in where]
        return doc

    def titles(self, text: str,
               mentions: list[Mention]) -> tuple[list[tuple[list[Mention], Mention]], list[Mention]]:
        """Titles that name their issuers: [(issuer mentions, title mention)], and the new mentions to add.

        A quoted title is a POLICY mention already; the document's own title line (its first line, without
        quotation marks) becomes one here when it has the shape.
        """
        found: list[tuple[list[Mention], Mention]] = []
        added: list[Mention] = []
        policies = [m for m in mentions if m.label == "POLICY"]
        head = len(text) - len(text.lstrip())
        line_end = text.find("\n", head)
        line_end = len(text) if line_end < 0 else line_end
        first = text[head:line_end].rstrip()
        first = re.sub(r"\s*[（(][^（()）]*[〔\[][^（()）]*[）)]$", "", first)  # （教师函〔2021〕13号）
        quoted = any(m.start <= head < m.end for m in mentions if m.label == "POLICY")
        if TITLE_RE.match(first) and not quoted:
            own = Mention(head, head + len(first), "POLICY", "pattern", 0.9)
            policies.insert(0, own)
            added.append(own)
        taken = {(m.start, m.end) for m in mentions}
        for p in policies:
            inner_start = p.start + (1 if text[p.start] in "《«" else 0)
            inner_end = p.end - (1 if text[p.end - 1] in "》»" else 0)
            match = TITLE_RE.match(text[inner_start:inner_end])
            if not match:
                # 市委、市政府《关于…的若干政策措施》: the bodies written before the title issue it
                before = self.bodies_before(text, p.start, mentions)
                if text.startswith("关于", inner_start) and before:
                    found.append((before, p))
                continue
            orgs = []
            pos = inner_start
            for part in re.split(r"([\s、]+)", match.group("issuers")):
                if part.strip(" \u3000、") and (name := self.issuer_name(part)) is not None:
                    orgs.append(Mention(pos, pos + len(part), "ORG", "lexicon", 1.0, name))
                elif run := _central_run(part, self.gazetteer.central_forms):
                    at = pos
                    for form in run:  # 中共中央国务院: 中共中央 + 国务院
                        orgs.append(Mention(at, at + len(form), "ORG", "lexicon", 1.0,
                                            self.gazetteer.central_forms[form]))
                        at += len(form)
                pos += len(part)
            if not orgs or pos != inner_start + len(match.group("issuers")):
                continue
            found.append((orgs, p))
            added.extend(o for o in orgs if (o.start, o.end) not in taken)
        return found, added

    @staticmethod
    def bodies_before(text: str, start: int, mentions: list[Mention]) -> list[Mention]:
        """The ORG mentions written right before ``start``, joined by 、 or 和 (市委、市政府《…》)."""
        orgs = sorted((m for m in mentions if m.label == "ORG" and m.end <= start), key=lambda m: -m.end)
        out: list[Mention] = []
        pos = start
        for m in orgs:
            gap = text[m.end:pos]
            if gap.strip(" \u3000") == "" if not out else gap.strip(" \u3000") in ("、", "和", "与", "及"):
                out.append(m)
                pos = m.start
            elif m.end <= pos:
                break
        return out[::-1]

    def issuer_name(self, part: str) -> str | None:
        """The canonical name of a title's issuer, when it is a body: a central body, a local body with its
        place, or a name ending in a body suffix."""
        g = self.gazetteer
        if part in g.central_forms:
            return g.central_forms[part]
        joined = _central_run(part, g.central_forms)
        if joined:
            return None  # several central bodies written together (中共中央国务院): see issuer_parts
        body = g.parse_local(part)
        if body is not None and body.place is not None:
            return g.local_name(body.place, body)
        if len(part) >= 3 and part.endswith(tuple(s for s in self.lexicon.org_suffixes if len(s) >= 1)) \
                and not part.startswith(BARE_WORDS):
            return part
        return None


    @staticmethod
    def _regional(province: Division | None) -> bool:
        """Whether 自治区… may be the document's own region (a Guangxi document's 自治区发展改革委)."""
        return province is not None and province.kind == "autonomous region"

    def _canonical(self, name: str) -> bool:
        """Whether ``name`` is a central body's canonical name (kept, whatever longer surfaces say:
        工业和信息化部,
        not 中华人民共和国工业和信息化部). A local body keeps its longest form (中共海南省委社会工作部)."""
        return name in self.gazetteer.central

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


@Language.factory("kg_resolve", default_config={"lexicon_dir": None}, requires=["doc._.kg_mentions"],
                  assigns=["doc._.kg_entities", "doc._.kg_title_issues"])
def make_resolver(nlp: Language, name: str, lexicon_dir: str | None) -> Resolver:
    return Resolver(load_lexicon(Path(lexicon_dir) if lexicon_dir else None))


def _central_run(text: str, forms: dict[str, str]) -> list[str]:
    """``text`` cut into two or more central bodies' names written together (中共中央国务院), else []."""
    run: list[str] = []
    pos = 0
    while pos < len(text):
        form = next((text[pos:end] for end in range(len(text), pos + 1, -1) if text[pos:end] in forms), None)
        if form is None:
            return []
        run.append(form)
        pos += len(form)
    return run if len(run) >= 2 else []


def _tidy(value: Decimal) -> Decimal:
    """36000 for 36000.0, 3.5 for 3.50: the plain form of a figure."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
