"""Names of programmes (PROGRAM) and standing arrangements (MECHANISM) in policy texts and news, and what
makes a body run one (issue 14).

``kg_patterns`` finds these names by their kind suffix (机制, 计划, 行动 …) and reads leftwards until a cue
or stop word. Policy texts name their programmes with long descriptive phrases whose inner words are also
verbs or stop words (大模型创新扶持计划, 省重点研发计划, 数字技术工程师培育项目), and with heads the suffix
tables do not hold (项目, 资金, 基金, 试验区, 主题教育, 试验场, 企业库, 倡议). :func:`revise` (called at
the end of ``kg_patterns``) reads these names again:

- where a name starts: after a verb that governs it (实施, 开展, 建立, 支持, 纳入 … :data:`HARD_STOPS`), a
  preposition, conjunction, adverb, particle or figure (jieba's tags) or punctuation; a deverbal word (建设,
  发展, 推进, 扶持 … :data:`SOFT_WORDS`) stays in the name after a noun-like word (智慧旅游建设推进小组) and
  ends it after a place, a body or at a phrase's start (青岛市|建设|大模型评测开放服务平台, 加入|金砖机制: a
  subject and its verb are no part of the name; 重点建设|…平台: a leading deverbal word is stripped).
  Places, quoted terms, bracketed places (华为（济南）…), 省级/国家, ordinals (第二批) and counted
  collectives (七项协调机制) stay. The heads ending at one place are tried longest first (七项|协调机制 is
  none, 七项协调|机制 is); where the reader knows a head, its answer replaces the pattern's.
- what is no name: a head with too little before it (协同机制, 专项行动, 重点项目; the pattern's own
  generic-head and deictic tests), a counted reference (三种模式), an evaluative practice (成功经验), a head
  that ends inside a longer word (数字技术工程|师), and a plan that is paperwork (制定…资金使用计划: a
  document drawn up, not an undertaking carried out).
- the items of "A和B等专项行动" and "A、B、C等区域重大战略" are named with the head they share
  (央企产业焕新专项行动; 京津冀协同发展).

:func:`encouraged` tells ``kg_relations`` when a cue verb is what a body encourages or supports others to do
(鼓励济南市建设…平台, 支持企业开展…试点): the body does not run that.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Set as AbstractSet
from typing import Any

from kg.core.text import first_of, last_of
from kg.nlp.candidates import Candidate
from kg.nlp.merge import jieba_tags

#: heads the suffix tables do not hold, with their label, and how many characters a name needs before them
EXTRA_HEADS: dict[str, tuple[str, int]] = {
    "项目": ("PROGRAM", 6), "资金": ("PROGRAM", 4), "基金": ("PROGRAM", 4), "试验区": ("PROGRAM", 4),
    "示范区": ("PROGRAM", 4), "主题教育": ("PROGRAM", 2), "学习教育": ("PROGRAM", 2), "倡议": ("PROGRAM", 4),
    "试验场": ("MECHANISM", 2), "企业库": ("MECHANISM", 2), "工作专班": ("MECHANISM", 2),
    "推进小组": ("MECHANISM", 4),  # a task force (docs/annotation.md, decision 11)
}
#: heads after which a fund or project needs a place or a level to be one named thing (财政专项资金 is not)
FUND_HEADS = ("资金", "基金")
FUND_OWNERS = re.compile(r"国家|中央|省|市|县|[\u4e00-\u9fff]{1,3}(?:省|市|自治区)")
#: words that never sit inside a name read leftwards: the verbs that govern it, adverbs, scope words
HARD_STOPS = frozenset("""实施 开展 组织实施 启动 部署 依托 利用 支持 鼓励 引导 纳入 申报 争取 推荐 遴选
    落实 加入 借鉴 学习借鉴 参与 参加 承接 融入 围绕 通过 加强 加快 进一步 持续
    积极 着力 大力 不断 认真 深入 全面 切实 主动 充分 努力 坚持 继续 做好 抓好
    抓实 提出 采取 形成 作为 结合 印发 修订 制定 起草 出台 制订 打造 建立 完善
    健全 搭建 构建 用好 探索 深化 优化 执行 实行 推行 组建 举办 成立 设立 发挥
    明确 运用 调整 压实 总结 引入 优先 一批 各类 各级 各地 这项 这一 一些 全省
    全市 全国 全区 有关 相关 各项 这些 各种 一系列 将 把 对 在 为 由 以 从 向
    和 与 及 以及 或 并 等 的 是 有 要 了 着 其中 包括 同时 召开 举行 部门
    单位 考察 承建 加大 强化 复制 按照 根据 按 经 如 共同 联合 分别 牵头
    负责 配合 指导 获批 入选 争创 创建 认定 确定 列入 成为 正式 首个 首批 访问
    期间 纵观 面向 针对 提供 资助 新建 拟 拟以 以上 以下 左右 以内 祝贺
    欢迎 赞赏 践行 倡导 所有 全部 一切 其他 其它 部分 现有 已有 原有 新增 中 内
    上 下 前 后 里 外 间 今年 明年 去年 当年 本年 今后 近年 目前 当前 现在 近期
    同期 实现 发布 打好 打赢 打响 停止 公布 开通 上线 管理好 纳入到 接入 对接 用 开启 进行
    编制 汇总 做大做强 做强 做大 建强 推广应用""".split())
#: verbs that take an object: inside a name only right before its head or another deverbal word
OBJECT_VERBS = frozenset({"推进", "推动", "加快", "促进"})
#: deverbal words that open no name (重点|建设…平台, 推进|…试点): a name read leftwards does not start
#: with them
NO_OPENERS = ("建设", "推进", "推动", "促进", "发展", "加快", "重点", "强化", "规范", "提升", "提高", "贯彻",
              "培育",
              "扶持", "改造", "升级", "改革", "创新", "治理", "服务", "管理", "推广")
#: how far back a quote before a name is read as part of it (“金融伙伴+科技辅导员+投行专家”融资服务模式)
QUOTE_REACH = 24
#: words that add nothing to a head (工作推进机制, 相关配套机制)
THIN_WORDS = frozenset({"工作", "相关", "有关", "各项", "长效", "运行", "配套", "日常"})
#: manner words that open a compound verb (协同推进, 统筹推进): at a phrase's start they end a name
MANNER = ("协同", "共同", "统筹", "扎实", "稳步", "有序", "加快", "大力", "积极", "全面", "深入", "持续",
          "着力",
          "切实", "不断", "进一步", "逐步", "精心", "认真", "加紧", "抓紧")
#: words before a phrase that make it a kind of thing (一批…平台, 各类…机制, …等省级人才工程)
KIND_DETERMINERS = frozenset({"一批", "各类", "一系列", "若干", "多个", "一些", "各种", "等", "诸多", "更多",
                              "一大批", "多种", "各项"})
#: words that open a kind of project or plan, not a named one (大中型建设项目, 年度计划, 比原计划)
KIND_OPENERS = ("重点", "示范", "重大", "相关", "有关", "其他", "各类", "所有", "大中型", "大型", "中型",
                "小型", "新建",
                "续建", "在建", "新开工", "一般", "年度", "原", "比原")
#: deverbal words that head or fill names (智慧旅游建设推进小组, 大模型应用推进计划): inside a name after a
#: noun-like word, a name's boundary elsewhere
SOFT_WORDS = frozenset("""建设 发展 推进 推动 提升 提高 创新 融合 治理 改革 服务 管理 培育 扶持 研究
    研发 重点 强化 规范 贯彻 改造 转换 升级 转型 应用 评价 评测 预测 监测 示范
    培养 保护 共享 开放 合作 联通 攻关 保障 决策 供应 推广 促进""".split())
#: tags of jieba words that end a name read leftwards (prepositions, conjunctions, pronouns, particles,
#: adverbs, numerals and measure words, modal particles, time words)
STOP_TAGS = ("p", "c", "r", "u", "d", "ad", "y", "e", "o", "m", "q")
#: tags of noun-like words, after which a deverbal word belongs to the name
NOUNISH_TAGS = ("n", "vn", "j", "nz", "eng", "b", "an", "l", "i", "s")
#: 第二批主题教育, 第四期…行动计划: an ordinal that is part of the name
ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+(?:批|期|轮|届|个|代)$")
#: a counted collective that names a set of arrangements (七项协调机制, 三大攻坚行动)
COLLECTIVE = re.compile(r"[一二三四五六七八九十两]+[项大]$")
#: a counted reference to kinds just described (三种模式, 两类机制): no name
COUNTED = re.compile(r"^(?:[\u4e00-\u9fff]{0,2}?)[一二三四五六七八九十两\d]+种")
#: an evaluative word before 经验: a lesson learnt, not a named practice (成功经验, 先进经验)
EVALUATIVE = ("成功", "先进", "典型", "有益", "宝贵", "好的", "有效", "丰富", "实践", "成熟", "可复制")
#: a plan drawn up as a document (制定…资金使用计划, 编制年度计划): paperwork, unless it is carried out
PAPERWORK = re.compile(r"制定|制订|编制|拟定|报送|上报|提交|审定|审核|报批")
CARRIED_OUT = re.compile(r"实施|执行|推进|开展|落实")
#: "A、B等区域重大战略", "A和B等专项行动": items named with a shared head
SHARED_HEAD = re.compile(r"等(?:区域|国家)?(?:重大|重点)?"
                         r"(战略|专项行动|行动计划|攻坚行动|工程|计划|试点|倡议)"
                         r"(?=[，。；、,;：:）)\s]|建设|实施|工作|$)")
ITEM_SEP = re.compile(r"、|和|及|与")
#: “A”“B”“C”等…活动/平台: quoted items of a kind of undertaking or arrangement are named ones (“护苗”“净网”等
#: 专项行动, “爱山东”“齐鲁智脑”等平台); the kind's head gives the label
QUOTED_ITEMS = re.compile(r"((?:“[^”“，。；、\n]{2,14}”[、和及与]?){2,})"
                          r"(?:等[^，。；,;：:“”\n]{0,14}?|(?![^，。；,;：:“”\n]{0,8}?(?:的|开展|实施|企业))"
                          r"[^，。；,;：:“”、\n]{0,8}?)"
                          r"(活动|项目|工程|行动|计划|试点|品牌|平台|模式|机制|制度)")
#: “招才引智名校行”活动, “万人助万企”系列活动: a quoted campaign's name with its head
QUOTED_CAMPAIGN = re.compile(r"“[^”“，。；、\n]{3,14}”(?:系列)?活动")
#: kinds of acts that are no undertaking of the issuer (分裂活动, 违法活动)
MISDEEDS = re.compile(r"分裂|违法|犯罪|非法|诈骗|腐败|邪教|恐怖|走私|传销|赌博")
LIST_OPENING = re.compile(r"“[^”“]{2,14}”[、和及与]?“[^”“]{2,14}”(?!$)")
#: heads whose name may join two short conjuncts with 和 (激励和约束机制, 议事和决策机制), and how long each
#: conjunct may be
AND_HEADS = ("机制", "制度")
AND_REACH = 10
#: a digital build-out carried out as a programme (智慧社区建设, 数字政府建设, 煤矿智能化建设; policy README:
#: a build-out being carried out is PROGRAM): the modifier, one to four characters of the thing built, 建设
BUILD_OUT = re.compile(r"(?:智慧|数字)([\u4e00-\u9fff]{1,4}?)建设|([\u4e00-\u9fff]{2})智能化建设")
#: what is built there that is no build-out of its own (数字农业平台建设: the platform; 数字化…, 智慧化…:
#: a manner; 数字人才队伍建设, 行业智能化建设: a field of work or a kind)
BUILD_OUT_NOT = re.compile(r"^[化型]|基础|示范|平台|系统|中心|工程|项目|设施|能力|体系|标准|启动|加快|推进"
                           r"|队伍|学科|人才|协同|试点|^(?:行业|企业|产业)$")
#: tags of the words of a build-out's object (nouns, places, nominal verbs: 旅游, 教育)
BUILD_OUT_TAGS = ("n", "vn", "j", "s")
#: a practice named after the post that answers for it: 河长制, 林长制, 链长制; 市长负责制, 厂长负责制
POST_PRACTICE = re.compile(r"(?:河湖长制|(?<![\u4e00-\u9fff]长)[\u4e00-\u9fff]长制"
                           r"|(?:[省市县区厂校院馆]长|(?:军委)?主席|书记)负责制)"
                           r"(?![定订作造约度品止裁服衡])")
QUOTED_LABEL = {"平台": "MECHANISM", "模式": "MECHANISM", "机制": "MECHANISM", "制度": "MECHANISM"}
#: verbs of encouraging or supporting others: the subject after them does the act, the body does not
ENCOURAGE = re.compile(r"鼓励|支持|引导|帮助|指导|吸引|动员|倡导"
                       r"|推动(?=[^，,；;。]{0,12}?(?:企业|高校|机构|单位))")
CJK = re.compile(r"[\u4e00-\u9fff]")
CLAUSE_MARKS = "，,；;。！？!?：:\n"
PUNCT = set("，。、；：！？,.;:!?【】[]《》<>—-…·/ \t\n\r\u3000")
OPEN_QUOTES, CLOSE_QUOTES = "“‘「『\"", "”’」』\""


def _tag(word: str) -> str | None:
    return jieba_tags().get(word)


class Reader:
    """Reads PROGRAM and MECHANISM names over a text's jieba words (see the module's doc)."""

    def __init__(self, recognizer: Any) -> None:
        self.rec = recognizer
        heads: dict[str, tuple[str, int]] = {}
        for suffix, (label, _kind) in recognizer.kind_suffixes.items():
            if label in ("PROGRAM", "MECHANISM"):
                heads[suffix] = (label, 2)
        heads.update(EXTRA_HEADS)
        self.heads = heads
        self.heads_by_length = sorted(heads, key=len, reverse=True)
        self.head_re = re.compile("|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True)))
        self.places: AbstractSet[str] = recognizer.place_set

    # -- where a name starts ----------------------------------------------------------------------------
    def name_start(self, text: str, start: int, starts: list[int], org_ends: AbstractSet[int],
                   limit: int = 28, across_and: bool = False) -> int:
        """Where the name whose head begins at ``start`` begins (``starts``: the jieba words' starts);
        ``across_and``: a short second conjunct after 和 is read on into the first (激励和约束|机制)."""
        pos = start
        k = _index_before(starts, pos)
        while pos > 0 and start - pos < limit:
            ch = text[pos - 1]
            if ch in CLOSE_QUOTES:
                opening = max(text.rfind(q, max(0, pos - QUOTE_REACH), pos - 1) for q in OPEN_QUOTES)
                if opening < 0:
                    break
                pos = opening
                k = _index_before(starts, pos)
                continue
            if ch in ")）":
                opening = max(text.rfind("(", max(0, pos - 14), pos - 1),
                              text.rfind("（", max(0, pos - 14), pos - 1))
                if opening <= 0 or text[opening - 1] in PUNCT:
                    break
                pos = opening
                k = _index_before(starts, pos)
                continue
            if ch == "/" and pos >= 2 and CJK.match(text[pos - 2]) and CJK.match(text[pos:pos + 1]):
                pos -= 1  # 智能工厂/车间
                k = _index_before(starts, pos)
                continue
            if ch in PUNCT or ch in OPEN_QUOTES or ch in "（(" or "\ue000" <= ch <= "\uf8ff":
                break  # (a private-use character: a list number's glyph, 3\ue010建设…)
            if k < 0:
                break
            w0 = starts[k]
            word = text[w0:pos]
            if not word or any(c in PUNCT for c in word):
                break
            if re.fullmatch(r"[一二三四五六七八九十]+是|[其首]次|[其另]一|.+于", word):
                break  # 二是|数据挖掘子平台: an enumeration
            if word == "和" and across_and and 2 <= start - pos <= AND_REACH:
                # 激励和约束机制, 版权保护和开发利用制度: one arrangement of two acts, named whole
                first = self.name_start(text, w0, starts, org_ends, limit - (start - w0))
                if AND_REACH >= w0 - first >= 2 and not self._phrase_start(text, starts, k) \
                        and text[first - 1:first] != "、" \
                        and self._acts(text[starts[_index_before(starts, w0)]:w0]) \
                        and self._acts(text[starts[_index_before(starts, start)]:start], "l"):
                    return first  # two acts (激励|和|约束), not two things (法律法规和监管机制)
                break
            if word == "的" and text[w0 - 1:w0] == "党" and k >= 1 and starts[k - 1] == w0 - 1 \
                    and start - pos >= 2 and across_and and (self._phrase_start(text, starts, k - 1)
                                                             or self._verb_before(text, starts, k - 1)):
                pos = w0 - 1  # 完善|党的代表大会制度: the Party's own system keeps 党的
                break
            if word in ("全省", "全市", "全区", "全县", "全国") and text.startswith("性", pos):
                pos = w0  # 全省|性…行动计划: one word (全省性), a scope of its own
                break
            if word in OBJECT_VERBS and not self._before_head(text, starts, k, start):
                break  # 地区|推进|数据管理机制: a verb and its object (but 大模型应用推进计划)
            if word in HARD_STOPS or len(word) >= 4 and (word[:2] in HARD_STOPS or word[-2:] in HARD_STOPS):
                break  # 建立健全, 不断完善: compound verbs
            if (word in MANNER or len(word) >= 4 and word.startswith(MANNER)) \
                    and self._phrase_start(text, starts, k):
                break  # ，协同推进|智能制造…行动 (but 京津冀|协同发展)
            tag = _tag(word)
            if word == "系列":
                pass  # “清朗”系列专项行动
            elif tag is not None and tag.startswith(STOP_TAGS) and word not in SOFT_WORDS:
                ordinal = ORDINAL.search(text, max(0, pos - 6), pos) \
                    or COLLECTIVE.search(text, max(0, pos - 4), pos)
                if ordinal and ordinal.end() == pos:
                    pos = ordinal.start()  # 第二批主题教育, 七项协调机制, 三大攻坚行动
                break
            if word in SOFT_WORDS or tag in ("v", "vd"):
                # a verb stays in the name only after a noun-like word that is no place or body
                before = text[starts[k - 1]:w0] if k > 0 else ""
                if word == "学习" and text.startswith("贯彻", pos):
                    pass  # 学习贯彻…主题教育
                elif across_and and before == "和" and start - w0 <= AND_REACH:
                    pass  # 激励和|约束机制: read on to 和
                elif word not in SOFT_WORDS and pos == start and (before in HARD_STOPS or not before or any(
                        c in PUNCT for c in before)):
                    pos = w0  # 深化|预算|制度: a verb right before the head is the name's own word
                    break
                elif before in MANNER and self._phrase_start(text, starts, k - 1):
                    break  # ，协同|推进…
                elif not before or word in SOFT_WORDS and (w0 in org_ends or before in self.places) \
                        or word == "建设" and before.endswith(("企业", "高校", "机构", "院所")) \
                        or before in HARD_STOPS \
                        or any(c in PUNCT or c in OPEN_QUOTES for c in before):
                    break
                elif before[-1] in CLOSE_QUOTES or before[-1] in ")）":
                    pass
                else:
                    btag = _tag(before)
                    if before not in SOFT_WORDS and btag is not None and not btag.startswith(NOUNISH_TAGS) \
                            and not btag.startswith(("v", "a", "ns", "nr")):
                        break
            pos = w0
            k -= 1
        return pos

    def shared_head(self, text: str, end: int) -> str:
        """The head that ends the 、-list an item ending at ``end`` belongs to, in its clause ('' if none):
        机制 for 信息沟通、线索移送工作机制, 平台 for 门户网站、新闻机构、新媒体平台."""
        stop = min([k for k in (text.find(c, end, end + 80) for c in "，。；：;:,\n（(") if k >= 0]
                   or [min(len(text), end + 80)])
        m = self.head_re.search(text, end, stop)
        if m is None:
            return ""
        return next((h for h in self.heads_by_length if text.endswith(h, 0, m.end())), m.group())

    @staticmethod
    def _verb_before(text: str, starts: list[int], k: int) -> bool:
        """The word before word ``k`` is a verb (严格执行|党的…制度)."""
        if k <= 0:
            return False
        before = text[starts[k - 1]:starts[k]]
        tag = _tag(before)
        return before[-2:] in HARD_STOPS or tag is not None and tag.startswith("v")

    @staticmethod
    def _acts(word: str, *tags: str) -> bool:
        """The word names an act: a verb or a deverbal noun (约束, 评估), or a word of ``tags``
        (开发利用: l)."""
        return any(w in SOFT_WORDS or (tag := _tag(w)) is not None and tag.startswith(("v", *tags))
                   for w in (word, word[-2:]))  # (版权保护: 保护)

    @staticmethod
    def _before_head(text: str, starts: list[int], k: int, head: int) -> bool:
        """The word ``k`` is followed by the head or by a deverbal word (应用推进|计划, 建设推进|小组)."""
        nxt = starts[k + 1] if k + 1 < len(starts) else len(text)
        if nxt >= head:
            return True
        after = text[nxt:starts[k + 2]] if k + 2 < len(starts) else text[nxt:]
        return after in SOFT_WORDS

    @staticmethod
    def _phrase_start(text: str, starts: list[int], k: int) -> bool:
        """The word ``k`` opens a phrase: after punctuation, a stop word or nothing."""
        if k <= 0:
            return True
        before = text[starts[k - 1]:starts[k]]
        tag = _tag(before)
        return before in HARD_STOPS or any(c in PUNCT for c in before) or before.endswith("是") \
            or tag is not None and tag.startswith(STOP_TAGS)

    # -- the names --------------------------------------------------------------------------------------
    def names(self, text: str, token_starts: AbstractSet[int], token_ends: AbstractSet[int],
              org_ends: AbstractSet[int],
              org_spans: AbstractSet[tuple[int, int]] = frozenset()) -> list[Candidate]:
        starts = sorted(token_starts)
        found: list[Candidate] = []
        self.rejected: set[int] = set()  # the head ends where no name was found
        for m in self.head_re.finditer(text):
            end = m.end()
            # the heads that end here, longest first (七项|协调机制 is no name, 七项协调|机制 is)
            heads = [h for h in self.heads_by_length if text.endswith(h, 0, end) and len(h) <= len(m.group())]
            self.rejected.add(end)
            for head in heads:
                cand = self._read(text, end - len(head), end, head, starts, token_starts, token_ends,
                                  org_ends, org_spans)
                if cand is not None:
                    found.append(cand)
                    self.rejected.discard(end)
                    break
        found.extend(self.shared_heads(text, starts, org_ends))
        found.extend(self.build_outs(text, starts, token_starts))
        found.extend(quoted_items(text))
        return found

    def _read(self, text: str, h0: int, end: int, head: str, starts: list[int],
              token_starts: AbstractSet[int], token_ends: AbstractSet[int], org_ends: AbstractSet[int],
              org_spans: AbstractSet[tuple[int, int]]) -> Candidate | None:
        """The name whose head ``head`` spans ``[h0, end)``, or None."""
        if end not in token_ends:
            # 数字技术工程|师: the head ends inside a longer word; 试点工作 (one jieba word): a head and a
            # word after it
            k = _index_before(starts, h0 + 1)
            if starts[k] != h0 or k + 1 >= len(starts) or starts[k + 1] - end < 2:
                return None
        if h0 not in token_starts:
            # a compound word that ends with the head (攻关项目, 建设项目): read from its start
            w0 = starts[_index_before(starts, h0 + 1)]
            if w0 >= h0 or w0 < h0 - 4:
                return None
        label, need = self.heads[head]
        if head.endswith("计划") and text.startswith("地", end) or text.startswith(("型", "性", "化"), end):
            return None  # 有计划地, 制度型开放, 制度化: no name
        close = end
        if end < len(text) and text[end] in CLOSE_QUOTES and "“" in text[max(0, h0 - 20):h0]:
            close = end + 1
        if end < len(text) and text[end] in CLOSE_QUOTES:
            # “外专双百计划”: a quoted name is the quoted span
            opening = max(text.rfind(q, max(0, h0 - 20), h0) for q in OPEN_QUOTES)
            if opening >= 0 and h0 - opening >= 3 and not any(c in CLOSE_QUOTES or c in PUNCT
                                                               for c in text[opening + 1:h0]):
                return Candidate(opening, end + 1, label, "pattern", 0.8)
        begin = self.name_start(text, h0, starts, org_ends, across_and=head in AND_HEADS)
        begin = self._strip_openers(text, begin, h0, token_starts)
        body = text[begin:h0].strip("“”\"‘’")
        if (begin, h0) in org_spans:
            return None  # 工业和信息化部|试点, 德国地学研究中心|计划 (a body and a verb or a kind word)
        k = _index_before(starts, begin)
        if k >= 0 and text[starts[k]:begin] in KIND_DETERMINERS:
            return None  # 打造一批|重点实验室…平台, …等|省级人才工程: a kind of thing, not one named
        if not self._is_name(text, begin, h0, end, head, body, need, token_starts):
            return None
        if text[close - 1] in CLOSE_QUOTES and not any(q in text[begin:close - 1] for q in OPEN_QUOTES):
            close -= 1
        if text[begin] in OPEN_QUOTES and "”" not in text[begin:close] and "’" not in text[begin:close]:
            begin += 1
        return Candidate(begin, close, label, "pattern", 0.8)

    def _is_name(self, text: str, begin: int, h0: int, end: int, head: str, body: str, need: int,
                 token_starts: AbstractSet[int]) -> bool:
        if len(body) < need or body in self.rec.generic:
            return False
        if COUNTED.match(body) or (head == "经验" and body.endswith(EVALUATIVE)):
            return False
        if re.search(r"(?<![创更革刷])新$", body) and head in ("模式", "机制", "业态") and "“" not in body:
            return False  # 新技术新模式, 场景创新新机制: a new kind described, no name
        if head in FUND_HEADS and not FUND_OWNERS.match(body) and "“" not in body \
                and not text.endswith(("我省", "我市", "本省", "本市", "我区", "本区"), 0, begin):
            return False
        if len(head) >= 3 and re.fullmatch(r"[一二三四五六七八九十两]+[项大]", body):
            return True  # 五项协调机制, 三大攻坚行动: a counted collective
        if re.fullmatch(r"[\d一二三四五六七八九十两百千]+[项个大类批条]?", body) \
                or re.match(r"\d+[项个家所批条类]", body):
            return False  # 26项工程
        if (head in EXTRA_HEADS or head.endswith(("计划", "工程"))) and body.startswith(KIND_OPENERS) \
                or body.endswith(("比原", "原")):
            return False
        if head in EXTRA_HEADS and _tag(body) is not None and not ORDINAL.search(body):
            return False  # 重点项目, 建设项目 (a word of the dictionary): a kind of project
        if self._all_verbs(text, begin, h0, token_starts, THIN_WORDS):
            return False  # 开展示范|合作提升项目, 工作推进机制: a name needs a noun of its own
        if re.search(r"等[\u4e00-\u9fff]?$", body) \
                or any(text[a:b] == "等" for a, b in _words(begin, h0, token_starts)):
            return False  # 众包众创等新模式: a kind after a list
        kind = "plan"
        if self.rec._generic_head(text, begin, h0, kind, head):
            return False
        if self.rec._deictic(text, begin, token_starts):
            return False
        if head.endswith("计划") and "行动" not in body + head and self._paperwork(text, begin):
            return False
        return True

    @staticmethod
    def _strip_openers(text: str, begin: int, h0: int, token_starts: AbstractSet[int]) -> int:
        """重点建设国家…平台 → 国家…平台: the deverbal words a name was read up to are its verb, not its
        own."""
        if text.startswith("地区", begin) and text[begin - 1:begin] in ("各", "本", "该"):
            begin += 2  # 各|地区…项目: the places it runs in
        if text[begin:begin + 1] == "好" and text[begin - 1:begin] in ("用", "建", "管", "抓", "做"):
            begin += 1  # 用好|省公共数据开放平台: the verb's complement
        manner = re.match(r"高(?:水平|标准|质量|起点)(?:建设|打造|推进|建成)|做?[大强优精]做[大强优精]",
                          text[begin:h0])
        if manner:
            begin += manner.end()  # 高水平建设|济南…试验区: how it is built, no part of its name
        while begin < h0:
            nxt = next((p for p in range(begin + 1, h0 + 1) if p in token_starts), h0)
            word = text[begin:nxt]
            if word not in NO_OPENERS or nxt >= h0 or (word == "学习" and text.startswith("贯彻", nxt)):
                return begin
            if word in ("创新", "治理", "服务", "管理", "改革", "发展") \
                    and text[nxt:nxt + 2] not in SOFT_WORDS:
                return begin  # 创新|驱动…, 服务|外包…: a noun here
            begin = nxt
        return begin

    @staticmethod
    def _all_verbs(text: str, begin: int, h0: int, token_starts: AbstractSet[int],
                   generic: AbstractSet[str] = frozenset()) -> bool:
        words = [text[a:b] for a, b in _words(begin, h0, token_starts)]
        return bool(words) and all(w in SOFT_WORDS or w in generic for w in words)

    @staticmethod
    def _paperwork(text: str, begin: int) -> bool:
        """制定建设运营方案、服务资源年度分配计划、资金使用计划: a plan in a list of documents drawn up."""
        clause0 = last_of(text, "，,；;。！？!?\n", begin) + 1
        before = text[clause0:begin]
        return bool(PAPERWORK.search(before)) and not CARRIED_OUT.search(before)

    def shared_heads(self, text: str, starts: list[int], org_ends: AbstractSet[int]) -> list[Candidate]:
        """A和B等专项行动 → A专项行动, B专项行动; 京津冀协同发展、长江经济带发展等区域重大战略 → each item."""
        out: list[Candidate] = []
        for m in SHARED_HEAD.finditer(text):
            head = m.group(1)
            pos = m.start()
            if head == "战略":
                out.extend(self._strategies(text, pos, starts, org_ends))
                continue
            items: list[tuple[int, int]] = []
            while pos > 0 and len(items) < 8:
                b = self.name_start(text, pos, starts, org_ends, limit=14)
                if b >= pos or pos - b < 2:
                    break
                items.append((b, pos))
                sep = ITEM_SEP.match(text, b - 1) if b > 0 else None
                if b > 0 and text[b - 1] in "和及与":
                    # name_start stops at 和: the item before it is read next
                    pos = b - 1
                    continue
                if sep is None or sep.end() != b:
                    break
                pos = b - 1
            if len(items) < 2:
                continue
            for b, e in items:
                if head == "战略":
                    if text[e - 2:e] in ("发展", "建设"):
                        out.append(Candidate(b, e, "PROGRAM", "pattern", 0.75))
                else:
                    label = self.heads.get(head, ("PROGRAM", 2))[0]
                    item = text[b:e]
                    own = next((h for h in self.heads_by_length if item.endswith(h)), None)
                    if own is not None:
                        # 智慧林业资源监管工程、…等工程: the item is named with its own head already
                        out.append(Candidate(b, e, self.heads[own][0], "pattern", 0.75))
                    elif e - b >= 3 or head == "专项行动" and e - b >= 2 and _tag(item) is None:
                        out.append(Candidate(b, e, label, "pattern", 0.75, item + head))
        return out


    def build_outs(self, text: str, starts: list[int], token_starts: AbstractSet[int]) -> list[Candidate]:
        """智慧社区建设, 数字中国建设, 矿山智能化建设: a digital build-out at a phrase's start (after
        punctuation, a verb, a preposition or 的), its object made of nouns (:data:`BUILD_OUT`)."""
        out: list[Candidate] = []
        for m in BUILD_OUT.finditer(text):
            b, e = m.start(), m.end()
            obj = m.group(1) or m.group(2)
            if b not in token_starts or e not in token_starts and e < len(text) or BUILD_OUT_NOT.search(obj):
                continue
            if text[e:e + 1] in ("单", "主", "者", "方", "用"):
                continue  # 数字政府建设单位: who builds
            ob = m.start(1) if m.group(1) else m.start(2)
            words = [text[x:y] for x, y in _words(ob, ob + len(obj), token_starts)]
            if not words or any(_tag(w) is not None and not _tag(w).startswith(BUILD_OUT_TAGS)
                                or _tag(w) is None and len(w) < 2 for w in words):
                continue  # 智慧口岸启动建设, 月将智能化建设
            if m.group(2) and (len(words) != 1 or _tag(words[0]) not in ("n",)):
                continue  # 煤矿|智能化建设, not 管理智能化建设
            k = _index_before(starts, b)
            before = text[starts[k]:b] if k >= 0 else ""
            btag = _tag(before)
            if before and not (any(c in PUNCT or c in OPEN_QUOTES for c in before) or before in HARD_STOPS
                               or before in OBJECT_VERBS or before in NO_OPENERS
                               or btag is not None and btag.startswith((*STOP_TAGS, "v"))):
                continue  # 林业|智慧社区建设: inside a longer name
            out.append(Candidate(b, e, "PROGRAM", "pattern", 0.75))
        return out

    def _strategies(self, text: str, pos: int, starts: list[int],
                    org_ends: AbstractSet[int]) -> list[Candidate]:
        """落实A、B、C等区域重大战略: the items of a 、-list (each ending in 建设 or 发展, 和 inside one)."""
        clause0 = last_of(text, "，。；：,;:\n", pos) + 1
        out: list[Candidate] = []
        bounds = [clause0, *(k + 1 for k in range(clause0, pos) if text[k] == "、"), pos + 1]
        for k, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False)):
            e = b - 1
            if k == 0:
                # the first item: after the verb that governs the list
                a = max([a, *(text.rfind(v, a, e) + len(v) for v in HARD_STOPS
                              if len(v) >= 2 and text.rfind(v, a, e) >= 0)])
                for lead in ("和", "及", "服务"):  # 融入和服务|黄河流域…
                    if text.startswith(lead, a):
                        a += len(lead)
            item = text[a:e]
            if 4 <= len(item) <= 18 and item.endswith(("建设", "发展")) and not any(c in PUNCT for c in item):
                out.append(Candidate(a, e, "PROGRAM", "pattern", 0.75))
        return out


def quoted_items(text: str) -> list[Candidate]:
    """“工赋青岛”“未来城市”等典型应用场景案例征集活动 → each quoted item (PROGRAM; MECHANISM for 平台, 模式,
    机制, 制度); “招才引智名校行”活动 → that campaign, with its head."""
    out: list[Candidate] = []
    for m in QUOTED_ITEMS.finditer(text):
        if MISDEEDS.search(m.group(0)):
            continue
        label = QUOTED_LABEL.get(m.group(2), "PROGRAM")
        for q in re.finditer(r"“[^”“]+”", m.group(1)):
            out.append(Candidate(m.start(1) + q.start(), m.start(1) + q.end(), label, "pattern", 0.75))
    for m in QUOTED_CAMPAIGN.finditer(text):
        if not MISDEEDS.search(m.group(0)):
            out.append(Candidate(m.start(), m.end(), "PROGRAM", "pattern", 0.75))
    for m in POST_PRACTICE.finditer(text):
        out.append(Candidate(m.start(), m.end(), "MECHANISM", "pattern", 0.85))
    return out


def revise(out: list[Candidate], text: str, reader: Reader, token_starts: AbstractSet[int],
           token_ends: AbstractSet[int]) -> None:
    """Replace ``kg_patterns``' PROGRAM and MECHANISM candidates by :class:`Reader`'s where they end at the
    same place, drop those that are no names (see the module's doc), add the new ones; in place."""
    org_ends = frozenset(c.end for c in out if c.label == "ORG" and c.source in ("pattern", "lexicon"))
    org_spans = frozenset((c.start, c.end) for c in out
                          if c.label == "ORG" and c.source in ("pattern", "lexicon"))
    mine = reader.names(text, token_starts, token_ends, org_ends, org_spans)
    # a name right after a count (10个以上低碳冶炼示范项目, 5个左右资源循环利用示范项目) was read by the
    # count's frame (kg.nlp.quantities.frame_names), whose bounds are surer than a reading back over words
    count_ends = {c.end for c in out if c.label == "METRIC"}
    counted = {c.end for c in out if c.source == "pattern" and c.label in ("PROGRAM", "MECHANISM")
               and _after_count(text, c.start, count_ends)}
    mine = [c for c in mine if c.end not in counted]
    starts = sorted(token_starts)
    by_end = {c.end: c for c in mine if c.name is None}
    keep: list[Candidate] = []
    for c in out:
        if c.source != "pattern" or c.label not in ("PROGRAM", "MECHANISM") or c.end in counted:
            keep.append(c)
            continue
        if c.end in by_end:
            continue  # read again below
        if c.name is not None:  # a list item named with a shared 机制 (用好A、B机制)
            k = _index_before(starts, c.start)
            before = text[starts[k]:c.start] if k >= 0 else ""
            if text[c.start:c.end] not in reader.places and not _subject_verb(text, c.start, c.end,
                                                                              reader.places) \
                    and before not in KIND_DETERMINERS and before not in KIND_OPENERS:
                item = text[c.start:c.end]
                if item.endswith(tuple(reader.heads)):
                    # 门票预约制度、…机制: its own name; a bare 平台 (政府、平台、企业联动机制): none
                    if item not in reader.heads:
                        keep.append(Candidate(c.start, c.end, c.label, c.source, c.score))
                elif not c.name.endswith("机制") or reader.shared_head(text, c.end).endswith("机制") \
                        and len(item) >= 3 and not item.endswith(("化", "性", "次")) \
                        and text[c.start:_token_after(c.start, token_starts)] not in HARD_STOPS:
                    keep.append(c)  # 风险评估、应急处置机制; not 门户网站、…新媒体平台 (no 机制 to share)
            continue
        end = c.end - 1 if text[c.end - 1] in CLOSE_QUOTES else c.end
        if end not in token_ends and text[end - 1] not in CLOSE_QUOTES and _cut_word(end, starts):
            continue  # 数字技术工程|师
        if _drop(text, c, reader) or c.end in reader.rejected or c.end - 1 in reader.rejected:
            continue
        keep.append(c)
    # “以竹代塑”“以竹代木”绿色低碳重大项目: a list of quoted items and their kind, no one name (quoted_items)
    out[:] = [c for c in keep + mine if not LIST_OPENING.match(text, c.start, c.end)
              and not (c.source == "pattern" and c.label in ("PROGRAM", "MECHANISM", "EVENT")
                       and in_kind_list(text, c.start))
              and not (c.source == "pattern" and c.label == "EVENT" and generic_event(text, c))]
    branches(out, text)


#: a branch after its parent's name: its place, then its kind (…莱芜监管分局, …济南分行, …青岛分院)
BRANCH_AFTER = re.compile(r"([\u4e00-\u9fff]{2,6}?)(?:监管)?(?:分局|分行|支行|分院|分公司|分中心|分所|分校)")


def branches(out: list[Candidate], text: str) -> None:
    """国家金融监督管理总局莱芜监管分局: an ORG followed by a place and a branch kind includes them (decision
    of names: the longest name the text gives); in place."""
    places = {(c.start, c.end) for c in out if c.label == "PLACE"}
    for k, c in enumerate(out):
        if c.label != "ORG" or c.source not in ("pattern", "lexicon"):
            continue
        m = BRANCH_AFTER.match(text, c.end)
        if m is None:
            continue
        place = m.group(1)
        if (m.start(1), m.end(1)) in places or place.endswith(("省", "市", "县", "区", "州")) \
                or text.startswith("监管分局", m.end(1)):
            out[k] = Candidate(c.start, m.end(), c.label, c.source, c.score)


#: a generic event: a level or an evaluation, no name (省级以上人工智能产业大会, 人工智能领域知名会议)
GENERIC_EVENT = re.compile(r"级以上|知名|高水平|高层次|重要|各类")


def generic_event(text: str, c: Candidate) -> bool:
    """举办人工智能领域知名会议、论坛、大赛等活动: a level or an evaluation makes a kind of event."""
    name = text[c.start:c.end]
    return bool(GENERIC_EVENT.search(name)) and not any(q in name for q in "“”‘’\"")  # “创业齐鲁”…大赛


def in_kind_list(text: str, start: int) -> bool:
    """``start`` opens a later item of a 、-list whose first item follows a kind word (打造一批重点实验室、
    人工智能创新平台): every item is a kind of thing, as the first one (decision 1)."""
    if start == 0 or text[start - 1] != "、":
        return False
    clause0 = last_of(text, "，,；;。！？!?：:\n（(", start) + 1
    for word in KIND_DETERMINERS - {"等"}:
        k = text.rfind(word, clause0, start)
        if k >= 0 and not any(ch in PUNCT and ch != "、" for ch in text[k + len(word):start - 1]):
            return True
    return False


def _after_count(text: str, start: int, count_ends: AbstractSet[int]) -> bool:
    """``start`` follows a figure, or a figure and 以上/左右/以下/多/余 (10个以上|X)."""
    if start in count_ends:
        return True
    for word in ("以上", "左右", "以下", "多", "余"):
        if text.startswith(word, start - len(word)) and start - len(word) in count_ends:
            return True
    return False


def _drop(text: str, c: Candidate, reader: Reader) -> bool:
    name = text[c.start:c.end]
    head = next((h for h in reader.heads_by_length if name.rstrip("”’\"").endswith(h)), "")
    body = name[:len(name) - len(head)] if head else name
    if COUNTED.match(body) or head == "经验" and body.endswith(EVALUATIVE):
        return True
    if head.endswith("计划") and "行动" not in body + head and Reader._paperwork(text, c.start):
        return True
    return _subject_verb(text, c.start, c.end, reader.places)


def _subject_verb(text: str, start: int, end: int, places: AbstractSet[str]) -> bool:
    """The phrase opens with a place or a one-character subject and its verb (青岛市建设…, 埃加入…)."""
    name = text[start:end]
    for verb in ("建设", "加入", "纳入", "推荐", "申报", "开展", "实施", "建立", "打造", "遴选"):
        k = name.find(verb)
        if 0 < k <= 6 and (name[:k] in places or k == 1
                           or name[:k].endswith(("市", "省", "县", "区", "单位", "企业", "高校", "机构"))):
            return True
    return False


def encouraged(text: str, cue_start: int, floor: int = 0) -> bool:
    """The cue verb at ``cue_start`` is what someone is encouraged or supported to do, in its clause
    (鼓励济南市、青岛市建设…, 支持企业搭建…, 引导…开展…): whoever encourages does not run what it names."""
    clause0 = max(floor, last_of(text, CLAUSE_MARKS, cue_start) + 1)
    return ENCOURAGE.search(text, clause0, cue_start) is not None


#: verbs before a name in a note's task that say the units use or join it, not that they answer for it
#: (依托国家…平台, 申报国家重点研发计划, 融入“一带一路”)
USES = re.compile(r"依托|借助|利用|用好|参与|参加|加入|申报|争取|争创|对接|融入|借鉴|学习|衔接|对标|结合"
                  r"|通过|基于|接入|承接"
                  r"|按照|根据|落实|贯彻|围绕|服务")


#: what follows a supported name that says it is built (支持…平台建设)
ACTOR_DONE = re.compile(r"建设|建成|落地|发展|创建")
#: a name that units reward, subsidise or recognise: others run it
AWARDED = re.compile(r"认定|入选|评定|评为|获批|奖励|奖补|资助|补助|补贴|给予|予以")


def task_runs(text: str, task0: int, start: int) -> bool:
    """A MECHANISM or PROGRAM named at ``start`` in the task of a responsibility note that begins at
    ``task0``: the note's units run it (docs/annotation.md, decision 2: 拓展X平台应用领域, 培育“产业大脑”,
    调整充实…工作专班) unless its clause says they use, join or apply for it (依托X, 申报X, 融入X)."""
    clause0 = max(task0, last_of(text, CLAUSE_MARKS, start) + 1)
    before = text[clause0:start].lstrip("0123456789.、一二三四五六七八九十（）() \u3000")
    if before.startswith(("在", "对")):
        return False  # 在省重点研发计划等中重点支持…: the frame the task acts in; 对…平台，给予奖励
    clause1 = first_of(text, CLAUSE_MARKS, start)
    after = text[start:clause1]
    if AWARDED.search(before) or AWARDED.search(after):
        return False  # 新认定的…平台, …项目予以资助: what the units reward or recognise, others run
    if any(k in before for k in KIND_DETERMINERS if len(k) > 1):
        return False  # 培育一批…平台: a kind of thing
    cheer = ENCOURAGE.search(before)
    if cheer and before.endswith(cheer.group()) and not ACTOR_DONE.search(after[:12]) \
            and re.match(r".{2,}?(?:平台|中心|机构|企业)(?:等[^，,；;。]{0,8}?)?(?:深度|积极|进一步)?"
                         r"(?:参与|帮助|联合|引育|引进|开展|提供|纳入|承接|服务|在)", after):
        return False  # 支持国家级“双跨”平台参与…: the platform acts, the units support it
    return USES.search(text, clause0, start) is None


def _words(begin: int, end: int, token_starts: AbstractSet[int]) -> list[tuple[int, int]]:
    """The jieba words of ``[begin, end)``, as spans."""
    bounds = [p for p in range(begin, end) if p in token_starts] + [end]  # a name's few positions, in order
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _cut_word(end: int, starts: list[int]) -> bool:
    """``end`` falls one character before the end of a jieba word (数字技术工程|师)."""
    k = _index_before(starts, end)
    return k + 1 >= len(starts) or starts[k + 1] - end < 2


def _token_after(pos: int, token_starts: AbstractSet[int]) -> int:
    """Where the word that starts at ``pos`` ends (the next word start)."""
    return next((p for p in range(pos + 1, pos + 8) if p in token_starts), pos + 1)


def _index_before(starts: list[int], pos: int) -> int:
    """The index of the last word start before ``pos`` (-1: none)."""
    return bisect_left(starts, pos) - 1
