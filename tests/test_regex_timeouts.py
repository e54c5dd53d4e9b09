"""rules/kinds/base.py: which patterns run without the regex timeout, and that the rest still
time out cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from fzlint.rules.kinds.base import _bounded, compile_pattern
from tests.conftest import lint_text

BOUNDED = [
    "存在(的)?(主要)?(问题|不足)",
    r"\p{Han}{2,4}",
    "[^。]{0,10}问题",
    "(?<![A-Za-z])[XＸ×✕]{2,3}",
    "(?:ab){0,3}",
    "(?i)abc",
    "(?i:ab)c?",
    r"\{x",
    r"(?P<y>\d{4})年",
    "[[a-z]--[aeiou]]{0,3}",
]
TIMED = [
    "(a+)+b",
    "a*",
    "x+",
    "(a|a){0,20}",
    "(x{0,5}){0,5}",
    "a{2,}",
    "(?x)a b",
    "(?R)",
    "(a)(?1)",
    "(a)(?(1)b|c)",
    ".{0,99}.{0,99}.{0,99}",
    "(?:.|..){0,30}",
    "(?:a?){0,9}",
]


@pytest.mark.parametrize("src", BOUNDED)
def test_patterns_with_a_fixed_bound_skip_the_timeout(src: str) -> None:
    assert _bounded(compile_pattern(src))


@pytest.mark.parametrize("src", TIMED)
def test_patterns_that_may_backtrack_keep_the_timeout(src: str) -> None:
    assert not _bounded(compile_pattern(src))


def test_a_catastrophic_pattern_still_times_out_with_a_finding(tmp_path: Path) -> None:
    rules = tmp_path / "slow.yaml"
    rules.write_text(
        "ruleset: slow\ntitle: t\nrules:\n"
        "  - code: X901\n    name: slow\n    kind: pattern\n    category: content\n    severity: warning\n"
        "    weight: 1\n    message: 慢\n    rationale: 测试用。\n    source: 经验判断\n    opinion: true\n"
        "    params: {patterns: ['(a|aa)+b']}\n    examples: {pass: [正常。], fail: [aab]}\n"
        "  - code: X902\n    name: fast\n    kind: pattern\n    category: content\n    severity: warning\n"
        "    weight: 1\n    message: 有“{match}”\n    rationale: 测试用。\n    source: 经验判断\n    opinion: true\n"
        "    params: {patterns: ['乱写']}\n    examples: {pass: [正常。], fail: [乱写。]}\n",
        encoding="utf-8",
    )
    # the "b" the pattern requires must be in the paragraph, or the search is rightly skipped
    text = "某市2021年法治政府建设情况报告\n一、主要举措和成效\n" + "a" * 40 + "!b乱写。\n"
    result, _score = lint_text(text, ruleset=str(rules))
    assert result.timed_out == ["X901"]
    codes = [f.code for f in result.findings]
    assert "X902" in codes and "X901" in codes
    assert any("超时" in f.message for f in result.findings if f.code == "X901")
