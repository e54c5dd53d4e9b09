"""document/: normalize's fast path and the cached sentences and headings give the same results."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import seed
from fzlint.document import build_document
from fzlint.document.build import parse_heading
from fzlint.document.normalize import NORMALIZE_TABLE, normalize
from fzlint.document.sentences import split_sentences
from fzlint.ingest import load_path

CHARS = [chr(c) for c in NORMALIZE_TABLE] + list("法治政府，。abc 1\n")


@given(st.text(alphabet=CHARS, max_size=200))
def test_normalize_equals_str_translate(text: str) -> None:
    assert normalize(text) == text.translate(NORMALIZE_TABLE)
    assert len(normalize(text)) == len(text)


def test_sentences_are_split_once_and_shared() -> None:
    doc = build_document(load_path(seed("004")))
    for p in doc.paragraphs:
        first = p.sentences()
        assert first is p.sentences()
        assert first == split_sentences(p.view.text)


def test_parse_heading_memo_returns_equal_results() -> None:
    for text in ("一、主要举措和成效", "(二)存在的不足", "3.加强队伍建设。全年培训", "一是加强", "正文"):
        parse_heading.cache_clear()
        fresh = parse_heading(text)
        assert parse_heading(text) == fresh
        assert parse_heading.__wrapped__(text) == fresh
