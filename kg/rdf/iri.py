"""The one place IRIs are minted: ``<base>/id/{type}-{first 16 hex of SHA-256 of a canonical key}``."""

from __future__ import annotations

import hashlib

from rdflib import URIRef

from kg.core.normalize import normalize_name
from kg.rdf.namespaces import DEFAULT_BASE

#: Entity label -> the type word used in IRIs.
TYPE_SLUGS = {
    "ORG": "org",
    "PERSON": "person",
    "POST": "role",
    "PLACE": "place",
    "MECHANISM": "mechanism",
    "PROGRAM": "programme",
    "POLICY": "policy",
    "GROUP": "group",
    "METRIC": "observation",
    "EVENT": "event",
}


def digest(*parts: str) -> str:
    """First 16 hex digits of SHA-256 over the parts joined with a unit separator."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def canonical_key(label: str, name: str, parent: str | None = None) -> str:
    """The key an IRI is minted from: type, normalised name, and for posts the normalised parent body."""
    key = f"{label}|{normalize_name(name)}"
    if parent is not None:
        key += f"|{normalize_name(parent)}"
    return key


def mint(kind: str, *key_parts: str, base: str = DEFAULT_BASE) -> URIRef:
    """``<base>/id/{kind}-{hash}``. ``kind`` is a short ASCII word; key parts are already canonical."""
    if not kind.isascii() or not kind.replace("-", "").isalnum():
        raise ValueError(f"IRI type word must be ASCII letters and digits: {kind!r}")
    return URIRef(f"{base.rstrip('/')}/id/{kind}-{digest(*key_parts)}")


def entity_iri(label: str, name: str, *, parent: str | None = None, base: str = DEFAULT_BASE) -> URIRef:
    return mint(TYPE_SLUGS[label], canonical_key(label, name, parent), base=base)
