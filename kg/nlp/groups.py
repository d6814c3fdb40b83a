"""GROUP candidates: the kinds of people or bodies that a measure is aimed at (docs/annotation.md).

A group is named by a head noun (企业, 高校, 单位, 机构, 部门, 人才, 人群, 居民, 游客, 运营商,
煤矿 …) and the words that classify it, written together before it: 规模以上|工业|企业,
人工智能|创新|创业|人才, “双高”|建设|高校, 区县|工业和信息化|主管部门, 第三方|非营利|机构. The
classifying words are read leftwards over jieba words from the head, and the chain begins where the text
stops classifying:

- after punctuation, a function word (的, 和, 在, 对 …), a determiner (各, 相关, 有关, 其他; decision 6:
  有关部门, 相关单位 are no group) or a number (3所|高校);
- after a verb: 支持|企业, 鼓励|行业龙头骨干企业; a verb inside the chain is kept when a noun opens it
  (人工智能|创新|创业|人才, 试点|示范|企业), and a few participles open it after a boundary
  (参与|单位, 其他|参与|企业);
- a quoted word classifies (“瞪羚”|企业), so do 规模以上/限额以上, 第三方, the field words of body names
  (工业和信息化) and 地方各级;
- a head word with classifiers of its own ends the chain of the head after it (大型工业企业|研发机构);
- an adjective or 类 stands inside a chain a noun opens (人工智能|紧缺|急需|人才, 科技类|社会组织), and 发展
  before a kind is done to it (培育|发展|独角兽企业); a head jieba cuts across two words is rejoined
  (青年人|才).

A head alone is a group where the text acts on it: 煤矿, 学校, 游客 … after a verb of aiming (支持, 鼓励,
督促 …), before a modal (煤矿要…, 学校应…) or in a list (bare 企业 only in a list beside academic bodies:
高校、科研院所、企业). A head that names a part of one body (工作机构, 内设机构, 责任单位), a chain that
holds a body's name (…兵团工业和信息化主管部门), a head that is a word of a longer name
(省级科技人才|项目) and the addressees of a notice (各省…主管部门，有关行业协会：) are no group.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Sequence

import jieba

from kg.nlp.candidates import Candidate
from kg.nlp.merge import Mention, jieba_tags
from kg.nlp.tokenizer import plain_tokenizer


def _words(text: str) -> list[str]:
    return text.split()


#: head nouns of kinds of bodies and of people (a jieba word ending with one of them is a head word)
HEADS = tuple(_words(
    "企业 高校 学校 院校 单位 机构 部门 院所 主体 运营商 服务商 供给方 供应商 煤矿 景区 孵化器 联合体 人才 "
    "人群 农民 居民 游客 官兵 委员 代表 公民 农户 养殖户 种植户 工作者 经营者 从业者 毕业生 群体 博物馆 "
    "科技馆 公司 银行 医院 协会 消费者 社会组织"))
#: heads that are a group on their own where the text acts on them (煤矿要…, 督促煤矿…, 高校、科研院所、企业)
BARE_HEADS = frozenset(_words(
    "高校 学校 煤矿 游客 官兵 运营商 博物馆 科技馆 企业 孵化器 消费者"))
#: kinds of bodies named by one word that holds no head (产业联盟, 众创空间)
BARE_KINDS = re.compile(r"产业联盟|众创空间|创新联合体|科研院所|高等院校|高等学校|少数民族")
#: heads that take no classifying word here (集团军|官兵 names one army's soldiers)
UNCLASSIFIED = frozenset({"官兵"})
#: heads of institutions: a place before one makes the name of one body (云南省博物馆), not a kind
INSTITUTIONS = frozenset({"博物馆", "科技馆", "医院", "学校", "景区", "高校"})
#: words that classify a head although they open or end other names (重点|人群, 全国|政协委员)
KIND_WORDS = frozenset({"重点", "国家级", "省级", "市级", "县级", "试点", "示范"})
#: bare 企业 is a group only beside these, in a list (产学研: 高校、科研院所、企业)
ACADEMIC = frozenset({"高校", "高等学校", "高等院校", "科研院所", "科研机构", "院所", "研究机构"})
#: head words that are no kind alone (a part or a role of one body, or anybody): they need a classifying word
GENERIC_HEADS = frozenset({"主管部门", "行政部门", "监管部门", "管理部门", "职能部门", "政府部门", "有关部门",
                           "相关部门", "部门", "单位", "机构", "工作机构", "内设机构", "办事机构", "派出机构",
                           "成员单位", "责任单位", "牵头单位", "配合单位", "主办单位", "承办单位", "协办单位",
                           "本单位", "该单位", "各单位", "主体", "责任主体", "公司", "代表", "委员", "群体",
                           "伙伴", "协会", "医院", "银行", "人群", "群众", "居民", "农民", "人才", "公民",
                           "主管单位", "有关单位", "相关单位", "上级部门", "下级部门", "同级部门", "所属单位",
                           "直属单位", "分公司", "子公司", "总公司", "母公司", "人民群众", "有限公司",
                           "合作伙伴", "战略伙伴", "分支机构", "下属机构", "下属单位",
                           "集团公司", "股份公司"})
#: the only words 公司 / 银行 / 医院 / 代表 / 委员 take before them: kinds, not one body's name
#: (华为公司 is a body)
NARROW_HEADS = {
    "公司": frozenset(_words("运营 航空 上市 保险 证券 担保 融资担保 平台 物业 外资 国有 民营 基金 信托"
                             " 建筑 电网 电信 快递 物流 运营商 供电")),
    "银行": frozenset({"商业", "政策性", "国有", "民营", "中小", "村镇", "农村商业", "外资", "合作"}),
    "医院": frozenset({"公立", "民营", "定点", "基层", "社会办", "二级", "三级", "县级", "综合", "专科"}),
    "代表": frozenset({"人大", "党代会", "职工", "群众", "官兵", "全国人大", "基层", "青年", "妇女"}),
    "委员": frozenset({"政协", "全国政协", "省政协", "市政协", "人大常委会"}),
    "协会": frozenset({"行业"}),
}
#: words that open no chain and end one: determiners and quantifiers (各类|企业, 相关|单位, 一批|企业)
DETERMINERS = frozenset(_words(
    "各 各类 各种 各级 各地 各级各类 相关 有关 其他 其它 全部 所有 一些 部分 更多 一批 若干 该 本 此 这些 "
    "这 那些 广大 全体 众多 大批 大量 每个 每所 每家 多 少数 个别 不同 现有 上述 以下 以上 下列 我国 我省 "
    "我市 本地 当地 辖区 区内 内 外 好 新 老 其 之 不少 许多 一般 责任 牵头 配合 成员 协办 主办 承办 工作 "
    "有条件 符合条件 所在 所在地 所属 原 现"))
#: verbs that name a kind when they classify a head after a boundary (参与单位, 申报单位, 示范煤矿)
PARTICIPLES = frozenset(_words(
    "参与 申报 联合申报 入驻 承担 签约 合作 参建 受援 受灾 入选 获奖 在建 新建 拟 投保 参保 在职 离退休 "
    "退休 转制 改制"))
#: verbs that stand inside a chain opened by a noun (人工智能|创新|创业|人才, 服务资源|使用|单位)
INNER_VERBS = frozenset(_words(
    "创新 创业 示范 使用 参与 申报 孵化 投资 养殖 种植 承担 入驻 合作 服务 建设 运营 研发 生产 经营 制造 "
    "管理 监管 培训 评价 检测 认证 评估 咨询 设计 施工 监理 供应 销售 就业 转型 协调 组织协调 发展 研究"))
#: a verb or word after which a head alone is acted on (支持|企业, 督促|煤矿, 面向|游客)
AIMING_VERBS = tuple(_words(
    "支持 鼓励 引导 督促 推动 帮助 扶持 帮扶 指导 组织 动员 吸引 服务 面向 针对 要求 推荐 遴选 认定 培育 "
    "激励 奖励 补贴 资助 保障 欢迎 允许 方便 便利 助力 带动 考虑"))
AIMING = re.compile("(?:" + "|".join(AIMING_VERBS) + "|为|对|向)$")
#: verbs jieba tags as nouns, which end a chain at its left (制约|民营企业, 改革|高职院校)
PREDICATES = frozenset(_words(
    "制约 改革 破除 发挥 考虑 降低 提高 提升 加强 加快 促进 壮大 做强 做大 规范 整治 约束 限制 吸纳 带领 "
    "依托 利用 委托 追究"))
#: adverbs that open a verb phrase jieba may write as one word (充分发挥, 全力保障, 明显降低)
ADVERBS = ("充分", "全力", "积极", "大力", "明显", "切实", "进一步", "不断", "努力", "加快", "深入", "全面")
#: what after a head makes it a word of a longer name or phrase (省级科技人才|项目, 企业|负担, 单位|缴费)
NOT_AFTER = re.compile(r"项目|计划|工程|基金|专项|政策|平台|中心|名单|目录|库|孵化|载体|负担|缴费|"
                       r"数[占量]|比重|占比|地位|支撑|村寨|家庭|学生|主体责任|责任|关系|市场|专业合作|合作社")
#: the head words of a programme's name that a group may open (专业技术人才知识更新工程)
PROGRAMME_WORDS = frozenset({"工程", "计划", "行动"})
#: what makes a head alone a tasked group after it (煤矿要…, 学校应…)
TASKED = re.compile(r"要|应|应当|需|须|必须|可|可以|将|负责|作为|按照|按|结合")
#: the addressees of a notice, on a line of their own (各省、自治区…主管部门，有关行业协会：): generic
#: addressees are not annotated (tests/gold/policy/README.md)
SALUTATION = re.compile(r"^[ \t\u3000]*各[^\n。]{2,300}[：:][ \t\u3000]*$", re.M)
#: a list of sectors (煤矿、建筑、交通等领域)
SECTORS = re.compile(r"(?:[、和及与][^，。；：、\n]{1,6}?){0,5}等?(?:领域|行业)")
#: one body pointed at (这家|企业, 该所|高校)
DEICTIC = re.compile(r"(?:这|那|该|此|一|每)(?:家|个|所|座|处)$")
LIST_SEP = re.compile(r"[、和及与]|以及")
PUNCT = frozenset("，。、；：！？,.;:!?（）()【】[]《》<>—-…·/ \t\n\r\u3000")
OPEN_QUOTES, CLOSE_QUOTES = "“‘「『\"", "”’」』\""
#: jieba tags of words that classify a head: nouns, names of places, abbreviations, distinguishing words,
#: nominal verbs and adjectives, foreign words (OTA企业)
NOMINAL_TAGS = ("n", "b", "j", "vn", "an", "ns", "nz", "eng")
#: words before 规模/限额 that make it a threshold (规模以上|工业企业)
THRESHOLD = re.compile(r"(?:规模|限额|规上|限上)(?:以上|以下)$")
#: field words of department names that hold 和 (区县|工业和信息化|主管部门)
JOINED_FIELDS = tuple(_words(
    "工业和信息化 经济和信息化 住房和城乡建设 人力资源和社会保障 文化和旅游 发展和改革 农业和农村 "
    "科学和技术 新闻出版广电 卫生和计划生育"))
MAX_WORDS = 5
MAX_CHARS = 12


class GroupFinder:
    """Proposes GROUP candidates over one document's jieba words (see the module's docstring)."""

    def __init__(self, fields: Sequence[str], org_suffixes: Sequence[str], stopwords: frozenset[str],
                 cues: frozenset[str]) -> None:
        self.fields = tuple(sorted({f for f in (*fields, *JOINED_FIELDS) if len(f) >= 2}, key=len,
                                   reverse=True))
        self.org_suffixes = tuple(s for s in org_suffixes if len(s) >= 2)
        self.stopwords = stopwords
        self.cues = cues
        self._head_set = frozenset(HEADS)
        self._head_lengths = tuple(sorted({len(h) for h in HEADS}, reverse=True))
        self._head_last = frozenset(h[-1] for h in HEADS)
        self._field_set = frozenset(self.fields)
        self._field_lengths = tuple(sorted({len(f) for f in self.fields}, reverse=True))
        self.verb_endings = tuple(cues | set(AIMING_VERBS) | PREDICATES)

    def _head(self, word: str) -> str | None:
        """The longest head ``word`` ends with (a set look-up per head length, not an endswith per head)."""
        for n in self._head_lengths:
            if len(word) >= n and word[-n:] in self._head_set:
                return word[-n:]
        return None

    def __call__(self, text: str, starts: list[int], ends: list[int]) -> list[Candidate]:
        tags = jieba_tags()
        starts, ends = self._rejoin(text, starts, ends)
        found: list[Candidate] = []
        n = len(starts)
        for k in range(n):
            if text[ends[k] - 1] not in self._head_last:
                continue  # no head ends the word (a set look-up before the slice and the look-ups of _head)
            word = text[starts[k]:ends[k]]
            head = self._head(word)
            if head is None:
                continue
            if k + 1 < n and ends[k] == starts[k + 1] \
                    and text[starts[k + 1]:ends[k + 1]] in ("家", "人", "长"):
                continue  # 企业家, 委员长: a person, not the kind
            if NOT_AFTER.match(text, ends[k]) or self._opens_name(text, starts, ends, k, tags):
                continue  # 省级科技人才|项目, 专业技术人才|知识|更新|工程: a word of a programme's name
            begin = self._chain_start(text, starts, ends, k, head, tags)
            end = ends[k]
            if begin is not None and DEICTIC.search(text, max(0, begin - 3), begin):
                continue  # 这家光伏生产企业: one body pointed at, not a kind
            if word != head and begin == starts[k] and self._word_kind(word[:-len(head)], tags) is None:
                begin = None  # 广大群众, 现有企业, 联系群众: a determiner or a verb, not a classifier
            if begin is not None and begin < starts[k]:
                found.append(Candidate(begin, end, "GROUP", "pattern", 0.65))
            elif begin is not None and word != head and word not in GENERIC_HEADS \
                    and (head not in NARROW_HEADS or word[:-len(head)] in NARROW_HEADS[head]) \
                    and not (head in INSTITUTIONS and tags.get(word[:-len(head)], "").startswith("ns")):
                # a head word that holds its own classifier (骨干企业, 航空公司 aside): 行业协会, 少数民族干部
                found.append(Candidate(starts[k], end, "GROUP", "pattern", 0.6))
            elif word in BARE_HEADS and self._acted_on(text, starts, ends, k, word):
                found.append(Candidate(starts[k], end, "GROUP", "pattern", 0.55))
        start_set, end_set = frozenset(starts), frozenset(ends)
        for m in BARE_KINDS.finditer(text):
            if m.start() in start_set and m.end() in end_set:
                found.append(Candidate(m.start(), m.end(), "GROUP", "pattern", 0.7))
        found.extend(served(text, start_set, end_set))
        salutations = [m.span() for m in SALUTATION.finditer(text)]
        if salutations:
            found = [c for c in found if not any(a <= c.start < b for a, b in salutations)]
        return found

    def _rejoin(self, text: str, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """The words with a head that jieba cut across two words joined (青年人|才 → 青年人才): the second
        word is the head's rest."""
        if not starts:
            return starts, ends
        s2, e2 = [starts[0]], [ends[0]]
        for k in range(1, len(starts)):
            word = text[starts[k]:ends[k]]
            if starts[k] == e2[-1] and len(word) == 1 and e2[-1] - s2[-1] >= 2 \
                    and text[e2[-1] - 1:ends[k]] in self._head_set:
                e2[-1] = ends[k]
                continue
            s2.append(starts[k])
            e2.append(ends[k])
        return s2, e2

    def _opens_name(self, text: str, starts: list[int], ends: list[int], k: int,
                    tags: dict[str, str]) -> bool:
        """Whether the head word ``k`` opens a programme's name: up to three words that are no verb of
        doing, then 工程/计划/行动 (专业技术人才|知识|更新|工程; not 企业|实施|改造|工程)."""
        pos, n = ends[k], len(starts)
        for j in range(k + 1, min(n, k + 5)):
            if starts[j] != pos:
                return False
            word = text[starts[j]:ends[j]]
            if word in PROGRAMME_WORDS:
                return j > k + 1
            if not re.fullmatch(r"[\u4e00-\u9fff]{1,4}", word) or self._head(word) is not None \
                    or word in self.cues or word in PREDICATES or word in PARTICIPLES \
                    or AIMING.search(word) or APPLY.fullmatch(word) or word in DETERMINERS \
                    or tags.get(word, "").startswith(("p", "c", "u", "r", "m", "q")):
                return False
            pos = ends[j]
        return False

    # -- the classifying words ---------------------------------------------------------------------------
    def _chain_start(self, text: str, starts: list[int], ends: list[int], k: int, head: str,
                     tags: dict[str, str]) -> int | None:
        """Where the chain of words classifying the head of word ``k`` begins (the word's own start when no
        word does), or None when the chain holds a body's name (…兵团工业和信息化主管部门)."""
        head_start = starts[k]
        pos = head_start
        units: list[tuple[int, str]] = []  # (start, kind): "noun", "verb", "participle"
        nested: int | None = None  # the unit that is itself a head word
        j = k - 1
        while j >= 0 and len(units) < MAX_WORDS and head_start - pos < MAX_CHARS:
            if ends[j] != pos:
                break
            word = text[starts[j]:ends[j]]
            if word and word[-1] in CLOSE_QUOTES:  # “双高”|建设高校, “瞪羚”|企业
                opening = max(text.rfind(q, max(0, pos - 10), pos - 1) for q in OPEN_QUOTES)
                if opening < 0 or any(c in PUNCT for c in text[opening + 1:pos - 1]):
                    break
                units.append((opening, "noun"))
                pos = opening
                while j >= 0 and starts[j] >= opening:
                    j -= 1
                continue
            field = next((text[pos - n:pos] for n in self._field_lengths  # the longest field ending there
                          if len(word) < n <= pos and text[pos - n:pos] in self._field_set), None)
            if field is not None and field not in self.stopwords:  # 工业和信息化, 人力资源和社会保障
                units.append((pos - len(field), "noun"))
                pos -= len(field)
                while j >= 0 and starts[j] >= pos:
                    j -= 1
                continue
            if word in ("以上", "以下") and THRESHOLD.search(text, max(0, pos - 4), pos):  # 规模以上
                units.append((pos - 4, "noun"))
                pos -= 4
                while j >= 0 and starts[j] >= pos:
                    j -= 1
                continue
            if word == "各级" and text.endswith("地方", 0, starts[j]):  # 地方各级主管部门
                units.append((starts[j] - 2, "noun"))
                pos = starts[j] - 2
                j -= 2
                continue
            if word in ("全国", "省", "市", "县") and head in ("委员", "代表"):  # 全国|政协委员
                units.append((starts[j], "noun"))
                pos = starts[j]
                break
            if word == "第三方":
                units.append((starts[j], "noun"))
                pos = starts[j]
                break
            if word.endswith(self.org_suffixes) or word.endswith(("兵团", "政府", "厅", "局")):
                return None  # a body's own department or office: a name, not a kind
            if AIMING.search(word) and word not in INNER_VERBS:
                break  # 全力|保障|中国公民, 充分考虑|煤矿: what is done to the group, before it
            if head in NARROW_HEADS:
                if word not in NARROW_HEADS[head]:
                    break
                kind: str | None = "noun"
            else:
                kind = self._word_kind(word, tags)
            if kind is None:
                break
            if head in UNCLASSIFIED or head in INSTITUTIONS and tags.get(word, "").startswith("ns"):
                break
            if nested is None and self._head(word) is not None and head != "孵化器":
                nested = len(units)  # 大型工业企业|研发机构: the chain of the head before stops there
            units.append((starts[j], kind))
            pos = starts[j]
            j -= 1
            if kind == "participle":
                if word == "申报" and text.endswith("联合", 0, pos):
                    units[-1] = (pos - 2, kind)  # 联合申报|单位
                break  # it opens the chain or none (企业|联合申报单位)
        if nested is not None:
            nested_word = text[units[nested][0]:units[nested - 1][0] if nested else head_start]
            # a head word with classifiers of its own (大型工业企业|研发机构) or holding them
            # (中小企业|…供给方) ends the chain; a bare one opening it classifies (企业|研发机构, 煤矿|企业)
            if nested < len(units) - 1 or nested_word not in HEADS:
                del units[nested:]
        while units and head_start - units[-1][0] > MAX_CHARS:
            units.pop()
        # the chain opens with a noun, or with a participle right after a boundary (参与|单位)
        while units and units[-1][1] == "verb":
            units.pop()
        if units and units[-1][1] == "participle":
            before = text[max(0, units[-1][0] - 1):units[-1][0]]
            opened = not before or before in PUNCT or LIST_SEP.fullmatch(before) or before in "处个家所类等" \
                or any(text.endswith(d, 0, units[-1][0]) for d in DETERMINERS if len(d) > 1)
            if not opened:
                units.pop()  # 企业参与|国有企业改革: a verb and its object
        # a place and a verbal noun after it are a clause's subject and predicate: 北京市|调研|独角兽企业
        for u in range(len(units) - 1, 0, -1):
            word = text[units[u][0]:units[u - 1][0]]
            nxt = text[units[u - 1][0]:units[u - 2][0] if u > 1 else head_start]
            if tags.get(word, "").startswith("ns") and tags.get(nxt) == "vn" and nxt not in INNER_VERBS:
                del units[u - 1:]
                break
        if not units:
            return head_start
        return units[-1][0]

    def _word_kind(self, word: str, tags: dict[str, str]) -> str | None:
        """"noun" for a classifying word, "verb" for a verb that may stand inside a chain, "participle" for
        one that may also open it, None for a word that ends the chain."""
        if not word or any(c in PUNCT or c in OPEN_QUOTES for c in word):
            return None
        if word == "类":
            return "verb"  # 文化|类|社会组织: a kind's suffix, inside a chain a noun opens
        if len(word) == 1 and word not in "女大小":
            return None  # 2处|示范煤矿, 3所|高校: a measure word
        if word in KIND_WORDS:
            return "noun"
        if word.endswith(("机制", "制度", "改革", "覆盖")):
            return None  # 共济保障机制改革|定点医药机构: a clause before the kind, not a classifier
        if word in DETERMINERS \
                or word in self.stopwords and word not in PARTICIPLES and word not in INNER_VERBS:
            return None
        if re.search(r"\d|[一二三四五六七八九十百千万两几]$", word) and word not in ("一流",):
            return None
        if word in PARTICIPLES:
            return "participle"
        if word == "发展":
            return "verb"  # 培育|发展|独角兽企业: done to the kind (jieba tags it vn); inside a chain only
        if word in self.cues or word in AIMING_VERBS or word in PREDICATES:
            return "verb"  # 服务|资源使用单位, “双高”|建设|高校: inside a chain only
        if len(word) > 2 and (word.endswith(self.verb_endings) or word.startswith(ADVERBS)):
            return None  # 充分发挥|龙头企业, 全力保障: jieba tags some of these phrases as nouns
        tag = tags.get(word)
        if tag is None:
            return "noun" if re.fullmatch(r"[A-Za-z]{2,8}", word) else None
        if tag.startswith("v") and tag != "vn":
            return "verb" if word in INNER_VERBS else None
        if tag == "a":
            return "verb"  # 人工智能|紧缺|急需|人才: an adjective inside a chain a noun opens, not opening it
        if tag.startswith(NOMINAL_TAGS) and not tag.startswith(("nr", "nt")):
            return "noun"
        return None

    # -- a head alone ---------------------------------------------------------------------------------
    def _acted_on(self, text: str, starts: list[int], ends: list[int], k: int, word: str) -> bool:
        s, e = starts[k], ends[k]
        before = text[max(0, s - 6):s]
        while before and any(before.endswith(d) for d in ("各级各类", "各类", "各级", "各", "其他", "广大")):
            before = before[:-next(len(d) for d in ("各级各类", "各类", "各级", "各", "其他", "广大")
                                   if before.endswith(d))]
        after = text[e:e + 3]
        listed = bool(before and LIST_SEP.fullmatch(before[-1])) or bool(after and LIST_SEP.match(after)) \
            or after.startswith("等")
        if word == "企业":
            prev = text[max(0, s - 6):s - 1] if s and LIST_SEP.fullmatch(text[s - 1]) else ""
            nxt = LIST_SEP.match(after)
            nxt_word = text[e + nxt.end():e + nxt.end() + 4] if nxt else ""
            return any(prev.endswith(a) for a in ACADEMIC) or any(nxt_word.startswith(a) for a in ACADEMIC)
        if listed:
            return not SECTORS.match(text, e)  # 煤矿、建筑、交通等领域: sectors, not bodies
        if AIMING.search(before):
            return True
        return bool(TASKED.match(after))


#: a list of kinds that something is provided for: 为A、B和C提供…, 面向A开展…
SERVED = re.compile(r"(?:面向|为|针对|帮助|服务于?)((?:[\u4e00-\u9fff“”]{2,12}?(?:、|和|及|与|以及))*"
                    r"[\u4e00-\u9fff“”]{2,12}?)(?=提供|开展|推出|量身)")
#: how the name of a kind of people or bodies ends (老年人, 社会公众, 消费者, 中小企业)
SERVED_KIND = re.compile(r"(?:者|公众|群众|居民|市民|农民|人群|人员|人士|人才|老人|老年人|残疾人|年轻人|青年|"
                         r"当事人|参与人|儿童|妇女|学生|毕业生|师生|患者|病人|游客|乘客|旅客|顾客|客户|用户|商户|农户|家庭|"
                         r"职工|工人|员工|干部|官兵|医生|教师|法官|主体|企业|机构|院所|高校|学校)$")
#: words before a kind that are not part of its name (广大|消费者, 更多的|年轻人, 向|学生)
SERVED_LEAD = re.compile(r"^(?:向|给|对)?(?:广大|各类|各级|相关|有关|更多的?|当地|这些|所有|全体|其他|部分)?")


def served(text: str, starts: frozenset[int], ends: frozenset[int]) -> list[Candidate]:
    """The kinds listed after 为/面向/针对/帮助/服务 and before what is provided for them (为老年人、残疾人
    提供便捷服务; 面向法官、诉讼参与人、社会公众和政务部门提供…服务): GROUP even as bare words (公众, 居民),
    since the measure is aimed at them; each must be whole jieba words."""
    out: list[Candidate] = []
    at = 0
    while (m := SERVED.search(text, at)) is not None:
        at = m.start() + 1
        if m.start() not in starts:
            continue  # 服务机构开展…, 便民服务袋为…: not the cue
        at = m.end()
        pos = m.start(1)
        for item in re.split(r"(、|和|及|与|以及)", m.group(1)):
            a, b = pos, pos + len(item)
            pos = b
            if len(item) < 2 or item in ("和", "及", "与", "、", "以及"):
                continue
            lead = SERVED_LEAD.match(item)
            a += lead.end() if lead else 0
            if "的" in text[a:b]:
                a = text.rfind("的", a, b) + 1
            if "等" in text[a:b]:
                b = text.find("等", a, b)
            name = text[a:b]
            if 2 <= len(name) <= 10 and not re.search(r"服务|帮助|面向|针对|提供", name) \
                    and SERVED_KIND.search(name) and a in starts and b in ends \
                    and name not in DETERMINERS and name not in ("机构", "主体", "院所"):  # 服务|机构开展
                out.append(Candidate(a, b, "GROUP", "pattern", 0.6))
    return out


# -- targets ------------------------------------------------------------------------------------------------
#: a group applying for, taking part in or taken into an arrangement (企业申报省级科技计划项目,
#: 煤矿申报的…项目, 企业研发机构直接纳入省级科技创新平台管理)
APPLY = re.compile(r"(?:可|可以|均可|优先|直接|应|须|自主|积极|择优)?"
                   r"(?:申报|申请|承担|参与|参加|入选|纳入|进入|享受|获得|争取|入库|加入)了?的?")
#: a document's scope: 本规范适用于…, 《X》适用于…
APPLIES_TO = re.compile(r"(?:本(规范|办法|指南|意见|通知|细则|规定|方案|标准|条例|制度|规则|措施|政策|"
                        r"计划|指引|准则|要求|目录)|(?<=》))(?:主要|仅|同样|也)?适用于")
#: an item that sets up an arrangement: 2.实施大模型应用推进计划。 (its line, up to a responsibility note,
#: is the item's block)
HEADING = re.compile(r"[ \t\u3000]*(?:\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[）)]"
                     r"|[一二三四五六七八九十]{1,3}、)[ \t\u3000]*"
                     r"(?:组织实施|实施|开展|启动|推进|推行|建立|打造|设立)")
#: what a group is supported in, in an item's block (支持优势企业…, 助力生态伙伴…; 鼓励 and 引导 introduce
#: bodies that act for the item, not the ones it serves)
AIM_CUE = re.compile(r"(?:支持|助力|扶持|帮助|帮扶|面向|服务)$")
#: a verb that sets up what follows it (实施X, 开展X)
SET_UP = re.compile(r"(?:组织实施|实施|开展|启动|推进|推行|推广|设立|建立|建设|建成|打造)"
                    r"(?:[^，,。；;、：:\n]{0,12}的)?$")
#: an arrangement that serves the groups named right after it (X为企业和群众提供…, X面向中小学生提供…)
SERVES = re.compile(r"(?:将|可|要|还|也|主要|可以|能够)?(?:为|面向)(?:广大|各类)?(?=[^，。；]{2,40}提供)")
#: between an arrangement and the groups it serves: another thing set up, or another item
INTERVENING = re.compile(r"[；;]|建立|建设|建成|打造|创建|搭建|构建|设立")
#: a clause that opens by supporting a group (，重点支持中小企业…, ，帮助小微企业…, ，培育一批…的G)
SUPPORT_CLAUSE = re.compile(r"[ \t\u3000]*(?:重点|积极|大力|着力|优先|主要)?"
                            r"(?:支持|扶持|帮助|帮扶|面向|服务|惠及|覆盖|为|助力|吸引|招引|让|使|促进|带动|引导|培育|"
                            r"造就|培养)(?:更多的?|广大|一批|一支|大批)?(?:[^，,。；;：:\n]{2,24}的)?")
#: a group, or a list it opens, that owns what follows (支持高校、科研院所的科研人员): its people are meant
OWNER = re.compile(r"(?:[、和及与][^，。；、\n]{1,12}?)*的")
SENTENCE_END = re.compile(r"[。！？!?\n]")
NOTE_OPEN = re.compile(r"[（(](?:牵头|责任|配合|主责)")
ITEM_SEP = re.compile(r"[、和及与]|以及")
CLAUSE_END = re.compile(r"[，,。；;！？!?：:\n]")


def aimed_at(text: str, placed: Sequence[tuple[Mention, int]],
             labels: Sequence[str]) -> list[tuple[int, int, tuple[int, int], tuple[int, int]]]:
    """``targets`` read over a whole document: (arrangement, group, sentence span, evidence span).

    - a group that applies for or is taken into an arrangement (规模以上工业企业申报省级科技计划项目、
      省级创新平台; 支持企业申报X; 煤矿申报的X; 企业研发机构直接纳入省级科技创新平台管理);
    - a document's scope (本规范适用于各级教育行政部门…、各级各类学校; 《X》适用于…): the document, named as
      the POLICY whose name ends with the kind word (规范) or written right before 适用于;
    - a sentence that sets up an arrangement and goes on to support, attract, let, further, guide or foster
      groups (实施X，支持信息领域中小企业…; 开展X，招引更多G…; 建立X，引导G…; 实施X，培育一批…的G);
    - an item that sets up a programme or mechanism (2.实施X。…支持优势企业…，助力生态伙伴…): the groups
      supported in its block (up to its responsibility note), unless they set the arrangement up themselves
      (鼓励博物馆…，建立X: X is named again after them).
    A group followed by 的 (支持高校、科研院所的科研人员) is not the one supported.
    ``placed`` are the mentions with their entity's index, in text order; ``labels`` the entities' labels.
    Linear in the document's length: clause and sentence bounds are found once and looked up by bisection,
    and each rule reads each mention a bounded number of times.
    """
    out: list[tuple[int, int, tuple[int, int], tuple[int, int]]] = []
    starts = [m.start for m, _ in placed]
    arrangement = ("PROGRAM", "MECHANISM")
    breaks = [m.start() for m in CLAUSE_END.finditer(text)]
    full_stops = [m.start() for m in re.finditer("。", text)]

    def clause_end(pos: int) -> int:
        k = bisect_left(breaks, pos)
        return breaks[k] if k < len(breaks) else len(text)

    def clause_start(pos: int) -> int:
        k = bisect_left(breaks, pos)
        return breaks[k - 1] + 1 if k else 0

    def owner(end: int) -> bool:  # 支持高校、科研院所的科研人员: the group's people, in another role
        return OWNER.match(text, end, min(len(text), end + 40)) is not None

    # a group that applies for or is taken into an arrangement
    k = 0
    while k < len(placed):
        m, i = placed[k]
        k += 1
        if labels[i] != "GROUP":
            continue
        group = [(m, i)]
        while k < len(placed) and labels[placed[k][1]] == "GROUP" \
                and ITEM_SEP.fullmatch(text, group[-1][0].end, placed[k][0].start):
            group.append(placed[k])
            k += 1
        verb = APPLY.match(text, group[-1][0].end)
        if not verb or verb.end() == group[-1][0].end:
            continue
        pos, stop = verb.end(), clause_end(verb.end())
        for m2, j in placed[bisect_left(starts, pos):]:
            if m2.start >= stop or labels[j] not in arrangement or m2.start != pos and not (
                    ITEM_SEP.fullmatch(text, pos, m2.start) and pos > verb.end()):
                break
            for g_m, g in group:
                out.append((j, g, (clause_start(g_m.start), stop), (g_m.start, m2.end)))
            pos = m2.end
    # a document's scope
    scopes = list(APPLIES_TO.finditer(text))
    policies = [(m, i) for m, i in placed if labels[i] == "POLICY"] if scopes else []
    for scope in scopes:
        kind = scope.group(1)
        doc: int | None = None
        if kind:
            doc = next((i for m, i in policies if _kind_of(text[m.start:m.end], kind)), None)
        else:
            doc = next((i for m, i in policies if m.end == scope.start()), None)
        if doc is None:
            continue
        stop = clause_end(scope.end())
        for m2, j in placed[bisect_left(starts, scope.end()):]:
            if m2.start >= stop:
                break
            if labels[j] == "GROUP":
                out.append((doc, j, (clause_start(scope.start()), stop), (scope.start(), m2.end)))
    # a sentence that sets up an arrangement and then supports groups: 实施X，支持中小企业… (the nearest
    # arrangement set up before the group's clause, in its sentence)
    sentence_end = -1
    set_up: tuple[Mention, int] | None = None
    previous: Mention | None = None
    served_run = False
    for m, i in placed:
        if m.start > sentence_end:
            found = SENTENCE_END.search(text, m.start)
            sentence_end = found.start() if found else len(text)
            set_up, previous = None, None
        if labels[i] in arrangement:
            if SET_UP.search(text, max(0, m.start - 16, clause_start(m.start)), m.start) \
                    or SERVES.match(text, m.end):
                set_up = (m, i)
            previous = None
            continue
        if labels[i] != "GROUP" or set_up is None:
            previous = None
            continue
        c0 = clause_start(m.start)
        listed = previous is not None and ITEM_SEP.fullmatch(text, previous.end, m.start)
        supported = m.start - c0 <= 36 and SUPPORT_CLAUSE.fullmatch(text, c0, m.start) \
            and (text[m.start - 1] != "为" or "提供" in text[m.end:clause_end(m.end)])
        previous = m if listed or supported else None
        x_m, x = set_up
        serves = SERVES.match(text, x_m.end)
        if serves and serves.end() == m.start:
            previous = m  # 平台为企业提供…: what the arrangement itself is for
            served_run = True
        elif listed and served_run:
            pass  # 平台为生产者、管理人员和科技人员提供…
        elif previous is None or c0 <= x_m.end:
            served_run = False
            continue
        else:
            served_run = False
        if owner(m.end) or INTERVENING.search(text, x_m.end, m.start):
            continue  # 建成X；建成Y，为G提供…: G is served by Y, even when Y is no entity
        out.append((x, i, (clause_start(x_m.start), sentence_end), (x_m.start, m.end)))
    # an item's block: the groups it supports
    for heading in HEADING.finditer(text):
        if heading.start() and text[heading.start() - 1] != "\n":
            continue
        k0 = bisect_left(starts, heading.end())
        if k0 >= len(placed):
            continue
        m, x = placed[k0]
        if labels[x] not in arrangement or m.start - heading.end() > 1:
            continue
        line_end = text.find("\n", m.end)
        line_end = len(text) if line_end < 0 else line_end
        note = NOTE_OPEN.search(text, m.end, line_end)
        block_end = note.start() if note else line_end
        sets_up = re.compile(r"(?:建立|建设|打造|开展|实施|推行|设立|搭建|构建)[^，。；]{0,12}"
                             + re.escape(text[m.end - 2:m.end]))
        last: Mention | None = None
        for g_m, g in placed[k0 + 1:bisect_left(starts, block_end)]:
            if labels[g] != "GROUP":
                last = None
                continue
            listed = last is not None and ITEM_SEP.fullmatch(text, last.end, g_m.start)
            if not listed and not AIM_CUE.search(text, max(0, g_m.start - 3), g_m.start):
                last = None
                continue
            last = g_m
            if owner(g_m.end):
                continue
            f = bisect_left(full_stops, g_m.end)
            stop = min(full_stops[f] if f < len(full_stops) else len(text), block_end, g_m.end + 80)
            if sets_up.search(text, g_m.end, stop):
                continue  # 鼓励博物馆…，建立门票预约制度: they set it up
            out.append((x, g, (heading.start(), block_end), (m.start, g_m.end)))
    return out


#: verbs that urge the groups after them to act (推动行业管理部门与行业协会商会建立…机制)
URGE = re.compile(r"(?:推动|引导|督促|鼓励|支持|指导|要求|组织|动员|帮助|扶持|促进|促使|推进|带动)"
                  r"(?:各级|各类|各|广大|有关|相关|全国|全省|全市)?$")


def urged(text: str, groups: Sequence[tuple[Mention, int]], at: int) -> list[tuple[Mention, int]]:
    """The groups written before a cue verb (in text order) that an arrangement named at ``at`` is aimed
    at: the runs of groups joined by 、和与及 whose first a verb urges to act (推动行业管理部门与行业协会商会
    建立…机制), and the groups of an attribute of the arrangement (建立健全反映党员和党组织意愿的
    党内民主制度)."""
    out: list[tuple[Mention, int]] = []
    run: list[tuple[Mention, int]] = []
    for g_m, g in groups:
        if run and not ITEM_SEP.fullmatch(text, run[-1][0].end, g_m.start):
            run = []
        if not run and not URGE.search(text, max(0, g_m.start - 6), g_m.start) \
                and not _in_attribute(text, g_m.end, at):
            continue
        run.append((g_m, g))
        out.append((g_m, g))
    return out


#: a verb that sets an arrangement up: between a group and the 的 of an attribute, it makes the group the
#: builder (城市交通运输主管部门应建立完善的…机制, 龙头企业建立面向…的平台), not the one the attribute names
BUILD_VERB = re.compile(r"建立|建设|开展|实施|打造|构建|设立|健全|完善|推进|创建|组建|搭建|探索|推行|制定")


def _in_attribute(text: str, end: int, at: int) -> bool:
    """A group ending at ``end`` stands in an attribute of the arrangement at ``at`` (反映党员和党组织意愿的
    党内民主制度): a 的 follows it before the arrangement, with no verb that sets something up before that
    的."""
    de = text.rfind("的", end, at)
    return de >= 0 and not BUILD_VERB.search(text, end, de)


#: after a group in an arrangement's name: the group's own affairs, not what is done for it
#: (金融机构内部考核机制, 国有企业经营机制, 社区工作者队伍建设若干措施)
OWN_AFFAIRS = re.compile(r"内部|自身|自我|内控|经营|治理|队伍|党建")


@functools.cache
def _plain_words() -> jieba.Tokenizer:
    """jieba with its own dictionary only: the pipeline adds the lexicon's names to the shared one (中小企业
    would split 大|中小企业)."""
    return plain_tokenizer()


def named_for(name: str, group: str) -> bool:
    """Whether an arrangement's or document's name holds a group's name as the kind it is for: opening a
    word (not 中小企业 in 大中小企业融通创新模式) and not followed by the group's own affairs
    (金融机构内部考核机制)."""
    bounds = {0}
    pos = 0
    for w in _plain_words().lcut(name, HMM=False):
        pos += len(w)
        bounds.add(pos)
    at = name.find(group)
    while at >= 0:
        end = at + len(group)
        if at in bounds and not OWN_AFFAIRS.match(name, end):  # its end may merge (人才|培养 → 人才培养)
            return True
        at = name.find(group, at + 1)
    return False


def _kind_of(title: str, kind: str) -> bool:
    """Whether a document's name ends with its kind word (规范, 办法 …), 《》 and （试行） aside."""
    name = re.sub(r"[（(](?:试行|暂行|征求意见稿|修订稿?|草案)[）)]$", "", re.sub(r"[《》〈〉]", "", title))
    return name.endswith(kind)
