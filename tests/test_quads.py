"""kg.rdf.quads, kg.export.jsonld: the string quads a build works on say what rdflib and Oxigraph write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS, NamespaceManager
from seeds_graph import Pairs

from kg.core.errors import OutputError
from kg.core.records import Document, Entity, Extraction
from kg.export.formats import jsonld_context, jsonld_parts
from kg.rdf.dataset import batch_dataset, batch_label_counts, batch_quads, facts_graphs, label_choices
from kg.rdf.namespaces import DEFAULT_BASE, bind_prefixes
from kg.rdf.quads import Quads

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
XSD = "http://www.w3.org/2001/XMLSchema#"
HOSTILE = ["plain", 'say "hi"', "back\\slash", "line\nbreak", "tab\t", "bell\x07", "del\x7f", "中文",
           "\u2028 separator", "", "emoji 😀", "}]{[,"]


def _ox_literal(value: str, language: str | None, datatype: str | None) -> str:
    if language:
        return str(ox.Literal(value, language=language))
    if datatype:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("language", "datatype"), [
    (None, None), ("zh", None), ("en", None), ("EN-GB", None), (None, XSD + "decimal"),
    (None, XSD + "string"),
])
def test_literal_text_is_what_oxigraph_writes(value: str, language: str | None, datatype: str | None) -> None:
    quads = Quads()
    text = quads.literal(value, language, datatype)
    assert text == _ox_literal(value, language, datatype)
    assert quads.literals[text].value == value


def _hostile() -> tuple[Document, Extraction]:
    names = [n for n in HOSTILE if n]
    text = "。".join(names) + "。"
    spans = [(text.index(name), text.index(name) + len(name)) for name in names]
    entities = tuple(Entity(f"o{i}", "ORG", name, mentions=(span,))
                     for i, (name, span) in enumerate(zip(names, spans, strict=True)))
    return Document(id='doc "1"', text=text, title="标题\n第二行"), Extraction('doc "1"', entities)


@pytest.fixture(scope="module")
def quads(seed_pairs: Pairs) -> Quads:
    return batch_quads([*seed_pairs, _hostile()])


def test_nquads_are_oxigraphs_sorted_quads(quads: Quads) -> None:
    parsed = list(ox.parse(quads.nquads(), format=ox.RdfFormat.N_QUADS))
    assert len(parsed) == len(quads)
    key = lambda q: (q.graph_name.value, str(q.subject), str(q.predicate), str(q.object))  # noqa: E731
    assert quads.nquads() == ox.serialize(sorted(parsed, key=key), format=ox.RdfFormat.N_QUADS)


def test_rdflib_round_trip(quads: Quads) -> None:
    again = Quads.from_rdflib(quads.to_rdflib(Dataset()))
    assert again.graphs == quads.graphs
    assert again.nquads() == quads.nquads()


def test_blank_nodes_are_refused() -> None:
    dataset = Dataset()
    graph = dataset.graph(URIRef("https://example.org/g"))
    graph.add((BNode(), URIRef("https://example.org/p"), Literal("x")))
    with pytest.raises(OutputError, match="blank node"):
        Quads.from_rdflib(dataset)


def test_choices_settle_labels_in_every_document_graph(
        seed_pairs: Pairs) -> None:
    """batch_quads(choices=...) writes each chosen label as the one prefLabel of its subject in every facts
    graph that names it, the graph's own other labels as altLabels, and leaves the other subjects alone."""
    pairs = list(seed_pairs)
    counts = batch_label_counts(pairs)
    for i, (_key, tally) in enumerate(sorted(counts.items(), key=lambda kv: str(kv[0]))):
        if i % 3 == 0:
            tally["另一个名称"] += 2  # as if other batches named every third entity otherwise
    choices = label_choices(counts)
    assert choices
    plain, settled = batch_dataset(pairs), batch_quads(pairs, choices=choices).to_rdflib(Dataset())
    for before, after in zip(facts_graphs(plain), facts_graphs(settled), strict=True):
        assert before.identifier == after.identifier
        for subject, label in before.subject_objects(SKOS.prefLabel):
            assert isinstance(label, Literal)
            chosen = choices.get((subject, label.language or ""))
            own = _labels(before, subject, SKOS.prefLabel, label.language)
            if chosen is None:
                assert _labels(after, subject, SKOS.prefLabel, label.language) == own
                continue
            winner = Literal(chosen, lang=label.language)
            assert _labels(after, subject, SKOS.prefLabel, label.language) == {winner}
            assert own - {winner} <= _labels(after, subject, SKOS.altLabel, label.language)
            assert winner not in _labels(after, subject, SKOS.altLabel, label.language)


def _labels(graph: Any, subject: Any, predicate: Any, language: str | None) -> set[Literal]:
    return {o for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == language}


def _rdflib_items(dataset: Dataset) -> list[str]:
    """The JSON-LD items as rdflib's serialiser gave them (the layout kg.export.jsonld keeps)."""
    clean = Dataset(default_union=False)
    clean.namespace_manager = NamespaceManager(clean, bind_namespaces="none")
    bind_prefixes(clean, DEFAULT_BASE)
    for graph in dataset.graphs():
        if len(graph) and isinstance(graph.identifier, URIRef):
            target = clean.graph(graph.identifier)
            for triple in graph:
                target.add(triple)
    data = json.loads(clean.serialize(format="json-ld", context=jsonld_context(), auto_compact=True))

    def ordered(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: ordered(v) for k, v in value.items()}
        if isinstance(value, list):
            return sorted((ordered(v) for v in value), key=lambda v: json.dumps(v, ensure_ascii=False,
                                                                                sort_keys=True))
        return value

    data = ordered(data)
    items = data["@graph"] if "@id" not in data else [{k: v for k, v in data.items() if k != "@context"}]
    return ["    " + json.dumps(item, ensure_ascii=False, indent=2, sort_keys=True).replace("\n", "\n    ")
            for item in items]


@pytest.mark.slow  # rdflib's JSON-LD serialiser, the reference layout
def test_jsonld_is_rdflibs_layout(quads: Quads) -> None:
    dataset = quads.to_rdflib(Dataset())
    meta = dataset.graph(URIRef(f"{DEFAULT_BASE}/graph/meta"))
    meta.add((URIRef(f"{DEFAULT_BASE}/dataset"), URIRef("http://rdfs.org/ns/void#triples"),
              Literal("42", datatype=URIRef(XSD + "integer"))))
    assert jsonld_parts(Quads.from_rdflib(dataset)) == _rdflib_items(dataset)


@pytest.mark.slow  # rdflib's JSON-LD parser
def test_jsonld_parses_to_the_same_quads(quads: Quads) -> None:
    items = ",".join(jsonld_parts(quads))
    text = '{"@context": ' + json.dumps(jsonld_context()) + ', "@graph": [' + items + "]}"
    parsed = Dataset().parse(data=text, format="json-ld")
    expected = quads.to_rdflib(Dataset())
    for graph in expected.graphs():
        if len(graph):
            assert isomorphic(graph, parsed.graph(graph.identifier)), graph.identifier
