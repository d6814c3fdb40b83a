"""The gazetteers at work: administrative divisions with their levels, central bodies, local departments.

One :class:`Gazetteer` per lexicon, shared by ``kg_lexicon`` (which proposes the names) and ``kg_resolve``
(which decides what a body named without its place stands for):

- :meth:`Gazetteer.parse_local` reads a local body's name as [place or level word][委][department]:
  山东省工业和信息化厅, 省工业和信息化厅, 青岛市市场监管局, 市委宣传部, 中共山东省委组织部;
- :meth:`Gazetteer.expand` gives its canonical name, and expands a level word only with a place of that level:
  省…/省委… with the document's province when that province is a 省, 市…/市委… only with a known city
  (or the municipality the document is about), 县…/区… never. It never writes 山东市…, 上海省… or a city
  before 省;
- :meth:`Gazetteer.issuer` reads a document's issuer, Chinese or as the corpora render it in English
  ("Shandong Provincial Department of Industry and Information Technology", "Ministry of Commerce of the
  People's Republic of China"), into the body's canonical name and its division.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.core.lexicon import Department, Division, Lexicon
from kg.nlp.merge import jieba_tags
from kg.nlp.orgs import impossible_opening

#: Level words that open a local body's name when its place is left out, longest first.
BARE_WORDS = ("自治区党委", "自治区", "省委", "市委", "县委", "区委", "省", "市", "县", "区")
#: Two level words together name a kind of body across levels, not one body (省市政府, 市县财政部门).
GENERIC_LEVELS = ("省市", "市县", "省市县", "省市区", "市区", "县区", "省区", "区县", "市州", "省级", "市级",
                  "县级")
#: Words that open with a level word's character without being one (市场, 市民, 省内).
NOT_LEVEL = ("市场", "市民", "市政", "市区", "市内", "市域", "省内", "省外", "省级", "市级", "县级",
             "县域", "区域", "区块", "区县")
PARTY_PREFIX = re.compile(r"^(?:中共|中国共产党)(?=.)")
#: Characters before a central body's name that make it another body: a level word (省发展改革委 is a
#: province's commission), 各 (各省…), 级 (各级…).
LOCAL_BEFORE = frozenset("省市县区州盟旗级各乡镇")
#: Names of China a central body's name may follow (中国国防部 is China's ministry).
CHINA = ("中国", "我国", "中华人民共和国", "国家")
#: The document's own voice: words that stand for its issuer or its place.
VOICE_ORG = ("我部", "本部", "本部门", "我委", "本委", "我局", "本局", "我厅", "本厅", "我办", "本办",
             "我院", "本院", "我署")
VOICE_PLACE = {"我省": "province", "本省": "province", "我市": "city", "本市": "city", "我区": "region",
               "本区": "region"}
#: What a body's name may not be followed by: the name is then part of a longer word (生态环境部门 "ecology
#: and
#: environment departments", not 生态环境部 + 门; 委员, 委员会).
WORD_GOES_ON = {"部": "门", "委": "员"}
#: An internal unit of a central body, written after its name: 工业和信息化部装备工业二司,
#: 国家卫生健康委医政司,
#: 国家旅游局智慧旅游工作领导小组. The unit's name is a few characters, no verb of acting among them.
UNIT_RE = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:司|工作领导小组|领导小组办公室|领导小组|研究院|研究所|"
                     r"中心|规划院|办公厅)")
UNIT_STOP = re.compile(r"会同|联合|印发|发布|牵头|负责|指导|组织|召开|举办|开展|支持|推动|相关|有关|"
                       r"各|所属|直属|^(?:和|与|及|等|在|对|将|从|向|为|的|是|要|会|已|并|还)")


@dataclass(frozen=True)
class LocalBody:
    """A local body's name read into its parts."""

    place: Division | None  # the place written in the name (山东省…), or None
    bare: str | None  # the level word written instead of a place (省, 市委, 县), or None
    committee: bool  # a department of the Party committee (省委组织部)
    department: Department
    rest: str  # what follows the place or level word, as written
    outer: Division | None = None  # the place's city or province when written before it (济南市历下区…)


class Gazetteer:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.divisions = lexicon.divisions
        self.by_code = {d.code: d for d in self.divisions}
        #: place surfaces (full names, and the short forms of provinces and cities that may be read alone)
        self.place_forms: dict[str, Division] = {}
        for d in self.divisions:
            if d.level in ("county", "district") and len(d.name) < 3:
                continue  # 和县, 城区: two characters that ordinary text holds across words
            self.place_forms.setdefault(d.name, d)
        for d in self.divisions:
            if d.level in ("province", "prefecture") and d.short and not d.ambiguous and len(d.short) >= 2:
                self.place_forms.setdefault(d.short, d)
        self._places_longest = sorted(self.place_forms, key=len, reverse=True)
        #: every province's and city's short form, ambiguous or not -> the divisions that bear it
        self.short_forms: dict[str, list[Division]] = {}
        for d in self.divisions:
            if d.level in ("province", "prefecture") and len(d.short) >= 2:
                self.short_forms.setdefault(d.short, []).append(d)
        self.max_short = max((len(s) for s in self.short_forms), default=0)
        self._by_name = {d.name: d for d in self.divisions}
        self.max_place = max((len(p) for p in self.place_forms), default=0)
        #: department surfaces (names and short forms) -> department; the full name wins a clash
        self.departments: dict[str, Department] = {}
        for dep in lexicon.departments:
            self.departments[dep.name] = dep
        for dep in lexicon.departments:
            for alias in dep.aliases:
                self.departments.setdefault(alias, dep)
        self.central = {t.name: t for t in lexicon.terms if t.label == "ORG" and t.kind}
        self.central_forms = {s: t.name for t in self.central.values() for s in (t.name, *t.aliases)}

    # -- divisions ----------------------------------------------------------------------------------
    def divisions_named(self, short: str) -> list[Division]:
        """Divisions named ``short`` and a level word (吉林 -> 吉林省, 吉林市)."""
        return [d for w in "省市" if (d := self._by_name.get(short + w)) is not None]

    def ancestor_codes(self, d: Division) -> set[str]:
        codes = set()
        while d.parent:
            codes.add(d.parent)
            d = self.by_code[d.parent]
        return codes

    def province_of(self, d: Division) -> Division:
        while d.parent:
            d = self.by_code[d.parent]
        return d

    def place_at(self, text: str, pos: int) -> Division | None:
        """The division whose name or readable short form ends at ``pos`` (the longest)."""
        for n in range(min(self.max_place, pos), 1, -1):
            d = self.place_forms.get(text[pos - n:pos])
            if d is not None:
                return d
        return None

    def place_prefix(self, name: str) -> tuple[Division, str] | None:
        """The division a name opens with, and the form written (山东省工业和信息化厅 -> 山东省)."""
        for n in range(min(self.max_place, len(name) - 1), 1, -1):
            d = self.place_forms.get(name[:n])
            if d is not None:
                return d, name[:n]
        return None

    # -- local bodies -------------------------------------------------------------------------------
    def parse_local(self, surface: str) -> LocalBody | None:
        """``surface`` read as [中共][place | level word][委][department], or None."""
        name = PARTY_PREFIX.sub("", surface)
        if name.startswith(GENERIC_LEVELS) and not name.startswith(("省市场", "市场", "区县")):
            return None
        place: Division | None = None
        bare: str | None = None
        found = self.place_prefix(name)
        outer = None
        if found is not None:
            place, written = found
            rest = name[len(written):]
            inner = self.place_prefix(rest)
            if inner is not None and place.code in self.ancestor_codes(inner[0]):
                outer, place, rest = place, inner[0], rest[len(inner[1]):]  # 济南市历下区…
            if place.place_word and rest.startswith(place.place_word) and written == place.short:
                rest = rest[len(place.place_word):]  # 山东省… written as 山东 + 省…: not a double level
        else:
            bare = next((w for w in BARE_WORDS if name.startswith(w)), None)
            if bare is None:
                return None
            rest = name[len(bare):]
        committee = False
        if bare in ("省委", "市委", "县委", "区委", "自治区党委"):
            committee = True
            bare = bare[:-1] if bare != "自治区党委" else "自治区"
        elif rest.startswith("委") and rest[1:] in self.departments:
            committee, rest = True, rest[1:]
        elif rest.startswith("党委") and rest[2:] in self.departments:
            committee, rest = True, rest[2:]
        dep = self.departments.get(rest)
        if dep is None or (dep.follows == "committee") != committee:
            return None
        return LocalBody(place, bare, committee, dep, rest, outer)

    def local_name(self, place: Division, body: LocalBody) -> str:
        """The canonical name of ``body`` at ``place``: the place's full name, then the department's."""
        where = (body.outer.name if body.outer is not None and body.place is place else "") + place.name
        if body.committee:
            party = "党委" if place.kind == "autonomous region" else "委"
            return f"{where}{party}{body.department.name}"
        return f"{where}{body.department.name}"

    def expand(self, surface: str, province: Division | None, city: Division | None) -> str | None:
        """The canonical name of a local body, or None to keep the name as written.

        A level word is replaced by a place of that level only: 省 by the home province when it is a 省,
        自治区
        by the home autonomous region, 市 by the known city (or the home province when it is a municipality),
        县 and 区 by nothing.
        """
        body = self.parse_local(surface)
        if body is None:
            return self.expand_unknown(surface, province, city)
        if body.place is not None:
            return self.local_name(body.place, body)
        place = self.bare_place(body.bare or "", province, city)
        return self.local_name(place, body) if place is not None else None

    def bare_place(self, word: str, province: Division | None, city: Division | None) -> Division | None:
        if word == "省":
            return province if province is not None and province.kind == "province" else None
        if word == "自治区":
            return province if province is not None and province.kind == "autonomous region" else None
        if word == "市":
            if city is not None:
                return city
            return province if province is not None and province.kind == "municipality" else None
        return None

    def expand_unknown(self, surface: str, province: Division | None, city: Division | None) -> str | None:
        """A body opening with a bare level word that the department table does not know (省总工会…):
        the place's full name before what follows the level word, on the same conditions."""
        name = PARTY_PREFIX.sub("", surface)
        if name.startswith(GENERIC_LEVELS) or self.place_prefix(name) is not None:
            return None
        if name.startswith(NOT_LEVEL) and not name.startswith(("市政府", "市政协")):
            return None  # 市场监管总局 opens with 市场, not with the level word 市
        for word, level in (("省委", "省"), ("市委", "市"), ("省", "省"), ("市", "市"), ("自治区", "自治区")):
            if name.startswith(word) and len(name) > len(word):
                place = self.bare_place(level, province, city)
                if place is None:
                    return None
                tail = name[len(level):]
                if tail.startswith("委") and place.kind == "autonomous region":
                    tail = "党" + tail
                return place.name + tail
        return None

    # -- central bodies -----------------------------------------------------------------------------
    def central_allowed(self, text: str, start: int) -> bool:
        """Whether a central body's name at ``start`` is that body: not after a level word (省发展改革委),
        a place (山东发展改革委) or another country (美国国防部)."""
        if start == 0:
            return True
        if text[start - 1] in LOCAL_BEFORE:
            return False
        if text.endswith(CHINA, 0, start):
            return True
        if self.place_at(text, start) is not None:
            return False
        if text.endswith(FOREIGN, 0, start):
            return False
        # another country jieba knows as a place name (希腊外交部, 秘鲁外交部)
        tags = _place_tags()
        return not any(tags.get(text[start - n:start], "").startswith("ns") for n in (4, 3, 2) if start >= n)

    def word_goes_on(self, text: str, name: str, end: int) -> bool:
        """Whether the body's name ending at ``end`` runs on into a longer word (生态环境部门)."""
        nxt = WORD_GOES_ON.get(name[-1:])
        return nxt is not None and text.startswith(nxt, end)

    def unit_after(self, text: str, end: int, body: str = "") -> int | None:
        """The end of an internal unit's name written right after a central body's name ending at ``end``
        (the corps' departments are named like a city's: 新疆生产建设兵团教育局)."""
        if body == "新疆生产建设兵团":
            dep = next((text[end:end + n] for n in range(min(16, len(text) - end), 1, -1)
                        if text[end:end + n] in self.departments), None)
            return end + len(dep) if dep else None
        m = UNIT_RE.match(text, end)
        if m is None or UNIT_STOP.search(m.group()):
            return None
        return m.end()

    # -- issuers ------------------------------------------------------------------------------------
    def issuer(self, issuer: str | None) -> tuple[str | None, Division | None]:
        """A document's issuer (its first one when several are listed) as (canonical body name, division).

        Chinese names are read like any body; English ones by the English names of the central bodies and
        of the local departments' functions, with the place's English or pinyin name.
        """
        if not issuer:
            return None, None
        first = re.split(r"[,，、;；]", issuer.strip())[0].strip()
        # "Eighteen Departments including Shandong Provincial Science and Technology Department"
        first = re.sub(r"^[\w-]+ (?:departments|ministries|units|bodies) including (?:the )?", "", first,
                       flags=re.I)
        if re.search(r"[\u4e00-\u9fff]", first):
            return self._issuer_zh(first)
        # "A and B": the longest opening, cut at an " and ", that names a body ("Department of Industry and
        # Information Technology and Finance Bureau")
        parts = first.split(" and ")
        fallback: tuple[str | None, Division | None] = (None, None)
        for n in range(len(parts), 0, -1):
            found = self._issuer_en(" and ".join(parts[:n]))
            if found[0] is not None:
                return found
            fallback = fallback if fallback[1] is not None else found
        return fallback

    def _issuer_zh(self, name: str) -> tuple[str | None, Division | None]:
        if name in self.central_forms:
            return self.central_forms[name], None
        body = self.parse_local(name)
        if body is not None and body.place is not None:
            return self.local_name(body.place, body), body.place
        found = self.place_prefix(name)
        return name, found[0] if found else None

    def _issuer_en(self, name: str) -> tuple[str | None, Division | None]:
        key = _en_key(name)
        general = bool(re.match(r"general office of (the )?", key))
        key = re.sub(r"^general offices? of (the )?", "", key)
        for term in self.central.values():
            if term.en and _en_key(term.en) == key:
                office = f"{term.name}办公厅" if general else term.name
                return (office if office in self.central else term.name), None
        place = None
        for d in self.divisions:  # provinces come first (code order); the longest English name wins
            if d.en and d.level in ("province", "prefecture") \
                    and re.match(rf"{re.escape(d.en.lower())}\b", key) \
                    and (place is None or len(d.en) > len(place.en or "")):
                place = d
        if place is None:
            return None, None
        level = "province" if place.level == "province" else "city"
        tail = key[len(place.en or ""):].strip()
        tail = re.sub(r"^(provincial|municipal|city)\s+", "", tail, flags=re.I)
        if re.fullmatch(r"(the )?people'?s government", tail):
            office = "人民政府办公厅" if level == "province" else "人民政府办公室"
            dep_name = office if general else "人民政府"
            return f"{place.name}{dep_name}", place
        words = _en_key(re.sub(r"\b(department|bureau|commission|administration|office|of|the|for)\b", " ",
                               tail, flags=re.I))
        best = None
        for dep in self.lexicon.departments:
            if dep.follows != "place" or not dep.fits(place.level):
                continue
            dep_words = _en_key(re.sub(r"\b(department|bureau|commission|administration|office|of|the|for)\b",
                                       " ", dep.en, flags=re.I))
            if dep_words and dep_words == words:
                best = dep
                break
        if best is None:
            return None, place
        return f"{place.name}{best.name}", place


def _en_key(text: str) -> str:
    text = re.sub(r"\s*\(.*?\)\s*", " ", text)
    text = re.sub(r"\bof the people'?s republic of china\b", "", text, flags=re.I)
    return " ".join(text.lower().replace("'", "").split())


#: Countries whose bodies the news names beside China's (美国国防部, 以色列国防部, 巴勒斯坦卫生部): a
#: central body's name after one of these is that country's.
FOREIGN = tuple("""美国 美方 俄罗斯 俄方 日本 日方 韩国 朝鲜 英国 法国 德国 意大利
西班牙 葡萄牙 荷兰 比利时 瑞士 瑞典 挪威 芬兰 丹麦 波兰 乌克兰
白俄罗斯 土耳其 伊朗 伊拉克 叙利亚 以色列 巴勒斯坦 黎巴嫩 约旦 沙特
阿联酋 卡塔尔 埃及 印度 巴基斯坦 阿富汗 孟加拉国 斯里兰卡 尼泊尔 缅甸
泰国 越南 老挝 柬埔寨 马来西亚 新加坡 印度尼西亚 印尼 菲律宾 澳大利亚
新西兰 加拿大 墨西哥 巴西 阿根廷 智利 秘鲁 古巴 委内瑞拉 南非 尼日利亚
肯尼亚 埃塞俄比亚 哈萨克斯坦 乌兹别克斯坦 吉尔吉斯斯坦 塔吉克斯坦
土库曼斯坦 蒙古 蒙古国 欧盟 北约 联合国 外国 各国 该国 两国 他国 对方""".split())


def _place_tags() -> dict[str, str]:
    """jieba's word -> part-of-speech table (place names are tagged ns)."""
    return jieba_tags()  # the table kg_merge and kg_patterns read


_BUILT: dict[int, tuple[Lexicon, Gazetteer]] = {}


def gazetteer_for(lexicon: Lexicon) -> Gazetteer:
    """The gazetteer of a lexicon, built once per lexicon object."""
    held = _BUILT.get(id(lexicon))
    if held is None or held[0] is not lexicon:
        held = _BUILT[id(lexicon)] = (lexicon, Gazetteer(lexicon))
    return held[1]


def impossible_name(name: str, gazetteer: Gazetteer) -> str | None:
    """Why a body's or place's name cannot be real, or None: a place's short form followed by a level word
    the place does not take (山东市…, 上海省…, 青岛省…, 广西省…), the name a level word put before the wrong
    place makes. A real name that only looks so (山东市场监管局 = 山东 + 市场监管局, 吉林市 the city) passes.
    """
    name = PARTY_PREFIX.sub("", name)
    if (verb := impossible_opening(name)) is not None:
        return verb  # 函请市财政局, 根据市财政局: the sentence's verb before a short form (kg.nlp.orgs)
    for n in range(min(gazetteer.max_short, len(name) - 1), 1, -1):
        holders = gazetteer.short_forms.get(name[:n])
        if not holders:
            continue
        word = name[n]
        if word not in "省市" or any(d.name.startswith(name[:n + 1])
                                      for d in gazetteer.divisions_named(name[:n])):
            continue
        rest = name[n:]
        if rest.startswith(("市场", "市民", "市政", "省级", "市级", "市县", "省市")) \
                and not rest.startswith(("市政府", "省市政府")):
            continue
        if all(word != d.place_word[:1] for d in holders):
            return f"{name[:n]} ({', '.join(d.name for d in holders)}) is not a {word}"
    return None
