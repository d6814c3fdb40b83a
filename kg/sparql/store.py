"""The embedded Oxigraph store that ``kg query`` and ``kg serve`` read (rdflib builds; Oxigraph answers).

A build folder (what ``kg build --out`` writes) keeps its store in ``<out>/store/``, bulk-loaded from
``graph.nq`` (or ``graph.trig``). A store records, in ``kg-store.json`` inside its folder, the size and
modification time of the files it was loaded from; :func:`open_store` rebuilds it when they no longer match,
so a second query never parses the RDF again, and a rebuilt graph is never queried through a stale store.

A store is always (re)built in a temporary sibling folder and then renamed into place, never written where it
is: the ``oxigraph serve-read-only`` process of ``kg serve`` may have the old one open, and Oxigraph leaves
reading a store that another process writes undefined. For the same reason :func:`open_store` opens stores
read-only (:meth:`pyoxigraph.Store.read_only`), so any number of queries and a server can share one.

A store that cannot be opened (a truncated or damaged SST file, an empty ``CURRENT``, a folder of another
program) is rebuilt from the files it was loaded from when it belongs to a build folder or an RDF file, and
those files load; otherwise the error is one line (:class:`~kg.core.errors.InputError`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import queue
import shutil
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.core.errors import InputError, OutputError, printable
from kg.core.files import recover_folder, replace_folder, temporary_folder
from kg.core.folder import BuildFolder
from kg.rdf.namespaces import ONTOLOGY_GRAPHS

__all__ = [
    "STAMP",
    "StoreLoader",
    "cache_dir",
    "create_store",
    "ensure_store",
    "is_store",
    "ontology_files",
    "open_store",
    "rdf_format",
    "rebuild_store",
    "source_files",
    "store_path",
]

#: The file, inside a store folder, naming the RDF files the store was loaded from.
STAMP = "kg-store.json"
_STAMP_VERSION = 1
#: Extensions of the RDF files a store can be loaded from.
RDF_EXTENSIONS = frozenset({"nq", "trig", "ttl", "nt", "jsonld", "rdf", "owl", "n3"})


def store_path(out_dir: str | os.PathLike[str]) -> Path:
    """Where the store of a build folder lives: ``<out_dir>/store``."""
    return BuildFolder(Path(out_dir)).store


def cache_dir() -> Path:
    """Where stores of single RDF files are cached: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg/stores``."""
    if env := os.environ.get("KG_CACHE_DIR"):
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "kg" / "stores"


def is_store(folder: str | os.PathLike[str]) -> bool:
    """True if ``folder`` holds an Oxigraph (RocksDB) store."""
    path = Path(folder)
    return path.is_dir() and ((path / STAMP).is_file() or (path / "CURRENT").is_file())


def rdf_format(path: str | os.PathLike[str]) -> ox.RdfFormat:
    """The RDF syntax of ``path`` from its extension (.nq, .trig, .ttl, .nt, .jsonld, .rdf, .n3 ...)."""
    p = Path(path)
    suffix = p.suffix.lstrip(".").lower()
    fmt = ox.RdfFormat.from_extension(suffix) if suffix in RDF_EXTENSIONS else None
    if fmt is None:
        raise InputError(p, f"not an RDF file this tool reads (unknown extension {p.suffix or '(none)'!r}; "
                            "use .nq, .trig, .ttl, .nt, .jsonld or .rdf)")
    return fmt


def source_files(target: str | os.PathLike[str]) -> list[Path]:
    """The RDF files a store of ``target`` is loaded from: a build folder's shards (else its graph.nq or
    graph.trig), then its ontology files; or the file itself."""
    path = Path(target)
    if path.is_dir():
        folder = BuildFolder(path)
        ontology = ontology_files(path)
        shards = folder.shard_files()
        if shards:
            return shards + ontology
        for file in folder.datasets:
            if file.is_file():
                return [file, *ontology]
        names = ", ".join(f.name for f in folder.datasets)
        raise InputError(path, f"not a build folder: it holds none of {names}")
    if path.is_file():
        rdf_format(path)
        return [path]
    raise InputError(path, "no such file or folder")


def ontology_files(build_dir: str | os.PathLike[str]) -> list[Path]:
    """The ontology files a build folder holds (``ontology/governance.ttl``, ``ontology/shapes.ttl``)."""
    folder = BuildFolder(build_dir).ontology
    return [folder / name for name in sorted(ONTOLOGY_GRAPHS) if (folder / name).is_file()]


def _graph_for(path: Path) -> ox.NamedNode:
    """The named graph a file of triples is loaded into: the ontology's IRI for a build's ontology files, else
    the file's own URI."""
    if path.parent.name == BuildFolder(path.parent.parent).ontology.name and path.name in ONTOLOGY_GRAPHS:
        return ox.NamedNode(ONTOLOGY_GRAPHS[path.name])
    return ox.NamedNode(path.resolve().as_uri())


def _stamp(files: Sequence[Path]) -> dict[str, object]:
    sources = []
    for f in files:
        st = f.stat()
        sources.append({"path": printable(str(f.resolve())), "size": st.st_size, "mtime_ns": st.st_mtime_ns})
    return {"version": _STAMP_VERSION, "pyoxigraph": ox.__version__, "sources": sources}


def _same_sources(store_dir: Path, files: Sequence[Path]) -> bool:
    """True if the store's stamp names exactly ``files`` with their current size and modification time.

    Paths are compared by name only, so a build folder that was moved or renamed (``kg build`` writes into a
    temporary folder and renames it) keeps its store.
    """
    try:
        recorded = json.loads((store_dir / STAMP).read_text(encoding="utf-8"))
        current = _stamp(files)
        if recorded.get("version") != _STAMP_VERSION or recorded.get("pyoxigraph") != current["pyoxigraph"]:
            return False
        old = [(Path(s["path"]).name, s["size"], s["mtime_ns"]) for s in recorded["sources"]]
        new = [(Path(str(s["path"])).name, s["size"], s["mtime_ns"])  # type: ignore[index]
               for s in current["sources"]]  # type: ignore[attr-defined]
        return old == new
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _load(store: ox.Store, path: Path) -> None:
    fmt = rdf_format(path)
    # Triples (Turtle, N-Triples, JSON-LD, RDF/XML) go into a named graph named after the file, so queries
    # that name their graphs (as the saved ones do) find them; quads keep their own graphs.
    to_graph = None if fmt.supports_datasets else _graph_for(path)
    try:
        store.bulk_load(path=str(path), format=fmt, to_graph=to_graph)
    except SyntaxError as exc:
        raise InputError(path, f"not valid {fmt.name}: {_one_line(exc)}") from exc
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot load: {_one_line(exc)}") from exc


def _one_line(exc: BaseException, limit: int = 300) -> str:
    """An exception's message on one line, cut at ``limit`` characters."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def create_store(
    out_dir_or_rdf_files: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    store_dir: str | os.PathLike[str],
) -> Path:
    """Bulk-load a build folder's graph (or the given RDF files) into a new store at ``store_dir``.

    The store is written in a temporary sibling folder and renamed into place, replacing any old one, so a
    reader of the old store (``kg serve``) never sees a half-written one. Returns ``store_dir``.
    """
    if isinstance(out_dir_or_rdf_files, (str, os.PathLike)):
        files = source_files(out_dir_or_rdf_files)
    else:
        files = [f for t in out_dir_or_rdf_files for f in source_files(t)]
    if not files:
        raise InputError("(no files)", "nothing to load into a store")
    loader = StoreLoader(store_dir, background=False)
    try:
        for f in files:
            loader.add(f)
        return loader.finish()
    except BaseException:
        loader.abort()
        raise


class StoreLoader:
    """A new store at ``store_dir``, bulk-loaded file by file as the files are given, then put in place.

    With ``background=True`` the files are loaded by a thread while the caller goes on (Oxigraph's bulk
    loader runs in Rust, outside the GIL): ``kg build`` gives it each N-Quads shard as soon as the shard is
    written, so the store fills while the later batches are still being serialised (with ``--jobs 1`` the
    build keeps to one thread of work and loads each shard in the foreground). :meth:`finish` waits for
    the loads, compacts the store (``optimize``: the saved queries run slower without it), writes
    the stamp and renames the store into place; :meth:`abort` drops it. A file that fails to load is raised
    by :meth:`finish` (or by the next :meth:`add`), as :func:`create_store` raises it.
    """

    def __init__(self, store_dir: str | os.PathLike[str], *, background: bool = True) -> None:
        self.target = Path(store_dir)
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = temporary_folder(self.target)
        except (OSError, OutputError) as exc:
            raise OutputError(f"{self.target}: cannot create a store here ({exc})") from exc
        self.files: list[Path] = []
        try:
            self._store: ox.Store | None = ox.Store(str(self.tmp))
        except (OSError, RuntimeError) as exc:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise OutputError(f"{self.target}: cannot create a store here ({_one_line(exc)})") from exc
        self._error: BaseException | None = None
        self._queue: queue.Queue[Path | None] | None = None
        self._thread: threading.Thread | None = None
        if background:
            self._queue = queue.Queue()
            self._thread = threading.Thread(target=self._run, name="kg-store-loader", daemon=True)
            self._thread.start()

    def add(self, path: str | os.PathLike[str]) -> None:
        """Load ``path`` (now, or in the background)."""
        if self._error is not None:
            self._raise()
        file = Path(path)
        self.files.append(file)
        if self._queue is not None:
            self._queue.put(file)
        else:
            assert self._store is not None
            _load(self._store, file)

    def _run(self) -> None:
        assert self._queue is not None and self._store is not None
        while (file := self._queue.get()) is not None:
            if self._error is None:
                try:
                    _load(self._store, file)
                except BaseException as exc:  # handed to the caller by finish() or add()
                    self._error = exc

    def _stop(self) -> None:
        if self._thread is not None and self._queue is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _raise(self) -> None:
        error = self._error
        self.abort()
        assert error is not None
        raise error

    def finish(self) -> Path:
        """Wait for the loads, compact, stamp and rename the store into place; returns its folder."""
        self._stop()
        if self._error is not None:
            self._raise()
        if not self.files:
            self.abort()
            raise InputError("(no files)", "nothing to load into a store")
        try:
            assert self._store is not None
            self._store.optimize()
            self._close()
            stamp = json.dumps(_stamp(self.files), ensure_ascii=False, indent=1) + "\n"
            (self.tmp / STAMP).write_text(stamp, encoding="utf-8")
            replace_folder(self.tmp, self.target)
        except BaseException:
            self.abort()
            raise
        return self.target

    def abort(self) -> None:
        """Stop loading and remove the unfinished store."""
        self._stop()
        self._close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _close(self) -> None:
        if self._store is not None:
            self._store = None
            gc.collect()  # close RocksDB before the folder moves


def ensure_store(target: str | os.PathLike[str], *, cache: str | os.PathLike[str] | None = None) -> Path:
    """The folder of an up-to-date store for ``target``, creating or refreshing it if needed.

    ``target`` is a build folder (store in ``<target>/store``), a store folder (used as it is) or an RDF file
    (store cached under ``cache``, default :func:`cache_dir`, in a folder named after the file's path).
    A store of a build folder or of an RDF file that cannot be opened is rebuilt (see the module's doc).
    """
    path = Path(target)
    if not path.exists() and path.resolve().name:
        recover_folder(path.resolve())  # a build folder whose swap a kill cut short comes back
    if not path.exists():
        raise InputError(path, "no such file or folder")
    if is_store(path) and not any(file.is_file() for file in BuildFolder(path).datasets):
        return path
    files = source_files(path)
    store_dir = _store_dir(path, cache)
    recover_folder(store_dir)  # a store swap cut short by a kill
    if not (is_store(store_dir) and _same_sources(store_dir, files) and _opens(store_dir)):
        create_store(files, store_dir)
    return store_dir


def _store_dir(path: Path, cache: str | os.PathLike[str] | None) -> Path:
    if path.is_dir():
        return store_path(path)
    key = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:16]
    return (Path(cache) if cache is not None else cache_dir()) / f"{printable(path.stem)}-{key}"


def _opens(store_dir: Path) -> bool:
    """True if the store opens (RocksDB checks its files' sizes and footers as it opens)."""
    try:
        store = ox.Store.read_only(str(store_dir))
    except (OSError, RuntimeError, ValueError):
        return False
    del store
    gc.collect()
    return True


def rebuild_store(target: str | os.PathLike[str], *, cache: str | os.PathLike[str] | None = None) -> Path:
    """Load the store of a build folder or an RDF file again from its files, whatever state it is in (for a
    store found damaged only as it is read). A bare store folder cannot be rebuilt: InputError."""
    path = Path(target)
    if is_store(path) and not any(file.is_file() for file in BuildFolder(path).datasets):
        raise InputError(path, "the store is damaged and, not being part of a build folder, cannot be "
                               "rebuilt: build it again (kg build ... --out ...)")
    files = source_files(path)
    return create_store(files, _store_dir(path, cache))


def open_store(target: str | os.PathLike[str], *, cache: str | os.PathLike[str] | None = None) -> ox.Store:
    """A read-only store for a build folder, a store folder or an RDF file (see :func:`ensure_store`)."""
    folder = ensure_store(target, cache=cache)
    try:
        return ox.Store.read_only(str(folder))
    except (OSError, RuntimeError, ValueError) as exc:
        raise InputError(folder, f"cannot open the store ({_one_line(exc)}); if it is a build's store, "
                                 "build again or delete the store folder") from exc
