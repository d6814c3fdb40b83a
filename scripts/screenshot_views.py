"""Screenshots of a build's graph view, both modes, as PNG (the pictures in docs/ and the README).

    python scripts/screenshot_views.py BUILD NAME [--out docs] [--width 1600 --height 1000]

Draws the view of BUILD (a `kg build` folder, or its graph.trig/graph.nq) afresh with the installed kg (so
the pictures follow the current view code, not the graph.html the build wrote), opens it in headless
Chromium (/usr/bin/chromium, through Playwright, network blocked) and writes
``OUT/view-NAME.png`` (the default view) and ``OUT/view-NAME-institutions.png`` (the institutions mode).
Retaking every picture of the docs after a rebuild is::

    python scripts/screenshot_views.py output seeds
    python scripts/screenshot_views.py /path/to/policy-build policy
    python scripts/screenshot_views.py /path/to/news-2023-build news-2023
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from kg.view.model import read_entity_graph
from kg.view.page import write_view

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def screenshot(build: Path, name: str, out: Path, width: int = 1600, height: int = 1000) -> list[Path]:
    from playwright.sync_api import sync_playwright

    graph = read_entity_graph(build)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "view.html"
        stats = write_view(graph, page_file)
        print(f"{name}: {stats.summary()}", file=sys.stderr)
        executable = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=ARGS)
            page = browser.new_page(viewport={"width": width, "height": height})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto(page_file.as_uri())
            page.wait_for_function("document.documentElement.hasAttribute('data-kg-ready')", timeout=120_000)
            for mode, suffix in (("entities", ""), ("institutions", "-institutions")):
                counts = page.evaluate("mode => window.kgView.setMode(mode)", mode)
                page.wait_for_timeout(500)
                target = out / f"view-{name}{suffix}.png"
                page.screenshot(path=str(target))
                print(f"  {mode}: {counts} -> {target}", file=sys.stderr)
                written.append(target)
            browser.close()
            if errors:
                raise SystemExit(f"the page reported errors: {errors}")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build", type=Path, help="a kg build folder, or its graph.trig / graph.nq")
    parser.add_argument("name", help="the pictures are OUT/view-NAME.png and OUT/view-NAME-institutions.png")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    screenshot(args.build, args.name, args.out, args.width, args.height)


if __name__ == "__main__":
    main()
