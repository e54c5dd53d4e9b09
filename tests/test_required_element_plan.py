"""The shortcuts of required_element / causes must never change what is found: the union of a
rule's patterns matches exactly when one of them does, a sentence starting with a character
outside anchored_first_chars has no match, and a range-safe pattern's match in a slice is a
match in the whole text."""

from __future__ import annotations

import random

import pytest

from fzlint.rules.kinds.base import compile_pattern
from fzlint.rules.kinds.required_element import anchored_first_chars, any_of, range_safe
from fzlint.rules.loader import load_ruleset

_ALPHABET = list("下一步今后明年来新的在将要继续计划拟重点2019年我市区存在问题不足原因,，。:主要负责人第一责任人三项制度 ")


def _texts(seed: int, n: int = 1500) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 14))) for _ in range(n)]


def _rule_patterns() -> list[list[str]]:
    out: list[list[str]] = []
    for rule in load_ruleset().rules:
        for key in ("headings", "inline", "markers", "not_causes", "attached"):
            pats = rule.params.get(key)
            if isinstance(pats, list) and pats and all(isinstance(x, str) for x in pats):
                out.append(pats)
    return out


def test_union_matches_when_one_pattern_does() -> None:
    texts = _texts(1) + ["下一步,我市将继续加强", "2022年我市将进一步", "存在的问题主要是", "第一责任人"]
    for pats in _rule_patterns():
        union = any_of(pats)
        if union is None:
            continue
        compiled = [compile_pattern(x) for x in pats]
        for t in texts:
            assert (union.search(t) is not None) == any(r.search(t) for r in compiled), (pats, t)


@pytest.mark.parametrize("src", [r"(a)\1", r"(?P<x>a)", r"(?i)a", r"(?r)a", r"a(?#c)"])
def test_no_union_where_it_could_differ(src: str) -> None:
    assert any_of([src, "b"]) is None


def test_anchored_first_chars_are_necessary() -> None:
    srcs = [
        r"^(在)?(下一步|下步|今后|明年|下一年度?|来年|新的一年)(工作中|里|中)?[,:]?.{0,40}(将|要|继续|计划|拟)",
        r"^20\d\d年[,]?(我市|我区)?.{0,6}(将|要|计划|拟)",
        r"^(a|)c",
        r"^x*y",
    ]
    texts = _texts(2) + ["下一步将", "2019年我市将", "c", "ac", "xxy", "y", "在今后将"]
    for src in srcs:
        first = anchored_first_chars(src)
        r = compile_pattern(src)
        for t in texts:
            if r.search(t):
                assert first is None or t[:1] in first, (src, t)
    for src in [r"a", r"^a?", r"^\d", r"^(?=a)a", r"^[^a]", r"^a|b", r"(?i)^a", r"^\p{Han}", r"x^a", r"^.a", r"^a$|^"]:
        assert anchored_first_chars(src) is None, src


def test_range_safe_slices_match_in_the_text() -> None:
    rng = random.Random(5)
    for pats in _rule_patterns():
        for src in pats:
            r = compile_pattern(src)
            if not range_safe(r):
                continue
            for t in _texts(rng.randint(0, 99), 300):
                if not t:
                    continue
                s = rng.randint(0, len(t))
                e = rng.randint(s, len(t))
                m = r.search(t[s:e])
                if m is not None:
                    full = r.search(t, s)
                    assert full is not None and full.start() <= s + m.start(), (src, t, s, e)


def test_noise_guards_are_necessary() -> None:
    from fzlint.document import noise

    rng = random.Random(11)
    pieces = ["位置", "当前位置", ":", "：", ">", "›", "»", "首页", "正文", " ", "新闻", "a", "政务公开", "您当前的位置"]
    lines = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(4000)]
    for reason, need in noise._NEEDS.items():
        pat = dict(noise.LINE_NOISE)[reason]
        for line in lines:
            if pat.search(line):
                assert any(x in line for x in need), (reason, line)
