"""Word reader: paragraph order, tables, Word automatic numbering, damaged files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from fzlint.errors import InputError
from fzlint.ingest import load_path
from fzlint.ingest.docx import format_number, read_docx
from tests.conftest import run_cli
from tests.docmaker import W_NS, install_numbering, set_num


def _numbering(*levels: tuple[int, str, str, int], nums: str = '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>') -> str:
    lv = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, fmt, text, start in levels
    )
    return f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="0">{lv}</w:abstractNum>{nums}</w:numbering>'


def _lines(document: docx.document.Document, tmp_path: Path) -> list[str]:
    path = tmp_path / "t.docx"
    document.save(path)
    return load_path(path).text.split("\n")


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"), (23, "chineseCountingThousand", "二十三"), (101, "chineseCountingThousand", "一百零一"),
        (110, "chineseCountingThousand", "一百一十"), (3, "ideographTraditional", "丙"), (11, "ideographTraditional", "甲"),
        (7, "decimal", "7"), (7, "decimalZero", "07"), (3, "decimalEnclosedCircleChinese", "③"), (4, "upperRoman", "IV"),
        (28, "lowerLetter", "bb"), (2, "chineseLegalSimplified", "贰"), (12, "decimalFullWidth", "１２"), (5, "none", ""),
    ],
)
def test_format_number(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


def test_bullets_get_no_marker() -> None:
    assert format_number(1, "bullet") is None


def test_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("某市2021年度法治政府建设情况报告")
    d.add_paragraph("")
    d.add_paragraph("一、主要举措和成效")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(0, 1).text = "数量"
    table.cell(1, 0).text = "行政复议案件"
    table.cell(1, 1).text = "12件"
    d.add_paragraph("二、存在的不足和原因")
    assert _lines(d, tmp_path) == [
        "某市2021年度法治政府建设情况报告", "", "一、主要举措和成效", "指标", "数量", "行政复议案件", "12件", "二、存在的不足和原因",
    ]


def test_merged_cells_are_read_once(tmp_path: Path) -> None:
    d = docx.Document()
    table = d.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "合并单元格"
    table.cell(1, 0).text = "甲"
    table.cell(1, 2).text = "丙"
    assert [ln for ln in _lines(d, tmp_path) if ln] == ["合并单元格", "甲", "丙"]


def test_line_breaks_tabs_and_hyperlinks_stay_on_the_paragraph_line(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行\t末尾")
    p._p.append(parse_xml(f'<w:hyperlink xmlns:w="{W_NS}"><w:r><w:t>链接文字</w:t></w:r></w:hyperlink>'))
    p._p.append(parse_xml(f'<w:del xmlns:w="{W_NS}"><w:r><w:delText>删除的字</w:delText></w:r></w:del>'))
    assert _lines(d, tmp_path) == ["第一行 第二行 末尾链接文字"]


def test_word_numbering_is_rendered_before_the_text(tmp_path: Path) -> None:
    d = docx.Document()
    install_numbering(d, _numbering((0, "chineseCounting", "%1、", 1), (1, "chineseCounting", "（%2）", 1), (2, "decimal", "%3.", 1)))
    for text, lvl in [("主要举措", 0), ("加强领导", 1), ("细则", 2), ("细则二", 2), ("完善制度", 1), ("存在的不足", 0), ("原因分析", 1)]:
        set_num(d.add_paragraph(text), 1, lvl)
    assert _lines(d, tmp_path) == ["一、主要举措", "（一）加强领导", "1.细则", "2.细则二", "（二）完善制度", "二、存在的不足", "（一）原因分析"]


def test_start_values_and_start_override(tmp_path: Path) -> None:
    d = docx.Document()
    nums = (
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    install_numbering(d, _numbering((0, "chineseCounting", "%1、", 3), nums=nums))
    set_num(d.add_paragraph("第三部分"), 1, 0)
    set_num(d.add_paragraph("第四部分"), 1, 0)
    set_num(d.add_paragraph("新列表"), 2, 0)
    assert _lines(d, tmp_path) == ["三、第三部分", "四、第四部分", "一、新列表"]


def test_numbering_shared_across_nums_of_one_list(tmp_path: Path) -> None:
    # Two w:num pointing at one abstractNum without overrides continue one list, as Word draws it.
    d = docx.Document()
    nums = '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>'
    install_numbering(d, _numbering((0, "chineseCounting", "%1、", 1), nums=nums))
    set_num(d.add_paragraph("甲"), 1, 0)
    set_num(d.add_paragraph("乙"), 5, 0)
    assert _lines(d, tmp_path) == ["一、甲", "二、乙"]


def test_numbering_inherited_from_the_paragraph_style(tmp_path: Path) -> None:
    d = docx.Document()
    install_numbering(d, _numbering((0, "chineseCounting", "%1、", 1), (1, "chineseCounting", "(%2)", 1)))
    styles = d.styles.element
    styles.append(parse_xml(
        f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="FzH1"><w:name w:val="fz heading 1"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    ))
    styles.append(parse_xml(
        f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="FzH1b"><w:name w:val="fz heading 1b"/>'
        '<w:basedOn w:val="FzH1"/></w:style>'
    ))
    styles.append(parse_xml(
        f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="FzH2"><w:name w:val="fz heading 2"/>'
        '<w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    ))
    d.add_paragraph("主要举措", style="fz heading 1")
    d.add_paragraph("加强领导", style="fz heading 2")
    d.add_paragraph("存在的不足", style="fz heading 1b")  # numPr inherited through basedOn
    p = d.add_paragraph("不编号的段落", style="fz heading 1")
    set_num(p, 0, 0)  # numId 0 switches the style's numbering off
    d.add_paragraph("下一步安排", style="fz heading 1")
    assert _lines(d, tmp_path) == ["一、主要举措", "(一)加强领导", "二、存在的不足", "不编号的段落", "三、下一步安排"]


def test_bullets_and_empty_numbered_paragraphs_add_nothing(tmp_path: Path) -> None:
    d = docx.Document()
    install_numbering(d, _numbering((0, "bullet", "\uf0b7", 1)))
    set_num(d.add_paragraph("要点"), 1, 0)
    set_num(d.add_paragraph(""), 1, 0)
    assert _lines(d, tmp_path) == ["要点", ""]


def _numbered_report(tmp_path: Path, lvl_text: str) -> Path:
    d = docx.Document()
    install_numbering(d, _numbering((0, "chineseCounting", lvl_text, 1)))
    d.add_paragraph("某市人民政府关于2021年度法治政府建设情况的报告")
    d.add_paragraph("2021年,我市深入推进法治政府建设,取得明显成效。")
    for head, body in [
        ("主要举措和成效", "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。"),
        ("存在的不足和原因", "一些部门依法行政意识不强,原因主要是学法不够深入。"),
        ("党政主要负责人履行推进法治建设第一责任人职责情况", "市政府主要负责人认真履行第一责任人职责。"),
        ("2022年主要工作安排", "持续深化行政执法体制改革。"),
    ]:
        set_num(d.add_paragraph(head), 1, 0)
        d.add_paragraph(body)
    d.add_paragraph("某市人民政府")
    d.add_paragraph("2022年1月20日")
    path = tmp_path / "numbered.docx"
    d.save(path)
    return path


def test_word_numbered_headings_are_found_as_headings(tmp_path: Path) -> None:
    proc = run_cli("--format", "json", "--exit-zero", str(_numbered_report(tmp_path, "%1、")))
    result = json.loads(proc.stdout)["files"][0]
    for element, line in [("measures", 3), ("problems", 5), ("first_responsible", 7), ("next_year_plan", 9)]:
        assert result["elements"][element]["status"] == "heading", element
        assert result["elements"][element]["line"] == line
    assert result["elements"]["measures"]["evidence"] == "一、主要举措和成效"


def test_findings_on_a_synthesized_marker_are_in_range(tmp_path: Path) -> None:
    # lvlText "%1." draws "一." — a malformed level-1 marker that fzlint reports at the marker itself.
    path = _numbered_report(tmp_path, "%1.")
    src = load_path(path)
    proc = run_cli("--format", "json", "--exit-zero", str(path))
    diags = json.loads(proc.stdout)["files"][0]["diagnostics"]
    on_marker = [d for d in diags if src.line_text(d["line"]).startswith("一.") and d["column"] == 1]
    assert on_marker, diags
    for d in diags:
        assert 1 <= d["line"] <= src.line_count
        assert 1 <= d["column"] <= len(src.line_text(d["line"])) + 1
        assert d["end_column"] <= len(src.line_text(d["end_line"])) + 1


def test_truncated_docx_is_a_clear_input_error(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    docx.Document().save(good)
    bad = tmp_path / "报告.docx"
    bad.write_bytes(good.read_bytes()[:2000])
    proc = run_cli(str(bad))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "报告.docx" in err and "损坏" in err and "Traceback" not in err
    proc = run_cli("--lang", "en", str(bad))
    assert proc.returncode == 2 and "damaged or truncated" in proc.stderr.decode()


def test_zip_that_is_not_word_is_a_clear_input_error(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not word")
    with pytest.raises(InputError) as exc:
        read_docx(buf.getvalue(), "x.docx")
    assert "Word" in exc.value.zh


def test_old_word_file_renamed_to_docx(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.docx")
    assert "--convert-to docx" in exc.value.zh and "--convert-to docx" in exc.value.en
