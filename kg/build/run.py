"""``kg build``: read → extract → graph → export, into a folder that is replaced only when all went well.

Everything is written into a temporary sibling of the output folder, which then takes the output folder's
place; a failure at any stage leaves an earlier build untouched.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kg.build.cache import ExtractionCache
from kg.build.engine import Engine, make_engine
from kg.build.stages import (
    BATCH_CHARS,
    ExtractTask,
    Finished,
    FinishTask,
    batches,
    extract_batch,
    file_header,
    finish_batch,
    serialize_part,
)
from kg.core.errors import InputError, KGError, OutputError
from kg.core.files import replace_folder, temporary_folder
from kg.core.folder import GRAPH_FILES, BuildFolder
from kg.core.records import RELATION_LABELS, Document, Extraction
from kg.export.formats import JSONLD_FOOTER, jsonld_header
from kg.rdf.dataset import DatasetStats, LabelCounts, batch_dataset, dataset_description, label_choices
from kg.rdf.namespaces import DEFAULT_BASE
from kg.rdf.terms import meta_graph_iri
from kg.rdf.validate import ValidationReport, combine
from kg.read.documents import iter_documents
from kg.sparql.store import StoreLoader
from kg.view.model import CLASSES, ViewParts
from kg.view.page import write_view

#: Wraps an iterable to show progress: ``progress(items)`` for documents, and
#: ``progress(items, desc, unit, size)`` for the second stage's batches.
Progress = Callable[..., Iterator[Any]]
#: Told ``(documents, characters)`` each time a batch's extraction is done (in place of ``progress(items)``
#: on the documents, which would count documents as they are read, ahead of the extraction).
Extracted = Callable[[int, int], None]


@dataclass
class BuildReport:
    documents: int = 0
    characters: int = 0
    extracted: int = 0  # documents extracted in this run (the others came from the cache)
    #: Distinct entities of the merged graph by class (an IRI once, however many documents name it): the
    #: count of VoID's void:entities and of the view.
    entities: Counter[str] = field(default_factory=Counter)
    #: Entities as extracted, by label, document by document (one named in two documents counts twice).
    mentions: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    conforms: bool | None = None
    violations: int = 0
    shacl_text: str = ""
    triples: int = 0
    files: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    view: dict[str, Any] = field(default_factory=dict)

    def markdown(self) -> str:
        """The report file: counts and validation, nothing that changes from run to run."""
        lines = ["# kg build report", "", f"- documents: {self.documents}",
                 f"- characters: {self.characters}", f"- quads (all named graphs): {self.triples}"]
        if self.skipped:
            lines.append(f"- inputs skipped: {len(self.skipped)}")
            lines += [f"  - {s}" for s in self.skipped]
        shacl = "conforms" if self.conforms else f"{self.violations} violation(s)"
        lines += [f"- SHACL (ontology/shapes.ttl): {shacl}",
                  f"- entities: {sum(self.entities.values())} distinct in the merged graph (as void:entities "
                  f"and the view count them); {sum(self.mentions.values())} extracted document by document",
                  "", "| entity class | entities |", "|---|---|"]
        lines += [f"| {key} | {n} |" for key, n in self._classes()]
        lines += ["", "| relation label | relations |", "|---|---|"]
        lines += [f"| {label} | {self.relations.get(label, 0)} |" for label in RELATION_LABELS]
        if self.view:
            lines += ["", f"- graph.html: {self.view.get('nodes')} entities and {self.view.get('edges')} "
                          f"relations; the {self.view.get('linked')} entities with a relation are drawn at "
                          "first, the others on request"]
        if self.shacl_text and not self.conforms:
            lines += ["", "## SHACL", "", "```", self.shacl_text.strip(), "```"]
        return "\n".join(lines) + "\n"

    def _classes(self) -> list[tuple[str, int]]:
        return [(key, self.entities[key]) for key in CLASSES if self.entities.get(key)]

    def summary(self) -> str:
        ents = ", ".join(f"{k} {v}" for k, v in self._classes())
        rels = ", ".join(f"{k} {v}" for k, v in sorted(self.relations.items()))
        shacl = "conforms" if self.conforms else f"{self.violations} violation(s)"
        cached = self.documents - self.extracted
        return (f"{self.documents} documents, {self.characters} characters in {self.seconds:.1f} s"
                f" ({self.extracted} extracted, {cached} from the cache)\n"
                f"entities: {sum(self.entities.values())} distinct in the merged graph ({ents}); "
                f"{sum(self.mentions.values())} extracted document by document\n"
                f"relations: {sum(self.relations.values())} ({rels})\n"
                f"SHACL: {shacl}")


def check_output_folder(out_dir: Path) -> None:
    """Fail early, before any extraction, when the output folder cannot be written."""
    parent = out_dir.resolve().parent
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    if not parent.exists():
        try:
            parent.mkdir(parents=True)
        except OSError as exc:
            raise OutputError(f"{parent}: cannot create the output's parent folder ({exc.strerror})") from exc
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{parent}: not writable, cannot write the build output there")


def write_jsonl(extractions: Iterable[Extraction], handle: TextIO) -> None:
    for x in extractions:
        handle.write(json.dumps(x.to_json(), ensure_ascii=False, sort_keys=True) + "\n")


def build(
    inputs: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    base: str = DEFAULT_BASE,
    use_model: bool = True,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
    store: bool = True,
    jobs: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: bool = True,
    batch_chars: int = BATCH_CHARS,
    extracted: Extracted | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` into ``out_dir`` (replaced as a whole at the end).

    Documents stream through in batches (:mod:`kg.build.stages`): extraction (skipped for documents in the
    cache), then, once every batch's labels are tallied, each batch's graphs, validation and share of the
    output files. ``jobs``/``engine``/``scheduler`` say where the batches run (:mod:`kg.build.engine`); the
    output is the same whichever is used.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    check_output_folder(out)
    report = BuildReport()

    def skip(error: InputError) -> None:
        report.skipped.append(str(error))
        if warn:
            warn(f"skipped: {error}")

    documents: Iterable[Document] = iter_documents(list(inputs), on_error=skip)
    if progress and extracted is None:
        documents = progress(documents)
    runner = make_engine(engine, jobs=jobs, scheduler=scheduler)
    dest = BuildFolder(out)
    tmp = BuildFolder(temporary_folder(out.resolve()))
    extraction_cache = ExtractionCache(dest.cached_extractions, use_model) if cache else None
    loader: StoreLoader | None = None
    try:
        batches_done = _extract_stage(documents, runner, tmp, report, extraction_cache,
                                      use_model=use_model, base=base, batch_chars=batch_chars,
                                      extracted=extracted)
        if not batches_done:
            raise KGError("nothing to build: no readable document in the input"
                          + (f" ({len(report.skipped)} skipped)" if report.skipped else ""))
        if store:
            # the store fills from each shard as it is written, in a thread while the later batches are
            # serialised; with one job (one core asked for) in this thread, shard after shard
            loader = StoreLoader(tmp.store, background=runner.workers > 1)
        _finish_stage(batches_done, runner, tmp, report, base=base, progress=progress, loader=loader)
        shutil.rmtree(tmp.work, ignore_errors=True)
        report.seconds = time.perf_counter() - started
        tmp.report.write_text(report.markdown(), encoding="utf-8")
        if loader is not None:
            loader.finish()
            loader = None
        if extraction_cache is not None and dest.cache.is_dir():
            os.replace(dest.cache, tmp.cache)  # the cache moves with the output
        try:
            replace_folder(tmp.root, out)
        except BaseException:
            if tmp.cache.is_dir() and not dest.cache.exists():
                os.replace(tmp.cache, dest.cache)
            raise
    except BaseException:
        if loader is not None:
            loader.abort()
        shutil.rmtree(tmp.root, ignore_errors=True)
        raise
    finally:
        runner.close()
    report.seconds = time.perf_counter() - started
    return report


def _extract_stage(
    documents: Iterable[Document],
    runner: Engine,
    tmp: BuildFolder,
    report: BuildReport,
    extraction_cache: ExtractionCache | None,
    *,
    use_model: bool,
    base: str,
    batch_chars: int,
    extracted: Extracted | None = None,
) -> int:
    """Stage 1 over every batch: extraction.jsonl, the cache, the label tallies; returns the batch count."""
    work = tmp.work
    work.mkdir()
    in_flight: dict[int, list[Document]] = {}

    def tasks() -> Iterator[ExtractTask]:
        for index, batch in enumerate(batches(documents, max_chars=batch_chars)):
            in_flight[index] = batch
            cached = tuple(extraction_cache.get(d) if extraction_cache else None for d in batch)
            yield ExtractTask(index, tuple(batch), cached, use_model, base)

    counts: LabelCounts = {}
    n = 0
    with open(tmp.extractions, "w", encoding="utf-8", newline="\n") as handle:
        for result in runner.map(extract_batch, tasks()):
            batch = in_flight.pop(result.index)
            for document, extraction, fresh in zip(batch, result.extractions, result.fresh, strict=True):
                report.documents += 1
                report.characters += len(document.text)
                report.extracted += fresh
                if fresh and extraction_cache is not None:
                    extraction_cache.put(document, extraction)
            write_jsonl(result.extractions, handle)
            if extracted:
                extracted(len(batch), sum(len(d.text) for d in batch))
            for key, tally in result.labels.items():
                counts.setdefault(key, Counter()).update(tally)
            with open(work / f"{result.index:05d}.pickle", "wb") as out:
                pickle.dump((tuple(batch), result.extractions), out, protocol=pickle.HIGHEST_PROTOCOL)
            n += 1
    (work / "choices.pickle").write_bytes(
        pickle.dumps(label_choices(counts), protocol=pickle.HIGHEST_PROTOCOL))
    return n


def _finish_stage(n_batches: int, runner: Engine, tmp: BuildFolder, report: BuildReport, *, base: str,
                  progress: Progress | None = None, loader: StoreLoader | None = None) -> None:
    """Stage 2 over every batch, then the dataset description: every output file, in batch order."""
    work = tmp.work
    choices = pickle.loads((work / "choices.pickle").read_bytes())
    tmp.shards.mkdir()

    def tasks() -> Iterator[FinishTask]:
        for index in range(n_batches):
            docs, extractions = pickle.loads((work / f"{index:05d}.pickle").read_bytes())
            yield FinishTask(index, docs, extractions, choices, base)

    view = ViewParts()
    stats = DatasetStats()
    validations: list[ValidationReport] = []
    parts: Iterable[Finished] = runner.map(finish_batch, tasks())
    if progress:
        parts = progress(parts, "graphs, validation, files", "batch", n_batches)
    with _OutputFiles(tmp, base, loader) as files:
        for part in parts:
            files.add(part, tmp.shard(part.index))
            view.merge(part.view)  # type: ignore[arg-type]
            stats.merge(part.stats)  # type: ignore[arg-type]
            validations.append(part.validation)  # type: ignore[arg-type]
            report.mentions.update(part.entities)
            report.relations.update(part.relations)
        description = batch_dataset([], base=base)
        dataset_description(stats, base=base, into=description.graph(meta_graph_iri(base=base)))
        part = serialize_part(description, n_batches, base=base)
        files.add(part, tmp.shard(n_batches, description=True))
        validations.append(part.validation)  # type: ignore[arg-type]
        view.merge(part.view)  # type: ignore[arg-type]
        report.triples = files.quads
    report.files = dict(GRAPH_FILES)
    result = combine(validations)
    report.conforms, report.violations, report.shacl_text = result.conforms, result.violations, result.text
    graph = view.graph()
    report.entities = Counter(data["cls"] for _, data in graph.nodes(data=True))
    view_stats = write_view(graph, tmp.view)
    report.view = {"nodes": view_stats.nodes, "edges": view_stats.edges, "linked": view_stats.linked}


class _OutputFiles:
    """graph.nq/.trig/.ttl/.jsonld and the shards, written part by part in order."""

    def __init__(self, folder: BuildFolder, base: str, loader: StoreLoader | None = None) -> None:
        self.folder = folder
        self.base = base
        self.loader = loader  # given each shard once it is written
        self.quads = 0
        self._first_item = True

    def __enter__(self) -> _OutputFiles:
        f = self.folder
        self.nq = open(f.graph_file("nq"), "wb")
        self.trig = open(f.graph_file("trig"), "wb")
        self.ttl = open(f.graph_file("ttl"), "wb")
        self.jsonld = open(f.graph_file("jsonld"), "w", encoding="utf-8", newline="\n")
        header = file_header(self.base)
        self.trig.write(header)
        self.ttl.write(header)
        self.jsonld.write(jsonld_header(self.base))
        return self

    def add(self, part: Finished, shard: Path) -> None:
        shard.write_bytes(part.nquads)
        if self.loader is not None:
            self.loader.add(shard)
        self.nq.write(part.nquads)
        self.quads += part.nquads.count(b"\n")
        self.trig.write(part.trig)
        self.ttl.write(part.turtle)
        for item in part.jsonld:
            self.jsonld.write(("\n" if self._first_item else ",\n") + item)
            self._first_item = False

    def __exit__(self, *exc: object) -> None:
        self.jsonld.write(JSONLD_FOOTER)
        for handle in (self.nq, self.trig, self.ttl, self.jsonld):
            handle.close()
