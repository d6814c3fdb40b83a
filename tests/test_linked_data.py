"""Linked data that resolves (issue 15, item 2): the dataset's licence, creator, issued date and version, the
ontology beside the data and in its own named graph, rdfs:label beside skos:prefLabel."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS, VOID

from kg.build.run import build
from kg.cli import main
from kg.rdf.dataset import DatasetInfo, build_dataset
from kg.rdf.namespaces import GOV, ONTOLOGY_IRI, SHAPES_IRI
from kg.rdf.terms import dataset_iri, meta_graph_iri
from kg.sparql.store import open_store

pytestmark = pytest.mark.slow  # a build of the seeds

ROOT = Path(__file__).resolve().parent.parent
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ld") / "out"
    build([str(ROOT / "seeds")], out, profile="fast", jobs=1,
          info=DatasetInfo(license=CC_BY, creator="https://example.net/me"))
    return out


def test_the_ontology_iri_does_not_follow_the_base() -> None:
    assert str(GOV) == ONTOLOGY_IRI + "#"
    assert ONTOLOGY_IRI.startswith("https://w3id.org/")


def _pairs() -> list:
    from seeds_graph import gold

    from kg.read.documents import read_file

    return [(read_file(ROOT / "seeds" / f"{doc_id}.txt"), x) for doc_id, x in sorted(gold().items())]


def test_gov_terms_are_the_same_under_any_base() -> None:
    dataset = build_dataset(_pairs(), base="https://data.example.com/gov")
    kinds = {o for _s, p, o, _g in dataset.quads((None, GOV.kind, None, None))}
    assert kinds and all(str(k).startswith(ONTOLOGY_IRI + "#kind-") for k in kinds)


def test_description_states_licence_creator_issued_version() -> None:
    info = DatasetInfo(license=CC_BY, creator="Research group X", issued="2026-01-31", version="v3")
    dataset = build_dataset(_pairs(), info=info)
    meta = dataset.graph(meta_graph_iri())
    node = dataset_iri()
    assert (node, DCTERMS.license, URIRef(CC_BY)) in meta
    assert (node, DCTERMS.creator, Literal("Research group X")) in meta
    assert str(meta.value(node, DCTERMS.issued)) == "2026-01-31"
    assert str(meta.value(node, OWL.versionInfo)) == "v3"
    assert (node, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)) in meta
    assert meta.value(node, VOID.sparqlEndpoint) is None  # stated only by a server


def test_issued_defaults_to_the_newest_document_date() -> None:
    dataset = build_dataset(_pairs())
    meta = dataset.graph(meta_graph_iri())
    # the seeds: 000 was issued 2025-02-20, 003 has no date
    assert str(meta.value(dataset_iri(), DCTERMS.issued)) == "2025-02-20"
    assert meta.value(dataset_iri(), DCTERMS.license) is None  # no licence unless one is given


def test_every_entity_has_rdfs_label_equal_to_its_preflabel() -> None:
    dataset = build_dataset(_pairs())
    pref = {(s, o) for s, _p, o, _g in dataset.quads((None, SKOS.prefLabel, None, None))}
    label = {(s, o) for s, _p, o, _g in dataset.quads((None, RDFS.label, None, None))}
    assert pref and pref == label


def test_build_writes_the_ontology_and_loads_it_into_its_own_graphs(seeds_build: Path) -> None:
    for name in ("governance.ttl", "shapes.ttl"):
        assert (seeds_build / "ontology" / name).read_bytes() == (ROOT / "ontology" / name).read_bytes()
    store = open_store(seeds_build)
    rows = list(store.query(f"SELECT ?g ?l WHERE {{ GRAPH ?g {{ <{GOV}Mechanism> <{RDFS.label}> ?l }} }}"))
    got = {(r["g"].value, r["l"].value) for r in rows}
    assert got == {(ONTOLOGY_IRI, "mechanism"), (ONTOLOGY_IRI, "机制")}
    shapes = store.query(f"ASK {{ GRAPH <{SHAPES_IRI}> {{ ?s a <http://www.w3.org/ns/shacl#NodeShape> }} }}")
    assert bool(shapes)
    meta = store.query(
        f"SELECT ?l ?c WHERE {{ GRAPH ?g {{ ?d <{DCTERMS.license}> ?l ; <{DCTERMS.creator}> ?c }} }}")
    assert [(r["l"], r["c"]) for r in meta] == [(ox.NamedNode(CC_BY), ox.NamedNode("https://example.net/me"))]


def test_cli_refuses_a_licence_that_is_no_iri(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(ROOT / "seeds"), "--out", str(tmp_path / "o"),
                                       "--license", "CC BY 4.0", "--no-model", "-q"])
    assert result.exit_code == 2 and "--license" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["build", str(ROOT / "seeds"), "--out", str(tmp_path / "o"),
                                       "--issued", "31/01/2026", "--no-model", "-q"])
    assert result.exit_code == 2 and "--issued" in result.output


def test_license_file_matches_pyproject() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert 'license = { text = "MIT" }' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_saved_evidence_question_gives_each_facts_sentence() -> None:
    import tempfile

    from seeds_graph import write_seeds_build

    from kg.rdf.iri import entity_iri
    from kg.sparql.query import load_saved, run_query
    from kg.sparql.store import open_store as open_rdf

    text = (ROOT / "seeds" / "000_d6df998b69c9d459.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        store = open_rdf(write_seeds_build(Path(folder) / "out"))
        query = load_saved("evidence").text
        rows = run_query(store, query, {"name": "河南省委社会工作部"}).records()
        # gold (seeds/gold.jsonl): 河南省委社会工作部 runs 七项协调机制, evidence span 391-402 of document 000
        runs = [r for r in rows if r["objectName"] == "七项协调机制"]
        assert [(r["predicate"], r["document"], r["sentence"], r["start"], r["end"]) for r in runs] == [
            (str(GOV.runs), "000_d6df998b69c9d459", text[391:402], "391", "402")]
        assert all("河南省委社会工作部" in (r["subjectName"], r["objectName"]) for r in rows)
        by_iri = run_query(store, query, {"name": f"<{entity_iri('ORG', '河南省委社会工作部')}>"}).records()
        assert [{k: v for k, v in r.items() if k != "name"} for r in by_iri] == [
            {k: v for k, v in r.items() if k != "name"} for r in rows]
        assert run_query(store, query, {"name": "没有这个名字"}).records() == []
        everything = run_query(store, query).records()
        assert len(everything) > len(rows) and all(r["sentence"] for r in everything)
