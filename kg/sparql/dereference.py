"""``kg serve``'s pages: the data IRIs dereference, ``/`` a query page (``/query``, the SPARQL endpoint, is
:mod:`kg.sparql.serve`'s). :class:`Resolver` answers, from the build's store opened read-only:

* ``GET /id/…`` (and ``/dataset``): the resource ``<base>/id/…`` of the build, by content negotiation on the
  ``Accept`` header: Turtle, JSON-LD, N-Triples or the HTML entity page (:mod:`kg.view.entity_page`).
  ``<base>`` is the build's ``--base`` (its ``void:uriSpace``): the path under the server's address is looked
  up under the base, whatever host the base names. Build with ``--base http://HOST:PORT`` to make the IRIs
  themselves resolve here. ``/id/X.ttl``, ``/id/X.jsonld``, ``/id/X.nt`` and ``/id/X.html`` name one
  representation each.
* ``/``: a query page with kg's prefixes filled in and the saved questions as examples (no network needed).
* ``/dataset`` (and ``/.well-known/void``): the VoID/DCAT description, with ``void:sparqlEndpoint`` stating
  this server's ``/query``.

Status codes, the choice made: a data IRI answers **200** with the negotiated representation, ``Vary:
Accept``, ``Content-Location`` naming the representation's own URL (``/id/X.ttl``) and a ``Link:
rel="canonical"`` to the IRI; not a 303 redirect. The W3C TAG's 2007 httpRange-14 answer asks for a 303
for IRIs of things that are not documents; the TAG's later HTTP URI definition work (2012) lets a 200 with
Content-Location stand for the same, and it spares a round trip and works with clients that do not follow
redirects (``curl`` without ``-L``). The static site of ``kg publish`` does the same with its server snippets
(an internal rewrite, no redirect). Not acceptable: 406 listing the types; unknown IRIs: 404.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.rdf.namespaces import prefixes
from kg.sparql.query import list_saved
from kg.view.entity_page import (
    entity_jsonld,
    entity_record,
    entity_triples,
    entity_turtle,
    render_page,
    store_base,
)

__all__ = ["Resolver", "Response", "negotiate", "query_page"]

#: Media type -> (file extension, the representation's name), in the server's order of preference: a
#: client that accepts anything (``*/*``, curl's default) gets Turtle; a browser asks for text/html first.
MEDIA_TYPES = {
    "text/turtle": "ttl",
    "text/html": "html",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
}
ALIASES = {"application/xhtml+xml": "text/html", "application/json": "application/ld+json",
           "application/x-turtle": "text/turtle", "text/plain": "application/n-triples"}
EXTENSIONS = {ext: media for media, ext in MEDIA_TYPES.items()}

_ID_PATH = re.compile(r"^/id/(?P<local>[A-Za-z0-9._~%!$&'()*+,;=:@-]+?)(?:\.(?P<ext>ttl|jsonld|nt|html))?$")


def negotiate(accept: str | None) -> str | None:
    """The media type of :data:`MEDIA_TYPES` to answer with for an ``Accept`` header; None: none acceptable.

    q-values count; among equal q, the more specific range wins, then the server's order."""
    if not accept or not accept.strip():
        return next(iter(MEDIA_TYPES))
    best: tuple[float, int, int] | None = None
    chosen = None
    for order, media in enumerate(MEDIA_TYPES):
        q, specificity = _quality(accept, media)
        if q <= 0:
            continue
        key = (q, specificity, -order)
        if best is None or key > best:
            best, chosen = key, media
    return chosen


def _quality(accept: str, media: str) -> tuple[float, int]:
    """(q, specificity) of the most specific range of ``accept`` matching ``media`` (or an alias of it)."""
    names = {media} | {alias for alias, target in ALIASES.items() if target == media}
    found: tuple[int, float] | None = None
    for item in accept.split(","):
        fields = [f.strip() for f in item.split(";")]
        if not fields[0]:
            continue
        rng = fields[0].lower()
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        if rng == "*/*":
            spec = 0
        elif rng.endswith("/*") and any(n.startswith(rng[:-1]) for n in names):
            spec = 1
        elif rng in names:
            spec = 2 if rng == media else 1
        else:
            continue
        if found is None or spec > found[0]:
            found = (spec, q)
    return (found[1], found[0]) if found else (0.0, -1)


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str]


class Resolver:
    """The representations of the build's resources, from its store (opened read-only)."""

    def __init__(self, store_dir: str | Path, endpoint_path: str = "/query") -> None:
        self.store = ox.Store.read_only(str(store_dir))
        self.base = store_base(self.store) or "https://example.org/kg"
        self.endpoint_path = endpoint_path

    def resource(self, path: str, accept: str | None, origin: str) -> Response | None:
        """The answer to ``GET path`` for the paths this module serves, or None (not ours)."""
        if path in ("/dataset", "/.well-known/void"):
            return self._dataset(accept, origin)
        m = _ID_PATH.match(path)
        if not m:
            return None
        iri = f"{self.base}/id/{m.group('local')}"
        media = EXTENSIONS[m.group("ext")] if m.group("ext") else negotiate(accept)
        if media is None:
            return _not_acceptable()
        try:
            record = entity_record(self.store, iri) if media == "text/html" else None
            triples = entity_triples(self.store, iri) if media != "text/html" else None
        except ValueError:
            return None
        if (media == "text/html" and record is None) or (media != "text/html" and not triples):
            return _text(404, f"nothing is known about <{iri}> in this build\n")
        local = m.group("local")
        formats = {t: f"/id/{local}.{ext}" for t, ext in MEDIA_TYPES.items()}
        headers = {"Vary": "Accept", "Content-Location": formats[media], "Link": f'<{iri}>; rel="canonical"'}
        if media == "text/html":
            assert record is not None
            page = render_page(record, base=self.base, link=self._link, home="/",
                               formats={t: h for t, h in formats.items() if t != "text/html"})
            return Response(200, "text/html; charset=utf-8", page.encode("utf-8"), headers)
        assert triples is not None
        body = self._rdf(triples, media)
        return Response(200, _content_type(media), body, headers)

    def _rdf(self, triples: list[ox.Triple], media: str) -> bytes:
        if media == "text/turtle":
            return entity_turtle(triples, self.base)
        if media == "application/ld+json":
            return entity_jsonld(triples, self.base)
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def _link(self, iri: str) -> str | None:
        space = self.base + "/id/"
        if iri.startswith(space) and "#" not in iri and _ID_PATH.match("/id/" + iri[len(space):]):
            return "/id/" + iri[len(space):]
        return None

    def _dataset(self, accept: str | None, origin: str) -> Response:
        media = negotiate(accept)
        if media is None:
            return _not_acceptable()
        node = ox.NamedNode(f"{self.base}/dataset")
        triples = {ox.Triple(q.subject, q.predicate, q.object)
                   for q in self.store.quads_for_pattern(node, None, None)}
        for dist in [t.object for t in triples if isinstance(t.object, ox.NamedNode)
                     and t.object.value.startswith(node.value + "/")]:
            triples.update(ox.Triple(q.subject, q.predicate, q.object)
                           for q in self.store.quads_for_pattern(dist, None, None))
        endpoint = ox.NamedNode(origin + self.endpoint_path)
        triples.add(ox.Triple(node, ox.NamedNode("http://rdfs.org/ns/void#sparqlEndpoint"), endpoint))
        ordered = sorted(triples, key=str)
        headers = {"Vary": "Accept"}
        if media == "text/html":
            rows = "".join(f"<tr><td>{html.escape(str(t.predicate))}</td>"
                           f"<td>{html.escape(str(t.object))}</td></tr>"
                           for t in ordered if t.subject == node)
            page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>dataset · kg</title></head>'
                    "<body>"
                    f"<h1>{html.escape(node.value)}</h1><table>{rows}</table>"
                    f'<p><a href="/">query page</a></p></body></html>')
            return Response(200, "text/html; charset=utf-8", page.encode("utf-8"), headers)
        return Response(200, _content_type(media), self._rdf(ordered, media), headers)


def _content_type(media: str) -> str:
    return media + ("; charset=utf-8" if media.startswith("text/") or media.endswith("+json") else "")


def _text(status: int, text: str) -> Response:
    return Response(status, "text/plain; charset=utf-8", text.encode("utf-8"), {})


def _not_acceptable() -> Response:
    return _text(406, "not acceptable: this resource is available as " + ", ".join(MEDIA_TYPES) + "\n")


# ------------------------------------------------------------------ the query page


def query_page(base: str) -> str:
    """The page at ``/``: a SPARQL editor with kg's prefixes and the saved questions as examples."""
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes(base).items())
    examples = [{"name": "start", "title": "Classes and how many entities each has",
                 "text": prologue + "\nSELECT ?class (COUNT(DISTINCT ?e) AS ?n)\n"
                                    "WHERE { GRAPH ?g { ?e a ?class }\n"
                                    "        FILTER(STRSTARTS(STR(?e), STR(id:))) }\n"
                                    "GROUP BY ?class ORDER BY DESC(?n)\n"}]
    examples += [{"name": q.name, "title": q.title, "text": q.text} for q in list_saved()]
    data = json.dumps({"examples": examples, "space": base + "/id/"}, ensure_ascii=False)
    data = data.replace("</", "<\\/")  # no "</script>" inside the script element
    return _QUERY_PAGE.replace("__DATA__", data)


_QUERY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL query</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"Noto Sans CJK SC",system-ui,sans-serif;margin:1rem 2rem;color:#222}
textarea{width:100%;height:18rem;font-family:monospace;font-size:.85rem}
table{border-collapse:collapse;margin-top:1rem}
td,th{border:1px solid #ccc;padding:.2rem .4rem;font-size:.85rem}
#status{color:#555;margin-left:1rem} select{max-width:40rem}
</style></head><body>
<h1>kg SPARQL endpoint</h1>
<p>Endpoint: <code id="endpoint"></code> (SPARQL 1.1 Protocol, read-only). Data IRIs under
<code id="space"></code> open as pages here: <code>/id/…</code>.
Description: <a href="/dataset">/dataset</a>.</p>
<label>Example: <select id="examples"></select></label>
<p id="about"></p>
<textarea id="query" spellcheck="false"></textarea>
<p><button id="run">Run</button><span id="status"></span></p>
<div id="results"></div>
<script id="kg-data" type="application/json">__DATA__</script>
<script>
const DATA = JSON.parse(document.getElementById("kg-data").textContent);
const sel = document.getElementById("examples"), q = document.getElementById("query");
document.getElementById("endpoint").textContent = location.origin + "/query";
document.getElementById("space").textContent = DATA.space;
DATA.examples.forEach((ex, i) => { const o = document.createElement("option"); o.value = i;
  o.textContent = ex.name + ": " + ex.title; sel.appendChild(o); });
function pick() { const ex = DATA.examples[sel.value]; q.value = ex.text;
  document.getElementById("about").textContent = ex.title; }
sel.addEventListener("change", pick); pick();
function cell(t) {
  const td = document.createElement("td"); if (!t) return td;
  if (t.type === "uri" && t.value.startsWith(DATA.space)) { const a = document.createElement("a");
    const local = t.value.slice(DATA.space.length);
    a.href = "/id/" + local; a.textContent = "id:" + local;
    td.appendChild(a); } else { td.textContent = t.value; }
  return td; }
async function run() {
  const status = document.getElementById("status"), out = document.getElementById("results");
  status.textContent = "running…"; out.textContent = "";
  const started = performance.now();
  const r = await fetch("/query", {method: "POST", headers: {"Content-Type": "application/sparql-query",
    "Accept": "application/sparql-results+json, text/turtle;q=0.9"}, body: q.value});
  const text = await r.text();
  if (!r.ok) { status.textContent = "error " + r.status; const pre = document.createElement("pre");
    pre.textContent = text; out.appendChild(pre); return; }
  if ((r.headers.get("Content-Type") || "").includes("json")) {
    const j = JSON.parse(text);
    if (j.boolean !== undefined) { out.textContent = String(j.boolean); }
    else { const t = document.createElement("table"), h = t.insertRow();
      j.head.vars.forEach(v => { const th = document.createElement("th"); th.textContent = v;
        h.appendChild(th); });
      j.results.bindings.forEach(b => { const tr = t.insertRow();
        j.head.vars.forEach(v => tr.appendChild(cell(b[v]))); });
      out.appendChild(t); status.textContent = j.results.bindings.length + " rows"; }
  } else { const pre = document.createElement("pre"); pre.textContent = text; out.appendChild(pre);
    status.textContent = ""; }
  status.textContent += " in " + Math.round(performance.now() - started) + " ms";
}
document.getElementById("run").addEventListener("click", run);
</script></body></html>
"""
