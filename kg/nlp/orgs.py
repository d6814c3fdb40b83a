"""Bodies' names: where they begin, and the bodies written inside, after or beside them (docs/annotation.md,
ORG; decisions 5, 8, 11). Hooks: kg.nlp.patterns (candidates), kg.nlp.resolve (bracketed departments),
kg.nlp.gazetteer (impossible names).

- **A body's name never opens with a verb or a preposition.** 市工业和信息化局函请市财政局拨付资金,
  根据市财政局的意见, 组织区县政府开展: 函请, 根据, 组织 are the sentence's, not the name's. A short form
  (市财政局, 区县政府) written after such a word is read without it; :func:`verb_opening` says whether the
  characters before a level word are such a word (jieba's tags p, v, c, d, r …, or a verb of asking or
  passing on: 函请, 报请, 提请, 商请, 由, 经, 向 …). A real place jieba does not know (a county) passes.
  :func:`impossible_opening` is the same test on a finished name (the ORG names the test suite scans). A level
  character that ends a common noun (辖区|法院) names no body of that level (:func:`level_in_common_word`).
- **Standing groups** (decision 11: a standing 领导小组 is ORG): :func:`standing_groups` reads the name
  leftwards with the programme reader, keeps a field joined by 和 and the body before it
  (教育部网络安全和信息化领导小组办公室), and reads bare 领导小组 and 领导小组(下设)办公室 after the full name
  as that group and its office (subOrganizationOf it by name).
- **A department in brackets** after its body or the issuer's voice (我部（教师工作司）) is that body's
  department, named with it (:func:`bracket_units`).
- **Bodies named after an event, a theatre or a place** (…运动会组委会, 西部战区空军, 中国代表团):
  :func:`bodies_after`.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from typing import Any

from kg.nlp.candidates import Candidate
from kg.nlp.merge import jieba_tags

#: Words that open a clause about a body and never a body's name: asking, passing on, following, leading.
VERB_OPENERS = ("函请", "报请", "提请", "商请", "呈请", "申请", "请示", "根据", "按照", "依照", "依据",
                "会同", "组织", "委托", "督促", "指导", "协调", "要求", "通过", "经过", "报送", "报经",
                "交由", "依托", "联系", "配合", "协助", "支持", "鼓励", "推动", "对接", "同意", "抄送",
                "转发", "印发", "报")
#: One-character verbs and prepositions that end the words before a name: 由市财政局, 向省教育厅, 经市政府,
#: 请市发展改革委, 报市政府, 从, 对, 在, 给, 让, 被, 把, 将, 与, 和, 及, 同, 跟, 据, 按, 凭.
ONE_CHAR = frozenset("由向经请报从对在给让被把将与和及同跟据按凭至于以为")
#: jieba tags of words that are no part of a place's name: prepositions, verbs, conjunctions, adverbs,
#: pronouns, particles, numerals, time words, adjectives.
NOT_PLACE_TAGS = ("p", "v", "c", "d", "r", "u", "m", "t", "a", "y", "e", "o", "f", "q")
#: What a level word opens (省, 市, 县, 区 …), optionally after 中共.
LEVEL_OPENING = re.compile(r"(?:中共)?[省市县区州盟旗]")


def verb_opening(before: str, level: str = "") -> bool:
    """Whether ``before`` (the characters written right before the level word ``level``, e.g. 函请 in
    函请市财政局) is a verb or a preposition of the sentence rather than an unknown place's name. A word
    the level character ends (直辖市, 开发区, 自治区) is no verb opening: it names a kind of place."""
    if not before:
        return False
    tags = jieba_tags()
    if level and (before + level in tags or before[-1] + level in tags):
        return False
    if before in VERB_OPENERS or before[-1] in ONE_CHAR:
        return True
    return (tags.get(before) or "").startswith(NOT_PLACE_TAGS)


#: Common nouns a level character ends (辖区 "the area under one's jurisdiction", 小区 "housing estate"):
#: 推进辖区法院… names the courts of an area, no court of a 区.
COMMON_LEVEL_WORDS = frozenset({"辖区", "片区", "小区", "街区"})


def level_in_common_word(text: str, level_at: int) -> bool:
    """Whether the level character at ``level_at`` ends one of :data:`COMMON_LEVEL_WORDS` (推进辖区法院…):
    then no body of that level is named."""
    return level_at >= 1 and text[level_at - 1:level_at + 1] in COMMON_LEVEL_WORDS


def impossible_opening(name: str, levels: tuple[str, ...] = ()) -> str | None:
    """Why a body's name cannot be real because a verb or a preposition opens it, or None: 函请市财政局,
    根据市财政局, 组织区县政府 (a closed verb of :data:`VERB_OPENERS` before a level word or a known
    level). 联合国, 组织部, 指导中心 pass: no level word follows the verb."""
    for verb in sorted(VERB_OPENERS, key=len, reverse=True):
        if name.startswith(verb) and len(name) > len(verb) + 1:
            rest = name[len(verb):]
            if LEVEL_OPENING.match(rest) or rest.startswith(levels):
                return f"{verb} is a verb or a preposition before {rest}"
    return None


# -- standing groups and their offices ------------------------------------------------------------------

#: A standing group's head (decision 11: a standing 领导小组 is ORG), its office optionally after it.
GROUP_HEAD = re.compile(r"领导小组(?:办公室)?")
#: The group's office set up under it: 领导小组下设办公室, 领导小组下设领导小组办公室.
OFFICE_UNDER = re.compile(r"下设(?:领导小组)?办公室")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
#: A longer body or a mechanism a group's name opens (…领导小组车联网产业发展专项委员会, …领导小组工作机制).
LONGER_NAME = re.compile(r"[^，。；、：,;:！？\s（）()“”]{0,14}?(?:委员会|专委会|工作组|小组|机制)")
#: What may not open a group's name read leftwards: a determiner or a level's reach (各级, 相关, 有关, 本).
GROUP_STOP = ("各级", "各地", "相关", "有关", "本", "该", "各", "此")


def standing_groups(text: str, reader: Any, token_starts: AbstractSet[int],
                    org_spans: dict[int, int]) -> list[Candidate]:
    """ORG candidates for named standing groups (智慧林业建设工作领导小组, …领导小组办公室) and for a
    group's short mentions after its full name: 领导小组 alone is the group last named in full, and
    领导小组下设办公室 / 领导小组办公室 names its office (智慧林业建设工作领导小组办公室).

    The name is read leftwards over jieba words by the programme reader (kg.nlp.programs.Reader.name_start:
    it stops at punctuation, 的, verbs that govern the name, determiners); a name needs two characters
    before the head, none of them a determiner (各级领导小组 is no group)."""
    found: list[Candidate] = []
    if "领导小组" not in text:
        return found  # most documents: no sort of their token starts
    starts = sorted(token_starts)
    last: str | None = None  # the group last named in full
    for m in GROUP_HEAD.finditer(text):
        h0, end = m.start(), m.end()
        office = m.group().endswith("办公室")
        if end < len(text) and text[end] in "长员":
            continue  # 领导小组组长, 领导小组成员: a post
        if end < len(text) and text.startswith("组", end) or LONGER_NAME.match(text, end):
            continue  # …领导小组车联网产业发展专项委员会等工作机制: the group is the parent inside a name
        org_ends = org_spans.keys()
        begin = reader.name_start(text, h0, starts, org_ends)
        while begin >= 2 and begin < h0 and text[begin - 1] == "和" and CJK_RE.match(text[begin - 2]):
            before = reader.name_start(text, begin - 1, starts, org_ends)
            if before >= begin - 2:
                break
            begin = before  # 网络安全和信息化领导小组: a field of two words joined by 和
        begin = opening_words(text, begin, h0, token_starts)
        begin = org_spans.get(begin, begin)  # 教育部|网络安全和信息化领导小组: the body's unit, named with it
        body = text[begin:h0].strip("“”\"‘’")
        if len(body) >= 2 and not body.startswith(GROUP_STOP) and not _of_a_kind(text, begin) \
                and not verb_opening(body):  # 承担|领导小组的日常工作: a verb, then the group named before
            group = text[begin:h0] + "领导小组"
            last = group
            found.append(Candidate(begin, end, "ORG", "pattern", 0.8))
        elif last is not None and (begin >= h0 - 1 or verb_opening(body) or body in VERB_OPENERS) \
                and (h0 == 0 or text[h0 - 1] not in "各该本此"):
            # 领导小组 alone, after the group was named: that group (or its office)
            found.append(Candidate(h0, end, "ORG", "pattern", 0.7, last + ("办公室" if office else "")))
            begin = h0
            group = last
        else:
            continue
        under = OFFICE_UNDER.match(text, end) if not office else None
        if under is not None:
            o0 = under.end() - 3
            found.append(Candidate(o0, under.end(), "ORG", "pattern", 0.7, group + "办公室"))
    return found


def opening_words(text: str, begin: int, end: int, token_starts: AbstractSet[int]) -> int:
    """``begin`` moved past the verbs and prepositions that open ``text[begin:end]`` (报|教育部网信领导小组,
    根据|…): a jieba word of :data:`VERB_OPENERS`, or a one-character word of :data:`ONE_CHAR`."""
    while begin < end:
        nxt = next((k for k in range(begin + 1, min(end, begin + 5) + 1) if k in token_starts), None)
        if nxt is None:
            break
        word = text[begin:nxt]
        if word in VERB_OPENERS or len(word) == 1 and word in ONE_CHAR:
            begin = nxt
            continue
        if text[begin] in ONE_CHAR and LEVEL_OPENING.match(text, begin + 1):
            begin += 1  # 由省…领导小组办公室: jieba wrote 由省 as one word
            continue
        break
    return begin


def _of_a_kind(text: str, begin: int) -> bool:
    """A group named after a kind of body or in an addressee list (各级教育行政部门网络安全和信息化领导小组
    办公室, 各省…、网络安全和信息化领导小组、…): each place's group, no one body."""
    if begin == 0 or not (text[begin - 1] == "、" or text.endswith(("部门", "单位", "机关"), 0, begin)):
        return False
    clause = re.split(r"[。；：\n]", text[max(0, begin - 40):begin])[-1]
    return "各" in clause


# -- a department named in brackets after its body ------------------------------------------------------

#: （X司）, （X局）… right after 我部 or a body's name: X is a department of that body (我部（教师工作司）).
BRACKET_UNIT = re.compile(r"[（(]([\u4e00-\u9fff]{2,12}?(?:司|局|处|办公室|办公厅|中心|室))[）)]")


def bracket_units(text: str, mentions: list[Any], issuer: str | None, central: dict[str, str],
                  voice: str, make: Any) -> list[Any]:
    """ORG mentions for the departments written in brackets right after the body they belong to: 我部（教师
    工作司） is the issuer's 教师工作司 (教育部教师工作司), 工业和信息化部（装备工业一司） the ministry's; the
    department is named with its body, so that it is subOrganizationOf the body by name (decision 8).
    ``make(start, end, name)`` builds a mention. A bracket that holds a body of its own (国家发展改革委
    （国家能源局）) or an alias note (（以下简称…）) gives none."""
    taken = {(m.start, m.end) for m in mentions}
    out = []
    for m in mentions:
        if m.label != "ORG":
            continue
        unit = BRACKET_UNIT.match(text, m.end)
        if unit is None or (unit.start(1), unit.end(1)) in taken or unit.group(1) in central:
            continue
        body = issuer if m.name == voice else central.get(m.name or text[m.start:m.end])
        if not body or unit.group(1).startswith(("以下", "简称", "下称")):
            continue
        out.append(make(unit.start(1), unit.end(1), body + unit.group(1)))
    return out


# -- bodies named after an event, a theatre or a country ------------------------------------------------

#: What turns the name before it into a body's: an event's organising committee (杭州亚运会组委会), a
#: theatre's service (西部战区空军), a country's or a place's delegation (中国代表团).
BODY_AFTER = {
    "EVENT": re.compile(r"组委会|组织委员会|执委会|筹委会"),
    "ORG": re.compile(r"(?<=战区)(?:空军|海军|陆军|火箭军)"),
    "PLACE": re.compile(r"代表团"),
}


def bodies_after(out: list[Candidate], text: str) -> list[Candidate]:
    """ORG candidates over a rule name and the body word written right after it (kg_patterns' candidates
    ``out``): an EVENT + 组委会, an ORG ending in 战区 + its service, a PLACE + 代表团. The longer candidate
    wins in kg_merge; the event or the place keeps its own mentions elsewhere."""
    found = []
    seen = set()
    for c in out:
        rx = BODY_AFTER.get(c.label)
        if rx is None or c.source not in ("pattern", "lexicon") or (c.start, c.end) in seen:
            continue
        m = rx.match(text, c.end)
        if m is None or (c.label == "ORG" and not text.endswith("战区", c.start, c.end)):
            continue
        if c.label == "PLACE" and c.start > 0 and text[c.start - 1] in "各":
            continue
        seen.add((c.start, c.end))
        found.append(Candidate(c.start, m.end(), "ORG", "pattern", 0.8))
    return found
