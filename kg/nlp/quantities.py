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

Relations (called from ``kg_relations``) are in :func:`quantity_relations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import jieba

from kg.core.lexicon import read_table
from kg.nlp.candidates import Candidate

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
              "名": re.compile(r"[单义额]")}
#: jieba frequency of a common word (个人, 软件, 支持): a page or section number in or before one is no figure
COMMON = 100
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
                if wan and re.match(r"\d", number) is None and "点" not in number:
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
        arabic = re.match(r"\d", number) is not None
        before = text[max(0, start - 4):start]
        after = text[end:end + 6]
        if after[:1] and after[0] in "年月日号时":
            return False  # 5个月, 3个年度: a date or a span of time
        freq = jieba.dt.FREQ
        if re.search(r"[\u4e00-\u9fff]\s$", before) and freq.get(before[-2] + unit_word[0], 0) >= COMMON:
            return False  # 个 2 人信息, 软 15 件: a page number dropped into a word (个人, 软件)
        spaced = text[start:end].find(" ") > 0 or before.endswith(" ")
        if (spaced or "." in number) and len(unit_word) == 1 and freq.get(unit_word + after[:1], 0) >= COMMON:
            return False  # 2.7 支持: a section's number before a word (支持) that begins with a measure word
        if re.search(rf"[\d{_CN_CHARS}]\s$", before):
            return False  # 1 3 9 9亿, 第十 三条: a number broken by spaces
        if number.strip("零〇") == "":
            return False  # 零件
        if not arabic and before[-1:] and before[-1] in "几数":
            return False  # 几十亿, 数百个: no figure
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
