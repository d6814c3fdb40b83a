"""Streaming, parallel and incremental builds (issue 6): the output never depends on how it was made."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.namespace import SKOS

from kg.build.cache import document_key, pipeline_fingerprint
from kg.build.engine import make_engine
from kg.build.run import build
from kg.build.stages import batches
from kg.cli import main
from kg.core.errors import ConfigError
from kg.core.folder import BuildFolder
from kg.core.records import Document
from kg.sparql.store import STAMP, open_store

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "data" / "government-reports-head.jsonl"
BATCH = 3_000  # characters: small, so that the little corpus below makes several shards


def _corpus(path: Path, *, change: str | None = None, extra: bool = False) -> Path:
    """The seeds and the openings of three work reports as one JSONL corpus (5 documents, ~11k chars)."""
    rows = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        rows.append({"id": seed.stem, "text": seed.read_text(encoding="utf-8")})
    for line in REPORTS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        row["text"] = row["text"][:2000]
        rows.append(row)
    if change:
        rows[-1]["text"] += change
    if extra:
        rows.append({"id": "extra", "text": "国务院办公厅印发《关于加强基层治理的意见》，建立联席会议制度。"})
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _files(folder: Path) -> dict[str, bytes]:
    """Every output file (the store and the cache aside), by path relative to the folder."""
    skip = {BuildFolder(folder).store.name, BuildFolder(folder).cache.name}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not skip & set(p.relative_to(folder).parts)}


def _build(corpus: Path, out: Path, **options: object):  # type: ignore[no-untyped-def]
    options = {"profile": "fast", "batch_chars": BATCH, "jobs": 1, **options}
    return build([corpus], out, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl")


@pytest.fixture(scope="module")
def single(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("single") / "out"
    report = _build(corpus, out, cache=False)
    assert report.documents == 5 and report.extracted == 5
    return out


def test_batches_cut_the_stream_in_order() -> None:
    docs = [Document(f"d{i}", "字" * n) for i, n in enumerate([5, 5, 1, 20, 3, 3, 3])]
    cut = list(batches(docs, max_chars=10, max_documents=2))
    assert [[d.id for d in b] for b in cut] == [["d0", "d1"], ["d2", "d3"], ["d4", "d5"], ["d6"]]
    assert [d for b in cut for d in b] == docs


@pytest.mark.slow
def test_several_shards_and_files_that_parse_to_the_same_quads(single: Path) -> None:
    shards = BuildFolder(single).shard_files()
    assert len(shards) >= 4 and shards[-1].name.endswith("-description.nq")
    nq = (single / "graph.nq").read_bytes()
    assert nq == b"".join(s.read_bytes() for s in shards)
    quads = set(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
    for name, fmt in (("graph.trig", ox.RdfFormat.TRIG), ("graph.jsonld", ox.RdfFormat.JSON_LD)):
        assert set(ox.parse(path=str(single / name), format=fmt)) == quads, name
    ttl = {ox.Triple(q.subject, q.predicate, q.object)
           for q in ox.parse(path=str(single / "graph.ttl"), format=ox.RdfFormat.TURTLE)}
    facts = {ox.Triple(q.subject, q.predicate, q.object) for q in quads
             if not q.graph_name.value.endswith(("/evidence", "/graph/meta"))}
    assert ttl == facts
    # rdflib reads them too, and the union has one prefLabel@zh per entity although shards repeat entities.
    union = Graph().parse(single / "graph.ttl")
    subjects = set(union.subjects())
    for s in subjects:
        labels = [o for o in union.objects(s, SKOS.prefLabel) if getattr(o, "language", None) == "zh"]
        assert len(labels) <= 1, (s, labels)
    # and graph.trig holds, for rdflib as for Oxigraph, every quad of graph.nq in its named graph
    trig = Dataset().parse(single / "graph.trig", format="trig")
    read = {(s.n3(), p.n3(), o.n3(), g.n3()) for s, p, o, g in trig.quads((None, None, None, None))}
    assert len(read) == len(quads) > 0
    assert read == {(str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in quads}


@pytest.mark.slow
def test_the_build_folder_holds_what_build_folder_names(single: Path) -> None:
    folder = BuildFolder(single)
    named = [*folder.graph_files.values(), folder.view, folder.extractions, folder.report, folder.shards,
             folder.store, folder.ontology, folder.marker]
    assert sorted(p.name for p in single.iterdir()) == sorted(p.name for p in named)  # no cache: cache=False
    shards = folder.shard_files()
    assert shards[0] == folder.shard(0) and shards[-1] == folder.shard(len(shards) - 1, description=True)


@pytest.mark.slow
def test_jobs_and_dask_give_the_same_output(corpus: Path, single: Path, tmp_path: Path) -> None:
    expected = _files(single)
    _build(corpus, tmp_path / "two", jobs=2, cache=False)
    assert _files(tmp_path / "two") == expected
    pytest.importorskip("dask.distributed")
    _build(corpus, tmp_path / "dask", engine="dask", jobs=2, cache=False)
    assert _files(tmp_path / "dask") == expected


@pytest.mark.slow
def test_rebuild_extracts_only_changed_documents_and_equals_a_clean_build(corpus: Path,
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _build(corpus, out)
    assert first.extracted == 5 and BuildFolder(out).cache.is_dir()
    again = _build(corpus, out)
    assert again.extracted == 0 and again.documents == 5

    changed = _corpus(tmp_path / "changed.jsonl", change="国家发展改革委会同财政部建立专项督导机制。",
                      extra=True)
    report = _build(changed, out)
    assert report.extracted == 2 and report.documents == 6  # the edited report and the new document
    clean = tmp_path / "clean"
    _build(changed, clean, cache=False)
    assert not BuildFolder(clean).cache.exists()
    assert _files(out) == _files(clean)


@pytest.mark.slow
def test_unreadable_cache_entry_is_extracted_again(corpus: Path, single: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(corpus, out)
    entries = sorted(BuildFolder(out).cache.rglob("*.pickle"))
    assert len(entries) == 5
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(pickle.dumps({"something": "else"}))
    report = _build(corpus, out)
    assert report.extracted == 2
    assert _files(out) == _files(single)


def test_cache_key_follows_text_and_pipeline() -> None:
    doc = Document("a", "国务院印发通知。")
    with_model, without = pipeline_fingerprint("default"), pipeline_fingerprint("fast")
    assert len({with_model, without, pipeline_fingerprint("full")}) == 3
    assert document_key(doc, without) != document_key(doc, with_model)
    assert document_key(doc, without) != document_key(Document("a", "国务院印发通知！"), without)
    assert document_key(doc, without) == document_key(Document("a", "国务院印发通知。", path="x"), without)


@pytest.mark.slow
def test_failed_build_keeps_output_and_cache(corpus: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    _build(corpus, out)
    before = _files(out)
    cached = sorted(p.name for p in BuildFolder(out).cache.rglob("*.pickle"))

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("kg.build.run.write_view", broken)
    with pytest.raises(OSError, match="disk full"):
        _build(_corpus(tmp_path / "changed.jsonl", extra=True), out)
    assert _files(out) == before
    after = sorted(p.name for p in BuildFolder(out).cache.rglob("*.pickle"))
    assert set(cached) <= set(after) and len(after) == len(cached) + 1  # the new extraction is kept
    assert not list(tmp_path.glob(".out.*")), "temporary folders left behind"


@pytest.mark.slow
def test_store_is_loaded_from_the_shards(single: Path) -> None:
    stamp = json.loads((BuildFolder(single).store / STAMP).read_text(encoding="utf-8"))
    # the shards, then the ontology the build copied (each into its own named graph)
    assert [Path(s["path"]).name for s in stamp["sources"]] == sorted(
        p.name for p in BuildFolder(single).shard_files()) + ["governance.ttl", "shapes.ttl"]
    store = open_store(single)
    lines = (single / "graph.nq").read_text(encoding="utf-8").count("\n")
    ontology = sum(len({(q.subject, q.predicate, q.object) for q in ox.parse(path=str(f))})
                   for f in sorted((single / "ontology").glob("*.ttl")))
    assert len(store) == lines + ontology


@pytest.mark.slow
def test_view_of_the_build_folder_equals_the_build_view(single: Path, tmp_path: Path) -> None:
    page = tmp_path / "view.html"
    result = CliRunner().invoke(main, ["viz", str(single), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert page.read_bytes() == (single / "graph.html").read_bytes()


def test_bad_engine_options() -> None:
    with pytest.raises(ConfigError, match="unknown engine"):
        make_engine("spark")
    with pytest.raises(ConfigError, match="--jobs"):
        make_engine("local", jobs=0)
    with pytest.raises(ConfigError, match="--scheduler"):
        make_engine("local", scheduler="tcp://127.0.0.1:8786")
