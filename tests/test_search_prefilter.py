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


# --- scope-level candidates (Prefilter.candidates / Check.plan) -----------------------------

from fzlint.rules.kinds.base import Check, required_items  # noqa: E402

PLAN_PATTERNS = PATTERNS + [
    "(?<=[,，、。]|^)[一二是]{1,2}(?:[,，][一二是]{1,2}){1,}(?=在)",  # P105-like: anchor + lookbehind
    "[一二]{2,}",  # a set, nothing literal
    "(?<![不])足",  # negative lookbehind: literal only
    "问题|原因",  # top-level alternation: nothing required
    "(?>存在)问题",  # atomic group: not searched in the body
    "[在是]++题",  # possessive
    "年?。",
    "^$",
    "不足(?=[,，。])",
    r"\d{1,3}(?:,\d\d\d)+",
    "(?:存在)?问题.{0,4}$",
]


def test_required_items_of_patterns() -> None:
    cases = {
        "原因": ("原因",),
        "问题.{0,3}原因": ("问题", "原因"),
        "(不足|差距)(和|与)原因": ("原因",),
        "^一、": ("一、",),
        "存在(?!问题)": ("存在",),
        "ab?c": ("a", "c"),
        r"\d+年": ("年",),
        "XX(?:市|县)": ("XX",),
        r"截止(?=\d)": ("截止",),
        r"a\.b": ("a.b",),
        "(?:存在)?问题": ("问题",),
        r"(?<![\d.])\d{1,15}[十百千]": (frozenset("十百千"),),
        "[_＿]{3,400}": (frozenset("_＿"),),
        "[0-3]x": (frozenset("0123"), "x"),
    }
    for src, want in cases.items():
        assert required_items(compile_pattern(src)) == want, src
    # nothing claimed when unsure or when nothing is required
    for src in ("(?i)abc", "[ab]c|d", r"a\nb", "(a)(?(1)a|b)", "x*", "[^ab]", r"[\d]"):
        assert required_items(compile_pattern(src)) == (), src


def _exhaustive(check: Check, doc, ctx, scope: str, pat) -> list[tuple[int, tuple[int, int]]]:  # type: ignore[no-untyped-def]
    pieces = list(iter_scope(doc, ctx, scope))
    return [(i, m.span()) for i, pc in enumerate(pieces) for m in pat.finditer(pc.text)]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET + list("[]_＿十百千,?+"), min_size=1, max_size=200))
def test_planned_search_equals_searching_every_piece(text: str) -> None:
    from fzlint.rules.context import Options

    doc = build_document(load_bytes(("标题:某市法治政府建设情况报告\n" + text).encode("utf-8"), "t.txt"))
    ctx = Context(doc, Options())
    check = Pattern(_rule())
    check.prefilter = Prefilter(doc)
    pats = [compile_pattern(src) for src in PLAN_PATTERNS]
    for scope in ("paragraphs", "sentences", "headings", "all", "body", "title"):
        pieces, plan, order = check.plan(doc, ctx, scope, pats)
        got: dict[int, list[tuple[int, tuple[int, int]]]] = {k: [] for k in range(len(pats))}
        for i in order:
            for k, where in plan:
                if where is None or i in where:
                    got[k].extend((i, m.span()) for m in check.finditer_direct(pats[k], pieces[i].text))
        for k, pat in enumerate(pats):
            assert got[k] == _exhaustive(check, doc, ctx, scope, pat), (PLAN_PATTERNS[k], scope, text)
