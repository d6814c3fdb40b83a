"""Shared helpers of the build and query benchmarks: the benchmark corpus, the scaled and edited copies of it,
running ``kg`` as a subprocess, and sampling the memory of a process tree.

Nothing here imports ``kg``: the benchmarks measure the installed command as a user runs it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import NoReturn

REPO = Path(__file__).resolve().parent.parent
#: The development and benchmark corpus (61 documents, 1.34 M characters), beside the repository.
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "government-reports.jsonl"
#: ``kg`` as the benchmarks run it: the same interpreter (so the same virtual environment) as the benchmark.
KG = [sys.executable, "-m", "kg.cli"]


def fail(message: str) -> NoReturn:
    """Stop with a clear one-line message (missing corpus, an option ``kg`` rejects, a failed build)."""
    print(f"benchmark: {message}", file=sys.stderr)
    raise SystemExit(2)


# ------------------------------------------------------------------ corpus


def corpus_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The corpus: ``path``, else ``$KG_BENCH_CORPUS``, else ``../shared/corpus/government-reports.jsonl``."""
    found = Path(path or os.environ.get("KG_BENCH_CORPUS") or DEFAULT_CORPUS)
    if not found.is_file():
        fail(f"{found}: corpus not found (give --corpus PATH or set KG_BENCH_CORPUS)")
    return found


def read_records(path: Path, limit: int | None = None) -> list[dict[str, object]]:
    """The JSON objects of a JSONL corpus (``{"id", "text", ...}``), the first ``limit`` only if given."""
    records: list[dict[str, object]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                records.append(json.loads(line))
                if limit is not None and len(records) >= limit:
                    break
    return records


def characters(records: Sequence[dict[str, object]]) -> int:
    """Characters of the ``text`` fields (what the throughput figures divide by)."""
    return sum(len(str(r["text"])) for r in records)


def write_records(records: Sequence[dict[str, object]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def scaled_records(records: Sequence[dict[str, object]], times: int) -> list[dict[str, object]]:
    """``records`` repeated ``times`` times. With ``times`` > 1 every copy gets a distinct id
    (``gwr-2019#r3``), so a build sees ``times`` × as many documents, with the same text; 1 keeps the ids."""
    if times < 1:
        raise ValueError("times must be at least 1")
    if times == 1:
        return [dict(r) for r in records]
    return [{**r, "id": f"{r['id']}#r{k}"} for k in range(times) for r in records]


def make_corpus(dest: Path, times: int, *, source: Path | None = None, limit: int | None = None) -> Path:
    """Write the ``times``× corpus (see :func:`scaled_records`) to ``dest``; ``limit``: first documents."""
    return write_records(scaled_records(read_records(corpus_path(source), limit), times), dest)


#: The sentence :func:`edited_copy` adds to the edited document, so that it changes (text, content hash,
#: extraction) and nothing else does.
EDIT = "国务院办公厅印发《关于进一步做好基准测试工作的通知》，要求各地区各部门认真贯彻落实。"


def edit_text(text: str, sentence: str = EDIT) -> str:
    """``text`` with ``sentence`` inserted after its first full stop (。), in the body rather than at the end,
    where the texts carry a source footer that the reader may set aside as boilerplate."""
    cut = text.find("。")
    return text + sentence if cut < 0 else text[: cut + 1] + sentence + text[cut + 1:]


def edited_copy(source: Path, dest: Path, *, index: int = 0, sentence: str = EDIT) -> tuple[Path, str]:
    """A copy of the corpus ``source`` with one sentence added to the text of its ``index``-th document.

    Returns the copy and the id of the edited document. Every other line is copied byte for byte.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    edited_id = None
    seen = 0
    with source.open(encoding="utf-8") as src, dest.open("w", encoding="utf-8") as out:
        for line in src:
            if line.strip() and seen == index:
                record = json.loads(line)
                record["text"] = edit_text(str(record["text"]), sentence)
                edited_id = str(record["id"])
                line = json.dumps(record, ensure_ascii=False) + "\n"
            if line.strip():
                seen += 1
            out.write(line)
    if edited_id is None:
        fail(f"{source}: has no document number {index}")
    return dest, edited_id


# ------------------------------------------------------------------ the kg command


def command_help(*subcommand: str) -> str:
    done = subprocess.run([*KG, *subcommand, "--help"], capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"`kg {' '.join(subcommand)} --help` failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def supported_options(help_text: str, options: Sequence[str]) -> tuple[list[str], list[str]]:
    """Which of ``options`` (``--jobs`` ...) a command's ``--help`` lists, and which it does not."""
    known = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", help_text))
    return [o for o in options if o in known], [o for o in options if o not in known]


def rejected_option(stderr: str) -> str | None:
    """The option click refused (``No such option: --jobs``), if that is why a command failed."""
    m = re.search(r"No such option:?\s*'?(-[\w-]+)", stderr)
    return m.group(1) if m else None


# ------------------------------------------------------------------ memory of a process tree


@dataclass
class MemoryPeaks:
    """Peaks over the run, in bytes. ``total_rss``: sum of RSS over the process and all its descendants at
    one sample (shared pages counted once per process, so an overestimate when workers share memory);
    ``largest_rss``: the largest single process; ``total_pss``/``total_uss``: the same sum of PSS (shared
    pages divided among the processes sharing them) and USS (pages of the process alone), sampled less
    often."""

    total_rss: int = 0
    largest_rss: int = 0
    total_pss: int | None = None
    total_uss: int | None = None
    processes: int = 0
    samples: int = 0
    full_samples: int = 0
    sampler_cpu_seconds: float = 0.0  # CPU time of the sampling thread (its cost to the machine)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class MemorySampler:
    """Samples the memory of ``pid`` and its descendants every ``interval`` seconds, in a thread.

    RSS at every sample; PSS and USS (``memory_full_info``, which reads /proc/PID/smaps_rollup: its cost grows
    with the RSS, 10-20 ms per GB) at most every ``full_interval`` seconds, or never when 0.
    """

    pid: int
    interval: float = 0.1
    full_interval: float = 1.0
    peaks: MemoryPeaks = field(default_factory=MemoryPeaks)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> MemorySampler:
        import psutil  # noqa: F401  (fail before the run, not in the thread)

        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _tree(self) -> Iterator[object]:
        import psutil

        try:
            root = psutil.Process(self.pid)
            yield root
            yield from root.children(recursive=True)
        except psutil.Error:
            return

    def _run(self) -> None:
        import psutil

        cpu_started = time.thread_time()
        last_full = float("-inf")
        while not self._stop.is_set():
            started = time.perf_counter()
            full = self.full_interval > 0 and started - last_full >= self.full_interval
            if full:
                last_full = started
            rss_sum = largest = pss_sum = uss_sum = count = 0
            full_ok = full
            for proc in self._tree():
                try:
                    if full:
                        info = proc.memory_full_info()  # type: ignore[attr-defined]
                        pss_sum += getattr(info, "pss", 0)
                        uss_sum += info.uss
                    else:
                        info = proc.memory_info()  # type: ignore[attr-defined]
                except psutil.AccessDenied:
                    full_ok = False
                    continue
                except psutil.Error:  # the process ended between listing and reading
                    continue
                rss_sum += info.rss
                largest = max(largest, info.rss)
                count += 1
            p = self.peaks
            if count:
                p.samples += 1
                p.total_rss = max(p.total_rss, rss_sum)
                p.largest_rss = max(p.largest_rss, largest)
                p.processes = max(p.processes, count)
                if full and full_ok:
                    p.full_samples += 1
                    p.total_pss = max(p.total_pss or 0, pss_sum)
                    p.total_uss = max(p.total_uss or 0, uss_sum)
            p.sampler_cpu_seconds = round(time.thread_time() - cpu_started, 3)
            self._stop.wait(max(0.0, self.interval - (time.perf_counter() - started)))


# ------------------------------------------------------------------ running and timing a command


@dataclass
class Run:
    argv: list[str]
    seconds: float
    returncode: int
    stderr: str
    memory: MemoryPeaks | None = None


def run_timed(argv: Sequence[str], *, sample: bool = False, interval: float = 0.1, full_interval: float = 1.0,
              stdout_path: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` and time it from start to exit (wall clock); with ``sample``, track its tree's memory.

    stdout goes to ``stdout_path`` (or is discarded), stderr is kept for messages.
    """
    out = stdout_path.open("wb") if stdout_path else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=subprocess.PIPE, env=env)
        if sample:
            with MemorySampler(proc.pid, interval=interval, full_interval=full_interval) as sampler:
                _, err = proc.communicate()
            peaks: MemoryPeaks | None = sampler.peaks
        else:
            _, err = proc.communicate()
            peaks = None
        seconds = time.perf_counter() - started
    finally:
        if stdout_path:
            out.close()  # type: ignore[union-attr]
    return Run(list(argv), seconds, proc.returncode, err.decode("utf-8", "replace"), peaks)


def mb(n: int | None) -> str:
    """Bytes as MiB for the tables: whole numbers, one decimal under 10."""
    if n is None:
        return "–"
    return f"{n / 2**20:.1f}" if n < 10 * 2**20 else f"{n / 2**20:,.0f}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join("–" if c is None else str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    import platform

    info: dict[str, object] = {"python": platform.python_version(), "platform": platform.platform(),
                               "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M %Z")}
    try:
        affinity = os.sched_getaffinity(0)
        info["cpus_usable"] = len(affinity)
    except AttributeError:
        pass
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            models = [ln.split(":", 1)[1].strip() for ln in handle if ln.startswith("model name")]
        if models:
            info["cpu"] = models[0]
    except OSError:
        pass
    try:
        import psutil

        info["memory_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except ImportError:
        pass
    try:
        info["kg_commit"] = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                           capture_output=True, text=True).stdout.strip() or None
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "kg"],
                               capture_output=True, text=True).stdout.strip()
        info["kg_dirty"] = bool(dirty)
    except OSError:
        pass
    return info
