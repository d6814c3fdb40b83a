"""Reading a corpus: news seeds, encodings, HTML, JSONL, folders, and the errors a user sees."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from kg.core.errors import ConfigError, InputError
from kg.core.resources import ontology_path
from kg.read.documents import (
    boilerplate_kind,
    decode,
    html_to_text,
    iter_documents,
    load_boilerplate,
    read_file,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_000 = SEEDS / "000_d6df998b69c9d459.txt"
SEED_003 = SEEDS / "003_1b487b2ae10ce7b5.txt"
# the first three records of ../shared/corpus/government-reports.jsonl (public-domain official documents)
GOV_REPORTS = Path(__file__).resolve().parent / "data" / "government-reports-head.jsonl"

TRADITIONAL = ("不斷提升黨建引領基層治理效能。河南省委社會工作部深入學習貫徹習近平總書記"
               "關於基層治理的重要論述，認真落實中央社會工作會議精神和省委工作部署，堅持大抓基層的鮮明導向。")
SIMPLIFIED = ("不断提升党建引领基层治理效能。河南省委社会工作部深入学习贯彻习近平总书记"
              "关于基层治理的重要论述，认真落实中央社会工作会议精神和省委工作部署，坚持大抓基层的鲜明导向。")


def body(doc) -> str:
    return "\n".join(doc.text[s:e] for s, e in doc.content_regions())


def errors_of(inputs, **kwargs) -> tuple[list, list[InputError]]:
    errors: list[InputError] = []
    docs = list(iter_documents(inputs, on_error=errors.append, **kwargs))
    return docs, errors


# ------------------------------------------------------------ news seeds


def test_seed_header_becomes_metadata_and_content_starts_at_body():
    doc = read_file(SEED_000)
    assert doc.id == "000_d6df998b69c9d459"
    assert doc.path == str(SEED_000)
    assert doc.title == "不断提升党建引领基层治理效能——访河南省委社会工作部部长、省委“两新”工委书记郅晓峰"
    assert doc.date == "2025-02-20"
    assert doc.source == "中国社会工作报"
    start = doc.content[0][0]
    assert doc.text[start:].startswith("河南省委社会工作部深入学习贯彻习近平总书记关于基层治理的重要论述")
    assert "3406次浏览" not in body(doc)
    assert doc.title not in body(doc)
    # the text itself is untouched: offsets point into the file as decoded
    assert doc.text == SEED_000.read_text(encoding="utf-8")


def test_seed_trailing_notices_are_not_content():
    doc = read_file(SEED_000)
    content = body(doc)
    assert content.endswith("吸引更多社会组织参与基层治理。")
    for notice in ("责任编辑:孟庆科", "中国有色网声明", "如需转载", "凡本网注明", "后果读者自负"):
        assert notice in doc.text
        assert notice not in content


def test_seed_003_ends_with_share_widgets_excluded():
    doc = read_file(SEED_003)
    assert doc.title == "专访|海南省委社会工作部部长:奋力谱写海南自由贸易港社会工作新篇章"
    assert doc.date is None and doc.source is None
    content = body(doc)
    assert content.startswith("组建党委社会工作部是党中央着眼党和国家事业发展全局作出的重大战略部署")
    assert content.endswith("在服务自贸港建设中担当作为。”王东说。")
    tail = doc.text[doc.content[-1][1]:]
    assert "分享让更多人看到" in tail and "- 评论" in tail and "- 关注" in tail
    # section headings inside the article stay: one uninterrupted body region
    assert len(doc.content) == 1
    assert "科学完善海南自贸港社会治理体系" in content


# ------------------------------------------------------------ encodings


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16"])
def test_traditional_text_decodes_the_same_in_every_encoding(encoding):
    assert decode(TRADITIONAL.encode(encoding), "t.txt") == TRADITIONAL


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_simplified_text_decodes_the_same_in_every_encoding(encoding):
    assert decode(SIMPLIFIED.encode(encoding), "s.txt") == SIMPLIFIED


def test_utf8_bom_is_not_part_of_the_text_so_offsets_start_after_it(tmp_path):
    plain, bom = tmp_path / "plain.txt", tmp_path / "bom.txt"
    original = SEED_000.read_text(encoding="utf-8")
    plain.write_text(original, encoding="utf-8")
    bom.write_text(original, encoding="utf-8-sig")
    a, b = read_file(plain), read_file(bom)
    assert not b.text.startswith("\ufeff")
    assert (a.text, a.title, a.date, a.content) == (b.text, b.title, b.date, b.content)


def test_gbk_file_reads_like_its_utf8_original(tmp_path):
    gbk = tmp_path / "000_d6df998b69c9d459.txt"
    gbk.write_bytes(SEED_000.read_text(encoding="utf-8").encode("gbk"))
    a, b = read_file(SEED_000), read_file(gbk)
    assert (a.id, a.text, a.title, a.date, a.source, a.content) == (b.id, b.text, b.title, b.date, b.source,
                                                                    b.content)


def test_big5_file_is_not_mistaken_for_gb18030(tmp_path):
    text = "\n".join([TRADITIONAL] * 3)
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    assert text.encode("big5").decode("gb18030") != text  # GB18030 reads it without error, as gibberish
    assert read_file(path).text == text


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.txt: empty file"):
        read_file(path)


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\u3000\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"blank\.txt: empty file"):
        read_file(path)


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 32)) * 20 + b"text"])
def test_binary_file(tmp_path, data):
    path = tmp_path / "image.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=r"image\.txt: binary file, not text"):
        read_file(path)


def test_undecodable_file_names_the_encodings_tried(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes("基层治理".encode("gbk") + b"\xff\x80")
    with pytest.raises(InputError) as info:
        read_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}: cannot decode")
    assert "UTF-8" in message and "GB18030" in message and "Big5" in message


# ------------------------------------------------------------ boilerplate


@pytest.mark.parametrize(
    "line",
    ["责任编辑：张三", "（编辑：李四）", "分享让更多人看到", "- 评论", "分享到：微信 微博",
     "【打印本页】【关闭窗口】", "版权所有 © 2025 某某网", "扫一扫，关注我们",
     "上一篇：关于加强基层治理的通知", "返回首页",
     # a longer line (40-200 characters) counts when the pattern opens it
     "版权所有 © 2025 某某网，未经书面授权不得转载、摘编或以其他方式使用本网站内容，"
     "违者必究。转载请注明出处与作者。"],
)
def test_boilerplate_lines(line):
    assert boilerplate_kind(line) is not None


@pytest.mark.parametrize(
    "line",
    ["科学完善海南自贸港社会治理体系",
     "各地要关注群众反映强烈的问题，" + "持续推进基层减负，" * 5 + "版权所有的说法不影响正文。",
     "本文来源" + "于基层调研，调研组走访了十余个社区，听取意见建议，形成了报告。" * 8],
)
def test_body_lines_are_never_boilerplate(line):
    assert boilerplate_kind(line) is None


def test_boilerplate_patterns_are_a_readable_data_file():
    path = ontology_path("lexicon", "boilerplate.tsv")
    assert path.is_file()
    patterns = load_boilerplate(path)
    assert "editor credit" in patterns.kinds


def test_bad_boilerplate_pattern_names_file_and_line(tmp_path):
    path = tmp_path / "bp.tsv"
    path.write_text("# comment\npattern\twhat\n版权所有\tcopyright\n([\tbroken\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bp\.tsv:4: bad regular expression"):
        load_boilerplate(path)


def test_ontology_path_reports_what_is_missing():
    with pytest.raises(ConfigError, match="ontology/lexicon/no-such-file.tsv"):
        ontology_path("lexicon", "no-such-file.tsv")


# ------------------------------------------------------------ text, md, html


def test_plain_text_without_a_title_is_all_content(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("各位代表：\n\n现在，我代表国务院，向大会报告政府工作。\n", encoding="utf-8")
    doc = read_file(path)
    assert doc.title is None
    assert body(doc) == "各位代表：\n\n现在，我代表国务院，向大会报告政府工作。"


def test_markdown_heading_is_the_title(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("# 基层治理笔记\n\n2025-03-01 来源：调研组\n\n社区议事协商平台已经建立。\n",
                    encoding="utf-8")
    doc = read_file(path)
    assert (doc.id, doc.title, doc.date, doc.source) == ("note", "基层治理笔记", "2025-03-01", "调研组")
    assert body(doc) == "社区议事协商平台已经建立。"


HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>河南推进基层治理_中国社会工作报</title>
<style>p {{ color: red }}</style><script>var x = "<p>不是正文</p>";</script>
<link rel="canonical" href="https://example.org/a/1.html"></head>
<body><header><a href="/">首页</a></header><nav><a>要闻</a><a>地方</a></nav>
<article><h1>河南推进基层治理</h1>
<div class="info">2025年3月1日 来源：中国社会工作报</div>
<p>河南省委社会工作部&ldquo;两新&rdquo;工委召开会议。<br>会议研究了基层减负&amp;赋能。</p>
<p>责任编辑：王五</p></article>
<footer>版权所有 某某网</footer></body></html>"""


def test_html_is_reduced_to_its_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(HTML_PAGE.encode("gbk"))
    doc = read_file(path)
    assert doc.text == ("河南推进基层治理\n2025年3月1日 来源：中国社会工作报\n"
                        "河南省委社会工作部“两新”工委召开会议。\n会议研究了基层减负&赋能。\n责任编辑：王五")
    assert (doc.id, doc.title) == ("page", "河南推进基层治理")
    assert (doc.date, doc.source) == ("2025-03-01", "中国社会工作报")
    assert doc.url == "https://example.org/a/1.html"
    assert body(doc) == "河南省委社会工作部“两新”工委召开会议。\n会议研究了基层减负&赋能。"


def test_html_title_tag_is_used_when_the_page_has_no_heading():
    page = html_to_text("<html><head><title>关于印发方案的通知</title></head>"
                        "<body><p>各单位：</p></body></html>")
    assert page.title == "关于印发方案的通知"
    assert page.text == "各单位："


# ------------------------------------------------------------ JSONL


def write_jsonl(path: Path, *lines: object) -> Path:
    rows = (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_government_reports_slice_parses_with_metadata(tmp_path):
    with GOV_REPORTS.open(encoding="utf-8") as f:
        head = list(itertools.islice(f, 3))
    corpus = tmp_path / "reports.jsonl"
    corpus.write_text("".join(head), encoding="utf-8")
    docs = list(iter_documents([corpus]))
    records = [json.loads(line) for line in head]
    assert [d.id for d in docs] == [r["id"] for r in records]
    for n, (doc, record) in enumerate(zip(docs, records, strict=True), start=1):
        assert doc.text == record["text"]
        assert (doc.title, doc.source, doc.url) == (record["title"], record["source"], record["url"])
        assert doc.date == record["date"]
        assert doc.path == f"{corpus}:{n}"
        # formal reports: no header taken out, only the Wikisource licence footer (本作品是…) and what
        # follows it
        text = record["text"]
        cut = text.find("\n本作品")
        assert body(doc) == (text[:cut] if cut >= 0 else text).strip()
        assert "著作权法" not in body(doc)[-300:]
    assert docs[0].title == "2019年中华人民共和国国务院政府工作报告"


def test_jsonl_dates_become_iso_and_boilerplate_is_not_content(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "a", "text": "社区建立议事协商平台。\n责任编辑：张三",
                                               "date": "2025年2月20日"})
    (doc,) = iter_documents(corpus)
    assert doc.date == "2025-02-20"
    assert body(doc) == "社区建立议事协商平台。"
    assert doc.title is None  # titles of JSONL documents come from their "title" field only


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"id": "a", "text": "x" "y"}', "malformed JSON (Expecting ',' delimiter at column 25)"),
        ('{"id": "a"}', 'missing "text"'),
        ('{"text": "正文"}', 'missing "id"'),
        ('{"id": "a", "text": "  "}', '"text" is empty'),
        ('{"id": 7, "text": "正文"}', '"id" must be a string, not a number'),
        ('{"id": "a", "text": "正文", "title": ["x"]}', '"title" must be a string, not an array'),
        ('["a", "正文"]', "not a JSON object but an array"),
    ],
)
def test_bad_jsonl_line_names_file_and_line(tmp_path, line, problem):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", {"id": "ok", "text": "正文。"}, "", line)
    with pytest.raises(InputError) as info:
        list(iter_documents([corpus]))
    assert str(info.value) == f"{corpus}:3: {problem}"
    assert (info.value.path, info.value.line) == (str(corpus), 3)


def test_jsonl_is_streamed_documents_before_a_bad_line_arrive_first(tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", {"id": "a", "text": "一。"}, "{oops")
    docs = iter_documents([corpus])
    assert next(docs).id == "a"
    with pytest.raises(InputError, match=r"corpus\.jsonl:2: malformed JSON"):
        next(docs)


def test_document_over_the_size_limit(tmp_path):
    corpus = write_jsonl(tmp_path / "big.jsonl", {"id": "a", "text": "字" * 101})
    with pytest.raises(InputError, match=r"big\.jsonl:1: document too large: 101 characters, limit 100"):
        list(iter_documents([corpus], max_chars=100))
    text_file = tmp_path / "big.txt"
    text_file.write_text("字" * 101, encoding="utf-8")
    with pytest.raises(InputError, match=r"big\.txt: document too large: 101 characters, limit 100"):
        read_file(text_file, max_chars=100)


# ------------------------------------------------------------ folders and inputs


def test_folder_mixing_text_markdown_and_html_is_read_in_sorted_order(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "m" / "deep").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "z.txt").write_text("最后一篇。", encoding="utf-8")
    (folder / "a.md").write_text("第一篇。", encoding="utf-8")
    (folder / "m" / "b.html").write_text("<p>网页。</p>", encoding="utf-8")
    (folder / "m" / "deep" / "c.htm").write_text("<p>更深。</p>", encoding="utf-8")
    (folder / "m.txt").write_text("紧随其后。", encoding="utf-8")
    (folder / ".hidden.txt").write_text("隐藏。", encoding="utf-8")
    (folder / ".git" / "x.txt").write_text("版本库。", encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    docs = list(iter_documents([folder]))
    assert [d.id for d in docs] == ["a", "b", "c", "m", "z"]
    assert [d.text for d in docs] == ["第一篇。", "网页。", "更深。", "紧随其后。", "最后一篇。"]
    assert docs[1].path == str(folder / "m" / "b.html")


def test_mixed_inputs_keep_their_order(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "j1", "text": "一。"}, {"id": "j2", "text": "二。"})
    docs = list(iter_documents([SEED_003, corpus, str(SEED_000)]))
    assert [d.id for d in docs] == ["003_1b487b2ae10ce7b5", "j1", "j2", "000_d6df998b69c9d459"]


def test_missing_path_raises_at_once_even_with_on_error(tmp_path):
    missing = tmp_path / "nowhere.jsonl"
    with pytest.raises(InputError, match=r"nowhere\.jsonl: no such file or directory"):
        iter_documents([SEED_000, missing], on_error=lambda e: None)  # before any iteration


def test_unsupported_file_type_raises_at_once(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(InputError, match=r"report\.pdf: unsupported file type \.pdf"):
        iter_documents([path])


def test_duplicate_ids_name_both_places(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "000_d6df998b69c9d459", "text": "重复。"})
    with pytest.raises(InputError) as info:
        list(iter_documents([SEED_000, corpus]))
    message = str(info.value)
    assert message.startswith(f"{corpus}:1: duplicate document id \"000_d6df998b69c9d459\"")
    assert str(SEED_000) in message


def test_duplicate_ids_within_one_jsonl(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "a", "text": "一。"}, {"id": "a", "text": "二。"})
    expected = r'c\.jsonl:2: duplicate document id "a" \(first seen at .*c\.jsonl:1\)'
    with pytest.raises(InputError, match=expected):
        list(iter_documents([corpus]))


def test_on_error_collects_errors_and_reading_continues(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a_good.txt").write_text("社区议事协商平台已经建立。", encoding="utf-8")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(b"\x00\x01\x02\x03")
    (folder / "d_good.md").write_text("网格员队伍得到优化。", encoding="utf-8")
    corpus = write_jsonl(tmp_path / "c.jsonl", {"id": "j1", "text": "一。"}, "not json",
                         {"id": "j3", "text": "三。"}, {"id": "a_good", "text": "重复。"})
    docs, errors = errors_of([folder, corpus])
    assert [d.id for d in docs] == ["a_good", "d_good", "j1", "j3"]
    assert [str(e) for e in errors] == [
        f"{folder / 'b_empty.txt'}: empty file",
        f"{folder / 'c_binary.txt'}: binary file, not text",
        f"{corpus}:2: malformed JSON (Expecting value at column 1)",
        f'{corpus}:4: duplicate document id "a_good" (first seen at {folder / "a_good.txt"})',
    ]
