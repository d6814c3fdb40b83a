"""The extraction stage: a Document in, an Extraction (docs/annotation.md records) out.

A function of its input alone: the same document gives the same records whatever else is in the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from kg.core.records import Document, Entity, Extraction, Relation
from kg.core.text import map_span, mask, reflow
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)
from kg.nlp.pipeline import shared_nlp

_ID_PREFIX = {"ORG": "o", "PERSON": "p", "POST": "t", "PLACE": "l", "MECHANISM": "m", "PROGRAM": "g",
              "POLICY": "y", "GROUP": "r", "METRIC": "n", "EVENT": "v"}


def extract(document: Document, nlp: Language | None = None) -> Extraction:
    """Run the pipeline over the document's content regions and turn the result into records.

    The pipeline reads the text with hard-wrapped lines joined (kg.nlp.text.reflow: a name or a sentence
    broken across lines is read whole); every offset of the records points into ``document.text``.
    """
    nlp = nlp or shared_nlp()
    text, index = reflow(mask(document.text, document.content_regions()))
    doc = nlp(text, component_cfg={"kg_resolve": {"document": document}})  # metadata: issuer, place
    return to_extraction(document, doc._.kg_entities or [], doc._.kg_relations or [],
                         None if len(index) == len(document.text) + 1 else index)


def extract_all(documents: Iterable[Document], nlp: Language | None = None) -> Iterator[Extraction]:
    nlp = nlp or shared_nlp()
    for document in documents:
        yield extract(document, nlp)


def to_extraction(document: Document, entities: list, relations: list,  # type: ignore[type-arg]
                  index: list[int] | None = None) -> Extraction:
    """Records from resolved entities and relations; ``index`` maps offsets of reflowed text back to
    ``document.text`` (None: they are offsets into it already)."""

    def at(span: tuple[int, int]) -> tuple[int, int]:
        return span if index is None else map_span(index, *span)

    counters: dict[str, int] = {}
    ids: list[str] = []
    records: list[Entity] = []
    for ent in entities:
        prefix = _ID_PREFIX[ent.label]
        counters[prefix] = counters.get(prefix, 0) + 1
        ent_id = f"{prefix}{counters[prefix]}"
        ids.append(ent_id)
        aliases = tuple(sorted({s for s in ent.surfaces if s != ent.name}))
        spans = tuple(sorted({at((m.start, m.end)) for m in ent.mentions}))
        confidence = max(m.score for m in ent.mentions)
        records.append(Entity(ent_id, ent.label, ent.name, aliases, spans, ent.value, ent.unit,
                              confidence=confidence))
    rels = tuple(
        Relation(r.label, ids[r.head], ids[r.tail], at(r.evidence), at(r.sentence), r.post, r.confidence)
        for r in relations
    )
    return Extraction(document.id, tuple(records), rels, document)
