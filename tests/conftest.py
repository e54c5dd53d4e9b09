"""Shared fixtures: an isolated ruleset cache, the seeds, and helpers to lint text or run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    os.environ["FZLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("fzlint-cache"))
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("fzlint-state"))  # the caches' MAC key


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


def seed(prefix: str) -> Path:
    """The seed file whose name starts with prefix ("000" … "004")."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def lint_text(text: str, ruleset: str = "fazhi-annual", path: str = "report.txt", **options):  # type: ignore[no-untyped-def]
    """Lint a string with the given ruleset; returns (FileResult, Score)."""
    from fzlint.engine import Linter
    from fzlint.ingest import load_bytes
    from fzlint.rules.context import Options
    from fzlint.rules.loader import load_ruleset
    from fzlint.score import compute

    rs = load_ruleset(ruleset)
    result = Linter(rs, options=Options(**options)).lint_source(load_bytes(text.encode("utf-8"), path))
    return result, compute(result.findings, rs)


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m fzlint ARGS` as a user would; returns the completed process (bytes)."""
    # the terminal width of whoever runs the tests (xdist workers, CI) is not the test's: only
    # the COLUMNS/LINES a test passes count
    full_env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    full_env.update(env or {})
    full_env.setdefault("NO_COLOR", "1")
    return subprocess.run(
        [sys.executable, "-m", "fzlint", *args],
        input=input if input is not None else b"",
        capture_output=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=120,
    )


def run_in_pty(*args: str, columns: int | None = None, env: dict[str, str] | None = None) -> bytes:
    """Run `python -m fzlint ARGS` with its stdout on a pseudo-terminal (an interactive shell),
    `columns` wide when given (the terminal's own size, not COLUMNS); what it printed."""
    import fcntl
    import pty
    import struct
    import termios

    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    full.update(TERM="xterm-256color", **(env or {}))
    leader, follower = pty.openpty()
    if columns is not None:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "fzlint", *args], stdout=follower, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT, env=full)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks)
