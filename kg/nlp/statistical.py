"""``kg_ner``: the statistical recogniser, a character-level spaCy NER trained on CLUENER (docs/ner.md).

Since pipeline 0.3.0 it runs only in the ``full`` profile (kg.nlp.pipeline.PROFILES): beside LAC
(kg.nlp.lac) it adds nothing on the gold sets and costs a fifth of a build's CPU.

Each character is embedded with its neighbours and its jieba word (``kg.nlp.ner_features``), but the
tokens are characters, so entities come out in character offsets of the text.

The trained pipeline ships in ``kg/nlp/models/ner/`` (built by ``scripts/train_ner.py``). The component
loads it once, on first use, and runs it on ``doc.text`` with the model's own character tokenizer, so it
works inside the project's jieba-tokenized pipeline whatever the word boundaries are. It proposes
``Candidate(start, end, label, source="model", score=...)`` records; it never writes ``doc.ents``.

**The gate** (``gate=True``, the default; :func:`gate_regions`): the merge keeps a model candidate only
where no rule candidate lies and only if it has its label's shape (kg.nlp.merge.ModelShape), so the model
is only run around the words where such a candidate is possible: a small share of the text, and the model
is most of the extraction time (docs/ner.md, "Windows, not sentences", has the figures by pipeline
version). ``gate=False`` tags the whole text.

The text (or each gated region) is cut at sentence ends into chunks of
at most ``max_chunk_chars`` characters and the chunks are tagged in batches. The score of an entity is the
probability the model gave to its own decisions over the entity's characters (the product of the softmax of
each chosen transition).
"""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps
from threadpoolctl import ThreadpoolController

from kg.core.errors import ConfigError
from kg.core.lexicon import load_lexicon
from kg.core.normalize import to_simplified
from kg.core.resources import ontology_path
from kg.core.text import CharMask, sentence_offsets
from kg.nlp import ner_features  # noqa: F401  (registers kg.CharFeatureEmbed.v1, used by the model)
from kg.nlp.candidates import Candidate, candidates
from kg.nlp.merge import NAME_TAGS, PLACE_ENDINGS, ModelShape, jieba_tags
from kg.nlp.text import doc_text, token_offsets
from kg.nlp.tokenizer import use_fast_tokenizer

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "models" / "ner"
DEFAULT_LABELS = ("ORG", "PERSON", "POST", "PLACE")
MAX_CHUNK_CHARS = 500
BATCH_SIZE = 64
_RETRAIN_HINT = "train it with: python scripts/train_ner.py (see docs/ner.md)"

# Full-width Latin letters and digits to ASCII (one character each, so offsets are kept);
# CLUENER writes them half-width. Punctuation is left alone: CLUENER writes it full-width.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code - 0xFEE0).isalnum()}


def resolve_model_path(model_path: str | Path | None = None) -> Path:
    """The model folder to use (the shipped one by default); ConfigError if it is not a trained pipeline."""
    path = Path(model_path) if model_path else DEFAULT_MODEL_PATH
    if not (path / "config.cfg").is_file() or not (path / "meta.json").is_file():
        raise ConfigError(
            f"{path}: no trained NER model here (config.cfg and meta.json missing); {_RETRAIN_HINT}"
        )
    return path


def model_info(model_path: str | Path | None = None) -> dict[str, Any]:
    """The model's ``meta.json`` (name, version, date, label map, validation scores), for ``kg info``.

    Reads only the metadata: the weights are not loaded.
    """
    path = resolve_model_path(model_path)
    try:
        meta: dict[str, Any] = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path / 'meta.json'}: cannot be read ({exc}); {_RETRAIN_HINT}") from exc
    meta["path"] = str(path)
    return meta


def chunk_offsets(text: str, max_chars: int = MAX_CHUNK_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` regions of ``text``: whole sentences packed together up to ``max_chars``.

    Sentences end at 。！？； and line breaks (kg.nlp.text.sentence_offsets); a longer sentence is cut,
    at the last comma-like mark before the limit when there is one.
    """
    out: list[tuple[int, int]] = []
    cur_start: int | None = None
    cur_end = 0
    for start, end in _bounded(text, sentence_offsets(text), max_chars):
        if cur_start is not None and end - cur_start <= max_chars:
            cur_end = end
            continue
        if cur_start is not None:
            out.append((cur_start, cur_end))
        cur_start, cur_end = start, end
    if cur_start is not None:
        out.append((cur_start, cur_end))
    return out


def _bounded(text: str, sentences: Iterable[tuple[int, int]], max_chars: int) -> Iterator[tuple[int, int]]:
    for start, end in sentences:
        while end - start > max_chars:
            window = text[start : start + max_chars]
            cut = max(window.rfind(mark) for mark in "，,、：:")
            step = cut + 1 if cut > max_chars // 2 else max_chars
            yield start, start + step
            start += step
        yield start, end


def chunk_regions(
    text: str, regions: Sequence[tuple[int, int]] | None = None, max_chars: int = MAX_CHUNK_CHARS
) -> list[tuple[int, int]]:
    """:func:`chunk_offsets` of each region (the whole text if ``regions`` is None), in text offsets."""
    if regions is None:
        return chunk_offsets(text, max_chars)
    return [(start + s, start + e) for start, end in regions
            for s, e in chunk_offsets(text[start:end], max_chars)]


#: jieba tags (prefixes) of a word that may open an ORG name before a suffix word: nouns (n, nr, ns, nt, nz,
#: ng, nrfg, ...), non-predicate adjectives (b: 县级, 上级) and abbreviations (j: 深化, 中小银行)
_ORG_MODIFIER_TAGS = ("n", "b", "j")
#: jieba tags of a word that may open a PLACE before a common place word (东部/f 地区, 印度支那/ns 地区)
_PLACE_MODIFIER_TAGS = ("ns", "f")


_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
#: characters of context the gate gives each trigger word before it and after it (inside its sentence): a
#: model entity may start words before its trigger (地方/n 政府) but ends with it, and the model reads a
#: character through four neighbours on each side (its encoder) and one more (the bigram features)
GATE_CONTEXT = 10
GATE_CONTEXT_AFTER = 5


def gate_regions(doc: Doc, shape: ModelShape, rule_spans: Iterable[tuple[int, int]], *,
                 context: int = GATE_CONTEXT, after: int = GATE_CONTEXT_AFTER) -> list[tuple[int, int]]:
    """The stretches of ``doc`` where the merge could keep a model entity: only these are worth tagging.

    ``kg_merge`` keeps a model candidate only if it overlaps no rule candidate (``rule_spans``, any label) and
    has its label's shape (:class:`kg.nlp.merge.ModelShape`). The gate asks the same of the words of each
    sentence: a word (or two) is a *trigger* when it lies outside every rule candidate, is a span of whole
    jieba words (the doc's own tokens) that passes the shape test, and jieba (tag table ``word_tag_tab``, the
    same one ``ModelShape`` uses) reads it as a possible name:

    - ORG: a word that ends with an org suffix (>= 2 characters) and has at least 3 characters (人民政协,
      国家开发银行), or a suffix word after a noun-like word (jieba tag n*, b or j: 地方/n 政府, 县级/b 政府);
    - POST: a word that ends with a known post title;
    - PLACE: a word of >= 2 characters ending in a PLACE_ENDINGS character that jieba tags as a proper name
      (ns, nr, nt, nz) or does not know (长江, 兰州, 滨海新区), or a word ending so after a place or
      direction word (东部/f 地区, 印度支那/ns 地区);
    - PERSON: a word of 2-4 characters opening with a surname that jieba tags as a person name (nr*) or does
      not know (习近平, 谭植棠); or, 2-4 characters in all, a surname word and a word jieba tags nr* or does
      not know (张/大伟), or a surname-initial word jieba does not know and the word after it (宋双/才);
      either way the span must pass ``ModelShape``'s own name test, and a two-character one must have a
      name cue beside it (a post title before it; 同志, 教授, 说, a post title after it: ``person_cued``).

    Names are written in Han characters (a word must consist of them, so "关，" is no person). What the gate
    lets go although the merge might keep it: a model entity that ends or starts inside a jieba word
    (无政府 in 无政府主义: fragments), a common noun the model would have to tag on its own (农村/n, 地区/n
    after 贫困/n), an ORG with a verb or function word before its suffix word (加强/v 政府, 的 政府).
    docs/ner.md measures what that costs.

    Returns ``[start, end)`` regions in text order: each trigger with ``context`` characters before it and
    ``after`` characters after it, inside its sentence; overlapping regions, and regions with only whitespace
    between them, are joined. The model reads a character through a few neighbours on each side (its encoder
    and the parser's state features), so this context gives the entities the whole sentence gives nearly
    everywhere (docs/ner.md measures what is lost); :meth:`StatisticalNER.predict` drops an entity that a
    region's edge may have cut.
    """
    text = doc_text(doc)
    covered = CharMask(len(text))
    for start, end in rule_spans:
        covered.take(start, end)
    starts, ends = token_offsets(doc)
    kept: list[tuple[int, int]] = []
    for s0, s1 in sentence_offsets(text):
        # the words that lie inside the sentence
        first, last = bisect_left(starts, s0), bisect_right(ends, s1)
        if first >= last:
            continue
        for a, b in _triggers(text, starts, ends, first, last, covered, shape):
            r0, r1 = max(s0, a - context), min(s1, b + after)
            if kept and (r0 <= kept[-1][1] or not text[kept[-1][1] : r0].strip()):
                kept[-1] = (kept[-1][0], max(r1, kept[-1][1]))
            else:
                kept.append((r0, r1))
    return kept


# What the gate's word tests need to know of a word alone (its text and jieba's tag), cached per word.
_NOT_HAN, _TAG_NONE, _ORG_LONG, _ORG_SUFFIX, _POST, _PLACE_PROPER, _PLACE_END = 1, 2, 4, 8, 16, 32, 64
_SURNAME, _PERSON, _ORG_MODIFIER, _PLACE_MODIFIER, _NAME_TAG = 128, 256, 512, 1024, 2048


def _word_flags(w: str, shape: ModelShape, cache: dict[str, int]) -> int:
    flags = cache.get(w)
    if flags is not None:
        return flags
    if not _HAN_WORD.fullmatch(w):
        flags = _NOT_HAN
    else:
        tag = jieba_tags().get(w)
        known = tag or ""
        flags = (
            (_TAG_NONE if tag is None else 0)
            | (_NAME_TAG if tag is None or known.startswith("nr") else 0)
            | (_ORG_MODIFIER if tag is None or known.startswith(_ORG_MODIFIER_TAGS) else 0)
            | (_PLACE_MODIFIER if known.startswith(_PLACE_MODIFIER_TAGS) else 0)
        )
        if w.endswith(shape.org_suffixes):
            flags |= _ORG_SUFFIX | (_ORG_LONG if len(w) >= 3 else 0)
        if w.endswith(shape.posts):
            flags |= _POST
        if w[-1] in PLACE_ENDINGS:
            flags |= _PLACE_END
            if len(w) >= 2 and (tag is None or known.startswith(NAME_TAGS)):
                flags |= _PLACE_PROPER
        if w[0] in shape.surnames or w[:2] in shape.surnames:
            flags |= _SURNAME
            if 2 <= len(w) <= 4 and flags & _NAME_TAG and shape.person_like(w):
                flags |= _PERSON
    cache[w] = flags
    return flags


def _triggers(text: str, starts: list[int], ends: list[int], first: int, last: int,
              covered: CharMask, shape: ModelShape) -> Iterator[tuple[int, int]]:
    """The word tests of :func:`gate_regions` on words ``first..last-1`` (``covered``: under a rule)."""
    cache = shape.gate_flags
    prev = _NOT_HAN  # the flags of the word before (_NOT_HAN: none, or not a word that may modify)
    for k in range(first, last):
        a, b = starts[k], ends[k]
        w = text[a:b]
        flags = _word_flags(w, shape, cache)
        if flags & _NOT_HAN or covered.overlaps(a, b):
            prev = _NOT_HAN
            continue
        if flags & _ORG_SUFFIX and (flags & _ORG_LONG or (not prev & _NOT_HAN and prev & _ORG_MODIFIER)):
            yield a, b
        elif flags & _POST:
            yield a, b
        elif flags & _PLACE_END and (
                flags & _PLACE_PROPER or (not prev & _NOT_HAN and prev & _PLACE_MODIFIER)):
            yield a, b
        elif flags & _SURNAME:
            if flags & _PERSON:
                if shape.person_cued(text, a, b):  # two characters: only by 同志, 说, a post title …
                    yield a, b
            elif k + 1 < last and ends[k + 1] - a <= 4:
                c, d = starts[k + 1], ends[k + 1]
                nxt = _word_flags(text[c:d], shape, cache)
                # a surname word and a given name jieba does not know or tags nr (张/大伟), or a word jieba
                # does not know that opens with a surname and runs on into the next word (宋双/才)
                given = b - a <= 2 and nxt & _NAME_TAG
                if ((given or (flags & _TAG_NONE and b - a >= 2)) and not nxt & _NOT_HAN
                        and not covered.overlaps(c, d) and shape.person_like(text[a:d])
                        and shape.person_cued(text, a, d)):
                    yield a, d
        prev = flags


class StatisticalNER:
    """Proposes the trained model's entities as ``model`` candidates, with a confidence score."""

    def __init__(
        self,
        *,
        model_path: str | Path | None = None,
        min_score: float = 0.0,
        labels: Sequence[str] = DEFAULT_LABELS,
        max_chunk_chars: int = MAX_CHUNK_CHARS,
        batch_size: int = BATCH_SIZE,
        gate: bool = True,
        lexicon_dir: str | Path | None = None,
    ) -> None:
        self.model_path = resolve_model_path(model_path)
        self.min_score = min_score
        self.labels = frozenset(labels)
        self.max_chunk_chars = max_chunk_chars
        self.batch_size = batch_size
        self.gate = gate
        self.lexicon_dir = lexicon_dir
        #: characters tagged so far (what the gate lets through), and characters seen
        self.chars_tagged = 0
        self.chars_seen = 0
        self._model: Language | None = None
        self._shape: ModelShape | None = None

    @property
    def shape(self) -> ModelShape:
        """The merge's shape test on the same lexicon (kg_merge's default), built on first use."""
        if self._shape is None:
            directory = Path(self.lexicon_dir) if self.lexicon_dir else ontology_path("lexicon")
            self._shape = ModelShape(load_lexicon(directory), directory)
        return self._shape

    @property
    def model(self) -> Language:
        """The trained pipeline, loaded on first use."""
        if self._model is None:
            try:
                model = spacy.load(self.model_path)
            except (OSError, ValueError) as exc:
                raise ConfigError(
                    f"{self.model_path}: cannot load the NER model ({exc}); {_RETRAIN_HINT}"
                ) from exc
            _use_numpy_blas(model)
            use_fast_tokenizer(model)
            self._model = model
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        out = candidates(doc)
        regions = None
        if self.gate:
            regions = gate_regions(doc, self.shape, ((c.start, c.end) for c in out if c.source != "model"))
        out.extend(self.predict(doc_text(doc), regions))
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def predict(self, text: str, regions: Sequence[tuple[int, int]] | None = None) -> list[Candidate]:
        """Candidates for ``text`` (only inside ``regions`` if given), in its character offsets and order.

        ``regions`` are what :func:`gate_regions` returns: each is chunked as the whole text would be, and an
        entity at a region's edge is dropped when the edge lies between two letters (it may be cut).
        """
        # a region that starts or ends inside a run of letters may have cut a name: no entity at such an edge
        cut_starts = {s for s, _ in regions or () if s > 0 and text[s - 1].isalnum()}
        cut_ends = {e for _, e in regions or () if e < len(text) and text[e].isalnum()}
        chunks = chunk_regions(text, regions, self.max_chunk_chars)
        self.chars_seen += len(text)
        self.chars_tagged += sum(e - s for s, e in chunks)
        found: list[Candidate] = []
        for i in range(0, len(chunks), self.batch_size):
            batch = chunks[i : i + self.batch_size]
            with _blas_threads():
                tagged = self._tag([_model_text(text[s:e]) for s, e in batch])
            for (offset, _), ents in zip(batch, tagged, strict=True):
                for start, end, label, score in ents:
                    if (label in self.labels and score >= self.min_score
                            and offset + start not in cut_starts and offset + end not in cut_ends):
                        found.append(Candidate(offset + start, offset + end, label, "model", score))
        return found

    def _tag(self, texts: list[str]) -> list[list[tuple[int, int, str, float]]]:
        """Greedy decoding as spaCy's ner does it, keeping the probability of every transition."""
        nlp = self.model
        ner: Any = nlp.get_pipe("ner")
        docs = [nlp.make_doc(t) for t in texts]
        states = ner.moves.init_batch(docs)  # the states carry offsets into the whole batch
        # soft[i][t]: softmax over the transitions for token t of doc i (each NER transition takes one token)
        soft = [numpy.zeros((len(doc), ner.moves.n_moves), dtype="f") for doc in docs]
        todo = [i for i, state in enumerate(states) if not state.is_final()]
        if todo:
            step_model = ner.model.predict(docs)
            position = [0] * len(docs)
            while todo:
                scores = numpy.asarray(step_model.predict([states[i] for i in todo]), dtype="f")
                exp = numpy.exp(scores - scores.max(axis=1, keepdims=True))
                exp /= exp.sum(axis=1, keepdims=True)
                for row, i in enumerate(todo):
                    if position[i] < len(soft[i]):
                        soft[i][position[i]] = exp[row]
                    position[i] += 1
                ner.transition_states([states[i] for i in todo], scores)
                todo = [i for i in todo if not states[i].is_final()]
            step_model.clear_memory()
        ner.set_annotations(docs, states)
        move_index = {name: i for i, name in enumerate(ner.move_names)}
        out = []
        for doc, rows in zip(docs, soft, strict=True):
            ents = []
            for e in doc.ents:
                if len(e) == 1:
                    moves = [f"U-{e.label_}"]
                else:
                    moves = [f"B-{e.label_}"] + [f"I-{e.label_}"] * (len(e) - 2) + [f"L-{e.label_}"]
                p = 1.0
                for t, move in zip(range(e.start, e.end), moves, strict=True):
                    p *= float(rows[t, move_index[move]]) if move in move_index else 1.0
                ents.append((e.start_char, e.end_char, e.label_, round(p, 4)))
            out.append(ents)
        return out


def _use_numpy_blas(model: Language) -> None:
    """Matrix products through numpy's BLAS instead of thinc's bundled BLIS, on one BLAS thread.

    The layers are the model's own; only the routine that multiplies changes (thinc's ``use_blis=False``):
    numpy's OpenBLAS multiplies the encoder's matrices several times faster than BLIS on the project
    machine, for the same entities (scores may move in the last decimals: sums in another order; docs/ner.md
    has the figures). OpenBLAS would start a thread per core in every
    worker process: the model's products are held to one (:func:`_blas_threads`) unless
    ``OPENBLAS_NUM_THREADS`` or ``OMP_NUM_THREADS`` says otherwise (kg build scales by processes).
    """
    ops = NumpyOps(use_blis=False)
    for _, component in model.pipeline:
        layers = getattr(component, "model", None)
        if layers is not None:
            for node in layers.walk():
                node.ops = ops


@lru_cache(maxsize=1)
def _blas_controller() -> Any:
    return ThreadpoolController()  # finds the loaded BLAS libraries once


def _blas_threads() -> AbstractContextManager[object]:
    """One BLAS thread while the model multiplies (only then: the caller's own numpy work is left alone)."""
    if os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS"):
        return nullcontext()
    return _blas_controller().limit(limits=1, user_api="blas")  # type: ignore[no-any-return]


def _model_text(text: str) -> str:
    """The text as the model was trained on: simplified characters, ASCII letters and digits, same length."""
    return to_simplified(text).translate(_HALF_WIDTH)


@Language.factory(
    "kg_ner",
    default_config={"model_path": None, "min_score": 0.0, "labels": ["ORG", "PERSON", "POST", "PLACE"],
                    "gate": True, "lexicon_dir": None},
    # the gate reads the rules' candidates: kg_ner runs after kg_lexicon and kg_patterns
    requires=["doc._.kg_candidates"],
    assigns=["doc._.kg_candidates"],
)
def make_statistical_ner(
    nlp: Language, name: str, model_path: str | None, min_score: float, labels: list[str], gate: bool,
    lexicon_dir: str | None,
) -> StatisticalNER:
    return StatisticalNER(model_path=model_path, min_score=min_score, labels=labels, gate=gate,
                          lexicon_dir=lexicon_dir)
