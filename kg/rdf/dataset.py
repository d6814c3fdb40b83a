"""Extraction records -> RDF, as docs/decisions/0001-graph-model.md describes.

One document gives three named graphs: its facts ``<base>/graph/{hash}``, its evidence
``<base>/graph/{hash}/evidence`` (``rdf:Statement`` nodes with Web Annotation selectors on the
sentence) and its own metadata triples in ``<base>/graph/meta``. :func:`document_dataset` is a pure
function of one document, so documents can be turned into graphs one at a time (and written as N-Quads
shards); :func:`build_dataset` puts many together, settles the one ``skos:prefLabel`` per language of
entities named differently by different documents (:func:`label_choices`) and adds the VoID / DCAT
description of the whole.

The documents' quads are written (by :mod:`kg.rdf.document_quads`) as :class:`kg.rdf.quads.Quads` (N-Triples
strings), not rdflib terms, which cost more to make than everything else here. ``kg build`` works on those
(:func:`batch_quads`, which also settles labels as it writes them, :func:`batch_label_counts`,
:func:`merged_triples`), while the functions that return rdflib datasets and graphs
(:func:`document_dataset`, :func:`batch_dataset`, :func:`build_dataset`, :func:`merged_graph`) convert at
the end, for the tests, notebooks and library users.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, VOID, XSD, NamespaceManager
from rdflib.term import Node

from kg.core.folder import GRAPH_FILES, MEDIA_TYPES
from kg.core.lexicon import Lexicon
from kg.core.records import Document, Extraction
from kg.rdf.document_quads import document_writers
from kg.rdf.namespaces import DEFAULT_BASE, ONTOLOGY_IRI, PREFIXES, bind_prefixes
from kg.rdf.quads import Quads, Triple, iri
from kg.rdf.terms import (
    FACTS_GRAPH_RE,
    dataset_iri,
    date_literal,
    is_facts_graph,
    is_http_iri,
    meta_graph_iri,
    preferred_label,
)

__all__ = [
    "DatasetInfo",
    "DatasetStats",
    "LabelCounts",
    "batch_dataset",
    "batch_label_counts",
    "batch_quads",
    "build_dataset",
    "dataset_description",
    "document_dataset",
    "facts_graphs",
    "label_choices",
    "merged_graph",
    "merged_triples",
]

# N-Triples text of the terms the functions on kg.rdf.quads.Quads look for.
_TYPE, _PREF, _ALT, _DOCUMENT = (iri(t) for t in (RDF.type, SKOS.prefLabel, SKOS.altLabel, FOAF.Document))
_LABEL = iri(RDFS.label)
_ISSUED = iri(DCTERMS.issued)
_DAY = re.compile(r'^"(\d{4}-\d{2}-\d{2})"')


def facts_graphs(dataset: Dataset) -> list[Graph]:
    """The documents' facts graphs of ``dataset``, sorted by IRI."""
    graphs = (g for g in dataset.graphs() if is_facts_graph(g.identifier))
    return sorted(graphs, key=lambda g: str(g.identifier))


# ------------------------------------------------------------------ one document


def document_dataset(
    document: Document,
    extraction: Extraction,
    *,
    base: str = DEFAULT_BASE,
    lexicon: Lexicon | None = None,
) -> Dataset:
    """The named graphs of one document: facts, evidence, and its metadata triples in the meta graph.

    A pure function of its arguments: the same document and extraction give the same quads whatever else is
    in the run. ``lexicon`` defaults to the shipped one (English labels, Wikidata links, GB/T 2260 codes).
    Relations whose head or tail is not among the extraction's entities are left out.
    """
    return batch_quads([(document, extraction)], base=base, lexicon=lexicon).to_rdflib(_new_dataset(base))


def _new_dataset(base: str) -> Dataset:
    dataset = Dataset(default_union=False)
    dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="none")
    bind_prefixes(dataset, base)
    return dataset


# ------------------------------------------------------------------ labels across documents

#: (subject, language) -> how many graphs give each prefLabel string.
LabelCounts = dict[tuple[Node, str], Counter[str]]


def label_choices(counts: LabelCounts) -> dict[tuple[Node, str], str]:
    """(subject, language) -> preferred label, for the subjects whose graphs give different ones."""
    return {key: preferred_label(c) for key, c in counts.items() if len(c) > 1}


# ------------------------------------------------------------------ many documents


def build_dataset(
    pairs: Iterable[tuple[Document, Extraction]],
    *,
    base: str = DEFAULT_BASE,
    lexicon: Lexicon | None = None,
    info: DatasetInfo | None = None,
) -> Dataset:
    """Every document's graphs, labels reconciled across documents, and the dataset description in meta.

    Everything in memory; ``kg build`` streams the same steps batch by batch (:mod:`kg.build.stages`).
    """
    pairs = list(pairs)
    choices = label_choices(batch_label_counts(pairs, base=base, lexicon=lexicon))
    quads = batch_quads(pairs, base=base, lexicon=lexicon, choices=choices)
    stats = DatasetStats()
    stats.add_quads(quads)
    dataset = quads.to_rdflib(_new_dataset(base))
    dataset_description(stats, base=base, into=dataset.graph(meta_graph_iri(base=base)), info=info)
    return dataset


def batch_dataset(
    pairs: Iterable[tuple[Document, Extraction]],
    *,
    base: str = DEFAULT_BASE,
    lexicon: Lexicon | None = None,
    evidence: bool = True,
) -> Dataset:
    """The graphs of several documents in one rdflib dataset, labels not yet reconciled, no description.

    ``evidence=False`` skips the evidence graphs. :func:`batch_quads` gives the same quads without rdflib.
    """
    return batch_quads(pairs, base=base, lexicon=lexicon, evidence=evidence).to_rdflib(_new_dataset(base))


def batch_quads(
    pairs: Iterable[tuple[Document, Extraction]],
    *,
    base: str = DEFAULT_BASE,
    lexicon: Lexicon | None = None,
    evidence: bool = True,
    choices: Mapping[tuple[Node, str], str] | None = None,
) -> Quads:
    """The graphs of several documents as :class:`kg.rdf.quads.Quads` (what ``kg build`` works on).

    With ``choices`` (:func:`label_choices`), labels come out reconciled: the same quads as
    rewriting the written graphs would, without writing them twice.
    """
    wanted = {(str(subject), lang): label for (subject, lang), label in (choices or {}).items()}
    quads = Quads()
    for writer in document_writers(pairs, quads, base=base, lexicon=lexicon):
        writer.write(evidence=evidence, choices=wanted)
    return quads


def batch_label_counts(
    pairs: Iterable[tuple[Document, Extraction]],
    *,
    base: str = DEFAULT_BASE,
    lexicon: Lexicon | None = None,
    into: LabelCounts | None = None,
) -> LabelCounts:
    """The labels the documents' facts graphs would hold, counted without writing the graphs."""
    counts: LabelCounts = into if into is not None else {}
    for writer in document_writers(pairs, Quads(), base=base, lexicon=lexicon):
        writer.entity_quads()
        for subject, lang, label in writer.pref_labels():
            counts.setdefault((URIRef(subject), lang), Counter())[label] += 1
    return counts


def merged_graph(dataset: Dataset, *, base: str | None = None) -> Graph:
    """The union of the documents' facts graphs (what graph.ttl holds): no evidence, no metadata.

    :func:`merged_triples` of the dataset's quads, so labels are reconciled over the union even when
    ``dataset`` was put together from :func:`document_dataset` results without :func:`build_dataset`.
    """
    quads = Quads.from_rdflib(dataset)
    if base is None:
        m = next(filter(None, map(FACTS_GRAPH_RE.match, sorted(quads.graphs))), None)
        base = m.group("base") if m else DEFAULT_BASE
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph, base)
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(merged_triples(quads)))
    if text:
        graph.parse(data=text, format="nt")
    return graph


def merged_triples(quads: Quads) -> set[Triple]:
    """:func:`merged_graph` of :class:`kg.rdf.quads.Quads`: the facts graphs' union, labels reconciled over
    it."""
    facts = [triples for name, triples in quads.graphs.items() if FACTS_GRAPH_RE.match(name)]
    merged: set[Triple] = set().union(*facts)
    counts: dict[tuple[str, str], Counter[str]] = {}
    for triples in facts:
        for s, p, o in triples:
            if p == _PREF and (literal := quads.literals.get(o)) and (lang := literal.language):
                counts.setdefault((s, lang), Counter())[o] += 1
    for (s, _lang), found in counts.items():
        if len(found) < 2:
            continue
        # one literal per text within a subject and language: choose among the texts, as documents do
        by_text = {quads.literals[o].value: o for o in found}
        winner = by_text[preferred_label({quads.literals[o].value: n for o, n in found.items()})]
        for other in found:
            if other != winner:
                merged.discard((s, _PREF, other))
                merged.discard((s, _LABEL, other))  # rdfs:label follows skos:prefLabel
                merged.add((s, _ALT, other))
        merged.discard((s, _ALT, winner))
        merged.add((s, _LABEL, winner))
    return merged


@dataclass
class DatasetStats:
    """What the dataset description counts, added up graph by graph or shard by shard."""

    triples: int = 0
    documents: int = 0
    entities: set[Node] = field(default_factory=set)
    vocabularies: set[URIRef] = field(default_factory=set)
    latest_issued: str = ""  # the newest dct:issued day of the documents (YYYY-MM-DD), "" when none has one

    def add(self, dataset: Dataset) -> None:
        self.add_quads(Quads.from_rdflib(dataset))

    def add_quads(self, quads: Quads) -> None:
        self.triples += len(quads)
        for name, triples in quads.graphs.items():
            if FACTS_GRAPH_RE.match(name):
                self.entities.update(URIRef(s[1:-1]) for s, p, _o in triples if p == _TYPE)
            elif name.endswith("/graph/meta"):
                self.documents += sum(1 for _s, p, o in triples if p == _TYPE and o == _DOCUMENT)
                days = [m.group(1) for _s, p, o in triples if p == _ISSUED and (m := _DAY.match(o))]
                self.latest_issued = max([self.latest_issued, *days])
        self.vocabularies |= _vocabularies(quads)

    def merge(self, other: DatasetStats) -> None:
        self.triples += other.triples
        self.documents += other.documents
        self.entities |= other.entities
        self.vocabularies |= other.vocabularies
        self.latest_issued = max(self.latest_issued, other.latest_issued)


@dataclass(frozen=True)
class DatasetInfo:
    """What ``kg build`` is told about the dataset, for its description (all optional).

    ``license`` and ``creator``: an http(s) IRI (written as an IRI) or, for the creator, a name (a literal);
    ``issued``: YYYY-MM-DD, by default the newest document date, so that the same input gives the same bytes;
    ``version``: by default the issued date; ``endpoint``: the SPARQL endpoint serving it (``kg serve`` states
    its own when asked for the description).
    """

    license: str | None = None
    creator: str | None = None
    issued: str | None = None
    version: str | None = None
    endpoint: str | None = None


def dataset_description(stats: DatasetStats, *, base: str = DEFAULT_BASE, into: Graph | None = None,
                        info: DatasetInfo | None = None) -> Graph:
    """VoID + DCAT description of the dataset (for the meta graph): counts, distributions, the ontology it
    conforms to, and licence, creator, issued date and version as ``info`` gives them. No clock time: the
    issued date defaults to the newest document date."""
    meta = into if into is not None else Graph(identifier=meta_graph_iri(base=base), bind_namespaces="none")
    node = dataset_iri(base=base)
    info = info or DatasetInfo()
    issued = info.issued or stats.latest_issued
    if info.license:
        meta.add((node, DCTERMS.license, URIRef(info.license)))
    if info.creator:
        creator = info.creator
        meta.add((node, DCTERMS.creator, URIRef(creator) if is_http_iri(creator) else Literal(creator)))
    if issued:
        meta.add((node, DCTERMS.issued, date_literal(issued)))
    if info.version or issued:
        meta.add((node, OWL.versionInfo, Literal(info.version or issued)))  # DCAT 2's version property
    if info.endpoint:
        meta.add((node, VOID.sparqlEndpoint, URIRef(info.endpoint)))
    meta.add((node, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    meta.add((node, RDF.type, VOID.Dataset))
    meta.add((node, RDF.type, DCAT.Dataset))
    meta.add((node, DCTERMS.title, Literal("kg knowledge graph of Chinese governance texts", lang="en")))
    meta.add((node, DCTERMS.title, Literal("治理文本知识图谱", lang="zh")))
    meta.add((node, VOID.triples, Literal(str(stats.triples), datatype=XSD.integer)))
    meta.add((node, VOID.entities, Literal(str(len(stats.entities)), datatype=XSD.integer)))
    meta.add((node, VOID.uriSpace, Literal(f"{base.rstrip('/')}/id/")))
    meta.add((node, VOID.documents, Literal(str(stats.documents), datatype=XSD.integer)))
    # The description's own vocabularies count too (as they would for any other graph of the dataset).
    own = {URIRef(str(VOID)), URIRef(str(DCAT)), URIRef(str(DCTERMS)), URIRef(str(RDF)), URIRef(str(OWL))}
    for vocabulary in sorted(stats.vocabularies | own):
        meta.add((node, VOID.vocabulary, vocabulary))
    for key, name in GRAPH_FILES.items():
        media_type = MEDIA_TYPES[key]
        dist = URIRef(f"{node}/{name}")
        meta.add((node, DCAT.distribution, dist))
        meta.add((dist, RDF.type, DCAT.Distribution))
        meta.add((dist, DCTERMS.title, Literal(name)))
        meta.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")))
    return meta


def _vocabularies(quads: Quads) -> set[URIRef]:
    """Namespaces of the predicates and classes in use that are vocabularies (not data or Wikidata)."""
    used: set[str] = set()
    for triples in quads.graphs.values():
        for _s, p, o in triples:
            used.add(p)
            if p == _TYPE:
                used.add(o)
    namespaces = {iri(ns) for prefix, ns in PREFIXES.items() if prefix not in {"wd", "sh"}}
    return {URIRef(ns[1:-1]) for ns in namespaces if any(term.startswith(ns[:-1]) for term in used)}
