"""Bodies' names: where they begin, and the bodies written inside or after them (docs/annotation.md, ORG).

- **A body's name never opens with a verb or a preposition.** 市工业和信息化局函请市财政局拨付资金,
  根据市财政局的意见, 组织区县政府开展: 函请, 根据, 组织 are the sentence's, not the name's. A short form
  (市财政局, 区县政府) written after such a word is read without it; :func:`verb_opening` says whether the
  characters before a level word are such a word (jieba's tags p, v, c, d, r …, or a verb of asking or
  passing on: 函请, 报请, 提请, 商请, 由, 经, 向 …). A real place jieba does not know (a county) passes.
- :func:`impossible_opening` is the same test on a finished name (the ORG names the test suite scans).
"""

from __future__ import annotations

import re

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
LEVEL_OPENING = re.compile(r"^(?:中共)?[省市县区州盟旗]")


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
