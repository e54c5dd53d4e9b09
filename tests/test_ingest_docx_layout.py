"""ingest/docx_layout.py: the effective formatting of real Word files made with python-docx.

Each test writes a .docx, reads it through fzlint's reader (`load_path`) and checks what the
layout reader resolves: run properties through character style, paragraph style, basedOn chain
and document defaults; East Asian and Latin font slots apart; theme fonts; list-level indents;
page setup; page-number fields in footers; columns of the Source line.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from fzlint.ingest import load_path
from fzlint.ingest.docx import _blocks, _paragraph_text
from fzlint.ingest.docx_layout import PageNumber, _segments
from tests.docmaker import install_numbering, set_num
from tests.layoutmaker import W_NS, _set_theme_font, make_layout_docx


def _xml(s: str):  # type: ignore[no-untyped-def]
    return parse_xml(s.replace("XMLNS", f'xmlns:w="{W_NS}"', 1))


def _fonts(el, **slots: str) -> None:  # type: ignore[no-untyped-def]
    rf = el.get_or_add_rPr().get_or_add_rFonts()
    for k, v in slots.items():
        rf.set(qn(f"w:{k}"), v)


def test_run_style_chain_and_defaults(tmp_path: Path) -> None:
    d = docx.Document()
    base = d.styles.add_style("公文正文基", WD_STYLE_TYPE.PARAGRAPH)
    base.font.size = Pt(16)
    _fonts(base.element, eastAsia="仿宋_GB2312")
    small = d.styles.add_style("小字", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = base
    small.font.size = Pt(12)  # size from the style, East Asian font from its base
    hei = d.styles.add_style("黑体字", WD_STYLE_TYPE.CHARACTER)
    _fonts(hei.element, eastAsia="黑体")
    p = d.add_paragraph(style=small)
    p.add_run("继承样式")
    p.add_run("字符样式", style=hei)
    r = p.add_run("直接格式")
    r.font.size = Pt(22)
    _fonts(r._r, eastAsia="方正小标宋简体")
    d.save(tmp_path / "a.docx")
    pl = load_path(tmp_path / "a.docx").layout.paragraph(0)
    by_text = {pl.text[s:e]: props for s, e, props in pl.segments}
    assert (by_text["继承样式"].east_asia, by_text["继承样式"].size) == ("仿宋_GB2312", 12)
    assert (by_text["字符样式"].east_asia, by_text["字符样式"].size) == ("黑体", 12)
    assert (by_text["直接格式"].east_asia, by_text["直接格式"].size) == ("方正小标宋简体", 22)


def test_east_asian_and_latin_slots_resolve_apart(tmp_path: Path) -> None:
    d = docx.Document()
    _fonts(d.styles["Normal"].element, eastAsia="仿宋_GB2312", ascii="宋体", hAnsi="宋体")
    p = d.add_paragraph()
    r = p.add_run("2023年")
    _fonts(r._r, ascii="Times New Roman", hAnsi="Times New Roman")  # Latin only: East Asian inherited
    d.save(tmp_path / "a.docx")
    props = load_path(tmp_path / "a.docx").layout.paragraph(0).segments[0][2]
    assert (props.east_asia, props.ascii) == ("仿宋_GB2312", "Times New Roman")


@pytest.mark.parametrize(("lang", "script", "expected"), [("zh-CN", "Hans", "仿宋"), ("zh-TW", "Hant", "標楷體"), (None, "Hans", "仿宋")])
def test_theme_fonts_follow_the_east_asian_theme_language(tmp_path: Path, lang: str | None, script: str, expected: str) -> None:
    path = tmp_path / "a.docx"
    d = docx.Document()  # docDefaults: eastAsiaTheme="minorEastAsia", asciiTheme="minorHAnsi"
    d.add_paragraph("主题字体")
    d.save(path)
    _set_theme_font(path, expected, script, lang)
    props = load_path(path).layout.paragraph(0).segments[0][2]
    assert props.east_asia == expected
    assert props.ascii == "Cambria"  # minorHAnsi of the same theme


def test_paragraph_properties_direct_list_level_style(tmp_path: Path) -> None:
    d = docx.Document()
    normal = d.styles["Normal"]
    normal.element.get_or_add_pPr().append(_xml('<w:spacing XMLNS w:line="560" w:lineRule="exact"/>'))
    normal.element.get_or_add_pPr().append(_xml('<w:ind XMLNS w:firstLineChars="200" w:firstLine="640"/>'))
    install_numbering(
        d,
        f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:pPr><w:ind w:left="0" w:hanging="0"/></w:pPr>'
        '</w:lvl></w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num></w:numbering>',
    )
    d.add_paragraph("正文段落")
    h = d.add_paragraph("主要举措")
    set_num(h, 5, 0)
    c = d.add_paragraph("居中")
    c.alignment = 1
    c.paragraph_format.line_spacing = 1.5
    d.save(tmp_path / "a.docx")
    src = load_path(tmp_path / "a.docx")
    body, heading, centred = (src.layout.paragraph(i) for i in range(3))
    assert (body.line, body.line_rule, body.ind) == (560, "exact", {"firstLineChars": 200, "firstLine": 640})
    # the list level's hanging replaces the style's firstLine; its left is added
    assert heading.ind == {"left": 0, "hanging": 0}
    assert src.line_text(2) == "一、主要举措"  # the synthesized marker has no run
    assert heading.segments[0][0] == 2
    assert (centred.align, centred.line, centred.line_rule) == ("center", 360, "auto")


def test_source_columns_and_segment_text_match_the_reader(tmp_path: Path) -> None:
    path = make_layout_docx(tmp_path / "a.docx")
    src = load_path(path)
    lay = src.layout
    for i in range(lay.line_count):
        pl = lay.paragraph(i)
        covered = "".join(pl.text[s:e] for s, e, _p in pl.segments)
        assert covered == src.line_text(i + 1)
    body = docx.Document(str(path)).element.body
    for p in _blocks(body):
        assert "".join(t for t, _r, _tab in _segments(p)) == _paragraph_text(p)


def test_sections_and_document_grid(tmp_path: Path) -> None:
    path = make_layout_docx(tmp_path / "a.docx", "纸张=Letter；行距=单倍+网格28.95")
    sec = load_path(path).layout.sections()[0]
    assert round(sec.width or 0, 1) == 215.9 and round(sec.height or 0, 1) == 279.4
    assert round(sec.top or 0) == 37 and round(sec.left or 0) == 28
    assert sec.grid_pitch == pytest.approx(28.95)
    assert not sec.landscape


def test_page_number_forms(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("正文")
    fp = d.sections[0].footer.paragraphs[0]
    r = fp.add_run("第 ")
    r.font.size = Pt(10.5)
    # a complex field: begin, instruction, separate, cached result, end
    for xml in (
        '<w:r XMLNS><w:rPr><w:sz w:val="21"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r XMLNS><w:instrText xml:space="preserve"> PAGE  \\* MERGEFORMAT </w:instrText></w:r>',
        '<w:r XMLNS><w:rPr><w:sz w:val="21"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>',
        '<w:r XMLNS><w:t>7</w:t></w:r>',
        '<w:r XMLNS><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        fp._p.append(_xml(xml))
    fp.add_run(" 页 共 ")
    fp._p.append(_xml('<w:fldSimple XMLNS w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple>'))
    fp.add_run(" 页")
    d.save(tmp_path / "a.docx")
    numbers, footers = load_path(tmp_path / "a.docx").layout.page_numbers()
    assert footers
    assert [(n.form, n.size) for n in numbers] == [("第 # 页 共 9 页", 10.5)]


def test_page_number_in_a_text_box_counts_once(tmp_path: Path) -> None:
    # WPS puts the page number in a text box, with a VML copy in mc:Fallback
    d = docx.Document()
    d.add_paragraph("正文")
    fp = d.sections[0].footer.paragraphs[0]
    box = (
        '<w:p XMLNS><w:r><w:t>— </w:t></w:r><w:fldSimple w:instr="PAGE"><w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
        "<w:r><w:t> —</w:t></w:r></w:p>"
    )
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    fp._p.append(
        _xml(
            f'<w:r XMLNS><mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:drawing><w:txbxContent>{box.replace("XMLNS", "")}</w:txbxContent></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><w:txbxContent>{box.replace("XMLNS", "")}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
        )
    )
    d.save(tmp_path / "a.docx")
    numbers, _ = load_path(tmp_path / "a.docx").layout.page_numbers()
    assert [(n.form, n.size) for n in numbers] == [("— # —", 14)]


def test_table_paragraphs_are_marked(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("表前")
    d.add_table(rows=1, cols=2).rows[0].cells[0].text = "单元格"
    d.save(tmp_path / "a.docx")
    lay = load_path(tmp_path / "a.docx").layout
    assert [lay.paragraph(i).in_table for i in range(lay.line_count)] == [False, True, True]


def test_layout_is_dropped_when_a_source_is_pickled(tmp_path: Path) -> None:
    # -j N sends results (with their Source) between processes: the parsed document stays behind
    src = load_path(make_layout_docx(tmp_path / "a.docx"))
    assert src.layout is not None
    back = pickle.loads(pickle.dumps(src))
    assert back.layout is None and back.text == src.text


def test_tab_positioned_paragraphs_are_flagged(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run().add_tab()
    p.add_run("2024年3月1日")
    q = d.add_paragraph("前\t后")
    d.save(tmp_path / "a.docx")
    lay = load_path(tmp_path / "a.docx").layout
    assert (lay.paragraph(0).positioned, lay.paragraph(0).lead_tab) == (True, True)
    assert (lay.paragraph(1).positioned, lay.paragraph(1).lead_tab) == (True, False)
    assert q.text == "前\t后"


def test_twips_helpers_match_python_docx(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("x")
    s = d.sections[0]
    s.top_margin = Twips(2098)
    d.save(tmp_path / "a.docx")
    assert round(load_path(tmp_path / "a.docx").layout.sections()[0].top or 0, 2) == 37.01


def test_damaged_values_are_ignored_not_fatal(tmp_path: Path) -> None:
    import re
    import zipfile

    path = make_layout_docx(tmp_path / "a.docx")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    doc = parts["word/document.xml"].decode()
    doc = doc.replace('w:w="11906"', 'w:w="abc"').replace('w:top="2098"', 'w:top="nan"', 1)
    doc = re.sub(r"<w:t>", '<w:r><w:rPr><w:sz w:val="inf"/></w:rPr></w:r><w:t>', doc, count=3)
    parts["word/document.xml"] = doc.encode()
    styles = parts["word/styles.xml"].decode()
    styles = styles.replace('w:line="560"', 'w:line="x"').replace('w:firstLineChars="200"', 'w:firstLineChars="1e999"')
    parts["word/styles.xml"] = styles.encode()
    parts["word/theme/theme1.xml"] = b"not xml"  # theme fonts unknown: skipped, not guessed
    with zipfile.ZipFile(path, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    from fzlint.engine import Linter
    from fzlint.rules.loader import load_ruleset

    src = load_path(path)
    result = Linter(load_ruleset("fazhi-annual")).lint_source(src)
    assert not any("版式信息无法完整读取" in n for n in src.notes), src.notes
    sec = src.layout.sections()[0]
    assert sec.width is None and sec.top is None
    assert all(f.message and "{" not in f.message for f in result.findings)


class _ZipPackage:
    """A package read with zipfile and a safe parser: what a reader without python-docx has."""

    def __init__(self, data: bytes) -> None:
        import io
        import zipfile

        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = {n.lower(): n for n in self.zip.namelist()}

    def has(self, part: str) -> bool:
        return part.lower() in self.names

    def xml(self, part: str):  # type: ignore[no-untyped-def]
        from fzlint.ingest.docx_layout import _safe_xml

        return _safe_xml(self.zip.read(self.names[part.lower()]))


def test_a_package_adapter_gives_the_same_layout(tmp_path: Path) -> None:
    # the layout reader depends on three things only (body, part(kind), related(r:id)): a reader
    # with its own package (no python-docx) gets the same facts through PackageParts
    from fzlint.ingest.docx import _blocks
    from fzlint.ingest.docx_layout import DocxLayout, PackageParts, W

    path = make_layout_docx(tmp_path / "a.docx", "正文字体=主题字体仿宋；页码=- 1 -；行距=单倍+网格28.95")
    src = load_path(path)
    pkg = _ZipPackage(path.read_bytes())
    body = pkg.xml("word/document.xml").find(W + "body")
    lines = [src.line_text(i + 1) for i in range(src.line_count)]
    other = DocxLayout(PackageParts(pkg, "word/document.xml", body), list(_blocks(body)), {}, lines)
    ours = src.layout
    assert other.sections() == ours.sections()
    assert other.page_numbers() == ours.page_numbers() == ([PageNumber("- # -", 14, "default")], True)
    assert other.styles().theme == ours.styles().theme and other.styles().theme["minorEastAsia"] == "仿宋"
    for i in range(ours.line_count):
        a, b = other.paragraph(i), ours.paragraph(i)
        assert (a.align, a.ind, a.line, a.line_rule, a.in_table) == (b.align, b.ind, b.line, b.line_rule, b.in_table)
        assert [(s, e, p) for s, e, p in a.segments] == [(s, e, p) for s, e, p in b.segments]
