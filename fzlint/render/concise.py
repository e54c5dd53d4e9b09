"""`--format concise`: one line per finding and one per file's score, as ruff's concise output
(what the pre-commit hook prints: short enough to read in a commit's terminal).

    报告.txt:8:1: 错误[FZ401] 文中留有占位符“XX” [*]
    报告.txt: 得分 41 / 100 不合格
"""

from __future__ import annotations

from typing import IO

from fzlint.render import Run
from fzlint.render.text import LABELS
from fzlint.termsafe import term


def render_run(run: Run, stream: IO[str]) -> None:
    words = LABELS.get(run.lang, LABELS["zh"])
    en = run.lang == "en"
    out: list[str] = []
    for result, score in run.results:
        for f in result.findings:
            line, col = result.source.position(f.start)
            fix = " [*]" if f.fix is not None else ""
            out.append(term(f"{result.path}:{line}:{col}: {words.get(f.severity, f.severity)}[{f.code}] {f.message}{fix}"))
        out.append(term(f"{result.path}: " + (f"score {score.value} / 100 {score.grade}" if en else f"得分 {score.value} / 100 {score.grade}")))
    for path, message in run.errors:
        out.append(term(f"{path}: {message}"))
    stream.write("\n".join(out) + ("\n" if out else ""))
