"""Build the same report as .txt, .docx (typed or Word-numbered headings), .html and .pdf for tests.

Everything is made from text inside the test's tmp dir: python-docx writes the Word files, the
web page is written by hand with navigation and footer around the body, and LibreOffice
(`soffice --headless --convert-to pdf`) turns the Word files into PDFs with a real text layer.
"""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

LEVEL1 = re.compile(r"^([一二三四五六七八九十]{1,3})、")
_CN = "一二三四五六七八九十"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def seed_body(seed_path: Path) -> list[str]:
    """The report itself from a seed (a saved web page): title, paragraphs, signature lines.

    Page furniture that fzlint strips (breadcrumbs, share buttons, 发布时间 lines, footers) is left
    out; lines the seed broke inside a paragraph are joined, as fzlint joins them.
    """
    from fzlint.document.build import build_document
    from fzlint.ingest import load_path

    src = load_path(seed_path)
    doc = build_document(src)
    text = src.text
    out: list[str] = []
    assert doc.meta.title_span is not None
    out.append(text[doc.meta.title_span[0] : doc.meta.title_span[1]].strip())
    last_line = 0
    for p in doc.paragraphs:
        v = p.view
        s, e = v.to_doc(0), v.to_doc(len(v.text) - 1) + 1
        out.append("".join(part.strip() for part in text[s:e].splitlines()))
        last_line = src.position(e)[0]
    sig = doc.meta.signature
    if sig is not None:
        end = sig.date.end if sig.date is not None else (sig.issuer_span[1] if sig.issuer_span else 0)
        end_line = src.position(end)[0]
        stripped = {s.line for s in doc.stripped}
        for ln in range(last_line + 1, end_line + 1):
            t = src.line_text(ln).strip()
            if t and ln not in stripped:
                out.append(t)
    return out


# ---- .docx -----------------------------------------------------------------------------------
def _numbering_xml(level1_fmt: str = "chineseCounting") -> str:
    return (
        f'<w:numbering xmlns:w="{W_NS}">'
        '<w:abstractNum w:abstractNumId="7"><w:multiLevelType w:val="multilevel"/>'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{level1_fmt}"/><w:lvlText w:val="%1、"/>'
        '<w:lvlJc w:val="left"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/>'
        '<w:lvlJc w:val="left"/><w:suff w:val="nothing"/></w:lvl>'
        "</w:abstractNum>"
        '<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>'
        "</w:numbering>"
    )


def install_numbering(document, xml: str) -> None:  # type: ignore[no-untyped-def]
    """Replace the document's numbering part (python-docx has no API for list definitions)."""
    from docx.oxml import parse_xml

    part = document.part.numbering_part
    part._element = parse_xml(xml)


def set_num(paragraph, num_id: int, ilvl: int) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    lvl = OxmlElement("w:ilvl")
    lvl.set(qn("w:val"), str(ilvl))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    numpr.append(lvl)
    numpr.append(nid)
    ppr.append(numpr)


def _cjk_font(run, name: str = "Noto Serif CJK SC") -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    run.font.name = name
    rpr = run._r.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_furniture(document) -> None:  # type: ignore[no-untyped-def]
    """A running header and a `- N -` page number footer, as government documents carry."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    sec = document.sections[0]
    hp = sec.header.paragraphs[0]
    hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _cjk_font(hp.add_run("XX市人民政府办公室文件"))
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _cjk_font(fp.add_run("- "))
    fp._p.append(parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    _cjk_font(fp.add_run(" -"))


def write_docx(lines: list[str], path: Path, *, auto_numbering: bool = False, furniture: bool = True) -> Path:
    """Title (centred) then one Word paragraph per line; signature lines right-aligned.

    With auto_numbering, level-1 headings (`一、…`) lose their typed marker and get Word list
    numbering (numFmt chineseCounting, lvlText `%1、`) instead.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    sec = document.sections[0]
    from docx.shared import Cm

    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    if furniture:
        _page_furniture(document)
    if auto_numbering:
        install_numbering(document, _numbering_xml())
    sig_from = len(lines)
    while sig_from - 1 > 0 and len(lines[sig_from - 1]) <= 30 and not lines[sig_from - 1].endswith("。"):
        sig_from -= 1
    expected = 1
    for i, line in enumerate(lines):
        p = document.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(0)
        text = line
        size = 16
        if i == 0:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            size = 20
        elif i >= sig_from:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Pt(32)
            m = LEVEL1.match(line)
            if auto_numbering and m and m.group(1) == _CN[expected - 1]:
                text = line[m.end() :]
                set_num(p, 3, 0)
                expected += 1
        run = p.add_run(text)
        run.font.size = Pt(size)
        _cjk_font(run)
    document.save(path)
    return path


# ---- .html -----------------------------------------------------------------------------------
def write_html(lines: list[str], path: Path, *, encoding: str = "utf-8", published: str = "2022-03-10") -> Path:
    """A saved government page: navigation, breadcrumb, title, date line, body, related links, footer."""
    esc = html_lib.escape
    paras = "\n".join(f'<p style="text-indent:2em">{esc(ln)}</p>' for ln in lines[1:])
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">
<title>{esc(lines[0])}_XX市人民政府门户网站</title>
<meta name="PubDate" content="{published} 09:30">
<script>var _hmt = _hmt || [];</script></head>
<body><div class="top-bar"><a href="/">无障碍</a> <a href="/en">English</a> <a href="/m">长者模式</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li><li><a href="/zjxx">走进本市</a></li></ul></div>
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/fzzf">法治政府建设</a></div>
<div class="article"><h1 class="title">{esc(lines[0])}</h1>
<div class="info">发布时间：{published}　来源：市司法局　【字体：大 中 小】【打印】【关闭】</div>
<div class="content" id="zoom">
{paras}
</div></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a1">关于印发2022年全市依法行政工作要点的通知</a></li>
<li><a href="/a2">市司法局2021年度法治政府建设情况报告</a></li></ul></div>
<div class="footer"><p>主办单位：XX市人民政府办公室　承办单位：XX市大数据中心</p>
<p>网站标识码：4409810016　ICP备16116520号　公网安备 44098102441048号</p></div>
<script>document.write("<span id='_ideConac'></span>");</script></body></html>"""
    path.write_bytes(page.encode(encoding))
    return path


# ---- .pdf ------------------------------------------------------------------------------------
def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """LibreOffice, or skip (only outside CI: .ci/run installs it)."""
    exe = soffice()
    if exe is None:
        if os.environ.get("CI"):
            raise AssertionError("LibreOffice (soffice) is missing in CI: .ci/run must install libreoffice-writer")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer fonts-noto-cjk)")
    return exe


def docx_to_pdf(docx_files: list[Path], outdir: Path) -> list[Path]:
    """Convert Word files to PDF with one LibreOffice start (its own profile: runs never collide)."""
    exe = require_soffice()
    profile = outdir / "lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(outdir), *map(str, docx_files)],
        check=True, capture_output=True, timeout=300,
    )
    out = [outdir / (f.stem + ".pdf") for f in docx_files]
    for f in out:
        assert f.exists(), f"LibreOffice did not write {f}"
    return out
