"""benchmarks/corpus.py: the benchmark corpus is deterministic, varied and readable by fzlint."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402


def test_the_corpus_is_deterministic_and_mixes_encodings(tmp_path: Path) -> None:
    a = corpus.build(tmp_path / "a", 40, seed=3)
    b = corpus.build(tmp_path / "b", 40, seed=3)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert corpus.build(tmp_path / "c", 1, seed=4)[0].read_bytes() != a[0].read_bytes()
    kinds = set()
    for p in a:
        raw = p.read_bytes()
        try:
            raw.decode("utf-8")
            kinds.add("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
        except UnicodeDecodeError:
            raw.decode("gb18030")
            kinds.add("gb18030")
    assert kinds == {"utf-8", "utf-8-sig", "gb18030"}
    seeds = {p.read_bytes() for p in (ROOT / "seeds").glob("*.txt")}
    assert not seeds & {p.read_bytes() for p in a}  # every report is varied


def test_fzlint_reads_every_corpus_report(tmp_path: Path) -> None:
    corpus.build(tmp_path / "c", 15, seed=1)
    done = run_cli("-q", "-j", "2", str(tmp_path / "c"))
    assert done.returncode in (0, 1), done.stderr
    assert len(done.stdout.decode().splitlines()) == 15


def test_sized_reports_have_the_asked_size() -> None:
    for size in (10_000, 100_000, 1_000_000):
        got = len(corpus.sized_report(size).encode("utf-8"))
        assert 0.9 * size <= got <= 1.05 * size
