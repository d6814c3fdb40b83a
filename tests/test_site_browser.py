"""The published site in a real browser (headless Debian Chromium through Playwright), from disk, network
blocked: the index's search and class list, an entity page, and following links between pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARGS, chromium_or_skip
from seeds_graph import SEEDS, gold
from test_publish import full_build

from kg.sparql.site import publish

pytestmark = pytest.mark.browser

EXECUTABLE = chromium_or_skip()
TEXT = (SEEDS / "000_d6df998b69c9d459.txt").read_text(encoding="utf-8")

from playwright.sync_api import Route, sync_playwright  # noqa: E402 - after the skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site-browser")
    publish(full_build(folder / "out"), folder / "site")
    return folder / "site"


@pytest.fixture(scope="module")
def page(site: Path) -> Iterator[Any]:
    executable = EXECUTABLE
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        tab = context.new_page()
        tab.kg_blocked, tab.kg_errors = [], []
        tab.on("pageerror", lambda exc: tab.kg_errors.append(str(exc)))

        def route(r: Route) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                tab.kg_blocked.append(r.request.url)
                r.abort()

        tab.route("**/*", route)
        yield tab
        browser.close()


def test_index_search_finds_a_body_and_its_page_shows_relations(site: Path, page: Any) -> None:
    page.goto((site / "index.html").as_uri())
    assert page.locator("#title").inner_text() == "治理文本知识图谱"
    page.locator("#search").fill("社会工作部")
    results = page.locator("#results li a")
    names = results.all_inner_texts()
    assert "河南省委社会工作部" in names
    results.filter(has_text="河南省委社会工作部").first.click()
    page.wait_for_load_state()
    assert page.locator("#name").inner_text() == "河南省委社会工作部"
    relations = page.locator("#relations tr.relation")
    assert relations.count() >= 5
    assert TEXT[391:402] in page.locator("#relations").inner_text()
    # follow the link to a neighbour, then back to the dataset
    page.locator("#relations a", has_text="七项协调机制").first.click()
    page.wait_for_load_state()
    assert page.locator("#name").inner_text() == "七项协调机制"
    assert "gov:Mechanism" in page.locator("#classes").inner_text()
    page.locator("nav a", has_text="dataset").click()
    page.wait_for_load_state()
    assert page.locator("#title").inner_text() == "治理文本知识图谱"
    assert page.kg_blocked == [] and page.kg_errors == []


def test_index_lists_a_class(site: Path, page: Any) -> None:
    page.goto((site / "index.html").as_uri())
    page.locator("#classes a.cls", has_text="org:Organization").click()
    orgs = {e.name for x in gold().values() for e in x.entities if e.label == "ORG"}
    assert set(page.locator("#results li a").all_inner_texts()) == orgs
    assert page.locator("#count").inner_text() == f"{len(orgs)} found"
    page.locator("#search").fill("海南")
    assert set(page.locator("#results li a").all_inner_texts()) == {o for o in orgs if "海南" in o}
    assert page.kg_blocked == [] and page.kg_errors == []


def test_served_query_page_and_entity_page(tmp_path_factory: pytest.TempPathFactory, page: Any) -> None:
    """kg serve in the browser: its query page runs the preloaded example, and a data IRI opens as a page
    (the browser's own Accept header chooses HTML)."""
    import socket

    from seeds_graph import write_seeds_build

    from kg.rdf.iri import entity_iri
    from kg.sparql.serve import start_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    build = write_seeds_build(tmp_path_factory.mktemp("served") / "out")
    origin = f"http://127.0.0.1:{port}"
    page.unroute("**/*")
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin) else r.abort())
    with start_server(build, port=port, timeout=10):
        page.goto(origin + "/")
        assert "PREFIX gov: <https://w3id.org/kg-gov/ontology#>" in page.locator("#query").input_value()
        options = page.locator("#examples option").all_inner_texts()
        assert any(o.startswith("evidence:") for o in options)
        assert any(o.startswith("officials:") for o in options)
        page.locator("#run").click()
        page.wait_for_function("document.querySelectorAll('#results tr').length > 1", timeout=15_000)
        rows = [r.locator("td").all_inner_texts() for r in page.locator("#results tr").all()[1:]]
        mechanisms = {e.name for x in gold().values() for e in x.entities if e.label == "MECHANISM"}
        assert ["https://w3id.org/kg-gov/ontology#Mechanism", str(len(mechanisms))] in rows
        org = str(entity_iri("ORG", "河南省委社会工作部")).rsplit("/", 1)[1]
        page.goto(f"{origin}/id/{org}")
        assert page.locator("#name").inner_text() == "河南省委社会工作部"
        assert TEXT[391:402] in page.locator("#relations").inner_text()
        page.locator("#relations a", has_text="七项协调机制").first.click()
        page.wait_for_load_state()
        assert page.locator("#name").inner_text() == "七项协调机制"
    assert page.kg_errors == []
