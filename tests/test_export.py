"""kg.export.formats: the four files load in rdflib and Oxigraph, say what the dataset says, never change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from seeds_graph import Pairs

from kg.core.errors import OutputError
from kg.core.records import Document, Entity, Extraction, Relation
from kg.export.formats import write_outputs
from kg.rdf.dataset import build_dataset, merged_graph
from kg.rdf.iri import entity_iri
from kg.rdf.namespaces import sparql_prologue
from kg.read.documents import read_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
HENAN = "000_d6df998b69c9d459"

BUILD_SCRIPT = """
import sys
from pathlib import Path
from kg.evaluate import load_extractions
from kg.export.formats import write_outputs
from kg.rdf.dataset import build_dataset
from kg.read.documents import read_file
seeds = Path(sys.argv[1])
gold = load_extractions(seeds / "gold.jsonl")
pairs = [(read_file(seeds / f"{d}.txt"), gold[d]) for d in sorted(gold, reverse=True)]
write_outputs(build_dataset(pairs), Path(sys.argv[2]))
"""


@pytest.fixture(scope="module")
def outputs(seeds_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_outputs(seeds_dataset, tmp_path_factory.mktemp("out"))


def same_graphs(a: Dataset, b: Dataset) -> None:
    """Every non-empty named graph of ``a`` is isomorphic to the graph of that name in ``b``, and back."""
    names_a = {g.identifier for g in a.graphs() if len(g)}
    names_b = {g.identifier for g in b.graphs() if len(g)}
    assert names_a == names_b
    for name in names_a:
        assert isomorphic(a.graph(name), b.graph(name)), name


def test_writes_the_four_files(outputs: dict[str, Path]) -> None:
    assert sorted(outputs) == ["jsonld", "nq", "trig", "ttl"]
    assert {p.name for p in outputs.values()} == {"graph.ttl", "graph.trig", "graph.nq", "graph.jsonld"}
    folder = outputs["ttl"].parent
    written = sorted(p.name for p in outputs.values())
    assert sorted(p.name for p in folder.iterdir()) == written  # no temporary files left


def test_turtle_is_the_merged_facts_graph(seeds_dataset: Dataset, outputs: dict[str, Path]) -> None:
    ttl = Graph().parse(outputs["ttl"], format="turtle")
    assert isomorphic(ttl, merged_graph(seeds_dataset))
    assert not list(ttl.subjects(RDF.type, RDF.Statement))  # no provenance in graph.ttl
    assert b"@prefix schema: <http://schema.org/> ." in outputs["ttl"].read_bytes()


@pytest.mark.parametrize(("key", "fmt"), [("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_dataset_files_hold_every_named_graph(
    seeds_dataset: Dataset, outputs: dict[str, Path], key: str, fmt: str
) -> None:
    loaded = Dataset()
    loaded.parse(outputs[key], format=fmt)
    same_graphs(seeds_dataset, loaded)


def test_nquads_lines_are_sorted_by_graph_then_triple(outputs: dict[str, Path]) -> None:
    quads = list(ox.parse(path=str(outputs["nq"]), format=ox.RdfFormat.N_QUADS))
    keys = [(q.graph_name.value, str(q.subject), str(q.predicate), str(q.object)) for q in quads]
    assert keys == sorted(keys) and len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("key", "fmt"),
    [("ttl", ox.RdfFormat.TURTLE), ("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS),
     ("jsonld", ox.RdfFormat.JSON_LD)],
)
def test_files_load_in_oxigraph(
    seeds_dataset: Dataset, outputs: dict[str, Path], key: str, fmt: ox.RdfFormat
) -> None:
    store = ox.Store()
    if key == "ttl":
        store.load(path=str(outputs[key]), format=fmt, to_graph=ox.DefaultGraph())
        assert len(store) == len(merged_graph(seeds_dataset))
    else:
        store.load(path=str(outputs[key]), format=fmt)
        assert len(store) == sum(len(g) for g in seeds_dataset.graphs())


QUERY = """
SELECT ?quote ?start ?end ?org ?mechanism WHERE {
  GRAPH ?facts { ?org gov:runs ?mechanism }
  GRAPH ?evidence {
    ?stmt rdf:subject ?org ; rdf:predicate gov:runs ; rdf:object ?mechanism ;
          prov:wasDerivedFrom ?doc ; oa:hasTarget ?target .
    ?target oa:hasSelector ?pos , ?quoteSelector .
    ?pos oa:start ?start ; oa:end ?end .
    ?quoteSelector oa:exact ?quote .
  }
  GRAPH <https://example.org/kg/graph/meta> { ?doc dct:identifier ?docId }
}
"""


def test_sparql_over_trig_finds_the_sentence(outputs: dict[str, Path]) -> None:
    text = read_file(SEEDS / f"{HENAN}.txt").text
    org = entity_iri("ORG", "河南省委社会工作部")
    mechanism = entity_iri("MECHANISM", "信访工作联席会议机制")

    loaded = Dataset()
    loaded.parse(outputs["trig"], format="trig")
    rows = list(loaded.query(sparql_prologue() + QUERY, initBindings={"org": org, "mechanism": mechanism}))
    assert len(rows) == 1
    quote, start, end = rows[0][0], rows[0][1], rows[0][2]  # type: ignore[index]
    assert isinstance(quote, Literal) and isinstance(start, Literal) and isinstance(end, Literal)
    assert text[int(start) : int(end)] == str(quote)
    assert "信访工作联席会议" in str(quote)

    store = ox.Store()
    store.load(path=str(outputs["trig"]), format=ox.RdfFormat.TRIG)
    solutions = store.query(sparql_prologue() + QUERY, substitutions={
        ox.Variable("org"): ox.NamedNode(str(org)), ox.Variable("mechanism"): ox.NamedNode(str(mechanism))})
    assert isinstance(solutions, ox.QuerySolutions)
    assert [solution["quote"].value for solution in solutions] == [str(quote)]  # type: ignore[union-attr]


def test_schema_org_is_http_everywhere(outputs: dict[str, Path]) -> None:
    for path in outputs.values():
        assert b"https://schema.org" not in path.read_bytes(), path.name
    context = json.loads(outputs["jsonld"].read_text(encoding="utf-8"))["@context"]
    assert context["schema"] == "http://schema.org/"
    assert "brick" not in context  # only the project's prefixes


def test_two_builds_are_byte_identical(outputs: dict[str, Path], seed_pairs: Pairs,
                                       tmp_path: Path) -> None:
    again = write_outputs(build_dataset(list(seed_pairs)), tmp_path / "again")
    for key, path in outputs.items():
        assert again[key].read_bytes() == path.read_bytes(), key


@pytest.mark.slow
def test_another_process_writes_the_same_bytes(outputs: dict[str, Path], tmp_path: Path) -> None:
    """Another hash seed and the documents in reverse order: the files must not change."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", BUILD_SCRIPT, str(SEEDS), str(tmp_path / "other")],
                   check=True, env=env, cwd=tmp_path, timeout=300)
    for key, path in outputs.items():
        assert (tmp_path / "other" / path.name).read_bytes() == path.read_bytes(), key


HOSTILE = [
    'he said "hi" \'there\'',
    "<script>alert('x')</script>",
    "line one\nline two\r\nthree",
    "back\\slash \\u0041 \\n",
    '"""triple""" quotes',
    "tab\there & ampersand; {json: [1]} @id",
]


def test_hostile_strings_round_trip(tmp_path: Path) -> None:
    text = "。".join(HOSTILE) + "。"
    entities = []
    for i, name in enumerate(HOSTILE):
        start = text.index(name)
        mention = (start, start + len(name))
        entities.append(Entity(f"o{i}", "ORG", name, aliases=(name + "\\alias",), mentions=(mention,)))
    document = Document(id='doc "1" <x>', text=text, title='标题 "引号" <b>\n第二行', source="来源\\报",
                        url="https://example.com/a?b=1&c=2")
    extraction = Extraction(
        doc_id=document.id,
        entities=tuple(entities),
        relations=(Relation("cooperatesWith", "o0", "o1", evidence=(0, 5)),),
    )
    dataset = build_dataset([(document, extraction)])
    out = write_outputs(dataset, tmp_path)

    assert isomorphic(Graph().parse(out["ttl"], format="turtle"), merged_graph(dataset))
    for key, name in (("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld")):
        loaded = Dataset()
        loaded.parse(out[key], format=name)
        same_graphs(dataset, loaded)
    for key, fmt in (("ttl", ox.RdfFormat.TURTLE), ("trig", ox.RdfFormat.TRIG), ("nq", ox.RdfFormat.N_QUADS),
                     ("jsonld", ox.RdfFormat.JSON_LD)):
        store = ox.Store()
        if key == "ttl":
            store.load(path=str(out[key]), format=fmt, to_graph=ox.DefaultGraph())
        else:
            store.load(path=str(out[key]), format=fmt)
        assert len(store) > 0
    labels = {str(o) for o in Graph().parse(out["ttl"], format="turtle").objects(None, None)}
    assert set(HOSTILE) <= labels
    assert URIRef("https://example.com/a?b=1&c=2") in {
        o for _s, _p, o, _g in Dataset().parse(out["nq"], format="nquads").quads()
    }


def test_unwritable_output_is_an_output_error(seeds_dataset: Dataset, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match="file"):
        write_outputs(seeds_dataset, blocker / "out")
