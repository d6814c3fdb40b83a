"""kg.rdf.validate: the gold-built dataset conforms to the shipped shapes; broken graphs are reported.

One broken graph per constraint of the shapes checks that the engine (the ``shacl`` package) reports what
pySHACL, the reference the shapes were written against, reports: same results, same messages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SKOS, XSD

from kg.core.errors import ConfigError
from kg.core.resources import ontology_path
from kg.rdf.dataset import merged_graph
from kg.rdf.iri import entity_iri
from kg.rdf.namespaces import OA, SDO
from kg.rdf.quads import Quads
from kg.rdf.validate import ValidationReport, validate
from kg.rdf.vocab import GOV

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_gold_dataset_conforms(seeds_dataset: Dataset) -> None:
    size = sum(len(g) for g in seeds_dataset.graphs())
    report = validate(seeds_dataset)
    assert isinstance(report, ValidationReport)
    assert report.conforms, report.text
    assert report.violations == 0
    assert report.text.startswith("Conforms")
    assert sum(len(g) for g in seeds_dataset.graphs()) == size  # the seeds_dataset itself is not touched


def test_merged_graph_conforms(seeds_dataset: Dataset) -> None:
    assert validate(merged_graph(seeds_dataset)).conforms


def test_broken_graph_is_reported(seeds_dataset: Dataset) -> None:
    broken = Graph()
    for triple in merged_graph(seeds_dataset):
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


def test_selector_offsets_must_be_increasing(seeds_dataset: Dataset) -> None:
    from kg.rdf.namespaces import OA

    union = Graph()
    for graph in seeds_dataset.graphs():
        for triple in graph:
            union.add(triple)
    selector = next(union.subjects(RDF.type, OA.TextPositionSelector))
    start = union.value(selector, OA.start)
    assert validate(union).conforms
    union.set((selector, OA.end, start))  # empty span: end == start
    report = validate(union)
    assert not report.conforms and report.violations == 1
    assert "oa:start must be less than oa:end" in report.text


def test_parts_combine_into_one_report(seeds_dataset: Dataset) -> None:
    from kg.rdf.validate import combine

    good = validate(seeds_dataset)
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


# ------------------------------------------------------------------ inputs other than rdflib


def test_nquads_bytes_and_pyoxigraph_give_the_same_report(seeds_dataset: Dataset) -> None:
    expected = validate(seeds_dataset)
    data = seeds_dataset.serialize(format="nquads", encoding="utf-8")
    assert validate(data) == expected
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert validate(ox.Dataset(quads)) == expected
    assert validate(quads) == expected
    assert validate(Quads.of(seeds_dataset)) == expected
    assert validate(Quads.of(seeds_dataset), nquads=data) == expected
    assert validate(b"").text == "Conforms: 0 violation(s), 0 warning(s) in 0 triples"


def test_the_builds_quads_give_the_same_report(union: Graph) -> None:
    broken = Dataset()
    broken.graph(URIRef("urn:g:broken")).__iadd__(_all_broken(union))
    data = broken.serialize(format="nquads", encoding="utf-8")
    expected = validate(data)
    assert expected.violations > 0
    quads = Quads.of(broken)
    assert validate(quads) == expected
    assert validate(quads, nquads=quads.nquads()) == expected


def test_triples_are_counted_once_across_graphs() -> None:
    person = entity_iri("PERSON", "某人")
    lines = [f"<{person}> <{RDF.type}> <{ns.FOAF.Person}> <urn:g:{g}> .\n" for g in "ab"]
    lines.append(f'<{person}> <{SKOS.prefLabel}> "某人"@zh <urn:g:b> .\n')
    report = validate("".join(lines).encode())
    # The label in one graph counts for the person typed in both (the union), and no shape sees two types.
    assert report.triples == 2 and report.violations == 0 and report.warnings == 1
    assert "(某人) org:holds: A person holds no post" in report.text
    quads = Quads()
    for g in "ab":
        quads.graph(f"urn:g:{g}").add((f"<{person}>", f"<{RDF.type}>", f"<{ns.FOAF.Person}>"))
    quads.graph("urn:g:b").add((f"<{person}>", f"<{SKOS.prefLabel}>", quads.literal("某人", "zh")))
    assert validate(quads) == report


def test_bad_nquads_are_an_error() -> None:
    with pytest.raises(SyntaxError):
        validate(b"<urn:a> <urn:b> broken .\n")


# ------------------------------------------------------------------ one broken graph per constraint

Mutation = Callable[[Graph], object]


def _first(g: Graph, cls: URIRef) -> URIRef:
    return min(s for s in g.subjects(RDF.type, cls) if isinstance(s, URIRef))


def _replace(g: Graph, s: URIRef, p: URIRef, o: object) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))  # type: ignore[arg-type]


def _org(g: Graph) -> URIRef:
    return _first(g, ORG.Organization)


def _sel(g: Graph) -> URIRef:
    return _first(g, OA.TextPositionSelector)


def _second_sel(g: Graph) -> URIRef:
    return sorted(s for s in g.subjects(RDF.type, OA.TextPositionSelector) if isinstance(s, URIRef))[1]


def _last_sel(g: Graph) -> URIRef:
    return max(s for s in g.subjects(RDF.type, OA.TextPositionSelector) if isinstance(s, URIRef))


def _offset(g: Graph, predicate: URIRef, selector: Callable[[Graph], URIRef] = _sel) -> int:
    return int(g.value(selector(g), predicate).toPython())  # type: ignore[union-attr]


#: name -> (mutation, violations added, warnings added, a message the report shows)
BROKEN: dict[str, tuple[Mutation, int, int, str]] = {
    "no prefLabel": (lambda g: g.remove((_org(g), SKOS.prefLabel, None)), 1, 0, "one skos:prefLabel in"),
    "label in French": (lambda g: g.add((_org(g), SKOS.prefLabel, Literal("org", lang="fr"))), 1, 0,
                        "must be tagged @zh or @en"),
    "two English labels": (lambda g: [g.add((_org(g), SKOS.prefLabel, Literal(t, lang="en"))) for t in "ab"],
                           1, 0, "at most one label per language"),
    "post without label": (lambda g: g.remove((_first(g, ORG.Post), SKOS.prefLabel, None)), 0, 1,
                           "should have one skos:prefLabel@zh"),
    "post in a person": (lambda g: _replace(g, _first(g, ORG.Post), ORG.postIn, _first(g, FOAF.Person)), 1, 0,
                         "exactly one org:postIn"),
    "holds from an org": (lambda g: g.add((_org(g), ORG.holds, _org(g))), 2, 0, "must be a foaf:Person"),
    "float-built value": (lambda g: _replace(g, _first(g, SDO.Observation), SDO.value, Literal(1.5)), 1, 0,
                          "xsd:decimal built from str or Decimal"),
    "unit with a language": (lambda g: _replace(g, _first(g, SDO.Observation), SDO.unitText,
                                                Literal("名", lang="zh")), 1, 0, "a plain string"),
    "measured property": (lambda g: _replace(g, _first(g, SDO.Observation), SDO.measuredProperty, GOV.runs),
                          1, 0, "gov:count or gov:share"),
    "about a literal": (lambda g: g.add((_first(g, SDO.Observation), SDO.observationAbout, Literal("x"))),
                        1, 0, "must name an entity by IRI"),
    "statement without subject": (lambda g: g.remove((_first(g, RDF.Statement), RDF.subject, None)), 1, 0,
                                  "exactly one rdf:subject"),
    "statement without source": (lambda g: g.remove((_first(g, RDF.Statement), PROV.wasDerivedFrom, None)),
                                 1, 0, "prov:wasDerivedFrom"),
    "statement without target": (lambda g: g.remove((_first(g, RDF.Statement), OA.hasTarget, None)), 0, 1,
                                 "should point at its sentence"),
    "confidence above 1": (lambda g: _replace(g, _first(g, RDF.Statement), GOV.confidence,
                                              Literal(Decimal(2))), 1, 0, "between 0 and 1"),
    "relation label with a language": (lambda g: _replace(g, _first(g, RDF.Statement), GOV.relationLabel,
                                                          Literal("x", lang="en")), 1, 0, "plain string"),
    "resource without selector": (lambda g: g.remove((_first(g, OA.SpecificResource), OA.hasSelector, None)),
                                  1, 0, "at least one oa:hasSelector"),
    "end before start": (lambda g: _replace(g, _sel(g), OA.start,
                                            Literal(_offset(g, OA.end) + 1, datatype=XSD.nonNegativeInteger)),
                         1, 0, "oa:start must be less than oa:end"),
    # Each offset case on its own selector. An ill-typed start ("-1"^^xsd:nonNegativeInteger) against an
    # xsd:integer end is the one case where pySHACL reports sh:lessThan and the engine does not.
    "offset as xsd:integer": (lambda g: _replace(g, _last_sel(g), OA.end,
                                                   Literal(_offset(g, OA.end, _last_sel))), 1, 0,
                              "exactly one oa:end, an xsd:nonNegativeInteger"),
    "negative offset": (lambda g: _replace(g, _second_sel(g), OA.start,
                                           Literal("-1", datatype=XSD.nonNegativeInteger)), 1, 0,
                        "exactly one oa:start"),
    "quote with a language": (lambda g: _replace(g, _first(g, OA.TextQuoteSelector), OA.exact,
                                                 Literal("x", lang="zh")), 1, 0, "exactly one oa:exact"),
    "document identifier": (lambda g: _replace(g, _first(g, FOAF.Document), DCTERMS.identifier, Literal(7)),
                            1, 0, "one plain string (the doc_id)"),
    "runs a target group": (lambda g: g.add((_org(g), GOV.runs, _first(g, GOV.TargetGroup))), 1, 0,
                            "must be a gov:Mechanism or a gov:Programme"),
    "targets from an org": (lambda g: g.add((_org(g), GOV.targets, _first(g, GOV.TargetGroup))), 1, 0,
                            "The subject of gov:targets"),
    "issues a mechanism": (lambda g: g.add((_org(g), GOV.issues, _first(g, GOV.Mechanism))), 1, 0,
                           "must be a gov:PolicyDocument"),
    "cooperates with a person": (lambda g: g.add((_org(g), GOV.cooperatesWith, _first(g, FOAF.Person))), 1, 0,
                                 "The object of gov:cooperatesWith"),
    "organizes a mechanism": (lambda g: g.add((_org(g), GOV.organizes, _first(g, GOV.Mechanism))), 1, 0,
                              "must be a schema:Event"),
    "kind outside the schemes": (lambda g: _replace(g, min(g.subjects(GOV.kind, None)), GOV.kind,  # type: ignore
                                                    URIRef("https://example.org/other#kind-x")), 1, 0,
                                 "gov:kind is at most one concept"),
}


@pytest.fixture(scope="module")
def union(seeds_dataset: Dataset) -> Graph:
    graph = Graph()
    for named in seeds_dataset.graphs():
        for triple in named:
            graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def base(union: Graph) -> ValidationReport:
    return validate(union)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_constraint_is_reported(union: Graph, base: ValidationReport, name: str) -> None:
    mutate, violations, warnings, message = BROKEN[name]
    broken = Graph()
    broken += union
    mutate(broken)
    report = validate(broken)
    assert (report.violations, report.warnings) == (base.violations + violations, base.warnings + warnings)
    assert message in report.text
    assert report.conforms == (report.violations == 0)


def _all_broken(union: Graph) -> Graph:
    broken = Graph()
    broken += union
    for mutate, *_rest in BROKEN.values():
        mutate(broken)
    return broken


def _results_by_engine(graph: Graph) -> Counter[tuple[str, str, str, str]]:
    from kg.rdf.validate import _shapes

    text = graph.serialize(format="nt")
    report = _shapes(ontology_path("shapes.ttl")).validate_text(text, format="ntriples", allow_warnings=True)
    return Counter((r.severity, r.focus_node.strip("<>"), (r.path or "").strip("<>"), r.message or "")
                   for r in report.results)


def _results_by_pyshacl(graph: Graph) -> Counter[tuple[str, str, str, str]]:
    pyshacl = pytest.importorskip("pyshacl")
    shapes = Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=None, inference="none",
                                                allow_warnings=True)
    found: Counter[tuple[str, str, str, str]] = Counter()
    for result in report.subjects(RDF.type, ns.SH.ValidationResult):
        path = report.value(result, ns.SH.resultPath)
        found[(str(report.value(result, ns.SH.resultSeverity)).rsplit("#", 1)[-1],
               str(report.value(result, ns.SH.focusNode)), str(path) if path is not None else "",
               str(report.value(result, ns.SH.resultMessage) or ""))] += 1
    return found


@pytest.mark.slow  # pySHACL, the reference engine
@pytest.mark.parametrize("which", ["valid", "broken"])
def test_same_results_as_pyshacl(union: Graph, which: str) -> None:
    """The reference check: pySHACL (a test dependency) and the engine agree, result for result."""
    graph = union if which == "valid" else _all_broken(union)
    expected = _results_by_pyshacl(graph)
    assert _results_by_engine(graph) == expected
    if which == "broken":
        messages = " ".join(key[3] for key in expected)
        assert all(message in messages for _m, _v, _w, message in BROKEN.values())  # every constraint is hit
