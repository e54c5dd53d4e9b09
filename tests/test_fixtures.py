"""Our own varied reports (other issuers, levels, years, encodings, layouts, defects)."""

from __future__ import annotations

from fzlint.engine import Linter
from fzlint.ingest import load_path
from fzlint.rules.loader import load_ruleset
from fzlint.score import compute
from tests.conftest import FIXTURES


def lint(name: str):  # type: ignore[no-untyped-def]
    rs = load_ruleset()
    result = Linter(rs).lint_source(load_path(FIXTURES / name))
    return result, compute(result.findings, rs)


# P100 notes (once, weight 0) that a file's punctuation was converted to half-width as a whole,
# as these fixtures imitate the seeds; it is not a defect of the report's content.
CONVERSION_NOTE = "P100"


def codes_of(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.code for f in result.findings if f.code != CONVERSION_NOTE]


def table(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k: v.status for k, v in result.elements.items()}


def test_clean_department_report_has_no_findings() -> None:
    result, score = lint("dept_clean_2022.txt")
    assert codes_of(result) == []
    assert score.value == 100
    assert result.doc.meta.body_kind == "department" and result.doc.meta.year == 2022
    assert table(result)["causes"] == "heading"


def test_pdf_copy_with_hard_wraps_and_page_numbers_reads_the_same() -> None:
    a, sa = lint("dept_clean_2022.txt")
    b, sb = lint("dept_clean_2022_pdfcopy.txt")
    assert table(a) == table(b)
    assert [f.code for f in a.findings] == [f.code for f in b.findings]
    assert sa.value == sb.value
    assert {s.reason for s in b.doc.stripped} == {"页码"}


def test_township_report_in_utf8_and_gb18030_crlf() -> None:
    a, sa = lint("township_2023.txt")
    b, sb = lint("township_2023_gb18030.txt")
    assert a.doc.meta.body_kind == "township"
    assert table(a) == table(b) and table(a)["causes"] == "inline"
    assert codes_of(a) == codes_of(b) == []
    # positions refer to each file's own lines
    assert [e.line for e in a.elements.values()] == [e.line for e in b.elements.values()]


def test_defects_are_each_found_once() -> None:
    result, score = lint("county_2020_defects.md")
    codes = sorted(codes_of(result))
    # FZ122: the measures part touches 2 of the 2015—2020 纲要's 7 areas (info, no deduction);
    # FZ123: "(三)推进严格规范公正文明执法" has no figure, date, document or case (info)
    assert codes == ["D101", "D102", "D104", "FZ112", "FZ122", "FZ123", "FZ302", "FZ401"]
    assert table(result)["next_year_plan"] == "heading"
    d104 = next(f for f in result.findings if f.code == "D104")
    assert d104.fix is not None and d104.fix.replacement == "2021年1月5日"
    assert score.grade in ("合格", "不合格")
