"""Score: weights, repeats, caps, severity scaling, grades."""

from __future__ import annotations

from fzlint.rules.loader import load_ruleset
from fzlint.rules.model import Finding
from fzlint.score import compute


def f(code: str, severity: str) -> Finding:
    return Finding(code, severity, "structure", "m", 0, 1)


def test_empty_is_full_marks() -> None:
    s = compute([], load_ruleset())
    assert s.value == 100 and s.grade == "优秀" and not s.deductions


def test_weights_repeats_caps_and_scaling() -> None:
    rs = load_ruleset()
    w = rs.rule("FZ102").weight
    assert compute([f("FZ102", "error")], rs).value == round(100 - w)
    # only inline: a warning under an error rule costs 40% of the weight
    assert compute([f("FZ102", "warning")], rs).deductions[0].points == round(w * 0.4, 2)
    many = compute([f("FZ401", "error")] * 40, rs)
    d = many.deductions[0]
    assert d.capped and d.points == rs.rule("FZ401").max_penalty and d.count == 40


def test_score_never_below_zero_and_grade_floor() -> None:
    rs = load_ruleset()
    codes = [r.code for r in rs.rules if r.weight > 0]
    s = compute([f(c, rs.rule(c).severity) for c in codes for _ in range(10)], rs)
    assert 0 <= s.value <= 100 and s.grade == "不合格"
