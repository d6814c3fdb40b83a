"""Which entities a view draws: a class filter, a focus entity's neighbourhood, and a size cap that keeps the
most connected ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from kg.core.errors import KGError
from kg.view.model import CLASSES

#: Default cap on the entities drawn: vis-network stays responsive well past it with physics off,
#: and the layout (dense, O(n²) per iteration) takes about a second here.
DEFAULT_MAX_NODES = 1500


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
