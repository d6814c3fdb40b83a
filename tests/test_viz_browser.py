"""The graph view in a real browser (headless Debian Chromium through Playwright), with the network blocked.

Skips, saying why, only when Chromium or Playwright's Python client is missing (`.ci/install-browser` installs
Chromium and a CJK font).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARGS, chromium_or_skip
from seeds_graph import seeds_dataset
from viz_fixtures import XSS_MECHANISM, XSS_ORG, XSS_SENTENCE, page_data, xss_dataset, years_dataset

from kg.view.model import ViewStats
from kg.view.page import write_view

pytestmark = pytest.mark.browser

EXECUTABLE = chromium_or_skip()

from playwright.sync_api import Page, Route, sync_playwright  # noqa: E402 - after the skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = EXECUTABLE
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, ViewStats]]:
    folder = tmp_path_factory.mktemp("views")
    out = {}
    for name, dataset in (("seeds", seeds_dataset()), ("xss", xss_dataset()), ("years", years_dataset())):
        path = folder / f"{name}.html"
        out[name] = (path, write_view(dataset, path))
    path = folder / "classes.html"
    out["classes"] = (path, write_view(seeds_dataset(), path, classes=["ORG,PERSON,POST"]))
    return out


def _linked(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in data["nodes"] if "ent" in n and not n["ent"]["iso"]]


class Opened:
    """A page on a view, with every request that is not a file:// URL blocked and recorded."""

    def __init__(self, page: Page, path: Path) -> None:
        self.page = page
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("dialog", self._dialog)
        page.route("**/*", self._route)
        page.goto(path.as_uri())
        page.wait_for_function("document.documentElement.hasAttribute('data-kg-ready')", timeout=30_000)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def rendered(self) -> tuple[int, int]:
        """Nodes and edges vis-network draws (hidden ones are left out of these indices)."""
        counts = self.page.evaluate("[network.body.nodeIndices.length, network.body.edgeIndices.length]")
        return counts[0], counts[1]

    def click_canvas(self, x: float, y: float) -> None:
        box = self.page.locator("#mynetwork canvas").bounding_box()
        assert box
        self.page.mouse.click(box["x"] + x, box["y"] + y)

    def click_node(self, node_id: str) -> None:
        self.page.evaluate("id => network.focus(id, {scale: 1.5, animation: false})", node_id)
        point = self.page.evaluate("id => network.canvasToDOM(network.getPositions([id])[id])", node_id)
        self.click_canvas(point["x"], point["y"])

    def click_edge(self, edge_id: str) -> None:
        point = self.page.evaluate(
            """id => { const e = network.body.edges[id];
                       const mid = e.edgeType.getPoint(0.5);
                       network.moveTo({position: mid, scale: 2, animation: false});
                       return network.canvasToDOM(e.edgeType.getPoint(0.5)); }""", edge_id)
        self.click_canvas(point["x"], point["y"])


@pytest.fixture
def open_view(browser: Any) -> Iterator[Any]:
    pages: list[Any] = []

    def opener(path: Path) -> Opened:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        pages.append(context)
        return Opened(context.new_page(), path)

    yield opener
    for context in pages:
        context.close()


def test_page_loads_offline_and_draws_what_is_linked(open_view: Any, views: dict[str, Any]) -> None:
    path, stats = views["seeds"]
    view = open_view(path)
    data = page_data(path.read_text(encoding="utf-8"))
    linked = _linked(data)
    assert 0 < len(linked) < stats.nodes
    assert view.rendered() == (len(linked), stats.edges)
    assert view.blocked == [] and view.errors == []
    assert view.page.evaluate("network.physics.options.enabled") is False
    counts = view.page.locator("#kg-counts").inner_text()
    assert f"Showing {len(linked)} entities and {stats.edges} relations" in counts
    assert view.page.locator("#kg-legend li").count() >= 10
    toggle = view.page.locator("#kg-isolated-label").inner_text()
    assert f"Show {stats.nodes - len(linked)} entities without relations" in toggle
    view.page.locator("#kg-isolated").check()
    assert view.rendered() == (stats.nodes, stats.edges)


def _legend_counts(view: Any, list_id: str) -> dict[str, int]:
    return view.page.evaluate(
        """id => Object.fromEntries([...document.querySelectorAll('#' + id + ' [data-count]')]
                   .map(s => [s.getAttribute('data-count'), Number(s.textContent.replace(/,/g, ''))]))""",
        list_id)


def _on_screen(view: Any) -> dict[str, float]:
    """The box, in canvas pixels, of what is drawn (nodes, labels drawn), the canvas size, the zoom."""
    return view.page.evaluate(
        """() => { const ids = network.body.data.nodes.getIds();
                   let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
                   for (const id of ids) {
                     const node = network.body.nodes[id];
                     const r = node.options.size;  // a label too small to draw is not drawn
                     const b = node.labelModule.visible() ? network.getBoundingBox(id) :
                       {left: node.x - r, right: node.x + r, top: node.y - r, bottom: node.y + r};
                     const a = network.canvasToDOM({x: b.left, y: b.top});
                     const z = network.canvasToDOM({x: b.right, y: b.bottom});
                     x0 = Math.min(x0, a.x); y0 = Math.min(y0, a.y);
                     x1 = Math.max(x1, z.x); y1 = Math.max(y1, z.y);
                   }
                   const c = document.querySelector('#mynetwork canvas');
                   return {x0, y0, x1, y1, width: c.clientWidth, height: c.clientHeight,
                           scale: network.getScale()}; }""")


def _fits(box: dict[str, float]) -> bool:
    inside = (box["x0"] >= -1 and box["y0"] >= -1
              and box["x1"] <= box["width"] + 1 and box["y1"] <= box["height"] + 1)
    fills = (box["x1"] - box["x0"]) > 0.5 * box["width"] or (box["y1"] - box["y0"]) > 0.5 * box["height"]
    return inside and (fills or box["scale"] >= 0.99)  # a small drawing is shown at 100%, not blown up


def test_filters_hide_what_they_should(open_view: Any, views: dict[str, Any]) -> None:
    path, stats = views["seeds"]
    view = open_view(path)
    data = page_data(path.read_text(encoding="utf-8"))
    view.page.locator("#kg-isolated").check()  # every entity, to count classes simply
    metrics = {n["id"] for n in data["nodes"] if n["cls"] == "METRIC"}
    touching = [e for e in data["edges"] if e["from"] in metrics or e["to"] in metrics]
    view.page.locator('#kg-legend input[data-key="METRIC"]').uncheck()
    assert view.rendered() == (stats.nodes - len(metrics), stats.edges - len(touching))
    drawn = set(view.page.evaluate("network.body.data.nodes.getIds()"))
    assert drawn and not drawn & metrics
    assert _legend_counts(view, "kg-legend")["METRIC"] == 0

    view.page.locator('#kg-legend input[data-key="METRIC"]').check()
    runs = sum(1 for e in data["edges"] if e["rel"] == "runs")
    view.page.locator('#kg-relations input[data-key="runs"]').uncheck()
    assert view.rendered() == (stats.nodes, stats.edges - runs)

    view.page.locator("#kg-reset").click()
    assert view.rendered() == (len(_linked(data)), stats.edges)
    assert not view.page.locator("#kg-isolated").is_checked()


def test_choosing_a_document_refits_relayouts_and_recounts(open_view: Any, views: dict[str, Any]) -> None:
    path, stats = views["seeds"]
    view = open_view(path)
    data = page_data(path.read_text(encoding="utf-8"))
    box = _on_screen(view)
    assert _fits(box), box
    first = data["docs"][0]
    view.page.select_option("#kg-doc", "0")
    # what document 0 links: its relations and their two ends
    edges = [e for e in data["edges"] if 0 in e["docs"] and
             0 in next(n for n in data["nodes"] if n["id"] == e["from"])["docs"] and
             0 in next(n for n in data["nodes"] if n["id"] == e["to"])["docs"]]
    ends = {e["from"] for e in edges} | {e["to"] for e in edges}
    assert view.rendered() == (len(ends), len(edges)) and len(ends) < len(_linked(data))
    assert first["id"] in view.page.locator("#kg-doc option:checked").inner_text()
    box = _on_screen(view)
    assert _fits(box), box  # re-fitted: nothing outside, and the drawing fills the canvas
    # re-laid out: the positions are not those of the whole graph
    moved = view.page.evaluate(
        """() => { const d = window.kgView.data, p = network.getPositions();
                   return d.nodes.filter(n => p[n.id] &&
                                         (p[n.id].x !== n.ent.x || p[n.id].y !== n.ent.y)).length; }""")
    assert moved > 0
    legend = _legend_counts(view, "kg-legend")
    assert sum(legend.values()) == len(ends)
    rels = _legend_counts(view, "kg-relations")
    assert sum(rels.values()) == len(edges)


def test_year_range_keeps_the_documents_of_those_years(open_view: Any, views: dict[str, Any]) -> None:
    path, _ = views["years"]
    view = open_view(path)
    assert view.rendered() == (6, 6)  # 北京 has no relation
    view.page.fill("#kg-year-from", "2020")
    view.page.dispatch_event("#kg-year-from", "change")
    names = view.page.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert sorted(names) == sorted(["教育部", "科技部", "强基计划"])
    view.page.fill("#kg-year-from", "2019")
    view.page.fill("#kg-year-to", "2019")
    view.page.dispatch_event("#kg-year-to", "change")
    names = view.page.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert sorted(names) == sorted(["国家发展改革委", "财政部", "《价格管理办法》"])
    assert _fits(_on_screen(view))


def test_institutions_mode_draws_bodies_links_and_communities(open_view: Any, views: dict[str, Any]) -> None:
    path, _ = views["years"]
    view = open_view(path)
    data = page_data(path.read_text(encoding="utf-8"))
    view.page.locator("#kg-mode-institutions").click()
    assert view.rendered() == (4, 2)
    assert "Showing 4 bodies and 2 links" in view.page.locator("#kg-counts").inner_text()
    colours = view.page.evaluate(
        "Object.fromEntries(network.body.data.nodes.get().map(n => [n.label, n.color]))")
    assert colours["教育部"] == colours["科技部"] != colours["财政部"] == colours["国家发展改革委"]
    assert view.page.locator("#kg-communities li").count() == 2
    assert _legend_counts(view, "kg-kinds") == {"cooperatesWith": 2, "subOrganizationOf": 0, "coIssued": 1,
                                                "coRun": 1}
    edge = next(e for e in data["inst"]["edges"] if "coIssued" in e["kinds"])
    view.click_edge(edge["id"])
    details = view.page.locator("#kg-details")
    assert details.get_attribute("data-edge") == edge["id"]
    text = details.inner_text()
    assert "2 links between two bodies" in text and "《价格管理办法》" in text
    assert "国家发展改革委会同财政部印发《价格管理办法》。" in text
    view.page.locator('#kg-kinds input[data-key="cooperatesWith"]').uncheck()
    assert view.rendered() == (4, 2)  # each pair still shares a policy or a programme
    view.page.locator('#kg-kinds input[data-key="coRun"]').uncheck()
    assert view.rendered() == (2, 1)
    assert _fits(_on_screen(view))
    view.page.locator("#kg-mode-entities").click()
    assert view.rendered() == (6, 6)


def test_classes_view_is_not_clipped_and_hub_labels_are_readable(open_view: Any,
                                                                 views: dict[str, Any]) -> None:
    path, stats = views["classes"]
    view = open_view(path)
    assert view.rendered()[0] > 0
    assert _fits(_on_screen(view))
    for name in ("seeds", "classes"):
        view = open_view(views[name][0])
        px = view.page.evaluate(
            """() => { const d = window.kgView.data.nodes.filter(n => n.ent && !n.ent.iso);
                       const top = d.reduce((a, b) => (b.deg > a.deg ? b : a));
                       const label = network.body.nodes[top.id].labelModule;
                       return label.fontOptions.size * network.getScale(); }""")
        assert px >= 12, (name, px)


def test_search_focuses_the_node_by_any_name(open_view: Any, views: dict[str, Any]) -> None:
    path, _ = views["seeds"]
    view = open_view(path)
    data = page_data(path.read_text(encoding="utf-8"))
    cases = {"郅晓峰": "郅晓峰", "Beijing": "北京", "平台企业": "互联网平台企业"}  # name, English name, alias
    for query, expected in cases.items():
        target = next(n["id"] for n in data["nodes"] if n["zh"] == expected)
        view.page.fill("#kg-search", query)
        view.page.press("#kg-search", "Enter")
        assert view.page.evaluate("network.getSelectedNodes()") == [target]
        assert view.page.locator("#kg-details h2").inner_text().strip().endswith(expected)
        view.page.wait_for_function(  # focused: the view centres on the node once the animation ends (within
            # a few pixels: vis-network's focus ends up to ~4 px off at a fractional scale, e.g. 北京 at 1.09)
            """id => { const c = network.getViewPosition(), p = network.getPositions([id])[id];
                       return Math.hypot(c.x - p.x, c.y - p.y) * network.getScale() < 8; }""",
            arg=target, timeout=20_000)  # an animation: slow on a loaded machine
    view.page.fill("#kg-search", "没有这个名字")
    view.page.press("#kg-search", "Enter")
    assert "No entity has that name" in view.page.locator("#kg-search-results").inner_text()


def test_clicking_a_node_and_an_edge_shows_names_and_evidence(open_view: Any, views: dict[str, Any]) -> None:
    path, _ = views["seeds"]
    view = open_view(path)
    data = page_data(path.read_text(encoding="utf-8"))
    person = next(n for n in data["nodes"] if n["zh"] == "郅晓峰")
    view.click_node(person["id"])
    details = view.page.locator("#kg-details")
    assert details.get_attribute("data-node") == person["id"]
    text = details.inner_text()
    assert "郅晓峰" in text and "Person" in text and person["id"] in text
    assert "holdsPost" in text and "000_d6df998b69c9d459" in text
    sentences = details.locator("blockquote.kg-sentence").all_inner_texts()
    assert any("郅晓峰" in s for s in sentences)

    edge = next(e for e in data["edges"] if e["from"] == person["id"] and e["rel"] == "holdsPost")
    view.click_edge(edge["id"])
    assert details.get_attribute("data-edge") == edge["id"]
    assert details.locator("h2").inner_text().strip() == "holdsPost"
    first = details.locator("blockquote.kg-sentence").first.inner_text()
    assert data["sentences"][edge["ev"][0][0]][3] in first


def test_script_payloads_in_documents_stay_inert(open_view: Any, views: dict[str, Any]) -> None:
    path, stats = views["xss"]
    view = open_view(path)
    assert view.rendered() == (stats.nodes, stats.edges) == (2, 1)
    data = page_data(path.read_text(encoding="utf-8"))
    org = next(n["id"] for n in data["nodes"] if n["zh"] == XSS_ORG)
    view.click_node(org)
    details = view.page.locator("#kg-details")
    assert XSS_ORG in details.inner_text() and XSS_SENTENCE in details.inner_text()
    view.page.fill("#kg-search", "svg onload")  # the alias
    view.page.press("#kg-search", "Enter")
    assert XSS_MECHANISM in view.page.locator("#kg-search-results").inner_text()
    view.click_edge(data["edges"][0]["id"])
    view.page.select_option("#kg-doc", "0")
    view.page.wait_for_timeout(300)
    assert view.page.evaluate("window.__xss") is None
    assert view.page.evaluate("document.querySelectorAll('img, svg, b, #kg-details script').length") == 0
    assert view.dialogs == [] and view.errors == [] and view.blocked == []
