"""Bodies' names, their boundaries and the bodies inside them (kg.nlp.orgs), on sentences written for the
test."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.core.records import Document
from kg.nlp.extract import extract
from kg.nlp.orgs import impossible_opening, verb_opening


def orgs(nlp: Language, text: str, **meta: str) -> set[str]:
    return {e.name for e in extract(Document("t", text, **meta), nlp).entities if e.label == "ORG"}


# -- a body's name never opens with a verb or a preposition ---------------------------------------------


@pytest.mark.parametrize("text", [
    "审核通过后，市商务局函请市财政局按程序拨付。",
    "各区要根据市财政局下达的额度安排配套资金。",
])
def test_a_short_form_after_a_verb_is_read_without_it(nlp: Language, text: str) -> None:
    names = orgs(nlp, text, place="烟台市")
    assert "烟台市财政局" in names, names
    assert not any(n.startswith(("函请", "根据")) for n in names), names


def test_an_unknown_place_before_a_level_word_is_still_read() -> None:
    assert not verb_opening("崂山", "区")  # a place jieba does not tag as a verb
    assert not verb_opening("直辖", "市")  # 直辖市: the level character ends a word of its own
    assert verb_opening("函请", "市") and verb_opening("根据", "市") and verb_opening("组织", "区")


@pytest.mark.parametrize("name, bad", [
    ("函请市财政局", True), ("根据市财政局", True), ("组织区县政府", True), ("按照省教育厅", True),
    ("联合国", False), ("组织部", False), ("市财政局", False), ("指导中心", False),
])
def test_verb_initial_names_are_impossible(name: str, bad: bool) -> None:
    assert (impossible_opening(name) is not None) is bad


# -- standing groups and their offices (decision 11: a standing 领导小组 is ORG) ---------------------------


def test_a_named_group_its_short_mentions_and_its_office(nlp: Language) -> None:
    x = extract(Document("t", "成立乡村旅游发展工作领导小组，负责统筹协调。领导小组下设办公室，"
                              "承担领导小组的日常工作。"), nlp)
    names = {e.name: e for e in x.entities if e.label == "ORG"}
    assert {"乡村旅游发展工作领导小组", "乡村旅游发展工作领导小组办公室"} <= names.keys(), names.keys()
    assert len(names["乡村旅游发展工作领导小组"].mentions) == 3  # the full name and two bare mentions
    assert not any(n.startswith("承担") for n in names)
    by_id = {e.id: e.name for e in x.entities}
    assert ("subOrganizationOf", "乡村旅游发展工作领导小组办公室", "乡村旅游发展工作领导小组") in {
        (r.label, by_id[r.head], by_id[r.tail]) for r in x.relations}


def test_a_group_named_with_its_body_and_a_field_joined_by_he(nlp: Language) -> None:
    names = orgs(nlp, "本办法由农业农村部网络安全和信息化领导小组办公室负责解释。")
    assert "农业农村部网络安全和信息化领导小组办公室" in names, names


@pytest.mark.parametrize("text", [
    "各级卫生健康部门网络安全和信息化领导小组办公室负责本地区工作。",  # each place's group
    "充分发挥国家乡村振兴领导小组农村改革专项委员会等工作机制作用。",  # the parent inside a longer name
    "领导小组组长由市长担任。",  # a post, no group named before
])
def test_no_group_where_the_text_names_a_kind_or_a_longer_name(nlp: Language, text: str) -> None:
    assert not any(n.endswith(("领导小组", "领导小组办公室")) for n in orgs(nlp, text)), orgs(nlp, text)


# -- a department in brackets after its body (我部（X司）) -------------------------------------------------


def test_a_department_in_brackets_after_the_issuers_voice_is_the_issuers() -> None:
    x = extract(Document("t", "交通运输部将总结推广试点经验。试点进展请及时报我部（运输服务司）。",
                         issuer="交通运输部"))
    by_id = {e.id: e.name for e in x.entities}
    assert "交通运输部运输服务司" in by_id.values(), by_id
    assert ("subOrganizationOf", "交通运输部运输服务司", "交通运输部") in {
        (r.label, by_id[r.head], by_id[r.tail]) for r in x.relations}


def test_a_body_in_brackets_is_no_department(nlp: Language) -> None:
    names = orgs(nlp, "国家发展改革委（国家能源局）负责组织评估。")
    assert "国家能源局" in names and not any(n.endswith("部国家能源局") or "委国家能源局" in n for n in names)


# -- bodies named after an event, a theatre or a country --------------------------------------------------


@pytest.mark.parametrize("text, body", [
    ("国务院领导视察北部战区海军机关。", "北部战区海军"),
    ("比赛结束后，中国代表团举行总结会。", "中国代表团"),
    ("第五届中国国际茶叶博览会组委会发布公告。", "第五届中国国际茶叶博览会组委会"),
])
def test_a_body_named_after_an_event_a_theatre_or_a_country(nlp: Language, text: str, body: str) -> None:
    assert body in orgs(nlp, text), orgs(nlp, text)


def test_the_delegations_of_every_place_are_no_body(nlp: Language) -> None:
    assert not any(n.endswith("代表团") for n in orgs(nlp, "草案提请各代表团审议。"))


@pytest.mark.parametrize("text, bad", [
    ("各中级人民法院要推进辖区法院信息系统建设。", "辖区法院"),
    ("当年他们设法组织工会，开展罢工。", "组织工会"),
])
def test_a_common_noun_or_a_verb_opens_no_body(nlp: Language, text: str, bad: str) -> None:
    assert not any(bad in n for n in orgs(nlp, text)), orgs(nlp, text)


def test_a_district_whose_name_ends_like_a_common_noun_is_still_read(nlp: Language) -> None:
    assert any(n.startswith("崂山区") for n in orgs(nlp, "崂山区政府负责组织实施。"))
