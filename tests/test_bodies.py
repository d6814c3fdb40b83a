"""Bodies, people and meetings (issue 14, round 2): 、-lists of officials under one post, lists of meetings,
on sentences written for these tests (fast profile: the rules alone, no network)."""

from __future__ import annotations

from spacy.language import Language

from kg.core.records import Document
from kg.nlp import news
from kg.nlp.extract import extract


def facts(nlp: Language, text: str) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """(label, name) of each entity and (label, head name, tail name) of each relation found in ``text``."""
    x = extract(Document("t", text), nlp)
    names = {e.id: e.name for e in x.entities}
    return ({(e.label, e.name) for e in x.entities},
            {(r.label, names[r.head], names[r.tail]) for r in x.relations})


# -- officials listed under one post ------------------------------------------------------------------------

def test_every_name_of_a_list_after_a_post_holds_it(rules_nlp: Language) -> None:
    text = "国务院副总理丁薛祥、张国清、刘国中出席会议并讲话。"
    entities, rels = facts(rules_nlp, text)
    for name in ("丁薛祥", "张国清", "刘国中"):
        assert ("PERSON", name) in entities
        assert ("holdsPost", name, "国务院") in rels


def test_a_list_item_that_is_no_name_stops_the_list() -> None:
    def is_name(n: str) -> bool:
        return n in {"张三", "李四", "王五"}
    text = "书记张三、李四、王五等出席。"
    assert [text[a:b] for a, b in news.listed_names(text, 4, is_name)] == ["李四", "王五"]
    text = "书记张三、市长李四出席。"  # the second has a post of its own: no list of names
    assert news.listed_names(text, 4, is_name) == []
    text = "书记张三、李四家属出席。"
    assert news.listed_names(text, 4, is_name) == []


# -- lists of meetings ---------------------------------------------------------------------------------------

def test_a_list_of_events_is_read_as_events_not_one_meeting(rules_nlp: Language) -> None:
    text = "积极参加中国国际进口博览会、中国进出口商品交易会和世界互联网大会。"
    entities, _ = facts(rules_nlp, text)
    events = {name for label, name in entities if label == "EVENT"}
    assert "中国国际进口博览会" in events
    assert not any("、" in name for name in events)


def test_the_spirit_of_a_congress_ends_a_list_of_meetings(rules_nlp: Language) -> None:
    text = "认真贯彻落实党的二十大精神、中央人大工作会议精神。"
    entities, _ = facts(rules_nlp, text)
    events = {name for label, name in entities if label == "EVENT"}
    assert "中央人大工作会议" in events
    assert not any("精神" in name for name in events)


def test_a_meeting_named_by_a_list_of_posts_stays_one(rules_nlp: Language) -> None:
    text = "国务院召开全国省长、市长、自治区主席会议。"
    entities, _ = facts(rules_nlp, text)
    assert any(label == "EVENT" and name.startswith("全国省长") for label, name in entities)


# -- level words inside ordinary words ----------------------------------------------------------------------

def test_a_level_character_inside_a_word_opens_no_body(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "监管部门将重点检查上市公司信息披露，郑州市委组织部配合。")
    orgs = {name for label, name in entities if label == "ORG"}
    assert "郑州市委组织部" in orgs
    assert not any(name.endswith("上市公司") for name in orgs)


def test_a_special_administrative_region_is_a_level_of_its_government(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "香港特区政府搜救队抵达灾区。")
    assert ("ORG", "香港特区政府") in entities


# -- a leader's name inside a doctrine's name ----------------------------------------------------------------

def test_a_doctrine_named_after_a_leader_names_no_person(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "坚持以习近平新时代中国特色社会主义思想为指导，深入学习习近平法治思想。")
    assert not {e for e in entities if e[0] == "PERSON"}
    entities, _ = facts(rules_nlp, "习近平总书记强调，要学习贯彻习近平法治思想。")
    assert ("PERSON", "习近平") in entities


# -- disasters ----------------------------------------------------------------------------------------------

def test_a_disaster_is_named_by_its_place_or_disease_not_by_a_field(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "抗击汶川特大地震、玉树强烈地震，发展人工智能地震监测，受新冠疫情影响。")
    events = {name for label, name in entities if label == "EVENT"}
    assert {"汶川特大地震", "玉树强烈地震", "新冠疫情"} <= events
    assert not any("人工智能" in name or "抗击" in name for name in events)


def test_a_body_after_a_list_of_levels_is_a_kind_of_body(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "（责任单位：市财政局，各区、市政府）")
    orgs = {name for label, name in entities if label == "ORG"}
    assert "市财政局" in orgs
    assert not any(name.endswith("政府") for name in orgs)


# -- study sessions -----------------------------------------------------------------------------------------

def test_the_body_that_holds_a_numbered_study_session_organizes_it(rules_nlp: Language) -> None:
    entities, rels = facts(rules_nlp, "5月8日下午，国务院以“推动数字经济发展”为主题，进行第二次专题学习。")
    assert ("EVENT", "第二次专题学习") in entities
    assert ("organizes", "国务院", "第二次专题学习") in rels
    _, rels = facts(rules_nlp, "国务院和中央军委召开会议后，进行第二次专题学习。")  # two bodies: which one?
    assert not {r for r in rels if r[0] == "organizes" and r[2] == "第二次专题学习"}


def test_a_place_joined_by_a_middle_dot_opens_a_name(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "建设海归创业小镇（青岛·人工智能）等园区。")
    assert not {e for e in entities if e[0] == "PLACE"}


def test_the_corps_listed_with_the_provinces_is_an_addressee_of_a_kind(rules_nlp: Language) -> None:
    text = "各省、自治区、直辖市及新疆生产建设兵团工业和信息化主管部门：新疆生产建设兵团将加快推进。"
    x = extract(Document("t", text), rules_nlp)
    corps = [e for e in x.entities if e.label == "ORG" and e.name == "新疆生产建设兵团"]
    second = (text.rindex("新疆"), text.rindex("兵团") + 2)
    assert len(corps) == 1 and [tuple(m) for m in corps[0].mentions] == [second]


def test_a_list_of_plenums_names_each_plenum(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "全面贯彻党的十九大和十九届二中、三中、四中全会精神。")
    events = {name for label, name in entities if label == "EVENT"}
    assert {"党的十九届二中全会", "党的十九届三中全会", "党的十九届四中全会"} <= events
