"""Figures (METRIC) and what they count or make up (quantifies, partOf).

METRIC candidates (``kg_patterns`` proposes them with its other rule candidates, :class:`QuantityReader`):

- a number (Arabic, full-width, or Chinese with 万/亿 sections), 多/余, 万/亿 and a measure word from
  ``units.tsv``; a single space between number and word is kept in the name as the text has it (3 所);
- a range, 1到2处 / 3至5家 / 10-20个: one figure, valued at its upper bound;
- Chinese numerals count with every word (三十三个, 六次, 四大类, 七部分) except where they name no amount:
  一 and 两 (articles: 一个, 两个维护), ordinals and vague counts (第三个, 几十亿, 每个), slogans in quotes
  (“两个覆盖”) or with their usual head (三个代表, 四个全面), sessions (三次会议);
- 级 counts only the 、-list it closes (国家、省、市、县、学校五级: five levels; 三级医院 is a grade);
- no figure is read from a date (5个月, 2023年), a reference (附件1所示) or a measure word that begins a
  longer word (所示, 台县).

Relations (called from ``kg_relations``) are in :func:`quantity_relations` (sentence by sentence) and
:func:`section_parts` (a document's sections: under a heading that names a programme, what its items set up
is partOf it and the groups they support are its targets).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import jieba

from kg.core.lexicon import read_table
from kg.nlp.candidates import Candidate
from kg.nlp.groups import OWNER
from kg.nlp.merge import jieba_tags

_CN = "零〇一二三四五六七八九十百千两"
# Chinese numerals may hold 万/亿 sections and a decimal part: 十七万五千, 二万一千七百, 一百四十三点五.
NUM = rf"(?:\d+(?:[.,]\d+)*|[{_CN}]+(?:[万亿][{_CN}]+)*(?:点[零〇一二三四五六七八九]+)?)"
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_CHARS = "零〇一二三四五六七八九十百千万亿两"
#: between the two ends of a range
RANGE = r"\s?(?:到|至|-|－|—|～|~)\s?"
#: measure words read only after Arabic numerals (二处 and 三台 are offices and places)
ARABIC_ONLY = frozenset({"处", "台"})
#: measure words after which a Chinese numeral is a session or a slogan, not an amount
SESSION_AFTER = re.compile(r"会议|全会|全体会议|代表大会")
SLOGAN_AFTER = re.compile(r"现代化|代表|全面|意识|自信|维护|确立|务必|必须|服从|坚持|统筹|结合|注重|不变"
                          r"|有利于")
#: a measure word that is the first character of a longer word (附件1所示, 所述, 所在地)
WORD_AFTER = {"所": re.compile(r"[示述列属在有需得指说提用以谓涉辖长]"),
              "台": re.compile(r"[县湾州账阶]"),
              "处": re.compile(r"[长室理置于在罚分]"),
              "例": re.compile(r"[如外行会]"),
              "部分": re.compile(r"[地]"),
              "人": re.compile(r"[工口]"),
              "名": re.compile(r"[单义额]"),
              "场": re.compile(r"[景馆所地合面域]"),
              "起": re.compile(r"[草步点来始飞航诉止源]"),
              "份": re.compile(r"[额]"),
              "篇": re.compile(r"[章幅]"),
              "款": re.compile(r"[项式]"),
              "米": re.compile(r"[饭粮]")}
#: jieba frequency of a common word (个人, 软件, 支持): a page or section number in or before one is no figure
COMMON = 100
#: a space after a character (软 15 件) or a digit (1 3 9 9亿) right before a number
BROKEN_WORD = re.compile(r"[\u4e00-\u9fff]\s$")
BROKEN_NUMBER = re.compile(rf"[\d{_CN_CHARS}]\s$")
#: words before a number that make it a reference or an ordinal, not an amount (附件1, 如图2, 第三)
REFERENCE_BEFORE = re.compile(r"(?:附件|附表|附图|[如见]图|[如见]表|第)\s?$")


@dataclass(frozen=True)
class Unit:
    unit: str
    base: str
    multiplier: Decimal


def chinese_number(text: str) -> Decimal | None:
    """一 → 1, 十二 → 12, 三百 → 300, 十七万五千 → 175000, 一百四十三点五 → 143.5, 1,200 → 1200; else None."""
    if re.fullmatch(r"\d+(?:[.,]\d+)*", text):
        return Decimal(text.replace(",", ""))
    integer, _, fraction = text.partition("点")
    if "点" in text and (not fraction or any(ch not in CN_DIGITS for ch in fraction)):
        return None
    total, section, current = 0, 0, 0
    for ch in integer:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in "十百千":
            section += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        elif ch == "万":
            total += (section + current) * 10_000
            section = current = 0
        elif ch == "亿":
            total = (total + section + current) * 100_000_000
            section = current = 0
        else:
            return None
    value = Decimal(total + section + current)
    if fraction:
        value += Decimal("0." + "".join(str(CN_DIGITS[ch]) for ch in fraction))
    return value


class QuantityReader:
    def __init__(self, lexicon_dir: Path) -> None:
        jieba.dt.check_initialized()  # its dictionary tells a word broken by a page number (软 15 件)
        self.units = {r["unit"]: Unit(r["unit"], r["base_unit"], Decimal(r["multiplier"]))
                      for r in read_table(lexicon_dir / "units.tsv")}
        unit_alt = "|".join(re.escape(u) for u in sorted({*self.units, "级"}, key=len, reverse=True))
        self.metric_re = re.compile(
            rf"(?<![\d.{_CN_CHARS}])(?<!\d,)({NUM})(?:{RANGE}({NUM}))?(多|余)?\s?(万|亿)?(多|余)?\s?({unit_alt})"
            rf"|百分之({NUM})")

    def metrics(self, text: str) -> list[Candidate]:
        found = []
        for m in self.metric_re.finditer(text):
            if m.group(7) is not None:  # 百分之…
                value = _number(m.group(7))
                unit = Unit("%", "%", Decimal(1))
            else:
                first, upper, wan, unit_word = m.group(1), m.group(2), m.group(4), m.group(6)
                number = upper or first
                value = _number(number)
                if value is None or (upper and _number(first) is None):
                    continue
                if not self._is_amount(text, m.start(), m.end(), number, wan, unit_word):
                    continue
                if unit_word == "级":
                    unit = Unit("级", "级", Decimal(1))
                else:
                    unit = self.units[unit_word]
                if wan and not number[0].isdigit() and "点" not in number:
                    value = _number(number + wan)  # 一亿一千万: 万 closes the last section only
                elif wan:
                    value *= Decimal(10000 if wan == "万" else 100000000)
                if value is None:
                    continue
            found.append(Candidate(m.start(), m.end(), "METRIC", "pattern", 1.0,
                                  f"{value * unit.multiplier}\x1f{unit.base}"))
        return found

    @staticmethod
    def _is_amount(text: str, start: int, end: int, number: str, wan: str | None, unit_word: str) -> bool:
        arabic = number[0].isdigit()
        before = text[max(0, start - 4):start]
        after = text[end:end + 6]
        if after[:1] and after[0] in "年月日号时":
            return False  # 5个月, 3个年度: a date or a span of time
        freq = jieba.dt.FREQ
        if BROKEN_WORD.search(before) and freq.get(before[-2] + unit_word[0], 0) >= COMMON:
            return False  # 个 2 人信息, 软 15 件: a page number dropped into a word (个人, 软件)
        spaced = text[start:end].find(" ") > 0 or before.endswith(" ")
        if (spaced or "." in number) and len(unit_word) == 1 and freq.get(unit_word + after[:1], 0) >= COMMON:
            return False  # 2.7 支持: a section's number before a word (支持) that begins with a measure word
        verb = unit_word + after[:1]
        if len(unit_word) == 1 and freq.get(verb, 0) >= COMMON and jieba_tags().get(verb, "").startswith("v"):
            return False  # 3列入, 5起草: a single measure word that begins a verb
        if BROKEN_NUMBER.search(before):
            return False  # 1 3 9 9亿, 第十 三条: a number broken by spaces
        if number.strip("零〇") == "":
            return False  # 零件
        if not arabic and before[-1:] and before[-1] in "几数":
            return False  # 几十亿, 数百个: no figure
        if before.endswith("一式"):
            return False  # 一式四份: copies of a form
        if REFERENCE_BEFORE.search(before):
            return False  # 附件1所示, 第三个
        rx = WORD_AFTER.get(unit_word)
        if rx is not None and rx.match(after):
            return False
        if unit_word == "级":
            return not arabic and _closes_list(text, start, _number(number))
        if arabic:
            return True
        if unit_word in ARABIC_ONLY:
            return False
        if number in ("百", "千"):
            return False  # 百企千例: a slogan
        if not wan and (number in ("一", "两") or before[-1:] and before[-1] in "“\"‘几每"):
            return False  # 一个, “两个覆盖”: articles and slogans, not reported figures
        if unit_word == "次" and SESSION_AFTER.match(after):
            return False  # 三次会议: a session's number
        return not SLOGAN_AFTER.match(after)


def _number(text: str) -> Decimal | None:
    """:func:`chinese_number`, or None for what only looks like a number (a section number 1.2.3)."""
    try:
        return chinese_number(text)
    except InvalidOperation:
        return None


def _closes_list(text: str, start: int, count: Decimal | None) -> bool:
    """Whether ``text[:start]`` ends with a 、-list of ``count`` short items (国家、省、市、县、学校)."""
    if count is None or count < 2:
        return False
    head = re.search(r"((?:[\u4e00-\u9fff]{1,6}、)+[\u4e00-\u9fff]{1,6})等?$", text[max(0, start - 80):start])
    return head is not None and len(head.group(1).split("、")) == count


# -- names inside count and enumeration frames --------------------------------------------------------------
#: heads of the names these frames recognise, longest first, and their label
FRAME_HEADS = {"体系框架": "MECHANISM", "子体系": "MECHANISM", "体系": "MECHANISM", "平台": "MECHANISM",
               "机制": "MECHANISM", "基地": "MECHANISM", "中心": "MECHANISM", "项目": "PROGRAM",
               "试点": "PROGRAM", "工程": "PROGRAM", "行动": "PROGRAM"}
_HEAD_ALT = "|".join(sorted(FRAME_HEADS, key=len, reverse=True))
#: what stands between a count and what it counts (50个以上|智能制造示范项目)
_APPROX = r"(?:以上|以下|左右|上下|以内|多|余)?"
APPROX_RE = re.compile(_APPROX)
#: a counted name: up to the clause's end, ending in a head (10个以上|智能工厂/车间试点示范项目，)
_NAME_CHAR = r"[^\s，。；;：:,（）()“”\"《》]"
COUNTED_NAME = re.compile(rf"{_APPROX}({_NAME_CHAR}{{4,40}}?(?:{_HEAD_ALT}))(?=[，。；;：:,）)]|$)")
#: a counted kind of body (5家以上专业科技企业孵化器, 1到2处示范煤矿): a GROUP
COUNTED_GROUP = re.compile(rf"{_APPROX}({_NAME_CHAR}{{2,12}}?(?:孵化器|煤矿|企业|高校|医院|学校|园区|院所))"
                           r"(?=[，。；;：:,、）)]|$)")
#: the whole of an enumeration, right before its cue (国家智慧教育平台体系包括…, 标准体系框架分为…)
WHOLE_CUE = re.compile(r"(?:体系框架|体系|平台|机制)(?:主要)?(?:包括|分为|划分为|涵盖|包含)")
WHOLE_BEFORE_CUE = re.compile(r"(?:^|(?<=[\s，。；;：:,、）)]))"
                              r"([^\s，。；;：:,、（）()“”\"《》]{2,24}?(?:体系框架|体系|平台|机制))"
                              r"(?:主要)?(?:包括|分为|划分为|涵盖|包含)")
#: a section heading run into the line after it (三、主要内容\n矿山智能化标准体系框架包括…)
HEADING = re.compile(r"(?:主要内容|总体要求|基本原则|主要任务|重点任务|保障措施|总体目标|主要目标|工作目标|"
                     r"指导思想|适用范围|总体框架|建设内容|组织实施|总则|内容)(?=.{2})")
#: an enumeration of kinds sharing one head: A基础通用、B数据与模型、C…等四大类标准子体系
_ITEM = r"[^\s\d.等，。；;（）()“”\"《》、:：]{2,16}"
SHARED_HEAD = re.compile(rf"(?:包括|分为|划分为|涵盖|包含)((?:{_ITEM}[、:：]){{1,9}}{_ITEM}?)(?:等)?"
                         rf"({NUM}大?(?:类|个|项|种))?的?([^\s，。；;（）()“”\"《》、:：的等类]{{0,8}}?(?:{_HEAD_ALT}))")
#: words that open no counted name: they qualify a kind, they do not name one (重点项目, 相关平台)
NOT_A_NAME_START = re.compile(r"[的各其该这那此等和与及或]|重点|重大|相关|有关|其他|新建|在建|续建|建设|具体"
                              r"|方面|以上|以下|左右|上下|以内"
                              r"|大型|小型|中型")
#: the label a list item drops before its name (A基础通用, 1.数据与模型, (三)决策与应用)
ITEM_LABEL = re.compile(r"^(?:[A-Za-z]|\d{1,2}[.、]?|[（(][一二三四五六七八九十\d]+[）)])\s*")


def frame_names(text: str, metrics: list[Candidate]) -> list[Candidate]:
    """MECHANISM, PROGRAM (and counted GROUP) names that only the count and enumeration frames around them
    delimit."""
    found: list[Candidate] = []
    for c in metrics:
        unit = (c.name or "").split("\x1f")[-1]
        if unit not in ("个", "项", "家", "批", "类", "处"):
            continue
        m = COUNTED_NAME.match(text, c.end)
        if m and _counted_name(m.group(1)):
            found.append(_name_candidate(text, m.start(1), m.end(1)))
        elif unit in ("家", "所", "处"):
            m = COUNTED_GROUP.match(text, c.end)
            if m and _counted_name(m.group(1), 2):
                found.append(Candidate(m.start(1), m.end(1), "GROUP", "pattern", 0.9))
    wholes = set()
    for cue in WHOLE_CUE.finditer(text):  # the cue first: the whole is read back from it
        m = WHOLE_BEFORE_CUE.search(text, max(0, cue.start() - 24), cue.end())
        if m is None or m.end() != cue.end():
            continue
        name = m.group(1)
        head = _head(name)
        if head in name[:-len(head)]:  # 标准体系内容智能网联汽车标准体系: a heading run into the line
            name = name[name.index(head) + len(head):]
        name = HEADING.sub("", name.lstrip("将把对在为以由从向与和及或并"), count=1)
        if len(name) - len(head) >= 2:
            wholes.add(name)
    for name in wholes:  # the whole is named so elsewhere too (…形成B体系。B体系包括…)
        for m in re.finditer(re.escape(name), text):
            found.append(_name_candidate(text, m.start(), m.end()))
    for m in SHARED_HEAD.finditer(text):
        head, count, listed = m.group(3), _number(re.sub(r"大?(?:类|个|项|种)$", "", m.group(2) or "")), \
            re.split(r"[、:：]", m.group(1))
        if count is None or not (count == len(listed) or m.group(0).find("等") >= 0 and count > len(listed)):
            continue  # a list of kinds is one when its count agrees (A、B、C、D等四大类标准子体系)
        pos = m.start(1)
        for item in listed:
            label = ITEM_LABEL.match(item)
            skip = label.end() if label else 0
            if len(item) - skip >= 2:
                s = pos + skip
                found.append(Candidate(s, pos + len(item), FRAME_HEADS[_head(head)], "pattern", 0.9,
                                       text[s:pos + len(item)] + head))
            pos += len(item) + 1
    return found


#: verbs that make a counted phrase a clause, not a name (28个国家签署…机制, 100个城市进行…试点)
CLAUSE_VERBS = re.compile(r"签署|签订|上线|进行|开展|建立|建成|认定|评选|实施|推进|参与|完成|设立|成立"
                          r"|组建|启动|纳入|入选|获批|获得|列入|印发|发布|部署|落实|开工|投产|达到|超过|接入")


def _counted_name(name: str, before_head: int = 4) -> bool:
    """Whether the phrase after a count is a name: long enough before its head, no clause, no second count,
    and not a kind word qualified by a clause (新签约的重大项目)."""
    if NOT_A_NAME_START.match(name) or CLAUSE_VERBS.search(name):
        return False
    if re.search(rf"[\d{_CN}]+大?[个项家所类]|\d+大|等", name):
        return False  # a second count (5大类…及10大领域…体系) or an open list (节能、节水等重大项目)
    if len(name) - (_head_length(name) if name.endswith(tuple(FRAME_HEADS)) else 2) < before_head:
        return False
    return "的" not in name or len(name) - name.rindex("的") - 1 > 4


def _head(name: str) -> str:
    return next(h for h in sorted(FRAME_HEADS, key=len, reverse=True) if name.endswith(h))


def _head_length(name: str) -> int:
    return len(_head(name))


def _name_candidate(text: str, start: int, end: int) -> Candidate:
    return Candidate(start, end, FRAME_HEADS[_head(text[start:end])], "pattern", 0.9)


# -- relations ----------------------------------------------------------------------------------------------
#: after a whole: what introduces its parts (体系包括…, 框架分为…, 平台由…组成)
PARTS_CUE = re.compile(r"(?:主要)?(?:包括|包含|分为|划分为|涵盖|由)")
#: between a part and the whole it is the core of (以A为核心的B)
CORE_OF = re.compile(r"为(?:核心|主体|枢纽)的")
#: before the figures of a document's or a programme's size (《若干政策》共七部分14条)
SIZE_CUE = re.compile(r"(?:共|共有|共计|分为|包括|包含|含)?")
SIZE_UNITS = frozenset({"部分", "条", "章", "节", "款", "项", "篇"})
#: units of a figure that opens a collective name (七项协调机制, 三类平台; not 三个创新中心…计划)
COLLECTIVE_UNITS = frozenset({"项", "类", "种", "部分"})
_WHOLE_LABELS = ("MECHANISM", "PROGRAM", "POLICY")
#: what a figure written right after it counts (组建志愿服务队9430支，参与志愿者59万人次。)
COUNTED_LABELS = ("MECHANISM", "PROGRAM", "GROUP", "EVENT")
CLAUSE_END = "，,。；;、）)"
#: units of rates, not counts (…完成年计划27%: a share of a plan, not its size)
RATES = frozenset({"%", "百分点", "倍"})
_PART_LABELS = ("MECHANISM", "PROGRAM")

#: between a thing and the figure of its size (高校毕业生人数达1158万人, 试点面积扩大到1000万亩,
#: 市场主体总量超过1亿户)
SIZE_OF = re.compile(r"(?:的?(?:人数|数量|总数|总量|规模|面积|户数|家数|个数))?"
                     r"(?:将|已|共|累计|总计|共计)?(?:高达|达到|达|超过|超|突破|逾|增加到|增至|扩大到|提高到|"
                     r"增长到|增加至|扩大至|提高至|为|约|近|有|不超过|不少于|不低于|不多于|至少|最多)了?"
                     r"(?:约|近|超过|超)?")
#: label, head, tail (entity indexes), evidence, confidence
Found = tuple[str, int, int, tuple[int, int], float]


def quantity_relations(text: str, k: int, sentences: list[tuple[int, int]],
                       by_sentence: list[list[tuple[Any, int]]], entities: list[Any]) -> Iterator[Found]:
    """quantifies and partOf read in sentence ``k`` (``by_sentence``: its mentions and their entity indexes).

    - partOf: the MECHANISM and PROGRAM mentions after ``W包括/分为/由`` in W's sentence are parts of W; in
      ``以A为核心的B``, A is part of B; the things counted in a sentence that opens with 其中 are parts of the
      thing counted in the sentence before (确定50个X。其中：选择10个A，选择20个B → A, B partOf X); in
      ``作为B的重要组成部分/重要内容/…之一``, the arrangement nearest before 作为 (or after it, when 作为
      opens its clause) is part of B.
    - quantifies: a figure that opens a name counts it (七项协调机制); figures of parts right after a document
      or programme count it (《若干政策》共七部分14条); a figure that closes the phrase right after a
      programme, arrangement, group or event counts it (举办…培训班3期，), also through a verb of size
      (高校毕业生人数达1158万人, 引进科技企业不少于10家); a count of things counts the kind named a few
      modifiers after it
      (5000多所二级以上医疗机构).
    """
    items = by_sentence[k]
    s0, s1 = sentences[k]
    for n, (m, i) in enumerate(items):
        label = entities[i].label
        if label in _WHOLE_LABELS:
            cue = PARTS_CUE.match(text, m.end)
            if cue and label != "POLICY":
                clause = re.compile(r"[，,；;。]").search(text, cue.end(), s1)
                for x, j in items[n + 1:]:
                    if clause and x.start >= clause.start():
                        break  # the parts are listed in the cue's clause
                    if entities[j].label in _PART_LABELS and j != i and not _nested(x, m):
                        yield "partOf", j, i, (m.start, x.end), 0.6
            pos = SIZE_CUE.match(text, m.end).end()  # type: ignore[union-attr]
            sizes = []
            for x, j in items[n + 1:]:
                if x.start != pos or entities[j].label != "METRIC" or entities[j].unit not in SIZE_UNITS:
                    break
                sizes.append((x, j))
                pos = x.end
            if sizes and (pos >= len(text) or text[pos] in "，,。；;、）)"):  # …共七部分14条，: its size, not
                for x, j in sizes:                                         # 三大行动30项具体任务
                    yield "quantifies", j, i, (m.start, x.end), 0.7
        if label == "METRIC":
            for x, j in items[n + 1:]:
                if x.start > m.start:
                    break
                if x.start == m.start and x.end > m.end and entities[j].label in _PART_LABELS \
                        and entities[i].unit in COLLECTIVE_UNITS:
                    yield "quantifies", i, j, (x.start, x.end), 0.7  # 七项协调机制
        if label == "METRIC" and entities[i].unit in COUNT_UNITS:
            for x, j in items[n + 1:]:
                if x.start < m.end:
                    continue
                if x.start > m.end and x.start - m.end <= 10 and entities[j].label in _COUNTED_KINDS \
                        and _modifiers(text[m.end:x.start]):
                    yield "quantifies", i, j, (m.start, x.end), 0.6  # 5000多所二级以上医疗机构
                break
        if label in COUNTED_LABELS and n + 1 < len(items):
            x, j = items[n + 1]
            after = APPROX_RE.match(text, x.end).end()  # type: ignore[union-attr]
            closes = after >= len(text) or text[after] in CLAUSE_END
            counts = entities[j].label == "METRIC" and entities[j].unit not in RATES
            if counts and closes and (x.start == m.end or SIZE_OF.fullmatch(text, m.end, x.start)):
                yield "quantifies", j, i, (m.start, x.end), 0.6  # 举办…培训班3期，小巨人企业1万家以上。
        if label in _PART_LABELS:
            core = CORE_OF.match(text, m.end)
            if core:
                for x, j in items[n + 1:]:
                    if x.start == core.end() and entities[j].label in _PART_LABELS:
                        yield "partOf", i, j, (m.start, x.end), 0.6
    yield from _made_part(text, items, entities, s0, s1)
    if k > 0 and re.match(r"其中", text[s0:s1]):
        wholes = [(x, j) for x, j in _counted(text, by_sentence[k - 1], entities)]
        parts = _counted(text, items, entities)
        if len(wholes) == 1 and parts:
            whole, w = wholes[0]
            for x, j in parts:
                if entities[j].label == entities[w].label and j != w:
                    yield "partOf", j, w, (whole.start, x.end), 0.6


#: after a whole named after 作为: what makes a thing part of it (作为X的重要组成部分, 作为X的…工程之一)
PART_OF_WHOLE = re.compile(r"的(?:重要|关键|核心|基础|有机|主要|标志性)?"
                           r"(?:组成部分|组成|内容|[^，,。；;的]{0,4}之一)")


def _made_part(text: str, items: list[tuple[Any, int]], entities: list[Any], s0: int,
               s1: int) -> Iterator[Found]:
    """partOf in 作为B的重要组成部分/重要内容/…之一: A is the arrangement nearest before 作为 in the
    sentence (把A作为B的重要内容; A正在施工，作为B的标志性工程之一), or failing one, the first after it when
    作为 opens its clause (作为B的重要组成部分，A…)."""
    for cue in re.finditer("作为", text[s0:s1]):
        at = s0 + cue.end()
        whole = next(((x, j) for x, j in items if x.start == at and entities[j].label in _WHOLE_LABELS), None)
        if whole is None or not PART_OF_WHOLE.match(text, whole[0].end):
            continue
        before = [(x, j) for x, j in items if x.end <= at - 2 and entities[j].label in _PART_LABELS]
        after = [(x, j) for x, j in items if x.start > whole[0].end and entities[j].label in _PART_LABELS]
        c0 = max((s0, *(s0 + m.end() for m in re.finditer(r"[，,；;：:]", text[s0:at - 2]))))
        opens = not re.search(r"[\u4e00-\u9fff]", text[c0:at - 2])  # 作为B的…，A…: 作为 opens the clause
        part = before[-1] if before else after[0] if after and opens else None
        if part is not None and part[1] != whole[1]:
            yield "partOf", part[1], whole[1], (min(part[0].start, whole[0].start),
                                                max(part[0].end, whole[0].end)), 0.6


#: units of a figure that counts things (500所本科和高职院校, 4万名铁路工人)
COUNT_UNITS = frozenset({"个", "家", "所", "名", "项", "支", "座", "批", "户", "位", "款", "种", "处", "台",
                         "套", "人"})
_COUNTED_KINDS = ("GROUP", "PROGRAM", "MECHANISM")
#: jieba tags of the words between a count and what it counts: nouns and their modifiers, no verb
_MODIFIER_TAGS = ("n", "b", "j", "a", "f", "m", "q", "c", "vn", "ns", "nz", "uj")


def _modifiers(between: str) -> bool:
    """Whether the words between a count and a name only modify the name (二级以上, 本科和, 具有…影响力的 is
    not: a verb; 国家签署 is not)."""
    if re.search(r"[，,。；;：:、\n（()）“”《》]", between) or len(between) > 10 \
            or "的" in between and not re.fullmatch(r"(?:以上|左右|多|余)?的", between):
        return False  # 2个项目的|组织协调高校, 208个省级和城市的地方政府上线|平台: it counts another thing
    tags = jieba_tags()
    for word in jieba.lcut(between, HMM=False):
        tag = tags.get(word)
        if word in ("以上", "左右", "多", "余", "的") or tag is not None and tag.startswith(_MODIFIER_TAGS) \
                and not tag.startswith("nr"):
            continue
        return False
    return True


def _counted(text: str, items: list[tuple[Any, int]], entities: list[Any]) -> list[tuple[Any, int]]:
    """The MECHANISM and PROGRAM mentions right after a figure (50个以上X)."""
    out = []
    for (m, i), (x, j) in zip(items, items[1:], strict=False):
        if entities[i].label == "METRIC" and entities[j].label in _PART_LABELS and x.start >= m.end \
                and re.fullmatch(_APPROX, text[m.end:x.start]):
            out.append((x, j))
    return out


def _nested(x: Any, m: Any) -> bool:
    return bool(x.start < m.end and x.end > m.start)


# -- the parts of a programme a section heading names ------------------------------------------------------
#: the ordinals of each heading level, highest first: 一、 / （一） / 1.
_LEVELS = (r"[一二三四五六七八九十]{1,3}、", r"[（(][一二三四五六七八九十]{1,3}[）)]", r"\d{1,2}[.、．]")
#: a heading line that names a programme: （三）实施高新技术企业“厚植沃土”行动 / 四、实施…工程 / （一）…工程
SECTION = re.compile(rf"^[ \t\u3000]*(?:(?P<l0>{_LEVELS[0]})|(?P<l1>{_LEVELS[1]})|(?P<l2>{_LEVELS[2]}))"
                     r"[ \t\u3000]*(?:组织实施|实施|开展|启动|推进|推行|建立|打造|设立)?"
                     r"(?P<name>[^\n。，；]{2,40}?(?:行动|工程|计划|专项))[ \t\u3000。]*$", re.M)
#: the next heading of a level or above: at a line's start, or run into the text after 。 or a note's ）
_SECTION_ENDS = tuple(re.compile(r"(?:^|(?<=[。）)]))[ \t\u3000]*(?:" + "|".join(_LEVELS[:n + 1]) + ")", re.M)
                      for n in range(len(_LEVELS)))
#: a verb that sets up what follows it in its clause (建设X, 建立…的X)
SETS_UP = re.compile(r"(?:组织实施|实施|开展|启动|推进|推行|设立|建立|建设|建成|打造|搭建|构建|组建|举办)"
                     r"(?:[^，,。；;、：:\n]{0,12}的)?$")
MAX_SECTION = 4000


#: a cue right before a group that a section's programme is for (支持G, 扶持G, 帮助G, 为G提供, 面向G)
SECTION_AIM = re.compile(r"(?:支持|扶持|帮助|帮扶|助力|面向|服务|惠及)(?:更多的?|广大|各类)?$")


def section_parts(text: str, placed: list[tuple[Any, int]],
                  labels: list[str]) -> list[tuple[str, int, int, tuple[int, int]]]:
    """partOf and targets read over a document's sections: under a heading that names a programme
    (（一）实施X行动), the mechanisms and programmes that the section's items set up (建立Y, 建设Z平台) are
    parts of X, and the groups it supports (支持G, 帮助G, 面向G) its targets, up to the next heading of the
    same or a higher level. (label, head, tail, evidence)."""
    out: list[tuple[str, int, int, tuple[int, int]]] = []
    starts = [m.start for m, _ in placed]
    for h in SECTION.finditer(text):
        level = next(n for n, key in enumerate(("l0", "l1", "l2")) if h.group(key))
        nxt = _SECTION_ENDS[level].search(text, h.end())
        end = min(nxt.start() if nxt else len(text), h.end() + MAX_SECTION)
        k0, k1 = bisect_left(starts, h.start()), bisect_left(starts, h.end())
        # the heading names the programme (（一）“数商强基”行动, 四、实施…重点工程)
        whole = next(((m, i) for m, i in placed[k0:k1]
                      if labels[i] in _PART_LABELS and m.end == h.end("name")), None)
        if whole is None:
            continue
        w_m, w = whole
        listed: Any = None  # the previous group supported, for the groups listed after it
        for m, i in placed[k1:bisect_left(starts, end)]:
            if labels[i] in _PART_LABELS and i != w \
                    and SETS_UP.search(text, max(h.end(), m.start - 16), m.start):
                out.append(("partOf", i, w, (w_m.start, m.end)))
            if labels[i] != "GROUP":
                listed = None
                continue
            aimed = SECTION_AIM.search(text, max(h.end(), m.start - 6), m.start) is not None or \
                listed is not None and re.fullmatch(r"[、和及与]|以及", text[listed.end:m.start]) is not None
            listed = m if aimed else None
            if aimed and not OWNER.match(text, m.end, min(len(text), m.end + 40)):
                out.append(("targets", w, i, (w_m.start, m.end)))
    return out
