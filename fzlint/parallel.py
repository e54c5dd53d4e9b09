"""`fzlint -j N`: lint files on N cores.

A process pool gets the files in chunks; each worker builds its Linter once (pattern compiling,
check setup) and returns one result per file, in the order given, so the output does not depend
on N. Results come back whole (renderers may read the document), minus caches that are rebuilt on
demand, so that shipping them costs less than linting them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from fzlint.errors import FzlintError

_worker: dict[str, Any] = {}


class WorkerError(Exception):
    """An unexpected exception in a worker, carried back as text (it may not pickle)."""

    def __init__(self, described: str) -> None:
        super().__init__(described)
        self.described = described


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _init(ruleset: Any, selection: Any, options: Any, max_bytes: int) -> None:
    from fzlint.engine import Linter

    _worker["linter"] = Linter(ruleset, selection, options)
    _worker["max_bytes"] = max_bytes


def _slim(result: Any) -> Any:
    result.ruleset = None  # the parent has it: not pickled once per file
    doc = result.doc
    doc._body_view = None  # lazily rebuilt caches (Document.body, Paragraph.sentences)
    for p in doc.paragraphs:
        p._sentences = None
    return result


def _lint_chunk(paths: list[str]) -> list[tuple[str, Any]]:
    from fzlint.ingest import load_path

    linter = _worker["linter"]
    out: list[tuple[str, Any]] = []
    for path in paths:
        try:
            src = load_path(path, max_bytes=_worker["max_bytes"])
        except FzlintError as exc:
            out.append((path, exc))
            continue
        try:
            out.append((path, _slim(linter.lint_source(src))))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
            out.append((path, WorkerError(f"{type(exc).__name__}: {exc}")))
    return out


def _chunks(files: list[str], jobs: int) -> list[list[str]]:
    # several chunks per worker so a slow file does not leave the other cores idle at the end
    size = max(1, min(64, len(files) // (jobs * 4) or 1))
    return [files[i : i + size] for i in range(0, len(files), size)]


def lint_parallel(files: list[str], ruleset: Any, selection: Any, options: Any, max_bytes: int, jobs: int) -> Iterator[tuple[str, Any]]:
    """(path, FileResult | FzlintError | WorkerError) for each file, in the order of `files`."""
    methods = multiprocessing.get_all_start_methods()
    # fork: workers inherit the imported modules and regex's warm compile cache
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init, initargs=(ruleset, selection, options, max_bytes)) as pool:
        for chunk in pool.map(_lint_chunk, _chunks(files, jobs)):
            for path, result in chunk:
                if not isinstance(result, BaseException):
                    result.ruleset = ruleset
                yield path, result
