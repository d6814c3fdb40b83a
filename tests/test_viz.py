"""The graph view's HTML, without a browser: offline, escaped, deterministic, and the right subgraph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS
from seeds_graph import seeds_dataset
from viz_fixtures import (
    XSS_ALIAS,
    XSS_MECHANISM,
    XSS_ORG,
    XSS_SENTENCE,
    page_data,
    xss_dataset,
)

from kg.cli import main
from kg.core.errors import InputError, KGError
from kg.core.records import ENTITY_LABELS
from kg.rdf.dataset import facts_graphs
from kg.rdf.namespaces import GOV
from kg.rdf.terms import CLASSES as WRITTEN
from kg.view.model import CLASSES, ViewStats, _class_of, entity_graph, read_dataset
from kg.view.page import script_json, write_view

ENTITY_TYPES = {t for spec in CLASSES.values() for t in spec[0]}


@pytest.fixture(scope="module")
def seeds_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ViewStats]:
    path = tmp_path_factory.mktemp("view") / "graph.html"
    stats = write_view(seeds_dataset(), path)
    return path.read_text(encoding="utf-8"), stats


def _independent_counts() -> tuple[int, int]:
    """Entities and entity-to-entity links of the seeds, counted straight from the RDF."""
    graphs = facts_graphs(seeds_dataset())
    entities = {s for g in graphs for s, o in g.subject_objects(RDF.type) if o in ENTITY_TYPES}
    skip = {RDF.type, SKOS.exactMatch, SKOS.broader, SKOS.inScheme, GOV.kind}
    links = {(s, p, o) for g in graphs for s, p, o in g if p not in skip and s in entities and o in entities}
    return len(entities), len(links)


def test_view_opens_offline_no_remote_resource(seeds_html: tuple[str, ViewStats]) -> None:
    html, _ = seeds_html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.IGNORECASE)
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "cloudflare", "bootstrap.min"):
        assert cdn not in html
    assert "vis-network" in html and "new vis.Network(" in html  # the library is inline
    assert '<meta charset="utf-8">' in html


def test_view_counts_match_the_graph(seeds_html: tuple[str, ViewStats]) -> None:
    html, stats = seeds_html
    nodes, edges = _independent_counts()
    assert (stats.nodes_total, stats.edges_total) == (nodes, edges)
    assert (stats.nodes, stats.edges, stats.omitted) == (nodes, edges, 0)
    data = page_data(html)
    assert len(data["nodes"]) == nodes and len(data["edges"]) == edges
    assert data["note"]["text"] == ""


def test_view_has_legend_filters_and_search(seeds_html: tuple[str, ViewStats]) -> None:
    html, _ = seeds_html
    for element in ("kg-legend", "kg-relations", "kg-doc", "kg-province", "kg-search"):
        assert f'id="{element}"' in html
    data = page_data(html)
    legend = {c["key"]: c for c in data["classes"]}
    labels = {"ORG", "PERSON", "POST", "PLACE", "MECHANISM", "PROGRAM", "POLICY", "GROUP", "METRIC", "EVENT"}
    assert labels <= set(legend)
    assert legend["ORG"]["color"].startswith("#") and legend["ORG"]["shape"] == "dot"
    assert {p["name"] for p in data["provinces"]} >= {"河南省", "海南省"}
    assert {d["id"] for d in data["docs"]} == {"000_d6df998b69c9d459", "003_1b487b2ae10ce7b5"}


def test_every_relation_carries_its_evidence_sentence(seeds_html: tuple[str, ViewStats]) -> None:
    data = page_data(seeds_html[0])
    by_name = {n["zh"]: n for n in data["nodes"]}
    person = by_name["郅晓峰"]["id"]
    holds = [e for e in data["edges"] if e["from"] == person and e["rel"] == "holdsPost"]
    assert holds
    sentence = data["sentences"][holds[0]["ev"][0][0]]
    assert "郅晓峰" in sentence[3]
    assert all(e["ev"] for e in data["edges"])  # including postIn/role/memberOf, from the holdsPost sentence


def test_payloads_from_documents_are_escaped(tmp_path: Path) -> None:
    path = tmp_path / "xss.html"
    write_view(xss_dataset(), path)
    html = path.read_text(encoding="utf-8")
    assert "window.__xss" in html  # the text is there ...
    for raw in ("<script>window.__xss", "<img src=x", "<svg onload", "</script><b>", "标题<!--"):
        assert raw not in html  # ... but never as markup
    data = page_data(html)
    names = {n["zh"] for n in data["nodes"]}
    assert names == {XSS_ORG, XSS_MECHANISM}
    assert XSS_ALIAS in {a for n in data["nodes"] for a in n["aliases"]}
    assert XSS_SENTENCE in {s[3] for s in data["sentences"]}


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text


def test_same_dataset_gives_identical_bytes(tmp_path: Path) -> None:
    write_view(seeds_dataset(), tmp_path / "a.html")
    write_view(seeds_dataset(), tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_focus_and_hops_draw_a_neighbourhood(tmp_path: Path) -> None:
    path = tmp_path / "focus.html"
    stats = write_view(seeds_dataset(), path, focus="郅晓峰", hops=1)
    data = page_data(path.read_text(encoding="utf-8"))
    full = entity_graph(seeds_dataset())
    person = next(n for n, d in full.nodes(data=True) if d["zh"] == "郅晓峰")
    expected = {person} | set(full.successors(person)) | set(full.predecessors(person))
    assert {n["id"] for n in data["nodes"]} == expected
    assert stats.nodes == len(expected) and stats.nodes_total == full.number_of_nodes()
    assert "within 1 hops of “郅晓峰”" in data["note"]["text"]
    only = write_view(seeds_dataset(), tmp_path / "zero.html", focus="郅晓峰", hops=0)
    assert (only.nodes, only.edges) == (1, 0)


def test_focus_by_alias_english_name_or_iri(tmp_path: Path) -> None:
    full = entity_graph(seeds_dataset())
    beijing = next(n for n, d in full.nodes(data=True) if d["en"] == "Beijing")
    for name in ("beijing", beijing):
        path = tmp_path / "b.html"
        write_view(seeds_dataset(), path, focus=name, hops=0)
        assert [n["id"] for n in page_data(path.read_text(encoding="utf-8"))["nodes"]] == [beijing]
    with pytest.raises(KGError, match="no entity named"):
        write_view(seeds_dataset(), tmp_path / "x.html", focus="不存在的机构")


def test_classes_keep_only_those_classes(tmp_path: Path) -> None:
    path = tmp_path / "classes.html"
    stats = write_view(seeds_dataset(), path, classes=["org", "PERSON"])
    data = page_data(path.read_text(encoding="utf-8"))
    assert {n["cls"] for n in data["nodes"]} == {"ORG", "PERSON"}
    full = entity_graph(seeds_dataset())
    assert stats.nodes == sum(1 for _, d in full.nodes(data=True) if d["cls"] in ("ORG", "PERSON"))
    with pytest.raises(KGError, match="unknown entity class 'BODY'"):
        write_view(seeds_dataset(), path, classes=["BODY"])


def test_cap_keeps_the_most_connected_and_says_what_it_left_out(tmp_path: Path) -> None:
    path = tmp_path / "cap.html"
    stats = write_view(seeds_dataset(), path, max_nodes=30)
    assert stats.nodes == 30 and stats.omitted == stats.nodes_total - 30
    data = page_data(path.read_text(encoding="utf-8"))
    full = entity_graph(seeds_dataset())
    degree = dict(full.degree())
    kept = {n["id"] for n in data["nodes"] if "ent" in n}  # the others are bodies of the institutions mode
    assert min(degree[n] for n in kept) >= max(degree[n] for n in full if n not in kept)
    note = data["note"]
    assert f"Left out: {stats.omitted:,} entities" in note["text"]
    assert any(c.startswith("kg viz GRAPH --focus ") and "--hops 2" in c for c in note["commands"])
    assert any("--max-nodes" in c for c in note["commands"]) and note["left_out"]


def test_positions_are_sent_and_physics_is_off(seeds_html: tuple[str, ViewStats]) -> None:
    html, stats = seeds_html
    assert '"physics": {"enabled": false}' in html
    data = page_data(html)
    drawn = [n for n in data["nodes"] if "ent" in n]
    assert len(drawn) == stats.nodes
    linked = [n for n in drawn if not n["ent"]["iso"]]
    assert len({(n["ent"]["x"], n["ent"]["y"]) for n in linked}) == len(linked)  # each linked one has a place
    # sizes follow degree: the most connected entity has importance 1, a leaf much less
    top = max(drawn, key=lambda n: n["deg"])
    assert top["ent"]["imp"] == 1.0
    assert all(n["ent"]["imp"] < 0.5 for n in drawn if n["deg"] == 1)


def test_writes_only_the_named_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(tmp_path)
    write_view(xss_dataset(), out / "view.html")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no lib/ from pyvis in the CWD
    assert [p.name for p in out.iterdir()] == ["view.html"]


def test_read_dataset_from_folder_trig_and_nquads(tmp_path: Path) -> None:
    ds = xss_dataset()
    ds.serialize(tmp_path / "graph.trig", format="trig")
    ds.serialize(tmp_path / "g.nq", format="nquads")
    expected = sum(1 for _ in ds.quads((None, None, None, None)))
    for source in (tmp_path, tmp_path / "g.nq"):
        assert sum(1 for _ in read_dataset(source).quads((None, None, None, None))) == expected
    (tmp_path / "bad.trig").write_text("not trig", encoding="utf-8")
    with pytest.raises(InputError, match="bad.trig: cannot parse as trig"):
        read_dataset(tmp_path / "bad.trig")
    with pytest.raises(InputError, match="no graph.trig or graph.nq"):
        read_dataset(_empty(tmp_path))


def _empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_untyped_link_targets_and_labels_do_not_break_the_view(tmp_path: Path) -> None:
    ds = xss_dataset()
    graph = facts_graphs(ds)[0]
    org = next(s for s, o in graph.subject_objects(RDF.type) if str(o).endswith("Organization"))
    graph.add((org, SKOS.prefLabel, Literal("Committee", lang="en")))
    graph.add((org, GOV.runs, URIRef("https://example.org/kg/id/unknown-0")))  # no type: not drawn
    stats = write_view(ds, tmp_path / "v.html")
    assert (stats.nodes, stats.edges) == (2, 1)


# ------------------------------------------------------------------------------------------------ CLI


def test_cli_writes_a_view(tmp_path: Path) -> None:
    seeds_dataset().serialize(tmp_path / "graph.nq", format="nquads")
    result = CliRunner().invoke(main, ["viz", str(tmp_path), "--focus", "郅晓峰", "--hops", "1",
                                       "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 0, result.output
    assert "entities" in result.output and (tmp_path / "v.html").is_file()
    result = CliRunner().invoke(main, ["viz", str(tmp_path / "graph.nq"), "--classes", "ORG,PERSON",
                                       "--classes", "PLACE", "--max-nodes", "5",
                                       "-o", str(tmp_path / "c.html")])
    assert result.exit_code == 0, result.output
    assert {n["cls"] for n in page_data((tmp_path / "c.html").read_text(encoding="utf-8"))["nodes"]} <= {
        "ORG", "PERSON", "PLACE"}


def test_cli_reports_bad_input_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["viz", str(tmp_path), "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 1 and "no graph.trig or graph.nq" in result.output
    assert "Traceback" not in result.output
    seeds_dataset().serialize(tmp_path / "graph.nq", format="nquads")
    result = CliRunner().invoke(main, ["viz", str(tmp_path), "--classes", "nope",
                                       "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 1 and "unknown entity class 'nope'" in result.output
    result = CliRunner().invoke(main, ["viz", str(tmp_path), "-o", str(tmp_path / "missing" / "v.html")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_the_view_classes_each_written_entity_as_its_label() -> None:
    # One class table (kg.rdf.terms.ENTITY_CLASSES): what the writer types an entity as, the view reads back.
    assert set(WRITTEN) == set(ENTITY_LABELS)
    for label, types in WRITTEN.items():
        assert _class_of(str(t) for t in types) == label
    assert _class_of(["http://www.w3.org/ns/org#Post", "http://www.w3.org/ns/org#Role"]) == "POSITION"
    assert _class_of(["http://www.w3.org/ns/org#FormalOrganization"]) == "ORG"
    assert _class_of(["https://example.org/unknown#Thing"]) is None
