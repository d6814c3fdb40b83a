"""kg publish: the static linked-data site of a build. A link checker over every page, a page per entity, the
IRIs under --base, the content-negotiation snippets, and the CLI."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from seeds_graph import SEEDS, gold, write_seeds_build

from kg.cli import main
from kg.core.errors import KGError
from kg.rdf.iri import entity_iri
from kg.rdf.terms import document_iri
from kg.sparql.site import publish

pytestmark = pytest.mark.slow  # a build and a published site per module

ORG = str(entity_iri("ORG", "河南省委社会工作部"))
MECHANISM = str(entity_iri("MECHANISM", "七项协调机制"))
TEXT = (SEEDS / "000_d6df998b69c9d459.txt").read_text(encoding="utf-8")
NEW = "https://data.example.net/gov"


def full_build(out: Path) -> Path:
    """A build folder with everything kg build writes but extraction.jsonl, from the gold extractions."""
    from kg.export.formats import write_ontology, write_outputs
    from kg.rdf.dataset import build_dataset
    from kg.read.documents import read_file
    from kg.view.page import write_view

    pairs = [(read_file(SEEDS / f"{doc_id}.txt"), x) for doc_id, x in sorted(gold().items())]
    dataset = build_dataset(pairs)
    write_outputs(dataset, out)
    write_ontology(out)
    write_view(dataset, out / "graph.html")
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("publish")
    out = full_build(folder / "out")
    publish(out, folder / "site")
    return folder / "site"


@pytest.fixture(scope="module")
def rebased(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("publish-rebased")
    out = full_build(folder / "out")
    publish(out, folder / "site", base=NEW, endpoint="https://data.example.net/sparql")
    return folder / "site"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if key in ("href", "src") and value is not None:
                self.urls.append(value)
            if key == "id" and value:
                self.ids.add(value)


def internal_links(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [u for u in parser.urls if not urlsplit(u).scheme and not u.startswith("//")]


def test_every_internal_link_resolves_to_a_file(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    broken, checked = [], 0
    for page in pages:
        for url in internal_links(page):
            path = unquote(urlsplit(url).path)
            if not path:  # "#fragment" on the same page
                continue
            target = (page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)} -> {url}")
    assert broken == []
    assert checked > 1000


def test_the_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    page = '<a href="b.html">b</a><img src="c.png"><a href="#x">x</a>'
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    (tmp_path / "b.html").write_text("", encoding="utf-8")
    assert internal_links(tmp_path / "a.html") == ["b.html", "c.png", "#x"]
    assert not (tmp_path / "c.png").exists()


def test_a_page_and_two_rdf_files_for_every_entity_and_document(site: Path) -> None:
    expected = set()
    for doc_id, extraction in gold().items():
        expected.add(str(document_iri(doc_id)))
        for e in extraction.entities:
            if e.label not in ("METRIC", "POST"):  # observations and posts are minted per document/body
                expected.add(str(entity_iri(e.label, e.name)))
    pages = {p.stem for p in (site / "id").glob("*.html")}
    assert {iri.rsplit("/", 1)[1] for iri in expected} <= pages
    for stem in pages:
        assert (site / "id" / f"{stem}.ttl").is_file() and (site / "id" / f"{stem}.jsonld").is_file()
    index = (site / "search-index.js").read_text(encoding="utf-8")
    assert index.count('"h":"id/') == len(pages)


def test_entity_page_has_relations_with_sentence_and_document(site: Path) -> None:
    name = ORG.rsplit("/", 1)[1]
    page = (site / "id" / f"{name}.html").read_text(encoding="utf-8")
    assert '<h1 lang="zh" id="name">河南省委社会工作部</h1>' in page
    assert TEXT[391:402] in page
    assert f'href="{MECHANISM.rsplit("/", 1)[1]}.html"' in page
    doc = str(document_iri("000_d6df998b69c9d459")).rsplit("/", 1)[1]
    assert f'href="{doc}.html"' in page
    assert f'href="{name}.ttl"' in page and f'href="{name}.jsonld"' in page and 'href="../index.html"' in page
    triples = list(ox.parse((site / "id" / f"{name}.ttl").read_bytes(), format=ox.RdfFormat.TURTLE))
    assert any(q.subject.value == ORG and q.object.value == MECHANISM for q in triples)


def test_index_lists_classes_with_counts_and_files(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    orgs = {e.name for x in gold().values() for e in x.entities if e.label == "ORG"}
    assert f'data-class="org:Organization">org:Organization</a></td><td class="n">{len(orgs)}</td>' in page
    for href in ("dataset/graph.ttl", "dataset/graph.nq", "graph.html", "ontology/governance.ttl",
                 "search-index.js", "dataset.ttl"):
        assert f'"{href}"' in page


def test_base_rewrites_every_data_iri(rebased: Path) -> None:
    for path in [*rebased.glob("id/*.ttl"), *rebased.glob("dataset/*"), rebased / "dataset.ttl",
                 *rebased.glob("id/*.jsonld"), *rebased.glob("id/*.html")]:
        assert "https://example.org/kg/" not in path.read_text(encoding="utf-8"), path
    name = ORG.rsplit("/", 1)[1]
    triples = list(ox.parse((rebased / "id" / f"{name}.ttl").read_bytes(), format=ox.RdfFormat.TURTLE))
    assert any(q.subject.value == f"{NEW}/id/{name}" for q in triples)
    description = (rebased / "dataset.ttl").read_text(encoding="utf-8")
    assert "<https://data.example.net/sparql>" in description and "void:dataDump" in description
    assert f"<{NEW}/dataset/graph.nq>" in description
    quads = list(ox.parse((rebased / "dataset" / "graph.nq").read_bytes(), format=ox.RdfFormat.N_QUADS))
    assert quads and all(not q.subject.value.startswith("https://example.org/") for q in quads)


def test_conneg_snippets_name_the_sites_path(rebased: Path) -> None:
    htaccess = (rebased / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteRule ^(id/[^/.]+|dataset)$ $1.ttl [L]" in htaccess
    nginx = (rebased / "conneg" / "nginx.conf").read_text(encoding="utf-8")
    assert "location ~ ^/gov/(id/[^/.]+|dataset)$" in nginx and "try_files $uri.$kg_ext =404;" in nginx
    caddy = (rebased / "conneg" / "Caddyfile").read_text(encoding="utf-8")
    assert caddy.startswith("#") and "data.example.net {" in caddy and "^/gov/(id/" in caddy
    # every rule's pattern matches an entity path and no file path
    pattern = re.compile(r"^/gov/(id/[^/.]+|dataset)$")
    assert pattern.match(f"/gov/id/{ORG.rsplit('/', 1)[1]}") and not pattern.match("/gov/id/x.ttl")


def test_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    out = write_seeds_build(tmp_path / "out")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("keep me", encoding="utf-8")
    with pytest.raises(KGError, match="not a kg site"):
        publish(out, tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.tex").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(KGError, match="not a build folder"):
        publish(tmp_path / "mine", tmp_path / "site")


def test_cli_publish_and_republish(tmp_path: Path) -> None:
    out = write_seeds_build(tmp_path / "out")
    for _ in range(2):  # a second run replaces the site
        result = CliRunner().invoke(main, ["publish", str(out), "--site", str(tmp_path / "site")])
        assert result.exit_code == 0, result.output
    assert "entity pages" in result.output
    result = CliRunner().invoke(main, ["publish", str(out), "--site", str(tmp_path / "s2"),
                                       "--base", "data/x"])
    assert result.exit_code == 1 and "--base must be an http(s) URL" in result.output
    assert "Traceback" not in result.output
