"""`fzlint audit` on a terminal: a ranked table with the required parts as symbols, then the most
frequent findings across the folder."""

from __future__ import annotations

from typing import IO

from rich.table import Table
from rich.text import Text

from fzlint.audit import Audit
from fzlint.render.rich_text import make_console
from fzlint.termsafe import term

SYMBOLS = {"heading": ("✔", "green"), "inline": ("◐", "yellow"), "missing": ("✘", "red")}
_SEV = {"error": ("错误", "red"), "warning": ("警告", "yellow"), "info": ("提示", "cyan")}


def _score_style(score: int) -> str:
    return "green" if score >= 90 else "yellow" if score >= 60 else "red"


# below this many columns the ranking shows the parts as one column of symbols, in column order,
# and leaves out the issuer: rank, file, score and grade always fit
COMPACT_BELOW = 150


def ranking_table(audit: Audit, compact: bool = False) -> Table:
    t = Table(title="报告排名", title_justify="left", show_edge=False, pad_edge=False, header_style="bold")
    t.add_column("名次", justify="right", no_wrap=True)
    t.add_column("文件", overflow="fold", ratio=1)
    if not compact:
        t.add_column("发文机关", overflow="fold")
    t.add_column("年度", justify="right", no_wrap=True)
    t.add_column("得分", justify="right", no_wrap=True)
    t.add_column("等级", no_wrap=True)
    columns = audit.part_columns()
    if compact:
        t.add_column("必备部分", no_wrap=True)
    else:
        for _, label in columns:
            t.add_column(term(label), justify="center", no_wrap=True)
    if audit.previous_dirs:
        t.add_column("沿用上年", justify="right", no_wrap=True)
    t.add_column("问题", justify="right", no_wrap=True)
    notes = any(r.reason for r in audit.rows)
    if notes:
        t.add_column("说明", overflow="fold")
    for r in audit.rows:
        if r.status != "ok":
            skipped = r.status == "skipped"  # met in a folder, not a report
            label = Text("未评分", style="dim") if skipped else Text("检查失败", style="bold red")
            cells: list[Text | str] = ["—", Text(term(r.path)), *([] if compact else [""]), "", "", label]
            cells += [""] * (1 if compact else len(columns))
            if audit.previous_dirs:
                cells.append("")
            cells += ["", Text(term(r.reason), style="dim" if skipped else "red")]
            t.add_row(*cells)
            continue
        style = _score_style(r.score or 0)
        cells = [str(r.rank), Text(term(r.path)), *([] if compact else [Text(term(r.issuer or ""))]), str(r.year or ""), Text(str(r.score), style=f"bold {style}"), Text(r.grade or "", style=style)]
        symbols = [SYMBOLS.get(r.parts.get(k, "missing"), ("?", "")) for k, _ in columns]
        if compact:
            row = Text()
            for sym, st in symbols:
                row.append(sym, style=st)
            cells.append(row)
        else:
            cells += [Text(sym, style=st) for sym, st in symbols]
        if audit.previous_dirs:
            if r.reuse is None:
                cells.append(Text("未配对" if r.previous is None else "—", style="dim"))
            else:
                hot = bool(r.reuse_codes)
                cells.append(Text(f"{r.reuse:.0%}" + ("!" if hot else ""), style="bold red" if hot else ""))
        e, w = r.severities.get("error", 0), r.severities.get("warning", 0)
        cells.append(Text(f"{e}错 {w}警", style="red" if e else "yellow" if w else "green"))
        if notes:
            cells.append(Text(term(r.reason), style="yellow"))
        t.add_row(*cells)
    return t


def top_table(audit: Audit) -> Table:
    t = Table(title="最常见的问题", title_justify="left", show_edge=False, pad_edge=False, header_style="bold")
    t.add_column("规则", no_wrap=True)
    t.add_column("级别", no_wrap=True)
    t.add_column("报告数", justify="right", no_wrap=True)
    t.add_column("次数", justify="right", no_wrap=True)
    t.add_column("例", overflow="ellipsis", max_width=70, no_wrap=True)
    for f in audit.top:
        label, st = _SEV.get(f.severity, (f.severity, ""))
        t.add_row(f.code, Text(label, style=st), str(f.reports), str(f.total), Text(term(f.message)))
    return t


def render_audit(audit: Audit, stream: IO[str], *, base: str = "", color: str = "auto", to_file: bool = False) -> None:
    # files and pipes: never wrap a row (a table of hundreds of reports is read with grep or an editor)
    columns = __import__("os").environ.get("COLUMNS", "")
    piped_width = int(columns) if columns.isdigit() and int(columns) > 0 else 10_000
    console = make_console(stream, color, width=None if stream.isatty() else piped_width)
    compact = console.width < COMPACT_BELOW
    console.print(ranking_table(audit, compact))
    legend = "✔ 有标题  ◐ 仅段内提及  ✘ 缺失"
    if compact:
        legend += "(必备部分依次为:" + "、".join(term(label) for _, label in audit.part_columns()) + ")"
    console.print(Text(legend, style="dim"), soft_wrap=False)  # wrapped at the width
    console.print()
    if audit.top:
        console.print(top_table(audit))
        console.print()
    ok = audit.ok
    mean = sum(r.score or 0 for r in ok) / len(ok) if ok else 0
    summary = f"共 {audit.total} 份报告,完成 {len(ok)} 份"
    if audit.failed:
        summary += f",失败 {len(audit.failed)} 份"
    if audit.skipped:
        summary += f",{len(audit.skipped)} 份不像年度报告未评分"
    if ok:
        summary += f";平均分 {mean:.1f}"
    console.print(Text(summary + "。", style="bold"))
    if audit.interrupted:
        console.print(Text(f"已中断:只完成了 {len(audit.rows)}/{audit.total} 份,上表只含已完成的报告。", style="bold yellow"))
