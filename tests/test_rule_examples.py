"""Every rule of every built-in ruleset: each fail example produces its code, each pass example does not.

A rule whose fail example does not fire is a loud failure: the example is the rule's contract
(it is what `fzlint explain` shows users).
"""

from __future__ import annotations

import pytest

from fzlint.rules.loader import builtin_names, load_ruleset
from conftest import lint_text

# FZ106 is an optional part: missing is not a finding; its examples feed the parts table only.
_TABLE_ONLY = {"FZ106"}


def _cases() -> list[tuple[str, str, str, int, str]]:
    out = []
    for name in builtin_names():
        rs = load_ruleset(name, use_cache=False)
        for rule in rs.rules:
            if rule.ruleset != name and name != "fazhi-annual":
                continue
            for i, ex in enumerate(rule.examples_fail):
                out.append((name, rule.code, "fail", i, ex))
            for i, ex in enumerate(rule.examples_pass):
                out.append((name, rule.code, "pass", i, ex))
    return out


CASES = _cases()


@pytest.mark.parametrize(("ruleset", "code", "kind", "index", "text"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}{c[3]}" for c in CASES])
def test_rule_example(ruleset: str, code: str, kind: str, index: int, text: str) -> None:
    result, _score = lint_text(text, ruleset=ruleset)
    codes = [f.code for f in result.findings]
    if code in _TABLE_ONLY:
        return
    if kind == "fail":
        assert code in codes, f"{ruleset} {code}: fail example #{index} did not fire; got {codes}\n{text}"
    else:
        found = [f.message for f in result.findings if f.code == code]
        assert not found, f"{ruleset} {code}: pass example #{index} fired: {found}\n{text}"


def test_every_builtin_rule_has_examples() -> None:
    for name in builtin_names():
        for rule in load_ruleset(name, use_cache=False).rules:
            assert rule.examples_fail and rule.examples_pass, rule.code
