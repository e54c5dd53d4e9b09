"""Equivalence guards for round-2 speed work on the punctuation kind: the shared mark scan is
compared with the straightforward walk over every view character, on random reports with mixed
half-/full-width marks, other full-width forms, spaces between Chinese words and wrapped lines."""

from __future__ import annotations

import random
from typing import Any

from fzlint.document import build_document
from fzlint.document.model import Document
from fzlint.ingest import load_bytes
from fzlint.rules.kinds import punctuation
from tests.test_kinds_shortcuts import _PIECES, _report

_EXTRA = ["．", "﹐", "（注）", "(见附件)", "三.", "1.", "a,b", "22:07", "1,299", "某 某", "\u3000", "!", "！", "：", ":"]


def _reports(n: int) -> list[Document]:
    docs = []
    for seed in range(n):
        rng = random.Random(1000 + seed)
        text = _report(rng)
        # sprinkle other forms of the marks, spaces (multi-piece views) and wrapped lines
        chars = list(text)
        for _ in range(rng.randint(0, 25)):
            k = rng.randrange(len(chars))
            chars[k] = chars[k] + rng.choice(_EXTRA + _PIECES)
        docs.append(build_document(load_bytes("".join(chars).encode(), "r.txt")))
    return docs


def _reference_scans(doc: Document, specs: list[Any]) -> dict[Any, Any]:
    """The scan as first written: every mark of every view visited in the normalized text."""
    todo = {spec[0]: spec for spec in specs}
    found = {c: punctuation._MarkScan({}, []) for c in todo}
    raw = doc.source.text
    for v, (view, marker_len) in enumerate(punctuation._views(doc)):
        text = view.text
        n = len(text)
        for i, ch in enumerate(text):
            if ch not in todo:
                continue
            off = view.to_doc(i)
            rch = raw[off]
            scan = found[ch]
            scan.counts[rch] = scan.counts.get(rch, 0) + 1
            if rch != ch:
                continue
            _c, between, expected = todo[ch]
            prev = text[i - 1] if i > 0 else ""
            nxt = text[i + 1] if i + 1 < n else ""
            if between:
                if i >= marker_len and punctuation._is_han(prev) and (punctuation._is_han(nxt) or nxt in ("", "\n")):
                    scan.judged.append((v, i, punctuation._Hit(off, rch, expected)))
                continue
            if prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum():
                continue
            if ch == "(" and not (punctuation._is_cjk(prev) or punctuation._is_cjk(nxt) or punctuation._han_inside(text, i)):
                continue
            if ch == ")" and not (punctuation._is_cjk(prev) or punctuation._is_cjk(nxt) or punctuation._han_before(text, i)):
                continue
            if ch not in "()" and not (punctuation._is_cjk(prev) or punctuation._is_cjk(nxt)):
                continue
            scan.judged.append((v, i, punctuation._Hit(off, rch, expected)))
    return {spec: found[c] for c, spec in todo.items()}


def test_punctuation_scan_in_the_source_matches_the_view_walk() -> None:
    specs = [(",", False, "，"), (".", True, "。"), ("(", False, "（"), (")", False, "）"), (":", False, "："), ("!", False, "！")]
    judged = 0
    from fzlint.rules.context import Context, Options

    for doc in _reports(80):
        fast = punctuation._scans(doc, Context(doc, Options()), specs)
        slow = _reference_scans(doc, specs)
        for spec in specs:
            assert fast[spec].counts == slow[spec].counts
            assert sorted(fast[spec].judged, key=punctuation._place) == slow[spec].judged  # check() sorts them
            judged += len(fast[spec].judged)
    assert judged > 0


def test_heading_needs_never_skip_a_title_that_matches() -> None:
    from fzlint.rules.kinds.base import compile_pattern
    from fzlint.rules.kinds.required_element import _may_match, _needs, any_of
    from fzlint.rules.loader import load_ruleset

    rng = random.Random(5)
    alphabet = list("其他需要报告说明的情况事项三项制度第一责任人主要负责同志履行职责存在问题不足20年度计划安排党政一把手带头")
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16))) for _ in range(3000)]
    texts += ["其他需要报告的情况", "三项制度", "主要负责同志履职", "第一责任人职责", "一把手带头"]
    skipped = 0
    for rule in load_ruleset().rules:
        pats = rule.params.get("headings")
        if not isinstance(pats, list) or not pats:
            continue
        branches = [compile_pattern(x) for x in pats]
        union = any_of(pats)
        needs = _needs(branches)
        if needs is None or union is None:
            continue
        for t in texts:
            if not _may_match(needs, t):
                skipped += 1
                assert union.search(t) is None, (rule.code, t)
    assert skipped > 1000


def test_heading_needs_change_no_finding(monkeypatch: Any) -> None:
    from fzlint.rules.kinds import required_element
    from tests.test_kinds_shortcuts import _compare

    _compare(monkeypatch, ("FZ1",), lambda m: m.setattr(required_element, "_may_match", lambda needs, text: True))


def test_sentence_split_tiles_as_the_match_spans() -> None:
    import regex

    from fzlint.document.sentences import split_sentences

    pattern = regex.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』)]?|$)")  # as first written

    def by_spans(text: str) -> list[tuple[int, int]]:
        return [m.span() for m in pattern.finditer(text) if m.end() > m.start() and m.group().strip()]

    rng = random.Random(11)
    alphabet = list("ab中 。！？!?；;”’」』)\n\r\t\u3000")
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20000)]
    texts += [p.view.text for doc in _reports(20) for p in doc.paragraphs]
    for t in texts:
        assert split_sentences(t) == by_spans(t), repr(t)


def test_enumeration_markers_need_shi() -> None:
    from fzlint.rules.kinds.base import required_items
    from fzlint.rules.kinds.numbering import _ENUM

    assert "是" in required_items(_ENUM)  # the paragraph test `"是" not in text` skips nothing


def test_required_sets_are_necessary() -> None:
    from fzlint.rules.kinds.base import compile_pattern
    from fzlint.rules.kinds.required_element import required_sets
    from fzlint.rules.loader import load_ruleset

    srcs = [r"(?:abc){e<=1}", r"a{2,3}b", r"(下一?步|今后)", r"(?i)ab", r"[a-c]x", r"a|b", r"(a|)c", r"x(?=y)z", r"(?:ab)+c", r"a*b", r"(?:a|b?)c"]
    assert required_sets(r"(?:abc){e<=1}") == () and required_sets(r"(?i)ab") == ()
    for rule in load_ruleset().rules:
        for key in ("headings", "inline", "markers", "not_causes", "attached", "generic", "pressed_on_others"):
            pats = rule.params.get(key)
            if isinstance(pats, list):
                srcs += [x for x in pats if isinstance(x, str)]
    rng = random.Random(9)
    alphabet = sorted({c for s in srcs for c in s if "\u4e00" <= c <= "\u9fff" or c.isalnum()}) + list("，。、 ")
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 18))) for _ in range(1500)]
    checked = 0
    for src in srcs:
        sets = required_sets(src)
        r = compile_pattern(src)
        # matches: texts built from a match of each sample, and the random texts
        for t in texts:
            m = r.search(t)
            if m is not None:
                checked += 1
                for need in sets:
                    assert not need.isdisjoint(t), (src, t, need)
    assert checked > 50


def test_heading_needs_change_nothing_on_the_seeds_and_fixtures(monkeypatch: Any) -> None:
    from pathlib import Path

    from fzlint.rules.kinds import required_element
    from tests.conftest import lint_text

    root = Path(__file__).resolve().parent.parent
    files = sorted((root / "seeds").glob("*.txt")) + sorted((root / "tests" / "fixtures").rglob("*.txt"))
    texts = []
    for path in files:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            continue  # the GB18030 copy of a UTF-8 fixture
    texts += [doc.source.text for doc in _reports(30)]

    def run() -> list[Any]:
        out = []
        for t in texts:
            result, _ = lint_text(t)
            out.append([(f.code, f.start, f.end, f.message) for f in result.findings])
        return out

    fast = run()
    with monkeypatch.context() as m:
        m.setattr(required_element, "_may_match", lambda needs, text: True)
        slow = run()
    assert fast == slow
    assert len(texts) > 10
