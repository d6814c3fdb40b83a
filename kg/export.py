"""Write a built dataset to files (merged Turtle, TriG, N-Quads, JSON-LD), byte-identical for one input.

- ``graph.ttl``: the union of the documents' facts graphs (:func:`kg.graph.merged_graph`), no provenance,
  rdflib ``longturtle`` (subjects, predicates and objects sorted).
- ``graph.trig``: every named graph, graphs in IRI order.
- ``graph.nq``: every quad, one line each, lines sorted (ready to split into shards or bulk-load).
- ``graph.jsonld``: the dataset with a context of the project's prefixes, keys and arrays sorted.

Builds mint no blank nodes, so sorting is all that determinism takes. Each file is written to a temporary
file in the output folder and moved into place with ``os.replace``: a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kg.errors import OutputError
from kg.graph import merged_graph
from kg.namespaces import DEFAULT_BASE, PREFIXES, bind_prefixes

__all__ = ["OUTPUT_FILES", "jsonld_context", "serialize_jsonld", "serialize_nquads", "serialize_trig",
           "serialize_turtle", "write_outputs"]

#: Format key -> file name, in the order they are written.
OUTPUT_FILES = {"ttl": "graph.ttl", "trig": "graph.trig", "nq": "graph.nq", "jsonld": "graph.jsonld"}


def write_outputs(dataset: Dataset, out_dir: Path, *, base: str = DEFAULT_BASE) -> dict[str, Path]:
    """Write graph.ttl, graph.trig, graph.nq and graph.jsonld into ``out_dir``; format key -> path written."""
    out_dir = Path(out_dir)
    _check_no_blank_nodes(dataset)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create output folder ({exc.strerror or exc})") from exc
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: not a folder")
    writers = {
        "ttl": lambda: serialize_turtle(merged_graph(dataset, base=base), base=base),
        "trig": lambda: serialize_trig(dataset, base=base),
        "nq": lambda: serialize_nquads(dataset),
        "jsonld": lambda: serialize_jsonld(dataset, base=base),
    }
    written: dict[str, Path] = {}
    for key, name in OUTPUT_FILES.items():
        path = out_dir / name
        _atomic_write(path, writers[key]())
        written[key] = path
    return written


# ------------------------------------------------------------------ serialisers


def serialize_turtle(graph: Graph, *, base: str = DEFAULT_BASE) -> bytes:
    """Turtle with the project's prefixes, triples sorted (Oxigraph's writer: fast, and groups by subject)."""
    triples = sorted({_ox_triple(t) for t in graph}, key=_triple_key)
    return _bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes(base)))


def serialize_trig(dataset: Dataset, *, base: str = DEFAULT_BASE) -> bytes:
    """TriG with the project's prefixes, graphs in IRI order, triples sorted within each graph."""
    return _bytes(ox.serialize(_ox_quads(dataset), format=ox.RdfFormat.TRIG, prefixes=_prefixes(base)))


def serialize_nquads(dataset: Dataset) -> bytes:
    """N-Quads, sorted by graph, subject, predicate and object; no duplicates."""
    return _bytes(ox.serialize(_ox_quads(dataset), format=ox.RdfFormat.N_QUADS))


def _bytes(data: bytes | None) -> bytes:
    return data or b""  # Oxigraph returns bytes when given no output file


def _prefixes(base: str) -> dict[str, str]:
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph, base)
    return {prefix: str(ns) for prefix, ns in sorted(graph.namespaces())}


def _ox_term(term: Node) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise OutputError(f"cannot write {term!r}: kg output holds IRIs and literals only")


def _ox_triple(triple: tuple[Node, Node, Node]) -> ox.Triple:
    s, p, o = triple
    return ox.Triple(_ox_term(s), _ox_term(p), _ox_term(o))  # type: ignore[arg-type]


def _triple_key(t: ox.Triple | ox.Quad) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def _ox_quads(dataset: Dataset) -> list[ox.Quad]:
    quads = set()
    for graph in dataset.graphs():
        if not isinstance(graph.identifier, URIRef):
            continue  # the default graph: kg writes named graphs only
        name = ox.NamedNode(str(graph.identifier))
        for s, p, o in graph:
            quads.add(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), name))  # type: ignore[arg-type]
    return sorted(quads, key=lambda q: (q.graph_name.value, *_triple_key(q)))  # type: ignore[union-attr]


def jsonld_context(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The JSON-LD context: the project's prefixes (http schema.org) and ``id:`` for the data IRIs."""
    context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    context["id"] = base.rstrip("/") + "/id/"
    return dict(sorted(context.items()))


def serialize_jsonld(dataset: Dataset, *, base: str = DEFAULT_BASE) -> bytes:
    """JSON-LD of every named graph, compacted with :func:`jsonld_context`; keys and sets sorted."""
    clean = _copy(dataset, base)
    text = clean.serialize(format="json-ld", context=jsonld_context(base), auto_compact=True)
    data = _sorted_json(json.loads(text))
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# ------------------------------------------------------------------ helpers


def _copy(dataset: Dataset, base: str) -> Dataset:
    """A copy holding only the named graphs that have triples, with only the project's prefixes bound."""
    clean = Dataset(default_union=False)
    clean.namespace_manager = NamespaceManager(clean, bind_namespaces="none")
    bind_prefixes(clean, base)
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(graph) == 0:
            continue
        target = clean.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
    return clean


def _sorted_json(value: Any) -> Any:
    """Sort every JSON-LD array by its canonical text, except ``@list`` values (whose order is data)."""
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _sorted_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def _check_no_blank_nodes(dataset: Dataset) -> None:
    for graph in dataset.graphs():
        for triple in graph:
            if any(isinstance(term, BNode) for term in triple):
                raise OutputError(
                    f"graph {graph.identifier}: blank node in {triple!r}; kg output must mint IRIs for every "
                    "node so that files are byte-identical between runs"
                )


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then move it into place."""
    # Not tempfile.mkstemp: its files are private (0600); this one gets the usual umask-based mode.
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        with open(tmp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
