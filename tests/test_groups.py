"""GROUP entities (kg.nlp.groups) and the ``targets`` relation, on sentences written for the test."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.core.records import Document
from kg.nlp.extract import extract


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
        ("要充分发挥行业龙头企业带动作用。", "充分发挥行业龙头企业"),
        ("推动破除制约民营企业发展的障碍。", "制约民营企业"),
        ("这家新能源汽车生产企业去年出口增长。", "新能源汽车生产企业"),  # one body pointed at
        ("他参观了四川省博物馆。", "四川省博物馆"),  # a place before an institution: its name
        ("省级科技人才项目向企业倾斜。", "省级科技人才"),  # a word of a programme's name
        ("各有关单位要认真落实。", "有关单位"),  # decision 6
        ("相关部门和工作机构要加强协调。", "工作机构"),
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
