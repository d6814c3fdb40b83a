"""``kg_lexicon``: every name and alias of the lexicons, found with Aho-Corasick automata.

Besides the lexicon's terms it finds, from the gazetteers (kg.nlp.gazetteer):

- county-level divisions (历下区, 平阴县) by their full names, as whole jieba words only (海城市 is not in
  沿海城市), and never those of two characters (和县, 城区);
- central bodies (国家发展和改革委员会, 发展改革委, 工信部) as whole words, and not after a level word, a
  place
  or another country (省发展改革委, 美国国防部 are other bodies; 卫生部 is not in 卫生部门);
- local departments with their place or level word: 山东省工业和信息化厅, 青岛市市场监管局, 中共山东省委组织部
  (canonical name given here), 省工业和信息化厅, 市委宣传部 (the place is decided by ``kg_resolve``);
- the document's own voice, 我部, 本部门, 我省, 我市: ``kg_resolve`` gives them to the document's issuer or
  place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ahocorasick
import jieba
from spacy.language import Language
from spacy.tokens import Doc

from kg.core.lexicon import Lexicon, load_lexicon
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)
from kg.nlp.candidates import Candidate, candidates
from kg.nlp.gazetteer import BARE_WORDS, VOICE_ORG, VOICE_PLACE, gazetteer_for
from kg.nlp.text import get_match_text, token_bounds

#: Labels whose lexicon matches must end where a jieba word ends. Post titles are short words that also
#: begin longer ones (委员会 committee, 常委会 standing committee, 主席团 presidium, 书记员 clerk).
WORD_FINAL = frozenset({"POST"})
#: Labels whose lexicon matches must be whole jieba words, start and end: a person's name is two or three
#: characters that other words may hold across their boundary (江青 in 长江|青海, 康生 in 健康|生活).
WHOLE_WORD = frozenset({"PERSON"})
#: Kinds of prefecture-level divisions (divisions.tsv): their names are matched as whole words.
PREFECTURE_KINDS = frozenset({"city", "autonomous prefecture", "prefecture", "league"})
#: The name a voice mention (我部, 我省) carries until ``kg_resolve`` gives it to the issuer or the place.
VOICE = "\x1evoice"


class LexiconRuler:
    """Proposes a candidate for every lexicon name or alias found in the text, carrying the canonical name."""

    def __init__(self, lexicon: Lexicon, *, min_alias_length: int = 2) -> None:
        self.lexicon = lexicon
        self.gazetteer = gazetteer_for(lexicon)
        self.automaton: Any = ahocorasick.Automaton()
        for term in lexicon.terms:
            # a central body, or a city: whole jieba words only (大理 not in 重大理论, 长治 not in 长治久安)
            whole = term.label == "ORG" and bool(term.kind) or term.kind in PREFECTURE_KINDS
            for surface in (term.name, *term.aliases):
                if len(surface) < min_alias_length:
                    continue
                self.automaton.add_word(surface, (len(surface), term.label, term.name, whole))
        known = {t.name for t in lexicon.terms if t.label == "PLACE"}
        for d in lexicon.divisions:
            if d.level in ("county", "district") and len(d.name) >= 3 and d.name not in known \
                    and d.name not in self.automaton:
                self.automaton.add_word(d.name, (len(d.name), "PLACE", d.name, True))
        for word in (*VOICE_ORG, *VOICE_PLACE):
            self.automaton.add_word(word, (len(word), "VOICE", VOICE, False))
        if len(self.automaton):
            self.automaton.make_automaton()
        self.departments: Any = ahocorasick.Automaton()
        for surface in self.gazetteer.departments:
            self.departments.add_word(surface, surface)
        if len(self.departments):
            self.departments.make_automaton()

    def __call__(self, doc: Doc) -> Doc:
        out = candidates(doc)
        if not len(self.automaton):
            return doc
        text = get_match_text(doc)
        word_starts, word_ends = token_bounds(doc)
        for end_index, (length, label, name, whole) in self.automaton.iter(text):
            end = end_index + 1
            start = end - length
            if label in WORD_FINAL and end not in word_ends:
                # 委员 in 委员会, 常委 in 常委会, 主席 in 主席团: the word goes on, it is not the post
                continue
            if (label in WHOLE_WORD or whole) and (end not in word_ends or start not in word_starts):
                continue
            if label == "PLACE" and whole and length == 2 and _overlaps_common_word(text, end):
                continue  # 在泰安全 "safe in Thailand": 安全 is the word, not 泰安
            if label == "ORG" and whole:
                if not self.gazetteer.central_allowed(text, start) \
                        or self.gazetteer.word_goes_on(text, text[start:end], end):
                    continue  # 省发展改革委, 美国国防部: another body of the same name; 卫生部门: a word
                unit_end = self.gazetteer.unit_after(text, end, name)
                if unit_end is not None:  # 工业和信息化部装备工业二司: the body's unit
                    unit = text[end:unit_end]
                    dep = self.gazetteer.departments.get(unit)
                    unit_name = name + (dep.name if dep else unit)
                    out.append(Candidate(start, unit_end, "ORG", "lexicon", 1.0, unit_name))
            if label == "VOICE":
                if start not in word_starts:
                    continue
                label = "PLACE" if text[start:end] in VOICE_PLACE else "ORG"
            out.append(Candidate(start, end, label, "lexicon", 1.0, name))
        if len(self.departments):
            out.extend(self.local_bodies(text, word_ends))
        return doc

    def local_bodies(self, text: str, word_ends: frozenset[int]) -> list[Candidate]:
        """[中共][place | level word][委][department]: 山东省工业和信息化厅, 省委组织部, 青岛市市场监管局."""
        g = self.gazetteer
        found = []
        for end_index, surface in self.departments.iter(text):
            end = end_index + 1
            if end not in word_ends and end < len(text) and text[end] not in "、，。；：（(和及与":
                continue  # 财政局长 is a post; 公安局长…
            pos = end - len(surface)
            for committee in ("党委", "委", ""):
                if committee and not text.endswith(committee, 0, pos):
                    continue
                at = pos - len(committee)
                place = g.place_at(text, at)
                if place is not None:
                    begin = at - len(next(f for f in (place.name, place.short) if text.endswith(f, 0, at)))
                    above = g.place_at(text, begin)
                    if above is not None and above.code in g.ancestor_codes(place):
                        # 济南市历下区政府: the district's city written before it
                        begin -= len(next(f for f in (above.name, above.short) if text.endswith(f, 0, begin)))
                elif (bare := next((w for w in BARE_WORDS if text.endswith(w, 0, at)), None)) is not None:
                    begin = at - len(bare)
                    if begin > 0 and text[begin - 1] in "各全本该":
                        continue  # 各省…, 全市…: every province's department, not one
                else:
                    continue
                if text.endswith("中共", 0, begin):
                    begin -= 2
                body = g.parse_local(text[begin:end])
                if body is None:
                    continue
                name = g.local_name(body.place, body) if body.place is not None else None
                found.append(Candidate(begin, end, "ORG", "lexicon", 1.0, name))
                break
        return found


#: How often (jieba's count) a word must be to outweigh a city's short form it overlaps: 安全 9,921.
COMMON_WORD_FREQ = 5000


def _overlaps_common_word(text: str, end: int) -> bool:
    """Whether a two-character short form ending at ``end`` lends its last character to a very common word
    (泰安|全 read as 泰|安全)."""
    freq: dict[str, int] = jieba.dt.FREQ
    return freq.get(text[end - 1:end + 1], 0) >= COMMON_WORD_FREQ


@Language.factory("kg_lexicon", default_config={"lexicon_dir": None, "min_alias_length": 2},
                  assigns=["doc._.kg_candidates"])
def make_lexicon_ruler(nlp: Language, name: str, lexicon_dir: str | None,
                       min_alias_length: int) -> LexiconRuler:
    return LexiconRuler(load_lexicon(Path(lexicon_dir) if lexicon_dir else None),
                        min_alias_length=min_alias_length)
