"""Write a built dataset to files (merged Turtle, TriG, N-Quads, JSON-LD), byte-identical for one input.

- ``graph.ttl``: the union of the documents' facts graphs (:func:`kg.rdf.dataset.merged_triples`), no
  provenance,
  triples sorted.
- ``graph.trig``: every named graph, graphs in IRI order.
- ``graph.nq``: every quad, one line each, lines sorted (ready to split into shards or bulk-load).
- ``graph.jsonld``: the dataset with a context of the project's prefixes, keys and arrays sorted
  (:mod:`kg.export.jsonld`).

Every format is written from :class:`kg.rdf.quads.Quads` (an rdflib dataset is converted first): N-Quads as
sorted lines, TriG and Turtle by Oxigraph's writers with the project's prefixes, JSON-LD by
:mod:`kg.export.jsonld`.
Builds mint no blank nodes, so sorting is all that determinism takes. Each file is written to a temporary
file in the output folder and moved into place with ``os.replace``: a reader never sees half a file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from kg.core.errors import OutputError
from kg.core.files import atomic_write
from kg.core.folder import BuildFolder
from kg.core.resources import ontology_path
from kg.export.jsonld import jsonld_items
from kg.rdf.dataset import merged_triples
from kg.rdf.namespaces import DEFAULT_BASE, ONTOLOGY_GRAPHS, prefixes
from kg.rdf.quads import Quads, ox_quads

__all__ = ["JSONLD_FOOTER", "write_ontology", "jsonld_context", "jsonld_document", "jsonld_header",
           "jsonld_parts", "serialize_jsonld", "serialize_nquads", "serialize_trig",
           "serialize_turtle", "write_outputs"]

def write_outputs(dataset: Dataset, out_dir: Path, *, base: str = DEFAULT_BASE) -> dict[str, Path]:
    """Write graph.ttl, graph.trig, graph.nq and graph.jsonld into ``out_dir``; format key -> path written."""
    out_dir = Path(out_dir)
    quads = Quads.from_rdflib(dataset)  # raises on a blank node
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create output folder ({exc.strerror or exc})") from exc
    if not out_dir.is_dir():
        raise OutputError(f"{out_dir}: not a folder")
    writers = {
        "ttl": lambda: serialize_turtle(quads, base=base),
        "trig": lambda: serialize_trig(quads, base=base),
        "nq": lambda: serialize_nquads(quads),
        "jsonld": lambda: serialize_jsonld(quads, base=base),
    }
    written: dict[str, Path] = {}
    for key, path in BuildFolder(out_dir).graph_files.items():
        atomic_write(path, writers[key]())
        written[key] = path
    return written


def write_ontology(out_dir: Path) -> list[Path]:
    """Copy the ontology (governance.ttl, shapes.ttl) into ``out_dir/ontology/``, as shipped; the paths
    written.

    The store loads each into its own named graph (kg.rdf.namespaces.ONTOLOGY_GRAPHS), so a build's
    queries see the classes' and properties' labels and definitions.
    """
    folder = BuildFolder(out_dir).ontology
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(ONTOLOGY_GRAPHS):
        atomic_write(folder / name, ontology_path(name).read_bytes())
        written.append(folder / name)
    return written


# ------------------------------------------------------------------ serialisers


def serialize_turtle(graph: Graph | Quads, *, base: str = DEFAULT_BASE) -> bytes:
    """Turtle with the project's prefixes, triples sorted (Oxigraph's writer: fast, and groups by subject).

    An rdflib graph is written as it is; :class:`kg.rdf.quads.Quads` as their
    :func:`kg.rdf.dataset.merged_triples`.
    """
    if isinstance(graph, Quads):
        triples = merged_triples(graph)
    else:
        quads = Quads()
        triples = {(quads.term(s), quads.term(p), quads.term(o)) for s, p, o in graph}
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(triples)).encode("utf-8")
    parsed = ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
    return _bytes(ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=prefixes(base)))


def serialize_trig(
    dataset: Dataset | Quads, *, base: str = DEFAULT_BASE, nquads: bytes | None = None
) -> bytes:
    """TriG with the project's prefixes, graphs in IRI order, triples sorted within each graph.

    ``nquads``: :func:`serialize_nquads` of the same dataset, when the caller has it already.
    """
    data = nquads if nquads is not None else serialize_nquads(dataset)
    return _bytes(ox.serialize(ox_quads(data), format=ox.RdfFormat.TRIG, prefixes=prefixes(base)))


def serialize_nquads(dataset: Dataset | Quads) -> bytes:
    """N-Quads, sorted by graph, subject, predicate and object; no duplicates."""
    return Quads.of(dataset).nquads()


def _bytes(data: bytes | None) -> bytes:
    return data or b""  # Oxigraph returns bytes when given no output file


def jsonld_context(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The JSON-LD context: the project's prefixes (http schema.org) and ``id:`` for the data IRIs."""
    return prefixes(base)


def serialize_jsonld(dataset: Dataset | Quads, *, base: str = DEFAULT_BASE) -> bytes:
    """JSON-LD of every named graph, compacted with :func:`jsonld_context`; keys and arrays sorted."""
    return jsonld_document(jsonld_parts(dataset, base=base), base=base)


def jsonld_parts(dataset: Dataset | Quads, *, base: str = DEFAULT_BASE) -> list[str]:
    """The items of the top-level ``@graph`` array (one per named graph), each as indented JSON text."""
    return jsonld_items(Quads.of(dataset), jsonld_context(base))


def jsonld_header(base: str = DEFAULT_BASE) -> str:
    """graph.jsonld up to its ``@graph`` items: the context."""
    context = json.dumps(jsonld_context(base), ensure_ascii=False, indent=2, sort_keys=True)
    return '{\n  "@context": ' + context.replace("\n", "\n  ") + ',\n  "@graph": ['


#: What closes graph.jsonld after its items.
JSONLD_FOOTER = "\n  ]\n}\n"


def jsonld_document(items: list[str], *, base: str = DEFAULT_BASE) -> bytes:
    """A whole graph.jsonld of ``items`` (what the build writes part by part)."""
    body = ",\n".join(items)
    return (jsonld_header(base) + ("\n" + body if body else "") + JSONLD_FOOTER).encode("utf-8")
