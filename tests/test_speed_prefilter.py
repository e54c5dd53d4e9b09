"""rules/kinds/base.py: the per-document search prefilter never changes a search's result."""

from __future__ import annotations

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from fzlint.document import build_document
from fzlint.ingest import load_bytes
from fzlint.rules.kinds.base import Prefilter, _edge_insensitive, compile_pattern, iter_scope, paragraph_scope
from fzlint.rules.context import Context
from fzlint.rules.kinds.text import Pattern
from fzlint.rules.model import Rule


def test_edge_sensitive_patterns_are_recognized() -> None:
    for src in ("原因|由于", "[^。]{0,10}问题", "(?<=市)政府", r"\d+(?=年)", r"\\b", r"a\^b\$"):
        assert _edge_insensitive(compile_pattern(src)), src
    for src in ("^一、", "计划$", r"\bTODO\b", "(?<![A-Z])XX", "XX(?!市)", r"\A年", "(?m)年", "(?r)年"):
        assert not _edge_insensitive(compile_pattern(src)), src
    assert not _edge_insensitive(regex.compile("x", regex.MULTILINE))


PATTERNS = ["原因", "问题.{0,3}原因", "[^。]{2}不足", "(?<=一)是", r"\d+年", "存在(?=问题)", "年?", "(不足|差距)(和|与)原因", "^一", "足$", "(?<!存)在"]
ALPHABET = list("一二是。,存在问题不足原因和与差距年12 \n、")


def _rule() -> Rule:
    return Rule("T001", "t", "pattern", "content", "warning", 1, "{match}", "", "", "", params={"patterns": ["x"]})


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=160))
def test_prefiltered_search_and_finditer_equal_plain_ones(text: str) -> None:
    doc = build_document(load_bytes(("标题:某市法治政府建设情况报告\n" + text).encode("utf-8"), "t.txt"))
    check = Pattern(_rule())
    pf = Prefilter(doc)
    for src in PATTERNS:
        pat = compile_pattern(src)
        targets = [p.view.text for p in doc.paragraphs] + [doc.body.text, "一是存在问题"]
        for t in targets:
            ranges = [(0, len(t))] + [(s, e) for s in range(0, len(t) + 1, 3) for e in (s, s + 2, s + 7, len(t))]
            for s, e in ranges:
                check.prefilter = None
                want = check.search(pat, t, s, e)
                want_all = [m.span() for m in check.finditer(pat, t, s, e)]
                check.prefilter = pf
                got = check.search(pat, t, s, e)
                assert (got and got.span()) == (want and want.span()), (src, t, s, e)
                assert [m.span() for m in check.finditer(pat, t, s, e)] == want_all, (src, t, s, e)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=160))
def test_a_pattern_absent_from_the_body_matches_no_piece(text: str) -> None:
    from fzlint.rules.context import Options

    doc = build_document(load_bytes(("标题:某市法治政府建设情况报告\n" + text).encode("utf-8"), "t.txt"))
    ctx = Context(doc, Options())
    pf = Prefilter(doc)
    for src in PATTERNS:
        pat = compile_pattern(src)
        if not pf.absent(pat):
            continue
        assert _edge_insensitive(pat), src
        for scope in ("paragraphs", "sentences", "headings", "body"):
            assert paragraph_scope(scope)
            for piece in iter_scope(doc, ctx, scope):
                assert pat.search(piece.text) is None, (src, scope, piece.text)
    assert not paragraph_scope("all") and not paragraph_scope("title")
