"""``kg_lexicon``: every name and alias of the lexicons, found with one Aho-Corasick automaton."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ahocorasick
from spacy.language import Language
from spacy.tokens import Doc

from kg.core.lexicon import Lexicon, load_lexicon
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)
from kg.nlp.candidates import Candidate, candidates
from kg.nlp.text import get_match_text, token_bounds

#: Labels whose lexicon matches must end where a jieba word ends. Post titles are short words that also
#: begin longer ones (委员会 committee, 常委会 standing committee, 主席团 presidium, 书记员 clerk).
WORD_FINAL = frozenset({"POST"})
#: Labels whose lexicon matches must be whole jieba words, start and end: a person's name is two or three
#: characters that other words may hold across their boundary (江青 in 长江|青海, 康生 in 健康|生活).
WHOLE_WORD = frozenset({"PERSON"})


class LexiconRuler:
    """Proposes a candidate for every lexicon name or alias found in the text, carrying the canonical name."""

    def __init__(self, lexicon: Lexicon, *, min_alias_length: int = 2) -> None:
        self.lexicon = lexicon
        self.automaton: Any = ahocorasick.Automaton()
        for term in lexicon.terms:
            for surface in (term.name, *term.aliases):
                if len(surface) < min_alias_length:
                    continue
                self.automaton.add_word(surface, (len(surface), term.label, term.name))
        if len(self.automaton):
            self.automaton.make_automaton()

    def __call__(self, doc: Doc) -> Doc:
        out = candidates(doc)
        if not len(self.automaton):
            return doc
        text = get_match_text(doc)
        word_starts, word_ends = token_bounds(doc)
        for end_index, (length, label, name) in self.automaton.iter(text):
            end = end_index + 1
            if label in WORD_FINAL and end not in word_ends:
                # 委员 in 委员会, 常委 in 常委会, 主席 in 主席团: the word goes on, it is not the post
                continue
            if label in WHOLE_WORD and (end not in word_ends or end - length not in word_starts):
                continue
            out.append(Candidate(end - length, end, label, "lexicon", 1.0, name))
        return doc


@Language.factory("kg_lexicon", default_config={"lexicon_dir": None, "min_alias_length": 2},
                  assigns=["doc._.kg_candidates"])
def make_lexicon_ruler(nlp: Language, name: str, lexicon_dir: str | None,
                       min_alias_length: int) -> LexiconRuler:
    return LexiconRuler(load_lexicon(Path(lexicon_dir) if lexicon_dir else None),
                        min_alias_length=min_alias_length)
