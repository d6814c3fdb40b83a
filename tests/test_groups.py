"""GROUP entities (kg.nlp.groups) and the ``targets`` relation, on sentences written for the test."""

from __future__ import annotations

import pytest
from relation_support import relations
from spacy.language import Language

from kg.core.lexicon import load_lexicon
from kg.core.records import Document
from kg.nlp.extract import extract
from kg.nlp.groups import named_for
from kg.nlp.relations import RelationExtractor


def groups(nlp: Language, text: str) -> set[str]:
    return {e.name for e in extract(Document("t", text), nlp).entities if e.label == "GROUP"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a threshold, a quoted word, a field word with 和, 第三方 open the chain
        ("鼓励限额以上商贸企业开展直播销售。", "限额以上商贸企业"),
        ("对新认定的“专精特新”企业给予奖励。", "“专精特新”企业"),
        ("县级文化和旅游主管部门负责日常检查。", "县级文化和旅游主管部门"),
        ("可委托第三方检测机构开展抽检。", "第三方检测机构"),
        # verbs inside a chain that a noun opens
        ("培育一批生物医药创新创业人才。", "生物医药创新创业人才"),
        ("支持试点示范园区内的种子生产企业扩大规模。", "种子生产企业"),
        # a participle after a boundary
        ("其他参与企业应具有良好的信用记录。", "参与企业"),
        ("联合申报单位应签订合作协议。", "联合申报单位"),
        ("地方各级商务主管部门要加强指导。", "地方各级商务主管部门"),
        ("组织全国人大代表开展视察。", "全国人大代表"),
    ],
)
def test_a_kind_is_named_by_a_head_and_its_classifiers(nlp: Language, text: str, expected: str) -> None:
    assert expected in groups(nlp, text)


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("支持企业参与国有企业改革。", "参与国有企业"),  # a verb and its object
        ("鼓励企业联合申报单位认定。", "企业联合申报单位"),
        ("要充分发挥行业龙头企业带动作用。", "充分发挥行业龙头企业"),
        ("推动破除制约民营企业发展的障碍。", "制约民营企业"),
        ("这家新能源汽车生产企业去年出口增长。", "新能源汽车生产企业"),  # one body pointed at
        ("他参观了四川省博物馆。", "四川省博物馆"),  # a place before an institution: its name
        ("省级科技人才项目向企业倾斜。", "省级科技人才"),  # a word of a programme's name
        ("各有关单位要认真落实。", "有关单位"),  # decision 6
        ("相关部门和工作机构要加强协调。", "工作机构"),
        ("本公司及其分支机构应当遵守。", "分支机构"),  # a part of one body
        ("活动在上海科技馆举行。", "上海科技馆"),
        ("各省、自治区、直辖市商务主管部门，有关行业协会：\n现将有关事项通知如下。", "行业协会"),
    ],
)
def test_no_group_across_a_verb_a_deictic_or_a_name(nlp: Language, text: str, wrong: str) -> None:
    assert wrong not in groups(nlp, text)


def test_a_head_with_classifiers_of_its_own_ends_the_chain(nlp: Language) -> None:
    found = groups(nlp, "推动大型商贸企业研发中心和中小企业数字化转型服务商合作。")
    assert "大型商贸企业研发中心" not in found
    assert "数字化转型服务商" in found and "中小企业数字化转型服务商" not in found


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("督促煤矿落实安全责任，其他煤矿要对照整改。", {"煤矿"}, set()),
        ("组织高校、科研院所、企业等单位参与。", {"高校", "科研院所", "企业"}, set()),
        ("引导企业加大研发投入。", set(), {"企业"}),  # bare 企业 only beside academic bodies
        ("学校的操场很大。", set(), {"学校"}),  # nothing acts on it
    ],
)
def test_a_head_alone_is_a_group_where_the_text_acts_on_it(nlp: Language, text: str, expected: set[str],
                                                            absent: set[str]) -> None:
    found = groups(nlp, text)
    assert expected <= found
    assert not absent & found


# -- targets (kg.nlp.groups.aimed_at) -------------------------------------------------------------------
def targets(text: str, **labels: str) -> set[tuple[str, str]]:
    """The targets relations found in ``text`` when each name given (name=LABEL) is an entity wherever it
    occurs."""
    return {(head, tail) for label, head, tail in relations(RelationExtractor(load_lexicon()), text, **labels)
            if label == "targets"}


def test_a_group_applying_for_programmes_is_their_target() -> None:
    text = "限额以上商贸企业申报市级商贸发展专项、市级流通示范工程，应建有统计台账。"
    found = targets(text, 限额以上商贸企业="GROUP", 市级商贸发展专项="PROGRAM", 市级流通示范工程="PROGRAM")
    assert found == {("市级商贸发展专项", "限额以上商贸企业"), ("市级流通示范工程", "限额以上商贸企业")}
    text = "符合条件的县级融媒体中心直接纳入省级媒体融合平台管理。"
    assert targets(text, 县级融媒体中心="GROUP", 省级媒体融合平台="MECHANISM") == {
        ("省级媒体融合平台", "县级融媒体中心")}


def test_what_follows_the_clause_of_an_application_is_no_target() -> None:
    text = "种子生产企业申报后，市级种业振兴行动另行部署。"
    assert not targets(text, 种子生产企业="GROUP", 市级种业振兴行动="PROGRAM")


def test_a_documents_scope_names_its_targets() -> None:
    text = ("《养老机构消防安全管理规定（试行）》\n第二条 本规定适用于各类养老机构及其分支机构、"
            "各级民政部门，不适用于医疗机构。")
    found = targets(text, **{"《养老机构消防安全管理规定（试行）》": "POLICY"}, 养老机构="GROUP",
                    民政部门="GROUP", 医疗机构="GROUP")
    assert ("《养老机构消防安全管理规定（试行）》", "民政部门") in found
    assert ("《养老机构消防安全管理规定（试行）》", "医疗机构") not in found  # another clause


def test_an_item_targets_the_groups_it_supports_but_not_those_that_set_it_up() -> None:
    text = ("3.实施数字乡村示范工程。重点支持涉农企业建设数据中心，帮助种植大户、家庭农场对接市场。"
            "（牵头单位：省农业农村厅）支持科研院所参与。\n"
            "4.建立游客服务评价制度。鼓励旅游景区、博物馆运用数字手段，建立游客服务评价制度。")
    found = targets(text, 数字乡村示范工程="PROGRAM", 涉农企业="GROUP", 种植大户="GROUP", 家庭农场="GROUP",
                    科研院所="GROUP", 游客服务评价制度="MECHANISM", 旅游景区="GROUP", 博物馆="GROUP")
    assert {("数字乡村示范工程", "涉农企业"), ("数字乡村示范工程", "种植大户"),
            ("数字乡村示范工程", "家庭农场")} <= found
    assert ("数字乡村示范工程", "科研院所") not in found  # after the item's note
    assert not {("游客服务评价制度", "旅游景区"), ("游客服务评价制度", "博物馆")} & found


def test_a_sentence_that_sets_up_a_programme_and_supports_groups_targets_them() -> None:
    text = "实施乡村工匠培育计划，重点支持返乡创业青年、家庭农场开展技能培训，支持职业院校的教师参与。"
    found = targets(text, 乡村工匠培育计划="PROGRAM", 返乡创业青年="GROUP", 家庭农场="GROUP",
                    职业院校="GROUP")
    assert found == {("乡村工匠培育计划", "返乡创业青年"), ("乡村工匠培育计划", "家庭农场")}


def test_a_group_before_the_cue_is_a_target_only_when_urged_to_act() -> None:
    text = "推动物业服务企业和业主委员会建立矛盾纠纷调处机制。各级住建部门建立物业投诉处理机制。"
    found = targets(text, 物业服务企业="GROUP", 业主委员会="GROUP", 矛盾纠纷调处机制="MECHANISM",
                    住建部门="GROUP", 物业投诉处理机制="MECHANISM")
    assert found == {("矛盾纠纷调处机制", "物业服务企业"), ("矛盾纠纷调处机制", "业主委员会")}


@pytest.mark.parametrize(
    ("name", "group", "expected"),
    [
        ("城乡居民基本医疗保险制度", "城乡居民", True),
        ("重度残疾人护理补贴制度", "残疾人", True),
        # a word of a longer word: 大中小企业 is not 中小企业
        ("大中小企业融通发展模式", "中小企业", False),
        # the group's own affairs: its internal mechanism, its operation, its ranks
        ("商业银行内部考核机制", "商业银行", False),
        ("国有企业经营机制", "国有企业", False),
        ("社区工作者队伍建设若干措施", "社区工作者", False),
    ],
)
def test_names_that_are_for_a_group(name: str, group: str, expected: bool) -> None:
    assert named_for(name, group) is expected


def test_every_group_of_a_list_is_served_also_over_items_that_are_no_group() -> None:
    text = "定期举办对接活动，为中小企业、科研院所和金融机构提供融资对接平台，降低成本。"
    found = targets(text, 中小企业="GROUP", 金融机构="GROUP", 融资对接平台="MECHANISM")
    assert found == {("融资对接平台", "中小企业"), ("融资对接平台", "金融机构")}
    # a group in the next clause is served by nothing here
    text = "为中小企业提供融资对接平台，金融机构要加强服务。"
    found = targets(text, 中小企业="GROUP", 金融机构="GROUP", 融资对接平台="MECHANISM")
    assert found == {("融资对接平台", "中小企业")}


def test_the_kinds_something_is_provided_for_are_groups(nlp: Language) -> None:
    found = groups(nlp, "在车站设立服务台，为返乡旅客、老年人和外来务工人员提供免费热水。")
    assert {"返乡旅客", "老年人", "外来务工人员"} <= found, found
    # 服务 opening a word is no cue (服务机构), and a determiner is no part of the kind
    found = groups(nlp, "鼓励服务机构开展培训，为广大消费者提供咨询。")
    assert "机构" not in found and "消费者" in found, found


def test_an_arrangement_serves_the_groups_it_is_built_for() -> None:
    text = "建立统一的就业信息平台，为高校毕业生和退役军人提供岗位信息。"
    found = targets(text, 就业信息平台="MECHANISM", 高校毕业生="GROUP", 退役军人="GROUP")
    assert found == {("就业信息平台", "高校毕业生"), ("就业信息平台", "退役军人")}, found
    # another thing set up in between serves them, not the arrangement named first
    text = "建成就业信息平台；建设职业培训网络，为退役军人提供培训。"
    assert not targets(text, 就业信息平台="MECHANISM", 退役军人="GROUP")


def test_a_long_classifying_chain_and_a_clause_before_it(nlp: Language) -> None:
    found = groups(nlp, "支持新能源汽车行业数字化转型服务商开展诊断。")
    assert "新能源汽车行业数字化转型服务商" in found, found
    found = groups(nlp, "推进医保支付方式改革定点医疗机构信息共享。")
    assert not [g for g in found if "改革" in g], found


def test_a_place_and_its_predicate_do_not_classify_a_group(nlp: Language) -> None:
    found = groups(nlp, "市长在杭州市调研专精特新企业发展情况。")
    assert not [g for g in found if "调研" in g or "杭州" in g], found


def test_a_group_name_may_end_inside_a_word_of_the_arrangements_name() -> None:
    assert named_for("青年科技人才培养使用机制", "青年科技人才")


def test_a_group_opening_a_programmes_name_is_a_word_of_it(nlp: Language) -> None:
    assert "青年科技人才" not in groups(nlp, "青年科技人才能力提升工程领导小组负责日常工作。")
    assert "中小企业" in groups(nlp, "支持中小企业实施技术改造工程。")


@pytest.mark.parametrize(
    ("text", "expected", "wrong"),
    [
        # a head jieba cuts across two words (青年人|才)
        ("吸引更多生物医药领域青年人才来本市工作。", "生物医药领域青年人才", "青年"),
        # an adjective inside a chain that a noun opens; not opening it
        ("支持集成电路紧缺急需人才来本市就业。", "集成电路紧缺急需人才", "急需人才"),
        # kinds of people named by 消费者
        ("引导农村消费者使用新能源汽车。", "农村消费者", None),
        # 研究 opens a kind (研究机构); a chain before 社会组织 (科技类|社会组织)
        ("鼓励高校、研究机构参与标准制定。", "研究机构", None),
        ("鼓励文化类社会组织参与社区服务。", "文化类社会组织", "社会组织"),
        ("引导行业性社会组织承接社区服务。", "行业性社会组织", "社会组织"),
    ],
)
def test_heads_cut_by_jieba_adjectives_and_people(nlp: Language, text: str, expected: str,
                                                  wrong: str | None) -> None:
    found = groups(nlp, text)
    assert expected in found
    assert wrong not in found


# 人员 was tried as a head and dropped: the kinds it named were mostly staff a text mentions (业务人员,
# 信息化人员, 专业作业人员), not a measure's target: 6 spurious, none right, on the dev gold sets
@pytest.mark.parametrize("text", ["严禁向无关人员透露考试内容。", "相关人员应签署保密承诺书。",
                                  "工作人员要做好登记。", "组织信息化人员开展培训。"])
def test_people_without_a_classifier_are_no_group(nlp: Language, text: str) -> None:
    assert not {g for g in groups(nlp, text) if g.endswith("人员")}


def test_a_clause_that_attracts_or_lets_groups_after_an_arrangement_targets_them() -> None:
    text = ("开展“海外学子家乡行”活动，吸引更多留学归国人员来本市创业。"
            "建立住房保障协调机制，使低收入家庭住有所居。")
    found = targets(text, **{"“海外学子家乡行”活动": "PROGRAM", "留学归国人员": "GROUP",
                             "住房保障协调机制": "MECHANISM", "低收入家庭": "GROUP"})
    assert found == {("“海外学子家乡行”活动", "留学归国人员"), ("住房保障协调机制", "低收入家庭")}


def test_developing_a_kind_is_not_part_of_its_name(nlp: Language) -> None:
    found = groups(nlp, "规范发展地方性中小金融机构，加快发展乡镇企业。")
    assert {"地方性中小金融机构", "乡镇企业"} <= found
    assert not {g for g in found if g.startswith("发展")}


def test_a_clause_that_furthers_groups_after_an_arrangement_targets_them() -> None:
    text = "打造面向制造业的工业互联网平台，带动产业链上下游中小企业协同开展数字化转型。"
    found = targets(text, 工业互联网平台="MECHANISM", 产业链上下游中小企业="GROUP")
    assert found == {("工业互联网平台", "产业链上下游中小企业")}


def test_a_clause_that_guides_or_fosters_groups_after_an_arrangement_targets_them() -> None:
    text = ("建立纺织行业数字化诊断平台，引导纺织服装企业开展线上自评估。"
            "实施乡村人才振兴工程，培育一批懂技术、善经营的新型职业农民。")
    found = targets(text, 纺织行业数字化诊断平台="MECHANISM", 纺织服装企业="GROUP",
                    乡村人才振兴工程="PROGRAM", 新型职业农民="GROUP")
    assert found == {("纺织行业数字化诊断平台", "纺织服装企业"), ("乡村人才振兴工程", "新型职业农民")}


def test_a_group_that_builds_an_arrangement_is_not_its_target() -> None:
    text = "城市交通运输主管部门应建立完善的信息交换共享机制。"
    found = targets(text, **{"城市交通运输主管部门": "GROUP", "信息交换共享机制": "MECHANISM"})
    assert not found
    # a group inside an attribute of the arrangement is what it is for
    text = "建立健全反映党员和党组织意愿的党内民主制度。"
    found = targets(text, **{"党员": "GROUP", "党内民主制度": "MECHANISM"})
    assert ("党内民主制度", "党员") in found
