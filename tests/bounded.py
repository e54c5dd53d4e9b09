"""Run the real CLI under hard limits: address space (RLIMIT_AS), CPU seconds (RLIMIT_CPU) and a
wall-clock timeout; report the child's own peak memory (os.wait4) and wall time, so a test can
assert that hostile input is handled within bounds, not merely that it ends."""

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
    peak_mb: float  # the child's maximum resident set size
    killed: bool  # the wall-clock timeout was hit

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

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        inp.write(input)
        inp.seek(0)
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "fzlint", *args],
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
        return Bounded(proc.returncode, out.read(), err.read(), seconds, usage.ru_maxrss / 1024, killed.is_set())
