"""Check a graph or dataset against the SHACL shapes of ``ontology/shapes.ttl`` (pySHACL, no inference).

A dataset is validated as the union of all its named graphs (facts, evidence and metadata together), on an
rdflib copy, so the caller's graph is never touched. Warnings (``sh:Warning``) are counted but do not make a
graph non-conforming; violations do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS
from rdflib.term import Node

from kg.errors import ConfigError
from kg.namespaces import bind_prefixes
from kg.resources import ontology_path

__all__ = ["ValidationReport", "combine", "validate"]

#: How many results the report's text lists.
SHOWN = 5


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


def validate(data: Graph | Dataset, *, shapes: Path | None = None) -> ValidationReport:
    """Validate ``data`` (a graph, or all named graphs of a dataset) against ``shapes`` (default: shipped)."""
    union = _union_copy(data)
    shapes_graph = _shapes(Path(shapes) if shapes is not None else ontology_path("shapes.ttl"))
    _conforms, report, _text = pyshacl.validate(
        union,
        shacl_graph=shapes_graph,
        ont_graph=None,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
    )
    if not isinstance(report, Graph):  # pragma: no cover - pySHACL always returns a graph here
        raise ConfigError("pySHACL returned no report graph")
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        results.append(
            (
                0 if severity == SH.Violation else 1,
                _short(union, report.value(result, SH.focusNode)),
                _short(union, report.value(result, SH.resultPath)),
                str(report.value(result, SH.resultMessage) or ""),
                severity,
            )
        )
    results.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    violations = sum(1 for r in results if r[4] == SH.Violation)
    warnings = sum(1 for r in results if r[4] == SH.Warning)
    shown = []
    for _rank, focus, path, message, severity in results[:SHOWN]:
        kind = "Violation" if severity == SH.Violation else "Warning" if severity == SH.Warning else "Info"
        shown.append(f"  {kind}: {focus}" + (f" {path}" if path else "") + f": {message}")
    return _report(violations, warnings, len(union), shown, len(results))


def _report(violations: int, warnings: int, triples: int, shown: list[str], results: int) -> ValidationReport:
    conforms = violations == 0
    head = (
        f"{'Conforms' if conforms else 'Does not conform'}: {violations} violation(s), {warnings} warning(s) "
        f"in {triples} triples"
    )
    lines = [head, *shown[:SHOWN]]
    if results > SHOWN:
        lines.append(f"  ... and {results - SHOWN} more")
    return ValidationReport(conforms=conforms, violations=violations, warnings=warnings, text="\n".join(lines),
                            shown=tuple(shown[:SHOWN]), triples=triples)


def combine(reports: list[ValidationReport]) -> ValidationReport:
    """One report for parts validated separately (the shards of a build): totals, the first results."""
    violations = sum(r.violations for r in reports)
    warnings = sum(r.warnings for r in reports)
    # Violations first, then in shard order, as each part's own list is.
    lines = [line for r in reports for line in r.shown if line.startswith("  Violation")]
    lines += [line for r in reports for line in r.shown if not line.startswith("  Violation")]
    return _report(violations, warnings, sum(r.triples for r in reports), lines, violations + warnings)


def _union_copy(data: Graph | Dataset) -> Graph:
    union = Graph(bind_namespaces="none")
    bind_prefixes(union)
    if isinstance(data, Dataset):
        for graph in data.graphs():
            for triple in graph:
                union.add(triple)
    else:
        for triple in data:
            union.add(triple)
    return union


@lru_cache(maxsize=4)
def _shapes(path: Path) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read SHACL shapes ({exc})") from exc


def _short(graph: Graph, node: Node | None) -> str:
    """A prefixed name, with the node's Chinese label when it has one: ``id:org-… (河南省委社会工作部)``."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        text = node.n3(graph.namespace_manager)
        labels = sorted(str(o) for o in graph.objects(node, SKOS.prefLabel)
                        if isinstance(o, Literal) and o.language == "zh")
        return f"{text} ({' / '.join(labels)})" if labels else text  # all of them, in a fixed order
    return node.n3() if hasattr(node, "n3") else str(node)
