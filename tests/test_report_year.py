"""The report year (document/build.py: _read_year) when the title has none, and how it was read
(report.year_source / year_basis in JSON); FZ303 only when nothing indicates the year."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, lint_text, run_cli, seed

BODY = "一、主要举措和成效\n全年办理复议案件12件。\n二、存在的不足和原因\n执法力量不足,原因是编制紧张。\n"


def _year(text: str) -> tuple[int | None, str | None, str | None, list[str]]:
    r, _ = lint_text(text)
    m = r.doc.meta
    return m.year, m.year_source, m.year_basis, [f.code for f in r.findings if f.code == "FZ303"]


@pytest.mark.parametrize(
    ("text", "year", "source", "basis"),
    [
        # signed in the first half of N+1: a report on N
        ("某县司法局法治政府建设工作报告\n今年以来,我局坚持依法行政。\n" + BODY + "某县司法局\n2024年1月18日\n", 2023, "signature", "2024年1月18日"),
        # signed late in N ("今年以来" written at the year's end): a report on N
        ("某县人民政府法治政府建设情况报告\n今年以来,我县坚持依法行政。\n" + BODY + "某县人民政府\n2022年12月20日\n", 2022, "signature", "年内成文"),
        ("某市水务局法治政府建设年度报告\n发布时间:2021-03-05\n一年来,我局坚持依法行政。\n" + BODY, 2020, "published", "2021-03-05"),
        # the opening sentence, after a 主送机关 line
        ("某镇法治政府建设工作报告\n县委、县政府:\n2023年,我镇坚持依法行政。\n" + BODY, 2023, "opening", "2023年"),
        ("某区法治政府建设情况的报告\n二〇二一年,我区坚持依法行政。\n" + BODY, 2021, "opening", "二〇二一年"),
        # the next-year plan's heading: 2025年工作计划 -> 2024
        ("某县法治政府建设工作报告\n" + BODY + "三、2025年工作计划\n加强执法队伍建设。\n", 2024, "plan", "2025年工作计划"),
        # nothing else: the year opening the text's sentences
        ("某县法治政府建设工作报告\n" + BODY.replace("12件。", "12件。2022年全县调解纠纷300件。") + "2022年以来,执法队伍持续壮大。\n", 2022, "body", "2022年"),
        ("某市人民政府关于2021年度法治政府建设情况的报告\n" + BODY, 2021, "title", "2021年度"),
    ],
)
def test_year_and_its_source(text: str, year: int, source: str, basis: str) -> None:
    y, src, why, fz303 = _year(text)
    assert (y, src) == (year, source) and basis in (why or "") and fz303 == []


def test_no_indication_at_all_is_fz303() -> None:
    y, src, why, fz303 = _year("某县法治政府建设工作报告\n今年以来,我县坚持依法行政。\n" + BODY)
    assert (y, src, why) == (None, None, None) and fz303 == ["FZ303"]


def test_tied_body_years_are_no_indication() -> None:
    y, _, _, fz303 = _year("某县法治政府建设工作报告\n" + BODY + "2021年,办理案件8件。2022年,办理案件9件。\n")
    assert y is None and fz303 == ["FZ303"]


def test_title_still_wins_over_the_signature() -> None:
    y, src, _, _ = _year("某市人民政府关于2021年度法治政府建设情况的报告\n" + BODY + "某市人民政府\n2021年12月2日\n")
    assert (y, src) == (2021, "title")


def test_seed_002_year_from_its_subtitle_not_the_wrong_title() -> None:
    r, _ = lint_text(seed("002").read_text("utf-8"))
    assert (r.doc.meta.year, r.doc.meta.year_source) == (2019, "subtitle")


def test_json_and_text_say_how_the_year_was_inferred(tmp_path: Path) -> None:
    path = FIXTURES / "defects" / "dept_noyear.txt"
    out = json.loads(run_cli("--format", "json", str(path)).stdout)
    report = out["files"][0]["report"]
    assert report["year"] == 2023 and report["year_source"] == "signature"
    assert report["year_basis"] == "成文日期2024年1月18日(次年上半年成文,报告上一年度)"
    assert "FZ303" not in {d["code"] for d in out["files"][0]["diagnostics"]}
    text = run_cli(str(path)).stdout.decode("utf-8")
    assert "报告年度:2023(据成文日期推断)" in text
    # a title year needs no note
    assert "报告年度:2021  " in run_cli(str(seed("001"))).stdout.decode("utf-8")


def test_gb18030_and_pdf_like_copies_read_the_same_year(tmp_path: Path) -> None:
    src = (FIXTURES / "defects" / "township_runin.txt").read_text("utf-8")
    gb = tmp_path / "青溪镇.txt"
    gb.write_bytes(src.encode("gb18030"))
    wrapped = tmp_path / "青溪镇_pdf.txt"
    wrapped.write_text("\n".join(ln[i : i + 24] for ln in src.splitlines() for i in range(0, max(len(ln), 1), 24)), "utf-8")
    for path in (gb, wrapped):
        report = json.loads(run_cli("--format", "json", str(path)).stdout)["files"][0]["report"]
        assert (report["year"], report["year_source"]) == (2023, "opening"), path.name
