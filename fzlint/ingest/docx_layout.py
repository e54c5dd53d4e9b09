"""The effective layout of a Word (.docx) file: page setup, paragraph and character formatting,
page numbers. Read lazily, for the layout rules (gbt9704-layout) only.

`read_docx` attaches a `DocxLayout` to the Source (`Source.layout`); nothing is parsed until a
layout rule asks. Formatting is resolved the way Word resolves it:

- character properties: direct run properties → character style (w:rStyle, its basedOn chain) →
  paragraph style (w:pStyle, its basedOn chain; the default paragraph style when none) →
  document defaults (w:docDefaults/w:rPrDefault). Each font slot (w:rFonts eastAsia / ascii /
  hAnsi) is resolved on its own, a theme font (`eastAsiaTheme="minorEastAsia"`) through
  theme1.xml and the document's East Asian theme language (w:themeFontLang);
- paragraph properties: direct → list level (numbering.xml w:lvl/w:pPr) → paragraph style chain →
  w:pPrDefault; indentation and spacing attributes are inherited group by group (a level that
  sets `hanging` replaces an inherited `firstLine`).

Line N of the Source is Word paragraph N (ingest/docx.py), so every fact here is keyed by the
0-based line index; columns are columns of that line (a synthesized list marker has no run).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from fzlint.ingest.limits import LimitError
from fzlint.patterns import lazy_re

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Containers whose text is not part of the paragraph they sit in (as in ingest/docx.py), and
# property elements, which hold no text.
_SKIP_INSIDE = {W + "txbxContent", W + "del", W + "moveFrom", _MC_FALLBACK, W + "footnoteReference", W + "commentReference", W + "rPr", W + "pPr"}
_RUN_KEYS = {W + "rFonts", W + "sz", W + "b", W + "rStyle"}

TWIP_MM = 25.4 / 1440  # one twip (1/20 pt) in millimetres
DEFAULT_SIZE_PT = 10.0  # Word's size when no level of the hierarchy sets w:sz

# East Asian theme language -> the script of theme1.xml's <a:font script=…> to use
_THEME_SCRIPT = {"zh-cn": "Hans", "zh-sg": "Hans", "zh-tw": "Hant", "zh-hk": "Hant", "zh-mo": "Hant", "ja-jp": "Jpan", "ko-kr": "Hang"}
_IND_GROUPS = (
    ("left", "leftChars", "start", "startChars"),
    ("right", "rightChars", "end", "endChars"),
    ("firstLine", "firstLineChars", "hanging", "hangingChars"),
)
_FONT_SLOTS = ("eastAsia", "ascii", "hAnsi")
_THEME_ATTR = {"eastAsia": "eastAsiaTheme", "ascii": "asciiTheme", "hAnsi": "hAnsiTheme"}


def _gone() -> None:
    return None


def _on(el: Any) -> bool:
    """A toggle / on-off property element: present and not val=0/false/off."""
    return el is not None and el.get(W + "val", "1") not in ("0", "false", "off")


def _num(s: str | None) -> float | None:
    """A number attribute; None when absent or not a finite number (a damaged file)."""
    if s is None:
        return None
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


@dataclass(slots=True)
class RunProps:
    """Effective character formatting of a run (None: not resolvable)."""

    east_asia: str | None
    ascii: str | None
    size: float | None  # pt
    bold: bool = False


@dataclass(slots=True)
class ParaLayout:
    """Effective paragraph formatting of one Word paragraph, and its character runs."""

    text: str  # the Source line
    in_table: bool
    section: int
    align: str  # left | center | right | both | distribute
    ind: dict[str, float]  # w:ind attributes in effect (twips, or hundredths of a character)
    line: float | None  # w:spacing/@w:line
    line_rule: str  # auto | exact | atLeast
    snap_to_grid: bool
    # placed by tab stops or a frame: where its text starts and ends is not known here
    positioned: bool = False
    lead_tab: bool = False  # the text starts with a tab (an indent made with the Tab key)
    segments: list[tuple[int, int, RunProps]] = field(default_factory=list)  # (start col, end col, props)
    _memo: dict[tuple[str, int, int, bool], Any] = field(default_factory=dict, repr=False)

    def tally(self, attr: str, start: int = 0, end: int | None = None, han: bool = False) -> dict[Any, int]:
        """How many characters of columns [start, end) have each value of a RunProps attribute;
        only visible characters count, or only Han characters with `han`."""
        end = len(self.text) if end is None else end
        count = (_HAN if han else _INK).findall
        out: dict[Any, int] = {}
        for s, e, props in self.segments:
            lo, hi = max(s, start), min(e, end)
            if hi > lo and (n := len(count(self.text, lo, hi))):
                v = getattr(props, attr)
                out[v] = out.get(v, 0) + n
        return out

    def dominant(self, attr: str, start: int = 0, end: int | None = None, han: bool = False) -> tuple[Any, float]:
        """The most frequent value of `attr` over those characters and its share (None, 0: none)."""
        key = (attr, start, len(self.text) if end is None else end, han)
        hit = self._memo.get(key)
        if hit is None:
            counts = self.tally(attr, start, end, han)
            total = sum(counts.values())
            if not total:
                hit = (None, 0.0)
            else:
                value = max(counts, key=counts.__getitem__)
                hit = (value, counts[value] / total)
            self._memo[key] = hit
        return hit


_HAN = lazy_re("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_INK = lazy_re(r"\S")


@dataclass(slots=True)
class Section:
    """Page setup of one section (millimetres; None: not set in the file)."""

    index: int
    width: float | None
    height: float | None
    top: float | None
    bottom: float | None
    left: float | None
    right: float | None
    gutter: float
    landscape: bool
    grid_pitch: float | None  # pt, when the section snaps lines to a document grid
    first_line: int  # 0-based Source line of the section's first paragraph


@dataclass(slots=True)
class PageNumber:
    """A PAGE field in a footer: the footer paragraph's text with the number shown as "#"."""

    form: str
    size: float | None
    footer: str  # default | even | first


class _Styles:
    """styles.xml: each style's own rPr/pPr, its basedOn, and the document defaults."""

    def __init__(self, styles_el: Any | None, theme: dict[str, str]) -> None:
        self.theme = theme
        self.by_id: dict[str, Any] = {}
        self.default_para: str | None = None
        self.rpr_default: Any = None
        self.ppr_default: Any = None
        self._rcache: dict[tuple[str | None, str | None], tuple[dict[str, str], float | None, bool | None]] = {}
        if styles_el is None:
            return
        dd = styles_el.find(W + "docDefaults")
        if dd is not None:
            self.rpr_default = dd.find(f"{W}rPrDefault/{W}rPr")
            self.ppr_default = dd.find(f"{W}pPrDefault/{W}pPr")
        for s in styles_el.iterchildren(W + "style"):
            sid = s.get(W + "styleId")
            if sid is None:
                continue
            self.by_id.setdefault(sid, s)
            if s.get(W + "type") == "paragraph" and _on_attr(s.get(W + "default")) and self.default_para is None:
                self.default_para = sid

    def chain(self, sid: str | None) -> list[Any]:
        """The style and its basedOn ancestors, nearest first (cycles cut)."""
        out: list[Any] = []
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            st = self.by_id[sid]
            out.append(st)
            b = st.find(W + "basedOn")
            sid = b.get(W + "val") if b is not None else None
        return out

    def _font(self, rfonts: Any, slot: str) -> str | None:
        theme = rfonts.get(W + _THEME_ATTR[slot])
        if theme:
            return self.theme.get(theme, "")  # "": a theme font the theme does not name
        return rfonts.get(W + slot)

    def base_run(self, pstyle: str | None, rstyle: str | None) -> tuple[dict[str, str], float | None, bool | None]:
        """Fonts, size and bold from the character style, paragraph style and defaults."""
        key = (pstyle, rstyle)
        hit = self._rcache.get(key)
        if hit is not None:
            return hit
        rprs: list[Any] = []
        for st in self.chain(rstyle):
            if st.get(W + "type") == "character":
                rprs.append(st.find(W + "rPr"))
        for st in self.chain(pstyle or self.default_para):
            rprs.append(st.find(W + "rPr"))
        rprs.append(self.rpr_default)
        fonts: dict[str, str] = {}
        size: float | None = None
        bold: bool | None = None
        for rpr in rprs:
            if rpr is None:
                continue
            rf = rpr.find(W + "rFonts")
            if rf is not None:
                for slot in _FONT_SLOTS:
                    if slot not in fonts and (f := self._font(rf, slot)) is not None:
                        fonts[slot] = f
            if size is None and (sz := rpr.find(W + "sz")) is not None and (v := _num(sz.get(W + "val"))) is not None:
                size = v / 2
            if bold is None and (b := rpr.find(W + "b")) is not None:
                bold = _on(b)
        self._rcache[key] = (fonts, size, bold)
        return fonts, size, bold

    def para_chain(self, pstyle: str | None) -> list[Any]:
        """pPr elements from the paragraph style chain, then the defaults."""
        out = [st.find(W + "pPr") for st in self.chain(pstyle or self.default_para)]
        out.append(self.ppr_default)
        return [p for p in out if p is not None]


def _in_table(p: Any) -> bool:
    return any(a.tag == W + "tc" for a in p.iterancestors())


def _on_attr(v: str | None) -> bool:
    return v is not None and v not in ("0", "false", "off")


def _theme_fonts(theme_el: Any | None, lang: str | None) -> dict[str, str]:
    """theme attribute values (minorEastAsia, majorHAnsi …) -> typeface."""
    out: dict[str, str] = {}
    if theme_el is None:
        return out
    script = _THEME_SCRIPT.get((lang or "zh-CN").lower(), "Hans")
    for which in ("major", "minor"):
        fs = theme_el.find(f".//{_A}{which}Font")
        if fs is None:
            continue
        latin = fs.find(_A + "latin")
        ea = fs.find(_A + "ea")
        cs = fs.find(_A + "cs")
        lat = latin.get("typeface", "") if latin is not None else ""
        out[f"{which}Ascii"] = out[f"{which}HAnsi"] = lat
        ea_face = ea.get("typeface", "") if ea is not None else ""
        if not ea_face:
            for f in fs.iterchildren(_A + "font"):
                if f.get("script") == script:
                    ea_face = f.get("typeface", "")
                    break
        out[f"{which}EastAsia"] = ea_face
        out[f"{which}Bidi"] = cs.get("typeface", "") if cs is not None else ""
    return out


class _ListIndents:
    """numbering.xml: the pPr of each list level (indentation drawn by a list)."""

    def __init__(self, numbering_el: Any | None, styles: _Styles) -> None:
        self.levels: dict[tuple[str, int], Any] = {}
        self.styles = styles
        if numbering_el is None:
            return
        abstract: dict[str, dict[int, Any]] = {}
        for a in numbering_el.iterchildren(W + "abstractNum"):
            lv: dict[int, Any] = {}
            for lvl in a.iterchildren(W + "lvl"):
                ilvl = int(_num(lvl.get(W + "ilvl")) or 0)
                lv[ilvl] = lvl.find(W + "pPr")
            abstract[a.get(W + "abstractNumId", "")] = lv
        for n in numbering_el.iterchildren(W + "num"):
            aid = n.find(W + "abstractNumId")
            levels = dict(abstract.get(aid.get(W + "val", "") if aid is not None else "", {}))
            for ov in n.iterchildren(W + "lvlOverride"):
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    levels[int(_num(ov.get(W + "ilvl")) or 0)] = lvl.find(W + "pPr")
            for ilvl, ppr in levels.items():
                self.levels[(n.get(W + "numId", ""), ilvl)] = ppr

    def ppr(self, ppr: Any | None, pstyle: str | None) -> Any | None:
        num_id = ilvl = None
        sources = [ppr] if ppr is not None else []
        sources += [st.find(W + "pPr") for st in self.styles.chain(pstyle)]
        for p in sources:
            numpr = p.find(W + "numPr") if p is not None else None
            if numpr is None:
                continue
            if num_id is None and (e := numpr.find(W + "numId")) is not None:
                num_id = e.get(W + "val")
            if ilvl is None and (e := numpr.find(W + "ilvl")) is not None:
                ilvl = int(_num(e.get(W + "val")) or 0)
        if not num_id or num_id == "0":
            return None
        return self.levels.get((num_id, ilvl or 0))


_TEXT_OF = {W + "tab": " ", W + "ptab": " ", W + "noBreakHyphen": "-", W + "br": " ", W + "cr": " "}
_TABS = (W + "tab", W + "ptab")
_CONTAINERS = tuple(t for t in _SKIP_INSIDE if t not in (W + "rPr", W + "pPr", W + "footnoteReference", W + "commentReference"))


def _segments(p: Any) -> list[tuple[str, Any, bool]]:
    """(text, the run's w:rPr or None, is a tab) pieces of a paragraph, in the order and with the
    text of ingest/docx.py `_paragraph_text`; one pass over the runs (w:t is always in a run)."""
    out: list[tuple[str, Any, bool]] = []
    t_tag, rpr_tag, p_tag = W + "t", W + "rPr", W + "p"
    # text boxes, deletions, nested paragraphs: rare, and only then is each run's place checked
    nested = next(p.iter(*_CONTAINERS), None) is not None or next(islice(p.iter(p_tag), 1, None), None) is not None
    for r in p.iter(W + "r"):
        if nested:
            up = r.getparent()
            while up is not None and up is not p and up.tag not in _SKIP_INSIDE and up.tag != p_tag:
                up = up.getparent()
            if up is not p:
                continue
        rpr = None
        for c in r:
            tag = c.tag
            if tag == t_tag:
                if c.text:
                    out.append((c.text, rpr, False))
            elif tag == rpr_tag:
                rpr = c
            elif tag in _TEXT_OF:
                if tag in (W + "br", W + "cr") and c.get(W + "type") in ("page", "column"):
                    continue
                out.append((_TEXT_OF[tag], rpr, tag in _TABS))
    return out


_JC = {"start": "left", "end": "right", "both": "both", "distribute": "distribute", "center": "center", "right": "right", "left": "left"}


def _ppr_facts(ppr: Any) -> dict[str, Any]:
    """What one w:pPr says about alignment, indentation, line spacing, grid and style, in one
    pass over its children: {"jc": …, ("ind", group): {attr: value}, "spacing": (line, rule),
    "snap": bool, "style": id, "num": True}."""
    out: dict[str, Any] = {}
    for c in ppr:
        tag = c.tag
        if tag == W + "jc":
            v = c.get(W + "val")
            if v:
                out["jc"] = _JC.get(v, "left")
        elif tag == W + "ind":
            for k, group in enumerate(_IND_GROUPS):
                vals = {a: v for a in group if (v := _num(c.get(W + a))) is not None}
                if vals:
                    out[("ind", k)] = vals
        elif tag == W + "spacing":
            if (line := c.get(W + "line")) is not None:
                out["spacing"] = (_num(line), c.get(W + "lineRule") or "auto")
        elif tag == W + "snapToGrid":
            out["snap"] = _on(c)
        elif tag == W + "pStyle":
            out["style"] = c.get(W + "val")
        elif tag == W + "numPr":
            out["num"] = True
        elif tag == W + "framePr":
            out["frame"] = True
    return out


def _safe_xml(data: bytes) -> Any:
    """Parse a part lxml-style without entity expansion, DTDs, network or huge-tree mode."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(data, parser)


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PART_KINDS = {kind: _REL + kind for kind in ("styles", "numbering", "settings", "theme")}


class PythonDocxParts:
    """The parts the layout reader needs, from a python-docx Document: `body`, `part(kind)` for
    styles / numbering / settings / theme, `related(r:id)` for the footers a section names.
    Another reader provides the same three things (an adapter over its own package)."""

    def __init__(self, doc: Any) -> None:
        self._doc = doc
        self.body = doc.element.body

    @staticmethod
    def _element(part: Any) -> Any | None:
        el = getattr(part, "element", None)  # an XML part python-docx parsed
        return el if el is not None else _safe_xml(part.blob)  # a part it keeps as bytes (theme)

    def part(self, kind: str) -> Any | None:
        try:
            return self._element(self._doc.part.part_related_by(_PART_KINDS[kind]))
        except (KeyError, AttributeError, ValueError):
            return None

    def related(self, rid: str) -> Any | None:
        try:
            return self._element(self._doc.part.related_parts[rid])
        except (KeyError, AttributeError, ValueError):
            return None


_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class PackageParts:
    """The same three things from a reader's own package: any object with `has(name)` and
    `xml(name)` (the parsed root of a part, read within the reader's limits); `main` is the main
    document part's name ("word/document.xml"), `body` its w:body."""

    def __init__(self, pkg: Any, main: str, body: Any) -> None:
        self._pkg = pkg
        self._main = main
        self.body = body
        self._rels: dict[str, tuple[str, str]] | None = None  # r:id -> (type, part name)

    def _targets(self) -> dict[str, tuple[str, str]]:
        if self._rels is None:
            import posixpath

            self._rels = {}
            folder, _, name = self._main.rpartition("/")
            rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
            if self._pkg.has(rels):
                for rel in self._pkg.xml(rels).iter(_PKG_REL):
                    target = rel.get("Target") or ""
                    if rel.get("TargetMode") == "External" or not target:
                        continue
                    base = "" if target.startswith("/") else folder
                    part = posixpath.normpath(posixpath.join("/", base, target.lstrip("/"))).lstrip("/")
                    self._rels[rel.get("Id") or ""] = ((rel.get("Type") or "").rpartition("/")[2], part)
        return self._rels

    def _xml(self, part: str) -> Any | None:
        return self._pkg.xml(part) if self._pkg.has(part) else None

    def part(self, kind: str) -> Any | None:
        return next((self._xml(part) for t, part in self._targets().values() if t == kind), None)

    def related(self, rid: str) -> Any | None:
        hit = self._targets().get(rid)
        return self._xml(hit[1]) if hit else None


class DocxLayout:
    """The layout facts of one .docx, computed on first use (see the module docstring).

    Holds the reader's parsed package (`parts`, see PythonDocxParts); never pickled (a Source
    sent between processes arrives without it)."""

    def __init__(self, parts: Any, blocks: list[Any], shifts: dict[int, tuple[int, int]], lines: list[str]) -> None:
        self._parts = parts
        self._blocks = blocks
        self._shifts = shifts  # line -> (marker length, characters stripped after the marker)
        self._lines = lines
        self._styles: _Styles | None = None
        self._lists: _ListIndents | None = None
        self._paras: dict[int, ParaLayout | None] = {}
        self._props: dict[Any, RunProps] = {}
        self._facts: dict[str | None, list[dict[str, Any]]] = {}
        self._sections: list[Section] | None = None
        self._section_of: list[int] | None = None
        self._page_numbers: list[PageNumber] | None = None
        self.cache: dict[str, Any] = {}  # for the layout rules: facts derived once per document

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        return (_gone, ())

    # ---- parts ---------------------------------------------------------------------------
    def _part(self, kind: str) -> Any | None:
        key = f"part:{kind}"
        if key not in self.cache:
            try:
                self.cache[key] = self._parts.part(kind)
            except LimitError:
                raise  # a part past the reader's limits (a zip bomb): the file's error, not a missing part
            except Exception:  # noqa: BLE001 - a missing or unreadable part: its facts stay unknown
                self.cache[key] = None
        return self.cache[key]

    def styles(self) -> _Styles:
        if self._styles is None:
            lang = None
            settings = self._settings()
            if settings is not None and (tfl := settings.find(W + "themeFontLang")) is not None:
                lang = tfl.get(W + "eastAsia")
            self._styles = _Styles(self._part("styles"), _theme_fonts(self._part("theme"), lang))
            self._lists = _ListIndents(self._part("numbering"), self._styles)
        return self._styles

    def _settings(self) -> Any | None:
        return self._part("settings")

    # ---- paragraphs ----------------------------------------------------------------------
    @property
    def line_count(self) -> int:
        return len(self._blocks)

    def paragraph(self, line: int) -> ParaLayout | None:
        """The layout of the paragraph on 0-based Source line `line` (None: out of range)."""
        if line in self._paras:
            return self._paras[line]
        out = self._paragraph(line) if 0 <= line < len(self._blocks) else None
        self._paras[line] = out
        return out

    def _style_facts(self, pstyle: str | None) -> list[dict[str, Any]]:
        hit = self._facts.get(pstyle)
        if hit is None:
            hit = self._facts[pstyle] = [_ppr_facts(el) for el in self.styles().para_chain(pstyle)]
        return hit

    def _paragraph(self, line: int) -> ParaLayout:
        self.styles()
        p = self._blocks[line]
        ppr = p.find(W + "pPr")
        direct = _ppr_facts(ppr) if ppr is not None else {}
        pstyle = direct.get("style")
        chain = [direct]
        assert self._lists is not None
        if "num" in direct or pstyle is not None:
            lvl = self._lists.ppr(ppr, pstyle)
            if lvl is not None:
                chain.append(_ppr_facts(lvl))
        chain += self._style_facts(pstyle)
        align = next((f["jc"] for f in chain if "jc" in f), "left")
        ind: dict[str, float] = {}
        for k in range(len(_IND_GROUPS)):
            for f in chain:
                if vals := f.get(("ind", k)):
                    ind.update(vals)
                    break
        line_val, rule = next((f["spacing"] for f in chain if "spacing" in f), (None, "auto"))
        snap = next((f["snap"] for f in chain if "snap" in f), True)
        text = self._lines[line]
        para = ParaLayout(text, _in_table(p), self.section_of(line), align, ind, line_val, rule, snap)
        # runs: columns of the Source line; a synthesized list marker is skipped
        mlen, stripped = self._shifts.get(line, (0, 0))
        raw_pos = 0
        segs = para.segments
        n = len(text)
        pieces = _segments(p)
        tabs = [k for k, (_t, _r, is_tab) in enumerate(pieces) if is_tab]
        para.positioned = bool(tabs) or "frame" in direct
        para.lead_tab = bool(tabs) and all(not t.strip() for t, _r, _x in pieces[: tabs[0]])
        for piece, rpr, _tab in pieces:
            s, e = raw_pos, raw_pos + len(piece)
            raw_pos = e
            if mlen:
                s, e = max(s - stripped, 0) + mlen, max(e - stripped, 0) + mlen
                if e <= mlen:
                    continue
            props = self._run_props(rpr, pstyle)
            if segs and segs[-1][2] is props and segs[-1][1] == s:
                segs[-1] = (segs[-1][0], min(e, n), props)  # runs formatted alike: one segment
            else:
                segs.append((s, min(e, n), props))
        return para

    def _run_props(self, rpr: Any | None, pstyle: str | None) -> RunProps:
        # runs repeat a handful of formats: one RunProps per (paragraph style, run formatting)
        key = (pstyle, tuple((c.tag, tuple(c.attrib.items())) for c in rpr if c.tag in _RUN_KEYS) if rpr is not None and len(rpr) else ())
        hit = self._props.get(key)
        if hit is None:
            hit = self._props[key] = self._resolve_run(rpr, pstyle)
        return hit

    def _resolve_run(self, rpr: Any | None, pstyle: str | None) -> RunProps:
        styles = self.styles()
        rstyle = None
        fonts: dict[str, str] = {}
        size = None
        bold = None
        if rpr is not None:
            rs = rpr.find(W + "rStyle")
            rstyle = rs.get(W + "val") if rs is not None else None
            rf = rpr.find(W + "rFonts")
            if rf is not None:
                for slot in _FONT_SLOTS:
                    if (f := styles._font(rf, slot)) is not None:
                        fonts[slot] = f
            if (sz := rpr.find(W + "sz")) is not None and (v := _num(sz.get(W + "val"))) is not None:
                size = v / 2
            if (b := rpr.find(W + "b")) is not None:
                bold = _on(b)
        bfonts, bsize, bbold = styles.base_run(pstyle, rstyle)
        for slot, f in bfonts.items():
            fonts.setdefault(slot, f)
        if size is None:
            size = bsize if bsize is not None else DEFAULT_SIZE_PT
        return RunProps(fonts.get("eastAsia") or None, fonts.get("ascii") or None, size, bool(bold if bold is not None else bbold))

    # ---- sections ------------------------------------------------------------------------
    def section_of(self, line: int) -> int:
        if self._section_of is None:
            self.sections()
        assert self._section_of is not None
        return self._section_of[line] if 0 <= line < len(self._section_of) else 0

    def _sect_prs(self) -> list[tuple[Any, int]]:
        """(w:sectPr, first line of the section) in document order."""
        if "sect_prs" in self.cache:
            return self.cache["sect_prs"]  # type: ignore[no-any-return]
        out: list[tuple[Any, int]] = []
        first = 0
        section_of: list[int] = []
        for i, p in enumerate(self._blocks):
            section_of.append(len(out))
            ppr = p.find(W + "pPr")
            sp = ppr.find(W + "sectPr") if ppr is not None else None
            if sp is not None and _in_table(p):
                sp = None
            if sp is not None:
                out.append((sp, first))
                first = i + 1
        body = self._parts.body
        final = body.find(W + "sectPr") if body is not None else None
        out.append((final, first))
        self._section_of = section_of
        self.cache["sect_prs"] = out
        return out

    def sections(self) -> list[Section]:
        if self._sections is None:
            out: list[Section] = []
            for k, (sp, first) in enumerate(self._sect_prs()):
                out.append(_section(sp, k, first))
            self._sections = out
        return self._sections

    # ---- footers -------------------------------------------------------------------------
    def page_numbers(self) -> tuple[list[PageNumber], bool]:
        """PAGE fields in the default and even-page footers of every section, and whether any
        footer exists at all."""
        if self._page_numbers is None:
            self._page_numbers = []
            self.cache["footers"] = False
            settings = self._settings()
            even = settings is not None and _on(settings.find(W + "evenAndOddHeaders"))
            seen: set[str] = set()
            for sp, _first in self._sect_prs():
                if sp is None:
                    continue
                for ref in sp.iterchildren(W + "footerReference"):
                    kind = ref.get(W + "type", "default")
                    rid = ref.get(_R_ID)
                    if kind == "first" or (kind == "even" and not even) or not rid or rid in seen:
                        continue
                    seen.add(rid)
                    try:
                        el = self._parts.related(rid)
                    except LimitError:
                        raise
                    except Exception:  # noqa: BLE001 - an unreadable footer: as if absent
                        el = None
                    if el is None:
                        continue
                    self.cache["footers"] = True
                    self._page_numbers.extend(_footer_page_numbers(el, kind, self.styles()))
        return self._page_numbers, bool(self.cache.get("footers"))


def _twips_mm(v: str | None) -> float | None:
    n = _num(v)
    return abs(n) * TWIP_MM if n is not None else None


def _section(sp: Any | None, index: int, first: int) -> Section:
    if sp is None:
        return Section(index, None, None, None, None, None, None, 0.0, False, None, first)
    sz = sp.find(W + "pgSz")
    mar = sp.find(W + "pgMar")
    width = _twips_mm(sz.get(W + "w")) if sz is not None else None
    height = _twips_mm(sz.get(W + "h")) if sz is not None else None
    landscape = (sz is not None and sz.get(W + "orient") == "landscape") or (width is not None and height is not None and width > height)
    grid = sp.find(W + "docGrid")
    pitch = None
    if grid is not None and grid.get(W + "type") in ("lines", "linesAndChars", "snapToChars"):
        lp = _num(grid.get(W + "linePitch"))
        pitch = lp / 20 if lp else None

    def m(name: str) -> float | None:
        return _twips_mm(mar.get(W + name)) if mar is not None else None

    return Section(index, width, height, m("top"), m("bottom"), m("left"), m("right"), m("gutter") or 0.0, landscape, pitch, first)


_PAGE_FIELD = lazy_re(r"^\s*PAGE(\s|\\|$)", re.IGNORECASE)


def _footer_page_numbers(footer: Any, kind: str, styles: _Styles) -> list[PageNumber]:
    """Footer paragraphs that show a PAGE field, as text with the number replaced by "#"."""
    out: list[PageNumber] = []
    for p in footer.iter(W + "p"):
        if any(a.tag == _MC_FALLBACK for a in p.iterancestors()):
            continue  # the VML copy of a text box: the same paragraph twice
        found = _PageField(p, styles).read()
        if found is not None:
            out.append(PageNumber(found[0], found[1], kind))
    return out


class _PageField:
    """One footer paragraph's text, a PAGE field (simple or complex) shown as "#", and the size
    of the field's run."""

    def __init__(self, p: Any, styles: _Styles) -> None:
        self.p = p
        self.styles = styles
        ps = p.find(f"{W}pPr/{W}pStyle")
        self.pstyle = ps.get(W + "val") if ps is not None else None
        self.parts: list[str] = []
        self.sizes: list[float] = []
        self.found = False
        self.fields: list[dict[str, Any]] = []  # open complex fields: instruction, past "separate"

    def read(self) -> tuple[str, float | None] | None:
        todo = list(reversed(list(self.p)))
        while todo:  # document order, without recursion (a footer may nest deeply)
            el = todo.pop()
            if self._visit(el):
                todo.extend(reversed(list(el)))
        if not self.found:
            return None
        return "".join(self.parts).strip(), self.sizes[0] if self.sizes else None

    def _size(self, r: Any) -> float:
        rpr = r.find(W + "rPr")
        if rpr is not None and (sz := rpr.find(W + "sz")) is not None and (v := _num(sz.get(W + "val"))) is not None:
            return v / 2
        rs = rpr.find(W + "rStyle") if rpr is not None else None
        _f, size, _b = self.styles.base_run(self.pstyle, rs.get(W + "val") if rs is not None else None)
        return size if size is not None else DEFAULT_SIZE_PT

    def _number(self, run: Any | None) -> None:
        self.parts.append("#")
        self.found = True
        if run is not None:
            self.sizes.append(self._size(run))

    def _visit(self, el: Any) -> bool:
        """Handle one element; True: look inside it."""
        tag = el.tag
        if not isinstance(tag, str) or tag in (W + "txbxContent", _MC_FALLBACK, W + "del", W + "p"):
            return False
        if tag == W + "fldSimple":
            if not _PAGE_FIELD.match(el.get(W + "instr", "")):
                return True
            self._number(next(el.iter(W + "r"), el))
            return False
        if tag == W + "fldChar":
            t = el.get(W + "fldCharType")
            fields = self.fields
            if t == "begin":
                fields.append({"instr": "", "result": False})
            elif t == "separate" and fields:
                fields[-1]["result"] = True
                if _PAGE_FIELD.match(fields[-1]["instr"]):
                    r = el.getparent()
                    self._number(r if r is not None and r.tag == W + "r" else None)
            elif t == "end" and fields:
                top = fields.pop()
                if not top["result"] and _PAGE_FIELD.match(top["instr"]):
                    self._number(None)  # a field without a cached result
            return False
        if tag == W + "instrText":
            if self.fields:
                self.fields[-1]["instr"] += el.text or ""
            return False
        if tag == W + "t":
            top = self.fields[-1] if self.fields else None
            if top is None or (top["result"] and not _PAGE_FIELD.match(top["instr"])):
                self.parts.append(el.text or "")  # the text, or another field's result
            return False
        if tag in (W + "tab", W + "ptab"):
            self.parts.append(" ")
            return False
        return True
