"""End to end: --quiet, --statistics, --show-source/--no-show-source and --color (NO_COLOR, TTY)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import FIXTURES, run_cli
from tests.conftest import run_in_pty as pty_run

BAD = str(FIXTURES / "reports" / "bad.txt")
GOOD = str(FIXTURES / "reports" / "good.txt")
COLOUR = re.compile(rb"\x1b\[[0-9;]*(?:3[0-7]|9[0-7]|38;[25];[0-9;]+)m")  # foreground colour codes
ANY_SGR = re.compile(rb"\x1b\[")


def test_quiet_prints_one_line_per_file() -> None:
    proc = run_cli("-q", BAD, GOOD)
    lines = proc.stdout.decode().splitlines()
    assert proc.returncode == 1
    assert lines == [f"{BAD}: 41 不合格  (11 条问题)", f"{GOOD}: 100 优秀  (0 条问题)"]


def test_statistics_replace_the_findings_and_show_level_and_fixable() -> None:
    proc = run_cli("--statistics", BAD)
    lines = proc.stdout.decode().splitlines()
    assert "-->" not in proc.stdout.decode() and "必备部分" not in proc.stdout.decode()  # no per-finding output
    rows = [line.split() for line in lines[:-1]]
    assert rows[0] == ["4", "FZ401", "错误", "placeholder-left"]  # most frequent first
    assert {r[1]: int(r[0]) for r in rows} == {"FZ401": 4, "FZ102": 1, "FZ104": 1, "FZ112": 1, "FZ122": 1, "FZ302": 1, "FZ312": 1, "D101": 1}
    assert [r for r in rows if r[1] == "D101"][0][2:4] == ["错误", "[*]"]  # --fix can renumber
    assert lines[-1].startswith("共 1 个文件,11 条问题")
    en = run_cli("--statistics", "--lang", "en", "--format", "json", BAD)
    data = json.loads(en.stdout)
    assert {"code": "D101", "name": "heading-number-sequence", "count": 1, "severity": "error", "fixable": 1} in data


def test_quiet_fail_under_names_the_file_under() -> None:
    proc = run_cli("-q", "--fail-under", "90", BAD, GOOD)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert f"{BAD}: 得分 41 低于 fail-under 90" in err and GOOD not in err


def test_min_severity_hides_lower_levels_but_not_the_score() -> None:
    everything = run_cli("-q", BAD).stdout.decode()
    shown = run_cli("--min-severity", "error", BAD).stdout.decode()
    assert "警告[" not in shown and "提示[" not in shown and "错误[FZ401]" in shown
    assert "得分 41 / 100" in shown and ": 41 " in everything


def test_show_source_and_no_show_source() -> None:
    shown = run_cli(BAD).stdout.decode()
    assert "4 | （三）行政执法" not in shown  # sanity: the gutter carries the real line number
    assert "8 | （三）行政执法" in shown
    assert re.search(r"\n\s+\| +\^+", shown)  # an underline row
    hidden = run_cli("--no-show-source", BAD).stdout.decode()
    assert "8 | （三）行政执法" not in hidden and not re.search(r"\n\s+\| +\^+", hidden)
    assert "--> " + BAD + ":8:1" in hidden  # locations are still shown


def test_color_always_never_and_no_color_in_a_pipe() -> None:
    env = {"NO_COLOR": ""}  # run_cli sets NO_COLOR=1 by default; an empty value means unset
    assert COLOUR.search(run_cli("--color", "always", BAD, env=env).stdout)
    assert not ANY_SGR.search(run_cli("--color", "never", BAD, env=env).stdout)
    assert not ANY_SGR.search(run_cli(BAD, env=env).stdout)  # auto: a pipe is not a terminal
    # an explicit --color always wins over NO_COLOR (no-color.org: flags override the variable)
    assert COLOUR.search(run_cli("--color", "always", BAD, env={"NO_COLOR": "1"}).stdout)


def run_in_tty(*args: str, no_color: bool) -> bytes:
    """Run fzlint with its stdout on a pseudo-terminal, as in an interactive shell."""
    return pty_run(*args, env={"COLUMNS": "120", **({"NO_COLOR": "1"} if no_color else {})})


def test_color_auto_in_a_terminal_honours_no_color() -> None:
    coloured = run_in_tty(BAD, no_color=False)
    assert b"FZ401" in coloured and COLOUR.search(coloured)
    plain = run_in_tty(BAD, no_color=True)
    assert b"FZ401" in plain and not COLOUR.search(plain)
    assert not ANY_SGR.search(run_in_tty("--color", "never", BAD, no_color=False))


def test_output_file_has_no_colour(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    assert run_cli("--color", "always", "-o", str(out), BAD).returncode == 1
    assert not ANY_SGR.search(out.read_bytes()) and "FZ401" in out.read_text(encoding="utf-8")
