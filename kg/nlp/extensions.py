"""Every custom attribute the pipeline keeps on a ``Doc`` (``doc._.<name>``), registered here only.

The components hand their results down the pipeline through these attributes, in this order; each
factory's ``requires``/``assigns`` (``kg info`` prints them) names the ones it reads and writes. All start
as None. A module that reads or writes one imports this module, which registers them all once.
"""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["DOC_EXTENSIONS", "register"]

#: Attribute name -> what it holds.
DOC_EXTENSIONS: dict[str, str] = {
    # helpers' copies, made once per document (kg.nlp.text): spaCy rebuilds ``doc.text`` from the tokens at
    # every call, a loop over Python token objects about as slow as all the rules together on long reports
    "kg_text": "the text the tokenizer was given (kg.nlp.tokenizer sets it)",
    "kg_token_offsets": "the tokens' start and end character offsets (two lists)",
    "kg_token_bounds": "the character offsets where tokens start and where they end (two sets)",
    "kg_match_text": "the text as recognisers match it: simplified, half-width, same length (kg.nlp.text)",
    # the components' results
    "kg_candidates": "entity candidates proposed by kg_lexicon, kg_patterns and kg_ner (kg.nlp.candidates)",
    "kg_lac": "every LAC word of the text as (start, end, tag) in character offsets (kg.nlp.lac)",
    "kg_mentions": "the mentions kg_merge keeps, in character offsets (kg.nlp.merge)",
    "kg_entities": "the entities kg_resolve groups the mentions into (kg.nlp.resolve)",
    "kg_title_issues": "titles naming their issuers: (issuer entity, title entity, offsets) (kg.nlp.resolve)",
    "kg_relations": "the relations kg_relations finds between the entities (kg.nlp.relations)",
    "kg_sentences": "the sentences kg_relations cut the text into, (start, end) offsets (kg.core.text)",
}


def register() -> None:
    """Register every attribute of :data:`DOC_EXTENSIONS` that is not registered yet (default None)."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register()
