"""Run the real CLI under hard limits: address space (RLIMIT_AS), CPU seconds (RLIMIT_CPU) and a
wall-clock timeout; report the child's own peak memory and wall time, so a test can assert that
hostile input is handled within bounds, not merely that it ends.

The peak is the high-water mark of the child's own memory after exec (VmHWM, written by the child
as it exits), or of a process it started (a reader's sandbox), whichever is larger. `ru_maxrss` from wait4 is not used when the child tells: Linux keeps in it the
resident size of the forked copy of the parent before exec, so a test worker that once held
large data (OCR models, a big fixture) would be charged to every child it starts."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Bounded:
    returncode: int
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_mb: float  # the largest resident set of the child or of any process it started
    killed: bool  # the wall-clock timeout was hit
    cpu: float = 0.0  # seconds of CPU, the child and its children

    @property
    def code(self) -> int:
        return self.returncode

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")


def run_bounded(
    *args: str,
    mem_mb: int = 800,
    cpu_s: int = 120,
    timeout: float = 180,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    input: bytes = b"",
) -> Bounded:
    """`python -m fzlint ARGS` with at most `mem_mb` of address space and `cpu_s` CPU seconds."""
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("NO_COLOR", "1")
    full_env.setdefault("PYTHONPATH", str(ROOT))

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mem_mb * 1024 * 1024, mem_mb * 1024 * 1024))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp, tempfile.NamedTemporaryFile() as hwm:
        full_env["FZLINT_TEST_HWM"] = hwm.name
        inp.write(input)
        inp.seek(0)
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRAPPER, *args],
            stdin=inp,
            stdout=out,
            stderr=err,
            cwd=cwd or ROOT,
            env=full_env,
            preexec_fn=limits,  # noqa: PLW1509 - limits apply to the child only
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - t0
        out.seek(0)
        err.seek(0)
        told = Path(hwm.name).read_text(encoding="ascii").strip()
        peak_mb = int(told) / 1024 if told.isdigit() else usage.ru_maxrss / 1024
        return Bounded(proc.returncode, out.read(), err.read(), seconds, peak_mb, killed.is_set(), usage.ru_utime + usage.ru_stime)


# `python -m fzlint ARGS`, writing VmHWM (kB) to $FZLINT_TEST_HWM at exit
_WRAPPER = """
import atexit, os, runpy, sys

def _hwm():
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            kb = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
        import resource

        kb = max(int(kb), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        with open(os.environ["FZLINT_TEST_HWM"], "w", encoding="ascii") as f:
            f.write(str(kb))
    except Exception:
        pass

atexit.register(_hwm)
sys.argv[0] = "fzlint"
runpy.run_module("fzlint", run_name="__main__", alter_sys=True)
"""
