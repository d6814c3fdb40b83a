"""The build's extraction cache: one file per document, keyed by its content and by the pipeline.

``kg build --out DIR`` keeps it in ``DIR/.kg-cache/extractions/``. The key of a document is the SHA-256 of
the pipeline's fingerprint (``PIPELINE_VERSION``, whether the trained model is used, the model's version and
date, the contents of the shipped lexicon files) and of the document's id, text, content regions and
metadata. A rebuild re-extracts a document only when one of those changed; everything after extraction is
recomputed from the cached records, so an incremental build equals a clean one.

Entries are written atomically (temporary file, then rename) and never modified, so a build that fails
half-way leaves the cache usable. Entries are Python pickles of :class:`kg.core.records.Extraction`: the
cache is a private file of the user's own build folder, not an interchange format (that is
``extraction.jsonl``).
An entry that cannot be read is treated as missing.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from functools import lru_cache
from pathlib import Path

from kg.core.errors import OutputError
from kg.core.files import atomic_write
from kg.core.records import Document, Extraction
from kg.core.resources import ontology_path
from kg.nlp.lac import lac_version
from kg.nlp.pipeline import PIPELINE_VERSION, profile_options
from kg.nlp.statistical import model_info

_FORMAT = 1


@lru_cache(maxsize=2)
def pipeline_fingerprint(profile: str | bool | None = None) -> str:
    """What, besides the document, decides an extraction: code version, profile, models, lexicons."""
    options = profile_options(profile)
    digest = hashlib.sha256()
    digest.update(f"kg-cache/{_FORMAT}/{PIPELINE_VERSION}/{sorted(options.items())}".encode())
    if options["use_model"]:
        meta = model_info()
        digest.update(f"/{meta.get('version')}/{meta.get('date')}".encode())
    if options["use_lac"]:
        digest.update(f"/lac={lac_version()}".encode())
    lexicon = ontology_path("lexicon")
    for path in sorted(Path(lexicon).glob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def document_key(document: Document, fingerprint: str) -> str:
    record = [document.id, document.text, [list(r) for r in document.content], document.title, document.date,
              document.source, document.url, document.issuer, document.place]
    text = json.dumps([fingerprint, record], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ExtractionCache:
    """Content-addressed extractions under ``folder`` (``<out>/.kg-cache/extractions``)."""

    def __init__(self, folder: Path, profile: str | bool | None = None) -> None:
        self.folder = Path(folder)
        self.fingerprint = pipeline_fingerprint(profile)
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, document: Document) -> Extraction | None:
        path = self._path(document_key(document, self.fingerprint))
        try:
            with open(path, "rb") as handle:
                found = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            self.misses += 1
            return None
        if not isinstance(found, Extraction) or found.doc_id != document.id:
            self.misses += 1
            return None
        self.hits += 1
        return found

    def put(self, document: Document, extraction: Extraction) -> None:
        path = self._path(document_key(document, self.fingerprint))
        if path.exists():
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, OutputError):
            # A cache that cannot be written only costs time on the next build.
            return
