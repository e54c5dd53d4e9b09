"""Two precision classes of issue #12 found on held-out reports, each pinned in several phrasings,
issuers and years:

- FZ902 (problem without plan) is a warning only when the part names at least 3 problems and
  more than half are unanswered; one or two problems make it an info at most. The overall push
  (推进力度不够, 工作进展不平衡) is answered by the general measures (压实责任, 均衡发展, 督导考核),
  awareness (重要性认识不足, 重视不够) by 提高思想认识 / 统一认识 / 政治站位; a problem named after a
  lead (仍有不足,主要是……) starts after it; a bracket (县(市、区)) does not cut the statement.
- FZ503 (rate against its counts) pairs a rate with counts of its own sentence only, whose part
  carries the rate's head (一次性化解率 is not the rate of 化解4512件), and takes the lone earlier
  count as the total when none is marked (一审案件437件,出庭应诉412件,出庭应诉率97.25%).
"""

from __future__ import annotations

import json

import pytest

from fzlint.engine import Linter
from fzlint.ingest import load_bytes
from fzlint.rules.context import Context
from fzlint.rules.kinds.correspondence import Correspondence
from fzlint.rules.loader import load_ruleset
from tests.conftest import lint_text, run_cli
from tests.docmaker import write_docx


def report(issuer: str, year: int, problems: str, plan: str) -> str:
    return (
        f"{issuer}关于{year}年度法治政府建设情况的报告\n"
        "一、主要举措和成效\n全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度,全年办理行政复议案件12件。\n"
        "二、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责人主持召开会议4次研究法治工作,带头学法6次。\n"
        f"三、存在的不足和原因\n{problems}\n"
        f"四、{year + 1}年工作安排\n{plan}\n"
        f"{issuer}\n{year + 1}年1月20日\n"
    )


def fz902(text: str) -> list[tuple[str, str]]:
    result, _ = lint_text(text)
    return [(f.severity, f.message) for f in result.findings if f.code == "FZ902"]


# ---- FZ902: the overall push and awareness, answered by general measures ---------------------
@pytest.mark.parametrize(
    ("issuer", "year", "problems", "plan"),
    [
        ("某市人民政府", 2022, "部分县(市、区)和市直部门推进法治政府建设力度不够,工作进展不平衡。", "一是压实工作责任,推动全市法治政府建设均衡发展。二是加强执法监督。"),
        ("某县人民政府", 2020, "各乡镇法治政府建设工作进展不平衡,个别乡镇推进力度不大。", "(一)强化督导考核,推动各乡镇均衡推进。\n(二)深化政务公开。"),
        ("某区人民政府", 2025, "部分街道和区直部门对法治政府建设的重要性认识不足,推进工作的主动性不强。", "一是加强学习培训,提高思想认识。二是强化督促检查。"),
        ("某县交通运输局", 2019, "少数干部职工对依法行政重视不够,存在重业务轻法治的倾向。", "(一)组织全体干部职工集中学法,进一步提高政治站位。\n(二)规范执法行为。"),
        ("某镇人民政府", 2023, "我镇法治政府建设仍有不足,主要是:个别村(社区)干部对法治建设的认识还不到位。", "一是组织村(社区)干部集中学法,统一思想认识。二是规范村级事务管理。"),
        ("某市生态环境局", 2024, "对照上级要求,我局工作仍有差距,主要表现在:局属各单位之间推进法治建设进展不平衡。", "一是压实各单位主体责任,将法治建设纳入年度考核。二是开展执法案卷评查。"),
    ],
)
def test_overall_push_and_awareness_are_answered(issuer: str, year: int, problems: str, plan: str) -> None:
    assert fz902(report(issuer, year, problems, plan)) == []


def test_a_specific_problem_is_not_answered_by_a_general_measure() -> None:
    # the concept groups name the overall push, not every problem: 复议 and 公共法律服务 stay open
    problems = "一是行政复议案件审理周期偏长;二是公共法律服务供给不足;三是部分市直部门推进法治建设力度不够。"
    plan = "一是压实工作责任,推动各部门均衡发展。二是深化政务公开。"
    [(severity, message)] = fz902(report("某市人民政府", 2021, problems, plan))
    assert severity == "warning" and "有 2 项(共 3 项)" in message
    assert "行政复议案件审理周期偏长" in message and "公共法律服务供给不足" in message and "推进法治建设力度" not in message


# ---- FZ902: how sure the share is -------------------------------------------------------------
OPEN = ["乡镇综合执法改革还没有完全落地", "公共法律服务供给不足", "营商环境法治保障有待加强"]
ANSWERED = ["执法人员素质不高", "行政复议案件办理质量不高"]
PLAN = "一是提升执法人员素质,开展全员轮训。二是提高行政复议案件办理质量。三是深化政务公开。"


@pytest.mark.parametrize(
    ("issuer", "year", "problems", "severity"),
    [
        ("某县人民政府", 2019, OPEN[:1], "info"),  # 1 of 1: one missed match decides the share
        ("某市司法局", 2021, OPEN[:2], "info"),  # 2 of 2
        ("某镇人民政府", 2022, [OPEN[0], ANSWERED[0]], "info"),  # 1 of 2
        ("某区人民政府", 2023, [OPEN[0], ANSWERED[0], ANSWERED[1]], "info"),  # 1 of 3
        ("某市人民政府", 2024, [OPEN[0], OPEN[1], ANSWERED[0]], "warning"),  # 2 of 3
        ("某省人民政府", 2025, [*OPEN, ANSWERED[0]], "warning"),  # 3 of 4
        ("某县市场监督管理局", 2020, [OPEN[0], OPEN[1], *ANSWERED], "info"),  # 2 of 4: not more than half
    ],
)
def test_warning_needs_three_problems_and_most_unanswered(issuer: str, year: int, problems: list[str], severity: str) -> None:
    marks = "一二三四五"
    text = ";".join(f"{marks[k]}是{p}" for k, p in enumerate(problems)) + "。究其原因,主要是编制紧张、经费不足。"
    [(got, message)] = fz902(report(issuer, year, text, PLAN))
    n_open = sum(p in OPEN for p in problems)
    assert got == severity and f"有 {n_open} 项(共 {len(problems)} 项)" in message


def test_single_problem_report_as_docx_through_the_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # a one-problem department report the matcher cannot answer: an info, exit 0 under --fail-on warning
    lines = report(
        "某县住房和城乡建设局", 2021, "保障性住房小区物业服务投诉较多,群众满意度有待提高。", "一是落实执法公示制度。二是开展建筑市场专项检查。"
    ).splitlines()
    path = write_docx(lines, tmp_path / "报告.docx")
    proc = run_cli("--format", "json", "--select", "FZ902", str(path))
    assert proc.returncode == 0, proc.stderr
    [d] = json.loads(proc.stdout)["files"][0]["diagnostics"]
    assert d["code"] == "FZ902" and d["severity"] == "info" and "有 1 项(共 1 项)" in d["message"]


def test_statement_keeps_brackets_and_starts_after_the_lead() -> None:
    linter = Linter(load_ruleset("fazhi-annual"))
    kind = next(c for c in linter.checks if isinstance(c, Correspondence))
    text = report(
        "某市人民政府",
        2022,
        "对照上级要求,我市法治政府建设仍有不足,主要是:部分县(市、区)推进法治政府建设力度不够,工作进展不平衡。",
        "一是加强执法监督。",
    )
    result = linter.lint_source(load_bytes(text.encode("utf-8"), "report.txt"))
    maps, _plan = kind.correspond(result.doc, Context(result.doc, linter.options, result.elements))
    [m] = maps
    assert m.problem.statement == "部分县(市、区)推进法治政府建设力度不够"
    assert m.problem.quote.startswith("部分县(市、区)")
    # the clauses after 比如 are items, a bracket kept whole
    text = report("某县人民政府", 2020, "存在一些不足。比如部分乡(镇、街道)执法力量不足、普法形式单一等。", "一是充实执法力量。")
    result = linter.lint_source(load_bytes(text.encode("utf-8"), "report.txt"))
    maps, _plan = kind.correspond(result.doc, Context(result.doc, linter.options, result.elements))
    assert [m.problem.statement for m in maps] == ["部分乡(镇、街道)执法力量不足", "普法形式单一等。"]


# ---- FZ503: counts of the rate's own sentence and subject -------------------------------------
def fz503(text: str) -> list[str]:
    result, _ = lint_text(text)
    return [f.message for f in result.findings if f.code == "FZ503"]


@pytest.mark.parametrize(
    "text",
    [
        # counts in the sentence before, of another subject
        "综治中心全年受理矛盾纠纷4630件,化解4512件。推进信访工作法治化,初次信访事项一次性化解率92.6%。",
        "全市各级综治中心受理矛盾纠纷8215件,调处化解7986件。重复信访治理专项行动中重复信访事项化解率88.3%。",
        "2020年全县受理行政复议申请86件,审结80件;行政复议决定纠错率12.5%,审结率95%。",
        "全县调解各类纠纷1260件,调解成功1203件。人民调解协议履行率达到98.6%。",
        # the same sentence, a rate of another subject (its head is not the part's)
        "综治中心受理矛盾纠纷4630件,化解4512件,信访事项一次性化解率92.6%。",
        "全年受理矛盾纠纷3120件,化解3046件,其中信访事项化解率90.5%。",
        "综治中心受理矛盾纠纷4630件,化解了4512件,一次性化解率92.6%。",
        # a count of the rate's head among one of another head: which is the base is unclear
        "受理矛盾纠纷4630件,化解4512件,其中一次性化解4000件,一次性化解率92.6%。",
        "全市办理行政复议案件215件,纠错31件,综合纠错率16%。",
        # no marked total and two earlier counts: which is the base, the text does not say
        "全市行政诉讼一审案件437件,开庭审理420件,行政机关负责人出庭应诉412件,出庭应诉率98.1%。",
        "检查企业437家,发现问题企业112家,完成整改108家,整改率96.4%。",
        # consistent, rounded or truncated
        "全市行政诉讼一审案件437件,行政机关负责人出庭应诉412件,出庭应诉率94.28%。",
        "全市行政诉讼一审案件437件,行政机关负责人出庭应诉412件,出庭应诉率94.27%。",
        "县政府及部门作为被告的行政诉讼案件37件,负责人出庭应诉37件,出庭应诉率100%。",
    ],
)
def test_rate_of_another_sentence_or_subject_is_quiet(text: str) -> None:
    assert fz503(text) == []


@pytest.mark.parametrize(
    ("text", "name", "counts", "expected"),
    [
        ("全市行政诉讼一审案件437件,行政机关负责人出庭应诉412件,出庭应诉率97.25%。", "出庭应诉率", "412件÷437件", "94.28%"),
        ("2024年,全县新收行政诉讼案件58件,负责人出庭应诉52件,出庭应诉率100%。", "出庭应诉率", "52件÷58件", "90%"),
        ("本年度行政复议案件126件,依法纠错22件,纠错率21.4%。", "纠错率", "22件÷126件", "17.5%"),
        # the stem inside the total's noun (应诉案件) does not make it a part
        ("全市行政应诉案件437件,行政机关负责人出庭应诉412件,出庭应诉率97.25%。", "出庭应诉率", "412件÷437件", "94.28%"),
        ("区市场监管局投诉举报680件,按期办结650件,按期办结率99.1%。", "按期办结率", "650件÷680件", "95.6%"),
        ("全年发生以我局为被告的行政诉讼案件23件;局负责人出庭应诉19件,出庭应诉率95.65%。", None, None, None),
    ],
)
def test_lone_earlier_count_is_the_total(text: str, name: str | None, counts: str | None, expected: str | None) -> None:
    found = fz503(text)
    if name is None:
        assert found == []  # the total is in another sentence (split at ;): not paired
        return
    [message] = found
    assert f"“{name}”" in message and counts in message and f"应为{expected}" in message


def test_seed_style_total_before_其中_still_found() -> None:
    # the marked totals and 其中 lists are unchanged by the sentence and head rules
    text = "截至目前,我市依申请事项2018项,其中即办件1633项,即办率80.92%,事项可网办数1895项,可网办率98.36%。"
    [message] = fz503(text)
    assert "“可网办率”" in message and "1895项÷2018项" in message and "93.90%" in message
