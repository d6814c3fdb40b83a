"""PROGRAM and MECHANISM names and the ``runs`` relation (kg.nlp.programs), on sentences written for these
tests."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.nlp.programs import encouraged


def _ents(nlp: Language, text: str,
          labels: tuple[str, ...] = ("PROGRAM", "MECHANISM")) -> set[tuple[str, str]]:
    doc = nlp(text)
    return {(e.name, e.label) for e in doc._.kg_entities if e.label in labels}


def _runs(nlp: Language, text: str) -> set[tuple[str, str]]:
    doc = nlp(text)
    ents = doc._.kg_entities
    return {(ents[r.head].name, ents[r.tail].name) for r in doc._.kg_relations if r.label == "runs"}


@pytest.mark.parametrize(("text", "name", "label"), [
    # inner verbs and stop words of a descriptive name stay in it; the governing verb does not
    ("2.实施绿色农业科技扶持计划。", "绿色农业科技扶持计划", "PROGRAM"),
    ("在省重点研发计划中予以倾斜。", "省重点研发计划", "PROGRAM"),
    ("开展乡村教师培训提升项目，覆盖全部县区。", "乡村教师培训提升项目", "PROGRAM"),
    # new heads: funds with an owner, pilot zones, campaigns of study, initiatives, proving grounds, registers
    ("积极争取中央预算内资金支持。", "中央预算内资金", "PROGRAM"),
    ("申报省自然科学基金的项目。", "省自然科学基金", "PROGRAM"),
    ("加快建设国家数字乡村创新发展试验区。", "国家数字乡村创新发展试验区", "PROGRAM"),
    ("全市深入开展学习贯彻新时代创新理论主题教育。", "学习贯彻新时代创新理论主题教育", "PROGRAM"),
    ("要认真组织好第三批主题教育。", "第三批主题教育", "PROGRAM"),
    ("双方愿共同落实全球发展倡议。", "全球发展倡议", "PROGRAM"),
    ("打造江淮智能网联汽车试验场。", "江淮智能网联汽车试验场", "MECHANISM"),
    ("建立新材料“小巨人”企业库。", "新材料“小巨人”企业库", "MECHANISM"),
    # a counted collective keeps its count (it names the set its items belong to)
    ("健全五项协调机制。", "五项协调机制", "MECHANISM"),
    # a quoted name is the quoted span
    ("实施黄河英才工程、“海外精英引进计划”等省级人才工程。", "“海外精英引进计划”", "PROGRAM"),
])
def test_names_read_to_their_governing_verb(rules_nlp: Language, text: str, name: str, label: str) -> None:
    assert (name, label) in _ents(rules_nlp, text)


@pytest.mark.parametrize(("text", "wrong"), [
    # a subject and its verb are no part of the name
    ("鼓励烟台市、威海市建设海洋数据开放服务平台。", "威海市建设海洋数据开放服务平台"),
    ("感谢中方支持该国加入上合机制。", "该国加入上合机制"),
    # a head ending inside a longer word (工程师) names no programme
    ("遴选纳入人工智能工程师培育项目。", "人工智能工程"),
    ("遴选纳入人工智能工程师培育项目。", "遴选纳入人工智能工程"),
    # plans drawn up as paperwork, counted references, lessons learnt, kinds of projects
    ("制定年度经费分配计划、人员使用计划和考核计划。", "人员使用计划"),
    ("对比上述两种模式，前者成本更低。", "对比上述两种模式"),
    ("认真学习借鉴数字化转型成功经验。", "数字化转型成功经验"),
    ("加快推进重点建设项目。", "重点建设项目"),
    ("完善工作推进机制。", "工作推进机制"),
    # kinds of things: after 一批/各类 or the category after 等
    ("建设一批先进计算服务平台。", "先进计算服务平台"),
    ("实施黄河英才工程、“海外精英引进计划”等省级人才工程。", "省级人才工程"),
])
def test_what_is_no_name(rules_nlp: Language, text: str, wrong: str) -> None:
    assert wrong not in {n for n, _ in _ents(rules_nlp, text)}


def test_subject_verb_gives_the_object_name(rules_nlp: Language) -> None:
    names = {n for n, _ in _ents(rules_nlp, "鼓励烟台市、威海市建设海洋数据开放服务平台。")}
    assert "海洋数据开放服务平台" in names
    assert not any(n.startswith(("烟台市", "威海市")) for n in names)


def test_items_share_a_head(rules_nlp: Language) -> None:
    names = _ents(rules_nlp, "商务部部署消费提振和外贸稳增长等专项行动，推动市场回暖。")
    assert ("消费提振专项行动", "PROGRAM") in names
    assert ("外贸稳增长专项行动", "PROGRAM") in names
    strategies = _ents(rules_nlp,
                       "深入落实成渝地区双城经济圈建设、黄河流域生态保护和高质量发展等区域重大战略。")
    assert ("成渝地区双城经济圈建设", "PROGRAM") in strategies
    # a head that is part of another word after 等 is no shared head (等工程应用)
    assert not _ents(rules_nlp, "加强结构优化、材料轻量化等工程应用。")


def test_runs_from_a_note_and_a_subject(rules_nlp: Language) -> None:
    note = "1.实施绿色农业科技扶持计划。在省重点研发计划中予以倾斜。（牵头单位：省农业农村厅、省科技厅）"
    runs = _runs(rules_nlp, note)
    assert {("山东省农业农村厅", "绿色农业科技扶持计划"), ("省农业农村厅", "绿色农业科技扶持计划")} & runs
    news = "商务部部署消费提振和外贸稳增长等专项行动。"
    assert ("商务部", "消费提振专项行动") in _runs(rules_nlp, news)


def test_no_runs_for_what_a_body_encourages(rules_nlp: Language) -> None:
    """鼓励/支持/引导 X 建设 Y in running text: the body that encourages does not run Y."""
    text = "省工业和信息化厅鼓励龙头企业搭建行业数据共享平台。"
    assert not {t for _, t in _runs(rules_nlp, text) if "数据共享平台" in t}
    built = "省工业和信息化厅搭建全省行业数据共享平台。"
    assert {t for _, t in _runs(rules_nlp, built) if "数据共享平台" in t}


def test_a_note_makes_its_units_run_what_the_task_names(rules_nlp: Language) -> None:
    """Decision 2: the lead units of a responsibility note run the mechanism its task names, also when the
    task encourages others to build it (the note makes them answerable for it)."""
    text = "鼓励德州市建设农业遥感监测服务平台。（牵头单位：省农业农村厅）"
    assert {t for _, t in _runs(rules_nlp, text) if "遥感监测服务平台" in t}


def test_encouraged_reads_the_clause() -> None:
    text = "支持企业建设创新平台，建立协调机制。"
    assert encouraged(text, text.index("建设"))
    assert not encouraged(text, text.index("建立"))
    assert not encouraged("推动建设创新平台。", 2)


def test_note_units_run_what_the_task_names_whatever_its_verb(rules_nlp: Language) -> None:
    """Decision 2 without a cue verb: responsible units (no lead) answer for what their task names (拓展X,
    培育X); not for what they reward, recognise, use or only frame the task in."""
    text = ("5.智慧水务。拓展潍坊市城市供水智能调度平台应用范围，推进管网改造。"
            "（责任单位：市水利局、市财政局）")
    runs = _runs(rules_nlp, text)
    assert {h for h, t in runs if t == "潍坊市城市供水智能调度平台"} >= {"潍坊市水利局", "潍坊市财政局"} \
        or {h for h, t in runs if t == "潍坊市城市供水智能调度平台"} >= {"市水利局", "市财政局"}
    rewarded = "6.对新认定的省级物流公共信息服务平台，给予一次性奖励。（责任单位：市商务局）"
    assert not {t for _, t in _runs(rules_nlp, rewarded) if "信息服务平台" in t}
    used = "7.依托国家工业互联网大数据中心开展监测。（责任单位：市工业和信息化局）"
    assert not {t for _, t in _runs(rules_nlp, used) if "大数据中心" in t}
    actor = "8.支持国家级“双跨”工业互联网平台参与本地企业改造。（责任单位：市发展改革委）"
    assert not {t for _, t in _runs(rules_nlp, actor) if "工业互联网平台" in t}


@pytest.mark.parametrize(("text", "wrong", "right"), [
    # verbs of building and their complements are no part of a name
    ("做大做强海洋牧场综合服务平台。", "大做强海洋牧场综合服务平台", "海洋牧场综合服务平台"),
    ("建强用好省水利数据共享平台。", "好省水利数据共享平台", "省水利数据共享平台"),
    ("高水平建设国家智能农机创新发展试验区。", "高水平建设国家智能农机创新发展试验区",
     "国家智能农机创新发展试验区"),
    # a kind of body and its verb open no name
    ("支持物流企业建设冷链追溯平台。", "物流企业建设冷链追溯平台", "冷链追溯平台"),
])
def test_building_verbs_stay_out_of_names(rules_nlp: Language, text: str, wrong: str, right: str) -> None:
    names = {n for n, _ in _ents(rules_nlp, text)}
    assert wrong not in names
    assert right in names


def test_a_new_kind_is_no_name(rules_nlp: Language) -> None:
    names = {n for n, _ in _ents(rules_nlp, "促进新技术新产品新模式的落地应用，探索服务贸易新机制。")}
    assert not {n for n in names if n.endswith(("新模式", "新机制"))}
    assert ("产业协同创新机制", "MECHANISM") in _ents(rules_nlp, "建立产业协同创新机制。")


def test_quoted_items_of_a_kind_are_named(rules_nlp: Language) -> None:
    names = _ents(rules_nlp, "常态化开展“智造潍坊”“数字乡村”等典型场景征集活动，推广“浙里办”“爱山东”等平台。")
    assert {("“智造潍坊”", "PROGRAM"), ("“数字乡村”", "PROGRAM")} <= names
    assert {("“浙里办”", "MECHANISM"), ("“爱山东”", "MECHANISM")} <= names
    assert ("“科技政策进万企”活动", "PROGRAM") in _ents(rules_nlp, "组织开展“科技政策进万企”活动。")
    # misdeeds are no undertaking
    assert not _ents(rules_nlp, "坚决反对“台独”“两个中国”等分裂活动。")


def test_practices_named_after_a_post(rules_nlp: Language) -> None:
    names = _ents(rules_nlp, "全面推行河长制、林长制，落实河湖长制和厂长负责制。")
    assert {("河长制", "MECHANISM"), ("林长制", "MECHANISM"), ("河湖长制", "MECHANISM"),
            ("厂长负责制", "MECHANISM")} <= names
    assert not _ents(rules_nlp, "所长制定了年度工作要点。")


def test_a_note_lists_units_on_after_a_comma(rules_nlp: Language) -> None:
    """（责任单位：A，B、C）: the units after the comma are responsible too (issuers group them by kind)."""
    text = "3.开展“智造强市”活动。（责任单位：市委组织部，市教育局、市财政局）"
    heads = {h for h, t in _runs(rules_nlp, text) if "智造强市" in t}
    assert len(heads) == 3
    other = "3.开展“智造强市”活动。（牵头单位：市教育局，参加单位：市财政局，市委组织部）"
    assert len({h for h, t in _runs(rules_nlp, other) if "智造强市" in t}) == 1


@pytest.mark.parametrize("text, wrong", [
    ("打造一批重点实验室、人工智能创新平台和产业创新中心。", "人工智能创新平台"),
    ("依托各类孵化器、数据服务平台、企业服务平台开展培训。", "企业服务平台"),
])
def test_every_item_after_a_kind_word_is_a_kind(rules_nlp: Language, text: str, wrong: str) -> None:
    assert wrong not in {n for n, _ in _ents(rules_nlp, text, ("MECHANISM", "PROGRAM", "EVENT"))}


def test_a_list_without_a_kind_word_keeps_its_names(rules_nlp: Language) -> None:
    names = {n for n, _ in _ents(rules_nlp, "建设数据服务平台、产业创新平台。")}
    assert "产业创新平台" in names


@pytest.mark.parametrize("text, wrong", [
    ("鼓励在本市举办海洋科技领域知名会议、论坛、大赛等活动。", "海洋科技领域知名会议"),
    ("对企业承办的省级以上数字经济产业大会给予补助。", "省级以上数字经济产业大会"),
])
def test_a_level_or_an_evaluation_makes_a_kind_of_event(rules_nlp: Language, text: str, wrong: str) -> None:
    assert wrong not in {n for n, _ in _ents(rules_nlp, text, ("EVENT", "PROGRAM"))}


def test_a_named_event_with_such_a_word_is_kept(nlp: Language) -> None:
    names = {n for n, _ in _ents(nlp, "举办“智汇泉城”高层次人才创业大赛。", ("EVENT",))}
    assert any("创业大赛" in n for n in names)


@pytest.mark.parametrize("text, name", [
    ("（牵头单位：中国人民银行济南分行，参加单位：省科技厅）", "中国人民银行济南分行"),
    ("国家金融监督管理总局莱芜监管分局负责督促落实。", "国家金融监督管理总局莱芜监管分局"),
])
def test_a_branch_after_its_parent_is_one_name(nlp: Language, text: str, name: str) -> None:
    assert name in {n for n, _ in _ents(nlp, text, ("ORG",))}


def test_a_list_of_means_lends_no_mechanism_head(rules_nlp: Language) -> None:
    doc = rules_nlp("推广隐私计算技术、数据流通合规审查认证、数据分级保护机制等手段。")
    names = {e.name for e in doc._.kg_entities}
    assert "数据流通合规审查认证机制" not in names and "隐私计算技术机制" not in names


def test_a_list_of_mechanisms_shares_its_head(rules_nlp: Language) -> None:
    doc = rules_nlp("健全风险评估、应急处置机制。")
    assert "风险评估机制" in {e.name for e in doc._.kg_entities}


def test_a_long_quoted_modifier_is_part_of_the_name(nlp: Language) -> None:
    names = {n for n, _ in _ents(nlp, "推广“政府引导+银行授信+保险增信+担保分险”科技金融服务模式。")}
    assert "“政府引导+银行授信+保险增信+担保分险”科技金融服务模式" in names


@pytest.mark.parametrize(("text", "name"), [
    ("各地要加快推进智慧港口建设，提升通关效率。", "智慧港口建设"),
    ("统筹推进数字农村建设与农村公路改造。", "数字农村建设"),
    ("深入推进油田智能化建设，提高安全水平。", "油田智能化建设"),
])
def test_a_digital_build_out_is_a_programme(rules_nlp: Language, text: str, name: str) -> None:
    assert (name, "PROGRAM") in _ents(rules_nlp, text)


@pytest.mark.parametrize(("text", "wrong"), [
    ("加快数字农业平台建设，服务农户。", "数字农业平台建设"),  # the platform is what is built
    ("强化数字人才队伍建设。", "数字人才队伍建设"),  # a field of work
    ("指导行业智能化建设。", "行业智能化建设"),  # a kind of build-out
    ("加快城市运行管理智能化建设。", "管理智能化建设"),  # inside a longer phrase
])
def test_what_is_no_build_out(rules_nlp: Language, text: str, wrong: str) -> None:
    assert wrong not in {n for n, _ in _ents(rules_nlp, text)}


def test_a_task_force_is_a_mechanism(rules_nlp: Language) -> None:
    assert ("光伏产业高质量发展推进小组", "MECHANISM") in _ents(rules_nlp, "成立光伏产业高质量发展推进小组。")


def test_a_body_responsible_for_a_programme_runs_it(rules_nlp: Language) -> None:
    runs = _runs(rules_nlp, "市大数据局负责智慧城市建设的统筹协调。")
    assert ("市大数据局", "智慧城市建设") in runs


@pytest.mark.parametrize(("text", "name"), [
    ("完善风险监测和预警机制。", "风险监测和预警机制"),
    ("建立科研诚信审查和监督制度，明确责任。", "科研诚信审查和监督制度"),
])
def test_two_acts_joined_by_he_name_one_arrangement(rules_nlp: Language, text: str, name: str) -> None:
    assert (name, "MECHANISM") in _ents(rules_nlp, text)


@pytest.mark.parametrize(("text", "wrong"), [
    ("完善法律法规和监管机制。", "法律法规和监管机制"),  # a thing and an arrangement
    ("完善考核、经费分配和使用机制。", "经费分配和使用机制"),  # the last items of a 、-list
])
def test_no_whole_name_over_he_for_things_or_lists(rules_nlp: Language, text: str, wrong: str) -> None:
    assert wrong not in {n for n, _ in _ents(rules_nlp, text)}


def test_the_partys_own_system_keeps_its_name(rules_nlp: Language) -> None:
    names = {n for n, _ in _ents(rules_nlp, "各级组织要严格执行党的民主评议制度。")}
    assert "党的民主评议制度" in names and "民主评议制度" not in names


def test_a_scope_word_with_xing_stays_in_the_name(rules_nlp: Language) -> None:
    names = {n for n, _ in _ents(rules_nlp, "启动全市性志愿服务质量提升行动。")}
    assert "全市性志愿服务质量提升行动" in names


def test_an_action_plan_drawn_up_is_still_a_programme(rules_nlp: Language) -> None:
    names = {n for n, _ in _ents(rules_nlp, "制订全省乡村旅游提升三年行动计划、工作指引。")}
    assert "乡村旅游提升三年行动计划" in names


@pytest.mark.parametrize(("text", "wrong"), [
    ("充分发挥门户网站、新闻机构、新媒体平台作用。", "门户网站机制"),  # the list shares 平台, not 机制
    ("建立政府、金融机构、平台、中小微企业联动机制。", "平台"),  # a bare head is no name
    ("形成实时、敏捷、长效管理机制。", "敏捷机制"),  # a manner, not an arrangement
])
def test_list_items_borrow_only_a_shared_jizhi(rules_nlp: Language, text: str, wrong: str) -> None:
    assert wrong not in {n for n, _ in _ents(rules_nlp, text)}


def test_list_items_of_a_shared_jizhi_are_named(rules_nlp: Language) -> None:
    names = {n for n, _ in _ents(rules_nlp, "完善线索移交、案件会商工作机制。")}
    assert "线索移交机制" in names


def test_an_unquoted_title_opens_with_its_verb_after_the_issuing_one(rules_nlp: Language) -> None:
    names = {n for n, _ in _ents(rules_nlp, "省委社会工作部制定进一步加强社区工作者队伍建设若干措施，"
                                            "多渠道壮大队伍。", ("POLICY",))}
    assert names == {"进一步加强社区工作者队伍建设若干措施"}
    # 制定实施: the second verb is the issuer's (formulate and carry out), not the title's
    names = {n for n, _ in _ents(rules_nlp, "国务院制定实施城市群发展规划，推动协调发展。", ("POLICY",))}
    assert names == {"城市群发展规划"}
