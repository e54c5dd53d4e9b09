"""task_coverage (FZ122): which 纲要 task areas the measures part reports on."""

from __future__ import annotations

from tests.conftest import lint_text, seed

NINE = "深化“放管服”改革。开展规范性文件备案审查。落实重大行政决策程序。推进综合行政执法改革。做好疫情防控应急处置。加强人民调解。自觉接受人大监督。推进数字政府建设。坚持党的领导。"


def report(year: int, measures: str, issuer: str = "某市人民政府") -> str:
    return f"{issuer}关于{year}年度法治政府建设情况的报告\n一、主要举措和成效\n{measures}\n二、存在的不足和原因\n执法力量不足,原因是编制紧张。\n"


def coverage(text: str, **options):  # type: ignore[no-untyped-def]
    r, _ = lint_text(text, **options)
    return r.elements["measures"].detail["content"].get("gangyao"), [f for f in r.findings if f.code == "FZ122"]


def test_2021_2025_all_nine_areas() -> None:
    g, found = coverage(report(2022, NINE))
    assert g["edition"] == "2021—2025年" and len(g["covered"]) == 9 and g["missing"] == []
    assert not found


def test_missing_areas_listed_as_info() -> None:
    g, found = coverage(report(2021, "深化“放管服”改革,开展规范性文件备案审查。"))
    assert g["covered"] == ["政府机构职能体系", "依法行政制度体系"]
    assert len(found) == 1 and found[0].severity == "info"
    assert "突发事件应对体系" in found[0].message and "(已涉及2/9个方面)" in found[0].message


def test_2016_2020_uses_the_seven_areas() -> None:
    g, found = coverage(report(2018, "深化简政放权。组织领导干部学法。"))
    assert g["edition"] == "2015—2020年" and g["covered"] == ["依法全面履行政府职能", "提高法治思维和依法行政能力"]
    assert len(g["covered"]) + len(g["missing"]) == 7 and found


def test_after_2025_says_not_configured_once() -> None:
    g, found = coverage(report(2026, NINE))
    assert g == {"edition": None, "year": 2026}
    assert len(found) == 1 and "未配置" in found[0].message and "2026" in found[0].message


def test_year_from_options_and_unknown_year() -> None:
    text = "某市人民政府法治政府建设情况报告\n一、主要举措和成效\n深化简政放权。\n"
    g, found = coverage(text)
    assert g is None and not found  # no year: FZ303 says so, coverage says nothing
    g2, _ = coverage(text, report_year=2019)
    assert g2["edition"] == "2015—2020年"


def test_emergency_bureau_name_is_not_emergency_work() -> None:
    g, _ = coverage(report(2021, "我区应急局按照示范点创建工作标准开展创建。"))
    assert "突发事件应对体系" not in g["covered"]


def test_department_and_township_coverage_shown_without_finding() -> None:
    for issuer, kind in (("某县市场监督管理局", "department"), ("青石镇人民政府", "township")):
        r, _ = lint_text(report(2022, "全年办理行政执法案件214件。", issuer=issuer))
        assert r.doc.meta.body_kind == kind
        assert r.elements["measures"].detail["content"]["gangyao"]["covered"] == ["行政执法工作体系"]
        assert not [f for f in r.findings if f.code == "FZ122"]


def test_government_finding_costs_nothing() -> None:
    _, score = lint_text(report(2022, "全年办理行政处罚案件214件。"))
    assert all(d.code != "FZ122" for d in score.deductions)


def test_seed_coverage() -> None:
    expected = {"000": 9, "001": 9, "002": 7, "003": 9, "004": 8}
    for prefix, n in expected.items():
        g, _ = coverage(seed(prefix).read_text(encoding="utf-8"))
        assert len(g["covered"]) == n, (prefix, g)
    g, _ = coverage(seed("004").read_text(encoding="utf-8"))
    assert g["missing"] == ["突发事件应对体系"]
