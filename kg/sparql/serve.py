"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a build's store, on 127.0.0.1 by default.

The front is a small HTTP server in this process (``/query`` for the protocol, ``/`` for a query page); every
query runs in a worker process (kg/sparql/worker.py, pyoxigraph on the store opened read-only), so that any
query can be stopped, whatever its shape. What the endpoint promises (see the README, "What the endpoint
promises"):

* **Time.** A query answers within ``timeout`` seconds or its worker is killed and the answer is HTTP 503
  with a one-line reason; a fresh worker takes its place.
* **Memory.** A worker may grow by ``memory`` bytes past what it uses once the store is open: its address
  space is capped (``RLIMIT_AS``) and its resident size watched; past either it is killed, answer 503.
* **Size.** An answer is serialised whole, up to ``max_result`` bytes, before the first byte is sent: a
  larger one is an error (503), never a 200 with a truncated body.
* **No relay.** A federated ``SERVICE`` is refused (403) unless the server was started with
  ``allow_service``; the workers run without a network where Linux allows it, so even a ``SERVICE`` that got
  past the check reaches nothing.
* **Host.** The ``Host`` header must name ``localhost``, an IP address or a name given in ``allow_hosts``
  (421 otherwise): a web page cannot reach the endpoint through DNS rebinding.
* **Requests.** At most ``max_body`` bytes of body, the request (line, headers and body) read within
  ``read_timeout`` seconds, at most ``max_connections`` at once; others are refused with 413, 408 and 503.
* **Children.** The workers end with this process however it ends, SIGKILL included (kg/sparql/worker.py).
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import queue
import re
import select
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kg.core.errors import ConfigError, KGError
from kg.sparql.dereference import Resolver, Response, query_page
from kg.sparql.store import ensure_store

__all__ = ["Limits", "Reply", "Server", "oxigraph_binary", "start_server", "uses_service"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
MB = 2**20


@dataclass(frozen=True)
class Limits:
    """The bounds every request and query is held to (see the module docstring)."""

    timeout: float = 30.0  # seconds a query may take, serialisation included (0: none)
    memory: int = 1024 * MB  # bytes a worker may grow by while answering
    max_result: int = 64 * MB  # bytes of answer
    max_body: int = 1 * MB  # bytes of request body (a query, URL-encoded or not)
    read_timeout: float = 10.0  # seconds to read a request: line, headers and body
    max_connections: int = 32  # connections handled at once
    workers: int = 2  # queries run at once; more wait up to `timeout` for a free worker
    allow_service: bool = False  # let SPARQL 1.1 Federated Query's SERVICE through
    allow_hosts: tuple[str, ...] = ()  # host names accepted in the Host header besides localhost and IPs


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable (Oxigraph's server and CLI): beside this interpreter, else on PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise ConfigError("the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6' "
                      f"(looked in {beside.parent} and on PATH)")


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


# ------------------------------------------------------------------ SERVICE


_IRI_REST = re.compile(r'[^<>"{}|^`\x00-\x20]*>')  # after "<": an IRI (\\u escapes included) up to ">"
_WORD = re.compile(r"[\w-]+")
_NEEDS_OPERAND = set("(,=!&|+-*/<>{;")  # after one of these, "<" can only open an IRI


def uses_service(text: str) -> bool:
    """Whether the SPARQL ``text`` may use ``SERVICE`` (federated query): the keyword outside strings, IRIs
    and comments, under any reading of the text the parser could make.

    One character is read two ways by SPARQL: ``<`` inside parentheses right after an operand is either
    "less than" or the start of an IRI (``FILTER(?a<?b && '>')``), and the two readings may disagree on what
    is a string or a comment after it. Both are followed (the states are few: position, parenthesis depth,
    whether an operand came last), so a ``SERVICE`` cannot hide in the reading this check did not take. A
    text too tangled to follow within a budget counts as using it.
    """
    lower = text.lower()
    if "service" not in lower:
        return False
    n = len(text)
    seen: set[tuple[int, int, bool]] = set()
    stack = [(0, 0, False)]
    budget = 20 * n + 1000
    while stack:
        i, depth, after = stack.pop()
        while i < n:
            budget -= 1
            if budget < 0:
                return True
            c = text[i]
            if c == "#":
                while i < n and text[i] not in "\r\n":
                    i += 1
                continue
            if c in "'\"":
                quote = c * 3 if text.startswith(c * 3, i) else c
                i += len(quote)
                while i < n and not text.startswith(quote, i):
                    i += 2 if text[i] == "\\" else 1
                i, after = i + len(quote), True
                continue
            if c == "<" or c in "()":
                if (i, depth, after) in seen:
                    break
                seen.add((i, depth, after))
            if c == "<":
                m = _IRI_REST.match(text, i + 1)
                if m:
                    if depth > 0 and after:  # the other reading: "less than", then code
                        stack.append((i + 1, depth, False))
                    i, after = m.end(), True
                else:
                    i, after = i + 1, False
                continue
            if c == "\\":  # an escape in a prefixed name (PN_LOCAL_ESC): the next character belongs to it
                i, after = i + 2, True
                continue
            if c.isalnum() or c == "_":
                j = _WORD.match(text, i).end()  # type: ignore[union-attr]
                # SPARQL needs no space between tokens: "12SERVICE", "trueSERVICE" and the prefixed name
                # "service:x" (at the start of a pattern: SERVICE then ":x") all call a service. Only a
                # variable, a local name or a language tag cannot end in or be the keyword.
                if "service" in lower[i:j] and (i == 0 or text[i - 1] not in "?$:@"):
                    return True
                i, after = j, True
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth = max(0, depth - 1)
            if not c.isspace():
                after = c not in _NEEDS_OPERAND
            i += 1
    return False


# ------------------------------------------------------------------ workers


@dataclass(frozen=True)
class Reply:
    """What a query came to: an HTTP status, a content type and the whole body."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, status: int, message: str) -> Reply:
        return cls(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


class _WorkerGone(Exception):
    pass


class _Worker:
    """One ``python -m kg.sparql.worker`` process with its pipes."""

    def __init__(self, store: Path, limits: Limits) -> None:
        self.lifeline_read, self.lifeline_write = os.pipe()
        command = [sys.executable, "-m", "kg.sparql.worker", str(store), "--parent", str(os.getpid()),
                   "--lifeline", str(self.lifeline_read), "--memory", str(limits.memory),
                   "--max-bytes", str(limits.max_result)]
        if limits.allow_service:
            command.append("--network")
        self.errors = tempfile.TemporaryFile()  # its messages; a pipe nobody reads could fill and block it
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.errors, pass_fds=(self.lifeline_read,))
        os.close(self.lifeline_read)
        assert self.process.stdout is not None and self.process.stdin is not None
        self.out = self.process.stdout.fileno()
        self.buffer = bytearray()
        self.limits = limits
        self.base_rss = 0

    def ready(self, within: float) -> dict[str, Any]:
        head, _ = self._read_reply(time.monotonic() + within, watch_memory=False)
        self.base_rss = _rss(self.process.pid)
        return head

    def ask(self, request: dict[str, Any], deadline: float | None) -> Reply:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except OSError as exc:
            raise _WorkerGone(str(exc)) from exc
        head, body = self._read_reply(deadline, watch_memory=True)
        return Reply(int(head["status"]), str(head["type"]), body)

    def _read_reply(self, deadline: float | None, *, watch_memory: bool) -> tuple[dict[str, Any], bytes]:
        head: dict[str, Any] | None = None
        length = 0
        while True:
            if head is None and b"\n" in self.buffer:
                end = self.buffer.index(b"\n")
                line = bytes(self.buffer[:end])
                del self.buffer[: end + 1]
                head = json.loads(line)
                length = int(head.get("length", 0))
                if length > self.limits.max_result + MB:
                    raise _WorkerGone("answer larger than the result limit")
            if head is not None and len(self.buffer) >= length:
                body = bytes(self.buffer[:length])
                del self.buffer[:length]
                return head, body
            wait = 0.05 if deadline is None else min(0.05, deadline - time.monotonic())
            if wait <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.out], [], [], wait)
            if ready:
                chunk = os.read(self.out, 1 << 20)
                if not chunk:
                    raise _WorkerGone(self._exit_reason())
                self.buffer += chunk
            elif watch_memory and self.limits.memory and \
                    _rss(self.process.pid) - self.base_rss > self.limits.memory:
                raise MemoryError

    def _exit_reason(self) -> str:
        try:
            status = self.process.wait(2)
        except subprocess.TimeoutExpired:
            return "the query process stopped answering"
        err = b""
        with contextlib.suppress(OSError):
            self.errors.seek(0)
            err = self.errors.read()[-4000:]
        if b"memory allocation" in err or status == -signal.SIGABRT:
            return "memory"
        text = " ".join(err.decode("utf-8", "replace").split())
        return f"status {status}" + (f": {text[-300:]}" if text else "")

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout, self.errors):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()
        with contextlib.suppress(OSError):
            os.close(self.lifeline_write)


def _rss(pid: int) -> int:
    """Resident bytes of process ``pid`` (Linux /proc), else 0."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Pool:
    """The workers. One thread starts them all, so that their parent-death signal is tied to a thread that
    lives as long as the pool (Linux sends it when the *thread* that started a child ends)."""

    def __init__(self, store: Path, limits: Limits) -> None:
        self.store, self.limits = store, limits
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.wanted: queue.Queue[int | None] = queue.Queue()
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        self.first_error: str | None = None
        self.isolated: bool | None = None
        self.started = threading.Event()
        self.spawner = threading.Thread(target=self._spawn_loop, name="kg-serve-spawner", daemon=True)
        self.spawner.start()
        for _ in range(max(1, limits.workers)):
            self.wanted.put(1)

    def _spawn_loop(self) -> None:
        while self.wanted.get() is not None:
            if self.closed:
                break
            worker = _Worker(self.store, self.limits)
            with self.lock:
                self.all.add(worker)
            try:
                head = worker.ready(60)
                self.isolated = bool(head.get("isolated"))
                self.idle.put(worker)
            except (TimeoutError, _WorkerGone, ValueError) as exc:
                self._drop(worker)
                self.first_error = self.first_error or str(exc)
                if not self.started.is_set():
                    self.started.set()
                    continue
                time.sleep(1)  # it will go better on the next try, or this loop is the problem: no spin
                self.wanted.put(1)
            self.started.set()

    def _drop(self, worker: _Worker) -> None:
        worker.kill()
        with self.lock:
            self.all.discard(worker)

    def run(self, request: dict[str, Any]) -> Reply:
        timeout = self.limits.timeout if self.limits.timeout and self.limits.timeout > 0 else None
        started = time.monotonic()
        deadline = started + timeout if timeout else None
        while True:
            try:
                left = deadline - time.monotonic() if deadline is not None else 3600
                worker = self.idle.get(timeout=max(left, 0.001))
            except queue.Empty:
                return Reply.text(503, f"server busy: no query process free within {timeout:g} s; try again")
            if worker.process.poll() is None:
                break
            self._replace(worker)  # it died while idle (killed from outside): take another
        try:
            reply = worker.ask(request, deadline)
        except TimeoutError:
            self._replace(worker)
            return Reply.text(503, f"query stopped after {timeout:g} s (the server's timeout); narrow it "
                                   "or add a LIMIT")
        except MemoryError:
            self._replace(worker)
            return Reply.text(503, f"query stopped: it needed more than {self.limits.memory / MB:g} MB of "
                                   "memory (the server's limit)")
        except _WorkerGone as exc:
            self._replace(worker)
            if str(exc) == "memory":
                return Reply.text(503, f"query stopped: it needed more than {self.limits.memory / MB:g} MB "
                                       "of memory (the server's limit)")
            return Reply.text(500, f"query failed: the query process ended ({exc})")
        except (OSError, ValueError) as exc:
            self._replace(worker)
            return Reply.text(500, f"query failed: {exc}")
        if self.limits.memory and _rss(worker.process.pid) - worker.base_rss > self.limits.memory // 2:
            self._replace(worker)  # what it kept from this query would count against the next one
        else:
            self.idle.put(worker)
        return reply

    def _replace(self, worker: _Worker) -> None:
        self._drop(worker)
        if not self.closed:
            self.wanted.put(1)

    def pids(self) -> list[int]:
        with self.lock:
            return [w.process.pid for w in self.all]

    def close(self) -> None:
        self.closed = True
        self.wanted.put(None)
        with self.lock:
            workers = list(self.all)
        for worker in workers:
            self._drop(worker)


# ------------------------------------------------------------------ HTTP


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}textarea{width:100%;height:12em;font:13px monospace}
table{border-collapse:collapse;margin-top:1em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}
#status{margin-left:1em;color:#555}pre{white-space:pre-wrap}</style></head>
<body><h1>SPARQL endpoint</h1><p>Read-only. The protocol endpoint is <code>/query</code>.</p>
<textarea id="q">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20</textarea><br>
<button id="run">Run</button><span id="status"></span><div id="out"></div>
<script>
document.getElementById("run").onclick = async () => {
  const status = document.getElementById("status"), out = document.getElementById("out");
  status.textContent = "running…"; out.textContent = "";
  const r = await fetch("query", {method: "POST",
    headers: {"Content-Type": "application/x-www-form-urlencoded",
              "Accept": "application/sparql-results+json, text/turtle;q=0.9"},
    body: new URLSearchParams({query: document.getElementById("q").value})});
  const type = r.headers.get("Content-Type") || "", text = await r.text();
  status.textContent = r.status + " " + r.statusText;
  if (!r.ok || !type.includes("json")) { const pre = document.createElement("pre"); pre.textContent = text;
    out.appendChild(pre); return; }
  const doc = JSON.parse(text);
  if ("boolean" in doc) { out.textContent = String(doc.boolean); return; }
  const table = document.createElement("table"), head = table.insertRow();
  for (const v of doc.head.vars) {
    const th = document.createElement("th"); th.textContent = v; head.appendChild(th); }
  for (const b of doc.results.bindings) { const row = table.insertRow();
    for (const v of doc.head.vars) row.insertCell().textContent = b[v] ? b[v].value : ""; }
  out.appendChild(table);
};
</script></body></html>
"""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], limits: Limits, pool: _Pool, family: int) -> None:
        self.address_family = family
        self.limits, self.pool = limits, pool
        self.active = threading.BoundedSemaphore(limits.max_connections)
        self.routes: dict[str, Callable[[_Handler], bool]] = {}
        names = {"localhost", *(h.lower().strip("[]") for h in limits.allow_hosts)}
        self.allowed_hosts = names
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """One line on stderr, never a traceback."""
        exc = sys.exc_info()[1]
        print(f"kg serve: a request from {client_address} failed: {type(exc).__name__}: {exc}"[:300],
              file=sys.stderr)

    def server_bind(self) -> None:  # HTTPServer's own asks DNS for the host's full name: it may hang
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        if not self.active.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.setblocking(False)
                request.send(b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                             b"Connection: close\r\n\r\ntoo many connections; try again\n")
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.active.release()
            raise

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.active.release()

    def serve_query(self, text: str, accept: str, default_graph: list[str], named_graph: list[str]) -> Reply:
        """Answer one query: the SERVICE check, then a worker within the limits."""
        if not self.limits.allow_service and uses_service(text):
            return Reply.text(403, "SERVICE (federated query) is refused: this endpoint does not send "
                                   "requests to other servers; start kg serve with --allow-service to "
                                   "allow it")
        return self.pool.run({"query": text, "accept": accept, "default_graph": default_graph,
                              "named_graph": named_graph})

    def host_allowed(self, header: str | None) -> bool:
        if not header:
            return False
        host = header.strip().lower()
        if host.startswith("["):
            host = host[1: host.find("]")] if "]" in host else host
        elif host.count(":") == 1:
            host = host.split(":")[0]
        host = host.rstrip(".")
        if host in self.allowed_hosts:
            return True
        try:
            ipaddress.ip_address(host)  # an IP address cannot be rebound to another machine by DNS
            return True
        except ValueError:
            return False


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "kg-serve"
    sys_version = ""

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.limits.read_timeout)
        self._timer = threading.Timer(self.server.limits.read_timeout, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:  # the request was not read in time: stop reading it
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RD)

    def finish(self) -> None:
        self._timer.cancel()
        with contextlib.suppress(OSError):
            super().finish()

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        if parsed and self.command != "POST":
            self._timer.cancel()  # the whole request is in: the query's own timeout applies from here
        return parsed

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet: no log on stderr
        pass

    def send(self, reply: Reply, *, head_only: bool = False) -> None:
        self._timer.cancel()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in reply.headers:
            self.send_header(key, value)
        self.send_header("Connection", "close")
        self.end_headers()
        if not head_only:
            self.wfile.write(reply.body)
        self.close_connection = True

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch("GET", head_only=True)

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def _method_not_allowed(self) -> None:
        self.send(Reply.text(405, f"{self.command} is not allowed: the endpoint is read-only (GET or POST)"))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _method_not_allowed  # noqa: N815

    def _dispatch(self, method: str, *, head_only: bool = False) -> None:
        if not self.server.host_allowed(self.headers.get("Host")):
            self.send(Reply.text(421, "the Host header must name this server (localhost or its address); "
                                      "start kg serve with --allow-host NAME to accept another name"))
            return
        url = urllib.parse.urlsplit(self.path)
        for prefix, route in self.server.routes.items():
            if url.path.startswith(prefix) and route(self):
                return
        if url.path == "/" and method == "GET":
            self.send(Reply(200, "text/html; charset=utf-8", _PAGE.encode("utf-8")), head_only=head_only)
            return
        if url.path == "/update":
            self.send(Reply.text(403, "updates are refused: the endpoint is read-only"))
            return
        if url.path != "/query":
            self.send(Reply.text(404, f"nothing at {url.path[:100]}; the SPARQL endpoint is /query"))
            return
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if method == "POST":
            body = self._read_body()
            if body is None:
                return
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-query":
                params.setdefault("query", []).append(body.decode("utf-8", "replace"))
            elif ctype in ("application/x-www-form-urlencoded", ""):
                try:
                    form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True,
                                                 max_num_fields=1000)
                except (UnicodeDecodeError, ValueError) as exc:
                    self.send(Reply.text(400, f"the form body cannot be read: {exc}"))
                    return
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
            elif ctype == "application/sparql-update":
                self.send(Reply.text(403, "updates are refused: the endpoint is read-only"))
                return
            else:
                self.send(Reply.text(415, f"send a query as application/sparql-query or a form, "
                                          f"not {ctype[:80]}"))
                return
        if "update" in params:
            self.send(Reply.text(403, "updates are refused: the endpoint is read-only"))
            return
        queries = params.get("query", [])
        if len(queries) != 1:
            self.send(Reply.text(400, "give exactly one query parameter (the SPARQL 1.1 Protocol)"))
            return
        self.send(self.server.serve_query(queries[0], self.headers.get("Accept") or "*/*",
                                          params.get("default-graph-uri", []),
                                          params.get("named-graph-uri", [])), head_only=head_only)

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.send(Reply.text(411, "send the body with a Content-Length, not chunked"))
            return None
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            self.send(Reply.text(400, "Content-Length is not a number"))
            return None
        if length < 0 or length > self.server.limits.max_body:
            self.send(Reply.text(413, f"request body larger than {self.server.limits.max_body / MB:g} MB "
                                      "(the server's limit)"))
            return None
        chunks, got = [], 0
        try:
            while got < length:
                chunk = self.rfile.read(min(65536, length - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
        except OSError:
            pass
        if got < length:  # cut off at the deadline, or the client gave up (then this answer goes nowhere)
            limit = self.server.limits.read_timeout
            self.send(Reply.text(408, f"request body not received in full within {limit:g} s"))
            return None
        self._timer.cancel()
        return b"".join(chunks)

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (OSError, ValueError):
            self.close_connection = True


@dataclass
class Server:
    """A running endpoint. Use as a context manager, or call :meth:`stop`."""

    host: str
    port: int
    store: Path
    limits: Limits
    httpd: _HTTPServer = field(repr=False)
    pool: _Pool = field(repr=False)
    thread: threading.Thread = field(repr=False)

    @property
    def url(self) -> str:
        """The query page."""
        return f"http://{_host_for_url(self.host)}:{self.port}/"

    @property
    def endpoint(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return self.url + "query"

    @property
    def worker_pids(self) -> list[int]:
        """The query processes' ids."""
        return self.pool.pids()

    @property
    def isolated(self) -> bool:
        """Whether the query processes run without a network."""
        return bool(self.pool.isolated)

    def query(self, text: str, accept: str = "*/*", default_graph: list[str] | None = None,
              named_graph: list[str] | None = None) -> Reply:
        """Answer ``text`` as ``/query`` does (SERVICE check, limits, content negotiation)."""
        return self.httpd.serve_query(text, accept, default_graph or [], named_graph or [])

    def route(self, prefix: str, handler: Callable[[BaseHTTPRequestHandler], bool]) -> None:
        """Hand requests whose path starts with ``prefix`` to ``handler`` first (after the Host check); it
        answers with ``request.send(Reply(...))`` (``request.server.serve_query`` runs a query within the
        limits) and returns True, or returns False to let the endpoint answer."""
        self.httpd.routes[prefix] = handler  # type: ignore[assignment]

    def running(self) -> bool:
        return self.thread.is_alive()

    def stop(self, grace: float = 5.0) -> int:
        """Stop serving and end the query processes; 0."""
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join(grace)
        self.httpd.server_close()
        self.pool.close()
        return 0

    def wait(self) -> int:
        while self.thread.is_alive():
            self.thread.join(0.5)
        return 0

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()




def start_server(
    target: str | os.PathLike[str],
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout: float = 30.0,
    ready_within: float = 60.0,
    cache: str | os.PathLike[str] | None = None,
    limits: Limits | None = None,
) -> Server:
    """Serve the store of ``target`` (build folder, store or RDF file; see kg.sparql.store) on ``host:port``.

    ``timeout`` is :attr:`Limits.timeout` unless ``limits`` is given. Returns once the endpoint accepts
    connections and a query process is ready; raises KGError if the port is taken or the store cannot be
    opened.
    """
    limits = limits or Limits(timeout=timeout)
    store_dir = ensure_store(target, cache=cache)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise KGError(f"--host {host}: not an address of this machine ({exc})") from exc
    family = infos[0][0]
    pool = _Pool(store_dir, limits)
    pool.started.wait(ready_within)
    if pool.idle.empty() and pool.first_error is not None:
        pool.close()
        raise KGError(f"the query process could not open the store {store_dir}: {pool.first_error}")
    try:
        httpd = _HTTPServer((host, port), limits, pool, family)
    except OSError as exc:
        pool.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise KGError(f"{host}:{port} is already in use: choose another --port") from exc
        raise KGError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    if host not in ("", "0.0.0.0", "::"):
        httpd.allowed_hosts.add(host.lower().strip("[]"))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                              name="kg-serve-http", daemon=True)
    thread.start()
    server = Server(host, httpd.server_address[1], store_dir, limits, httpd, pool, thread)
    try:
        server.route("/", _pages(Resolver(store_dir)))
    except (OSError, RuntimeError, ValueError) as exc:
        server.stop()
        raise KGError(f"cannot open the store {store_dir} for its pages: {exc}") from exc
    return server


def _pages(resolver: Resolver) -> Callable[[BaseHTTPRequestHandler], bool]:
    """The route of kg's pages (:mod:`kg.sparql.dereference`): the query page at ``/``, the data IRIs at
    ``/id/…`` and the dataset's description; every other path is the endpoint's."""
    page = query_page(resolver.base).encode("utf-8")

    def route(request: BaseHTTPRequestHandler) -> bool:
        if request.command not in ("GET", "HEAD"):
            return False
        head_only = request.command == "HEAD"
        path = urllib.parse.urlsplit(request.path).path
        if path in ("/", "/index.html"):
            request.send(Reply(200, "text/html; charset=utf-8", page), head_only=head_only)  # type: ignore[attr-defined]
            return True
        host = request.headers.get("Host") or "{}:{}".format(*request.server.server_address[:2])
        try:
            answer = resolver.resource(path, request.headers.get("Accept"), f"http://{host}")
        except Exception as exc:  # noqa: BLE001 - a broken request must not stop the server
            answer = Response(500, "text/plain; charset=utf-8", f"error: {exc}\n".encode(), {})
        if answer is None:
            return False
        request.send(Reply(answer.status, answer.content_type, answer.body,  # type: ignore[attr-defined]
                           tuple(answer.headers.items())), head_only=head_only)
        return True

    return route
