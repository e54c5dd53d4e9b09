#!/usr/bin/env python3
"""How long `fzlint --annotate` takes on each seed, as text and as a Word file.

    python benchmarks/annotate.py            # median of 5 runs per input
    python benchmarks/annotate.py -n 9

For each seed: the seed .txt (a Word file is built from the text) and the seed as a Word file
made by tests/docmaker.py (the report's paragraphs, level-1 headings numbered by Word, a running
header and a page-number field, so GB/T 9704 layout findings too). Printed per input: the
findings, the time to lint through the runner (read, build, rules, score) and the time to
annotate (open or build the Word file, cut runs, add comments, save), wall and CPU
milliseconds, median of the runs; and the `fzlint --annotate` command in a fresh process
(start-up, python-docx import, lint, annotate, write), wall and CPU (user + sys).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_docx(seed: Path, folder: Path) -> bytes:
    from tests.docmaker import seed_body, write_docx

    return write_docx(seed_body(seed), folder / (seed.stem + ".docx"), auto_numbering=True).read_bytes()


def timed(fn, n: int) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    walls, cpus = [], []
    out = None
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append((time.perf_counter() - w) * 1e3)
        cpus.append((time.process_time() - c) * 1e3)
    return statistics.median(walls), statistics.median(cpus), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=5, help="runs per input (median)")
    args = ap.parse_args()

    from fzlint.annotate import annotate_bytes
    from fzlint.runner import Settings, lint_bytes

    settings = Settings(isolated=True)
    print(f"{'input':12s} {'findings':>8s} {'lint ms':>13s} {'annotate ms':>14s} {'CLI ms':>14s}")
    print(f"{'':12s} {'':8s} {'wall / cpu':>13s} {'wall / cpu':>14s} {'wall / cpu':>14s}")
    # as an installed fzlint runs: its .pyc written (a shell's PYTHONDONTWRITEBYTECODE would
    # recompile every module on every run)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in sorted((ROOT / "seeds").glob("*.txt")):
            raw = seed.read_bytes()
            inputs = {seed.stem[:3] + ".txt": raw, seed.stem[:3] + ".docx": make_docx(seed, Path(tmp))}
            for name, data in inputs.items():

                def lint(name: str = name, data: bytes = data):  # type: ignore[no-untyped-def]
                    report = lint_bytes(data, name, settings)
                    assert report.error is None, report.error
                    return report.result, report.score

                lw, lc, (result, score) = timed(lint, args.n)  # type: ignore[misc]
                aw, ac, _ = timed(lambda result=result, score=score, data=data: annotate_bytes(result, score, data=data), args.n)
                path = Path(tmp) / name
                path.write_bytes(data)
                runs, cpu = [], []
                for _ in range(max(1, args.n // 2)):
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    t = time.perf_counter()
                    subprocess.run([sys.executable, "-m", "fzlint", "--isolated", "--annotate", "-q", "--exit-zero", str(path)], check=True, capture_output=True, env=env)
                    runs.append((time.perf_counter() - t) * 1e3)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1e3)
                print(f"{name:12s} {len(result.findings):8d} {lw:6.0f} / {lc:4.0f} {aw:7.0f} / {ac:4.0f} {statistics.median(runs):7.0f} / {statistics.median(cpu):4.0f}")


if __name__ == "__main__":
    main()
