"""`--format html`: one self-contained page for the whole run (inline CSS and a few lines of inline
script; no network, no external fonts), to open from a file in any browser.

For each file: the score and where each point went, the required-parts table, and the report
text with every finding marked in place (<mark data-finding data-code data-line data-column>, the
message as tooltip) next to a panel listing the findings; a click in the panel jumps to the mark.
Overlapping findings nest; where two cross, or a finding spans lines, it is drawn in fragments
that share one data-finding id. Page chrome the document builder stripped (breadcrumbs, print/share
buttons, page metadata, site footers) is folded into a closed <details> ("网页导航等 N 行(未检查)").
Every text from the report or the ruleset is escaped.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import IO

from fzlint import __version__
from fzlint.engine import FileResult
from fzlint.render import Run
from fzlint.render.locations import Region, display_path, region
from fzlint.rules.model import SEVERITY_ZH, Finding
from fzlint.score import Score, named_deductions

_STATUS = {
    "heading": ("有标题", "ok"),
    "inline": ("仅段内提及", "partial"),
    "missing": ("缺失", "bad"),
}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _mark_open(fid: str, f: Finding, reg: Region, first: bool) -> str:
    sev = SEVERITY_ZH.get(f.severity, f.severity)
    tip = f"{sev}[{f.code}] {f.message}" + (f"\n修改建议:{f.help}" if f.help else "")
    anchor = f' id="{_e(fid)}"' if first else ""
    empty = " empty" if reg.start == reg.end else ""
    return (
        f'<mark{anchor} class="fz sev-{_e(f.severity)}{empty}" data-finding="{_e(fid)}" data-code="{_e(f.code)}"'
        f' data-severity="{_e(f.severity)}" data-line="{reg.line}" data-column="{reg.column}"'
        f' data-end-line="{reg.end_line}" data-end-column="{reg.end_column}" title="{_e(tip)}">'
    )


def paint_line(
    text: str, line_start: int, spans: list[tuple[int, int, str, Finding, Region]], opened: set[str]
) -> str:
    """The HTML of one source line [line_start, line_start + len(text)) with the given spans
    (source offsets, already clipped to the line) marked. Marks nest outer-first; a span that
    crosses another is closed and reopened, so the HTML stays well-formed."""
    line_end = line_start + len(text)
    points = sorted({line_start, line_end, *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    out: list[str] = []
    stack: list[str] = []
    info = {fid: (s, e, f, reg) for s, e, fid, f, reg in spans}

    def open_mark(fid: str) -> None:
        _s, _e, f, reg = info[fid]
        out.append(_mark_open(fid, f, reg, fid not in opened))
        opened.add(fid)
        stack.append(fid)

    for i, p in enumerate(points):
        # zero-width findings (an insertion point) are drawn as an empty mark at their position
        for s, e, fid, _f, _reg in spans:
            if s == e == p and fid not in opened:
                open_mark(fid)
                stack.pop()
                out.append("</mark>")
        if i + 1 == len(points):
            break
        q = points[i + 1]
        wanted = sorted(
            (fid for s, e, fid, _f, _r in spans if s <= p and e >= q and s < e),
            key=lambda k: (info[k][0], -info[k][1], k),
        )
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] == wanted[keep]:
            keep += 1
        while len(stack) > keep:
            stack.pop()
            out.append("</mark>")
        for fid in wanted[keep:]:
            open_mark(fid)
        out.append(_e(text[p - line_start : q - line_start]))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def _source_html(result: FileResult, fkey: str, regions: list[Region]) -> str:
    src = result.source
    per_line: dict[int, list[tuple[int, int, str, Finding, Region]]] = {}
    for n, (f, reg) in enumerate(zip(result.findings, regions, strict=True)):
        fid = f"{fkey}-f{n + 1}"
        for line in range(reg.line, reg.end_line + 1):
            ls, le = src.line_span(line)
            s, e = max(reg.start, ls), min(reg.end, le)
            if s < e or reg.start == reg.end:
                per_line.setdefault(line, []).append((s, e, fid, f, reg))
    rows = []
    opened: set[str] = set()
    # page chrome the document builder stripped (breadcrumbs, share/print buttons, page metadata,
    # footers), folded into a closed <details> per run of such lines; a line with a finding and an
    # fzlint directive (the writer's own line) stay in view
    chrome = {
        s.line: s.reason
        for s in result.doc.stripped
        if s.reason != "fzlint 指令" and s.line not in per_line
    }
    fold: list[str] = []
    fold_reasons: list[str] = []
    fold_blank: list[bool] = []

    def flush() -> None:
        # blank lines at the end of a run are shown, not folded
        tail = []
        while fold_blank and fold_blank[-1]:
            tail.append(fold.pop())
            fold_blank.pop()
        if fold_reasons:
            n = len(fold_reasons)
            kinds = "、".join(dict.fromkeys(fold_reasons))
            rows.append(
                f'<details class="chrome" data-lines="{n}"><summary title="{_e(kinds)}">'
                f'网页导航等 {n} 行(未检查)<span class="kinds">{_e(kinds)}</span></summary>'
                + "\n".join(fold)
                + "</details>"
            )
        else:
            rows.extend(fold)
        rows.extend(reversed(tail))
        fold.clear()
        fold_reasons.clear()
        fold_blank.clear()

    for line in range(1, src.line_count + 1):
        ls, le = src.line_span(line)
        body = paint_line(src.text[ls:le], ls, per_line.get(line, []), opened)
        hit = " hit" if line in per_line else " blank" if ls == le else ""
        reason = chrome.get(line)
        extra = f' title="{_e("已去除:" + reason)}"' if reason else ""
        row = f'<div class="line{hit}" id="{fkey}-L{line}" data-n="{line}"{extra}><span class="lt">{body}</span></div>'
        if reason is not None:
            fold.append(row)
            fold_reasons.append(reason)
            fold_blank.append(False)
        elif fold and not src.text[ls:le].strip():
            fold.append(row)  # a blank line inside a run of chrome folds with it
            fold_blank.append(True)
        else:
            flush()
            rows.append(row)
    flush()
    return "\n".join(rows)


def _panel_html(result: FileResult, fkey: str, regions: list[Region]) -> str:
    if not result.findings:
        return '<p class="none">未发现问题。</p>'
    items = []
    for n, (f, reg) in enumerate(zip(result.findings, regions, strict=True)):
        fid = f"{fkey}-f{n + 1}"
        sev = SEVERITY_ZH.get(f.severity, f.severity)
        help_html = f'<span class="help">修改建议:{_e(f.help)}</span>' if f.help else ""
        items.append(
            f'<li class="finding sev-{_e(f.severity)}" data-finding="{_e(fid)}" data-code="{_e(f.code)}">'
            f'<a href="#{_e(fid)}"><span class="badge sev-{_e(f.severity)}">{_e(sev)}</span>'
            f'<span class="code">{_e(f.code)}</span><span class="loc">第 {reg.line} 行 第 {reg.column} 列</span>'
            f'<span class="msg">{_e(f.message)}</span>{help_html}</a></li>'
        )
    return '<ol class="findings">' + "".join(items) + "</ol>"


def _elements_html(result: FileResult, fkey: str) -> str:
    rows = []
    for key in result.ruleset.part_order(result.elements):
        hit = result.elements.get(key)
        if hit is None:
            continue
        label, cls = _STATUS.get(hit.status, (hit.status, "bad"))
        if hit.status == "missing" and hit.detail.get("optional"):
            label, cls = "未单列(可选)", "optional"
        line = f'<a href="#{fkey}-L{hit.line}">{hit.line}</a>' if hit.line else ""
        evidence = (hit.evidence or "").replace("\n", " ")
        rows.append(
            f'<tr><td>{_e(hit.label)}</td><td><span class="status {cls}">{_e(label)}</span></td>'
            f'<td class="num">{line}</td><td class="evidence" title="{_e(evidence)}">{_e(evidence)}</td></tr>'
        )
    if not rows:
        return ""
    # what the content rules found inside each part (as the text output's 各部分内容)
    content = [
        f"<tr><td>{_e(hit.label)}</td><td>{_e(';'.join(hit.detail['content_summary']))}</td></tr>"
        for hit in (result.elements.get(key) for key in result.ruleset.part_order(result.elements))
        if hit is not None and hit.detail.get("content_summary")
    ]
    content_html = (
        '<h3>各部分内容</h3><table class="content"><thead><tr><th>部分</th><th>内容</th></tr></thead><tbody>' + "".join(content) + "</tbody></table>"
        if content
        else ""
    )
    return (
        '<div class="card parts"><h3>必备部分</h3><table><thead><tr><th>部分</th><th>状态</th><th>行</th>'
        "<th>依据原文</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>" + content_html + "</div>"
    )


def _grade_class(value: int) -> str:
    return "good" if value >= 90 else "fair" if value >= 60 else "poor"


def _score_html(result: FileResult, score: Score) -> str:
    meta = result.doc.meta
    facts = []
    if meta.issuer:
        facts.append(("发文机关", meta.issuer))
    if meta.year:
        facts.append(("报告年度", f"{meta.year}{meta.year_hint()}"))
    if meta.signature and meta.signature.date:
        facts.append(("成文日期", meta.signature.date.text))
    if meta.published:
        facts.append(("发布日期", meta.published.isoformat()))
    facts_html = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts)
    rows = []
    # a rule is named by what it found (its first finding's message), in Chinese, as in the text output
    for d, name in named_deductions(result.findings, score):
        count = f"×{d.count}" if d.count > 1 else ""
        cap = '<span class="capped">已达上限</span>' if d.capped else ""
        rows.append(
            f'<tr><td class="code">{_e(d.code)}</td><td title="{_e(d.name)}">{_e(name)} {cap}</td><td class="num">{_e(count)}</td>'
            f'<td class="num minus">−{d.points:g}</td></tr>'
        )
    breakdown = (
        '<table class="deductions"><thead><tr><th>规则</th><th>问题</th><th>次数</th><th>扣分</th></tr></thead><tbody>'
        + "".join(rows)
        + f'</tbody><tfoot><tr><td colspan="3">合计扣分</td><td class="num minus">−{score.lost:g}</td></tr></tfoot></table>'
        if rows
        else '<p class="none">没有扣分。</p>'
    )
    return (
        f'<div class="card score"><div class="score-head"><div class="big {_grade_class(score.value)}">'
        f'<span class="value">{score.value}</span><span class="of">/100</span></div>'
        f'<div class="grade {_grade_class(score.value)}">{_e(score.grade)}</div></div>'
        f'<dl class="facts">{facts_html}</dl><h3>扣分明细</h3>{breakdown}</div>'
    )


def _counts(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts


def _file_html(result: FileResult, score: Score, n: int) -> str:
    fkey = f"file{n}"
    regions = [region(result.source, f.start, f.end) for f in result.findings]
    title = result.doc.meta.title or ""
    path = display_path(result.path)
    return (
        f'<section class="file" id="{fkey}" data-path="{_e(path)}">'
        f'<header class="file-head"><h2>{_e(path)}</h2>'
        + (f'<p class="doc-title">{_e(title)}</p>' if title else "")
        + "</header>"
        f'<div class="cards">{_score_html(result, score)}{_elements_html(result, fkey)}</div>'
        f'<div class="review"><article class="source" aria-label="报告原文">{_source_html(result, fkey, regions)}</article>'
        f'<aside class="panel"><h3>问题 <span class="count">{len(result.findings)}</span></h3>'
        f"{_panel_html(result, fkey, regions)}</aside></div></section>"
    )


def _summary_html(run: Run) -> str:
    rows = []
    for n, (result, score) in enumerate(run.results, 1):
        c = _counts(result.findings)
        rows.append(
            f'<tr><td><a href="#file{n}">{_e(display_path(result.path))}</a></td>'
            f'<td class="num"><span class="pill {_grade_class(score.value)}">{score.value}</span></td><td>{_e(score.grade)}</td>'
            f'<td class="num">{c["error"]}</td><td class="num">{c["warning"]}</td><td class="num">{c["info"]}</td></tr>'
        )
    for path, _message in run.errors:
        rows.append(
            f'<tr class="unreadable"><td>{_e(display_path(path))}</td><td colspan="5">无法读取(见下方说明)</td></tr>'
        )
    return (
        '<table class="summary"><thead><tr><th>文件</th><th>得分</th><th>等级</th><th>错误</th><th>警告</th><th>提示</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _errors_html(run: Run) -> str:
    if not run.errors:
        return ""
    items = "".join(
        f"<li><code>{_e(display_path(p))}</code>{_e(m.removeprefix(p + ': '))}</li>"
        for p, m in run.errors
    )
    return f'<section class="errors" id="errors"><h2>无法检查的文件</h2><ul>{items}</ul></section>'


_CSS = """
:root{--fg:#1f2328;--muted:#656d76;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;--accent:#0b5cad;
--err:#c62828;--err-bg:rgba(229,57,53,.18);--warn:#b26a00;--warn-bg:rgba(255,179,0,.28);
--info:#1565c0;--info-bg:rgba(30,136,229,.16);--ok:#1b7f3b;--ok-bg:#e3f4e8;--partial-bg:#fff4d6}
*{box-sizing:border-box}
html{scroll-padding-top:80px}
@media (prefers-reduced-motion:no-preference){html{scroll-behavior:smooth}}
body{margin:0;color:var(--fg);background:var(--bg);font:14px/1.6 -apple-system,"Segoe UI","PingFang SC",
"Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif}
.top{position:sticky;top:0;z-index:5;background:#12324f;color:#fff;padding:10px 28px;display:flex;
align-items:baseline;gap:18px;box-shadow:0 1px 4px rgba(0,0,0,.25)}
.top h1{font-size:18px;margin:0;font-weight:600}.top .sub{color:#c9d6e3;font-size:13px}
main{max-width:1480px;margin:0 auto;padding:20px 28px 60px}
h2{font-size:18px;margin:0}h3{font-size:14px;margin:0 0 10px;color:var(--muted);font-weight:600;letter-spacing:.02em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;background:#fafbfc}td.num,th.num{text-align:right;white-space:nowrap}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.card,.summary-card,.errors{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px}
.summary-card{margin-bottom:20px}
.pill{display:inline-block;min-width:36px;text-align:center;border-radius:10px;padding:0 8px;font-weight:600}
.good{color:var(--ok)}.fair{color:var(--warn)}.poor{color:var(--err)}
.pill.good{background:var(--ok-bg)}.pill.fair{background:var(--partial-bg)}.pill.poor{background:#fde7e7}
.errors{border-color:#f0b4b4;background:#fff6f6;margin-bottom:20px}.errors h2{color:var(--err);font-size:15px;margin-bottom:6px}
.errors code{margin-right:10px;font-weight:600}
.file{margin-top:28px}.file-head{display:flex;align-items:baseline;gap:14px;margin-bottom:12px;flex-wrap:wrap}
.file-head h2{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:15px}
.doc-title{margin:0;color:var(--muted)}
.cards{display:grid;grid-template-columns:minmax(300px,380px) 1fr;gap:16px;margin-bottom:16px}
.score-head{display:flex;align-items:center;gap:14px;margin-bottom:8px}
.big .value{font-size:44px;font-weight:700;line-height:1}.big .of{color:var(--muted);margin-left:2px}
.grade{font-size:16px;font-weight:600;border:1.5px solid currentColor;border-radius:6px;padding:1px 10px}
.facts{display:grid;grid-template-columns:1fr 1fr;gap:2px 12px;margin:6px 0 14px;font-size:13px}
.facts dt{color:var(--muted);font-size:12px}.facts dd{margin:0}
.deductions td.code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.minus{color:var(--err);font-weight:600}.capped{font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 4px}
tfoot td{font-weight:600;border-bottom:none}
.status{display:inline-block;border-radius:4px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.status.ok{background:var(--ok-bg);color:var(--ok)}.status.partial{background:var(--partial-bg);color:var(--warn)}
.status.bad{background:#fde7e7;color:var(--err)}.status.optional{background:#eef1f4;color:var(--muted)}
.evidence{color:var(--muted);max-width:0;width:55%;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.review{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:16px;align-items:start}
.source{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 0;
font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;font-size:15px;line-height:1.9}
.line{display:grid;grid-template-columns:52px minmax(0,1fr);padding-right:18px}
.line::before{content:attr(data-n);color:#a0a8b0;text-align:right;padding-right:14px;font:12px/2.4 ui-monospace,Menlo,Consolas,monospace;user-select:none}
.line.hit::before{color:var(--fg);font-weight:600}
.line:target{background:#fff8d6}.line.blank{line-height:.9}
details.chrome{margin:2px 0 6px 52px;color:var(--muted);font-size:13px}
details.chrome>summary{cursor:pointer;font-family:-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;
list-style-position:inside;padding:1px 0}
details.chrome>summary .kinds{margin-left:10px;font-size:12px;color:#a0a8b0}
details.chrome .line{margin-left:-52px}details.chrome[open]>summary{margin-bottom:2px}
.lt{white-space:pre-wrap;overflow-wrap:anywhere;min-height:1.9em}
mark.fz{color:inherit;border-radius:2px;padding:1px 0;cursor:help}
mark.sev-error{background:var(--err-bg);box-shadow:inset 0 -2px 0 var(--err)}
mark.sev-warning{background:var(--warn-bg);box-shadow:inset 0 -2px 0 var(--warn)}
mark.sev-info{background:var(--info-bg);box-shadow:inset 0 -2px 0 var(--info)}
mark.empty{display:inline-block;width:0;border-left:2px solid var(--err);height:1.2em;vertical-align:middle}
mark.fz.active{outline:2px solid var(--accent);outline-offset:1px;animation:pulse 1.2s ease-out 1}
@keyframes pulse{0%{outline-color:rgba(11,92,173,1)}100%{outline-color:rgba(11,92,173,.35)}}
.panel{position:sticky;top:64px;max-height:calc(100vh - 84px);overflow:auto;background:var(--card);
border:1px solid var(--line);border-radius:8px;padding:14px 12px}
.panel .count{display:inline-block;background:#eef1f4;color:var(--fg);border-radius:10px;padding:0 8px;margin-left:4px}
.findings{list-style:none;margin:0;padding:0}
.finding a{display:block;color:inherit;padding:8px 10px;border-radius:6px;border-left:3px solid transparent;margin-bottom:4px}
.finding a:hover{background:#f3f6f9;text-decoration:none}
.finding.sev-error a{border-left-color:var(--err)}.finding.sev-warning a{border-left-color:var(--warn)}.finding.sev-info a{border-left-color:var(--info)}
.finding.active a{background:#eaf2fb}
.badge{font-size:11px;font-weight:600;border-radius:3px;padding:0 5px;margin-right:6px;color:#fff}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn)}.badge.sev-info{background:var(--info)}
.finding .code{font:600 12px ui-monospace,Menlo,Consolas,monospace;margin-right:8px}
.finding .loc{color:var(--muted);font-size:12px}
.finding .msg{display:block;margin-top:2px}.finding .help{display:block;color:var(--muted);font-size:12px;margin-top:2px}
.none{color:var(--muted);margin:4px 0}
footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
@media (max-width:1000px){.cards,.review{grid-template-columns:1fr}.panel{position:static;max-height:none}}
@media print{.top,.panel{position:static}.panel{max-height:none}}
"""

# Inline, tiny: outline every fragment of the finding the address points at, light up its panel
# entry, and let a click on a mark select it too.
_SCRIPT = """
(function(){
function show(){var t=document.getElementById(decodeURIComponent(location.hash.slice(1)));
if(t&&t.closest('details')){t.closest('details').open=true;}
document.querySelectorAll('.active').forEach(function(n){n.classList.remove('active')});
var id=decodeURIComponent(location.hash.slice(1));if(!/^file\\d+-f\\d+$/.test(id))return;
document.querySelectorAll('[data-finding="'+id+'"]').forEach(function(n){n.classList.add('active');
if(n.tagName==='LI'){n.scrollIntoView({block:'nearest'});}});}
document.addEventListener('click',function(ev){var m=ev.target.closest('mark[data-finding]');
if(m){history.replaceState(null,'','#'+m.getAttribute('data-finding'));show();}});
window.addEventListener('hashchange',show);show();})();
"""


def render_run(run: Run, stream: IO[str]) -> None:
    total = sum(len(r.findings) for r, _ in run.results)
    now = datetime.now().strftime("%Y-%m-%d %H:%M")
    files = "".join(_file_html(r, s, n) for n, (r, s) in enumerate(run.results, 1))
    sub = f"{len(run.results)} 个文件 · {total} 条问题 · 规则集 {run.ruleset.id} · {now}"
    stream.write(
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="fzlint {_e(__version__)}"><title>fzlint 检查报告</title>'
        f"<style>{_CSS}</style></head><body>"
        f'<header class="top"><h1>fzlint 检查报告</h1><span class="sub">{_e(sub)}</span></header><main>'
        f'<div class="summary-card"><h3>总览</h3>{_summary_html(run)}</div>{_errors_html(run)}{files}</main>'
        f"<footer>由 fzlint {_e(__version__)} 生成 · 法治政府建设年度报告检查工具 · 用 fzlint explain 规则代码 查看规则依据</footer>"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
