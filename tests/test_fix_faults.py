"""--fix under real faults: the process killed between write and rename, and a full disk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, seed

KILL_BEFORE_RENAME = """
import os, signal, sys
real_replace = os.replace
def killed(src, dst, *a, **k):
    # the temp file is written and fsynced; die before it replaces the original
    if str(src).endswith(".fzlint-tmp"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(src, dst, *a, **k)
os.replace = killed
from fzlint.cli import main
sys.exit(main(["--fix", sys.argv[1]]))
"""


def test_sigkill_between_write_and_rename_leaves_the_original(tmp_path: Path) -> None:
    path = tmp_path / "报告.txt"
    original = seed("003").read_bytes()
    path.write_bytes(original)
    proc = subprocess.run([sys.executable, "-c", KILL_BEFORE_RENAME, str(path)], cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert path.read_bytes() == original
    # a later run fixes the file normally; the stale temp file of the killed run is ignored
    assert run_cli("--fix", "-q", str(path)).returncode in (0, 1)
    assert path.read_bytes() != original
    assert run_cli("--diff", str(path)).stdout == b""


@pytest.fixture
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mount)], capture_output=True)
    if proc.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs in CI: {proc.stderr.decode()}")
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_full_disk_loses_nothing(tiny_disk: Path) -> None:
    path = tiny_disk / "report.txt"
    original = seed("003").read_bytes()  # 13 KB; with its fixed copy the 48 KB disk overflows
    path.write_bytes(original)
    filler = tiny_disk / "filler"
    filler.write_bytes(b"\0" * (48 * 1024 - len(original) - 6 * 1024))
    proc = run_cli("--fix", str(path))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "写入失败" in err and "原文件未改动" in err and b"Traceback" not in proc.stderr
    assert path.read_bytes() == original
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "report.txt"]
