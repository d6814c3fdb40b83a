"""The command line: a thin click layer over the library (which never imports click).

Data goes to stdout, messages to stderr. Every ``KGError`` becomes a one-line message and exit status 1;
no traceback reaches the user for bad input. Each command lives in its own section below.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rdflib.namespace import XSD
from tqdm import tqdm

from kg import __version__
from kg.build.engine import default_jobs
from kg.build.run import build as run_build
from kg.build.run import write_jsonl
from kg.build.stages import BATCH_CHARS
from kg.core.errors import InputError, InputWarning, KGError, QueryError, printable
from kg.core.files import atomic_text_file
from kg.core.lexicon import load_lexicon
from kg.evaluate import evaluate as score
from kg.evaluate import load_extractions
from kg.nlp.extract import extract_all
from kg.nlp.lac import WINDOW_AFTER, WINDOW_BEFORE, lac_info
from kg.nlp.pipeline import (
    DEFAULT_PROFILE,
    PIPELINE_VERSION,
    PROFILES,
    components,
    pipeline_config,
    shared_nlp,
)
from kg.nlp.statistical import GATE_CONTEXT, GATE_CONTEXT_AFTER, model_info
from kg.rdf.dataset import DatasetInfo
from kg.rdf.namespaces import DEFAULT_BASE
from kg.rdf.terms import date_parts, is_http_iri
from kg.read.documents import MAX_CHARS, iter_documents
from kg.sparql.answers import run_saved
from kg.sparql.query import QueryTimeout, format_result, list_saved, load_saved, run_query
from kg.sparql.serve import Limits, start_server
from kg.sparql.site import publish
from kg.sparql.store import open_store, rebuild_store
from kg.view.model import read_entity_graph
from kg.view.page import write_view
from kg.view.selection import DEFAULT_MAX_NODES

F = TypeVar("F", bound=Callable[..., Any])


def translate_errors(func: F) -> F:
    """Turn the library's KGError (and a broken pipe or Ctrl-C) into a clean one-line exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            raise click.ClickException(printable(str(exc))) from exc
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Knowledge graphs from Chinese governance texts."""


# --- build / extract / evaluate / info (kg/build/, kg/nlp/extract.py, kg/evaluate.py) -----------------------

_INPUTS = click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
_MAX_CHARS = click.option("--max-chars", type=click.IntRange(min=1), default=MAX_CHARS, show_default=True,
                          help="Skip (with a warning) a document longer than this many characters.")


def _show_progress(quiet: bool) -> bool:
    """Progress bars only on a terminal: never with -q, nor when stdout or stderr is a pipe or a file."""
    return not quiet and sys.stderr.isatty() and sys.stdout.isatty()


def _profile_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--profile``, ``--fast`` and ``--no-model`` (the command folds them with :func:`_pick_profile`)."""
    command = click.option("--no-model", "no_model", is_flag=True, hidden=True,
                           help="Another name for --fast (before LAC it left the char-CNN out).")(command)
    command = click.option("--fast", is_flag=True,
                           help="The fast profile: rules and lexicons, no network (about twice as fast; "
                                "less recall of names).")(command)
    command = click.option("--profile", type=click.Choice(list(PROFILES)), default=None,
                           help="Pipeline profile: default (rules, lexicons, LAC), fast (rules and "
                                "lexicons), full (default + the char-CNN)  [default: default].")(command)
    return command


def _pick_profile(profile: str | None, fast: bool, no_model: bool) -> str:
    if (fast or no_model) and profile not in (None, "fast"):
        raise click.UsageError(f"--fast and --profile {profile} contradict each other")
    return "fast" if fast or no_model else profile or DEFAULT_PROFILE


def _progress(quiet: bool, total: int | None = None) -> Callable[[Any], Any]:
    def wrap(items: Any, desc: str = "documents", unit: str = "doc", size: int | None = None) -> Any:
        return tqdm(items, desc=desc, unit=unit, total=size if size is not None else total, file=sys.stderr,
                    disable=not _show_progress(quiet), leave=False)

    return wrap


def _http_iri(value: str | None, option: str) -> str | None:
    if value is not None and not is_http_iri(value):
        raise click.BadParameter(f"{value!r} is not an http(s) IRI", param_hint=option)
    return value


def _day(value: str | None, option: str) -> str | None:
    if value is not None and date_parts(value)[1] != str(XSD.date):
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option)
    return value
class ExtractionBar:
    """The extraction's bar: characters done of the input's total (so the rate and the ETA are the
    extraction's, in characters a second), with the documents done of their total beside it.

    The totals come from reading the inputs once before the build (about 1.7 s for the 4,001 stories,
    2.1 M characters, of the 2023 news corpus; the build takes 340 s): only done when the bar is shown.
    """

    def __init__(self, documents: int, characters: int, *, file: Any = None, disable: bool = False) -> None:
        self.documents, self.done = documents, 0
        self.bar = tqdm(total=characters, desc="extracting", unit="char", unit_scale=True,
                        file=file or sys.stderr, disable=disable, leave=False, smoothing=0.1,
                        dynamic_ncols=True,
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} characters"
                                   "{postfix} [{elapsed}<{remaining}, {rate_fmt}]")
        self.bar.set_postfix_str(self._documents(), refresh=True)

    def _documents(self) -> str:
        return f"{self.done:,}/{self.documents:,} documents"

    def __call__(self, documents: int, characters: int) -> None:
        self.done += documents
        self.bar.set_postfix_str(self._documents(), refresh=False)
        self.bar.update(characters)

    def close(self) -> None:
        self.bar.close()

    @classmethod
    def for_inputs(cls, inputs: list[str], quiet: bool, max_chars: int = MAX_CHARS) -> ExtractionBar | None:
        """A bar for the documents of ``inputs`` when bars are shown, else None (and no counting)."""
        if not _show_progress(quiet):
            return None
        documents = characters = 0
        try:
            for document in iter_documents(inputs, on_error=lambda _: None, max_chars=max_chars):
                documents += 1
                characters += len(document.text)
        except KGError:
            return None  # the build itself reports the bad input
        return cls(documents, characters)


def _warn(message: str) -> None:
    click.echo(f"kg: {message}", err=True)


def _input_problem(error: InputError) -> None:
    """A corpus problem: the document was skipped, or read with a repair (InputWarning)."""
    _warn(f"{'warning' if isinstance(error, InputWarning) else 'skipped'}: {error}")


@main.command()
@_INPUTS
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=str),
              help="Output folder (replaced as a whole when the build succeeds): a new or empty folder, or "
                   "an earlier build; never an input or the current folder.")
@click.option("--force", is_flag=True,
              help="Replace --out even when it is a folder that is not a kg build (no .kg-build file).")
@click.option("--base", default=None, help="Base IRI of the minted identifiers [default: https://example.org/kg].")
@_profile_options
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for extraction and output (Dask: workers of the local cluster) "
                   "[default: the number of cores].")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Run the batches on this machine, or as Dask tasks.")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Dask scheduler to use (tcp://host:8786) with --engine dask "
                   "[default: start a local cluster].")
@click.option("--no-cache", is_flag=True,
              help="Extract every document again, and leave the extraction cache (OUT/.kg-cache) alone.")
@click.option("--batch-chars", type=click.IntRange(min=1), default=None,
              help="Characters per batch (and per N-Quads shard)  [default: 100000].")
@_MAX_CHARS
@click.option("--license", "license_iri", metavar="IRI", default=None,
              help="The data's licence, written as dct:license of the dataset (e.g. "
                   "https://creativecommons.org/licenses/by/4.0/)  [default: none stated].")
@click.option("--creator", metavar="NAME_OR_IRI", default=None,
              help="dct:creator of the dataset: an http(s) IRI or a name  [default: kg VERSION].")
@click.option("--issued", metavar="YYYY-MM-DD", default=None,
              help="dct:issued (and version) of the dataset  [default: the newest document date].")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@translate_errors
def build(inputs: tuple[str, ...], out_dir: str, force: bool, base: str | None, profile: str | None,
          fast: bool, no_model: bool, jobs: int | None, engine: str, scheduler: str | None, no_cache: bool,
          batch_chars: int | None, max_chars: int, license_iri: str | None, creator: str | None,
          issued: str | None, quiet: bool) -> None:
    """Build the graph of INPUTS (folders, .txt/.md/.html files, .jsonl corpora) into --out.

    Writes graph.ttl, graph.trig, graph.nq, graph.jsonld, shards/*.nq, graph.html, extraction.jsonl,
    report.md, the ontology (ontology/governance.ttl, shapes.ttl) and the query store (store/). Documents
    already extracted by an earlier build into the same
    --out (same text, same pipeline) are taken from its cache (OUT/.kg-cache). The output is the same
    whatever --jobs and --engine are.
    """
    info = DatasetInfo(license=_http_iri(license_iri, "--license"), creator=creator,
                       issued=_day(issued, "--issued"))
    bar = ExtractionBar.for_inputs(list(inputs), quiet, max_chars)
    try:
        report = run_build(inputs, out_dir, base=base or DEFAULT_BASE,
                           profile=_pick_profile(profile, fast, no_model), progress=_progress(quiet),
                           warn=_warn, jobs=jobs or default_jobs(), engine=engine,
                           scheduler=scheduler, cache=not no_cache, batch_chars=batch_chars or BATCH_CHARS,
                           force=force, max_chars=max_chars, info=info, extracted=bar)
    finally:
        if bar is not None:
            bar.close()
    if not quiet:
        click.echo(report.summary(), err=True)
        click.echo(f"written to {out_dir}/", err=True)


@main.command()
@_INPUTS
@click.option("-o", "--output", "output", default="-", type=click.Path(path_type=str),
              help="Write the JSONL here instead of stdout.")
@_profile_options
@_MAX_CHARS
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@translate_errors
def extract(inputs: tuple[str, ...], output: str, profile: str | None, fast: bool, no_model: bool,
            max_chars: int, quiet: bool) -> None:
    """Extract entities and relations only, as docs/annotation.md JSON Lines (stdout by default)."""
    nlp = shared_nlp(_pick_profile(profile, fast, no_model))
    documents = _progress(quiet)(iter_documents(list(inputs), on_error=_input_problem, max_chars=max_chars))
    extractions = extract_all(documents, nlp)
    if output == "-":
        write_jsonl(extractions, sys.stdout)
        return

    with atomic_text_file(output) as handle:
        write_jsonl(extractions, handle)


@main.command()
@click.option("--gold", required=True, type=click.Path(path_type=str), help="Gold annotations (JSONL).")
@click.option("--pred", type=click.Path(path_type=str), help="Predictions (JSONL), e.g. from kg extract.")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--per-document", is_flag=True, help="Add a table per document.")
@_profile_options
@translate_errors
def evaluate(gold: str, pred: str | None, inputs: tuple[str, ...], as_json: bool, per_document: bool,
             profile: str | None, fast: bool, no_model: bool) -> None:
    """Score predictions (--pred, or extraction of INPUTS) against --gold, as docs/annotation.md defines."""

    if bool(pred) == bool(inputs):
        raise click.UsageError("give either --pred PRED.jsonl or the INPUT texts to extract, not both")
    gold_set = load_extractions(Path(gold))
    if pred:
        predicted = load_extractions(Path(pred))
    else:
        docs = iter_documents(list(inputs), on_error=_input_problem)
        nlp = shared_nlp(_pick_profile(profile, fast, no_model))
        predicted = {x.doc_id: x for x in extract_all(docs, nlp)}
    report = score(gold_set, predicted)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(report.format_table(per_document=per_document))


@main.command()
@translate_errors
def info() -> None:
    """The pipeline's components in order, per profile, lexicon sizes, and the models' versions."""
    click.echo(f"kg {__version__}, pipeline {PIPELINE_VERSION}")
    for name, options in PROFILES.items():
        names = pipeline_config(**options)["nlp"]["pipeline"]
        mark = " (default)" if name == DEFAULT_PROFILE else ""
        click.echo(f"components, profile {name}{mark}: " + " -> ".join(["tokenizer (jieba)", *names]))
    for name, requires, assigns in components(pipeline_config(**PROFILES["full"])):
        click.echo(f"  {name}: requires {', '.join(requires) or '-'}; assigns {', '.join(assigns) or '-'}")
    lac = lac_info()
    click.echo(f"LAC (kg_lac): Baidu LAC, {lac['package']} {lac['version']} (onnxruntime, batched), "
               f"{lac['path']}")
    click.echo(f"  gate: on (it reads {WINDOW_BEFORE} characters before and {WINDOW_AFTER} after the words "
               "where one of its names could be kept)")
    click.echo("lexicons:")
    for name, size in load_lexicon().sizes().items():
        click.echo(f"  {name}: {size}")
    meta = model_info()
    click.echo(f"char-CNN NER (kg_ner, profile full): {meta.get('name')} {meta.get('version')} "
               f"({meta.get('date')}), {meta['path']}")
    gate = pipeline_config(use_model=True)["components"]["kg_ner"].get("gate", False)
    on = (f"on (it tags only {GATE_CONTEXT} characters before and {GATE_CONTEXT_AFTER} after the words where "
          "kg_merge could keep one of its entities)")
    click.echo("  gate: " + (on if gate else "off (it tags every sentence)"))
    scores = meta.get("kg", {}).get("validation", {}).get("scores", {})
    for label, s in scores.items():
        click.echo(f"  validation {label}: P {s['p']:.1f}  R {s['r']:.1f}  F1 {s['f']:.1f}  "
                   f"(n={s['support']})")



# --- viz (kg/view/) -----------------------------------------------------------------------------------------

@main.command("viz")
@click.argument("graph", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write (one self-contained file that opens offline).")
@click.option("--focus", metavar="NAME",
              help="Draw only the neighbourhood of this entity (a name, alias or IRI).")
@click.option("--hops", type=click.IntRange(min=0), default=2, show_default=True,
              help="How far from --focus to go.")
@click.option("--classes", metavar="CLASS[,CLASS...]", multiple=True,
              help="Keep only these entity classes (ORG, PERSON, POST, POSITION, PLACE, MECHANISM, PROGRAM, "
                   "POLICY, GROUP, METRIC, EVENT); repeat or separate with commas.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=None,
              help="Draw at most this many entities, the most connected first  [default: 1500].")
@translate_errors
def viz_command(graph: Path, output: Path, focus: str | None, hops: int, classes: tuple[str, ...],
                max_nodes: int | None) -> None:
    """Write an offline HTML view of GRAPH (a build folder, or a .trig or .nq file)."""
    full = read_entity_graph(graph)
    stats = write_view(full, output, focus=focus, hops=hops, classes=list(classes) or None,
                       max_nodes=max_nodes or DEFAULT_MAX_NODES)
    click.echo(f"wrote {output}: {stats.summary()}", err=True)



# --- query / serve (kg/sparql/) -----------------------------------------------------------------------------


def _read_query(query: str | None, query_file: Path | None, saved: str | None) -> tuple[str, str]:
    """The query text and a name for it in messages, from exactly one of QUERY, -f FILE, --saved NAME."""
    given = [x for x in (query, query_file, saved) if x is not None]
    if len(given) != 1:
        raise click.UsageError("give exactly one of QUERY, -f FILE.rq or --saved NAME")
    if query_file is not None:
        try:
            return query_file.read_text(encoding="utf-8"), str(query_file)
        except (OSError, UnicodeDecodeError) as exc:
            raise click.BadParameter(f"{query_file}: {exc}", param_hint="-f") from exc
    if saved is not None:
        return load_saved(saved).text, saved
    assert query is not None
    return query, "query"


@main.command("query")
@click.argument("target", metavar="GRAPH_OR_STORE", required=False, type=click.Path(path_type=Path))
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read the SPARQL query from this file.")
@click.option("--saved", metavar="NAME", help="Run a saved research question (see --list).")
@click.option("--bind", "bindings", nargs=2, multiple=True, metavar="VAR VALUE",
              help="Bind ?VAR to VALUE (a name, a name@zh, <IRI>, prefix:term); repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="Output format (CONSTRUCT: Turtle, N-Triples or JSON-LD).")
@click.option("--timeout", type=float, default=30.0, show_default=True, metavar="SECONDS",
              help="Stop the query after this many seconds (0: no limit).")
@click.option("--list", "list_only", is_flag=True, help="List the saved research questions and exit.")
@translate_errors
def query_command(target: Path | None, query: str | None, query_file: Path | None, saved: str | None,
                  bindings: tuple[tuple[str, str], ...], fmt: str, timeout: float, list_only: bool) -> None:
    """Run a SPARQL query on a build folder, a store or an RDF file.

    GRAPH_OR_STORE is what `kg build --out` wrote (its store in <out>/store is created or refreshed when
    needed), an Oxigraph store folder, or an RDF file (.nq, .trig, .ttl, .jsonld...). Values given with
    --bind are bound as RDF terms, never pasted into the query.

    \b
    kg query output 'SELECT * WHERE { GRAPH ?g { ?s a gov:Mechanism } } LIMIT 5'
    kg query output --saved officials --format csv
    kg query output --saved shortest-chain --bind from 河南省委社会工作部 --bind to 中共海南省委社会工作部
    """
    if list_only:
        for q in list_saved():
            params = "".join(f" --bind {name} …" for name, _ in q.parameters)
            click.echo(f"{q.name}{params}\n    {q.title}")
        return
    if target is None:
        raise click.UsageError("missing GRAPH_OR_STORE (a build folder, a store or an RDF file)")
    text, source = _read_query(query, query_file, saved)

    def answer(store: Any) -> Any:
        if saved is not None:  # run_saved: some questions have a faster way (kg/sparql/chains.py)
            return run_saved(store, saved, dict(bindings), timeout=timeout)
        return run_query(store, text, dict(bindings), timeout=timeout, source=source)

    try:
        try:
            result = answer(open_store(target))
        except QueryError as exc:  # a store damaged past where opening looks: rebuilt once
            if "Corruption" not in str(exc):
                raise
            gc.collect()  # close the damaged store before it is replaced
            _warn(f"{target}: the store is damaged ({str(exc).splitlines()[0][:200]}); rebuilding it")
            rebuild_store(target)
            result = answer(open_store(target))
    except QueryTimeout as exc:
        _exit_at_once_if_stuck(exc)
        raise
    click.echo(format_result(result, fmt), nl=False)
    if result.kind == "select":
        n = len(result.rows)
        click.echo(f"{n} row{'s' if n != 1 else ''} in {result.seconds:.3f} s", err=True)


def _exit_at_once_if_stuck(exc: QueryTimeout) -> None:
    """A query past its timeout that is still working towards its first row (a sort, an aggregate) cannot be
    cancelled (kg.sparql.query), and a normal exit waits for it while it keeps growing: a real ``kg query``
    process prints the message and leaves at once. (Not under a test runner, whose streams are replaced.)"""
    stuck = any(t.name == "kg-query" and t.is_alive() for t in threading.enumerate())
    if stuck and sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__:
        click.echo(f"Error: {exc}", err=True)
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        os._exit(1)


@main.command("serve")
@click.argument("target", metavar="GRAPH_OR_STORE", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0), default=30.0, show_default=True, metavar="SECONDS",
              help="Stop a query after this many seconds (answer: HTTP 503); 0: no limit.")
@click.option("--memory", "memory_mb", type=click.IntRange(min=64), default=1024, show_default=True,
              metavar="MB", help="Stop a query whose process grows by more than this (answer: HTTP 503).")
@click.option("--max-result", "max_result_mb", type=click.IntRange(min=1), default=64, show_default=True,
              metavar="MB", help="Refuse an answer larger than this (HTTP 503), never cut it short.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries run at once, each in its own process.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also accept this name in the Host header (localhost and IP addresses always are).")
@click.option("--allow-service", is_flag=True,
              help="Let queries use SERVICE (federated query): the server then sends requests where "
                   "they say.")
@translate_errors
def serve_command(target: Path, host: str, port: int, timeout: float, memory_mb: int, max_result_mb: int,
                  workers: int, allow_hosts: tuple[str, ...], allow_service: bool) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol, read-only, until Ctrl-C.

    Serves the store of GRAPH_OR_STORE (a build folder, a store or an RDF file) at /query, with a query page
    at /, the data IRIs at /id/… (content negotiation) and the description at /dataset. Updates and SERVICE
    are refused; every query is bounded in time, memory and answer size.
    """
    def stop_on_sigterm(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_sigterm)  # `kill` stops the server too, not only Ctrl-C
    limits = Limits(timeout=timeout, memory=memory_mb * 2**20, max_result=max_result_mb * 2**20,
                    workers=workers, allow_service=allow_service, allow_hosts=allow_hosts)
    server = start_server(target, host=host, port=port, limits=limits)
    try:  # from here on, Ctrl-C (even while the URLs are printed) is the normal way to stop
        click.echo(f"SPARQL endpoint: {server.endpoint}")
        click.echo(f"Query page:      {server.url}")
        click.echo(f"Data IRIs:       {server.url}id/… (Turtle, JSON-LD or HTML by the Accept header)")
        click.echo("Read-only. Press Ctrl-C to stop.", err=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    click.echo("kg: server stopped", err=True)


# --- publish (kg/sparql/site.py) ---------------------------------------------------------------------------


@main.command("publish")
@click.argument("out_dir", metavar="OUT", type=click.Path(path_type=Path))
@click.option("--site", "site_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the site into (replaced as a whole).")
@click.option("--base", default=None, metavar="URL",
              help="The address the site will be published at, when it is not the build's --base: the data "
                   "IRIs are rewritten to URL/id/…  [default: the build's base].")
@click.option("--endpoint", default=None, metavar="URL",
              help="A SPARQL endpoint serving the same data, stated as void:sparqlEndpoint.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@translate_errors
def publish_command(out_dir: Path, site_dir: Path, base: str | None, endpoint: str | None,
                    quiet: bool) -> None:
    """Write the build in OUT as a static linked-data site into --site.

    index.html (dataset description, classes with counts, a search), one HTML page plus .ttl and .jsonld per
    entity under id/, the dumps, the graph view, the ontology, and content-negotiation snippets for Apache
    (.htaccess), nginx and Caddy (conneg/). Every link is relative: the folder works from any host or from
    disk.
    """
    report = publish(out_dir, site_dir, base=base, endpoint=endpoint, progress=_progress(quiet))
    if not quiet:
        click.echo(report.summary(), err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
