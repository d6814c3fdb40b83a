"""Figures (METRIC) and the relations they carry (quantifies, partOf): kg.nlp.quantities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from relation_support import relations as rule_relations

from kg.core.lexicon import load_lexicon
from kg.core.records import Document, Extraction
from kg.core.resources import ontology_path
from kg.core.text import match_text
from kg.nlp.extract import extract
from kg.nlp.pipeline import shared_nlp
from kg.nlp.quantities import QuantityReader
from kg.nlp.relations import RelationExtractor


def run(text: str) -> Extraction:
    return extract(Document("q", text), shared_nlp())


@pytest.fixture(scope="module")
def reader() -> QuantityReader:
    return QuantityReader(ontology_path("lexicon"))


def figures(reader: QuantityReader, text: str) -> list[tuple[str, str]]:
    """(surface, value|unit) of every figure the reader finds in ``text``."""
    out = []
    for c in reader.metrics(match_text(text)):
        value, unit = (c.name or "").split("\x1f")
        out.append((text[c.start:c.end], f"{Decimal(value).normalize():f}|{unit}"))
    return out


@pytest.mark.parametrize(
    ("text", "surface", "value_unit"),
    [
        ("每个项目的牵头高校一般在 4 所左右。", "4 所", "4|所"),  # a space as the text has it
        ("各企业要确定2到3处试点车间。", "2到3处", "3|处"),  # a range: its upper bound
        ("全省建成5-8个创新中心。", "5-8个", "8|个"),
        ("这条铁路全长1200多公里。", "1200多公里", "1200|公里"),
        ("今年新增造林3000公顷。", "3000公顷", "3000|公顷"),
        ("全年生产汽车1500万辆。", "1500万辆", "15000000|辆"),
        ("共有二十七个建设项目。", "二十七个", "27|个"),  # Chinese numerals count with 个 too
        ("办法分为五部分。", "五部分", "5|部分"),
        ("标准分为三大类。", "三大类", "3|类"),
        ("纵观这四种做法。", "四种", "4|种"),
        ("棉布产量达到二亿三千万公尺。", "二亿三千万公尺", "230000000|公尺"),  # 万 closes the last section
        ("应在7个工作日内答复。", "7个工作日", "7|工作日"),
        ("共破获诈骗案件3.2万起。", "3.2万起", "32000|起"),
        ("集装箱吞吐量突破600万标箱。", "600万标箱", "6000000|标箱"),
        ("建立省、市、县三级联动机制。", "三级", "3|级"),  # 级 counts the list it closes
    ],
)
def test_figures_with_classifiers_ranges_and_approximations(reader: QuantityReader, text: str, surface: str,
                                                            value_unit: str) -> None:
    assert (surface, value_unit) in figures(reader, text)


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        ("结构如附件2所示。", "2所"),  # a reference: 所 begins 所示
        ("这是第五个年头。", "五个"),  # an ordinal
        ("亏损达几十亿元。", "十亿元"),  # a vague count
        ("要牢固树立四个意识。", "四个"),  # a slogan
        ("十三届全国人大三次会议开幕。", "三次"),  # a session
        ("申报医院须为三级医院。", "三级"),  # a grade, not a list's count
        ("船体零件理料装备。", "零件"),
        ("建设一个平台、两个中心。", "两个"),  # articles
        ("进一步完善 图 2 人工智能标准。", "2 人"),  # a figure's number before 人工智能
        ("编号为1 3 9 9亿美元的条目。", "9亿美元"),  # a number broken by spaces
        ("实施数据分 6 类分级管理。", "6 类"),  # a page number inside 分类
        ("2.7 支持增量集成的装备。", "2.7 支"),  # a section's number before 支持  # a number broken by spaces
        ("今后5个月内完成。", "5个"),  # a span of time
        ("申报书一式四份。", "四份"),  # copies of a form
        ("3起草工作。", "3起"),  # 起 begins 起草
        ("该项目于去年3列入计划。", "3列"),  # 列 begins the verb 列入
    ],
)
def test_no_figure_from_references_ordinals_slogans_and_grades(reader: QuantityReader, text: str,
                                                               unwanted: str) -> None:
    assert unwanted not in {s for s, _ in figures(reader, text)}, figures(reader, text)


def test_a_figure_in_the_pipeline_keeps_its_surface_and_value() -> None:
    x = run("每个项目的牵头高校一般在 4 所左右，其余企业数量不限。")
    metrics = [e for e in x.entities if e.label == "METRIC"]
    assert [(m.name, m.value, m.unit) for m in metrics] == [("4 所", Decimal(4), "所")]


def test_trains_and_vehicle_runs_are_counted() -> None:
    x = run("为保障雪天出行，公交增发750车次，地铁早高峰加开临客89列。")
    metrics = {(e.name, e.value, e.unit) for e in x.entities if e.label == "METRIC"}
    assert metrics == {("750车次", Decimal(750), "车次"), ("89列", Decimal(89), "列")}


def relations(x: Extraction) -> set[tuple[str, str, str]]:
    return {(r.label, x.entity(r.head).name, x.entity(r.tail).name) for r in x.relations}


def test_counted_programmes_and_their_parts_after_qizhong() -> None:
    x = run("各地要加快建设。确定40个以上绿色工厂示范项目。其中：在钢铁领域选择10个以上低碳冶炼示范项目，"
            "选择5个左右资源循环利用示范项目。")
    found = relations(x)
    assert ("quantifies", "40个", "绿色工厂示范项目") in found
    assert ("quantifies", "5个", "资源循环利用示范项目") in found
    assert ("partOf", "低碳冶炼示范项目", "绿色工厂示范项目") in found
    assert ("partOf", "资源循环利用示范项目", "绿色工厂示范项目") in found


def test_a_clause_after_a_count_is_no_name() -> None:
    x = run("全国已有28个省份开展大病医疗保险试点，100个城市进行公立医院改革试点。")
    names = {e.name for e in x.entities if e.label in ("PROGRAM", "MECHANISM")}
    assert not any(n.startswith(("省份", "城市")) for n in names), names


def test_an_enumeration_of_counted_kinds_names_the_parts_of_its_whole() -> None:
    x = run("数字政府标准体系框架包括A基础设施、B数据资源、C业务应用等三大类标准子体系。")
    found = relations(x)
    for part in ("基础设施标准子体系", "数据资源标准子体系", "业务应用标准子体系"):
        assert ("partOf", part, "数字政府标准体系框架") in found, found


def test_an_enumeration_whose_count_disagrees_names_nothing() -> None:
    x = run("数字政府标准体系框架包括基础设施、数据资源、业务应用等两大类标准子体系。")
    assert not [e for e in x.entities if e.name.endswith("子体系")]


def test_a_documents_size_and_a_collective_name() -> None:
    found = relations(run("《实施办法》共五部分20条，主要包括总则、附则等。要完善用好五项协调机制。"))
    assert ("quantifies", "五部分", "《实施办法》") in found
    assert ("quantifies", "20条", "《实施办法》") in found
    assert ("quantifies", "五项", "五项协调机制") in found


def test_figures_inside_a_longer_phrase_count_no_document() -> None:
    found = relations(run("制定《三年行动方案》30项具体任务。"))
    assert not [r for r in found if r[0] == "quantifies" and r[2] == "《三年行动方案》"], found


def test_a_counted_kind_of_body_is_a_group_the_figure_counts() -> None:
    found = relations(run("到2026年，培育8家以上专业数字经济企业孵化器，其中2家企业。"))
    assert ("quantifies", "8家", "专业数字经济企业孵化器") in found, found
    assert not any(r[2] == "企业" for r in found if r[0] == "quantifies"), found


def test_a_figure_closing_the_phrase_after_a_programme_or_group_counts_it() -> None:
    found = relations(run("全年举办乡村振兴专题培训班6期，培训320人次。吸纳高校毕业生12万人。"))
    assert ("quantifies", "6期", "乡村振兴专题培训班") in found, found
    assert ("quantifies", "12万人", "高校毕业生") in found, found


def test_the_parts_of_a_whole_are_listed_in_the_clause_of_its_cue() -> None:
    found = relations(run("数字文旅服务体系包括文旅数据共享平台、智慧景区管理平台，"
                          "并与旅游投诉协调机制相衔接。"))
    assert ("partOf", "文旅数据共享平台", "数字文旅服务体系") in found, found
    assert ("partOf", "智慧景区管理平台", "数字文旅服务体系") in found, found
    assert not [r for r in found if r[0] == "partOf" and "协调机制" in r[1]], found


def test_a_rate_after_a_programme_counts_nothing() -> None:
    found = relations(run("全年举办乡村振兴专题培训班完成年计划85%，建成50个以上示范基地。"))
    assert not [r for r in found if r[0] == "quantifies" and r[1] == "85%"], found
    names = {e.name for e in run("建成50个以上示范基地。").entities}
    assert "以上示范基地" not in names, names


def test_a_figure_after_a_verb_of_size_counts_the_thing_before_it() -> None:
    found = relations(run("今年全省高校毕业生人数达52万人，创历史新高。全省专精特新中小企业超过3000家以上。"))
    assert ("quantifies", "52万人", "高校毕业生") in found, found
    assert any(r[0] == "quantifies" and r[1] == "3000家" for r in found), found
    found = relations(run("全省高校毕业生就业率超过95%。"))
    assert not [r for r in found if r[0] == "quantifies"], found


def test_a_count_with_modifiers_before_the_kind_it_counts() -> None:
    found = relations(run("全省300多所二级以上医疗机构开通了远程会诊。"))
    assert any(r[0] == "quantifies" and r[1] == "300多所" and r[2].endswith("医疗机构") for r in found), found
    found = relations(run("已有120个市县的地方政府上线政府数据开放平台。"))
    assert not [r for r in found if r[0] == "quantifies" and r[1] == "120个"], found


def test_a_thing_made_part_of_a_whole_after_zuowei() -> None:
    extractor = RelationExtractor(load_lexicon())
    labels = {"城东污水处理厂改造工程": "PROGRAM", "清水河流域治理工程": "PROGRAM",
              "智慧水务平台": "MECHANISM", "城市数字治理体系": "MECHANISM"}
    text = ("城东污水处理厂改造工程正在施工，作为清水河流域治理工程的标志性工程之一，将于年底完工。"
            "作为城市数字治理体系的重要组成部分，智慧水务平台已上线。")
    found = {r for r in rule_relations(extractor, text, **labels) if r[0] == "partOf"}
    assert found == {("partOf", "城东污水处理厂改造工程", "清水河流域治理工程"),
                     ("partOf", "智慧水务平台", "城市数字治理体系")}
    # 作为 after a clause of other words: what follows it is not the part (把A作为B的重要内容, A no entity)
    text = "要把节水工作作为清水河流域治理工程的重要内容，智慧水务平台要做好监测。"
    labels = {"清水河流域治理工程": "PROGRAM", "智慧水务平台": "MECHANISM"}
    assert not {r for r in rule_relations(extractor, text, **labels) if r[0] == "partOf"}


def test_what_the_items_under_a_programmes_heading_set_up_are_its_parts() -> None:
    extractor = RelationExtractor(load_lexicon())
    labels = {"乡村数字赋能行动": "PROGRAM", "农产品溯源平台": "MECHANISM", "益农信息社": "MECHANISM",
              "县域商业体系建设行动": "PROGRAM", "冷链物流监测平台": "MECHANISM"}
    text = ("（一）实施乡村数字赋能行动\n"
            "1.建设农产品溯源平台，接入全省农产品生产企业。（牵头单位：省农业农村厅）"
            "2.依托益农信息社开展培训。\n"
            "（二）县域商业体系建设行动。\n"
            "3.打造冷链物流监测平台。\n")
    found = {r for r in rule_relations(extractor, text, **labels) if r[0] == "partOf"}
    # 益农信息社 is used, not set up; the next heading of the level ends the section
    assert found == {("partOf", "农产品溯源平台", "乡村数字赋能行动"),
                     ("partOf", "冷链物流监测平台", "县域商业体系建设行动")}


def test_the_groups_a_section_supports_are_its_programmes_targets() -> None:
    extractor = RelationExtractor(load_lexicon())
    labels = {"乡村数字赋能行动": "PROGRAM", "家庭农场": "GROUP", "农民合作社": "GROUP", "农业院校": "GROUP",
              "电商企业": "GROUP"}
    text = ("（一）实施乡村数字赋能行动\n"
            "1.支持家庭农场、农民合作社开展直播销售。鼓励农业院校的教师下乡指导。\n"
            "（二）优化营商环境\n"
            "2.支持电商企业拓展农村市场。\n")
    found = {r for r in rule_relations(extractor, text, **labels) if r[0] == "targets"}
    assert found == {("targets", "乡村数字赋能行动", "家庭农场"),
                     ("targets", "乡村数字赋能行动", "农民合作社")}


def test_a_figure_after_a_bound_counts_the_thing_before_it() -> None:
    found = relations(run("每年新招引科技型企业不少于20家，认定高新技术企业不低于15家。"))
    assert ("quantifies", "20家", "科技型企业") in found, found
    assert ("quantifies", "15家", "高新技术企业") in found, found
