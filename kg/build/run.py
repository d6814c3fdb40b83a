"""``kg build``: read → extract → graph → export, into a folder that is replaced only when all went well.

Everything is written into a temporary sibling of the output folder, which then takes the output folder's
place; a failure at any stage leaves an earlier build untouched.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox

from kg import __version__
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
from kg.core.errors import ConfigError, InputError, InputWarning, KGError, OutputError, printable
from kg.core.files import BUILD_MARKER, recover_folder, replace_folder, temporary_folder
from kg.core.folder import GRAPH_FILES, BuildFolder
from kg.core.records import RELATION_LABELS, Document, Extraction
from kg.export.formats import JSONLD_FOOTER, jsonld_header, write_ontology
from kg.rdf.dataset import (
    DatasetInfo,
    DatasetStats,
    LabelCounts,
    batch_dataset,
    dataset_description,
    label_choices,
)
from kg.rdf.namespaces import DEFAULT_BASE
from kg.rdf.terms import meta_graph_iri
from kg.rdf.validate import ValidationReport, combine
from kg.read.documents import MAX_CHARS, iter_documents
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
    warnings: list[str] = field(default_factory=list)  # input problems repaired, the document kept
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
        if self.warnings:
            lines.append(f"- inputs read with a warning: {len(self.warnings)}")
            lines += [f"  - {s}" for s in self.warnings]
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


_MARKER_TEXT = '{"made_by": "kg build", "format": 1}\n'
#: What a build folder holds; a folder of these alone is taken for a build of kg 0.2.14 (before the marker).
_NAMES = BuildFolder(Path())
_BUILD_ENTRIES = frozenset({*GRAPH_FILES.values(), *(p.name for p in (
    _NAMES.extractions, _NAMES.report, _NAMES.view, _NAMES.store, _NAMES.shards, _NAMES.cache,
    _NAMES.ontology, _NAMES.marker))})


def is_build_folder(folder: Path) -> bool:
    """True if ``folder`` is what ``kg build`` writes: it holds the marker, or only a build's files."""
    if (folder / BUILD_MARKER).is_file():
        return True
    try:
        names = {p.name for p in folder.iterdir()}
    except OSError:
        return False
    return bool(names) and names <= _BUILD_ENTRIES and bool(names & {"graph.nq", "graph.trig", "report.md"})


def check_output_folder(out_dir: Path, inputs: Iterable[str | os.PathLike[str]] = (), *,
                        force: bool = False) -> None:
    """Fail early, before any extraction, when the output folder cannot or must not be replaced.

    Refused whatever ``force`` says: an output folder that is an input or holds one (the build would
    delete it), or that is the current folder or holds it. Refused unless ``force``: an existing folder
    that is not empty and not a kg build (see :data:`BUILD_MARKER`).
    """
    out = Path(out_dir)
    resolved = out.resolve()
    if not resolved.name or resolved.parent == resolved:
        raise OutputError(f"{out_dir}: cannot be the output folder (it is the root of the file system)")
    if printable(str(resolved)) != str(resolved):
        raise OutputError(f"{printable(str(out_dir))}: the output folder's path must be UTF-8 (the query "
                          "store cannot live under another)")
    for given in inputs:
        source = Path(given).resolve()
        if source == resolved or resolved in source.parents:
            what = "is an input" if source == resolved else f"holds the input {given}"
            raise OutputError(f"{out_dir}: {what}, and a build replaces its output folder; "
                              "choose another --out")
    cwd = Path.cwd().resolve()
    if cwd == resolved or resolved in cwd.parents:
        what = "is the current folder" if cwd == resolved else "holds the current folder"
        raise OutputError(f"{out_dir}: {what}, and a build replaces its output folder; "
                          "choose another --out (a new folder, or an earlier build)")
    parent = resolved.parent
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder")
    if not parent.exists():
        try:
            parent.mkdir(parents=True)
        except OSError as exc:
            raise OutputError(f"{parent}: cannot create the output's parent folder ({exc.strerror})") from exc
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{parent}: not writable, cannot write the build output there")
    if out.is_dir() and not force and any(out.iterdir()) and not is_build_folder(out):
        raise OutputError(f"{out_dir}: exists and is not a kg build (no {BUILD_MARKER} file), and a build "
                          "replaces its output folder; choose another --out, or add --force to replace it")


def check_base(base: str) -> None:
    """Refuse a ``--base`` that is not an absolute IRI to mint identifiers under (no query, no fragment)."""
    problem = None
    if not isinstance(base, str) or not _SCHEME.match(base):
        problem = "it does not start with a scheme (https://...)"
    elif "#" in base or "?" in base:
        problem = "identifiers are minted as <base>/id/..., so it must have no ? or #"
    else:
        try:
            ox.NamedNode(base.rstrip("/") + "/id/x")
        except ValueError as exc:
            problem = str(exc)
    if problem:
        raise ConfigError(f"--base {base!r} is not a valid IRI: {problem}")


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def write_jsonl(extractions: Iterable[Extraction], handle: TextIO) -> None:
    for x in extractions:
        handle.write(json.dumps(x.to_json(), ensure_ascii=False, sort_keys=True) + "\n")


def build(
    inputs: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    base: str = DEFAULT_BASE,
    profile: str = "default",
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
    store: bool = True,
    jobs: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: bool = True,
    batch_chars: int = BATCH_CHARS,
    force: bool = False,
    max_chars: int = MAX_CHARS,
    info: DatasetInfo | None = None,
    extracted: Extracted | None = None,
) -> BuildReport:
    """Build the graph of ``inputs`` into ``out_dir`` (replaced as a whole at the end).

    Documents stream through in batches (:mod:`kg.build.stages`): extraction (skipped for documents in the
    cache), then, once every batch's labels are tallied, each batch's graphs, validation and share of the
    output files. ``jobs``/``engine``/``scheduler`` say where the batches run (:mod:`kg.build.engine`); the
    output is the same whichever is used. ``info`` (licence, creator, issued date, version) goes into the
    dataset description; the creator defaults to "kg <version>", the software that made the graph.

    ``out_dir`` must be a new or empty folder or an earlier build, unless ``force``; never an input (see
    :func:`check_output_folder`). Leftovers of a build killed while replacing ``out_dir`` are cleaned up
    first (:func:`kg.core.files.recover_folder`). ``cache=False`` neither reads nor writes the extraction
    cache, and keeps it as it is. Documents over ``max_chars`` characters are skipped with a warning.
    """
    started = time.perf_counter()
    inputs = list(inputs)
    out = Path(out_dir)
    check_base(base)
    for message in recover_folder(out.resolve()):
        if warn:
            warn(message)
    check_output_folder(out, inputs, force=force)
    report = BuildReport()

    def skip(error: InputError) -> None:
        repaired = isinstance(error, InputWarning)
        (report.warnings if repaired else report.skipped).append(str(error))
        if warn:
            warn(f"{'warning' if repaired else 'skipped'}: {error}")

    documents: Iterable[Document] = iter_documents(inputs, on_error=skip, max_chars=max_chars)
    if progress and extracted is None:
        documents = progress(documents)
    runner = make_engine(engine, jobs=jobs, scheduler=scheduler)
    dest = BuildFolder(out)
    tmp = BuildFolder(temporary_folder(out.resolve()))
    extraction_cache = ExtractionCache(dest.cached_extractions, profile) if cache else None
    loader: StoreLoader | None = None
    try:
        batches_done = _extract_stage(documents, runner, tmp, report, extraction_cache,
                                      profile=profile, base=base, batch_chars=batch_chars,
                                      extracted=extracted)
        if not batches_done:
            raise KGError("nothing to build: no readable document in the input"
                          + (f" ({len(report.skipped)} skipped)" if report.skipped else ""))
        if store:
            # the store fills from each shard as it is written, in a thread while the later batches are
            # serialised; with one job (one core asked for) in this thread, shard after shard
            loader = StoreLoader(tmp.store, background=runner.workers > 1)
        info = info or DatasetInfo()
        if not info.creator:
            info = dataclasses.replace(info, creator=f"kg {__version__}")
        _finish_stage(batches_done, runner, tmp, report, base=base, progress=progress, loader=loader,
                      info=info)
        shutil.rmtree(tmp.work, ignore_errors=True)
        report.seconds = time.perf_counter() - started
        tmp.report.write_text(report.markdown(), encoding="utf-8")
        tmp.marker.write_text(_MARKER_TEXT, encoding="utf-8")
        for path in write_ontology(tmp.root):  # the ontology beside the data; the store: own graphs
            if loader is not None:
                loader.add(path)
        if loader is not None:
            loader.finish()
            loader = None
        if dest.cache.is_dir():  # the cache moves with the output (with --no-cache too, untouched)
            os.replace(dest.cache, tmp.cache)
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
    profile: str,
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
            yield ExtractTask(index, tuple(batch), cached, profile, base)

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
                  progress: Progress | None = None, loader: StoreLoader | None = None,
                  info: DatasetInfo | None = None) -> None:
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
            view.merge(part.view)
            stats.merge(part.stats)
            if part.validation is not None:
                validations.append(part.validation)
            report.mentions.update(part.entities)
            report.relations.update(part.relations)
        description = batch_dataset([], base=base)
        dataset_description(stats, base=base, into=description.graph(meta_graph_iri(base=base)), info=info)
        part = serialize_part(description, n_batches, base=base)
        files.add(part, tmp.shard(n_batches, description=True))
        if part.validation is not None:
            validations.append(part.validation)
        view.merge(part.view)
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
