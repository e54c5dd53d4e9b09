"""deadline (FZ321 publication before 4月1日, FZ322 departments' 3月1日 where a province requires it)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fzlint.rules.kinds.deadlines import parse_month_day
from tests.conftest import FIXTURES, lint_text, run_cli

PROVINCE = str(FIXTURES / "rulesets" / "province-dept-0301.yaml")


def report(issuer: str = "某市人民政府", page_date: str | None = None, signed: str | None = None, year: int = 2021) -> str:
    lines = [f"{issuer}关于{year}年度法治政府建设情况的报告"]
    if page_date:
        lines.append(f"发布时间:{page_date}")
    lines += [f"{year}年,我们依法行政。", "一、主要举措和成效", "全年办理复议案件12件。"]
    if signed:
        lines += [issuer, signed]
    return "\n".join(lines) + "\n"


def codes(text: str, ruleset: str = "fazhi-annual", **options) -> list:  # type: ignore[no-untyped-def]
    r, _ = lint_text(text, ruleset=ruleset, **options)
    return [f for f in r.findings if f.code in ("FZ321", "FZ322")]


def test_parse_month_day() -> None:
    assert parse_month_day("04-01") == (4, 1) and parse_month_day(None) is None
    with pytest.raises(ValueError):
        parse_month_day("4月1日")


@pytest.mark.parametrize(("page", "late"), [("2022-01-07", False), ("2022-03-31", False), ("2022-04-01", True), ("2023-02-01", True)])
def test_page_publication_date(page: str, late: bool) -> None:
    found = codes(report(page_date=page))
    assert bool(found) == late
    if late:
        assert found[0].code == "FZ321" and "2022年4月1日之前" in found[0].message and "页面显示的发布日期" in found[0].message


def test_published_option_overrides_page_date() -> None:
    found = codes(report(page_date="2022-03-01"), published=date(2022, 4, 20))
    assert len(found) == 1 and "--published 指定" in found[0].message and "迟20天" in found[0].message
    assert not codes(report(page_date="2022-05-01"), published=date(2022, 3, 1))


def test_signed_date_when_no_publication_date() -> None:
    found = codes(report(signed="2022年4月15日"))
    assert len(found) == 1 and "成文日期" in found[0].message
    assert not codes(report(signed="2022年3月15日"))


def test_no_date_no_finding() -> None:
    assert not codes(report())
    assert not codes(report().replace("2021年度", "").replace("2021年,", ""), published=date(2030, 1, 1))  # no year


def test_department_deadline_off_by_default() -> None:
    assert not codes(report(issuer="某县司法局", signed="2022年3月15日"))


def test_province_ruleset_turns_on_department_deadline() -> None:
    found = codes(report(issuer="某县司法局", signed="2022年3月15日"), ruleset=PROVINCE)
    assert [f.code for f in found] == ["FZ322"] and "2022年3月1日之前报送" in found[0].message
    # governments and townships are not departments; publication deadline still 4月1日
    assert not codes(report(issuer="某县人民政府", signed="2022年3月15日"), ruleset=PROVINCE)
    assert not codes(report(issuer="青石镇人民政府", signed="2022年3月15日"), ruleset=PROVINCE)
    assert not codes(report(issuer="某县司法局", signed="2022年2月20日"), ruleset=PROVINCE)
    both = codes(report(issuer="某县司法局", signed="2022年4月2日"), ruleset=PROVINCE)
    assert sorted(f.code for f in both) == ["FZ321", "FZ322"]


def test_cli_published_option_and_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "r.txt"
    p.write_text(report(), encoding="utf-8")
    proc = run_cli("--format", "json", "--published", "2022-04-08", str(p))
    f = json.loads(proc.stdout)["files"][0]
    d = [x for x in f["diagnostics"] if x["code"] == "FZ321"]
    assert len(d) == 1 and d[0]["severity"] == "warning" and d[0]["category"] == "date"
    proc2 = run_cli("--format", "json", "--ruleset", PROVINCE, str(p))
    assert proc2.returncode in (0, 1), proc2.stderr.decode()
    assert not [x for x in json.loads(proc2.stdout)["files"][0]["diagnostics"] if x["code"] in ("FZ321", "FZ322")]


def test_seeds_are_on_time() -> None:
    # 000 published 2022-01-07, 001 2022-03-10, 003 2022-03-28; 002/004 carry no publication date
    proc = run_cli("--format", "json", *(str(p) for p in sorted((FIXTURES.parent.parent / "seeds").glob("*.txt"))))
    for f in json.loads(proc.stdout)["files"]:
        assert not [d for d in f["diagnostics"] if d["code"] in ("FZ321", "FZ322")], f["path"]
