"""kg serve: the Oxigraph server over the seeds' store, spoken to over the SPARQL 1.1 Protocol."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from seeds_graph import free_port, write_seeds_build

from kg.core.errors import ConfigError, KGError
from kg.sparql.query import load_saved
from kg.sparql.serve import Server, oxigraph_binary, start_server

try:
    oxigraph_binary()
except ConfigError:  # pragma: no cover - the oxigraph package ships the binary
    pytest.skip("the oxigraph server binary is not installed", allow_module_level=True)

#: Each test talks to a real oxigraph server process.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_seeds_build(tmp_path_factory.mktemp("serve") / "out")


@pytest.fixture(scope="module")
def server(build: Path) -> Iterator[Server]:
    with start_server(build, port=free_port(), timeout=10) as running:
        yield running


def post(url: str, data: dict[str, str], accept: str) -> tuple[int, str, str]:
    body = urllib.parse.urlencode(data).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode("utf-8", "replace")


def test_bound_to_localhost_read_only(server: Server) -> None:
    assert server.endpoint == f"http://127.0.0.1:{server.port}/query"
    assert server.limits.timeout == 10 and len(server.worker_pids) >= 1  # queries run in worker processes
    with urllib.request.urlopen(server.url, timeout=10) as page:  # the query page
        assert page.status == 200 and "html" in page.headers.get("Content-Type", "")


def test_sparqlwrapper_saved_query(server: Server) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.endpoint)
    client.setQuery(load_saved("officials").text)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert isinstance(result, dict)
    people = {b["personName"]["value"] for b in result["results"]["bindings"]}
    assert people == {"郅晓峰", "王东"}


def test_json_results_over_get(server: Server) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://www.w3.org/ns/org#Organization> }"
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "application/sparql-results+json" in response.headers["Content-Type"]
        doc = json.loads(response.read())
    assert int(doc["results"]["bindings"][0]["n"]["value"]) > 10  # the default graph is the union


def test_csv_results(server: Server) -> None:
    status, ctype, body = post(server.endpoint, {"query": load_saved("runs-by-province").text}, "text/csv")
    assert status == 200 and ctype.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["province"] for r in rows} == {"河南省", "海南省"}


def test_construct_as_turtle(server: Server) -> None:
    query = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
             "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { GRAPH ?g { ?s skos:prefLabel ?l } "
             "FILTER(STR(?l) = \"海南省总工会\") }")
    status, ctype, body = post(server.endpoint, {"query": query}, "text/turtle")
    assert status == 200 and ctype.startswith("text/turtle")
    import rdflib

    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert {str(o) for o in graph.objects()} == {"海南省总工会"}


def test_dataset_description_is_answerable(server: Server) -> None:
    status, _, body = post(server.endpoint, {"query": load_saved("dataset").text},
                           "application/sparql-results+json")
    assert status == 200
    props = {b["property"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert "http://rdfs.org/ns/void#triples" in props and "http://www.w3.org/ns/dcat#distribution" in props


def test_update_is_refused(server: Server) -> None:
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    status, _, _ = post(server.url + "update", {"update": update}, "*/*")
    assert status in (403, 404, 405)
    status, _, _ = post(server.endpoint, {"update": update}, "*/*")
    assert status >= 400
    ask = "ASK { <http://example.org/a> ?p ?o }"
    _, _, body = post(server.endpoint, {"query": ask}, "application/sparql-results+json")
    assert json.loads(body)["boolean"] is False


def test_port_in_use_is_a_message(server: Server, build: Path) -> None:
    with pytest.raises(KGError, match="already in use"):
        start_server(build, port=server.port)


def test_cli_serve_prints_urls_and_stops_on_ctrl_c(build: Path) -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(build), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.strip() == f"SPARQL endpoint: http://127.0.0.1:{port}/query"
        assert proc.stdout.readline().strip() == f"Query page:      http://127.0.0.1:{port}/"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        assert "stopped" in (proc.stderr.read() if proc.stderr else "")
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 10  # the oxigraph child is gone too: the port is free again
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                break
        time.sleep(0.1)
    else:
        pytest.fail(f"port {port} still answers after Ctrl-C")
    assert os.name != "nt"


def test_a_route_is_served_after_the_host_check(server: Server) -> None:
    from kg.sparql.serve import Reply

    def hello(request: object) -> bool:
        request.send(Reply.text(200, "hello"))  # type: ignore[attr-defined]
        return True

    server.route("/hello", hello)
    with urllib.request.urlopen(server.url + "hello", timeout=10) as page:
        assert page.read() == b"hello\n"
    refused = urllib.request.Request(server.url + "hello", headers={"Host": "rebound.example"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(refused, timeout=10)
    assert info.value.code == 421
