"""``kg_patterns``: the regular shapes of governance names, read from ``ontology/lexicon/``.

- POLICY: titles in 《》.
- METRIC: figures, read by kg.nlp.quantities.
- ORG: [中共][place][level][“quoted”|field words][suffix], parsed leftwards from a body suffix.
- MECHANISM / PROGRAM / POLICY / EVENT: a name ending in a kind suffix (机制, 试点, 方案, 工作会议 …), read
  leftwards over jieba tokens until a cue verb, a stop word or punctuation; items of a 、-list sharing one
  机制 each get it.
- EVENT: numbered Party and congress sessions (党的二十届三中全会, 十九大) and named typhoons.
- PERSON: a surname-initial name right after a post title (部长郅晓峰) that is no ordinary word (主席|关于 is
  not one: kg.nlp.merge.person_like), then every other occurrence of that name.
- GROUP: a head noun with one to three of its classifying words before it (少数民族干部, 国有大中型企业), from
  ``group_kinds.tsv``, and the kinds kg.nlp.groups reads off jieba words (规模以上工业企业, 第三方机构).
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from pathlib import Path

import ahocorasick
import jieba
from spacy.language import Language
from spacy.tokens import Doc

from kg.core.lexicon import Lexicon, load_lexicon, read_list
from kg.core.resources import ontology_path
from kg.nlp import news, orgs, programs
from kg.nlp.candidates import Candidate, candidates
from kg.nlp.groups import GroupFinder
from kg.nlp.merge import jieba_tags, person_like
from kg.nlp.quantities import QuantityReader, frame_names
from kg.nlp.text import get_match_text, token_bounds, token_offsets

CJK = re.compile(r"[\u4e00-\u9fff]")
PUNCT = set("，。、；：！？,.;:!?（）()【】[]《》<>—-…·/ \t\n\r\u3000")
OPEN_QUOTES, CLOSE_QUOTES = "“‘「『\"", "”’」』\""
#: heads of a list item that make the list one of things other than mechanisms (…技术、…认证、…机制)
OTHER_KINDS = ("技术", "手段", "设备", "装备", "系统", "产品", "工具", "能力", "设施")
EVENT_RES = [
    re.compile(r"(?:党的|中国共产党)?第?[一二三四五六七八九十]+届(?:中央委员会|全国人民代表大会|全国人大|全国委员会)?"
               r"第?[一二三四五六七八九十]+(?:中全会|次全体会议|次会议)"),
    re.compile(r"(?:中国共产党)?第[一二三四五六七八九十]+次全国代表大会"),
    re.compile(r"党的[一二三四五六七八九十]+大"),
    re.compile(r"台风[“\"][^”\"\n]{1,8}[”\"]"),
]
#: names of events: meetings, sessions, forums, fairs, games (kind "meeting")
EVENT_SUFFIXES = ("工作会议", "全会", "代表大会", "座谈会", "论坛", "博览会", "峰会", "高峰论坛", "展览会",
                  "交易会", "洽谈会", "博鳌论坛", "发布会", "运动会", "研讨会", "推进会", "现场会", "年会",
                  "大会", "常务会议", "全体会议", "会议", "开幕式", "闭幕式", "艺术节", "文化节", "电影节",
                  "观摩会", "大赛", "锦标赛", "世博会", "进博会", "广交会", "服贸会", "亚运会", "奥运会",
                  "冬奥会")
#: words that never sit inside an event's name: the verbs around it (举行新闻发布会, 会见来华出席…论坛)
EVENT_STOP = ("举行", "召开", "举办", "出席", "会见", "会谈", "参加", "参与", "主持", "开幕", "闭幕", "来华",
              "访华", "期间", "之际", "前夕", "今天", "今日", "昨天", "日前", "近日", "贯彻", "学习", "落实",
              "发生", "结束", "来到", "投入到", "迎接", "筹备", "观看", "服务", "保障", "精神", "成功",
              "提请", "提交", "祝贺", "开好", "办好", "审议", "热烈")  # the last line: kg.nlp.news
#: an item of a 、-list that is an event of its own (党的二十大、…; 十九届四中全会、…)
EVENT_NAME_END = re.compile(r"(?:[一二三四五六七八九十]+大|中全会)$")
#: a date before an event's name is no part of it (9月8日杭州亚运会)
EVENT_DATE = re.compile(r"\d{1,2}月\d{1,2}[日号]|\d{1,2}[日号]")
#: events named by their suffix alone (亚运会, 进博会)
EVENT_NAMES = frozenset({"世博会", "进博会", "广交会", "服贸会", "亚运会", "奥运会", "冬奥会", "亚冬会",
                         "大运会"})
#: names of epidemics and disasters (kind "disaster"): 新冠肺炎疫情, 汶川地震
DISASTER_SUFFIXES = ("疫情", "地震", "洪灾", "洪水", "旱灾", "泥石流", "海啸", "雪灾")
#: characters that open no name: prepositions, conjunctions, demonstratives (如下计划, 以新模式, 且行动)
FUNCTION_CHARS = frozenset("如以当且在对为将把被与和及或等这那其该此")
#: a two-character word at least this frequent in jieba's dictionary is a common word (协同, 商业, 专项)
COMMON_WORD_FREQ = 50
#: what follows a meeting word that makes it part of another name (联席会议机制, 会议纪要, 会议成员单位)
NOT_AFTER_EVENT = re.compile(r"机制|制度|成员|办公|纪要|召集|办法|室|单位|堂")  # 人民大会堂
#: words that end a body's name: a kind word right after one alone is no name (科技部试点, 企业机制)
BODY_WORDS = ("部", "局", "厅", "委", "办", "院", "中心", "机构", "单位", "部门", "政府",
              "市", "省", "县", "区")
#: after 省委/市委: an office of the committee, as bodies are listed (市委金融办、 省委军民融合办）)
COMMITTEE_OFFICE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:办公室|办)(?=[，,、。；;）)\s]|$)")
BARE_COMMITTEE = re.compile(r"(?<![\u4e00-\u9fff]委)(?:省委|市委|县委|区委)(?!员)")
#: what may stand between an issuing verb and an unquoted title's kind phrase and still open the title: the
#: verb a document's name opens with, after an adverb (制定|进一步加强|社区工作者队伍建设若干措施)
TITLE_OPENING = re.compile(r"(?:进一步|加快|全面|大力)?(?:加强|推进|推动|促进|深化|完善|规范|加快|支持|做好|"
                           r"健全|优化|强化|提升|鼓励|扶持)")
POLICY_RE = re.compile(r"《[^《》]{2,80}》")  # wikisource puts line breaks inside some titles


#: jieba dictionary tags of words that never sit inside a name: prepositions, conjunctions, pronouns,
#: particles, adverbs, modal particles, interjections, onomatopoeia.
NON_NAME_TAGS = ("p", "c", "r", "u", "d", "ad", "y", "e", "o")
#: Tags of words that make the verb after them a predicate (逐步|改革, 积极|推行, 对|改革): adverbs,
#: prepositions.
VERB_MODIFIER_TAGS = ("d", "ad", "p", "r")
CLOSE_BRACKETS = frozenset(")）”’\"")
LIGHT_VERBS = frozenset({"有", "是", "为", "要", "将", "把", "被", "使", "对", "在", "已", "可", "能", "会",
                         "应", "应该", "应当", "必须", "进行", "加以", "予以"})
#: Words that make a kind-suffix phrase point at an arrangement instead of naming it, as jieba words:
#: demonstratives and vague counts (这份宣传计划, 这个根本政治制度, 几个五年计划): the name, if any, is
#: given elsewhere.
DEICTIC = frozenset({"这", "那", "该", "此", "这个", "这份", "这项", "这种", "这一", "这些", "这样", "这次",
                     "那个", "那些", "那种", "几个", "几项", "几种", "几大", "幾個"})
#: Time words that open a phrase without belonging to the name (今年国民经济计划 is the 国民经济计划
#: of a year).
TIME_WORDS = frozenset({"今年", "明年", "去年", "当年", "本年", "今后", "近年"})


def _token_before(pos: int, token_starts: AbstractSet[int]) -> int:
    prev = pos - 1
    while prev > 0 and prev not in token_starts and pos - prev < 6:
        prev -= 1
    return max(prev, 0)


def _token_after(pos: int, token_starts: AbstractSet[int]) -> int:
    nxt = pos + 1
    while nxt not in token_starts and nxt - pos < 6:
        nxt += 1
    return nxt


def _jieba_tag(word: str) -> str | None:
    return jieba_tags().get(word)


class PatternRecognizer:
    def __init__(self, lexicon: Lexicon, lexicon_dir: Path) -> None:
        self.lexicon = lexicon
        self.places = sorted({s for t in lexicon.terms if t.label == "PLACE" for s in (t.name, *t.aliases)
                              if len(s) >= 2}, key=len, reverse=True)
        self.place_set = set(self.places)
        self._token_ends: AbstractSet[int] = frozenset()
        self.levels = sorted(lexicon.org_levels, key=len, reverse=True)
        self.fields = sorted(lexicon.org_fields, key=len, reverse=True)
        self.posts = sorted({t.name for t in lexicon.terms if t.label == "POST"}, key=len, reverse=True)
        self.surnames = {w for line in read_list(lexicon_dir / "surnames.txt") for w in line.split()}
        self.stopwords = set(read_list(lexicon_dir / "stopwords.txt")) | set(lexicon.cues)
        self.generic = set(read_list(lexicon_dir / "generic.txt"))
        self.nominal = set(read_list(lexicon_dir / "nominal.txt"))
        self.issue_cues = tuple(c for c, r in lexicon.cues.items() if r == "issues") + ("制订", "研究制定")
        self.quantities = QuantityReader(lexicon_dir)
        self.org_suffix = _automaton(lexicon.org_suffixes)
        kinds: dict[str, tuple[str, str]] = {}
        for label, table in (("MECHANISM", lexicon.mechanism_suffixes),
                             ("PROGRAM", lexicon.programme_suffixes),
                             ("POLICY", lexicon.policy_suffixes)):
            for suffix, kind in table.items():
                kinds.setdefault(suffix, (label, kind))
        for suffix in EVENT_SUFFIXES:
            kinds.setdefault(suffix, ("EVENT", "meeting"))
        for suffix in DISASTER_SUFFIXES:
            kinds.setdefault(suffix, ("EVENT", "disaster"))
        self.kind_suffixes = kinds
        self.kind_automaton = _automaton(kinds)
        self.programs = programs.Reader(self)
        self.group_heads = lexicon.group_kinds
        self.group_automaton = _automaton(self.group_heads)
        self.group_finder = GroupFinder(lexicon.org_fields, lexicon.org_suffixes, frozenset(self.stopwords),
                                        frozenset(lexicon.cues))
        self.person_re = re.compile("(" + "|".join(map(re.escape, [*self.posts, *news.NEWS_POSTS]))
                                    + r")([\u4e00-\u9fff]{2,3})")  # and the posts of news (发言人汪文斌)

    # -- the component ------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = get_match_text(doc)
        out = candidates(doc)
        token_starts, self._token_ends = token_bounds(doc)
        for m in POLICY_RE.finditer(text):
            out.append(Candidate(m.start(), m.end(), "POLICY", "pattern"))
        for rx in EVENT_RES:
            for m in rx.finditer(text):
                out.append(Candidate(m.start(), m.end(), "EVENT", "pattern"))
        metrics = self.quantities.metrics(text)
        out.extend(metrics)
        out.extend(frame_names(text, metrics))
        out.extend(self.orgs(text, token_starts))
        out.extend(orgs.standing_groups(text, self.programs, token_starts,  # 智慧林业建设工作领导小组
                                        {c.end: c.start for c in out if c.label == "ORG"}))
        out.extend(self.kind_names(text, token_starts))
        out.extend(self.persons(text))
        tags = jieba_tags()
        out.extend(news.candidates(text, lambda w: not tags.get(w, "nr").startswith(("nr", "ns", "nz")),
                                   token_starts.__contains__, lambda w: tags.get(w, "").startswith("ns")))
        out.extend(self.groups(text, token_starts))
        out.extend(self.group_finder(text, *token_offsets(doc)))
        programs.revise(out, text, self.programs, token_starts, self._token_ends)
        out.extend(orgs.bodies_after(out, text))  # …运动会组委会, 西部战区空军, 中国代表团
        return doc

    # -- ORG ----------------------------------------------------------------------------------------
    def orgs(self, text: str, token_starts: AbstractSet[int]) -> list[Candidate]:
        found = []
        for end_index, suffix in self.org_suffix.iter(text):
            end = end_index + 1
            start = end - len(suffix)
            if end < len(text) and text[end] in "长员":  # 部长, 委员: a title or a member, not the body
                continue
            if end not in token_starts:
                continue  # 工作部署, 党组织: the suffix is part of a longer word
            parsed = self._parse_org_prefix(text, start)
            if parsed is None:
                continue
            begin, has_place, has_level, has_field = parsed
            if suffix == "公司" and not (has_field or has_level):
                continue  # 中国公司承建: companies of a country, no one body (kg.nlp.news)
            if len(suffix) == 1:
                bare_party = suffix == "委" and has_level and has_place
                if not (has_field and (has_place or has_level)) and not bare_party:
                    continue
            elif not (has_place or has_level or has_field):
                continue
            if begin > 0 and not has_place and has_level and text[begin] in "省市县区州盟" \
                    and self._in_common_word(text, begin, token_starts):
                continue  # 检查上市公司, 超市公司: the level character is part of a word (上市), no level
            if not has_place and not has_level and text[begin:start] in orgs.VERB_OPENERS:
                continue  # 组织|工会, 指导|委员会: a verb and its object, no field of a body
            if begin > 0 and not has_place and has_level and orgs.level_in_common_word(text, begin):
                continue  # 推进辖区法院…, 社区党委: the level character ends a common noun
            if begin > 0 and not has_place and CJK.match(text[begin - 1]) and has_level \
                    and text[begin] in "省市县区州盟":
                # 郑州市委…: an unknown place before a level word; take two characters of it.
                before = text[max(0, begin - 2):begin]
                if len(before) == 2 \
                        and all(CJK.match(c) and c not in "的了在和与及对把将是为" for c in before) \
                        and before not in self.stopwords \
                        and not _ends_with_any(text, begin, self.stopwords, 6) \
                        and not orgs.verb_opening(before, text[begin]):  # 函请|市财政局, 根据|市财政局
                    begin -= 2
            if not has_place and text.startswith(news.GENERIC_COMMITTEE, begin):
                continue  # 党委政府, 组建党委社会工作部: Party committees of no one (kg.nlp.news)
            found.append(Candidate(begin, end, "ORG", "pattern", 0.9))
        # a Party committee named by its level alone (省委工作部署, 市委书记): resolved to the home place
        # later
        for m in BARE_COMMITTEE.finditer(text):
            begin = m.start()
            place = _ends_with_any(text, begin, self.places)
            if place:
                begin -= len(place)
            office = COMMITTEE_OFFICE.match(text, m.end())
            # 市委军民融合办、 市委金融办）: an office of the committee, named whole in a list of bodies
            end = office.end() if office else m.end()
            found.append(Candidate(begin, end, "ORG", "pattern", 0.8))
        return found

    def _is_place(self, word: str) -> bool:
        """A place the lexicon knows, or a word jieba tags a place name (汶川, 芦山)."""
        return word in self.place_set or (_jieba_tag(word) or "") == "ns"

    @staticmethod
    def _in_common_word(text: str, pos: int, token_starts: AbstractSet[int]) -> bool:
        """Whether ``text[pos]`` lies inside a jieba word that begins before it and names no place: a verb
        (超市) or a longer word that goes on after it (上市公司); not 郑州市 nor 直辖市 (a place's kind)."""
        if pos in token_starts:
            return False
        start = next((k for k in range(pos - 1, max(-1, pos - 4), -1) if k in token_starts), None)
        end = next((k for k in range(pos + 1, min(len(text), pos + 5) + 1) if k in token_starts), None)
        if start is None or end is None:
            return False
        tag = _jieba_tag(text[start:end]) or ""
        return tag.startswith("v") or (end > pos + 1 and tag != "" and not tag.startswith("ns"))

    def _parse_org_prefix(self, text: str, pos: int) -> tuple[int, bool, bool, bool] | None:
        has_place = has_level = has_field = False
        while pos > 0:
            if text[pos - 1] in CLOSE_QUOTES:
                opening = max(text.rfind(q, max(0, pos - 12), pos - 1) for q in OPEN_QUOTES)
                if opening < 0:
                    break
                pos, has_field = opening, True
                continue
            word = _ends_with_any(text, pos, self.fields)
            if word and not has_level and not has_place:
                pos -= len(word)
                has_field = True
                continue
            word = _ends_with_any(text, pos, self.levels)
            if word and not has_place:
                pos -= len(word)
                has_level = True
                continue
            word = _ends_with_any(text, pos, self.places)
            if word and not has_place:
                pos -= len(word)
                has_place = True
                continue
            if text.endswith(("中共", "中国共产党"), 0, pos):
                pos -= 2 if text.endswith("中共", 0, pos) else 5
            break
        return pos, has_place, has_level, has_field

    # -- names ending in a kind suffix --------------------------------------------------------------
    def kind_names(self, text: str, token_starts: AbstractSet[int]) -> list[Candidate]:
        found = []
        for end_index, suffix in self.kind_automaton.iter(text):
            end = end_index + 1
            start = end - len(suffix)
            label, _kind = self.kind_suffixes[suffix]
            if label == "EVENT" and (NOT_AFTER_EVENT.match(text, end) or text.endswith("联席会议", 0, end)):
                continue  # 信访工作联席会议机制: a mechanism, whose name holds a meeting word
            if label == "EVENT" and any(len(s) > len(suffix) and text.endswith(s, 0, end)
                                        and not self._straddles(end - len(s), end, token_starts)
                                        for s in EVENT_SUFFIXES):
                continue  # 全国代表大会 is read with 代表大会, not with 大会
            if suffix.endswith("计划") and text.startswith("地", end):
                continue  # 有计划地 "in a planned way": an adverb, not a plan
            if label == "POLICY" and (end >= len(text) or text[end] not in "，。、；：”）),;:\n"):
                continue  # an unquoted document title ends a clause (制定城乡社区治理服务工作指引，)
            if end < len(text) and text[end] in CLOSE_QUOTES and start > 0:
                end += 1  # “枫桥经验”
            if self._straddles(start, end, token_starts):
                continue  # 应当|执行|动作, 经济|运行|动态: the suffix straddles two words
            begin = self._expand_left(text, start, token_starts)
            if label == "EVENT":
                begin = _after_last(text, begin, start, EVENT_STOP)
                for date in EVENT_DATE.finditer(text, begin, start):
                    begin = date.end()
                if suffix in EVENT_NAMES and begin == start:
                    found.append(Candidate(start, end, label, "pattern", 0.8))
                    continue
                if _kind == "disaster" and (_jieba_tag(text[begin:start]) or "").startswith("v"):
                    continue  # 巩固疫情: a verb and its object
                if _kind == "disaster":  # 汶川特大地震, 新冠肺炎疫情; not 人工智能地震 (kg.nlp.news)
                    at = news.disaster_start(text[begin:start], self._is_place)
                    if at is None:
                        continue
                    begin += at
            body = text[begin:start].strip("“”\"‘’")
            if len(body) < 2 or body in self.generic \
                    or re.fullmatch(r"[\d一二三四五六七八九十两]+[项个大类]?", body):
                continue
            if suffix not in EVENT_NAMES and self._generic_head(text, begin, start, _kind, suffix):
                continue
            while label == "EVENT" and begin > 0 and text[begin - 1] == "、":
                # 全国省长、市长、自治区主席会议, 全省新业态、新就业群体党建工作座谈会: one meeting named
                # by a list
                item = self._expand_left(text, begin - 1, token_starts)
                if item >= begin - 1 or _after_last(text, item, begin - 1, EVENT_STOP) > item \
                        or text.endswith((*EVENT_SUFFIXES, *DISASTER_SUFFIXES), item, begin - 1) \
                        or EVENT_NAME_END.search(text, item, begin - 1):
                    break  # 二十大精神、中央人大工作会议, 进口博览会、服务贸易交易会: the item ends the list
                begin = item
            if label == "EVENT" and begin < start \
                    and text.endswith(("全国", "全省", "全市", "全区", "全县", "全军"), 0, begin):
                begin -= 2  # the reach of a meeting is part of its name (全国职业教育大会)
            if self._deictic(text, begin, token_starts):
                continue
            first = text[begin:_token_after(begin, token_starts)]
            if first in TIME_WORDS:
                rest = text[begin + len(first):start].strip("“”\"‘’")
                if len(rest) < 2 or rest in self.generic:
                    continue
                begin += len(first)  # 今年国民经济计划 -> 国民经济计划
            if text[begin] in OPEN_QUOTES and text[end - 1] not in CLOSE_QUOTES \
                    and "”" not in text[begin:end]:
                begin += 1
            if text[end - 1] in CLOSE_QUOTES and not any(q in text[begin:end - 1] for q in OPEN_QUOTES):
                if begin > 0 and text[begin - 1] in OPEN_QUOTES:
                    begin -= 1  # 新时代“枫桥经验”: take the opening mark with the closing one
                else:
                    end -= 1
            if label == "POLICY":
                cue_end = self._issue_cue_end(text, begin)
                if cue_end is None:
                    continue  # an unquoted title is a document only where it is issued (制定…指引, 出台…办法)
                if TITLE_OPENING.fullmatch(text, cue_end, begin):
                    begin = cue_end  # 制定|进一步加强…若干措施: the title opens with its verb
            found.append(Candidate(begin, end, label, "pattern", 0.8))
            if label == "MECHANISM":
                found.extend(self._list_items(text, begin, suffix, token_starts))
        return found

    def _straddles(self, start: int, end: int, token_starts: AbstractSet[int]) -> bool:
        """``[start, end)`` begins inside a jieba word that ends inside it (执行|动作 for 行动)."""
        return start not in token_starts and any(p in self._token_ends for p in range(start + 1, end))

    def _generic_head(self, text: str, begin: int, start: int, kind: str, suffix: str) -> bool:
        """A kind word with too little before it to name one arrangement or event: 协同机制, 商业模式,
        专项行动, 如下计划 (two characters or fewer before it, unquoted), 济南市机制, 科技部试点, 企业机制
        (a place or a body alone before it). A disaster keeps a short name (新冠疫情, 汶川地震), and so does
        an institution (工资制度, 户籍制度: 制度 after a noun names the system of that thing)."""
        body = text[begin:start]
        if any(q in body for q in OPEN_QUOTES + CLOSE_QUOTES) or re.search(r"[A-Za-z0-9]", body):
            return False
        if body[0] in FUNCTION_CHARS:
            return True  # 如下计划, 以新模式
        if len(body) <= 2:
            # a common word (协同, 商业, 专项) names no one arrangement; a word jieba does not know
            # (包案制度) or knows as rare (金砖机制) does
            return kind != "disaster" and not suffix.endswith("制度") \
                and (jieba.dt.FREQ.get(body) or 0) >= COMMON_WORD_FREQ
        if body in self.place_set or _ends_with_any(text, start, self.place_set, 8) == body:
            return True
        return len(body) <= 4 and body.endswith(BODY_WORDS)

    @staticmethod
    def _deictic(text: str, begin: int, token_starts: AbstractSet[int]) -> bool:
        """The phrase at ``begin`` opens with, or follows, a demonstrative or a vague count."""
        first = text[begin:_token_after(begin, token_starts)]
        previous = text[_token_before(begin, token_starts):begin]
        return first in DEICTIC or previous in DEICTIC

    def _issue_cue_end(self, text: str, begin: int) -> int | None:
        """Where the last issuing verb (制定, 印发 …) that ends within a few characters before ``begin``, in
        the same clause, ends (None without one)."""
        window = text[max(0, begin - 10):begin]
        window = re.split(r"[，。；：,;:！？]", window)[-1]
        ends = [window.rfind(cue) + len(cue) for cue in self.issue_cues if cue in window]
        return begin - len(window) + max(ends) if ends else None

    def _expand_left(self, text: str, start: int, token_starts: AbstractSet[int], limit: int = 22) -> int:
        pos = start
        while pos > 0 and start - pos < limit:
            ch = text[pos - 1]
            if ch in CLOSE_QUOTES:
                opening = max(text.rfind(q, max(0, pos - 20), pos - 1) for q in OPEN_QUOTES)
                if opening < 0:
                    break
                pos = opening
                continue
            if ch in ")）":
                opening = max(text.rfind("(", max(0, pos - 8), pos - 1),
                              text.rfind("（", max(0, pos - 8), pos - 1))
                if opening > 0 and not any(c in PUNCT for c in text[opening - 1:opening]):
                    pos = opening
                    continue
                break
            if ch in PUNCT or ch in OPEN_QUOTES:
                break
            word = _ends_with_any(text, pos, self.stopwords, max_len=6)
            if word:
                # a deverbal noun heads many names (队伍建设联席会议, 质量提升三年行动计划): it ends the name
                # only where a phrase begins with it
                before = pos - len(word)
                if word in self.nominal and before > 0 and text[before - 1] not in PUNCT \
                        and text[before - 1] not in OPEN_QUOTES and not _ends_with_any(
                            text, before, self.stopwords, max_len=6) \
                        and self._after_name_word(text, before, token_starts):
                    pos = before
                    continue
                break
            # step back one jieba token (or one character where tokens are unknown)
            prev = _token_before(pos, token_starts)
            chunk = text[prev:pos]
            if any(c in PUNCT for c in chunk):
                break
            if not self._name_word(text, prev, chunk, token_starts):
                break
            pos = prev
        return pos

    def _after_name_word(self, text: str, pos: int, token_starts: AbstractSet[int]) -> bool:
        """Whether the word ending at ``pos`` is no function word (逐步|改革|工资制度: 改革 is the verb)."""
        before = _token_before(pos, token_starts)
        word = text[before:pos]
        tag = _jieba_tag(word)
        return word not in LIGHT_VERBS and not (tag is not None and tag.startswith(NON_NAME_TAGS))

    def _name_word(self, text: str, start: int, word: str, token_starts: AbstractSet[int]) -> bool:
        """Whether the jieba word ``word`` (at ``start``) can belong to a name that ends after it.

        Prepositions, conjunctions, pronouns, particles and adverbs (jieba's dictionary tags p, c, r, u*,
        d ...) never do: 根据|工程, 应该|有计划, 只|完成五年计划. A verb does as the action of a compound
        (营养|改善|计划, 七项|协调|机制, 接诉|即|办|经验), but not after such a function word, a light verb or
        at the start of a clause (都|超过|试点, 正确|划分|指令性计划, 逐步|改革|工资制度); nominal verbs
        (改革, 建设 ...) likewise; light verbs (有, 是, 要 ...) never.
        Words jieba does not know (most proper names) do.
        """
        tag = _jieba_tag(word)
        if word in LIGHT_VERBS or (tag is not None and tag.startswith(NON_NAME_TAGS)):
            return False
        if tag not in ("v", "vn") and word not in self.nominal:
            return True
        before = _token_before(start, token_starts)
        previous_word = text[before:start]
        previous = _jieba_tag(previous_word)
        # a nominal verb opens a name anywhere but after an adverb-like word: 的|投资包干责任制
        if tag != "v":
            return previous_word not in LIGHT_VERBS and not (
                previous is not None and previous.startswith(VERB_MODIFIER_TAGS))
        if before >= start or any(c in PUNCT for c in previous_word):
            return previous_word[-1:] in CLOSE_BRACKETS  # 村(社区)|组织|工作事项准入制度
        return previous_word not in LIGHT_VERBS and not (
            previous is not None and previous.startswith(NON_NAME_TAGS))

    def _list_items(self, text: str, begin: int, suffix: str,
                    token_starts: AbstractSet[int]) -> list[Candidate]:
        """用好A、B、C机制: A and B are mechanisms too, named with the shortest kind suffix (A机制)."""
        items = []
        pos = begin
        while pos > 0 and text[pos - 1] == "、":
            item_end = pos - 1
            item_begin = self._expand_left(text, item_end, token_starts)
            body = text[item_begin:item_end]
            if len(body) < 2 or body in self.generic:
                break
            if body.endswith(OTHER_KINDS):
                return []  # 数据脱敏技术、…认证、…保护机制: a list of means, no 机制
            items.append(Candidate(item_begin, item_end, "MECHANISM", "pattern", 0.7, body + "机制"))
            pos = item_begin
        return items

    # -- GROUP --------------------------------------------------------------------------------------
    def groups(self, text: str, token_starts: AbstractSet[int]) -> list[Candidate]:
        """少数民族干部, 国有大型商业银行: up to three qualifiers of a head, written together before it.

        The head must end a jieba word (企业家 is no 企业) and the name must begin at one (非|国有企业 gives
        国有企业 only where jieba splits 非 off); a head with no qualifier is left to the lexicon.
        """
        found = []
        for end_index, head in self.group_automaton.iter(text):
            end = end_index + 1
            start = end - len(head)
            if end not in token_starts:
                continue
            qualifiers = self.group_heads[head]
            pos = start
            for _ in range(3):
                word = next((q for q in qualifiers if text.endswith(q, 0, pos)), None)
                if word is None:
                    break
                pos -= len(word)
            if pos == start or pos not in token_starts and pos != 0:
                continue
            found.append(Candidate(pos, end, "GROUP", "pattern", 0.7))
        return found

    # -- PERSON -------------------------------------------------------------------------------------
    def persons(self, text: str) -> list[Candidate]:
        names: set[str] = set()
        for m in self.person_re.finditer(text):
            raw = m.group(2)
            if raw[0] in "和与及":  # 委员长和韩正: a conjunction, not a surname; the next name holds no post
                continue
            for length in (3, 2):
                name = raw[:length]
                if len(name) < length:
                    continue
                if name[0] not in self.surnames and name[:2] not in self.surnames:
                    break
                after = text[m.start(2) + length: m.start(2) + length + 1]
                if ((after == "" or not CJK.match(after) or after in "说在等同表指强介认看主作")
                        and person_like(name, self.surnames, given_min=2)  # not 主席关于“…”, 委员明确
                        and not news.function_word_opens(name, jieba_tags())):  # not 总书记关于加|强
                    names.add(name)
                    names.update(text[a:b] for a, b in news.listed_names(  # 副总理丁薛祥、张国清、刘国中
                        text, m.start(2) + length, lambda n: person_like(n, self.surnames, given_min=3)
                        and not news.function_word_opens(n, jieba_tags())))
                    break
        found = []
        for name in names:
            for m in re.finditer(re.escape(name), text):
                found.append(Candidate(m.start(), m.end(), "PERSON", "pattern", 0.9))
        return found


def _automaton(words: object) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for w in words:  # type: ignore[attr-defined]
        automaton.add_word(w, w)
    automaton.make_automaton()
    return automaton


def _after_last(text: str, begin: int, end: int, words: tuple[str, ...]) -> int:
    """``begin``, moved past the last of ``words`` found in ``text[begin:end]``."""
    for w in words:
        k = text.rfind(w, begin, end)
        if k >= 0:
            begin = max(begin, k + len(w))
    return begin


def _ends_with_any(text: str, pos: int, words: object, max_len: int = 12) -> str | None:
    """The longest word of ``words`` that ends at ``pos`` (``words`` sorted longest first, or a set)."""
    if isinstance(words, set):
        for n in range(min(max_len, pos), 0, -1):
            if text[pos - n:pos] in words:
                return text[pos - n:pos]
        return None
    # a list sorted longest first: the first word that ends there is the longest one ending there, so look up
    # the text's tail of each length the list has (one set look-up a length, not one endswith a word)
    index = _suffix_index(words)
    pos = min(pos, len(text))
    if index is None or pos < 0:
        for w in words:  # type: ignore[attr-defined]
            if text.endswith(w, 0, pos):
                return str(w)
        return None
    members, lengths = index
    for n in lengths:
        if n <= pos and text[pos - n:pos] in members:
            return text[pos - n:pos]
    return "" if "" in members else None


#: id of a word list -> (the list, its words, their lengths longest first); the lists are the recognisers'
#: own, made once
_SUFFIX_INDEX: dict[int, tuple[object, frozenset[str], tuple[int, ...]]] = {}


def _suffix_index(words: object) -> tuple[frozenset[str], tuple[int, ...]] | None:
    """The words of a list sorted longest first, and their lengths; None for anything else."""
    entry = _SUFFIX_INDEX.get(id(words))
    if entry is not None and entry[0] is words:
        return entry[1], entry[2]
    if not isinstance(words, list | tuple) or not all(isinstance(w, str) for w in words):
        return None
    sizes = [len(w) for w in words]
    if sizes != sorted(sizes, reverse=True):
        return None  # not sorted longest first: the first match is not the longest
    index = (frozenset(words), tuple(sorted({n for n in sizes if n > 0}, reverse=True)))
    _SUFFIX_INDEX[id(words)] = (words, *index)
    return index


@Language.factory("kg_patterns", default_config={"lexicon_dir": None}, assigns=["doc._.kg_candidates"])
def make_pattern_recognizer(nlp: Language, name: str, lexicon_dir: str | None) -> PatternRecognizer:
    directory = Path(lexicon_dir) if lexicon_dir else ontology_path("lexicon")
    return PatternRecognizer(load_lexicon(directory), directory)
