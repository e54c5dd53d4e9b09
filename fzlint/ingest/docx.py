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

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fzlint.errors import InputError
from fzlint.ingest import limits, ziplimits
from fzlint.ingest.source import Source
from fzlint.patterns import lazy_re

if TYPE_CHECKING:
    from collections.abc import Iterator

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Containers whose text is not part of the paragraph they sit in.
# w:pPr holds no text but its tab stops are w:tab elements too (they are not tab characters).
_SKIP_INSIDE = {W + "txbxContent", W + "del", W + "moveFrom", _MC_FALLBACK, W + "footnoteReference", W + "commentReference", W + "pPr"}


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
        return "".join(_CN[int(d)] for d in str(abs(n))).replace("零", "〇")
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
    text: str | None = ""  # None: Word would not draw this level's text (see _lvl_text)
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


# Word's own ranges. A start value is 0..32767 ([MS-DOC] LVLF.iStartAt and LFOLVLBase.iStartAt
# "MUST be less than or equal to 0x7FFF and MUST be greater than or equal to zero"); a level is
# 0..8 ([MS-OI29500] 2.1.282: Word will not load a file with ilvl less than 0 or greater than 8);
# lvlText holds at most nine %N and is at most 31 characters once they are replaced ([MS-OI29500]
# 2.1.283). Values outside are clamped or the marker is not drawn, so that a crafted
# numbering.xml (start 999999999999 in Roman numerals, 200,000 %1) costs nothing.
MAX_START = 0x7FFF
MAX_LEVEL = 8
MAX_PLACEHOLDERS = 9
MAX_MARKER = 31
MAX_LVL_TEXT = MAX_MARKER + 2 * MAX_PLACEHOLDERS  # the raw text: 31 characters plus nine %N
_INTEGER = lazy_re(r"[+-]?[0-9]+")
_PLACEHOLDER = lazy_re(r"%[1-9]")


def _int(s: str | None, default: int | None = None) -> int | None:
    """An ST_DecimalNumber; None (default) when it is not one. Long numbers are not converted
    digit by digit: every caller clamps them anyway."""
    if s is None or not _INTEGER.fullmatch(s := s.strip()):
        return default
    digits = s.lstrip("+-")
    n = int(digits) if len(digits) <= 12 else 10**12
    return -n if s.startswith("-") else n


def _start(n: int) -> int:
    return min(max(n, 0), MAX_START)


def _ilvl(s: str | None, default: int | None = 0) -> int | None:
    """A level number 0..8, or None for anything else (Word refuses such files)."""
    n = _int(s, default)
    return n if n is not None and 0 <= n <= MAX_LEVEL else None


def _lvl_text(text: str) -> str | None:
    """The level text, or None when Word would not draw it (too long, too many %N)."""
    if len(text) > MAX_LVL_TEXT or len(_PLACEHOLDER.findall(text)) > MAX_PLACEHOLDERS:
        return None
    return text


def _level(lvl: Any) -> Level:
    restart = _int(_val(lvl, "lvlRestart"))
    legal = lvl.find(W + "isLgl")
    return Level(
        start=_start(_int(_val(lvl, "start"), 1) or 0),
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_lvl_text(_val(lvl, "lvlText") or ""),
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
                d = ListDef({i: _level(lv) for lv in a.iter(W + "lvl") if (i := _ilvl(lv.get(W + "ilvl"))) is not None})
                self.abstracts[a.get(W + "abstractNumId", "")] = d
                if link := _val(a, "numStyleLink"):
                    self.style_links[a.get(W + "abstractNumId", "")] = link
            for n in numbering_el.iter(W + "num"):
                num = Num(_val(n, "abstractNumId") or "")
                for ov in n.iter(W + "lvlOverride"):
                    ilvl = _ilvl(ov.get(W + "ilvl"))
                    if ilvl is None:
                        continue
                    if (so := _int(_val(ov, "startOverride"))) is not None:
                        num.start_overrides[ilvl] = _start(so)
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
        lvl = levels.get(ilvl)  # levels only has 0..8
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
        if lvl.fmt == "bullet" or lvl.text is None:
            return None
        out = []
        text = lvl.text
        i = 0
        while i < len(text):
            ch = text[i]
            if ch == "%" and i + 1 < len(text) and "0" <= text[i + 1] <= "9":
                ref = int(text[i + 1]) - 1
                ref_lvl = levels.get(ref)
                value = counters.get(ref, start(ref))
                fmt = "decimal" if (lvl.legal and ref != ilvl) or ref_lvl is None else ref_lvl.fmt
                out.append(format_number(value, fmt) or "")
                i += 2
                continue
            out.append(ch)
            i += 1
        marker = "".join(out)
        return marker if len(marker) <= MAX_MARKER else None  # Word draws at most 31 characters


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


# ---- the package: [Content_Types].xml, relationships, parts -----------------------------------
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_W_STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
# WordprocessingML main parts: document, macro-enabled document, templates (same text model)
_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}


def _xml_parser() -> Any:
    """lxml without entity expansion, DTD loading, network access or huge-tree mode: libxml2 then
    refuses text nodes over 10 MB and nesting deeper than 256."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_blank_text=True)


def _not_word(detail: str, path: str) -> InputError:
    return InputError(
        f"无法作为 Word 文档打开({detail})。请在 Word/WPS 中另存为 .docx 后再检查。",
        f"Cannot open as a Word document ({detail}); save it again as .docx.",
        path=path,
    )


class _Package:
    """The parts of a .docx that fzlint reads, each read within the limits (ziplimits) and parsed
    with a safe parser. python-docx is not used for reading: it would inflate every part of the
    package, pictures included, with `ZipFile.read`, which trusts the sizes the file declares."""

    def __init__(self, data: bytes, path: str, lim: limits.Limits) -> None:
        self.path = path
        self.limits = lim
        self.zip = ziplimits.BoundedZip(data, path, lim)
        self.names = {n.lower(): n for n in self.zip.names()}  # OPC part names ignore case
        self.parser = _xml_parser()
        self._parsed: dict[str, Any] = {}

    def has(self, part: str) -> bool:
        return part.lower() in self.names

    def xml(self, part: str) -> Any:
        """The parsed root of a part ('word/document.xml'), parsed once; KeyError when it is missing."""
        key = part.lower()
        if key not in self._parsed:
            self._parsed[key] = self._parse(part)
        return self._parsed[key]

    def _parse(self, part: str) -> Any:
        from lxml import etree

        data = self.zip.read(self.names[part.lower()])
        elements = data.count(b"<") - data.count(b"</") - data.count(b"<?") - data.count(b"<!")
        if elements > self.limits.max_xml_elements:
            raise limits.exceeded("max_xml_elements", f"{part} 有约 {elements:,} 个", f"about {elements:,} in {part}",
                                  self.limits.max_xml_elements, self.path)
        try:
            return etree.fromstring(data, self.parser)
        except etree.XMLSyntaxError as exc:
            raise InputError(
                f"Word(.docx)文件内容损坏:{part} 不是有效的 XML({exc})。请在 Word/WPS 中重新保存后再检查。",
                f"The .docx file is corrupt: {part} is not valid XML ({exc}); save it again in Word/WPS.",
                path=self.path,
            ) from None

    def rels(self, part: str) -> dict[str, str]:
        """Relationship type (its last path segment) -> target part name, for a part ('' = package)."""
        folder, _, name = part.rpartition("/")
        rels_part = f"{folder}/_rels/{name}.rels" if part else "_rels/.rels"
        if not self.has(rels_part):
            return {}
        out: dict[str, str] = {}
        for rel in self.xml(rels_part).iter(_PKG_REL):
            kind, target = (rel.get("Type") or "").rpartition("/")[2], rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target or kind in out:
                continue
            base = "" if target.startswith("/") else folder
            out[kind] = posixpath.normpath(posixpath.join("/", base, target.lstrip("/"))).lstrip("/")
        return out

    def content_type(self, part: str) -> str | None:
        if not self.has("[Content_Types].xml"):
            return None
        types = self.xml("[Content_Types].xml")
        for ov in types.iter(_CT + "Override"):
            if (ov.get("PartName") or "").lstrip("/").lower() == part.lower():
                return ov.get("ContentType")
        ext = part.rpartition(".")[2].lower()
        for df in types.iter(_CT + "Default"):
            if (df.get("Extension") or "").lower() == ext:
                return df.get("ContentType")
        return None


def _open_package(data: bytes, path: str, lim: limits.Limits) -> tuple[_Package, str, Any]:
    """(the package, the main document part's name, its w:body) of a .docx."""
    pkg = _Package(data, path, lim)
    main = pkg.rels("").get("officeDocument")
    if main is None or not pkg.has(main):
        raise _not_word("缺少正文部分 officeDocument" if main is None else f"缺少正文部分 {main}", path)
    ctype = pkg.content_type(main)
    if ctype not in _MAIN_TYPES:
        raise _not_word(f"内容类型不是 Word 正文:{ctype}", path)
    root = pkg.xml(main)
    if root.tag == _W_STRICT + "document":
        raise _not_word("这是“严格 Open XML”格式的文档,请在 Word 中另存为普通的“Word 文档(*.docx)”", path)
    body = root.find(W + "body") if root.tag == W + "document" else None
    if body is None:
        raise _not_word(f"{main} 中没有 w:body", path)
    return pkg, main, body


def read_docx(data: bytes, path: str, lim: limits.Limits | None = None) -> Source:
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
    lim = lim or limits.current()
    pkg, main, body = _open_package(data, path, lim)
    numbering_el, styles_el = (pkg.xml(t) if t and pkg.has(t) else None for t in map(pkg.rels(main).get, ("numbering", "styles")))
    numbering = Numbering(numbering_el, styles_el)
    lines: list[str] = []
    blocks: list[Any] = []
    shifts: dict[int, tuple[int, int]] = {}  # line -> (marker length, spaces stripped): for the layout
    synthesized = 0
    chars = 0
    for p in _blocks(body):
        text = _paragraph_text(p)
        marker = numbering.marker(p.find(W + "pPr"))
        if marker and text.strip():
            # Word draws the marker before the text; the heading parser needs to see it.
            shifts[len(lines)] = (len(marker), len(text) - len(text.lstrip()))
            text = marker + text.lstrip()
            synthesized += 1
        lines.append(text)
        blocks.append(p)
        chars += len(text) + 1
        if len(lines) > lim.max_paragraphs:  # refused without reading the rest
            raise limits.too_many_paragraphs(len(lines), path, lim, at_least=True)
        if chars > lim.max_chars:
            raise limits.too_many_chars(chars, path, lim, at_least=True)
    src = Source(path=path, text="\n".join(lines), format="docx", encoding="docx")
    from fzlint.ingest.docx_layout import (  # read only when a layout rule asks
        DocxLayout,
        PackageParts,
    )

    # the layout reads styles, settings, theme and footers through the same bounded package
    src.layout = DocxLayout(PackageParts(pkg, main, body), blocks, shifts, lines)
    if synthesized:
        src.meta["numbering_markers"] = str(synthesized)
    if not any(line.strip() for line in lines):
        raise InputError(
            "Word 文档中没有正文文字(可能只有图片或文本框)。",
            "The Word document has no body text (only pictures or text boxes?).",
            path=path,
        )
    return src
