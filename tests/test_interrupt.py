"""Ctrl-C during a run over many files: what was finished is reported, exit 130, no traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT, SEEDS


def test_sigint_reports_finished_files_and_exits_130(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    n = 400
    for i in range(n):
        shutil.copy(seeds[i % len(seeds)], folder / f"r{i:03d}.txt")
    proc = subprocess.Popen(
        [sys.executable, "-m", "fzlint", "-q", str(folder)],
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(2.0)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    text = err.decode()
    assert proc.returncode == 130, text
    assert "Traceback" not in text
    assert "已中断" in text
    done = [ln for ln in out.decode().splitlines() if ln.startswith(str(folder))]
    assert 0 < len(done) < n  # the files finished before Ctrl-C are reported
