"""``kg serve``: the Oxigraph SPARQL server over a build's store, read-only, on 127.0.0.1 by default.

The server is the ``oxigraph`` binary that the PyPI package ``oxigraph`` installs next to the Python
interpreter. It runs ``oxigraph serve-read-only`` (updates are refused), with ``--union-default-graph``
(a query without ``GRAPH`` sees every named graph, as ``kg query`` does) and ``--timeout-s`` (Oxigraph
cancels a query that runs longer). It speaks the SPARQL 1.1 Protocol at ``/query``. It listens on a
loopback port of its own, behind :mod:`kg.sparql.dereference`, which listens on the address asked for,
passes ``/query`` on, and serves the data IRIs (``/id/…``, by content negotiation) and kg's query page at
``/``.
"""

from __future__ import annotations

import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.core.errors import ConfigError, KGError
from kg.sparql.dereference import Front, start_front
from kg.sparql.store import ensure_store

__all__ = ["Server", "oxigraph_binary", "server_command", "start_server"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable: beside this interpreter (the venv's bin/), else on PATH."""
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise ConfigError("the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6' "
                      f"(looked in {beside.parent} and on PATH)")


def server_command(store_dir: Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                   timeout: float = 30.0) -> list[str]:
    """The command line of a read-only Oxigraph server over ``store_dir``."""
    command = [str(oxigraph_binary()), "serve-read-only", "--location", str(store_dir),
               "--bind", f"{_host_for_url(host)}:{port}", "--union-default-graph"]
    if timeout and timeout > 0:
        command += ["--timeout-s", str(max(1, math.ceil(timeout)))]
    return command


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


@dataclass
class Server:
    """A running ``oxigraph serve-read-only`` process. Use as a context manager, or call :meth:`stop`."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    store: Path
    log: IO[bytes] | None = None
    front: Front | None = None  # kg.sparql.dereference: /id/… pages and RDF, /query passed on to Oxigraph

    @property
    def url(self) -> str:
        """kg's query page (kg.sparql.dereference); data IRIs are served under ``id/``."""
        return f"http://{_host_for_url(self.host)}:{self.port}/"

    @property
    def endpoint(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return self.url + "query"

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, grace: float = 5.0) -> int:
        """Stop the server (SIGTERM, then SIGKILL after ``grace`` seconds); its exit status."""
        if self.front is not None:
            self.front.stop()
            self.front = None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()
        return self.process.returncode

    def wait(self) -> int:
        return self.process.wait()

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
    ready_within: float = 15.0,
    cache: str | os.PathLike[str] | None = None,
) -> Server:
    """Start the server over the store of ``target`` (build folder, store or RDF file; see kg.sparql.store).

    Returns once the server accepts connections; raises KGError with the server's own message if it exits
    first (a port in use, a store it cannot open) or is not ready within ``ready_within`` seconds.
    """
    store_dir = ensure_store(target, cache=cache)
    if _port_in_use(host, port):
        raise KGError(f"{host}:{port} is already in use: choose another --port")
    public, (host, port) = (host, port), (DEFAULT_HOST, _free_port())  # Oxigraph behind kg's front
    command = server_command(store_dir, host=host, port=port, timeout=timeout)
    log = tempfile.TemporaryFile()  # the server's messages; a pipe nobody reads could fill and block it
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    server = Server(process, host, port, store_dir, log)
    deadline = time.monotonic() + ready_within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            err = log.read().decode("utf-8", "replace").strip()
            raise KGError(f"the oxigraph server stopped at once (status {process.returncode}): {err or '?'}")
        if _port_in_use(host, port):
            try:
                server.front = start_front(*public, backend=(host, port), store_dir=store_dir)
            except OSError as exc:
                server.stop()
                raise KGError(f"cannot listen on {public[0]}:{public[1]}: {exc.strerror or exc}") from exc
            server.host, server.port = public
            return server
        time.sleep(0.05)
    server.stop()
    raise KGError(f"the oxigraph server did not answer on {host}:{port} within {ready_within:g} s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((DEFAULT_HOST, 0))
        return int(s.getsockname()[1])


def _port_in_use(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
