"""Where checks run: one warm checking process that forks a child per request.

The server (uvicorn's event loop, threads) never lints. At start it spawns one checking process,
which imports fzlint, loads the ruleset and builds the linter once, then waits. For each request
it forks a child: the child starts warm (a copy of that process, a few milliseconds), does the job
in the request's folder (work.py), writes its outcome there and exits; nothing of one request is
left in any process for the next. The child leads its own process group, so at the deadline the
server kills it with everything it started (an audit's worker processes) at once.

Messages: server -> checking process ("run", id, folder) on one pipe; checking process -> server
("started", id, pid) and ("done", id, exit status) on another, read by one thread that hands them
to the event loop.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass, field
from typing import Any


class JobFailed(Exception):
    """The child did not finish: killed at the deadline (`timeout`) or died."""

    def __init__(self, timeout: bool, status: int | None = None) -> None:
        super().__init__("timeout" if timeout else f"died ({status})")
        self.timeout = timeout
        self.status = status


@dataclass(slots=True)
class WorkerInit:
    """What the checking process needs (picklable: it is spawned, not forked)."""

    root: str
    overrides: dict[str, Any]
    isolated: bool
    use_cache: bool
    max_bytes: int
    limits: Any
    tmp: str  # its temp folder (the readers' temporary files, LibreOffice's profile)


# ---- the checking process -----------------------------------------------------------------------
def _checker_main(jobs_in: Any, events_out: Any, init: WorkerInit) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's; it ends this process
    os.environ["TMPDIR"] = init.tmp
    import tempfile

    tempfile.tempdir = init.tmp
    # no pattern or dataclass caches from disk: the warm-up (work.warm) compiles what a check
    # needs once, here, and every child inherits it
    from fzlint.serve.work import ServeSettings, run_job, warm

    settings = ServeSettings(init.root, init.overrides, isolated=init.isolated, use_cache=init.use_cache, max_bytes=init.max_bytes)
    try:
        warm(settings)
    except Exception as exc:  # noqa: BLE001 - reported to the server, which stops
        events_out.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    import gc

    gc.collect()
    gc.freeze()  # children share these pages with this process instead of copying them
    rfd, wfd = os.pipe()
    os.set_blocking(wfd, False)
    signal.set_wakeup_fd(wfd)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    running: dict[int, int] = {}  # pid -> job id
    events_out.send(("ready", os.getpid()))
    from multiprocessing.connection import wait

    while True:
        for ready in wait([jobs_in, rfd]):
            if ready == rfd:
                try:
                    os.read(rfd, 512)
                except BlockingIOError:
                    pass
                continue
            try:
                message = jobs_in.recv()
            except (EOFError, OSError):  # the server is gone
                for pid in running:
                    _kill_group(pid)
                return
            _kind, job_id, folder = message
            pid = os.fork()
            if pid == 0:  # the child
                code = 70
                try:
                    os.setpgid(0, 0)
                    signal.set_wakeup_fd(-1)
                    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                    os.close(rfd)
                    os.close(wfd)
                    jobs_in.close()
                    events_out.close()
                    run_job(folder, settings, init.limits)
                    code = 0
                except BaseException:  # noqa: BLE001 - the server answers with an error page
                    import traceback

                    traceback.print_exc()
                finally:
                    os._exit(code)
            try:
                os.setpgid(pid, pid)  # also here: the server may kill the group at once
            except OSError:
                pass
            running[pid] = job_id
            events_out.send(("started", job_id, pid))
        while running:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            job_id = running.pop(pid, None)
            if job_id is not None:
                events_out.send(("done", job_id, os.waitstatus_to_exitcode(status)))


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


# ---- in the server ----------------------------------------------------------------------------
@dataclass(slots=True)
class _Pending:
    future: asyncio.Future[int]
    loop: asyncio.AbstractEventLoop
    pid: int | None = None
    kill: bool = False  # past its deadline: killed as soon as its pid is known
    abandoned: bool = False  # nobody waits for it any more (the server is closing)


@dataclass
class Checker:
    """The server's handle on the checking process (start() before serving, close() after)."""

    init: WorkerInit
    _proc: Any = None
    _jobs: Any = None
    _events: Any = None
    _thread: threading.Thread | None = None
    _pending: dict[int, _Pending] = field(default_factory=dict)
    _next: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closing: bool = False

    def start(self) -> None:
        """Spawn the checking process and wait until it is warm (raises RuntimeError if it fails)."""
        ctx = multiprocessing.get_context("spawn")  # the server has threads: never fork it
        jobs_r, jobs_w = ctx.Pipe(duplex=False)
        events_r, events_w = ctx.Pipe(duplex=False)
        # not a daemon: a check with -j 2 starts its own worker processes, which a daemon may not
        # have; the process leaves when the jobs pipe closes (close(), or the server dying)
        proc = ctx.Process(target=_checker_main, args=(jobs_r, events_w, self.init), name="fzlint-checker", daemon=False)
        proc.start()
        jobs_r.close()
        events_w.close()
        try:
            first = events_r.recv()
        except EOFError:
            first = ("failed", f"exit status {proc.exitcode}")
        if first[0] != "ready":
            proc.join(5)
            raise RuntimeError(first[1])
        self._proc, self._jobs, self._events = proc, jobs_w, events_r
        self._thread = threading.Thread(target=self._read_events, args=(events_r,), name="fzlint-checker-events", daemon=True)
        self._thread.start()

    def _read_events(self, events: Any) -> None:
        while True:
            try:
                message = events.recv()
            except (EOFError, OSError):
                break
            kind, job_id, value = message
            with self._lock:
                pending = self._pending.get(job_id)
                if pending is None:
                    continue
                if kind == "started":
                    pending.pid = value
                    if pending.kill or pending.abandoned:
                        _kill_group(value)
                    continue
                del self._pending[job_id]
            if not pending.abandoned:
                pending.loop.call_soon_threadsafe(_settle, pending.future, value)
        # the checking process is gone: fail what was waiting, start a new one for what follows
        with self._lock:
            lost = list(self._pending.values())
            self._pending.clear()
        for pending in lost:
            if not pending.abandoned:
                pending.loop.call_soon_threadsafe(_settle, pending.future, -1)
        if not self._closing:
            try:
                self.start()
            except Exception:  # noqa: BLE001 - every later request then gets the error page
                self._proc = None

    async def run(self, folder: str, timeout: float) -> None:
        """Run the job in `folder` (job.pickle there); returns when result.pickle is written.
        Raises JobFailed when the child is killed at the deadline or dies."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._proc is None or self._jobs is None:
                raise JobFailed(False, None)
            self._next += 1
            job_id = self._next
            pending = _Pending(loop.create_future(), loop)
            self._pending[job_id] = pending
            try:
                self._jobs.send(("run", job_id, folder))
            except OSError:  # the checking process died a moment ago; a new one is starting
                del self._pending[job_id]
                raise JobFailed(False, None) from None
        try:
            status = await asyncio.wait_for(asyncio.shield(pending.future), timeout)
        except TimeoutError:
            with self._lock:
                pending.kill = True
                if pending.pid is not None:
                    _kill_group(pending.pid)
            try:  # wait until it is gone, so that its folder can be removed for good
                await asyncio.wait_for(asyncio.shield(pending.future), 5)
            except TimeoutError:
                pass
            raise JobFailed(True) from None
        if status != 0:
            raise JobFailed(False, status)

    def close(self) -> None:
        self._closing = True
        with self._lock:
            for pending in self._pending.values():
                pending.abandoned = True
                if pending.pid is not None:
                    _kill_group(pending.pid)
        if self._jobs is not None:
            self._jobs.close()  # the checking process sees EOF and leaves
        if self._proc is not None:
            self._proc.join(5)
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join(5)


def _settle(future: asyncio.Future[int], value: int) -> None:
    if not future.done():
        future.set_result(value)
