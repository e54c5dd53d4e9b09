"""principal_duties splits the others' union into segments (a slow branch searched only near
the literals it needs): the spans must be exactly the union's finditer spans."""

from __future__ import annotations

import random

import pytest

from fzlint.rules.kinds.base import compile_pattern
from fzlint.rules.kinds.principal_duties import PrincipalDuties, _segments, _union
from fzlint.rules.loader import load_ruleset

_PIECES = [
    "市场监督管理局", "主要负责人", "主要负责同志", "主要领导", "一把手", "各镇街", "各部门", "南塘镇", "党委",
    "党组", "区长", "副区长", "县委", "市政府", "常务会议", "我区", "学校", "医院", "单位", "下属单位",
    "分管领导", "依法治区委员会", "街道", "履行", "职责", "听取汇报", "，", "。", "；", "、", " ", "x", "一", "镇长",
]


def _check() -> PrincipalDuties:
    rs = load_ruleset()
    rule = next(r for r in rs.rules if r.kind == "principal_duties")
    return PrincipalDuties(rule)


@pytest.mark.parametrize("kind", ["government", "department", "township"])
def test_segments_give_the_union_spans(kind: str) -> None:
    check = _check()
    rng = random.Random(7)
    for level in "市县区":
        key = (kind, level)
        own, others = check._actor_patterns(*key)
        plan = check._plan(key)
        if plan is None:
            continue
        assert others
        for _ in range(400):
            text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40)))
            assert check._spans(plan, text) == [m.span() for m in others[0].finditer(text)], text


def test_segments_on_hand_written_unions() -> None:
    check = _check()
    srcs = [r"各(部门|单位)", r"\p{Han}{2,4}?(局|镇)[^,，]{0,3}?(主要负责人|一把手)", r"局(长|党组)", r"镇"]
    plan = _segments(srcs)
    assert plan is not None and [bool(s.literals) for s in plan.segments] == [False, True, False]
    union = _union(srcs)
    rng = random.Random(3)
    for _ in range(2000):
        text = "".join(rng.choice(["各部门", "局", "镇", "长", "主要负责人", "一把手", "党组", "南塘", ",", "x"]) for _ in range(rng.randint(0, 20)))
        assert check._spans(plan, text) == [m.span() for m in union.finditer(text)], text


def test_branches_that_could_differ_are_not_windowed() -> None:
    # lookaround, anchors and unbounded widths keep the branch in a plain union
    for src in [r"\p{Han}{2,4}(?=局)(主要负责人)", r"^\p{Han}{2,4}(主要负责人)", r"\p{Han}+(主要负责人)", r"\p{Han}{2,4}(主要负责人)$"]:
        assert _segments([src, "各部门"]) is None
    assert _segments([r"各\G(部门)", r"\p{Han}{2,4}(主要负责人)"]) is None
    assert compile_pattern(r"\p{Han}{2,4}(主要负责人)")  # the windowed form itself compiles
