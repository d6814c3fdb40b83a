"""``kg build``: read → extract → graph → export, into a folder that is replaced only when all went well.

Everything is written into a temporary sibling of the output folder, which then takes the output folder's
place; a failure at any stage leaves an earlier build untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kg.errors import InputError, KGError, OutputError
from kg.files import replace_folder
from kg.model import ENTITY_LABELS, RELATION_LABELS, Document, Extraction
from kg.namespaces import DEFAULT_BASE

Progress = Callable[[Iterable[Document]], Iterator[Document]]


@dataclass
class BuildReport:
    documents: int = 0
    characters: int = 0
    entities: Counter[str] = field(default_factory=Counter)
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
        lines = ["# kg build report", "", f"- documents: {self.documents}", f"- characters: {self.characters}",
                 f"- triples (all named graphs): {self.triples}"]
        if self.skipped:
            lines.append(f"- inputs skipped: {len(self.skipped)}")
            lines += [f"  - {s}" for s in self.skipped]
        shacl = "conforms" if self.conforms else f"{self.violations} violation(s)"
        lines += [f"- SHACL (ontology/shapes.ttl): {shacl}", "", "| entity label | entities |", "|---|---|"]
        lines += [f"| {label} | {self.entities.get(label, 0)} |" for label in ENTITY_LABELS]
        lines += ["", "| relation label | relations |", "|---|---|"]
        lines += [f"| {label} | {self.relations.get(label, 0)} |" for label in RELATION_LABELS]
        if self.view:
            lines += ["", f"- graph.html: {self.view.get('nodes')} nodes, {self.view.get('edges')} edges shown"]
        if self.shacl_text and not self.conforms:
            lines += ["", "## SHACL", "", "```", self.shacl_text.strip(), "```"]
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        ents = ", ".join(f"{k} {v}" for k, v in sorted(self.entities.items()))
        rels = ", ".join(f"{k} {v}" for k, v in sorted(self.relations.items()))
        shacl = "conforms" if self.conforms else f"{self.violations} violation(s)"
        return (f"{self.documents} documents, {self.characters} characters in {self.seconds:.1f} s\n"
                f"entities: {sum(self.entities.values())} ({ents})\n"
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
) -> BuildReport:
    """Build the graph of ``inputs`` into ``out_dir`` (replaced as a whole at the end)."""
    from kg.export import write_outputs
    from kg.extract import extract
    from kg.graph import build_dataset
    from kg.nlp.pipeline import shared_nlp
    from kg.read import iter_documents
    from kg.validate import validate
    from kg.viz import write_view

    started = time.perf_counter()
    out = Path(out_dir)
    check_output_folder(out)
    report = BuildReport()

    def skip(error: InputError) -> None:
        report.skipped.append(str(error))
        if warn:
            warn(f"skipped: {error}")

    documents: Iterable[Document] = iter_documents(list(inputs), on_error=skip)
    if progress:
        documents = progress(documents)
    nlp = shared_nlp(use_model)
    pairs: list[tuple[Document, Extraction]] = []
    for document in documents:
        extraction = extract(document, nlp)
        pairs.append((document, extraction))
        report.documents += 1
        report.characters += len(document.text)
        report.entities.update(e.label for e in extraction.entities)
        report.relations.update(r.label for r in extraction.relations)
    if not pairs:
        raise KGError("nothing to build: no readable document in the input"
                      + (f" ({len(report.skipped)} skipped)" if report.skipped else ""))

    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.resolve().parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output is an ordinary folder
    try:
        with open(tmp / "extraction.jsonl", "w", encoding="utf-8", newline="\n") as handle:
            write_jsonl((x for _, x in pairs), handle)
        dataset = build_dataset(pairs, base=base)
        report.triples = len(dataset)
        files = write_outputs(dataset, tmp, base=base)
        report.files = {k: Path(v).name for k, v in files.items()}
        result = validate(dataset)
        report.conforms, report.violations, report.shacl_text = result.conforms, result.violations, result.text
        stats = write_view(dataset, tmp / "graph.html")
        report.view = {"nodes": stats.nodes, "edges": stats.edges}
        report.seconds = time.perf_counter() - started
        (tmp / "report.md").write_text(report.markdown(), encoding="utf-8")
        if store:
            from kg.store import create_store

            create_store(tmp, tmp / "store")
        replace_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report.seconds = time.perf_counter() - started
    return report
