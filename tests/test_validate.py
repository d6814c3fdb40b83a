"""kg.validate: the gold-built dataset conforms to the shipped shapes; broken graphs are reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib import namespace as ns
from rdflib.namespace import RDF, SKOS

from kg.errors import ConfigError
from kg.evaluate import load_extractions
from kg.graph import build_dataset, merged_graph
from kg.iri import entity_iri
from kg.namespaces import SDO
from kg.read import read_file
from kg.validate import ValidationReport, validate
from kg.vocab import GOV

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    gold = load_extractions(SEEDS / "gold.jsonl")
    return build_dataset([(read_file(SEEDS / f"{d}.txt"), gold[d]) for d in sorted(gold)])


def test_gold_dataset_conforms(dataset: Dataset) -> None:
    size = sum(len(g) for g in dataset.graphs())
    report = validate(dataset)
    assert isinstance(report, ValidationReport)
    assert report.conforms, report.text
    assert report.violations == 0
    assert report.text.startswith("Conforms")
    assert sum(len(g) for g in dataset.graphs()) == size  # the dataset itself is not touched


def test_merged_graph_conforms(dataset: Dataset) -> None:
    assert validate(merged_graph(dataset)).conforms


def test_broken_graph_is_reported(dataset: Dataset) -> None:
    broken = Graph()
    for triple in merged_graph(dataset):
        broken.add(triple)
    org = entity_iri("ORG", "河南省委社会工作部")
    person = entity_iri("PERSON", "郅晓峰")
    broken.add((org, GOV.runs, person))  # runs a person
    broken.add((org, SKOS.prefLabel, Literal("河南省社工部", lang="zh")))  # a second Chinese label
    [obs] = broken.subjects(GOV.rawText, Literal("3.6万名"))
    broken.remove((obs, SDO.value, None))
    broken.add((obs, SDO.value, Literal(36000.0)))  # a float-built value: xsd:double, not xsd:decimal

    report = validate(broken)
    assert not report.conforms
    assert report.violations >= 3
    assert "Violation" in report.text and "河南省委社会工作部" in report.text
    assert str(report) == report.text


def test_untyped_label_and_missing_post_counts(tmp_path: Path) -> None:
    person = entity_iri("PERSON", "某人")
    g = Graph()
    g.add((person, RDF.type, ns.FOAF.Person))
    report = validate(g)
    assert not report.conforms  # no prefLabel@zh: a violation
    assert report.violations == 1 and report.warnings == 1  # and no post held: a warning


def test_custom_shapes(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix dct: <http://purl.org/dc/terms/> .
<urn:s> a sh:NodeShape ; sh:targetClass foaf:Person ;
    sh:property [ sh:path dct:title ; sh:minCount 1 ] .
""",
        encoding="utf-8",
    )
    g = Graph()
    g.add((entity_iri("PERSON", "某人"), RDF.type, ns.FOAF.Person))
    report = validate(g, shapes=shapes)
    assert report.violations == 1 and report.warnings == 0


def test_missing_shapes_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nowhere.ttl"):
        validate(Graph(), shapes=tmp_path / "nowhere.ttl")


def test_selector_offsets_must_be_increasing(dataset: Dataset) -> None:
    from kg.namespaces import OA

    union = Graph()
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    selector = next(union.subjects(RDF.type, OA.TextPositionSelector))
    start = union.value(selector, OA.start)
    assert validate(union).conforms
    union.set((selector, OA.end, start))  # empty span: end == start
    report = validate(union)
    assert not report.conforms and report.violations == 1
    assert "oa:start must be less than oa:end" in report.text


def test_parts_combine_into_one_report(dataset: Dataset) -> None:
    from kg.validate import combine

    good = validate(dataset)
    broken = Graph()
    broken.add((entity_iri("ORG", "甲"), RDF.type, ns.ORG.Organization))  # no prefLabel
    bad = validate(broken)
    both = combine([good, bad])
    assert both.violations == good.violations + bad.violations and not both.conforms
    assert both.triples == good.triples + bad.triples
    lines = both.text.splitlines()[1:]
    assert bad.shown and all(line.startswith("  Violation") for line in bad.shown)
    assert lines[:len(bad.shown)] == list(bad.shown)  # violations first, whichever part they came from
    assert lines[len(bad.shown):] == [line for line in good.shown][:len(lines) - len(bad.shown)]
