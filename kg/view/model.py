"""The offline graph view (``graph.html``): entities as nodes, relations as edges, evidence one click away.

Reading::

    stats = write_view(dataset, Path("out/graph.html"))               # the whole graph, capped
    stats = write_view(dataset, path, focus="郅晓峰", hops=2)           # a neighbourhood
    stats = write_view(dataset, path, classes=["ORG", "PERSON"])      # some classes only

The page opens from disk with no network: vis-network, the data and the page's own script are inline.
Positions are computed here (a seeded force layout in numpy, one per connected component, components
packed in rows) and sent with physics off, so the browser has nothing to simulate. Above ``max_nodes``
the page shows the most connected entities and says what it left out and how to see it.

Text from documents (names, sentences, titles) reaches the page only as JSON inside a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the page's script puts
it into the DOM with ``textContent``; the canvas draws labels as pixels. Nothing from a document is parsed
as HTML.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, SKOS

from kg.core.errors import InputError, KGError, OutputError
from kg.rdf.namespaces import GOV, OA, SDO
from kg.rdf.quads import LiteralValue, Quads

#: Default cap on the entities drawn: vis-network stays responsive well past it with physics off,
#: and the layout (dense, O(n²) per iteration) takes about a second here.
DEFAULT_MAX_NODES = 1500

#: Class key -> (rdf:type IRIs, English name, Chinese name, colour, vis-network shape, legend glyph).
#: The first class whose types an entity has wins, so the order matters (a post in a body before a role).
CLASSES: dict[str, tuple[tuple[URIRef, ...], str, str, str, str, str]] = {
    "ORG": ((ORG.Organization, ORG.OrganizationalUnit, ORG.FormalOrganization),
            "Organisation", "机构", "#4e79a7", "dot", "●"),
    "PERSON": ((FOAF.Person,), "Person", "人物", "#f28e2b", "star", "★"),
    "POSITION": ((ORG.Post,), "Post in a body", "岗位", "#ff9da7", "triangleDown", "▼"),
    "POST": ((ORG.Role,), "Post (kind)", "职务", "#e15759", "triangle", "▲"),
    "PLACE": ((DCTERMS.Location, SDO.Place), "Place", "地点", "#76b7b2", "hexagon", "⬢"),
    "MECHANISM": ((GOV.Mechanism,), "Mechanism", "机制", "#59a14f", "diamond", "◆"),
    "PROGRAM": ((GOV.Programme,), "Programme", "项目与行动", "#edc948", "square", "■"),
    "POLICY": ((GOV.PolicyDocument,), "Policy document", "政策文件", "#b07aa1", "square", "■"),
    "GROUP": ((GOV.TargetGroup,), "Target group", "对象群体", "#9c755f", "dot", "●"),
    "METRIC": ((SDO.Observation,), "Figure", "数据", "#8c8c8c", "diamond", "◆"),
    "EVENT": ((SDO.Event,), "Event", "事件", "#17becf", "star", "★"),
    "OTHER": ((), "Other", "其他", "#c7c7c7", "dot", "●"),
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

    def summary(self) -> str:
        text = (f"{self.nodes:,} entities and {self.edges:,} relations "
                f"(the graph has {self.nodes_total:,} and {self.edges_total:,})")
        if self.omitted:
            text += f"; {self.omitted:,} entities of the selection left out by the size cap"
        return text


# ------------------------------------------------------------------------------- reading the dataset


def read_entity_graph(path: Path) -> nx.MultiDiGraph:
    """:func:`entity_graph` of a build folder (read shard by shard), or of a .trig/.nq file."""
    path = Path(path)
    shards = sorted((path / "shards").glob("*.nq")) if path.is_dir() else []
    if shards:
        return entity_graph(read_dataset(shard) for shard in shards)
    return entity_graph(read_dataset(path))


def read_dataset(path: Path) -> Dataset:
    """A build output folder (its ``graph.nq`` or ``graph.trig``) or a ``.trig``/``.nq`` file."""
    path = Path(path)
    if path.is_dir():
        candidates = [path / "graph.nq", path / "graph.trig"]
        found = next((c for c in candidates if c.is_file()), None)
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


Sentence = tuple[str, int, int, str]  # doc IRI, start, end, text

_NT_TYPE, _NT_STATEMENT, _NT_SUBJECT, _NT_PREDICATE, _NT_OBJECT = (
    f"<{t}>" for t in (RDF.type, RDF.Statement, RDF.subject, RDF.predicate, RDF.object))
_NT_DERIVED, _NT_CONFIDENCE, _NT_TARGET, _NT_SELECTOR, _NT_EXACT, _NT_START, _NT_END = (
    f"<{t}>" for t in (PROV.wasDerivedFrom, GOV.confidence, OA.hasTarget, OA.hasSelector, OA.exact, OA.start,
                       OA.end))
_NT_PREF, _NT_ALT, _NT_IDENTIFIER, _NT_TITLE = (
    f"<{t}>" for t in (SKOS.prefLabel, SKOS.altLabel, DCTERMS.identifier, DCTERMS.title))
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
    ident: dict[str, str] = {}
    title: dict[str, str] = {}
    for s, p, o in triples:
        if s in typed and p in (_NT_IDENTIFIER, _NT_TITLE):
            value = literals[o].value if o in literals else _raw(o)
            found = ident if p == _NT_IDENTIFIER else title
            if s not in found or value < found[s]:
                found[s] = value  # the smallest, should a document have several
    out = {}
    for s in typed:
        iri = _raw(s)
        doc_id = ident.get(s) or iri
        out[iri] = _Doc(iri, doc_id, title.get(s) or doc_id)
    return out


@lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    """Province-level names and aliases from the shipped place lexicon -> GB/T 2260 code."""
    from kg.core.lexicon import load_lexicon

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
    reading a
    batch cheap.
    """

    docs: dict[str, tuple[str, str]] = field(default_factory=dict)  # document IRI -> (id, title)
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
        from kg.rdf.terms import is_facts_graph

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
        parts.docs = {iri: (d.id, d.title) for iri, d in docs.items()}
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
            graph.add_edge(str(s), str(o), key=str(p), rel=RELATION_NAMES.get(p) or _local_name(p),
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
    Graph attributes: ``documents`` (IRI -> id, title) and ``provinces`` (document IRI -> codes).
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


def _local_name(iri: str) -> str:
    text = str(iri)
    return re.split(r"[#/]", text.rstrip("/#"))[-1] or text


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


# ------------------------------------------------------------------------------------------ selection


@dataclass(frozen=True)
class Selection:
    """The subgraph to draw and what it leaves out."""

    graph: nx.MultiDiGraph
    requested_nodes: int  # entities the focus/classes selection holds before the cap
    requested_edges: int
    left_out: tuple[str, ...] = ()  # the most connected entities the cap dropped (IRIs), for the page's hint
    focus: tuple[str, ...] = ()
    left_out_linked: bool = False  # whether any entity the cap dropped has a relation


def parse_classes(classes: Sequence[str] | None) -> list[str] | None:
    """``["org", "PERSON,PLACE"]`` -> ``["ORG", "PERSON", "PLACE"]``; KGError naming an unknown class."""
    if not classes:
        return None
    out: list[str] = []
    for item in classes:
        for part in str(item).split(","):
            key = part.strip().upper()
            if not key:
                continue
            if key == "PROGRAMME":
                key = "PROGRAM"
            if key not in CLASSES:
                raise KGError(f"unknown entity class {part.strip()!r}; expected one of {', '.join(CLASSES)}")
            if key not in out:
                out.append(key)
    return out or None


def find_entities(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """Entities named ``name`` (Chinese or English name, alias, or IRI); containment when none is exact."""
    wanted = name.strip().casefold()
    if not wanted:
        raise KGError("--focus needs a name")
    exact, partial = [], []
    for node, data in graph.nodes(data=True):
        names = [data["zh"], data["en"], *data["aliases"]]
        folded = [n.casefold() for n in names if n]
        if wanted == node.casefold() or wanted in folded:
            exact.append(node)
        elif any(wanted in n for n in folded):
            partial.append(node)
    found = exact or partial
    if not found:
        raise KGError(f"no entity named {name!r} in the graph (names, aliases and IRIs were searched)")
    if not exact and len(partial) > 10:
        shown = ", ".join(sorted(graph.nodes[n]["zh"] or n for n in partial)[:10])
        raise KGError(f"{len(partial)} entities have {name!r} in their names ({shown}, …): "
                      "give a fuller name")
    return sorted(found)


def select(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    hops: int = 2,
    classes: Sequence[str] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Selection:
    """Keep ``classes`` (and the focus entities), then the ``hops`` neighbourhood of ``focus``, then cap."""
    if hops < 0:
        raise KGError(f"--hops must be 0 or more, not {hops}")
    if max_nodes < 1:
        raise KGError(f"--max-nodes must be at least 1, not {max_nodes}")
    wanted = parse_classes(classes)
    seeds = find_entities(graph, focus) if focus else []
    keep = set(graph.nodes)
    if wanted:
        keep = {n for n in keep if graph.nodes[n]["cls"] in wanted} | set(seeds)
    sub = graph.subgraph(keep)
    distance: dict[str, int] = {}
    if seeds:
        undirected = sub.to_undirected(as_view=True)
        for seed in seeds:
            for node, d in nx.single_source_shortest_path_length(undirected, seed, cutoff=hops).items():
                distance[node] = min(d, distance.get(node, d))
        sub = sub.subgraph(distance)
    requested_nodes, requested_edges = sub.number_of_nodes(), sub.number_of_edges()
    left_out: tuple[str, ...] = ()
    left_out_linked = False
    if requested_nodes > max_nodes:
        degree = dict(sub.degree())

        def weight(n: str) -> tuple[int, int]:  # by relations, then by documents naming the entity
            return -degree[n], -len(graph.nodes[n]["docs"])

        ranked = sorted(sub.nodes, key=lambda n: (distance.get(n, 0), *weight(n), n))
        sub = sub.subgraph(ranked[:max_nodes])
        dropped = sorted(ranked[max_nodes:], key=lambda n: (*weight(n), n))
        left_out_linked = any(degree[n] for n in dropped)
        left_out = tuple(dropped[:12])
    final = nx.MultiDiGraph(sub)  # a copy, independent of the full graph
    final.graph.update(graph.graph)
    return Selection(final, requested_nodes, requested_edges, left_out, tuple(seeds), left_out_linked)


# --------------------------------------------------------------------------------------------- layout


def layout(graph: nx.Graph, *, seed: int = 7, spacing: float = 90.0) -> dict[str, tuple[float, float]]:
    """Pixel positions: a force layout per connected component, components packed in rows, biggest first.

    Deterministic (seeded, nodes in sorted order). ``spacing`` is the typical distance between neighbours.
    """
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(graph.nodes))
    undirected.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    components = sorted((sorted(c) for c in nx.connected_components(undirected)),
                        key=lambda c: (-len(c), c[0]))
    boxes: list[tuple[list[str], np.ndarray]] = []
    for nodes in components:
        boxes.append((nodes, _component_layout(undirected, nodes, seed=seed, spacing=spacing)))
    return _pack(boxes, gap=spacing)


def _component_layout(graph: nx.Graph, nodes: list[str], *, seed: int, spacing: float) -> np.ndarray:
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-spacing / 2, 0.0], [spacing / 2, 0.0]])
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = np.zeros((n, n), dtype=np.float32)
    for u, v in graph.subgraph(nodes).edges():
        adjacency[index[u], index[v]] = adjacency[index[v], index[u]] = 1.0
    pos = _fruchterman_reingold(adjacency, seed=seed, iterations=60 if n > 400 else 120)
    # Scale so that the median edge is ``spacing`` long, and nearest neighbours (median) as far apart.
    rows, cols = np.nonzero(np.triu(adjacency))
    lengths = np.sqrt(((pos[rows] - pos[cols]) ** 2).sum(-1))
    delta = pos[:, None, :] - pos[None, :, :]
    dist = np.sqrt((delta**2).sum(-1))
    np.fill_diagonal(dist, np.inf)
    nearest = float(np.median(dist.min(axis=1)))
    scale = spacing / float(np.median(lengths)) if len(lengths) else spacing
    if nearest > 0:
        scale = max(scale, spacing / nearest)
    pos = pos * scale
    return pos - pos.mean(axis=0)


def _fruchterman_reingold(adjacency: np.ndarray, *, seed: int, iterations: int) -> np.ndarray:
    """Fruchterman-Reingold in the unit square, as networkx's dense version does it (float32, no scipy)."""
    n = adjacency.shape[0]
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2), dtype=np.float32)
    k = np.float32(math.sqrt(1.0 / n))
    # Hubs repel a little more: fewer leaves pile up on top of a hub's label.
    mass = (1.0 + adjacency.sum(axis=1)).astype(np.float32)
    repulse = np.sqrt(mass[:, None] * mass[None, :]) ** 0.5
    t = np.float32(0.1)
    dt = t / np.float32(iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta**2).sum(-1))
        np.clip(dist, 0.01, None, out=dist)
        force = repulse * (k * k) / (dist * dist) - adjacency * dist / k
        disp = np.einsum("ijk,ij->ik", delta, force)
        length = np.sqrt((disp**2).sum(-1))
        length = np.where(length < 0.01, np.float32(0.1), length)
        pos += disp * (t / length)[:, None]
        t -= dt
    return pos.astype(np.float64)


def _pack(boxes: list[tuple[list[str], np.ndarray]], *, gap: float) -> dict[str, tuple[float, float]]:
    """Shelf packing: rows of components, left to right, about as wide as the whole is tall."""
    sizes = [(p.max(axis=0) - p.min(axis=0)) if len(p) else np.zeros(2) for _, p in boxes]
    area = sum((w + gap) * (h + gap) for w, h in sizes)
    row_width = max(math.sqrt(area) * 1.4, max((w for w, _ in sizes), default=0.0))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for (nodes, pos), (w, h) in zip(boxes, sizes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        origin = np.array([x, y]) - pos.min(axis=0)
        for node, p in zip(nodes, pos + origin, strict=True):
            out[node] = (round(float(p[0]), 1), round(float(p[1]), 1))
        x += w + gap
        row_height = max(row_height, h)
    return out


# --------------------------------------------------------------------------------------------- output


def write_view(
    dataset: Dataset | nx.MultiDiGraph,
    path: Path,
    *,
    focus: str | None = None,
    hops: int = 2,
    classes: Sequence[str] | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> ViewStats:
    """Write the offline HTML view of ``dataset`` (or of a focus/classes subgraph of it) to ``path``.

    ``dataset`` may be the result of :func:`entity_graph` already (a build makes it shard by shard).
    """
    from kg.view.page import render_page

    full = dataset if isinstance(dataset, nx.MultiDiGraph) else entity_graph(dataset)
    selection = select(full, focus=focus, hops=hops, classes=classes, max_nodes=max_nodes)
    positions = layout(selection.graph)
    stats = ViewStats(
        nodes=selection.graph.number_of_nodes(),
        edges=selection.graph.number_of_edges(),
        nodes_total=full.number_of_nodes(),
        edges_total=full.number_of_edges(),
        omitted=selection.requested_nodes - selection.graph.number_of_nodes(),
    )
    html = render_page(full, selection, positions, stats, max_nodes=max_nodes, focus=focus, hops=hops,
                       classes=parse_classes(classes))
    _write_atomic(Path(path), html)
    return stats


def _write_atomic(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist")
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
