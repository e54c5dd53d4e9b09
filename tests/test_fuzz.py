"""A short atheris run of tests/fuzz/fuzz_ingest.py (20 s). Skip locally with -m 'not fuzz';
CI installs atheris and runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT

SCRIPT = ROOT / "tests" / "fuzz" / "fuzz_ingest.py"


@pytest.mark.fuzz
def test_fuzz_ingest_short_run(tmp_path: Path) -> None:
    try:
        import atheris  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("atheris is not installed (pip install atheris); CI installs it")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--time", "20", "--lint", "--artifacts", str(tmp_path)],
        capture_output=True,
        cwd=ROOT,
        timeout=180,
        check=False,
    )
    log = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, log[-4000:]
    assert "Done " in log and not list(tmp_path.glob("crash-*")), log[-4000:]
