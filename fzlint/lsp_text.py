"""Text arithmetic for the editor server (fzlint/lsp.py), without the LSP library.

Positions: fzlint's offsets count code points; an LSP position is a 0-based line and a column in
the negotiated unit (UTF-16 code units unless the client offers UTF-32 or UTF-8). Lines end at
\\r\\n, \\r or \\n, as the LSP specification and `Source` both say (not at U+2028 and the other
breaks `str.splitlines` knows). Edits: the smallest set of (start, end, replacement) spans that
turn one text into another, so that a fix touching a few characters is sent as a few characters.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from fzlint.ingest.source import find_line_starts
from fzlint.patterns import lazy_re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_ASTRAL = lazy_re("[\U00010000-\U0010ffff]")
_SURROGATE = lazy_re("[\ud800-\udfff]")


def clean_surrogates(text: str) -> str:
    """Lone surrogates (a client may send them escaped in JSON) as U+FFFD: same length in code
    points, so every offset stays valid, and the text is valid UTF-8."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


class PositionMap:
    """Offsets into `text` to LSP positions and back, in one position encoding."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.starts = find_line_starts(text)
        self.encoding = encoding
        # UTF-16 counts code points on text without astral characters (almost every report)
        self._plain = encoding == UTF32 or (encoding == UTF16 and _ASTRAL.search(text) is None)

    def _units(self, start: int, end: int) -> int:
        if self._plain:
            return end - start
        piece = self.text[start:end]
        if self.encoding == UTF8:
            return len(piece.encode("utf-8", "surrogatepass"))
        return len(piece) + len(_ASTRAL.findall(piece))

    def line_end(self, line: int) -> int:
        """Offset of the end of a 0-based line, before its line break."""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        while end > self.starts[line] and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of a code-point offset, both 0-based."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        return line, self._units(self.starts[line], offset)

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of an LSP position. A line past the end is the end of the text; a
        character past the end of its line is the end of the line (the specification's rule); a
        position inside a surrogate pair or a UTF-8 sequence is the start of that character."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        if character <= 0:
            return start
        if self._plain:
            return min(start + character, end)
        units = 0
        for i in range(start, end):
            ch = self.text[i]
            step = 1 if ch <= "\uffff" else 2
            if self.encoding == UTF8:
                step = len(ch.encode("utf-8", "surrogatepass"))
            if units + step > character:
                return i
            units += step
        return end


def line_break(text: str, line_starts: list[int], line: int) -> str:
    """The line break to use on a 0-based line: its own, else the text's first one, else \\n."""
    if line + 1 < len(line_starts):
        own = text[line_starts[line] : line_starts[line + 1]]
        return "\r\n" if own.endswith("\r\n") else own[-1]
    m = re.search(r"\r\n|\r|\n", text)
    return m.group(0) if m else "\n"


def edits_between(old: str, new: str, base: int = 0) -> list[tuple[int, int, str]]:
    """Replace `old` (which starts at offset `base` of the document) by `new` in as few characters
    as the lines allow: common prefix and suffix kept, then line by line; each edit is
    (start, end, replacement) in document offsets, in order, never overlapping, and never starting
    or ending between the \r and the \n of a line break (no LSP position lies there)."""
    edits: list[tuple[int, int, str]] = []
    p, s = _common(old, new)
    a, b = old[p : len(old) - s], new[p : len(new) - s]
    if not a and not b:
        return edits
    a_lines, b_lines = a.splitlines(keepends=True), b.splitlines(keepends=True)
    if len(a_lines) <= 1 or len(a_lines) != len(b_lines):
        return [_whole_breaks(old, p, p + len(a), b, base)]
    pos = p
    for la, lb in zip(a_lines, b_lines, strict=True):
        if la != lb:
            lp, ls = _common(la, lb)
            edits.append(_whole_breaks(old, pos + lp, pos + len(la) - ls, lb[lp : len(lb) - ls], base))
        pos += len(la)
    return edits


def _whole_breaks(old: str, start: int, end: int, text: str, base: int) -> tuple[int, int, str]:
    """The edit old[start:end] -> text, widened by a character where it would split a \r\n."""
    if 0 < start < len(old) and old[start - 1] == "\r" and old[start] == "\n":
        start -= 1
        text = "\r" + text
    if 0 < end < len(old) and old[end - 1] == "\r" and old[end] == "\n":
        end += 1
        text += "\n"
    return base + start, base + end, text


def _common(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and the common suffix of a and b (not overlapping)."""
    n = min(len(a), len(b))
    p = 0
    while p < n and a[p] == b[p]:
        p += 1
    s = 0
    while s < n - p and a[len(a) - 1 - s] == b[len(b) - 1 - s]:
        s += 1
    return p, s


def shorten(text: str, limit: int = 12) -> str:
    """Text for a menu title: line breaks shown as ⏎, long text cut with …"""
    shown = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def iter_overlapping(spans: list[tuple[int, int]], start: int, end: int) -> Iterator[int]:
    """Indexes of the spans [s, e) that touch [start, end] (an empty span at a touched offset counts)."""
    for i, (s, e) in enumerate(spans):
        if s <= end and (e >= start if e > s else s >= start):
            yield i
