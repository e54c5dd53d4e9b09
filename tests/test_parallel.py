"""fzlint/parallel.py and `fzlint -j N`: same output as one process, in the same order."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import SEEDS, run_cli


def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for k in range(3):
        for p in sorted(SEEDS.glob("*.txt")):
            shutil.copy(p, d / f"{k}_{p.name}")
    (d / "1_zz_binary.txt").write_bytes(b"%PDF-1.4 not text")
    (d / "2_empty.txt").write_bytes(b"")
    return d


def test_j2_prints_exactly_what_j1_prints(tmp_path: Path) -> None:
    d = _folder(tmp_path)
    # every renderer, and -v (stripped lines, notes): workers send back only what renderers read
    for fmt, *extra in (("json",), ("text",), ("text", "-v"), ("sarif",), ("github",), ("junit",), ("rdjson",), ("html",), ("text", "--statistics")):
        one = run_cli("--format", fmt, *extra, "-j", "1", str(d))
        two = run_cli("--format", fmt, *extra, "-j", "2", str(d))
        assert one.returncode == two.returncode == 2  # the PDF-as-.txt is an input error
        # JUnit stamps each suite with the wall-clock second it was written
        stamp = re.compile(rb' timestamp="[^"]*"')
        assert stamp.sub(b"", one.stdout) == stamp.sub(b"", two.stdout)
        assert one.stderr == two.stderr and "PDF" in one.stderr.decode()


def test_j0_uses_every_core_and_quiet_scores_match(tmp_path: Path) -> None:
    d = _folder(tmp_path)
    one = run_cli("-q", str(d), "-j", "1")
    every = run_cli("-q", str(d), "-j", "0")
    assert every.stdout == one.stdout and b"96" in one.stdout


def test_missing_files_are_reported_with_j2(tmp_path: Path) -> None:
    d = _folder(tmp_path)
    done = run_cli("--format", "json", "-j", "2", str(d), str(tmp_path / "nope.txt"))
    assert done.returncode == 2 and "nope.txt" in done.stderr.decode()


def test_chunks_cover_every_file_in_order() -> None:
    from fzlint.parallel import chunked

    files = [f"f{i}" for i in range(203)]
    for jobs in (1, 2, 3, 8):
        chunks = chunked(files, jobs)
        assert [f for c in chunks for f in c] == files
        assert len(chunks) >= min(len(files), jobs)
    assert chunked(["a"], 2) == [["a"]]
