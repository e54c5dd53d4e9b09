"""fzlint.render.html_report: the page's structure, nesting of overlapping marks, escaping and
self-containment, parsed with the standard library (the browser test is test_html_browser.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fzlint.ingest import Source
from fzlint.render.html_report import paint_line
from fzlint.render.locations import region
from fzlint.rules.model import Finding
from tests.conftest import ROOT
from tests.render_support import (
    MISSING,
    SEED_IDS,
    SEED_PATHS,
    cli_output,
    json_diagnostics,
    make_run,
    render,
    span_text,
)


class Page(HTMLParser):
    """Collects the text inside every mark (by data-finding), panel entries and tag problems."""

    VOID = frozenset({"meta", "br", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.marks: dict[str, str] = {}
        self.mark_attrs: dict[str, dict[str, str | None]] = {}
        self.panel: list[dict[str, str | None]] = []
        self.ids: list[str] = []
        self.external: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        for key in ("src", "href"):
            if a.get(key) and not (a[key] or "").startswith("#"):
                self.external.append(f"{tag} {key}={a[key]}")
        if tag == "li" and "finding" in (a.get("class") or ""):
            self.panel.append(a)
        if tag == "mark":
            fid = a["data-finding"] or ""
            self.marks.setdefault(fid, "")
            self.mark_attrs.setdefault(fid, a)
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1][0] == tag, (
            f"</{tag}> closes <{self.stack[-1][0] if self.stack else None}>"
        )
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for tag, a in self.stack:
            if tag == "mark":
                self.marks[a["data-finding"] or ""] += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert not page.stack, "unclosed tags"
    return page


def _finding(code: str, start: int, end: int) -> Finding:
    return Finding(code, "warning", "content", f"{code} 消息", start, end)


def _fragments(text: str, spans: list[tuple[int, int]]) -> Page:
    src = Source("t.txt", text)
    items = [
        (s, e, f"file1-f{n}", _finding(f"X{n}", s, e), region(src, s, e))
        for n, (s, e) in enumerate(spans)
    ]
    return parse("<div>" + paint_line(text, 0, items, set()) + "</div>")


def test_nested_and_crossing_spans_stay_well_formed() -> None:
    text = "零一二三四五六七八九十"
    page = _fragments(text, [(0, 10), (0, 10), (2, 4), (5, 11), (6, 6)])
    assert page.marks == {
        "file1-f0": text[0:10],
        "file1-f1": text[0:10],
        "file1-f2": text[2:4],
        "file1-f3": text[5:11],
        "file1-f4": "",
    }
    # the crossing span (5, 11) is drawn in two fragments, only the first carries the anchor id
    assert page.ids.count("file1-f3") == 1 and page.tags.count("mark") == 6


def test_text_is_escaped() -> None:
    page = _fragments("<script>alert('&')</script>", [(1, 7)])
    assert page.marks["file1-f0"] == "script" and "script" not in page.tags


@pytest.mark.parametrize("seed_path", SEED_PATHS, ids=SEED_IDS)
def test_seed_marks_cover_the_findings(seed_path: Path) -> None:
    rel = str(seed_path.relative_to(ROOT))
    html, _ = cli_output("html", rel)
    page = parse(html)
    ref = json_diagnostics(rel)["files"][0]
    assert len(page.panel) == len(ref["diagnostics"])
    for n, d in enumerate(ref["diagnostics"], 1):
        fid = f"file1-f{n}"
        want = span_text(seed_path, d["line"], d["column"], d["end_line"], d["end_column"]).rstrip(
            "\r\n"
        )
        assert page.marks[fid] == want.replace("\n", "")
        attrs = page.mark_attrs[fid]
        assert (attrs["data-code"], attrs["data-line"], attrs["data-column"]) == (
            d["code"],
            str(d["line"]),
            str(d["column"]),
        )
        assert d["message"] in (attrs["title"] or "")
    assert f">{ref['score']}<" in html and ref["grade"] in html
    shown = re.findall(r'<span class="status (?:ok|partial|bad|optional)">([^<]+)</span>', html)
    labels = {"heading": {"有标题"}, "inline": {"仅段内提及"}, "missing": {"缺失", "未单列(可选)"}}
    assert len(shown) == len(ref["elements"])
    for label, element in zip(shown, ref["elements"].values(), strict=True):
        assert label in labels[element["status"]]
    assert len(page.ids) == len(set(page.ids))


def test_self_contained() -> None:
    html = render("html", make_run(SEED_PATHS))
    page = parse(html)
    assert page.external == []
    assert "link" not in page.tags and not re.search(
        r"@import|url\(|<script[^>]+src|https?://", html
    )


def test_score_breakdown_lists_every_deduction() -> None:
    run = make_run([SEED_PATHS[2]])
    html = render("html", run)
    _result, score = run.results[0]
    assert score.deductions
    for d in score.deductions:
        assert f'<td class="code">{d.code}</td>' in html and f"−{d.points:g}<" in html
    assert f"−{score.lost:g}<" in html


def test_no_findings() -> None:
    html = render("html", make_run([SEED_PATHS[0]], select=["FZ401"]))
    page = parse(html)
    assert page.panel == [] and page.marks == {} and "未发现问题" in html


def test_missing_file() -> None:
    html, code = cli_output("html", str(SEED_PATHS[1].relative_to(ROOT)), MISSING)
    assert code == 2
    page = parse(html)
    assert "errors" in page.ids and "无法检查的文件" in html and f"<code>{MISSING}</code>" in html
    assert "FZ311" in {f["data-code"] for f in page.panel}  # seed 001's findings are still shown
