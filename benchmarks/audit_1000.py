"""Benchmark: `fzlint audit` on 1,000 seed-like reports, with the progress bar.

    python benchmarks/audit_1000.py [-n 1000] [-j JOBS] [--previous] [--keep DIR]

The reports are made from the seeds: issuer names swapped, years moved, figures changed,
paragraphs of the measures part shuffled, and now and then a part dropped. Prints the wall time and
the peak resident memory of the audit's processes (resource.getrusage of children: the largest
single process, main or worker). With --previous, a second year of reports is made from the first
(some copied nearly whole, the rest rewritten) and the audit runs with --previous.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SEED_ISSUERS = ["鄂尔多斯市", "新余市", "高州市", "召陵区", "XX市"]
PLACES = ["安平", "长宁", "东川", "西林", "南江", "北湖", "清河", "临泉", "永安", "富阳", "宁远", "青山", "白水", "金城", "华容", "定南", "兴国", "泰和", "乐平", "松阳"]
KINDS = ["市", "县", "区"]
LEVEL1 = re.compile(r"^\s*[一二三四五六七八九十]+、", re.MULTILINE)


def variant(text: str, rng: random.Random, n: int) -> tuple[str, str]:
    """A seed-like report: new issuer, year, figures; shuffled measures; maybe a part dropped."""
    place = f"{rng.choice(PLACES)}{rng.choice(PLACES)}{rng.choice(KINDS)}"
    for old in SEED_ISSUERS:
        text = text.replace(old, place)
    shift = rng.choice([-1, 0, 1, 2])
    text = re.sub(r"20(1\d|2\d)(?=年)", lambda m: str(2000 + int(m.group(1)) + shift), text)
    # change figures (not years): every number of 2+ digits not followed by 年
    text = re.sub(r"(?<!\d)(\d{2,4})(?![\d年])", lambda m: str(max(1, int(int(m.group(1)) * rng.uniform(0.7, 1.3)))), text)
    lines = text.split("\n")
    heads = [i for i, line in enumerate(lines) if LEVEL1.match(line)]
    if len(heads) >= 2:
        # shuffle the body paragraphs under the first level-1 heading
        a, b = heads[0] + 1, heads[1]
        body = lines[a:b]
        rng.shuffle(body)
        lines[a:b] = body
        if rng.random() < 0.15:
            # drop one level-1 part (not the first): some reports really lack a part
            k = rng.randrange(1, len(heads))
            end = heads[k + 1] if k + 1 < len(heads) else len(lines)
            del lines[heads[k] : end]
    return f"{n:04d}_{place}.txt", "\n".join(lines)


def make_reports(dest: Path, n: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    out = []
    for i in range(n):
        name, text = variant(texts[i % len(texts)], rng, i)
        p = dest / name
        p.write_text(text, encoding="utf-8")
        out.append(p)
    return out


def make_next_year(src: list[Path], dest: Path, seed: int) -> None:
    """Next year's reports: a third copied nearly whole (years moved on), the rest rewritten."""
    rng = random.Random(seed + 1)
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    for i, p in enumerate(src):
        if rng.random() < 0.33:
            text = re.sub(r"20(1\d|2\d)(?=年)", lambda m: str(2001 + int(m.group(1))), p.read_text(encoding="utf-8"))
        else:
            _name, text = variant(texts[(i + 2) % len(texts)], rng, i)
        (dest / p.name).write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("-j", "--jobs", type=int, default=None)
    ap.add_argument("--previous", action="store_true", help="also make last year's reports and audit with --previous")
    ap.add_argument("--keep", default=None, help="make the reports in this folder and keep them")
    ap.add_argument("--seed", type=int, default=2022)
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fzlint-audit-bench-"))
    try:
        this_year = work / "this_year"
        this_year.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        cmd = [sys.executable, "-m", "fzlint", "audit", str(this_year), "--progress", "always", "--format", "csv", "-o", str(work / "audit.csv")]
        if args.previous:
            last_year = work / "last_year"
            last_year.mkdir(exist_ok=True)
            make_next_year(make_reports(last_year, args.n, args.seed), this_year, args.seed)
            cmd += ["--previous", str(last_year)]
        else:
            make_reports(this_year, args.n, args.seed)
        if args.jobs:
            cmd += ["-j", str(args.jobs)]
        made = time.perf_counter() - t0
        print(f"made {args.n} reports in {made:.1f} s under {work}", file=sys.stderr)
        t1 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, check=False)
        wall = time.perf_counter() - t1
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kb = usage.ru_maxrss
        cpu = usage.ru_utime + usage.ru_stime  # less sensitive than wall time to a busy machine
        rows = (work / "audit.csv").read_text(encoding="utf-8-sig").count("\n") - 1 if (work / "audit.csv").exists() else 0
        print(f"fzlint audit: exit {proc.returncode}, {rows} rows, wall {wall:.2f} s ({args.n / wall:.0f} reports/s), peak RSS {peak_kb / 1024:.0f} MB (largest process), CPU {cpu:.1f} s ({1000 * cpu / args.n:.1f} ms/report)")
        return proc.returncode
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
