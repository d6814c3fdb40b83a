"""The HTML of the graph view: pyvis's inline page, stripped of remote links, plus kg's own panel and script.

Kept apart from :mod:`kg.view.model` (which reads the graph, selects and lays it out) because it is mostly
CSS and JavaScript. Everything taken from documents goes into one JSON block (:func:`script_json`) and is
put into the page by the script with ``textContent``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx
from pyvis.network import Network

from kg.core.errors import KGError
from kg.rdf.iri import digest

if TYPE_CHECKING:
    from kg.view.model import Selection, ViewStats

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
_LABEL_MAX = 18  # characters drawn on the canvas; the panel shows the full name


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
    positions: dict[str, tuple[float, float]],
    stats: ViewStats,
    *,
    max_nodes: int,
    focus: str | None,
    hops: int,
    classes: Sequence[str] | None,
) -> str:
    from kg.view.model import CLASSES

    graph = selection.graph
    documents: dict[str, tuple[str, str]] = graph.graph.get("documents", {})
    doc_provinces: dict[str, list[str]] = graph.graph.get("provinces", {})

    # Tables the nodes and edges point into: documents and sentences, numbered in first-use order.
    used_docs: set[str] = set()
    for _, data in graph.nodes(data=True):
        used_docs.update(data["docs"])
        used_docs.update(s[0] for s in data["mentions"])
    for _, _, data in graph.edges(data=True):
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
    nodes_json: list[dict[str, Any]] = []
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line", heading="")
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        spec = CLASSES[data["cls"]]
        name = data["zh"] or data["en"] or _tail(node)
        label = name if len(name) <= _LABEL_MAX else name[: _LABEL_MAX - 1] + "…"
        x, y = positions[node]
        net.add_node(node, label=label, shape=spec[4], color=spec[3], x=x, y=y, value=degree[node] + 1,
                     title=f"{name} · {spec[1]}")
        nodes_json.append({
            "id": node, "zh": data["zh"], "en": data["en"], "aliases": data["aliases"], "cls": data["cls"],
            "docs": [doc_index[d] for d in data["docs"] if d in doc_index],
            "men": [sentence(s) for s in data["mentions"]], "deg": degree[node],
        })
    edges_json: list[dict[str, Any]] = []
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        edge_id = "e" + digest(u, key, v)
        colour = RELATION_COLOURS.get(data["rel"], _GREY)
        net.add_edge(u, v, id=edge_id, color=colour, title=data["rel"], width=1.5)
        edges_json.append({
            "id": edge_id, "rel": data["rel"], "from": u, "to": v, "pred": key,
            "docs": [doc_index[d] for d in data["docs"] if d in doc_index],
            "ev": [[sentence(s), conf] for s, conf in data["evidence"]], "derived": data["derived"],
        })

    province_names = {d["province"]: d["zh"] or d["en"] for _, d in full.nodes(data=True) if d["province"]}
    provinces: dict[str, list[int]] = {}
    for doc in doc_list:
        for code in doc_provinces.get(doc, []):
            provinces.setdefault(code, []).append(doc_index[doc])
    present_classes = {d["cls"] for _, d in graph.nodes(data=True)}
    rel_counts: dict[str, int] = {}
    for _, _, data in graph.edges(data=True):
        rel_counts[data["rel"]] = rel_counts.get(data["rel"], 0) + 1
    class_counts = {key: 0 for key in CLASSES}
    for _, data in graph.nodes(data=True):
        class_counts[data["cls"]] += 1

    payload = {
        "classes": [{"key": key, "name": spec[1], "zh": spec[2], "color": spec[3], "shape": spec[4],
                     "glyph": spec[5], "count": class_counts[key]}
                    for key, spec in CLASSES.items() if key in present_classes or key != "OTHER"],
        "relations": [{"key": rel, "color": RELATION_COLOURS.get(rel, _GREY), "count": n}
                      for rel, n in sorted(rel_counts.items())],
        "docs": [{"iri": iri, "id": documents.get(iri, (iri, iri))[0],
                  "title": documents.get(iri, (iri, iri))[1]} for iri in doc_list],
        "provinces": [{"code": code, "name": province_names.get(code, code), "docs": docs}
                      for code, docs in sorted(provinces.items(), key=lambda kv: kv[0])],
        "nodes": nodes_json,
        "edges": edges_json,
        "sentences": sentences,
        "view": {"nodes": stats.nodes, "edges": stats.edges, "nodes_total": stats.nodes_total,
                 "edges_total": stats.edges_total, "omitted": stats.omitted,
                 "requested_nodes": selection.requested_nodes, "requested_edges": selection.requested_edges,
                 "focus": focus or "", "hops": hops, "classes": list(classes or [])},
        "note": _note(full, selection, stats, max_nodes=max_nodes, focus=focus, hops=hops, classes=classes),
    }
    big = stats.nodes > 300 or stats.edges > 600
    net.options = _options(big)  # a dict: pyvis dumps it as JSON into the page
    html = net.generate_html(notebook=False)
    return _assemble(html, script_json(payload))


def _tail(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


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
    left_out = [full.nodes[n]["zh"] or full.nodes[n]["en"] or _tail(n) for n in selection.left_out]
    return {"text": text, "commands": commands, "left_out": left_out}


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
            "scaling": {"min": 8, "max": 36,
                        # labels grow with the node; below 5 px on screen they are not drawn
                        "label": {"enabled": True, "min": 13, "max": 26, "maxVisible": 30,
                                  "drawThreshold": 5}},
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
    html = html.replace("</head>", f"<title>kg graph view</title>\n<style>{CSS}</style>\n</head>")
    html = html.replace("<body>", "<body>\n" + BODY)
    html = html.replace(
        "</body>",
        f'<script type="application/json" id="kg-data">{payload}</script>\n'
        f"<script>{SCRIPT}</script>\n</body>",
    )
    return "<!DOCTYPE html>\n" + html.lstrip()


CSS = """
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; font-family: FONT; font-size: 14px;
  color: #222; background: #fff; }
#kg-side { position: absolute; left: 0; top: 0; bottom: 0; width: 280px; overflow-y: auto;
  box-sizing: border-box;
  padding: 10px 12px; border-right: 1px solid #ddd; background: #fafafa; }
#kg-details { position: absolute; right: 0; top: 0; bottom: 0; width: 360px; overflow-y: auto;
  box-sizing: border-box;
  padding: 10px 14px; border-left: 1px solid #ddd; background: #fff; }
.card { position: absolute; left: 280px; right: 360px; top: 0; bottom: 0; width: auto !important; }
#mynetwork { width: 100% !important; height: 100% !important; float: none !important;
  border: none !important; }
#kg-side h1 { font-size: 17px; margin: 0 0 4px; }
#kg-side h2, #kg-details h3 { font-size: 13px; margin: 12px 0 4px; text-transform: uppercase;
  letter-spacing: .04em;
  color: #555; }
#kg-details h2 { font-size: 18px; margin: 4px 0 8px; word-break: break-all; }
.kg-counts { color: #444; margin: 2px 0 6px; }
.kg-note { background: #fff4d6; border: 1px solid #e9c46a; padding: 6px 8px; margin: 6px 0; font-size: 13px; }
.kg-note code, #kg-details code { display: block; background: #f3f3f3; padding: 2px 4px; margin: 3px 0;
  font-size: 12px; word-break: break-all; white-space: pre-wrap; }
.kg-list { list-style: none; margin: 0; padding: 0; }
.kg-list li { margin: 2px 0; }
.kg-list label { cursor: pointer; display: flex; align-items: center; gap: 5px; }
.kg-glyph { display: inline-block; width: 1.2em; text-align: center; font-size: 15px; }
.kg-swatch { display: inline-block; width: 18px; height: 3px; vertical-align: middle; }
.kg-count { color: #888; margin-left: auto; font-size: 12px; }
.kg-row { display: flex; gap: 4px; }
#kg-search { flex: 1; min-width: 0; padding: 4px 6px; font: inherit; }
select { width: 100%; margin: 2px 0 6px; font: inherit; }
button { font: inherit; cursor: pointer; }
#kg-search-results button, .kg-link { background: none; border: none; padding: 0; color: #1f5fa8;
  text-align: left;
  cursor: pointer; font: inherit; }
#kg-search-results button:hover, .kg-link:hover { text-decoration: underline; }
.kg-empty { color: #888; }
dl.kg-facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 0; }
dl.kg-facts dt { color: #666; }
dl.kg-facts dd { margin: 0; word-break: break-all; }
.kg-rel { border-top: 1px solid #eee; padding: 5px 0; }
.kg-rel-head { font-weight: 600; }
.kg-relname { display: inline-block; padding: 0 4px; border-radius: 3px; color: #fff; font-size: 12px;
  font-weight: 600; }
blockquote.kg-sentence { margin: 4px 0 2px 0; padding: 3px 8px; border-left: 3px solid #ccc;
  background: #f8f8f8;
  white-space: pre-wrap; }
.kg-cite { font-size: 12px; color: #666; margin-bottom: 4px; }
.kg-hint { color: #666; }
""".replace("FONT", FONT)

BODY = """<div id="kg-side">
  <h1>kg graph view</h1>
  <div class="kg-counts" id="kg-counts"></div>
  <div class="kg-note" id="kg-note" hidden></div>
  <h2><label for="kg-search">Find an entity</label></h2>
  <div class="kg-row"><input id="kg-search" type="search" autocomplete="off"
    placeholder="中文名, English name or alias"><button id="kg-search-go" type="button">Find</button></div>
  <ul class="kg-list" id="kg-search-results"></ul>
  <h2>Entity classes</h2>
  <ul class="kg-list" id="kg-legend"></ul>
  <h2>Relations</h2>
  <ul class="kg-list" id="kg-relations"></ul>
  <h2><label for="kg-doc">Document</label></h2>
  <select id="kg-doc"><option value="">all documents</option></select>
  <h2><label for="kg-province">Province</label></h2>
  <select id="kg-province"><option value="">all provinces</option></select>
  <button id="kg-reset" type="button">Show everything</button>
</div>
<div id="kg-details"><p class="kg-hint">Click an entity or a relation to see its names and the sentences
it comes from. Scroll to zoom, drag the background to pan.</p></div>
"""

SCRIPT = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var nodesDS = network.body.data.nodes;
  var edgesDS = network.body.data.edges;
  var classInfo = {}, nodeInfo = new Map(), edgeInfo = new Map(), incident = new Map();
  DATA.classes.forEach(function (c) { classInfo[c.key] = c; });
  DATA.nodes.forEach(function (n) { nodeInfo.set(n.id, n); incident.set(n.id, []); n.hidden = false; });
  DATA.edges.forEach(function (e) {
    edgeInfo.set(e.id, e); e.hidden = false;
    incident.get(e.from).push(e);
    if (e.to !== e.from) incident.get(e.to).push(e);
  });
  var state = { classes: new Set(), relations: new Set(), doc: "", province: "" };
  DATA.classes.forEach(function (c) { state.classes.add(c.key); });
  DATA.relations.forEach(function (r) { state.relations.add(r.key); });

  // Every string from a document goes through textContent: nothing here is parsed as HTML.
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function nameOf(n) { return n.zh || n.en || n.id; }
  function glyph(cls) {
    var c = classInfo[cls] || classInfo.OTHER || { glyph: "●", color: "#999" };
    var g = el("span", c.glyph, "kg-glyph"); g.style.color = c.color; return g;
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }

  // ---- counts and the note on what was left out
  function updateCounts(visibleNodes, visibleEdges) {
    var v = DATA.view;
    var text = "Showing " + fmt(visibleNodes) + " entities and " + fmt(visibleEdges) + " relations";
    if (visibleNodes !== v.nodes || visibleEdges !== v.edges) {
      text += " (filters hide " + fmt(v.nodes - visibleNodes) + " and " + fmt(v.edges - visibleEdges) + ")";
    }
    text += "; the graph has " + fmt(v.nodes_total) + " and " + fmt(v.edges_total) + ".";
    $("kg-counts").textContent = text;
  }
  (function note() {
    var box = $("kg-note"), n = DATA.note;
    if (!n.text) return;
    box.appendChild(el("div", n.text));
    n.commands.forEach(function (c) { box.appendChild(el("code", c)); });
    if (n.left_out.length) {
      box.appendChild(el("div", "Most connected entities left out: " + n.left_out.join("、")));
    }
    box.hidden = false;
  })();

  // ---- filters
  function docFilter() {
    if (state.doc !== "") return new Set([Number(state.doc)]);
    if (state.province !== "") return new Set(DATA.provinces[Number(state.province)].docs);
    return null;
  }
  function inDocs(list, docs) {
    if (!docs) return true;
    for (var i = 0; i < list.length; i++) if (docs.has(list[i])) return true;
    return false;
  }
  function applyFilters() {
    var docs = docFilter(), nodeChanges = [], edgeChanges = [], vn = 0, ve = 0;
    DATA.nodes.forEach(function (n) {
      var hide = !state.classes.has(n.cls) || !inDocs(n.docs, docs);
      if (hide !== n.hidden) { n.hidden = hide; nodeChanges.push({ id: n.id, hidden: hide }); }
      if (!hide) vn++;
    });
    DATA.edges.forEach(function (e) {
      var hide = !state.relations.has(e.rel) || nodeInfo.get(e.from).hidden || nodeInfo.get(e.to).hidden ||
        !inDocs(e.docs, docs);
      if (hide !== e.hidden) { e.hidden = hide; edgeChanges.push({ id: e.id, hidden: hide }); }
      if (!hide) ve++;
    });
    if (nodeChanges.length) nodesDS.update(nodeChanges);
    if (edgeChanges.length) edgesDS.update(edgeChanges);
    updateCounts(vn, ve);
    return { nodes: vn, edges: ve };
  }
  function checkbox(list, key, set, label, count, mark) {
    var li = el("li"), lab = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.value = key; box.setAttribute("data-key", key);
    box.addEventListener("change", function () {
      if (box.checked) set.add(key); else set.delete(key);
      applyFilters();
    });
    lab.appendChild(box); lab.appendChild(mark); lab.appendChild(el("span", label));
    lab.appendChild(el("span", fmt(count), "kg-count"));
    li.appendChild(lab); list.appendChild(li);
  }
  DATA.classes.forEach(function (c) {
    var label = c.name + " " + c.zh + " (" + c.shape + ")";
    checkbox($("kg-legend"), c.key, state.classes, label, c.count, glyph(c.key));
  });
  DATA.relations.forEach(function (r) {
    var sw = el("span", null, "kg-swatch"); sw.style.background = r.color;
    checkbox($("kg-relations"), r.key, state.relations, r.key, r.count, sw);
  });
  DATA.docs.forEach(function (d, i) {
    var o = el("option", d.id + " · " + d.title); o.value = String(i); $("kg-doc").appendChild(o);
  });
  DATA.provinces.forEach(function (p, i) {
    var o = el("option", p.name + " (" + p.docs.length + " documents)"); o.value = String(i);
    $("kg-province").appendChild(o);
  });
  $("kg-doc").addEventListener("change", function () {
    state.doc = this.value; if (state.doc !== "") { state.province = ""; $("kg-province").value = ""; }
    applyFilters();
  });
  $("kg-province").addEventListener("change", function () {
    state.province = this.value; if (state.province !== "") { state.doc = ""; $("kg-doc").value = ""; }
    applyFilters();
  });
  function resetFilters() {
    DATA.classes.forEach(function (c) { state.classes.add(c.key); });
    DATA.relations.forEach(function (r) { state.relations.add(r.key); });
    state.doc = ""; state.province = ""; $("kg-doc").value = ""; $("kg-province").value = "";
    document.querySelectorAll("#kg-legend input, #kg-relations input").forEach(function (b) {
      b.checked = true;
    });
    return applyFilters();
  }
  $("kg-reset").addEventListener("click", resetFilters);

  // ---- search
  function search(query) {
    var q = String(query).trim().toLowerCase(), exact = [], prefix = [], part = [];
    if (!q) return [];
    DATA.nodes.forEach(function (n) {
      var names = [n.zh, n.en].concat(n.aliases).filter(Boolean).map(function (s) {
        return s.toLowerCase();
      });
      if (n.id.toLowerCase() === q || names.indexOf(q) >= 0) exact.push(n);
      else if (names.some(function (s) { return s.indexOf(q) === 0; })) prefix.push(n);
      else if (names.some(function (s) { return s.indexOf(q) >= 0; })) part.push(n);
    });
    function byDegree(a, b) { return b.deg - a.deg || (a.id < b.id ? -1 : 1); }
    return exact.sort(byDegree).concat(prefix.sort(byDegree), part.sort(byDegree));
  }
  function runSearch() {
    var found = search($("kg-search").value), list = $("kg-search-results");
    list.textContent = "";
    if (!$("kg-search").value.trim()) return null;
    if (!found.length) { list.appendChild(el("li", "No entity has that name.", "kg-empty")); return null; }
    found.slice(0, 25).forEach(function (n) {
      var li = el("li"), b = el("button", null);
      b.type = "button"; b.appendChild(glyph(n.cls));
      b.appendChild(el("span", nameOf(n) + (n.en && n.zh ? " · " + n.en : "")));
      b.addEventListener("click", function () { focusNode(n.id); });
      li.appendChild(b); list.appendChild(li);
    });
    if (found.length > 25) list.appendChild(el("li", "… " + (found.length - 25) + " more", "kg-empty"));
    focusNode(found[0].id);
    return found[0].id;
  }
  $("kg-search-go").addEventListener("click", runSearch);
  $("kg-search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") runSearch(); });

  function focusNode(id) {
    var n = nodeInfo.get(id);
    if (!n) return;
    if (n.hidden) resetFilters();
    network.selectNodes([id]);
    network.focus(id, {
      scale: Math.max(network.getScale(), 1.1),
      animation: { duration: 250, easingFunction: "easeInOutQuad" }
    });
    showNode(id);
  }

  // ---- details
  function details() { var d = $("kg-details"); d.textContent = ""; d.scrollTop = 0; return d; }
  function fact(dl, term, value) {
    if (value === "" || value === null || value === undefined) return;
    dl.appendChild(el("dt", term));
    var dd = el("dd"); if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    dl.appendChild(dd);
  }
  function docLabel(i) { var d = DATA.docs[i]; return d ? d.title + " (" + d.id + ")" : "unknown document"; }
  function nodeLink(id) {
    var n = nodeInfo.get(id), b = el("button", null, "kg-link");
    b.type = "button"; b.appendChild(glyph(n.cls)); b.appendChild(el("span", nameOf(n)));
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function relName(e) {
    var r = el("span", e.rel, "kg-relname");
    var info = DATA.relations.filter(function (x) { return x.key === e.rel; })[0];
    r.style.background = info ? info.color : "#999";
    return r;
  }
  function evidence(parent, items, derived) {
    if (!items.length) {
      parent.appendChild(el("div", "No evidence sentence recorded.", "kg-empty"));
      return;
    }
    items.forEach(function (item) {
      var s = DATA.sentences[item[0]], conf = item[1];
      var q = el("blockquote", s[3], "kg-sentence"); q.setAttribute("data-sentence", "1");
      parent.appendChild(q);
      var cite = docLabel(s[0]) + (s[1] >= 0 ? " · characters " + s[1] + "–" + s[2] : "") +
        (conf ? " · confidence " + conf : "") + (derived ? " · from the holdsPost statement" : "");
      parent.appendChild(el("div", cite, "kg-cite"));
    });
  }
  function showNode(id) {
    var n = nodeInfo.get(id), d = details(), c = classInfo[n.cls];
    var h = el("h2"); h.appendChild(glyph(n.cls)); h.appendChild(el("span", nameOf(n))); d.appendChild(h);
    d.setAttribute("data-node", id);
    d.removeAttribute("data-edge");
    var dl = el("dl", null, "kg-facts");
    fact(dl, "中文名", n.zh); fact(dl, "English", n.en);
    fact(dl, "Aliases", n.aliases.join("、"));
    fact(dl, "Class", c ? c.name + " · " + c.zh : n.cls);
    fact(dl, "IRI", el("code", n.id));
    fact(dl, "Documents", n.docs.map(docLabel).join("; "));
    d.appendChild(dl);
    var rels = incident.get(id).slice().sort(function (a, b) {
      return a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : (a.id < b.id ? -1 : 1);
    });
    d.appendChild(el("h3", "Relations (" + rels.length + ")"));
    if (!rels.length) d.appendChild(el("div", "None in this view.", "kg-empty"));
    rels.forEach(function (e) {
      var box = el("div", null, "kg-rel"), head = el("div", null, "kg-rel-head");
      box.setAttribute("data-edge", e.id);
      var out = e.from === id;
      head.appendChild(el("span", out ? "→ " : "← "));
      head.appendChild(relName(e)); head.appendChild(el("span", " "));
      head.appendChild(nodeLink(out ? e.to : e.from));
      box.appendChild(head);
      evidence(box, e.ev, e.derived);
      d.appendChild(box);
    });
    if (n.men.length) {
      d.appendChild(el("h3", "First mentions"));
      evidence(d, n.men.map(function (i) { return [i, ""]; }), false);
    }
  }
  function showEdge(id) {
    var e = edgeInfo.get(id), d = details();
    var h = el("h2"); h.appendChild(relName(e)); d.appendChild(h);
    d.setAttribute("data-edge", id);
    d.removeAttribute("data-node");
    var dl = el("dl", null, "kg-facts");
    fact(dl, "From", nodeLink(e.from)); fact(dl, "To", nodeLink(e.to));
    fact(dl, "Predicate", el("code", e.pred));
    fact(dl, "Documents", e.docs.map(docLabel).join("; "));
    d.appendChild(dl);
    d.appendChild(el("h3", "Evidence"));
    evidence(d, e.ev, e.derived);
  }
  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
  });

  var counts = applyFilters();
  window.kgView = {
    applyFilters: applyFilters, resetFilters: resetFilters, search: function (q) {
      $("kg-search").value = q; return runSearch();
    },
    focusNode: focusNode, showNode: showNode, showEdge: showEdge, counts: counts, data: DATA,
    visible: function () {
      return {
        nodes: nodesDS.get({ filter: function (n) { return !n.hidden; } }).length,
        edges: edgesDS.get({ filter: function (e) { return !e.hidden; } }).length
      };
    }
  };
  network.once("afterDrawing", function () {
    window.kgReadyAt = performance.now();
    document.documentElement.setAttribute("data-kg-ready", "1");
  });
  network.redraw();
})();
"""
