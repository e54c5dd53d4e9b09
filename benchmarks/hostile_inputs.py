"""Hostile and oversized inputs through the real CLI: exit code, seconds and peak memory of each.

    python benchmarks/hostile_inputs.py                  # every case (a few minutes)
    python benchmarks/hostile_inputs.py --only html      # the cases whose name contains "html"
    python benchmarks/hostile_inputs.py --scaling        # text/HTML at 1, 5, 15 MB (linearity)
    FZLINT_ROOT=/path/to/other/checkout python benchmarks/hostile_inputs.py   # that fzlint instead

Each case is built in a temporary folder (tests/hostile.py), then `python -m fzlint FILE` runs
as a child under an address-space limit (`--as-limit`, default 4 GB, so that a regression cannot
take the machine down) and a wall-clock timeout; peak RSS is the child's `ru_maxrss` from
`os.wait4`, which includes the PDF reader's own child process.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile

FZLINT_ROOT = Path(os.environ.get("FZLINT_ROOT", ROOT))  # another checkout's fzlint (before/after)


def run(path: Path, as_limit: int, timeout: float, *extra: str) -> tuple[int | str, float, float, float, str]:
    """(exit code or 'timeout'/signal, wall seconds, CPU seconds, peak RSS MB of the child and its
    children, last line of stderr). Run it in a fresh process (run_fresh): the rusage figures are
    those of all the children waited for so far."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (as_limit, as_limit))

    env = {**os.environ, "PYTHONPATH": str(FZLINT_ROOT), "NO_COLOR": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "fzlint", "--format", "json", *extra, str(path)], cwd=FZLINT_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit)  # noqa: PLW1509 - no threads here
    try:
        _, err = proc.communicate(timeout=timeout)
        code: int | str = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        code = "timeout"
    secs = time.perf_counter() - start
    # RUSAGE_CHILDREN holds the largest peak among waited-for descendants so far
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if isinstance(code, int) and code < 0:
        code = f"signal {-code}"
    last = err.decode("utf-8", "replace").strip().splitlines()[-1][:150] if err.strip() else ""
    return code, secs, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, last


def cases(tmp: Path) -> dict[str, Callable[[], Path]]:
    big_start = "9" * 4000
    num = {2: (1, 0), 4: (1, 0), 6: (1, 0)}
    return {
        "control: a real report (seed 001, .txt)": lambda: Path(shutil.copy(next((ROOT / "seeds").glob("001_*.txt")), tmp / "seed.txt")),
        "control: a Word report (tests/hostile.py)": lambda: hostile.write_docx(tmp / "report.docx"),
        "docx zip bomb (document.xml 2 GB)": lambda: hostile.zip_bomb_docx(tmp / "bomb.docx", 2048),
        "docx lying sizes (declares 1 KB, inflates 1 GB)": lambda: hostile.lying_zip_docx(tmp / "lying.docx", 1024),
        "docx numbering lowerRoman start 999999999999": lambda: hostile.write_docx(
            tmp / "roman.docx", numbering=hostile.numbering_xml("lowerRoman", "999999999999"), numbered=num),
        "docx numbering 4,000-digit start": lambda: hostile.write_docx(
            tmp / "digits.docx", numbering=hostile.numbering_xml("lowerRoman", big_start), numbered=num),
        "docx numbering lowerLetter 10^10": lambda: hostile.write_docx(
            tmp / "letter.docx", numbering=hostile.numbering_xml("lowerLetter", "10000000000"), numbered=num),
        "docx numbering lvlText 200,000 %1": lambda: hostile.write_docx(
            tmp / "lvltext.docx", numbering=hostile.numbering_xml("decimal", "1", "%1" * 200_000), numbered=num),
        "docx numbering ideographDigital start -5": lambda: hostile.write_docx(
            tmp / "negative.docx", numbering=hostile.numbering_xml("ideographDigital", "-5"), numbered=num),
        "pdf content-stream bomb (1 GB)": lambda: hostile.content_bomb_pdf(tmp / "bomb.pdf", 1024),
        "pdf page tree cycle": lambda: hostile.cyclic_pdf(tmp / "cycle.pdf"),
        "pdf 4,000 pages": lambda: hostile.text_pdf(tmp / "pages.pdf", 4000),
        "html charset=rot13": lambda: hostile.charset_html(tmp / "rot13.html", "rot13"),
        "html 800,000 <p> (17 MB)": lambda: hostile.many_paragraphs_html(tmp / "many.html", 800_000),
        "text 800,000 lines (12.8 MB)": lambda: hostile.many_lines_text(tmp / "many.txt", 800_000),
    }


def scaling(tmp: Path, as_limit: int, timeout: float) -> None:
    """Text and HTML near the size limit, with the content limits raised so they are linted."""
    raise_all = ["--max-size", "40"]
    env_keep = dict(os.environ)
    os.environ.update({"FZLINT_MAX_CHARS": "100000000", "FZLINT_MAX_PARAGRAPHS": "10000000", "FZLINT_MAX_HTML_TAGS": "100000000"})
    try:
        for mb in (1, 5, 15):
            n_txt = mb * (1 << 20) // 55  # lines of up to 30 characters: ~55 bytes each
            n_html = mb * (1 << 20) // 63
            for label, path, n in ((f"text {mb} MB", hostile.many_lines_text(tmp / f"s{mb}.txt", n_txt, words=30), n_txt),
                                   (f"html {mb} MB", hostile.many_paragraphs_html(tmp / f"s{mb}.html", n_html, words=30), n_html)):
                code, secs, cpu, peak, _ = run_fresh(path, as_limit, timeout, *raise_all)
                print(f"{label:12s} {path.stat().st_size / 2**20:5.1f} MiB {n:8,} paragraphs  exit {code!s:4s} {secs:6.1f} s wall "
                      f"{cpu:6.1f} s CPU ({cpu / n * 1e6:4.0f} us each) {peak:6.0f} MB peak RSS", flush=True)
    finally:
        os.environ.clear()
        os.environ.update(env_keep)


def run_fresh(path: Path, as_limit: int, timeout: float, *extra: str) -> tuple[str, float, float, float, str]:
    """run() in a fresh measuring process, so the peak RSS is this run's own."""
    out = subprocess.run([sys.executable, __file__, "--one", str(path), "--as-limit", str(as_limit), "--timeout", str(timeout), "--", *extra],
                         capture_output=True, text=True, check=True)
    code, secs, cpu, peak, msg = out.stdout.rstrip("\n").split("\t")
    return code, float(secs), float(cpu), float(peak), msg


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--as-limit", type=int, default=4 << 30)
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument("--one")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()
    if a.one:
        code, secs, cpu, peak, msg = run(Path(a.one), a.as_limit, a.timeout, *a.extra)
        print(f"{code}\t{secs:.2f}\t{cpu:.2f}\t{peak:.0f}\t{msg}")
        return
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if a.scaling:
            scaling(tmp, a.as_limit, a.timeout)
            return
        print(f"address-space limit {a.as_limit / 2**30:.1f} GB, timeout {a.timeout:.0f} s")
        for name, make in cases(tmp).items():
            if a.only and a.only not in name:
                continue
            path = make()
            code, secs, cpu, peak, msg = run_fresh(path, a.as_limit, a.timeout)
            print(f"{name:48s} {path.stat().st_size / 1e6:6.2f} MB  exit {code!s:9s} {secs:6.1f} s wall {cpu:6.1f} s CPU "
                  f"{peak:6.0f} MB  {msg[:80]}", flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
