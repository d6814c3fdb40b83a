"""Build throughput, parallel speed-up, peak memory and incremental rebuilds of ``kg build`` (issue 6).

    python benchmarks/build_scale.py --scale 1 10 --jobs 1 2 --json bench.json        # everything
    python benchmarks/build_scale.py --scale 1 --skip-incremental                       # 1x throughput only
    python benchmarks/build_scale.py --scale 10 --jobs 2 --skip-jieba --keep --work /tmp/kg-bench
    python benchmarks/build_scale.py --scale 1 --limit 3 --jobs 1 2                     # a quick check

For each scale N (1: the 61-document corpus; 10: the same repeated 10 times with distinct ids), in one run:

- jieba: throughput of bare jieba segmentation (``jieba.lcut`` over each document's text, after
  ``jieba.initialize()``, in this process), median of ``--jieba-repeat`` passes over the distinct texts, in
  characters per second. The N× corpus is the same text N times, so the figure stands for every scale.
- build: ``kg build CORPUS --out FRESH_FOLDER --no-cache --jobs J`` as a subprocess, for each J of ``--jobs``:
  wall time from start to exit (interpreter start, model load and every output included), characters per
  second, the ratio to bare jieba (target >= 0.25 for the default profile, 0.5 for --fast), the speed-up
  over ``--jobs 1`` (target >= 1.6 with 2 jobs on the 10x corpus), CPU seconds of the whole process tree,
  and memory: every ``--interval`` seconds the RSS
  of the kg process and all its descendants (the peak of their sum, and the peak of the largest process),
  their PSS and USS (from /proc/PID/smaps_rollup, every ``--full-interval`` s), and the kernel's own peak
  RSS of the largest process (``wait4``'s ru_maxrss, exact, not sampled). Target: the 10x peak < 2 x the 1x.
- incremental: a clean build with the cache (``--jobs --incremental-jobs``, no ``--no-cache``) into a fresh
  folder, then the same build again with nothing changed, then with one document's text changed (a sentence
  added; every other document the same) into the same ``--out``: the times, and each against the clean build.

Characters are those of the documents' ``text`` fields. The figures are printed as Markdown tables (stdout)
and written as JSON to ``--json``. Output folders and corpora go to ``--work`` (default: a new temporary
folder), removed at the end unless ``--keep`` (keep them for ``benchmarks/queries.py`` on the 10x build).

Memory counts only processes that descend from ``kg build``: with ``--engine dask --scheduler ADDRESS`` the
workers of an outside cluster are not counted. Run nothing else heavy on the machine meanwhile.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    KG,
    MemoryPeaks,
    MemorySampler,
    characters,
    command_help,
    corpus_path,
    edited_copy,
    fail,
    machine,
    markdown_table,
    mb,
    read_records,
    rejected_option,
    scaled_records,
    supported_options,
    write_records,
)

#: build throughput / bare jieba, per pipeline profile (issue 14: the default, most accurate pipeline
#: >= 0.25, the fast profile, rules and lexicons without networks, >= 0.5)
TARGET_VS_JIEBA = {"default": 0.25, "full": 0.25, "fast": 0.5}


def profile_of(kg_args: list[str]) -> str:
    """The pipeline profile the kg build arguments ask for (--fast, --no-model, --profile NAME)."""
    for i, arg in enumerate(kg_args):
        if arg in ("--fast", "--no-model"):
            return "fast"
        if arg.startswith("--profile="):
            return arg.split("=", 1)[1]
        if arg == "--profile" and i + 1 < len(kg_args):
            return kg_args[i + 1]
    return "default"
TARGET_SPEEDUP = 1.6
TARGET_MEMORY_GROWTH = 2.0


# ------------------------------------------------------------------ jieba


def jieba_throughput(texts: list[str], repeat: int) -> dict[str, Any]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    started = time.perf_counter()
    jieba.initialize()
    init = time.perf_counter() - started
    chars = sum(map(len, texts))
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    return {"documents": len(texts), "characters": chars, "init_seconds": round(init, 3),
            "seconds": [round(s, 3) for s in seconds], "median_seconds": round(median, 3),
            "chars_per_s": round(chars / median), "jieba": _version("jieba")}


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


# ------------------------------------------------------------------ one kg build


class Builder:
    """Runs ``kg build`` with the options this run asks for, leaving out (with --drop-unsupported) those the
    installed kg does not know, or refusing to start when it does not know one."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        wanted = ["--jobs", "--no-cache"]
        if args.engine:
            wanted.append("--engine")
        if args.scheduler:
            wanted.append("--scheduler")
        if args.batch_chars:
            wanted.append("--batch-chars")
        _, self.missing = supported_options(command_help("build"), wanted)
        if self.missing and not args.drop_unsupported:
            fail(f"the installed `kg build` does not accept {', '.join(self.missing)} (this benchmark is "
                 "made for the CLI of issue 6: kg build INPUT... --out DIR --jobs N --no-cache ...). Install "
                 "that kg, or add --drop-unsupported to run without those options (figures then mean less)")
        if self.missing:
            print(f"benchmark: warning: leaving out {', '.join(self.missing)}, which this kg build does not "
                  "accept: --jobs and cache figures do not mean what the tables say", file=sys.stderr)

    def argv(self, corpus: Path, out: Path, jobs: int, cache: bool) -> list[str]:
        a = self.args
        opts: list[tuple[str, object]] = [("--jobs", jobs), ("--engine", a.engine),
                                          ("--scheduler", a.scheduler), ("--batch-chars", a.batch_chars)]
        kept: list[str] = []
        for flag, value in opts:
            if value is not None and flag not in self.missing:
                kept += [flag, str(value)]
        if not cache and "--no-cache" not in self.missing:
            kept.append("--no-cache")
        return [*KG, "build", str(corpus), "--out", str(out), *kept, *a.kg_arg]

    def run(self, corpus: Path, out: Path, jobs: int, *, cache: bool, log: Path) -> dict[str, Any]:
        argv = self.argv(corpus, out, jobs, cache)
        result = run_build(argv, log, interval=self.args.interval, full_interval=self.args.full_interval)
        if result["returncode"] != 0:
            err = log.read_text(encoding="utf-8", errors="replace")
            option = rejected_option(err)
            if option:
                fail(f"`kg build` rejected the option {option} (the benchmark is made for the CLI of issue "
                     f"6; check the installed kg and any --kg-arg). Command: {' '.join(argv)}")
            tail = "\n".join(err.strip().splitlines()[-15:])
            fail(f"`{' '.join(argv)}` failed with status {result['returncode']}:\n{tail}")
        result["report"] = read_report(out)
        result["summary"] = read_summary(log)
        return result


def run_build(argv: list[str], log: Path, *, interval: float, full_interval: float) -> dict[str, Any]:
    """Run one build: wall time, CPU time of the process tree, sampled memory, and the kernel's peak RSS."""
    import subprocess

    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
        with MemorySampler(proc.pid, interval=interval, full_interval=full_interval) as sampler:
            # wait4 (not Popen.wait): the rusage of this child and the descendants it waited for
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    peaks: MemoryPeaks = sampler.peaks
    return {
        "argv": argv[len(KG) - 1:],  # from "kg.cli" on; the interpreter is in machine()
        "seconds": round(seconds, 2),
        "returncode": proc.returncode,
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "max_rss_kernel": usage.ru_maxrss * 1024,  # KiB on Linux
        "memory": peaks.as_dict(),
        "log": str(log),
    }


def read_report(out: Path) -> dict[str, int]:
    """Documents, characters and triples from the build's report.md (a check that it built what we think)."""
    found: dict[str, int] = {}
    try:
        text = (out / "report.md").read_text(encoding="utf-8")
    except OSError:
        return found
    for key, pattern in (("documents", r"- documents: (\d+)"), ("characters", r"- characters: (\d+)"),
                         ("triples", r"- triples[^:]*: (\d+)")):
        m = re.search(pattern, text)
        if m:
            found[key] = int(m.group(1))
    return found


def read_summary(log: Path) -> dict[str, float]:
    """The build's summary on stderr: "N documents, N characters in X s (N extracted, N from the cache)"."""
    text = log.read_text(encoding="utf-8", errors="replace")
    found: dict[str, float] = {}
    m = re.search(r"(\d+) documents, (\d+) characters in ([\d.]+) s", text)
    if m:
        found.update(documents=int(m.group(1)), characters=int(m.group(2)), seconds=float(m.group(3)))
    m = re.search(r"(\d+) extracted, (\d+) from the cache", text)
    if m:
        found.update(extracted=int(m.group(1)), cached=int(m.group(2)))
    return found


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


# ------------------------------------------------------------------ the run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, nargs="+", default=[1, 10], metavar="N",
                        help="Corpus sizes to run: 1 (the corpus), 10 (it repeated 10 times) ... [1 10]")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], metavar="J",
                        help="--jobs values of the clean builds [1 2]; the speed-up is against --jobs 1")
    parser.add_argument("--incremental-jobs", type=int, default=None, metavar="J",
                        help="--jobs of the incremental builds [the largest of --jobs]")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="Source corpus [../shared/corpus/government-reports.jsonl, or $KG_BENCH_CORPUS]")
    parser.add_argument("--limit", type=int, default=None, metavar="DOCS",
                        help="Use only the first DOCS documents of the corpus (quick checks, not the "
                             "benchmark)")
    parser.add_argument("--work", type=Path, default=None,
                        help="Scratch folder for corpora, output folders and logs [a new temporary folder]")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the output folders (out-<N>x-j<J>, inc-<N>x) and corpora in --work")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH",
                        help="Write the figures here as JSON")
    parser.add_argument("--baseline", type=Path, default=None, metavar="JSON",
                        help="An earlier run's --json: its builds fill in scales this run lacks, for the "
                             "10x-vs-1x memory target (e.g. 1x today, 10x separately)")
    parser.add_argument("--skip-jieba", action="store_true", help="No jieba measurement (no ratios)")
    parser.add_argument("--skip-build", action="store_true", help="No clean --no-cache builds")
    parser.add_argument("--skip-incremental", action="store_true", help="No incremental (cache) builds")
    parser.add_argument("--skip-unchanged", action="store_true",
                        help="In the incremental part, no rebuild of the unchanged corpus")
    parser.add_argument("--jieba-repeat", type=int, default=3, help="Passes of jieba over the texts [3]")
    parser.add_argument("--interval", type=float, default=0.1, help="Memory sampling interval, s [0.1]")
    parser.add_argument("--full-interval", type=float, default=1.0,
                        help="Read PSS/USS at most every this many seconds, 0: never [1.0] (10-20 ms/GB)")
    parser.add_argument("--engine", default=None, help="Pass --engine to kg build (local, dask)")
    parser.add_argument("--scheduler", default=None, help="Pass --scheduler ADDRESS to kg build")
    parser.add_argument("--batch-chars", type=int, default=None, help="Pass --batch-chars to kg build")
    parser.add_argument("--kg-arg", action="append", default=[], metavar="ARG",
                        help="Any other argument for kg build, repeatable: --kg-arg=--no-model")
    parser.add_argument("--drop-unsupported", action="store_true",
                        help="For an older kg: leave out the options its build does not accept (with a "
                             "warning)")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.scale) or any(j < 1 for j in args.jobs):
        parser.error("--scale and --jobs take positive integers")
    inc_jobs = args.incremental_jobs or max(args.jobs)

    source = corpus_path(args.corpus)
    base_records = read_records(source, args.limit)
    builder = None if args.skip_build and args.skip_incremental else Builder(args)  # checks the CLI first
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "machine": machine(),
        "command": " ".join(sys.argv),
        "corpus": {"source": str(source), "limit": args.limit, "documents": len(base_records),
                   "characters": characters(base_records)},
        "work": str(work),
        "sampling": {"interval": args.interval, "full_interval": args.full_interval},
        "profile": profile_of(list(args.kg_arg)),
    }
    if builder:
        results["dropped_options"] = builder.missing
    print(f"benchmark: work folder {work}", file=sys.stderr)

    def save() -> None:  # after every step, so an interrupted run keeps what it measured
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    created: list[Path] = []
    try:
        if not args.skip_jieba:
            print(f"benchmark: jieba over {len(base_records)} documents x {args.jieba_repeat}",
                  file=sys.stderr)
            results["jieba"] = jieba_throughput([str(r["text"]) for r in base_records], args.jieba_repeat)
            save()
        jieba_cps = (results.get("jieba") or {}).get("chars_per_s")

        corpora: dict[int, Path] = {}
        for n in args.scale:
            if builder:
                path = work / f"corpus-{n}x.jsonl"
                corpora[n] = write_records(scaled_records(base_records, n), path)
                created.append(path)

        if not args.skip_build:
            assert builder is not None
            builds: list[dict[str, Any]] = results.setdefault("builds", [])
            for n in args.scale:
                chars = characters(base_records) * n
                for jobs in args.jobs:
                    out = fresh(work / f"out-{n}x-j{jobs}")
                    print(f"benchmark: build {n}x --jobs {jobs} --no-cache -> {out}", file=sys.stderr)
                    run = builder.run(corpora[n], out, jobs, cache=False, log=work / f"log-{n}x-j{jobs}.txt")
                    run.update(scale=n, jobs=jobs, documents=len(base_records) * n, characters=chars,
                               chars_per_s=round(chars / run["seconds"]),
                               output_bytes=folder_bytes(out))
                    if jieba_cps:
                        run["vs_jieba"] = round(run["chars_per_s"] / jieba_cps, 3)
                    builds.append(run)
                    if args.keep:
                        created.append(out)
                    else:
                        shutil.rmtree(out, ignore_errors=True)
                    save()
                one = next((b for b in builds if b["scale"] == n and b["jobs"] == 1), None)
                for b in builds:
                    if one and b["scale"] == n:
                        b["speedup"] = round(one["seconds"] / b["seconds"], 2)
                save()

        if not args.skip_incremental:
            assert builder is not None
            incremental: list[dict[str, Any]] = results.setdefault("incremental", [])
            for n in args.scale:
                out = fresh(work / f"inc-{n}x")
                edited, edited_id = edited_copy(corpora[n], work / f"corpus-{n}x-edited.jsonl")
                created.append(edited)
                entry: dict[str, Any] = {"scale": n, "jobs": inc_jobs, "edited_document": edited_id,
                                         "documents": len(base_records) * n}
                steps = [("clean", corpora[n])]
                if not args.skip_unchanged:
                    steps.append(("unchanged", corpora[n]))
                steps.append(("edited", edited))
                for step, corpus in steps:
                    print(f"benchmark: incremental {n}x --jobs {inc_jobs}: {step} build -> {out}",
                          file=sys.stderr)
                    log = work / f"log-inc-{n}x-{step}.txt"
                    run = builder.run(corpus, out, inc_jobs, cache=True, log=log)
                    run["cache_bytes"] = folder_bytes(out / ".kg-cache")
                    entry[step] = run
                    if step != "clean":
                        entry[f"{step}_vs_clean"] = round(run["seconds"] / entry["clean"]["seconds"], 3)
                    save()
                incremental.append(entry)
                if args.keep:
                    created.append(out)
                else:
                    shutil.rmtree(out, ignore_errors=True)
                save()

        results["targets"] = targets(results, load_baseline(args.baseline))
        save()
        print(render(results))
        if args.json:
            print(f"benchmark: figures written to {args.json}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"benchmark: kept {work} (" + ", ".join(p.name for p in created) + ")", file=sys.stderr)
        elif args.work is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            for p in created:
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    return 0


def load_baseline(path: Path | None) -> list[dict[str, Any]]:
    if path is None:
        return []
    try:
        return list(json.loads(path.read_text(encoding="utf-8")).get("builds", []))
    except (OSError, ValueError) as exc:
        fail(f"{path}: cannot read the baseline ({exc})")


# ------------------------------------------------------------------ targets and tables


def targets(results: dict[str, Any], baseline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    builds = results.get("builds", [])
    rows: list[dict[str, Any]] = []
    for b in builds:
        if "vs_jieba" in b:
            profile = results.get("profile", "default")
            target = TARGET_VS_JIEBA.get(profile, TARGET_VS_JIEBA["default"])
            rows.append({"target": f"build {b['scale']}x --jobs {b['jobs']} ({profile}) >= {target} x jieba",
                         "value": b["vs_jieba"], "ok": b["vs_jieba"] >= target})
    for b in builds:
        if b["jobs"] == 2 and "speedup" in b:
            rows.append({"target": f"speed-up {b['scale']}x --jobs 2 vs 1 >= {TARGET_SPEEDUP}"
                                   + ("" if b["scale"] == 10 else " (the target is for 10x)"),
                         "value": b["speedup"], "ok": b["speedup"] >= TARGET_SPEEDUP})
    known = {(b["scale"], b["jobs"]): b for b in baseline}
    known.update({(b["scale"], b["jobs"]): b for b in builds})
    for (scale, jobs), big in sorted(known.items()):
        one = known.get((1, jobs))
        if scale == 10 and one is not None:
            ratio = big["memory"]["total_rss"] / one["memory"]["total_rss"]
            rows.append({"target": f"peak total RSS 10x / 1x (--jobs {jobs}) < {TARGET_MEMORY_GROWTH}",
                         "value": round(ratio, 2), "ok": ratio < TARGET_MEMORY_GROWTH})
            if big["memory"].get("total_pss") and one["memory"].get("total_pss"):
                # RSS counts pages that forked workers share once per worker; PSS splits them
                ratio = big["memory"]["total_pss"] / one["memory"]["total_pss"]
                rows.append({"target": f"peak total PSS 10x / 1x (--jobs {jobs}) < {TARGET_MEMORY_GROWTH}",
                             "value": round(ratio, 2), "ok": ratio < TARGET_MEMORY_GROWTH})
    for inc in results.get("incremental", []):
        rows.append({"target": f"incremental {inc['scale']}x: one document edited, vs clean build (no fixed "
                               "target: well below 1)", "value": inc.get("edited_vs_clean"), "ok": None})
    return rows


def render(results: dict[str, Any]) -> str:
    out: list[str] = []
    c = results["corpus"]
    m = results["machine"]
    out.append(f"## kg build benchmark ({m.get('date')})\n")
    dirty = " (kg/ modified)" if m.get("kg_dirty") else ""
    out.append(f"Machine: {m.get('cpu', '?')}, {m.get('cpus_usable', m.get('cpus'))} CPUs usable, "
               f"{m.get('memory_gb', '?')} GB, Python {m.get('python')}; load average at start "
               f"{m.get('load_average', '?')}; kg at {m.get('kg_commit')}{dirty}")
    limited = f" (first {c['limit']} documents only: NOT the benchmark corpus)" if c.get("limit") else ""
    out.append(f"Corpus 1x: {c['documents']} documents, {c['characters']:,} characters{limited}")
    if results.get("dropped_options"):
        out.append(f"**Left out (kg build does not accept them): {', '.join(results['dropped_options'])}**")
    if "jieba" in results:
        j = results["jieba"]
        out.append(f"\nBare jieba {j.get('jieba')}: {j['chars_per_s']:,} characters/s (median of "
                   f"{j['seconds']} s over {j['characters']:,} characters; initialize {j['init_seconds']} s, "
                   "not counted)")
    if results.get("builds"):
        out.append("\n### Clean builds (--no-cache)\n")
        rows = []
        for b in results["builds"]:
            mem = b["memory"]
            rows.append([f"{b['scale']}x", b["documents"], b["jobs"], f"{b['seconds']:.1f}",
                         f"{b['chars_per_s']:,}", b.get("vs_jieba"), b.get("speedup"),
                         f"{b['cpu_seconds']:.0f}", mb(mem["total_rss"]), mb(mem["largest_rss"]),
                         mb(b["max_rss_kernel"]), mb(mem["total_pss"]), mb(mem["total_uss"]),
                         mem["processes"], b.get("report", {}).get("documents")])
        out.append(markdown_table(
            ["corpus", "docs", "jobs", "wall s", "chars/s", "/ jieba", "speed-up", "CPU s",
             "peak total RSS MB", "peak largest RSS MB", "kernel max RSS MB", "peak total PSS MB",
             "peak total USS MB", "processes", "docs in report"], rows))
        cost = max(b["memory"]["sampler_cpu_seconds"] / b["seconds"] for b in results["builds"])
        out.append(f"\n(memory sampled every {results['sampling']['interval']} s; the sampler used at most "
                   f"{cost:.1%} of one CPU)")
    if results.get("incremental"):
        out.append("\n### Incremental rebuilds (cache in OUT/.kg-cache)\n")
        rows = []
        for inc in results["incremental"]:
            for step in ("clean", "unchanged", "edited"):
                if step in inc:
                    r = inc[step]
                    summary = r.get("summary", {})
                    rows.append([f"{inc['scale']}x", inc["jobs"], step, f"{r['seconds']:.1f}",
                                 inc.get(f"{step}_vs_clean", 1.0 if step == "clean" else None),
                                 summary.get("extracted"), summary.get("cached"),
                                 mb(r["memory"]["total_rss"]), mb(r["cache_bytes"]),
                                 r.get("report", {}).get("documents")])
        out.append(markdown_table(["corpus", "jobs", "build", "wall s", "vs clean", "extracted", "from cache",
                                   "peak total RSS MB", "cache MB", "docs in report"], rows))
        edited = results["incremental"][0]["edited_document"]
        out.append(f"\n(edited: one sentence added to document {edited!r})")
    if results.get("targets"):
        out.append("\n### Targets\n")
        met = {True: "yes", False: "**no**", None: "–"}
        out.append(markdown_table(["target", "value", "met"],
                                  [[t["target"], t["value"], met[t["ok"]]] for t in results["targets"]]))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
