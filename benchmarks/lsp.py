"""How long an editor waits for fzlint's diagnostics (`fzlint server`, the LSP server).

    python benchmarks/lsp.py [--repeat N] [--seed PREFIX] [--command "fzlint server"]

Each round starts a fresh server over pipes (tests/lsp_client.py, as an editor does), and times:

- start: process start to the `initialize` reply;
- first: `didOpen` of a seed .txt to its `publishDiagnostics` (the first lint: the ruleset is
  loaded by then only if the warm-up after `initialized` has finished, so this is what a user
  sees when opening a report right after the editor starts the server);
- open again: didOpen of a second copy (another URI) once the server is warm;
- change: `didChange` (the whole text, one character changed) to its publishDiagnostics, with the
  debounce set to 0 (`--debounce 0`) so that the figure is the lint itself; an editor adds the
  debounce (300 ms by default) after the last keystroke.

Figures are medians of wall-clock milliseconds, and of the server process's CPU milliseconds for
the same step (user + system, from /proc on Linux): on a shared, loaded machine the wall clock
mostly measures the wait for a core, the CPU time what the server itself spends.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.lsp_client import LspClient


def _seed(prefix: str) -> Path:
    found = sorted((ROOT / "seeds").glob(f"{prefix}_*.txt"))
    if not found:
        raise SystemExit(f"no seed {prefix}_*.txt in seeds/")
    return found[0]


def _cpu(pid: int) -> float:
    """Seconds of CPU (user + system) the process has used so far; NaN where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_round(seed: Path, command: list[str] | None, wait_warm: float) -> dict[str, float]:
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="fzlint-lsp-bench-") as tmp:
        folder = Path(tmp)
        a, b = folder / "report.txt", folder / "copy.txt"
        shutil.copyfile(seed, a)
        shutil.copyfile(seed, b)
        text = a.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        c = LspClient("--debounce", "0", cwd=folder, command=command)
        try:
            pid = c.proc.pid
            c.initialize(folder)
            out["start"], out["start cpu"] = time.perf_counter() - t0, _cpu(pid)
            t1, c1 = time.perf_counter(), _cpu(pid)
            uri = c.open(a, text)
            n = len(c.diagnostics(uri, version=1, timeout=120))
            out["first"], out["first cpu"] = time.perf_counter() - t1, _cpu(pid) - c1
            out["findings"] = n
            c.idle(wait_warm)
            t2, c2 = time.perf_counter(), _cpu(pid)
            uri_b = c.open(b, text)
            c.diagnostics(uri_b, version=1, timeout=120)
            out["open again"], out["open again cpu"] = time.perf_counter() - t2, _cpu(pid) - c2
            i = text.index("。")
            changed = text[:i] + "," + text[i + 1 :]
            t3, c3 = time.perf_counter(), _cpu(pid)
            c.change(uri, changed, 2)
            c.diagnostics(uri, version=2, timeout=120)
            out["change"], out["change cpu"] = time.perf_counter() - t3, _cpu(pid) - c3
            assert c.close() == 0
        finally:
            c.kill()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", default="001")
    ap.add_argument("--command", default=None, help="the server command (default: python -m fzlint server of this checkout)")
    args = ap.parse_args()
    seed = _seed(args.seed)
    command = shlex.split(args.command) if args.command else None
    rounds = [one_round(seed, command, 0.2) for _ in range(args.repeat)]
    size = seed.stat().st_size
    print(f"seed {seed.name} ({size / 1024:.1f} KB, {int(rounds[0]['findings'])} findings), {args.repeat} fresh servers, median [min-max] ms")
    print(f"  {'':<11} {'wall':>7}  {'':<13} {'server CPU':>10}")
    for key in ("start", "first", "open again", "change"):
        ms = [r[key] * 1000 for r in rounds]
        cpu = [r[key + " cpu"] * 1000 for r in rounds]
        wall = f"{statistics.median(ms):7.0f}  [{min(ms):.0f}-{max(ms):.0f}]"
        print(f"  {key:<11} {wall:<24} {statistics.median(cpu):7.0f}  [{min(cpu):.0f}-{max(cpu):.0f}]")


if __name__ == "__main__":
    main()
