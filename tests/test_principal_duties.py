"""principal_duties (FZ121): the 第一责任人 part reports what THIS body's principal did."""

from __future__ import annotations

import pytest

import regex

from fzlint.rules.kinds.principal_duties import issuer_level, required_literals
from tests.conftest import lint_text, seed

TEMPLATE = (
    "{issuer}关于2021年度法治政府建设情况的报告\n"
    "一、主要举措和成效\n全年办理复议案件12件。\n"
    "二、{heading}\n{body}\n"
    "三、存在的不足和原因\n执法力量不足,原因是编制紧张。\n"
    "四、2022年工作安排\n加强执法队伍建设。\n"
)


def duties(issuer: str, body: str, heading: str = "党政主要负责人履行推进法治建设第一责任人职责情况"):  # type: ignore[no-untyped-def]
    r, score = lint_text(TEMPLATE.format(issuer=issuer, heading=heading, body=body))
    hit = r.elements["first_responsible"]
    found = [f for f in r.findings if f.code == "FZ121"]
    return hit.detail["content"]["duties"], found, score


def test_issuer_level() -> None:
    assert issuer_level("高州市人民政府") == "市"
    assert issuer_level("召陵区") == "区"
    assert issuer_level("临川县人民政府") == "县"
    assert issuer_level("鄂托克前旗人民政府") == "旗"
    assert issuer_level(None) == "市"


def test_own_principal_with_substance_passes() -> None:
    d, found, _ = duties("某市人民政府", "市长主持召开市政府常务会议4次,专题听取法治政府建设情况汇报,研究解决执法体制改革中的重大问题;带头参加会前学法6次,年终在市委全面依法治市委员会会议上述法。")
    assert not found
    assert {"听取汇报", "研究解决重大问题", "带头学法", "述法", "亲自部署督办"} <= set(d["duties"])


def test_only_pressed_on_subordinates_is_a_warning_naming_what_is_missing() -> None:
    d, found, _ = duties("某区人民政府", "我区认真落实《党政主要负责人履行推进法治建设第一责任人职责规定》,压实各区、各校主要负责人第一责任人职责。")
    assert d["duties"] == [] and d["pressed_on_others"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "只写了对下级或其他单位压实、落实责任" in found[0].message
    assert all(x in found[0].message for x in ("听取汇报", "述法", "出庭应诉"))


def test_title_repeated_is_a_warning() -> None:
    d, found, _ = duties("某县人民政府", "县政府主要负责人认真履行推进法治建设第一责任人职责,切实加强对法治政府建设的领导。")
    assert d["duties"] == [] and not d["pressed_on_others"]
    assert len(found) == 1 and "只重复了职责名称" in found[0].message


def test_subordinates_doing_the_duties_do_not_count() -> None:
    d, found, _ = duties("某市人民政府", "各镇街、各部门主要负责人带头学法,定期听取法治建设工作汇报。市直单位主要负责人出庭应诉32次。")
    assert d["duties"] == [] and {"带头学法", "听取汇报", "出庭应诉"} <= set(d["subordinate_only"])
    assert found and found[0].severity == "warning"


def test_other_level_is_not_own() -> None:
    # a county report: what the city's mayor did is not the county principal's duty
    d, found, _ = duties("某县人民政府", "市长专题听取我县法治建设情况汇报。")
    assert d["duties"] == [] and found


def test_one_duty_is_info() -> None:
    d, found, _ = duties("某市人民政府", "市长带头参加会前学法6次。")
    assert d["duties"] == ["带头学法"]
    assert len(found) == 1 and found[0].severity == "info" and "只写了带头学法" in found[0].message


def test_department_report() -> None:
    body = "局党组书记、局长主持召开局党组会议6次专题研究法治建设,带头参加会前学法12次,并在县委全面依法治县委员会会议上述法。"
    d, found, _ = duties("某县市场监督管理局", body, "主要负责人履行推进法治建设第一责任人职责情况")
    assert not found and {"研究解决重大问题", "带头学法", "述法", "亲自部署督办"} <= set(d["duties"])
    # in a department report the county mayor is someone else
    d2, found2, _ = duties("某县市场监督管理局", "县长听取我局法治工作汇报。", "主要负责人履行推进法治建设第一责任人职责情况")
    assert d2["duties"] == [] and found2


def test_township_report() -> None:
    body = "镇党委书记、镇长带头学法,全年组织班子集体学法4次,亲自过问重大信访案件9件。"
    d, found, _ = duties("青石镇人民政府", body, "镇党委书记、镇长履行法治建设第一责任人职责情况")
    assert not found and d["duties"] == ["带头学法", "亲自部署督办"]
    d2, found2, _ = duties("青石镇人民政府", "督促各村(社区)党组织书记履行法治建设职责。", "镇党委书记、镇长履行法治建设第一责任人职责情况")
    assert found2 and d2["pressed_on_others"]


def test_subheading_titles_are_not_evidence() -> None:
    body = "(一)坚持带头学法。\n认真落实各项制度。\n(二)定期听取汇报。\n进一步压实各部门责任。"
    d, found, _ = duties("某市人民政府", body)
    assert d["duties"] == [] and found


def test_substance_scores_above_empty_part() -> None:
    _, _, good = duties("某市人民政府", "市长主持召开市政府常务会议4次听取法治建设汇报,带头参加会前学法6次。")
    _, _, empty = duties("某市人民政府", "市政府主要负责人认真履行第一责任人职责。")
    assert good.value - empty.value >= 5


@pytest.mark.parametrize("prefix", ["000", "002", "003"])
def test_inline_mentions_are_described_but_not_judged(prefix: str) -> None:
    r, _ = lint_text(seed(prefix).read_text(encoding="utf-8"))
    hit = r.elements["first_responsible"]
    assert hit.status == "inline" and "duties" in hit.detail["content"]
    assert not [f for f in r.findings if f.code == "FZ121"]
    assert [f for f in r.findings if f.code == "FZ104"]  # lacking a part is FZ104's finding


def test_seed_004_own_duties_and_subordinates() -> None:
    r, _ = lint_text(seed("004").read_text(encoding="utf-8"))
    d = r.elements["first_responsible"].detail["content"]["duties"]
    # 市委常委会坚持每半年听取1次…汇报,及时研究解决…重大问题; 以市委书记为组长; 纳入…规划和年度计划;
    # 市政府…专题培训班; the 各镇街…述职 sentence is about subordinates
    assert d["duties"] == ["听取汇报", "研究解决重大问题", "带头学法", "亲自部署督办", "纳入规划和年度计划"]
    assert d["missing"] == ["述法", "出庭应诉"]
    assert not [f for f in r.findings if f.code == "FZ121"]


def test_seed_001_thin_but_two_duties() -> None:
    r, _ = lint_text(seed("001").read_text(encoding="utf-8"))
    d = r.elements["first_responsible"].detail["content"]["duties"]
    assert d["duties"] == ["带头学法", "纳入规划和年度计划"]
    assert not [f for f in r.findings if f.code == "FZ121"]


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (r"\p{Han}{2,10}?(局|镇)(党委)?[^,，]{0,10}?(主要负责(人|同志)|主要领导|一把手)", ("主要负责", "主要领导", "一把手")),
        (r"(分管|其他)(县级|市级)?(领导|班子成员)", ("领导", "班子成员")),
        (r"x(ab*|c)", ("a", "c")),
        (r"(a|bc?)", ("a", "b")),
        (r"(下属|所属)(单位)([^,，]{0,6}?(负责人))?", None),  # the last group is optional
        (r"(?<!副)[省县]长", None),  # lookaround: not analysed
        (r"(镇|乡)政府|街道办事处", None),  # a top-level branch
        (r"各(级|)", None),  # an empty branch
        (r"行政机关负责人", None),
        (r"x([ab]c|d)", None),
    ],
)
def test_required_literals(src: str, expected: tuple[str, ...] | None) -> None:
    assert required_literals(src) == expected


@pytest.mark.parametrize(
    "text",
    ["各镇街主要负责人研究部署", "某某局党委主要领导听取汇报", "一把手", "镇长主持", "x" * 30, "ac", "bd", "abbbc"],
)
def test_required_literals_are_necessary(text: str) -> None:
    # a text holding none of the literals has no match of the pattern
    for src in [r"\p{Han}{2,10}?(局|镇)(党委)?[^,，]{0,10}?(主要负责(人|同志)|主要领导|一把手)", r"x?(ab*|c)", r"(分管|其他)(县级)?(领导|班子成员)"]:
        need = required_literals(src)
        assert need is not None
        if regex.search(src, text, regex.V1):
            assert any(x in text for x in need)
