"""The analysis behind the `layout` kind (kinds/layout.py), loaded only for files with layout data.

Every paragraph fzlint's document model knows gets a role (title, heading1…heading4 from the
outline, body, signature); each aspect measures the paragraphs of its roles and groups
consecutive paragraphs of one role with the same deviation into one finding.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fzlint.rules.kinds.base import anchor
from fzlint.rules.model import Finding

if TYPE_CHECKING:
    from fzlint.document.model import Document
    from fzlint.ingest.docx_layout import DocxLayout, ParaLayout, Section
    from fzlint.rules.context import Context
    from fzlint.rules.kinds.layout import Layout

ROLE_ZH = {
    "title": "标题",
    "body": "正文",
    "heading1": "一级标题",
    "heading2": "二级标题",
    "heading3": "三级标题",
    "heading4": "四级标题",
    "signature": "落款",
}
MM_PT = 72 / 25.4
# Word's single line is about 1.3 times the font size for the usual Chinese fonts (an estimate:
# the exact height depends on the font's metrics, which a .docx does not carry).
SINGLE_LINE = 1.3
PAPERS = {
    "A4": (210.0, 297.0),
    "A3": (297.0, 420.0),
    "A5": (148.0, 210.0),
    "B5": (176.0, 250.0),
    "B5(JIS)": (182.0, 257.0),
    "16 开": (184.0, 260.0),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
}
MARGIN_ZH = {"top": "上", "bottom": "下", "left": "左", "right": "右"}


@dataclass(slots=True)
class Para:
    """A Word paragraph with the role fzlint's document model gives it."""

    line: int  # 0-based Source line = Word paragraph index
    role: str
    span: tuple[int, int]  # source offsets of the paragraph text (where a finding points)
    cols: tuple[int, int]  # columns of the text the role is about (a heading: marker and title)


# ---- small helpers ---------------------------------------------------------------------------
def _norm_font(name: str) -> str:
    """Font names compared without spaces, underscores, hyphens or case ("FangSong_GB2312",
    "Fangsong GB2312" and "仿宋-GB2312" are spelled as files and menus spell them)."""
    return "".join(name.split()).translate(_FONT_PUNCT).casefold()


_FONT_PUNCT = str.maketrans("", "", "_＿-－")


def _fmt(v: float, digits: int = 1) -> str:
    return f"{v:.{digits}f}".rstrip("0").rstrip(".")


def _size_names(ctx: Context) -> dict[str, float]:
    raw = ctx.options.ruleset_settings.get("layout_size_names")
    out: dict[str, float] = {}
    if isinstance(raw, dict):
        for k, v in raw.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[str(k)] = float(v)
    return out


def _size_name(pt: float, names: dict[str, float]) -> str | None:
    for name, v in names.items():
        if abs(v - pt) < 0.01:
            return name
    return None


def _found_size(pt: float, names: dict[str, float]) -> str:
    name = _size_name(pt, names)
    return f"{_fmt(pt)} pt({name})" if name else f"{_fmt(pt)} pt"


def _expected_size(pt: float, names: dict[str, float]) -> str:
    name = _size_name(pt, names)
    return f"{name}({_fmt(pt)} pt)" if name else f"{_fmt(pt)} pt"


def _families(ctx: Context) -> dict[str, list[str]]:
    raw = ctx.options.ruleset_settings.get("layout_fonts")
    out: dict[str, list[str]] = {}
    if isinstance(raw, dict):
        for k, v in raw.items():
            if isinstance(v, list):
                out[str(k)] = [str(x) for x in v]
    return out


def _accepted(entries: list[str], families: dict[str, list[str]]) -> set[str]:
    out: set[str] = set()
    for e in entries:
        out.add(_norm_font(e))
        out.update(_norm_font(f) for f in families.get(e, []))
    return out


def _expected_fonts(entries: list[str], families: dict[str, list[str]]) -> str:
    shown = []
    for e in entries:
        others = [f for f in families.get(e, []) if f != e][:2]
        shown.append(f"{e}(如 {'、'.join(others)})" if others else e)
    return "或".join(shown)


def _width(ch: str) -> float:
    """Width in characters (a Han character or full-width form is 1, ASCII is half)."""
    o = ord(ch)
    return 1.0 if o >= 0x2E80 else 0.5


def _para_size(pl: ParaLayout, cols: tuple[int, int] | None = None) -> float | None:
    c0, c1 = cols if cols else (0, len(pl.text))
    return pl.dominant("size", c0, c1)[0]


def _where(first: int, last: int) -> str:
    return f"{first + 1}" if first == last else f"{first + 1}—{last + 1}"


_LEVEL_ZH = "一二三四"


def _roles_zh(roles: set[str]) -> str:
    """正文, 一级标题, 正文和一、二级标题, 正文、一至四级标题和落款 …"""
    names = [ROLE_ZH[r] for r in ("title", "body") if r in roles]
    levels = sorted(int(r[-1]) for r in roles if r.startswith("heading"))
    if len(levels) == 1:
        names.append(ROLE_ZH[f"heading{levels[0]}"])
    elif levels and levels == list(range(levels[0], levels[-1] + 1)) and len(levels) >= 3:
        names.append(f"{_LEVEL_ZH[levels[0] - 1]}至{_LEVEL_ZH[levels[-1] - 1]}级标题")
    elif levels:
        names.append("、".join(_LEVEL_ZH[lv - 1] for lv in levels) + "级标题")
    if "signature" in roles:
        names.append(ROLE_ZH["signature"])
    return "和".join(names) if len(names) <= 2 else "、".join(names[:-1]) + "和" + names[-1]


# ---- roles -----------------------------------------------------------------------------------
def roles(doc: Document, layout: DocxLayout) -> list[Para]:
    """Title lines, headings by outline level, body paragraphs and the signature lines."""
    cached = layout.cache.get("roles")
    if cached is not None and cached[0] is doc:
        return cached[1]
    src = doc.source
    starts = src.line_starts
    out: dict[int, Para] = {}

    def whole(line: int) -> tuple[tuple[int, int], tuple[int, int]]:
        text = src.line_text(line + 1)
        c0 = len(text) - len(text.lstrip())
        c1 = len(text.rstrip())
        return (starts[line] + c0, starts[line] + max(c1, c0)), (c0, max(c1, c0))

    meta = doc.meta
    if meta.title_span and meta.title_span[1] > meta.title_span[0]:
        l0 = src.position(meta.title_span[0])[0] - 1
        l1 = src.position(meta.title_span[1] - 1)[0] - 1
        for line in range(l0, l1 + 1):
            span, cols = whole(line)
            if cols[1] > cols[0]:
                out[line] = Para(line, "title", span, cols)
    for p in doc.paragraphs:
        line = p.line - 1
        if line in out:
            continue
        v = p.view
        span = v.doc_span(0, len(v.text))
        h = p.heading
        if h is not None:
            hs, he = v.doc_span(0, max(1, h.title_end))
            out[line] = Para(line, f"heading{h.level}", span, (hs - starts[line], he - starts[line]))
        else:
            out[line] = Para(line, "body", span, (span[0] - starts[line], span[1] - starts[line]))
    sig = meta.signature
    if sig is not None:
        for sp in (sig.issuer_span, (sig.date.start, sig.date.end) if sig.date else None):
            if sp is None:
                continue
            line = src.position(sp[0])[0] - 1
            span, cols = whole(line)
            out[line] = Para(line, "signature", span, cols)
    result = [out[k] for k in sorted(out) if 0 <= k < layout.line_count]
    layout.cache["roles"] = (doc, result)
    return result


# ---- grouping --------------------------------------------------------------------------------
@dataclass(slots=True)
class Run:
    """Paragraphs with one deviation: the first and last of them, their roles, the message values."""

    key: Any
    first: Para
    last: Para
    roles: set[str]
    values: dict[str, str]
    severity: str | None


class _Runs:
    """Consecutive paragraphs of one role with the same deviation make one run (paragraphs of
    other roles in between do not break it); runs of different roles with the same deviation
    whose ranges overlap or touch are then merged (the whole text in the wrong size: one run)."""

    def __init__(self) -> None:
        self.open: dict[str, Run] = {}
        self.done: list[Run] = []

    def add(self, para: Para, key: Any, values: dict[str, str] | None = None, severity: str | None = None) -> None:
        cur = self.open.get(para.role)
        if cur is not None and cur.key == key:
            cur.last = para
            return
        self._close(para.role)
        self.open[para.role] = Run(key, para, para, {para.role}, values or {}, severity)

    def _close(self, role: str) -> None:
        cur = self.open.pop(role, None)
        if cur is not None and cur.key is not None:
            self.done.append(cur)

    def finish(self) -> list[Run]:
        for role in list(self.open):
            self._close(role)
        runs = sorted(self.done, key=lambda r: (r.first.line, r.last.line))
        merged: list[Run] = []
        for r in runs:
            into = next((m for m in merged if m.key == r.key and r.first.line <= m.last.line + 1 and m.first.line <= r.last.line + 1), None)
            if into is None:
                merged.append(r)
                continue
            if r.last.line > into.last.line:
                into.last = r.last
            into.roles |= r.roles
        return merged


def _emit(chk: Layout, runs: list[Run]) -> Iterator[Finding]:
    limit = chk.params.max_findings
    for k, run in enumerate(runs[:limit]):
        first = run.first
        vals = {"where": _where(first.line, run.last.line), "role": _roles_zh(run.roles), **run.values}
        f = chk.finding(first.span[0], first.span[1], vals, severity=run.severity)
        if k == limit - 1 and len(runs) > limit:
            f.message += f"(另有 {len(runs) - limit} 处类似问题未逐一列出)"
        yield f


# ---- aspects ---------------------------------------------------------------------------------
def run(chk: Layout, doc: Document, ctx: Context) -> Iterator[Finding]:
    layout: DocxLayout = doc.source.layout
    aspect = chk.params.aspect
    if aspect == "paper":
        yield from _paper(chk, doc, layout)
    elif aspect == "margins":
        yield from _margins(chk, doc, layout)
    elif aspect == "page_number":
        yield from _page_number(chk, doc, ctx, layout)
    elif aspect == "signature":
        yield from _signature(chk, doc, layout)
    else:
        yield from _emit(chk, _paragraph_runs(chk, doc, ctx, layout))


def _paragraph_runs(chk: Layout, doc: Document, ctx: Context, layout: DocxLayout) -> list[Run]:
    p = chk.params
    aspect = p.aspect
    names = _size_names(ctx)
    families = _families(ctx)
    wanted = set(p.roles) if p.roles else ({"heading1", "heading2", "heading3", "heading4"} if aspect == "heading_font" else {"body"})
    accepted: dict[str, set[str]] = {}
    expected_text: dict[str, str] = {}
    if aspect == "font":
        for r in wanted:
            accepted[r] = _accepted(p.fonts, families)
            expected_text[r] = _expected_fonts(p.fonts, families)
    elif aspect == "heading_font":
        for lvl, entries in ((1, p.level1), (2, p.level2), (3, p.level3), (4, p.level4)):
            if entries:
                accepted[f"heading{lvl}"] = _accepted(entries, families)
                expected_text[f"heading{lvl}"] = _expected_fonts(entries, families)
    runs = _Runs()
    for para in roles(doc, layout):
        if para.role not in wanted:
            continue
        pl = layout.paragraph(para.line)
        if pl is None or pl.in_table:
            continue
        if aspect == "size":
            size = _para_size(pl, para.cols)
            if size is None:
                continue
            tol = p.tolerance if p.tolerance is not None else 0.25
            assert p.size_pt is not None
            if abs(size - p.size_pt) <= tol:
                runs.add(para, None)
            else:
                runs.add(para, round(size * 2) / 2, {"found": _found_size(size, names), "expected": _expected_size(p.size_pt, names)})
        elif aspect in ("font", "heading_font"):
            if para.role not in accepted:
                continue
            font, share = pl.dominant("east_asia", para.cols[0], para.cols[1], han=True)
            if not font or share < 0.5:
                continue  # no Han text, or its font is not known (a theme font the file does not name)
            if _norm_font(font) in accepted[para.role]:
                runs.add(para, None)
            else:
                runs.add(para, (_norm_font(font), expected_text[para.role]), {"found": font, "expected": expected_text[para.role]})
        elif aspect == "line_spacing":
            _line_spacing(chk, para, pl, layout, runs)
        elif aspect == "indent":
            _indent(chk, para, pl, runs)
    return runs.finish()


def _line_pitch(pl: ParaLayout, size: float, section: Section | None) -> tuple[float, bool, str]:
    """(line pitch in pt, whether it is exact, how the file sets it)."""
    v = pl.line
    if pl.line_rule == "exact" and v:
        return v / 20, True, f"固定值 {_fmt(v / 20)} 磅"
    natural = size * SINGLE_LINE
    if pl.line_rule == "atLeast" and v:
        pitch = max(v / 20, natural)
        return pitch, v / 20 >= natural, f"最小值 {_fmt(v / 20)} 磅"
    multiple = v / 240 if v else 1.0
    how = "单倍行距" if abs(multiple - 1) < 0.01 else f"多倍行距 {_fmt(multiple, 2)} 倍"
    grid = section.grid_pitch if section is not None else None
    if grid and pl.snap_to_grid:
        # on a document grid a line takes `multiple` grid lines (more when the font is taller)
        pitch = multiple * grid * max(1, math.ceil(natural / grid - 1e-6))
        return pitch, True, f"{how}(文档网格 {_fmt(grid)} 磅)"
    return multiple * natural, False, how


def _line_spacing(chk: Layout, para: Para, pl: ParaLayout, layout: DocxLayout, runs: _Runs) -> None:
    p = chk.params
    size = _para_size(pl) or 16.0
    sections = layout.sections()
    section = sections[pl.section] if pl.section < len(sections) else None
    pitch, exact, how = _line_pitch(pl, size, section)
    if pitch <= 0:
        return
    lines = int(p.text_height_mm * MM_PT / pitch + 1e-6)
    in_range = p.min_pt is not None and p.max_pt is not None and p.min_pt - 0.01 <= pitch <= p.max_pt + 0.01
    if (exact and in_range) or lines == p.lines_per_page:
        runs.add(para, None)
        return
    found = f"{how},每页 {lines} 行" if exact else f"{how}(约 {_fmt(pitch)} 磅),每页约 {lines} 行"
    # a warning only when the pitch is known and the page is clearly off 22 lines (21 or 23
    # lines with a fixed 30 pt or 27 pt is a common house style): otherwise a hint
    sure = exact and abs(lines - p.lines_per_page) >= 2
    runs.add(para, (how, round(pitch, 1)), {"found": found}, None if sure else "info")


def _chars(ind: dict[str, float], twips_key: str, chars_key: str, unit: float) -> float | None:
    """An indent in characters: the *Chars attribute (hundredths of a character) wins over the
    twips one; a zero *Chars beside a non-zero twips value is ambiguous (None)."""
    if chars_key in ind:
        c = ind[chars_key] / 100
        if c == 0 and ind.get(twips_key, 0) != 0:
            return None
        return c
    if twips_key in ind:
        return ind[twips_key] / 20 / unit
    return 0.0


def lead_chars(text: str) -> float:
    """Typed indentation in characters: a full-width space is one, a half-width space half."""
    n = 0.0
    for ch in text:
        if ch == "\u3000":
            n += 1
        elif ch in " \u00a0":
            n += 0.5
        else:
            break
    return n


def _indent(chk: Layout, para: Para, pl: ParaLayout, runs: _Runs) -> None:
    if pl.align in ("center", "right") or pl.lead_tab:
        return  # centred text has no indent; a tab's width depends on tab stops
    unit = _para_size(pl) or 16.0
    ind = pl.ind
    left = _chars(ind, "left", "leftChars", unit) if ("left" in ind or "leftChars" in ind) else _chars(ind, "start", "startChars", unit)
    first = _chars(ind, "firstLine", "firstLineChars", unit)
    hanging = _chars(ind, "hanging", "hangingChars", unit)
    if left is None or first is None or hanging is None:
        return
    pos = left + first - hanging + lead_chars(pl.text)
    tol = chk.params.tolerance if chk.params.tolerance is not None else 0.3
    want = chk.params.indent_chars
    if abs(pos - want) <= tol and abs(left) <= tol:
        runs.add(para, None)
        return
    if abs(pos - want) <= tol:
        found = f"左缩进 {_fmt(left)} 字符(回行未顶格)"
    else:
        found = f"首行缩进 {_fmt(pos)} 字符"
    runs.add(para, found, {"found": found, "expected": f"首行缩进 {_fmt(want)} 字符、回行顶格"})


# ---- page-level aspects ----------------------------------------------------------------------
def _paper_name(w: float, h: float) -> str:
    lo, hi = min(w, h), max(w, h)
    for name, (pw, ph) in PAPERS.items():
        if abs(lo - pw) <= 1.5 and abs(hi - ph) <= 1.5:
            return f"{name}({_fmt(w)} × {_fmt(h)} mm)"
    return f"{_fmt(w)} × {_fmt(h)} mm"


def _paper(chk: Layout, doc: Document, layout: DocxLayout) -> Iterator[Finding]:
    p = chk.params
    ew, eh = p.paper_mm
    tol = p.tolerance if p.tolerance is not None else 1.0
    seen: set[str] = set()
    for sec in layout.sections():
        if sec.width is None or sec.height is None:
            continue
        lo, hi = sorted((sec.width, sec.height))
        if abs(lo - min(ew, eh)) <= tol and abs(hi - max(ew, eh)) <= tol:
            continue
        found = _paper_name(sec.width, sec.height)
        if found in seen:
            continue
        seen.add(found)
        s, e = anchor(doc)
        yield chk.finding(s, e, {"found": found, "expected": _paper_name(ew, eh)})


def _margins(chk: Layout, doc: Document, layout: DocxLayout) -> Iterator[Finding]:
    p = chk.params
    tol = p.tolerance if p.tolerance is not None else 1.0
    seen: set[str] = set()
    for sec in layout.sections():
        if sec.landscape:
            continue  # a landscape page for a wide table (GB/T 9704 第8条) has its own margins
        actual = {"top": sec.top, "bottom": sec.bottom, "left": (sec.left or 0) + sec.gutter if sec.left is not None else None, "right": sec.right}
        bad = [k for k, want in p.margins_mm.items() if actual.get(k) is not None and abs(actual[k] - want) > tol]  # type: ignore[operator]
        if not bad:
            continue
        found = "、".join(f"{MARGIN_ZH[k]} {_fmt(actual[k])}" for k in ("top", "bottom", "left", "right") if actual.get(k) is not None) + " mm"  # type: ignore[arg-type]
        if found in seen:
            continue
        seen.add(found)
        expected = "、".join(f"{MARGIN_ZH[k]} {_fmt(p.margins_mm[k])}" for k in ("top", "bottom", "left", "right") if k in p.margins_mm) + f" mm(允许误差 ±{_fmt(tol)} mm)"
        s, e = anchor(doc)
        yield chk.finding(s, e, {"found": found, "expected": expected, "off": "、".join(MARGIN_ZH[k] for k in ("top", "bottom", "left", "right") if k in bad)})


_DASHES = "—－-–‐‑−一"


def _page_number(chk: Layout, doc: Document, ctx: Context, layout: DocxLayout) -> Iterator[Finding]:
    p = chk.params
    names = _size_names(ctx)
    numbers, _footers = layout.page_numbers()
    s, e = anchor(doc)
    if not numbers:
        yield chk.finding(s, e, {"problem": "缺失:页脚中没有页码"})
        return
    done: set[str] = set()
    for pn in numbers:
        form = pn.form.replace(" ", "").replace("\u3000", "").replace("\u00a0", "")
        shown = pn.form.replace("#", "1")
        if form == "—#—":
            pass
        elif len(form) == 3 and form[1] == "#" and form[0] in _DASHES and form[2] in _DASHES:
            key = "dash"
            if key not in done:
                done.add(key)
                yield chk.finding(s, e, {"problem": f"写作“{shown}”,两侧应为一字线“—”"}, severity="info")
        elif "form" not in done:
            done.add("form")
            yield chk.finding(s, e, {"problem": f"写作“{shown}”,应为“— 1 —”(数字两侧各加一条一字线)"})
        if pn.size is not None and p.size_pt is not None:
            tol = p.tolerance if p.tolerance is not None else 0.25
            if abs(pn.size - p.size_pt) > tol and "size" not in done:
                done.add("size")
                yield chk.finding(s, e, {"problem": f"字号为 {_found_size(pn.size, names)},应为{_expected_size(p.size_pt, names)}"})


def _signature(chk: Layout, doc: Document, layout: DocxLayout) -> Iterator[Finding]:
    sig = doc.meta.signature
    if sig is None:
        return
    src = doc.source
    items: list[tuple[str, int, tuple[int, int]]] = []
    date_line = src.position(sig.date.start)[0] - 1 if sig.date else None
    if sig.issuer_span is not None:
        line = src.position(sig.issuer_span[0])[0] - 1
        if line != date_line:
            items.append(("issuer", line, sig.issuer_span))
    if sig.date is not None and date_line is not None:
        items.append(("date", date_line, (sig.date.start, sig.date.end)))
    sections = layout.sections()
    found: list[tuple[str, tuple[int, int], str, str, str | None]] = []
    for what, line, span in items:
        pl = layout.paragraph(line)
        if pl is None or pl.in_table or pl.positioned:
            continue  # moved by tab stops or a frame: its position is not known here
        sec = sections[pl.section] if pl.section < len(sections) else None
        size = _para_size(pl) or 16.0
        width_mm = 156.0
        if sec is not None and None not in (sec.width, sec.left, sec.right):
            width_mm = sec.width - sec.left - sec.right - sec.gutter  # type: ignore[operator]
        line_chars = width_mm * MM_PT / size
        text = pl.text
        content = sum(_width(ch) for ch in text.strip())
        lead = lead_chars(text)
        trail = lead_chars(text[::-1])
        ind = pl.ind
        left = _chars(ind, "left", "leftChars", size) or 0.0
        right = _chars(ind, "right", "rightChars", size) or 0.0
        first = (_chars(ind, "firstLine", "firstLineChars", size) or 0.0) - (_chars(ind, "hanging", "hangingChars", size) or 0.0)
        if pl.align == "right":
            right_gap = right + trail
        elif pl.align == "center":
            avail = line_chars - left - right - first
            right_gap = right + (avail - lead - content - trail) / 2
        else:
            right_gap = line_chars - (left + first + lead + content)
        problem = None
        severity = None
        if pl.align == "center" and what == "date":
            problem = "居中排布"
        elif right_gap > line_chars / 2:
            problem = "靠左排布"
        elif right_gap < 0.5 and what == "date":
            problem, severity = "右侧未留空(右空 0 字)", "info"
        if problem is not None:
            found.append((what, span, text.strip(), problem, severity))
    if len(found) == 2 and found[0][3] == found[1][3]:
        # 署名 and 成文日期 placed the same way: one finding for the 落款
        (_w, span, issuer, problem, severity), (_w2, _s2, date, _p, _sv) = found
        yield chk.finding(span[0], span[1], {"item": "落款", "text": f"{issuer} {date}", "problem": problem}, severity=severity)
        return
    for what, span, text, problem, severity in found:
        label = "成文日期" if what == "date" else "发文机关署名"
        yield chk.finding(span[0], span[1], {"item": label, "text": text, "problem": problem}, severity=severity)
