"""OFD reader (GB/T 33190-2016, the national format for electronic official documents).

An OFD file is a zip package of XML: `OFD.xml` names the document (`DocBody/DocRoot`),
`Document.xml` lists the pages (`Pages/Page BaseLoc`), the default page box
(`CommonData/PageArea`) and the page templates (`CommonData/TemplatePage`); each page's
`Content.xml` holds layers of `TextObject`s (`Boundary`, `CTM`, `Size`) whose `TextCode`s give
the text with the position of the first character (`X`, `Y`: the baseline, in the object's
space, millimetres, y downward) and the advance to each next one (`DeltaX`, `DeltaY`; `g N d`
means N advances of d).

The reader places every character on the page, groups characters into runs and runs into rows
(one baseline, left to right), then hands the rows to the PDF reader's steps: page numbers and
running headers at the top and bottom of pages are removed, and lines the page width broke are
joined into paragraphs (indentation, short lines, line spacing). `Source.text` has one paragraph
per line, as for PDFs. Text of page templates is read too (a template repeated on every page is
a running header or footer and goes); annotations, signatures and seals (images) are not text.

Element names are matched without their namespace: producers differ (the standard's
`http://www.ofdspec.org/2016`, others, none). Everything is bounded: the zip (ziplimits.py: the
size and ratio of each part read and their total, as for .docx), each XML part (no DTD, no
entities, no network), pages, text objects per page, characters, the depth of nested blocks; page and template references are followed once each (no cycles).
"""

from __future__ import annotations

import math
import posixpath
import statistics
from dataclasses import dataclass
from typing import Any

from fzlint.errors import InputError
from fzlint.ingest import limits
from fzlint.ingest.source import Source
from fzlint.patterns import lazy_re

MAX_OBJECTS = 200_000  # text objects in the document
MAX_CHARS = 4_000_000  # characters in the document
MAX_DEPTH = 64  # nested page blocks
DEFAULT_SIZE = 3.5  # mm, when a text object gives no size (about 10 pt)

_WHAT = "OFD 文件"
_LABEL = (_WHAT, "The OFD file")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2018-\u201d\u2026\u2014"
_SPACE_BY_CJK = lazy_re(rf"(?<=[{_CJK}])[ \u00a0]+|[ \u00a0]+(?=[{_CJK}])")
_NUMBER = lazy_re(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Any, name: str) -> Any | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c.tag) == name]


def _floats(text: str | None, n: int) -> list[float] | None:
    """The first n numbers of an attribute (`ST_Array`, `ST_Box`), or None when it has fewer."""
    if not text:
        return None
    parts = text.split()
    if len(parts) < n:
        parts = _NUMBER.findall(text)  # odd separators (commas)
        if len(parts) < n:
            return None
    try:
        out = [float(v) for v in parts[:n]]
    except ValueError:
        return None
    return out if all(map(math.isfinite, out)) else None


def deltas(text: str | None, needed: int) -> list[float]:
    """The first *needed* advances of a DeltaX/DeltaY list; `g N d` stands for N times d. A list
    shorter than needed stays short (the caller estimates the rest); a huge N costs nothing."""
    out: list[float] = []
    if not text or needed <= 0:
        return out
    tokens = text.split()
    i = 0
    while i < len(tokens) and len(out) < needed:
        tok = tokens[i]
        if tok == "g" and i + 2 < len(tokens):
            try:
                count, value = int(float(tokens[i + 1])), float(tokens[i + 2])
            except ValueError:
                break
            if not math.isfinite(value):
                break
            out.extend([value] * max(0, min(count, needed - len(out))))
            i += 3
            continue
        try:
            value = float(tok)
        except ValueError:
            break
        if not math.isfinite(value):
            break
        out.append(value)
        i += 1
    return out


@dataclass(slots=True)
class Run:
    """Characters of one TextCode on one baseline: page coordinates in mm, y downward."""

    text: str
    x0: float
    x1: float
    baseline: float
    size: float


# ---- the package ------------------------------------------------------------------------------
class _Package:
    def __init__(self, data: bytes, path: str) -> None:
        from fzlint.ingest import ziplimits

        self.path = path
        self.zip = ziplimits.BoundedZip(data, path, limits.current(), label=_LABEL)
        self.zf = self.zip.zf
        self.members = {}
        for info in self.zf.infolist():
            name = posixpath.normpath("/" + info.filename.replace("\\", "/")).lstrip("/")
            self.members.setdefault(name, info)
            self.members.setdefault(name.lower(), info)
        self.cache: dict[str, Any] = {}
        from lxml import etree

        self.etree = etree
        self.parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                                      dtd_validation=False, remove_comments=True, remove_pis=True, recover=False)

    def resolve(self, base_dir: str, loc: str | None) -> str | None:
        """A member name from a location in a part in *base_dir* (absolute when it starts with /)."""
        if not loc or not loc.strip():
            return None
        loc = loc.strip().replace("\\", "/")
        joined = loc if loc.startswith("/") else posixpath.join("/", base_dir, loc)
        return posixpath.normpath(joined).lstrip("/")  # normpath of an absolute path never climbs above /

    def has(self, name: str | None) -> bool:
        return name is not None and (name in self.members or name.lower() in self.members)

    def xml(self, name: str) -> Any:
        """The root element of a part (parsed once); InputError when it is damaged or too large."""
        if name in self.cache:
            return self.cache[name]
        info = self.members.get(name) or self.members.get(name.lower())
        if info is None:
            raise KeyError(name)
        data = self.zip.read(info)  # within the part, total and ratio limits (ziplimits)
        if b"<!ENTITY" in data:
            raise InputError(f"{_WHAT}中的 {name} 声明了 XML 实体(OFD 不使用实体),已拒绝读取。",
                             f"{name} in the OFD package declares XML entities; refused.", path=self.path)
        try:
            root = self.etree.fromstring(data, self.parser)
        except self.etree.XMLSyntaxError as exc:
            raise InputError(f"{_WHAT}中的 {name} 不是有效的 XML({exc}),文件可能已损坏。",
                             f"{name} in the OFD package is not valid XML ({exc}): damaged?", path=self.path) from None
        self.cache[name] = root
        return root


# ---- text objects to runs ---------------------------------------------------------------------------
class _Budget:
    def __init__(self, path: str) -> None:
        self.objects = 0
        self.chars = 0
        self.path = path

    def spend(self, chars: int) -> None:
        self.objects += 1
        self.chars += chars
        if self.objects > MAX_OBJECTS or self.chars > MAX_CHARS:
            raise InputError(f"{_WHAT}中的文字对象过多(超过 {MAX_OBJECTS} 个或 {MAX_CHARS} 个字符),已拒绝读取。",
                             "The OFD file holds too many text objects or characters; refused.", path=self.path)


def _text_runs(obj: Any, out: list[Run], budget: _Budget) -> None:
    at = obj.attrib
    if at.get("Visible", "true").strip().lower() == "false":
        return
    bx, by = (_floats(at.get("Boundary"), 4) or [0.0, 0.0, 0.0, 0.0])[:2]
    ctm = at.get("CTM")
    a, b, c, d, e, f = (_floats(ctm, 6) if ctm else None) or [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    scale = math.sqrt(abs(a * d - b * c)) or 1.0
    raw_size = (_floats(at.get("Size") or at.get("size"), 1) or [DEFAULT_SIZE])[0]
    size = abs(raw_size) * scale or DEFAULT_SIZE
    x = y = 0.0
    for code in obj:
        if _local(code.tag) != "TextCode":
            continue
        text = code.text or "" if not len(code) else "".join(code.itertext())
        budget.spend(len(text))
        if not text:
            continue
        cat = code.attrib
        pos = _floats(cat.get("X"), 1)
        x = pos[0] if pos else x
        pos = _floats(cat.get("Y"), 1)
        y = pos[0] if pos else y
        if len(text) == 1:  # one character a TextCode: no advances to read
            if not text.isspace():
                px, py = bx + a * x + c * y + e, by + b * x + d * y + f
                out.append(Run(text, px, px + (size if ord(text) > 0x2E7F else size / 2), py, size))
            x += raw_size if ord(text) > 0x2E7F else raw_size / 2
            continue
        dx = deltas(cat.get("DeltaX"), len(text) - 1)
        dy = deltas(cat.get("DeltaY"), len(text) - 1)
        chars: list[tuple[str, float, float]] = []
        cx, cy = x, y
        for i, ch in enumerate(text):
            if i:
                # no advance given: a CJK character is about one em wide, a Latin one half
                cx += dx[i - 1] if i - 1 < len(dx) else (raw_size if ord(text[i - 1]) > 0x2E7F else raw_size / 2)
                cy += dy[i - 1] if i - 1 < len(dy) else 0.0
            chars.append((ch, bx + a * cx + c * cy + e, by + b * cx + d * cy + f))
        x = cx + (raw_size if ord(text[-1]) > 0x2E7F else raw_size / 2)  # a next TextCode without X goes on
        y = cy
        _runs_of(chars, size, out)


def _runs_of(chars: list[tuple[str, float, float]], size: float, out: list[Run]) -> None:
    """Split one TextCode's placed characters where the baseline moves or the pen goes back."""
    start = 0
    for i in range(1, len(chars) + 1):
        if i < len(chars):
            _, px, py = chars[i - 1]
            _, qx, qy = chars[i]
            if abs(qy - py) < 0.3 * size and -0.2 * size < qx - px < 4 * size:
                continue
        piece = chars[start:i]
        text = "".join(ch for ch, _, _ in piece)
        if text.strip():
            last = piece[-1][0]
            width = size if ord(last) > 0x2E7F else size / 2
            out.append(Run(text, piece[0][1], piece[-1][1] + width, piece[0][2], size))
        start = i


def _walk(el: Any, out: list[Run], budget: _Budget, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        return
    for child in el:
        name = _local(child.tag)
        if name == "TextObject":
            _text_runs(child, out, budget)
        elif name in ("Layer", "PageBlock", "Content"):
            _walk(child, out, budget, depth + 1)


# ---- rows, lines, paragraphs --------------------------------------------------------------------------
_ASCII_WORD = lazy_re(r"[A-Za-z0-9]")


def _rows(runs: list[Run]) -> list[tuple[str, float, float, float, float]]:
    """Runs on one baseline joined left to right: (text, x0, x1, baseline, size), top to bottom."""
    rows: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.baseline, r.x0)):
        if rows:
            row = rows[-1]
            ref = row[0]
            if abs(run.baseline - ref.baseline) < 0.35 * min(ref.size, run.size):
                row.append(run)
                continue
        rows.append([run])
    out = []
    for row in rows:
        row.sort(key=lambda r: r.x0)
        text = ""
        prev: Run | None = None
        for run in row:
            piece = run.text
            if prev is not None:
                if run.x0 < prev.x1 - 0.5 * run.size and piece == prev.text:
                    continue  # the same text drawn twice (bold by overprinting)
                gap = run.x0 - prev.x1
                if gap > 0.15 * run.size and text and _ASCII_WORD.match(text[-1]) and _ASCII_WORD.match(piece[0]):
                    text += " "
            text += piece
            prev = run
        text = _SPACE_BY_CJK.sub("", text).strip()
        if text:
            out.append((text, min(r.x0 for r in row), max(r.x1 for r in row), statistics.median(r.baseline for r in row),
                        max(r.size for r in row)))
    return out


def _page_box(el: Any | None) -> list[float] | None:
    if el is None:
        return None
    for area_name in ("Area", "PageArea"):
        area = _child(el, area_name)
        if area is not None:
            box = _floats((_child(area, "PhysicalBox") is not None and _child(area, "PhysicalBox").text) or None, 4)
            if box and box[2] > 0 and box[3] > 0:
                return box
    return None


def read_ofd(data: bytes, path: str) -> Source:
    """Read an OFD file into a Source with one paragraph per line (format 'ofd')."""
    from fzlint.ingest.pdf import Line, join_paragraphs, strip_furniture

    if not data.startswith(b"PK"):
        raise InputError(
            "不是有效的 OFD 文件(文件头不是 ZIP),文件可能已损坏或扩展名有误。",
            "Not a valid OFD file (not a ZIP package): damaged or misnamed.",
            path=path,
        )
    pkg = _Package(data, path)
    try:
        src = _read(pkg, path, Line, join_paragraphs, strip_furniture)
    finally:
        pkg.zf.close()
    limits.check_text(src.text, path, unit_zh="段", unit_en="paragraphs")  # as for PDFs
    return src


def _missing(path: str, part: str, en: str) -> InputError:
    return InputError(f"OFD 文件不完整:缺少{part},无法读取。文件可能已损坏,请重新导出或下载。",
                      f"Incomplete OFD file: {en} is missing.", path=path)


def _read(pkg: _Package, path: str, Line: Any, join_paragraphs: Any, strip_furniture: Any) -> Source:
    entry = next((n for n in ("OFD.xml", "ofd.xml") if pkg.has(n)), None)
    if entry is None:
        raise _missing(path, "入口文件 OFD.xml", "OFD.xml")
    root = pkg.xml(entry)
    doc_root = None
    for body in _children(root, "DocBody"):
        loc = _child(body, "DocRoot")
        doc_root = pkg.resolve("", loc.text if loc is not None else None)
        if doc_root:
            break
    if not doc_root or not pkg.has(doc_root):
        raise _missing(path, f"文档根文件 {doc_root or 'DocRoot'}", doc_root or "DocRoot")
    doc = pkg.xml(doc_root)
    doc_dir = posixpath.dirname(doc_root)
    common = _child(doc, "CommonData")
    default_box = _page_box(common) if common is not None else None
    templates: dict[str, str] = {}
    if common is not None:
        for tpl in _children(common, "TemplatePage"):
            loc = pkg.resolve(doc_dir, tpl.get("BaseLoc"))
            if tpl.get("ID") and loc:
                templates[tpl.get("ID", "")] = loc
    pages_el = _child(doc, "Pages")
    page_refs = _children(pages_el, "Page") if pages_el is not None else []
    if not page_refs:
        raise _missing(path, "页面列表(Pages)", "the page list")
    lim = limits.current()
    if len(page_refs) > lim.max_pages:  # the same limit as for PDFs (ingest/limits.py)
        n = len(page_refs)
        raise limits.exceeded("max_pages", f"{n:,} 页", f"{n:,} pages", lim.max_pages, path)
    budget = _Budget(path)
    page_runs: list[list[Run]] = []
    boxes: list[list[float] | None] = []
    missing_pages: list[int] = []
    for n, ref in enumerate(page_refs, 1):
        loc = pkg.resolve(doc_dir, ref.get("BaseLoc"))
        if not pkg.has(loc):
            missing_pages.append(n)
            page_runs.append([])
            boxes.append(None)
            continue
        assert loc is not None
        page = pkg.xml(loc)
        runs: list[Run] = []
        seen = {loc}
        _page_templates(pkg, page, templates, seen, runs, budget)
        content = _child(page, "Content")
        if content is not None:
            _walk(content, runs, budget)
        page_runs.append(runs)
        boxes.append(_page_box(page) or (_page_box(content) if content is not None else None) or default_box)
    return _to_source(page_runs, boxes, missing_pages, path, Line, join_paragraphs, strip_furniture)


def _page_templates(pkg: _Package, page: Any, templates: dict[str, str], seen: set[str], runs: list[Run], budget: _Budget) -> None:
    """Text of the templates a page (or a template) uses; each part at most once per page."""
    for ref in _children(page, "Template"):
        loc = templates.get(ref.get("TemplateID", ""))
        if not loc or loc in seen or not pkg.has(loc):
            continue  # unknown, missing, or a cycle (a template using itself or the page)
        seen.add(loc)
        tpl = pkg.xml(loc)
        _page_templates(pkg, tpl, templates, seen, runs, budget)
        content = _child(tpl, "Content")
        if content is not None:
            _walk(content, runs, budget)


def _to_source(page_runs: list[list[Run]], boxes: list[list[float] | None], missing_pages: list[int], path: str,
               Line: Any, join_paragraphs: Any, strip_furniture: Any) -> Source:
    all_runs = [r for runs in page_runs for r in runs]
    chars = sum(len(r.text.replace(" ", "")) for r in all_runs)
    empty = [n for n, runs in enumerate(page_runs, 1) if not runs]
    if chars < 10 * max(1, len(page_runs)) and len(empty) >= max(1, len(page_runs) // 2):
        raise InputError(
            "这个 OFD 文件没有文字层(可能是扫描件,或文字已被转成图片、图形),fzlint 无法读取其中的文字。"
            "请先用 OCR(文字识别)转换,或检查它的 Word 原件。",
            "This OFD file has no text layer (a scan, or text turned into images or outlines), so there is "
            "nothing to check. Run OCR first, or lint the Word original.",
            path=path,
        )
    # Page height for the header/footer zones: the page box, unless the text does not fit it the
    # way text fits a page (some producers write the box in other units than the text).
    top_text = min(r.baseline - r.size for r in all_runs)
    bottom_text = max(r.baseline for r in all_runs)
    pages: list[list[Any]] = []
    heights: list[float] = []
    for p, (runs, box) in enumerate(zip(page_runs, boxes)):
        h = box[3] if box else 0.0
        if not h or bottom_text > h or bottom_text - top_text < 0.4 * h:
            h = bottom_text + max(0.0, top_text)  # margins as wide at the bottom as at the top
        lines = []
        for text, x0, x1, base, size in _rows(runs):
            # the PDF reader's coordinates: y upward from the bottom of the page
            lines.append(Line(p, text, x0, x1, h - base + 0.88 * size, h - base - 0.12 * size, size))
        pages.append(lines)
        heights.append(h)
    kept, removed = strip_furniture(pages, heights)
    starts: list[int] = []
    paragraphs = join_paragraphs([ln for lines in kept for ln in lines], starts)
    src = Source(path=path, text="\n".join(paragraphs), format="ofd", encoding="ofd")
    src.meta["page_of_line"] = ",".join(map(str, starts))  # the page of each line (paragraph)
    src.meta["ofd_pages"] = str(len(page_runs))
    if removed:
        src.meta["ofd_furniture_removed"] = str(len(removed))
    if missing_pages:
        shown = "、".join(map(str, missing_pages[:10])) + ("等" if len(missing_pages) > 10 else "")
        src.notes.append(f"OFD 第 {shown} 页的内容文件缺失,这些页未被检查")
    blank = [n for n in empty if n not in missing_pages]
    if blank:
        shown = "、".join(map(str, blank[:10])) + ("等" if len(blank) > 10 else "")
        src.notes.append(f"OFD 第 {shown} 页没有文字(可能是扫描页或图片),这些页未被检查")
    return src
