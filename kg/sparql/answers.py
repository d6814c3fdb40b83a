"""The answers to the saved research questions: each question's file run as it is, or a faster way to the
same rows where one exists (``shortest-chain``: :mod:`kg.sparql.chains`)."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from kg.sparql.chains import NAME as SHORTEST_CHAIN
from kg.sparql.chains import run_shortest_chain
from kg.sparql.query import QueryResult, Term, load_saved, run_query

__all__ = ["run_saved"]


def run_saved(
    store: ox.Store,
    name: str,
    bindings: Mapping[str, str | Term] | None = None,
    timeout: float | None = 30.0,
) -> QueryResult:
    """Run the saved research question ``name`` (see :func:`kg.sparql.query.list_saved`) with ``bindings``.

    ``shortest-chain`` is answered by :mod:`kg.sparql.chains` (a search in Python, the same rows as its file).
    """
    if name == SHORTEST_CHAIN:
        return run_shortest_chain(store, bindings, timeout)
    return run_query(store, load_saved(name).text, bindings, timeout, source=name)
