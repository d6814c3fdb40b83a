"""What the graph view shows, read from a dataset: entities as nodes (class, names, documents), relations as
edges, and the evidence sentences of each, as one networkx graph (:func:`entity_graph`).

A build reads it shard by shard (:class:`ViewParts`, which add up in any grouping); the page is
:mod:`kg.view.page`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SKOS

from kg.core.errors import InputError, KGError
from kg.core.folder import BuildFolder
from kg.core.lexicon import load_lexicon
from kg.rdf.namespaces import GOV, OA, SDO, local_name
from kg.rdf.quads import LiteralValue, Quads
from kg.rdf.terms import ENTITY_CLASSES, EntityClass, is_facts_graph

#: Class key -> (colour, vis-network shape, legend glyph); OTHER for nodes of no class.
STYLES: dict[str, tuple[str, str, str]] = {
    "ORG": ("#4e79a7", "dot", "●"),
    "PERSON": ("#f28e2b", "star", "★"),
    "POSITION": ("#ff9da7", "triangleDown", "▼"),
    "POST": ("#e15759", "triangle", "▲"),
    "PLACE": ("#76b7b2", "hexagon", "⬢"),
    "MECHANISM": ("#59a14f", "diamond", "◆"),
    "PROGRAM": ("#edc948", "square", "■"),
    "POLICY": ("#b07aa1", "square", "■"),
    "GROUP": ("#9c755f", "dot", "●"),
    "METRIC": ("#8c8c8c", "diamond", "◆"),
    "EVENT": ("#17becf", "star", "★"),
    "OTHER": ("#c7c7c7", "dot", "●"),
}
_OTHER = EntityClass((), "Other", "其他")
#: Class key -> (rdf:type IRIs, English name, Chinese name, colour, vis-network shape, legend glyph): the
#: classes of :data:`kg.rdf.terms.ENTITY_CLASSES` in their order, drawn as :data:`STYLES` says, then OTHER.
CLASSES: dict[str, tuple[tuple[URIRef, ...], str, str, str, str, str]] = {
    key: (c.types + c.also, c.name, c.zh, *STYLES[key])
    for key, c in {**ENTITY_CLASSES, "OTHER": _OTHER}.items()
}
_CLASS_OF_TYPE: dict[str, str] = {str(t): key for key, spec in reversed(CLASSES.items()) for t in spec[0]}
_CLASS_ORDER = {key: i for i, key in enumerate(CLASSES)}
_RDF_TYPE = str(RDF.type)

#: Predicate -> relation name shown on the page (the extraction label where 0001 gives one).
RELATION_NAMES: dict[str, str] = {str(k): v for k, v in {
    ORG.holds: "holdsPost",
    ORG.postIn: "postIn",
    ORG.role: "role",
    ORG.memberOf: "memberOf",
    ORG.subOrganizationOf: "subOrganizationOf",
    SDO.location: "locatedIn",
    GOV.runs: "runs",
    GOV.issues: "issues",
    GOV.cooperatesWith: "cooperatesWith",
    GOV.targets: "targets",
    SDO.observationAbout: "quantifies",
    DCTERMS.isPartOf: "partOf",
    GOV.organizes: "organizes",
}.items()}
#: Predicates between entities that are not relations a reader follows.
_NOT_RELATIONS = frozenset({RDF.type, SKOS.exactMatch, SKOS.broader, SKOS.inScheme, GOV.kind,
                            SDO.measuredProperty})
_PROVINCE_CODE = re.compile(r"^\d{2}0000$")
_PROVINCE_KINDS = frozenset(
    {"province", "municipality", "autonomous region", "special administrative region"})


# ------------------------------------------------------------------------------------------ the result


@dataclass(frozen=True)
class ViewStats:
    """What a view shows: its nodes and edges, the graph's totals, and the entities the size cap left out."""

    nodes: int
    edges: int
    nodes_total: int
    edges_total: int
    omitted: int
    linked: int = 0  # of ``nodes``, those with a relation in the view: what the page draws at first

    def summary(self) -> str:
        text = (f"{self.nodes:,} entities and {self.edges:,} relations "
                f"(the graph has {self.nodes_total:,} and {self.edges_total:,}); "
                f"{self.linked:,} entities with a relation drawn at first")
        if self.omitted:
            text += f"; {self.omitted:,} entities of the selection left out by the size cap"
        return text


# ------------------------------------------------------------------------------- reading the dataset


def read_entity_graph(path: Path) -> nx.MultiDiGraph:
    """:func:`entity_graph` of a build folder (read shard by shard), or of a .trig/.nq file."""
    path = Path(path)
    shards = BuildFolder(path).shard_files() if path.is_dir() else []
    if shards:
        return entity_graph(read_dataset(shard) for shard in shards)
    return entity_graph(read_dataset(path))


def read_dataset(path: Path) -> Dataset:
    """A build output folder (its ``graph.nq`` or ``graph.trig``) or a ``.trig``/``.nq`` file."""
    path = Path(path)
    if path.is_dir():
        found = next((c for c in BuildFolder(path).datasets if c.is_file()), None)
        if found is None:
            raise InputError(path, "no graph.trig or graph.nq in this folder (is it a `kg build` output?)")
        path = found
    formats = {".trig": "trig", ".nq": "nquads", ".nquads": "nquads"}
    fmt = formats.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, "expected a build folder, a .trig file or a .nq file")
    if not path.is_file():
        raise InputError(path, "no such file")
    dataset = Dataset()
    try:
        dataset.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds for bad input
        reason = " ".join(str(exc).split())[:300]
        raise InputError(path, f"cannot parse as {fmt}: {reason}") from exc
    return dataset


@dataclass(frozen=True)
class _Doc:
    iri: str
    id: str
    title: str
    date: str = ""  # dct:issued as written (an xsd:date or xsd:gYear), or ""


Sentence = tuple[str, int, int, str]  # doc IRI, start, end, text

_NT_TYPE, _NT_STATEMENT, _NT_SUBJECT, _NT_PREDICATE, _NT_OBJECT = (
    f"<{t}>" for t in (RDF.type, RDF.Statement, RDF.subject, RDF.predicate, RDF.object))
_NT_DERIVED, _NT_CONFIDENCE, _NT_TARGET, _NT_SELECTOR, _NT_EXACT, _NT_START, _NT_END = (
    f"<{t}>" for t in (PROV.wasDerivedFrom, GOV.confidence, OA.hasTarget, OA.hasSelector, OA.exact, OA.start,
                       OA.end))
_NT_PREF, _NT_ALT, _NT_IDENTIFIER, _NT_TITLE, _NT_ISSUED = (
    f"<{t}>" for t in (SKOS.prefLabel, SKOS.altLabel, DCTERMS.identifier, DCTERMS.title, DCTERMS.issued))
_NT_DOCUMENT, _NT_POLICY = f"<{FOAF.Document}>", f"<{GOV.PolicyDocument}>"
_NT_NOT_RELATIONS = frozenset(f"<{t}>" for t in _NOT_RELATIONS)


def _raw(term: str) -> str:
    """The IRI of an N-Triples IRI term; any other term as it is."""
    return term[1:-1] if term[0] == "<" else term


@dataclass
class _Evidence:
    """Sentences behind each triple, from the evidence graphs."""

    by_triple: dict[tuple[str, str, str], list[tuple[Sentence, str]]] = field(
        default_factory=lambda: defaultdict(list))
    doc_of_graph: dict[str, str] = field(default_factory=dict)


def _by_subject(triples: Iterable[tuple[str, str, str]]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, p, o in triples:
        out[s].append((p, o))
    return out


def _read_evidence(name: str, quads: Quads, evidence: _Evidence) -> None:
    rows = _by_subject(quads.graphs[name])
    literals = quads.literals
    for props in rows.values():
        if (_NT_TYPE, _NT_STATEMENT) not in props:
            continue
        subject = predicate = obj = doc = target = None
        confidence = ""
        for p, o in props:
            if p == _NT_SUBJECT:
                subject = o
            elif p == _NT_PREDICATE:
                predicate = o
            elif p == _NT_OBJECT:
                obj = o
            elif p == _NT_DERIVED:
                doc = o
            elif p == _NT_CONFIDENCE:
                confidence = literals[o].value if o in literals else _raw(o)
            elif p == _NT_TARGET:
                target = o
        if subject is None or predicate is None or obj is None or doc is None:
            continue
        exact, start, end = "", -1, -1
        for p, selector in rows.get(target, []) if target is not None else []:
            if p != _NT_SELECTOR:
                continue
            for sp, so in rows.get(selector, []):
                value = literals.get(so)
                if sp == _NT_EXACT:
                    exact = value.value if value else _raw(so)
                elif sp == _NT_START and value:
                    start = int(value.value)
                elif sp == _NT_END and value:
                    end = int(value.value)
        facts = name.removesuffix("/evidence")
        evidence.doc_of_graph.setdefault(facts, _raw(doc))
        if exact:
            sentence = (_raw(doc), start, end, exact)
            evidence.by_triple[(_raw(subject), _raw(predicate), _raw(obj))].append((sentence, confidence))


def _documents(triples: set[tuple[str, str, str]], literals: Mapping[str, LiteralValue]) -> dict[str, _Doc]:
    """The documents (``foaf:Document`` that are not policy documents) a graph describes."""
    typed = {s for s, p, o in triples if p == _NT_TYPE and o == _NT_DOCUMENT}
    if not typed:
        return {}
    typed -= {s for s, p, o in triples if p == _NT_TYPE and o == _NT_POLICY and s in typed}
    found: dict[str, dict[str, str]] = {_NT_IDENTIFIER: {}, _NT_TITLE: {}, _NT_ISSUED: {}}
    for s, p, o in triples:
        if s in typed and p in found:
            value = literals[o].value if o in literals else _raw(o)
            if s not in found[p] or value < found[p][s]:
                found[p][s] = value  # the smallest, should a document have several
    ident, title, issued = found[_NT_IDENTIFIER], found[_NT_TITLE], found[_NT_ISSUED]
    out = {}
    for s in typed:
        iri = _raw(s)
        doc_id = ident.get(s) or iri
        out[iri] = _Doc(iri, doc_id, title.get(s) or doc_id, issued.get(s, ""))
    return out


@lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    """Province-level names and aliases from the shipped place lexicon -> GB/T 2260 code."""
    try:
        terms = load_lexicon().terms
    except KGError:
        return {}
    out: dict[str, str] = {}
    for t in terms:
        if t.label == "PLACE" and t.code and _PROVINCE_CODE.match(t.code) and t.kind in _PROVINCE_KINDS:
            for name in (t.name, *t.aliases):
                out[name] = t.code
    return out


#: Evidence sentences kept per entity (its first mentions) and per relation: the first in document order.
MAX_EVIDENCE = 5


@dataclass
class ViewParts:
    """What the view needs from some named graphs; parts from different shards add up (:meth:`merge`).

    Sets and capped, sorted evidence lists only, so that merging parts in any grouping gives the same
    graph as reading the whole dataset at once. Keys are IRIs as plain strings: the parts are read from
    :class:`kg.rdf.quads.Quads` (a build's own, or an rdflib dataset's converted), which is what makes
    reading a batch cheap.
    """

    docs: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # document IRI -> (id, title, date)
    by_triple: dict[tuple[str, str, str], list[tuple[Sentence, str]]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    zh: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    en: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    codes: dict[str, str] = field(default_factory=dict)
    in_docs: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    links: dict[tuple[str, str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def read(cls, dataset: Dataset | Quads) -> ViewParts:
        """The parts of every named graph of ``dataset`` (rdflib, or the quads a build works on)."""
        quads = Quads.of(dataset)
        literals = quads.literals
        parts = cls()
        docs: dict[str, _Doc] = {}
        evidence = _Evidence()
        facts: list[str] = []
        for name in quads.names():
            if name.endswith("/evidence"):
                _read_evidence(name, quads, evidence)
            elif is_facts_graph(URIRef(name)):
                facts.append(name)
            docs.update(_documents(quads.graphs[name], literals))
        parts.docs = {iri: (d.id, d.title, d.date) for iri, d in docs.items()}
        parts.by_triple = {triple: _first(found) for triple, found in evidence.by_triple.items()}
        types, in_docs, zh, en, aliases, codes, links = (parts.types, parts.in_docs, parts.zh, parts.en,
                                                         parts.aliases, parts.codes, parts.links)
        for name in facts:
            doc = evidence.doc_of_graph.get(name) or _doc_by_hash(name, docs)
            for s, p, o in quads.graphs[name]:
                subject = s[1:-1]
                if p == _NT_TYPE:
                    types[subject].add(_raw(o))
                    in_docs[subject].add(doc)
                elif o[0] == "<":
                    if p not in _NT_NOT_RELATIONS:
                        links[(subject, p[1:-1], o[1:-1])].add(doc)
                elif (literal := literals.get(o)) is None:
                    continue
                elif p == _NT_PREF:
                    (en if (literal.language or "").startswith("en") else zh)[subject].add(literal.value)
                elif p == _NT_ALT:
                    aliases[subject].add(literal.value)
                elif p == _NT_IDENTIFIER:
                    codes[subject] = min(literal.value, codes.get(subject, literal.value))
        return parts

    def merge(self, other: ViewParts) -> None:
        self.docs.update(other.docs)
        for triple, found in other.by_triple.items():
            mine = self.by_triple.get(triple)
            self.by_triple[triple] = _first([*mine, *found]) if mine else found
        pairs: list[tuple[dict[Any, set[Any]], dict[Any, set[Any]]]] = [
            (self.types, other.types), (self.zh, other.zh), (self.en, other.en),
            (self.aliases, other.aliases), (self.in_docs, other.in_docs), (self.links, other.links)]
        for target, theirs in pairs:
            for key, values in theirs.items():
                target.setdefault(key, set()).update(values)
        for s, code in other.codes.items():
            self.codes[s] = min(code, self.codes.get(s, code))

    def graph(self) -> nx.MultiDiGraph:
        """The networkx graph :func:`entity_graph` describes."""
        graph = nx.MultiDiGraph()
        province_names = _province_names()
        for entity in sorted(self.types, key=str):
            cls = _class_of(self.types[entity])
            if cls is None:
                continue
            names_zh = sorted(self.zh.get(entity, ()))
            name = names_zh[0] if names_zh else ""
            code = self.codes.get(entity, "")
            aliases = self.aliases.get(entity, set())
            province = ""
            if cls == "PLACE":
                if _PROVINCE_CODE.match(code):
                    province = code
                else:
                    province = next((province_names[n] for n in (*names_zh, *sorted(aliases))
                                     if n in province_names), "")
            mentions = _first([item for t in self.types[entity]
                               for item in self.by_triple.get((entity, _RDF_TYPE, t), [])])
            graph.add_node(
                str(entity), cls=cls, zh=name, en=(sorted(self.en.get(entity, ())) or [""])[0],
                aliases=sorted((set(names_zh[1:]) | aliases) - {name}),
                docs=sorted(d for d in self.in_docs[entity] if d),
                mentions=sorted({sent for sent, _ in mentions}), province=province,
            )

        for (s, p, o), link_docs in sorted(self.links.items(), key=lambda kv: tuple(str(t) for t in kv[0])):
            if str(s) not in graph or str(o) not in graph:
                continue
            found = self.by_triple.get((s, p, o), [])
            graph.add_edge(str(s), str(o), key=str(p), rel=RELATION_NAMES.get(p) or local_name(p),
                           evidence=list(found),
                           docs=sorted(set(link_docs) | {sent[0] for sent, _ in found}),
                           derived=False)
        _derive_post_evidence(graph)

        provinces: dict[str, set[str]] = defaultdict(set)
        for _, data in graph.nodes(data=True):
            if data["province"]:
                for doc in data["docs"]:
                    provinces[doc].add(data["province"])
        graph.graph["documents"] = dict(sorted(self.docs.items()))
        graph.graph["provinces"] = {doc: sorted(codes_) for doc, codes_ in sorted(provinces.items())}
        return graph


def _first(found: Iterable[tuple[Sentence, str]]) -> list[tuple[Sentence, str]]:
    """The first :data:`MAX_EVIDENCE` distinct (sentence, confidence) pairs, in document order."""
    return sorted(set(found))[:MAX_EVIDENCE]


def entity_graph(dataset: Dataset | Iterable[Dataset]) -> nx.MultiDiGraph:
    """The dataset's entities and the relations between them, as networkx sees them.

    ``dataset`` may also be several datasets (the shards of a build), read one at a time.
    Node (the entity IRI) attributes: ``cls``, ``zh``, ``en``, ``aliases``, ``docs`` (document IRIs),
    ``mentions`` (sentences of its type statements, the first :data:`MAX_EVIDENCE`), ``province`` (GB/T 2260
    code of a province-level place). Edge (key: the predicate IRI) attributes: ``rel``, ``docs``,
    ``evidence`` ((sentence, confidence) pairs), ``derived`` (True when the evidence is that of the
    holdsPost statement the edge follows from).
    Graph attributes: ``documents`` (IRI -> id, title, date) and ``provinces`` (document IRI -> codes).
    """
    if isinstance(dataset, Dataset):
        return ViewParts.read(dataset).graph()
    parts = ViewParts()
    for one in dataset:
        parts.merge(ViewParts.read(one))
    return parts.graph()


def _doc_by_hash(graph_iri: str, docs: dict[str, _Doc]) -> str:
    tail = graph_iri.rstrip("/").rsplit("/", 1)[-1]
    return next((iri for iri in docs if iri.endswith("/doc-" + tail)), "")


def _class_of(types: Iterable[str]) -> str | None:
    found = [_CLASS_OF_TYPE[t] for t in types if t in _CLASS_OF_TYPE]
    return min(found, key=_CLASS_ORDER.__getitem__) if found else None


def _derive_post_evidence(graph: nx.MultiDiGraph) -> None:
    """postIn, role and memberOf edges have no statement of their own: show the holdsPost sentence."""
    holds: dict[str, list[tuple[str, dict]]] = defaultdict(list)  # post -> (person, edge data)
    for person, post, key, data in graph.edges(keys=True, data=True):
        if key == str(ORG.holds):
            holds[post].append((person, data))
    for u, v, key, data in graph.edges(keys=True, data=True):
        if data["evidence"]:
            continue
        sources: list[dict] = []
        if key in (str(ORG.postIn), str(ORG.role)):
            sources = [d for _, d in holds.get(u, [])]
        elif key == str(ORG.memberOf):
            sources = [d for _, post, k in graph.out_edges(u, keys=True) if k == str(ORG.holds)
                       for p2, d in holds.get(post, []) if p2 == u
                       if graph.has_edge(post, v, key=str(ORG.postIn))]
        found = sorted({item for d in sources for item in d["evidence"]})
        if found:
            data["evidence"] = found
            data["derived"] = True
            data["docs"] = sorted(set(data["docs"]) | {s[0] for s, _ in found})
