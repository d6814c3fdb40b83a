"""``kg_ner``: the statistical recogniser, a character-level spaCy NER trained on CLUENER (docs/ner.md).

Each character is embedded with its neighbours and its jieba word (``kg.nlp.ner_features``), but the
tokens are characters, so entities come out in character offsets of the text.

The trained pipeline ships in ``kg/models/ner/`` (built by ``scripts/train_ner.py``). The component
loads it once, on first use, and runs it on ``doc.text`` with the model's own character tokenizer, so it
works inside the project's jieba-tokenized pipeline whatever the word boundaries are. It proposes
``Candidate(start, end, label, source="model", score=...)`` records; it never writes ``doc.ents``.

Long documents are cut at sentence ends into chunks of at most ``max_chunk_chars`` characters and the
chunks are tagged in batches. The score of an entity is the probability the model gave to its own
decisions over the entity's characters (the product of the softmax of each chosen transition).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ConfigError
from kg.nlp import ner_features  # noqa: F401  (registers kg.CharFeatureEmbed.v1, used by the model)
from kg.nlp.candidates import Candidate, candidates
from kg.nlp.text import sentence_offsets
from kg.normalize import to_simplified

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "ner"
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
    ) -> None:
        self.model_path = resolve_model_path(model_path)
        self.min_score = min_score
        self.labels = frozenset(labels)
        self.max_chunk_chars = max_chunk_chars
        self.batch_size = batch_size
        self._model: Language | None = None

    @property
    def model(self) -> Language:
        """The trained pipeline, loaded on first use."""
        if self._model is None:
            import spacy

            try:
                self._model = spacy.load(self.model_path)
            except (OSError, ValueError) as exc:
                raise ConfigError(
                    f"{self.model_path}: cannot load the NER model ({exc}); {_RETRAIN_HINT}"
                ) from exc
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        out = candidates(doc)
        out.extend(self.predict(doc.text))
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def predict(self, text: str) -> list[Candidate]:
        """Candidates for ``text`` in its own character offsets, in text order."""
        regions = chunk_offsets(text, self.max_chunk_chars)
        found: list[Candidate] = []
        for i in range(0, len(regions), self.batch_size):
            batch = regions[i : i + self.batch_size]
            chunks = [_model_text(text[s:e]) for s, e in batch]
            for (offset, _), ents in zip(batch, self._tag(chunks), strict=True):
                for start, end, label, score in ents:
                    if label in self.labels and score >= self.min_score:
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


def _model_text(text: str) -> str:
    """The text as the model was trained on: simplified characters, ASCII letters and digits, same length."""
    return to_simplified(text).translate(_HALF_WIDTH)


@Language.factory(
    "kg_ner",
    default_config={"model_path": None, "min_score": 0.0, "labels": ["ORG", "PERSON", "POST", "PLACE"]},
)
def make_statistical_ner(
    nlp: Language, name: str, model_path: str | None, min_score: float, labels: list[str]
) -> StatisticalNER:
    return StatisticalNER(model_path=model_path, min_score=min_score, labels=labels)
