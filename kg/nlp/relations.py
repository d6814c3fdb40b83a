"""``kg_relations``: relations between the resolved entities, sentence by sentence.

Each rule reads one sentence (or a 、-list within it) and the cue words of ``ontology/lexicon/cues.tsv``:

- holdsPost: ``ORG POST PERSON`` written together (河南省委社会工作部部长郅晓峰), also as a 、-chain of
  ``ORG POST`` pairs before one name (…部长、省委“两新”工委书记郅晓峰).
- subOrganizationOf: a body whose name extends another body of the document (河南省委社会工作部 → 河南省委),
  and ``A下设B``.
- locatedIn: a body or event whose name begins with a place of the document (河南省委… → 河南省).
- organizes, also from names: a meeting named after a body of the document (国务院全体会议 → 国务院).
- runs / issues / organizes: a cue verb (建立, 开展, 制定, 召开, 举办 …) before a mechanism or programme, a
  document or an event, in its clause (up to the next cue; 制定并实施X: both). The actor is the nearest
  *chain* of bodies before the cue in its clause (A、B和C, A会同B, A联合B, A与B共同…, A、B等8部门联合印发:
  every member acts), a leading chain anywhere before it in the sentence (由A牵头，B配合，建立…: A), or the
  one between the cue and its object (建立由A牵头、B参加的C机制); a body after 在/赴/到 is a place, not an
  actor. Failing these, the document's *voice*: in an interview, the body the interviewee heads. 论坛由A主办:
  A organizes the event named before 由.
- Responsibility notes (docs/annotation.md, decision 2): （牵头单位：A、B，责任单位：C）, （A、B负责）,
  （A牵头，B配合）, 责任单位：A、B on a line of its own. The leads (without a lead, the responsible units; the
  first of them where the document says 列第一位者为牵头部门) run what the task before the note sets up, issue
  what it drafts, organize what it holds; the task reaches back to the previous note or the line's start. The
  bodies in a note are no sentence subjects.
- cooperatesWith: the members of a chain that acts together (会同, 联合, 共同, or a list that is the subject
  of a cue or leads), partners (配合, 参加) with the leads, and all bodies of one note, pairwise (at most
  ``MAX_COOPERATING`` bodies of one list are paired).
- locatedIn for events: 在PLACE举行/召开/开幕 in a sentence that names an event (the nearest one).
- targets: a mechanism, programme or document whose name contains a target group of the document
  (行业协会商会改革发展联席会议机制 → 行业协会商会), ``面向/针对/服务 GROUP`` after one, and 面向/针对/为…提供
  GROUP(、GROUP) before one in its clause.
- quantifies: a figure written right before what it counts (3.6万名社会工作专业人才, 5家以上孵化器), or right
  after a cue of counting the thing (举办3期…培训班).

Every rule reads a sentence in one pass over its cues and entities (clause bounds by binary search, links read
off names by dictionary and Aho-Corasick look-ups): linear in the sentence's length.
- partOf: items of a list that follows a counted collective (七项协调机制。用好A、B、C机制 → A, B, C partOf
  it).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick
from spacy.language import Language
from spacy.tokens import Doc

from kg.core.lexicon import Lexicon, load_lexicon
from kg.core.text import sentence_offsets
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)
from kg.nlp import news
from kg.nlp.groups import aimed_at, named_for, urged
from kg.nlp.merge import Mention
from kg.nlp.programs import encouraged, task_runs
from kg.nlp.quantities import quantity_relations, section_parts
from kg.nlp.resolve import ResolvedEntity, org_match_key
from kg.nlp.text import doc_text

ACT_TARGETS = {"runs": ("MECHANISM", "PROGRAM"), "issues": ("POLICY",), "organizes": ("EVENT",)}
EXTRA_CUES = {"制订": "issues", "研究制定": "issues", "起草": "issues", "编制": "issues", "签署": "issues",
              "签订": "issues", "联合发布": "issues", "部署": "runs", "举办": "runs", "组织": "runs",
              "设立": "runs", "成立": "runs", "负责": "runs", "召开": "organizes", "举行": "organizes",
              "主办": "organizes", "承办": "organizes", "主持": "organizes", "筹办": "organizes"}
#: verbs that, before an event, say who holds it (举办论坛, 组织座谈会), whatever they say before other things
EVENT_VERBS = frozenset({"举办", "召开", "举行", "主办", "承办", "主持", "组织", "筹办", "开展"})
#: what may stand between two bodies of one chain: 、 和 及 与 同, and 会同/联合/协同/携手 (acting together)
CHAIN_JOIN = re.compile(r"\s*(?:、|和|及|以及|与|同|并)?\s*(会同|联合|协同|携手)?\s*")
#: what may follow a chain before its verb: 等8部门, 会同有关部门, 共同/联合, and its role (牵头, 配合 …)
CHAIN_TAIL = re.compile(
    r"(?:等(?:[\d一二三四五六七八九十]+[个家]?)?(?:部门|单位|机构|部委)?)?"
    r"(?:(?P<coop>会同|联合|协同|携手)(?:有关|相关|各|其他)?(?:部门|单位|方面)?等?)?"
    r"(?P<adv>(?:共同|联合|一起|一道|分别|正式|近日|日前|已经|已|将|要|也|还|又|再|正在|积极|切实)*)"
    r"(?P<role>共同参与|牵头|主责|负责|配合|参与|参加|协助|协办)?")
TOGETHER = re.compile(r"共同|联合|一起|一道")
#: a responsibility note: in brackets (牵头单位：A、B，责任单位：C / A牵头，B配合), or 责任单位：A、B to
#: the end of the line
NOTE_RE = re.compile(r"[（(]([^（）()\n]{2,300})[）)]"
                     r"|((?:牵头|责任|配合|主责|参与|协办)(?:单位|部门)[:：][^\n（）()。]{1,300})")
#: between a figure and what it counts: 5家以上|孵化器, 3所左右|高校, 10个的
APPROX = re.compile(r"(?:以上|以下|左右|上下|以内|多|余)?(?:的|个)?")
#: a clause this short holds little beside its figure (培训268人次, 共3期)
SHORT_CLAUSE = 12
#: before a group: what follows in the clause is aimed at it (面向中小企业推出…平台, 为企业提供…服务平台)
AIMED_AT = re.compile(r"面向|针对|服务于|为")
#: what joins the groups of one list, over items that are no entity (场景供给方、研究机构、投资机构)
LISTED = re.compile(r"(?:(?:[、和及与]|以及)[^，,。；;：:、\s]{1,10}?)*(?:[、和及与]|以及)")
#: after 由A: A holds the event named before (论坛由A主办)
HOLD_BY = re.compile(r"(?:共同|联合)?(?:主办|举办|承办|召开|组织|主持|筹办)")
#: after a place: the event is held there (在北京举行, 在杭州开幕)
HELD = re.compile(r"[^，,。；;、\s]{0,8}?(?:隆重|顺利|正式|成功)?(?:举行|召开|举办|开幕|闭幕|落幕|启幕|揭幕)")
#: a notice sending a document out (现将《X》印发给你们, 现予印发, 现印发给你们)
SENT_OUT = re.compile(r"印发给你们|现予印发|现印发|印发你们|转发给你们")
#: the signature of a notice: a body's name alone on a line, and the date on the next
SIGNATURE = re.compile(r"\n[ \t\u3000]*([^\s，。；：、《》（）()]{3,30})[ \t\u3000]*\n[ \t\u3000]*"
                       r"(?:\d{4}|[一二〇○零]{4})年")
#: a document's rule that the first body of each note leads (列第一位者为牵头部门, 排在首位的为牵头单位)
FIRST_LEADS = re.compile(r"(?:列|排在?|位列)(?:第一位|首位)(?:者|的)?(?:为|是)牵头")
NOTE_ROLE = re.compile(r"牵头|主责|责任单位|责任部门|负责|配合|参与|参加|协办")
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
        doc._.kg_sentences = sentences  # the evidence sentences of kg_title's relations too
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
        clauses = Clauses(text)
        noted = self._notes(text, placed, [m.start for m, _ in placed], entities, clauses, add)
        for k, sent in enumerate(sentences):
            items = by_sentence[k]
            self._acts(text, sent, items, entities, voice, noted, clauses, add)
            self._event_places(text, sent, items, add)
            self._targets(text, sent, items, entities, clauses, add)
            self._quantifies(text, sent, items, entities, clauses, add)
            self._partof(text, k, sentences, by_sentence, entities, add)
            for label, head, tail, evidence, confidence in quantity_relations(text, k, sentences, by_sentence,
                                                                              entities):
                add(Rel(label, head, tail, sent, evidence, None, confidence))
        self._name_links(entities, len(text), add)
        for head, tail, span, evidence in aimed_at(text, placed, [e.label for e in entities]):
            add(Rel("targets", head, tail, span, evidence, None, 0.65))  # kg.nlp.groups
        for label, head, tail, evidence in section_parts(text, placed, [e.label for e in entities]):
            add(Rel(label, head, tail, evidence, evidence, None, 0.6))  # kg.nlp.quantities: sections
        self._signed(text, placed, add)
        for rel in news.relations(text, placed, entities, sentences, doc._.kg_title_issues or []):
            add(Rel(*rel))  # kg.nlp.news: officials of governments and parties, joint statements
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
              entities: list[ResolvedEntity], voice: int | None, noted: set[int], clauses: Clauses,
              add: Adder) -> None:
        """Bodies acting on what a cue verb names, read over the chains of bodies of the sentence.

        A chain is a run of bodies written together (A、B和C, A会同B, A联合B, 由A、B牵头): all of them act
        (each runs, issues or organizes what the cue names) and, where they act together, each pair
        cooperates. ``由A牵头，B、C配合/参加`` and ``A牵头、B参加的C机制``: A runs C; B and C cooperate
        with A.
        One pass over the cues and the chains in text order: linear in the sentence's length.
        """
        s0, s1 = sent
        orgs = [(m, i) for m, i in items if m.label == "ORG" and m.start not in noted]
        chains = _chains(text, orgs)
        for chain in chains:
            if len(chain.members) > 1 and (chain.together or chain.role == "lead"):
                _cooperate(chain.members, sent, add)
        leads: list[_Chain] = []
        for chain in chains:
            if chain.role == "lead":
                leads.append(chain)
            elif chain.role == "partner" and leads and leads[-1].end <= chain.start:
                for m_p, p in chain.members:
                    for m_l, lead in leads[-1].members:
                        add(Rel("cooperatesWith", lead, p, sent, (m_l.start, m_p.end), None, 0.7))
                chain.partner_of = leads[-1]
            elif chain.after_coop and voice is not None:
                # 会同B、C制定…: the document's voice acts with them
                chain.members.insert(0, (chain.members[0][0], voice))
                _cooperate(chain.members, sent, add)
        starts = [m.start for m, _ in items]
        for chain in chains:
            # 数字经济论坛由A主办: the event named before 由 in the clause
            verb = HOLD_BY.match(text, chain.end)
            if text[chain.start - 1:chain.start] == "由" and verb:
                c0 = clauses.start(chain.start, s0)
                events = [(m, i) for m, i in _between(items, starts, c0, chain.start) if m.label == "EVENT"]
                for m, i in events[-1:]:
                    for _, a in chain.members:
                        add(Rel("organizes", a, i, sent, (m.start, verb.end()), None, 0.8))
        # subjects named before each cue: the nearest chain in the cue's clause, or a leading chain (由A牵头)
        # anywhere before it in the sentence; 建立由A牵头、B参加的C机制: the leading chain between the cue and
        # what it names
        ci = 0
        current: _Chain | None = None
        last_lead: _Chain | None = None
        ii = 0
        groups_seen: deque[tuple[Mention, int]] = deque()  # the groups before the cue, in its clause
        for cue, acted, urged_cue in _cue_objects(text, sent, items, self.cues, self.cue_re, clauses):
            while ci < len(chains) and (chains[ci].end <= cue.start()
                                        or chains[ci].end == cue.end() and chains[ci].role == "lead"):
                current = chains[ci]  # (A负责X: the chain ends with the cue, its role word)
                if current.role == "lead":
                    last_lead = current
                ci += 1
            c0 = clauses.start(cue.start(), s0)
            while ii < len(items) and items[ii][0].start < cue.start():
                if items[ii][0].label == "GROUP" and items[ii][0].end <= cue.start():
                    groups_seen.append(items[ii])
                ii += 1
            while groups_seen and groups_seen[0][0].start < c0:
                groups_seen.popleft()
            chain: _Chain | None = None
            confidence = 0.8
            inner = chains[ci] if ci < len(chains) else None
            if inner is not None and inner.role == "lead" and inner.start >= cue.end() \
                    and inner.end <= acted[0][1].start:
                chain = inner
            else:
                # the groups nearest the cue (a bound: a clause listing many groups and cues stays linear)
                groups_before = list(groups_seen)[-MAX_GROUPS_ACTING:]
                if groups_before and (current is None or current.end <= groups_before[-1][0].start):
                    # a target group named before the cue in its clause is the one acting (推动协会建立…机制):
                    # the arrangement is aimed at it, and the document's voice does not run it
                    # only a group urged to act (推动/引导/督促…G建立X): a group that acts on its own
                    # (各级平台监管部门建立…机制) sets X up for others (kg.nlp.groups.urged)
                    for _, m, i in acted:
                        if entities[i].label in ("MECHANISM", "PROGRAM", "POLICY"):
                            for g_m, g in urged(text, groups_before, m.start):
                                add(Rel("targets", i, g, sent, (g_m.start, m.end), None, 0.6))
                    continue
                if current is not None and current.start >= c0:
                    chain = current
                elif last_lead is not None:
                    chain = last_lead
                elif current is not None and current.start == s0:
                    chain, confidence = current, 0.7  # the body that opens the sentence
            if urged_cue:
                continue  # 鼓励济南市建设…平台: the body that encourages runs nothing (kg.nlp.programs)
            if chain is not None and chain.partner_of is not None:
                chain = chain.partner_of  # 由A牵头，B配合，建立…: A runs it
            if chain is not None:
                actors = [i for _, i in chain.members]
                if len(actors) > 1:
                    _cooperate(chain.members, sent, add)
            elif voice is not None:
                actors, confidence = [voice], 0.6
            else:
                continue
            for relation, m, i in acted:
                for a in dict.fromkeys(actors):
                    add(Rel(relation, a, i, sent, (min(cue.start(), m.start), max(m.end, cue.end())),
                            None, confidence))

    # -- events and their places -----------------------------------------------------------------------------
    def _event_places(self, text: str, sent: tuple[int, int], items: list[tuple[Mention, int]],
                      add: Adder) -> None:
        """在PLACE举行/召开/开幕 in a sentence that names an event: the event (the nearest one) is held
        there."""
        events = [(m, i) for m, i in items if m.label == "EVENT"]
        if not events:
            return
        event_starts = [m.start for m, _ in events]
        for m, i in items:
            if m.label != "PLACE" or text[m.start - 1:m.start] != "在" or m.start - 1 < sent[0]:
                continue
            if not HELD.match(text, m.end):
                continue
            k = bisect_left(event_starts, m.start)
            e_m, e = min(events[max(0, k - 1):k + 1], key=lambda ev: abs(ev[0].start - m.start))
            add(Rel("locatedIn", e, i, sent, (min(e_m.start, m.start), max(e_m.end, m.end)), None, 0.7))

    # -- who issues a document: 科技部《…指引》, the signature under 现将《X》印发给你们 --------------------
    def _signed(self, text: str, placed: list[tuple[Mention, int]], add: Adder) -> None:
        """A body written right before a title (科技部《国家新一代人工智能创新发展试验区建设工作指引》) issues
        it; so does the body that signs a notice (its name alone on a line, a date on the next) whose text
        sends the title out (现将《X》印发给你们, 《X》…现印发给你们)."""
        for (m, i), (n, j) in zip(placed, placed[1:], strict=False):
            if m.label == "ORG" and n.label == "POLICY" and text[m.end:m.end + 1] == "《" \
                    and n.start in (m.end, m.end + 1):
                add(Rel("issues", i, j, (m.start, n.end), (m.start, n.end), None, 0.75))
        starts = [m.start for m, _ in placed]
        for send in SENT_OUT.finditer(text):
            line0 = text.rfind("\n", 0, send.start()) + 1
            titles = [(m, i) for m, i in placed[bisect_left(starts, line0):bisect_left(starts, send.start())]
                      if m.label == "POLICY"]
            if not titles:
                continue
            signature = SIGNATURE.search(text, send.end(), send.end() + 200)
            if signature is None or "《" in text[send.end():signature.start()]:
                continue
            k = bisect_left(starts, signature.start(1))
            if k < len(placed) and placed[k][0].label == "ORG" and placed[k][0].start == signature.start(1) \
                    and placed[k][0].end == signature.end(1):
                m_s, s = placed[k]
                for m, i in titles[-1:]:
                    add(Rel("issues", s, i, (line0, signature.end()), (m.start, m_s.end), None, 0.75))

    # -- responsibility notes --------------------------------------------------------------------------------
    def _notes(self, text: str, placed: list[tuple[Mention, int]], starts: list[int],
               entities: list[ResolvedEntity], clauses: Clauses, add: Adder) -> set[int]:
        """（牵头单位：A、B，责任单位：C）, （A牵头，B、C配合）, 责任单位：A、B after a task.

        The leads (without a lead, the responsible units) run the mechanisms and programmes that the task
        sets up, issue the documents it drafts and organize the events it holds; the task is the text before
        the note, back to the previous note or the start of the line. All bodies of one note cooperate
        pairwise. Returns the starts of the body mentions read in notes: they are no sentence subjects.
        """
        noted: set[int] = set()
        previous_end = 0
        first_leads = FIRST_LEADS.search(text) is not None
        for note in NOTE_RE.finditer(text):
            body0, body1 = note.span(1) if note.group(1) is not None else note.span(2)
            if not NOTE_ROLE.search(text, body0, body1):
                continue
            lo = bisect_left(starts, body0)
            hi = bisect_left(starts, body1)
            members = [(m, i) for m, i in placed[lo:hi] if m.label == "ORG" and m.end <= body1]
            if not members:
                continue
            leads: list[tuple[Mention, int]] = []
            responsible: list[tuple[Mention, int]] = []
            role = None
            for part in re.finditer(r"[^，,；;]+", text[body0:body1]):
                p0, p1 = body0 + part.start(), body0 + part.end()
                in_part = [(m, i) for m, i in members if p0 <= m.start and m.end <= p1]
                if "牵头" in part.group() or "主责" in part.group():
                    role = "lead"
                elif re.search(r"责任|负责", part.group()):
                    role = "responsible"
                elif NOTE_ROLE.search(part.group()) or "：" in part.group() or ":" in part.group():
                    role = None  # 配合单位：…, 参加单位：…
                elif role is not None and ("：" in text[body0:p0] or ":" in text[body0:p0]):
                    pass  # （责任单位：市委组织部，市人社局、市教育局）: the list goes on after a comma
                else:
                    role = None
                if role == "lead":
                    leads.extend(in_part)
                elif role == "responsible":
                    responsible.extend(in_part)
            # without a lead, the responsible units run it; where the document says the first listed leads
            # (列第一位者为牵头部门), the first of them
            runners = leads or (responsible[:1] if first_leads else responsible)
            noted.update(m.start for m, _ in members)
            note_span = (note.start(), note.end())
            _cooperate(members, note_span, add)
            # the task: back to the previous note or the start of the line (the line before, when the note
            # stands on a line of its own)
            line_start = text.rfind("\n", 0, note.start()) + 1
            if not text[line_start:note.start()].strip():
                line_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
            task0 = max(line_start, previous_end)
            previous_end = note.end()
            if not runners or task0 >= note.start():
                continue
            lo = bisect_left(starts, task0)
            hi = bisect_left(starts, note.start())
            task_items = [(m, i) for m, i in placed[lo:hi] if m.end <= note.start()]
            sent = (task0, note.end())
            ran: set[int] = set()
            for cue, acted, _ in _cue_objects(text, (task0, note.start()), task_items, self.cues, self.cue_re,
                                              clauses, noted=True):
                for relation, m, i in acted:
                    ran.add(i)
                    for a in dict.fromkeys(i for _, i in runners):
                        add(Rel(relation, a, i, sent, (min(cue.start(), m.start), note.end()), None, 0.75))
            # decision 2: what the task names, the runners answer for, whatever its verb (kg.nlp.programs)
            for m, i in task_items:
                if i not in ran and m.label in ("MECHANISM", "PROGRAM") and task_runs(text, task0, m.start):
                    ran.add(i)
                    for a in dict.fromkeys(i for _, i in runners):
                        add(Rel("runs", a, i, sent, (m.start, note.end()), None, 0.68))
        return noted

    # -- targets ----------------------------------------------------------------------------------------
    def _targets(self, text: str, sent: tuple[int, int], items: list[tuple[Mention, int]],
                 entities: list[ResolvedEntity], clauses: Clauses, add: Adder) -> None:
        starts = [m.start for m, _ in items]
        for m, i in items:
            if m.label not in ("MECHANISM", "PROGRAM", "POLICY"):
                continue
            # X面向/针对 GROUP, within a few characters (the groups there start before m.end + 7)
            k0 = bisect_left(starts, m.end)
            for k1 in range(k0, bisect_left(starts, m.end + 7)):
                x, j = items[k1]
                between = text[m.end:x.start]
                if x.label == "GROUP" and re.search(r"(?:面向|针对|服务于|覆盖)$", between.strip()):
                    add(Rel("targets", i, j, sent, (m.start, x.end), None, 0.7))
                    # and the groups listed with it: 面向中小企业、服务供给方和地方主管部门
                    last = x
                    for y, h in items[k1 + 1:]:
                        if y.label != "GROUP" or not re.fullmatch(r"[、和及与]|以及", text[last.end:y.start]):
                            break
                        add(Rel("targets", i, h, sent, (m.start, y.end), None, 0.7))
                        last = y
                    break
        # 面向/针对/服务 GROUP(、GROUP) …X, 为GROUP提供X: what the clause then sets up is aimed at them
        k = 0
        while k < len(items):
            x, j = items[k]
            k += 1
            if x.label != "GROUP":
                continue
            prep = AIMED_AT.search(text, max(sent[0], x.start - 3), x.start)
            if prep is None or prep.end() != x.start:
                continue
            group = [(x, j)]
            while k < len(items) and items[k][0].label == "GROUP" \
                    and re.fullmatch(r"[、和及与]|以及", text[group[-1][0].end:items[k][0].start]):
                group.append(items[k])
                k += 1
            stop = clauses.end(group[-1][0].end, sent[1])
            for m, i in items[k:bisect_left(starts, stop)]:
                if m.label == "GROUP" and LISTED.fullmatch(text, group[-1][0].end, m.start):
                    group.append((m, i))  # 为场景供给方、研究机构、投资机构提供…: a list of the kinds served
                    continue
                if m.label == "GROUP":
                    break
                if m.label not in ("MECHANISM", "PROGRAM", "POLICY"):
                    continue
                if prep.group() == "为" and "提供" not in text[group[-1][0].end:m.start]:
                    continue
                for g_m, g in group:
                    add(Rel("targets", i, g, sent, (g_m.start, m.end), None, 0.65))
        # the group an arrangement is put in place for, named before it with a preposition of scope:
        # 在国有大中型企业中进行…试点, 建立对企业经营者有效的激励机制,
        # 以县处级以上领导干部为重点，在全党开展…教育
        for x, j in items:
            if x.label != "GROUP":
                continue
            before = text[max(sent[0], x.start - 1):x.start]
            after = text[x.end:min(sent[1], x.end + 3)]
            if before == "以" and after.startswith("为重点"):
                reach = sent[1]  # the focus of what the sentence goes on to do
            elif before in ("在", "对") and (before == "对" or re.match(r"[中内里]", after)):
                reach = clauses.end(x.end, sent[1])  # within the clause: 在…中进行X, 对…实行X
            else:
                continue
            for m, i in items[bisect_right(starts, x.end):bisect_left(starts, reach)]:
                if m.label == "GROUP":
                    break  # a group nearer the arrangement is the one it serves
                if m.label in ("MECHANISM", "PROGRAM", "POLICY"):
                    add(Rel("targets", i, j, sent, (x.start, m.end), None, 0.6))

    # -- quantifies -------------------------------------------------------------------------------------
    def _quantifies(self, text: str, sent: tuple[int, int], items: list[tuple[Mention, int]],
                    entities: list[ResolvedEntity], clauses: Clauses, add: Adder) -> None:
        starts = [m.start for m, _ in items]
        for k, (m, i) in enumerate(items):
            if m.label != "METRIC":
                continue
            found = False
            for x, j in items[k + 1:]:
                if x.start < m.end:
                    continue  # nested in the metric's span
                if x.label not in ("METRIC", "PERSON", "POST", "PLACE") and (
                        x.start == m.end or APPROX.fullmatch(text, m.end, x.start)):
                    add(Rel("quantifies", i, j, sent, (m.start, x.end), None, 0.8))
                    found = True
                break
            if found:
                continue
            # 举办…培训班3期，培训268人次: a figure alone in its clause counts the undertaking just named
            c0 = clauses.start(m.start, sent[0])
            c1 = clauses.end(m.end, sent[1])
            lo, hi = bisect_left(starts, c0), bisect_left(starts, c1)
            if c1 - c0 > SHORT_CLAUSE or any(x.label != "METRIC" for x, _ in items[lo:hi]):
                continue  # a long clause names what its figure counts, even when no entity does
            p0 = clauses.start(c0 - 1, sent[0])
            prior = [(x, j) for x, j in items[bisect_left(starts, p0):lo] if x.end <= c0
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
    def _name_links(self, entities: list[ResolvedEntity], size: int, add: Adder) -> None:
        """Links read off the names (dictionary and automaton look-ups: linear in the names' length)."""
        orgs = [(i, e) for i, e in enumerate(entities) if e.label == "ORG"]
        places = [(i, e) for i, e in enumerate(entities) if e.label == "PLACE"]
        groups = [(i, e) for i, e in enumerate(entities) if e.label == "GROUP"]
        # a body whose name extends another body's: the longest such parent, of three characters or more
        by_key: dict[str, tuple[int, int]] = {}
        for j, p in orgs:
            k = org_match_key(p.name)
            by_key[k] = max(by_key.get(k, (-1, -1)), (len(p.name), j))
        for i, e in orgs:
            key = org_match_key(e.name)
            for length in range(len(key) - 1, 2, -1):
                parent = by_key.get(key[:length])
                if parent is not None and parent[1] != i:
                    add(Rel("subOrganizationOf", i, parent[1], _span(e), _span(e), None, 0.7))
                    break
        # the place must be named on its own in the text, not only inside names (docs/annotation.md,
        # decision 8)
        inside = bytearray(size)
        for e in entities:
            if e.label != "PLACE":
                for m in e.mentions:
                    if m.source != news.SOURCE:  # a government added over its place's name
                        inside[m.start:m.end] = b"\x01" * (m.end - m.start)
        forms: dict[str, list[tuple[int, ResolvedEntity]]] = {}
        for j, p in places:
            if any(not inside[m.start] for m in p.mentions):
                for f in dict.fromkeys((p.name, *p.surfaces)):
                    if len(f) >= 2:
                        forms.setdefault(f, []).append((j, p))
        for i, e in [*orgs, *[(i, e) for i, e in enumerate(entities) if e.label == "EVENT"]]:
            if e.name in news.INTERNATIONAL:
                continue  # 上海合作组织 is not in 上海
            found = [j for key in dict.fromkeys(org_match_key(n) for n in (e.name, *e.surfaces))
                     for length in range(2, len(key) + 1) for j, p in forms.get(key[:length], ())
                     if not _below_wrong_level(p.name, key[length:])
                     and not key[length:].startswith("驻")]  # 中国国家监委 → 中国; 中国驻南非大使馆: not
            if found:
                add(Rel("locatedIn", i, min(found), _span(e), _span(e), None, 0.8))
        # a meeting named after the body that holds it: 第五届全国人民代表大会第三次会议, 国务院全体会议
        events = [(i, e) for i, e in enumerate(entities) if e.label == "EVENT"]
        owners: dict[str, list[int]] = {}
        for j, o in orgs:
            for f in dict.fromkeys((o.name, *o.surfaces)):
                if len(f) >= 3:
                    owners.setdefault(f, []).append(j)
        if events and owners:
            automaton = _automaton(owners)
            for i, e in events:
                holders = [(len(f), j) for _, f in automaton.iter(e.name) if len(f) < len(e.name)
                           for j in owners[f]]
                if holders:
                    add(Rel("organizes", max(holders)[1], i, _span(e), _span(e), None, 0.7))
        # an arrangement whose name holds a group's (行业协会商会改革发展联席会议机制 → 行业协会商会)
        kinds: dict[str, list[int]] = {}
        for j, g in groups:
            if len(g.name) >= 3:
                kinds.setdefault(g.name, []).append(j)
        if kinds:
            automaton = _automaton(kinds)
            for i, e in enumerate(entities):
                if e.label in ("MECHANISM", "PROGRAM", "POLICY"):
                    for j in sorted({j for _, f in automaton.iter(e.name) for j in kinds[f]
                                     if named_for(e.name, f)}):
                        add(Rel("targets", i, j, _span(e), _span(e), None, 0.6))


def _automaton(words: dict[str, list[int]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for w in words:
        automaton.add_word(w, w)
    automaton.make_automaton()
    return automaton


@dataclass
class _Chain:
    """Bodies written together (A、B和C, A会同B), with what the text says of them right after."""

    members: list[tuple[Mention, int]]
    start: int
    end: int  # after the chain's tail (等部门, 共同, 牵头 …)
    role: str | None = None  # "lead" (由A牵头, A负责) or "partner" (B配合, C参加)
    together: bool = False  # 会同, 联合, 共同: they act together
    after_coop: bool = False  # 会同B、C with no body before: B and C join the document's voice
    partner_of: _Chain | None = field(default=None, repr=False)


def _chains(text: str, orgs: list[tuple[Mention, int]]) -> list[_Chain]:
    """The chains of bodies of a sentence, in text order (one pass over its bodies)."""
    out: list[_Chain] = []
    current: list[tuple[Mention, int]] = []
    together = False

    def close() -> None:
        first, last = current[0][0], current[-1][0]
        tail = CHAIN_TAIL.match(text, last.end)
        role_word = tail.group("role") if tail else None
        end = tail.end() if tail else last.end
        opened_by_you = text[first.start - 1:first.start] == "由"
        role = None
        if role_word in ("牵头", "主责", "负责") or opened_by_you and role_word is None:
            role = "lead"
        elif role_word is not None:
            role = "partner"
        joined = together or bool(tail and (tail.group("coop") or TOGETHER.search(tail.group("adv"))))
        after_coop = text[max(0, first.start - 2):first.start] in ("会同", "联合", "携手", "协同")
        if text[first.start - 1:first.start] in ("在", "赴", "到") and role is None:
            return  # 在浙江大学举办…: where it is done, not who does it
        out.append(_Chain(list(current), first.start, end, role, joined, after_coop))

    for m, i in orgs:
        if current:
            prev = current[-1][0]
            if m.start < prev.end:
                continue  # nested in the body before
            join = CHAIN_JOIN.fullmatch(text, prev.end, m.start)
            if join is not None:
                current.append((m, i))
                together = together or join.group(1) is not None
                continue
            close()
        current = [(m, i)]
        together = False
    if current:
        close()
    return out


#: at most this many groups before a cue are taken as the ones acting (推动协会、商会建立…)
MAX_GROUPS_ACTING = 4
#: at most this many bodies of one list are paired as cooperating (a bound on the pairs of a long list)
MAX_COOPERATING = 12


def _cooperate(members: list[tuple[Mention, int]], sent: tuple[int, int], add: Adder) -> None:
    distinct = list(dict.fromkeys(i for _, i in members))[:MAX_COOPERATING]
    first = {}
    for m, i in members:
        first.setdefault(i, m)
    for a_k, a in enumerate(distinct):
        for b in distinct[a_k + 1:]:
            ma, mb = first[a], first[b]
            add(Rel("cooperatesWith", a, b, sent, (min(ma.start, mb.start), max(ma.end, mb.end)), None, 0.7))


def _act_relation(word: str, relation: str, label: str) -> str | None:
    """What a cue verb before an entity of ``label`` says: runs, issues, organizes or nothing."""
    if label == "EVENT" and (relation == "organizes" or word in EVENT_VERBS):
        return "organizes"
    if label in ("MECHANISM", "PROGRAM") and relation == "runs":
        return "runs"
    if label == "POLICY" and relation == "issues":
        return "issues"
    return None


Acted = list[tuple[str, Mention, int]]


def _cue_objects(text: str, span: tuple[int, int], items: list[tuple[Mention, int]], cues: dict[str, str],
                 cue_re: re.Pattern[str], clauses: Clauses, *,
                 noted: bool = False) -> Iterator[tuple[re.Match[str], Acted, bool]]:
    """Each cue verb of ``span`` (none inside a name) with what it acts on: the entities after it in its
    clause, up to the next cue (cues joined by 和/并/、 share their objects: 制定并实施X) or a group or person
    (支持企业建立…: they act there). One pass over the cues and the items. The third item says whether the
    cue is what others are encouraged to do (鼓励企业搭建…, kg.nlp.programs.encouraged): then the body that
    encourages runs nothing; never for ``noted`` cues, the task of a responsibility note, whose lead units
    run what the task names however it is phrased (docs/annotation.md, decision 2)."""
    s0, s1 = span
    starts = [m.start for m, _ in items]
    found: list[tuple[re.Match[str], str, bool]] = []
    k = 0
    covered = -1
    for cue in cue_re.finditer(text, s0, s1):
        while k < len(items) and items[k][0].start <= cue.start():
            covered = max(covered, items[k][0].end)
            k += 1
        if cue.start() < covered:
            continue  # part of a name (实施方案, 建设领导小组)
        relation = cues[cue.group()]
        if relation in ACT_TARGETS:
            found.append((cue, relation, not noted and encouraged(text, cue.start(), s0)))
    groups: list[list[tuple[re.Match[str], str, bool]]] = []
    for cue, relation, by_others in found:
        if groups and re.fullmatch(r"[和并及与、]?", text[groups[-1][-1][0].end():cue.start()]):
            groups[-1].append((cue, relation, by_others))
        else:
            groups.append([(cue, relation, by_others)])
    for g, group in enumerate(groups):
        begin = group[-1][0].end()
        stop = clauses.end(begin, s1)
        if g + 1 < len(groups):
            stop = min(stop, groups[g + 1][0][0].start())
        objects: list[tuple[Mention, int]] = []
        for m, i in items[bisect_left(starts, begin):]:
            if m.start >= stop or m.label in ("GROUP", "PERSON"):
                break
            objects.append((m, i))
        for cue, relation, by_others in group:
            acted = [(r, m, i) for m, i in objects if (r := _act_relation(cue.group(), relation, m.label))]
            if acted:
                yield cue, acted, by_others


def _between(items: list[tuple[Mention, int]], starts: list[int], start: int,
             end: int) -> list[tuple[Mention, int]]:
    """The items that lie within ``[start, end)`` (items sorted by start, ``starts`` their starts)."""
    lo = bisect_left(starts, start)
    out = []
    for m, i in items[lo:]:
        if m.start >= end:
            break
        if m.end <= end:
            out.append((m, i))
    return out


def _below_wrong_level(place: str, rest: str) -> bool:
    """A province's name followed by a city's or county's level word (山东|市财政局, 安徽|市级政府): the name
    does not say where the body is (no province has a 市 of its own name)."""
    return place.endswith(("省", "自治区")) and rest[:1] in ("市", "县", "区")


def _span(e: ResolvedEntity) -> tuple[int, int]:
    m = e.mentions[0]
    return (m.start, m.end)


class Clauses:
    """Where the clauses of a text begin and end, found once: each look-up is a binary search, so that the
    rules stay linear in a sentence's length however many cues and entities it holds."""

    def __init__(self, text: str) -> None:
        self.opens = [m.end() for m in re.finditer(r"[，,；;：:]", text)]
        self.closes = [m.start() for m in re.finditer(r"[，,；;。！？!?：:]", text)]

    def start(self, pos: int, limit: int) -> int:
        """Where the clause holding ``pos`` begins: after the last ，；： before it, not before ``limit``."""
        k = bisect_right(self.opens, pos)
        return max(limit, self.opens[k - 1]) if k else limit

    def end(self, start: int, limit: int) -> int:
        """Where the clause holding ``start`` ends: the next ，；。！？： from it, not after ``limit``."""
        k = bisect_left(self.closes, start)
        return min(limit, self.closes[k]) if k < len(self.closes) else limit


@Language.factory("kg_relations", default_config={"lexicon_dir": None}, requires=["doc._.kg_entities"],
                  assigns=["doc._.kg_relations", "doc._.kg_sentences"])
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
        sentences = doc._.kg_sentences or sentence_offsets(doc_text(doc))
        for head, tail, (start, end) in pairs:
            if ("issues", head, tail) in have:
                continue
            sentence = next(((a, b) for a, b in sentences if a <= start < b), (start, end))
            rels.append(Rel("issues", head, tail, sentence, (start, end), confidence=0.9))
            have.add(("issues", head, tail))
        doc._.kg_relations = sorted(rels, key=lambda r: (r.evidence, r.label, r.head, r.tail))
        return doc


@Language.factory("kg_title", requires=["doc._.kg_entities", "doc._.kg_title_issues", "doc._.kg_relations",
                                        "doc._.kg_sentences"],
                  assigns=["doc._.kg_relations"])
def make_title_issues(nlp: Language, name: str) -> TitleIssues:
    return TitleIssues()
