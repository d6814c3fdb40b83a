"""The build's progress: a bar that knows its totals (documents and characters), shows the extraction's rate
and time left, and stays quiet when the output is not a terminal."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Dataset, URIRef
from rdflib.namespace import VOID
from viz_fixtures import page_data

from kg import cli
from kg.build.run import build
from kg.cli import ExtractionBar, main
from kg.rdf.terms import FACTS_GRAPH_RE

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def test_bar_shows_totals_rate_and_time_left() -> None:
    out = io.StringIO()
    bar = ExtractionBar(4, 4000, file=out)
    bar(1, 1000)
    bar(1, 1000)
    bar.bar.refresh()
    text = out.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    bar.close()
    assert "2.00k/4.00k characters, 2/4 documents" in text
    assert " 50%" in text
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d, [\d.]+[kMG]?char/s\]", text), text  # elapsed < left, rate


def test_build_reports_each_batch_extracted_and_counts_entities_once(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    out = tmp_path / "out"
    report = build([SEEDS], out, extracted=lambda d, c: seen.append((d, c)), store=False, batch_chars=1)
    assert len(seen) == 2  # one call a batch, one document a batch here
    assert sum(d for d, _ in seen) == report.documents == 2
    assert sum(c for _, c in seen) == report.characters

    # one entity count: the summary, report.md, VoID and the view count the merged graph's entities
    merged = sum(report.entities.values())
    dataset = Dataset()
    dataset.parse(out / "graph.trig", format="trig")
    void = {int(o) for _, _, o, _ in dataset.quads((None, VOID.entities, None, None))}
    typed = {s for s, p, o, g in dataset.quads((None, RDF.type, None, None))
             if g is not None and FACTS_GRAPH_RE.match(str(g)) and isinstance(s, URIRef)}
    view = page_data((out / "graph.html").read_text(encoding="utf-8"))["view"]
    assert void == {merged} and len(typed) == merged and view["nodes_total"] == merged
    per_document = sum(report.mentions.values())
    assert per_document > merged  # the two interviews name some bodies both
    assert f"entities: {merged} distinct in the merged graph" in report.summary()
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert f"- entities: {merged} distinct in the merged graph" in markdown
    drawn_first = sum(1 for n in page_data((out / "graph.html").read_text(encoding="utf-8"))["nodes"]
                      if "ent" in n and not n["ent"]["iso"])
    assert f"- graph.html: {merged} entities and " in markdown
    assert f"the {drawn_first} entities with a relation are drawn at first" in markdown


def test_for_inputs_counts_the_documents_and_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_show_progress", lambda quiet: not quiet)
    bar = ExtractionBar.for_inputs([str(SEEDS)], quiet=False)
    assert bar is not None
    chars = sum(len(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt"))
    assert (bar.documents, bar.bar.total) == (2, pytest.approx(chars, rel=0.02))
    bar.close()
    assert ExtractionBar.for_inputs([str(SEEDS)], quiet=True) is None


def test_no_bar_when_not_a_terminal(tmp_path: Path) -> None:
    # CliRunner's streams are not terminals, as when the output is piped or redirected
    assert cli._show_progress(False) is False
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "o"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "extracting" not in result.output and "char/s" not in result.output
    assert "2 documents" in result.output  # the summary is still written
