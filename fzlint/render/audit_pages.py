"""Per-report pages written next to an audit page: each report's own HTML (or JSON) result.

Called inside the audit's worker processes (by reference, so it must stay a module-level function).
"""

from __future__ import annotations

from typing import Any

from fzlint.render import RENDERERS, Run, render_run

LINK_FORMATS = ("auto", "html", "json", "none")


def resolve_link_format(choice: str) -> str | None:
    """auto: the html renderer when fzlint has one, else JSON; none: no per-report pages."""
    if choice == "none":
        return None
    if choice == "auto":
        return "html" if "html" in RENDERERS else "json"
    if choice not in RENDERERS:
        from fzlint.errors import FzlintError

        raise FzlintError(f"没有 {choice} 格式的输出,无法生成单独报告页面", f"No {choice} renderer for per-report pages")
    return choice


def write_report_page(fmt: str, result: Any, score: Any, ruleset: Any, lang: str, path: str) -> None:
    """Write one report's result in format `fmt` to `path` (atomically: no half-written pages)."""
    from fzlint.outfile import atomic_output

    with atomic_output(path) as stream:
        render_run(fmt, Run([(result, score)], ruleset, color="never", lang=lang), stream)
