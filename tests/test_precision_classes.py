"""The false-alarm classes of issue #12, each pinned in several phrasings: an unheaded plan or
problems paragraph is inline (never missing) and ends where the next part begins; unnumbered
title lines are headings; 分析原因,主要是…… is a cause analysis; 三项制度 done without their
names is an info; one misplaced 三是 is one finding; page controls are noise; D103 once per part."""

from __future__ import annotations

import pytest

from fzlint.document.build import build_document
from fzlint.document.noise import classify
from fzlint.ingest import load_bytes
from fzlint.rules.kinds.causes import Causes
from fzlint.rules.loader import load_ruleset
from tests.conftest import lint_text

TITLE = "某县人民政府关于2021年度法治政府建设情况的报告\n"
MEASURES = "一、主要举措和成效\n全年办理行政复议案件12件,公示执法信息1200条。\n"
DUTIES = "二、党政主要负责人履行推进法治建设第一责任人职责情况\n县长主持召开常务会议4次研究法治工作,带头学法6次。\n"
PROBLEMS = "三、存在的不足和原因\n一是执法力量不足;二是普法形式单一。究其原因,主要是编制紧张。\n"


def codes(text: str, *wanted: str) -> list[tuple[str, str]]:
    result, _ = lint_text(text)
    return [(f.code, f.severity) for f in result.findings if f.code in wanted]


# ---- FZ105 (and every part): a paragraph that plainly is the part is inline, never missing ----
@pytest.mark.parametrize(
    "plan",
    [
        "2022年,我们将以习近平法治思想为指导,一是加强执法队伍建设;二是创新普法形式;三是深化复议改革。",
        "下一步,我县将重点抓好以下工作:一是充实执法力量;二是创新普法形式。",
        "新的一年,我县将紧紧围绕法治政府建设目标,一是充实执法力量;二是创新普法形式。",
        "2022年是“十四五”规划实施的重要一年,我县将着力做好以下工作:一是充实执法力量;二是创新普法形式。",
        "今后一个时期,我们将进一步充实执法力量,创新普法形式。",
        "我县将重点做好以下几个方面的工作:一是充实执法力量;二是创新普法形式。",
    ],
)
def test_unheaded_plan_paragraph_is_inline(plan: str) -> None:
    text = TITLE + MEASURES + DUTIES + PROBLEMS + plan + "\n某县人民政府\n2022年1月20日\n"
    result, _ = lint_text(text)
    hit = result.elements["next_year_plan"]
    assert hit.status == "inline", plan
    assert [(f.code, f.severity) for f in result.findings if f.code == "FZ105"] == [("FZ105", "warning")]
    # the plan paragraph is not part of the problems, so its items are not problems
    assert not [f for f in result.findings if f.code == "FZ902"]


def test_plan_items_under_an_unheaded_lead_in_belong_to_the_plan() -> None:
    text = TITLE + MEASURES + DUTIES + PROBLEMS + "下一步,我县将重点抓好以下工作:\n(一)充实执法力量。推动编制到位。\n(二)创新普法形式。开展以案释法。\n"
    result, _ = lint_text(text)
    plan, problems = result.elements["next_year_plan"], result.elements["problems"]
    assert plan.status == "inline" and [p.text[:3] for p in plan.paragraphs] == ["下一步", "(一)", "(二)"]
    assert all(p.index < plan.paragraphs[0].index for p in problems.paragraphs)


def test_a_year_sentence_of_the_report_year_is_not_the_plan() -> None:
    # 2021年,我县将法治建设纳入…… in a 2021 report describes the year, it plans nothing
    text = TITLE + "2021年,我县将法治政府建设纳入全县发展总体规划。\n" + MEASURES + DUTIES + PROBLEMS
    result, _ = lint_text(text)
    assert result.elements["next_year_plan"].status == "missing"
    assert ("FZ105", "error") in [(f.code, f.severity) for f in result.findings]


def test_problems_paragraph_runs_on_until_the_plan() -> None:
    text = (
        TITLE + MEASURES + DUTIES
        + "2021年,我县法治政府建设虽然取得了一定成效,但仍然存在一些不足。一是执法力量不足;二是普法形式单一。\n"
        + "分析原因,一方面是编制紧张,另一方面是经费有限。\n"
        + "下一步,我县将重点抓好以下工作:一是充实执法力量;二是创新普法形式。\n"
    )
    result, _ = lint_text(text)
    problems = result.elements["problems"]
    assert problems.status == "inline" and len(problems.paragraphs) == 2  # the causes are in, the plan is not
    assert result.elements["causes"].status != "missing"
    assert not [f for f in result.findings if f.code in ("FZ103", "FZ902")]


@pytest.mark.parametrize(
    ("measures", "duties", "problems", "plan"),
    [
        ("主要举措和成效", "党政主要负责人履行推进法治建设第一责任人职责情况", "存在的问题和不足", "2022年工作打算"),
        ("2021年法治政府建设主要做法", "主要负责人履行法治建设第一责任人职责情况", "存在的不足及原因", "下一步工作计划"),
        ("工作开展情况及成效", "第一责任人职责履行情况", "存在问题", "下一年度工作安排"),
    ],
)
def test_unnumbered_title_lines_are_headings(measures: str, duties: str, problems: str, plan: str) -> None:
    text = (
        TITLE + "2021年,我县扎实推进法治政府建设。\n\n"
        + f"{measures}\n\n全年办理行政复议案件12件,公示执法信息1200条。\n\n"
        + f"{duties}\n\n县长主持召开常务会议4次研究法治工作,带头学法6次。\n\n"
        + f"{problems}\n\n一是执法力量不足;二是普法形式单一。究其原因,主要是编制紧张。\n\n"
        + f"{plan}\n\n一是充实执法力量。二是创新普法形式。\n\n某县人民政府\n2022年1月20日\n"
    )
    result, _ = lint_text(text)
    st = {k: v.status for k, v in result.elements.items()}
    assert st["measures"] == st["first_responsible"] == st["problems"] == st["next_year_plan"] == "heading", st
    assert not [f for f in result.findings if f.severity in ("warning", "error")], [f.message for f in result.findings]


def test_a_short_line_ending_a_broken_sentence_is_still_joined() -> None:
    # only a short line without punctuation *followed by a blank line* stands alone
    src = load_bytes("某县2021年度法治政府建设情况报告\n全年组织执法人员参加法律知识培训和\n考试共计3次,参训率100%。\n".encode(), "r.txt")
    doc = build_document(src)
    assert [p.text for p in doc.paragraphs] == ["全年组织执法人员参加法律知识培训和考试共计3次,参训率100%。"]


# ---- FZ103: 分析原因,主要是…… is the analysis; only a plan to look for causes is not --------
@pytest.fixture(scope="module")
def causes() -> Causes:
    rule = load_ruleset("fazhi-annual").rule("FZ103")
    assert rule is not None
    return Causes(rule)


@pytest.mark.parametrize(
    "sentence",
    [
        "分析原因,主要是:对新业态新模式研究不够深入,立法储备不足。",
        "分析原因,一方面是承接下放事项时间短,另一方面是培训跟进不及时。",
        "原因分析:一是部分领导干部认识不足;二是培训机制不健全。",
        "分析其原因,主要有以下几点:",
        "分析原因主要有以下几个方面:",
        "经分析,原因主要在于基层法治人才缺乏。",
        "剖析根源,在于少数干部法治意识淡薄。",
    ],
)
def test_cause_analysis_phrasings(causes: Causes, sentence: str) -> None:
    assert causes.is_cause(sentence)


@pytest.mark.parametrize(
    "sentence",
    ["下一步将深入查找原因,逐项整改。", "认真分析原因,加以整改。", "我们将认真分析存在问题的原因,制定整改措施。", "要深挖问题根源。"],
)
def test_plans_to_look_for_causes_are_not_an_analysis(causes: Causes, sentence: str) -> None:
    assert not causes.is_cause(sentence)


@pytest.mark.parametrize(
    "analysis",
    ["分析原因,主要是:编制紧张,经费有限。", "分析原因,一方面编制紧张,另一方面经费有限。", "原因分析:一是编制紧张;二是经费有限。"],
)
def test_fz103_quiet_on_a_part_that_analyses_causes(analysis: str) -> None:
    text = TITLE + MEASURES + DUTIES + "三、存在的不足和原因\n一是执法力量不足;二是普法形式单一。\n" + analysis + "\n四、2022年工作安排\n一是充实执法力量。二是创新普法形式。\n"
    result, _ = lint_text(text)
    assert result.elements["causes"].status != "missing"
    assert not [f for f in result.findings if f.code == "FZ103"]


# ---- FZ111/FZ112: the three systems done but not named ----------------------------------
@pytest.mark.parametrize(
    "measures",
    [
        "事前公开执法主体、执法依据和执法程序;执法人员佩戴执法记录仪,全程录音录像;较大数额罚款决定作出前一律由法规科进行合法性审核。",
        "在门户网站公示执法信息860条。现场执法全部使用执法记录仪。重大行政处罚决定作出前由法制机构进行法制审核,全年审核37件。",
        "行政处罚决定在7个工作日内公开;执法过程实行文字和音像记录;对重大、复杂案件,由局法制机构合法性审核后集体讨论决定。",
    ],
)
def test_three_systems_described_is_an_info_not_missing(measures: str) -> None:
    text = TITLE + "一、主要举措和成效\n" + measures + "\n" + DUTIES + PROBLEMS + "四、2022年工作安排\n一是充实执法力量。二是创新普法形式。\n"
    result, _ = lint_text(text)
    assert result.elements["three_systems"].status != "missing"
    assert not [f for f in result.findings if f.code == "FZ111"]
    [named] = [f for f in result.findings if f.code == "FZ112"]
    assert named.severity == "info" and "写了具体做法,但没有使用规范名称" in named.message


def test_three_systems_not_reported_is_still_a_warning() -> None:
    text = TITLE + "一、主要举措和成效\n全年办理行政复议案件12件。\n" + DUTIES + PROBLEMS
    assert ("FZ111", "warning") in codes(text, "FZ111")


# ---- FZ201: one misplaced marker, one finding ---------------------------------------------
@pytest.mark.parametrize(
    ("body", "lines", "words"),
    [
        ("一是简政放权,三是推进医保改革。\n二是优化服务。\n三是加强监管。", 1, ("“一是”之后出现“三是”", "接着又是“二是”")),
        ("一是简政放权。三是加强监管。二是优化服务。", 1, ("顺序颠倒", "“三是”", "“二是”")),
        ("一是简政放权。三是加强监管。二是优化服务。四是规范执法。", 1, ("顺序颠倒",)),
        ("一是简政放权。二是优化服务。二是加强监管。四是规范执法。", 1, ("“二是”应为“三是”",)),
        ("一是简政放权。二是优化服务。二是加强监管。", 1, ("序号重复",)),
        ("一是简政放权。三是加强监管。四是规范执法。", 1, ("缺少“二是”",)),
    ],
)
def test_enumeration_mistake_reported_once(body: str, lines: int, words: tuple[str, ...]) -> None:
    result, _ = lint_text("(一)依法履职\n" + body + "\n")
    found = [f for f in result.findings if f.code == "FZ201"]
    assert len(found) == lines, [f.message for f in found]
    for w in words:
        assert w in found[0].message, found[0].message


def test_heading_swap_reported_once() -> None:
    text = "一、主要举措和成效\n内容。\n三、存在的不足\n内容。\n二、第一责任人职责情况\n内容。\n四、下一步工作打算\n内容。\n"
    found = [f for f in lint_text(text)[0].findings if f.code == "D101"]
    assert len(found) == 1 and "顺序颠倒" in found[0].message


# ---- page controls are noise; P100's first place is report text --------------------------
@pytest.mark.parametrize(
    "line",
    ["字体:大 中 小 | 打印本页 | 关闭窗口", "[打印] [关闭]", "【我要纠错】【打印】【关闭】", "分享到:微信 微博 QQ空间", "(打印本页)(关闭窗口)", "视力保护色:", "关闭 返回顶部"],
)
def test_page_control_lines_are_noise(line: str) -> None:
    assert classify(line) is not None


@pytest.mark.parametrize("line", ["大 中 小", "加强普法宣传", "打印机采购", "关闭违规企业3家", "一、主要举措和成效"])
def test_report_text_is_not_page_control(line: str) -> None:
    assert classify(line) is None


def test_wholesale_half_width_points_at_report_text() -> None:
    text = (
        "某县2021年度法治政府建设情况报告\n发布时间:2022-02-16 来源:某县司法局\n字体:大 中 小 | 打印本页 | 关闭窗口\n"
        "2021年,我县全面推进依法行政,办理复议案件12件,纠错2件,调解3件,公示执法信息1200条。\n"
    )
    result, _ = lint_text(text)
    [f] = [f for f in result.findings if f.code == "P100"]
    line = result.source.position(f.start)[0]
    assert line == 4 and result.source.text[f.start] == ","


# ---- D103: once per part, an info ---------------------------------------------------------
def test_skipped_level_said_once_per_parent() -> None:
    text = "一、主要举措和成效\n1.简政放权。\n2.规范执法。\n3.化解纠纷。\n二、存在的不足\n1.力量不足。\n2.宣传不够。\n"
    found = [f for f in lint_text(text)[0].findings if f.code == "D103"]
    assert [(f.severity, f.message) for f in found] == [
        ("info", "标题层级跳跃:“一、”之下直接使用“1.”“2.”“3.”标题,缺少“(一)”一级"),
        ("info", "标题层级跳跃:“二、”之下直接使用“1.”“2.”标题,缺少“(一)”一级"),
    ]


# ---- FZ703: a session the report looks forward to is no citation; once per session --------------
SIGNED_BEFORE = "某市人民政府关于2021年度法治政府建设情况的报告\n一、主要举措和成效\n{m}\n四、2022年工作安排\n{plan}\n某市人民政府\n2022年2月10日\n"


@pytest.mark.parametrize(
    ("measures", "plan"),
    [
        ("全市各级各部门以优异成绩迎接党的二十大胜利召开。", "充实执法力量。"),
        ("2022年是党的二十大召开之年,全市上下团结奋进。", "充实执法力量。"),
        ("全市上下喜迎二十大。", "充实执法力量。"),
        ("全年办理复议案件12件。", "认真做好迎接党的二十大各项工作,深入学习宣传贯彻党的二十大精神。"),
    ],
)
def test_session_looked_forward_to_is_not_stale(measures: str, plan: str) -> None:
    assert not codes(SIGNED_BEFORE.format(m=measures, plan=plan), "FZ703")


def test_session_after_signature_reported_once() -> None:
    text = SIGNED_BEFORE.format(m="深入学习贯彻党的二十大精神,全面落实党的二十大部署。", plan="充实执法力量。")
    assert codes(text, "FZ703") == [("FZ703", "warning")]


@pytest.mark.parametrize(
    ("title", "measures", "flagged"),
    [
        ("某县机关事务管理局2021年度法治政府建设情况报告", "修订公务用车管理制度12项,开展民法典宣传活动6场。", False),
        ("某县信访局2021年度法治政府建设情况报告", "依法办理群众来信来访1260件,按期办结率100%。", False),
        ("某县机关事务管理局2021年度法治政府建设情况报告", "开展公共机构节能执法检查12次,立案查处违法案件2件。", True),
        ("某镇人民政府2021年度法治政府建设情况报告", "镇综合行政执法队全年办理行政处罚案件11件。", True),
        ("某县人民政府2021年度法治政府建设情况报告", "全年办理行政复议案件12件。", True),
    ],
)
def test_three_systems_only_where_the_issuer_enforces(title: str, measures: str, flagged: bool) -> None:
    text = title + "\n一、主要举措和成效\n" + measures + "\n"
    assert bool(codes(text, "FZ111")) == flagged


@pytest.mark.parametrize("heading", ["存在的问题及下一步打算", "困难问题及2022年工作思路", "问题不足和下步打算", "主要问题与今后工作重点"])
def test_one_part_for_problems_and_plan(heading: str) -> None:
    text = (
        TITLE + MEASURES + DUTIES + f"三、{heading}\n"
        + "我县法治建设还存在一些不足:一是执法力量不足;二是普法形式单一。究其原因,主要是编制紧张。\n"
        + "下一步,我县将重点做好以下工作:一是充实执法力量;二是创新普法形式。\n"
    )
    result, _ = lint_text(text)
    assert result.elements["problems"].status == result.elements["next_year_plan"].status == "heading"
    assert not [f for f in result.findings if f.code in ("FZ102", "FZ105", "FZ103", "FZ902")]


@pytest.mark.parametrize(
    "measures",
    [
        "全面推行行政执法“三项制度”:在网站公示执法主体、执法人员等信息;检查实行执法全过程记录;对拟作出的行政处罚决定进行法制审核。",
        "落实行政执法“三项制度”,执法信息在“双公示”平台公开;执法过程实行全程音像记录;行政处罚决定作出前经法制机构合法性审核。",
    ],
)
def test_three_systems_named_as_a_whole_and_described_is_an_info(measures: str) -> None:
    text = TITLE + "一、主要举措和成效\n" + measures + "\n" + DUTIES + PROBLEMS
    result, _ = lint_text(text)
    [named] = [f for f in result.findings if f.code == "FZ112"]
    assert named.severity == "info"


@pytest.mark.parametrize("mark", ["**", "__"])
def test_markdown_emphasis_around_headings_is_markup(mark: str) -> None:
    text = (
        "# 某市卫生健康委员会2024年法治政府建设情况报告\n\n"
        f"{mark}一、主要举措和成效{mark}\n\n{mark}(一)严格规范执法。{mark} 全面推行行政执法“三项制度”,全年办理行政处罚案件86件。\n\n"
        f"{mark}二、主要负责人履行推进法治建设第一责任人职责情况{mark}\n\n委党组书记、主任主持召开党组会议4次研究法治工作,带头学法6次。\n\n"
        f"{mark}三、存在的不足和原因{mark}\n\n一是执法力量不足;二是普法形式单一。究其原因,主要是编制紧张。\n\n"
        f"{mark}四、2025年工作安排{mark}\n\n一是充实执法力量。二是创新普法形式。\n"
    )
    from fzlint.engine import Linter

    result = Linter(load_ruleset("fazhi-annual")).lint_source(load_bytes(text.encode(), "report.md", "md"))
    st = {k: v.status for k, v in result.elements.items()}
    assert st["measures"] == st["first_responsible"] == st["problems"] == st["next_year_plan"] == "heading", st
    assert result.elements["problems"].evidence == f"{mark}三、存在的不足和原因"[len(mark) :]
    assert not [f for f in result.findings if f.code.startswith(("FZ10", "D10"))]


def test_unheaded_plan_for_a_wrong_year_is_still_the_plan() -> None:
    # the plan is found (inline); its year is FZ302's business
    text = TITLE + MEASURES + DUTIES + PROBLEMS + "2023年,我县将重点抓好以下工作:一是充实执法力量;二是创新普法形式。\n"
    assert codes(text, "FZ105", "FZ302") == [("FZ105", "warning"), ("FZ302", "error")]
