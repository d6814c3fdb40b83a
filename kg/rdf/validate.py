"""Check a graph or dataset against the SHACL shapes of ``ontology/shapes.ttl`` (no inference).

The engine is the Rust one of the ``shacl`` package (PyPI), not pySHACL, which spends most of its time in
rdflib triple lookups and was the slowest part of a build (benchmarks/README.md has the figures); on every
graph we compared (the seeds, government-report builds, and one broken graph per constraint of the shapes)
the two report the same results: same severities, focus nodes and paths, same messages.
``tests/test_validate.py`` keeps checking that against pySHACL when pySHACL is installed.

A dataset is validated as the union of all its named graphs (facts, evidence and metadata together): the
engine reads N-Quads as that union, a triple found in two graphs counting once. The caller's data is never
touched. Warnings (``sh:Warning``) are counted but do not make a graph non-conforming; violations do.

Input: an rdflib graph or dataset, a pyoxigraph dataset or quads, the N-Quads bytes of a batch, or the build's
own :class:`kg.rdf.quads.Quads` with the N-Quads text the build writes anyway (so validating a batch costs no
copy of the graph into another store, and no parse of it in Python).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import shacl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from kg.core.errors import ConfigError
from kg.core.resources import ontology_path
from kg.rdf.namespaces import shorten
from kg.rdf.quads import Quads

__all__ = ["Data", "ValidationReport", "combine", "validate"]

#: How many results the report's text lists.
SHOWN = 5

#: What :func:`validate` reads: an rdflib graph or dataset (every named graph), N-Quads bytes (UTF-8),
#: the build's Quads, a pyoxigraph dataset, or pyoxigraph quads.
Data = Graph | bytes | Quads | ox.Dataset | Iterable[ox.Quad]

_PREF_LABEL = str(SKOS.prefLabel)
_IRI_IN_PATH = re.compile(r"<([^<>\s]*)>")
_IRI_TERM = re.compile(r"<[^<>\s]*>")


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: int
    warnings: int
    text: str
    #: The first :data:`SHOWN` results, one line each, violations first.
    shown: tuple[str, ...] = ()
    triples: int = 0

    def __str__(self) -> str:
        return self.text


def validate(data: Data, *, shapes: Path | None = None, nquads: bytes | None = None) -> ValidationReport:
    """Validate ``data`` (a graph, or all named graphs of a dataset) against ``shapes`` (default: shipped).

    ``nquads``: the N-Quads text of ``data`` when it is a :class:`~kg.rdf.quads.Quads` and the caller has it
    already (``Quads.nquads()``); it is made otherwise. N-Quads bytes that do not parse raise pyoxigraph's
    ``SyntaxError``: they come from the build's own writer, so that is a bug to see, not a result to report.
    """
    compiled = _shapes(Path(shapes) if shapes is not None else ontology_path("shapes.ttl"))
    source = _Source(data, nquads)
    results = compiled.validate_text(source.text, format=source.format, allow_warnings=True).results
    # The nodes a report line may name (focus nodes, and predicates as paths), for their Chinese labels.
    named = {t[1:-1] for r in results for t in (r.focus_node, r.path or "") if _IRI_TERM.fullmatch(t)}
    labels = source.labels(named) if named else {}
    rows = []
    for r in results:
        message = r.message if r.message is not None else _default_message(r)
        rows.append((0 if r.severity == "Violation" else 1, _short(r.focus_node, labels),
                     _short_path(r.path, labels), message, r.severity))
    rows.sort(key=lambda row: (row[0], row[1], row[2], row[3]))
    violations = sum(1 for row in rows if row[4] == "Violation")
    warnings = sum(1 for row in rows if row[4] == "Warning")
    shown = []
    for _rank, node, path, message, severity in rows[:SHOWN]:
        kind = severity if severity in ("Violation", "Warning") else "Info"
        shown.append(f"  {kind}: {node}" + (f" {path}" if path else "") + f": {message}")
    return _report(violations, warnings, source.triples, shown, len(rows))


def _report(violations: int, warnings: int, triples: int, shown: list[str], results: int) -> ValidationReport:
    conforms = violations == 0
    head = (
        f"{'Conforms' if conforms else 'Does not conform'}: {violations} violation(s), {warnings} warning(s) "
        f"in {triples} triples"
    )
    lines = [head, *shown[:SHOWN]]
    if results > SHOWN:
        lines.append(f"  ... and {results - SHOWN} more")
    return ValidationReport(conforms=conforms, violations=violations, warnings=warnings,
                            text="\n".join(lines), shown=tuple(shown[:SHOWN]), triples=triples)


def combine(reports: list[ValidationReport]) -> ValidationReport:
    """One report for parts validated separately (the shards of a build): totals, the first results."""
    violations = sum(r.violations for r in reports)
    warnings = sum(r.warnings for r in reports)
    # Violations first, then in shard order, as each part's own list is.
    lines = [line for r in reports for line in r.shown if line.startswith("  Violation")]
    lines += [line for r in reports for line in r.shown if not line.startswith("  Violation")]
    return _report(violations, warnings, sum(r.triples for r in reports), lines, violations + warnings)


# ------------------------------------------------------------------ the data, as the engine reads it


class _Source:
    """The data as text for the engine, its number of distinct triples, and the labels of a few nodes.

    The engine reads N-Quads (or Turtle) text as the union of the graphs; the distinct triples are counted
    here because ``ValidationReport.triples`` counts that union, not the quads. Labels are looked up only for
    the nodes a report names, so a conforming graph costs no lookup at all.
    """

    __slots__ = ("format", "text", "triples", "_graph", "_quads", "_triples")

    def __init__(self, data: Data, nquads: bytes | None = None) -> None:
        self._graph: Graph | None = None
        self._quads: Quads | None = None
        self._triples: frozenset[ox.Triple] = frozenset()
        if isinstance(data, Quads):
            self._quads = data
            text = nquads if nquads is not None else data.nquads()
            self.text, self.format = text.decode("utf-8"), "nquads"
            self.triples = len(set().union(*data.graphs.values()))
            return
        if isinstance(data, bytes | bytearray | memoryview):
            raw = bytes(data)
            self._triples = frozenset(q.triple for q in ox.parse(raw, format=ox.RdfFormat.N_QUADS))
            self.text, self.format = raw.decode("utf-8"), "nquads"
        elif isinstance(data, Graph):  # a Dataset or ConjunctiveGraph too: every graph in it
            # One statement a line in N3 terms, read as Turtle (rdflib writes multi-line strings in triple
            # quotes); the set drops a triple that two graphs share, as the union does.
            lines = {f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in _rdflib_triples(data)}
            self._graph = data
            self.text, self.format, self.triples = "\n".join(lines), "turtle", len(lines)
            return
        else:
            quads = data if isinstance(data, ox.Dataset) else ox.Dataset(data)
            self._triples = frozenset(q.triple for q in quads)
            text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
            self.text, self.format = text.decode("utf-8"), "nquads"
        self.triples = len(self._triples)

    def labels(self, iris: set[str]) -> dict[str, list[str]]:
        """IRI -> its skos:prefLabel@zh texts, sorted, for those of ``iris`` that have any."""
        found: dict[str, set[str]] = {}
        if self._graph is not None:
            graphs = list(self._graph.graphs()) if isinstance(self._graph, Dataset) else [self._graph]
            for iri in iris:
                for graph in graphs:
                    for o in graph.objects(URIRef(iri), SKOS.prefLabel):
                        if isinstance(o, Literal) and o.language == "zh":
                            found.setdefault(iri, set()).add(str(o))
        elif self._quads is not None:
            wanted = {f"<{iri}>" for iri in iris}
            pref_label = f"<{_PREF_LABEL}>"
            literals = self._quads.literals
            for triples in self._quads.graphs.values():
                for subject_term, predicate_term, object_term in triples:
                    if predicate_term != pref_label or subject_term not in wanted:
                        continue
                    literal = literals.get(object_term)
                    if literal is not None and literal.language == "zh":
                        found.setdefault(subject_term[1:-1], set()).add(literal.value)
        else:
            for t in self._triples:
                subject, label = t.subject, t.object
                if t.predicate.value != _PREF_LABEL or not isinstance(subject, ox.NamedNode):
                    continue
                if subject.value in iris and isinstance(label, ox.Literal) and label.language == "zh":
                    found.setdefault(subject.value, set()).add(label.value)
        return {iri: sorted(texts) for iri, texts in found.items()}


def _rdflib_triples(data: Graph) -> Iterator[tuple[Node, Node, Node]]:
    if isinstance(data, Dataset):  # its graphs, the default one included
        for graph in data.graphs():
            yield from graph
    else:
        yield from data


# ------------------------------------------------------------------ shapes and report lines


@lru_cache(maxsize=4)
def _shapes(path: Path) -> shacl.Shapes:
    """The compiled shapes (compiling takes a few milliseconds; a build validates many batches)."""
    try:
        return shacl.Shapes.from_text(path.read_text(encoding="utf-8"), format="turtle", base=path.as_uri())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read SHACL shapes ({exc})") from exc


def _short(term: str | None, labels: dict[str, list[str]]) -> str:
    """A prefixed name, with the node's Chinese labels when it has some: ``id:org-… (河南省委社会工作部)``.

    ``term`` is in N-Triples syntax, as the engine reports it; blank nodes and literals are shown as they are.
    """
    if not term:
        return ""
    if _IRI_TERM.fullmatch(term):
        iri = term[1:-1]
        text = shorten(iri)
        found = labels.get(iri)
        return f"{text} ({' / '.join(found)})" if found else text  # all of them, in a fixed order
    return term


def _short_path(path: str | None, labels: dict[str, list[str]]) -> str:
    """A predicate as :func:`_short` shows it; in a longer SPARQL path, each IRI as a prefixed name."""
    if not path:
        return ""
    if _IRI_TERM.fullmatch(path):
        return _short(path, labels)
    return _IRI_IN_PATH.sub(lambda m: shorten(m.group(1)), path)


def _default_message(result: shacl.Result) -> str:
    """For a shape that declares no sh:message: the constraint and the value at fault."""
    value = f" (value {result.value})" if result.value is not None else ""
    return f"{result.component} not satisfied{value}"
