"""Text output fits the terminal: source snippets and their carets are clipped to the width of a
real pseudo-terminal (its window size set with TIOCSWINSZ, no COLUMNS), and to COLUMNS when piped."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

import pytest

from fzlint.render.cells import cell_len
from tests.conftest import ROOT, run_cli, seed

SNIPPET = __import__("re").compile(r"^\s*\d* \| ")
ANSI = __import__("re").compile(r"\x1b\[[0-9;]*m")


def run_in_pty(columns: int, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(TERM="xterm-256color", NO_COLOR="1")
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "fzlint", *args], stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    return ANSI.sub("", b"".join(chunks).decode().replace("\r\n", "\n"))  # NO_COLOR keeps bold


def _snippets(out: str) -> list[str]:
    return [line for line in out.splitlines() if SNIPPET.match(line)]


@pytest.mark.parametrize("columns", [80, 100, 140])
def test_snippets_fit_a_real_terminal(columns: int) -> None:
    out = run_in_pty(columns, str(seed("000")))
    snippets = _snippets(out)
    assert len(snippets) > 10
    widest = max(cell_len(line) for line in snippets)
    assert widest <= columns, (columns, widest)
    if columns >= 140:
        assert widest > 90  # a wide terminal shows the long lines' context, not an 80-column cut
    # carets stay under their span: the caret row starts at the same column as the span's text
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if SNIPPET.match(line) and "^" in line and not line.strip(" |^"):
            assert SNIPPET.match(lines[i - 1]) and cell_len(lines[i - 1]) >= cell_len(line.rstrip())


@pytest.mark.parametrize("columns", [80, 100])
def test_snippets_fit_columns_when_piped(columns: int) -> None:
    out = run_cli(str(seed("000")), env={"COLUMNS": str(columns)}).stdout.decode()
    assert max(cell_len(line) for line in _snippets(out)) <= columns


@pytest.mark.parametrize("columns", [80, 100])
def test_audit_keeps_rank_file_score_and_grade(columns: int) -> None:
    for out in (run_in_pty(columns, "audit", "-j", "1", "seeds"), run_cli("audit", "-j", "1", "seeds", env={"COLUMNS": str(columns)}).stdout.decode()):
        lines = out.split("最常见的问题")[0].splitlines()
        assert max(cell_len(line) for line in lines) <= columns
        assert "名次" in lines[1] and "得分" in lines[1] and "等级" in lines[1] and "必备部分" in lines[1]
        ranked = [line for line in lines if __import__("re").match(r"^\s+[1-5] │ seeds/00", line)]
        assert len(ranked) == 5 and all(("合格" in r or "良好" in r or "优秀" in r) for r in ranked)
        assert "必备部分依次为:主要举措和成效" in out
    wide = run_cli("audit", "-j", "1", "seeds").stdout.decode()  # a file or pipe: every column
    assert "发文机关" in wide and "第一责任人职责" in wide
