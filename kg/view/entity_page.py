"""One entity of a build, as a linked-data document: its triples (Turtle, JSON-LD) and its HTML page.

Shared by ``kg serve`` (:mod:`kg.sparql.dereference`, which answers ``GET /id/…`` from the store) and
``kg publish`` (:mod:`kg.sparql.site`, which writes a page and two RDF files per entity). Both read the
build's Oxigraph store; nothing here depends on where the page will be served: the caller passes ``link``,
which turns an IRI into the href of its page (or None: no page, the IRI is shown as text).

What an entity's document holds (its *description*):

* every triple with the entity as subject, in any graph (facts graphs, and the metadata graph for documents);
* every triple with the entity as object in the facts graphs (the relations pointing at it);
* the evidence of those triples: each ``rdf:Statement`` about the entity, with its Web Annotation target and
  selectors (the sentence and its offsets) and the document it was drawn from;
* the ``skos:prefLabel``/``rdfs:label`` of every neighbour, so a client can name them without asking again.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph

from kg.rdf.namespaces import prefixes, shorten

__all__ = ["PAGE_CSS", "EntityRecord", "Evidence", "Relation", "entity_iris", "entity_jsonld",
           "entity_record", "entity_triples", "entity_turtle", "render_page", "store_base"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
VOID = "http://rdfs.org/ns/void#"

#: Predicates that tie evidence to what it is about: not relations of the entity.
_EVIDENCE_LINKS = (f"{RDF}subject", f"{RDF}object", f"{OA}hasSource", f"{PROV}wasDerivedFrom")
_CONFIDENCE = "https://w3id.org/kg-gov/ontology#confidence"
_NOT_RELATIONS = frozenset({f"{RDF}type", f"{SKOS}prefLabel", f"{SKOS}altLabel", RDFS_LABEL})

_PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX gov: <https://w3id.org/kg-gov/ontology#>
PREFIX void: <http://rdfs.org/ns/void#>
"""


def store_base(store: ox.Store) -> str | None:
    """The ``--base`` of the build in ``store``: its dataset's ``void:uriSpace`` less ``id/``."""
    rows = list(store.query(_PREFIXES + "SELECT ?u WHERE { GRAPH ?g { ?d void:uriSpace ?u } } LIMIT 1"))
    if not rows:
        return None
    space = rows[0]["u"].value
    return space[: -len("id/")].rstrip("/") if space.endswith("/id/") else space.rstrip("/")


_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def _ref(iri: str) -> str:
    """``<iri>`` for a query, refusing what could break out of the brackets."""
    if _BAD_IRI.search(iri):
        raise ValueError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def entity_iris(store: ox.Store, base: str) -> list[str]:
    """The IRIs under ``<base>/id/`` that have a page: the typed entities of the facts graphs and the
    documents (what VoID counts as entities, plus the sources), sorted."""
    space = base.rstrip("/") + "/id/"
    query = _PREFIXES + "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e a ?c } FILTER(STRSTARTS(STR(?e), " \
        + json.dumps(space) + ")) FILTER(!STRENDS(STR(?g), '/evidence')) }"
    rows = store.query(query)
    return sorted(r["e"].value for r in rows)


# ------------------------------------------------------------------ the record a page is drawn from


@dataclass
class Evidence:
    document: str  # the document's IRI
    title: str
    identifier: str
    sentence: str
    confidence: str


@dataclass
class Relation:
    direction: str  # "out": entity predicate other; "in": other predicate entity
    predicate: str
    other: str  # an IRI, or a literal's text
    other_is_iri: bool
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class EntityRecord:
    iri: str
    names: dict[str, list[str]]  # "zh"/"en"/"" -> prefLabel first, then altLabels
    classes: list[str]
    attributes: list[tuple[str, str, bool]]  # (predicate, value, value is an IRI) for values with no evidence
    relations: list[Relation]
    labels: dict[str, str]  # neighbour IRI -> its name (zh first)
    types: dict[str, list[str]]  # neighbour IRI -> its classes

    @property
    def name(self) -> str:
        for lang in ("zh", "en", ""):
            if self.names.get(lang):
                return self.names[lang][0]
        return self.iri.rsplit("/", 1)[-1]


def entity_record(store: ox.Store, iri: str) -> EntityRecord | None:
    """What the page of ``iri`` shows, from the store; None when the store says nothing about it."""
    ref = _ref(iri)
    out = [(r["p"].value, r["o"]) for r in store.query(
        f"SELECT DISTINCT ?p ?o WHERE {{ GRAPH ?g {{ {ref} ?p ?o }} }}")]
    inbound = [(r["p"].value, r["s"]) for r in store.query(
        _PREFIXES + f"SELECT DISTINCT ?s ?p WHERE {{ GRAPH ?g {{ ?s ?p {ref} }} "
        "FILTER(?p NOT IN (rdf:subject, rdf:object, oa:hasSource, prov:wasDerivedFrom)) }")]
    if not out and not inbound:
        return None
    names: dict[str, list[str]] = defaultdict(list)
    classes: list[str] = []
    for p, o in sorted(out, key=lambda x: (x[0] != f"{SKOS}prefLabel", str(x[1]))):
        if p in (f"{SKOS}prefLabel", f"{SKOS}altLabel") and isinstance(o, ox.Literal):
            if o.value not in names[o.language or ""]:
                names[o.language or ""].append(o.value)
        elif p == f"{RDF}type":
            classes.append(o.value)
    if not names and (title := next((o.value for p, o in out if p == f"{DCT}title"), None)):
        names["zh"].append(title)
    evidence = _evidence(store, ref)
    relations: list[Relation] = []
    attributes: list[tuple[str, str, bool]] = []
    for p, o in out:
        if p in _NOT_RELATIONS:
            continue
        found = evidence.get((iri, p, o.value), [])
        if isinstance(o, ox.NamedNode) or found:
            relations.append(Relation("out", p, o.value, isinstance(o, ox.NamedNode), found))
        else:
            attributes.append((p, o.value, False))
    for p, s in inbound:
        relations.append(Relation("in", p, s.value, True, evidence.get((s.value, p, iri), [])))
    relations.sort(key=lambda r: (r.direction != "out", r.predicate, r.other))
    attributes.sort()
    neighbours = sorted({r.other for r in relations if r.other_is_iri}
                        | {e.document for r in relations for e in r.evidence})
    labels, types = _neighbours(store, neighbours)
    return EntityRecord(iri, dict(names), sorted(set(classes)), attributes, relations, labels, types)


def _statements(store: ox.Store, ref: str) -> list[str]:
    """The evidence statements about the entity ``ref`` (as subject or object of their triple)."""
    query = _PREFIXES + f"SELECT DISTINCT ?stmt WHERE {{ GRAPH ?eg {{ {{ ?stmt rdf:subject {ref} }} UNION " \
                        f"{{ ?stmt rdf:object {ref} }} }} }}"
    return sorted(r["stmt"].value for r in store.query(query))  # type: ignore[union-attr]


def _chunks(iris: list[str], size: int = 200) -> Iterator[str]:
    """``VALUES`` bodies of at most ``size`` IRIs. (Statements are looked up first and their targets and
    selectors by ``VALUES``: a property path from an unbound statement made Oxigraph scan every sentence.)"""
    for start in range(0, len(iris), size):
        yield " ".join(_ref(i) for i in iris[start:start + size])


def _evidence(store: ox.Store, ref: str) -> dict[tuple[str, str, str], list[Evidence]]:
    props: dict[str, dict[str, ox.Term]] = defaultdict(dict)  # statement -> predicate -> object
    sentences: dict[str, str] = {}
    for values in _chunks(_statements(store, ref)):
        for t in store.query(f"CONSTRUCT {{ ?stmt ?p ?o }} WHERE {{ VALUES ?stmt {{ {values} }} "
                             "GRAPH ?g { ?stmt ?p ?o } }"):
            props[t.subject.value][t.predicate.value] = t.object  # type: ignore[union-attr]
        for r in store.query(_PREFIXES + f"""SELECT ?stmt ?sentence WHERE {{ VALUES ?stmt {{ {values} }}
  GRAPH ?eg {{ ?stmt oa:hasTarget ?t . ?t oa:hasSelector ?sel . ?sel oa:exact ?sentence }} }}"""):
            sentences[r["stmt"].value] = r["sentence"].value  # type: ignore[index]
    wanted = (f"{RDF}subject", f"{RDF}predicate", f"{RDF}object", f"{PROV}wasDerivedFrom")
    rows = [{"stmt": ox.NamedNode(stmt), "s": p[wanted[0]], "p": p[wanted[1]], "o": p[wanted[2]],
             "doc": p[wanted[3]], "conf": p.get(_CONFIDENCE)}
            for stmt, p in props.items() if all(w in p for w in wanted)]
    titles: dict[str, tuple[str, str]] = {}
    for values in _chunks(sorted({r["doc"].value for r in rows})):
        for r in store.query(_PREFIXES + f"""SELECT ?doc ?title ?id WHERE {{ VALUES ?doc {{ {values} }}
  OPTIONAL {{ GRAPH ?mg {{ ?doc dct:title ?title }} }}
  OPTIONAL {{ GRAPH ?mg2 {{ ?doc dct:identifier ?id }} }} }}"""):
            titles[r["doc"].value] = (_value(r["title"]), _value(r["id"]))  # type: ignore[index]
    found: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    seen = set()
    for r in sorted(rows, key=lambda r: (r["doc"].value, sentences.get(r["stmt"].value, ""))):
        key = (r["s"].value, r["p"].value, r["o"].value)
        title, identifier = titles.get(r["doc"].value, ("", ""))
        sentence = sentences.get(r["stmt"].value, "")
        ev = Evidence(r["doc"].value, title, identifier, sentence, _value(r["conf"]))
        if (key, ev.document, ev.sentence) not in seen:
            seen.add((key, ev.document, ev.sentence))
            found[key].append(ev)
    return found


def _value(term: object) -> str:
    return term.value if term is not None else ""  # type: ignore[attr-defined]


def _neighbours(store: ox.Store, iris: list[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    labels: dict[str, str] = {}
    types: dict[str, list[str]] = defaultdict(list)
    for values in _chunks(iris):
        query = _PREFIXES + f"""SELECT ?x ?l ?c WHERE {{ VALUES ?x {{ {values} }}
  {{ GRAPH ?g {{ ?x skos:prefLabel|dct:title ?l }} }} UNION {{ GRAPH ?g {{ ?x a ?c }} }} }}"""
        rank: dict[str, tuple[int, str]] = {}
        for r in store.query(query):
            x = r["x"].value
            if r["l"] is not None:
                lang = r["l"].language or ""
                key = ({"zh": 0, "en": 1}.get(lang, 2), r["l"].value)
                if x not in rank or key < rank[x]:
                    rank[x] = key
                    labels[x] = r["l"].value
            if r["c"] is not None and r["c"].value not in types[x]:
                types[x].append(r["c"].value)
    return labels, dict(types)


# ------------------------------------------------------------------ RDF documents


def entity_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The entity's description (see the module's docstring) as triples, each once, sorted."""
    ref = _ref(iri)
    queries = [
        f"CONSTRUCT {{ {ref} ?p ?o }} WHERE {{ GRAPH ?g {{ {ref} ?p ?o }} }}",
        _PREFIXES + f"CONSTRUCT {{ ?s ?p {ref} }} WHERE {{ GRAPH ?g {{ ?s ?p {ref} }} "
                    "FILTER(?p NOT IN (rdf:subject, rdf:object, oa:hasSource, prov:wasDerivedFrom)) }",
    ]
    for values in _chunks(_statements(store, ref)):
        queries += [
            f"CONSTRUCT {{ ?stmt ?p ?o }} WHERE {{ VALUES ?stmt {{ {values} }} GRAPH ?g {{ ?stmt ?p ?o }} }}",
            _PREFIXES + f"CONSTRUCT {{ ?t ?p ?o }} WHERE {{ VALUES ?stmt {{ {values} }} "
                        "GRAPH ?g { ?stmt oa:hasTarget ?t . ?t ?p ?o } }",
            _PREFIXES + f"CONSTRUCT {{ ?sel ?p ?o }} WHERE {{ VALUES ?stmt {{ {values} }} "
                        "GRAPH ?g { ?stmt oa:hasTarget ?t . ?t oa:hasSelector ?sel . ?sel ?p ?o } }",
        ]
    triples: set[ox.Triple] = set()
    for q in queries:
        triples.update(store.query(q))  # type: ignore[arg-type]
    others = sorted({t.object.value for t in triples if t.subject.value == iri and isinstance(t.object,
                                                                                             ox.NamedNode)}
                    | {t.subject.value for t in triples if t.object.value == iri})
    others = [o for o in others if o != iri]
    for values in _chunks(others):
        triples.update(store.query(  # type: ignore[arg-type]
            _PREFIXES + "CONSTRUCT { ?x skos:prefLabel ?l . ?x rdfs:label ?l } "
            f"WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ ?x skos:prefLabel ?l }} }}"))
    return sorted(triples, key=str)


def entity_turtle(triples: Iterable[ox.Triple], base: str) -> bytes:
    """Turtle of ``triples`` with the project's prefixes (``id:`` for ``<base>/id/``)."""
    return ox.serialize(list(triples), format=ox.RdfFormat.TURTLE, prefixes=prefixes(base)) or b""


def entity_jsonld(triples: Iterable[ox.Triple], base: str) -> bytes:
    """JSON-LD of ``triples``, compacted with the project's prefixes."""
    nt = ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""
    graph = Graph(bind_namespaces="none")
    if nt:
        graph.parse(data=nt.decode("utf-8"), format="nt")
    text = graph.serialize(format="json-ld", context=prefixes(base), indent=2, sort_keys=True)
    return text.encode("utf-8")


# ------------------------------------------------------------------ HTML

Link = Callable[[str], "str | None"]

PAGE_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
max-width:64rem;margin:1.5rem auto;padding:0 1rem;line-height:1.5;color:#222}
h1{margin-bottom:.2rem} .en{color:#555;font-size:1.1rem;margin-top:0}
.iri{font-family:monospace;font-size:.85rem;word-break:break-all;color:#444}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem} th,td{border-bottom:1px solid #ddd;
padding:.3rem .5rem;text-align:left;vertical-align:top} th{background:#f4f4f4}
.cls{display:inline-block;background:#eef;border-radius:3px;padding:0 .4rem;margin-right:.3rem;
font-size:.9rem}
blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #cbd;color:#333}
.doc{font-size:.85rem;color:#555} nav a{margin-right:1rem} footer{margin-top:2rem;font-size:.85rem;color:#666}
"""


def render_page(record: EntityRecord, *, base: str, link: Link, formats: dict[str, str] | None = None,
                home: str | None = None, iri_shown: str | None = None) -> str:
    """The HTML page of ``record``. ``link(iri)``: the href of another entity's page, or None; ``formats``:
    media type -> href of this entity's other representations; ``home``: the href of the dataset's page."""
    known = prefixes(base)
    esc = html.escape

    def iri_html(iri: str) -> str:
        href = link(iri)
        text = record.labels.get(iri) or shorten(iri, known)
        if href is not None:
            return f'<a href="{esc(href)}">{esc(text)}</a>'
        if iri.startswith(("http://www.wikidata.org/", "https://www.wikidata.org/")):
            return f'<a href="{esc(iri)}" rel="external">{esc(shorten(iri, known))}</a>'
        return f"<span>{esc(text)}</span>"

    zh = record.names.get("zh", []) + record.names.get("", [])
    en = record.names.get("en", [])
    title = record.name
    alternates = "".join(
        f'<link rel="alternate" type="{esc(t)}" href="{esc(h)}">\n' for t, h in (formats or {}).items())
    parts = [
        "<!DOCTYPE html>", '<html lang="zh">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} · kg</title>", alternates + f"<style>{PAGE_CSS}</style>", "</head>", "<body>",
    ]
    nav = []
    if home is not None:
        nav.append(f'<a href="{esc(home)}">dataset 数据集</a>')
    for media, href in (formats or {}).items():
        nav.append(f'<a href="{esc(href)}" type="{esc(media)}">{esc(_FORMAT_NAMES.get(media, media))}</a>')
    if nav:
        parts.append("<nav>" + "".join(nav) + "</nav>")
    parts.append(f'<h1 lang="zh" id="name">{esc(zh[0] if zh else title)}</h1>')
    if en:
        parts.append(f'<p class="en" lang="en" id="name-en">{esc(en[0])}</p>')
    parts.append(f'<p class="iri" id="iri">{esc(iri_shown or record.iri)}</p>')
    parts.append('<p id="classes">' + "".join(
        f'<span class="cls" title="{esc(c)}">{esc(shorten(c, known))}</span>' for c in record.classes)
        + "</p>")
    other_names = [(lang, n) for lang, names in sorted(record.names.items()) for n in names[1:]]
    if other_names:
        parts.append("<h2>Other names 别名</h2><ul>" + "".join(
            f'<li lang="{esc(lang or "zh")}">{esc(n)}</li>' for lang, n in other_names) + "</ul>")
    if record.attributes:
        parts.append('<h2>Properties 属性</h2><table id="attributes">'
                     "<tr><th>property</th><th>value</th></tr>")
        for p, v, is_iri in record.attributes:
            shown = iri_html(v) if is_iri else esc(v)
            parts.append(f"<tr><td>{esc(shorten(p, known))}</td><td>{shown}</td></tr>")
        parts.append("</table>")
    parts.append(f'<h2>Relations 关系 ({len(record.relations)})</h2>')
    parts.append('<table id="relations"><tr><th>relation</th><th>with</th><th>evidence 证据</th></tr>')
    for r in record.relations:
        arrow = "→" if r.direction == "out" else "←"
        other = iri_html(r.other) if r.other_is_iri else esc(r.other)
        cells = []
        for ev in r.evidence:
            doc = (iri_html(ev.document) if link(ev.document)
                   else esc(ev.title or ev.identifier or ev.document))
            conf = f", confidence {esc(ev.confidence)}" if ev.confidence else ""
            cells.append(f"<blockquote lang=\"zh\">{esc(ev.sentence)}</blockquote>"
                         f'<div class="doc">{doc}{conf}</div>')
        parts.append(f'<tr class="relation {r.direction}"><td>{arrow} {esc(shorten(r.predicate, known))}</td>'
                     f"<td>{other}</td><td>{''.join(cells)}</td></tr>")
    parts.append("</table>")
    parts.append("<footer>Generated by kg from the build's store; every relation cites the sentence it was "
                 "drawn from. 由 kg 生成，每条关系均附原文句子。</footer>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


_FORMAT_NAMES = {"text/turtle": "Turtle", "application/ld+json": "JSON-LD", "text/html": "HTML"}
