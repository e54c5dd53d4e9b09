"""cli._parse: `fzlint FILE...` skips argparse and must give exactly what argparse gives."""

from __future__ import annotations

import pytest

from fzlint import cli


@pytest.mark.parametrize(
    "argv",
    [[], ["a.txt"], ["a.txt", "dir/", "报告.docx"], ["a.txt", "rules"], ["x y.txt", "@notes", "+1"]],
)
def test_fast_path_equals_argparse(argv: list[str]) -> None:
    fast = cli._parse(argv)
    assert type(fast).__name__ == "SimpleNamespace"  # the fast path was taken
    full = cli.build_parser().parse_args(["check", *argv])
    assert vars(fast) == vars(full)


@pytest.mark.parametrize("argv", [["-q", "a.txt"], ["a.txt", "--format", "json"], ["-"], ["--", "a.txt"], ["check", "a.txt"], [""]])
def test_anything_else_goes_through_argparse(argv: list[str]) -> None:
    assert type(cli._parse(argv)).__name__ == "Namespace"


def test_check_defaults_are_the_parsers() -> None:
    assert cli.CHECK_DEFAULTS == {k: v for k, v in vars(cli.build_parser("check").parse_args(["check"])).items() if k != "paths"}
