"""The institutions view and the corpus-scale parts of the page data: links between bodies aggregated per
pair, communities, document years, and which entities the default view leaves out (those without
relations)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
from seeds_graph import seeds_dataset
from viz_fixtures import page_data, years_dataset

from kg.view.institutions import institution_graph
from kg.view.model import entity_graph
from kg.view.page import community_colour, write_view


def _by_name(graph: nx.MultiDiGraph) -> dict[str, str]:
    return {d["zh"]: n for n, d in graph.nodes(data=True)}


def test_links_between_bodies_are_aggregated_per_pair_with_counts_and_evidence() -> None:
    full = entity_graph(years_dataset())
    ids = _by_name(full)
    bodies = institution_graph(full)
    assert set(bodies.nodes) == {ids[n] for n in ("国家发展改革委", "财政部", "教育部", "科技部")}
    ndrc_mof = bodies.edges[ids["国家发展改革委"], ids["财政部"]]
    # 会同 (cooperatesWith) and both issue 《价格管理办法》: two links, one edge
    assert ndrc_mof["kinds"] == {"cooperatesWith": 1, "coIssued": 1} and ndrc_mof["count"] == 2
    assert ndrc_mof["via"] == [ids["《价格管理办法》"]]
    assert [s[3] for s, _ in ndrc_mof["evidence"]] == ["国家发展改革委会同财政部印发《价格管理办法》。"]
    moe_most = bodies.edges[ids["教育部"], ids["科技部"]]
    assert moe_most["kinds"] == {"cooperatesWith": 1, "coRun": 1} and moe_most["via"] == [ids["强基计划"]]
    assert bodies.number_of_edges() == 2  # nothing joins the two pairs


def test_communities_are_found_and_stable() -> None:
    full = entity_graph(years_dataset())
    ids = _by_name(full)
    first = institution_graph(full)
    community = dict(first.nodes(data="community"))
    assert community[ids["国家发展改革委"]] == community[ids["财政部"]]
    assert community[ids["教育部"]] == community[ids["科技部"]]
    assert community[ids["教育部"]] != community[ids["财政部"]]
    assert dict(institution_graph(entity_graph(years_dataset())).nodes(data="community")) == community
    assert community_colour(0) != community_colour(1)


def test_a_body_without_links_has_no_community() -> None:
    full = entity_graph(seeds_dataset())
    bodies = institution_graph(full)
    lonely = [n for n in bodies if bodies.degree(n) == 0]
    assert lonely and all(bodies.nodes[n]["community"] == -1 for n in lonely)
    assert all(bodies.nodes[n]["community"] >= 0 for n in bodies if bodies.degree(n))


def test_page_data_marks_entities_without_relations_and_gives_document_years(tmp_path: Path) -> None:
    path = tmp_path / "years.html"
    write_view(years_dataset(), path)
    data = page_data(path.read_text(encoding="utf-8"))
    by_name = {n["zh"]: n for n in data["nodes"]}
    assert by_name["北京"]["ent"]["iso"] is True  # nothing links the place
    assert all(not by_name[n]["ent"]["iso"] for n in ("教育部", "强基计划", "《价格管理办法》"))
    assert sorted(d["year"] for d in data["docs"]) == [2019, 2024]
    inst = data["inst"]
    assert (inst["bodies"], inst["linked"], len(inst["edges"])) == (4, 4, 2)
    assert {k["key"]: k["count"] for k in inst["kinds"]} == {
        "cooperatesWith": 2, "subOrganizationOf": 0, "coIssued": 1, "coRun": 1}
    assert [c["size"] for c in inst["communities"]] == [2, 2]


def test_classes_or_focus_keep_the_bodies_of_the_selection(tmp_path: Path) -> None:
    path = tmp_path / "person.html"
    write_view(seeds_dataset(), path, classes=["PERSON"])
    assert page_data(path.read_text(encoding="utf-8"))["inst"]["bodies"] == 0
    path = tmp_path / "org.html"
    write_view(seeds_dataset(), path, classes=["ORG"])
    data = page_data(path.read_text(encoding="utf-8"))
    orgs = sum(1 for n in data["nodes"] if n["cls"] == "ORG" and "ent" in n)
    assert data["inst"]["bodies"] == orgs > 0
