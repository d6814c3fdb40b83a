"""The two per-batch stages of a streaming build, as pure functions an engine can run anywhere.

A build cuts the document stream into batches (:func:`batches`, a function of the input alone) and runs
two stages on each, in worker processes or Dask tasks (:mod:`kg.build.engine`):

1. :func:`extract_batch`: extraction of the documents the cache does not hold, and the tally of each
   entity's candidate ``skos:prefLabel`` in each document (:func:`kg.rdf.dataset.batch_label_counts`, which
   counts the labels the facts graphs would hold, without writing them);
2. :func:`finish_batch`, once all tallies are in and the preferred labels chosen: the batch's named graphs
   with labels reconciled (:func:`kg.rdf.dataset.batch_quads`), SHACL validation, and the batch's part of
   every output file (an N-Quads shard, TriG, Turtle and JSON-LD chunks) and of the view
   (:class:`kg.view.model.ViewParts`).

The graphs stay :class:`kg.rdf.quads.Quads` (N-Triples strings) from end to end: no rdflib term is made on the
way (rdflib's store made this stage many times slower than extraction); SHACL validation reads the
batch's N-Quads text.

Neither stage reads or writes files, so the same functions run on a cluster without a shared file system;
the caller writes what they return, in batch order. Every result depends only on the batch (and on the
label choices), which is why the output is the same whatever the engine and the number of workers.
"""

from __future__ import annotations

import gc
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rdflib import Dataset
from rdflib.term import Node

from kg.core.records import Document, Extraction
from kg.export.formats import jsonld_parts, serialize_nquads, serialize_trig, serialize_turtle
from kg.nlp.extract import extract
from kg.nlp.pipeline import shared_nlp
from kg.rdf.dataset import DatasetStats, batch_label_counts, batch_quads
from kg.rdf.namespaces import prefixes
from kg.rdf.quads import Quads
from kg.rdf.validate import ValidationReport
from kg.rdf.validate import validate as shacl
from kg.view.model import ViewParts

#: A batch closes when it holds this many characters or this many documents, whichever comes first.
BATCH_CHARS = 100_000
BATCH_DOCUMENTS = 64

_PREFIX_LINE = re.compile(r"^(?:@prefix\s+([\w.-]*):\s*<([^>]*)>\s*\.|PREFIX\s+([\w.-]*):\s*<([^>]*)>)\s*$")


def batches(documents: Iterable[Document], *, max_chars: int = BATCH_CHARS,
            max_documents: int = BATCH_DOCUMENTS) -> Iterator[list[Document]]:
    """Consecutive runs of documents, cut where a run reaches ``max_chars`` or ``max_documents``."""
    batch: list[Document] = []
    chars = 0
    for document in documents:
        batch.append(document)
        chars += len(document.text)
        if chars >= max_chars or len(batch) >= max_documents:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


# ------------------------------------------------------------------ stage 1: extraction


@dataclass(frozen=True)
class ExtractTask:
    index: int
    documents: tuple[Document, ...]
    cached: tuple[Extraction | None, ...]  # one per document; None: extract it
    profile: str  # the pipeline profile (kg.nlp.pipeline.PROFILES)
    base: str


@dataclass(frozen=True)
class Extracted:
    index: int
    extractions: tuple[Extraction, ...]
    fresh: tuple[bool, ...]  # True where the extraction was made now (not from the cache)
    labels: dict[tuple[Node, str], Counter[str]]


def extract_batch(task: ExtractTask) -> Extracted:
    """Extract the documents of ``task`` that have no cached extraction; tally their preferred labels."""
    extractions: list[Extraction] = []
    fresh: list[bool] = []
    for document, cached in zip(task.documents, task.cached, strict=True):
        if cached is None:
            extractions.append(_bare(extract(document, shared_nlp(task.profile))))
            fresh.append(True)
        else:
            extractions.append(cached)
            fresh.append(False)
    with gc_paused():
        labels = batch_label_counts(zip(task.documents, extractions, strict=True), base=task.base)
    return Extracted(task.index, tuple(extractions), tuple(fresh), dict(labels))


def _bare(extraction: Extraction) -> Extraction:
    """The extraction without the document it points back to (the caller has it; no need to ship it)."""
    return Extraction(extraction.doc_id, extraction.entities, extraction.relations)


# ------------------------------------------------------------------ stage 2: graphs and output parts


@dataclass(frozen=True)
class FinishTask:
    index: int
    documents: tuple[Document, ...]
    extractions: tuple[Extraction, ...]
    choices: dict[tuple[Node, str], str]  # (subject, language) -> the preferred label, where documents differ
    base: str
    validate: bool = True


@dataclass
class Finished:
    """One batch's share of every output."""

    index: int
    nquads: bytes  # sorted lines: the shard
    trig: bytes  # TriG statements, without the prefixes the file's header declares
    turtle: bytes  # the union of the facts graphs, likewise
    jsonld: list[str]  # the items of the top-level @graph array, each as indented JSON text
    view: ViewParts
    validation: ValidationReport | None  # None when the task asked for no validation
    #: what the dataset description counts (a batch's quads; nothing for the description itself)
    stats: DatasetStats = field(default_factory=DatasetStats)
    entities: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)


def finish_batch(task: FinishTask) -> Finished:
    """The batch's graphs with labels reconciled, validated and serialised."""
    with gc_paused():
        quads = batch_quads(zip(task.documents, task.extractions, strict=True), base=task.base,
                            choices=task.choices)
        finished = serialize_part(quads, task.index, base=task.base, validate=task.validate)
    for extraction in task.extractions:
        finished.entities.update(e.label for e in extraction.entities)
        finished.relations.update(r.label for r in extraction.relations)
    finished.stats.add_quads(quads)
    return finished


def serialize_part(dataset: Dataset | Quads, index: int, *, base: str, validate: bool = True) -> Finished:
    """Every output's share of ``dataset`` (a batch, or the dataset description at the end of a build)."""
    quads = Quads.of(dataset)
    header = prefixes(base)
    nquads = serialize_nquads(quads)
    return Finished(
        index=index,
        nquads=nquads,
        trig=strip_prefixes(serialize_trig(quads, base=base, nquads=nquads), header),
        turtle=strip_prefixes(serialize_turtle(quads, base=base), header),
        jsonld=jsonld_parts(quads, base=base),
        view=ViewParts.read(quads),
        validation=shacl(quads, nquads=nquads) if validate else None,  # no copy, no parse in Python
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block.

    A batch's graphs are hundreds of thousands of small tuples, sets and dicts, and no reference cycles:
    the collector, triggered every few hundred allocations, would walk them (and, in a worker, the whole
    NLP pipeline) over and over for nothing to free, a fifth of the stage's time. Whatever cycles the block
    makes are collected once it ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ------------------------------------------------------------------ pieces of files


def file_header(base: str) -> bytes:
    """The prefixes graph.trig and graph.ttl declare, once at their head."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes(base).items()).encode() + b"\n"


def strip_prefixes(text: bytes, header: dict[str, str]) -> bytes:
    """Drop the prefix declarations the file header already makes (any other one stays where it is)."""
    out = []
    for line in text.decode("utf-8").split("\n"):
        m = _PREFIX_LINE.match(line)
        if m:
            prefix, ns = (m.group(1), m.group(2)) if m.group(2) is not None else (m.group(3), m.group(4))
            if header.get(prefix) == ns:
                continue
        out.append(line)
    body = "\n".join(out).strip("\n")
    return (body + "\n\n").encode("utf-8") if body else b""
