"""The institutions view: bodies (ORG entities) and the links between them, aggregated per pair of bodies.

Four kinds of link join two bodies (:data:`LINK_KINDS`):

- ``cooperatesWith``: a co-operation relation between them (either direction);
- ``subOrganizationOf``: one is part of the other (either direction);
- ``coIssued``: both issue the same policy document (two ``issues`` relations with one POLICY tail);
- ``coRun``: both run the same mechanism or programme (two ``runs`` relations with one tail).

Each pair of bodies becomes one edge with a count per kind, the total, the entities it goes through (the
shared policies, mechanisms and programmes) and the evidence sentences of the relations behind it.
Communities are found by networkx's Louvain method with a fixed seed, so the same graph gives the same
colours.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import networkx as nx

#: Link kind -> (relation behind it, English description); the order of the page's legend.
LINK_KINDS: dict[str, str] = {
    "cooperatesWith": "co-operate (cooperatesWith)",
    "subOrganizationOf": "one is part of the other (subOrganizationOf)",
    "coIssued": "issue the same policy document (issues)",
    "coRun": "run the same mechanism or programme (runs)",
}
_DIRECT = {"cooperatesWith", "subOrganizationOf"}
#: Shared-tail kinds: relation -> (classes of the shared entity, link kind).
_SHARED = {"issues": ({"POLICY"}, "coIssued"), "runs": ({"MECHANISM", "PROGRAM"}, "coRun")}
#: Evidence sentences kept per aggregated edge.
MAX_LINK_EVIDENCE = 8
#: Seed of the community detection.
COMMUNITY_SEED = 7


def _evidence(items: Iterable[tuple[Any, str]]) -> list[tuple[Any, str]]:
    return sorted(set(items))[:MAX_LINK_EVIDENCE]


def institution_graph(graph: nx.MultiDiGraph, bodies: Iterable[str] | None = None) -> nx.Graph:
    """The bodies of ``graph`` (all its ORG entities, or ``bodies``) and the aggregated links between them.

    Node attributes: ``weight`` (the sum of its edges' counts) and ``community`` (0 = the largest; -1 for a
    body without links). Edge attributes: ``kinds`` ({kind: count}), ``count``, ``via`` (IRIs of the shared
    entities), ``docs`` (document IRIs) and ``evidence`` ((sentence, confidence) pairs).
    """
    wanted = set(bodies) if bodies is not None else None
    orgs = sorted(n for n, d in graph.nodes(data=True)
                  if d["cls"] == "ORG" and (wanted is None or n in wanted))
    is_org = set(orgs)
    out = nx.Graph()
    out.add_nodes_from(orgs)
    links: dict[tuple[str, str], dict[str, Any]] = {}

    def link(a: str, b: str, kind: str, via: str | None, data: Iterable[dict[str, Any]]) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        entry = links.setdefault(
            key, {"kinds": defaultdict(int), "via": set(), "docs": set(), "evidence": []})
        entry["kinds"][kind] += 1
        if via:
            entry["via"].add(via)
        for d in data:
            entry["docs"].update(d["docs"])
            entry["evidence"].extend(d["evidence"])

    shared: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        rel = data["rel"]
        if rel in _DIRECT and u in is_org and v in is_org:
            link(u, v, rel, None, [data])
        elif rel in _SHARED and u in is_org and graph.nodes[v]["cls"] in _SHARED[rel][0]:
            shared[(_SHARED[rel][1], v)].append((u, data))
    for (kind, via), runners in sorted(shared.items()):
        by_body: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for body, data in runners:
            by_body[body].append(data)
        for a, b in combinations(sorted(by_body), 2):
            link(a, b, kind, via, [*by_body[a], *by_body[b]])

    for (a, b), entry in sorted(links.items()):
        kinds = {k: entry["kinds"][k] for k in LINK_KINDS if entry["kinds"].get(k)}
        out.add_edge(a, b, kinds=kinds, count=sum(kinds.values()), via=sorted(entry["via"]),
                     docs=sorted(d for d in entry["docs"] if d), evidence=_evidence(entry["evidence"]))
    for node in out.nodes:
        out.nodes[node]["weight"] = sum(d["count"] for _, _, d in out.edges(node, data=True))
        out.nodes[node]["community"] = -1
    linked = out.subgraph([n for n in out.nodes if out.degree(n)])
    if linked.number_of_nodes():
        found = nx.community.louvain_communities(linked, weight="count", seed=COMMUNITY_SEED)
        ranked = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
        for index, members in enumerate(ranked):
            for node in members:
                out.nodes[node]["community"] = index
    return out
