"""One query process of ``kg serve``: ``python -m kg.sparql.worker STORE ...``, driven by kg/sparql/serve.py.

The server runs every query in a worker like this one, never in its own process, so that a query can be
stopped whatever its shape: the server kills the worker when the query runs past its time (Oxigraph cannot
cancel a sort or an aggregate that is still working towards its first row) or its memory grows past the limit,
and starts a fresh one. The worker itself

* dies with its parent, however the parent ends (``PR_SET_PDEATHSIG`` on Linux, and a lifeline pipe whose
  end-of-file means the parent is gone, everywhere);
* runs without a network (a new, empty network namespace on Linux when the kernel lets an unprivileged process
  make one), unless ``--network``: a federated ``SERVICE`` that slipped past the server's check still cannot
  reach anything;
* caps its own address space (``RLIMIT_AS``: what it uses once the store is open plus ``--memory``), so an
  allocation past it fails at once instead of the machine swapping;
* stops serialising a result at ``--max-bytes`` and answers an error instead, so an answer is never cut short.

It reads one request per line on stdin (JSON: query, accept, default_graph, named_graph) and writes one reply
per request on stdout: a JSON line (status, type, length) and then ``length`` bytes of body.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import resource
import signal
import sys
import threading
from typing import IO, Any

_PR_SET_PDEATHSIG = 1
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_SYNTAX_RE = re.compile(r"^error at (?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$", re.DOTALL)

# (media type, pyoxigraph format name) in the order of preference when the client accepts anything.
RESULT_TYPES = (
    ("application/sparql-results+json", "JSON"),
    ("application/json", "JSON"),
    ("application/sparql-results+xml", "XML"),
    ("application/xml", "XML"),
    ("text/csv", "CSV"),
    ("text/tab-separated-values", "TSV"),
)
GRAPH_TYPES = (
    ("text/turtle", "TURTLE"),
    ("application/n-triples", "N_TRIPLES"),
    ("text/plain", "N_TRIPLES"),
    ("application/rdf+xml", "RDF_XML"),
    ("application/ld+json", "JSON_LD"),
    ("application/json", "JSON_LD"),
    ("application/n-quads", "N_QUADS"),
    ("application/trig", "TRIG"),
)


def die_with_parent(parent: int, lifeline: int | None) -> None:
    """End this process when ``parent`` ends: the kernel's parent-death signal, then a lifeline watch."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)  # SIGKILL when the thread that started us ends
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)
    if lifeline is not None:
        def watch() -> None:
            try:
                while os.read(lifeline, 1):
                    pass
            except OSError:
                pass
            os._exit(1)  # end of file: every copy of the write end is closed, the parent is gone

        threading.Thread(target=watch, name="lifeline", daemon=True).start()


def drop_network() -> bool:
    """Move into a new user and network namespace (no interface but a loopback that is down); True if done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0)
    except (OSError, AttributeError):
        return False


def _vm_size() -> int:
    """This process's address space in bytes (Linux), else 0."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def negotiate(accept: str, offers: tuple[tuple[str, str], ...]) -> tuple[str, str] | None:
    """The offer ``Accept`` prefers (q-values, then the header's order, then ours); None if none."""
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0 or not media:
            continue
        for rank, offer in enumerate(offers):
            kind = offer[0].split("/")[0]
            if media in (offer[0], "*/*", f"{kind}/*"):
                key = (-q, position, rank)
                if best is None or key < best:
                    best, chosen = key, offer
                break
    return chosen


class _Capped:
    """A write-only buffer that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit
        self.over = False

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            self.over = True
            raise OSError("result larger than the limit")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def answer(store: Any, request: dict[str, Any], max_bytes: int) -> tuple[int, str, bytes]:
    """Run one request: (HTTP status, content type, body)."""
    import pyoxigraph as ox

    options: dict[str, Any] = {"use_default_graph_as_union": True}
    try:
        if request.get("default_graph"):
            options = {"default_graph": [ox.NamedNode(g) for g in request["default_graph"]]}
        if request.get("named_graph"):
            options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graph"]]
    except ValueError as exc:
        return 400, "text/plain", f"default-graph-uri / named-graph-uri: not an IRI ({exc})\n".encode()
    try:
        result = store.query(request["query"], **options)
        if isinstance(result, ox.QueryTriples):
            offer = negotiate(request.get("accept", ""), GRAPH_TYPES)
            fmt = getattr(ox.RdfFormat, offer[1]) if offer else None
        else:
            offer = negotiate(request.get("accept", ""), RESULT_TYPES)
            fmt = getattr(ox.QueryResultsFormat, offer[1]) if offer else None
        if offer is None or fmt is None:
            kinds = GRAPH_TYPES if isinstance(result, ox.QueryTriples) else RESULT_TYPES
            return 406, "text/plain", ("none of the types in Accept can hold this answer; ask for one of "
                                       + ", ".join(t for t, _ in kinds) + "\n").encode()
        out = _Capped(max_bytes)
        try:
            result.serialize(out, fmt)
        except (OSError, ValueError, RuntimeError):
            if not out.over:
                raise
        if out.over:
            return 503, "text/plain", (f"query stopped: its answer passed {max_bytes / 2**20:g} MB (the "
                                       "result limit); narrow it or add a LIMIT\n").encode()
        media = offer[0]
        return 200, media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else ""), \
            b"".join(out.parts)
    except SyntaxError as exc:
        return 400, "text/plain", (syntax_message(str(exc), request["query"]) + "\n").encode()
    except MemoryError:
        return 503, "text/plain", b"query stopped: it needed more memory than the limit\n"
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        text = " ".join(str(exc).split())
        return 500, "text/plain", f"query failed: {text[:300]}\n".encode()


def syntax_message(message: str, text: str) -> str:
    """The two-line message kg query gives (kg.sparql.query.QuerySyntaxError)."""
    from kg.sparql.query import QuerySyntaxError, describe_expected

    if m := _SYNTAX_RE.match(message):
        return str(QuerySyntaxError("query", text, int(m["line"]), int(m["col"]), m["msg"].strip()))
    return f"query: SPARQL syntax error: {describe_expected(message)}"


def _reply(stdout: IO[bytes], head: dict[str, Any], body: bytes = b"") -> None:
    head["length"] = len(body)
    stdout.write(json.dumps(head).encode("utf-8") + b"\n" + body)
    stdout.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kg.sparql.worker")
    parser.add_argument("store")
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--lifeline", type=int)
    parser.add_argument("--memory", type=int, default=0, help="bytes of address space beyond the start")
    parser.add_argument("--max-bytes", type=int, default=64 * 2**20)
    parser.add_argument("--network", action="store_true", help="keep the network (SERVICE allowed)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: kg serve stops us itself
    die_with_parent(args.parent, None)
    isolated = False if args.network else drop_network()  # while this process has a single thread
    die_with_parent(args.parent, args.lifeline)
    if args.memory > 0:  # after the imports and the store are in place, so only queries count
        import pyoxigraph  # noqa: F401

        import kg.sparql.query  # noqa: F401
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the reply stream
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(args.store)
    except (OSError, ValueError) as exc:
        print(f"{args.store}: {' '.join(str(exc).split())[:300]}", file=sys.stderr)
        sys.exit(2)
    if args.memory > 0:
        limit = _vm_size() + args.memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    _reply(stdout, {"ready": True, "isolated": isolated, "vm": _vm_size()})
    for line in stdin:
        try:
            request = json.loads(line)
        except ValueError:
            _reply(stdout, {"status": 400, "type": "text/plain"}, b"bad request\n")
            continue
        status, ctype, body = answer(store, request, args.max_bytes)
        _reply(stdout, {"status": status, "type": ctype}, body)


if __name__ == "__main__":
    main()
