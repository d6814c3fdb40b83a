"""The quads a build works on: plain strings in N-Triples form, grouped by named graph.

rdflib's in-memory store is slow to fill and read quad by quad, which made the graph stage of ``kg build``
many times slower than extraction (benchmarks/README.md). A :class:`Quads` is a dict of sets of
``(subject, predicate, object)`` tuples of N-Triples term strings (``<iri>``, ``"text"@zh``,
``"5"^^<…#integer>``), exactly as Oxigraph prints the terms, so that

- sorting the tuples sorts the quads the way the serialisers always have (graph IRI, then the terms' text);
- N-Quads is a join of strings, and Oxigraph parses that text straight back for TriG and Turtle;
- a literal's value, language and datatype are kept beside it (:attr:`Quads.literals`) for the readers
  that need them (JSON-LD, the view), so nothing parses N-Triples in Python.

Literal text comes from :class:`pyoxigraph.Literal`, whose escaping is the one every output file uses.
rdflib stays the public face of :mod:`kg.rdf.dataset` (:meth:`Quads.to_rdflib`, :meth:`Quads.from_rdflib`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from kg.core.errors import OutputError

__all__ = ["LiteralValue", "Quads", "Triple", "iri", "ox_quads", "value_of"]

#: (subject, predicate, object), each an N-Triples term string.
Triple = tuple[str, str, str]


class LiteralValue(NamedTuple):
    """What a literal's N-Triples text says: its lexical form, language tag, datatype IRI (None if plain)."""

    value: str
    language: str | None
    datatype: str | None


def iri(value: str) -> str:
    """The N-Triples form of an IRI."""
    return f"<{value}>"


def value_of(term: str) -> str:
    """The IRI inside an N-Triples IRI term."""
    return term[1:-1]


class Quads:
    """Named graphs of N-Triples string triples; the graph names are bare IRIs (no angle brackets)."""

    __slots__ = ("graphs", "literals")

    def __init__(self) -> None:
        self.graphs: dict[str, set[Triple]] = {}
        #: N-Triples text of every literal in the quads -> its parts.
        self.literals: dict[str, LiteralValue] = {}

    def graph(self, name: str) -> set[Triple]:
        """The triples of graph ``name`` (created empty on first use)."""
        found = self.graphs.get(name)
        if found is None:
            found = self.graphs[name] = set()
        return found

    def literal(self, value: str, language: str | None = None, datatype: str | None = None) -> str:
        """The N-Triples text of a literal (remembered in :attr:`literals`), as Oxigraph writes it."""
        if datatype == _XSD_STRING or language:
            datatype = None
        if _ESCAPED.search(value) is None and (not language or language in _PLAIN_LANGUAGES):
            # What Oxigraph prints when nothing needs escaping (a test checks the two agree).
            text = (f'"{value}"@{language}' if language else f'"{value}"^^<{datatype}>' if datatype
                    else f'"{value}"')
        elif language:
            term = ox.Literal(value, language=language)
            language, text = term.language, str(term)
        else:
            text = str(ox.Literal(value, datatype=_named_node(datatype)) if datatype else ox.Literal(value))
        if text not in self.literals:
            self.literals[text] = LiteralValue(value, language or None, datatype)
        return text

    def __len__(self) -> int:
        return sum(len(t) for t in self.graphs.values())

    def names(self) -> list[str]:
        """The graph names that hold triples, in IRI order."""
        return sorted(name for name, triples in self.graphs.items() if triples)

    def nquads(self) -> bytes:
        """N-Quads, one sorted line per quad (the text Oxigraph's writer gives for the same quads)."""
        lines: list[str] = []
        for name in self.names():
            g = f" <{name}> .\n"
            lines.extend(f"{s} {p} {o}{g}" for s, p, o in sorted(self.graphs[name]))
        return "".join(lines).encode("utf-8")

    # -- rdflib

    @classmethod
    def of(cls, dataset: Dataset | Quads) -> Quads:
        """``dataset`` itself if it is already quads, else :meth:`from_rdflib` of it."""
        return dataset if isinstance(dataset, Quads) else cls.from_rdflib(dataset)

    @classmethod
    def from_rdflib(cls, dataset: Dataset) -> Quads:
        """The graphs of an rdflib dataset that hold triples and are named by an IRI.

        rdflib's default graph has one too (``urn:x-rdflib:default``): kg writes nothing there, and what a
        caller put there is kept under that name, as the serialisers always did.
        """
        quads = cls()
        for graph in dataset.graphs():
            if not isinstance(graph.identifier, URIRef):
                continue
            try:
                triples = {(quads.term(s), quads.term(p), quads.term(o)) for s, p, o in graph}
            except OutputError as exc:
                raise OutputError(f"graph {graph.identifier}: {exc}") from exc
            if triples:
                quads.graph(str(graph.identifier)).update(triples)
        return quads

    def term(self, term: Node) -> str:
        """The N-Triples text of an rdflib IRI or literal (literals remembered in :attr:`literals`)."""
        if isinstance(term, URIRef):
            return f"<{term}>"
        if isinstance(term, Literal):
            datatype = str(term.datatype) if term.datatype is not None else None
            return self.literal(str(term), term.language, datatype)
        kind = "blank node" if isinstance(term, BNode) else type(term).__name__
        raise OutputError(f"cannot write {term!r} ({kind}): kg output holds IRIs and literals only, so that "
                          "files are byte-identical between runs")

    def to_rdflib(self, into: Dataset) -> Dataset:
        """Add every quad to an rdflib dataset (through N-Quads: rdflib's parser makes its own terms)."""
        data = self.nquads()
        if data:
            into.parse(data=data.decode("utf-8"), format="nquads")
        return into


def ox_quads(data: bytes) -> Iterable[ox.Quad]:
    """Oxigraph quads from N-Quads text, in the text's order."""
    return ox.parse(data, format=ox.RdfFormat.N_QUADS)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: Characters N-Triples writes escaped: controls (short escapes or \\uXXXX), the double quote, the backslash.
_ESCAPED = re.compile(r'[\x00-\x1f"\\\x7f]')
#: Language tags written as they are (others go through Oxigraph, which checks and lower-cases them).
_PLAIN_LANGUAGES = frozenset({"zh", "en"})
_NAMED_NODES: dict[str, ox.NamedNode] = {}


def _named_node(value: str) -> ox.NamedNode:
    node = _NAMED_NODES.get(value)
    if node is None:
        node = _NAMED_NODES[value] = ox.NamedNode(value)
    return node
