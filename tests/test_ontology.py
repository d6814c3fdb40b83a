"""The ontology, its SHACL shapes and the Python mirror of its terms agree with each other."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, SH, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from kg.rdf.vocab import GOV

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
GOVERNANCE_TTL = ONTOLOGY_DIR / "governance.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"

GOV_NS = "https://w3id.org/kg-gov/ontology#"
KGSH = "https://w3id.org/kg-gov/shapes#"
ONTOLOGY_IRI = URIRef("https://w3id.org/kg-gov/ontology")

PREFIXES = """
@prefix gov:    <https://w3id.org/kg-gov/ontology#> .
@prefix id:     <https://example.org/kg/id/> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix foaf:   <http://xmlns.com/foaf/0.1/> .
@prefix oa:     <http://www.w3.org/ns/oa#> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix rdf:    <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix schema: <http://schema.org/> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
"""

# A small build output in the shape of docs/decisions/0001-graph-model.md, one of each kind of node.
CONFORMING = (
    PREFIXES
    + """
id:org-1 a org:Organization ; skos:prefLabel "河南省委社会工作部"@zh , "Henan Social Work Department"@en ;
    gov:runs id:mechanism-1 , id:programme-1 ; gov:issues id:policy-1 ; gov:cooperatesWith id:org-2 ;
    gov:organizes id:event-1 ; schema:location id:place-1 .
id:org-2 a org:Organization ; skos:prefLabel "省妇联"@zh ; skos:altLabel "妇联"@zh .
id:person-1 a foaf:Person ; skos:prefLabel "郅晓峰"@zh ; org:holds id:post-1 ; org:memberOf id:org-1 .
id:post-1 a org:Post ; org:postIn id:org-1 ; org:role id:role-1 ; skos:prefLabel "河南省委社会工作部部长"@zh .
id:role-1 a org:Role ; skos:prefLabel "部长"@zh .
id:place-1 a dct:Location , schema:Place ; skos:prefLabel "河南省"@zh ; dct:identifier "410000" .
id:mechanism-1 a gov:Mechanism ; skos:prefLabel "信访工作联席会议机制"@zh ; gov:kind gov:kind-joint-meeting ;
    gov:targets id:group-1 .
id:programme-1 a gov:Programme ; skos:prefLabel "三年行动计划"@zh ; gov:kind gov:kind-plan ;
    dct:isPartOf id:mechanism-1 .
id:policy-1 a gov:PolicyDocument ; skos:prefLabel "基层治理能力提升三年行动方案"@zh ;
    gov:kind gov:kind-plan-document ; gov:targets id:org-2 .
id:group-1 a gov:TargetGroup ; skos:prefLabel "社会工作专业人才"@zh ; skos:inScheme gov:TargetGroupScheme .
id:event-1 a schema:Event ; skos:prefLabel "中央社会工作会议"@zh .
id:observation-1 a schema:Observation ; schema:observationAbout id:group-1 ;
    schema:value "36000"^^xsd:decimal ; schema:unitText "名" ; schema:measuredProperty gov:count ;
    gov:rawText "3.6万名" ; skos:prefLabel "3.6万名"@zh .
id:doc-1 a foaf:Document , schema:Article ; dct:identifier "000_d6df998b69c9d459" ;
    gov:characters "1200"^^xsd:nonNegativeInteger .
id:stmt-1 a rdf:Statement ; rdf:subject id:org-1 ; rdf:predicate gov:runs ; rdf:object id:mechanism-1 ;
    prov:wasDerivedFrom id:doc-1 ; gov:confidence "0.9"^^xsd:decimal ; gov:relationLabel "runs" ;
    oa:hasTarget <https://example.org/kg/id/stmt-1#target> .
<https://example.org/kg/id/stmt-1#target> a oa:SpecificResource ; oa:hasSource id:doc-1 ;
    oa:hasSelector <https://example.org/kg/id/stmt-1#pos> , <https://example.org/kg/id/stmt-1#quote> .
<https://example.org/kg/id/stmt-1#pos> a oa:TextPositionSelector ;
    oa:start "17"^^xsd:nonNegativeInteger ; oa:end "42"^^xsd:nonNegativeInteger .
<https://example.org/kg/id/stmt-1#quote> a oa:TextQuoteSelector ;
    oa:exact "河南省委社会工作部建立信访工作联席会议机制" .
"""
)

# Three mistakes: a float-built value, a person without a label (nor a post), a runs triple to a person.
NON_CONFORMING = (
    PREFIXES
    + """
id:org-1 a org:Organization ; skos:prefLabel "河南省委社会工作部"@zh ; gov:runs id:person-1 .
id:person-1 a foaf:Person .
id:observation-1 a schema:Observation ; schema:value "3.6e4"^^xsd:double ; schema:unitText "名" ;
    schema:measuredProperty gov:count ; gov:rawText "3.6万名" ; skos:prefLabel "3.6万名"@zh .
"""
)


def _id(local: str) -> URIRef:
    return URIRef("https://example.org/kg/id/" + local)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(GOVERNANCE_TTL, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def _validate(data_ttl: str, shapes: Graph) -> tuple[bool, Graph]:
    data = Graph().parse(data=data_ttl, format="turtle")
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=None, inference="none", meta_shacl=True
    )
    assert isinstance(report, Graph)
    return bool(conforms), report


def _results(report: Graph) -> set[tuple[Node | None, Node | None, Node | None, Node | None]]:
    """(focus node, path, severity, source shape) of every validation result."""
    return {
        (
            report.value(result, SH.focusNode),
            report.value(result, SH.resultPath),
            report.value(result, SH.resultSeverity),
            report.value(result, SH.sourceShape),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    }


def _declared_gov_terms(ontology: Graph) -> set[str]:
    return {
        str(s)[len(GOV_NS) :]
        for s in ontology.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(GOV_NS)
    }


def _mirrored_gov_terms() -> set[str]:
    annotations = set(GOV.__annotations__) - {"_NS", "_fail", "_extras"}
    return annotations | set(GOV._extras)


# --- the ontology file ---------------------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (
        URIRef("http://purl.org/dc/terms/title"),
        URIRef("http://purl.org/dc/terms/description"),
    ):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None


def test_every_declared_term_is_in_the_python_mirror(ontology: Graph) -> None:
    missing = _declared_gov_terms(ontology) - _mirrored_gov_terms()
    assert not missing, f"declared in governance.ttl but not in kg.rdf.vocab.GOV: {sorted(missing)}"
    for term in _declared_gov_terms(ontology):
        assert GOV[term] == URIRef(GOV_NS + term)


def test_every_python_term_is_declared_in_the_ontology(ontology: Graph) -> None:
    extra = _mirrored_gov_terms() - _declared_gov_terms(ontology)
    assert not extra, f"in kg.rdf.vocab.GOV but not declared in governance.ttl: {sorted(extra)}"


def test_no_undeclared_gov_terms_are_used(ontology: Graph) -> None:
    used = {
        str(node)[len(GOV_NS) :]
        for triple in ontology
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(GOV_NS)
    }
    assert used <= _declared_gov_terms(ontology)


def test_misspelled_term_raises() -> None:
    assert GOV.runs == URIRef(GOV_NS + "runs")
    assert GOV.count == URIRef(GOV_NS + "count")  # a term, not str.count
    assert GOV["kind-pilot"] == URIRef(GOV_NS + "kind-pilot")
    with pytest.raises(AttributeError):
        GOV.Mechansim  # noqa: B018
    with pytest.raises(AttributeError):
        GOV["kind-pilott"]


def test_classes_and_properties_have_en_and_zh_labels(ontology: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
    terms = {s for kind in kinds for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    assert len(terms) == 16  # 4 classes, 6 object properties, 4 datatype properties, 2 measured properties
    for term in terms:
        for predicate in (RDFS.label, SKOS.prefLabel):
            languages = sorted(
                str(o.language) for o in ontology.objects(term, predicate) if isinstance(o, Literal)
            )
            assert languages == ["en", "zh"], f"{term} {predicate}: {languages}"
        assert any(
            isinstance(o, Literal) and o.language == "en"
            for predicate in (RDFS.comment, SKOS.definition)
            for o in ontology.objects(term, predicate)
        ), f"{term} has no English comment or definition"


def test_external_classes_are_only_referenced(ontology: Graph) -> None:
    external = {s for s in ontology.subjects() if isinstance(s, URIRef) and not str(s).startswith(GOV_NS)}
    assert external == {ONTOLOGY_IRI}


def test_concept_schemes(ontology: Graph) -> None:
    sizes = {
        "MechanismKindScheme": 8,
        "ProgrammeKindScheme": 6,
        "DocumentKindScheme": 8,
        "TargetGroupScheme": 1,
    }
    for name, size in sizes.items():
        scheme = URIRef(GOV_NS + name)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
        concepts = set(ontology.subjects(SKOS.inScheme, scheme))
        assert len(concepts) == size
        assert set(ontology.objects(scheme, SKOS.hasTopConcept)) == concepts
        notations = [str(ontology.value(c, SKOS.notation)) for c in concepts]
        assert len(set(notations)) == size
        for concept in concepts:
            assert str(concept).isascii()
            assert (concept, RDF.type, SKOS.Concept) in ontology
            labels = sorted(
                str(o.language) for o in ontology.objects(concept, SKOS.prefLabel) if isinstance(o, Literal)
            )
            assert labels == ["en", "zh"], concept


# --- the shapes file -----------------------------------------------------------------------------------


@pytest.mark.slow  # pySHACL with meta-SHACL, the reference engine: slow
def test_conforming_graph_conforms(shapes: Graph) -> None:
    conforms, report = _validate(CONFORMING, shapes)
    assert conforms, report.serialize(format="turtle")


@pytest.mark.slow  # pySHACL with meta-SHACL, the reference engine: slow
def test_non_conforming_graph_reports_each_mistake(shapes: Graph) -> None:
    conforms, report = _validate(NON_CONFORMING, shapes)
    assert not conforms
    schema_value = URIRef("http://schema.org/value")
    holds = URIRef("http://www.w3.org/ns/org#holds")
    results = _results(report)
    assert {(focus, path, severity) for focus, path, severity, _shape in results} == {
        (_id("observation-1"), schema_value, SH.Violation),  # "3.6e4"^^xsd:double is not an xsd:decimal
        (_id("person-1"), SKOS.prefLabel, SH.Violation),  # no prefLabel@zh
        (_id("person-1"), holds, SH.Warning),  # holds no post
        (_id("org-1"), GOV.runs, SH.Violation),  # runs a person
    }
    assert len(results) == 4
    assert (_id("person-1"), SKOS.prefLabel, SH.Violation, URIRef(KGSH + "EntityZhLabelShape")) in results


@pytest.mark.slow  # pySHACL with meta-SHACL, the reference engine: slow
def test_selector_start_must_precede_end(shapes: Graph) -> None:
    backwards = CONFORMING.replace('oa:start "17"', 'oa:start "42"').replace('oa:end "42"', 'oa:end "17"')
    conforms, report = _validate(backwards, shapes)
    assert not conforms
    assert {(focus, severity) for focus, _path, severity, _shape in _results(report)} == {
        (URIRef("https://example.org/kg/id/stmt-1#pos"), SH.Violation)
    }


@pytest.mark.slow  # pySHACL with meta-SHACL, the reference engine: slow
def test_second_zh_label_is_a_violation(shapes: Graph) -> None:
    twice = CONFORMING.replace('"省妇联"@zh ;', '"省妇联"@zh , "河南省妇联"@zh ;')
    conforms, report = _validate(twice, shapes)
    assert not conforms
    assert {focus for focus, _path, _severity, _shape in _results(report)} == {_id("org-2")}
