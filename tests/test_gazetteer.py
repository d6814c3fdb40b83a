"""The gazetteers (divisions, central bodies, local departments) and what kg_lexicon and kg_resolve make of
them.

Sentences are written for these tests. ``data/policy-excerpts.jsonl`` holds 15 short excerpts (160-250
characters) of ../shared/corpus/policy-documents.jsonl, one per issuer, chosen where the text names local
departments by their level word alone (市科技局, 省农业农村厅), with the issuer as the corpus renders it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kg.core.errors import InputError
from kg.core.lexicon import load_lexicon
from kg.core.records import Document, Extraction
from kg.nlp.extract import extract
from kg.nlp.gazetteer import gazetteer_for, impossible_name
from kg.nlp.pipeline import shared_nlp
from kg.read.documents import iter_documents

ROOT = Path(__file__).resolve().parent.parent
EXCERPTS = ROOT / "tests" / "data" / "policy-excerpts.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus" / "policy-documents.jsonl"
if not CORPUS.is_file():
    CORPUS = Path("/work/shared/corpus/policy-documents.jsonl")


@pytest.fixture(scope="module")
def gaz():  # type: ignore[no-untyped-def]
    return gazetteer_for(load_lexicon())


def run(text: str, *, issuer: str | None = None, place: str | None = None) -> Extraction:
    return extract(Document("t", text, issuer=issuer, place=place), shared_nlp(False))


def names(x: Extraction, label: str = "ORG") -> dict[str, tuple[str, ...]]:
    return {e.name: e.aliases for e in x.entities if e.label == label}


def relations(x: Extraction) -> set[tuple[str, str, str]]:
    return {(r.label, x.entity(r.head).name, x.entity(r.tail).name) for r in x.relations}


# -- the tables ------------------------------------------------------------------------------------------


def test_divisions_have_levels_codes_and_parents() -> None:
    lexicon = load_lexicon()
    by_name = {d.name: d for d in lexicon.divisions}
    assert len([d for d in lexicon.divisions if d.level == "province"]) == 34
    assert by_name["山东省"].level == "province" and by_name["山东省"].code == "370000"
    qingdao = by_name["青岛市"]
    assert (qingdao.level, qingdao.kind, qingdao.parent) == ("prefecture", "city", "370000")
    assert qingdao.short == "青岛"
    assert by_name["历下区"].level == "district" and by_name["历下区"].parent == "370100"
    assert by_name["平阴县"].level == "county"
    assert by_name["上海市"].kind == "municipality" and by_name["广西壮族自治区"].short == "广西"
    assert by_name["延边朝鲜族自治州"].short == "延边"
    # 吉林 is the province: the city's short form is flagged, the province's is not
    assert by_name["吉林市"].ambiguous and not by_name["吉林省"].ambiguous
    assert by_name["海南藏族自治州"].ambiguous and not by_name["海南省"].ambiguous


def test_central_bodies_and_departments_tables() -> None:
    lexicon = load_lexicon()
    central = {t.name: t for t in lexicon.terms if t.label == "ORG" and t.kind}
    assert len(central) >= 270
    assert central["国家计划委员会"].aliases == ("国家计委",)  # a planned-economy commission, for old reports
    ndrc = central["国家发展和改革委员会"]
    assert {"发展改革委", "国家发改委"} <= set(ndrc.aliases)
    assert ndrc.en == "National Development and Reform Commission"
    assert "工信部" in central["工业和信息化部"].aliases
    assert "卫生健康委" in central["国家卫生健康委员会"].aliases
    assert {"国家数据局", "中央社会工作部", "国家金融监督管理总局"} <= set(central)  # the 2023 reform
    deps = {d.name: d for d in lexicon.departments}
    assert deps["财政厅"].level == "province" and deps["财政局"].level == "city"
    assert deps["市场监督管理局"].level == "both" and "市场监管局" in deps["市场监督管理局"].aliases
    sizes = lexicon.sizes()
    assert sizes["divisions county"] > 1000 and sizes["central bodies"] == len(central)


# -- expansion by level ----------------------------------------------------------------------------------


def test_level_words_expand_only_with_a_place_of_that_level(gaz) -> None:  # type: ignore[no-untyped-def]
    shandong, qingdao, shanghai = (gaz.place_forms[n] for n in ("山东省", "青岛市", "上海市"))
    assert gaz.expand("省工业和信息化厅", shandong, None) == "山东省工业和信息化厅"
    assert gaz.expand("省发展改革委", shandong, None) == "山东省发展和改革委员会"
    assert gaz.expand("省委组织部", shandong, None) == "山东省委组织部"
    assert gaz.expand("市财政局", shandong, None) is None  # a province's document: which city?
    assert gaz.expand("市财政局", shandong, qingdao) == "青岛市财政局"
    assert gaz.expand("市市场监管局", shandong, qingdao) == "青岛市市场监督管理局"
    assert gaz.expand("市委宣传部", shandong, qingdao) == "青岛市委宣传部"
    assert gaz.expand("县财政局", shandong, qingdao) is None
    assert gaz.expand("区委组织部", shandong, qingdao) is None
    # a municipality is a 市, never a 省
    assert gaz.expand("省财政厅", shanghai, None) is None
    assert gaz.expand("市财政局", shanghai, None) == "上海市财政局"
    assert gaz.expand("省市政府", shanghai, None) is None
    # a place written in the name is kept, with the department's full name
    assert gaz.expand("青岛市市场监管局", shandong, None) == "青岛市市场监督管理局"
    assert gaz.expand("中共山东省委组织部", None, None) == "山东省委组织部"  # the match key; see resolve


@pytest.mark.parametrize("name, bad", [
    ("山东市财政局", True), ("安徽市公安局", True), ("上海省市政府", True), ("青岛省科技厅", True),
    ("广西省", True), ("中共山东市委", True),
    ("山东省财政厅", False), ("上海市政府", False), ("吉林市", False), ("山东市场监管局", False),
    ("北京市委", False), ("青岛市", False),
])
def test_impossible_names(gaz, name: str, bad: bool) -> None:  # type: ignore[no-untyped-def]
    assert (impossible_name(name, gaz) is not None) is bad


# -- extraction ------------------------------------------------------------------------------------------


def test_province_document_expands_province_forms_not_city_forms() -> None:
    x = run("山东省人民政府印发方案。省工业和信息化厅、省财政厅会同青岛市市场监管局开展试点。"
            "各市财政局、市工业和信息化局要抓好落实。")
    orgs = names(x)
    assert orgs["山东省工业和信息化厅"] == ("省工业和信息化厅",)
    assert orgs["山东省财政厅"] == ("省财政厅",)
    assert orgs["青岛市市场监督管理局"] == ("青岛市市场监管局",)
    assert not any(n.startswith("山东市") for n in orgs), orgs


def test_city_document_by_metadata() -> None:
    x = run("市财政局、市工业和信息化局牵头，省科技厅配合。我市将建立工作机制。",
            issuer="Qingdao Department of Industry and Information Technology")
    orgs = names(x)
    assert "青岛市财政局" in orgs and "青岛市工业和信息化局" in orgs
    assert "山东省科学技术厅" in orgs  # Qingdao is in Shandong
    assert "青岛市" not in names(x, "PLACE")  # 我市 alone adds no place
    x = run("推动青岛市软件产业发展。我市将建立工作机制。",
            issuer="Qingdao Department of Industry and Information Technology")
    assert names(x, "PLACE")["青岛市"] == ("我市",)  # it joins the city the text names


def test_municipality_document_never_gets_a_province_form() -> None:
    x = run("上海市人民政府召开会议。市发展改革委牵头，省市政府配合，省财政厅支持。")
    orgs = names(x)
    assert "上海市发展和改革委员会" in orgs
    assert not any(n.startswith("上海省") for n in orgs), orgs
    assert "省市政府" not in orgs  # province and city governments: a kind, not one body


def test_central_bodies_short_forms_and_boundaries() -> None:
    x = run("发展改革委、工业和信息化部、中央网信办牵头建立工作机制。")
    orgs = names(x)
    assert orgs["国家发展和改革委员会"] == ("发展改革委",)
    assert "工业和信息化部" in orgs
    assert orgs["中央网络安全和信息化委员会办公室"] == ("中央网信办",)
    x = run("美国国防部发言人表示反对。希腊外交部发表声明。卫生部门和农业部门要加强监测。")
    orgs = names(x)
    assert "国防部" not in orgs and "外交部" not in orgs, orgs  # other countries' ministries
    assert "卫生部" not in orgs and "农业部" not in orgs, orgs
    x = run("外交部发言人表示。中国外交部回应。")
    assert names(x)["外交部"] == ("中国外交部",)
    x = run("山东省人民政府部署。省发展改革委牵头。")
    assert "国家发展和改革委员会" not in names(x) and "山东省发展和改革委员会" in names(x)


def test_central_body_units() -> None:
    x = run("国家卫生健康委医政司负责人介绍。工业和信息化部装备工业二司组织评审。新疆生产建设兵团教育局、"
            "教育部网络安全和信息化领导小组办公室和教育部相关业务司参加。")
    orgs = names(x)
    assert orgs["国家卫生健康委员会医政司"] == ("国家卫生健康委医政司",)
    assert {"工业和信息化部装备工业二司", "新疆生产建设兵团教育局",
            "教育部网络安全和信息化领导小组办公室"} <= set(orgs)
    assert "教育部相关业务司" not in orgs and "教育部" in orgs  # 相关业务司: some of its departments


def test_district_named_after_its_city_and_circular_addressees() -> None:
    x = run("报济南市工业和信息化局、济南市历下区政府备案。各省、自治区、直辖市教育厅，计划单列市科技局：")
    orgs = names(x)
    assert orgs["济南市历下区人民政府"] == ("济南市历下区政府",)
    assert "直辖市教育厅" not in orgs and "计划单列市科技局" not in orgs


def test_issuer_is_the_documents_voice() -> None:
    x = run("我部将会同有关部门制定实施办法。",
            issuer="Ministry of Commerce of the People's Republic of China")
    assert names(x)["商务部"] == ("我部",)
    x = run("我部将会同有关部门制定实施办法。")  # no issuer known: no entity
    assert "我部" not in {a for e in x.entities for a in (e.name, *e.aliases)}


def test_title_line_names_the_issuer() -> None:
    x = run("教育部关于实施第二批人工智能助推教师队伍建设行动试点工作的通知\n（教师函〔2021〕13号）\n"
            "各省、自治区、直辖市教育厅：\n现将有关事项通知如下。")
    title = "教育部关于实施第二批人工智能助推教师队伍建设行动试点工作的通知"
    assert ("issues", "教育部", title) in relations(x)


def test_quoted_titles_name_their_issuers() -> None:
    x = run("为落实《中共中央 国务院关于深化医疗保障制度改革的意见》和"
            "《青岛市人民政府办公厅关于印发青岛市人工智能产业园发展若干政策的通知》，制定本办法。")
    rels = relations(x)
    assert ("issues", "中共中央", "《中共中央 国务院关于深化医疗保障制度改革的意见》") in rels
    assert ("issues", "国务院", "《中共中央 国务院关于深化医疗保障制度改革的意见》") in rels
    assert ("issues", "青岛市人民政府办公厅",
            "《青岛市人民政府办公厅关于印发青岛市人工智能产业园发展若干政策的通知》") in rels


def test_issuer_metadata_read_from_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    record = {"id": "a", "text": "市科技局牵头。", "issuer_en": "Jinan Science and Technology Bureau",
              "place": "济南市"}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    doc = next(iter_documents(path))
    assert doc.issuer == "Jinan Science and Technology Bureau" and doc.place == "济南市"
    assert "济南市科学技术局" in names(extract(doc, shared_nlp(False)))


# -- no impossible expansion -----------------------------------------------------------------------------


def _impossible(extractions: list[Extraction]) -> list[tuple[str, str]]:
    gaz = gazetteer_for(load_lexicon())
    return [(x.doc_id, e.name) for x in extractions for e in x.entities
            if e.label in ("ORG", "PLACE") and impossible_name(e.name, gaz)]


def test_no_impossible_expansion_in_policy_excerpts() -> None:
    docs = list(iter_documents(EXCERPTS))
    extractions = [extract(d, shared_nlp(False)) for d in docs]
    assert _impossible(extractions) == []
    orgs = {e.name for x in extractions for e in x.entities if e.label == "ORG"}
    # the city documents' bare forms take their city, the province's its province
    assert {"济南市科学技术局", "青岛市委组织部", "山东省农业农村厅"} <= orgs, sorted(orgs)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_file(), reason="the shared policy corpus is not here")
def test_no_impossible_expansion_in_policy_corpus_sample() -> None:
    docs = list(iter_documents(CORPUS))
    sample = random.Random(14).sample(docs, 40)
    extractions = [extract(d, shared_nlp()) for d in sample]  # the default pipeline, trained NER included
    assert sum(1 for x in extractions for e in x.entities if e.label == "ORG") > 100
    assert _impossible(extractions) == []



def test_short_names_defined_in_the_text() -> None:
    x = run("教育部教育技术与资源发展中心（中央电化教育馆）（以下简称教育部资源中心）负责审核，"
            "教育部网络安全和信息化领导小组办公室（以下简称教育部网信办）统筹。教育部印发通知。")
    orgs = names(x)
    assert orgs["教育部教育技术与资源发展中心"] == ("教育部资源中心",)
    assert "教育部" in orgs  # 教育部 opening 教育部网信办 is not the office's short name
    assert "教育部" not in orgs["教育部网络安全和信息化领导小组办公室"]


def test_issuer_metadata_must_be_text(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    record = {"id": "a", "text": "市科技局牵头。", "issuer": ["科技部"]}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match='"issuer" must be a string'):
        list(iter_documents(path))


def test_bodies_right_before_a_title_issue_it() -> None:
    x = run("为进一步贯彻落实市委、市政府《关于进一步支持企业专精特新发展的若干政策措施》，加快推进。",
            issuer="Jinan Department of Industry and Information Technology")
    title = "《关于进一步支持企业专精特新发展的若干政策措施》"
    assert {("issues", "济南市委", title), ("issues", "济南市人民政府", title)} <= relations(x)
    x = run("根据《关于加快发展的意见》，各单位要抓好落实。")
    assert not any(r.label == "issues" for r in x.relations)


def test_city_short_forms_are_whole_words() -> None:
    x = run("加强重大理论研究，实现长治久安，保障中国公民在泰安全。")
    assert not {"大理白族自治州", "长治市", "泰安市"} & set(names(x, "PLACE")), names(x, "PLACE")
    x = run("青岛、济南和泰安三市联合开展试点。")
    assert {"青岛市", "济南市", "泰安市"} <= set(names(x, "PLACE"))


@pytest.mark.parametrize("issuer, body, place", [
    ("Shandong Provincial Department of Industry and Information Technology",
     "山东省工业和信息化厅", "山东省"),
    ("Qingdao Department of Industry and Information Technology and Qingdao Finance Bureau",
     "青岛市工业和信息化局", "青岛市"),
    ("General Office of Jinan Municipal People's Government", "济南市人民政府办公室", "济南市"),
    ("Ministry of Commerce of the People's Republic of China", "商务部", None),
    ("General Office of the Ministry of Education", "教育部办公厅", None),
    ("National Development and Reform Commission, National Data Bureau", "国家发展和改革委员会", None),
    ("Eighteen Departments including Shandong Provincial Science and Technology Department",
     "山东省科学技术厅", "山东省"),
    ("青岛市市场监管局", "青岛市市场监督管理局", "青岛市"),
])
def test_issuers_read_in_english_or_chinese(gaz, issuer: str, body: str,  # type: ignore[no-untyped-def]
                                           place: str | None) -> None:
    found, where = gaz.issuer(issuer)
    assert found == body
    assert (where.name if where else None) == place

