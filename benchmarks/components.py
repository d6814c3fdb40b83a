"""CPU time of each pipeline component over a corpus, in one process (the table "Where the CPU goes, per
component" in benchmarks/README.md).

Each document goes through what ``kg.nlp.extract.extract`` does, step by step, with ``time.process_time``
around each step: reflow and mask, the tokenizer (``nlp.make_doc``), every pipe, the records. Bare jieba
(``jieba.lcut`` over the same texts) is timed first in the same process, after the pipeline is built. CPU
time, not wall time: steadier on a shared machine, though still inflated when the cores are busy.

    python benchmarks/components.py --profile fast
    python benchmarks/components.py --profile default --limit 20
    python benchmarks/components.py --profile fast --cprofile tottime   # a cProfile listing instead

To compare two trees, run the script alternately with each on ``PYTHONPATH`` (from outside the repository,
so that its ``kg/`` does not shadow the other).
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import time
from collections import defaultdict
from pathlib import Path

import jieba

from kg.core.text import mask, reflow
from kg.nlp.extract import to_extraction
from kg.nlp.pipeline import shared_nlp
from kg.read.documents import iter_documents

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "government-reports.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--profile", default="fast", help="pipeline profile (fast, default, full) [fast]")
    parser.add_argument("--limit", type=int, default=None, help="the first N documents only")
    parser.add_argument("--cprofile", metavar="SORT", default=None,
                        help="print a cProfile listing sorted by SORT (tottime, cumulative) instead")
    args = parser.parse_args()

    docs = list(itertools.islice(iter_documents([args.corpus]), args.limit))
    nlp = shared_nlp(args.profile)
    nlp("国务院办公厅关于印发通知。")  # lazy loads out of the timings
    chars = sum(len(d.text) for d in docs)

    started = time.process_time()
    for d in docs:
        jieba.lcut(d.text)
    bare = time.process_time() - started
    print(f"{len(docs)} documents, {chars:,} characters; bare jieba {bare:.2f} CPU s")

    timers: dict[str, float] = defaultdict(float)
    clock = time.process_time

    def run() -> None:
        for document in docs:
            t0 = clock()
            text, index = reflow(mask(document.text, document.content_regions()))
            t1 = clock()
            timers["reflow and mask"] += t1 - t0
            doc = nlp.make_doc(text)
            timers["tokenizer"] += clock() - t1
            for name, proc in nlp.pipeline:
                t = clock()
                doc = proc(doc, document=document) if name == "kg_resolve" else proc(doc)
                timers[name] += clock() - t
            t = clock()
            to_extraction(document, doc._.kg_entities or [], doc._.kg_relations or [],
                          None if len(index) == len(document.text) + 1 else index)
            timers["records"] += clock() - t

    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        pstats.Stats(profiler).sort_stats(args.cprofile).print_stats(60)
        return
    run()
    total = sum(timers.values())
    print("| component | CPU s | share | × bare jieba |\n|---|---|---|---|")
    for name, seconds in timers.items():
        print(f"| {name} | {seconds:.2f} | {seconds / total:.0%} | {seconds / bare:.2f} |")
    print(f"| extraction, all | {total:.2f} | 100% | {total / bare:.2f} |")


if __name__ == "__main__":
    main()
