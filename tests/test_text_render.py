"""The hand-written text renderer prints exactly what the rich one (render/rich_text.py) prints:
every report, colour setting, environment and console width; and a text run imports no rich."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, ROOT, SEEDS
from tests.render_support import make_run

REPORTS = sorted(SEEDS.glob("*.txt")) + sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md") and p.stat().st_size < 200_000)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def runs() -> list[Any]:
    out = []
    for p in REPORTS:
        try:
            out.append(make_run([p]))
        except Exception:  # noqa: BLE001 - fixtures that are not reports (bad encodings …)
            continue
    assert len(out) > 10
    return out


def _both(run: Any, stream_type: type[io.StringIO], color: str) -> tuple[str, str, bool]:
    from fzlint.render import rich_text, text

    fast = stream_type()
    try:
        w = text._Writer(fast, color)
        text._render(w, run)
        fast.write("".join(w.out))
        used_fast = True
    except text.Unsupported:
        used_fast = False
    fast = stream_type()
    text.render_run(run, fast)
    slow = stream_type()
    rich_text.render_run(run, slow)
    return fast.getvalue(), slow.getvalue(), used_fast


ENVS = [
    {},
    {"NO_COLOR": "1"},
    {"FORCE_COLOR": "1"},
    {"FORCE_COLOR": ""},
    {"TTY_COMPATIBLE": "0"},
    {"TERM": "dumb", "FORCE_COLOR": "1"},
    {"LINES": "30"},
]


@pytest.mark.parametrize("width", ["20", "33", "57", "80", "120", "200"])
def test_same_output_as_rich_at_every_width(runs: list[Any], width: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TERM", "LINES", "COLUMNS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COLUMNS", width)
    fast_paths = 0
    total = 0
    for env in ENVS if width in ("80", "120") else ENVS[:2]:
        with monkeypatch.context() as m:
            for k, v in env.items():
                m.setenv(k, v)
            for run in runs:
                for stream_type in (_Tty, io.StringIO):
                    for color in ("auto", "always", "never"):
                        for quiet, verbose, statistics, show_source in ((False, False, False, True), (True, True, True, False)):
                            run.quiet, run.verbose, run.statistics, run.show_source = quiet, verbose, statistics, show_source
                            run.color = color
                            fast, slow, used_fast = _both(run, stream_type, color)
                            assert fast == slow, (run.results[0][0].path, env, stream_type, color, quiet)
                            fast_paths += used_fast
                            total += 1
    if int(width) >= 120:
        assert fast_paths > 0.9 * total  # the rich fallback is for odd inputs and narrow consoles


def test_several_files_and_odd_strings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Markup brackets and control characters go to rich, and still print the same."""
    from fzlint.render import rich_text, text

    run = make_run(REPORTS[:3])
    run.statistics = True
    hit = next(iter(run.results[0][0].elements.values()))
    for evidence in ("[bold]x[/bold] y", "a\tb", "\x1b[31m", "ok [E1]"):
        hit.evidence = evidence
        for color in ("always", "never"):
            run.color = color
            fast, slow = io.StringIO(), io.StringIO()
            text.render_run(run, fast)
            rich_text.render_run(run, slow)
            assert fast.getvalue() == slow.getvalue()


def test_cell_table_matches_rich() -> None:
    from rich._unicode_data import load

    from fzlint.render._cell_table import UNICODE_VERSION, WIDTHS

    table = load("latest")
    assert table.unicode_version == UNICODE_VERSION and list(table.widths) == list(WIDTHS)


def test_cell_functions_match_rich() -> None:
    from rich import cells as rc

    from fzlint.render import cells

    samples = ["abc", "中文字符", "a中b", "Ａ１，", "e\u0301x", "𠀀𠀁", "\u0300x", "…—“”", "x" * 70 + "中" * 30]
    for s in samples:
        assert cells.cell_len(s) == rc.cell_len(s)
        for total in range(0, 12):
            assert cells.set_cell_size(s, total) == rc.set_cell_size(s, total), (s, total)
        for width in range(1, 8):
            assert cells.chop_cells(s, width) == rc.chop_cells(s, width), (s, width)


def test_text_run_imports_no_rich(tmp_path: Path) -> None:
    env = {**os.environ, "FZLINT_CACHE_DIR": str(tmp_path), "NO_COLOR": "1"}
    seed = str(sorted(SEEDS.glob("*.txt"))[1])
    for _ in range(2):  # the first run fills the caches
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "fzlint", seed], capture_output=True, text=True, env=env, cwd=ROOT)
        assert done.returncode in (0, 1), done.stderr[-2000:]
    mods = {ln.split("|")[-1].strip() for ln in done.stderr.splitlines() if ln.startswith("import time:")}
    assert not {m for m in mods if m.split(".")[0] in ("rich", "pydantic", "yaml", "tomllib")}
