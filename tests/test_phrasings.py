"""Required parts under the many headings real reports use (not only the seeds' words)."""

from __future__ import annotations

import pytest

from tests.conftest import lint_text

BASE = (
    "某县2022年度法治政府建设情况报告\n"
    "2022年,某县推进依法行政。\n"
    "一、{measures}\n全年办理行政复议案件12件。\n"
    "二、{responsible}\n县长主持召开常务会议4次研究法治工作,带头学法。\n"
    "三、{problems}\n执法力量不足。原因是编制紧张。\n"
    "四、{plan}\n加强执法队伍建设。\n"
)
DEFAULTS = {
    "measures": "主要举措和成效",
    "responsible": "党政主要负责人履行推进法治建设第一责任人职责情况",
    "problems": "存在的不足和原因",
    "plan": "2023年工作安排",
}
PHRASINGS = {
    "measures": ["2022年法治政府建设工作情况", "主要工作举措及成效", "推进法治政府建设的主要举措和成效", "法治政府建设工作开展情况", "主要做法及成效", "依法全面履行政府职能"],
    "responsible": ["主要负责人履职情况", "局主要负责人履行法治建设职责情况", "县委书记、县长履行法治建设第一责任人职责情况", "落实法治建设第一责任人职责情况"],
    "problems": ["存在的问题和不足", "存在的主要问题", "存在问题及原因分析", "工作中存在的问题", "存在的困难和问题", "问题与不足", "不足之处", "差距和不足", "存在的短板弱项"],
    "plan": ["下一步工作打算", "2023年度主要工作安排", "下一年度工作思路", "下步工作安排", "今后工作打算", "下一年度推进法治政府建设的主要安排", "2023年工作要点", "工作计划"],
}
ELEMENT = {"measures": "measures", "responsible": "first_responsible", "problems": "problems", "plan": "next_year_plan"}


@pytest.mark.parametrize(("part", "heading"), [(k, h) for k, hs in PHRASINGS.items() for h in hs])
def test_part_found_by_heading(part: str, heading: str) -> None:
    text = BASE.format(**{**DEFAULTS, part: heading})
    result, score = lint_text(text)
    statuses = {k: v.status for k, v in result.elements.items()}
    assert statuses[ELEMENT[part]] == "heading", (heading, statuses)
    for other in ("measures", "problems", "first_responsible", "next_year_plan"):
        assert statuses[other] == "heading", (heading, other, statuses)
    assert not [f for f in result.findings if f.code.startswith("FZ10")], [f.message for f in result.findings]


@pytest.mark.parametrize(
    "heading",
    ["2022年度主要工作任务完成情况", "2022年重点工作推进情况"],
)
def test_measures_headings_with_a_year_are_not_plans(heading: str) -> None:
    text = BASE.format(**{**DEFAULTS, "measures": heading})
    result, _ = lint_text(text)
    assert result.elements["next_year_plan"].evidence == "四、2023年工作安排"


@pytest.mark.parametrize(
    "sentence",
    ["下一步,我们将继续加强执法队伍建设。", "在新的一年里,我局将进一步规范执法行为。", "2023年,我县将继续深化行政执法体制改革。"],
)
def test_plan_only_inline(sentence: str) -> None:
    text = "某县2022年度法治政府建设情况报告\n一、主要举措和成效\n全年办理案件12件。\n二、存在的不足和原因\n力量不足,原因是编制紧张。" + sentence + "\n"
    result, _ = lint_text(text)
    assert result.elements["next_year_plan"].status == "inline"
    assert any(f.code == "FZ105" and f.severity == "warning" for f in result.findings)


SHORT_DEPARTMENT_REPORT = """县司法局2022年法治政府建设工作总结

（一）主要工作及成效
全年办理行政复议案件12件，开展普法活动35场。局党组书记、局长带头学法6次。
（二）存在的问题
执法人员数量不足，原因是编制长期空缺。
（三）下一步打算
补充执法人员，加强培训。

县司法局
2023年1月12日
"""


def test_short_department_report_with_bracketed_top_level() -> None:
    result, score = lint_text(SHORT_DEPARTMENT_REPORT)
    st = {k: v.status for k, v in result.elements.items()}
    assert st["measures"] == st["problems"] == st["next_year_plan"] == "heading"
    assert st["causes"] == "inline"
    # the principal's own duty (局长带头学法) is the 第一责任人 content, even without that word
    assert st["first_responsible"] == "inline"
    assert not [f for f in result.findings if f.severity == "error"]
