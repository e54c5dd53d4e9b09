"""PDF reader (text layer via pypdfium2): the report's paragraphs, one per line of `Source.text`.

A PDF holds positioned glyphs, not paragraphs. The reader groups glyphs into lines, drops the
running headers, footers and page numbers (`- 3 -`, `第 3 页`, `3/10`, a lone number) at the top
and bottom of pages, and joins lines that the page width broke back into paragraphs by their
geometry: a line that runs to the right margin continues on the next line when that one starts at
the left margin (across a page break too); an indented line, a line after a short one, a larger
vertical gap, a change of font size, or a centred line starts a new paragraph. Pages without a
text layer (a scan) are read by OCR (ingest/ocr.py, the extra fzlint[ocr]); without the extra a
scanned PDF is refused with a message naming it.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from fzlint.errors import InputError
from fzlint.ingest import limits, sandbox
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

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == 4 or "password" in str(exc).lower():
            raise InputError(
                "PDF 文件已加密(需要密码才能打开)。请提供未加密的版本,或用 PDF 阅读器去除打开密码后再检查。",
                "The PDF is encrypted (needs a password to open); provide an unencrypted copy.",
                path=path,
            ) from None
        raise _damaged(exc, path) from None


def _ocr_extra() -> str:
    from fzlint.ingest.ocr import EXTRA

    return EXTRA


def _damaged(exc: Exception, path: str) -> InputError:
    return InputError(
        f"PDF 文件已损坏或不完整,无法读取({exc})。请重新导出或重新下载后再检查。",
        f"The PDF is damaged or truncated and cannot be read ({exc}); export or download it again.",
        path=path,
    )


def _extract(data: bytes, path: str, lim: limits.Limits) -> tuple[str, dict[str, str], list[str], Any]:
    """The reading itself (run in a child process by read_pdf): text, meta and notes, or the text
    layer's lines for OCR of the pages without one (ingest/ocr.py, done by the parent)."""
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    pdf = _open(data, path)
    try:
        n_pages = len(pdf)
        if n_pages > lim.max_pages:
            raise limits.exceeded("max_pages", f"{n_pages:,} 页", f"{n_pages:,} pages", lim.max_pages, path)
        pages: list[list[Line]] = []
        heights: list[float] = []
        empty_pages: list[int] = []
        chars = 0
        for p in range(n_pages):
            try:
                page = pdf[p]
            except pdfium.PdfiumError as exc:
                # a page tree that loops or points nowhere
                raise InputError(
                    f"PDF 的页面结构损坏:第 {p + 1} 页无法载入({exc})。请用 PDF 阅读器另存或重新导出后再检查。",
                    f"The PDF's page tree is broken: page {p + 1} cannot be loaded ({exc}); save or export it again.",
                    path=path,
                ) from None
            try:
                textpage = page.get_textpage()
                try:
                    rows = _merge_rows(_segments(textpage, raw, p))
                finally:
                    textpage.close()
                heights.append(page.get_height())
            except pdfium.PdfiumError as exc:
                raise _damaged(exc, path) from None
            finally:
                page.close()
            if not rows:
                empty_pages.append(p + 1)
            pages.append(rows)
            chars += sum(len(ln.text) for ln in rows)
            if chars > lim.max_chars:
                raise limits.exceeded("max_chars", f"前 {p + 1} 页已有 {chars:,} 个字符", f"{chars:,} characters in the first {p + 1} pages", lim.max_chars, path)
    finally:
        pdf.close()
    chars = sum(len(ln.text.replace(" ", "")) for lines in pages for ln in lines)
    scanned = chars < 10 * max(1, len(pages)) and len(empty_pages) >= max(1, len(pages) // 2)
    if empty_pages:
        from fzlint.ingest import ocr  # pages without a text layer: OCR (the extra fzlint[ocr])

        if ocr.available():  # OCR runs in the parent (tesseract is its own process, with its own limits)
            return "", {}, [], (pages, heights, [p - 1 for p in empty_pages])
        if scanned:
            raise ocr.missing_extra(path, "这个 PDF 没有文字层(是扫描件或图片)", "This PDF has no text layer (a scan)")
    kept, removed = strip_furniture(pages, heights)
    starts: list[int] = []
    paragraphs = join_paragraphs([ln for lines in kept for ln in lines], starts)
    if len(paragraphs) > lim.max_paragraphs:
        n = len(paragraphs)
        raise limits.exceeded("max_paragraphs", f"{n:,} 段", f"{n:,} paragraphs", lim.max_paragraphs, path)
    meta: dict[str, str] = {"page_of_line": ",".join(map(str, starts))}
    notes: list[str] = []
    if removed:
        meta["pdf_furniture_removed"] = str(len(removed))
    if empty_pages:
        shown = "、".join(map(str, empty_pages[:10])) + ("等" if len(empty_pages) > 10 else "")
        notes.append(f"PDF 第 {shown} 页没有文字层(可能是扫描页),这些页未被检查;安装 OCR 扩展({_ocr_extra()})后可识别")
    return "\n".join(paragraphs), meta, notes, None


def _child_failed(exc: sandbox.ChildFailed, path: str, lim: limits.Limits) -> InputError:
    """The message for a PDF whose reading ran out of time or memory, or crashed pdfium."""
    mem = f"{lim.pdf_memory_mb:,g} MB"
    if exc.kind == "timeout":
        return InputError(
            f"读取 PDF 超时:{lim.pdf_seconds:,g} 秒内未能读完(上限 {lim.pdf_seconds:,g} 秒)。PDF 可能含有异常复杂或"
            "异常构造的页面内容;确需检查时可设置环境变量 FZLINT_PDF_SECONDS 提高上限。",
            f"Reading the PDF timed out after {lim.pdf_seconds:,g} s (the limit). It may hold abnormally complex or "
            "crafted page content; to lint it anyway, raise the limit with FZLINT_PDF_SECONDS.",
            path=path,
        )
    if exc.kind == "memory":
        return InputError(
            f"读取 PDF 所需内存超过上限 {mem},PDF 可能含有解压后极大的页面内容;确需检查时可设置环境变量 "
            "FZLINT_PDF_MEMORY_MB 提高上限。",
            f"Reading the PDF needs more memory than the limit ({mem}); its page content may inflate to "
            "gigabytes. To lint it anyway, raise the limit with FZLINT_PDF_MEMORY_MB.",
            path=path,
        )
    if exc.detail.startswith("SIG"):
        return InputError(
            f"PDF 读取库(pdfium)读取本文件时异常终止({exc.detail}),常见原因是页面内容解压后超过内存上限 {mem},"
            "或文件已损坏。其他文件不受影响;确需检查时可设置环境变量 FZLINT_PDF_MEMORY_MB 提高上限,"
            "或用 PDF 阅读器另存后再检查。",
            f"The PDF library (pdfium) died reading this file ({exc.detail}), usually because the page content "
            f"inflates past the memory limit ({mem}) or the file is damaged. Other files are not affected; "
            "raise the limit with FZLINT_PDF_MEMORY_MB, or save the PDF again from a reader.",
            path=path,
        )
    return _damaged(Exception(exc.detail or exc.kind), path)


def read_pdf(data: bytes, path: str, lim: limits.Limits | None = None) -> Source:
    """Read a PDF's text layer into a Source with one paragraph per line (format 'pdf').

    pdfium runs in a child process (`sandbox.run_limited`) capped in memory and time, so that a
    crafted file (a content stream that inflates to gigabytes, a page that never ends) is that
    file's error message instead of a hang or a crash of the whole run."""
    if b"%PDF" not in data[:1024]:
        raise InputError(
            "不是有效的 PDF 文件(缺少 %PDF 文件头),文件可能已损坏或扩展名有误。",
            "Not a valid PDF file (no %PDF header): damaged or misnamed.",
            path=path,
        )
    import pypdfium2  # noqa: F401 - loaded once here, so that each child starts with it

    lim = lim or limits.current()
    try:
        text, meta, notes, ocr_job = sandbox.run_limited(_extract, data, path, lim, seconds=lim.pdf_seconds,
                                                         memory_mb=lim.pdf_memory_mb)
    except sandbox.ChildFailed as exc:
        raise _child_failed(exc, path, lim) from None
    if ocr_job is not None:
        from fzlint.ingest import ocr

        return ocr.read_pdf_scans(data, path, *ocr_job)
    src = Source(path=path, text=text, format="pdf", encoding="pdf")
    src.meta.update(meta)
    src.notes.extend(notes)
    return src
