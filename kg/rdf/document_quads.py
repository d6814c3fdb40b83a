"""One document's quads (facts, evidence, metadata), written as :class:`kg.rdf.quads.Quads`.

What each record becomes is docs/decisions/0001-graph-model.md; the IRIs, classes, predicates and literal
forms are :mod:`kg.rdf.terms`'s. Terms are N-Triples strings, not rdflib terms: making those cost more than
all the rest of the work. :func:`kg.rdf.dataset.batch_quads` and :func:`kg.rdf.dataset.batch_label_counts`
are the ways in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD

from kg.core.errors import KGError
from kg.core.lexicon import Lexicon, Term, load_lexicon
from kg.core.normalize import normalize_name
from kg.core.records import Document, Entity, Extraction, Offsets, Relation
from kg.core.resources import ontology_path
from kg.core.text import sentence_offsets
from kg.rdf.iri import canonical_key, entity_iri, mint
from kg.rdf.namespaces import OA, SDO, WD
from kg.rdf.quads import Quads, iri, value_of
from kg.rdf.terms import (
    CLASSES,
    KIND_SCHEMES,
    PREDICATES,
    SHARE_UNITS,
    confidence_text,
    date_parts,
    decimal_text,
    document_graph_iris,
    document_iri,
    is_http_iri,
    meta_graph_iri,
    preferred_label,
)
from kg.rdf.vocab import GOV

__all__ = ["Choices", "DocumentWriter", "document_writers"]

_NORMALIZED_CACHE = 200_000  # names whose normalised form the lexicon index keeps


# ------------------------------------------------------------------ lexicon and kinds


@dataclass(frozen=True)
class _LexiconIndex:
    """Lexicon terms by (label, normalised name), falling back on aliases that only one term claims."""

    lexicon: Lexicon
    terms: Mapping[tuple[str, str], Term]
    #: name -> normalize_name(name): the same names and suffixes come back entity after entity.
    normalized: dict[str, str] = field(default_factory=dict, compare=False)

    def normalize(self, name: str) -> str:
        found = self.normalized.get(name)
        if found is None:
            if len(self.normalized) >= _NORMALIZED_CACHE:
                self.normalized.clear()
            found = self.normalized[name] = normalize_name(name)
        return found

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
        return self.terms.get((label, self.normalize(name)))

    def english(self, entity: Entity) -> str | None:
        term = self.term(entity.label, entity.name)
        return (term.en if term else None) or entity.name_en

    def wikidata(self, entity: Entity) -> str | None:
        qid = self.lexicon.wikidata.get((entity.label, entity.name))
        if qid is None and (term := self.term(entity.label, entity.name)) is not None:
            qid = self.lexicon.wikidata.get((term.label, term.name))
        return qid if qid and re.fullmatch(r"Q[1-9]\d*", qid) else None

    def kind(self, entity: Entity) -> URIRef | None:
        scheme = KIND_SCHEMES.get(entity.label)
        if scheme is None:
            return None
        suffixes = {
            "MECHANISM": self.lexicon.mechanism_suffixes,
            "PROGRAM": self.lexicon.programme_suffixes,
            "POLICY": self.lexicon.policy_suffixes,
        }[entity.label]
        name = self.normalize(entity.name)
        matching = [s for s in suffixes if name.endswith(self.normalize(s))]
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


def document_writers(
    pairs: Iterable[tuple[Document, Extraction]], quads: Quads, *, base: str, lexicon: Lexicon | None = None
) -> Iterator[DocumentWriter]:
    """One writer per document, all writing into ``quads``; a document id given twice is an error."""
    index = _lexicon_index(lexicon)
    seen: set[str] = set()
    for document, extraction in pairs:
        if document.id in seen:
            raise KGError(f"document id {document.id!r} occurs twice in the input")
        seen.add(document.id)
        yield DocumentWriter(quads, document, extraction, base, index)


def _lexicon_index(lexicon: Lexicon | None) -> _LexiconIndex:
    if lexicon is not None:
        return _LexiconIndex.build(lexicon)
    return _shipped_index()


@lru_cache(maxsize=1)
def _shipped_index() -> _LexiconIndex:
    return _LexiconIndex.build(load_lexicon())


@dataclass(frozen=True)
class _Evidence:
    label: str
    confidence: float
    span: Offsets | None


_n = iri  # a term's N-Triples text


# The terms the writer uses, in N-Triples form (kg.rdf.quads).
_TYPE, _STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = (
    _n(t) for t in (RDF.type, RDF.Statement, RDF.subject, RDF.predicate, RDF.object))
_PREF, _ALT, _EXACT_MATCH, _IN_SCHEME, _BROADER = (
    _n(t) for t in (SKOS.prefLabel, SKOS.altLabel, SKOS.exactMatch, SKOS.inScheme, SKOS.broader))
_RDFS_LABEL = _n(RDFS.label)  # beside each prefLabel, for clients that read rdfs:label only
_XSD_NNI, _XSD_DECIMAL = str(XSD.nonNegativeInteger), str(XSD.decimal)
_CLASSES_NT = {label: tuple(_n(c) for c in classes) for label, classes in CLASSES.items()}
_PREDICATES_NT = {label: _n(p) for label, p in PREDICATES.items()}
_T = {name: _n(term) for name, term in {
    "Document": FOAF.Document, "Article": SDO.Article, "identifier": DCTERMS.identifier,
    "characters": GOV.characters, "title": DCTERMS.title, "issued": DCTERMS.issued,
    "publisher": DCTERMS.publisher, "source": DCTERMS.source, "kind": GOV.kind,
    "TargetGroupScheme": GOV.TargetGroupScheme, "group-all": GOV["group-all"], "value": SDO.value,
    "unitText": SDO.unitText, "share": GOV.share, "count": GOV.count,
    "measuredProperty": SDO.measuredProperty,
    "rawText": GOV.rawText, "observationDate": SDO.observationDate, "memberOf": ORG.memberOf,
    "Post": ORG.Post, "postIn": ORG.postIn, "role": ORG.role, "Role": ORG.Role, "holds": ORG.holds,
    "cooperatesWith": GOV.cooperatesWith, "observationAbout": SDO.observationAbout,
    "wasDerivedFrom": PROV.wasDerivedFrom, "confidence": GOV.confidence, "relationLabel": GOV.relationLabel,
    "hasTarget": OA.hasTarget, "SpecificResource": OA.SpecificResource, "hasSource": OA.hasSource,
    "hasSelector": OA.hasSelector, "TextPositionSelector": OA.TextPositionSelector, "start": OA.start,
    "end": OA.end, "TextQuoteSelector": OA.TextQuoteSelector, "exact": OA.exact,
}.items()}

#: (subject IRI, language) -> the label every document must prefer (:func:`kg.rdf.dataset.label_choices`,
#: keys as strings).
Choices = Mapping[tuple[str, str], str]


class DocumentWriter:
    """Writes one document's quads into a :class:`kg.rdf.quads.Quads`: :meth:`write` once, or only
    :meth:`entity_quads` and :meth:`pref_labels` for the label tally.

    Terms are N-Triples strings (``<iri>``, ``"text"@zh``): rdflib terms cost more to make than the rest of
    the work together.
    """

    def __init__(
        self, quads: Quads, document: Document, extraction: Extraction, base: str, index: _LexiconIndex
    ) -> None:
        if extraction.doc_id != document.id:
            raise KGError(f"extraction for {extraction.doc_id!r} given with document {document.id!r}")
        self.quads = quads
        self.document = document
        self.extraction = extraction
        self.base = base
        self.index = index
        self.text = document.text
        facts_iri, evidence_iri = document_graph_iris(document.id, base=base)
        self.facts = quads.graph(str(facts_iri))
        self.evidence_graph = quads.graph(str(evidence_iri))
        self.meta = quads.graph(str(meta_graph_iri(base=base)))
        self.doc = _n(document_iri(document.id, base=base))
        self._sentences = sentence_offsets(self.text)
        self._sentence_starts = [s for s, _ in self._sentences]
        self.entities = {e.id: e for e in extraction.entities}
        self.iris = {e.id: self._entity_iri(e) for e in extraction.entities}
        # (subject, language) -> candidate prefLabels with counts; subject -> altLabel@zh strings.
        self.labels: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.alt_labels: dict[str, set[str]] = defaultdict(set)
        self.statements: dict[tuple[str, str, str], _Evidence] = {}

    def write(self, *, evidence: bool = True, choices: Choices | None = None) -> None:
        """Write the document's quads; ``evidence=False`` leaves the evidence graph empty.

        ``choices`` settles the prefLabel of subjects that documents name differently (what
        rewriting a written graph would do, done here before the labels are written).
        """
        self.entity_quads()
        self._labels(choices or {})
        if evidence:
            for triple in sorted(self.statements):
                self._statement(triple, self.statements[triple])

    def entity_quads(self) -> None:
        """Metadata, entities and relations; labels only tallied (:meth:`pref_labels` reads the tally)."""
        self._document_metadata()
        for entity in self.extraction.entities:
            self._entity(entity)
        for relation in self.extraction.relations:
            self._relation(relation)

    def pref_labels(self) -> Iterator[tuple[str, str, str]]:
        """(subject IRI, language, prefLabel) as this document's graph states them before reconciliation."""
        for (subject, lang), counts in self.labels.items():
            yield subject[1:-1], lang, preferred_label(counts)

    # -- IRIs

    def _entity_iri(self, entity: Entity) -> str:
        if entity.label == "METRIC":
            where = str(entity.mentions[0][0]) if entity.mentions else f"id:{entity.id}"
            return _n(mint("observation", f"METRIC|{self.document.id}|{where}", base=self.base))
        return _n(entity_iri(entity.label, entity.name, base=self.base))

    # -- metadata

    def _document_metadata(self) -> None:
        d, doc, lit, add, t = self.document, self.doc, self.quads.literal, self.meta.add, _T
        add((doc, _TYPE, t["Document"]))
        add((doc, _TYPE, t["Article"]))
        add((doc, t["identifier"], lit(d.id)))
        add((doc, t["characters"], lit(str(len(d.text)), datatype=_XSD_NNI)))
        if d.title and d.title.strip():
            add((doc, t["title"], lit(d.title.strip(), "zh")))
        if d.date and d.date.strip():
            text, datatype = date_parts(d.date)
            add((doc, t["issued"], lit(text, datatype=datatype)))
        if d.source and d.source.strip():
            add((doc, t["publisher"], lit(d.source.strip(), "zh")))
        if d.url and is_http_iri(d.url.strip()):
            add((doc, t["source"], _n(d.url.strip())))

    # -- entities

    def _label(self, subject: str, text: str, lang: str = "zh") -> None:
        if text.strip():
            self.labels[(subject, lang)][text] += 1

    def _entity(self, entity: Entity) -> None:
        iri, add, t = self.iris[entity.id], self.facts.add, _T
        classes = _CLASSES_NT[entity.label]
        for cls in classes:
            add((iri, _TYPE, cls))
        self._label(iri, entity.name)
        for alias in entity.aliases:
            if alias.strip() and alias != entity.name:
                self.alt_labels[iri].add(alias)
        if english := self.index.english(entity):
            self._label(iri, english, "en")
        if qid := self.index.wikidata(entity):
            add((iri, _EXACT_MATCH, _n(WD[qid])))
        if kind := self.index.kind(entity):
            add((iri, t["kind"], _n(kind)))
        if entity.label == "PLACE" and (term := self.index.term("PLACE", entity.name)) and term.code:
            add((iri, t["identifier"], self.quads.literal(term.code)))
        if entity.label == "GROUP":
            add((iri, _IN_SCHEME, t["TargetGroupScheme"]))
            add((iri, _BROADER, t["group-all"]))
        if entity.label == "METRIC":
            self._observation(iri, entity)
        span = self._first_mention(entity)
        self._evidence((iri, _TYPE, classes[0]), entity.label, entity.confidence,
                       self._sentence(span) if span else self._find(entity.name, *entity.aliases))

    def _observation(self, iri: str, entity: Entity) -> None:
        add, lit, t = self.facts.add, self.quads.literal, _T
        if entity.value is not None and entity.value.is_finite():
            add((iri, t["value"], lit(decimal_text(entity.value), datatype=_XSD_DECIMAL)))
        if entity.unit:
            add((iri, t["unitText"], lit(entity.unit)))
        prop = t["share"] if (entity.unit or "").strip() in SHARE_UNITS else t["count"]
        add((iri, t["measuredProperty"], prop))
        span = self._first_mention(entity)
        raw = self.text[span[0]:span[1]] if span else entity.name
        add((iri, t["rawText"], lit(raw or entity.name)))
        if self.document.date:
            text, datatype = date_parts(self.document.date)
            if datatype in (str(XSD.date), str(XSD.gYear)):
                add((iri, t["observationDate"], lit(text, datatype=datatype)))

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
        main: tuple[str, str, str]
        if relation.label == "holdsPost":
            main = self._holds_post(h, t, tail, relation.post)
        elif relation.label == "cooperatesWith":
            a, b = sorted((h, t), key=value_of)  # IRI order, as rdflib's URIRefs compare
            main = (a, _T["cooperatesWith"], b)
        elif relation.label == "quantifies":
            if head.label != "METRIC" and tail.label == "METRIC":
                h, t = t, h
            main = (h, _T["observationAbout"], t)
        elif relation.label in _PREDICATES_NT:
            main = (h, _PREDICATES_NT[relation.label], t)
        else:
            return
        self.facts.add(main)
        self._evidence(main, relation.label, relation.confidence, self._relation_span(relation, head, tail))

    def _holds_post(self, person: str, org: str, body: Entity, role: str | None) -> tuple[str, str, str]:
        add, t = self.facts.add, _T
        add((person, t["memberOf"], org))
        if not role or not role.strip():
            return (person, t["memberOf"], org)
        post = _n(mint("post", canonical_key("POST", role, parent=body.name), base=self.base))
        role_iri = _n(entity_iri("POST", role, base=self.base))
        add((post, _TYPE, t["Post"]))
        add((post, t["postIn"], org))
        add((post, t["role"], role_iri))
        add((role_iri, _TYPE, t["Role"]))
        self._label(post, body.name + role)
        self._label(role_iri, role)
        add((person, t["holds"], post))
        return (person, t["holds"], post)

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
        self, triple: tuple[str, str, str], label: str, confidence: float, span: Offsets | None
    ) -> None:
        """Keep one statement per triple: the most confident, then the earliest sentence."""
        new = _Evidence(label, confidence, span)
        old = self.statements.get(triple)
        if old is None or _evidence_rank(new) < _evidence_rank(old):
            self.statements[triple] = new

    def _statement(self, triple: tuple[str, str, str], ev: _Evidence) -> None:
        s, p, o = triple
        stmt_iri = mint("stmt", self.document.id, s[1:-1], p[1:-1], o[1:-1], base=self.base)
        stmt, add, lit, t = _n(stmt_iri), self.evidence_graph.add, self.quads.literal, _T
        add((stmt, _TYPE, _STATEMENT))
        add((stmt, _SUBJECT, s))
        add((stmt, _PREDICATE, p))
        add((stmt, _OBJECT, o))
        add((stmt, t["wasDerivedFrom"], self.doc))
        add((stmt, t["confidence"], lit(confidence_text(ev.confidence), datatype=_XSD_DECIMAL)))
        add((stmt, t["relationLabel"], lit(ev.label)))
        if ev.span is None or ev.span[0] >= ev.span[1]:
            return  # no sentence known: the statement names its document only (a SHACL warning)
        start, end = ev.span
        target, pos, quote = (f"<{stmt_iri}#{part}>" for part in ("target", "pos", "quote"))
        add((stmt, t["hasTarget"], target))
        add((target, _TYPE, t["SpecificResource"]))
        add((target, t["hasSource"], self.doc))
        add((target, t["hasSelector"], pos))
        add((target, t["hasSelector"], quote))
        add((pos, _TYPE, t["TextPositionSelector"]))
        add((pos, t["start"], lit(str(start), datatype=_XSD_NNI)))
        add((pos, t["end"], lit(str(end), datatype=_XSD_NNI)))
        add((quote, _TYPE, t["TextQuoteSelector"]))
        add((quote, t["exact"], lit(self.text[start:end])))

    # -- labels

    def _labels(self, choices: Choices) -> None:
        """One prefLabel per subject and language (and the same rdfs:label); the other candidates and the
        aliases become altLabels.

        The prefLabel is the document's own most frequent name unless ``choices`` names another, which then
        replaces it (the document's own becomes an altLabel, as rewriting the graph would make it).
        """
        add, lit = self.facts.add, self.quads.literal
        for (subject, lang), counts in self.labels.items():
            chosen = choices.get((subject[1:-1], lang)) or preferred_label(counts)
            add((subject, _PREF, lit(chosen, lang)))
            add((subject, _RDFS_LABEL, lit(chosen, lang)))
            others = set(counts)
            if lang == "zh":
                others |= self.alt_labels.get(subject, set())
            for other in others:
                if other != chosen:
                    add((subject, _ALT, lit(other, lang)))
        for subject, aliases in self.alt_labels.items():
            if (subject, "zh") not in self.labels:
                for alias in aliases:
                    add((subject, _ALT, lit(alias, "zh")))


def _evidence_rank(ev: _Evidence) -> tuple[float, int, int]:
    span = ev.span if ev.span and ev.span[0] < ev.span[1] else (1 << 62, 1 << 62)
    return (-ev.confidence, span[0], span[1])
