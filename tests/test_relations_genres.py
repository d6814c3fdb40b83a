"""Relations from the sentence structures of policy documents and news (issue 14), on sentences written
for these tests.

The relation rules are tested on entities placed by hand (so that a change of the recognisers does not move
these tests), the recognisers' new shapes on the pipeline, and the reflow of hard-wrapped text on its own.
"""

from __future__ import annotations

import pytest
from relation_support import relations
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.core.lexicon import load_lexicon
from kg.core.records import Document
from kg.core.text import map_span, reflow
from kg.nlp.extract import extract
from kg.nlp.merge import Mention
from kg.nlp.pipeline import shared_nlp
from kg.nlp.relations import RelationExtractor
from kg.nlp.resolve import ResolvedEntity


@pytest.fixture(scope="module")
def extractor() -> RelationExtractor:
    return RelationExtractor(load_lexicon())


def coop(a: str, b: str) -> tuple[str, str, str]:
    x, y = sorted((a, b))
    return ("cooperatesWith", x, y)


ORG = "ORG"


# -- responsibility notes ---------------------------------------------------------------------------------
def test_note_leads_run_the_task_and_all_cooperate(extractor: RelationExtractor) -> None:
    text = ("3.实施中小企业数字化赋能行动。组织专家开展诊断服务。"
            "（牵头单位：市工业和信息化局、市科技局；配合单位：市财政局）\n")
    rels = relations(extractor, text, 市工业和信息化局=ORG, 市科技局=ORG, 市财政局=ORG,
                     中小企业数字化赋能行动="PROGRAM")
    assert ("runs", "市工业和信息化局", "中小企业数字化赋能行动") in rels
    assert ("runs", "市科技局", "中小企业数字化赋能行动") in rels
    assert ("runs", "市财政局", "中小企业数字化赋能行动") not in rels  # it supports, it does not lead
    assert {coop("市工业和信息化局", "市科技局"), coop("市工业和信息化局", "市财政局"),
            coop("市科技局", "市财政局")} <= rels


def test_note_task_reaches_back_to_the_previous_note_only(extractor: RelationExtractor) -> None:
    text = ("建立企业家恳谈会制度。（责任单位：县工商联）编制《县域营商环境评价办法》。"
            "（牵头单位：县发展改革局，责任单位：县司法局）")
    rels = relations(extractor, text, 县工商联=ORG, 县发展改革局=ORG, 县司法局=ORG,
                     企业家恳谈会制度="MECHANISM", 县域营商环境评价办法="POLICY")
    # without a lead, the responsible unit runs what its task sets up
    assert ("runs", "县工商联", "企业家恳谈会制度") in rels
    assert ("runs", "县发展改革局", "企业家恳谈会制度") not in rels
    assert ("issues", "县发展改革局", "县域营商环境评价办法") in rels  # 编制 drafts it (decision 2)
    assert coop("县发展改革局", "县司法局") in rels
    assert coop("县工商联", "县司法局") not in rels


def test_note_issue_cue_gives_issues(extractor: RelationExtractor) -> None:
    text = "研究制定《数据要素市场培育办法》，明确交易规则。（区数据局、区财政局负责）"
    rels = relations(extractor, text, 区数据局=ORG, 区财政局=ORG, 数据要素市场培育办法="POLICY")
    assert ("issues", "区数据局", "数据要素市场培育办法") in rels
    assert ("issues", "区财政局", "数据要素市场培育办法") in rels
    assert coop("区数据局", "区财政局") in rels


def test_note_on_its_own_line_belongs_to_the_line_before(extractor: RelationExtractor) -> None:
    text = "（五）举办产业对接洽谈会，促进供需衔接。\n责任单位：市商务局、市贸促会\n"
    rels = relations(extractor, text, 市商务局=ORG, 市贸促会=ORG, 产业对接洽谈会="EVENT")
    assert ("organizes", "市商务局", "产业对接洽谈会") in rels
    assert coop("市商务局", "市贸促会") in rels


def test_bodies_in_notes_are_no_sentence_subjects(extractor: RelationExtractor) -> None:
    text = "推进园区改造。（责任单位：市住建局）支持企业建立能源管理体系，启动园区循环化改造试点。"
    rels = relations(extractor, text, 市住建局=ORG, 园区循环化改造试点="PROGRAM", 企业="GROUP")
    assert not any(r[0] == "runs" for r in rels)


# -- lists of bodies acting together ------------------------------------------------------------------------
def test_you_lead_and_partners(extractor: RelationExtractor) -> None:
    text = "由省民政厅牵头，省财政厅、省人力资源社会保障厅配合，建立困难群众救助协调机制。"
    rels = relations(extractor, text, 省民政厅=ORG, 省财政厅=ORG, 省人力资源社会保障厅=ORG,
                     困难群众救助协调机制="MECHANISM")
    assert ("runs", "省民政厅", "困难群众救助协调机制") in rels
    assert ("runs", "省财政厅", "困难群众救助协调机制") not in rels
    assert coop("省民政厅", "省财政厅") in rels and coop("省民政厅", "省人力资源社会保障厅") in rels
    assert coop("省财政厅", "省人力资源社会保障厅") not in rels  # partners cooperate with the lead only


def test_mechanism_led_by_one_and_joined_by_another(extractor: RelationExtractor) -> None:
    text = "建立由国家卫生健康委牵头、教育部和体育总局参加的青少年近视防控部际联席会议机制。"
    rels = relations(extractor, text, 国家卫生健康委=ORG, 教育部=ORG, 体育总局=ORG,
                     青少年近视防控部际联席会议机制="MECHANISM")
    assert ("runs", "国家卫生健康委", "青少年近视防控部际联席会议机制") in rels
    assert ("runs", "教育部", "青少年近视防控部际联席会议机制") not in rels
    assert coop("国家卫生健康委", "教育部") in rels and coop("国家卫生健康委", "体育总局") in rels


def test_bodies_that_jointly_issue(extractor: RelationExtractor) -> None:
    text = "近日，农业农村部、商务部、海关总署等6部门联合印发《关于促进农产品出口的指导意见》。"
    rels = relations(extractor, text, 农业农村部=ORG, 商务部=ORG, 海关总署=ORG,
                     关于促进农产品出口的指导意见="POLICY")
    for body in ("农业农村部", "商务部", "海关总署"):
        assert ("issues", body, "关于促进农产品出口的指导意见") in rels
    assert {coop("农业农村部", "商务部"), coop("农业农村部", "海关总署"), coop("商务部", "海关总署")} <= rels


def test_one_body_together_with_another(extractor: RelationExtractor) -> None:
    text = "市教育局会同市财政局制定《学生资助资金管理办法》，并开展资助政策宣传月活动。"
    rels = relations(extractor, text, 市教育局=ORG, 市财政局=ORG, 学生资助资金管理办法="POLICY",
                     资助政策宣传月活动="PROGRAM")
    assert ("issues", "市教育局", "学生资助资金管理办法") in rels
    assert ("issues", "市财政局", "学生资助资金管理办法") in rels
    assert ("runs", "市财政局", "资助政策宣传月活动") in rels
    assert coop("市教育局", "市财政局") in rels


def test_a_list_that_is_no_subject_gives_no_cooperation(extractor: RelationExtractor) -> None:
    text = "加强与省科技厅、省统计局的数据共享，完善监测制度。"
    rels = relations(extractor, text, 省科技厅=ORG, 省统计局=ORG, 监测制度="MECHANISM")
    assert not any(r[0] == "cooperatesWith" for r in rels)


def test_lone_subject_of_a_clause_still_acts_alone(extractor: RelationExtractor) -> None:
    text = "市场监管总局启动食品安全抽检专项行动，卫生健康委发布《膳食指南》。"
    rels = relations(extractor, text, 市场监管总局=ORG, 卫生健康委=ORG, 食品安全抽检专项行动="PROGRAM",
                     膳食指南="POLICY")
    assert ("runs", "市场监管总局", "食品安全抽检专项行动") in rels
    assert ("issues", "卫生健康委", "膳食指南") in rels
    assert ("issues", "市场监管总局", "膳食指南") not in rels
    assert not any(r[0] == "cooperatesWith" for r in rels)


# -- news: meetings, places -----------------------------------------------------------------------------
def test_body_holds_a_meeting_in_a_place(extractor: RelationExtractor) -> None:
    text = "商务部和浙江省人民政府共同主办的第五届数字贸易博览会今天在杭州开幕。"
    rels = relations(extractor, text, 商务部=ORG, 浙江省人民政府=ORG, 第五届数字贸易博览会="EVENT",
                     杭州="PLACE")
    assert ("organizes", "商务部", "第五届数字贸易博览会") in rels
    assert ("organizes", "浙江省人民政府", "第五届数字贸易博览会") in rels
    assert coop("商务部", "浙江省人民政府") in rels
    assert ("locatedIn", "第五届数字贸易博览会", "杭州") in rels


def test_meeting_named_before_its_organiser(extractor: RelationExtractor) -> None:
    text = "数字经济发展论坛由工业和信息化部主办。"
    rels = relations(extractor, text, 工业和信息化部=ORG, 数字经济发展论坛="EVENT")
    assert ("organizes", "工业和信息化部", "数字经济发展论坛") in rels
    text = "数字经济发展论坛闭幕，由工业和信息化部主办的展览继续开放。"  # the event is in another clause
    rels = relations(extractor, text, 工业和信息化部=ORG, 数字经济发展论坛="EVENT")
    assert ("organizes", "工业和信息化部", "数字经济发展论坛") not in rels


# -- linear in the sentence's length ------------------------------------------------------------------------
def test_long_list_sentence_stays_bounded(extractor: RelationExtractor) -> None:
    bodies = [f"第{i}工作组" for i in range(60)]
    text = "由" + "、".join(bodies) + "牵头，建立协同推进机制。"
    rels = relations(extractor, text, **{b: ORG for b in bodies}, 协同推进机制="MECHANISM")
    assert sum(1 for r in rels if r[0] == "runs") == 60
    # pairs are bounded: at most MAX_COOPERATING bodies of a list are paired
    assert sum(1 for r in rels if r[0] == "cooperatesWith") <= 12 * 11 // 2


# -- recognisers: events, groups, generic heads ------------------------------------------------------------
def names(text: str) -> set[tuple[str, str]]:
    x = extract(Document("t", text), shared_nlp(False))
    return {(e.label, e.name) for e in x.entities}


def test_named_events_are_found() -> None:
    found = names("第二届全球数字贸易博览会在杭州举行。各地做好新冠肺炎疫情防控。")
    assert ("EVENT", "第二届全球数字贸易博览会") in found
    assert ("EVENT", "新冠肺炎疫情") in found


def test_groups_are_found() -> None:
    found = names("支持高校、科研院所和龙头企业联合培养高技能人才，鼓励人工智能企业参与。")
    for group in ("高校", "科研院所", "龙头企业", "高技能人才", "人工智能企业"):
        assert ("GROUP", group) in found


def test_generic_heads_are_no_entities() -> None:
    found = names("建立协同机制，探索商业模式，开展专项行动，制定如下计划，以新模式推动发展。")
    kinds = {n for label, n in found if label in ("MECHANISM", "PROGRAM")}
    assert not kinds & {"协同机制", "商业模式", "专项行动", "如下计划", "以新模式", "新模式"}


def test_specific_short_names_stay() -> None:
    found = names("坚持和发展新时代“枫桥经验”，完善领导干部包案制度。")
    assert any(n.endswith("包案制度") for label, n in found if label == "MECHANISM")


# -- hard-wrapped text -------------------------------------------------------------------------------------
def test_reflow_joins_wrapped_lines_and_maps_offsets() -> None:
    text = ("一、总体要求\n"
            "    各地要按照国务院的统一部署，建立健全跨部门协同推进工作\n"
            "    机制，加强统筹。\n"
            "- 2 -\n"
            "第二条 本办法所称数据资源，是指政务部门在履行职责过程中\n"
            "12\n"
            "产生的数据。\n")
    out, index = reflow(text)
    assert "协同推进工作机制，" in out
    assert "一、总体要求\n" in out  # a heading stays on its line
    assert "- 2 -" not in out and "\n12\n" not in out
    assert "过程中产生的数据" in out
    s = out.index("工作机制")
    a, b = map_span(index, s, s + 4)
    assert text[a:a + 2] == "工作" and text[b - 2:b] == "机制"
    assert all(out[k] == text[index[k]] for k in range(len(out)))


def test_reflow_leaves_unwrapped_text_alone() -> None:
    text = "短行一\n短行二。\n1.第一项内容写在这里并且足够长足够长足够长\n2.第二项"
    out, index = reflow(text)
    assert out == text and index == list(range(len(text) + 1))


def test_extraction_offsets_point_into_the_text_as_read() -> None:
    text = ("为加快发展数字经济，省发展改革委会同有关部门建立全省数字经济发展\n"
            "联席会议机制，统筹推进各项工作。")
    x = extract(Document("t", text), shared_nlp(False))
    mechanisms = [e for e in x.entities if e.label == "MECHANISM"]
    assert any(e.name.endswith("联席会议机制") and "\n" in text[e.mentions[0][0]:e.mentions[0][1]]
               for e in mechanisms)
    for e in x.entities:
        for s, t in e.mentions:
            assert text[s:t].replace("\n", "")  # offsets into the original text


def test_body_is_in_a_place_the_text_names_on_its_own(extractor: RelationExtractor) -> None:
    text = "青岛市科技局发布通知。青岛市将建设海洋科技创新平台。"
    rels = relations(extractor, text, 青岛市科技局=ORG, 青岛市="PLACE")
    assert ("locatedIn", "青岛市科技局", "青岛市") in rels
    # 青岛市 only inside the body's name (a PLACE mention nested in the ORG's)
    text = "青岛市科技局发布通知，全市建设海洋科技创新平台。"
    entities = [ResolvedEntity(ORG, "青岛市科技局", [Mention(0, 6, ORG, "test")], ["青岛市科技局"]),
                ResolvedEntity("PLACE", "青岛市", [Mention(0, 3, "PLACE", "test")], ["青岛市"])]
    doc = Doc(Vocab(), words=[text], spaces=[False])
    doc._.kg_text = text
    doc._.kg_entities = entities
    extractor(doc)
    assert not any(r.label == "locatedIn" for r in doc._.kg_relations)


def test_arrangement_aimed_at_groups_named_before_it(extractor: RelationExtractor) -> None:
    text = "引导服务商面向中小微企业和个体工商户推出普惠金融服务平台，建设产业园区。"
    rels = relations(extractor, text, 中小微企业="GROUP", 个体工商户="GROUP", 普惠金融服务平台="MECHANISM",
                     产业园区="PROGRAM")
    assert ("targets", "普惠金融服务平台", "中小微企业") in rels
    assert ("targets", "普惠金融服务平台", "个体工商户") in rels
    assert ("targets", "产业园区", "中小微企业") not in rels  # another clause
    text = "为科技型企业提供知识产权质押融资服务平台。为中小企业发展创造良好环境，完善担保体系。"
    rels = relations(extractor, text, 科技型企业="GROUP", 中小企业="GROUP",
                     知识产权质押融资服务平台="MECHANISM", 担保体系="MECHANISM")
    assert ("targets", "知识产权质押融资服务平台", "科技型企业") in rels
    assert ("targets", "担保体系", "中小企业") not in rels


def test_figure_counts_what_follows_an_approximation(extractor: RelationExtractor) -> None:
    text = "到2027年，培育5家以上专业科技企业孵化器，孵化50家左右科技型企业。"
    rels = relations(extractor, text, **{"5家": "METRIC", "50家": "METRIC"}, 专业科技企业孵化器="GROUP",
                     科技型企业="GROUP")
    assert ("quantifies", "5家", "专业科技企业孵化器") in rels
    assert ("quantifies", "50家", "科技型企业") in rels
    assert ("quantifies", "5家", "科技型企业") not in rels


def test_no_place_read_off_an_impossible_name(extractor: RelationExtractor) -> None:
    def located(body: str) -> bool:
        text = f"山东将推进改革。{body}发布通知。"
        entities = [ResolvedEntity("PLACE", "山东省", [Mention(0, 2, "PLACE", "test")], ["山东"]),
                    ResolvedEntity(ORG, body, [Mention(8, 8 + len(body), ORG, "test")], [body])]
        doc = Doc(Vocab(), words=[text], spaces=[False])
        doc._.kg_text = text
        doc._.kg_entities = entities
        extractor(doc)
        return any(r.label == "locatedIn" for r in doc._.kg_relations)

    assert located("山东省财政厅")
    assert not located("山东市财政局")  # no province has a city of its own name


def test_event_names_stop_at_dates_and_verbs() -> None:
    found = names("9月8日杭州亚运会火炬传递开始，选手们结束杭州亚运会征程，工作人员投入到亚运会的筹备中。")
    events = {n for label, n in found if label == "EVENT"}
    assert "杭州亚运会" in events
    assert not any(n.startswith(("8日", "9月", "结束", "投入")) for n in events)


def test_event_held_in_a_place_named_after_the_province(extractor: RelationExtractor) -> None:
    text = "第五届中美友城大会当日在江苏省苏州市举办。"
    rels = relations(extractor, text, 第五届中美友城大会="EVENT", 江苏省="PLACE")
    assert ("locatedIn", "第五届中美友城大会", "江苏省") in rels
    text = "第五届中美友城大会代表团在江苏省考察，与企业家座谈。"  # no holding verb after the place
    rels = relations(extractor, text, 第五届中美友城大会="EVENT", 江苏省="PLACE")
    assert ("locatedIn", "第五届中美友城大会", "江苏省") not in rels


def test_meeting_named_by_a_list_keeps_the_whole_list() -> None:
    found = names("省委召开全省新业态、新就业群体党建工作座谈会。党的全国代表大会是最高领导机关。")
    events = {n for label, n in found if label == "EVENT"}
    assert "全省新业态、新就业群体党建工作座谈会" in events
    assert "新就业群体党建工作座谈会" not in events


def test_place_of_an_action_is_no_actor(extractor: RelationExtractor) -> None:
    text = "在浙江大学举办2期党建工作指导员培训班。"
    rels = relations(extractor, text, 浙江大学=ORG, 党建工作指导员培训班="PROGRAM")
    assert ("runs", "浙江大学", "党建工作指导员培训班") not in rels


def test_long_sentence_of_many_cues_is_read_in_linear_time(extractor: RelationExtractor) -> None:
    import time

    def run(n: int) -> float:
        parts = ["市农业局"]
        entities = [ResolvedEntity(ORG, "市农业局", [Mention(0, 4, ORG, "test")], ["市农业局"])]
        pos = 4
        for k in range(n):
            for before, name, label in (("开展", f"第{k}号专项行动", "PROGRAM"),
                                        ("和培育", f"第{k}类经营主体", "GROUP")):
                pos += len(before)
                mention = Mention(pos, pos + len(name), label, "test")
                entities.append(ResolvedEntity(label, name, [mention], [name]))
                parts += [before, name]
                pos += len(name)
        text = "".join(parts) + "。"
        doc = Doc(Vocab(), words=[text], spaces=[False])
        doc._.kg_text = text
        doc._.kg_entities = entities
        t0 = time.process_time()  # this process's CPU time: other jobs on the machine do not count
        extractor(doc)
        elapsed = time.process_time() - t0
        assert any(r.label == "runs" and r.head == 0 and r.tail == 1 for r in doc._.kg_relations)
        return elapsed

    small, large = min(run(300) for _ in range(3)), min(run(2400) for _ in range(3))
    assert large < 8 * small * 4  # 8 times the sentence: at most 32 times the time, not the 64 of a square


def test_first_listed_leads_where_the_document_says_so(extractor: RelationExtractor) -> None:
    task = "实施乡村教师支持计划，完善教师交流制度。"
    note = "（省教育厅、省财政厅、省人力资源社会保障厅负责）"
    labels = {"省教育厅": ORG, "省财政厅": ORG, "省人力资源社会保障厅": ORG, "乡村教师支持计划": "PROGRAM"}
    plain = relations(extractor, task + note, **labels)
    assert ("runs", "省财政厅", "乡村教师支持计划") in plain  # every responsible unit runs it
    ruled = relations(extractor, "（各项任务列第一位者为牵头部门，下同）\n" + task + note, **labels)
    assert ("runs", "省教育厅", "乡村教师支持计划") in ruled
    assert ("runs", "省财政厅", "乡村教师支持计划") not in ruled
    assert coop("省教育厅", "省财政厅") in ruled and coop("省财政厅", "省人力资源社会保障厅") in ruled


def test_office_of_a_committee_is_named_whole() -> None:
    found = names("（责任单位：市委金融办、市教育局、市委军民融合办）")
    assert ("ORG", "市委军民融合办") in found or any(n.endswith("市委军民融合办") for _, n in found)
    assert not any(label == "ORG" and n.endswith("市委") for label, n in found)


def test_body_before_a_title_and_the_signature_of_a_notice_issue_it(extractor: RelationExtractor) -> None:
    text = "根据科技部《创新发展试验区建设工作指引》相关要求，编制方案。"
    rels = relations(extractor, text, 科技部=ORG, 创新发展试验区建设工作指引="POLICY")
    assert ("issues", "科技部", "创新发展试验区建设工作指引") in rels
    notice = ("各省、自治区、直辖市民政厅：\n    现将《养老服务质量提升指南》印发给你们，请认真贯彻执行。\n"
              "    民政部办公厅\n    2023年5月4日\n养老服务质量提升指南\n")
    rels = relations(extractor, notice, 民政部办公厅=ORG, 养老服务质量提升指南="POLICY")
    assert ("issues", "民政部办公厅", "养老服务质量提升指南") in rels
    unsigned = notice.replace("    2023年5月4日\n", "    联系人：张三\n")  # a line under it, but no date
    rels = relations(extractor, unsigned, 民政部办公厅=ORG, 养老服务质量提升指南="POLICY")
    assert ("issues", "民政部办公厅", "养老服务质量提升指南") not in rels


def test_arrangement_aimed_at_a_list_of_groups(extractor: RelationExtractor) -> None:
    text = "《指南》主要面向中小企业、数字化转型服务商和行业协会，提出转型路径。"
    rels = relations(extractor, text, 指南="POLICY", 中小企业="GROUP", 数字化转型服务商="GROUP",
                     行业协会="GROUP")
    for group in ("中小企业", "数字化转型服务商", "行业协会"):
        assert ("targets", "指南", group) in rels


def test_deployed_campaigns_and_figures_of_long_clauses(extractor: RelationExtractor) -> None:
    text = "国务院国资委部署央企产业焕新专项行动，聚焦人工智能、新材料等15个重点产业领域方向的布局建设。"
    rels = relations(extractor, text, 国务院国资委=ORG, 央企产业焕新专项行动="PROGRAM", **{"15个": "METRIC"})
    assert ("runs", "国务院国资委", "央企产业焕新专项行动") in rels
    assert ("quantifies", "15个", "央企产业焕新专项行动") not in rels  # it counts fields, not campaigns
    text = "举办社区工作者培训班，共3期。"
    rels = relations(extractor, text, 社区工作者培训班="PROGRAM", **{"3期": "METRIC"})
    assert ("quantifies", "3期", "社区工作者培训班") in rels


def test_compiling_a_document_is_issuing_it(extractor: RelationExtractor) -> None:
    text = "市教育局牵头组织编制了《职业教育提升方案》，征求了各区意见。"
    found = relations(extractor, text, **{"市教育局": ORG, "《职业教育提升方案》": "POLICY"})
    assert ("issues", "市教育局", "《职业教育提升方案》") in found
    # 编制 as a noun (a staffing quota) issues nothing
    text = "市教育局核定学校编制，《职业教育提升方案》另行印发。"
    found = relations(extractor, text, **{"市教育局": ORG, "《职业教育提升方案》": "POLICY"})
    assert not any(r[0] == "issues" for r in found)

