"""Short atheris runs of the fuzz targets in tests/fuzz/ (20 s each): text ingest, and the Word,
PDF and web page readers. Skip locally with -m 'not fuzz'; CI installs atheris and runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT

FUZZ = ROOT / "tests" / "fuzz"


@pytest.mark.fuzz
@pytest.mark.parametrize("target", ["fuzz_ingest", "fuzz_docx", "fuzz_pdf", "fuzz_html"])
def test_fuzz_short_run(tmp_path: Path, target: str) -> None:
    try:
        import atheris  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("atheris is not installed (pip install atheris); CI installs it")
    proc = subprocess.run(
        [sys.executable, str(FUZZ / f"{target}.py"), "--time", "20", "--lint", "--artifacts", str(tmp_path)],
        capture_output=True,
        cwd=ROOT,
        timeout=180,
        check=False,
    )
    log = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, log[-4000:]
    assert "Done " in log and not list(tmp_path.glob("crash-*")), log[-4000:]
