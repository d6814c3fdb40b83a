"""Run the relation rules alone on a sentence whose entities the test names (shared by the relation tests)."""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.nlp.merge import Mention
from kg.nlp.relations import RelationExtractor
from kg.nlp.resolve import ResolvedEntity


def relations(extractor: RelationExtractor, text: str, **labels: str) -> set[tuple[str, str, str]]:
    """The relations (label, head name, tail name) found in ``text`` when each name given (name=LABEL) is an
    entity wherever it occurs (longer names first; cooperatesWith pairs in name order)."""
    entities = []
    taken = bytearray(len(text))
    for name in sorted(labels, key=len, reverse=True):
        mentions = []
        for m in re.finditer(re.escape(name), text):
            if not any(taken[m.start():m.end()]):
                taken[m.start():m.end()] = b"\x01" * len(name)
                mentions.append(Mention(m.start(), m.end(), labels[name], "test"))
        assert mentions, name
        entities.append(ResolvedEntity(labels[name], name, mentions, [name]))
    entities.sort(key=lambda e: e.first)
    doc = Doc(Vocab(), words=[text], spaces=[False])
    doc._.kg_text = text
    doc._.kg_entities = entities
    extractor(doc)
    out = set()
    for r in doc._.kg_relations:
        head, tail = entities[r.head].name, entities[r.tail].name
        if r.label == "cooperatesWith":
            head, tail = sorted((head, tail))
        out.add((r.label, head, tail))
    return out
