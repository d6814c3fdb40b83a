"""News and officials: people, posts, meetings, foreign bodies, and which places a text names on their own.

Hooks (each called from the component named):

- :func:`standalone_places` (``kg_resolve``): a PLACE is an entity only when the text names it on its own
  (docs/annotation.md, decision 8), not only as the issuer's voice (我省, 我市), inside another entity's
  name, inside a quoted title (《科技部关于支持济南…》), or as the opening word of a name the rules do not
  hold (山东大模型试验场, 济南“鲲鹏+昇腾”生态创新中心, 中国式现代化). Bodies are locatedIn only such places.
- :func:`candidates` (``kg_patterns``): posts of foreign and press officials (总统, 参议长, 新闻发言人 …),
  transliterated names next to a post (埃及总统塞西, 省长阿什拉夫), international organisations
  (东盟 → 东南亚国家联盟), state venues (人民大会堂), numbered army groups (78集团军) and kinds of meeting
  the patterns lack (推进会, 观摩会).
- :func:`extra_mentions` (``kg_resolve``): the two governments of a joint statement (《A政府和B政府联合
  声明》: both issue it and cooperate), the body a meeting is named after (中共中央政治局会议 → 中共中央
  政治局, which organizes it), and the government whose head a local post names (阿斯旺省省长 → 阿斯旺省政府,
  河北省省长 → 河北省人民政府; decision 7).
- :func:`relations` (``kg_relations``): holdsPost along 、-chains of posts (中共中央总书记、国家主席、中央军委
  主席X) and for heads of government, cooperatesWith between the issuers of one joint title and between bodies
  that sign together or exchange (A同B加强交往), locatedIn of a country's government and of a branch named
  after its place (…西双版纳分院); holdsPost for every name of a 、-list after a body's post (国务院副总理
  丁薛祥、张国清、刘国中: the names read by :func:`listed_names` from ``kg_patterns``); organizes for a
  numbered study session (国务院…进行第三次专题学习).
- :func:`doctrine_openings` (``kg_resolve``): a leader's name opening a doctrine's name (习近平新时代中国特色
  社会主义思想, 邓小平理论) is no mention of the person.
- :func:`disaster_start` (``kg_patterns``): a disaster is named by its places or a disease (汶川特大地震,
  新冠肺炎疫情), not by a field (人工智能地震).

Measured on samples of the development corpora (400 news stories of 2023 without the test stories, 40 policy
documents, 10 government reports; output with and without these hooks; ~20 random changes read per rule):
places removed 264 / 46 / 36 (right by decision 8: 21 of 25, 19 of 20, 14 of 20), locatedIn removed
75 / 43 / 1 (23 of 25, 20 of 20); news posts 168 new entities (25 of 25), foreign names 64 (29 of 30),
international bodies 64 (25 of 25), venues 23 (17 of 17), holdsPost 26 new (23 of 24), cooperatesWith 8
(8 of 8).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from kg.core.lexicon import read_table
from kg.core.resources import ontology_path
from kg.nlp.candidates import Candidate

# ------------------------------------------------------------------------------------------------ places

#: what may follow a place named on its own: punctuation, or words that are no noun (a verb, adverb,
#: preposition, conjunction, particle, locality or number: 福建积极引导, 在陕西，, 中国取得…)
_OWN_TAGS = ("v", "d", "p", "c", "u", "f", "m", "q", "r", "t", "y", "e", "o", "ad", "an", "z", "i", "l", "ns")
#: LAC's tags of a word after a place that leave it a place of its own (no noun: a verb, adverb,
#: preposition ...; another place or a person: 陕西西安, 总统卢拉)
_LAC_OWN = frozenset({"v", "vd", "vn", "d", "ad", "p", "c", "u", "f", "m", "q", "r", "t", "TIME", "w", "xc",
                      "LOC", "ns", "PER", "nr", "s"})
#: words after a place that leave it a place of its own: parts of it, or a visit to it
_PLACE_AFTER = ("全面", "内地", "地区", "境内", "全境", "各地", "全省", "全市", "全区", "全县", "当地",
                "本土", "沿海", "国事访问", "正式访问", "访问", "进行")
#: opening marks after which a place is the first word of a quoted name (济南“鲲鹏+昇腾”生态创新中心)
_OPEN_QUOTES = "“\"「『《"
#: words before a place that make it where something happens (在云南调研, 到景洪市, 赴埃及, 访问泰国)
_WHERE = ("在", "到", "赴", "于", "从", "至", "经", "访问", "抵达", "来自", "途经")
_CLOSING = "，,。；;：:、！？!?）)」』”\"》…—\n\r\t \u3000"


def _in_title(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside 《…》 or a short “…” (a quoted title, name or slogan reads as one
    name: “好客山东·云游齐鲁”, “中国算谷”)."""
    for opening_mark, closing_mark, reach in (("《", "》", 80), ("“", "”", 12)):
        opening = text.rfind(opening_mark, max(0, start - reach), start)
        if opening >= 0 and text.find(closing_mark, opening, start) < 0 \
                and text.find(closing_mark, end, end + reach + 40) >= 0:
            return True
    return False


def place_on_its_own(text: str, start: int, end: int, *, covered: bytearray, next_label: str | None,
                     words: Mapping[int, int], tags: Mapping[str, str],
                     lac: Mapping[int, tuple[int, str]] | None = None, prev_label: str | None = None,
                     posts: AbstractSet[int] = frozenset()) -> bool:
    """Whether the place written at ``[start, end)`` is named on its own.

    ``covered`` marks the characters of other entities' mentions; ``next_label`` is the label of a mention
    starting at ``end`` (or None), ``prev_label`` of one ending at ``start``, ``posts`` where POST mentions
    start; ``words`` maps where each jieba word starts to where it ends, ``tags``
    jieba's words to their parts of speech; ``lac`` where each LAC word starts to its end and tag (LAC's
    parts of speech are read first where it tagged the text: jieba's dictionary tags are noisier).
    """
    lac = lac or {}
    if any(covered[start:end]) or _in_title(text, start, end):
        return False
    if text[end:end + 1] == "·" and "\u4e00" <= text[end + 1:end + 2] <= "\u9fff" \
            and text[end + 1:end + 2] not in TRANSLIT:
        return False  # 海归小镇（济南·人工智能）, 中国·青岛: the first word of a name joined by ·
    if next_label in ("PLACE", "POST", "PERSON") or prev_label == "PLACE":
        return True  # 陕西西安, 北京人民大会堂, 阿斯旺省省长, 泰国总理
    if any(p in posts for p in range(end + 1, end + 5)) and "\u4e00" <= text[end:end + 1] <= "\u9fff":
        return True  # 美国财政部长: the country of an official
    if start not in words and lac.get(start, (-1, ""))[0] != end:
        return False  # inside a word, for jieba and LAC alike (学大庆 is jieba's word, 大庆 LAC's)
    if start in words and end < len(text) and end not in words:
        # part of a longer word: a place of places (福建厦门), or a word of its own (中国化, 中国式)
        rest = text[end:words[start]]
        return tags.get(rest, "").startswith("ns")
    before, after = text[start - 1:start], text[end:end + 1]
    if before in "（(" and after in "）)" and start >= 2 and "\u4e00" <= text[start - 2] <= "\u9fff":
        return False  # 华为（济南）软件开发云创新中心: part of a body's name
    if after == "" or after in _CLOSING:
        return True
    if text[max(0, start - 2):start].endswith(_WHERE):
        return True  # 在云南调研, 到景洪市…
    if after in _OPEN_QUOTES:
        return False
    if text.startswith(_PLACE_AFTER, end):
        return True  # 中国内地, 台湾地区, 对越南国事访问
    if end - start >= 4:
        return True  # a long name (海南自由贸易港, 粤港澳大湾区) is a place even before a noun
    if end in lac:
        lac_end, lac_tag = lac[end]
        if lac_tag == "a":
            return lac_end - end > 1
        return lac_tag in _LAC_OWN
    tag = tags.get(text[end:words.get(end, end)])
    if tag is None:
        return True  # an unknown word (香港多地, 吉林查干湖): no noun of the dictionary
    if tag == "a":  # 广西重要的…, but 山东大模型, 中国新能源: a one-character adjective opens a name
        return words.get(end, end) - end > 1
    return tag.startswith(_OWN_TAGS) and tag != "nz"


def standalone_places(text: str, entities: list[Any], words: Mapping[int, int], tags: Mapping[str, str],
                      voice: str, lac: Sequence[tuple[int, int, str]] = ()) -> list[Any]:
    """``entities`` without the PLACEs the text never names on their own (see :func:`place_on_its_own`);
    the voice mentions (我省) of a place that stays are kept with it."""
    covered = bytearray(len(text) + 1)
    starts: dict[int, str] = {}
    ends: dict[int, str] = {}
    for e in entities:
        for m in e.mentions:
            starts.setdefault(m.start, m.label)
            ends.setdefault(m.end, m.label)
            if e.label != "PLACE" and m.label != "METRIC" and m.source != SOURCE:
                covered[m.start:m.end] = b"\x01" * (m.end - m.start)
    # the place opens a body's name written elsewhere in the text (山东高速信息集团有限公司): the same words
    # here are that name again, cut by a line break or missed by the recognisers
    places = {s for e in entities if e.label == "PLACE" for s in e.surfaces}
    names = {_squeeze(s) for e in entities if e.label not in ("PLACE", "METRIC") for s in e.surfaces}
    openings = {s[:len(p) + 2] for s in names for p in places if s.startswith(p) and len(s) > len(p) + 1}
    lac_words = {start: (end, tag) for start, end, tag in lac}
    posts = {m.start for e in entities if e.label == "POST" for m in e.mentions}
    kept = []
    for e in entities:
        if e.label == "PLACE" and not any(
                m.name != voice and _squeeze(text[m.start:m.end + 8])[:m.end - m.start + 2] not in openings
                and place_on_its_own(text, m.start, m.end, covered=covered, next_label=starts.get(m.end),
                                     words=words, tags=tags, lac=lac_words, prev_label=ends.get(m.start),
                                     posts=posts)
                for m in e.mentions):
            continue
        kept.append(e)
    return kept


#: what follows a leader's name that opens the name of a doctrine (习近平新时代中国特色社会主义思想,
#: 习近平法治思想, 毛泽东思想, 邓小平理论): the name there is the doctrine's word, no mention of a person
DOCTRINE = re.compile(r"(?:新时代中国特色社会主义|法治|经济|强军|外交|生态文明|文化)?思想|理论")


def doctrine_openings(text: str, entities: list[Any]) -> list[Any]:
    """``entities`` without the PERSON mentions that open a doctrine's name, and without the PERSONs that
    have no other mention (以习近平新时代中国特色社会主义思想为指导 names no one)."""
    kept = []
    for e in entities:
        if e.label == "PERSON":
            mentions = [m for m in e.mentions if not DOCTRINE.match(text, m.end)]
            if not mentions:
                continue
            e.mentions[:] = mentions
        kept.append(e)
    return kept


#: diseases an epidemic is named after (新冠肺炎疫情, 埃博拉疫情, 非典疫情)
DISEASE = re.compile(r"新冠肺炎|新冠|新型冠状病毒肺炎|非典|埃博拉|禽流感|甲型H1N1流感|甲流|猴痘|鼠疫|霍乱")
#: what may stand between a disaster's place and its kind (汶川特大地震, 玉树强烈地震)
_STRENGTH = ("", "特大", "强烈", "大", "强", "特大山洪")


def disaster_start(body: str, is_place: Callable[[str], bool]) -> int | None:
    """Where the name of a disaster begins in ``body`` (the words before its kind: 地震, 疫情 …), or None
    when they name none. A disaster is named by its places (四川芦山 …地震, 汶川特大地震) or by a disease
    (新冠肺炎疫情); anything else before the kind word is a field or a topic (人工智能地震, 实验室地震,
    国内外疫情, 智慧地震): no name. Words before the name are cut off (抗击汶川特大地震 → 汶川特大地震)."""
    if "、" in body:
        return None
    disease = DISEASE.search(body)
    if disease:
        return disease.start()
    for k in range(len(body) - 1):
        pos = k
        while True:
            n = next((n for n in (4, 3, 2) if pos + n <= len(body) and is_place(body[pos:pos + n])), 0)
            if not n:
                break
            pos += n
        if pos > k and body[pos:] in _STRENGTH and body[k:pos] not in ("中国", "我国", "全国"):
            return k  # (中国地震 is the country's seismic work, no one earthquake)
    return None


def short_place_forms(name: str, aliases: Iterable[str]) -> list[str]:
    """The usual short forms of an autonomous prefecture or county the division table leaves out: its
    short name with 州 or 县 (西双版纳傣族自治州 → 西双版纳州, 长阳土家族自治县 → 长阳县)."""
    for kind in ("州", "县"):
        if name.endswith("自治" + kind):
            return [a + kind for a in aliases if 2 <= len(a) <= 4 and not a.endswith(kind)
                    and "族" not in a and "自治" not in a]
    return []


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


# ------------------------------------------------------------------------------------------- candidates

#: Position titles the lexicon's posts.txt leaves out: heads of state and of parliaments, diplomats, the
#: press officers and officials that news reports quote (docs/annotation.md: POST is a position title).
NEWS_POSTS = ("国家主席", "国家副主席", "总统", "副总统", "首相", "副首相", "议长", "副议长", "参议长",
              "众议长", "国王", "女王", "王储", "外长", "外交部长", "国防部长", "州长", "总督", "大使",
              "特使", "总干事", "新闻发言人", "发言人", "负责人", "议员", "参议员", "众议员")
#: Posts a foreign official's name may follow (埃及总统塞西, 阿斯旺省省长阿什拉夫, 参议长阿卜杜拉齐格).
NAME_POSTS = ("国家主席", "总统", "副总统", "总理", "副总理", "首相", "议长", "参议长", "众议长",
              "国王", "女王", "王储", "外长", "外交部长", "国防部长", "省长", "州长", "市长", "总督", "主席",
              "秘书长", "总干事", "大使", "特使")
#: Characters of Chinese transliterations of foreign names (the usual ones of Xinhua's transliteration
#: tables): a foreign name is a run of these after a post (塞西, 阿卜杜拉齐格, 赛塔, 马克龙, 普京).
TRANSLIT = frozenset(
    "阿埃艾爱安昂奥巴拜班邦包保贝本比彼毕宾波伯博布卜查达戴丹道德登迪蒂丁东杜多厄恩法菲费芬丰弗福盖甘"
    "冈戈格根贡古瓜哈海汉豪赫亨胡霍基吉加贾杰金卡凯坎康考科克肯库夸奎拉莱赖兰朗劳勒雷蕾里利莉琳"
    "隆卢鲁伦罗洛马迈曼芒梅蒙米莫墨姆穆纳娜奈南内尼妮纽努诺欧帕潘佩皮珀普奇齐恰乔切钦丘萨塞赛桑瑟森"
    "沙莎舍什施斯松索塔泰坦汤特提图托瓦万旺威韦维温沃乌伍西希锡辛扎詹兹佐祖茨察伊耶约尤亚雅尔夫默"
    "契舒泽赞策京龙拉迪蒂米别延茂思列琪丝翁汶谢夏鲍琼朗申滕")
#: International organisations, official Chinese name -> the short forms news uses.
INTERNATIONAL: dict[str, tuple[str, ...]] = {
    "联合国": (),
    "联合国安全理事会": ("联合国安理会", "安理会"),
    "联合国大会": ("联大",),
    "联合国教育、科学及文化组织": ("联合国教科文组织", "教科文组织"),
    "联合国儿童基金会": (),
    "联合国粮食及农业组织": ("联合国粮农组织", "粮农组织"),
    "世界卫生组织": ("世卫组织",),
    "世界贸易组织": ("世贸组织",),
    "世界知识产权组织": (),
    "世界气象组织": (),
    "国际劳工组织": (),
    "国际原子能机构": (),
    "国际货币基金组织": (),
    "世界银行": (),
    "国际奥林匹克委员会": ("国际奥委会",),
    "东南亚国家联盟": ("东盟",),
    "欧洲联盟": ("欧盟",),
    "非洲联盟": ("非盟",),
    "阿拉伯国家联盟": ("阿盟",),
    "海湾阿拉伯国家合作委员会": ("海合会",),
    "上海合作组织": ("上合组织",),
    "北大西洋公约组织": ("北约",),
    "亚洲基础设施投资银行": ("亚投行",),
    "新开发银行": ("金砖国家新开发银行",),
    "亚洲开发银行": ("亚开行",),
    "石油输出国组织": ("欧佩克",),
}
#: State venues of Beijing where leaders meet their guests (新闻联播's 在人民大会堂会见…).
VENUES = ("人民大会堂", "钓鱼台国宾馆", "中南海", "怀仁堂", "紫光阁", "瀛台", "国家会议中心", "北京饭店")
#: Kinds of working meeting held by a body (召开推进会和示范矿井观摩会): named by what they do.
MEETING_KINDS = ("推进会", "观摩会", "现场会", "调度会", "动员会", "研讨会", "座谈会", "培训会", "交流会",
                 "推介会", "对接会", "洽谈会", "报告会", "分析会", "部署会", "联席会", "会商会", "总结会",
                 "表彰会", "誓师大会", "动员大会", "推进大会")
_MEETING_VERB = re.compile(r"(?:组织|研究|决定|主持)?(?:召开|举办|举行|主持|主办)了?")
_MEETING_ITEM = re.compile(r"(?![的了])[^，,。；;：:、和与及的\s“”《》（）()]{0,12}?(?:"
                           + "|".join(sorted(MEETING_KINDS, key=len, reverse=True)) + ")")
_POST_NAME_RE = re.compile("(" + "|".join(sorted(NAME_POSTS, key=len, reverse=True)) + ")")
#: numbered army groups and theatre commands (78集团军, 东部战区)
_ARMY_RE = re.compile(r"(?:第)?\d{2,3}集团军|(?:东部|南部|西部|北部|中部)战区")


def _table_re(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


_INTERNATIONAL_FORMS = {form: name for name, forms in INTERNATIONAL.items() for form in (name, *forms)}
_INTERNATIONAL_RE = _table_re(list(_INTERNATIONAL_FORMS))
_VENUE_RE = _table_re(list(VENUES))
#: the name of an international organisation's organ after the organisation's (联合国|人权理事会)
_ORGAN = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:理事会|委员会|秘书处|办事处|特派团|基金会|规划署|"
                    r"开发计划署|难民署|协调厅|法院|议会|总部|代表团)")
#: what makes an organisation's name part of another name
_NOT_AFTER_BODY = ("宪章", "自由贸易区", "自贸区", "博览会", "峰会", "框架", "旗")
#: what makes a post the opening of another name (总统办公室, 总统府, 总统选举)
_NOT_AFTER_POST = ("办公室", "办公厅", "府", "署", "官邸", "选举", "大选", "候选人", "任期", "职位", "馆",
                   "处")
#: a party's name before its leader's post (…党主席, …党总书记)
_PARTY_POST = re.compile(r"(?<=[\u4e00-\u9fff])党(?=主席|副主席|总书记|第一书记|领导人|秘书长|党首|议员)")
#: an agreement two sides sign (签署合作谅解备忘录, 签订…协定)
_SIGNED = re.compile(r"(?:签署|签订|签约)了?(?![的并和及与了等实施\d一二三四五六七八九十几多数])"
                     r"([^，,。；;：:、\s“”《》（）()和及的\d]{2,16}?"
                     r"(?:谅解备忘录|备忘录|合作协议|框架协议|协定|联合声明|联合公报|宣言))")
_NEWS_POST_RE = _table_re(list(NEWS_POSTS))


#: what may follow the last name of a 、-list of people (…、刘国中作交流发言, …、李希出席): a verb of taking
#: part, saying or attending, or a particle
_LIST_END = "说在等同表指强介认看主作出参陪分会到讲发致一和及"


def listed_names(text: str, end: int, is_name: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The names of a 、-list that goes on after a name written after its post (国务院副总理丁薛祥、张国清、
    刘国中作交流发言; 政治局常委李强、赵乐际、王沪宁出席): ``end`` is where the first name ends. An item
    between two 、 is the whole item (two or three characters); the last is three characters or two, with a
    verb, a particle or punctuation after it. Every item must pass ``is_name``, or the list is not one of
    names and none is taken (书记张三、市长 …, 张三、李四家属 …)."""
    spans: list[tuple[int, int]] = []
    pos = end
    while text.startswith("、", pos):
        start = pos + 1
        nxt = text.find("、", start, start + 4)
        if nxt in (start + 2, start + 3) and is_name(text[start:nxt]):
            spans.append((start, nxt))
            pos = nxt
            continue
        for length in (3, 2):
            name = text[start:start + length]
            after = text[start + length:start + length + 1]
            if len(name) == length and CJK_CHAR.match(name) and name[-1] not in "等和及与也都" \
                    and (after == "" or not CJK_CHAR.match(after) or after in _LIST_END) and is_name(name):
                return [*spans, (start, start + length)]
        return []
    return []


CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def function_word_opens(name: str, tags: Mapping[str, str]) -> bool:
    """Whether a would-be name opens with a preposition, conjunction, particle or adverb of two characters
    (关于加强: 关 is a surname, 关于 a preposition)."""
    return tags.get(name[:2], "n").startswith(("p", "c", "u", "d"))


def foreign_names(text: str, common: Callable[[str], bool]) -> set[str]:
    """Transliterated names written right after a post (埃及总统塞西时, 省长阿什拉夫。): the whole run of
    transliteration characters (with ·), of two to twelve, that ``common`` (an ordinary word) does not
    reject."""
    names: set[str] = set()
    for m in _POST_NAME_RE.finditer(text):
        k = m.end()
        while k < len(text) and (text[k] in TRANSLIT or (text[k] == "·" and k > m.end())):
            k += 1
        name = text[m.end():k].rstrip("·")
        if not 2 <= len(name) <= 12 or common(name):
            continue
        if k < len(text) and "\u4e00" <= text[k] <= "\u9fff" and common(text[k - 1:k + 1]):
            name = name[:-1]  # 塞西时 → 塞西 + 时; 赛塔表示: 表 is no transliteration character anyway
            if len(name) < 2 or common(name):
                continue
        names.add(name)
    return names


def candidates(text: str, common: Callable[[str], bool], token_start: Callable[[int], bool],
               is_place: Callable[[str], bool]) -> list[Candidate]:
    """News candidates of ``text`` (the match text), see the module's docstring. ``common(word)``: an
    ordinary word (no name); ``is_place(word)``: a place's name for jieba."""
    out: list[Candidate] = []
    for m in _NEWS_POST_RE.finditer(text):
        if not token_start(m.start()) or not token_start(m.end()) \
                or text.startswith(_NOT_AFTER_POST, m.end()):
            continue  # 大使馆, 总统办公室, 总统选举: no post
        out.append(Candidate(m.start(), m.end(), "POST", "pattern", 0.8))
    for m in _POST_NAME_RE.finditer(text):  # 会见马拉维总统查克维拉: the country of a foreign head
        k = m.start()
        while k > 0 and text[k - 1] in TRANSLIT and m.start() - k < 6:
            k -= 1
        after = text[m.end():m.end() + 2]
        if m.start() - k >= 2 and not ("\u4e00" <= text[k - 1:k] <= "\u9fff" and text[k - 1] in TRANSLIT) \
                and len(after) == 2 and all(ch in TRANSLIT for ch in after) and token_start(k) \
                and token_start(m.start()) and common(text[k:m.start()]) is False:
            out.append(Candidate(k, m.start(), "PLACE", "pattern", 0.8))
    for name in foreign_names(text, common):
        for m in re.finditer(re.escape(name), text):
            before, after = text[m.start() - 1:m.start()], text[m.end():m.end() + 1]
            if before in TRANSLIT or after in TRANSLIT or after == "·":
                continue  # inside a longer transliteration
            out.append(Candidate(m.start(), m.end(), "PERSON", "pattern", 0.85))
    for m in _INTERNATIONAL_RE.finditer(text):
        if text.startswith(_NOT_AFTER_BODY, m.end()):
            continue  # 联合国宪章, 中国—东盟自由贸易区: part of another name
        organ = _ORGAN.match(text, m.end())
        if organ:  # 联合国人权理事会, 欧盟委员会: a body of the organisation, named as written
            out.append(Candidate(m.start(), organ.end(), "ORG", "pattern", 0.8))
        else:
            name = _INTERNATIONAL_FORMS[m.group()]
            out.append(Candidate(m.start(), m.end(), "ORG", "lexicon", 0.9, name))
    for m in _VENUE_RE.finditer(text):
        out.append(Candidate(m.start(), m.end(), "PLACE", "pattern", 0.9))
    for m in PLENUM_LIST_RE.finditer(text):  # 十八届三中、四中、五中、六中全会: one plenum an item
        before = text[max(0, m.start() - 8):m.start()]
        party = "党的" if m.group("party") or re.search(r"党的[一二三四五六七八九十]+大和$", before) else ""
        term = m.group("term")
        for k, item in enumerate(re.finditer(r"[一二三四五六七八九十]+中", text[m.start("items"):m.end()])):
            start = m.start("items") + item.start()
            end = m.start("items") + item.end()
            if k == 0:
                start = m.start("term")
            if end + 2 == m.end():
                end = m.end()  # the last item: 六中全会
            out.append(Candidate(start, end, "EVENT", "pattern", 0.85, f"{party}{term}{item.group()}全会"))
    for m in STUDY_RE.finditer(text):  # 第三次专题学习, 第六次集体学习: a numbered study session
        out.append(Candidate(m.start(), m.end(), "EVENT", "pattern", 0.8))
    for m in _ARMY_RE.finditer(text):
        out.append(Candidate(m.start(), m.end(), "ORG", "pattern", 0.8))
    parties: set[tuple[str, str]] = set()
    for m in _PARTY_POST.finditer(text):
        # 埃及祖国未来党主席: a party of the country named before it (the country is part of the name as
        # written; 祖国未来党 alone then joins it as its tail)
        for s in range(m.start() - 2, max(0, m.start() - 8) - 1, -1):  # the nearest country before
            if not all("\u4e00" <= ch <= "\u9fff" for ch in text[s:m.end()]) or "的" in text[s:m.end()]:
                break
            country = next((text[s - n:s] for n in (3, 2) if s >= n and is_place(text[s - n:s])), None)
            if country is not None:
                parties.add((text[s - len(country):m.end()], text[s:m.end()]))
                break
    for whole, party in parties:  # every mention of the party, with its country or without
        for name in (whole, party):
            for found in re.finditer(re.escape(name), text):
                if name == whole or text[found.start() - len(whole) + len(party):found.end()] != whole:
                    out.append(Candidate(found.start(), found.end(), "ORG", "pattern", 0.75))
    for m in _SIGNED.finditer(text):
        out.append(Candidate(m.start(1), m.end(1), "POLICY", "pattern", 0.7))
    out.extend(law_names(text, token_start))
    out.extend(missions(text, is_place))
    for m in BODY_MEETING_RE.finditer(text):  # 国务院常务会议, 国务院全体会议: a body's own meeting
        if not text.startswith(("室", "厅", "中心", "精神", "纪要"), m.end()):
            out.append(Candidate(m.start(), m.end(), "EVENT", "pattern", 0.8))
    for m in APPOINTED.finditer(text):  # 任命李四为司法部部长, 免去张三的…职务: the name in the frame
        if not common(m.group()):
            out.append(Candidate(m.start(), m.end(), "PERSON", "pattern", 0.85))
    for m in _MEETING_VERB.finditer(text):
        pos = m.end()
        while (item := _MEETING_ITEM.match(text, pos)) is not None:
            out.append(Candidate(item.start(), item.end(), "EVENT", "pattern", 0.7))
            pos = item.end() + 1  # 推进会和示范矿井观摩会, 推进会、现场会
            if text[item.end():pos] not in ("和", "、", "及", "与"):
                break
    return out


# -------------------------------------------------------------------------------------- added mentions

#: 《A和B联合声明》: a statement two parties issue together (its issuers end so, or are countries' names)
ISSUER_ENDS = ("政府", "党", "委员会", "议会", "国会", "部", "署", "组织", "联盟")
JOINT_TITLE = re.compile(r"^(?P<a>[^《》“”，。；、\s]{1,28}?(?:政府|党|委员会|议会|国会|部|署|组织|联盟|国))"
                         r"(?:和|与|同)(?P<b>[^《》“”，。；、\s]{1,28}?(?:政府|党|委员会|议会|国会|部|署|组织|联盟|国))"
                         r"(?:关于[^《》]{2,60}?的)?联合(?:新闻公报|公报|声明|宣言|新闻稿|申明)$")
#: a meeting named after the body that holds it (中共中央政治局会议, 国务院常务会议)
BODY_MEETING = ("会议", "常务会议", "全体会议", "集体学习", "专题会议", "民主生活会")
#: posts that head a place's government (decision 7: 河北省省长 → 河北省人民政府)
HEAD_POSTS = frozenset({"省长", "副省长", "常务副省长", "市长", "副市长", "常务副市长", "州长", "副州长",
                        "县长", "副县长", "区长", "副区长"})
#: posts that head a country's government (泰国总理赛塔 → 泰王国政府, when the text names that government)
STATE_HEAD_POSTS = frozenset({"总理", "首相"})
#: at most this many posts of one 、-chain before a name are read
MAX_CHAIN = 6
#: a 、-list of the plenums of one Central Committee (十八届三中、四中、五中、六中全会)
PLENUM_LIST_RE = re.compile(r"(?P<party>党的)?(?P<term>[一二三四五六七八九十]+届)"
                            r"(?P<items>(?:[一二三四五六七八九十]+中、)+[一二三四五六七八九十]+中)全会")
#: a numbered study session of a leading body (国务院第三次专题学习, 中央政治局第六次集体学习)
STUDY_RE = re.compile(r"第[一二三四五六七八九十]+次(?:集体学习|专题学习)")
#: the longest 、-list of names that share one post (政治局常委李强、赵乐际 …)
MAX_LIST = 12
#: the source of the mentions added here (they cover no place: see :func:`standalone_places`)
SOURCE = "news"


def extra_mentions(text: str, mentions: Sequence[Any], central_forms: dict[str, str],
                   place_full: dict[str, str], mention: Callable[..., Any]
                   ) -> tuple[list[tuple[list[Any], Any]], list[Any]]:
    """(joint titles as [(issuer mentions, title mention)], every added mention); ``mention(start, end,
    label, name)`` makes a Mention."""
    titles: list[tuple[list[Any], Any]] = []
    added: list[Any] = []
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    for k, m in enumerate(ordered):
        surface = text[m.start:m.end]
        if m.label == "POLICY":
            inner = surface.strip("《》«»")
            at = m.start + (1 if surface[:1] in "《«" else 0)
            joint = JOINT_TITLE.match(inner)
            if joint and all(_party(joint.group(g)) for g in ("a", "b")):
                issuers = [mention(at + joint.start(g), at + joint.end(g), "ORG", joint.group(g))
                           for g in ("a", "b")]
                titles.append((issuers, m))
                added.extend(issuers)
        elif m.label == "EVENT":
            for n in range(min(len(surface) - 2, 20), 2, -1):
                body = central_forms.get(surface[:n])
                if body is not None and surface[n:] in BODY_MEETING:
                    added.append(mention(m.start, m.start + n, "ORG", body))
                    break
        elif m.label == "PLACE" and k + 1 < len(ordered):
            post = ordered[k + 1]
            if post.label == "POST" and post.start == m.end and text[post.start:post.end] in HEAD_POSTS:
                full = place_full.get(surface, surface)
                chinese = surface in place_full or full in place_full.values()
                added.append(mention(m.start, m.end, "ORG", full + ("人民政府" if chinese else "政府")))
    return titles, added


def _party(name: str) -> bool:
    return name.endswith(ISSUER_ENDS) or (2 <= len(name) <= 4 and name.endswith("国"))


# ------------------------------------------------------------------------------------------- relations

#: (label, head, tail, sentence, evidence, post, confidence), as kg.nlp.relations.Rel takes them
RelTuple = tuple[str, int, int, tuple[int, int], tuple[int, int], "str | None", float]
#: between two bodies that sign together (A与B签署…, A和B签订…)
SIGN_TOGETHER = re.compile(r"(?:与|和|同)")
_HELD_AT = re.compile(r"在|到|赴")
#: the kind of a branch, after its place (…西双版纳分院, …山东分行, …驻京办事处)
_BRANCH = re.compile(r"(?:分院|分校|分行|支行|分公司|分局|分会|分中心|分所|分部|办事处|代表处)$")
SIGN_AFTER = re.compile(r"(?:共同|正式|在[^，。]{1,10})?(?:签署|签订|签约|发表)")


def relations(text: str, placed: Sequence[tuple[Any, int]], entities: Sequence[Any],
              sentences: Sequence[tuple[int, int]],
              title_issues: Iterable[tuple[int, int, tuple[int, int]]]) -> list[RelTuple]:
    """Officials of governments and parties, and bodies that sign or state something together."""
    out: list[RelTuple] = []

    def sentence_of(pos: int) -> tuple[int, int]:
        return next(((a, b) for a, b in sentences if a <= pos < b), (pos, pos))

    items = sorted(placed, key=lambda p: (p[0].start, p[0].end, p[0].label != "ORG"))
    by_end: dict[tuple[int, str], list[tuple[Any, int]]] = {}
    for m, i in items:
        by_end.setdefault((m.end, m.label), []).append((m, i))
    for m, i in items:
        if m.label != "PERSON":
            continue
        for post_m, post_i in by_end.get((m.start, "POST"), []):
            post = entities[post_i].name
            # 阿斯旺省省长阿什拉夫 → 阿斯旺省政府 (added over the place); 泰国总理赛塔 → 泰王国政府 (named)
            for org_m, org_i in by_end.get((post_m.start, "ORG"), []):
                if org_m.source == SOURCE and post in HEAD_POSTS:
                    out.append(("holdsPost", i, org_i, sentence_of(m.start), (org_m.start, m.end), post, 0.8))
            for place_m, _place in by_end.get((post_m.start, "PLACE"), []):
                if post not in STATE_HEAD_POSTS:
                    continue
                place = text[place_m.start:place_m.end]
                for g, e in enumerate(entities):
                    if e.label == "ORG" and _government_of(e.name, place):
                        out.append(("holdsPost", i, g, sentence_of(m.start), (place_m.start, m.end),
                                    post, 0.7))
        # a 、-chain of posts before the name, with or without their bodies (中共中央总书记、国家主席、
        # 中央军委主席习近平; 祖国未来党主席、参议长阿卜杜拉齐格): each body with the post right after it
        pos = m.start
        for _ in range(MAX_CHAIN):
            posts = by_end.get((pos, "POST"))
            if not posts:
                break
            post_m, post_i = posts[0]
            orgs_before = [o for o in by_end.get((post_m.start, "ORG"), []) if o[0].source != SOURCE]
            for org_m, org_i in orgs_before:
                out.append(("holdsPost", i, org_i, sentence_of(m.start), (org_m.start, m.end),
                            entities[post_i].name, 0.7))
            begin = orgs_before[0][0].start if orgs_before else post_m.start
            if text[begin - 1:begin] != "、":
                break
            pos = begin - 1
        # a 、-list of names after the first one's body and post (国务院副总理丁薛祥、张国清、刘国中): each
        # holds the post (kg.nlp.patterns reads the names with news.listed_names)
        first = m
        for _ in range(MAX_LIST):
            listed = text[first.start - 1:first.start] == "、"
            before = by_end.get((first.start - 1, "PERSON")) if listed else None
            if not before:
                break
            first = before[0][0]
        if first is not m:
            for post_m, post_i in by_end.get((first.start, "POST"), []):
                for org_m, org_i in by_end.get((post_m.start, "ORG"), []):
                    out.append(("holdsPost", i, org_i, sentence_of(m.start), (org_m.start, m.end),
                                entities[post_i].name, 0.7))
    # 国务院第三次专题学习; 国务院…进行第三次专题学习 (the only body of the sentence before it): the body
    # holds the numbered study session, and organizes it
    for m, i in items:
        if m.label != "EVENT" or not STUDY_RE.fullmatch(text, m.start, m.end):
            continue
        sent = sentence_of(m.start)
        before = [(o_m, o_i) for o_m, o_i in items
                  if o_m.label == "ORG" and sent[0] <= o_m.start and o_m.end <= m.start]
        named = [o for o in before if o[0].end == m.start]
        if not named and len({o_i for _, o_i in before}) == 1 and text.endswith("进行", 0, m.start):
            named = before[:1]
        for o_m, o_i in named[:1]:
            out.append(("organizes", o_i, i, sent, (o_m.start, m.end), None, 0.7))
    # A与B签署…: both sign, and cooperate
    orgs = [(m, i) for m, i in items if m.label == "ORG"]
    for (a_m, a), (b_m, b) in zip(orgs, orgs[1:], strict=False):
        if a != b and SIGN_TOGETHER.fullmatch(text, a_m.end, b_m.start) and SIGN_AFTER.match(text, b_m.end):
            out.append(("cooperatesWith", a, b, sentence_of(a_m.start), (a_m.start, b_m.end), None, 0.7))
    # A同B加强交往 / A与B深化合作: the bodies cooperate
    for (a_m, a), (b_m, b) in zip(orgs, orgs[1:], strict=False):
        gap = text[a_m.end:b_m.start]
        if a == b or not re.fullmatch(r"[^，,。；;：:、]{0,8}?(?:同|与)", gap) or _HELD_AT.search(gap):
            continue
        rest = re.match(r"[^，,。；;：:]{0,16}?(?:交往|往来|合作|交流|对话|协作)", text[b_m.end:b_m.end + 24])
        if rest:
            out.append(("cooperatesWith", a, b, sentence_of(a_m.start), (a_m.start, b_m.end + rest.end()),
                        None, 0.6))
    # a country's government is located in the country (泰王国政府 → 泰国)
    for g, e in enumerate(entities):
        if e.label == "ORG" and e.name.endswith("政府"):
            for p, place in enumerate(entities):
                if place.label == "PLACE" and _government_of(e.name, place.name) \
                        and not e.name.startswith(place.name):
                    out.append(("locatedIn", g, p, sentence_of(e.mentions[0].start),
                                (e.mentions[0].start, e.mentions[0].end), None, 0.7))
    # a branch named after its place inside its parent's name (云南佛学院西双版纳分院 → 西双版纳)
    forms = {f: p for p, e in enumerate(entities) if e.label == "PLACE" for f in (e.name, *e.surfaces)
             if len(f) >= 2}
    for g, e in enumerate(entities):
        if e.label != "ORG":
            continue
        for f, p in forms.items():
            at = e.name.find(f, 1)
            if at > 0 and _BRANCH.match(e.name, at + len(f)):
                out.append(("locatedIn", g, p, sentence_of(e.mentions[0].start),
                            (e.mentions[0].start, e.mentions[0].end), None, 0.7))
    out.extend(named_by_parent(text, entities, sentence_of))
    out.extend(appointments(text, items, entities, sentence_of))
    # the issuers of one joint title cooperate
    by_title: dict[int, list[int]] = {}
    spans: dict[int, tuple[int, int]] = {}
    for head, tail, span in title_issues:
        by_title.setdefault(tail, []).append(head)
        spans[tail] = span
    for tail, heads in by_title.items():
        heads = list(dict.fromkeys(heads))
        for k, a in enumerate(heads):
            for b in heads[k + 1:]:
                out.append(("cooperatesWith", a, b, sentence_of(spans[tail][0]), spans[tail], None, 0.8))
    return out


def _government_of(name: str, place: str) -> bool:
    """Whether the body ``name`` is the government of the country ``place`` (泰王国政府 of 泰国)."""
    if not name.endswith("政府") or name.endswith("人民政府"):
        return False
    state = name[:-2]
    if state.startswith(place):
        return state == place or state[len(place):] in ("新一届",)
    return place.endswith("国") and state.startswith(place[:-1]) and state.endswith("国") and len(state) <= 6


# ------------------------------------------------------------------------------------ named by the parent

#: the short prefixes a central body's children are named with (中央书记处, 中央政治局 of 中共中央;
#: 军委办公厅 of 中央军委), beside the parent's own names
PARENT_PREFIXES: dict[str, tuple[str, ...]] = {"中共中央": ("中央", "党中央"), "中央军事委员会": ("军委",)}
#: the longest part of a child's name after its parent's (中共中央|对外联络部, 国家发展改革委|经济运行调节局)
MAX_CHILD_REST = 14


def _central_rows() -> list[dict[str, str]]:
    """The rows of the lexicon's central_bodies.tsv (none when a lexicon folder lacks it), read once."""
    path = ontology_path("lexicon") / "central_bodies.tsv"
    return read_table(path) if path.is_file() else []


_CENTRAL_ROWS = _central_rows()
#: central bodies' parents (中共中央政治局 → 中共中央, 全国人大常委会 → 全国人大)
LEXICON_PARENTS = {row["name"]: row["parent"] for row in _CENTRAL_ROWS if row.get("parent")}


def _central_forms() -> list[str]:
    """The names and aliases of central bodies (central_bodies.tsv) of three characters or more."""
    forms = {f for row in _CENTRAL_ROWS for f in (row["name"], *row.get("aliases", "").split("|"))}
    return sorted((f for f in forms if len(f) >= 3), key=len, reverse=True)


#: a central body's own meeting, written with the body's name (国务院常务会议, 国务院全体会议,
#: 全国人大常委会委员长会议): the patterns read a body alone before 会议 as no name (科技部试点)
BODY_MEETING_RE = re.compile("(?:" + "|".join(map(re.escape, _central_forms())) + ")"
                             r"(?:常务会议|全体会议|党组会议|主任会议)")


def named_by_parent(text: str, entities: Sequence[Any],
                    sentence_of: Callable[[int], tuple[int, int]]) -> list[RelTuple]:
    """subOrganizationOf of a body named by its parent (decision 8 and the news gold's rule: 中共中央政治局,
    中央书记处, 全国政协办公厅, 国务院侨办, 中央军委办公厅, 国家发展改革委经济运行调节局): a mention of the
    child, as written, opens with one of the parent's names (or, for a parent the lexicon gives, with its
    short prefix: 中央 for 中共中央), and the parent is named on its own somewhere in the text. The child's
    evidence is the sentence of that mention."""
    out: list[RelTuple] = []
    orgs = [(i, e) for i, e in enumerate(entities) if e.label == "ORG"]
    own = {i for i, e in orgs if any(m.source != SOURCE for m in e.mentions)}
    forms: dict[int, set[str]] = {}
    for i, e in orgs:
        names = {_squeeze(s) for s in (e.name, *e.surfaces)}
        names.update(_squeeze(text[m.start:m.end]) for m in e.mentions)
        forms[i] = {f for f in names if len(f) >= 3}
    for c, child in orgs:
        lexicon_parent = LEXICON_PARENTS.get(child.name)
        for m in child.mentions:
            if m.source == SOURCE:
                continue
            written = _squeeze(text[m.start:m.end])
            if written.startswith("中共") and not written.startswith("中共中央"):
                written = written[2:]  # 中共河南省委组织部 is named by 河南省委
            best: tuple[int, int] | None = None
            for p, parent in orgs:
                if p == c or p not in own:
                    continue
                prefixes = set(forms[p])
                if parent.name == lexicon_parent:
                    prefixes.update(PARENT_PREFIXES.get(parent.name, ()))
                for f in prefixes:
                    rest = len(written) - len(f)
                    if written.startswith(f) and 2 <= rest <= MAX_CHILD_REST \
                            and (best is None or len(f) > best[0]):
                        best = (len(f), p)
            if best is not None:
                out.append(("subOrganizationOf", c, best[1], sentence_of(m.start), (m.start, m.end), None,
                            0.7))
                break
    return out


# ------------------------------------------------------------------------------------------ laws unquoted

#: the end of a law's name written without 《》 (立法法, 民法典, 立法法修正草案, 刑法修正案（十二）,
#: 烟草专卖法实施条例): 法 and what a draft or an implementing act adds to it
LAW_END = re.compile(r"法典?(?:修正草案|修订草案|草案|（草案）|修正案(?:（[一二三四五六七八九十]+）)?|"
                     r"实施条例|实施办法|实施细则)?")
#: what may follow a law's name: punctuation, a conjunction, a particle, a copula
LAW_AFTER = "，,。；;：:、和及与等的是为》）)\n"
#: verbs a law's name follows (the legislature's and the courts' work on it): the name begins after them
LAW_BEFORE = ("审议", "通过", "表决通过", "修改", "修订", "修正", "制定", "实施", "施行", "贯彻", "贯彻实施",
              "颁布", "公布", "废止", "违反", "依据", "根据", "按照", "依照", "起草", "出台", "遵守", "执行",
              "适用", "新修订", "修订后", "检查", "推进", "推动", "加快", "形成", "一部")
#: words that end a draft's name on its left (关于立法法修正草案, 对粮食安全保障法草案, 和…修正草案)
LAW_BOUNDS = ("关于", "对", "和", "及", "在", "作", "将", "是", "就是", "以")
#: words for a way of doing something (老办法, 新方法, 育苗法): no law ends so
METHOD_WORDS = ("办法", "方法", "做法", "说法", "想法", "看法", "手法", "疗法", "算法", "写法", "打法",
                "玩法", "用法")
#: particles after such a verb (通过了无障碍环境建设法, 新修订的公司法, 审议通过的对外关系法)
LAW_PARTICLES = ("了", "的", "后的")
#: the end of a law's name before 、 (the items of a list of laws)
LAW_ITEM_END = re.compile(r"法典?(?:修正草案|修订草案|草案|（草案）|修正案)?$")
#: common words ending in 法 that name no law (方法, 办法, 依法, 非法 …)
NOT_LAWS = frozenset({"方法", "办法", "做法", "说法", "想法", "看法", "非法", "合法", "依法", "执法", "司法",
                      "违法", "守法", "用法", "疗法", "手法", "技法", "兵法", "书法", "算法", "语法", "写法",
                      "打法", "玩法", "立法", "变法", "无法", "设法", "效法", "取法", "大法", "良法", "国法",
                      "家法", "王法", "佛法", "章法", "魔法", "戏法", "画法", "读法", "叫法", "解法", "护法",
                      "普法", "懂法", "学法", "知法", "犯法", "枉法", "宪法学", "刑法学", "工法",
                      "笔法", "刀法", "心法", "加法", "减法", "乘法", "除法", "手段方法", "管理办法",
                      "实施办法", "新法", "旧法", "本法", "该法", "此法", "他法", "上位法",
                      "下位法", "母法", "部门法", "基本法"})
#: laws named by one character before 法
SHORT_LAWS = frozenset({"宪法", "刑法", "民法", "民法典"})
#: the longest name of a law before 法 (中华人民共和国无障碍环境建设 …)
MAX_LAW = 22


def law_names(text: str, token_start: Callable[[int], bool]) -> list[Candidate]:
    """Laws named without 《》 in news (会议表决通过了无障碍环境建设法、对外关系法; 审议行政复议法修订草案、
    外国国家豁免法草案; 深入实施外商投资法; 以宪法为核心): a name ending in 法 (with a draft's or an
    implementing act's ending) that begins after a legislative verb, a preposition or particle, 、 or
    punctuation within reach, at a word's start, and is no common word (方法, 依法). A name followed by a
    committee (宪法和法律委员会) is part of that body's name."""
    out: list[Candidate] = []
    for m in LAW_END.finditer(text):
        end = m.end()
        if end < len(text) and text[end] not in LAW_AFTER:
            continue
        if re.match(r"[和与及][^，。；、]{0,10}?委员会", text[end:end + 14]):
            continue  # 宪法和法律委员会
        law_end = m.start() + (2 if text.startswith("法典", m.start()) else 1)
        word_start = next((p for p in range(m.start(), max(-1, m.start() - 8), -1) if token_start(p)),
                          m.start())
        word = text[word_start:law_end]
        if word in SHORT_LAWS and token_start(law_end):  # 宪法, 刑法, 民法典: the word names the law
            start = word_start - 7 if text.endswith("中华人民共和国", 0, word_start) else word_start
            out.append(Candidate(start, end, "POLICY", "pattern", 0.75))
            continue
        if (len(word) >= 4 and word[-2:] in NOT_LAWS) or word in NOT_LAWS or len(word) == 2 \
                or word.endswith(METHOD_WORDS) \
                or (word == "法" and (word_start < 2 or token_start(word_start - 1))):
            continue  # 方法, 依法, 公正司法, 中法, 尊法: no law
        start = _law_start(text, m.start(), end, token_start)
        if start is None:
            continue
        name = text[start:law_end]
        if len(name) < 3 or name.startswith("国际") or name in NOT_LAWS:
            continue  # 国际法, 国际人道法: a body of law, no document
        out.append(Candidate(start, end, "POLICY", "pattern", 0.75))
    return out


def _law_start(text: str, at: int, end: int, token_start: Callable[[int], bool]) -> int | None:
    """Where the law's name that ends with 法 at ``at`` begins: right after a legislative verb (with its
    particle), after 、 that ends another law, or after punctuation when the name is a draft's or a list of
    laws follows; None when none of these stands within reach."""
    pos = at
    while pos > 0 and at - pos <= MAX_LAW:
        ch = text[pos - 1]
        if ch == "、":
            return pos if LAW_ITEM_END.search(text, max(0, pos - 30), pos - 1) else None
        if not "\u4e00" <= ch <= "\u9fff":
            draft = text[at:end].endswith(("草案", "修正案", "）"))
            return pos if draft or text[end:end + 1] == "、" else None
        if token_start(pos):
            if any(text.endswith(w, 0, pos) and token_start(pos - len(w)) for w in LAW_BOUNDS):
                draft = text[at:end].endswith(("草案", "修正案", "）"))
                return pos if draft or text[end:end + 1] == "、" else None
            for particle in ("", *LAW_PARTICLES):
                verb_end = pos - len(particle)
                if not text.endswith(particle, 0, pos) or not token_start(verb_end):
                    continue
                if any(text.endswith(v, 0, verb_end) and token_start(verb_end - len(v)) for v in LAW_BEFORE):
                    return pos
        pos -= 1
    return None


#: the opening of a body's name that names no one (党委政府, 党委社会工作部: every Party committee's, a kind
#: of body; decision 6), used by kg.nlp.patterns
GENERIC_COMMITTEE = ("党委", "党政")


# ------------------------------------------------------------------------------------------ appointments

#: the name in an appointment (任命李四为司法部部长, 任命王五（兼）为…) or a removal (免去张三的…职务)
APPOINTED = re.compile(r"(?<=任命)[\u4e00-\u9fff]{2,3}(?=(?:（[兼女]）)?为)"
                       r"|(?<=免去)[\u4e00-\u9fff]{2,3}(?=的)")
#: what stands between an appointed name and the body (为, with a note on the name: （兼）为)
_APPOINTED_TO = re.compile(r"(?:（[兼女]）)?为")


def appointments(text: str, items: Sequence[tuple[Any, int]], entities: Sequence[Any],
                 sentence_of: Callable[[int], tuple[int, int]]) -> list[RelTuple]:
    """holdsPost from an appointment: 任命李四为司法部部长 (and each body-and-post pair of a 、-list after it:
    任命王五为最高人民检察院副检察长、检察委员会委员 gives the first; a post without its body gives none).
    A removal (免去张三的…职务) says the post is no longer held: no relation."""
    out: list[RelTuple] = []
    ordered = sorted(items, key=lambda p: (p[0].start, p[0].end))
    starts: dict[int, list[tuple[Any, int]]] = {}
    for m, i in ordered:
        starts.setdefault(m.start, []).append((m, i))
    for m, i in ordered:
        if m.label != "PERSON" or not text.endswith("任命", 0, m.start):
            continue
        to = _APPOINTED_TO.match(text, m.end)
        if to is None:
            continue
        pos = to.end()
        while True:
            org = next((o for o in starts.get(pos, []) if o[0].label == "ORG"), None)
            if org is None:
                break
            post, deputy = None, ""
            for deputy in ("", "常务副", "副"):  # 副检察长 read as 检察长 after 副
                if text.startswith(deputy, org[0].end):
                    post = next((p for p in starts.get(org[0].end + len(deputy), []) if p[0].label == "POST"),
                                None)
                    if post is not None:
                        break
            if post is None:
                break
            after = text[post[0].end:post[0].end + 1]
            if after not in ("", "，", "。", "；", "、", "\n", "职"):
                break  # 任命李四为司法部部长助理: a longer post than the one read
            out.append(("holdsPost", i, org[1], sentence_of(m.start), (m.start, post[0].end),
                        deputy + entities[post[1]].name, 0.75))
            if after != "、":
                break
            pos = post[0].end + 1
    return out


# ---------------------------------------------------------------------------------------------- missions

#: a country's mission abroad (中国驻秘鲁大使馆, 俄罗斯驻美使馆, 中国常驻联合国代表团, 埃及驻阿盟代表团)
MISSION = re.compile(r"(?:常驻|驻)(?P<host>[\u4e00-\u9fff]{1,10}?)"
                     r"(?:大使馆|使馆|总领事馆|总领馆|领事馆|代表团|代表处)")
#: one-character names of countries before 驻 (俄驻美使馆, 美驻华大使馆)
_COUNTRY_CHARS = "中美俄英法德日韩朝越老泰印巴澳加意西荷瑞"


def missions(text: str, is_place: Callable[[str], bool]) -> list[Candidate]:
    """Missions named by the sending country and the host (中国驻秘鲁大使馆, 俄常驻联合国代表团): ORG, from
    the country (a place of two to six characters, or a one-character country) to the kind; the host must be a
    place, an international organisation or 华 (驻华), so 中国驻当地使馆 is none."""
    out: list[Candidate] = []
    for m in MISSION.finditer(text):
        host = m.group("host")
        if not (host == "华" or is_place(host) or host in _INTERNATIONAL_FORMS
                or (len(host) == 1 and host in _COUNTRY_CHARS)):
            continue
        start = next((m.start() - n for n in (6, 5, 4, 3, 2) if m.start() >= n
                      and is_place(text[m.start() - n:m.start()])), None)
        if start is None and m.start() >= 1 and text[m.start() - 1] in _COUNTRY_CHARS:
            start = m.start() - 1
        if start is not None:
            out.append(Candidate(start, m.end(), "ORG", "pattern", 0.8))
    return out
