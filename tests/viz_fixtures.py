"""Datasets the graph-view tests share: the gold seeds (seeds_graph.seeds_dataset), and a hostile document."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from rdflib import Dataset

from kg.core.records import Document, Entity, Extraction, Relation
from kg.rdf.dataset import build_dataset

XSS_ORG = "<script>window.__xss='org'</script>工作委员会"
XSS_MECHANISM = "<img src=x onerror=\"window.__xss='img'\">协调机制"
XSS_ALIAS = "<svg onload=\"window.__xss='svg'\">"
XSS_TITLE = "<script>window.__xss='title'</script>标题<!--"
XSS_SENTENCE = f"{XSS_ORG}建立了{XSS_MECHANISM}。"


@lru_cache(maxsize=1)
def xss_dataset() -> Dataset:
    """One document whose entity names, alias, title and sentence carry script and event-handler payloads."""
    text = XSS_SENTENCE + "\n它还</script><b>召开</b>会议。"
    doc = Document(id="xss_doc", text=text, title=XSS_TITLE, date="2025-01-01")
    m_start = XSS_SENTENCE.index(XSS_MECHANISM)
    entities = (
        Entity("o1", "ORG", XSS_ORG, mentions=((0, len(XSS_ORG)),)),
        Entity("m1", "MECHANISM", XSS_MECHANISM, aliases=(XSS_ALIAS,),
               mentions=((m_start, m_start + len(XSS_MECHANISM)),)),
    )
    whole = (0, len(XSS_SENTENCE))
    relations = (Relation("runs", "o1", "m1", evidence=whole, sentence=whole, confidence=0.8),)
    return build_dataset([(doc, Extraction("xss_doc", entities, relations, document=doc))])


def page_data(html: str) -> dict[str, Any]:
    """The JSON block the page's script reads."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.DOTALL)
    assert match, "no kg-data block in the page"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _document(doc_id: str, date: str, text: str, entities: list[tuple[str, str, str]],
              relations: list[tuple[str, str, str]]) -> tuple[Document, Extraction]:
    """A document whose entities (id, label, name) are found at their first occurrence in ``text``, and
    whose relations (label, head, tail) cite the sentence holding both ends."""
    doc = Document(id=doc_id, text=text, title=f"{doc_id} 标题", date=date)
    found = {}
    out = []
    for eid, label, name in entities:
        start = text.index(name)
        found[eid] = start
        out.append(Entity(eid, label, name, mentions=((start, start + len(name)),)))
    rels = []
    for label, head, tail in relations:
        start = text.rfind("。", 0, min(found[head], found[tail])) + 1
        end = text.index("。", max(found[head], found[tail])) + 1
        rels.append(Relation(label, head, tail, evidence=(start, end), sentence=(start, end), confidence=0.9))
    return doc, Extraction(doc_id, tuple(out), tuple(rels), document=doc)


@lru_cache(maxsize=1)
def years_dataset() -> Dataset:
    """Two documents five years apart, each with two bodies linked twice (a co-operation, and a shared
    policy or programme), and one place that nothing links."""
    older = _document(
        "doc_2019", "2019-03-01", "国家发展改革委会同财政部印发《价格管理办法》。北京举行发布会。",
        [("o1", "ORG", "国家发展改革委"), ("o2", "ORG", "财政部"), ("p1", "POLICY", "《价格管理办法》"),
         ("x1", "PLACE", "北京")],
        [("cooperatesWith", "o1", "o2"), ("issues", "o1", "p1"), ("issues", "o2", "p1")])
    newer = _document(
        "doc_2024", "2024-06-01", "教育部联合科技部实施强基计划。",
        [("o3", "ORG", "教育部"), ("o4", "ORG", "科技部"), ("m1", "PROGRAM", "强基计划")],
        [("cooperatesWith", "o3", "o4"), ("runs", "o3", "m1"), ("runs", "o4", "m1")])
    return build_dataset([older, newer])
