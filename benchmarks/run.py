#!/usr/bin/env python3
"""fzlint benchmarks: cold start, throughput, scaling, memory and peers, measured in one run.

    python benchmarks/run.py            # full run (about 5-10 minutes)
    python benchmarks/run.py --quick    # short run (fewer repeats, 200 reports)

Every figure is the median of several runs, interleaved (one round runs every command once) so
that a noisy machine slows all of them alike; ratios compare figures from the same run. Wall
time is the target; CPU time (user+sys of the process and its children) is shown beside it.

fzlint is installed (not editable, as users have it) into a venv in benchmarks/_work/venv;
--use-current runs the fzlint of the interpreter running this script instead.
The peers (autocorrect's CLI, textlint) are installed with npm into benchmarks/_work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
SEED = ROOT / "seeds" / "001_edc3c478e11a7896.txt"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

NPM_PEERS = ["autocorrect-node", "textlint"]
# Chinese-text rules for textlint (installed when the registry has them)
TEXTLINT_RULES = ["textlint-rule-zh-half-and-full-width-bracket", "textlint-rule-no-mixed-zenkaku-and-hankaku-alphabet"]

TARGETS = {
    "cold_ratio_python": 6.0,  # fzlint cold start <= 6x python -c pass
    "throughput_j1": 300.0,  # reports/s on one core
    "scaling_ratio": 100.0,  # 1 MB report < 100x one 10 KB report
    "rss_one_mb": 76.0,
    "rss_corpus_mb": 300.0,
    "textlint_speedup": 10.0,
}


# ---- running and timing --------------------------------------------------------------------
@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kb: int
    rc: int


@dataclass
class Bench:
    name: str
    cmd: list[str]
    env: dict[str, str] | None = None
    fresh_cache: bool = False  # a new empty FZLINT_CACHE_DIR for every run
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return statistics.median(s.rss_kb for s in self.samples) / 1024


def measure(cmd: list[str], env: dict[str, str] | None = None, stdout: Any = subprocess.DEVNULL) -> Sample:
    """Run cmd once: wall time, CPU time and peak RSS of it and its waited-for children."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(p.pid, 0)  # this child's own rusage (not every child's, as RUSAGE_CHILDREN)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return Sample(wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode)


def run_rounds(benches: list[Bench], repeat: int, label: str) -> None:
    for r in range(repeat):
        print(f"  {label}: round {r + 1}/{repeat}", file=sys.stderr, flush=True)
        for b in benches:
            env = dict(b.env or os.environ)
            if b.fresh_cache:
                env["FZLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="fzlint-empty-cache-")
            b.samples.append(measure(b.cmd, env))
            if b.fresh_cache:
                shutil.rmtree(env["FZLINT_CACHE_DIR"], ignore_errors=True)


# ---- setting up ----------------------------------------------------------------------------
def find_fzlint(use_current: bool) -> tuple[str, str]:
    """(python, fzlint command) for this checkout.

    By default a venv in benchmarks/_work/venv gets a regular (not editable) install of the
    checkout, as users have it: an editable install adds an import hook to every interpreter
    start (about 10 ms, for `python -c pass` too). --use-current runs the fzlint of the
    interpreter running this script instead (it must import this checkout's fzlint)."""
    if use_current:
        probe = subprocess.run([sys.executable, "-c", "import fzlint, os; print(os.path.dirname(fzlint.__file__))"], capture_output=True, text=True)
        script = Path(sys.executable).parent / "fzlint"
        if probe.returncode != 0 or Path(probe.stdout.strip()).resolve() != ROOT / "fzlint" or not script.exists():
            sys.exit("--use-current: this interpreter does not run this checkout's fzlint")
        return sys.executable, str(script)
    venv = WORK / "venv"
    py = venv / "bin" / "python"
    if not py.exists():
        print("  making benchmarks/_work/venv …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", str(ROOT)], check=True, capture_output=True)
    print("  installing this checkout into benchmarks/_work/venv …", file=sys.stderr)
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(ROOT)], check=True, capture_output=True)
    return str(py), str(venv / "bin" / "fzlint")


def install_peers() -> dict[str, str]:
    """npm-install the peers into benchmarks/_work; returns name -> command path of those present."""
    bin_dir = WORK / "node_modules" / ".bin"
    npm = shutil.which("npm")
    if npm and not (bin_dir / "autocorrect").exists():
        print("  npm install autocorrect-node textlint (+ Chinese rules) …", file=sys.stderr)
        WORK.mkdir(parents=True, exist_ok=True)
        base = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(WORK)]
        done = subprocess.run([*base, *NPM_PEERS, *TEXTLINT_RULES], capture_output=True)
        if done.returncode != 0:  # a rule package may be missing from the registry: peers alone
            subprocess.run([*base, *NPM_PEERS], capture_output=True)
    found = {name: str(bin_dir / name) for name in ("autocorrect", "textlint") if (bin_dir / name).exists()}
    rules = [r for r in TEXTLINT_RULES if (WORK / "node_modules" / r).is_dir()]
    config = {"rules": {r.removeprefix("textlint-rule-"): True for r in rules}}
    (WORK / ".textlintrc.json").write_text(json.dumps(config), encoding="utf-8")
    return found


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count() or 1
    return {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "nproc": nproc,
        "cpu": model,
        "python": platform.python_version(),
        "load_avg_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


# ---- in-process scaling probe (runs under fzlint's interpreter) -----------------------------
def probe_scaling(repeat: int) -> dict[str, Any]:
    from fzlint.engine import Linter
    from fzlint.ingest import load_bytes
    from fzlint.rules.loader import load_ruleset
    from fzlint.score import compute

    ruleset = load_ruleset()
    out: dict[str, Any] = {}
    for size in (10_000, 100_000, 1_000_000):
        data = corpus.sized_report(size).encode("utf-8")
        linter = Linter(ruleset)
        linter.lint_source(load_bytes(data, "warmup.txt"))  # first-use costs are not scaling
        totals: list[float] = []
        per_rule: dict[str, list[float]] = {}
        for _ in range(repeat):
            linter.timings = {}  # an fzlint without Linter.timings gives totals only
            # CPU time: on a busy machine a long run is preempted more often than a short one
            t0 = time.process_time()
            result = linter.lint_source(load_bytes(data, f"{size}.txt"))
            compute(result.findings, ruleset)
            totals.append(time.process_time() - t0)
            for code, sec in linter.timings.items():
                per_rule.setdefault(code, []).append(sec)
        out[str(size)] = {
            "bytes": len(data),
            "total": statistics.median(totals),
            # per rule the minimum: small times on a busy machine are mostly noise
            "rules": {code: min(v) for code, v in per_rule.items()},
        }
    return out


# ---- the report ----------------------------------------------------------------------------
def fmt_ms(sec: float) -> str:
    return f"{sec * 1e3:8.1f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repeats and 200 reports")
    ap.add_argument("-n", type=int, default=None, help="reports in the corpus (default 1000; --quick 200)")
    ap.add_argument("--repeat", type=int, default=None, help="runs per throughput figure (default 3; --quick 2)")
    ap.add_argument("--no-peers", action="store_true", help="skip autocorrect and textlint")
    ap.add_argument("--update-readme", action="store_true", help="write the figures into benchmarks/README.md")
    ap.add_argument("--use-current", action="store_true", help="run the fzlint of this interpreter (e.g. an editable install)")
    ap.add_argument("--probe-scaling", type=int, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.probe_scaling is not None:
        print(json.dumps(probe_scaling(a.probe_scaling)))
        return 0

    n = a.n or (200 if a.quick else 1000)
    repeat = a.repeat or (2 if a.quick else 3)
    cold_repeat = 7 if a.quick else 15
    info = machine()
    print(f"machine: {info}", file=sys.stderr)
    py, fz = find_fzlint(a.use_current)
    peers = {} if a.no_peers else install_peers()

    tmp = Path(tempfile.mkdtemp(prefix="fzlint-bench-"))
    try:
        warm = tmp / "cache"
        env = {**os.environ, "FZLINT_CACHE_DIR": str(warm), "NO_COLOR": "1"}
        # measure what an installed fzlint does: with bytecode caches (some shells turn them off)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([fz, str(SEED)], env=env, capture_output=True)  # fills the ruleset, regex and .pyc caches
        mixed = tmp / "corpus"
        corpus.build(mixed, n)
        utf8 = tmp / "corpus-utf8"  # the same reports re-encoded: autocorrect reads UTF-8 only
        utf8.mkdir()
        for p in sorted(mixed.iterdir()):
            raw = p.read_bytes()
            text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else None
            if text is None:
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    text = raw.decode("gb18030")
            (utf8 / p.name).write_bytes(text.encode("utf-8"))

        # 1. cold start ---------------------------------------------------------------------
        cold = [
            Bench("python -c pass", [py, "-c", "pass"], env),
            Bench("fzlint SEED (text, warm cache)", [fz, str(SEED)], env),
            Bench("fzlint --format json SEED (warm)", [fz, "--format", "json", str(SEED)], env),
            Bench("fzlint SEED (empty cache, first run)", [fz, str(SEED)], env, fresh_cache=True),
        ]
        if "autocorrect" in peers:
            cold.append(Bench("autocorrect --lint SEED", [peers["autocorrect"], "--lint", str(SEED)], env))
        run_rounds(cold, cold_repeat, "cold start")

        # 2./4. throughput and memory on the mixed-encoding corpus ---------------------------
        # (an fzlint without -j, such as an old commit measured for comparison, runs one process)
        has_jobs = "--jobs" in subprocess.run([fz, "check", "--help"], capture_output=True, text=True, env=env).stdout

        def jobs(k: str) -> list[str]:
            return ["-j", k] if has_jobs else []

        thr = [
            Bench(f"fzlint --format json -j 1 ({n} reports)", [fz, "--format", "json", *jobs("1"), str(mixed)], env),
            Bench(f"fzlint --format json -j 2 ({n} reports)", [fz, "--format", "json", *jobs("2"), str(mixed)], env),
        ]
        run_rounds(thr, repeat, "throughput")
        out1, out2 = tmp / "j1.json", tmp / "j2.json"
        with open(out1, "wb") as f1, open(out2, "wb") as f2:
            measure(thr[0].cmd, env, f1)
            measure(thr[1].cmd, env, f2)
        same_order = out1.read_bytes() == out2.read_bytes()

        # 5. peers on the UTF-8 copy ---------------------------------------------------------
        peer: list[Bench] = []
        if peers:
            peer = [
                Bench("fzlint -j 1 (UTF-8 copy)", [fz, "--format", "json", *jobs("1"), str(utf8)], env),
                Bench("fzlint -j 2 (UTF-8 copy)", [fz, "--format", "json", *jobs("2"), str(utf8)], env),
            ]
            if "autocorrect" in peers:
                ac = peers["autocorrect"]
                peer.append(Bench("autocorrect --threads 1", [ac, "--lint", "--format", "json", "--threads", "1", str(utf8)], env))
                peer.append(Bench("autocorrect (all cores)", [ac, "--lint", "--format", "json", "--threads", "0", str(utf8)], env))
            if "textlint" in peers:
                tl_dir = tmp / "textlint-subset"  # textlint is slow: a subset, reported per file
                tl_dir.mkdir()
                for p in sorted(utf8.iterdir())[: min(n, 100 if a.quick else 200)]:
                    shutil.copy(p, tl_dir / p.name)
                peer.append(Bench(f"textlint ({len(list(tl_dir.iterdir()))} reports)", [peers["textlint"], "--config", str(WORK / ".textlintrc.json"), "-f", "json", str(tl_dir)], env))
            run_rounds(peer, repeat, "peers")

        # 3. scaling (in-process) --------------------------------------------------------------
        print("  scaling: 10 KB, 100 KB, 1 MB", file=sys.stderr, flush=True)
        probe = subprocess.run([py, __file__, "--probe-scaling", str(3 if a.quick else 5)], env=env, capture_output=True, text=True, check=True)
        scaling = json.loads(probe.stdout)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    figures = report(info, n, cold, thr, peer, scaling, same_order, peers)
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "last.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    if a.update_readme:
        update_readme(figures["table"], info)
    return 0


def report(info: dict[str, Any], n: int, cold: list[Bench], thr: list[Bench], peer: list[Bench], scaling: dict[str, Any], same_order: bool, peers: dict[str, str]) -> dict[str, Any]:
    lines: list[str] = []

    def out(s: str = "") -> None:
        lines.append(s)

    def mark(ok: bool) -> str:
        return "ok  " if ok else "MISS"

    by = {b.name: b for b in [*cold, *thr, *peer]}
    py_pass = cold[0]
    out(f"fzlint benchmarks — {info['date']}, {info['nproc']} cores, {info['cpu']}, Python {info['python']}, load avg at start {info['load_avg_at_start']}")
    out()
    out(f"{'measurement':46s} {'wall ms':>8s} {'cpu ms':>8s} {'RSS MB':>7s}  runs")
    for b in [*cold, *thr, *peer]:
        out(f"{b.name:46s} {fmt_ms(b.wall)} {fmt_ms(b.cpu)} {b.rss_mb:7.1f}  {len(b.samples)}")
    out()
    res: dict[str, Any] = {}
    warm, first = cold[1], cold[3]
    res["cold_ratio_python"] = warm.wall / py_pass.wall
    out("targets (ratios from this run):")
    out(f"  [{mark(res['cold_ratio_python'] <= TARGETS['cold_ratio_python'])}] cold start {warm.wall * 1e3:.0f} ms = {res['cold_ratio_python']:.1f}x python -c pass ({py_pass.wall * 1e3:.0f} ms); goal <= 6x")
    out(f"         first run, empty cache: {first.wall * 1e3:.0f} ms = {first.wall / py_pass.wall:.1f}x python -c pass")
    ac_cold = next((b for b in cold if b.name.startswith("autocorrect")), None)
    if ac_cold:
        res["cold_ratio_autocorrect"] = warm.wall / ac_cold.wall
        out(f"  [{mark(warm.wall < ac_cold.wall)}] cold start = {res['cold_ratio_autocorrect']:.2f}x autocorrect's start ({ac_cold.wall * 1e3:.0f} ms); goal < 1x")
    j1, j2 = thr
    res["throughput_j1"] = n / j1.wall
    res["throughput_j2"] = n / j2.wall
    out(f"  [{mark(res['throughput_j1'] >= TARGETS['throughput_j1'])}] throughput -j 1: {res['throughput_j1']:.0f} reports/s ({n / j1.cpu:.0f} per CPU-second); goal >= 300")
    out(f"         throughput -j 2: {res['throughput_j2']:.0f} reports/s; -j 2 output identical to -j 1: {'yes' if same_order else 'NO'}")
    res["rss_one_mb"] = warm.rss_mb
    res["rss_corpus_mb"] = j1.rss_mb
    out(f"  [{mark(warm.rss_mb < TARGETS['rss_one_mb'])}] peak RSS, one report: {warm.rss_mb:.1f} MB; goal < 76 MB")
    out(f"  [{mark(j1.rss_mb < TARGETS['rss_corpus_mb'])}] peak RSS, {n} reports (-j 1): {j1.rss_mb:.1f} MB; goal < 300 MB (-j 2, largest process: {j2.rss_mb:.1f} MB)")
    small, big = scaling["10000"], scaling["1000000"]
    res["scaling_ratio"] = big["total"] / small["total"]
    out(f"  [{mark(res['scaling_ratio'] < TARGETS['scaling_ratio'])}] 1 MB report {big['total'] * 1e3:.0f} CPU-ms = {res['scaling_ratio']:.0f}x one 10 KB report ({small['total'] * 1e3:.1f} ms, {big['bytes'] // small['bytes']}x the bytes); goal < 100x")
    if peer:
        pj1, pj2 = by["fzlint -j 1 (UTF-8 copy)"], by["fzlint -j 2 (UTF-8 copy)"]
        if "autocorrect --threads 1" in by:
            a1, a0 = by["autocorrect --threads 1"], by["autocorrect (all cores)"]
            res["vs_autocorrect_j1"] = pj1.wall / a1.wall
            res["vs_autocorrect_j2"] = pj2.wall / a0.wall
            out(f"  [{mark(res['vs_autocorrect_j2'] <= 1.0)}] fzlint -j 2 time = {res['vs_autocorrect_j2']:.2f}x autocorrect on all cores ({n / a0.wall:.0f} files/s); goal <= 1.0x")
            out(f"         fzlint -j 1 time = {res['vs_autocorrect_j1']:.2f}x autocorrect --threads 1 ({n / a1.wall:.0f} files/s)")
        tl = next((b for b in peer if b.name.startswith("textlint")), None)
        if tl:
            tl_files = int(tl.name.split("(")[1].split()[0])
            tl_rate = tl_files / tl.wall
            res["textlint_speedup"] = (n / pj1.wall) / tl_rate
            out(f"  [{mark(res['textlint_speedup'] >= TARGETS['textlint_speedup'])}] fzlint -j 1 runs at {res['textlint_speedup']:.2f}x textlint's speed ({tl_rate:.0f} files/s, rules: {', '.join(json.loads((WORK / '.textlintrc.json').read_text())['rules']) or 'none'}); goal >= 10x")
    elif not peers:
        out("  peers skipped (no npm, or --no-peers)")
    out()
    # growth from 100 KB to 1 MB: the 10 KB report (a cut seed) lacks some parts, so rules that
    # look only inside those parts do almost nothing there; 10x the size should cost ~10x
    out("scaling per rule (ms per 100 KB at 10 KB / 100 KB / 1 MB; growth = 1 MB rate / 100 KB rate):")
    mid = scaling["100000"]
    codes = sorted(big["rules"], key=lambda c: -big["rules"][c])
    flagged = []
    for code in codes:
        rates = [s["rules"].get(code, 0.0) / s["bytes"] * 1e5 * 1e3 for s in (small, mid, big)]
        growth = rates[2] / rates[1] if rates[1] > 0 else 0.0
        quad = growth > 2 and big["rules"][code] > 0.02 * big["total"]  # ignore rules under 2% of the time
        if quad:
            flagged.append(code)
        out(f"  {code:12s} {rates[0]:8.2f} {rates[1]:8.2f} {rates[2]:8.2f}   growth {growth:5.1f}{'  <- superlinear' if quad else ''}")
    out(f"  superlinear rules: {', '.join(flagged) if flagged else 'none'}")
    text = "\n".join(lines)
    print(text)
    return {"machine": info, "results": res, "table": text, "scaling": scaling}


def update_readme(table: str, info: dict[str, Any]) -> None:
    readme = HERE / "README.md"
    start, end = "<!-- figures:start -->", "<!-- figures:end -->"
    body = readme.read_text(encoding="utf-8")
    if start not in body or end not in body:
        return
    head, rest = body.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n```\n{table}\n```\n{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
