"""What the Word layout rules (gbt9704-layout, L1xx) cost: per .docx, and on .txt (should be ~0).

    python benchmarks/layout.py [--repeat N]

Runs in-process on files made here: seed 004 typed into LibreOffice's default template (when
soffice is installed), the same report in the GB/T 9704 layout (python-docx), and a long
report (seed 004's body five times). Each figure is the median CPU time (time.process_time, the
machines are shared) of linting a freshly read Source with the default ruleset, with and without
the layout rules (`--ignore L`), run alternately; "L cost" is the median of the paired
differences. Reading the file is not included.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _paired_ms(a, b, repeat: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Median CPU ms of a and of b, run alternately, and the median of the paired differences
    (a shared machine's noise hits both sides of a pair alike)."""
    ta, tb = [], []
    for _ in range(repeat):
        for fn, out in ((a, ta), (b, tb)):
            arg = fn.prepare()
            t0 = time.process_time()
            fn(arg)
            out.append((time.process_time() - t0) * 1000)
    diff = statistics.median(x - y for x, y in zip(ta, tb))
    return statistics.median(ta), statistics.median(tb), diff


class _Lint:
    def __init__(self, linter, path: Path, binary: bool) -> None:  # type: ignore[no-untyped-def]
        from fzlint.ingest import load_bytes, load_path

        self.linter = linter
        self.prepare = (lambda: load_path(path)) if binary else (lambda: load_bytes(path.read_bytes(), path.name))

    def __call__(self, src) -> None:  # type: ignore[no-untyped-def]
        self.linter.lint_source(src)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    from fzlint.engine import Linter, Selection
    from fzlint.rules.loader import load_ruleset
    from tests.conftest import seed
    from tests.docmaker import seed_body, soffice
    from tests.layoutmaker import REPORT, make_layout_docx

    work = Path(tempfile.mkdtemp(prefix="fzlint-layout-bench-"))
    body = seed_body(seed("004"))
    files: list[tuple[str, Path]] = []
    if soffice():
        from tests.test_layout import libreoffice_docx

        files.append(("seed 004, LibreOffice default template", libreoffice_docx(body, work / "lo.docx")))
    files.append(("GB/T 9704 layout (python-docx)", make_layout_docx(work / "std.docx")))
    long_report = [REPORT[0]] + [("body", line) for line in body[1:-2]] * 5 + REPORT[-2:]
    files.append(("long report (seed 004 body x5)", make_layout_docx(work / "long.docx", "", long_report)))

    rs = load_ruleset()
    full, without = Linter(rs), Linter(rs, Selection(ignore=["L"]))
    print(f"{'file':44} {'paras':>5} {'lint':>8} {'no L':>8} {'L cost':>8}")
    for label, path in files:
        from fzlint.ingest import load_path

        paras = load_path(path).line_count
        for lin in (full, without):  # warm: patterns compiled, caches filled
            lin.lint_source(load_path(path))
        a, b, d = _paired_ms(_Lint(full, path, True), _Lint(without, path, True), args.repeat)
        print(f"{label:44} {paras:5d} {a:7.1f}ms {b:7.1f}ms {d:7.1f}ms")

    txt = seed("004")
    for lin in (full, without):
        lin.lint_source(_Lint(lin, txt, False).prepare())
    a, b, d = _paired_ms(_Lint(full, txt, False), _Lint(without, txt, False), args.repeat)
    print(f"{'seed 004 .txt':44} {'':5} {a:7.1f}ms {b:7.1f}ms {d:7.1f}ms")
    code = (
        "import sys\nfrom fzlint.cli import main\n"
        f"main(['-q', '--exit-zero', {str(txt)!r}])\n"
        "print([m for m in ('fzlint.ingest.docx_layout', 'fzlint.rules.kinds.layout_checks', 'docx') if m in sys.modules])\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip().splitlines()[-1]
    print(f"modules a .txt run loads for layout: {loaded}")


if __name__ == "__main__":
    main()
