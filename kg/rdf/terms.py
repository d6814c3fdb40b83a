"""The terms one document's quads are made of: classes and predicates by record label, the IRIs of
documents and graphs, literal forms, and which of several labels to prefer.

What each record becomes is docs/decisions/0001-graph-model.md; the writer (:mod:`kg.rdf.document_quads`) and
the dataset functions (:mod:`kg.rdf.dataset`) both use these.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, XSD
from rdflib.term import Node

from kg.core.records import ENTITY_LABELS
from kg.rdf.iri import digest, mint
from kg.rdf.namespaces import DEFAULT_BASE, SDO
from kg.rdf.vocab import GOV


@dataclass(frozen=True)
class EntityClass:
    """A class of entity: the rdf:types kg writes for it (evidence is kept for the first), the other types
    that make a node one of it when a graph is read, and its English and Chinese names."""

    types: tuple[URIRef, ...]
    name: str
    zh: str
    also: tuple[URIRef, ...] = ()


#: The one class table: each entity label of the records (docs/annotation.md; 0001, "Classes by entity label")
#: and POSITION, the post in a body (org:Post) the writer makes for holdsPost. A reader takes the first class
#: whose types a node has, so the order matters (a post in a body before a role).
ENTITY_CLASSES: dict[str, EntityClass] = {
    "ORG": EntityClass((ORG.Organization,), "Organisation", "机构",
                       also=(ORG.OrganizationalUnit, ORG.FormalOrganization)),
    "PERSON": EntityClass((FOAF.Person,), "Person", "人物"),
    "POSITION": EntityClass((ORG.Post,), "Post in a body", "岗位"),
    "POST": EntityClass((ORG.Role,), "Post (kind)", "职务"),
    "PLACE": EntityClass((DCTERMS.Location, SDO.Place), "Place", "地点"),
    "MECHANISM": EntityClass((GOV.Mechanism,), "Mechanism", "机制"),
    "PROGRAM": EntityClass((GOV.Programme,), "Programme", "项目与行动"),
    "POLICY": EntityClass((GOV.PolicyDocument,), "Policy document", "政策文件"),
    "GROUP": EntityClass((GOV.TargetGroup,), "Target group", "对象群体"),
    "METRIC": EntityClass((SDO.Observation,), "Figure", "数据"),
    "EVENT": EntityClass((SDO.Event,), "Event", "事件"),
}

#: Entity label -> the rdf:type(s) the writer gives its entities.
CLASSES: dict[str, tuple[URIRef, ...]] = {
    label: ENTITY_CLASSES[label].types for label in ENTITY_LABELS
}

#: Simple relations: label -> predicate, written ``head predicate tail``.
PREDICATES: dict[str, URIRef] = {
    "subOrganizationOf": ORG.subOrganizationOf,
    "locatedIn": SDO.location,
    "runs": GOV.runs,
    "issues": GOV.issues,
    "targets": GOV.targets,
    "partOf": DCTERMS.isPartOf,
    "organizes": GOV.organizes,
}

#: Entity label -> the concept scheme its gov:kind comes from.
KIND_SCHEMES = {
    "MECHANISM": GOV.MechanismKindScheme,
    "PROGRAM": GOV.ProgrammeKindScheme,
    "POLICY": GOV.DocumentKindScheme,
}

SHARE_UNITS = frozenset({"%", "％", "‰"})
FACTS_GRAPH_RE = re.compile(r"^(?P<base>.+)/graph/(?P<hash>[0-9a-f]{16})$")
# http(s) IRIs only, with a host, and none of the characters an IRI may not hold.
_HTTP_IRI_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`/?#]+[^\s<>\"{}|\\^`]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR_RE = re.compile(r"^\d{4}$")


# ------------------------------------------------------------------ IRIs of documents and graphs


def document_iri(doc_id: str, *, base: str = DEFAULT_BASE) -> URIRef:
    """``<base>/id/doc-{hash16(doc_id)}``."""
    return mint("doc", doc_id, base=base)


def document_graph_iris(doc_id: str, *, base: str = DEFAULT_BASE) -> tuple[URIRef, URIRef]:
    """The facts graph ``<base>/graph/{hash16(doc_id)}`` and its evidence graph ``…/evidence``."""
    facts = f"{base.rstrip('/')}/graph/{digest(doc_id)}"
    return URIRef(facts), URIRef(facts + "/evidence")


def meta_graph_iri(*, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/graph/meta")


def dataset_iri(*, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/dataset")


def is_facts_graph(identifier: Node) -> bool:
    """True for a document's facts graph (not its evidence graph, not the metadata graph)."""
    return isinstance(identifier, URIRef) and FACTS_GRAPH_RE.match(str(identifier)) is not None


# ------------------------------------------------------------------ literals


def decimal_literal(value: Decimal | str) -> Literal:
    """A canonical ``xsd:decimal`` from text or Decimal, never a float: ``Decimal('3.6E+4')`` -> "36000.0"."""
    return Literal(decimal_text(value), datatype=XSD.decimal)


def decimal_text(value: Decimal | str) -> str:
    """The lexical form of :func:`decimal_literal`."""
    number = Decimal(value) if isinstance(value, str) else value
    if not number.is_finite():
        raise ValueError(f"not a finite decimal: {value!r}")
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0")
    if text.endswith(".") or "." not in text:
        text = text.rstrip(".") + ".0"  # the canonical form, which Turtle writers also print: 36000.0
    if text == "-0.0":
        text = "0.0"
    return text


def confidence_literal(confidence: float) -> Literal:
    """A confidence in [0, 1] as an ``xsd:decimal`` with at most three places."""
    return decimal_literal(confidence_text(confidence))


def confidence_text(confidence: float) -> str:
    """The lexical form of :func:`confidence_literal`."""
    clamped = min(1.0, max(0.0, float(confidence)))
    return decimal_text(str(round(clamped, 3)))


def date_literal(date: str) -> Literal:
    """``xsd:date`` for YYYY-MM-DD, ``xsd:gYear`` for YYYY, else a plain literal (0001, "Metadata graph")."""
    text, datatype = date_parts(date)
    return Literal(text, datatype=URIRef(datatype) if datatype else None)


def date_parts(date: str) -> tuple[str, str | None]:
    """(lexical form, datatype IRI or None) of :func:`date_literal`."""
    text = date.strip()
    if _DATE_RE.match(text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return text, None
        return text, str(XSD.date)
    if _YEAR_RE.match(text):
        return text, str(XSD.gYear)
    return text, None


def is_http_iri(url: str) -> bool:
    return _HTTP_IRI_RE.match(url) is not None


# ------------------------------------------------------------------ labels


def preferred_label(counts: Mapping[str, int]) -> str:
    """The label to prefer: the most frequent, then the shortest, then the first in code-point order."""
    return min(counts, key=lambda text: (-counts[text], len(text), text))
