"""The graph view's page (``graph.html``): pyvis's inline page, stripped of remote links, plus kg's own panel
(``page.html``), style (``page.css``) and script (``page.js``), shipped beside this module.

Reading::

    stats = write_view(dataset, Path("out/graph.html"))               # the whole graph, capped
    stats = write_view(dataset, path, focus="郅晓峰", hops=2)           # a neighbourhood
    stats = write_view(dataset, path, classes=["ORG", "PERSON"])      # some classes only

The page opens from disk with no network: vis-network, the data and the page's own script are inline. The
entities are read by :mod:`kg.view.model`, chosen by :mod:`kg.view.selection` and placed by
:mod:`kg.view.layout`. Above ``max_nodes`` the page shows the most connected entities and says what it left
out and how to see it.

Text from documents (names, sentences, titles) reaches the page only as JSON inside a
``<script type="application/json">`` block (:func:`script_json`: ``<``, ``>`` and ``&`` escaped), and the
page's script puts it into the DOM with ``textContent``; the canvas draws labels as pixels. Nothing from a
document is parsed as HTML.
"""

from __future__ import annotations

import importlib.resources
import json
import math
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network
from rdflib import Dataset

from kg.core.errors import KGError
from kg.core.files import atomic_write
from kg.rdf.iri import digest
from kg.rdf.namespaces import local_name
from kg.view.institutions import LINK_KINDS, institution_graph
from kg.view.layout import layout
from kg.view.model import CLASSES, ViewStats, entity_graph
from kg.view.selection import DEFAULT_MAX_NODES, Selection, parse_classes, select

FONT = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
        "sans-serif")

#: Relation -> edge colour (relations not listed are grey).
RELATION_COLOURS = {
    "holdsPost": "#f28e2b",
    "postIn": "#ffbe7d",
    "role": "#ffbe7d",
    "memberOf": "#d4a373",
    "subOrganizationOf": "#4e79a7",
    "locatedIn": "#76b7b2",
    "runs": "#59a14f",
    "issues": "#b07aa1",
    "cooperatesWith": "#e15759",
    "targets": "#9c755f",
    "quantifies": "#8c8c8c",
    "partOf": "#edc948",
    "organizes": "#17becf",
}
_GREY = "#b0b0b0"
#: Community colours of the institutions mode, largest community first (Tableau 20, darker tones first).
COMMUNITY_COLOURS = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f",
                     "#ff9da7", "#17becf", "#8cd17d", "#d37295", "#499894", "#86bcb6", "#f1ce63", "#a0cbe8",
                     "#d4a6c8", "#ffbe7d", "#79706e", "#bab0ac"]
#: Link kind (institutions mode) -> edge colour.
LINK_COLOURS = {"cooperatesWith": "#e15759", "subOrganizationOf": "#4e79a7", "coIssued": "#b07aa1",
                "coRun": "#59a14f"}
#: Typical distance between neighbours in the layout (canvas units), per mode: the institutions mode
#: labels every body, so its bodies stand further apart.
SPACING = 90.0
INSTITUTION_SPACING = 200.0


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` (so no ``</script>``
    and no ``<!--``), and no U+2028/U+2029. Keys are sorted, so the same data gives the same text."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def render_page(
    full: nx.MultiDiGraph,
    selection: Selection,
    positions: dict[str, tuple[float, float]] | None,
    stats: ViewStats,
    *,
    max_nodes: int,
    focus: str | None,
    hops: int,
    classes: Sequence[str] | None,
    institution: nx.Graph | None = None,
) -> str:
    """The page: ``positions`` place the linked entities of the selection (computed when None);
    ``institution`` is the graph of :func:`kg.view.institutions.institution_graph` (the institutions
    mode)."""
    graph = selection.graph
    documents: dict[str, tuple[str, ...]] = graph.graph.get("documents", {})
    doc_provinces: dict[str, list[str]] = graph.graph.get("provinces", {})

    # Tables the nodes and edges point into: documents and sentences, numbered in first-use order.
    used_docs: set[str] = set()
    for _, data in graph.nodes(data=True):
        used_docs.update(data["docs"])
        used_docs.update(s[0] for s in data["mentions"])
    for _, _, data in graph.edges(data=True):
        used_docs.update(data["docs"])
    if institution is not None:
        for node in institution.nodes:
            used_docs.update(full.nodes[node]["docs"])
            used_docs.update(s[0] for s in full.nodes[node]["mentions"])
        for _, _, data in institution.edges(data=True):
            used_docs.update(data["docs"])
    used_docs.discard("")
    doc_list = sorted(used_docs, key=lambda iri: (documents.get(iri, (iri, ""))[0], iri))
    doc_index = {iri: i for i, iri in enumerate(doc_list)}
    sentences: list[list[Any]] = []
    sentence_index: dict[tuple[str, int, int, str], int] = {}

    def sentence(s: tuple[str, int, int, str]) -> int:
        if s not in sentence_index:
            sentence_index[s] = len(sentences)
            sentences.append([doc_index.get(s[0], -1), s[1], s[2], s[3]])
        return sentence_index[s]

    degree = dict(graph.degree())
    linked = [n for n in graph.nodes if degree[n]]
    positions = positions if positions is not None else layout(graph.subgraph(linked), spacing=SPACING)
    importance = _importance(degree)
    nodes_json: dict[str, dict[str, Any]] = {}

    def node_json(node: str, source: nx.MultiDiGraph) -> dict[str, Any]:
        if node not in nodes_json:
            data = source.nodes[node]
            nodes_json[node] = {
                "id": node, "zh": data["zh"], "en": data["en"], "aliases": data["aliases"],
                "cls": data["cls"],
                "docs": [doc_index[d] for d in data["docs"] if d in doc_index],
                "men": [sentence(s) for s in data["mentions"]], "deg": degree.get(node, 0),
            }
        return nodes_json[node]

    for node in sorted(graph.nodes):
        x, y = positions.get(node, (0.0, 0.0))
        node_json(node, graph)["ent"] = {"x": x, "y": y, "imp": importance[node], "iso": not degree[node]}
    edges_json: list[dict[str, Any]] = []
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        edges_json.append({
            "id": "e" + digest(u, key, v), "rel": data["rel"], "from": u, "to": v, "pred": key,
            "color": RELATION_COLOURS.get(data["rel"], _GREY),
            "docs": [doc_index[d] for d in data["docs"] if d in doc_index],
            "ev": [[sentence(s), conf] for s, conf in data["evidence"]], "derived": data["derived"],
        })
    institutions = _institutions(institution, max_nodes, full, node_json, doc_index, sentence)

    province_names = {d["province"]: d["zh"] or d["en"] for _, d in full.nodes(data=True) if d["province"]}
    provinces: dict[str, list[int]] = {}
    for doc in doc_list:
        for code in doc_provinces.get(doc, []):
            provinces.setdefault(code, []).append(doc_index[doc])
    present_classes = {d["cls"] for _, d in graph.nodes(data=True)}
    rel_counts: dict[str, int] = {}
    for _, _, data in graph.edges(data=True):
        rel_counts[data["rel"]] = rel_counts.get(data["rel"], 0) + 1
    class_counts = dict.fromkeys(CLASSES, 0)
    for _, data in graph.nodes(data=True):
        class_counts[data["cls"]] += 1

    payload = {
        "classes": [{"key": key, "name": spec[1], "zh": spec[2], "color": spec[3], "shape": spec[4],
                     "glyph": spec[5], "count": class_counts[key]}
                    for key, spec in CLASSES.items() if key in present_classes or key != "OTHER"],
        "relations": [{"key": rel, "color": RELATION_COLOURS.get(rel, _GREY), "count": n}
                      for rel, n in sorted(rel_counts.items())],
        "docs": [{"iri": iri, "id": documents.get(iri, (iri, iri))[0],
                  "title": documents.get(iri, (iri, iri))[1], "year": _year(documents.get(iri, ()))}
                 for iri in doc_list],
        "provinces": [{"code": code, "name": province_names.get(code, code), "docs": docs}
                      for code, docs in sorted(provinces.items(), key=lambda kv: kv[0])],
        "nodes": [nodes_json[n] for n in sorted(nodes_json)],
        "edges": edges_json,
        "inst": institutions,
        "spacing": {"entities": SPACING, "institutions": INSTITUTION_SPACING},
        "sentences": sentences,
        "view": {"nodes": stats.nodes, "edges": stats.edges, "nodes_total": stats.nodes_total,
                 "edges_total": stats.edges_total, "omitted": stats.omitted,
                 "requested_nodes": selection.requested_nodes, "requested_edges": selection.requested_edges,
                 "focus": focus or "", "hops": hops, "classes": list(classes or [])},
        "note": _note(full, selection, stats, max_nodes=max_nodes, focus=focus, hops=hops, classes=classes),
    }
    big = stats.nodes > 300 or stats.edges > 600
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.options = _options(big)  # a dict: pyvis dumps it as JSON into the page
    html = net.generate_html(notebook=False)
    return _assemble(html, script_json(payload))


def _importance(degree: dict[str, int]) -> dict[str, float]:
    """Degree -> 0..1 on a log scale (the most connected entity is 1): sizes the node and its label."""
    top = math.log1p(max(degree.values(), default=0))
    return {n: round(math.log1p(d) / top, 3) if top else 0.0 for n, d in degree.items()}


def _year(document: tuple[str, ...]) -> int | None:
    """The year of a document's date (``dct:issued``), or None."""
    found = _YEAR.match(document[2]) if len(document) > 2 and document[2] else None
    return int(found.group(1)) if found else None


_YEAR = re.compile(r"^(\d{4})")


def _institutions(institution: nx.Graph | None, max_nodes: int, full: nx.MultiDiGraph,
                  node_json: Any, doc_index: dict[str, int], sentence: Any) -> dict[str, Any]:
    """The institutions mode's part of the payload: bodies (with a position, community and weight, in the
    node table), aggregated links with their counts and evidence, the communities and the link kinds."""
    empty: dict[str, Any] = {"edges": [], "communities": [], "kinds": [], "bodies": 0, "linked": 0,
                             "omitted": 0}
    if institution is None or not institution.number_of_nodes():
        return empty
    ranked = sorted(institution.nodes, key=lambda n: (-institution.nodes[n]["weight"],
                                                      -len(full.nodes[n]["docs"]), n))
    kept = institution.subgraph(ranked[:max_nodes])
    linked = [n for n in kept.nodes if kept.degree(n)]
    positions = layout(kept.subgraph(linked), spacing=INSTITUTION_SPACING)
    weights = {n: kept.nodes[n]["weight"] for n in kept.nodes}
    importance = _importance(weights)
    sizes: dict[int, int] = {}
    for n in kept.nodes:
        community = kept.nodes[n]["community"]
        sizes[community] = sizes.get(community, 0) + 1
    for node in kept.nodes:
        x, y = positions.get(node, (0.0, 0.0))
        community = kept.nodes[node]["community"]
        node_json(node, full)["inst"] = {"x": x, "y": y, "imp": importance[node], "w": weights[node],
                                         "com": community, "iso": not kept.degree(node)}
    edges = []
    kind_counts: dict[str, int] = {}
    for u, v, data in sorted(kept.edges(data=True)):
        a, b = sorted((u, v))
        for kind, n in data["kinds"].items():
            kind_counts[kind] = kind_counts.get(kind, 0) + n
        edges.append({
            "id": "i" + digest(a, b), "from": a, "to": b, "kinds": data["kinds"], "count": data["count"],
            "via": [full.nodes[e]["zh"] or full.nodes[e]["en"] or local_name(e) for e in data["via"]],
            "docs": [doc_index[d] for d in data["docs"] if d in doc_index],
            "ev": [[sentence(s), conf] for s, conf in data["evidence"]],
        })
    communities = []
    for index in sorted(c for c in sizes if c >= 0):
        members = sorted((n for n in linked if kept.nodes[n]["community"] == index),
                         key=lambda n: (-weights[n], n))
        communities.append({
            "index": index, "size": len(members), "color": community_colour(index),
            "names": [full.nodes[n]["zh"] or full.nodes[n]["en"] or local_name(n) for n in members[:3]],
        })
    return {
        "edges": edges, "communities": communities,
        "kinds": [{"key": k, "label": LINK_KINDS[k], "color": LINK_COLOURS[k], "count": kind_counts.get(k, 0)}
                  for k in LINK_KINDS],
        "bodies": kept.number_of_nodes(), "linked": len(linked),
        "omitted": institution.number_of_nodes() - kept.number_of_nodes(),
    }


def community_colour(index: int) -> str:
    """The colour of community ``index`` (0 = the largest); small communities past the palette are grey."""
    return COMMUNITY_COLOURS[index] if 0 <= index < len(COMMUNITY_COLOURS) else _GREY


def _note(full: nx.MultiDiGraph, selection: Selection, stats: ViewStats, *, max_nodes: int,
          focus: str | None, hops: int, classes: Sequence[str] | None) -> dict[str, Any]:
    """What the view leaves out and the commands that show it (empty text when nothing is left out)."""
    parts = []
    if focus:
        parts.append(f"the entities within {hops} hops of “{focus}”")
    if classes:
        parts.append(f"the classes {', '.join(classes)}")
    scope = " and ".join(parts)
    if not stats.omitted:
        text = f"This view shows {scope}." if scope else ""
        return {"text": text, "commands": [], "left_out": []}
    omitted_edges = selection.requested_edges - stats.edges
    text = (f"Too big to draw at once: this view shows the {stats.nodes:,} most connected of "
            f"{selection.requested_nodes:,} entities{' (' + scope + ')' if scope else ''}. "
            f"Left out: {stats.omitted:,} entities and {omitted_edges:,} relations. "
            + ("" if selection.left_out_linked else "None of them has a relation in the graph. ")
            + "To see them, draw a part of the graph (GRAPH is the build folder or its graph.trig):")
    example = full.nodes[selection.left_out[0]] if selection.left_out else None
    name = (example["zh"] or example["en"]) if example else "NAME"
    commands = [
        f"kg viz GRAPH --focus {name} --hops 2 -o part.html",
        f"kg viz GRAPH --classes {example['cls'] if example else 'ORG'} -o part.html",
        f"kg viz GRAPH --max-nodes {max(max_nodes * 2, 1000)} -o bigger.html",
    ]
    if not selection.left_out_linked:
        commands = commands[1:] + commands[:1]
    left_out = [full.nodes[n]["zh"] or full.nodes[n]["en"] or local_name(n) for n in selection.left_out]
    summary = (f"{stats.omitted:,} more entities are not in this page (size cap)"
               + ("" if selection.left_out_linked else ": none of them has a relation")
               + ". How to see them")
    return {"text": text, "commands": commands, "left_out": left_out, "summary": summary}


def _options(big: bool) -> dict[str, Any]:
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "interaction": {"hover": not big, "tooltipDelay": 300, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "multiselect": False, "navigationButtons": False, "keyboard": False},
        "nodes": {
            "borderWidth": 1,
            "font": {"face": FONT, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff",
                     "color": "#222222"},
            # sizes are set by the page's script for the zoom (page.js restyle); a label under 8 px on
            # screen is not drawn
            "scaling": {"label": {"enabled": False, "drawThreshold": 8}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.15},
            "selectionWidth": 2.5,
            "hoverWidth": 0.5,
        },
    }


_REMOTE_TAG = re.compile(
    r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>|<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>",
    re.IGNORECASE,
)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>\s*")
_COMMENTED_TAGS = re.compile(r"<!--\s*<(?:link|script)\b.*?-->\s*", re.DOTALL)
_REMOTE_REFERENCE = re.compile(r"\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)


def _assemble(html: str, payload: str) -> str:
    """pyvis's page (vis-network inline) without its remote links (Bootstrap from a CDN), plus kg's UI."""
    html = _REMOTE_TAG.sub("", html)
    html = _EMPTY_HEADING.sub("", html)
    html = _COMMENTED_TAGS.sub("", html)
    if _REMOTE_REFERENCE.search(html):
        raise KGError("the pyvis template links a remote resource that kg does not know how to strip; "
                      "the view would not open offline (check the installed pyvis version)")
    for marker in ("</head>", "<body>", "</body>"):
        if html.count(marker) != 1:
            raise KGError(f"unexpected pyvis template: {marker} occurs {html.count(marker)} times")
    html = html.replace("</head>", f"<title>kg graph view</title>\n<style>{_css()}</style>\n</head>")
    html = html.replace("<body>", "<body>\n" + _asset("page.html"))
    html = html.replace(
        "</body>",
        f'<script type="application/json" id="kg-data">{payload}</script>\n'
        f"<script>{_asset('page.js')}</script>\n</body>",
    )
    return "<!DOCTYPE html>\n" + html.lstrip()


def _css() -> str:
    return _asset("page.css").replace("FONT", FONT)


@cache
def _asset(name: str) -> str:
    """A file of the page shipped beside this module (``page.css``, ``page.html``, ``page.js``)."""
    return importlib.resources.files("kg.view").joinpath(name).read_text(encoding="utf-8")


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
    full = dataset if isinstance(dataset, nx.MultiDiGraph) else entity_graph(dataset)
    selection = select(full, focus=focus, hops=hops, classes=classes, max_nodes=max_nodes)
    # The institutions mode: every body of the graph, or those of the selection when it is a part.
    chosen = selection.graph
    bodies = {n for n, d in chosen.nodes(data=True) if d["cls"] == "ORG"} if (focus or classes) else None
    institution = institution_graph(full, bodies)
    stats = ViewStats(
        nodes=selection.graph.number_of_nodes(),
        edges=selection.graph.number_of_edges(),
        nodes_total=full.number_of_nodes(),
        edges_total=full.number_of_edges(),
        omitted=selection.requested_nodes - selection.graph.number_of_nodes(),
        linked=sum(1 for _, d in selection.graph.degree() if d),
    )
    html = render_page(full, selection, None, stats, max_nodes=max_nodes, focus=focus, hops=hops,
                       classes=parse_classes(classes), institution=institution)
    atomic_write(path, html)
    return stats
