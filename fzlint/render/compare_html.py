"""`fzlint compare --format html`: one self-contained page for a pair of reports.

What a reviewer asks of a comparison: how much of each part was copied from last year's report
(the reuse table), whether that is a finding (the FZ901 verdict), where the copied passages are in
both files, and this year's text with the findings marked. No score badge: the comparison runs
only the reuse rules, so a score of their findings alone ("90 优秀" for a report with a part copied
whole) would mislead; the report's own score is `fzlint report.txt`'s.
"""

from __future__ import annotations

from datetime import datetime
from typing import IO

from fzlint import __version__
from fzlint.compare import Comparison, PartReuse
from fzlint.render import Run
from fzlint.render.html_report import _CSS, _SCRIPT, _e, _panel_html, _source_html
from fzlint.render.locations import display_path, region
from fzlint.rules.model import SEVERITY_ZH

_STATUS = {"heading": "有标题", "inline": "仅段内提及", "missing": "缺失"}
MAX_QUOTE = 120

_COMPARE_CSS = """
.verdict{margin-bottom:20px}.verdict.copied{border-color:#f0b4b4;background:#fff6f6}
.verdict.clean{border-color:#b7dfc3;background:#f3fbf5}
.verdict h2{font-size:16px;margin-bottom:6px}.verdict.copied h2{color:var(--err)}.verdict.clean h2{color:var(--ok)}
.verdict ul{margin:6px 0 0;padding-left:20px}.verdict .whole{margin:6px 0 0}
.notes{margin:0 0 16px;padding:10px 16px;border:1px solid #f3d08a;background:#fffaf0;border-radius:8px;color:var(--warn)}
.notes li{margin:2px 0}
.reuse td.share{font-weight:600;white-space:nowrap}.reuse .bar{display:inline-block;height:8px;border-radius:4px;
vertical-align:middle;margin-right:8px;background:#e6e9ed;width:90px;overflow:hidden}
.reuse .bar span{display:block;height:100%}
.share-high{color:var(--err)}.share-high .bar span{background:var(--err)}
.share-mid{color:var(--warn)}.share-mid .bar span{background:var(--warn)}
.share-low{color:var(--ok)}.share-low .bar span{background:var(--ok)}
.reuse tr.whole td{font-weight:600;border-top:2px solid var(--line)}
.passages{list-style:none;margin:0;padding:0}.passages li{padding:8px 0;border-bottom:1px solid var(--line)}
.passages .where{font:12px ui-monospace,Menlo,Consolas,monospace}.passages .kind{color:var(--muted);font-size:12px;margin-left:8px}
.passages q{display:block;margin-top:4px;font-family:"Noto Serif CJK SC","Source Han Serif SC",SimSun,serif}
.compare-cards{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px;margin-bottom:16px}
@media (max-width:1000px){.compare-cards{grid-template-columns:1fr}}
"""


def _share_class(share: float) -> str:
    return "share-high" if share >= 0.5 else "share-mid" if share >= 0.2 else "share-low"


def _reuse_row(p: PartReuse, whole: bool = False) -> str:
    if p.new_status == "missing" and not whole:
        share = '<td class="num share">—</td>'
    else:
        pct = f"{p.share:.0%}"
        share = (
            f'<td class="num share {_share_class(p.share)}" data-share="{p.share:.3f}">'
            f'<span class="bar"><span style="width:{p.share * 100:.0f}%"></span></span>{pct}</td>'
        )
    cls = ' class="whole"' if whole else ""
    return (
        f'<tr{cls} data-part="{_e(p.id)}"><td>{_e(p.label)}</td>'
        f"<td>{_e(_STATUS.get(p.new_status, p.new_status))}</td><td>{_e(_STATUS.get(p.old_status, p.old_status))}</td>"
        f'<td class="num">{p.sentences}</td><td class="num">{p.reused}</td>{share}</tr>'
    )


def _where(result, offset: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return result.source.position(offset)


def render_compare(c: Comparison, run: Run, stream: IO[str]) -> None:
    new, _score = run.results[0]
    old_path, new_path = display_path(c.old.path), display_path(new.path)
    copied = [f for f in c.findings if f.code == "FZ901"]
    errors = sum(1 for f in c.findings if f.severity == "error")

    # the verdict: FZ901's findings, or that nothing was copied at its threshold
    if copied:
        items = "".join(
            f'<li data-code="{_e(f.code)}"><span class="badge sev-{_e(f.severity)}">{_e(SEVERITY_ZH.get(f.severity, f.severity))}</span>'
            f'<span class="code">{_e(f.code)}</span> {_e(f.message)}</li>'
            for f in copied
        )
        verdict = (
            f'<div class="card verdict copied" id="verdict" data-verdict="copied"><h2>大段沿用上一年度报告(FZ901,{len(copied)} 处)</h2>'
            f"<ul>{items}</ul>"
        )
    else:
        verdict = '<div class="card verdict clean" id="verdict" data-verdict="clean"><h2>没有部分大段沿用上一年度报告</h2>'
    w = c.whole
    verdict += (
        f'<p class="whole{" share-high" if w.share >= 0.5 else ""}">本年度报告共 {w.sentences} 句,其中 {w.reused} 句({w.share:.0%})与上一年度报告相同或几乎相同;'
        f"{errors} 个错误。</p></div>"
    )

    notes = run.extra.get("pair_warnings") or []
    notes_html = (
        '<ul class="notes" id="pair-notes">'
        + "".join(f"<li>注意:{_e(n)}</li>" for n in notes)
        + "</ul>"
        if notes
        else ""
    )

    table = (
        '<div class="card reuse-card"><h3>各部分沿用上一年度报告的比例</h3><table class="reuse"><thead><tr>'
        '<th>部分</th><th>本年度</th><th>上一年度</th><th class="num">句数</th><th class="num">沿用</th><th class="num">比例</th>'
        "</tr></thead><tbody>"
        + "".join(_reuse_row(p) for p in c.parts)
        + "</tbody><tfoot>"
        + _reuse_row(w, whole=True)
        + "</tfoot></table></div>"
    )

    if c.passages:
        rows = []
        for p in c.passages:
            nl, nc = _where(c.new, p.new_start)
            ol, oc = _where(c.old, p.old_start)
            quote = p.text if len(p.text) <= MAX_QUOTE else p.text[: MAX_QUOTE - 1] + "…"
            kind = "原文照搬" if p.similarity >= 0.999 else f"几乎相同(相似度 ≥ {p.similarity:.2f})"
            rows.append(
                f'<li class="passage"><span class="where"><a href="#file1-L{nl}">{_e(new_path)}:{nl}:{nc}</a>'
                f' ← {_e(old_path)}:{ol}:{oc}</span><span class="kind">{p.sentences} 句,{_e(kind)}</span><q>{_e(quote)}</q></li>'
            )
        passages = f'<div class="card"><h3>沿用的段落(共 {len(c.passages)} 处)</h3><ol class="passages">{"".join(rows)}</ol></div>'
    else:
        passages = '<div class="card"><h3>沿用的段落</h3><p class="none">没有发现沿用上一年度报告的句子。</p></div>'

    fkey = "file1"
    regions = [region(new.source, f.start, f.end) for f in new.findings]
    review = (
        f'<section class="file" id="{fkey}" data-path="{_e(new_path)}"><header class="file-head"><h2>{_e(new_path)}</h2>'
        + (f'<p class="doc-title">{_e(new.doc.meta.title)}</p>' if new.doc.meta.title else "")
        + f'</header><div class="review"><article class="source" aria-label="本年度报告原文">{_source_html(new, fkey, regions)}</article>'
        f'<aside class="panel"><h3>问题 <span class="count">{len(new.findings)}</span></h3>{_panel_html(new, fkey, regions)}</aside></div></section>'
    )

    now = datetime.now().strftime("%Y-%m-%d %H:%M")
    sub = f"上一年度 {old_path} → 本年度 {new_path} · {now}"
    stream.write(
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="fzlint {_e(__version__)}"><title>fzlint 比对报告</title>'
        f"<style>{_CSS}{_COMPARE_CSS}</style></head><body>"
        f'<header class="top"><h1>fzlint 比对报告</h1><span class="sub">{_e(sub)}</span></header><main>'
        f'{notes_html}{verdict}<div class="compare-cards">{table}{passages}</div>{review}</main>'
        f"<footer>由 fzlint {_e(__version__)} 生成 · 只比对两份报告的沿用情况;报告本身的检查与得分用 fzlint 本年度报告文件 查看</footer>"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
