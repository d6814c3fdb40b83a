"""``kg publish OUT --site DIR``: a build as a static linked-data site, for any static web host.

The site (every link in it relative, so it works from any folder, ``file://`` included)::

    index.html, dataset.html   the dataset: description, classes with counts, a search over every name
    dataset.ttl, dataset.jsonld  the VoID/DCAT description (void:dataDump, void:sparqlEndpoint if given)
    search-index.js            the names the search looks through (a script, so it loads from file:// too)
    id/X.html, id/X.ttl, id/X.jsonld   one page and two RDF documents per entity and per source document
    dataset/graph.{ttl,trig,nq,jsonld}  the dumps, where the description's dcat:distribution IRIs point
    graph.html                 the build's graph view
    ontology/governance.ttl, ontology/shapes.ttl
    .htaccess                  Apache: content negotiation for id/X and dataset
    conneg/nginx.conf, conneg/Caddyfile, conneg/README.md   the same for nginx and Caddy

The data IRIs are ``<base>/id/X``; publish the site at ``<base>/`` and, with one of the snippets,
``<base>/id/X`` answers the page, the Turtle or the JSON-LD by the ``Accept`` header (an internal rewrite,
status 200 with ``Vary: Accept``, as ``kg serve`` does; see :mod:`kg.sparql.dereference`). ``--base URL``
gives the address the site will live at when it is not the build's ``--base``: every data IRI under the
build's base is rewritten to it, in the pages and RDF documents (term by term) and in the dumps (textually:
``<OLD/`` and ``"OLD/`` become ``<NEW/`` and ``"NEW/``).

DIR is replaced as a whole; a folder that is not an earlier site (no ``.kg-site`` file in it) is refused
unless empty.
"""

from __future__ import annotations

import html
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox

from kg.core.errors import InputError, OutputError
from kg.core.files import replace_folder, temporary_folder
from kg.core.folder import BuildFolder
from kg.core.resources import ontology_path
from kg.rdf.namespaces import ONTOLOGY_GRAPHS, prefixes, shorten
from kg.rdf.terms import is_http_iri
from kg.sparql.store import open_store
from kg.view.entity_page import (
    PAGE_CSS,
    entity_iris,
    entity_jsonld,
    entity_record,
    entity_triples,
    entity_turtle,
    render_page,
    store_base,
)

__all__ = ["PublishReport", "publish"]

MARKER = ".kg-site"
DUMPS = ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld")
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"


@dataclass
class PublishReport:
    site: Path
    base: str
    pages: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    files: int = 0

    def summary(self) -> str:
        return f"{self.pages} entity pages ({self.files} files) for {self.base}/id/ in {self.site}/"


def publish(out_dir: str | Path, site_dir: str | Path, *, base: str | None = None,
            endpoint: str | None = None,
            progress: Callable[..., Iterator[Any]] | None = None) -> PublishReport:
    """Write the static site of the build in ``out_dir`` into ``site_dir`` (see the module's docstring)."""
    out, site = Path(out_dir), Path(site_dir)
    if not out.is_dir() or not any((out / d).is_file() for d in DUMPS):
        raise InputError(out, "not a build folder (kg build --out writes graph.nq, graph.ttl ...)")
    for given, option in ((base, "--base"), (endpoint, "--endpoint")):
        if given is not None and not is_http_iri(given):
            raise InputError(given, f"{option} must be an http(s) URL")
    _check_site_dir(site)
    store = open_store(out)
    old = store_base(store)
    if old is None:
        raise InputError(out, "the build's store has no dataset description (void:uriSpace): rebuild it")
    new = (base or old).rstrip("/")
    site.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_folder(site.resolve())
    report = PublishReport(site, new)
    try:
        _write_site(store, out, tmp, old, new, endpoint, report, progress)
        replace_folder(tmp, site)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report


def _check_site_dir(site: Path) -> None:
    if site.exists() and not site.is_dir():
        raise OutputError(f"{site}: exists and is not a folder")
    if site.is_dir() and any(site.iterdir()) and not (site / MARKER).is_file():
        raise OutputError(f"{site}: a folder that is not a kg site (no {MARKER}) and not empty: "
                          "give an empty or new folder")


def _rebase(old: str, new: str) -> Callable[[Any], Any]:
    if old == new:
        return lambda term: term
    prefix = old + "/"

    def term(t: Any) -> Any:
        if isinstance(t, ox.NamedNode) and t.value.startswith(prefix):
            return ox.NamedNode(new + "/" + t.value[len(prefix):])
        if isinstance(t, ox.Literal) and t.value.startswith(prefix) and t.datatype.value.endswith("#string"):
            return ox.Literal(new + "/" + t.value[len(prefix):])
        return t

    return term


def _write_site(store: ox.Store, out: Path, site: Path, old: str, new: str, endpoint: str | None,
                report: PublishReport, progress: Callable[..., Iterator[Any]] | None) -> None:
    rebase = _rebase(old, new)
    space_old = old + "/id/"
    iris = entity_iris(store, old)
    local = {iri: iri[len(space_old):] for iri in iris}
    (site / "id").mkdir()

    def link(iri: str) -> str | None:
        return f"{local[iri]}.html" if iri in local else None

    index: list[dict[str, Any]] = []
    items: Iterable[str] = progress(iris, "pages", "page", len(iris)) if progress else iris
    for iri in items:
        name = local[iri]
        record = entity_record(store, iri)
        if record is None:
            continue
        triples = [ox.Triple(rebase(t.subject), t.predicate, rebase(t.object))
                   for t in entity_triples(store, iri)]
        formats = {"text/turtle": f"{name}.ttl", "application/ld+json": f"{name}.jsonld"}
        page = render_page(record, base=new, link=link, formats=formats, home="../index.html",
                           iri_shown=rebase(ox.NamedNode(iri)).value)
        (site / "id" / f"{name}.html").write_text(page, encoding="utf-8")
        (site / "id" / f"{name}.ttl").write_bytes(entity_turtle(triples, new))
        (site / "id" / f"{name}.jsonld").write_bytes(entity_jsonld(triples, new))
        report.pages += 1
        classes = [shorten(c, prefixes(new)) for c in record.classes]
        report.classes.update(classes or ["(none)"])
        names = record.names
        zh = (names.get("zh") or names.get("") or [record.name])[0]
        index.append({"n": zh, "en": (names.get("en") or [""])[0],
                      "a": sorted({n for ns in names.values() for n in ns} - {zh, *names.get("en", [])[:1]}),
                      "c": classes, "h": f"id/{name}.html"})
    index.sort(key=lambda e: (e["c"], e["n"]))
    (site / "search-index.js").write_text(
        "window.KG_INDEX = " + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + ";\n",
        encoding="utf-8")
    (site / "dataset").mkdir()
    for name in DUMPS:
        if (out / name).is_file():
            _copy_rebased(out / name, site / "dataset" / name, old, new)
    if (out / "graph.html").is_file():
        shutil.copyfile(out / "graph.html", site / "graph.html")
    (site / "ontology").mkdir()
    for name in sorted(ONTOLOGY_GRAPHS):
        source = BuildFolder(out).ontology / name
        shutil.copyfile(source if source.is_file() else ontology_path(name), site / "ontology" / name)
    description = _description(store, out, old, new, endpoint, rebase)
    (site / "dataset.ttl").write_bytes(entity_turtle(description, new))
    (site / "dataset.jsonld").write_bytes(entity_jsonld(description, new))
    dumps = [name for name in DUMPS if (site / "dataset" / name).is_file()]
    page = _index_page(description, new, report, endpoint, dumps, (site / "graph.html").is_file())
    (site / "index.html").write_text(page, encoding="utf-8")
    (site / "dataset.html").write_text(page, encoding="utf-8")
    _write_conneg(site, new)
    (site / MARKER).write_text("a kg publish site; kg publish replaces this folder as a whole\n",
                               encoding="utf-8")
    report.files = sum(1 for p in site.rglob("*") if p.is_file())


def _copy_rebased(source: Path, target: Path, old: str, new: str) -> None:
    if old == new:
        shutil.copyfile(source, target)
        return
    pairs = [(f"<{old}/".encode(), f"<{new}/".encode()), (f'"{old}/'.encode(), f'"{new}/'.encode())]
    with open(source, "rb") as src, open(target, "wb") as dst:
        for line in src:
            for a, b in pairs:
                line = line.replace(a, b)
            dst.write(line)


def _description(store: ox.Store, out: Path, old: str, new: str, endpoint: str | None,
                 rebase: Callable[[Any], Any]) -> list[ox.Triple]:
    node = ox.NamedNode(f"{old}/dataset")
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(node, None, None)}
    for t in list(triples):
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(node.value + "/"):
            triples.update(ox.Triple(q.subject, q.predicate, q.object)
                           for q in store.quads_for_pattern(t.object, None, None))
    triples = {ox.Triple(rebase(t.subject), t.predicate, rebase(t.object)) for t in triples}
    dataset = ox.NamedNode(f"{new}/dataset")
    for name in DUMPS:
        if (out / name).is_file():
            dump = ox.NamedNode(f"{new}/dataset/{name}")
            triples.add(ox.Triple(dataset, ox.NamedNode(VOID + "dataDump"), dump))
    triples.add(ox.Triple(dataset, ox.NamedNode(VOID + "rootResource"), ox.NamedNode(f"{new}/dataset")))
    if endpoint:
        triples.add(ox.Triple(dataset, ox.NamedNode(VOID + "sparqlEndpoint"), ox.NamedNode(endpoint)))
    return sorted(triples, key=str)


# ------------------------------------------------------------------ index.html


def _index_page(description: list[ox.Triple], base: str, report: PublishReport, endpoint: str | None,
                dumps: list[str], view: bool) -> str:
    esc = html.escape
    known = prefixes(base)
    dataset = f"{base}/dataset"
    props: dict[str, list[ox.Term]] = {}
    for t in description:
        if t.subject.value == dataset:
            props.setdefault(t.predicate.value, []).append(t.object)

    def first(predicate: str, lang: str | None = None) -> str:
        for v in props.get(predicate, []):
            if lang is None or (isinstance(v, ox.Literal) and v.language == lang):
                return v.value
        return ""

    def value_html(v: ox.Term) -> str:
        if isinstance(v, ox.NamedNode):
            if v.value.startswith(dataset + "/") and v.value[len(dataset) + 1:] in dumps:  # a dump: the file
                name = esc(v.value[len(dataset) + 1:])
                return f'<a href="dataset/{name}">{name}</a>'
            return f'<a href="{esc(v.value)}" rel="external">{esc(shorten(v.value, known))}</a>'
        return esc(v.value)

    rows = []
    for p in sorted(props):
        if p in (f"{VOID}dataDump",):
            continue
        rows.append(f"<tr><th>{esc(shorten(p, known))}</th><td>"
                    + ", ".join(value_html(v) for v in sorted(props[p], key=str)) + "</td></tr>")
    classes = "".join(
        f'<tr><td><a href="#" class="cls" data-class="{esc(c)}">{esc(c)}</a></td><td class="n">{n}</td></tr>'
        for c, n in sorted(report.classes.items(), key=lambda x: (-x[1], x[0])))
    sparql = (f'<li>SPARQL endpoint: <a href="{esc(endpoint)}" rel="external">{esc(endpoint)}</a></li>'
              if endpoint else "")
    return _INDEX.format(
        css=PAGE_CSS, title_zh=esc(first(f"{DCT}title", "zh")), title_en=esc(first(f"{DCT}title", "en")),
        dataset=esc(dataset), rows="\n".join(rows), classes=classes, pages=report.pages, sparql=sparql,
        dumps="".join(f'<a href="dataset/{n}">{n}</a> ' for n in dumps) or "(none in the build)",
        view='<a href="graph.html">graph.html</a>' if view else "(none in the build)")


_INDEX = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_zh} · {title_en}</title>
<link rel="alternate" type="text/turtle" href="dataset.ttl">
<link rel="alternate" type="application/ld+json" href="dataset.jsonld">
<style>{css}
#search{{width:100%;font-size:1.1rem;padding:.4rem}} #results li{{margin:.2rem 0}} .n{{text-align:right}}
.muted{{color:#666;font-size:.85rem}}</style></head>
<body>
<h1 id="title">{title_zh}</h1><p class="en" lang="en">{title_en}</p>
<p class="iri">{dataset}</p>
<h2>Search 搜索</h2>
<input id="search" type="search" placeholder="名称 / name (中文, English, 别名)" autocomplete="off">
<p class="muted" id="count"></p>
<ul id="results"></ul>
<h2>Classes 类别</h2>
<p class="muted">{pages} pages. Choose a class to list its entities.</p>
<table id="classes"><tr><th>class</th><th>entities</th></tr>{classes}</table>
<h2>Dataset 数据集</h2>
<table id="description">{rows}</table>
<h2>Files 文件</h2>
<ul>
<li>Dumps: {dumps}</li>
<li>Description: <a href="dataset.ttl">dataset.ttl</a> <a href="dataset.jsonld">dataset.jsonld</a></li>
<li>Graph view: {view}</li>
<li>Ontology: <a href="ontology/governance.ttl">governance.ttl</a>
  <a href="ontology/shapes.ttl">shapes.ttl</a></li>
<li>Server configuration for content negotiation: <a href="conneg/README.md">conneg/</a>
  (Apache: .htaccess)</li>
{sparql}
</ul>
<footer>Published by kg publish. 由 kg 生成。</footer>
<script src="search-index.js"></script>
<script>
(function () {{
  var input = document.getElementById("search"), list = document.getElementById("results"),
      count = document.getElementById("count"), index = window.KG_INDEX || [], chosenClass = null;
  function show(hits, total) {{
    list.textContent = "";
    hits.slice(0, 200).forEach(function (e) {{
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = e.h; a.textContent = e.n; li.appendChild(a);
      var extra = [e.en].concat(e.c).filter(Boolean).join(" · ");
      if (extra) {{ var s = document.createElement("span"); s.className = "muted";
        s.textContent = "  " + extra;
        li.appendChild(s); }}
      list.appendChild(li);
    }});
    count.textContent = total + " found" + (total > 200 ? " (first 200 shown)" : "");
  }}
  function search() {{
    var q = input.value.trim().toLowerCase();
    var hits = index.filter(function (e) {{
      if (chosenClass && e.c.indexOf(chosenClass) < 0) return false;
      if (!q) return true;
      return [e.n, e.en].concat(e.a).some(function (n) {{ return n && n.toLowerCase().indexOf(q) >= 0; }});
    }});
    if (!q && !chosenClass) {{ list.textContent = ""; count.textContent = index.length + " names"; return; }}
    show(hits, hits.length);
  }}
  input.addEventListener("input", search);
  Array.prototype.forEach.call(document.querySelectorAll("a.cls"), function (a) {{
    a.addEventListener("click", function (ev) {{ ev.preventDefault();
      chosenClass = chosenClass === a.dataset.class ? null : a.dataset.class; search(); }});
  }});
  search();
}})();
</script>
</body></html>
"""


# ------------------------------------------------------------------ content negotiation snippets


def _write_conneg(site: Path, base: str) -> None:
    path = urlsplit(base).path.rstrip("/")  # where the site lives on its host: "" or "/kg"
    host = urlsplit(base).netloc
    (site / ".htaccess").write_text(_HTACCESS, encoding="utf-8")
    (site / "conneg").mkdir()
    (site / "conneg" / "htaccess.txt").write_text(_HTACCESS, encoding="utf-8")
    (site / "conneg" / "nginx.conf").write_text(_NGINX.replace("PREFIX", path).replace("HOST", host),
                                                encoding="utf-8")
    (site / "conneg" / "Caddyfile").write_text(_CADDY.replace("PREFIX", path).replace("HOST", host),
                                               encoding="utf-8")
    (site / "conneg" / "README.md").write_text(_README.replace("BASE", base), encoding="utf-8")


_RULE = "text/turtle first, then JSON-LD, then HTML; anything else (curl's */*) gets Turtle"

_HTACCESS = f"""# kg publish: content negotiation for Apache httpd (mod_rewrite, mod_headers, mod_mime),
# in the site's folder.
# GET id/X answers id/X.ttl, id/X.jsonld or id/X.html by the Accept header ({_RULE});
# GET dataset the same with dataset.ttl / dataset.jsonld / dataset.html. An internal rewrite: status 200.
Options -MultiViews -Indexes
DirectoryIndex index.html
# dataset is both a resource (the description) and the folder of the dumps: no redirect to dataset/
<If "%{{REQUEST_URI}} =~ m#/dataset$#">
  DirectorySlash Off
</If>
AddType text/turtle;charset=utf-8 .ttl
AddType application/ld+json .jsonld
AddType application/n-quads .nq
AddType application/trig .trig
AddCharset utf-8 .html .ttl .jsonld .nq .trig
<IfModule mod_headers.c>
  <FilesMatch "\\.(ttl|jsonld|html)$">
    Header append Vary Accept
  </FilesMatch>
</IfModule>
RewriteEngine On
RewriteCond %{{HTTP_ACCEPT}} text/turtle
RewriteRule ^(id/[^/.]+|dataset)$ $1.ttl [L]
RewriteCond %{{HTTP_ACCEPT}} application/(ld\\+)?json
RewriteRule ^(id/[^/.]+|dataset)$ $1.jsonld [L]
RewriteCond %{{HTTP_ACCEPT}} (text/html|application/xhtml\\+xml)
RewriteRule ^(id/[^/.]+|dataset)$ $1.html [L]
RewriteRule ^(id/[^/.]+|dataset)$ $1.ttl [L]
"""

_NGINX = f"""# kg publish: content negotiation for nginx. Put the map in the http {{}} block and the
# locations in the server {{}} that serves HOST, with the site's files at PREFIX/ (root or alias
# pointing at the site folder).
# GET PREFIX/id/X answers id/X.ttl, .jsonld or .html by the Accept header ({_RULE}). Status 200.

map $http_accept $kg_ext {{
    default                         ttl;
    "~*text/turtle"                 ttl;
    "~*application/(ld\\+)?json"     jsonld;
    "~*text/html"                   html;
    "~*application/xhtml\\+xml"      html;
}}

# inside server {{ ... }}:
    types {{
        text/html               html;
        text/turtle             ttl;
        application/ld+json     jsonld;
        application/n-quads     nq;
        application/trig        trig;
        application/javascript  js;
        text/markdown           md;
    }}
    charset utf-8;
    charset_types text/turtle application/ld+json application/n-quads application/trig;

    location ~ ^PREFIX/(id/[^/.]+|dataset)$ {{
        add_header Vary Accept;
        try_files $uri.$kg_ext =404;
    }}
"""

_CADDY = f"""# kg publish: content negotiation for Caddy 2. The site's files are at PREFIX/ under `root`.
# GET PREFIX/id/X answers id/X.ttl, .jsonld or .html by the Accept header ({_RULE}). Status 200.
HOST {{
    root * /srv/kg-site
    @kg_resource path_regexp ^PREFIX/(id/[^/.]+|dataset)$
    @kg_ttl {{
        path_regexp ^PREFIX/(id/[^/.]+|dataset)$
        header Accept *text/turtle*
    }}
    @kg_jsonld {{
        path_regexp ^PREFIX/(id/[^/.]+|dataset)$
        header Accept *json*
    }}
    @kg_html {{
        path_regexp ^PREFIX/(id/[^/.]+|dataset)$
        header_regexp Accept (text/html|application/xhtml\\+xml)
    }}
    header @kg_resource Vary Accept
    # rewrites are mutually exclusive: the first that matches is used
    rewrite @kg_ttl {{path}}.ttl
    rewrite @kg_jsonld {{path}}.jsonld
    rewrite @kg_html {{path}}.html
    rewrite @kg_resource {{path}}.ttl
    @kg_turtle_file path *.ttl
    header @kg_turtle_file Content-Type "text/turtle; charset=utf-8"
    @kg_jsonld_file path *.jsonld
    header @kg_jsonld_file Content-Type "application/ld+json"
    file_server
}}
"""

_README = f"""# Serving this site with content negotiation

The data IRIs of this site are `BASE/id/X`. Copy the whole folder so that it is served at `BASE/`, then let
`BASE/id/X` answer `id/X.html`, `id/X.ttl` or `id/X.jsonld` by the request's `Accept` header ({_RULE}),
and `BASE/dataset` the dataset description. Each snippet does an internal rewrite (status 200, with
`Vary: Accept`), the same choice `kg serve` makes:

- Apache httpd: the `.htaccess` at the top of the site (a copy: `htaccess.txt`); needs
  `AllowOverride FileInfo` and mod_rewrite (mod_headers for `Vary`).
- nginx: `nginx.conf` (a `map` for the http block and a `location` for the server block).
- Caddy 2: `Caddyfile`.

Without any of them the site still works as plain files: pages link to each other as `X.html`, and every page
links its `.ttl` and `.jsonld`.

Check it with:

    curl -H 'Accept: text/turtle' BASE/id/X
    curl -H 'Accept: text/html' BASE/id/X
"""
