"""Extraction records -> RDF, as docs/decisions/0001-graph-model.md describes.

One document gives three named graphs: its facts ``<base>/graph/{hash}``, its evidence
``<base>/graph/{hash}/evidence`` (``rdf:Statement`` nodes with Web Annotation selectors on the
sentence) and its own metadata triples in ``<base>/graph/meta``. :func:`document_dataset` is a pure
function of one document, so documents can be turned into graphs one at a time (and written as N-Quads
shards); :func:`build_dataset` puts many together, settles the one ``skos:prefLabel`` per language of
entities named differently by different documents (:func:`reconcile_labels`) and adds the VoID / DCAT
description of the whole.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, PROV, RDF, SKOS, VOID, XSD, NamespaceManager
from rdflib.term import Node

from kg.errors import KGError
from kg.iri import canonical_key, digest, entity_iri, mint
from kg.lexicon import Lexicon, Term, load_lexicon
from kg.model import Document, Entity, Extraction, Offsets, Relation
from kg.namespaces import DEFAULT_BASE, OA, PREFIXES, SDO, WD, bind_prefixes
from kg.nlp.text import sentence_offsets
from kg.normalize import normalize_name
from kg.resources import ontology_path
from kg.vocab import GOV

__all__ = [
    "CLASSES",
    "DatasetStats",
    "LabelCounts",
    "apply_label_choices",
    "batch_dataset",
    "build_dataset",
    "confidence_literal",
    "date_literal",
    "decimal_literal",
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
_PREDICATES: dict[str, URIRef] = {
    "subOrganizationOf": ORG.subOrganizationOf,
    "locatedIn": SDO.location,
    "runs": GOV.runs,
    "issues": GOV.issues,
    "targets": GOV.targets,
    "partOf": DCTERMS.isPartOf,
    "organizes": GOV.organizes,
}

#: Entity label -> the concept scheme its gov:kind comes from.
_KIND_SCHEMES = {
    "MECHANISM": GOV.MechanismKindScheme,
    "PROGRAM": GOV.ProgrammeKindScheme,
    "POLICY": GOV.DocumentKindScheme,
}

_SHARE_UNITS = frozenset({"%", "％", "‰"})
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
    return Literal(text, datatype=XSD.decimal)


def confidence_literal(confidence: float) -> Literal:
    """A confidence in [0, 1] as an ``xsd:decimal`` with at most three places."""
    clamped = min(1.0, max(0.0, float(confidence)))
    return decimal_literal(str(round(clamped, 3)))


def date_literal(date: str) -> Literal:
    """``xsd:date`` for YYYY-MM-DD, ``xsd:gYear`` for YYYY, else a plain literal (0001, "Metadata graph")."""
    text = date.strip()
    if _DATE_RE.match(text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return Literal(text)
        return Literal(text, datatype=XSD.date)
    if _YEAR_RE.match(text):
        return Literal(text, datatype=XSD.gYear)
    return Literal(text)


def is_http_iri(url: str) -> bool:
    return _HTTP_IRI_RE.match(url) is not None


# ------------------------------------------------------------------ lexicon and kinds


@dataclass(frozen=True)
class _LexiconIndex:
    """Lexicon terms by (label, normalised name), falling back on aliases that only one term claims."""

    lexicon: Lexicon
    terms: Mapping[tuple[str, str], Term]

    @classmethod
    def build(cls, lexicon: Lexicon) -> _LexiconIndex:
        by_name: dict[tuple[str, str], Term] = {}
        by_alias: dict[tuple[str, str], list[Term]] = defaultdict(list)
        for term in lexicon.terms:
            by_name.setdefault((term.label, normalize_name(term.name)), term)
            for alias in term.aliases:
                by_alias[(term.label, normalize_name(alias))].append(term)
        for key, terms in by_alias.items():
            if key not in by_name and len(terms) == 1:
                by_name[key] = terms[0]
        return cls(lexicon, by_name)

    def term(self, label: str, name: str) -> Term | None:
        return self.terms.get((label, normalize_name(name)))

    def english(self, entity: Entity) -> str | None:
        term = self.term(entity.label, entity.name)
        return (term.en if term else None) or entity.name_en

    def wikidata(self, entity: Entity) -> str | None:
        qid = self.lexicon.wikidata.get((entity.label, entity.name))
        if qid is None and (term := self.term(entity.label, entity.name)) is not None:
            qid = self.lexicon.wikidata.get((term.label, term.name))
        return qid if qid and re.fullmatch(r"Q[1-9]\d*", qid) else None

    def kind(self, entity: Entity) -> URIRef | None:
        scheme = _KIND_SCHEMES.get(entity.label)
        if scheme is None:
            return None
        suffixes = {
            "MECHANISM": self.lexicon.mechanism_suffixes,
            "PROGRAM": self.lexicon.programme_suffixes,
            "POLICY": self.lexicon.policy_suffixes,
        }[entity.label]
        name = normalize_name(entity.name)
        matching = [s for s in suffixes if name.endswith(normalize_name(s))]
        if not matching:
            return None
        word = suffixes[max(matching, key=lambda s: (len(s), s))]
        concepts = _kind_concepts().get(scheme, {})
        for notation in (f"{word}-document", word) if entity.label == "POLICY" else (word,):
            if notation in concepts:
                return concepts[notation]
        return None


@lru_cache(maxsize=1)
def _kind_concepts() -> dict[URIRef, dict[str, URIRef]]:
    """scheme -> {skos:notation: concept}, read from the shipped ontology."""
    ontology = Graph().parse(ontology_path("governance.ttl"), format="turtle")
    out: dict[URIRef, dict[str, URIRef]] = defaultdict(dict)
    for concept, scheme in ontology.subject_objects(SKOS.inScheme):
        notation = ontology.value(concept, SKOS.notation)
        if isinstance(concept, URIRef) and isinstance(scheme, URIRef) and notation is not None:
            out[scheme][str(notation)] = concept
    return dict(out)


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
    index = _lexicon_index(lexicon)
    dataset = _new_dataset(base)
    _DocumentWriter(dataset, document, extraction, base, index).write()
    return dataset


def _new_dataset(base: str) -> Dataset:
    dataset = Dataset(default_union=False)
    dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="none")
    bind_prefixes(dataset, base)
    return dataset


@dataclass(frozen=True)
class _Evidence:
    label: str
    confidence: float
    span: Offsets | None


class _DocumentWriter:
    """Writes one document's quads into a dataset. Private: used once, through :meth:`write`."""

    def __init__(
        self, dataset: Dataset, document: Document, extraction: Extraction, base: str, index: _LexiconIndex
    ) -> None:
        if extraction.doc_id != document.id:
            raise KGError(f"extraction for {extraction.doc_id!r} given with document {document.id!r}")
        self.document = document
        self.extraction = extraction
        self.base = base
        self.index = index
        self.text = document.text
        facts_iri, evidence_iri = document_graph_iris(document.id, base=base)
        self.facts = dataset.graph(facts_iri)
        self.evidence_graph = dataset.graph(evidence_iri)
        self.meta = dataset.graph(meta_graph_iri(base=base))
        self.doc = document_iri(document.id, base=base)
        self._sentences = sentence_offsets(self.text)
        self._sentence_starts = [s for s, _ in self._sentences]
        self.entities = {e.id: e for e in extraction.entities}
        self.iris = {e.id: self._entity_iri(e) for e in extraction.entities}
        # (subject, language) -> candidate prefLabels with counts; subject -> altLabel@zh strings.
        self.labels: dict[tuple[URIRef, str], Counter[str]] = defaultdict(Counter)
        self.alt_labels: dict[URIRef, set[str]] = defaultdict(set)
        self.statements: dict[tuple[URIRef, URIRef, URIRef], _Evidence] = {}

    def write(self, *, evidence: bool = True) -> None:
        """Write the document's quads; ``evidence=False`` leaves the evidence graph empty (label tallies)."""
        self._document_metadata()
        for entity in self.extraction.entities:
            self._entity(entity)
        for relation in self.extraction.relations:
            self._relation(relation)
        self._labels()
        if evidence:
            for triple in sorted(self.statements):
                self._statement(triple, self.statements[triple])

    # -- IRIs

    def _entity_iri(self, entity: Entity) -> URIRef:
        if entity.label == "METRIC":
            where = str(entity.mentions[0][0]) if entity.mentions else f"id:{entity.id}"
            return mint("observation", f"METRIC|{self.document.id}|{where}", base=self.base)
        return entity_iri(entity.label, entity.name, base=self.base)

    # -- metadata

    def _document_metadata(self) -> None:
        d, doc = self.document, self.doc
        self.meta.add((doc, RDF.type, FOAF.Document))
        self.meta.add((doc, RDF.type, SDO.Article))
        self.meta.add((doc, DCTERMS.identifier, Literal(d.id)))
        self.meta.add((doc, GOV.characters, Literal(str(len(d.text)), datatype=XSD.nonNegativeInteger)))
        if d.title and d.title.strip():
            self.meta.add((doc, DCTERMS.title, Literal(d.title.strip(), lang="zh")))
        if d.date and d.date.strip():
            self.meta.add((doc, DCTERMS.issued, date_literal(d.date)))
        if d.source and d.source.strip():
            self.meta.add((doc, DCTERMS.publisher, Literal(d.source.strip(), lang="zh")))
        if d.url and is_http_iri(d.url.strip()):
            self.meta.add((doc, DCTERMS.source, URIRef(d.url.strip())))

    # -- entities

    def _label(self, subject: URIRef, text: str, lang: str = "zh") -> None:
        if text.strip():
            self.labels[(subject, lang)][text] += 1

    def _entity(self, entity: Entity) -> None:
        iri = self.iris[entity.id]
        for cls in CLASSES[entity.label]:
            self.facts.add((iri, RDF.type, cls))
        self._label(iri, entity.name)
        for alias in entity.aliases:
            if alias.strip() and alias != entity.name:
                self.alt_labels[iri].add(alias)
        if english := self.index.english(entity):
            self._label(iri, english, "en")
        if qid := self.index.wikidata(entity):
            self.facts.add((iri, SKOS.exactMatch, WD[qid]))
        if kind := self.index.kind(entity):
            self.facts.add((iri, GOV.kind, kind))
        if entity.label == "PLACE" and (term := self.index.term("PLACE", entity.name)) and term.code:
            self.facts.add((iri, DCTERMS.identifier, Literal(term.code)))
        if entity.label == "GROUP":
            self.facts.add((iri, SKOS.inScheme, GOV.TargetGroupScheme))
            self.facts.add((iri, SKOS.broader, GOV["group-all"]))
        if entity.label == "METRIC":
            self._observation(iri, entity)
        span = self._first_mention(entity)
        self._evidence((iri, RDF.type, CLASSES[entity.label][0]), entity.label, entity.confidence,
                       self._sentence(span) if span else self._find(entity.name, *entity.aliases))

    def _observation(self, iri: URIRef, entity: Entity) -> None:
        if entity.value is not None and entity.value.is_finite():
            self.facts.add((iri, SDO.value, decimal_literal(entity.value)))
        if entity.unit:
            self.facts.add((iri, SDO.unitText, Literal(entity.unit)))
        prop = GOV.share if (entity.unit or "").strip() in _SHARE_UNITS else GOV.count
        self.facts.add((iri, SDO.measuredProperty, prop))
        span = self._first_mention(entity)
        raw = self.text[span[0]:span[1]] if span else entity.name
        self.facts.add((iri, GOV.rawText, Literal(raw or entity.name)))
        if self.document.date:
            date = date_literal(self.document.date)
            if date.datatype in (XSD.date, XSD.gYear):
                self.facts.add((iri, SDO.observationDate, date))

    def _first_mention(self, entity: Entity) -> Offsets | None:
        for span in entity.mentions:
            if self._valid(span):
                return span
        return None

    # -- relations

    def _relation(self, relation: Relation) -> None:
        head, tail = self.entities.get(relation.head), self.entities.get(relation.tail)
        if head is None or tail is None:
            return
        h, t = self.iris[head.id], self.iris[tail.id]
        main: tuple[URIRef, URIRef, URIRef]
        if relation.label == "holdsPost":
            main = self._holds_post(h, t, tail, relation.post)
        elif relation.label == "cooperatesWith":
            a, b = sorted((h, t))
            main = (a, GOV.cooperatesWith, b)
        elif relation.label == "quantifies":
            if head.label != "METRIC" and tail.label == "METRIC":
                h, t = t, h
            main = (h, SDO.observationAbout, t)
        elif relation.label in _PREDICATES:
            main = (h, _PREDICATES[relation.label], t)
        else:
            return
        self.facts.add(main)
        self._evidence(main, relation.label, relation.confidence, self._relation_span(relation, head, tail))

    def _holds_post(
        self, person: URIRef, org: URIRef, body: Entity, role: str | None
    ) -> tuple[URIRef, URIRef, URIRef]:
        self.facts.add((person, ORG.memberOf, org))
        if not role or not role.strip():
            return (person, ORG.memberOf, org)
        post = mint("post", canonical_key("POST", role, parent=body.name), base=self.base)
        role_iri = entity_iri("POST", role, base=self.base)
        self.facts.add((post, RDF.type, ORG.Post))
        self.facts.add((post, ORG.postIn, org))
        self.facts.add((post, ORG.role, role_iri))
        self.facts.add((role_iri, RDF.type, ORG.Role))
        self._label(post, body.name + role)
        self._label(role_iri, role)
        self.facts.add((person, ORG.holds, post))
        return (person, ORG.holds, post)

    def _relation_span(self, relation: Relation, head: Entity, tail: Entity) -> Offsets | None:
        sentence = relation.sentence
        if sentence and self._valid(sentence) and sentence[0] < sentence[1]:
            return sentence
        if relation.evidence and self._valid(relation.evidence):
            return self._sentence(relation.evidence)
        for entity in (head, tail):
            if span := self._first_mention(entity):
                return self._sentence(span)
        return self._find_both(head, tail) or self._find(head.name, *head.aliases)

    # -- sentences

    def _valid(self, span: Offsets) -> bool:
        return 0 <= span[0] <= span[1] <= len(self.text)

    def _sentence(self, span: Offsets) -> Offsets | None:
        """The sentence holding ``span``, or the run of sentences it overlaps; else the span itself."""
        start, end = span
        first = bisect_right(self._sentence_starts, start) - 1
        covering = []
        for i in range(max(first, 0), len(self._sentences)):
            s, e = self._sentences[i]
            if s >= max(end, start + 1):
                break
            if e > start:
                covering.append((s, e))
        if covering:
            return covering[0][0], covering[-1][1]
        return span if start < end else None

    def _find(self, *names: str) -> Offsets | None:
        """The sentence of the first occurrence of any of ``names`` (for records that carry no offsets)."""
        hits = [i for name in names if name and (i := self.text.find(name)) >= 0]
        if not hits:
            return None
        i = min(hits)
        return self._sentence((i, i + 1))

    def _find_both(self, head: Entity, tail: Entity) -> Offsets | None:
        for s, e in self._sentences:
            sentence = self.text[s:e]
            if any(n and n in sentence for n in (head.name, *head.aliases)) and any(
                n and n in sentence for n in (tail.name, *tail.aliases)
            ):
                return s, e
        return None

    # -- evidence

    def _evidence(
        self, triple: tuple[URIRef, URIRef, URIRef], label: str, confidence: float, span: Offsets | None
    ) -> None:
        """Keep one statement per triple: the most confident, then the earliest sentence."""
        new = _Evidence(label, confidence, span)
        old = self.statements.get(triple)
        if old is None or _evidence_rank(new) < _evidence_rank(old):
            self.statements[triple] = new

    def _statement(self, triple: tuple[URIRef, URIRef, URIRef], ev: _Evidence) -> None:
        s, p, o = triple
        stmt = mint("stmt", self.document.id, str(s), str(p), str(o), base=self.base)
        g = self.evidence_graph
        g.add((stmt, RDF.type, RDF.Statement))
        g.add((stmt, RDF.subject, s))
        g.add((stmt, RDF.predicate, p))
        g.add((stmt, RDF.object, o))
        g.add((stmt, PROV.wasDerivedFrom, self.doc))
        g.add((stmt, GOV.confidence, confidence_literal(ev.confidence)))
        g.add((stmt, GOV.relationLabel, Literal(ev.label)))
        if ev.span is None or ev.span[0] >= ev.span[1]:
            return  # no sentence known: the statement names its document only (a SHACL warning)
        start, end = ev.span
        target, pos, quote = (URIRef(f"{stmt}#{part}") for part in ("target", "pos", "quote"))
        g.add((stmt, OA.hasTarget, target))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, self.doc))
        g.add((target, OA.hasSelector, pos))
        g.add((target, OA.hasSelector, quote))
        g.add((pos, RDF.type, OA.TextPositionSelector))
        g.add((pos, OA.start, Literal(str(start), datatype=XSD.nonNegativeInteger)))
        g.add((pos, OA.end, Literal(str(end), datatype=XSD.nonNegativeInteger)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(self.text[start:end])))

    # -- labels

    def _labels(self) -> None:
        """One prefLabel per subject and language; the other candidates become altLabels."""
        for (subject, lang), counts in sorted(self.labels.items()):
            chosen = preferred_label(counts)
            self.facts.add((subject, SKOS.prefLabel, Literal(chosen, lang=lang)))
            for other in counts:
                if other != chosen:
                    self.facts.add((subject, SKOS.altLabel, Literal(other, lang=lang)))
        for subject, aliases in self.alt_labels.items():
            chosen_zh = self.labels.get((subject, "zh"))
            pref = preferred_label(chosen_zh) if chosen_zh else None
            for alias in aliases:
                if alias != pref:
                    self.facts.add((subject, SKOS.altLabel, Literal(alias, lang="zh")))


def _evidence_rank(ev: _Evidence) -> tuple[float, int, int]:
    span = ev.span if ev.span and ev.span[0] < ev.span[1] else (1 << 62, 1 << 62)
    return (-ev.confidence, span[0], span[1])


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

    Everything in memory; ``kg build`` streams the same steps batch by batch (:mod:`kg.shards`).
    """
    dataset = batch_dataset(pairs, base=base, lexicon=lexicon)
    graphs = facts_graphs(dataset)
    reconcile_labels(graphs, label_counts(graphs))
    stats = DatasetStats()
    stats.add(dataset)
    dataset_description(stats, base=base, into=dataset.graph(meta_graph_iri(base=base)))
    return dataset


def batch_dataset(
    pairs: Iterable[tuple[Document, Extraction]],
    *,
    base: str = DEFAULT_BASE,
    lexicon: Lexicon | None = None,
    evidence: bool = True,
) -> Dataset:
    """The graphs of several documents in one dataset, labels not yet reconciled, no description.

    ``evidence=False`` skips the evidence graphs (for :func:`label_counts`, which only reads facts).
    """
    index = _lexicon_index(lexicon)
    dataset = _new_dataset(base)
    seen: set[str] = set()
    for document, extraction in pairs:
        if document.id in seen:
            raise KGError(f"document id {document.id!r} occurs twice in the input")
        seen.add(document.id)
        _DocumentWriter(dataset, document, extraction, base, index).write(evidence=evidence)
    return dataset


def _lexicon_index(lexicon: Lexicon | None) -> _LexiconIndex:
    if lexicon is not None:
        return _LexiconIndex.build(lexicon)
    return _shipped_index()


@lru_cache(maxsize=1)
def _shipped_index() -> _LexiconIndex:
    return _LexiconIndex.build(load_lexicon())


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


@dataclass
class DatasetStats:
    """What the dataset description counts, added up graph by graph or shard by shard."""

    triples: int = 0
    documents: int = 0
    entities: set[Node] = field(default_factory=set)
    vocabularies: set[URIRef] = field(default_factory=set)

    def add(self, dataset: Dataset) -> None:
        self.triples += sum(len(g) for g in dataset.graphs())
        self.entities.update(s for g in facts_graphs(dataset) for s in g.subjects(RDF.type, None))
        for graph in dataset.graphs():
            if str(graph.identifier).endswith("/graph/meta"):
                self.documents += sum(1 for _ in graph.subjects(RDF.type, FOAF.Document))
        self.vocabularies |= _vocabularies(dataset)

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


def _vocabularies(dataset: Dataset) -> set[URIRef]:
    """Namespaces of the predicates and classes in use that are vocabularies (not data or Wikidata)."""
    used: set[str] = set()
    for _s, p, o, _g in _quads(dataset):
        used.add(str(p))
        if p == RDF.type:
            used.add(str(o))
    namespaces = {str(ns) for prefix, ns in PREFIXES.items() if prefix not in {"wd", "sh"}}
    return {URIRef(ns) for ns in namespaces if any(term.startswith(ns) for term in used)}


def _quads(dataset: Dataset) -> Iterator[tuple[Node, Node, Node, Node]]:
    for graph in dataset.graphs():
        for s, p, o in graph:
            yield s, p, o, graph.identifier
