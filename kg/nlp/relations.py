"""``kg_relations``: relations between the resolved entities, sentence by sentence.

Each rule reads one sentence (or a 、-list within it) and the cue words of ``ontology/lexicon/cues.tsv``:

- holdsPost: ``ORG POST PERSON`` written together (河南省委社会工作部部长郅晓峰), also as a 、-chain of
  ``ORG POST`` pairs before one name (…部长、省委“两新”工委书记郅晓峰).
- subOrganizationOf: a body whose name extends another body of the document (河南省委社会工作部 → 河南省委),
  and ``A下设B``.
- locatedIn: a body or event whose name begins with a place of the document (河南省委… → 河南省).
- organizes, also from names: a meeting named after a body of the document (国务院全体会议 → 国务院).
- runs / issues / organizes: a cue verb (建立, 开展, 制定, 召开 …) before a mechanism or programme, a document
  or an event, in the same clause run. The actor is the nearest body before the cue in the sentence; failing
  that, the document's *voice*: in an interview, the body the interviewee heads (the first holdsPost of the
  text).
- cooperatesWith: ``A联合/会同/与 B`` before a cue verb; B then shares A's runs/issues.
- targets: a mechanism, programme or document whose name contains a target group of the document
  (行业协会商会改革发展联席会议机制 → 行业协会商会), and ``面向/针对/服务 GROUP`` after one in the same
  sentence.
- quantifies: a figure written right before what it counts (3.6万名社会工作专业人才), or right after a cue of
  counting the thing (举办3期…培训班).
- partOf: items of a list that follows a counted collective (七项协调机制。用好A、B、C机制 → A, B, C partOf
  it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.core.lexicon import Lexicon, load_lexicon
from kg.core.text import sentence_offsets
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)
from kg.nlp.merge import Mention
from kg.nlp.resolve import ResolvedEntity, org_match_key
from kg.nlp.text import doc_text

ACT_TARGETS = {"runs": ("MECHANISM", "PROGRAM"), "issues": ("POLICY",), "organizes": ("EVENT",)}
EXTRA_CUES = {"制订": "issues", "研究制定": "issues", "起草": "issues", "举办": "runs", "组织": "runs",
              "召开": "organizes", "举行": "organizes", "主办": "organizes", "承办": "organizes"}
COOP_RE = re.compile(r"联合|会同|携手|协同")
COLLECTIVE = re.compile(r"^[一二三四五六七八九十两\d]+(?:项|大|个|类|条|种)")
INTERVIEW = re.compile(r"专访|采访|访谈|^问[:：]|\n问[:：]|答[:：]")


@dataclass(frozen=True)
class Rel:
    label: str
    head: int  # index into doc._.kg_entities
    tail: int
    sentence: tuple[int, int]
    evidence: tuple[int, int]
    post: str | None = None
    confidence: float = 0.7


Adder = Callable[[Rel], None]


class RelationExtractor:
    def __init__(self, lexicon: Lexicon) -> None:
        self.cues: dict[str, str] = {**lexicon.cues, **EXTRA_CUES}
        self.cue_re = re.compile("|".join(re.escape(c) for c in sorted(self.cues, key=len, reverse=True)))
        self.place_names = {s for t in lexicon.terms if t.label == "PLACE" for s in (t.name, *t.aliases)}

    def __call__(self, doc: Doc) -> Doc:
        entities: list[ResolvedEntity] = doc._.kg_entities or []
        text = doc_text(doc)
        index: dict[tuple[int, int, str], int] = {}
        for i, e in enumerate(entities):
            for m in e.mentions:
                index[(m.start, m.end, m.label)] = i
        placed = sorted(((m, index[(m.start, m.end, m.label)]) for e in entities for m in e.mentions),
                        key=lambda p: (p[0].start, p[0].end))
        out: dict[tuple[str, int, int, str | None], Rel] = {}

        def add(rel: Rel) -> None:
            if rel.head == rel.tail:
                return
            key = (rel.label, rel.head, rel.tail, rel.post)
            if rel.label == "cooperatesWith":
                key = (rel.label, min(rel.head, rel.tail), max(rel.head, rel.tail), None)
            if key not in out:
                out[key] = rel

        sentences = sentence_offsets(text)
        by_sentence: list[list[tuple[Mention, int]]] = [[] for _ in sentences]
        si = 0
        for m, i in placed:
            while si < len(sentences) and sentences[si][1] <= m.start:
                si += 1
            if si < len(sentences) and sentences[si][0] <= m.start:
                by_sentence[si].append((m, i))

        for sent, items in zip(sentences, by_sentence, strict=True):
            self._holds_post(text, sent, items, entities, add)
        voice = self._voice(text, entities, out)
        for k, sent in enumerate(sentences):
            items = by_sentence[k]
            self._acts(text, sent, items, entities, voice, add)
            self._targets(text, sent, items, entities, add)
            self._quantifies(text, sent, items, entities, add)
            self._partof(text, k, sentences, by_sentence, entities, add)
        self._name_links(entities, add)
        doc._.kg_relations = sorted(out.values(), key=lambda r: (r.evidence, r.label, r.head, r.tail))
        return doc

    # -- holdsPost --------------------------------------------------------------------------------------
    def _holds_post(self, text: str, sent: tuple[int, int], items: list[tuple[Mention, int]],
                    entities: list[ResolvedEntity], add: Adder) -> None:
        for k, (m, i) in enumerate(items):
            if m.label != "PERSON":
                continue
            j = k - 1
            chain_end = m.start
            while j >= 1:
                post_m, post_i = items[j]
                org_m, org_i = items[j - 1]
                if post_m.label != "POST" or org_m.label != "ORG":
                    break
                if post_m.end != chain_end or org_m.end != post_m.start:
                    break
                add(Rel("holdsPost", i, org_i, sent, (org_m.start, m.end), entities[post_i].name, 0.9))
                j -= 2
                if j >= 0 and text[items[j + 1][0].start - 1: items[j + 1][0].start] == "、":
                    chain_end = items[j + 1][0].start - 1
                # the next pair must end right before the 、
                if j >= 1 and items[j][0].end != chain_end:
                    break

    def _voice(self, text: str, entities: list[ResolvedEntity], rels: dict) -> int | None:  # type: ignore[type-arg]
        """The body the document speaks for: in an interview, the one its interviewee heads."""
        if not INTERVIEW.search(text):
            return None
        holds = sorted((r for r in rels.values() if r.label == "holdsPost"), key=lambda r: r.evidence)
        return holds[0].tail if holds else None

    # -- runs / issues / organizes / cooperatesWith ----------------------------------------------------------
    def _acts(self, text: str, sent: tuple[int, int], items: list[tuple[Mention, int]],
              entities: list[ResolvedEntity], voice: int | None, add: Adder) -> None:
        s0, s1 = sent
        orgs = [(m, i) for m, i in items if m.label == "ORG"]
        partners = self._partners(text, sent, orgs, voice, add)
        for cue in self.cue_re.finditer(text, s0, s1):
            relation = self.cues[cue.group()]
            if relation not in ACT_TARGETS:
                continue
            # objects: entities of the wanted labels after the cue, up to the end of the clause run
            stop = _clause_end(text, cue.end(), s1)
            objects = [(m, i) for m, i in items if cue.end() <= m.start < stop
                       and m.label in ACT_TARGETS[relation]]
            if not objects:
                continue
            c0 = _clause_start(text, cue.start(), s0)
            # a target group named before the cue in its clause is the one acting (推动协会建立…机制):
            # the arrangement is aimed at it, and the document's voice does not run it
            subjects = [(m, i) for m, i in items if c0 <= m.start and m.end <= cue.start()
                        and m.label == "GROUP"]
            if subjects:
                for m, i in objects:
                    if entities[i].label in ("MECHANISM", "PROGRAM", "POLICY"):
                        for g_m, g in subjects:
                            add(Rel("targets", i, g, sent, (g_m.start, m.end), None, 0.6))
                continue
            in_clause = [(m, i) for m, i in orgs if c0 <= m.start and m.end <= cue.start()]
            if in_clause:
                m_a, a = in_clause[-1]
                actors = [a, *partners.get(a, [])]
                for lead, ps in partners.items():
                    if a in ps:  # 会同B出台…: B acts together with the one it joins
                        actors = [lead, *ps]
                confidence = 0.8
            elif (orgs and orgs[0][0].start == s0
                  and orgs[0][1] not in {x for ps in partners.values() for x in ps}):
                actors = [orgs[0][1]]  # the body that opens the sentence
                confidence = 0.7
            elif voice is not None:
                actors = [voice]
                confidence = 0.6
            else:
                continue
            for m, i in objects:
                gap = [x for x, _ in items if cue.end() <= x.start < m.start
                       and x.label in ("GROUP", "PERSON")]
                if gap:
                    continue
                for a in dict.fromkeys(actors):
                    add(Rel(relation, a, i, sent, (min(cue.start(), m.start), m.end), None, confidence))

    def _partners(self, text: str, sent: tuple[int, int], orgs: list[tuple[Mention, int]], voice: int | None,
                  add: Adder) -> dict[int, list[int]]:
        """``A联合/会同 B、C``: B and C cooperate with A (or with the document's voice when A is unsaid)."""
        out: dict[int, list[int]] = {}
        for cue in COOP_RE.finditer(text, *sent):
            chain = []
            pos = cue.end()
            for m, i in orgs:
                if m.start < pos:
                    continue
                if m.start == pos:
                    chain.append((m, i))
                    pos = m.end + (1 if text[m.end:m.end + 1] in ("、", "和", "及") else 0)
                else:
                    break
            if not chain:
                continue
            before = [(m, i) for m, i in orgs if m.end <= cue.start()
                      and m.start >= _clause_start(text, cue.start(), sent[0])]
            actor = before[-1][1] if before else voice
            if actor is None:
                continue
            for m, i in chain:
                add(Rel("cooperatesWith", actor, i, sent, (cue.start(), m.end), None, 0.7))
                out.setdefault(actor, []).append(i)
        return out

    # -- targets ----------------------------------------------------------------------------------------
    def _targets(self, text: str, sent: tuple[int, int], items: list[tuple[Mention, int]],
                 entities: list[ResolvedEntity], add: Adder) -> None:
        for m, i in items:
            if m.label not in ("MECHANISM", "PROGRAM", "POLICY"):
                continue
            groups_after = [(x, j) for x, j in items if x.start >= m.end and x.label == "GROUP"]
            for x, j in groups_after:
                between = text[m.end:x.start]
                if re.search(r"(?:面向|针对|服务于|覆盖)$", between.strip()) and len(between) <= 6:
                    add(Rel("targets", i, j, sent, (m.start, x.end), None, 0.7))
        # the group an arrangement is put in place for, named before it with a preposition of scope:
        # 在国有大中型企业中进行…试点, 建立对企业经营者有效的激励机制,
        # 以县处级以上领导干部为重点，在全党开展…教育
        arrangements = [(m, i) for m, i in items if m.label in ("MECHANISM", "PROGRAM", "POLICY")]
        for x, j in items:
            if x.label != "GROUP":
                continue
            before = text[max(sent[0], x.start - 1):x.start]
            after = text[x.end:min(sent[1], x.end + 3)]
            if before == "以" and after.startswith("为重点"):
                reach = sent[1]  # the focus of what the sentence goes on to do
            elif before in ("在", "对") and (before == "对" or re.match(r"[中内里]", after)):
                reach = _clause_end(text, x.end, sent[1])  # within the clause: 在…中进行X, 对…实行X
            else:
                continue
            for m, i in arrangements:
                if x.end < m.start < reach and not any(
                        g.label == "GROUP" and x.end < g.start < m.start for g, _ in items):
                    add(Rel("targets", i, j, sent, (x.start, m.end), None, 0.6))

    # -- quantifies -------------------------------------------------------------------------------------
    def _quantifies(self, text: str, sent: tuple[int, int], items: list[tuple[Mention, int]],
                    entities: list[ResolvedEntity], add: Adder) -> None:
        for k, (m, i) in enumerate(items):
            if m.label != "METRIC":
                continue
            found = False
            for x, j in items[k + 1:]:
                if x.start < m.end:
                    continue  # nested in the metric's span
                if x.label not in ("METRIC", "PERSON", "POST", "PLACE") and (
                        x.start == m.end or text[m.end:x.start] in ("的", "个")):
                    add(Rel("quantifies", i, j, sent, (m.start, x.end), None, 0.8))
                    found = True
                break
            if found:
                continue
            # 举办…培训班3期，培训268人次: a figure alone in its clause counts the undertaking just named
            c0 = _clause_start(text, m.start, sent[0])
            c1 = _clause_end(text, m.end, sent[1])
            if any(x.label != "METRIC" for x, _ in items if c0 <= x.start < c1):
                continue
            prior = [(x, j) for x, j in items if x.end <= c0
                     and x.start >= _clause_start(text, c0 - 1, sent[0])
                     and x.label in ("PROGRAM", "MECHANISM", "EVENT")]
            if prior:
                x, j = prior[-1]
                add(Rel("quantifies", i, j, sent, (x.start, m.end), None, 0.6))

    # -- partOf -----------------------------------------------------------------------------------------
    def _partof(self, text: str, k: int, sentences: list[tuple[int, int]],
                by_sentence: list[list[tuple[Mention, int]]], entities: list[ResolvedEntity],
                add: Adder) -> None:
        for m, i in by_sentence[k]:
            ent = entities[i]
            if ent.label not in ("MECHANISM", "PROGRAM") or not COLLECTIVE.match(ent.name):
                continue
            kind_tail = ent.name[-2:]
            for follow in by_sentence[k:k + 2]:
                for x, j in follow:
                    if x.start <= m.end or j == i:
                        continue
                    if entities[j].label == ent.label and entities[j].name.endswith(kind_tail):
                        add(Rel("partOf", j, i, sentences[k], (m.start, x.end), None, 0.6))

    # -- links read off the names -------------------------------------------------------------------------
    def _name_links(self, entities: list[ResolvedEntity], add: Adder) -> None:
        orgs = [(i, e) for i, e in enumerate(entities) if e.label == "ORG"]
        places = [(i, e) for i, e in enumerate(entities) if e.label == "PLACE"]
        groups = [(i, e) for i, e in enumerate(entities) if e.label == "GROUP"]
        for i, e in orgs:
            key = org_match_key(e.name)
            parents = [(j, p) for j, p in orgs if j != i and len(org_match_key(p.name)) < len(key)
                       and key.startswith(org_match_key(p.name))]
            if parents:
                j, p = max(parents, key=lambda jp: len(jp[1].name))
                if len(org_match_key(p.name)) >= 3:
                    add(Rel("subOrganizationOf", i, j, _span(e), _span(e), None, 0.7))
        for i, e in [*orgs, *[(i, e) for i, e in enumerate(entities) if e.label == "EVENT"]]:
            key = org_match_key(e.name)
            for j, p in places:
                forms = [p.name, *p.surfaces]
                if any(key.startswith(f) for f in forms if len(f) >= 2):
                    add(Rel("locatedIn", i, j, _span(e), _span(e), None, 0.8))
                    break
        # a meeting named after the body that holds it: 第五届全国人民代表大会第三次会议, 国务院全体会议
        for i, e in enumerate(entities):
            if e.label != "EVENT":
                continue
            holders = [(max(len(f) for f in forms), j) for j, o in orgs
                       if (forms := [f for f in (o.name, *o.surfaces) if len(f) >= 3 and f in e.name
                                     and len(f) < len(e.name)])]
            if holders:
                add(Rel("organizes", max(holders)[1], i, _span(e), _span(e), None, 0.7))
        for i, e in enumerate(entities):
            if e.label not in ("MECHANISM", "PROGRAM", "POLICY"):
                continue
            for j, g in groups:
                if len(g.name) >= 3 and g.name in e.name:
                    add(Rel("targets", i, j, _span(e), _span(e), None, 0.6))


def _span(e: ResolvedEntity) -> tuple[int, int]:
    m = e.mentions[0]
    return (m.start, m.end)


def _clause_start(text: str, pos: int, limit: int) -> int:
    ends = [m.end() for m in re.finditer(r"[，,；;：:]", text[limit:pos])]
    return limit + ends[-1] if ends else limit


def _clause_end(text: str, start: int, limit: int) -> int:
    m = re.compile(r"[，,；;。！？!?：:]").search(text, start, limit)
    return m.start() if m else limit


@Language.factory("kg_relations", default_config={"lexicon_dir": None}, requires=["doc._.kg_entities"],
                  assigns=["doc._.kg_relations"])
def make_relation_extractor(nlp: Language, name: str, lexicon_dir: str | None) -> RelationExtractor:
    return RelationExtractor(load_lexicon(Path(lexicon_dir) if lexicon_dir else None))


class TitleIssues:
    """``kg_title``: the ``issues`` relations of titles that name their issuers (found by ``kg_resolve``),
    added to ``kg_relations``' own."""

    def __call__(self, doc: Doc) -> Doc:
        pairs = doc._.kg_title_issues or []
        if not pairs:
            return doc
        rels = list(doc._.kg_relations or [])
        have = {(r.label, r.head, r.tail) for r in rels}
        sentences = sentence_offsets(doc_text(doc))
        for head, tail, (start, end) in pairs:
            if ("issues", head, tail) in have:
                continue
            sentence = next(((a, b) for a, b in sentences if a <= start < b), (start, end))
            rels.append(Rel("issues", head, tail, sentence, (start, end), confidence=0.9))
            have.add(("issues", head, tail))
        doc._.kg_relations = sorted(rels, key=lambda r: (r.evidence, r.label, r.head, r.tail))
        return doc


@Language.factory("kg_title", requires=["doc._.kg_entities", "doc._.kg_title_issues", "doc._.kg_relations"],
                  assigns=["doc._.kg_relations"])
def make_title_issues(nlp: Language, name: str) -> TitleIssues:
    return TitleIssues()
