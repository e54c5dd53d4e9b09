"""`fzlint compare` on a terminal: reuse per part, the repeated passages with both locations, and
the findings (rustc style, as `fzlint check` prints them)."""

from __future__ import annotations

from typing import IO

from rich.table import Table
from rich.text import Text

from fzlint.compare import Comparison
from fzlint.render import Run
from fzlint.render.rich_text import make_console, render_finding
from fzlint.termsafe import term

_STATUS = {"heading": "有标题", "inline": "仅段内提及", "missing": "缺失"}
MAX_PASSAGES = 30
MAX_QUOTE = 80


def _where(result, offset: int) -> str:  # type: ignore[no-untyped-def]
    line, col = result.source.position(offset)
    return f"{term(result.path)}:{line}:{col}"


def render_compare(c: Comparison, run: Run, stream: IO[str]) -> None:
    console = make_console(stream, run.color)
    console.print(Text("比对 ", style="bold") + Text(f"上一年度 {term(c.old.path)}  →  本年度 {term(c.new.path)}"))
    console.print()
    t = Table(title="各部分沿用上一年度报告的比例", title_justify="left", show_edge=False, pad_edge=False, header_style="bold")
    for col, just in (("部分", "left"), ("本年度", "left"), ("上一年度", "left"), ("句数", "right"), ("沿用", "right"), ("比例", "right")):
        t.add_column(col, justify=just, no_wrap=True)  # type: ignore[arg-type]
    for p in [*c.parts, c.whole]:
        if p.new_status == "missing" and p.id != "whole":
            share = Text("—", style="dim")
        else:
            style = "bold red" if p.share >= 0.5 else "yellow" if p.share >= 0.2 else "green"
            share = Text(f"{p.share:.0%}", style=style)
        t.add_row(p.label, _STATUS.get(p.new_status, p.new_status), _STATUS.get(p.old_status, p.old_status), str(p.sentences), str(p.reused), share)
    console.print(t)
    console.print()
    if c.passages:
        console.print(Text(f"沿用的段落(共 {len(c.passages)} 处)", style="bold"))
        for p in c.passages[:MAX_PASSAGES]:
            quote = p.text if len(p.text) <= MAX_QUOTE else p.text[: MAX_QUOTE - 1] + "…"
            kind = "原文照搬" if p.similarity >= 0.999 else f"几乎相同(相似度 ≥ {p.similarity:.2f})"
            console.print(Text(f"  {_where(c.new, p.new_start)}", style="bold") + Text(f"  ←  {_where(c.old, p.old_start)}  ", style="dim") + Text(f"{p.sentences} 句,{kind}"))
            console.print(Text(f"    “{term(quote)}”"))
        if len(c.passages) > MAX_PASSAGES:
            console.print(Text(f"  ……另有 {len(c.passages) - MAX_PASSAGES} 处(用 --format json 查看全部)", style="dim"))
        console.print()
    else:
        console.print(Text("没有发现沿用上一年度报告的句子。", style="green"))
        console.print()
    for f in c.findings:
        render_finding(console, run.results[0][0], f, run.show_source)
    errors = sum(1 for f in c.findings if f.severity == "error")
    console.print(Text(f"本年度报告共 {c.whole.sentences} 句,其中 {c.whole.reused} 句({c.whole.share:.0%})与上一年度报告相同或几乎相同;{errors} 个错误。", style="bold"))
