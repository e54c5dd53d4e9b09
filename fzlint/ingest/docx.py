"""Word (.docx) reader: every paragraph in document order, one per line of `Source.text`.

Line N of the Source is the Nth paragraph of the document body, counting empty paragraphs and the
paragraphs inside table cells (row by row, cell by cell), so a diagnostic's line is the paragraph
number. Headers, footers, footnotes, comments and text boxes are not report text and are skipped.

Word's automatic list numbering keeps the number out of the paragraph text ("一、" is drawn by
Word from numbering.xml). The reader renders that marker the way Word would and puts it in front
of the paragraph text, so a heading numbered by Word reads `一、主要举措` like a typed one. The
synthesized marker is part of the line: columns count it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fzlint.errors import InputError
from fzlint.ingest.source import Source

if TYPE_CHECKING:
    from collections.abc import Iterator

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Containers whose text is not part of the paragraph they sit in.
_SKIP_INSIDE = {W + "txbxContent", W + "del", W + "moveFrom", _MC_FALLBACK, W + "footnoteReference", W + "commentReference"}


# ---- number formats (ST_NumberFormat) --------------------------------------------------------
_CN = "零一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _cn_count(n: int, digits: str = _CN, ten: str = "十", hundred: str = "百") -> str:
    """Chinese counting numerals as Word renders them: 1 一, 10 十, 11 十一, 21 二十一, 101 一百零一."""
    if n <= 0:
        return digits[0]
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n - 10] if n > 10 else "")
    if n < 100:
        t, u = divmod(n, 10)
        return digits[t] + ten + (digits[u] if u else "")
    if n < 1000:
        h, rest = divmod(n, 100)
        if rest == 0:
            return digits[h] + hundred
        tail = _cn_count(rest, digits, ten, hundred)
        if rest < 10:
            return digits[h] + hundred + digits[0] + tail
        if rest < 20:  # 110 一百一十, not 一百十
            tail = digits[1] + tail
        return digits[h] + hundred + tail
    return str(n)


def _roman(n: int) -> str:
    out = []
    for v, s in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _letter(n: int) -> str:
    # Word: a … z, aa … zz, aaa …
    n = max(1, n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str | None:
    """Render a list counter in a Word number format; None for bullets (no marker synthesized)."""
    if fmt in ("bullet",):
        return None
    if fmt == "none":
        return ""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _cn_count(n)
    if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        return _cn_count(n, _LEGAL, "拾", "佰")
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12]
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN[int(d)] for d in str(n)).replace("零", "〇")
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 1 <= n <= 20:
        return chr(0x2488 + n - 1)
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)  # decimal and every format not drawn differently here


# ---- numbering definitions -------------------------------------------------------------------
@dataclass(slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # lvlRestart: 0 never, n after level n (1-based) is used
    legal: bool = False  # isLgl: show every level's number as decimal
    style: str | None = None  # pStyle linked to this level


@dataclass(slots=True)
class ListDef:
    levels: dict[int, Level] = field(default_factory=dict)


@dataclass(slots=True)
class Num:
    abstract: str
    overrides: dict[int, Level] = field(default_factory=dict)
    start_overrides: dict[int, int] = field(default_factory=dict)


def _val(el: Any, tag: str) -> str | None:
    child = el.find(W + tag) if el is not None else None
    return child.get(W + "val") if child is not None else None


def _int(s: str | None, default: int | None = None) -> int | None:
    try:
        return int(s) if s is not None else default
    except ValueError:
        return default


def _level(lvl: Any) -> Level:
    restart = _int(_val(lvl, "lvlRestart"))
    legal = lvl.find(W + "isLgl")
    return Level(
        start=_int(_val(lvl, "start"), 1) or 0,
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        restart=restart,
        legal=legal is not None and legal.get(W + "val", "1") not in ("0", "false"),
        style=_val(lvl, "pStyle"),
    )


class Numbering:
    """numbering.xml + the styles' numPr, and the running counters Word keeps while drawing."""

    def __init__(self, numbering_el: Any | None, styles_el: Any | None) -> None:
        self.abstracts: dict[str, ListDef] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId -> numbering style it links to
        self.nums: dict[str, Num] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id -> (basedOn, numId, ilvl)
        self.counters: dict[str, dict[int, int]] = {}
        if numbering_el is not None:
            for a in numbering_el.iter(W + "abstractNum"):
                d = ListDef({_int(lv.get(W + "ilvl"), 0) or 0: _level(lv) for lv in a.iter(W + "lvl")})
                self.abstracts[a.get(W + "abstractNumId", "")] = d
                if link := _val(a, "numStyleLink"):
                    self.style_links[a.get(W + "abstractNumId", "")] = link
            for n in numbering_el.iter(W + "num"):
                num = Num(_val(n, "abstractNumId") or "")
                for ov in n.iter(W + "lvlOverride"):
                    ilvl = _int(ov.get(W + "ilvl"), 0) or 0
                    if (so := _int(_val(ov, "startOverride"))) is not None:
                        num.start_overrides[ilvl] = so
                    if (lv := ov.find(W + "lvl")) is not None:
                        num.overrides[ilvl] = _level(lv)
                self.nums[n.get(W + "numId", "")] = num
        if styles_el is not None:
            for s in styles_el.iter(W + "style"):
                ppr = s.find(W + "pPr")
                numpr = ppr.find(W + "numPr") if ppr is not None else None
                self.styles[s.get(W + "styleId", "")] = (
                    _val(s, "basedOn"),
                    _val(numpr, "numId") if numpr is not None else None,
                    _val(numpr, "ilvl") if numpr is not None else None,
                )

    def _levels(self, num: Num) -> dict[int, Level]:
        aid = num.abstract
        levels = dict(self.abstracts.get(aid, ListDef()).levels)
        # An abstractNum that only links to a numbering style takes that style's list definition.
        if not levels and aid in self.style_links:
            _, sid, _ = self.styles.get(self.style_links[aid], (None, None, None))
            if sid and sid in self.nums and self.nums[sid].abstract != aid:
                levels = dict(self.abstracts.get(self.nums[sid].abstract, ListDef()).levels)
        levels.update(num.overrides)
        return levels

    def _style_numpr(self, style: str | None) -> tuple[str | None, str | None]:
        seen: set[str] = set()
        while style and style not in seen:
            seen.add(style)
            based, num_id, ilvl = self.styles.get(style, (None, None, None))
            if num_id is not None:
                return num_id, ilvl
            style = based
        return None, None

    def marker(self, ppr: Any | None) -> str | None:
        """The marker Word draws before this paragraph (advancing the counters), or None."""
        style = _val(ppr, "pStyle") if ppr is not None else None
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        num_id = _val(numpr, "numId") if numpr is not None else None
        ilvl_s = _val(numpr, "ilvl") if numpr is not None else None
        if num_id is None or ilvl_s is None:
            s_num, s_ilvl = self._style_numpr(style)
            num_id = num_id if num_id is not None else s_num
            ilvl_s = ilvl_s if ilvl_s is not None else s_ilvl
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        num = self.nums[num_id]
        levels = self._levels(num)
        ilvl = _int(ilvl_s)
        if ilvl is None:  # numbering from a style: the level linked to that style, else 0
            ilvl = next((i for i, lv in levels.items() if style and lv.style == style), 0)
        lvl = levels.get(ilvl)
        if lvl is None:
            return None
        # Word continues one list across w:num entries sharing an abstractNum unless one restarts it.
        key = f"num:{num_id}" if num.start_overrides else f"abs:{num.abstract}"
        counters = self.counters.setdefault(key, {})

        def start(i: int) -> int:
            lv = levels.get(i)
            return num.start_overrides.get(i, lv.start if lv else 1)

        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start(ilvl)
        for deeper in [i for i in counters if i > ilvl]:
            r = levels[deeper].restart if deeper in levels else None
            if r is None or (r > 0 and ilvl <= r - 1):
                del counters[deeper]
        if lvl.fmt == "bullet":
            return None
        out = []
        text = lvl.text
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and text[i + 1].isdigit():
                ref = int(text[i + 1]) - 1
                ref_lvl = levels.get(ref)
                value = counters.get(ref, start(ref))
                fmt = "decimal" if (lvl.legal and ref != ilvl) or ref_lvl is None else ref_lvl.fmt
                out.append(format_number(value, fmt) or "")
                i += 2
                continue
            out.append(ch)
            i += 1
        return "".join(out)


# ---- paragraphs ------------------------------------------------------------------------------
def _paragraph_text(p: Any) -> str:
    """Visible text of a w:p: runs, hyperlinks, fields' results, inserted text; one line."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_INSIDE or tag == W + "p":
                continue
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                parts.append(" ")
            elif tag in (W + "br", W + "cr"):
                # a manual line break inside a paragraph: keep one paragraph per line
                if child.get(W + "type") not in ("page", "column"):
                    parts.append(" ")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == W + "sym":
                pass  # symbol-font glyphs (checkboxes, arrows) are not report text
            elif tag == W + "instrText":
                pass  # field codes; the field result is in ordinary runs
            else:
                walk(child)

    walk(p)
    return "".join(parts).replace("\r", " ").replace("\n", " ").replace("\v", " ")


def _blocks(container: Any) -> Iterator[Any]:
    """w:p elements in reading order: body paragraphs, table cells row by row, content controls."""
    for el in container:
        tag = el.tag
        if tag == W + "p":
            yield el
        elif tag == W + "tbl":
            for tr in el.iter(W + "tr"):
                if tr.getparent() is not el:
                    continue  # rows of nested tables are visited through their cell
                for tc in tr.iterchildren(W + "tc", W + "sdt", W + "customXml"):
                    yield from _blocks(tc if tc.tag == W + "tc" else _content(tc))
        elif tag in (W + "sdt", W + "customXml", W + "smartTag"):
            yield from _blocks(_content(el))
        elif tag == W + "tc":
            yield from _blocks(el)


def _content(el: Any) -> Any:
    c = el.find(W + "sdtContent")
    return c if c is not None else el


def _part_element(doc: Any, attr: str) -> Any | None:
    try:
        return getattr(doc.part, attr).element
    except (KeyError, NotImplementedError, AttributeError):
        return None


def read_docx(data: bytes, path: str) -> Source:
    """Read a .docx file into a Source with one paragraph per line (see the module docstring)."""
    if not data.startswith(b"PK"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError(
                "这个 .docx 文件实际上是旧版 Word 二进制格式(.doc)。请在 Word/WPS 中另存为 .docx,"
                "或运行:libreoffice --headless --convert-to docx 文件名",
                "This .docx file is really an old binary Word (.doc) file. Save it as .docx, or run: "
                "libreoffice --headless --convert-to docx FILE",
                path=path,
            )
        raise InputError(
            "不是有效的 Word(.docx)文件(文件头不是 ZIP)。文件可能已损坏或扩展名有误。",
            "Not a valid Word (.docx) file (not a ZIP archive): damaged or misnamed.",
            path=path,
        )
    import zipfile

    import docx  # python-docx: imported here so plain-text runs never pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise InputError(
            f"Word(.docx)文件已损坏或不完整(无法解压:{exc}),请重新保存或重新下载后再检查。",
            f"The .docx file is damaged or truncated (bad ZIP: {exc}); save or download it again.",
            path=path,
        ) from None
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(
            f"无法作为 Word 文档打开(缺少正文部分或内容类型不对:{exc})。请在 Word/WPS 中另存为 .docx 后再检查。",
            f"Cannot open as a Word document ({exc}); save it again as .docx.",
            path=path,
        ) from None
    except Exception as exc:  # noqa: BLE001 - malformed XML inside the package, etc.
        raise InputError(
            f"Word(.docx)文件内容损坏:{type(exc).__name__}: {exc}",
            f"The .docx file is corrupt: {type(exc).__name__}: {exc}",
            path=path,
        ) from None
    numbering = Numbering(_part_element(doc, "numbering_part"), _part_element(doc, "_styles_part"))
    lines: list[str] = []
    blocks: list[Any] = []
    shifts: dict[int, tuple[int, int]] = {}  # line -> (marker length, spaces stripped): for the layout
    synthesized = 0
    for p in _blocks(doc.element.body):
        text = _paragraph_text(p)
        marker = numbering.marker(p.find(W + "pPr"))
        if marker and text.strip():
            # Word draws the marker before the text; the heading parser needs to see it.
            shifts[len(lines)] = (len(marker), len(text) - len(text.lstrip()))
            text = marker + text.lstrip()
            synthesized += 1
        lines.append(text)
        blocks.append(p)
    src = Source(path=path, text="\n".join(lines), format="docx", encoding="docx")
    from fzlint.ingest.docx_layout import (  # read only when a layout rule asks
        DocxLayout,
        PythonDocxParts,
    )

    src.layout = DocxLayout(PythonDocxParts(doc), blocks, shifts, lines)
    if synthesized:
        src.meta["numbering_markers"] = str(synthesized)
    if not any(line.strip() for line in lines):
        raise InputError(
            "Word 文档中没有正文文字(可能只有图片或文本框)。",
            "The Word document has no body text (only pictures or text boxes?).",
            path=path,
        )
    return src
