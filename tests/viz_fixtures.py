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
