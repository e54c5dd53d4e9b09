"""Rich text output in the style of rustc/ruff: code and severity, message, location, the source
line with the span underlined (CJK characters are two columns), help; then parts and score."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fzlint.engine import FileResult
from fzlint.render import Run
from fzlint.render.common import ocr_label
from fzlint.render.text import (
    _STYLE,
    LABELS,
    STACK_WIDTH,
    _clip,
    converted_label,
    safe,
    snippet_cells,
    stacked_parts,
    status_label,
)
from fzlint.rules.model import citation
from fzlint.score import Score, named_deductions
from fzlint.termsafe import term

# the layout constants, control-character neutralising and line clipping are text.py's own, so
# both renderers cut and underline a source line alike


def make_console(file: IO[str] | None = None, color: str = "auto", width: int | None = None) -> Console:
    force = {"always": True, "never": False}.get(color)
    if width is None and not (file or __import__("sys").stdout).isatty():
        # files and pipes: wide enough for the parts table, unless COLUMNS says otherwise
        columns = __import__("os").environ.get("COLUMNS", "")
        width = int(columns) if columns.isdigit() and int(columns) > 0 else 120
    return Console(
        file=file,
        force_terminal=force,
        # auto: rich drops colour when NO_COLOR is set; an explicit --color always overrides it
        no_color={"always": False, "never": True}.get(color),
        highlight=False,
        soft_wrap=True,
        width=width,
        emoji=False,
    )


def render_finding(console: Console, result: FileResult, f, show_source: bool = True, lang: str = "zh") -> None:  # type: ignore[no-untyped-def]
    words = LABELS.get(lang, LABELS["zh"])
    src = result.source
    line, col = src.position(f.start)
    end_line, end_col = src.position(f.end)
    sev = f.severity
    head = Text()
    head.append(f"{words.get(sev, sev)}[{f.code}]", style=_STYLE.get(sev, "bold"))
    head.append(": ")
    head.append(safe(f.message), style="bold")
    console.print(head)
    gutter = " " * len(str(line))
    console.print(Text(f"{gutter}--> ", style="blue") + Text(f"{term(result.path)}:{line}:{col}"))
    if show_source:
        raw = safe(src.line_text(line).replace("\t", " "))
        c0 = col - 1
        c1 = end_col - 1 if end_line == line else len(raw)
        c1 = max(c1, c0 + 1)
        shown, s0, s1 = _clip(raw, c0, min(c1, len(raw)) if c0 < len(raw) else c0 + 1, snippet_cells(console.width, line))
        pad = cell_len(shown[:s0])
        width = max(1, cell_len(shown[s0:s1]))
        console.print(Text(f"{gutter} |", style="blue"))
        console.print(Text(f"{line} | ", style="blue") + Text(shown))
        console.print(Text(f"{gutter} | ", style="blue") + Text(" " * pad + "^" * width, style=_STYLE.get(sev, "bold")))
    rule = result.ruleset.rule(f.code)
    if f.help:
        console.print(Text(f"{gutter} = ", style="blue") + Text(words["help"], style="bold") + Text(term(f.help)))
    if rule is not None and rule.source:
        console.print(Text(f"{gutter} = ", style="blue") + Text(words["source"], style="bold") + Text(citation(rule), style="dim"))
    if f.fix is not None:
        console.print(Text(f"{gutter} = ", style="blue") + Text(words["fix"], style="green"))
    console.print()


def render_elements(console: Console, result: FileResult) -> None:
    if console.width <= STACK_WIDTH:
        for parts in stacked_parts(result, console.width):
            line = Text()
            for text, spec in parts:
                line.append(text, style=spec)
            console.print(line)
        return
    table = Table(title="必备部分", title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("部分", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("行", justify="right")
    table.add_column("依据原文", overflow="ellipsis", max_width=48, no_wrap=True)
    for key in result.ruleset.part_order(result.elements):
        hit = result.elements.get(key)
        if hit is None:
            continue
        label, style = status_label(hit)
        table.add_row(hit.label, Text(label, style=style), str(hit.line or ""), term((hit.evidence or "").replace("\n", " ")))
    console.print(table)
    render_content(console, result)


def render_content(console: Console, result: FileResult) -> None:
    """What the content rules found inside each part (第一责任人 duties, 纲要 coverage, causes …)."""
    rows = []
    for key in result.ruleset.part_order(result.elements):
        hit = result.elements.get(key)
        if hit is not None and hit.detail.get("content_summary"):
            rows.append((hit.label, term(";".join(hit.detail["content_summary"]))))
    if not rows:
        return
    table = Table(title="各部分内容", title_justify="left", show_edge=False, pad_edge=False, show_header=False)
    table.add_column("部分", no_wrap=True)
    table.add_column("内容", overflow="fold")
    for label, text in rows:
        table.add_row(label, Text(text))
    console.print(table)


def render_score(console: Console, result: FileResult, score: Score) -> None:
    meta = result.doc.meta
    style = "green" if score.value >= 90 else "yellow" if score.value >= 60 else "red"
    head = Text("得分 ")
    head.append(f"{score.value}", style=f"bold {style}")
    head.append(f" / 100  {score.grade}", style=f"bold {style}")
    facts = []
    if meta.issuer:
        facts.append(f"发文机关:{meta.issuer}")
    if meta.year:
        facts.append(f"报告年度:{meta.year}{meta.year_hint()}")
    if meta.signature and meta.signature.date:
        facts.append(f"成文日期:{meta.signature.date.text}")
    if meta.published:
        facts.append(f"发布日期:{meta.published.isoformat()}")
    console.print(head, Text(term("  " + "  ".join(facts)), style="dim"))
    for d, name in named_deductions(result.findings, score, 60):
        extra = f" ×{d.count}" if d.count > 1 else ""
        cap = "(已达上限)" if d.capped else ""
        console.print(Text(f"  -{d.points:g}  ", style="red") + Text(f"{d.code}{extra} ", style="bold") + Text(term(f"{name}{cap}"), style="dim"))
    console.print()


def render_run(run: Run, stream: IO[str]) -> None:
    console = make_console(stream, run.color)
    render(run.results, console, show_source=run.show_source, quiet=run.quiet, verbose=run.verbose, lang=run.lang)
    if run.verbose:
        for path, (inline, per_file) in run.extra.get("suppressed", {}).items():
            console.print(Text(f"{term(path)}: 已忽略 {inline + per_file} 条问题(行内 fzlint 指令 {inline} 条,per-file-ignores {per_file} 条)", style="dim"))
    if run.statistics:
        counts: dict[str, int] = {}
        for r, _s in run.results:
            for f in r.findings:
                counts[f.code] = counts.get(f.code, 0) + 1
        for code, n in sorted(counts.items(), key=lambda t: (-t[1], t[0])):
            rule = run.ruleset.rule(code)
            console.print(f"{n:5d}  {code:6s} {rule.name if rule else ''}")
    if len(run.results) > 1 and not run.quiet:
        total = sum(len(r.findings) for r, _ in run.results)
        console.print(Text(f"共检查 {len(run.results)} 个文件,发现 {total} 条问题。", style="bold"))


def render(
    results: Iterable[tuple[FileResult, Score]],
    console: Console,
    *,
    show_source: bool = True,
    quiet: bool = False,
    verbose: bool = False,
    lang: str = "zh",
) -> None:
    for result, score in results:
        if verbose:
            for s in result.doc.stripped:
                console.print(Text(term(f"{result.path}:{s.line}: 已去除页面内容({s.reason}):{s.text[:60]}"), style="dim"))
            if result.source.notes:
                for note in result.source.notes:
                    console.print(Text(term(f"{result.path}: {note}"), style="yellow"))
        if not quiet:
            for f in result.findings:
                render_finding(console, result, f, show_source, lang)
        if quiet:
            console.print(Text(f"{term(result.path)}: ") + Text(f"{score.value} {score.grade}", style="bold") + Text(f"  ({len(result.findings)} 条问题)"))
            continue
        console.print(Text(f"── {term(result.path)} {converted_label(result)}", style="bold") + Text(f"({len(result.findings)} 条问题)", style="dim"))
        render_elements(console, result)
        if (label := ocr_label(result)) is not None:
            console.print(Text(label, style="dim"))
        console.print()
        render_score(console, result, score)
