"""The saved question ``shortest-chain``, answered by a breadth-first search in Python over SPARQL look-ups.

Why: ``kg/sparql/queries/shortest-chain.rq`` is a bounded breadth-first search written out in SPARQL (one
UNION branch per length 1..4, each a sequence of hops over every link of the graph). Oxigraph evaluates it by
joining every link of the graph at each hop, once for ``MIN(?length)`` and once for the chains, so on a
large store it runs past the default timeout when no chain exists. The file stays the
question's definition, a standalone query for any SPARQL server; :func:`run_shortest_chain` answers it on the
embedded store with the same variables and rows (tests/test_query.py compares the two), in three steps:

1. the two ends are looked up as the .rq looks them up (exact label @zh, @en or plain, or IRI; the same
   nodes, see :data:`_END`), the values bound as substitutions, never pasted into the text;
2. a bidirectional breadth-first search in Python, up to :data:`MAX_LENGTH` steps: each level is one SPARQL
   query for the links of the whole frontier (the frontier's nodes in VALUES, the .rq's property path of
   links and inverse links, in any named graph), so only the neighbourhoods of the two ends are read; every
   shortest chain is kept, as the .rq keeps them all;
3. the chains are explained by ``kg/sparql/queries/_shortest-chain-steps.rq``: the explaining half of the .rq
   (relation, direction, names, document and sentence of each step), the chains given in VALUES, its
   look-ups written as LATERAL joins (an Oxigraph extension) so that they read only the chains' own nodes
   and statements, where the .rq's plain joins read every statement of the store.

benchmarks/README.md has the figures.

The frontier's nodes are terms read from the store and written by pyoxigraph (``str(NamedNode)`` escapes an
IRI), so no value a user typed reaches a query's text. When the search would meet a node that VALUES cannot
carry or that SPARQL compares by value rather than identity (a blank node or a literal; kg's graphs link IRIs
only), or when other variables than ``from`` and ``to`` are bound, the .rq itself is run instead, so the
answer is always the file's.
"""

from __future__ import annotations

import importlib.resources
import time
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kg.core.errors import QueryError
from kg.rdf.namespaces import prefixes
from kg.sparql.query import QueryResult, QueryTimeout, Term, load_saved, run_query

__all__ = ["LINKS", "MAX_LENGTH", "NAME", "ChainSearch", "run_shortest_chain", "shortest_chains"]

#: The saved question this module answers.
NAME = "shortest-chain"
#: The longest chain searched, as in shortest-chain.rq (one UNION branch per length).
MAX_LENGTH = 4
#: The link of the .rq: every relation of the graph between two entities, in either direction.
LINKS = (
    "gov:runs|^gov:runs|gov:issues|^gov:issues|gov:targets|^gov:targets|gov:cooperatesWith|^gov:cooperatesWith|"
    "gov:organizes|^gov:organizes|org:subOrganizationOf|^org:subOrganizationOf|org:memberOf|^org:memberOf|"
    "dct:isPartOf|^dct:isPartOf|schema:location|^schema:location"
)
_STEPS = "_shortest-chain-steps.rq"
_CHAINS_MARKER = "    # chains\n"
_RDF_NIL = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")

# The .rq's look-up of one end (its sub-queries ``SELECT DISTINCT ?from ?a`` and ``?to ?b``, ``?end`` standing
# for ?from or ?to), in the forms of entity.rq that Oxigraph answers from its indexes (the .rq's scan every
# label, or every quad): the label is never unbound (COALESCE; with the end bound it
# never is anyway), and an IRI is kept if it is the subject of a triple (FILTER EXISTS) rather than joined
# with every triple. Same nodes.
_END = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?end ?node WHERE {
  {
    VALUES ?lang { "zh" "en" "" }
    BIND(COALESCE(IF(?lang = "", STR(?end), STRLANG(STR(?end), ?lang)), "") AS ?label)
    GRAPH ?g { ?node skos:prefLabel|skos:altLabel ?label }
    FILTER(STR(?label) = STR(?end))
  } UNION {
    BIND(COALESCE(?end, rdf:nil) AS ?node)
    FILTER(isIRI(?end))
    FILTER EXISTS { GRAPH ?g { ?node ?p ?o } }
  }
}"""

# The distinct links of a frontier (the .rq's hop sub-query ``SELECT DISTINCT ?a ?n1``, for many ?a at once).
_NEIGHBOURS = """PREFIX dct: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <http://schema.org/>
PREFIX gov: <https://w3id.org/kg-gov/ontology#>
SELECT DISTINCT ?x ?y WHERE {
  VALUES ?x { %s }
  GRAPH ?g { ?x (%s) ?y }
}"""

Chain = tuple[ox.NamedNode, ...]


class _NotIri(Exception):
    """A node the search cannot carry in VALUES or compare by identity: the .rq answers instead."""


class ChainSearch:
    """Runs the SPARQL of one answer under one overall deadline (``timeout`` counts for all of them)."""

    def __init__(self, store: ox.Store, timeout: float | None) -> None:
        self.store, self.timeout = store, timeout
        self.deadline = time.perf_counter() + timeout if timeout and timeout > 0 else None

    def run(self, text: str, bindings: Mapping[str, str | Term] | None = None) -> QueryResult:
        remaining = None
        if self.deadline is not None:
            remaining = self.deadline - time.perf_counter()
            if remaining <= 0:
                raise QueryTimeout(NAME, float(self.timeout or 0))
        try:
            return run_query(self.store, text, bindings, remaining, source=NAME)
        except QueryTimeout:
            raise QueryTimeout(NAME, float(self.timeout or 0)) from None

    def neighbours(self, frontier: Iterable[ox.NamedNode]) -> list[tuple[ox.NamedNode, Term]]:
        """The distinct (node, neighbour) links of the frontier's nodes, in any named graph."""
        values = " ".join(str(node) for node in frontier)
        rows = self.run(_NEIGHBOURS % (values, LINKS)).rows
        return [(x, y) for x, y in rows if isinstance(x, ox.NamedNode) and y is not None]


def run_shortest_chain(
    store: ox.Store,
    bindings: Mapping[str, str | Term] | None = None,
    timeout: float | None = 30.0,
) -> QueryResult:
    """``run_saved(store, "shortest-chain", bindings, timeout)``: the same variables and rows as the .rq.

    ``bindings`` binds ``from`` and ``to`` (as :func:`kg.sparql.query.run_query` takes them); ``timeout``
    in seconds (None or 0 for none) bounds the whole answer. Raises QueryTimeout or QueryError (a bad
    binding), as :func:`kg.sparql.query.run_query` does.
    """
    started = time.perf_counter()
    given = {name.lstrip("?$"): value for name, value in (bindings or {}).items()}
    search = ChainSearch(store, timeout)
    if not set(given) <= {"from", "to"} or len(given) != len(bindings or {}):
        # other variables bound (the file may select them, or refuse them): the file's own answer
        return _timed(search.run(load_saved(NAME).text, bindings), started)
    try:
        found = shortest_chains(search, given)
    except _NotIri:
        return _timed(search.run(load_saved(NAME).text, bindings), started)
    return _timed(search.run(_steps_query(found), given), started)


def shortest_chains(search: ChainSearch, bindings: Mapping[str, str | Term]) -> list[Chain]:
    """Every shortest chain (up to :data:`MAX_LENGTH` steps) between the ends named by ``bindings``.

    Like the .rq, the ends are every node ``from`` names and every node ``to`` names, a chain joins one of
    each (never a node to itself) and visits no node twice, and only the chains of the smallest length over
    all pairs of ends are kept. Sources that are also targets each get a search of their own (their targets
    are the others), so that a node is never its own other end.
    """
    sources, targets = _end_nodes(search, bindings, "from"), _end_nodes(search, bindings, "to")
    both = sources & targets
    searches = [(sources - both, targets)] + [({node}, targets - {node}) for node in sorted(both, key=str)]
    best: list[Chain] = []
    limit = MAX_LENGTH
    for starts, goals in searches:
        if not starts or not goals:
            continue
        chains = _bidirectional(search, starts, goals, limit)
        if not chains:
            continue
        length = len(chains[0]) - 1
        if not best or length < len(best[0]) - 1:
            best, limit = chains, length
        elif length == len(best[0]) - 1:
            best.extend(chains)
    return sorted(set(best), key=lambda chain: tuple(map(str, chain)))


def _end_nodes(search: ChainSearch, bindings: Mapping[str, str | Term], end: str) -> set[ox.NamedNode]:
    """The nodes ``bindings[end]`` names (none if unbound, as in the .rq); QueryError for a bad value."""
    if end not in bindings:
        return set()
    nodes: set[ox.NamedNode] = set()
    for _, node in search.run(_END.replace("?end", f"?{end}"), {end: bindings[end]}).rows:
        if not isinstance(node, ox.NamedNode):
            raise _NotIri
        nodes.add(node)
    return nodes


def _bidirectional(
    search: ChainSearch, sources: set[ox.NamedNode], targets: set[ox.NamedNode], limit: int
) -> list[Chain]:
    """All shortest chains from ``sources`` to ``targets`` (disjoint) of at most ``limit`` steps.

    Each side keeps its levels as ``{node: nodes of the previous level linked to it}``; the side with the
    smaller frontier grows by one level (one query). A node first reached on one side at level i and on the
    other at level j lies on shortest chains of i + j steps; all of them are spelt out from the two sides'
    parents, so every shortest chain is found, and none visits a node twice.
    """
    forward: list[dict[ox.NamedNode, set[ox.NamedNode]]] = [{node: set() for node in sources}]
    backward: list[dict[ox.NamedNode, set[ox.NamedNode]]] = [{node: set() for node in targets}]
    seen_f: set[ox.NamedNode] = set(sources)
    seen_b: set[ox.NamedNode] = set(targets)
    while len(forward) + len(backward) - 2 < limit:
        grow_forward = len(forward[-1]) <= len(backward[-1])
        levels, seen, other = (forward, seen_f, seen_b) if grow_forward else (backward, seen_b, seen_f)
        level: dict[ox.NamedNode, set[ox.NamedNode]] = {}
        for node, neighbour in search.neighbours(levels[-1]):
            if neighbour in seen:
                continue  # reached at an earlier level (or a link back into the frontier)
            if not isinstance(neighbour, ox.NamedNode):
                raise _NotIri
            level.setdefault(neighbour, set()).add(node)
        if not level:
            return []
        levels.append(level)
        seen.update(level)
        meeting = [node for node in level if node in other]
        if meeting:
            return [
                (*head, *reversed(tail[:-1]))
                for node in meeting
                for head in _paths(forward, node)
                for tail in _paths(backward, node)
            ]
    return []


def _paths(levels: list[dict[ox.NamedNode, set[ox.NamedNode]]], node: ox.NamedNode) -> list[Chain]:
    """Every chain from level 0 to ``node`` (which is on the last level of ``levels`` or below it)."""
    depth = next(i for i in range(len(levels) - 1, -1, -1) if node in levels[i])
    chains: list[Chain] = [(node,)]
    for i in range(depth, 0, -1):
        chains = [(parent, *chain) for chain in chains for parent in levels[i][chain[0]]]
    return chains


def _steps_query(chains: list[Chain]) -> str:
    """_shortest-chain-steps.rq with ``chains`` in its VALUES block (nodes written by pyoxigraph)."""
    text = importlib.resources.files("kg.sparql.queries").joinpath(_STEPS).read_text(encoding="utf-8")
    if _CHAINS_MARKER not in text:
        raise QueryError(f"{_STEPS}: no {_CHAINS_MARKER.strip()!r} line in its VALUES block")
    rows = []
    for chain in chains:
        inner = [*chain[1:-1], *[_RDF_NIL] * (MAX_LENGTH + 1 - len(chain))]
        rows.append(f"    ({' '.join(str(t) for t in (chain[0], *inner, chain[-1]))} {len(chain) - 1})\n")
    return text.replace(_CHAINS_MARKER, "".join(rows))


def _timed(result: QueryResult, started: float) -> QueryResult:
    """``result`` with the time of the whole answer, as run_query reports one query's."""
    return QueryResult(result.kind, result.variables, result.rows, result.boolean, result.triples,
                       time.perf_counter() - started, prefixes())
