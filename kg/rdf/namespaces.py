"""The one place that names namespaces and binds prefixes."""

from __future__ import annotations

from rdflib import Dataset, Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, VOID, XSD

#: Default base for minted IRIs; ``kg build --base`` changes it.
DEFAULT_BASE = "https://example.org/kg"

GOV = Namespace("https://example.org/kg/ontology#")
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


def bind_prefixes(graph: Graph | Dataset, base: str = DEFAULT_BASE) -> None:
    """Bind every prefix the project uses, replacing rdflib's defaults (its https schema.org among them)."""
    graph.namespace_manager.bind("schema", SDO, override=True, replace=True)
    for prefix, ns in PREFIXES.items():
        graph.namespace_manager.bind(prefix, ns, override=True, replace=True)
    graph.namespace_manager.bind("id", Namespace(base.rstrip("/") + "/id/"), override=True, replace=True)


def sparql_prologue() -> str:
    """PREFIX lines for every bound prefix, for queries written by hand."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
