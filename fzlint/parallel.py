"""`fzlint -j N`: lint files on N cores.

A process pool gets the files in chunks; each worker builds its Linter once (pattern compiling,
check setup) and returns one result per file, in the order given, so the output does not depend
on N. Each worker runs the same per-file steps as the one-process loop (configuration,
suppressions, score). Results come back with what renderers read (see `_slim`), without the
ruleset, which the parent loads once per configuration.
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


def _init(args: Any) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _worker["args"] = args
    _worker["linters"] = {}


def _slim(result: Any) -> Any:
    """The result as the parent needs it: renderers read the source, the document's metadata and
    stripped lines, and each part's status, label, line, evidence and detail. The paragraphs,
    the outline and the normalized text are most of a pickled result (~57 KB, ~1 ms to pickle
    and unpickle per report, the parent's share serial): they stay in the worker."""
    from fzlint.document.model import Section

    result.ruleset = None  # the parent has it: not pickled once per file
    doc = result.doc
    doc._body_view = None
    doc.paragraphs = []
    doc.root = Section(None, None, 0)
    doc.norm = ""
    for hit in result.elements.values():
        hit.paragraphs = []
        hit.sections = []
    return result


def _check_chunk(paths: list[str]) -> list[tuple[str, Any]]:
    """The per-file steps of `fzlint check` (the one-process loop in cli.cmd_check does the same):
    read, configuration, lint with suppressions, score."""
    from fzlint import cli, config, suppress
    from fzlint.ingest import load_path

    args = _worker["args"]
    max_bytes = int(args.max_size * 1024 * 1024)
    out: list[tuple[str, Any]] = []
    for path in paths:
        try:
            cli.configure_readers(path, args)
            src = load_path(path, max_bytes=max_bytes)
        except FzlintError as exc:
            out.append((path, exc))
            continue
        try:
            cfg = cli._file_config(path, args)
            linter = suppress.Silencing(cli.cached_linter(cfg, args, _worker["linters"]), config.ignored_codes(path, cfg))
            result = linter.lint_source(src)
            score, below = cli.scored(result, cfg)
            rs = cfg.settings["ruleset"]
            out.append((path, (_slim(result), linter.counts, score, below, f"{rs.value}|{rs.base}")))
        except FzlintError as exc:
            out.append((path, exc))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
            out.append((path, WorkerError(f"{type(exc).__name__}: {exc}")))
    return out


def _chunks(files: list[str], jobs: int) -> list[list[str]]:
    # several chunks per worker so a slow file does not leave the other cores idle at the end
    size = max(1, min(64, len(files) // (jobs * 4) or 1))
    return [files[i : i + size] for i in range(0, len(files), size)]


def check_parallel(files: list[str], args: Any, jobs: int) -> Iterator[tuple[str, Any]]:
    """(path, outcome) for each file, in the order of `files`; outcome is an FzlintError, a
    WorkerError, or (FileResult, suppression counts, Score, below fail-under)."""
    from fzlint import cli

    methods = multiprocessing.get_all_start_methods()
    # fork: workers inherit the imported modules and regex's warm compile cache
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    rulesets: dict[str, Any] = {}
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init, initargs=(args,))
    try:
        for chunk in pool.map(_check_chunk, _chunks(files, jobs)):
            for path, outcome in chunk:
                if isinstance(outcome, tuple):
                    result, counts, score, below, key = outcome
                    # the ruleset is not shipped back: loaded here (from its cache) once per key
                    if key not in rulesets:
                        rulesets[key] = cli._load_ruleset(args, cli._file_config(path, args))
                    result.ruleset = rulesets[key]
                    outcome = (result, counts, score, below)
                yield path, outcome
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
