"""Text output in the style of rustc/ruff: code and severity, message, location, the source line
with the span underlined (CJK characters are two columns), help; then parts and score.

The layout is written by hand rather than with rich (`rich_text.py` is the rich version, still
used by `compare` and `audit`): importing rich and rendering a few findings through it cost
~70 ms of a cold run. The output is byte-for-byte what `rich_text.py` prints, with and without
colour, at any width (tests/test_text_render.py compares the two on many reports and widths).
That includes rich's decisions from the environment (NO_COLOR, FORCE_COLOR, TTY_COMPATIBLE,
TERM=dumb, COLUMNS, LINES) and its table layout. The few inputs whose rich rendering depends on
machinery not reproduced here (markup brackets in table cells, control characters, emoji
sequences, Windows consoles, non-UTF-8 streams, very narrow terminals) are rendered by
`rich_text.py` instead: `Unsupported` is raised before anything is written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import cache
from typing import IO

from fzlint.engine import FileResult
from fzlint.patterns import lazy_re
from fzlint.render import Run
from fzlint.render.cells import cell_len, char_width, chop_cells, set_cell_size
from fzlint.render.common import ocr_label
from fzlint.rules.context import ElementHit
from fzlint.rules.model import citation
from fzlint.score import Score, named_deductions
from fzlint.termsafe import term

# The words of a finding's block, per --lang (shared with rich_text.py)
LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示", "help": "修改建议: ", "source": "依据: ", "fix": "可自动修复(--fix)"},
    "en": {"error": "error", "warning": "warning", "info": "info", "help": "help: ", "source": "source: ", "fix": "fixable with --fix"},
}
_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_STATUS = {"heading": ("✔ 有标题", "green"), "inline": ("◐ 仅段内提及", "yellow"), "missing": ("✘ 缺失", "red")}
_MAX_BEFORE = 30  # display cells of context before the span
_MAX_LINE = 90  # display cells of the shown source line
# Control characters from a file (ESC sequences, BEL, C1 codes) are shown as U+FFFD, one for one,
# so a hostile file cannot drive the terminal and the underline stays aligned.
_CONTROLS = {c: "\ufffd" for c in [*range(0x09), *range(0x0A, 0x20), 0x7F, *range(0x80, 0xA0)]}
# Anything rich would treat specially in a string: control characters (stripped or zero-width),
# tabs (expanded), newlines (split), emoji joiners; and markup brackets where rich parses markup.
# (sets, not regexes: compiling those character classes cost ~3 ms of every run)
_SPECIAL = frozenset([*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), "\u200d", "\ufe0f"])
_SPECIAL_MARKUP = _SPECIAL | {"["}
_WORD = lazy_re(r"\s*\S+\s*")
_TRAILING_SPACE = lazy_re(r"\s+$")
_MIN_WIDTH = 20  # narrower consoles: rich (cells there can have no room at all)

# SGR parameters of rich's default styles; combined in rich's order (attributes, then colour)
_ATTRS = {"bold": 1, "dim": 2, "italic": 3}
_COLORS = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "cyan": "36"}

Style = tuple[frozenset[int], str]  # (attribute numbers, foreground colour code or "")
_NULL: Style = (frozenset(), "")


class Unsupported(Exception):
    """This output needs rich's full machinery; render it with rich_text.py."""


def safe(text: str) -> str:
    return text.translate(_CONTROLS)


@cache
def _style(spec: str) -> Style:
    attrs = frozenset(_ATTRS[w] for w in spec.split() if w in _ATTRS)
    color = next((_COLORS[w] for w in spec.split() if w in _COLORS), "")
    return attrs, color


def _plain(text: str, markup: bool = False) -> str:
    """A string as rich would show it unchanged, or Unsupported."""
    if not (_SPECIAL_MARKUP if markup else _SPECIAL).isdisjoint(text):
        raise Unsupported
    return text


class _Writer:
    """rich's Console as fzlint's make_console configures it, for the styles used here."""

    def __init__(self, stream: IO[str], color: str) -> None:
        env = os.environ
        if sys.platform == "win32" or "IPython" in sys.modules or env.get("UNICODE_VERSION") is not None:
            raise Unsupported  # legacy consoles, notebooks, other width tables
        if not (getattr(stream, "encoding", None) or "utf-8").lower().startswith("utf"):
            raise Unsupported  # rich draws ASCII tables there
        force = {"always": True, "never": False}.get(color)
        terminal = force if force is not None else self._is_terminal(stream, env)
        dumb = terminal and env.get("TERM", "").lower() in ("dumb", "unknown")
        self.colored = terminal and not dumb  # rich's colour system is None otherwise
        no_color = {"always": False, "never": True}.get(color)
        self.no_color = env.get("NO_COLOR", "") != "" if no_color is None else no_color
        self.width = self._width(stream, env, dumb)
        if self.width < _MIN_WIDTH:
            raise Unsupported
        self.out: list[str] = []

    @staticmethod
    def _is_terminal(stream: IO[str], env: os._Environ[str]) -> bool:
        if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
            return False
        tty_compatible = env.get("TTY_COMPATIBLE", "")
        if tty_compatible in ("0", "1"):
            return tty_compatible == "1"
        force_color = env.get("FORCE_COLOR")
        if force_color is not None:
            return force_color != ""
        isatty = getattr(stream, "isatty", None)
        try:
            return False if isatty is None else bool(isatty())
        except ValueError:
            return False

    @staticmethod
    def _width(stream: IO[str], env: os._Environ[str], dumb: bool) -> int:
        columns = env.get("COLUMNS")
        # make_console: files and pipes are 120 wide unless COLUMNS says otherwise
        width: int | None = None if stream.isatty() else (int(columns) if columns is not None and columns.isdigit() and int(columns) > 0 else 120)
        if width is None and columns is not None and columns.isdigit():
            width = int(columns)
        lines = env.get("LINES")
        if width is not None and lines is not None and lines.isdigit():
            return width  # rich: both dimensions known, no dumb-terminal default
        if dumb:
            return 80
        if width is not None:
            return width
        for fd in (0, 1, 2):
            try:
                width = os.get_terminal_size(fd)[0]
            except (AttributeError, ValueError, OSError):
                continue
            break
        return width or 80

    def sgr(self, text: str, style: Style) -> str:
        if not text or not self.colored:
            return text
        attrs, color = style
        codes = [str(a) for a in sorted(attrs)]
        if color and not self.no_color:
            codes.append(color)
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text

    def line(self, base: str, *parts: tuple[str, str | None]) -> None:
        """One printed Text: a base style and parts, each with its own style (a rich span) or
        None (plain text appended to the base: same segment as its plain neighbours)."""
        b = _style(base)
        pending = ""
        for text, spec in parts:
            if spec is None:
                pending += text
                continue
            self.out.append(self.sgr(pending, b))
            pending = ""
            s = _style(spec)
            self.out.append(self.sgr(text, (b[0] | s[0], s[1] or b[1])))
        self.out.append(self.sgr(pending, b))
        self.out.append("\n")


# ---- findings -------------------------------------------------------------------------------
def snippet_cells(width: int, line_no: int) -> int:
    """Display cells left for a source line in a console `width` wide, after the gutter
    (`12 | `) and the two ellipses: the snippet and its carets never wrap."""
    return max(_MIN_WIDTH - 8, min(_MAX_LINE, width - len(str(line_no)) - 3 - 2))


def _clip(line: str, col0: int, col1: int, max_cells: int = _MAX_LINE) -> tuple[str, int, int]:
    """Cut a long source line to a window around [col0, col1) (0-based character columns) of at
    most `max_cells` display cells.

    Returns the shown text and the span's start and end within it (the span is cut too when it
    is longer than the window)."""
    start = col0
    cells = 0
    before = min(_MAX_BEFORE, max_cells // 3)
    while start > 0 and cells + char_width(line[start - 1]) <= before:
        start -= 1
        cells += char_width(line[start])
    end = col0
    while end < len(line) and cells + char_width(line[end]) <= max_cells:
        cells += char_width(line[end])
        end += 1
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(line) else ""
    shown = prefix + line[start:end] + suffix
    return shown, col0 - start + len(prefix), min(col1, end) - start + len(prefix)


def _finding(w: _Writer, result: FileResult, f, show_source: bool, lang: str = "zh") -> None:  # type: ignore[no-untyped-def]
    words = LABELS.get(lang, LABELS["zh"])
    src = result.source
    line, col = src.position(f.start)
    end_line, end_col = src.position(f.end)
    sev = f.severity
    sev_style = _STYLE.get(sev, "bold")
    w.line("", (_plain(f"{words.get(sev, sev)}[{f.code}]"), sev_style), (": ", None), (_plain(safe(f.message)), "bold"))
    gutter = " " * len(str(line))
    w.line("blue", (f"{gutter}--> ", None), (_plain(f"{term(result.path)}:{line}:{col}"), None))
    if show_source:
        raw = _plain(safe(src.line_text(line).replace("\t", " ")))
        c0 = col - 1
        c1 = end_col - 1 if end_line == line else len(raw)
        c1 = max(c1, c0 + 1)
        shown, s0, s1 = _clip(raw, c0, min(c1, len(raw)) if c0 < len(raw) else c0 + 1, snippet_cells(w.width, line))
        pad = cell_len(shown[:s0])
        width = max(1, cell_len(shown[s0:s1]))
        w.line("blue", (f"{gutter} |", None))
        w.line("blue", (f"{line} | ", None), (shown, None))
        w.line("blue", (f"{gutter} | ", None), (" " * pad + "^" * width, sev_style))
    rule = result.ruleset.rule(f.code)
    if f.help:
        w.line("blue", (f"{gutter} = ", None), (words["help"], "bold"), (_plain(term(f.help)), None))
    if rule is not None and rule.source:
        w.line("blue", (f"{gutter} = ", None), (words["source"], "bold"), (_plain(citation(rule)), "dim"))
    if f.fix is not None:
        w.line("blue", (f"{gutter} = ", None), (words["fix"], "green"))
    w.out.append("\n")


# ---- tables (rich.table.Table with show_edge=False, pad_edge=False, as rich_text.py builds them)
class _Column:
    def __init__(self, header: str, *, justify: str = "left", no_wrap: bool = False, overflow: str = "ellipsis", max_width: int | None = None) -> None:
        self.header = header
        self.justify = justify
        self.no_wrap = no_wrap
        self.overflow = overflow
        self.max_width = max_width


Cell = tuple[str, str]  # (plain text, style spec of the whole cell text)


def _measure_text(text: str) -> tuple[int, int]:
    lines = text.splitlines()
    longest = max((cell_len(ln) for ln in lines), default=0)
    words = text.split()
    return (max(cell_len(wd) for wd in words) if words else longest), longest


def _normalize(m: tuple[int, int]) -> tuple[int, int]:
    lo, hi = m
    lo = min(max(0, lo), hi)
    return max(0, lo), max(0, max(lo, hi))


def _with_max(m: tuple[int, int], width: int) -> tuple[int, int]:
    return min(m[0], width), min(m[1], width)


def _measure_cell(text: str, pad: int, max_width: int) -> tuple[int, int]:
    """Measurement.get of Padding(Text(text)) (rich.measure, rich.padding)."""
    if max_width < 1:
        return 0, 0
    if max_width - pad < 1:
        m = (max_width, max_width)
    else:
        inner = max_width - pad
        m = _with_max(_normalize(_measure_text(text)), inner)
        if m[1] < 1:
            m = (0, 0)
        else:
            m = _normalize(m)
        m = _with_max((m[0] + pad, m[1] + pad), max_width)
    m = _with_max(_normalize(m), max_width)
    return (0, 0) if m[1] < 1 else _normalize(m)


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    ratios = [r if mx else 0 for r, mx in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    out = []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            out.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            out.append(value)
    return out


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            max_col = max(wd for wd, ok in zip(widths, wrapable) if ok)
            second = max(wd if ok and wd != max_col else 0 for wd, ok in zip(widths, wrapable))
            difference = max_col - second
            ratios = [1 if (wd == max_col and ok) else 0 for wd, ok in zip(widths, wrapable)]
            if not any(ratios) or not difference:
                break
            widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
            total = sum(widths)
            excess = total - max_width
    return widths


def _wrap(text: str, width: int, column: _Column) -> list[str]:
    """Text.wrap of one cell's text (no newlines) at `width`, justified as the column says."""
    if column.no_wrap:
        lines = [text]
    else:
        lines = [text[a:b] for a, b in zip([0, *_breaks(text, width, column.overflow == "fold")], [*_breaks(text, width, column.overflow == "fold"), len(text)])]
        lines = [_rstrip_end(ln, width) for ln in lines]
    out = []
    for ln in lines:
        if column.justify == "right":
            ln = _truncate(ln.rstrip(), width, column.overflow, pad=False)
            ln = " " * (width - cell_len(ln)) + ln
        else:
            ln = _truncate(ln, width, column.overflow, pad=True)
        out.append(_truncate(ln, width, column.overflow, pad=False))
    return out


def _breaks(text: str, width: int, fold: bool) -> list[int]:
    """rich._wrap.divide_line."""
    breaks: list[int] = []
    offset = 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group(0)
        word_length = cell_len(word.rstrip())
        if width - offset >= word_length:
            offset += cell_len(word)
        elif word_length > width:
            if fold:
                pieces = chop_cells(word, width)
                for i, piece in enumerate(pieces):
                    if start:
                        breaks.append(start)
                    if i == len(pieces) - 1:
                        offset = cell_len(piece)
                    else:
                        start += len(piece)
            else:
                if start:
                    breaks.append(start)
                offset = cell_len(word)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


def _rstrip_end(text: str, size: int) -> str:
    if len(text) > size:
        m = _TRAILING_SPACE.search(text)
        if m is not None:
            return text[: len(text) - min(len(m.group(0)), len(text) - size)]
    return text


def _truncate(text: str, width: int, overflow: str, pad: bool) -> str:
    length = cell_len(text)
    if length > width:
        text = set_cell_size(text, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(text, width)
    if pad and length < width:
        text += " " * (width - length)
    return text


def _table(w: _Writer, title: str, columns: Sequence[_Column], rows: list[list[Cell]], show_header: bool = True) -> None:
    n = len(columns)
    pads = [(0 if i == 0 else 1, 0 if i == n - 1 else 1) for i in range(n)]  # (left, right)
    cells = [([(c.header, "bold")] if show_header else []) + [row[i] for row in rows] for i, c in enumerate(columns)]
    max_width = w.width - (n - 1)  # the dividers between columns

    def measure(i: int, width: int) -> tuple[int, int]:
        pad = sum(pads[i])
        if width < 1:
            return 0, 0
        ms = [_measure_cell(text, pad, width) for text, _s in cells[i]]
        m = _with_max((max((x[0] for x in ms), default=1), max((x[1] for x in ms), default=width)), width)
        mw = columns[i].max_width
        return m if mw is None else _with_max(m, mw + pad)

    widths = [measure(i, max_width)[1] or 1 for i in range(n)]
    if sum(widths) > max_width:
        widths = _collapse(widths, [not c.no_wrap for c in columns], max_width)
        if sum(widths) > max_width:  # still too wide: every column gives up a share
            widths = _ratio_reduce(sum(widths) - max_width, [1] * n, widths, widths)
        widths = [measure(i, wd)[1] or 0 for i, wd in enumerate(widths)]
    w.line("", (title, "italic"))
    divider_head, divider = ("┃", "│") if show_header else ("│", "│")
    for r in range(len(cells[0])):
        header = show_header and r == 0
        rendered = []
        for i, col in enumerate(columns):
            text, spec = cells[i][r]
            left, right = pads[i]
            inner = widths[i] - left - right
            if inner < 1:
                raise Unsupported
            lines = _wrap(text, inner, col)
            rendered.append([(left, ln, right, False) for ln in lines])
        height = max(len(c) for c in rendered)
        for i, lines in enumerate(rendered):
            blank = (0, " " * widths[i], 0, True)  # filler lines carry the cell style only
            extra = [blank] * (height - len(lines))
            rendered[i] = extra + lines if header else lines + extra
        cell_style = _style("bold") if header else _NULL
        for line_no in range(height):
            for i in range(n):
                left, text, right, blank = rendered[i][line_no]
                spec = cells[i][r][1]
                style = _style(spec) if spec and not blank else _NULL
                style = (style[0] | cell_style[0], style[1] or cell_style[1])
                if left:
                    w.out.append(w.sgr(" " * left, cell_style))
                w.out.append(w.sgr(text, style))
                if right:
                    w.out.append(w.sgr(" " * right, cell_style))
                if i < n - 1:
                    w.out.append(divider_head if r == 0 else divider)
            w.out.append("\n")
        if header:
            w.out.append("╇".join("━" * wd for wd in widths) + "\n")


def status_label(hit: ElementHit) -> tuple[str, str]:
    """How a part's status is shown in the parts table: (label, style)."""
    if hit.status == "missing" and hit.detail.get("optional"):
        return "— 未单列(可选)", "dim"
    if hit.status == "missing" and hit.detail.get("parent_missing"):
        return "— 无所属部分", "dim"
    return _STATUS[hit.status]


STACK_WIDTH = 80  # at this width and narrower the parts tables print one block per part


def stacked_parts(result: FileResult, width: int) -> list[list[tuple[str, str | None]]]:
    """The 必备部分 and 各部分内容 tables as one block per part, for consoles too narrow for their
    columns: each line a list of (text, style spec or None), every line at most `width` cells
    (evidence clipped with …, content folded under its part), so neither renderer wraps it."""
    inner = max(1, width - 2)

    def clip(text: str) -> str:
        return text if cell_len(text) <= inner else chop_cells(text, inner - 1)[0] + "…"

    out: list[list[tuple[str, str | None]]] = [[("必备部分", "italic")]]
    content: list[tuple[str, str]] = []
    for key in result.ruleset.part_order(result.elements):
        hit = result.elements.get(key)
        if hit is None:
            continue
        label, style = status_label(hit)
        out.append([(clip(hit.label), "bold")])
        status: list[tuple[str, str | None]] = [("  ", None), (label, style)]
        if hit.line:
            status.append((f"  第 {hit.line} 行", "dim"))
        out.append(status)
        evidence = term((hit.evidence or "").replace("\n", " "))
        if evidence:
            out.append([("  " + clip("依据原文:" + evidence), None)])
        if hit.detail.get("content_summary"):
            content.append((hit.label, term(";".join(hit.detail["content_summary"]))))
    if content:
        out.append([("各部分内容", "italic")])
        for label, text in content:
            out.append([(clip(label), "bold")])
            out.extend([("  " + piece, None)] for piece in chop_cells(text, inner))
    return out


def _elements(w: _Writer, result: FileResult) -> None:
    if w.width <= STACK_WIDTH:
        for parts in stacked_parts(result, w.width):
            w.line("", *((_plain(t), spec) for t, spec in parts))
        return
    columns = [
        _Column("部分", no_wrap=True),
        _Column("状态", no_wrap=True),
        _Column("行", justify="right"),
        _Column("依据原文", max_width=48, no_wrap=True),
    ]
    rows: list[list[Cell]] = []
    for key in result.ruleset.part_order(result.elements):
        hit = result.elements.get(key)
        if hit is None:
            continue
        label, style = status_label(hit)
        evidence = (hit.evidence or "").replace("\n", " ")
        rows.append([(_plain(hit.label, markup=True), ""), (label, style), (str(hit.line or ""), ""), (_plain(term(evidence), markup=True), "")])
    _table(w, "必备部分", columns, rows)
    _content(w, result)


def _content(w: _Writer, result: FileResult) -> None:
    """What the content rules found inside each part (第一责任人 duties, 纲要 coverage, causes …)."""
    rows: list[list[Cell]] = []
    for key in result.ruleset.part_order(result.elements):
        hit = result.elements.get(key)
        if hit is not None and hit.detail.get("content_summary"):
            rows.append([(_plain(hit.label, markup=True), ""), (_plain(term(";".join(hit.detail["content_summary"]))), "")])
    if rows:
        _table(w, "各部分内容", [_Column("部分", no_wrap=True), _Column("内容", overflow="fold")], rows, show_header=False)


def _score(w: _Writer, result: FileResult, score: Score) -> None:
    meta = result.doc.meta
    style = "green" if score.value >= 90 else "yellow" if score.value >= 60 else "red"
    facts = []
    if meta.issuer:
        facts.append(f"发文机关:{meta.issuer}")
    if meta.year:
        facts.append(f"报告年度:{meta.year}{meta.year_hint()}")
    if meta.signature and meta.signature.date:
        facts.append(f"成文日期:{meta.signature.date.text}")
    if meta.published:
        facts.append(f"发布日期:{meta.published.isoformat()}")
    # console.print(head, facts): two Texts joined by a plain space
    w.line("", ("得分 ", None), (f"{score.value}", f"bold {style}"), (_plain(f" / 100  {score.grade}"), f"bold {style}"), (" ", None), (_plain(term("  " + "  ".join(facts))), "dim"))
    for d, name in named_deductions(result.findings, score, 60):
        extra = f" ×{d.count}" if d.count > 1 else ""
        cap = "(已达上限)" if d.capped else ""
        w.line("red", (f"  -{d.points:g}  ", None), (_plain(f"{d.code}{extra} "), "bold"), (_plain(term(f"{name}{cap}")), "dim"))
    w.out.append("\n")


def converted_label(result: FileResult) -> str:
    """`(已由 LibreOffice 转换)` after the file name of a .doc/.wps/.rtf/.odt file, or nothing."""
    return "(已由 LibreOffice 转换) " if "converted_from" in result.source.meta else ""


def _render(w: _Writer, run: Run) -> None:
    for result, score in run.results:
        if run.verbose:
            for s in result.doc.stripped:
                w.line("dim", (_plain(term(f"{result.path}:{s.line}: 已去除页面内容({s.reason}):{s.text[:60]}")), None))
            for note in result.source.notes:
                w.line("yellow", (_plain(term(f"{result.path}: {note}")), None))
        if run.quiet:
            w.line("", (_plain(f"{term(result.path)}: "), None), (_plain(f"{score.value} {score.grade}"), "bold"), (f"  ({len(result.findings)} 条问题)", None))
            continue
        for f in result.findings:
            _finding(w, result, f, run.show_source, run.lang)
        w.line("bold", (_plain(f"── {term(result.path)} {converted_label(result)}"), None), (f"({len(result.findings)} 条问题)", "dim"))
        _elements(w, result)
        if (label := ocr_label(result)) is not None:
            w.line("dim", (_plain(label), None))
        w.out.append("\n")
        _score(w, result, score)
    if run.verbose:
        for path, (inline, per_file) in run.extra.get("suppressed", {}).items():
            w.line("dim", (_plain(f"{term(path)}: 已忽略 {inline + per_file} 条问题(行内 fzlint 指令 {inline} 条,per-file-ignores {per_file} 条)"), None))
    if run.statistics:
        counts: dict[str, int] = {}
        for r, _s in run.results:
            for f in r.findings:
                counts[f.code] = counts.get(f.code, 0) + 1
        for code, n in sorted(counts.items(), key=lambda t: (-t[1], t[0])):
            rule = run.ruleset.rule(code)
            w.line("", (_plain(f"{n:5d}  {code:6s} {rule.name if rule else ''}", markup=True), None))  # rich parsed markup here
    if len(run.results) > 1 and not run.quiet:
        total = sum(len(r.findings) for r, _ in run.results)
        w.line("bold", (f"共检查 {len(run.results)} 个文件,发现 {total} 条问题。", None))


def render_run(run: Run, stream: IO[str]) -> None:
    try:
        w = _Writer(stream, run.color)
        _render(w, run)
    except Unsupported:
        from fzlint.render import rich_text

        rich_text.render_run(run, stream)
        return
    stream.write("".join(w.out))

