"""Writing files and folders so that a failure never leaves a half-written one: a temporary sibling, then a
rename (``os.replace``), so a reader sees the old version or the new one, never a mix.

One mode policy for everything kg writes: what ``open()`` gives, 0666 (files) or 0777 (folders) less the
umask (0644 / 0755 under the usual umask 022). Not :mod:`tempfile`'s ``mkstemp``/``mkdtemp``: theirs are
private (0600 / 0700), and kg's output is meant to be shared.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from kg.core.errors import OutputError

__all__ = ["BUILD_MARKER", "atomic_binary_file", "atomic_text_file", "atomic_write", "recover_folder",
           "replace_folder", "temporary_folder"]


#: The file every ``kg build`` writes into its output folder: it marks a folder a later build may replace, and
#: that reading a corpus skips.
BUILD_MARKER = ".kg-build"


def atomic_write(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write ``data`` (text as UTF-8 with the newlines it has) to ``path`` at once."""
    with atomic_binary_file(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def atomic_text_file(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file (``\\n`` newlines) beside ``path`` that replaces ``path`` only if the block succeeds."""
    with atomic_binary_file(path) as raw, open(raw.fileno(), "w", encoding=encoding, newline="\n",
                                               closefd=False) as handle:
        yield handle


@contextmanager
def atomic_binary_file(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file beside ``path`` that replaces ``path`` only if the block succeeds (synced first)."""
    target = Path(path)
    tmp = _sibling(target, "")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror or exc})") from exc
    try:
        with open(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def temporary_folder(target: Path) -> Path:
    """A new empty folder beside ``target``, to fill and then move into place with :func:`replace_folder`."""
    tmp = _sibling(target, "")
    try:
        tmp.mkdir(0o777)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror or exc})") from exc
    return tmp


def replace_folder(tmp: Path, target: Path) -> None:
    """Put the finished folder ``tmp`` at ``target``, keeping the old one until the new one is in place.

    Two renames: ``target`` to ``.<name>.old-<pid>-<random>.tmp``, then ``tmp`` to ``target``. A process
    killed between them leaves no ``target``: :func:`recover_folder` puts the old one back.
    """
    old = None
    if target.exists():
        old = _sibling(target, "old-")
        os.replace(target, old)
    try:
        os.replace(tmp, target)
    except OSError:
        if old is not None and not target.exists():
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def recover_folder(target: Path) -> list[str]:
    """Clean up after a process killed while it was replacing ``target``; what was done, one line each.

    Only leftovers of dead processes are touched (the process id is in their names): an old ``target``
    moved aside (``.<name>.old-<pid>-*.tmp``) is put back when ``target`` is missing (the swap is rolled
    back) and removed otherwise; an unfinished new one (``.<name>.<pid>-*.tmp``) is removed, after giving
    ``target`` back the extraction cache (``.kg-cache``) it may hold.
    """
    target = Path(target)
    folder = target.parent
    if not target.name or not folder.is_dir():
        return []
    done: list[str] = []
    olds: list[Path] = []
    news: list[Path] = []
    for entry in folder.iterdir():
        m = _LEFTOVER.fullmatch(entry.name)
        if m is None or m.group("name") != target.name or not entry.is_dir() or _alive(int(m.group("pid"))):
            continue
        (olds if m.group("old") else news).append(entry)
    for old in sorted(olds, key=lambda p: p.stat().st_mtime_ns, reverse=True):
        if not target.exists() and not target.is_symlink():
            os.replace(old, target)
            done.append(f"{target}: restored the previous folder from {old.name} (an interrupted swap)")
        else:
            shutil.rmtree(old, ignore_errors=True)
            done.append(f"{target}: removed {old.name}, left by an interrupted swap")
    for new in news:
        cache = new / ".kg-cache"
        if cache.is_dir() and target.is_dir() and not (target / ".kg-cache").exists():
            os.replace(cache, target / ".kg-cache")
        shutil.rmtree(new, ignore_errors=True)
        done.append(f"{target}: removed {new.name}, left by an interrupted build")
    return done


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<old>old-)?(?P<pid>\d+)-[0-9a-f]{12}\.tmp")


def _sibling(target: Path, kind: str) -> Path:
    """An unused hidden name beside ``target``: ``.<name>.<kind><random>.tmp``."""
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist")
    return folder / f".{target.name}.{kind}{os.getpid()}-{secrets.token_hex(6)}.tmp"
