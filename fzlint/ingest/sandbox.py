"""Run a reader in a child process with a memory cap and a time limit.

Native libraries (pdfium) can allocate gigabytes on a crafted file and then abort the whole
process, taking every other file's results with it. `run_limited(fn, *args)` runs `fn` in a
forked child whose address space is capped (`RLIMIT_AS`: what the process already maps plus
`memory_mb`) and waits at most `seconds`; the result (or the reader's `InputError`) comes back
pickled through a pipe. A child that is killed, crashes, runs out of memory or out of time
becomes a `ChildFailed` that the reader turns into that file's error message.

Fork is cheap here (a few milliseconds: the child shares the parent's imported modules) and it
is used only when it is safe: on POSIX, with one thread. Elsewhere (Windows, a threaded host
such as a language server) the function runs in-process, unprotected, as before.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from fzlint.errors import InputError

T = TypeVar("T")


class ChildFailed(Exception):
    """The child did not return: `kind` is 'timeout', 'memory' or 'crash' (with `detail`)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


def available() -> bool:
    """Whether run_limited isolates (POSIX fork and poll, a single thread) or just calls the
    function. FZLINT_NO_SANDBOX=1 turns the isolation off (for profiling the reader)."""
    return (hasattr(os, "fork") and hasattr(select, "poll") and threading.active_count() == 1
            and os.environ.get("FZLINT_NO_SANDBOX") != "1")


def _mapped_bytes() -> int:
    """The address space this process already maps (VmSize), the base for the child's cap."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        # not Linux: the peak resident size is a lower bound; add room for the interpreter
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024) + (256 << 20)


def _cap_memory(memory_mb: float) -> None:
    import resource

    want = _mapped_bytes() + int(memory_mb * (1 << 20))
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash must not write a core file


def _child(fn: Callable[..., Any], args: tuple[Any, ...], memory_mb: float, fd: int) -> None:
    """In the forked child: cap memory, run, write the pickled outcome. Never returns."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's; it kills us
        faulthandler.disable()  # a crash here is reported by the parent, as one line
        _cap_memory(memory_mb)
        try:
            outcome: tuple[str, Any] = ("ok", fn(*args))
        except InputError as exc:
            outcome = ("input", (exc.zh, exc.en, exc.path))
        except MemoryError:
            outcome = ("memory", "")
        except Exception as exc:  # noqa: BLE001 - reported by the parent for this file
            outcome = ("crash", f"{type(exc).__name__}: {exc}")
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("memory", ""))
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:  # noqa: BLE001 - anything here: the parent sees no result
        code = 70
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers


def run_limited(fn: Callable[..., T], *args: Any, seconds: float, memory_mb: float) -> T:
    """fn(*args) in a child process limited to `memory_mb` more memory and `seconds` of wall time.

    Raises the child's InputError as is, and ChildFailed when the child runs out of time or
    memory or dies. Without fork (or with threads running) fn runs here, unprotected."""
    if not available():
        return fn(*args)
    try:
        read_fd, write_fd = os.pipe()
    except OSError:  # out of file descriptors: read here rather than not at all
        return fn(*args)
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory for the page tables
        os.close(read_fd)
        os.close(write_fd)
        return fn(*args)
    if pid == 0:  # pragma: no cover - the child process (its coverage is not collected)
        os.close(read_fd)
        _child(fn, args, memory_mb, write_fd)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + seconds
    reaped = False
    poller = select.poll()  # not select(): it fails on descriptors past FD_SETSIZE
    poller.register(read_fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChildFailed("timeout")
            if not poller.poll(max(1, int(left * 1000))):
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        reaped = True
    finally:
        os.close(read_fd)
        if not reaped:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        raise ChildFailed("crash", name)
    if not chunks:
        raise ChildFailed("crash", f"exit code {os.WEXITSTATUS(status)}")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "ok":
        return value  # type: ignore[no-any-return]
    if kind == "input":
        zh, en, path = value
        raise InputError(zh, en, path=path)
    raise ChildFailed(kind, value)
