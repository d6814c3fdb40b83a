"""kg.rdf.dataset: the RDF model of docs/decisions/0001-graph-model.md, built from the gold seeds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SKOS, VOID
from rdflib.term import Node
from seeds_graph import Pairs

from kg.core.errors import KGError
from kg.core.lexicon import load_lexicon
from kg.core.records import Document, Entity, Extraction, Relation
from kg.rdf.dataset import build_dataset, document_dataset, facts_graphs, merged_graph
from kg.rdf.iri import canonical_key, entity_iri, mint
from kg.rdf.namespaces import OA, SDO, WD
from kg.rdf.terms import (
    dataset_iri,
    date_literal,
    decimal_literal,
    document_graph_iris,
    document_iri,
    meta_graph_iri,
)
from kg.rdf.validate import validate
from kg.rdf.vocab import GOV

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
HENAN = "000_d6df998b69c9d459"
HAINAN = "003_1b487b2ae10ce7b5"


@pytest.fixture(scope="module")
def docs(seed_pairs: Pairs) -> dict[str, Document]:
    return {d.id: d for d, _ in seed_pairs}


def facts(dataset: Dataset, doc_id: str) -> Graph:
    return dataset.graph(document_graph_iris(doc_id)[0])


def evidence(dataset: Dataset, doc_id: str) -> Graph:
    return dataset.graph(document_graph_iris(doc_id)[1])


def statement(ev: Graph, s: Node, p: Node, o: Node) -> URIRef:
    found = [
        stmt
        for stmt in ev.subjects(RDF.subject, s)
        if (stmt, RDF.predicate, p) in ev and (stmt, RDF.object, o) in ev
    ]
    assert len(found) == 1, f"expected one evidence statement for {s} {p} {o}, got {found}"
    assert isinstance(found[0], URIRef)
    return found[0]


def selector_span(ev: Graph, stmt: URIRef) -> tuple[int, int, str]:
    target = ev.value(stmt, OA.hasTarget)
    selectors = set(ev.objects(target, OA.hasSelector))
    pos = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in ev)
    quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in ev)
    start, end = ev.value(pos, OA.start), ev.value(pos, OA.end)
    assert isinstance(start, Literal) and start.datatype == ns.XSD.nonNegativeInteger
    assert isinstance(end, Literal) and end.datatype == ns.XSD.nonNegativeInteger
    return int(start), int(end), str(ev.value(quote, OA.exact))


# ------------------------------------------------------------------ relations and their evidence


def test_runs_has_sentence_evidence(seeds_dataset: Dataset, docs: dict[str, Document]) -> None:
    org = entity_iri("ORG", "河南省委社会工作部")
    mechanism = entity_iri("MECHANISM", "信访工作联席会议机制")
    assert (org, GOV.runs, mechanism) in facts(seeds_dataset, HENAN)

    ev = evidence(seeds_dataset, HENAN)
    stmt = statement(ev, org, GOV.runs, mechanism)
    assert (stmt, RDF.type, RDF.Statement) in ev
    assert ev.value(stmt, PROV.wasDerivedFrom) == document_iri(HENAN)
    assert ev.value(stmt, GOV.relationLabel) == Literal("runs")
    confidence = ev.value(stmt, GOV.confidence)
    assert isinstance(confidence, Literal) and confidence.datatype == ns.XSD.decimal
    assert ev.value(ev.value(stmt, OA.hasTarget), OA.hasSource) == document_iri(HENAN)

    start, end, quote = selector_span(ev, stmt)
    text = docs[HENAN].text
    assert text[start:end] == quote
    assert quote.startswith("用好党建引领基层治理、信访工作联席会议") and quote.endswith("。")
    # The body is the elided subject of that sentence: it is named in the sentence before.
    assert "河南省委社会工作部" in text[: start]


def test_evidence_quote_holds_both_names(seeds_dataset: Dataset, docs: dict[str, Document]) -> None:
    org = entity_iri("ORG", "中共海南省委社会工作部")
    policy = entity_iri("POLICY", "《海南省商务楼宇党建工作实施办法(试行)》")
    start, end, quote = selector_span(evidence(seeds_dataset, HAINAN), statement(
        evidence(seeds_dataset, HAINAN), org, GOV.issues, policy))
    assert docs[HAINAN].text[start:end] == quote
    assert "中共海南省委社会工作部" in quote and "《海南省商务楼宇党建工作实施办法(试行)》" in quote


def test_entity_typing_has_first_mention_evidence(seeds_dataset: Dataset, docs: dict[str, Document]) -> None:
    org = entity_iri("ORG", "河南省委社会工作部")
    ev = evidence(seeds_dataset, HENAN)
    stmt = statement(ev, org, RDF.type, ORG.Organization)
    assert ev.value(stmt, GOV.relationLabel) == Literal("ORG")
    start, end, quote = selector_span(ev, stmt)
    assert start <= 89 and 98 <= end  # the sentence of the first mention [89, 98)
    assert docs[HENAN].text[start:end] == quote and "河南省委社会工作部" in quote


def test_same_body_in_both_documents_is_one_iri(seeds_dataset: Dataset) -> None:
    group = entity_iri("GROUP", "行业协会商会")
    for doc_id in (HENAN, HAINAN):
        assert (group, RDF.type, GOV.TargetGroup) in facts(seeds_dataset, doc_id)
    merged = merged_graph(seeds_dataset)
    assert list(merged.subjects(SKOS.prefLabel, Literal("行业协会商会", lang="zh"))) == [group]
    role = entity_iri("POST", "部长")  # one role, two posts in two bodies
    posts = set(merged.subjects(ORG.role, role))
    assert len(posts) == 2


def test_holds_post_pattern(seeds_dataset: Dataset) -> None:
    g = facts(seeds_dataset, HENAN)
    person = entity_iri("PERSON", "郅晓峰")
    org = entity_iri("ORG", "河南省委社会工作部")
    role = entity_iri("POST", "部长")
    post = mint("post", canonical_key("POST", "部长", parent="河南省委社会工作部"))
    assert str(post).startswith("https://example.org/kg/id/post-")
    assert (person, RDF.type, FOAF.Person) in g
    assert (person, ORG.holds, post) in g
    assert (person, ORG.memberOf, org) in g
    assert (post, RDF.type, ORG.Post) in g
    assert (post, ORG.postIn, org) in g
    assert (post, ORG.role, role) in g
    assert (role, RDF.type, ORG.Role) in g
    assert g.value(post, SKOS.prefLabel) == Literal("河南省委社会工作部部长", lang="zh")
    assert g.value(role, SKOS.prefLabel) == Literal("部长", lang="zh")
    # He holds two posts: 部长 of the department and 书记 of the “两新” committee.
    assert len(set(g.objects(person, ORG.holds))) == 2
    ev = evidence(seeds_dataset, HENAN)
    assert ev.value(statement(ev, person, ORG.holds, post), GOV.relationLabel) == Literal("holdsPost")


def test_metric_is_an_observation(seeds_dataset: Dataset) -> None:
    g = facts(seeds_dataset, HENAN)
    [obs] = g.subjects(GOV.rawText, Literal("3.6万名"))
    assert obs == mint("observation", f"METRIC|{HENAN}|607")
    assert (obs, RDF.type, SDO.Observation) in g
    value = g.value(obs, SDO.value)
    assert isinstance(value, Literal) and value.datatype == ns.XSD.decimal
    assert value.toPython() == Decimal("36000")
    assert g.value(obs, SDO.unitText) == Literal("名")
    assert g.value(obs, SDO.measuredProperty) == GOV.count
    assert g.value(obs, SDO.observationAbout) == entity_iri("GROUP", "社会工作专业人才")
    assert g.value(obs, SDO.observationDate) == Literal("2025-02-20", datatype=ns.XSD.date)
    assert g.value(obs, SKOS.prefLabel) == Literal("3.6万名", lang="zh")

    hainan = facts(seeds_dataset, HAINAN)
    [share] = hainan.subjects(GOV.rawText, Literal("60%"))
    assert hainan.value(share, SDO.measuredProperty) == GOV.share
    assert hainan.value(share, SDO.unitText) == Literal("%")
    assert hainan.value(share, SDO.observationDate) is None  # the Hainan article has no date


def test_decimal_literals_come_from_text() -> None:
    assert decimal_literal(Decimal("3.6E+4")) == Literal("36000.0", datatype=ns.XSD.decimal)
    assert decimal_literal("0.90") == Literal("0.9", datatype=ns.XSD.decimal)
    with pytest.raises(ValueError):
        decimal_literal(Decimal("NaN"))


def test_labels_codes_links_and_kinds(seeds_dataset: Dataset) -> None:
    lexicon = load_lexicon()
    g = facts(seeds_dataset, HENAN)
    henan = entity_iri("PLACE", "河南省")
    assert (henan, RDF.type, DCTERMS.Location) in g and (henan, RDF.type, SDO.Place) in g
    assert (henan, DCTERMS.identifier, Literal("410000")) in g
    assert (henan, SKOS.prefLabel, Literal("Henan", lang="en")) in g
    assert (henan, SKOS.altLabel, Literal("河南", lang="zh")) in g
    if ("PLACE", "河南省") in lexicon.wikidata:
        assert (henan, SKOS.exactMatch, WD[lexicon.wikidata[("PLACE", "河南省")]]) in g
    mechanism = entity_iri("MECHANISM", "信访工作联席会议机制")
    assert g.value(mechanism, GOV.kind) == GOV["kind-joint-meeting"]
    assert (mechanism, SKOS.altLabel, Literal("信访工作联席会议", lang="zh")) in g
    policy = entity_iri("POLICY", "城乡社区治理服务工作指引")
    assert g.value(policy, GOV.kind) == GOV["kind-guideline"]
    group = entity_iri("GROUP", "社会工作专业人才")
    assert (group, SKOS.inScheme, GOV.TargetGroupScheme) in g


def test_cooperates_with_is_written_once_smaller_iri_first(seeds_dataset: Dataset) -> None:
    g = facts(seeds_dataset, HAINAN)
    department = entity_iri("ORG", "中共海南省委社会工作部")
    union = entity_iri("ORG", "海南省总工会")
    a, b = sorted((department, union))
    assert (a, GOV.cooperatesWith, b) in g
    assert (b, GOV.cooperatesWith, a) not in g


def test_document_metadata(seeds_dataset: Dataset, docs: dict[str, Document]) -> None:
    meta = seeds_dataset.graph(meta_graph_iri())
    doc = document_iri(HENAN)
    assert (doc, RDF.type, FOAF.Document) in meta and (doc, RDF.type, SDO.Article) in meta
    assert meta.value(doc, DCTERMS.identifier) == Literal(HENAN)
    assert meta.value(doc, DCTERMS.title) == Literal(docs[HENAN].title, lang="zh")
    assert meta.value(doc, DCTERMS.issued) == Literal("2025-02-20", datatype=ns.XSD.date)
    assert meta.value(doc, DCTERMS.publisher) == Literal("中国社会工作报", lang="zh")
    assert meta.value(doc, GOV.characters) == Literal(
        str(len(docs[HENAN].text)), datatype=ns.XSD.nonNegativeInteger
    )
    assert meta.value(doc, DCTERMS.source) is None  # the seed has no URL
    assert meta.value(document_iri(HAINAN), DCTERMS.issued) is None


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://www.example.com/a/b.html?x=1#top", True),
        ("http://paper.people.com.cn/rmrb/中文.htm", True),
        ("javascript:alert(1)", False),
        ("http://a b.com/", False),
        ('http://example.com/"><script>', False),
        ("ftp://example.com/file", False),
        ("https://", False),
    ],
)
def test_source_url_only_when_a_valid_http_iri(url: str, kept: bool) -> None:
    document = Document(id="d1", text="河南省委社会工作部召开会议。", url=url)
    ds = document_dataset(document, Extraction(doc_id="d1"))
    source = ds.graph(meta_graph_iri()).value(document_iri("d1"), DCTERMS.source)
    assert (source == URIRef(url)) if kept else source is None


def test_dates() -> None:
    assert date_literal("2025-02-20") == Literal("2025-02-20", datatype=ns.XSD.date)
    assert date_literal("2025") == Literal("2025", datatype=ns.XSD.gYear)
    assert date_literal("2025-02") == Literal("2025-02")
    assert date_literal("2025-13-40") == Literal("2025-13-40")


def test_dataset_description(seeds_dataset: Dataset) -> None:
    meta = seeds_dataset.graph(meta_graph_iri())
    node = dataset_iri()
    assert (node, RDF.type, VOID.Dataset) in meta and (node, RDF.type, ns.DCAT.Dataset) in meta
    triples = meta.value(node, VOID.triples)
    assert isinstance(triples, Literal) and int(triples) > 1000
    entities = meta.value(node, VOID.entities)
    assert isinstance(entities, Literal) and int(entities) > 100
    names = {str(meta.value(d, DCTERMS.title)) for d in meta.objects(node, ns.DCAT.distribution)}
    assert {"graph.ttl", "graph.trig", "graph.jsonld"} <= names
    assert URIRef(str(ORG)) in set(meta.objects(node, VOID.vocabulary))
    dated = [o for o in meta.objects() if isinstance(o, Literal) and o.datatype == ns.XSD.dateTime]
    assert not dated, "no timestamps: the same input must give the same files"


# ------------------------------------------------------------------ one document, purity, bad input


def test_document_dataset_is_a_function_of_one_document(
    seed_pairs: Pairs, seeds_dataset: Dataset
) -> None:
    document, extraction = seed_pairs[0]
    alone = document_dataset(document, extraction)
    again = document_dataset(document, extraction)
    assert set(alone.quads()) == set(again.quads())
    facts_iri, evidence_iri = document_graph_iris(document.id)
    assert isomorphic(alone.graph(evidence_iri), seeds_dataset.graph(evidence_iri))
    assert isomorphic(alone.graph(facts_iri), seeds_dataset.graph(facts_iri))
    assert {g.identifier for g in alone.graphs() if len(g)} == {facts_iri, evidence_iri, meta_graph_iri()}


def test_relations_with_missing_endpoints_are_left_out() -> None:
    document = Document(id="d1", text="河南省委社会工作部建立信访工作联席会议机制。")
    extraction = Extraction(
        doc_id="d1",
        entities=(Entity("o1", "ORG", "河南省委社会工作部", mentions=((0, 9),)),),
        relations=(Relation("runs", "o1", "m1", evidence=(0, 21)), Relation("runs", "zz", "o1")),
    )
    ds = document_dataset(document, extraction)
    g = ds.graph(document_graph_iris("d1")[0])
    assert not list(g.triples((None, GOV.runs, None)))
    assert (entity_iri("ORG", "河南省委社会工作部"), RDF.type, ORG.Organization) in g


def test_records_without_offsets_find_their_sentence() -> None:
    text = "第一句话。河南省委社会工作部建立信访工作联席会议机制。最后一句。"
    document = Document(id="d1", text=text)
    extraction = Extraction(
        doc_id="d1",
        entities=(
            Entity("o1", "ORG", "河南省委社会工作部"),
            Entity("m1", "MECHANISM", "信访工作联席会议机制"),
            Entity("x1", "GROUP", "不在文中的群体"),
        ),
        relations=(Relation("runs", "o1", "m1"),),
    )
    ds = document_dataset(document, extraction)
    ev = ds.graph(document_graph_iris("d1")[1])
    org, mechanism = entity_iri("ORG", "河南省委社会工作部"), entity_iri("MECHANISM", "信访工作联席会议机制")
    start, end, quote = selector_span(ev, statement(ev, org, GOV.runs, mechanism))
    assert quote == "河南省委社会工作部建立信访工作联席会议机制。" == text[start:end]
    # A name the text does not hold: the statement names its document, without a text target.
    missing = statement(ev, entity_iri("GROUP", "不在文中的群体"), RDF.type, GOV.TargetGroup)
    assert ev.value(missing, OA.hasTarget) is None
    assert ev.value(missing, PROV.wasDerivedFrom) == document_iri("d1")
    report = validate(ds)
    assert report.conforms and report.warnings >= 1


def test_extraction_must_match_its_document() -> None:
    with pytest.raises(KGError, match="d2"):
        document_dataset(Document(id="d1", text="文本。"), Extraction(doc_id="d2"))
    with pytest.raises(KGError, match="twice"):
        build_dataset([(Document(id="d1", text="文本。"), Extraction(doc_id="d1"))] * 2)


# ------------------------------------------------------------------ one prefLabel per language


def test_differently_written_names_get_one_preferred_label() -> None:
    written = ["河南省委“两新”工委", "河南省委“两新”工委", "河南省委两新工委"]
    pairs = []
    for i, name in enumerate(written):
        text = f"{name}召开会议。"
        pairs.append((
            Document(id=f"d{i}", text=text),
            Extraction(doc_id=f"d{i}", entities=(Entity("o1", "ORG", name, mentions=((0, len(name)),)),)),
        ))
    ds = build_dataset(pairs)
    org = entity_iri("ORG", "河南省委两新工委")
    assert org == entity_iri("ORG", "河南省委“两新”工委")
    merged = merged_graph(ds)
    assert list(merged.objects(org, SKOS.prefLabel)) == [Literal("河南省委“两新”工委", lang="zh")]
    assert list(merged.objects(org, SKOS.altLabel)) == [Literal("河南省委两新工委", lang="zh")]
    for graph in facts_graphs(ds):  # each document graph says the same, so any union does
        assert list(graph.objects(org, SKOS.prefLabel)) == [Literal("河南省委“两新”工委", lang="zh")]
    assert validate(ds).conforms

    # Without build_dataset, merged_graph still settles on one label.
    loose = Dataset()
    for document, extraction in pairs:
        for graph in document_dataset(document, extraction).graphs():
            target = loose.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    assert len(list(merged_graph(loose).objects(org, SKOS.prefLabel))) == 1
