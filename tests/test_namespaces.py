"""kg.rdf.namespaces: one prefix map for files, JSON-LD and queries; one IRI shortener."""

from __future__ import annotations

from rdflib import Graph

from kg.rdf.namespaces import PREFIXES, bind_prefixes, local_name, prefixes, shorten


def test_one_prefix_map_binds_declares_and_sorts() -> None:
    known = prefixes("https://data.example/kg/")
    assert list(known) == sorted(known)
    assert known["id"] == "https://data.example/kg/id/"
    assert known["schema"] == "http://schema.org/"
    assert set(known) == set(PREFIXES) | {"id"}
    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph, "https://data.example/kg")
    assert {p: str(ns) for p, ns in graph.namespaces()} == known


def test_shorten_uses_the_longest_namespace_and_keeps_odd_iris_whole() -> None:
    assert shorten("https://w3id.org/kg-gov/ontology#runs") == "gov:runs"
    assert shorten("https://example.org/kg/id/org-0123abcd") == "id:org-0123abcd"
    assert shorten("https://elsewhere.example/x") == "<https://elsewhere.example/x>"
    assert shorten("https://example.org/kg/id/a b") == "<https://example.org/kg/id/a b>"
    assert shorten("urn:x:1", {"x": "urn:x:"}) == "x:1"


def test_local_name() -> None:
    assert local_name("https://w3id.org/kg-gov/ontology#runs") == "runs"
    assert local_name("http://schema.org/location/") == "location"
    assert local_name("plain") == "plain"
