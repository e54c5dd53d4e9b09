"""PDF reader (text layer via pypdfium2): the report's paragraphs, one per line of `Source.text`.

A PDF holds positioned glyphs, not paragraphs. The reader groups glyphs into lines, drops the
running headers, footers and page numbers (`- 3 -`, `第 3 页`, `3/10`, a lone number) at the top
and bottom of pages, and joins lines that the page width broke back into paragraphs by their
geometry: a line that runs to the right margin continues on the next line when that one starts at
the left margin (across a page break too); an indented line, a line after a short one, a larger
vertical gap, a change of font size, or a centred line starts a new paragraph. A PDF without a
text layer (a scan) is refused with a message saying it needs OCR first.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from fzlint.errors import InputError
from fzlint.ingest.source import Source
from fzlint.patterns import lazy_re

_PAGE_NUMBER = lazy_re(
    r"^(?:[-—–－_~·\s]*\d{1,4}[-—–－_~·\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/、]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    re.IGNORECASE,
)
# A heading marker at the start of a line: never the continuation of the previous sentence.
_HEADING_START = lazy_re(r"^([一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.．](?!\d)|[(（]\d{1,2}[)）])")
_SENTENCE_END = "。！？!?；;：:"
_ASCII_WORD = lazy_re(r"[A-Za-z0-9]")
_CJK = lazy_re(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d\u2026]")
FURNITURE_ZONE = 0.14  # top and bottom share of the page where headers and footers live


@dataclass(slots=True)
class Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float  # PDF coordinates: y grows upward
    bottom: float
    size: float
    pieces: list[tuple[float, str]] = field(default_factory=list)

    @property
    def height(self) -> float:
        return max(0.1, self.top - self.bottom)


def _keep_space(prev: str, nxt: str) -> bool:
    """A space pdfium inferred from a gap: kept between Latin words, dropped next to Chinese."""
    return bool(prev and nxt and _ASCII_WORD.match(prev[-1]) and _ASCII_WORD.match(nxt[0]))


def _segments(textpage: Any, raw: Any, page_no: int) -> list[Line]:
    """Runs of characters on one baseline, as pdfium delimits them (content order)."""
    n = textpage.count_chars()
    out: list[Line] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []
    sizes: list[float] = []
    pending_space = False

    def flush() -> None:
        nonlocal pending_space
        pending_space = False
        text = "".join(chars).strip()
        if text and boxes:
            ink = [b for b, c in zip(boxes, chars) if not c.isspace()] or boxes
            out.append(
                Line(page_no, text, min(b[0] for b in ink), max(b[2] for b in ink), max(b[3] for b in ink),
                     min(b[1] for b in ink), statistics.median(sizes) if sizes else 0.0)
            )
        chars.clear()
        boxes.clear()
        sizes.clear()

    i = 0
    while i < n:
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        generated = raw.FPDFText_IsGenerated(textpage.raw, i) == 1
        if 0xD800 <= code < 0xDC00 and i + 1 < n:  # surrogate pair: one character
            low = raw.FPDFText_GetUnicode(textpage.raw, i + 1)
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            i += 1
        i += 1
        ch = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else ""
        if ch in ("\r", "\n"):
            if ch == "\n" or not generated:
                flush()
            continue
        if generated and ch == " ":
            pending_space = True
            continue
        # "\x02" is pdfium's mark for a hyphen at a line end: kept, resolved when lines are joined
        if ch != "\x02" and (not ch or ch in "\ufffe\uffff" or (ord(ch) < 0x20 and ch != "\t")):
            continue
        if pending_space and chars and _keep_space("".join(chars), ch):
            chars.append(" ")
            boxes.append(boxes[-1])
            sizes.append(sizes[-1])
        pending_space = False
        box = textpage.get_charbox(i - 1, loose=True)
        chars.append(" " if ch == "\t" else ch)
        boxes.append(box)
        sizes.append(raw.FPDFText_GetFontSize(textpage.raw, i - 1))
    flush()
    return out


def _merge_rows(segments: list[Line]) -> list[Line]:
    """Order a page's segments top to bottom and merge those on one row (left to right)."""
    rows: list[Line] = []
    for seg in sorted(segments, key=lambda s: -s.top):
        row = rows[-1] if rows else None
        if row is not None:
            overlap = min(row.top, seg.top) - max(row.bottom, seg.bottom)
            if overlap > 0.5 * min(row.height, seg.height):
                row.pieces.append((seg.x0, seg.text))
                row.x0, row.x1 = min(row.x0, seg.x0), max(row.x1, seg.x1)
                row.top, row.bottom = max(row.top, seg.top), min(row.bottom, seg.bottom)
                row.size = max(row.size, seg.size)
                continue
        seg.pieces = [(seg.x0, seg.text)]
        rows.append(seg)
    for row in rows:
        parts = [t for _, t in sorted(row.pieces)]
        text = parts[0]
        for t in parts[1:]:
            text += (" " if _keep_space(text, t) else "") + t
        row.text = text
    return rows


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def strip_furniture(pages: list[list[Line]], heights: list[float]) -> tuple[list[list[Line]], list[str]]:
    """Remove page numbers and running headers/footers from the top and bottom of each page."""
    removed: list[str] = []
    edge: dict[tuple[str, str], set[int]] = {}

    def edge_lines(lines: list[Line], h: float) -> list[tuple[str, Line]]:
        out = []
        for ln in lines[:2]:
            if ln.bottom > h * (1 - FURNITURE_ZONE):
                out.append(("top", ln))
        for ln in lines[-2:]:
            if ln.top < h * FURNITURE_ZONE:
                out.append(("bottom", ln))
        return out

    for p, (lines, h) in enumerate(zip(pages, heights)):
        for zone, ln in edge_lines(lines, h):
            key = _furniture_key(ln.text)
            if len(key) <= 40:
                edge.setdefault((zone, key), set()).add(p)
    # Text repeated at the same edge of several pages is a running header or footer.
    min_pages = 2 if len(pages) <= 3 else max(2, len(pages) // 2)
    kept_pages: list[list[Line]] = []
    for p, (lines, h) in enumerate(zip(pages, heights)):
        drop: set[int] = set()
        for zone, ln in edge_lines(lines, h):
            repeated = len(edge.get((zone, _furniture_key(ln.text)), ())) >= min_pages
            if _PAGE_NUMBER.match(ln.text.strip()) or (len(pages) > 1 and repeated):
                drop.add(id(ln))
                removed.append(ln.text)
        kept_pages.append([ln for ln in lines if id(ln) not in drop])
    return kept_pages, removed


def _percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def join_paragraphs(lines: list[Line], pages: list[int] | None = None) -> list[str]:
    """Join lines broken by the page width back into paragraphs (see the module docstring).
    `pages`, when given, receives the 1-based page on which each paragraph starts."""
    if not lines:
        return []
    body_size = statistics.median([ln.size for ln in lines if ln.size > 0] or [12.0])
    body = [ln for ln in lines if abs(ln.size - body_size) <= 0.15 * body_size] or lines
    left = _percentile([ln.x0 for ln in body], 0.1)
    right = _percentile([ln.x1 for ln in body], 0.9)
    pitches = [a.bottom - b.bottom for a, b in pairwise(body) if a.page == b.page and 0 < a.bottom - b.bottom < 4 * body_size]
    pitch = statistics.median(pitches) if pitches else 1.5 * body_size
    width = max(1.0, right - left)

    def centred(ln: Line) -> bool:
        return ln.x0 > left + ln.size and abs((ln.x0 - left) - (right - ln.x1)) < max(ln.size, 0.04 * width)

    def continues(a: Line, b: Line) -> bool:
        if abs(a.size - b.size) > 0.15 * max(a.size, b.size):
            return False  # a title or a heading in another size
        if a.page == b.page and a.bottom - b.bottom > 1.6 * pitch:
            return False  # paragraph spacing
        if b.x0 > left + 0.5 * b.size:
            if centred(a) and centred(b) and a.x1 - a.x0 > 0.8 * width:
                return True  # a long centred title wrapped onto a second line
            return False  # indented (first line) or centred or right-aligned
        if a.x1 < right - 1.5 * a.size or centred(a):
            return False  # the previous line stopped short: its paragraph ended
        if a.text[-1] in _SENTENCE_END and _HEADING_START.match(b.text):
            return False
        return True

    paragraphs: list[str] = []
    cur = lines[0].text
    if pages is not None:
        pages.append(lines[0].page + 1)
    for a, b in pairwise(lines):
        if continues(a, b):
            if cur.endswith("\x02"):
                cur = cur[:-1]  # a hyphenated word split at the line end
            elif _keep_space(cur, b.text):
                cur += " "
            cur += b.text
        else:
            paragraphs.append(cur.replace("\x02", "-"))
            cur = b.text
            if pages is not None:
                pages.append(b.page + 1)
    paragraphs.append(cur.replace("\x02", "-"))
    return paragraphs


def _open(data: bytes, path: str) -> Any:
    import pypdfium2 as pdfium  # imported here so plain-text runs never load pdfium

    if b"%PDF" not in data[:1024]:
        raise InputError(
            "不是有效的 PDF 文件(缺少 %PDF 文件头),文件可能已损坏或扩展名有误。",
            "Not a valid PDF file (no %PDF header): damaged or misnamed.",
            path=path,
        )
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4 or "password" in str(exc).lower():
            raise InputError(
                "PDF 文件已加密(需要密码才能打开)。请提供未加密的版本,或用 PDF 阅读器去除打开密码后再检查。",
                "The PDF is encrypted (needs a password to open); provide an unencrypted copy.",
                path=path,
            ) from None
        raise InputError(
            f"PDF 文件已损坏或不完整,无法读取({exc})。请重新导出或重新下载后再检查。",
            f"The PDF is damaged or truncated and cannot be read ({exc}); export or download it again.",
            path=path,
        ) from None


def read_pdf(data: bytes, path: str) -> Source:
    """Read a PDF's text layer into a Source with one paragraph per line (format 'pdf')."""
    from pypdfium2 import raw

    pdf = _open(data, path)
    try:
        pages: list[list[Line]] = []
        heights: list[float] = []
        empty_pages: list[int] = []
        for p in range(len(pdf)):
            page = pdf[p]
            textpage = page.get_textpage()
            rows = _merge_rows(_segments(textpage, raw, p))
            if not rows:
                empty_pages.append(p + 1)
            pages.append(rows)
            heights.append(page.get_height())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    chars = sum(len(ln.text.replace(" ", "")) for lines in pages for ln in lines)
    if chars < 10 * max(1, len(pages)) and len(empty_pages) >= max(1, len(pages) // 2):
        raise InputError(
            "这个 PDF 没有文字层(可能是扫描件或图片),fzlint 无法读取其中的文字。请先用 OCR(文字识别)"
            "转换为可选中文字的 PDF 或 Word 文档,例如:ocrmypdf -l chi_sim 输入.pdf 输出.pdf",
            "This PDF has no text layer (a scan or images only), so there is no text to check. Run OCR "
            "first, e.g. ocrmypdf -l chi_sim in.pdf out.pdf, or lint the Word original.",
            path=path,
        )
    kept, removed = strip_furniture(pages, heights)
    starts: list[int] = []
    paragraphs = join_paragraphs([ln for lines in kept for ln in lines], starts)
    src = Source(path=path, text="\n".join(paragraphs), format="pdf", encoding="pdf")
    src.meta["page_of_line"] = ",".join(map(str, starts))
    if removed:
        src.meta["pdf_furniture_removed"] = str(len(removed))
    if empty_pages:
        shown = "、".join(map(str, empty_pages[:10])) + ("等" if len(empty_pages) > 10 else "")
        src.notes.append(f"PDF 第 {shown} 页没有文字层(可能是扫描页),这些页未被检查")
    return src
