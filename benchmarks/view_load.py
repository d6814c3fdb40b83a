"""Load-to-interactive time of a graph view (``graph.html``) in headless Chromium, with the network blocked.

    python benchmarks/view_load.py out/graph.html [more.html ...] [--runs 3]
    python benchmarks/view_load.py --seeds            # builds the gold seeds' view in a temporary folder
    python benchmarks/view_load.py --synthetic 5000   # a random graph of 5,000 entities in 50 documents

For each file and run it prints: the time from navigation to the page's ready mark (set after vis-network's
first complete drawing, with the panel, legend and filters built), the same from the page's own clock
(``performance.now()``), the nodes and edges drawn, and how long a filter toggle, a search-and-focus and a
node click take once the page is up. Needs Debian's chromium (``.ci/install-browser``) and Playwright.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
READY = "document.documentElement.hasAttribute('data-kg-ready')"

INTERACT = """() => {
  const t0 = performance.now();
  const first = kgView.data.classes.find(c => c.count > 0).key;
  const box = document.querySelector(`#kg-legend input[data-key="${first}"]`);
  box.click(); box.click();                        // hide a class, show it again
  const t1 = performance.now();
  const byDegree = kgView.data.nodes.slice().sort((a, b) => b.deg - a.deg)[0];
  kgView.search(byDegree.zh || byDegree.en || byDegree.id);   // search, select, focus, details panel
  const t2 = performance.now();
  kgView.showNode(byDegree.id);
  const t3 = performance.now();
  return {filter_ms: t1 - t0, search_ms: t2 - t1, details_ms: t3 - t2};
}"""


def seeds_view(folder: Path) -> Path:
    from kg.evaluate import load_extractions
    from kg.rdf.dataset import build_dataset
    from kg.read.documents import read_file
    from kg.view.page import write_view

    root = Path(__file__).resolve().parent.parent / "seeds"
    gold = load_extractions(root / "gold.jsonl")
    pairs = [(read_file(root / f"{doc_id}.txt"), x) for doc_id, x in sorted(gold.items())]
    path = folder / "seeds.html"
    write_view(build_dataset(pairs), path)
    return path


def synthetic_view(folder: Path, entities: int) -> Path:
    """A random scale-free-ish graph through the real build_dataset: ORG hubs running mechanisms, etc."""
    import random

    from kg.core.records import Document, Entity, Extraction, Relation
    from kg.rdf.dataset import build_dataset
    from kg.view.page import write_view

    rng = random.Random(7)
    labels = ["ORG", "ORG", "MECHANISM", "PROGRAM", "GROUP", "POLICY", "PLACE", "PERSON"]
    per_doc = max(entities // 50, 2)
    pairs = []
    for d in range(max(entities // per_doc, 1)):
        sentence = f"第{d}号文件的句子。"
        text = sentence * 4
        ents, rels = [], []
        for i in range(per_doc):
            label = labels[rng.randrange(len(labels))]
            # names shared across documents merge into one entity, as real bodies do
            name = f"{label}实体{rng.randrange(entities)}号"
            ents.append(Entity(f"e{i}", label, name, mentions=((0, 3),)))
        for i in range(1, per_doc):
            j = int(rng.paretovariate(1.2)) % i
            rels.append(Relation("partOf", f"e{i}", f"e{j}", evidence=(0, len(sentence)),
                                 sentence=(0, len(sentence))))
        doc = Document(id=f"syn_{d:03d}", text=text, title=f"合成文件{d}")
        pairs.append((doc, Extraction(doc.id, tuple(ents), tuple(rels), document=doc)))
    started = time.perf_counter()
    dataset = build_dataset(pairs)
    path = folder / f"synthetic-{entities}.html"
    stats = write_view(dataset, path)
    print(f"synthetic: {stats.summary()}; build_dataset + write_view {time.perf_counter() - started:.1f} s")
    return path


def measure(paths: list[Path], runs: int, executable: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        for path in paths:
            size = path.stat().st_size / 1e6
            wall, page_clock = [], []
            for run in range(runs):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                           else r.abort())
                started = time.perf_counter()
                page.goto(path.resolve().as_uri(), wait_until="commit")
                page.wait_for_function(READY, timeout=120_000, polling=20)
                wall.append(time.perf_counter() - started)
                page_clock.append(page.evaluate("window.kgReadyAt") / 1000)
                if run == runs - 1:
                    drawn = page.evaluate(
                        "[network.body.nodeIndices.length, network.body.edgeIndices.length]")
                    actions = page.evaluate(INTERACT)
                context.close()
            print(f"{path}  ({size:.1f} MB, {drawn[0]:,} nodes, {drawn[1]:,} edges drawn)")
            print(f"  load to interactive: median {statistics.median(wall):.2f} s wall "
                  f"(runs: {', '.join(f'{w:.2f}' for w in wall)}), "
                  f"{statistics.median(page_clock):.2f} s by the page's clock")
            print(f"  then: class filter off+on {actions['filter_ms']:.0f} ms, "
                  f"search+focus {actions['search_ms']:.0f} ms, details panel {actions['details_ms']:.0f} ms")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html", nargs="*", type=Path, help="graph.html files to open")
    parser.add_argument("--seeds", action="store_true", help="also build and measure the gold seeds' view")
    parser.add_argument("--synthetic", type=int, metavar="N",
                        help="also measure a random graph of N entities")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        print(f"no Chromium at {args.chromium}: run .ci/install-browser", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        paths = list(args.html)
        if args.synthetic:
            paths.insert(0, synthetic_view(Path(tmp), args.synthetic))
        if args.seeds:
            paths.insert(0, seeds_view(Path(tmp)))
        if not paths:
            parser.error("give graph.html files, --seeds or --synthetic N")
        measure(paths, args.runs, args.chromium)
    return 0


if __name__ == "__main__":
    sys.exit(main())
