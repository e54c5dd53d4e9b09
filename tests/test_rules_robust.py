"""rules/kinds/base.py and rules/loader.py: scope checks, the regex time budget, param errors."""

from __future__ import annotations

import time

import pytest

from fzlint.document import build_document
from fzlint.ingest import Source
from fzlint.rules.context import Context, Options
from fzlint.rules.kinds import base
from fzlint.rules.kinds.base import ParamError, RuleTimeout, check_scope
from fzlint.rules.kinds.text import Pattern
from fzlint.rules.model import Rule


def _rule(**params: object) -> Rule:
    return Rule("X101", "x", "pattern", "style", "warning", 1, "{match}", "", "r", "s", params=dict(params))


@pytest.mark.parametrize("scope", ["all", "body", "sentences", "element:problems", "element:causes:sentences"])
def test_known_scopes(scope: str) -> None:
    check_scope(scope)


@pytest.mark.parametrize("scope", ["bodyy", "element:", "element:a:words", "element:a:b:c", ""])
def test_unknown_scopes(scope: str) -> None:
    with pytest.raises(ParamError) as info:
        check_scope(scope)
    assert info.value.field == "scope"


def test_group_must_exist() -> None:
    with pytest.raises(ParamError):
        Pattern(_rule(patterns=["某(某)"], group=2))
    with pytest.raises(ParamError):
        Pattern(_rule(patterns=["某(?P<x>某)"], group="y"))
    Pattern(_rule(patterns=["某(?P<x>某)"], group="x"))


def test_time_budget_covers_all_searches_of_a_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "REGEX_TIMEOUT", 0.3)
    # many paragraphs, each slow but under the per-call limit on its own
    text = "\n".join("a" * 22 + "b。" for _ in range(200))
    doc = build_document(Source("t.txt", text))
    check = Pattern(_rule(patterns=["(a|aa)+$"]))
    check.begin(len(doc.norm))
    t0 = time.monotonic()
    with pytest.raises(RuleTimeout):
        list(check.check(doc, Context(doc, Options())))
    assert time.monotonic() - t0 < 3


def test_timeout_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FZLINT_REGEX_TIMEOUT", "0.25")
    assert base.env_seconds("FZLINT_REGEX_TIMEOUT", base.DEFAULT_REGEX_TIMEOUT, 3600) == 0.25
    for bad in ("0", "-1", "nan", "x"):
        monkeypatch.setenv("FZLINT_REGEX_TIMEOUT", bad)
        assert base.env_seconds("FZLINT_REGEX_TIMEOUT", base.DEFAULT_REGEX_TIMEOUT, 3600) == base.DEFAULT_REGEX_TIMEOUT
