"""Time ``kg build`` on one 2 MB line without sentence punctuation, and on the same text cut into short lines.

    python benchmarks/long_line.py                       # 2,000,000 bytes, one line vs 200-character lines
    python benchmarks/long_line.py --bytes 500000 --no-commas
    python benchmarks/long_line.py --kg-source /tmp/kg-old   # time another checkout of kg (PYTHONPATH)

The text is the benchmark corpus (``_common.corpus_path``) with every sentence end (。！？；!?; and line
breaks) replaced by a full-width comma, repeated up to ``--bytes`` bytes of UTF-8 and written as one .txt
file of one line; ``--no-commas`` removes the commas as well (every over-long sentence is then cut hard).
The second file holds the same characters in lines of 200 characters. Each is built with
``kg build FILE --out OUT --no-cache --jobs 1 -q``: wall time from process start to exit (model loading
included), and the CPU time of the process (user and system; on a shared machine the steadier figure).
Extraction that grows with the square of the sentence length shows as a one-line time far
above the short-lines time; kg 0.2.14 took 330 s for the one line and 8 s for the short lines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import KG, corpus_path, fail, machine, markdown_table, read_records, run_timed  # noqa: E402

_SENTENCE_END = re.compile(r"[。！？；!?;\r\n]+")


def long_text(source: Path, size: int, *, commas: bool) -> str:
    """The corpus's text without sentence ends, repeated to at most ``size`` bytes of UTF-8."""
    text = "".join(str(r["text"]) for r in read_records(source))
    text = _SENTENCE_END.sub("，" if commas else "", text)
    if not commas:
        text = re.sub(r"[，,、：:]", "", text)
    text = text * (size // max(1, len(text.encode("utf-8"))) + 1)
    out = text.encode("utf-8")[:size].decode("utf-8", "ignore")
    return re.sub(r"\s+", " ", out)


def _children_cpu() -> float:
    """CPU seconds (user and system) of the finished child processes (a loaded machine does not inflate)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", help="JSONL corpus the text comes from")
    parser.add_argument("--bytes", type=int, default=2_000_000, help="size of the line in bytes of UTF-8")
    parser.add_argument("--no-commas", action="store_true", help="no comma-like marks either")
    parser.add_argument("--short-lines", type=int, default=200, help="characters per line of the second file")
    parser.add_argument("--only", choices=["long", "short"], help="time one of the two files only")
    parser.add_argument("--kg-source", help="a kg source folder to put first on PYTHONPATH (time old code)")
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()

    text = long_text(corpus_path(args.corpus), args.bytes, commas=not args.no_commas)
    env = dict(os.environ)
    kg = KG
    if args.kg_source:  # -P: not the current folder (this repository) first on the path, but PYTHONPATH
        env["PYTHONPATH"] = os.pathsep.join([str(Path(args.kg_source).resolve()), env.get("PYTHONPATH", "")])
        kg = [sys.executable, "-P", "-m", "kg.cli"]
    rows = []
    figures: dict[str, object] = {"machine": machine(), "load": os.getloadavg(), "characters": len(text),
                                  "bytes": len(text.encode("utf-8")), "commas": not args.no_commas,
                                  "kg_source": args.kg_source}
    with tempfile.TemporaryDirectory(prefix="kg-long-line-") as work:
        files = {"long": Path(work, "line.txt"), "short": Path(work, "lines.txt")}
        files["long"].write_text(text, encoding="utf-8")
        n = args.short_lines
        files["short"].write_text("\n".join(text[i:i + n] for i in range(0, len(text), n)), encoding="utf-8")
        for kind, path in files.items():
            if args.only and kind != args.only:
                continue
            cpu_before = _children_cpu()
            run = run_timed([*kg, "build", str(path), "--out", str(Path(work, f"out-{kind}")), "--no-cache",
                             "--jobs", "1", "-q"], env=env)
            cpu = _children_cpu() - cpu_before
            if run.returncode != 0:
                fail(f"kg build {path.name} failed ({run.returncode}): {run.stderr.strip()[-500:]}")
            label = "one line" if kind == "long" else f"lines of {n} characters"
            rows.append([label, f"{len(text):,}", f"{run.seconds:.1f}", f"{cpu:.1f}"])
            figures[kind] = run.seconds
            figures[f"{kind}_cpu"] = cpu
    print(f"machine: {figures['machine']}, load average at start {figures['load']}")
    print(markdown_table(["file", "characters", "kg build (s)", "CPU (s)"], rows))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
