"""The audit's progress bar (rich, on stderr), shown only on a terminal unless forced."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class AuditProgress:
    """A rich progress bar with one task per phase (检查报告, 读取上一年度报告, 比对)."""

    def __init__(self, force: bool = False) -> None:
        console = Console(file=sys.stderr, force_terminal=True if force else None, highlight=False)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("•"),
            TimeElapsedColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
            refresh_per_second=8,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> Self:
        self.progress.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.progress.stop()

    def start(self, label: str, total: int) -> None:
        self.task = self.progress.add_task(label, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, n)


def wants_progress(mode: str) -> bool:
    """auto: only when stderr is a terminal."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    return sys.stderr.isatty()
