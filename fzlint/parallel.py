"""The one process pool: `fzlint -j N` and `fzlint audit` run their per-file work here.

Items go to N worker processes in chunks (several per worker, so a slow file does not leave the
other cores idle at the end); each worker sets itself up once (`initializer`). Results come back
per item, in the order given (`ordered`) or as chunks finish.

A worker that dies (a crash in a native library, killed for using too much memory) breaks the
pool and fails every chunk that was running. Those items are retried once, one at a time, each in
a fresh single-worker pool: the item that kills its worker again gets `crashed(item, why)` as its
result, every other item its real one, and the remaining chunks go on in a new pool. At most
2 × N chunks are handed out at a time, so a crash costs a retry of those only. A chunk whose
`func` raises (or whose results cannot be sent back) is retried the same way.

Ctrl-C: workers ignore SIGINT; the chunks already running are finished and their results yielded,
then KeyboardInterrupt is raised again for the caller to report what was done.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_CHUNK = 16  # items per task: small enough that Ctrl-C and a progress bar stay prompt
CRASHED = (
    "处理该文件的进程意外退出(可能是内存耗尽或读取库崩溃),已跳过该文件",
    "the process working on this file died (out of memory, or a crash in a reading library); file skipped",
)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunked(items: Sequence[T], jobs: int, max_chunk: int = MAX_CHUNK) -> list[list[T]]:
    """Chunks of at most max_chunk items, at least 4 per worker so the load evens out."""
    size = max(1, min(max_chunk, len(items) // (jobs * 4) or 1))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _context() -> Any:
    # fork: workers inherit the imported modules, the built linters and regex's warm compile cache
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _init(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if initializer is not None:
        initializer(*initargs)


class _Pool:
    """A ProcessPoolExecutor with the workers' set-up, made again after a worker died."""

    def __init__(self, workers: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
        self.executor = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init, initargs=(initializer, initargs))

    def close(self, wait_: bool) -> None:
        self.executor.shutdown(wait=wait_, cancel_futures=True)


def imap(
    func: Callable[[list[T]], list[R]],
    items: Sequence[T],
    jobs: int,
    *,
    crashed: Callable[[T, tuple[str, str]], R],
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    ordered: bool = True,
    max_chunk: int = MAX_CHUNK,
) -> Iterator[R]:
    """`func` (a module-level function: chunk of items -> one result per item) over `items` in
    `jobs` processes; yields one result per item. See the module docstring."""
    if not items:
        return
    chunks = chunked(items, jobs, max_chunk)
    starts = [0]
    for c in chunks:
        starts.append(starts[-1] + len(c))
    done: dict[int, R] = {}  # item index -> result, not yet yielded
    next_out = 0  # ordered: the next item index to yield
    todo = list(range(len(chunks)))[::-1]  # chunk numbers not handed out yet (popped from the end)
    running: dict[Future[list[R]], int] = {}
    pool = _Pool(min(jobs, len(chunks)), initializer, initargs)

    def ready() -> Iterator[R]:
        nonlocal next_out
        if not ordered:
            for k in sorted(done):
                yield done.pop(k)
            return
        while next_out in done:
            yield done.pop(next_out)
            next_out += 1

    def take(fut: Future[list[R]], n: int) -> None:
        for k, res in enumerate(fut.result()):
            done[starts[n] + k] = res

    try:
        while todo or running:
            while todo and len(running) < 2 * jobs:
                n = todo.pop()
                try:
                    running[pool.executor.submit(func, chunks[n])] = n
                except BrokenProcessPool:  # a worker died since the last wait
                    todo.append(n)
                    if not running:
                        pool.close(wait_=False)
                        pool = _Pool(min(jobs, len(todo)), initializer, initargs)
                        continue
                    break
            try:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                broken: list[int] = []
                for fut in finished:
                    n = running.pop(fut)
                    try:
                        take(fut, n)
                    except BrokenProcessPool:
                        broken.append(n)
                    except Exception:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        for k, item in enumerate(chunks[n]):
                            done[starts[n] + k] = _isolated(func, item, crashed, initializer, initargs)
            except KeyboardInterrupt:
                # finish what the workers are doing (they ignore SIGINT), keep it, then stop
                pool.close(wait_=True)
                for fut, n in running.items():
                    if fut.done() and not fut.cancelled() and fut.exception() is None:
                        take(fut, n)
                running.clear()
                yield from ready()
                raise
            if broken:
                # every chunk that was running is lost with the dead worker: retry their items
                broken += running.values()
                for fut in running:
                    fut.cancel()
                running.clear()
                pool.close(wait_=False)
                for n in sorted(broken):
                    for k, item in enumerate(chunks[n]):
                        done[starts[n] + k] = _isolated(func, item, crashed, initializer, initargs)
                if todo:
                    pool = _Pool(min(jobs, len(todo)), initializer, initargs)
            yield from ready()
    except BaseException:
        pool.close(wait_=False)
        raise
    pool.close(wait_=True)
    yield from ready()


def _isolated(
    func: Callable[[list[T]], list[R]],
    item: T,
    crashed: Callable[[T, tuple[str, str]], R],
    initializer: Callable[..., None] | None,
    initargs: tuple[Any, ...],
) -> R:
    """One item in a worker of its own: its result, or crashed(item) when the worker dies again."""
    pool = _Pool(1, initializer, initargs)
    try:
        return pool.executor.submit(func, [item]).result()[0]
    except BrokenProcessPool:
        return crashed(item, CRASHED)
    except Exception as exc:  # noqa: BLE001 - raised in the worker, or its result does not pickle
        what = f"{type(exc).__name__}: {exc}"
        return crashed(item, (f"处理该文件时出错:{what}", f"error while processing this file: {what}"))
    finally:
        pool.close(wait_=False)
