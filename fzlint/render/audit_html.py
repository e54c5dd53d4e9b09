"""`fzlint audit --format html`: one self-contained page (no scripts, fonts or images from the
network): summary, score distribution and most common findings as inline SVG, the ranking with a
link to each report's own page, and the coverage matrix of required parts × reports."""

from __future__ import annotations

from html import escape
from typing import IO

from fzlint import __version__
from fzlint.audit import Audit
from fzlint.render.audit_json import page_href, score_histogram

SYMBOLS = {"heading": "✔", "inline": "◐", "missing": "✘"}
STATUS_ZH = {"heading": "有标题", "inline": "仅段内提及", "missing": "缺失"}
SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.3em}
table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left}
th{background:#f5f5f5;position:sticky;top:0}td.num{text-align:right}
.s-heading{color:#1a7f37;background:#e8f5ec;text-align:center}.s-inline{color:#9a6700;background:#fff4d6;text-align:center}
.s-missing{color:#cf222e;background:#fde8e8;text-align:center}.failed{color:#cf222e}.skipped{color:#6e7781}
.good{color:#1a7f37;font-weight:bold}.fair{color:#9a6700;font-weight:bold}.poor{color:#cf222e;font-weight:bold}
.charts{display:flex;flex-wrap:wrap;gap:2em}.legend{color:#666;font-size:.85em}.note{color:#9a6700;font-weight:bold}
svg text{font-family:inherit}
"""


def _score_class(score: int) -> str:
    return "good" if score >= 90 else "fair" if score >= 60 else "poor"


def histogram_svg(audit: Audit) -> str:
    """Bars of reports per score band."""
    bins = score_histogram(audit)
    peak = max((b["count"] for b in bins), default=0) or 1
    w, h, left, bottom, bar = 440, 220, 30, 30, 36
    out = [f'<svg id="score-chart" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" aria-label="得分分布">']
    out.append(f'<line x1="{left}" y1="{h - bottom}" x2="{w}" y2="{h - bottom}" stroke="#999"/>')
    colors = ["#cf222e"] * 6 + ["#d4a72c"] * 3 + ["#1a7f37"]
    for i, b in enumerate(bins):
        bh = round((h - bottom - 20) * b["count"] / peak)
        x = left + i * (bar + 4)
        y = h - bottom - bh
        out.append(
            f'<rect class="bin" data-from="{b["from"]}" data-count="{b["count"]}" x="{x}" y="{y}" width="{bar}" height="{bh}" fill="{colors[i]}">'
            f'<title>{b["from"]}–{b["to"]} 分:{b["count"]} 份</title></rect>'
        )
        if b["count"]:
            out.append(f'<text x="{x + bar / 2}" y="{y - 4}" font-size="11" text-anchor="middle">{b["count"]}</text>')
        out.append(f'<text x="{x + bar / 2}" y="{h - bottom + 14}" font-size="10" text-anchor="middle">{b["from"]}</text>')
    out.append(f'<text x="{left}" y="{h - 4}" font-size="11">得分(每 10 分一档)</text>')
    out.append("</svg>")
    return "".join(out)


def findings_svg(audit: Audit) -> str:
    """Horizontal bars: in how many reports each of the most common findings appears."""
    top = audit.top
    row, left, w = 24, 70, 520
    h = row * max(1, len(top)) + 10
    peak = max((t.reports for t in top), default=0) or 1
    out = [f'<svg id="findings-chart" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" aria-label="最常见的问题">']
    color = {"error": "#cf222e", "warning": "#d4a72c", "info": "#0969da"}
    for i, t in enumerate(top):
        y = 5 + i * row
        bw = round((w - left - 60) * t.reports / peak)
        out.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(t.code)}</text>')
        out.append(
            f'<rect class="finding" data-code="{escape(t.code)}" data-reports="{t.reports}" x="{left}" y="{y}" width="{bw}" height="{row - 6}" fill="{color.get(t.severity, "#888")}">'
            f"<title>{escape(t.code)} {escape(t.message)}:{t.reports} 份报告,共 {t.total} 处</title></rect>"
        )
        out.append(f'<text x="{left + bw + 5}" y="{y + 14}" font-size="11">{t.reports} 份</text>')
    out.append("</svg>")
    return "".join(out)


def _ranking(audit: Audit, base: str) -> str:
    columns = audit.part_columns()
    head = ["名次", "文件", "发文机关", "年度", "得分", "等级"] + [label for _, label in columns]
    if audit.previous_dirs:
        head.append("沿用上年")
    head += ["错误", "警告", "说明"]
    out = ['<table id="ranking"><thead><tr>' + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>"]
    for r in audit.rows:
        href = page_href(audit, r, base)
        name = f'<a href="{escape(href)}">{escape(r.path)}</a>' if href else escape(r.path)
        if r.status != "ok":
            blanks = "<td></td>" * (len(head) - 4)
            label = "未评分" if r.status == "skipped" else "检查失败"
            out.append(f'<tr class="{r.status}" data-path="{escape(r.path)}" data-status="{r.status}"><td>—</td><td>{name}</td><td>{label}</td>{blanks}<td>{escape(r.reason)}</td></tr>')
            continue
        cells = [f'<td class="num">{r.rank}</td>', f"<td>{name}</td>", f"<td>{escape(r.issuer or '')}</td>", f'<td class="num">{r.year or ""}</td>']
        cells.append(f'<td class="num score {_score_class(r.score or 0)}">{r.score}</td><td>{escape(r.grade or "")}</td>')
        for k, _ in columns:
            s = r.parts.get(k, "missing")
            cells.append(f'<td class="s-{s}" title="{STATUS_ZH[s]}">{SYMBOLS[s]}</td>')
        if audit.previous_dirs:
            if r.reuse is None:
                cells.append("<td>未配对</td>" if r.previous is None else "<td>—</td>")
            else:
                mark = ' class="poor"' if r.reuse_codes else ""
                cells.append(f'<td{mark} title="{escape(r.previous or "")}">{r.reuse:.0%}</td>')
        cells.append(f'<td class="num">{r.severities.get("error", 0)}</td><td class="num">{r.severities.get("warning", 0)}</td>')
        cells.append(f"<td>{escape(r.reason)}</td>")
        out.append(f'<tr data-path="{escape(r.path)}" data-status="ok" data-rank="{r.rank}" data-score="{r.score}">' + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _coverage(audit: Audit) -> str:
    """Matrix of required parts (columns) × reports (rows), with totals per part."""
    ok = audit.ok
    columns = audit.part_columns()
    out = ['<table id="coverage"><thead><tr><th>报告</th>' + "".join(f'<th data-part="{escape(k)}">{escape(label)}</th>' for k, label in columns) + "</tr></thead><tbody>"]
    for r in ok:
        cells = "".join(
            f'<td class="s-{r.parts.get(k, "missing")}" data-part="{k}" data-status="{r.parts.get(k, "missing")}" title="{STATUS_ZH[r.parts.get(k, "missing")]}">{SYMBOLS[r.parts.get(k, "missing")]}</td>'
            for k, _ in columns
        )
        out.append(f'<tr data-path="{escape(r.path)}"><td>{escape(r.path)}</td>{cells}</tr>')
    out.append("</tbody><tfoot><tr><th>有标题 / 仅提及 / 缺失</th>")
    for k, _ in columns:
        n = {s: sum(1 for r in ok if r.parts.get(k) == s) for s in SYMBOLS}
        out.append(f'<td data-part="{k}">{n["heading"]} / {n["inline"]} / {n["missing"]}</td>')
    out.append("</tr></tfoot></table>")
    return "".join(out)


def _top(audit: Audit) -> str:
    out = ['<table id="top-findings"><thead><tr><th>规则</th><th>级别</th><th>报告数</th><th>次数</th><th>例</th></tr></thead><tbody>']
    for t in audit.top:
        out.append(
            f'<tr data-code="{escape(t.code)}"><td>{escape(t.code)}</td><td>{SEV_ZH.get(t.severity, t.severity)}</td>'
            f'<td class="num">{t.reports}</td><td class="num">{t.total}</td><td>{escape(t.message)}</td></tr>'
        )
    out.append("</tbody></table>")
    return "".join(out)


def render_audit(audit: Audit, stream: IO[str], *, base: str = "", color: str = "auto", to_file: bool = False) -> None:
    ok = audit.ok
    mean = sum(r.score or 0 for r in ok) / len(ok) if ok else 0
    summary = (
        f"共 {audit.total} 份报告,完成 {len(ok)} 份"
        + (f",失败 {len(audit.failed)} 份" if audit.failed else "")
        + (f",{len(audit.skipped)} 份不像年度报告未评分" if audit.skipped else "")
        + (f";平均分 {mean:.1f}" if ok else "")
        + "。"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        # fzlint's own pages carry this: a later run over the same folder leaves them out
        f'<meta name="generator" content="fzlint {escape(__version__)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>法治政府建设年度报告审阅汇总(fzlint audit)</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>法治政府建设年度报告审阅汇总</h1>",
        f'<p id="summary">{escape(summary)} 规则集:{escape(audit.ruleset_id)}。</p>',
    ]
    if audit.interrupted:
        parts.append(f'<p class="note">检查被中断:只完成了 {len(audit.rows)}/{audit.total} 份报告。</p>')
    if audit.previous_dirs:
        parts.append(f"<p>上一年度报告:{escape('、'.join(audit.previous_dirs))}(“沿用上年”为本年度报告中与上一年度报告相同或几乎相同的句子所占比例)。</p>")
    parts += [
        '<div class="charts"><section><h2>得分分布</h2>',
        histogram_svg(audit),
        "</section><section><h2>最常见的问题(出现的报告数)</h2>",
        findings_svg(audit),
        "</section></div>",
        "<h2>排名</h2>",
        '<p class="legend">✔ 有标题 ◐ 仅段内提及 ✘ 缺失;点击文件名查看该报告的详细检查结果。</p>',
        _ranking(audit, base),
        "<h2>必备部分覆盖情况</h2>",
        _coverage(audit),
        "<h2>最常见的问题</h2>",
        _top(audit),
        "</body></html>",
    ]
    stream.write("\n".join(parts) + "\n")
