"""Where the build's per-batch work runs: in this process, in a pool of worker processes, or on Dask.

Every engine has one method, :meth:`Engine.map`: apply a picklable top-level function to a stream of tasks
and yield the results **in task order**, with at most ``window`` tasks in flight, so that neither the tasks
(documents) nor the results (shards) pile up in memory however long the stream is. Because results come
back in order and each task is a pure function of its input, the output does not depend on the engine or
on the number of workers.

- ``local`` with ``jobs=1``: in this process (no pickling; what the tests and small inputs use);
- ``local`` with ``jobs=N``: ``N`` worker processes (:class:`concurrent.futures.ProcessPoolExecutor`),
  each loading the pipeline once, on first use (``kg.nlp.pipeline.shared_nlp`` is cached per process);
- ``dask``: one Dask task per batch on the cluster at ``scheduler`` (``tcp://host:8786``), or on a
  ``LocalCluster`` of ``jobs`` worker processes started for the run when no address is given.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

from kg.core.errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")

ENGINES = ("local", "dask")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class Engine(Protocol):
    name: str
    workers: int

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None: ...


class InProcess:
    """Run each task here, one after the other."""

    name = "local"
    workers = 1

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        for task in tasks:
            yield fn(task)

    def close(self) -> None:
        pass


def _bounded(submit: Callable[[Any], Any], result: Callable[[Any], R], tasks: Iterable[Any],
             window: int) -> Iterator[R]:
    """Submit tasks as results are taken, keeping at most ``window`` in flight; yield results in order."""
    pending: deque[Any] = deque()
    iterator = iter(tasks)
    exhausted = False
    while True:
        while not exhausted and len(pending) < window:
            try:
                task = next(iterator)
            except StopIteration:
                exhausted = True
                break
            pending.append(submit(task))
        if not pending:
            return
        yield result(pending.popleft())


def _end_with_parent(parent: int) -> None:
    """Worker initializer: make this worker end when the build that started it ends, however it ends.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``), even after a
    SIGKILL of the parent, which no handler of its own could catch; elsewhere a daemon thread polls the
    parent's process id. Either way the parent may already be gone, so the id is checked once at once.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread below does it
            pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


_PR_SET_PDEATHSIG = 1


class ProcessPool:
    """``jobs`` worker processes on this machine, which end with the build (:func:`_end_with_parent`)."""

    name = "local"

    def __init__(self, jobs: int) -> None:
        self.workers = jobs
        # fork: workers start at once and inherit the imported modules; spaCy and jieba are fork-safe as
        # long as the parent has not loaded a pipeline, and the build never loads one in the parent.
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                              else "spawn")
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_end_with_parent,
                                         initargs=(os.getpid(),))

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        return _bounded(lambda t: self._pool.submit(fn, t), lambda f: f.result(), tasks, 2 * self.workers)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskEngine:
    """One Dask task per batch, on an existing cluster or on a LocalCluster started for this run."""

    name = "dask"

    def __init__(self, scheduler: str | None, jobs: int) -> None:
        try:  # lazily: Dask is an optional extra (kg[dask]), and heavy to import for the builds that skip it
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:
            raise ConfigError("--engine dask needs Dask: pip install 'kg[dask]'") from exc
        self._cluster = None
        try:
            if scheduler:
                self._client = Client(scheduler, timeout="30s")
            else:
                self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            raise ConfigError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from exc
        info = self._client.scheduler_info()
        threads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
        self.workers = max(1, threads)

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        # pure=False: a task is submitted once per run; Dask must not merge two equal-looking batches.
        return _bounded(lambda t: self._client.submit(fn, t, pure=False), lambda f: f.result(), tasks,
                        2 * self.workers)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str = "local", *, jobs: int | None = None, scheduler: str | None = None) -> Engine:
    """The engine for ``kg build --engine NAME --jobs N [--scheduler ADDRESS]``."""
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    if jobs is not None and jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, not {jobs}")
    if scheduler and name != "dask":
        raise ConfigError("--scheduler is for --engine dask")
    n = jobs or default_jobs()
    if name == "dask":
        return DaskEngine(scheduler, n)
    return InProcess() if n == 1 else ProcessPool(n)
