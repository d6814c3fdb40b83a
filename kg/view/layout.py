"""Where a view's entities are drawn: a seeded force layout in numpy, one per connected component,
components packed in rows; the browser gets the positions with physics off and has nothing to simulate."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

#: Width over height of the packed components: the view's canvas between its two panels is about square
#: (760 x 900 px in a 1400 x 900 window), and the page re-packs to the window's own shape after a filter.
ASPECT = 1.0


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


def _pack(boxes: list[tuple[list[str], np.ndarray]], *, gap: float,
          aspect: float = ASPECT) -> dict[str, tuple[float, float]]:
    """Shelf packing: rows of components, left to right, ``aspect`` times as wide as the whole is tall."""
    sizes = [(p.max(axis=0) - p.min(axis=0)) if len(p) else np.zeros(2) for _, p in boxes]
    area = sum((w + gap) * (h + gap) for w, h in sizes)
    row_width = max(math.sqrt(area * aspect), max((w for w, _ in sizes), default=0.0))
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
