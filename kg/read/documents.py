"""Read a corpus into Documents: folders, single text / Markdown / HTML files, and JSONL corpora.

Offsets: ``Document.text`` is the text *after decoding*. A UTF-8 (or UTF-16/32) byte-order mark is not part
of it, and HTML is reduced to its plain text first, so every ``[start, end)`` in the project indexes that
string, not the bytes on disk. Nothing else is changed: no newline, width or traditional/simplified
normalisation happens here.

``Document.content`` lists the regions of the text that are article body. Left out are the metadata header of
a news article (a title line and a date / source line) and boilerplate lines (copyright notices, editor
credits, share widgets, navigation), whose patterns live in ``ontology/lexicon/boilerplate.tsv``. A document
with no body at all gets the single empty region ``((0, 0),)`` (an empty tuple would mean "the whole text").
"""

from __future__ import annotations

import codecs
import datetime
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from kg.core.errors import ConfigError, InputError, InputWarning, printable
from kg.core.files import BUILD_MARKER
from kg.core.records import Document, Offsets
from kg.core.resources import ontology_path

__all__ = [
    "MAX_CHARS",
    "TEXT_SUFFIXES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "decode",
    "read_file",
    "iter_documents",
    "html_to_text",
    "boilerplate_kind",
    "load_boilerplate",
]

#: The longest document read, in characters (``kg build --max-chars``); a longer one is skipped (warned).
MAX_CHARS = 5_000_000
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
_FILE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES

ErrorHandler = Callable[[InputError], None]


# ------------------------------------------------------------ decoding

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes that do not occur in text (tab, newlines, form feed and escape do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_BINARY_SHARE = 0.05
_SNIFF = 65536
# The legacy Chinese encodings, tried in this order when UTF-8 fails; ties go to the earlier one.
# GB18030 is a superset of GBK and GB2312; cp950 is Microsoft's Big5, a superset for the few bytes big5 lacks.
_LEGACY = (("gb18030", "GB18030"), ("big5", "Big5"), ("cp950", "Big5"))
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "cp950", "x-big5": "cp950"}


def decode(data: bytes, path: object, *, prefer: str | None = None) -> str:
    """The text of ``data``: UTF-8 (with or without a byte-order mark), else GB18030 or Big5.

    The byte-order mark is dropped. When UTF-8 fails and both GB18030 and Big5 decode without error, the
    reading with more common CJK characters (and fewer private-use ones) wins. ``prefer`` (an encoding the
    file declares, as an HTML ``<meta charset>``) is tried right after UTF-8.
    Raises InputError for an empty, binary or undecodable file.
    """
    if not data:
        raise InputError(path, "empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"starts with a {encoding.upper()} byte-order mark but is not "
                                       f"{encoding.upper()} ({exc.reason} at byte {exc.start})") from None
            return text[1:] if text.startswith("\ufeff") else text
    if _looks_binary(data):
        raise InputError(path, "binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if prefer:
        encoding = _ALIASES.get(prefer.lower(), prefer.lower())
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    decoded: list[tuple[float, int, str]] = []
    for rank, (encoding, _name) in enumerate(_LEGACY):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        decoded.append((_plausibility(text), -rank, text))
    if decoded:
        return max(decoded)[2]
    bad = data[utf8_error.start]
    raise InputError(path, f"cannot decode: not UTF-8 (byte 0x{bad:02X} at offset {utf8_error.start}), "
                           "GB18030 or Big5")


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SNIFF]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > _BINARY_SHARE * len(sample)


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """Frequent hanzi in either script, and CJK punctuation.

    GB2312 level 1 (the 3,755 most used simplified characters), Big5's 5,401 frequently used characters,
    and GB2312's symbol rows (、。“”《》 and full-width forms). Built from the codecs: no data file needed.
    """
    chars: set[str] = set()

    def add(encoding: str, leads: range, trails: Iterable[int]) -> None:
        for lead in leads:
            for trail in trails:
                try:
                    chars.add(bytes((lead, trail)).decode(encoding))
                except UnicodeDecodeError:
                    pass

    add("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
    add("gb2312", range(0xA1, 0xA4), range(0xA1, 0xFF))
    add("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    return frozenset(chars)


def _plausibility(text: str) -> float:
    """Share of ASCII and common CJK characters in a text, private-use characters counted against."""
    sample = text[:100_000]
    if not sample:
        return 0.0
    common = _common_chars()
    good = sum(1 for ch in sample if ch < "\x80" or ch in common)
    private = sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff")
    return (good - 2 * private) / len(sample)


# ------------------------------------------------------------ HTML

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd details div dl dt fieldset figcaption figure form "
    "h1 h2 h3 h4 h5 h6 hr li main ol p pre section summary table tbody td th thead tfoot tr ul".split()
)
_SKIP_TAGS = frozenset(
    "script style noscript template svg math iframe object nav aside select button".split()
)
_PAGE_TAGS = frozenset(("header", "footer"))  # skipped, unless inside an <article>
_META_DATE = frozenset(("article:published_time", "publishdate", "pubdate", "publish_date", "publishtime",
                        "date", "dc.date", "dcterms.date", "dc.date.issued"))
_META_SOURCE = frozenset(("source", "contentsource", "dc.source"))
_HTML_SPACE = re.compile(r"[ \t\r\n\f\xa0]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.skipping: list[str] = []
        self.articles = 0
        self.in_title = False
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta" or tag == "link":
            self._meta(tag, {k.lower(): v or "" for k, v in attrs})
            return
        if tag in _SKIP_TAGS or (tag in _PAGE_TAGS and not self.articles):
            self.skipping.append(tag)
            return
        if tag == "title":
            self.in_title = True
        elif tag == "article" and not self.skipping:
            self.articles += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass
            return
        if tag == "title":
            self.in_title = False
        elif tag == "article" and self.articles and not self.skipping:
            self.articles -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.in_title:
            self.title_parts.append(data)
        else:
            self.parts.append(_HTML_SPACE.sub(" ", data))

    def _meta(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "link":
            if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
                self.meta.setdefault("url", attrs["href"].strip())
            return
        key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").lower()
        value = attrs.get("content", "").strip()
        if not value:
            return
        if key in _META_DATE:
            self.meta.setdefault("date", value)
        elif key in _META_SOURCE:
            self.meta.setdefault("source", value)
        elif key == "og:url":
            self.meta.setdefault("url", value)


@dataclass(frozen=True)
class HTMLText:
    """Plain text of an HTML page, one block a line, with what its ``<head>`` says about it."""

    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None


def html_to_text(markup: str) -> HTMLText:
    """Plain text of HTML: tags stripped, entities unescaped, one block-level element a line.

    The contents of script, style, nav, aside and of page-level header and footer elements are dropped
    (a header or footer inside an ``<article>`` is kept). ``<title>`` is returned apart, not in the text.
    """
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    text = "\n".join(line for line in lines if line)
    title = _HTML_SPACE.sub(" ", "".join(parser.title_parts)).strip() or None
    date = parser.meta.get("date")
    return HTMLText(text=text, title=title, date=(_iso_date(date) or date) if date else None,
                    source=parser.meta.get("source"), url=parser.meta.get("url"))


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None


# ------------------------------------------------------------ boilerplate

_DECORATION = " \t\r\u3000\xa0-–—·•*|>【[（(「『"
_SHORT_LINE = 40
_LONG_LINE = 200


@dataclass(frozen=True)
class Boilerplate:
    """The compiled patterns of ``boilerplate.tsv``: one alternation, one named group per row."""

    regex: re.Pattern[str]
    kinds: tuple[str, ...]


def load_boilerplate(path: Path | None = None) -> Boilerplate:
    """Read a boilerplate pattern file (default: the shipped ``ontology/lexicon/boilerplate.tsv``)."""
    return _load_boilerplate(path or ontology_path("lexicon", "boilerplate.tsv"))


@lru_cache(maxsize=4)
def _load_boilerplate(path: Path) -> Boilerplate:
    try:
        rows = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read boilerplate patterns ({exc.strerror})") from exc
    groups: list[str] = []
    kinds: list[str] = []
    for n, row in enumerate(rows, start=1):
        if not row.strip() or row.startswith("#"):
            continue
        pattern, _, kind = row.partition("\t")
        if (pattern, kind.strip()) == ("pattern", "what"):
            continue
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{path}:{n}: bad regular expression {pattern!r} ({exc})") from None
        groups.append(f"(?P<b{len(groups)}>{pattern})")
        kinds.append(kind.strip() or pattern)
    if not groups:
        raise ConfigError(f"{path}: no boilerplate patterns")
    return Boilerplate(re.compile("|".join(groups)), tuple(kinds))


def boilerplate_kind(line: str, patterns: Boilerplate | None = None) -> str | None:
    """What a line is ("editor credit", "share widget", ...) if it is boilerplate, else None.

    Leading bullets and brackets are ignored. A pattern matching at the start counts on lines of up to 200
    characters, one matching elsewhere only on short lines (under 40): a body paragraph is never dropped.
    """
    core = line.strip().lstrip(_DECORATION)
    if not core or len(core) > _LONG_LINE:
        return None
    bp = patterns or load_boilerplate()
    # on a longer line only a match at the start counts: no need to look further in
    m = bp.regex.search(core) if len(core) < _SHORT_LINE else bp.regex.match(core)
    if m is None:
        return None
    return bp.kinds[int(str(m.lastgroup)[1:])]


# ------------------------------------------------------------ header

_DATE = re.compile(r"(?<!\d)(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
                   r"|([-/.])(\d{1,2})\4(\d{1,2})(?!\d))")
_FIELD = re.compile(r"(?:来源|来自|出处|发布时间|发布日期|发布|时间|日期|作者|浏览|阅读|点击|分类|栏目|编辑)"
                    r"\s*[:：]|次浏览|次阅读|浏览量|阅读量")
_SOURCE = re.compile(r"(?:来源|出处)\s*[:：]\s*(.+?)(?=\s+[^\s:：]{1,8}\s*[:：]|\s+\d{4}\s*[-/.年]|\s{2,}|$)")
_COMMA = re.compile("[，,]")
_NOT_TITLE_END = ":：,，;；、"
_TITLE_MAX = 80
_META_MAX = 150


def _iso_date(value: str) -> str | None:
    """``2025-02-20`` for 2025年02月20日, 2025-2-20, 2025/02/20 or 2025.2.20; None without a valid date."""
    m = _DATE.search(value)
    if m is None:
        return None
    year, month, day = m.group(1), m.group(2) or m.group(5), m.group(3) or m.group(6)
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _meta_line(core: str) -> tuple[str | None, str | None] | None:
    """(date, source) when a line is a news article's date / source line, else None."""
    if len(core) > _META_MAX or "。" in core:
        return None
    m = _DATE.search(core)
    fields = _FIELD.search(core)
    date_first = m is not None and m.start() == 0 and len(core) <= _SHORT_LINE and not _COMMA.search(core)
    if not (fields or date_first):
        return None
    date = _iso_date(core) if m else None
    s = _SOURCE.search(core)
    source = s.group(1).strip(" |,，;；") if s else None
    if date is None and not source:
        return None
    return date, source or None


def _title_line(core: str, markdown: bool, known: str | None) -> str | None:
    """The title when ``core`` (a first line) is one; ``known`` is a title given elsewhere (HTML ``<title>``),
    which such a line has to agree with ("Title" in "Title - Site")."""
    if known is not None and core not in known and known not in core:
        return None
    if markdown and core.startswith("#"):
        title = core.lstrip("#").strip()
        return title if 0 < len(title) <= _LONG_LINE else None
    if len(core) > _TITLE_MAX or "。" in core or core[-1] in _NOT_TITLE_END:
        return None
    return core


# ------------------------------------------------------------ layout


@dataclass(frozen=True)
class _Layout:
    title: str | None
    date: str | None
    source: str | None
    content: tuple[Offsets, ...]


def _line_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each line, without its newline (``\\n`` or ``\\r\\n``)."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        spans.append((pos, end - 1 if line.endswith("\r") else end))
        pos = end + 1
    return spans


def _layout(text: str, *, header: bool, markdown: bool = False, known_title: str | None = None) -> _Layout:
    """Title, date and source from the header (when ``header``), and the body regions of ``text``."""
    bp = load_boilerplate()
    spans = _line_spans(text)
    excluded: set[int] = set()
    title = date = source = None
    nonempty = [i for i, (s, e) in enumerate(spans) if text[s:e].strip()]
    for k, i in enumerate(nonempty):
        kind = boilerplate_kind(text[slice(*spans[i])], bp)
        if kind and kind.startswith("footer"):  # a licence or site footer: the rest of the text is not body
            excluded.update(nonempty[k:])
            break
        if kind:
            excluded.add(i)
    if header:
        candidates = [i for i in nonempty if i not in excluded][:2]
        first = candidates[0] if candidates else None
        if first is not None:
            core = text[slice(*spans[first])].strip()
            meta = _meta_line(core)
            if meta is not None:
                date, source = meta
                excluded.add(first)
            elif len(candidates) > 1 and (title := _title_line(core, markdown, known_title)) is not None:
                excluded.add(first)
                second = candidates[1]
                meta = _meta_line(text[slice(*spans[second])].strip())
                if meta is not None:
                    date, source = meta
                    excluded.add(second)
    regions: list[Offsets] = []
    start = end = None
    for i in nonempty:
        s, e = spans[i]
        if i in excluded:
            if start is not None and end is not None:
                regions.append((start, end))
            start = end = None
            continue
        line = text[s:e]
        if start is None:
            start = s + len(line) - len(line.lstrip())
        end = e - (len(line) - len(line.rstrip()))
    if start is not None and end is not None:
        regions.append((start, end))
    return _Layout(title, date, source, tuple(regions) or ((0, 0),))


# ------------------------------------------------------------ files


def _too_large(size: int, max_chars: int) -> str:
    return f"document too large: {size} characters, limit {max_chars} (--max-chars)"


def _surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _file_name(stem: str) -> str:
    """A file name that is not UTF-8 (kept by Python as lone surrogates) as text: its bytes read as GB18030
    (the names of files from Chinese zip archives), else with each undecodable byte written ``\\xff``."""
    raw = os.fsencode(stem)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace")


def _without_surrogates(value: str) -> str:
    """``value`` with each lone surrogate (a JSON ``\\ud800`` escape) replaced by U+FFFD: same length."""
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)


def read_file(path: str | os.PathLike[str], *, max_chars: int = MAX_CHARS) -> Document:
    """One .txt, .md, .html or .htm file as a Document whose id is the file name without its extension."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        raise InputError(p, "a JSONL corpus holds many documents: read it with iter_documents")
    if suffix not in _FILE_SUFFIXES:
        raise InputError(p, _unsupported(suffix))
    try:
        size = p.stat().st_size
        if size > 4 * max_chars + 4:  # even at 4 bytes a character, more than max_chars
            raise InputError(p, f"document too large: {size} bytes, limit {max_chars} characters "
                                   "(--max-chars)")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(p, f"cannot read ({exc.strerror or exc})") from None
    page = None
    if suffix in HTML_SUFFIXES:
        page = html_to_text(decode(data, p, prefer=_declared_charset(data)))
        if not page.text:
            raise InputError(p, "no text in the HTML page")
        text = page.text
    else:
        text = decode(data, p)
    if len(text) > max_chars:
        raise InputError(p, _too_large(len(text), max_chars))
    if not text.strip():
        raise InputError(p, "empty file (whitespace only)")
    layout = _layout(text, header=True, markdown=suffix == ".md", known_title=page.title if page else None)
    doc = Document(id=p.stem, text=text, title=layout.title, date=layout.date, source=layout.source,
                   path=str(p), content=layout.content)
    if page is not None:
        doc = replace(doc, title=doc.title or page.title, date=doc.date or page.date,
                      source=doc.source or page.source, url=page.url)
    return doc


def _unsupported(suffix: str) -> str:
    known = ", ".join((*_FILE_SUFFIXES, *JSONL_SUFFIXES))
    return f"unsupported file type {suffix or '(none)'} (expected {known})"


# ------------------------------------------------------------ JSONL

_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number", float: "a number",
               bool: "a boolean", type(None): "null"}
_OPTIONAL = ("title", "date", "source", "url", "issuer", "issuer_en", "place")


def _jsonl(path: Path, max_chars: int, fail: ErrorHandler) -> Iterator[tuple[Document, int | None]]:
    """The documents of a JSONL corpus with their line numbers, one line in memory at a time."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        fail(InputError(path, f"cannot read ({exc.strerror or exc})"))
        return
    records = 0
    with handle:
        for n, raw in enumerate(handle, start=1):
            if n == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            if not raw.strip():
                continue
            records += 1
            try:
                doc = _json_document(raw, path, n, max_chars, fail)
            except InputError as exc:
                fail(exc)
                continue
            yield doc, n
    if not records:
        fail(InputError(path, "empty file"))


def _json_document(raw: bytes, path: Path, n: int, max_chars: int, warn: ErrorHandler) -> Document:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = f"not UTF-8 (byte 0x{raw[exc.start]:02X} at column {exc.start + 1})"
        raise InputError(path, problem, n) from None
    try:
        obj = json.loads(line, strict=False)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"malformed JSON ({exc.msg} at column {exc.colno})", n) from None
    if not isinstance(obj, dict):
        raise InputError(path, f"not a JSON object but {_JSON_TYPES.get(type(obj), type(obj).__name__)}", n)
    for key in ("id", "text"):
        if key not in obj:
            raise InputError(path, f'missing "{key}"', n)
        if not isinstance(obj[key], str):
            raise InputError(path, f'"{key}" must be a string, not {_JSON_TYPES.get(type(obj[key]), "?")}', n)
        if not obj[key].strip():
            raise InputError(path, f'"{key}" is empty', n)
    for key in _OPTIONAL:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise InputError(path, f'"{key}" must be a string, not {_JSON_TYPES.get(type(obj[key]), "?")}', n)
    for key in ("id", "text", *_OPTIONAL):
        if isinstance(obj.get(key), str) and _surrogates(obj[key]):
            obj[key] = _without_surrogates(obj[key])
            warn(InputWarning(path, f'"{key}" holds a lone surrogate (a \\ud800-\\udfff escape that is no '
                                    "character), read as U+FFFD", n))
    text: str = obj["text"]
    if len(text) > max_chars:
        raise InputError(path, _too_large(len(text), max_chars), n)
    date = (obj.get("date") or "").strip() or None
    return Document(
        id=obj["id"],
        text=text,
        title=(obj.get("title") or "").strip() or None,
        date=(_iso_date(date) or date) if date else None,
        source=(obj.get("source") or "").strip() or None,
        url=(obj.get("url") or "").strip() or None,
        path=printable(f"{path}:{n}"),
        content=_layout(text, header=False).content,
        issuer=(obj.get("issuer") or obj.get("issuer_en") or "").strip() or None,
        place=(obj.get("place") or "").strip() or None,
    )


# ------------------------------------------------------------ corpus


def _folder_files(folder: Path, fail: ErrorHandler) -> list[Path]:
    """The readable files under ``folder``, hidden files and folders skipped, sorted by relative path.

    A kg build output folder (one holding ``.kg-build``) inside it is skipped too, with a warning: its
    graph.html is not a document of the corpus.
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for d in [d for d in dirnames if os.path.isfile(os.path.join(dirpath, d, BUILD_MARKER))]:
            dirnames.remove(d)
            fail(InputWarning(Path(dirpath, d), "a kg build output folder, not read as part of the corpus"))
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in _FILE_SUFFIXES:
                continue
            full = Path(dirpath, name)
            found.append((full.relative_to(folder).parts, full))
    return [p for _, p in sorted(found)]


def iter_documents(
    inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    on_error: ErrorHandler | None = None,
    max_chars: int = MAX_CHARS,
) -> Iterator[Document]:
    """The documents of every input, one at a time: folders, .txt/.md/.html/.htm files and .jsonl corpora.

    A folder contributes its .txt, .md, .html and .htm files, recursively, sorted by relative path, hidden
    ones skipped. A missing input or a file of another type raises InputError at once, before any reading.
    A bad file, a bad JSONL line or a document id seen before is passed to ``on_error`` and skipped,
    or raised when there is no ``on_error``. A problem repaired as the document is read (a file name that
    is not UTF-8, a lone surrogate in a JSONL string) is passed to ``on_error`` as an
    :class:`~kg.core.errors.InputWarning`, and the document is kept; without ``on_error`` it is ignored.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    paths = [Path(p) for p in inputs]
    for p in paths:
        if not p.exists():
            raise InputError(p, "no such file or directory")
        if not p.is_dir() and p.suffix.lower() not in (*_FILE_SUFFIXES, *JSONL_SUFFIXES):
            raise InputError(p, _unsupported(p.suffix.lower()))
    return _iter_documents(paths, on_error, max_chars)


def _iter_documents(paths: list[Path], on_error: ErrorHandler | None, max_chars: int) -> Iterator[Document]:
    def fail(error: InputError) -> None:
        if on_error is not None:
            on_error(error)
        elif not isinstance(error, InputWarning):
            raise error

    seen: dict[str, str] = {}
    for path in paths:
        for doc, where, line in _documents_of(path, max_chars, fail):
            first = seen.get(doc.id)
            if first is not None:
                fail(InputError(where, f'duplicate document id "{doc.id}" (first seen at {first})', line))
                continue
            seen[doc.id] = doc.path or str(where)
            yield doc


def _documents_of(
    path: Path, max_chars: int, fail: ErrorHandler
) -> Iterator[tuple[Document, Path, int | None]]:
    if path.suffix.lower() in JSONL_SUFFIXES and not path.is_dir():
        for doc, line in _jsonl(path, max_chars, fail):
            yield doc, path, line
        return
    files = _folder_files(path, fail) if path.is_dir() else [path]
    for file in files:
        try:
            doc = read_file(file, max_chars=max_chars)
        except InputError as exc:
            fail(exc)
            continue
        if _surrogates(str(file)):  # a file name that is not UTF-8
            doc = replace(doc, id=_file_name(doc.id) if _surrogates(doc.id) else doc.id,
                          path=printable(str(file)))
            fail(InputWarning(file, f'file name is not UTF-8: document id "{doc.id}"'))
        yield doc, file, None
