"""Extraction records -> RDF, as docs/decisions/0001-graph-model.md describes.

One document gives three named graphs: its facts ``<base>/graph/{hash}``, its evidence
``<base>/graph/{hash}/evidence`` (``rdf:Statement`` nodes with Web Annotation selectors on the
sentence) and its own metadata triples in ``<base>/graph/meta``. :func:`document_dataset` is a pure
function of one document, so documents can be turned into graphs one at a time (and written as N-Quads
shards); :func:`build_dataset` puts many together, settles the one ``skos:prefLabel`` per language of
entities named differently by different documents (:func:`reconcile_labels`) and adds the VoID / DCAT
description of the whole.

The documents' quads are written (by :mod:`kg.rdf.document_quads`) as :class:`kg.rdf.quads.Quads` (N-Triples
strings), not rdflib terms, which cost more to make than everything else here. ``kg build`` works on those
(:func:`batch_quads`, which also settles labels as it writes them, :func:`batch_label_counts`,
:func:`merged_triples`), while the functions that return rdflib datasets and graphs
(:func:`document_dataset`, :func:`batch_dataset`, :func:`build_dataset`, :func:`merged_graph`) convert at
the end, for the tests, notebooks and library users.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, RDF, SKOS, VOID, XSD, NamespaceManager
from rdflib.term import Node

from kg.core.lexicon import Lexicon
from kg.core.records import Document, Extraction
from kg.rdf.iri import digest, mint
from kg.rdf.namespaces import DEFAULT_BASE, PREFIXES, SDO, bind_prefixes
from kg.rdf.quads import Quads, Triple, iri
from kg.rdf.vocab import GOV

__all__ = [
    "CLASSES",
    "KIND_SCHEMES",
    "PREDICATES",
    "SHARE_UNITS",
    "DatasetStats",
    "LabelCounts",
    "apply_label_choices",
    "batch_dataset",
    "batch_label_counts",
    "batch_quads",
    "build_dataset",
    "confidence_literal",
    "confidence_text",
    "date_literal",
    "date_parts",
    "decimal_literal",
    "decimal_text",
    "is_http_iri",
    "dataset_description",
    "dataset_iri",
    "document_dataset",
    "document_graph_iris",
    "document_iri",
    "facts_graphs",
    "is_facts_graph",
    "label_choices",
    "label_counts",
    "merged_graph",
    "merged_triples",
    "meta_graph_iri",
    "preferred_label",
    "reconcile_labels",
]

#: rdf:type(s) of each entity label (0001, "Classes by entity label"); evidence is kept for the first.
CLASSES: dict[str, tuple[URIRef, ...]] = {
    "ORG": (ORG.Organization,),
    "PERSON": (FOAF.Person,),
    "POST": (ORG.Role,),
    "PLACE": (DCTERMS.Location, SDO.Place),
    "MECHANISM": (GOV.Mechanism,),
    "PROGRAM": (GOV.Programme,),
    "POLICY": (GOV.PolicyDocument,),
    "GROUP": (GOV.TargetGroup,),
    "METRIC": (SDO.Observation,),
    "EVENT": (SDO.Event,),
}

#: Simple relations: label -> predicate, written ``head predicate tail``.
PREDICATES: dict[str, URIRef] = {
    "subOrganizationOf": ORG.subOrganizationOf,
    "locatedIn": SDO.location,
    "runs": GOV.runs,
    "issues": GOV.issues,
    "targets": GOV.targets,
    "partOf": DCTERMS.isPartOf,
    "organizes": GOV.organizes,
}

#: Entity label -> the concept scheme its gov:kind comes from.
KIND_SCHEMES = {
    "MECHANISM": GOV.MechanismKindScheme,
    "PROGRAM": GOV.ProgrammeKindScheme,
    "POLICY": GOV.DocumentKindScheme,
}

SHARE_UNITS = frozenset({"%", "％", "‰"})
_FACTS_GRAPH_RE = re.compile(r"^(?P<base>.+)/graph/(?P<hash>[0-9a-f]{16})$")
# http(s) IRIs only, with a host, and none of the characters an IRI may not hold.
_HTTP_IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`/?#]+[^\s<>\"{}|\\^`]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_RE = re.compile(r"^\d{4}$")
_DISTRIBUTIONS = (
    ("graph.ttl", "text/turtle"),
    ("graph.trig", "application/trig"),
    ("graph.nq", "application/n-quads"),
    ("graph.jsonld", "application/ld+json"),
)


# N-Triples text of the terms the functions on kg.rdf.quads.Quads look for.
_TYPE, _PREF, _ALT, _DOCUMENT = (iri(t) for t in (RDF.type, SKOS.prefLabel, SKOS.altLabel, FOAF.Document))


# ------------------------------------------------------------------ IRIs of documents and graphs


def document_iri(doc_id: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """``<base>/id/doc-{hash16(doc_id)}``."""
    return mint("doc", doc_id, base=base)


def document_graph_iris(doc_id: str, *, base: str = DEFAULT_BASE) -> tuple[URIRef, URIRef]:
    """The facts graph ``<base>/graph/{hash16(doc_id)}`` and its evidence graph ``…/evidence``."""
    facts = f"{base.rstrip('/')}/graph/{digest(doc_id)}"
    return URIRef(facts), URIRef(facts + "/evidence")


def meta_graph_iri(*, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/graph/meta")


def dataset_iri(*, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/dataset")


def is_facts_graph(identifier: Node) -> bool:
    """True for a document's facts graph (not its evidence graph, not the metadata graph)."""
    return isinstance(identifier, URIRef) and _FACTS_GRAPH_RE.match(str(identifier)) is not None


def facts_graphs(dataset: Dataset) -> list[Graph]:
    """The documents' facts graphs of ``dataset``, sorted by IRI."""
    graphs = (g for g in dataset.graphs() if is_facts_graph(g.identifier))
    return sorted(graphs, key=lambda g: str(g.identifier))


# ------------------------------------------------------------------ literals


def decimal_literal(value: Decimal | str) -> Literal:
    """A canonical ``xsd:decimal`` from text or Decimal, never a float: ``Decimal('3.6E+4')`` -> "36000.0"."""
    return Literal(decimal_text(value), datatype=XSD.decimal)


def decimal_text(value: Decimal | str) -> str:
    """The lexical form of :func:`decimal_literal`."""
    number = Decimal(value) if isinstance(value, str) else value
    if not number.is_finite():
        raise ValueError(f"not a finite decimal: {value!r}")
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0")
    if text.endswith(".") or "." not in text:
        text = text.rstrip(".") + ".0"  # the canonical form, which Turtle writers also print: 36000.0
    if text == "-0.0":
        text = "0.0"
    return text


def confidence_literal(confidence: float) -> Literal:
    """A confidence in [0, 1] as an ``xsd:decimal`` with at most three places."""
    return decimal_literal(confidence_text(confidence))


def confidence_text(confidence: float) -> str:
    """The lexical form of :func:`confidence_literal`."""
    clamped = min(1.0, max(0.0, float(confidence)))
    return decimal_text(str(round(clamped, 3)))


def date_literal(date: str) -> Literal:
    """``xsd:date`` for YYYY-MM-DD, ``xsd:gYear`` for YYYY, else a plain literal (0001, "Metadata graph")."""
    text, datatype = date_parts(date)
    return Literal(text, datatype=URIRef(datatype) if datatype else None)


def date_parts(date: str) -> tuple[str, str | None]:
    """(lexical form, datatype IRI or None) of :func:`date_literal`."""
    text = date.strip()
    if _DATE_RE.match(text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return text, None
        return text, str(XSD.date)
    if _YEAR_RE.match(text):
        return text, str(XSD.gYear)
    return text, None


def is_http_iri(url: str) -> bool:
    return _HTTP_IRI_RE.match(url) is not None


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


def preferred_label(counts: Mapping[str, int]) -> str:
    """The label to prefer: the most frequent, then the shortest, then the first in code-point order."""
    return min(counts, key=lambda text: (-counts[text], len(text), text))


def label_counts(graphs: Iterable[Graph], into: LabelCounts | None = None) -> LabelCounts:
    """Count, per subject and language, the graphs that give each ``skos:prefLabel``.

    ``into`` lets a streaming build add shard after shard to one tally before :func:`reconcile_labels`.
    """
    counts: LabelCounts = into if into is not None else defaultdict(Counter)
    for graph in graphs:
        for subject, label in graph.subject_objects(SKOS.prefLabel):
            if isinstance(label, Literal) and label.language:
                counts.setdefault((subject, label.language), Counter())[str(label)] += 1
    return counts


def reconcile_labels(graphs: Iterable[Graph], counts: LabelCounts) -> None:
    """Rewrite ``graphs`` in place so each subject has the one preferred prefLabel per language.

    Where a graph has another prefLabel, it becomes a ``skos:altLabel`` and the preferred one is added, so
    each document graph stays self-contained and their union still has one prefLabel@zh per entity.
    """
    apply_label_choices(graphs, label_choices(counts))


def label_choices(counts: LabelCounts) -> dict[tuple[Node, str], str]:
    """(subject, language) -> preferred label, for the subjects whose graphs give different ones."""
    return {key: preferred_label(c) for key, c in counts.items() if len(c) > 1}


def apply_label_choices(graphs: Iterable[Graph], choices: Mapping[tuple[Node, str], str]) -> None:
    """Make each chosen label the one prefLabel of its subject in ``graphs``; the others become altLabels."""
    if not choices:
        return
    for graph in graphs:
        # Only this graph's own labels are looked at: the work grows with the graph, not with ``choices``.
        settled: set[tuple[Node, str]] = set()
        for subject, label in list(graph.subject_objects(SKOS.prefLabel)):
            if not isinstance(label, Literal) or not label.language:
                continue
            key = (subject, label.language)
            chosen = choices.get(key)
            if chosen is None or key in settled:
                continue
            settled.add(key)
            winner = Literal(chosen, lang=label.language)
            for other in list(graph.objects(subject, SKOS.prefLabel)):
                if isinstance(other, Literal) and other.language == label.language and other != winner:
                    graph.remove((subject, SKOS.prefLabel, other))
                    graph.add((subject, SKOS.altLabel, other))
            graph.add((subject, SKOS.prefLabel, winner))
            graph.remove((subject, SKOS.altLabel, winner))


# ------------------------------------------------------------------ many documents


def build_dataset(
    pairs: Iterable[tuple[Document, Extraction]],
    *,
    base: str = DEFAULT_BASE,
    lexicon: Lexicon | None = None,
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
    dataset_description(stats, base=base, into=dataset.graph(meta_graph_iri(base=base)))
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
    :func:`apply_label_choices` over :func:`batch_dataset`, without writing them twice.
    """
    from kg.rdf.document_quads import document_writers

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
    """:func:`label_counts` of the documents' facts graphs, from the tally, without writing the graphs."""
    from kg.rdf.document_quads import document_writers

    counts: LabelCounts = into if into is not None else {}
    for writer in document_writers(pairs, Quads(), base=base, lexicon=lexicon):
        writer.entity_quads()
        for subject, lang, label in writer.pref_labels():
            counts.setdefault((URIRef(subject), lang), Counter())[label] += 1
    return counts


def merged_graph(dataset: Dataset, *, base: str | None = None) -> Graph:
    """The union of the documents' facts graphs (what graph.ttl holds): no evidence, no metadata.

    Labels are reconciled again over the union, so it has one prefLabel per entity and language even when
    ``dataset`` was put together from :func:`document_dataset` results without :func:`build_dataset`.
    """
    graphs = facts_graphs(dataset)
    if base is None:
        m = _FACTS_GRAPH_RE.match(str(graphs[0].identifier)) if graphs else None
        base = m.group("base") if m else DEFAULT_BASE
    merged = Graph(bind_namespaces="none")
    bind_prefixes(merged, base)
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    reconcile_labels([merged], label_counts(graphs))
    return merged


def merged_triples(quads: Quads) -> set[Triple]:
    """:func:`merged_graph` of :class:`kg.rdf.quads.Quads`: the facts graphs' union, labels reconciled over
    it."""
    facts = [triples for name, triples in quads.graphs.items() if _FACTS_GRAPH_RE.match(name)]
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
                merged.add((s, _ALT, other))
        merged.discard((s, _ALT, winner))
    return merged


@dataclass
class DatasetStats:
    """What the dataset description counts, added up graph by graph or shard by shard."""

    triples: int = 0
    documents: int = 0
    entities: set[Node] = field(default_factory=set)
    vocabularies: set[URIRef] = field(default_factory=set)

    def add(self, dataset: Dataset) -> None:
        self.add_quads(Quads.from_rdflib(dataset))

    def add_quads(self, quads: Quads) -> None:
        self.triples += len(quads)
        for name, triples in quads.graphs.items():
            if _FACTS_GRAPH_RE.match(name):
                self.entities.update(URIRef(s[1:-1]) for s, p, _o in triples if p == _TYPE)
            elif name.endswith("/graph/meta"):
                self.documents += sum(1 for _s, p, o in triples if p == _TYPE and o == _DOCUMENT)
        self.vocabularies |= _vocabularies(quads)

    def merge(self, other: DatasetStats) -> None:
        self.triples += other.triples
        self.documents += other.documents
        self.entities |= other.entities
        self.vocabularies |= other.vocabularies


def dataset_description(stats: DatasetStats, *, base: str = DEFAULT_BASE, into: Graph | None = None) -> Graph:
    """VoID + DCAT description of the dataset (for the meta graph). No timestamps."""
    meta = into if into is not None else Graph(identifier=meta_graph_iri(base=base), bind_namespaces="none")
    node = dataset_iri(base=base)
    meta.add((node, RDF.type, VOID.Dataset))
    meta.add((node, RDF.type, DCAT.Dataset))
    meta.add((node, DCTERMS.title, Literal("kg knowledge graph of Chinese governance texts", lang="en")))
    meta.add((node, DCTERMS.title, Literal("治理文本知识图谱", lang="zh")))
    meta.add((node, VOID.triples, Literal(str(stats.triples), datatype=XSD.integer)))
    meta.add((node, VOID.entities, Literal(str(len(stats.entities)), datatype=XSD.integer)))
    meta.add((node, VOID.uriSpace, Literal(f"{base.rstrip('/')}/id/")))
    meta.add((node, VOID.documents, Literal(str(stats.documents), datatype=XSD.integer)))
    # The description's own vocabularies count too (as they would for any other graph of the dataset).
    for vocabulary in sorted(stats.vocabularies | {URIRef(str(VOID)), URIRef(str(DCAT)), URIRef(str(DCTERMS)),
                                                   URIRef(str(RDF))}):
        meta.add((node, VOID.vocabulary, vocabulary))
    for name, media_type in _DISTRIBUTIONS:
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
