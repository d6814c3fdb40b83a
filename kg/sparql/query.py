"""SPARQL over the store: saved research questions, bound values, a timeout, and result formats.

Values reach a query as bindings, never pasted into its text: :func:`run_query` hands them to Oxigraph's
``substitutions`` (SEP-0007: the variable is replaced by the term throughout the query, sub-queries that
select it included). :func:`to_term` turns the strings a user types into terms, by this rule:

* ``<…>``, or anything starting with ``http://``, ``https://``, ``urn:`` or ``file:`` -> an IRI;
* ``prefix:local`` with a prefix of :data:`kg.rdf.namespaces.PREFIXES` (or ``id:``, the data IRIs under the
  default base) -> that IRI, e.g. ``gov:Mechanism``;
* ``text@zh`` / ``text@en`` (a BCP 47 tag after the last ``@``) -> a literal with that language tag;
* ``"text"^^xsd:integer`` -> a typed literal;
* anything else -> a plain literal (``xsd:string``).

Labels in the graph are tagged ``@zh`` or ``@en``; the saved queries compare names with ``STR()``, so a name
matches whether it is given with its tag or without.

The timeout: pyoxigraph cannot cancel a running query (oxigraph/oxigraph#1926; the HTTP server's
``--timeout-s`` is the only cancellation it has), but ``Store.query`` and the iteration of its results release
the GIL. So the query runs in a daemon thread that the caller waits for with a deadline; when it passes, the
caller gets :class:`QueryTimeout` at once and the thread is abandoned: it stops at the next result row it
produces, or when the process exits (``kg query`` exits right away). A query that works long before its first
row (a sort, an aggregate) keeps one core busy in a long-lived process until it finishes.
"""

from __future__ import annotations

import csv
import html
import importlib.resources
import io
import json
import re
import threading
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx
import pyoxigraph as ox

from kg.core.errors import QueryError
from kg.rdf.namespaces import DEFAULT_BASE, local_name, shorten
from kg.rdf.namespaces import prefixes as project_prefixes

__all__ = [
    "FORMATS",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeout",
    "SavedQuery",
    "describe_expected",
    "format_result",
    "list_saved",
    "load_saved",
    "run_query",
    "to_term",
]

FORMATS = ("table", "csv", "tsv", "json")
Format = Literal["table", "csv", "tsv", "json"]
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_RE = re.compile(r"^(?P<text>.*)@(?P<lang>[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)$", re.DOTALL)
_TYPED_RE = re.compile(r'^"(?P<text>.*)"\^\^(?P<dt><[^<>]+>|[A-Za-z][\w-]*:[\w.-]+)$', re.DOTALL)
_PREFIXED_RE = re.compile(r"^(?P<prefix>[A-Za-z][\w-]*):(?P<local>[\w.-]+)$")
_IRI_SCHEMES = ("http://", "https://", "urn:", "file:")
_SYNTAX_RE = re.compile(r"^error at (?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$", re.DOTALL)
_NOT_PROJECTED_RE = re.compile(r"does not contains? variable \?(?P<var>\S+)")


class QuerySyntaxError(QueryError):
    """A query the SPARQL parser rejects, in two lines: where and what was expected, in words; then the
    stretch of the line around that point (``‸`` marks it), clipped, so a long query is never echoed whole."""

    def __init__(self, source: str, text: str, line: int, column: int, problem: str) -> None:
        self.source, self.line, self.column = source, line, column
        self.problem = describe_expected(problem)
        excerpt = _excerpt(text, line, column)
        super().__init__(f"{source}:{line}:{column}: SPARQL syntax error: {self.problem}\n  near: {excerpt}")


def describe_expected(problem: str, *, most: int = 12) -> str:
    """The parser's ``expected one of ...`` list in words: tokens in backticks, keywords as they are, a
    character class as what it stands for ("a digit", "a letter"), never the list of Unicode ranges; the
    parser's own notes (e.g. "The SELECT contains a variable that is unbound") first. At most ``most``
    items."""
    problem = " ".join(problem.split())
    m = re.match(r"expected (?:one of )?(.*)$", problem)
    if not m:
        return _one_line(problem, 200)
    tokens, notes = [], []
    for item in _expected_items(m[1]):
        if item.startswith('"') and item.endswith('"') and len(item) >= 2:
            word = "`" + re.sub(r"\\(.)", r"\1", item[1:-1]) + "`"
        elif item.startswith("["):
            word = ("a digit" if re.search(r"'0'\s*\.\.=?\s*'9'", item) and "'A'" not in item
                    else "a letter" if "'A'" in item or "'a'" in item else "")
        elif " " in item:
            notes.append(item[0].lower() + item[1:] if item[1:2].islower() else item)
            continue
        else:
            word = item
        if word and word not in tokens:
            tokens.append(word)
    if len(tokens) > most:
        tokens = tokens[:most] + [f"{len(tokens) - most} more"]
    said = ""
    if tokens:
        said = "expected " + (tokens[0] if len(tokens) == 1 else ", ".join(tokens[:-1]) + " or " + tokens[-1])
    return _one_line("; ".join(notes + ([said] if said else [])) or "the query ends too soon", 300)


def _expected_items(listing: str) -> list[str]:
    """Split the parser's comma-separated list, keeping quoted tokens and ``[...]`` classes whole."""
    items, i, n = [], 0, len(listing)
    while i < n:
        while i < n and listing[i] in ", ":
            i += 1
        start = i
        if i < n and listing[i] == '"':
            i += 1
            while i < n and listing[i] != '"':
                i += 2 if listing[i] == "\\" else 1
            i += 1
        elif i < n and listing[i] == "[":
            while i < n and listing[i] != "]":
                if listing[i] == "'":
                    i += 1
                    while i < n and listing[i] != "'":
                        i += 2 if listing[i] == "\\" else 1
                i += 1
            i += 1
        else:
            while i < n and not listing.startswith(", ", i):
                i += 1
        if listing[start:i].strip():
            items.append(listing[start:i].strip())
    return items


def _excerpt(text: str, line: int, column: int, before: int = 40, after: int = 20) -> str:
    """The line ``line`` of ``text`` around ``column`` (1-based), ``‸`` at the column, clipped with "…"."""
    lines = text.splitlines() or [""]
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    at = min(max(column - 1, 0), len(shown))
    head, tail = shown[max(0, at - before): at], shown[at: at + after]
    head = ("…" if at > before else "") + head
    tail = tail + ("…" if at + after < len(shown) else "")
    return _one_line(head + "‸" + tail, before + after + 4, strip=False)


def _one_line(text: str, limit: int, *, strip: bool = True) -> str:
    text = "".join(" " if c.isspace() or not c.isprintable() else c for c in text)
    text = " ".join(text.split()) if strip else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


class QueryTimeout(QueryError):
    """A query that ran longer than its timeout."""

    def __init__(self, source: str, timeout: float) -> None:
        self.source, self.timeout = source, timeout
        super().__init__(f"{source}: stopped after {timeout:g} s (the timeout); "
                         "narrow the query or give a longer --timeout")


# ------------------------------------------------------------------ saved queries


@dataclass(frozen=True)
class SavedQuery:
    """One ``kg/sparql/queries/<name>.rq``: the question it answers (its leading comment) and the SPARQL."""

    name: str
    title: str
    description: str
    parameters: tuple[tuple[str, str], ...]  # (variable, what to bind) from "# bind: ?var  text" lines
    text: str


def _parse_saved(name: str, text: str) -> SavedQuery:
    title, description, params = "", [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if body.lower().startswith("title:"):
            title = body[6:].strip()
        elif body.lower().startswith("bind:"):
            var, _, what = body[5:].strip().partition(" ")
            params.append((var.lstrip("?$"), what.strip()))
        else:
            description.append(body)
    return SavedQuery(name, title or name, "\n".join(description).strip(), tuple(params), text)


def list_saved() -> list[SavedQuery]:
    """Every saved research question shipped in ``kg/sparql/queries/``, by name."""
    root = importlib.resources.files("kg.sparql.queries")
    found = [
        _parse_saved(entry.name[: -len(".rq")], entry.read_text(encoding="utf-8"))
        for entry in root.iterdir()
        if entry.name.endswith(".rq") and not entry.name.startswith("_")  # _name.rq: a helper's part
    ]
    return sorted(found, key=lambda q: q.name)


def load_saved(name: str) -> SavedQuery:
    """The saved query ``name`` (``kg query --saved NAME``); QueryError naming the known ones if none."""
    entry = importlib.resources.files("kg.sparql.queries").joinpath(f"{name}.rq")
    if "/" in name or "\\" in name or name.startswith("_") or not entry.is_file():
        known = ", ".join(q.name for q in list_saved())
        raise QueryError(f"no saved query called {name!r} (known: {known})")
    return _parse_saved(name, entry.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ bindings


def to_term(value: str, *, base: str = DEFAULT_BASE) -> ox.NamedNode | ox.Literal:
    """The term a ``--bind`` value stands for (see the module docstring for the rule)."""
    prefixes = project_prefixes(base)
    try:
        if value.startswith("<") and value.endswith(">"):
            return ox.NamedNode(value[1:-1])
        if value.startswith(_IRI_SCHEMES):
            return ox.NamedNode(value)
        if m := _TYPED_RE.match(value):
            dt = m["dt"]
            dt_iri = dt[1:-1] if dt.startswith("<") else _expand(dt, prefixes)
            if dt_iri is None:
                raise QueryError(f"{value!r}: unknown prefix in datatype {dt!r}")
            return ox.Literal(m["text"], datatype=ox.NamedNode(dt_iri))
        if (m := _PREFIXED_RE.match(value)) and m["prefix"] in prefixes:
            return ox.NamedNode(prefixes[m["prefix"]] + m["local"])
        if m := _LANG_RE.match(value):
            text = m["text"]
            if len(text) >= 2 and text[0] == text[-1] == '"':
                text = text[1:-1]
            return ox.Literal(text, language=m["lang"].lower())
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        return ox.Literal(value)
    except ValueError as exc:
        raise QueryError(f"{value!r}: not a valid RDF term ({exc})") from exc


def _expand(name: str, prefixes: Mapping[str, str]) -> str | None:
    prefix, _, local = name.partition(":")
    return prefixes[prefix] + local if prefix in prefixes else None


# ------------------------------------------------------------------ running


@dataclass(frozen=True)
class QueryResult:
    """What a query returned: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""

    kind: Literal["select", "ask", "graph"]
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()
    seconds: float = 0.0
    prefixes: dict[str, str] = field(default_factory=project_prefixes, compare=False)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.kind == "graph" else 1

    def records(self) -> list[dict[str, str | None]]:
        """Rows as dicts of plain strings (an IRI's text, a literal's lexical form; None when unbound)."""
        return [{v: _plain(t) for v, t in zip(self.variables, row, strict=True)} for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        i = self.variables.index(name)
        return [_plain(row[i]) for row in self.rows]

    def _repr_html_(self) -> str:
        """A notebook shows a result as a table (IRIs shortened by prefix)."""
        if self.kind == "ask":
            return f"<p>{self.boolean}</p>"
        if self.kind == "graph":
            return f"<pre>{html.escape(format_result(self, 'table'))}</pre>"
        head = "".join(f"<th>{html.escape(v)}</th>" for v in self.variables)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_short(t, self.prefixes))}</td>" for t in row) + "</tr>"
            for row in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def to_networkx(self, source: str, target: str, *, edge: str | None = None) -> nx.MultiDiGraph:
        """A directed multigraph with an edge ``source -> target`` per row (nodes are the plain values, e.g.
        names), labelled with the ``edge`` column when given. Rows missing either end are left out."""
        graph = nx.MultiDiGraph()
        for record in self.records():
            a, b = record.get(source), record.get(target)
            if a is None or b is None:
                continue
            label = record.get(edge) if edge else None
            graph.add_edge(a, b, label=local_name(label) if label else "")
        return graph


def run_query(
    store: ox.Store,
    text: str,
    bindings: Mapping[str, str | Term] | None = None,
    timeout: float | None = 30.0,
    *,
    source: str = "query",
    union_default_graph: bool = True,
    base: str = DEFAULT_BASE,
) -> QueryResult:
    """Run SPARQL ``text`` on ``store`` with ``bindings`` (variable -> value, see :func:`to_term`).

    The default graph is the union of all named graphs (``union_default_graph``), as under ``kg serve``; the
    saved queries name their graphs and do not depend on it. ``timeout`` in seconds, None or 0 for none.
    Raises QuerySyntaxError (with line and column), QueryTimeout, or QueryError; ``source`` names the query
    in messages (a file name, a saved query's name).
    """
    substitutions: dict[ox.Variable, Term] = {}
    for name, value in (bindings or {}).items():
        var = name.lstrip("?$")
        if not re.fullmatch(r"\w+", var):
            raise QueryError(f"--bind {name!r}: not a SPARQL variable name")
        try:
            substitutions[ox.Variable(var)] = to_term(value, base=base) if isinstance(value, str) else value
        except QueryError as exc:
            raise QueryError(f"--bind {var}: {exc}") from exc

    prefixes = project_prefixes(base)
    cancel = threading.Event()
    box: dict[str, object] = {}

    def work() -> None:
        # pyoxigraph's result iterators belong to the thread that made them: none may reach the caller, so
        # an exception is handed over without its traceback (whose frames hold them).
        try:
            box["result"] = _evaluate(store, text, substitutions, prefixes, union_default_graph, cancel)
        except _Cancelled:
            pass
        except BaseException as exc:
            box["error"] = exc.with_traceback(None)

    started = time.perf_counter()
    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout if timeout and timeout > 0 else None)
    if worker.is_alive():
        cancel.set()
        raise QueryTimeout(source, float(timeout or 0))
    elapsed = time.perf_counter() - started
    if "error" in box:
        raise _translate(box["error"], source, text)  # type: ignore[arg-type]
    result = box["result"]
    assert isinstance(result, QueryResult)
    return QueryResult(result.kind, result.variables, result.rows, result.boolean, result.triples, elapsed,
                       prefixes)


class _Cancelled(Exception):
    pass


def _evaluate(
    store: ox.Store,
    text: str,
    substitutions: dict[ox.Variable, Term],
    prefixes: dict[str, str],
    union: bool,
    cancel: threading.Event,
) -> QueryResult:
    answer = store.query(text, prefixes=prefixes, use_default_graph_as_union=union,
                         substitutions=substitutions or None)
    try:
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            variables = tuple(v.value for v in answer.variables)
            rows = []
            for solution in answer:
                if cancel.is_set():
                    raise _Cancelled
                rows.append(tuple(solution[i] for i in range(len(variables))))
            return QueryResult("select", variables=variables, rows=tuple(rows))
        triples = []
        for triple in answer:
            if cancel.is_set():
                raise _Cancelled
            triples.append(triple)
        return QueryResult("graph", triples=tuple(triples))
    finally:
        del answer  # dropped here, in the thread that made it


def _translate(exc: BaseException, source: str, text: str) -> BaseException:
    if isinstance(exc, QueryError):
        return exc
    message = str(exc)
    if isinstance(exc, SyntaxError):
        if m := _SYNTAX_RE.match(message):
            return QuerySyntaxError(source, text, int(m["line"]), int(m["col"]), m["msg"].strip())
        return QueryError(f"{source}: SPARQL syntax error: {describe_expected(message)}")
    if m := _NOT_PROJECTED_RE.search(message):
        return QueryError(f"--bind {m['var']}: {source} does not select ?{m['var']}, so it cannot be bound")
    if isinstance(exc, (RuntimeError, OSError, ValueError, TypeError)):
        return QueryError(f"{source}: {_one_line(message, 300)}")
    return exc


# ------------------------------------------------------------------ formats


def format_result(result: QueryResult, fmt: str = "table", *, max_width: int = 48) -> str:
    """``result`` as text: an aligned table (IRIs shortened by prefix), SPARQL CSV, TSV or JSON.

    CONSTRUCT results are Turtle for ``table``, N-Triples for ``csv``/``tsv`` and JSON-LD for ``json``.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        rdf = {"table": ox.RdfFormat.TURTLE, "json": ox.RdfFormat.JSON_LD}.get(fmt, ox.RdfFormat.N_TRIPLES)
        prefixes = result.prefixes if rdf is ox.RdfFormat.TURTLE else None
        out = ox.serialize(list(result.triples), format=rdf, prefixes=prefixes)
        return out.decode("utf-8") if out else ""
    if fmt == "json":
        return _to_json(result)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_plain(t) or "" for t in row])
        return buffer.getvalue()
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in result.variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    return _to_table(result, max_width)


def _plain(term: Term | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _to_json(result: QueryResult) -> str:
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _short(term: Term | None, known: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return shorten(term.value, known)
    return _plain(term) or ""


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for wide (CJK) characters."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if _width(text) <= limit:
        return text
    out, used = [], 0
    for c in text:
        w = _width(c)
        if used + w > limit - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _to_table(result: QueryResult, max_width: int) -> str:
    header = list(result.variables)
    body = [[_clip(_short(t, result.prefixes), max_width) for t in row] for row in result.rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in body]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in body]
    return "\n".join(out) + "\n"
