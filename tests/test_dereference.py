"""kg serve's data IRIs over HTTP: content negotiation on GET /id/…, the query page, the served
description."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from seeds_graph import SEEDS, free_port, write_seeds_build

from kg.core.errors import ConfigError
from kg.rdf.iri import entity_iri
from kg.sparql.dereference import negotiate
from kg.sparql.serve import Server, oxigraph_binary, start_server

pytestmark = pytest.mark.slow  # a build and a running server

try:
    oxigraph_binary()
except ConfigError:  # pragma: no cover - the oxigraph package ships the binary
    pytest.skip("the oxigraph server binary is not installed", allow_module_level=True)

BASE = "https://example.org/kg"
ORG = str(entity_iri("ORG", "河南省委社会工作部"))  # seeds/gold.jsonl, document 000
MECHANISM = str(entity_iri("MECHANISM", "七项协调机制"))
TEXT = (SEEDS / "000_d6df998b69c9d459.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    build = write_seeds_build(tmp_path_factory.mktemp("deref") / "out")
    with start_server(build, port=free_port(), timeout=10) as running:
        yield running


def get(server: Server, path: str, accept: str | None) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept": accept} if accept is not None else {}
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def parsed(body: bytes, fmt: ox.RdfFormat) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)}


def path_of(iri: str) -> str:
    assert iri.startswith(BASE + "/id/")
    return iri[len(BASE):]


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/json", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # a browser
    ("*/*", "text/turtle"),  # curl
    (None, "text/turtle"),
    ("text/html;q=0.5, text/turtle;q=0.9", "text/turtle"),
    ("text/turtle;q=0, */*", "text/html"),
    ("text/*", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("image/png", None),
])
def test_negotiate(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept) == expected


def test_turtle_has_the_entitys_triples_and_evidence(server: Server) -> None:
    status, headers, body = get(server, path_of(ORG), "text/turtle")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    assert "Accept" in headers["Vary"]
    assert headers["Content-Location"] == path_of(ORG) + ".ttl"
    triples = parsed(body, ox.RdfFormat.TURTLE)
    org = ox.NamedNode(ORG)
    runs = ox.NamedNode("https://w3id.org/kg-gov/ontology#runs")
    assert ox.Triple(org, runs, ox.NamedNode(MECHANISM)) in triples
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    assert ox.Triple(org, label, ox.Literal("河南省委社会工作部", language="zh")) in triples
    # the evidence of the runs relation: gold span 391-402 of document 000
    exact = {t.object.value for t in triples if t.predicate.value == "http://www.w3.org/ns/oa#exact"}
    assert TEXT[391:402] in exact


def test_jsonld_parses_to_the_same_triples(server: Server) -> None:
    _, _, turtle = get(server, path_of(ORG), "text/turtle")
    status, headers, body = get(server, path_of(ORG), "application/ld+json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    data = json.loads(body)
    assert data["@context"]["gov"] == "https://w3id.org/kg-gov/ontology#"
    from_jsonld = parsed(body, ox.RdfFormat.JSON_LD)
    from_turtle = parsed(turtle, ox.RdfFormat.TURTLE)
    assert from_jsonld == from_turtle


def test_html_page_names_relations_with_sentences_and_links(server: Server) -> None:
    status, headers, body = get(server, path_of(ORG), "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode("utf-8")
    assert '<h1 lang="zh" id="name">河南省委社会工作部</h1>' in page
    assert "org:Organization" in page
    assert TEXT[391:402] in page  # the sentence behind "runs 七项协调机制"
    assert f'href="{path_of(MECHANISM)}"' in page  # a link to the neighbour, under this server
    assert f'href="{path_of(ORG)}.ttl"' in page
    status, _, _ = get(server, path_of(MECHANISM), "text/html")
    assert status == 200


def test_extensions_name_one_representation(server: Server) -> None:
    for ext, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("html", "text/html"),
                       ("nt", "application/n-triples")):
        status, headers, _ = get(server, f"{path_of(ORG)}.{ext}", "image/png")
        assert status == 200 and headers["Content-Type"].startswith(media)


def test_unknown_iri_is_404_and_unacceptable_type_406(server: Server) -> None:
    assert get(server, "/id/org-0000000000000000", "text/turtle")[0] == 404
    assert get(server, "/id/org-0000000000000000", "text/html")[0] == 404
    assert get(server, path_of(ORG), "image/png")[0] == 406
    assert get(server, "/id/<script>", "text/html")[0] == 404
    assert get(server, "/elsewhere", None)[0] == 404


def test_served_description_states_the_endpoint(server: Server) -> None:
    status, _, body = get(server, "/dataset", "text/turtle")
    assert status == 200
    triples = parsed(body, ox.RdfFormat.TURTLE)
    endpoint = [t.object.value for t in triples if t.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint"]
    assert endpoint == [server.endpoint]


def test_query_still_answers_and_the_page_holds_prefixes_and_saved_questions(server: Server) -> None:
    query = f"SELECT ?l WHERE {{ GRAPH ?g {{ <{ORG}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}"
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        rows = json.loads(response.read())["results"]["bindings"]
    assert [r["l"]["value"] for r in rows] == ["河南省委社会工作部"]
    status, headers, body = get(server, "/", "text/html")
    page = body.decode("utf-8")
    assert status == 200 and "PREFIX gov: <https://w3id.org/kg-gov/ontology#>" in page.replace("\\u003c", "<")
    assert '"name": "officials"' in page and '"name": "evidence"' in page
