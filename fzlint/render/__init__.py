"""Renderers: one module per output format, each with `render_run(run, stream)`.

Only the cli imports this package. Modules are imported lazily so that a text run does not pay
for json/sarif/html and the other way round.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import IO, Any

from fzlint.engine import FileResult
from fzlint.rules.model import Ruleset
from fzlint.score import Score

# format name -> module (each defines render_run)
RENDERERS: dict[str, str] = {
    "text": "fzlint.render.text",
    "concise": "fzlint.render.concise",
    "json": "fzlint.render.json_out",
    "sarif": "fzlint.render.sarif",
    "github": "fzlint.render.github",
    "junit": "fzlint.render.junit",
    "rdjson": "fzlint.render.rdjson",
    "html": "fzlint.render.html_report",
}


@dataclass(slots=True)
class Run:
    """Everything a renderer may show about one invocation."""

    results: list[tuple[FileResult, Score]]
    ruleset: Ruleset
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    color: str = "auto"
    show_source: bool = True
    quiet: bool = False
    verbose: bool = False
    statistics: bool = False
    lang: str = "zh"
    extra: dict[str, Any] = field(default_factory=dict)


def render_run(fmt: str, run: Run, stream: IO[str]) -> None:
    module = importlib.import_module(RENDERERS[fmt])
    module.render_run(run, stream)
