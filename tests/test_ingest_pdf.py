"""PDF reader: page furniture removed, broken lines joined into paragraphs, scans and damage refused.

The PDFs are real: python-docx writes Word files and LibreOffice exports them (see docmaker.py);
the line-geometry rules are also tested directly on hand-made lines.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from fzlint.errors import InputError
from fzlint.ingest import load_path
from fzlint.ingest.pdf import Line, join_paragraphs, read_pdf, strip_furniture
from tests.conftest import run_cli
from tests.docmaker import W_NS, _cjk_font, docx_to_pdf, require_soffice
from tests.ocrmaker import run_cli_without_ocr

PARAGRAPHS = [
    "2021年,我市坚持以习近平法治思想为指导,全面推进依法行政," * 3 + "法治政府建设取得新成效。",
    "一、主要举措和成效",
    "(一)深化行政执法体制改革。" + "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度," * 6 + "执法规范化水平明显提升。",
    "(二)完善依法行政制度体系。" + "严格落实重大行政决策程序规定,健全合法性审查机制," * 8 + "决策质量不断提高。",
    "二、存在的不足和原因",
    "一些部门运用法治思维和法治方式解决问题的能力还不强," * 10 + "原因主要是学法用法不够深入。",
    "三、下一年度主要安排",
    "持续深化“放管服”改革,推进严格规范公正文明执法," * 12 + "为高质量发展提供法治保障。",
]

FOOTERS = {
    "dash": ("- ", "PAGE", " -"),
    "di-ye": ("第 ", "PAGE", " 页"),
    "of": ("", "PAGE", "/", "NUMPAGES"),
    "lone": ("", "PAGE"),
    "gong-di": ("共 ", "NUMPAGES", " 页  第 ", "PAGE", " 页"),
}


def _footer(document, parts: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml

    fp = document.sections[0].footer.paragraphs[0]
    for part in parts:
        if part in ("PAGE", "NUMPAGES"):
            fp._p.append(parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" {part} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
        else:
            _cjk_font(fp.add_run(part))


def _report_docx(path: Path, footer: tuple[str, ...], *, indent: bool = True) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.7)
    sec.top_margin = sec.bottom_margin = Cm(3.5)
    _cjk_font(sec.header.paragraphs[0].add_run("某市人民政府办公室"))
    _footer(d, footer)
    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("某市2021年度法治政府建设情况报告")
    run.font.size = Pt(20)
    _cjk_font(run)
    for text in PARAGRAPHS:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        else:
            p.paragraph_format.space_after = Pt(10)  # flush-left paragraphs parted by spacing
        run = p.add_run(text)
        run.font.size = Pt(16)
        _cjk_font(run)
    d.save(path)
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pdfs")
    sources = [_report_docx(out / f"{name}.docx", parts) for name, parts in FOOTERS.items()]
    sources.append(_report_docx(out / "flush.docx", FOOTERS["dash"], indent=False))
    return {p.stem: p for p in docx_to_pdf(sources, out)}


def _page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    pdf.close()
    return texts


def test_fixture_pdfs_have_several_pages_and_furniture(pdfs: dict[str, Path]) -> None:
    pages = _page_texts(pdfs["di-ye"])
    assert len(pages) >= 3
    assert all("某市人民政府办公室" in t for t in pages)
    assert re.search(r"第\s*2\s*页", pages[1])


@pytest.mark.parametrize("name", [*FOOTERS, "flush"])
def test_paragraphs_rebuilt_and_furniture_removed(pdfs: dict[str, Path], name: str) -> None:
    src = load_path(pdfs[name])
    assert src.format == "pdf"
    lines = src.text.split("\n")
    assert lines == ["某市2021年度法治政府建设情况报告", *PARAGRAPHS]
    assert int(src.meta["pdf_furniture_removed"]) >= 2 * len(_page_texts(pdfs[name]))


def test_paragraph_broken_across_a_page_boundary_is_joined(pdfs: dict[str, Path]) -> None:
    pages = _page_texts(pdfs["dash"])
    flat = [re.sub(r"\s+", "", t) for t in pages]
    # some paragraph starts on one page and ends on the next
    split = [
        p for p in PARAGRAPHS
        if any(p[:12] in flat[i] and p[-12:] not in flat[i] and p[-12:] in flat[i + 1] for i in range(len(flat) - 1))
    ]
    assert split, "the test document must break a paragraph across pages"
    lines = load_path(pdfs["dash"]).text.split("\n")
    for p in split:
        assert p in lines


def test_pdf_findings_point_at_paragraph_lines(pdfs: dict[str, Path]) -> None:
    proc = run_cli("--format", "json", "--exit-zero", str(pdfs["dash"]))
    result = json.loads(proc.stdout)["files"][0]
    measures = result["elements"]["measures"]
    assert {k: measures[k] for k in ("status", "line", "evidence")} == {"status": "heading", "line": 3, "evidence": "一、主要举措和成效"}
    assert result["elements"]["problems"]["line"] == 6


def test_scanned_pdf_without_the_ocr_extra(pdfs: dict[str, Path], tmp_path: Path) -> None:
    # An image-only PDF: the pages of a real PDF rendered to bitmaps and placed as images.
    text_pdf = pdfium.PdfDocument(pdfs["dash"])
    scan = pdfium.PdfDocument.new()
    for i in range(2):
        page = text_pdf[i]
        w, h = page.get_size()
        bitmap = page.render(scale=1)
        new = scan.new_page(w, h)
        image = pdfium.PdfImage.new(scan)
        image.set_bitmap(bitmap)
        image.set_matrix(pdfium.PdfMatrix().scale(w, h))
        new.insert_obj(image)
        new.gen_content()
    path = tmp_path / "扫描件.pdf"
    scan.save(path)
    text_pdf.close()
    assert len(_page_texts(path)) == 2 and not "".join(_page_texts(path)).strip()
    # without the OCR extra (with it, tests/test_ocr.py reads scans)
    proc = run_cli_without_ocr(str(path))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "扫描件.pdf" in err and "OCR" in err and "没有文字层" in err and "Traceback" not in err
    assert "pip install 'fzlint[ocr]'" in err
    proc = run_cli_without_ocr("--lang", "en", str(path))
    assert proc.returncode == 2 and "no text layer" in proc.stderr.decode() and "OCR" in proc.stderr.decode()


def test_encrypted_pdf_is_a_clear_error(tmp_path: Path, pdfs: dict[str, Path]) -> None:
    exe = require_soffice()
    opts = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", f"pdf:writer_pdf_Export:{opts}",
         "--outdir", str(tmp_path), str(pdfs["dash"].with_suffix(".docx"))],
        check=True, capture_output=True, timeout=300,
    )
    proc = run_cli(str(tmp_path / "dash.pdf"))
    assert proc.returncode == 2
    assert "已加密" in proc.stderr.decode()


def test_corrupt_pdf_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 20, "bad.pdf")
    assert "损坏" in exc.value.zh and "damaged" in exc.value.en
    with pytest.raises(InputError) as exc:
        read_pdf(b"<html>not a pdf</html>", "page.pdf")
    assert "%PDF" in exc.value.zh


# ---- geometry rules on hand-made lines ---------------------------------------------------------
def _ln(text: str, x0: float, page: int = 0, y: float = 700, size: float = 16, x1: float | None = None) -> Line:
    return Line(page, text, x0, x1 if x1 is not None else min(518.0, x0 + size * len(text)), y + size, y, size)


def test_join_rules() -> None:
    lines = [
        _ln("某市法治政府建设情况报告", 200, y=760, size=20),  # centred title
        _ln("2021年,我市全面推进依法行政,持续深化", 109, y=720, x1=518),  # indented first line, full
        _ln("行政执法体制改革,成效明显。", 77, y=692),  # continuation, short: paragraph ends
        _ln("下一步,我们将继续努力,推进严格规范公正", 77, y=664, x1=518),  # flush-left new paragraph?
        _ln("文明执法。", 77, y=636),
        _ln("二、存在的不足", 109, y=608),  # indented heading
        _ln("一些部门依法行政意识不强,有的执法人员", 109, y=580, x1=518),
        _ln("素质有待提高。", 77, y=740, page=1),  # continues on the next page
        _ln("某市人民政府", 400, y=700, page=1, x1=518),  # right-aligned signature
        _ln("2022年1月10日", 410, y=672, page=1, x1=518),
    ]
    assert join_paragraphs(lines) == [
        "某市法治政府建设情况报告",
        "2021年,我市全面推进依法行政,持续深化行政执法体制改革,成效明显。",
        "下一步,我们将继续努力,推进严格规范公正文明执法。",
        "二、存在的不足",
        "一些部门依法行政意识不强,有的执法人员素质有待提高。",
        "某市人民政府",
        "2022年1月10日",
    ]


def test_heading_after_a_full_sentence_line_starts_a_paragraph() -> None:
    lines = [
        _ln("全面推行行政执法三项制度,执法水平提升。", 77, y=700, x1=518),
        _ln("(二)完善制度体系", 77, y=672),
    ]
    assert join_paragraphs(lines) == ["全面推行行政执法三项制度,执法水平提升。", "(二)完善制度体系"]


def test_latin_words_and_hyphens_are_joined_properly() -> None:
    lines = [_ln("the rule of law government construction and", 77, y=700, x1=518), _ln("assess\x02", 77, y=672, x1=518), _ln("ment report", 77, y=644)]
    assert join_paragraphs(lines) == ["the rule of law government construction and assessment report"]


@pytest.mark.parametrize("furniture", ["- 3 -", "— 3 —", "第 3 页", "第3页 共10页", "共10页 第3页", "3/10", "3 / 10", "3", "Page 3 of 10"])
def test_page_numbers_are_removed(furniture: str) -> None:
    pages = [[_ln("正文内容,一行文字。", 77, y=500), _ln(furniture, 280, y=40, size=10)]]
    kept, removed = strip_furniture(pages, [842.0])
    assert [ln.text for ln in kept[0]] == ["正文内容,一行文字。"]
    assert removed == [furniture]


def test_numbers_inside_the_page_and_unique_edge_lines_are_kept() -> None:
    pages = [
        [_ln("某市人民政府文件", 250, y=800, size=11), _ln("2021", 77, y=500), _ln("第一页最后一行。", 77, y=100)],
        [_ln("某市人民政府文件", 250, y=800, size=11), _ln("第二页正文。", 77, y=700), _ln("第二页最后一行。", 77, y=100)],
    ]
    kept, removed = strip_furniture(pages, [842.0, 842.0])
    assert [[ln.text for ln in p] for p in kept] == [["2021", "第一页最后一行。"], ["第二页正文。", "第二页最后一行。"]]
    assert removed == ["某市人民政府文件", "某市人民政府文件"]


def test_each_paragraph_keeps_the_page_it_starts_on(pdfs: dict[str, Path]) -> None:
    pages = [re.sub(r"\s+", "", t) for t in _page_texts(pdfs["dash"])]
    src = load_path(pdfs["dash"])
    of_line = [int(p) for p in src.meta["page_of_line"].split(",")]
    assert len(of_line) == src.line_count
    for text, page in zip(src.text.split("\n"), of_line):
        assert text[:10] in pages[page - 1]  # the paragraph's beginning is printed on that page
    assert len(pages) > 1 and max(of_line) >= len(pages) - 1  # (the last page may hold only a paragraph's end)
