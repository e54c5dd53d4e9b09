"""engine.Linter.timings and the hidden `fzlint --profile-rules` option."""

from __future__ import annotations

from tests.conftest import run_cli, seed


def test_profile_rules_prints_a_time_per_rule_on_stderr() -> None:
    plain = run_cli("--format", "json", str(seed("002")))
    done = run_cli("--format", "json", "--profile-rules", str(seed("002")))
    assert done.stdout == plain.stdout  # the report itself is unchanged
    lines = done.stderr.decode().splitlines()
    assert lines[0].split()[:2] == ["rule", "ms"]
    codes = {ln.split()[0] for ln in lines[1:]}
    assert {"(document)", "FZ101", "FZ102"} <= codes


def test_linter_timings_are_off_by_default_and_sum_per_rule() -> None:
    from fzlint.engine import Linter
    from fzlint.ingest import load_path
    from fzlint.rules.loader import load_ruleset

    linter = Linter(load_ruleset())
    assert linter.timings is None
    linter.timings = {}
    linter.lint_source(load_path(seed("000")))
    first = dict(linter.timings)
    linter.lint_source(load_path(seed("000")))
    assert set(first) == set(linter.timings)
    assert all(linter.timings[c] >= first[c] for c in first)
