"""Every rule's YAML examples: each `fail` example must fire the rule, each `pass` must not."""

from __future__ import annotations

import pytest

from fzlint.engine import Linter
from fzlint.ingest import load_bytes
from fzlint.rules.kinds import KINDS
from fzlint.rules.loader import builtin_names, load_ruleset


def _cases() -> list[tuple[str, str, str, int, str]]:
    out = []
    seen: set[tuple[str, str]] = set()
    for name in builtin_names():
        rs = load_ruleset(name, use_cache=False)
        for rule in rs.rules:
            if (rule.ruleset, rule.code) in seen:
                continue  # an inherited rule is tested with its own ruleset
            seen.add((rule.ruleset, rule.code))
            for i, ex in enumerate(rule.examples_fail):
                out.append((name, rule.code, "fail", i, ex))
            for i, ex in enumerate(rule.examples_pass):
                out.append((name, rule.code, "pass", i, ex))
    return out


CASES = _cases()


def test_every_rule_has_examples() -> None:
    for name in builtin_names():
        for rule in load_ruleset(name).rules:
            assert rule.examples_fail and rule.examples_pass, rule.code


@pytest.mark.parametrize(("ruleset", "code", "expect", "index", "text"), CASES, ids=[f"{c[1]}-{c[2]}{c[3]}" for c in CASES])
def test_rule_example(ruleset: str, code: str, expect: str, index: int, text: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rs = load_ruleset(ruleset)
    rule = rs.rule(code)
    assert rule is not None
    linter = Linter(rs)
    if rule.params.get("example_settings"):
        # a rule that is off under its ruleset's settings (e.g. a provincial deadline) runs its
        # examples under the settings it documents
        linter.options.ruleset_settings = {**rs.settings, **rule.params["example_settings"]}
    if getattr(KINDS[rule.kind], "examples_docx", False):
        # a layout rule: the example is a change to a GB/T 9704 Word file (tests/layoutmaker.py)
        from fzlint.ingest import load_path
        from tests.layoutmaker import make_layout_docx

        result = linter.lint_source(load_path(make_layout_docx(tmp_path / f"example-{code}.docx", text)))
    else:
        result = linter.lint_source(load_bytes(text.encode("utf-8"), f"example-{code}.txt"))
    fired = [f for f in result.findings if f.code == code]
    if getattr(KINDS[rule.kind], "pairwise", False):
        # a rule on two reports (last year's, then this year's): see fzlint/rules/kinds/reuse.py
        from fzlint.compare import compare_texts
        from fzlint.rules.kinds.reuse import PAIR_SEPARATOR

        old, new = text.split(PAIR_SEPARATOR)
        fired = [f for f in compare_texts(old, new, Linter(rs)).findings if f.code == code]
    if rule.params.get("optional"):
        # optional parts never produce a finding; the example pins what the element table says
        hit = result.elements[rule.params["element"]]
        assert (hit.status == "missing") == (expect == "fail"), f"{code} {expect} example {index}: element is {hit.status}"
        return
    if expect == "fail":
        assert fired, f"{code}: fail example {index} did not fire:\n{text}\nfindings: {[(f.code, f.message) for f in result.findings]}"
    else:
        assert not fired, f"{code}: pass example {index} fired: {[f.message for f in fired]}\n{text}"
