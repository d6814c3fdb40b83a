"""The one place that names namespaces, maps prefixes (:func:`prefixes`), binds them and shortens IRIs."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Dataset, Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

#: Default base for minted IRIs; ``kg build --base`` changes it.
DEFAULT_BASE = "https://example.org/kg"

#: The ontology's own IRIs: persistent-identifier style (w3id.org), the same whatever ``--base`` the data has.
#: ``ONTOLOGY_IRI`` names the OWL ontology (ontology/governance.ttl) and the store's named graph holding it,
#: ``SHAPES_IRI`` the SHACL shapes (ontology/shapes.ttl) and theirs; ``gov:`` terms live under
#: ``ONTOLOGY_IRI#``.
ONTOLOGY_IRI = "https://w3id.org/kg-gov/ontology"
SHAPES_IRI = "https://w3id.org/kg-gov/shapes"
#: ontology file (in ontology/ and in a build's ontology/ folder) -> the named graph it is loaded into.
ONTOLOGY_GRAPHS = {"governance.ttl": ONTOLOGY_IRI, "shapes.ttl": SHAPES_IRI}

GOV = Namespace(ONTOLOGY_IRI + "#")
SDO = Namespace("http://schema.org/")  # the http form, as DESIGN.md asks (rdflib binds https by default)
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, Namespace] = {
    "gov": GOV,
    "schema": SDO,
    "oa": OA,
    "org": Namespace(str(ORG)),
    "skos": Namespace(str(SKOS)),
    "dct": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "prov": Namespace(str(PROV)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "void": Namespace(str(VOID)),
    "dcat": Namespace(str(DCAT)),
    "sh": Namespace(str(SH)),
    "wd": WD,
}


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """prefix -> namespace, sorted by prefix: the project's (:data:`PREFIXES`) and ``id:`` for the data IRIs
    under ``base``. What the files declare, the JSON-LD context holds and queries may use undeclared."""
    found = dict(PREFIXES)
    found["id"] = Namespace(base.rstrip("/") + "/id/")
    return {prefix: str(found[prefix]) for prefix in sorted(found)}


def bind_prefixes(graph: Graph | Dataset, base: str = DEFAULT_BASE) -> None:
    """Bind every prefix of :func:`prefixes`, replacing rdflib's defaults (its https schema.org, too)."""
    for prefix, ns in prefixes(base).items():
        graph.namespace_manager.bind(prefix, Namespace(ns), override=True, replace=True)


def shorten(iri: str, known: Mapping[str, str] | None = None) -> str:
    """``prefix:local`` for ``iri`` under the longest namespace of ``known`` (default :func:`prefixes`), the
    first prefix of that namespace; ``<iri>`` when none holds it or the rest is no SPARQL local name."""
    known = prefixes() if known is None else known
    best = max((ns for ns in known.values() if iri.startswith(ns)), key=len, default=None)
    if best is not None and _LOCAL_NAME.fullmatch(iri[len(best):]):
        prefix = next(p for p, ns in known.items() if ns == best)
        return f"{prefix}:{iri[len(best):]}"
    return f"<{iri}>"


def local_name(iri: str) -> str:
    """``runs`` for ``https://w3id.org/kg-gov/ontology#runs``: the part after the last ``#`` or ``/``."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


_LOCAL_NAME = re.compile(r"[\w.-]*")


def sparql_prologue() -> str:
    """PREFIX lines for every bound prefix, for queries written by hand."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
