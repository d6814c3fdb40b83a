"""kg query: the store, bindings, the timeout, formats, the CLI, and every saved question on the seeds' graph.

Expected answers come from ``seeds/gold.jsonl`` (written by hand from the two seed texts), not from the graph.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from seeds_graph import SEEDS, gold, write_seeds_build

from kg.cli import main
from kg.core.errors import InputError, QueryError
from kg.core.normalize import normalize_name
from kg.core.records import Extraction
from kg.read.documents import read_file
from kg.sparql.answers import run_saved
from kg.sparql.query import (
    QueryResult,
    QuerySyntaxError,
    QueryTimeout,
    format_result,
    list_saved,
    load_saved,
    run_query,
    to_term,
)
from kg.sparql.store import STAMP, StoreLoader, create_store, ensure_store, open_store, store_path

HENAN, HAINAN = "000_d6df998b69c9d459", "003_1b487b2ae10ce7b5"
SLOW = "SELECT * WHERE { GRAPH ?g { ?a ?b ?c } GRAPH ?h { ?d ?e ?f } GRAPH ?i { ?x ?y ?z } }"


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_seeds_build(tmp_path_factory.mktemp("seeds") / "out")


@pytest.fixture(scope="module")
def store(build: Path) -> Iterator[ox.Store]:
    yield open_store(build)


@pytest.fixture(scope="module")
def golds() -> dict[str, Extraction]:
    return gold()


def n(name: str | None) -> str | None:
    return normalize_name(name) if name else None


def saved(store: ox.Store, query: str, **bindings: str) -> list[dict[str, str | None]]:
    return run_query(store, load_saved(query).text, bindings, source=query).records()


def names(x: Extraction, *labels: str) -> dict[str, str]:
    return {e.id: e.name for e in x.entities if not labels or e.label in labels}


def relations(x: Extraction, label: str) -> list[tuple[str, str, str | None]]:
    """(head name, tail name, post) of each ``label`` relation."""
    ents = names(x)
    return [(ents[r.head], ents[r.tail], r.post) for r in x.relations if r.label == label]


def located(x: Extraction) -> dict[str, str]:
    return {n(h) or "": t for h, t, _ in relations(x, "locatedIn")}


def assert_evidence(rows: list[dict[str, str | None]], *, allow_missing: int = 0) -> None:
    """Each row names its source document, and its sentence is a sentence of that document's text."""
    texts = {doc_id: read_file(SEEDS / f"{doc_id}.txt").text for doc_id in (HENAN, HAINAN)}
    missing = 0
    for row in rows:
        if row["document"] is None:
            missing += 1
            continue
        assert row["document"] in texts
        assert row["sentence"] and row["sentence"] in texts[row["document"]]
    assert missing <= allow_missing


# ------------------------------------------------------------------ saved questions on the seeds' graph


def test_every_saved_query_is_documented() -> None:
    queries = {q.name: q for q in list_saved()}
    assert {"runs-by-province", "officials", "shared-across-provinces", "figures", "policy-documents",
            "shortest-chain", "target-groups", "entity", "dataset"} <= set(queries)
    for q in queries.values():
        assert q.title and q.description, q.name
        assert q.text.lstrip().startswith("#")


def test_runs_by_province(store: ox.Store, golds: dict[str, Extraction]) -> None:
    rows = saved(store, "runs-by-province")
    expected = set()
    for x in golds.values():
        kinds = names(x, "MECHANISM", "PROGRAM")
        where = located(x)
        for head, tail, _ in relations(x, "runs"):
            if tail in kinds.values():
                expected.add((n(where.get(n(head) or "")), n(head), n(tail)))
    got = {(n(r["province"]), n(r["bodyName"]), n(r["itemName"])) for r in rows}
    assert got == expected
    assert {p for p, _, _ in got} == {"河南省", "海南省"}
    assert_evidence(rows)


def test_officials_with_dates(store: ox.Store, golds: dict[str, Extraction]) -> None:
    rows = saved(store, "officials")
    expected = set()
    for doc_id, x in golds.items():
        date = read_file(SEEDS / f"{doc_id}.txt").date
        for person, body, post in relations(x, "holdsPost"):
            expected.add((person, post, n(body), date, doc_id))
    got = {(r["personName"], r["roleName"], n(r["bodyName"]), r["date"], r["document"]) for r in rows}
    assert got == expected
    assert ("郅晓峰", "部长", "河南省委社会工作部", "2025-02-20", HENAN) in got
    assert_evidence(rows)


def test_shared_across_provinces(store: ox.Store, golds: dict[str, Extraction]) -> None:
    rows = saved(store, "shared-across-provinces")
    per_doc = [
        {(e.label, n(e.name)) for e in x.entities if e.label in ("MECHANISM", "PROGRAM", "POLICY", "GROUP")}
        for x in golds.values()
    ]
    expected = per_doc[0] & per_doc[1]
    assert expected, "the seeds share target groups"
    kinds = {"gov:Mechanism": "MECHANISM", "gov:Programme": "PROGRAM", "gov:PolicyDocument": "POLICY",
             "gov:TargetGroup": "GROUP"}
    ns = "https://w3id.org/kg-gov/ontology#"
    got = {(kinds["gov:" + (r["type"] or "")[len(ns):]], n(r["name"])) for r in rows}
    assert got == expected
    for key in expected:
        provinces = {r["province"] for r in rows if n(r["name"]) == key[1]}
        assert provinces == {"河南省", "海南省"}
    assert_evidence(rows)
    # bound to one kind: the seeds name no mechanism alike in both provinces
    only = run_query(store, load_saved("shared-across-provinces").text, {"type": "gov:Mechanism"})
    assert len(only) == 0


def test_figures(store: ox.Store, golds: dict[str, Extraction]) -> None:
    rows = saved(store, "figures")
    expected = set()
    for doc_id, x in golds.items():
        ents = {e.id: e for e in x.entities}
        about: dict[str, set[str]] = {}
        for r in x.relations:
            if r.label == "quantifies":
                metric, other = (r.head, r.tail) if ents[r.head].label == "METRIC" else (r.tail, r.head)
                about.setdefault(metric, set()).add(n(ents[other].name) or "")
        for e in x.entities:
            if e.label == "METRIC":
                for target in sorted(about.get(e.id, {""})):
                    expected.add((doc_id, Decimal(str(e.value)), e.unit, target or None))
    got = {(r["document"], Decimal(r["value"] or "NaN"), r["unit"], n(r["aboutName"])) for r in rows}
    assert got == expected
    scopes = {r["document"]: r["scope"] for r in rows}
    assert scopes == {HENAN: "河南省", HAINAN: "海南省"}
    shares = {r["raw"] for r in rows if (r["property"] or "").endswith("#share")}
    assert "60%" in shares
    assert_evidence(rows)


def test_policy_documents(store: ox.Store, golds: dict[str, Extraction]) -> None:
    rows = saved(store, "policy-documents")
    expected: set[tuple[str | None, str | None]] = set()
    for x in golds.values():
        issued = {(n(t), n(h)) for h, t, _ in relations(x, "issues")}
        for policy in names(x, "POLICY").values():
            by = {i for p, i in issued if p == n(policy)}
            expected |= {(n(policy), i) for i in by} if by else {(n(policy), None)}
    got = {(n(r["policyName"]), n(r["issuerName"])) for r in rows}
    assert got == expected
    assert (n("《海南省商务楼宇党建工作实施办法(试行)》"), "海南省委组织部") in got
    assert_evidence(rows)


def test_target_groups(store: ox.Store, golds: dict[str, Extraction]) -> None:
    rows = saved(store, "target-groups")
    expected = set()
    for x in golds.values():
        items = set(names(x, "MECHANISM", "PROGRAM", "POLICY").values())
        expected |= {(n(h), n(t)) for h, t, _ in relations(x, "targets") if h in items}
    got = {(n(r["itemName"]), n(r["groupName"])) for r in rows}
    assert got == expected
    assert_evidence(rows)
    programmes = run_query(store, load_saved("target-groups").text, {"type": "gov:Programme"}).records()
    assert {r["type"] for r in programmes} == {"https://w3id.org/kg-gov/ontology#Programme"}


PREDICATES = {
    "runs": "runs", "issues": "issues", "targets": "targets", "cooperatesWith": "cooperatesWith",
    "organizes": "organizes", "subOrganizationOf": "subOrganizationOf", "holdsPost": "memberOf",
    "partOf": "isPartOf", "locatedIn": "location",
}


@pytest.mark.slow
def test_shortest_chain(store: ox.Store, golds: dict[str, Extraction]) -> None:
    gold_edges = {
        (n(h), PREDICATES[r_label], n(t))
        for x in golds.values()
        for r_label in PREDICATES
        for h, t, _ in relations(x, r_label)
    }
    rows = saved(store, "shortest-chain", **{"from": "河南省委社会工作部", "to": "中共海南省委社会工作部"})
    assert rows and {r["length"] for r in rows} == {"4"}
    for r in rows:
        relation = (r["relation"] or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        assert (n(r["subjectName"]), relation, n(r["objectName"])) in gold_edges
    for path in {r["path"] for r in rows}:
        steps = sorted(int(r["step"] or 0) for r in rows if r["path"] == path)
        assert sorted(set(steps)) == [1, 2, 3, 4]
    assert_evidence(rows)
    # an alias finds the body; two steps, through the department both cooperate with or their province
    rows = saved(store, "shortest-chain", **{"from": "省总工会", "to": "海南省委组织部"})
    assert {r["length"] for r in rows} == {"2"}
    assert any("中共海南省委社会工作部" in (r["path"] or "") for r in rows)
    # a person and the Party committee above the body she or he serves in
    rows = saved(store, "shortest-chain", **{"from": "郅晓峰", "to": "河南省委"})
    assert {r["length"] for r in rows} == {"2"}
    assert_evidence(rows)
    # 北京 is mentioned but linked to nothing
    assert saved(store, "shortest-chain", **{"from": "北京", "to": "河南省委"}) == []


CHAIN_PAIRS = [
    ("河南省委社会工作部", "中共海南省委社会工作部"),  # 4 steps
    ("省总工会", "海南省委组织部"),  # an alias, 2 steps
    ("郅晓峰", "河南省委"),  # memberOf, its evidence through the post held
    ("河南省委", "郅晓峰"),  # the other way
    ("北京", "河南省委"),  # no chain
    ("郅晓峰", "海南省总工会"),  # no chain: different provinces, more than 4 steps or none
    ("Henan", "郅晓峰"),  # an English name
    ("海南省@zh", "省总工会"),  # a language tag, 1 step
    ("Hainan", "Henan"),  # English names, no chain
    ("河南省委", "河南省委"),  # one body: never a chain to itself
    ("no such body", "河南省委"),
]


def rows_of(result: QueryResult) -> list[tuple[str, ...]]:
    return sorted(tuple("" if t is None else str(t) for t in row) for row in result.rows)


@pytest.mark.slow  # the .rq joins every link at each hop
@pytest.mark.parametrize(("start", "end"), CHAIN_PAIRS)
def test_shortest_chain_search_equals_sparql(store: ox.Store, start: str, end: str) -> None:
    """run_saved answers shortest-chain by a search in Python (kg/sparql/chains.py): the rows of the .rq."""
    bindings = {"from": start, "to": end}
    searched = run_saved(store, "shortest-chain", bindings)
    sparql = run_query(store, load_saved("shortest-chain").text, bindings, source="shortest-chain")
    assert searched.variables == sparql.variables
    assert rows_of(searched) == rows_of(sparql)


@pytest.mark.slow
def test_shortest_chain_search_by_iri_and_errors(store: ox.Store) -> None:
    text = load_saved("shortest-chain").text
    person = saved(store, "entity", name="郅晓峰")[0]["entity"]
    body = saved(store, "entity", name="中共海南省委社会工作部")[0]["entity"]
    for bindings in ({"from": f"<{person}>", "to": "河南省委"},
                     {"from": "河南省委社会工作部", "to": f"<{body}>"},
                     {"$from": "郅晓峰", "?to": "河南省委"},
                     {"from": "郅晓峰"}):
        searched = run_saved(store, "shortest-chain", bindings)
        assert rows_of(searched) == rows_of(run_query(store, text, bindings)), bindings
    assert {r["length"] for r in run_saved(store, "shortest-chain", {"from": f"<{person}>",
                                                                     "to": "河南省委"}).records()} == {"2"}
    # a bad value, a variable the file does not select, and the timeout: as run_query reports them
    with pytest.raises(QueryError, match="--bind from"):
        run_saved(store, "shortest-chain", {"from": '"x"^^nope:int', "to": "河南省委"})
    with pytest.raises(QueryError, match="does not select"):
        run_saved(store, "shortest-chain", {"from": "郅晓峰", "to": "河南省委", "nope": "1"})
    with pytest.raises(QueryTimeout, match="shortest-chain: stopped after"):
        run_saved(store, "shortest-chain", {"from": "郅晓峰", "to": "河南省委"}, timeout=1e-9)
    # the explaining half is a helper's file, not a saved question
    assert all(not q.name.startswith("_") for q in list_saved())
    with pytest.raises(QueryError, match="no saved query"):
        load_saved("_shortest-chain-steps")


def test_entity_by_any_name(store: ox.Store) -> None:
    by_alias = saved(store, "entity", name="省总工会")
    facts = {(r["direction"], (r["predicate"] or "").rsplit("/", 1)[-1].rsplit("#", 1)[-1], r["valueName"])
             for r in by_alias}
    assert ("out", "cooperatesWith", "中共海南省委社会工作部") in facts
    assert ("out", "location", "海南省") in facts
    assert_evidence([r for r in by_alias if r["document"]])
    # the same with a language tag, by IRI, and by English name
    assert {r["entity"] for r in saved(store, "entity", name="省总工会@zh")} == {by_alias[0]["entity"]}
    iri = by_alias[0]["entity"] or ""
    assert {r["entity"] for r in saved(store, "entity", name=f"<{iri}>")} == {iri}
    henan = saved(store, "entity", name="Henan")
    assert ("in", "河南省委社会工作部") in {(r["direction"], r["valueName"]) for r in henan}
    assert saved(store, "entity", name="no such body") == []


def test_institution_links(store: ox.Store, golds: dict[str, Extraction]) -> None:
    rows = run_saved(store, "institution-links").records()
    expected = set()
    for x in golds.values():
        for label in ("subOrganizationOf", "cooperatesWith"):
            expected |= {(label, frozenset({n(h), n(t)})) for h, t, _ in relations(x, label)}
        issued = relations(x, "issues")
        expected |= {("co-issues", frozenset({n(a), n(b)})) for a, p, _ in issued for b, q, _ in issued
                     if p == q and a != b}
    got = {((r["relation"] or "").rsplit("#", 1)[-1], frozenset({n(r["aName"]), n(r["bName"])}))
           for r in rows}
    assert got == expected
    assert_evidence(rows)
    network = run_saved(store, "institution-links").to_networkx("aName", "bName", edge="relation")
    assert network.number_of_edges() == len(rows)
    assert {d["label"] for _, _, d in network.edges(data=True)} == {"subOrganizationOf", "cooperatesWith",
                                                                    "co-issues"}


def test_province_summary(store: ox.Store, golds: dict[str, Extraction]) -> None:
    kinds = {"ORG": "bodies", "PERSON": "people", "MECHANISM": "mechanisms", "PROGRAM": "programmes",
             "POLICY": "policy documents", "GROUP": "target groups"}
    province = {HENAN: "河南省", HAINAN: "海南省"}
    expected = {}
    for doc_id, x in golds.items():
        for label, kind in kinds.items():
            expected[(kind, province[doc_id])] = len({n(e.name) for e in x.entities if e.label == label})
        expected[("figures", province[doc_id])] = sum(e.label == "METRIC" for e in x.entities)
    rows = run_saved(store, "province-summary").records()
    assert {(r["kind"], r["province"]): int(r["count"] or 0) for r in rows} == expected


def test_dataset_description(store: ox.Store) -> None:
    rows = saved(store, "dataset")
    props = {(r["property"] or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]: r["value"] for r in rows}
    assert {"triples", "entities", "vocabulary", "distribution", "title"} <= set(props)
    dists = {r["value"] for r in rows if (r["property"] or "").endswith("distribution")}
    assert any((d or "").startswith("graph.trig") for d in dists)


# ------------------------------------------------------------------ bindings, errors, timeout, formats


def test_to_term_rule() -> None:
    assert to_term("河南省") == ox.Literal("河南省")
    assert to_term("河南省@zh") == ox.Literal("河南省", language="zh")
    assert to_term('"Henan"@en') == ox.Literal("Henan", language="en")
    assert to_term("<https://example.org/kg/id/x>") == ox.NamedNode("https://example.org/kg/id/x")
    assert to_term("http://schema.org/Place") == ox.NamedNode("http://schema.org/Place")
    assert to_term("gov:Mechanism") == ox.NamedNode("https://w3id.org/kg-gov/ontology#Mechanism")
    assert to_term('"7"^^xsd:integer') == ox.Literal("7", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))
    assert to_term("a@example.org") == ox.Literal("a@example.org")
    assert to_term("12:30") == ox.Literal("12:30")


def test_bindings_are_terms_not_text(store: ox.Store) -> None:
    # a value that would break (or widen) the query if it were pasted in
    nasty = '河南省" || true || "'
    assert saved(store, "entity", name=nasty) == []
    assert saved(store, "entity", name="} ?s ?p ?o {") == []


def test_syntax_error_gives_line_and_column(store: ox.Store) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        run_query(store, "SELECT *\nWHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }", source="bad.rq")
    err = info.value
    assert err.line == 4 and 12 <= err.column <= 18  # where the parser gave up, in the FILTER line
    lines = str(err).splitlines()
    assert lines[0].startswith(f"bad.rq:4:{err.column}: SPARQL syntax error: expected")
    assert len(lines) == 2 and lines[1].startswith("  near:   FILTER(?o = ")  # the line, ‸ at the column
    shown = "  FILTER(?o = ) }"
    assert lines[1] == "  near: " + shown[: err.column - 1] + "‸" + shown[err.column - 1:]


def test_binding_a_variable_the_query_does_not_select(store: ox.Store) -> None:
    with pytest.raises(QueryError, match=r"--bind nope"):
        run_query(store, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", {"nope": "x"})


def test_timeout_stops_the_query(store: ox.Store) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="0.3 s"):
        run_query(store, SLOW, timeout=0.3)
    assert time.perf_counter() - started < 2
    # the abandoned worker stops at its next row
    deadline = time.monotonic() + 5
    while any(t.name == "kg-query" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.name == "kg-query" for t in threading.enumerate())


def test_formats(store: ox.Store) -> None:
    result = run_query(store, load_saved("officials").text)
    table = format_result(result, "table")
    assert table.splitlines()[0].split()[:2] == ["person", "personName"] and "郅晓峰" in table
    csv_text = format_result(result, "csv")
    assert csv_text.startswith("person,personName,") and "\r\n" in csv_text
    tsv = format_result(result, "tsv")
    assert tsv.startswith("?person\t?personName") and '"郅晓峰"@zh' in tsv
    doc = json.loads(format_result(result, "json"))
    assert doc["head"]["vars"][:2] == ["person", "personName"]
    first = doc["results"]["bindings"][0]
    assert first["person"]["type"] == "uri" and first["personName"]["xml:lang"] == "zh"
    ask = run_query(store, "ASK { GRAPH ?g { ?s a gov:Mechanism } }")
    assert format_result(ask, "json") == '{"head": {}, "boolean": true}\n'
    graph = run_query(store, "CONSTRUCT { ?s a gov:Mechanism } WHERE { GRAPH ?g { ?s a gov:Mechanism } }")
    assert "gov:Mechanism" in format_result(graph, "table")
    assert len(json.loads(format_result(graph, "json"))) == len(graph)


def test_default_graph_is_the_union(store: ox.Store) -> None:
    result = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s a gov:Mechanism }")
    assert int(result.records()[0]["n"] or 0) > 20


# ------------------------------------------------------------------ the store


@pytest.mark.slow
def test_store_is_kept_and_refreshed(tmp_path: Path, build: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.nq").write_bytes((build / "graph.nq").read_bytes())
    first = ensure_store(out)
    assert first == store_path(out) and (first / STAMP).is_file()
    stamp = (first / STAMP).stat().st_mtime_ns
    assert ensure_store(out) == first and (first / STAMP).stat().st_mtime_ns == stamp  # not rebuilt
    # the graph changes: the store is rebuilt and answers with the new graph
    quad = ('<https://example.org/kg/id/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "新"@zh '
            '<https://example.org/kg/graph/t> .\n')
    with open(out / "graph.nq", "a", encoding="utf-8") as handle:
        handle.write(quad)
    store = open_store(out)
    assert run_query(store, 'ASK { GRAPH ?g { ?x skos:prefLabel "新"@zh } }').boolean is True
    # a store folder opens as it is, read-only, and twice at once
    again = open_store(store_path(out))
    assert len(again) == len(store)
    with pytest.raises((OSError, RuntimeError)):
        again.add(ox.Quad(ox.NamedNode("http://a/b"), ox.NamedNode("http://a/c"), ox.Literal("d")))


def test_store_of_an_rdf_file(tmp_path: Path) -> None:
    ttl = tmp_path / "small.ttl"
    ttl.write_text('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                   '<https://example.org/kg/id/o> skos:prefLabel "省总工会"@zh .\n', encoding="utf-8")
    store = open_store(ttl, cache=tmp_path / "cache")
    assert [r["entity"] for r in saved(store, "entity", name="省总工会")][:1] == ["https://example.org/kg/id/o"]
    assert any((tmp_path / "cache").iterdir())


def test_store_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        open_store(tmp_path / "missing")
    with pytest.raises(InputError, match="not a build folder"):
        open_store(tmp_path)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.ttl"):
        create_store(bad, tmp_path / "s")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unknown extension"):
        open_store(tmp_path / "notes.txt")


# ------------------------------------------------------------------ CLI


def test_cli_saved_query_csv(build: Path) -> None:
    result = CliRunner().invoke(main, ["query", str(build), "--saved", "officials", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "郅晓峰" in result.stdout and "rows in" not in result.stdout


def test_cli_bind(build: Path) -> None:
    args = ["query", str(build), "--saved", "shortest-chain", "--bind", "from", "郅晓峰",
            "--bind", "to", "河南省委", "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert {b["length"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]} == {"2"}


def test_cli_query_file_and_text(build: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?s WHERE { GRAPH ?g { ?s a foaf:Person } }", encoding="utf-8")
    assert "person-" in CliRunner().invoke(main, ["query", str(build), "-f", str(rq)]).stdout
    ask = CliRunner().invoke(main, ["query", str(build), "ASK { ?s a org:Organization }"])
    assert ask.stdout == "true\n"


def test_cli_syntax_error_is_a_message(build: Path) -> None:
    result = CliRunner().invoke(main, ["query", str(build), "SELECT * WHERE { ?s ?p }"])
    assert result.exit_code == 1
    assert "query:1:25: SPARQL syntax error" in result.output and "?p }‸" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--saved", "nope"], "no saved query called 'nope'"),
        ([], "give exactly one of QUERY"),
        (["--saved", "officials", "SELECT * {}"], "give exactly one of QUERY"),
        (["--saved", "officials", "--bind", "x", "1"], "--bind x"),
        (["--saved", "officials", "--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_cli_errors(build: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["query", str(build), *args])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output


def test_cli_missing_target() -> None:
    result = CliRunner().invoke(main, ["query", "no/such/folder", "--saved", "officials"])
    assert result.exit_code == 1 and "no/such/folder: no such file or folder" in result.output


def test_cli_list() -> None:
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0 and "shortest-chain --bind from … --bind to …" in result.output


@pytest.mark.slow
def test_cli_timeout_exits_promptly(build: Path) -> None:
    """A real process: the query is stopped, a message printed, and the process exits at once."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "query", str(build), SLOW, "--timeout", "0.5"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "stopped after 0.5 s" in proc.stderr and "Traceback" not in proc.stderr
    assert time.perf_counter() - started < 15


def _shards(build: Path, folder: Path) -> list[Path]:
    """The build's graph.nq cut in three files, as kg build writes its shards."""
    lines = (build / "graph.nq").read_bytes().splitlines(keepends=True)
    folder.mkdir()
    third = len(lines) // 3 + 1
    shards = [folder / f"part-{i:05d}.nq" for i in range(3)]
    for i, shard in enumerate(shards):
        shard.write_bytes(b"".join(lines[i * third : (i + 1) * third]))
    return shards


@pytest.mark.slow
def test_store_loaded_in_the_background_equals_one_loaded_at_once(tmp_path: Path, build: Path) -> None:
    shards = _shards(build, tmp_path / "shards")
    loader = StoreLoader(tmp_path / "bg")  # what kg build does: a shard at a time, in a thread
    for shard in shards:
        loader.add(shard)
    background = ox.Store.read_only(str(loader.finish()))
    at_once = ox.Store.read_only(str(create_store(shards, tmp_path / "fg")))
    assert len(background) == len(at_once) > 0
    assert set(background) == set(at_once)
    assert ensure_store(tmp_path / "bg") == tmp_path / "bg"  # stamped like any store
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bg", "fg", "shards"]  # no temporary folder left


@pytest.mark.slow
def test_a_shard_failing_in_the_background_is_raised_and_nothing_is_left(tmp_path: Path, build: Path) -> None:
    good = _shards(build, tmp_path / "shards")[0]
    bad = tmp_path / "shards" / "bad.nq"
    bad.write_text("<a> <b> broken .\n", encoding="utf-8")
    loader = StoreLoader(tmp_path / "store")
    loader.add(good)
    loader.add(bad)
    with pytest.raises(InputError, match="bad.nq"):
        loader.finish()
    assert [p.name for p in tmp_path.iterdir()] == ["shards"]  # no store, no half-written folder
    aborted = StoreLoader(tmp_path / "store2")
    aborted.add(good)
    aborted.abort()
    assert [p.name for p in tmp_path.iterdir()] == ["shards"]
