"""kg.nlp.news: places named on their own, news posts and foreign officials, meetings, joint statements
(issue 14), on sentences written for these tests (fast profile: the rules alone, no network)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.core.records import Document
from kg.nlp import news
from kg.nlp.extract import extract
from kg.nlp.lac import LacNames
from kg.nlp.merge import jieba_tags


def facts(nlp: Language, text: str) -> tuple[set[tuple[str, str]], set[tuple[str, str, str]]]:
    """(label, name) of each entity and (label, head name, tail name) of each relation found in ``text``."""
    x = extract(Document("t", text), nlp)
    names = {e.id: e.name for e in x.entities}
    return ({(e.label, e.name) for e in x.entities},
            {(r.label, names[r.head], names[r.tail]) for r in x.relations})


# -- places named on their own (decision 8) -----------------------------------------------------------------

def test_a_place_only_inside_names_is_no_place_and_locates_nothing(rules_nlp: Language) -> None:
    text = ("河南省科学技术厅会同河南省财政厅印发通知，支持建设河南大数据试验场，"
            "坚持以习近平新时代中国特色社会主义思想为指导。")
    entities, rels = facts(rules_nlp, text)
    assert ("ORG", "河南省科学技术厅") in entities
    assert not {e for e in entities if e[0] == "PLACE"}
    assert not {r for r in rels if r[0] == "locatedIn"}


def test_a_place_named_on_its_own_locates_its_bodies(rules_nlp: Language) -> None:
    text = "河南省科学技术厅在河南调研时表示，将继续支持当地企业。"
    entities, rels = facts(rules_nlp, text)
    assert ("PLACE", "河南省") in entities
    assert ("locatedIn", "河南省科学技术厅", "河南省") in rels


def test_place_on_its_own_reads_what_follows() -> None:
    tags = jieba_tags()

    def own(text: str, place: str) -> bool:
        start = text.index(place)
        words = {start: start + len(place), start + len(place): start + len(place) + 2}
        return news.place_on_its_own(text, start, start + len(place), covered=bytearray(len(text) + 1),
                                     next_label=None, words=words, tags=tags)

    assert own("今年以来，湖南积极推进改革。", "湖南")  # an adverb: the place is the subject
    assert own("代表团抵达湖南，开始访问。", "湖南")  # punctuation
    assert not own("支持湖南问题研究。", "湖南")  # a noun: the place opens another name
    assert not own("华为（湖南）软件有限公司成立。", "湖南")  # inside a body's name
    assert not own("《关于支持湖南建设示范区的意见》", "湖南")  # inside a title


# -- posts, foreign officials, governments -------------------------------------------------------------------

def test_foreign_head_of_state_is_a_person_with_a_post(nlp: Language) -> None:
    entities, _ = facts(nlp, "习近平会见来访的肯尼亚总统鲁托。鲁托表示，肯方愿加强合作。")
    assert ("PERSON", "鲁托") in entities
    assert ("POST", "总统") in entities
    assert ("PLACE", "肯尼亚") in entities


def test_a_transliterated_name_stops_before_an_ordinary_word() -> None:
    common = jieba_tags()
    names = news.foreign_names("总统普京达成共识后，总理马克西姆表示欢迎。",
                               lambda w: not common.get(w, "nr").startswith(("nr", "ns", "nz")))
    assert names == {"普京", "马克西姆"}


def test_a_local_head_holds_the_post_at_the_places_government(nlp: Language) -> None:
    entities, rels = facts(nlp, "代表团在加州访问期间，会见了加利福尼亚州州长纽森。")
    assert ("ORG", "加利福尼亚州政府") in entities
    assert ("holdsPost", "纽森", "加利福尼亚州政府") in rels
    assert ("locatedIn", "加利福尼亚州政府", "加利福尼亚州") in rels


def test_a_chain_of_posts_gives_each_body_its_post(rules_nlp: Language) -> None:
    _, rels = facts(rules_nlp, "中共中央总书记、国家主席、中央军委主席习近平出席会议并讲话。")
    assert ("holdsPost", "习近平", "中共中央") in rels
    assert ("holdsPost", "习近平", "中央军事委员会") in rels


def test_press_officers_and_officials_are_posts(rules_nlp: Language) -> None:
    text = "外交部发言人汪文斌介绍，有关负责人将出席，中国驻法国大使馆也派员参加。"
    entities, rels = facts(rules_nlp, text)
    assert ("POST", "发言人") in entities
    assert ("POST", "负责人") in entities
    assert ("holdsPost", "汪文斌", "外交部") in rels
    assert ("POST", "大使") not in entities  # 大使馆 is a body's name, not the post


# -- international bodies, venues, meetings, joint statements ---------------------------------------------

def test_international_bodies_take_their_full_names(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "中方愿同东盟和上合组织加强合作，支持世卫组织发挥作用。")
    assert {("ORG", "东南亚国家联盟"), ("ORG", "上海合作组织"), ("ORG", "世界卫生组织")} <= entities


def test_a_state_venue_is_a_place(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "国家主席习近平在人民大会堂会见来访的外国客人。")
    assert ("PLACE", "人民大会堂") in entities
    assert ("POST", "国家主席") in entities


def test_a_meeting_named_after_a_body_is_organized_by_it(rules_nlp: Language) -> None:
    entities, rels = facts(rules_nlp, "中共中央政治局会议指出，要扎实推进高质量发展。")
    assert ("ORG", "中共中央政治局") in entities
    assert ("organizes", "中共中央政治局", "中共中央政治局会议") in rels


def test_working_meetings_held_by_bodies(rules_nlp: Language) -> None:
    entities, rels = facts(rules_nlp, "河南省应急管理厅组织召开安全生产推进会和消防演练观摩会。")
    assert {("EVENT", "安全生产推进会"), ("EVENT", "消防演练观摩会")} <= entities
    assert ("organizes", "河南省应急管理厅", "安全生产推进会") in rels


def test_a_joint_statement_is_issued_by_both_governments(rules_nlp: Language) -> None:
    entities, rels = facts(rules_nlp, "双方发表《中华人民共和国政府和越南社会主义共和国政府联合声明》。")
    assert ("ORG", "越南社会主义共和国政府") in entities
    assert ("issues", "越南社会主义共和国政府",
            "《中华人民共和国政府和越南社会主义共和国政府联合声明》") in rels
    assert ("cooperatesWith", "中华人民共和国政府", "越南社会主义共和国政府") in rels \
        or ("cooperatesWith", "越南社会主义共和国政府", "中华人民共和国政府") in rels


def test_a_party_named_after_its_country_and_its_leader(nlp: Language) -> None:
    entities, rels = facts(nlp, "应巴西劳工党主席、众议员霍夫曼邀请，代表团访问巴西。")
    assert ("ORG", "巴西劳工党") in entities
    assert ("holdsPost", "霍夫曼", "巴西劳工党") in rels
    assert ("locatedIn", "巴西劳工党", "巴西") in rels


@pytest.mark.parametrize("text", ["学习贯彻习近平总书记关于加强党的建设的重要思想。"])
def test_no_person_opens_with_a_preposition(rules_nlp: Language, text: str) -> None:
    entities, _ = facts(rules_nlp, text)
    assert ("PERSON", "关于加") not in entities


def test_a_branch_is_located_in_the_place_it_is_named_after(nlp: Language) -> None:
    entities, rels = facts(nlp, "考察团在青岛参观了山东省农业科学院青岛分院，随后前往潍坊。")
    assert ("ORG", "山东省农业科学院青岛分院") in entities
    assert ("locatedIn", "山东省农业科学院青岛分院", "青岛市") in rels


def test_companies_of_a_country_are_no_body(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "他参观了中国公司承建的铁路项目。")
    assert ("ORG", "中国公司") not in entities


def test_an_autonomous_prefecture_short_form_is_the_prefecture() -> None:
    assert news.short_place_forms("红河哈尼族彝族自治州", ["红河"]) == ["红河州"]
    assert news.short_place_forms("长阳土家族自治县", ["长阳"]) == ["长阳县"]
    assert news.short_place_forms("济南市", ["济南"]) == []


def test_lac_reads_what_follows_a_place_where_jieba_mistags_it(nlp: Language) -> None:
    # jieba's dictionary tags 深化 j (an abbreviation, like a noun); LAC reads the verb
    entities, _ = facts(nlp, "中方支持老挝深化改革，愿同老方加强合作。")
    assert ("PLACE", "老挝") in entities


def test_an_organisations_name_inside_another_name_is_no_body(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "各方应遵守联合国宪章，推进中国—东盟自由贸易区建设。")
    assert ("ORG", "联合国") not in entities
    assert ("ORG", "东南亚国家联盟") not in entities


def test_places_beside_places_and_officials_stand(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "座谈会3日上午在北京人民大会堂举行。")
    assert {("PLACE", "北京市"), ("PLACE", "人民大会堂")} <= entities  # one jieba word: 北京人民大会堂


# -- bodies named by their parent (decision 8) ------------------------------------------------------------

def test_a_body_named_by_its_parent_is_its_sub_organization(rules_nlp: Language) -> None:
    text = ("中共中央政治局常委、中央书记处书记王某某出席座谈会。会议强调，要坚决贯彻党中央决策部署。"
            "全国政协办公厅近日发出通知，全国政协主席王某某部署有关工作。")
    _, rels = facts(rules_nlp, text)
    assert ("subOrganizationOf", "中共中央政治局", "中共中央") in rels
    assert ("subOrganizationOf", "中共中央书记处", "中共中央") in rels
    assert ("subOrganizationOf", "中国人民政治协商会议全国委员会办公厅",
            "中国人民政治协商会议全国委员会") in rels


def test_no_sub_organization_without_the_parent_on_its_own(rules_nlp: Language) -> None:
    text = "中央军委办公厅近日发出通知，部署有关工作。中共中央政治局常委王某某出席。"
    _, rels = facts(rules_nlp, text)
    assert not {r for r in rels if r[0] == "subOrganizationOf"}


# -- laws named without 《》 ------------------------------------------------------------------------------

def test_laws_named_without_title_marks_in_legislative_frames(rules_nlp: Language) -> None:
    text = ("常委会会议经表决，通过了新修订的档案法、森林资源保护法。会议审议了城市更新法草案、"
            "社会救助法修订草案，要求完善以宪法为核心的法律体系，深入实施乡村振兴促进法。")
    entities, _ = facts(rules_nlp, text)
    for name in ("档案法", "森林资源保护法", "城市更新法草案", "社会救助法修订草案", "宪法",
                 "乡村振兴促进法"):
        assert ("POLICY", name) in entities


def test_common_words_ending_in_fa_are_no_laws(rules_nlp: Language) -> None:
    text = "要坚持依法办事、公正司法，带头尊法学法，推动中法合作，总结好的做法和管理方法，采用新的育苗法。"
    entities, _ = facts(rules_nlp, text)
    assert not {e for e in entities if e[0] == "POLICY"}


# -- appointments ------------------------------------------------------------------------------------------

def test_an_appointment_gives_the_post_and_a_removal_none(rules_nlp: Language) -> None:
    text = ("会议经表决，决定免去甄某某的水利部部长职务，任命贾某某为水利部部长，"
            "任命郝某为最高人民法院副院长、审判委员会委员。")
    entities, rels = facts(rules_nlp, text)
    assert ("PERSON", "甄某某") in entities
    assert ("holdsPost", "贾某某", "水利部") in rels
    assert ("holdsPost", "郝某", "最高人民法院") in rels
    assert not {r for r in rels if r[1] == "甄某某"}


# -- foreign places ----------------------------------------------------------------------------------------

def test_a_transliterated_place_that_lac_reads_as_a_place_is_one() -> None:
    assert LacNames.place("乌克兰")  # jieba takes it for a person's name (nr); LAC reads a place
    assert LacNames.place("约翰内斯堡")
    assert not LacNames.place("大礼堂")  # a kind of building jieba mis-tags


def test_the_country_before_a_foreign_head_is_a_place(rules_nlp: Language) -> None:
    entities, _ = facts(rules_nlp, "国家主席会见马拉维总统查克维拉，双方签署合作文件。")
    assert ("PLACE", "马拉维") in entities
    assert ("PERSON", "查克维拉") in entities
    assert ("PERSON", "马拉维") not in entities


def test_a_mission_is_named_by_its_country_and_host(rules_nlp: Language) -> None:
    text = "中国驻秘鲁大使馆举行招待会，俄常驻联合国代表团方面表示支持，中国驻当地使馆人员出席。"
    entities, _ = facts(rules_nlp, text)
    assert ("ORG", "中国驻秘鲁大使馆") in entities
    assert ("ORG", "俄常驻联合国代表团") in entities
    assert not {e for e in entities if e[0] == "ORG" and "当地" in e[1]}


def test_party_committees_of_no_one_are_no_body(rules_nlp: Language) -> None:
    text = "各地要为党委政府当好参谋，组建党委社会工作部，河南省委社会工作部负责推进。"
    entities, _ = facts(rules_nlp, text)
    assert not {e for e in entities if e[0] == "ORG" and e[1].startswith("党委")}
    assert ("ORG", "河南省委社会工作部") in entities
