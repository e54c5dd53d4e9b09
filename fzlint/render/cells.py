"""Terminal cell widths (CJK characters take two columns), computed exactly as rich computes them.

The text renderer lays out its output by hand instead of importing rich (importing rich and
rendering through it cost ~70 ms of a ~200 ms run), so it needs rich's notion of width: the same
table (`_cell_table.py`, generated from rich's latest Unicode table) and the same grapheme rules
for cropping and folding. Strings with a zero-width joiner or variation selector 16 (emoji
sequences) are not handled here: the renderer hands such output to rich (`Unsupported`).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

from fzlint.render._cell_table import WIDTHS

_STARTS = [start for start, _end, _w in WIDTHS]
_LAST = WIDTHS[-1][1]
# rich's fast path: these characters are one cell wide
_SINGLE = frozenset(
    chr(c) for lo, hi in ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2500, 0x25FC), (0x2800, 0x28FF)) for c in range(lo, hi + 1)
)
_is_single = _SINGLE.issuperset


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    code = ord(ch)
    if code and code < 32 or 0x7F <= code < 0xA0:
        return 0
    if code > _LAST:
        return 1
    i = bisect_right(_STARTS, code) - 1
    if i >= 0:
        start, end, width = WIDTHS[i]
        if start <= code <= end:
            return width
    return 1


def cell_len(text: str) -> int:
    if _is_single(text):
        return len(text)
    return sum(map(char_width, text))


def graphemes(text: str) -> list[tuple[int, int, int]]:
    """(start, end, cells) per character; zero-width characters join the one before (rich's
    split_graphemes without the ZWJ / VS16 cases, which callers exclude)."""
    spans: list[tuple[int, int, int]] = []
    for i, ch in enumerate(text):
        w = char_width(ch)
        if w or not spans:
            spans.append((i, i + 1, w))
        else:
            start, _end, cells = spans[-1]
            spans[-1] = (start, i + 1, cells)
    return spans


def set_cell_size(text: str, total: int) -> str:
    """Crop or pad `text` with spaces to exactly `total` cells (a cut double-width character
    becomes a space), as rich.cells.set_cell_size."""
    if _is_single(text):
        size = len(text)
        return text + " " * (total - size) if size < total else text[:total]
    if total <= 0:
        return ""
    size = cell_len(text)
    if size == total:
        return text
    if size < total:
        return text + " " * (total - size)
    spans = graphemes(text)
    offset = int((total / size) * len(spans))
    left = sum(s[2] for s in spans[:offset])
    while True:
        if left == total:
            return text if offset >= len(spans) else text[: spans[offset][0]]
        if left < total:
            start, _end, cells = spans[offset]
            if left + cells > total:
                return text[:start] + " "
            offset += 1
            left += cells
        else:
            start, _end, cells = spans[offset - 1]
            if left - cells < total:
                return text[:start] + " "
            offset -= 1
            left -= cells


def chop_cells(text: str, width: int) -> list[str]:
    """Fold `text` into pieces of at most `width` cells (rich.cells.chop_cells)."""
    if _is_single(text):
        return [text[i : i + width] for i in range(0, len(text), width)]
    lines: list[str] = []
    size = 0
    offset = 0
    for start, _end, cells in graphemes(text):
        if size + cells > width:
            lines.append(text[offset:start])
            offset = start
            size = 0
        size += cells
    if size:
        lines.append(text[offset:])
    return lines
