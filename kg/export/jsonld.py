"""JSON-LD text of :class:`kg.rdf.quads.Quads`, compacted with the project's prefixes, keys and arrays sorted.

The layout is the one rdflib's serialiser (``auto_compact`` with :func:`kg.export.formats.jsonld_context`)
gave before, kept byte for byte, at a fraction of its cost: one ``{"@id": graph, "@graph": [nodes]}`` item per
named graph; a node is ``{"@id": …, "@type": …, "prefix:local": value}``; IRIs are shortened to
``prefix:local`` where a context prefix covers the part before their last ``#``, ``/`` or ``:``; literals
are plain strings, ``{"@language", "@value"}``, ``{"@type", "@value"}``, or JSON numbers and booleans for
``xsd:integer``, ``xsd:double`` and ``xsd:boolean``; a key with several values holds an array. Every array
is sorted by the compact JSON text of its items, and the items are indented as in ``json.dumps(indent=2,
sort_keys=True)``, so the text is the same for the same quads.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from json.encoder import encode_basestring  # type: ignore[attr-defined]  # C-accelerated, ensure_ascii=False

from kg.rdf.quads import Quads

__all__ = ["jsonld_items"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_DELIMITERS = ("#", "/", ":")


class _Compactor:
    """IRI shortening as rdflib's JSON-LD context does it for a context of prefixes only."""

    def __init__(self, context: Mapping[str, str]) -> None:
        self.prefixes = {ns: prefix for prefix, ns in context.items()}
        self._iris: dict[str, str] = {}
        self._symbols: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """An ``@id`` value."""
        found = self._iris.get(iri)
        if found is None:
            ns, local = _split(iri)
            prefix = self.prefixes.get(ns)
            found = self._iris[iri] = f"{prefix}:{local}" if prefix else iri
        return found

    def symbol(self, iri: str) -> str:
        """A key, ``@type`` or datatype: a prefix's own IRI is the prefix's name."""
        found = self._symbols.get(iri)
        if found is None:
            found = self._symbols[iri] = self.prefixes.get(iri) or self.iri(iri)
        return found


def _split(iri: str) -> tuple[str, str]:
    for delimiter in _DELIMITERS:
        at = iri.rfind(delimiter)
        if at > -1:
            return iri[:at + 1], iri[at + 1:]
    return iri, ""


def jsonld_items(quads: Quads, context: Mapping[str, str]) -> list[str]:
    """The top-level ``@graph`` items (one per named graph), each as JSON text indented for the file."""
    writer = _Writer(quads, _Compactor(context))
    items = [writer.graph(name) for name in quads.names()]
    # Items are sorted by their compact JSON text, which starts with the first node's. Graphs that open
    # with the same node (an entity two documents describe alike) are compared whole.
    firsts = Counter(item.first for item in items)
    keys = [(item.first, item.compact() if firsts[item.first] > 1 else "") for item in items]
    return [item.text for _key, item in sorted(zip(keys, items, strict=True), key=lambda pair: pair[0])]


#: Indentation of a node's keys, of a value inside an array, and so on (items sit 4 deep in the file).
_P4, _P6, _P8, _P10, _P12, _P14 = (" " * n for n in (4, 6, 8, 10, 12, 14))

#: A value: (compact JSON text, the text sorted by; indented text as a key's value; indented in an array).
_Value = tuple[str, str, str]


class _Writer:
    """Builds the text of graph items; values and keys are made once per term, whatever their number."""

    def __init__(self, quads: Quads, compact: _Compactor) -> None:
        self.quads = quads
        self.compact = compact
        self._keys: dict[str, str] = {}
        self._values: dict[str, _Value] = {}
        self._types: dict[str, _Value] = {}

    def graph(self, name: str) -> _Item:
        """The item of graph ``name``."""
        nodes: dict[str, dict[str, list[_Value]]] = {}
        key_of, value_of, type_of = self._key, self._value, self._type
        for s, p, o in self.quads.graphs[name]:
            node = nodes.get(s)
            if node is None:
                node = nodes[s] = {}
            if p == _RDF_TYPE and o[0] == "<":
                key, value = "@type", type_of(o)
            else:
                key, value = key_of(p), value_of(o)
            values = node.get(key)
            if values is None:
                node[key] = [value]
            else:
                values.append(value)
        ordered = sorted((encode_basestring(self.compact.iri(s[1:-1])), props) for s, props in nodes.items())
        texts = [_node_text(node_id, props) for node_id, props in ordered]
        graph_id = encode_basestring(self.compact.iri(name))
        text = (f'{_P4}{{\n{_P6}"@graph": [\n' + ",\n".join(texts)
                + f'\n{_P6}],\n{_P6}"@id": {graph_id}\n{_P4}}}')
        return _Item(text, graph_id, ordered)

    def _key(self, predicate: str) -> str:
        key = self._keys.get(predicate)
        if key is None:
            key = self._keys[predicate] = self.compact.symbol(predicate[1:-1])
        return key

    def _type(self, term: str) -> _Value:
        value = self._types.get(term)
        if value is None:
            text = encode_basestring(self.compact.symbol(term[1:-1]))
            value = self._types[term] = (text, text, text)
        return value

    def _value(self, term: str) -> _Value:
        value = self._values.get(term)
        if value is None:
            value = self._values[term] = self._make(term)
        return value

    def _make(self, term: str) -> _Value:
        if term[0] == "<":
            return _object({'"@id"': encode_basestring(self.compact.iri(term[1:-1]))})
        literal = self.quads.literals[term]
        if literal.language:
            return _object({'"@language"': encode_basestring(literal.language),
                            '"@value"': encode_basestring(literal.value)})
        datatype = literal.datatype
        if datatype is None:
            text = encode_basestring(literal.value)
        elif datatype == _XSD + "integer":
            text = json.dumps(int(literal.value))
        elif datatype == _XSD + "double":
            text = json.dumps(float(literal.value))
        elif datatype == _XSD + "boolean":
            text = json.dumps(literal.value in ("true", "1"))
        else:
            return _object({'"@type"': encode_basestring(self.compact.symbol(datatype)),
                            '"@value"': encode_basestring(literal.value)})
        return (text, text, text)


class _Item:
    """One graph's item: its text in the file, and what items are sorted by."""

    __slots__ = ("first", "graph_id", "nodes", "text")

    def __init__(self, text: str, graph_id: str, nodes: list[tuple[str, dict[str, list[_Value]]]]) -> None:
        self.text = text
        self.graph_id = graph_id
        self.nodes = nodes
        self.first = _node_compact(*nodes[0])

    def compact(self) -> str:
        """``json.dumps(item, ensure_ascii=False, sort_keys=True)``."""
        nodes = ", ".join(_node_compact(node_id, props) for node_id, props in self.nodes)
        return f'{{"@graph": [{nodes}], "@id": {self.graph_id}}}'


def _object(fields: dict[str, str]) -> _Value:
    """A small JSON object of already encoded keys and values, as a key's value and as an array item."""
    pairs = [f"{k}: {v}" for k, v in fields.items()]
    compact = "{" + ", ".join(pairs) + "}"
    at_key = "{\n" + _P12 + (",\n" + _P12).join(pairs) + "\n" + _P10 + "}"
    in_array = "{\n" + _P14 + (",\n" + _P14).join(pairs) + "\n" + _P12 + "}"
    return (compact, at_key, in_array)


def _node_text(node_id: str, props: dict[str, list[_Value]]) -> str:
    """The node indented as in the file; its keys sorted, and the values of each key."""
    lines = [f'{_P10}"@id": {node_id}']
    for key in sorted(props):
        values = props[key]
        head = _P10 + _encoded(key) + ": "
        if len(values) == 1:
            lines.append(head + values[0][1])
        else:
            values.sort()
            items = (",\n" + _P12).join([v[2] for v in values])
            lines.append(head + "[\n" + _P12 + items + "\n" + _P10 + "]")
    return _P8 + "{\n" + ",\n".join(lines) + "\n" + _P8 + "}"


_ENCODED: dict[str, str] = {}


def _encoded(key: str) -> str:
    """A key as JSON text (keys are a few dozen predicate names: kept once made)."""
    found = _ENCODED.get(key)
    if found is None:
        if len(_ENCODED) > 10_000:
            _ENCODED.clear()
        found = _ENCODED[key] = encode_basestring(key)
    return found


def _node_compact(node_id: str, props: dict[str, list[_Value]]) -> str:
    """``json.dumps(node, ensure_ascii=False, sort_keys=True)``: what graph items are sorted by."""
    fields = [(_ID, node_id)]
    for key, values in props.items():
        if len(values) == 1:
            fields.append((key, values[0][0]))
        else:
            fields.append((key, "[" + ", ".join(v[0] for v in sorted(values)) + "]"))
    fields.sort()
    return "{" + ", ".join(f"{encode_basestring(k)}: {v}" for k, v in fields) + "}"


_ID = "@id"
