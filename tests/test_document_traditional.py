"""document/traditional.py: character-level Traditional → Simplified, length-preserving."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from fzlint.document import build_document
from fzlint.document.traditional import to_simplified
from fzlint.ingest import Source


def test_converts_characters() -> None:
    assert to_simplified("法治政府建設情況報告:我們這個縣") == "法治政府建设情况报告:我们这个县"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF) | st.sampled_from("乾後裡製麵髮臺灣著"), max_size=200))
def test_length_is_preserved(text: str) -> None:
    assert len(to_simplified(text)) == len(text)


def test_document_matches_on_simplified_but_source_stays_traditional() -> None:
    text = "某縣2021年法治政府建設情況報告\n一、主要舉措和成效\n我們這個縣為實現目標開展工作。\n"
    src = Source("t.txt", text)
    assert src.meta["script"] == "traditional" and any("繁体" in n for n in src.notes)
    doc = build_document(src)
    assert src.text == text and len(doc.norm) == len(text)
    assert "主要举措和成效" in doc.norm
    assert doc.paragraphs[0].heading is not None and doc.paragraphs[0].heading.title == "主要举措和成效"


def test_simplified_text_does_not_load_opencc() -> None:
    sys.modules.pop("opencc", None)
    build_document(Source("s.txt", "某县2021年法治政府建设情况报告\n一、主要举措和成效\n内容。\n"))
    assert "opencc" not in sys.modules
