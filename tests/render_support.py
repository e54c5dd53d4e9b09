"""Helpers shared by the output-format tests: build a `Run` in-process, the seed list, and the
fixed inputs every format is tested on (five seeds, a run with no findings, a missing file)."""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, SEEDS, run_cli

SEED_PATHS = sorted(SEEDS.glob("*.txt"))
SEED_IDS = [p.name[:3] for p in SEED_PATHS]
MISSING = "no-such-report.txt"
# U+20000 (CJK Extension B) is one code point but two UTF-16 units and four UTF-8 bytes; the
# placeholder after it makes FZ401 fire at a column where the three units differ.
CJK_EXT_B_TEXT = (
    "𠀀𠀁市人民政府XX年度法治政府建设情况报告\n一、主要举措和成效\n全年办理复议案件12件,XX。\n"
)


def make_run(
    paths: list[Path | str],
    *,
    select: list[str] | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> Any:
    """Lint files in-process as `fzlint` does and wrap them in a render `Run`."""
    from fzlint.engine import Linter, Selection
    from fzlint.ingest import load_path
    from fzlint.render import Run
    from fzlint.rules.loader import load_ruleset
    from fzlint.score import compute

    rs = load_ruleset("fazhi-annual")
    linter = Linter(rs, Selection(select or []))
    results = []
    for p in paths:
        r = linter.lint_source(load_path(str(p)))
        results.append((r, compute(r.findings, rs)))
    return Run(results, rs, errors or [], extra={"selection": linter.selection})


def render(fmt: str, run: Any) -> str:
    from fzlint.render import render_run

    buf = io.StringIO()
    render_run(fmt, run, buf)
    return buf.getvalue()


def cli_output(fmt: str, *args: str, cwd: Path = ROOT) -> tuple[str, int]:
    """Run the real `fzlint --format FMT ARGS`; (stdout, exit code)."""
    proc = run_cli("--format", fmt, *args, cwd=cwd)
    assert proc.returncode in (0, 1, 2), proc.stderr.decode()
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()
    return proc.stdout.decode("utf-8"), proc.returncode


def json_diagnostics(*paths: str, cwd: Path = ROOT) -> dict[str, Any]:
    """The documented JSON output for the same paths, rendered in-process (the reference the
    other formats must agree with; the CLI runs are the ones under test)."""
    from fzlint.runner import walk

    old = os.getcwd()
    os.chdir(cwd)
    try:
        files = walk(list(paths)).files
        return json.loads(render("json", make_run(files)))
    finally:
        os.chdir(old)


def span_text(path: Path, line: int, column: int, end_line: int, end_column: int) -> str:
    """The file's text between two 1-based (line, code-point column) positions, end exclusive."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    if line == end_line:
        return lines[line - 1][column - 1 : end_column - 1]
    parts = [
        lines[line - 1][column - 1 :],
        *lines[line : end_line - 1],
        lines[end_line - 1][: end_column - 1],
    ]
    return "".join(parts)


def tool_missing(reason: str) -> None:
    """Skip when an external tool cannot be had, except in CI (`CI` set), where it must run."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: this test must run; see .ci/run)")
    pytest.skip(reason)


def tools_cache() -> Path:
    """Where downloaded test tools are kept between runs (never inside the repository)."""
    base = os.environ.get("FZLINT_TEST_TOOLS") or os.path.join(
        os.path.expanduser("~"), ".cache", "fzlint-tests"
    )
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


CHROMIUM = os.environ.get("FZLINT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FZLINT_CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver")
# reduced motion: a page jumps instead of scrolling smoothly, so clicks land at once
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                  "--window-size=1440,1000", "--force-prefers-reduced-motion")


@contextmanager
def chromium(*, prefs: dict[str, Any] | None = None, browser_log: bool = False) -> Iterator[Any]:
    """Debian's Chromium driven by Selenium (tool_missing when either is not installed)."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        tool_missing("selenium is not installed (pip install -e '.[test]')")
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        tool_missing("Debian's chromium and chromium-driver are not installed (see .ci/run)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in CHROMIUM_FLAGS:
        options.add_argument(arg)
    if browser_log:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if prefs:
        options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
