"""Time every saved query (``kg query OUT --saved NAME``) on a build folder: median of --runs.

    python benchmarks/queries.py /tmp/kg-bench/out-10x-j2                      # every saved query
    python benchmarks/queries.py output --only entity shortest-chain --runs 5
    python benchmarks/queries.py OUT --bind shortest-chain from 国务院 --bind shortest-chain to 全国人大常委会
    python benchmarks/queries.py OUT --json queries.json --skip-inprocess

For each saved query (``kg query --list``), with its parameters (defaults below, for the government-reports
corpus; ``--bind QUERY VAR VALUE`` overrides or adds):

- cli: the whole ``kg query OUT --saved NAME --bind ...`` process, wall time from start to exit
  (interpreter start, imports, opening the store, the query, formatting the answer; stdout discarded), and
  the query time the command itself reports on stderr ("N rows in X s");
- in-process: :func:`kg.sparql.answers.run_saved` on a store opened once with
  :func:`kg.sparql.store.open_store` (the API of the README's "From Python" section): the first run, and
  the median of the runs.

Before timing, one untimed ``kg query OUT --saved dataset`` makes sure the store is there and up to date (it
is rebuilt when older than graph.nq), and ``kg query --list`` gives the startup cost of a ``kg query``
process.
A parametrised query that answers no rows did the most work it can (a shortest chain searched to length 4,
found nothing): pick names of the graph with ``--bind`` to time a query that finds something.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import KG, fail, machine, markdown_table  # noqa: E402

#: Parameters of the saved queries that need some, chosen for the government-reports corpus (1x or 10x).
#: Optional parameters (type of shared-across-provinces, target-groups) are left unbound.
DEFAULT_BINDINGS: dict[str, dict[str, str]] = {
    "entity": {"name": "国务院"},
    "shortest-chain": {"from": "国务院", "to": "全国人大常委会"},
}


def saved_queries() -> list[tuple[str, list[str]]]:
    """The saved queries and the variables they take, from ``kg.sparql.query.list_saved``."""
    from kg.sparql.query import list_saved

    return [(q.name, [var for var, _ in q.parameters]) for q in list_saved()]


def run_cli(argv: list[str]) -> tuple[float, int, str]:
    import subprocess

    started = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    return time.perf_counter() - started, done.returncode, done.stderr.decode("utf-8", "replace")


def reported(stderr: str) -> tuple[int | None, float | None]:
    """Rows and seconds from kg query's "N rows in X s"."""
    m = re.search(r"(\d+) rows? in ([\d.]+) s", stderr)
    return (int(m.group(1)), float(m.group(2))) if m else (None, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="A build folder (kg build --out), a store or an RDF file")
    parser.add_argument("--runs", type=int, default=3, help="Timed runs per query and way [3]")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="Only these saved queries")
    parser.add_argument("--bind", nargs=3, action="append", default=[], metavar=("QUERY", "VAR", "VALUE"),
                        help="Bind VAR of saved query QUERY to VALUE (repeatable); overrides the defaults")
    parser.add_argument("--format", default="table", choices=["table", "csv", "tsv", "json"],
                        help="kg query --format of the CLI runs [table]")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="kg query --timeout, seconds [120]; a query stopped by it is reported as such")
    parser.add_argument("--skip-cli", action="store_true", help="No kg query processes")
    parser.add_argument("--skip-inprocess", action="store_true", help="No in-process runs")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="Write the figures as JSON")
    args = parser.parse_args(argv)
    if not args.out.exists():
        fail(f"{args.out}: no such build folder")
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    queries = saved_queries()
    known = {name for name, _ in queries}
    for name in args.only or []:
        if name not in known:
            fail(f"no saved query {name!r} (known: {', '.join(sorted(known))})")
    bindings: dict[str, dict[str, str]] = {k: dict(v) for k, v in DEFAULT_BINDINGS.items()}
    for name, var, value in args.bind:
        if name not in known:
            fail(f"--bind {name} {var}: no saved query {name!r}")
        bindings.setdefault(name, {})[var] = value
    for name, params in queries:
        missing = [p for p in params if p not in bindings.get(name, {})]
        required = {"entity": ["name"], "shortest-chain": ["from", "to"]}.get(name, [])
        if any(p in required for p in missing):
            fail(f"saved query {name!r} needs --bind {name} {missing[0]} VALUE")

    results: dict[str, Any] = {"machine": machine(), "target": str(args.out.resolve()), "runs": args.runs,
                               "queries": []}
    print(f"benchmark: warming up (store check) on {args.out}", file=sys.stderr)
    seconds, code, err = run_cli([*KG, "query", str(args.out), "--saved", "dataset", "--timeout", "0"])
    if code != 0:
        fail(f"kg query {args.out} --saved dataset failed: {err.strip()[-400:]}")
    results["warm_up_seconds"] = round(seconds, 3)
    startup = [run_cli([*KG, "query", "--list"])[0] for _ in range(args.runs)]
    results["startup_seconds"] = round(statistics.median(startup), 3)

    store = None
    if not args.skip_inprocess:
        from kg.sparql.store import open_store

        started = time.perf_counter()
        store = open_store(args.out)
        results["open_store_seconds"] = round(time.perf_counter() - started, 3)

    for name, _ in queries:
        if args.only and name not in args.only:
            continue
        bound = bindings.get(name, {})
        entry: dict[str, Any] = {"query": name, "bindings": bound}
        if not args.skip_cli:
            cmd = [*KG, "query", str(args.out), "--saved", name, "--format", args.format,
                   "--timeout", str(args.timeout)]
            for var, value in bound.items():
                cmd += ["--bind", var, value]
            walls, inner = [], []
            for _ in range(args.runs):
                wall, code, err = run_cli(cmd)
                if code != 0:
                    entry["cli_error"] = err.strip().splitlines()[-1] if err.strip() else f"status {code}"
                    break
                rows, secs = reported(err)
                walls.append(wall)
                if secs is not None:
                    inner.append(secs)
                entry["rows"] = rows
            if walls:
                entry["cli_wall_median"] = round(statistics.median(walls), 3)
                entry["cli_wall"] = [round(w, 3) for w in walls]
            if inner:
                entry["cli_query_median"] = round(statistics.median(inner), 3)
            print(f"benchmark: {name}: cli {entry.get('cli_wall_median', entry.get('cli_error'))}",
                  file=sys.stderr)
        if store is not None:
            from kg.sparql.answers import run_saved

            times = []
            try:
                for _ in range(args.runs):
                    started = time.perf_counter()
                    result = run_saved(store, name, bound, timeout=args.timeout or None)
                    times.append(time.perf_counter() - started)
                entry["rows"] = len(result.rows) if result.kind == "select" else entry.get("rows")
            except Exception as exc:  # a KGError (timeout ...) or anything else: report, go on
                entry["inprocess_error"] = f"{type(exc).__name__}: {exc}"
            if times:
                entry["inprocess_first"] = round(times[0], 3)
                entry["inprocess_median"] = round(statistics.median(times), 3)
        results["queries"].append(entry)
        if args.json:
            args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    print(render(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"benchmark: figures written to {args.json}", file=sys.stderr)
    return 0


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [f"## Saved queries on {results['target']} ({m.get('date')})", "",
             f"Machine: {m.get('cpu', '?')}, {m.get('cpus_usable', m.get('cpus'))} CPUs; load average "
             f"{m.get('load_average', '?')}; kg at {m.get('kg_commit')}. Median of {results['runs']} runs; "
             f"`kg query --list` (process start-up) {results['startup_seconds']} s; warm-up "
             f"{results['warm_up_seconds']} s"
             + (f"; open_store {results['open_store_seconds']} s" if "open_store_seconds" in results else ""),
             ""]
    rows = []
    for q in results["queries"]:
        bound = " ".join(f"{k}={v}" for k, v in q["bindings"].items())
        note = q.get("cli_error") or q.get("inprocess_error") or ("no rows" if q.get("rows") == 0 else "")
        rows.append([q["query"], bound, q.get("rows"), q.get("cli_wall_median"), q.get("cli_query_median"),
                     q.get("inprocess_first"), q.get("inprocess_median"), note])
    lines.append(markdown_table(["query", "bindings", "rows", "kg query wall s", "its query s",
                                 "in-process first s", "in-process median s", "note"], rows))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
