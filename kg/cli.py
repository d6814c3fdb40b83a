"""The command line: a thin click layer over the library (which never imports click).

Data goes to stdout, messages to stderr. Every ``KGError`` becomes a one-line message and exit status 1;
no traceback reaches the user for bad input. Each command lives in its own section below.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from kg import __version__
from kg.errors import KGError

F = TypeVar("F", bound=Callable[..., Any])


def translate_errors(func: F) -> F:
    """Turn the library's KGError (and a broken pipe or Ctrl-C) into a clean one-line exit."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KGError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Knowledge graphs from Chinese governance texts."""


# --- build / extract / evaluate / info (kg/build.py, kg/extract.py, kg/evaluate.py) ---------------------------

_INPUTS = click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
_NO_MODEL = click.option("--no-model", is_flag=True, help="Leave the trained NER out: rules and lexicons only.")


def _progress(quiet: bool, total: int | None = None) -> Callable[[Any], Any]:
    from tqdm import tqdm

    def wrap(items: Any) -> Any:
        return tqdm(items, desc="documents", unit="doc", total=total, file=sys.stderr,
                    disable=quiet or not sys.stderr.isatty(), leave=False)

    return wrap


def _warn(message: str) -> None:
    click.echo(f"kg: {message}", err=True)


@main.command()
@_INPUTS
@click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=str),
              help="Output folder (replaced as a whole when the build succeeds).")
@click.option("--base", default=None, help="Base IRI of the minted identifiers [default: https://example.org/kg].")
@_NO_MODEL
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@translate_errors
def build(inputs: tuple[str, ...], out_dir: str, base: str | None, no_model: bool, quiet: bool) -> None:
    """Build the graph of INPUTS (folders, .txt/.md/.html files, .jsonl corpora) into --out.

    Writes graph.ttl, graph.trig, graph.nq, graph.jsonld, graph.html, extraction.jsonl, report.md and the
    query store (store/).
    """
    from kg.build import build as run_build
    from kg.namespaces import DEFAULT_BASE

    report = run_build(inputs, out_dir, base=base or DEFAULT_BASE, use_model=not no_model,
                       progress=_progress(quiet), warn=_warn)
    if not quiet:
        click.echo(report.summary(), err=True)
        click.echo(f"written to {out_dir}/", err=True)


@main.command()
@_INPUTS
@click.option("-o", "--output", "output", default="-", type=click.Path(path_type=str),
              help="Write the JSONL here instead of stdout.")
@_NO_MODEL
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@translate_errors
def extract(inputs: tuple[str, ...], output: str, no_model: bool, quiet: bool) -> None:
    """Extract entities and relations only, as ANNOTATION.md JSON Lines (stdout by default)."""
    from kg.build import write_jsonl
    from kg.extract import extract_all
    from kg.nlp.pipeline import shared_nlp
    from kg.read import iter_documents

    documents = _progress(quiet)(iter_documents(list(inputs), on_error=lambda e: _warn(f"skipped: {e}")))
    extractions = extract_all(documents, shared_nlp(not no_model))
    if output == "-":
        write_jsonl(extractions, sys.stdout)
        return
    from kg.files import atomic_text_file

    with atomic_text_file(output) as handle:
        write_jsonl(extractions, handle)


@main.command()
@click.option("--gold", required=True, type=click.Path(path_type=str), help="Gold annotations (JSONL).")
@click.option("--pred", type=click.Path(path_type=str), help="Predictions (JSONL), e.g. from kg extract.")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--per-document", is_flag=True, help="Add a table per document.")
@_NO_MODEL
@translate_errors
def evaluate(gold: str, pred: str | None, inputs: tuple[str, ...], as_json: bool, per_document: bool,
             no_model: bool) -> None:
    """Score predictions (--pred, or extraction of INPUTS) against --gold, as ANNOTATION.md defines."""
    import json
    from pathlib import Path

    from kg.evaluate import evaluate as score
    from kg.evaluate import load_extractions

    if bool(pred) == bool(inputs):
        raise click.UsageError("give either --pred PRED.jsonl or the INPUT texts to extract, not both")
    gold_set = load_extractions(Path(gold))
    if pred:
        predicted = load_extractions(Path(pred))
    else:
        from kg.extract import extract_all
        from kg.nlp.pipeline import shared_nlp
        from kg.read import iter_documents

        docs = iter_documents(list(inputs), on_error=lambda e: _warn(f"skipped: {e}"))
        predicted = {x.doc_id: x for x in extract_all(docs, shared_nlp(not no_model))}
    report = score(gold_set, predicted)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(report.format_table(per_document=per_document))


@main.command()
@translate_errors
def info() -> None:
    """The pipeline's components in order, lexicon sizes, and the trained model's version and scores."""
    from kg.lexicon import load_lexicon
    from kg.nlp.pipeline import PIPELINE_VERSION, pipeline_config
    from kg.nlp.statistical import model_info

    click.echo(f"kg {__version__}, pipeline {PIPELINE_VERSION}")
    click.echo("components: " + " -> ".join(["tokenizer (jieba)", *pipeline_config()["nlp"]["pipeline"]]))
    click.echo("lexicons:")
    for name, size in load_lexicon().sizes().items():
        click.echo(f"  {name}: {size}")
    meta = model_info()
    click.echo(f"trained NER: {meta.get('name')} {meta.get('version')} ({meta.get('date')}), {meta['path']}")
    scores = meta.get("kg", {}).get("validation", {}).get("scores", {})
    for label, s in scores.items():
        click.echo(f"  validation {label}: P {s['p']:.1f}  R {s['r']:.1f}  F1 {s['f']:.1f}  (n={s['support']})")



# --- viz (kg/viz.py) ------------------------------------------------------------------------------------------


# --- query / serve (kg/store.py, kg/query.py, kg/serve.py) ----------------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    main()
