"""FZ902 (check kind `correspondence`): every problem should have a plan item that answers it."""

from __future__ import annotations

from pathlib import Path

import pytest

from fzlint.engine import Linter
from fzlint.ingest import load_path
from fzlint.rules.context import Context
from fzlint.rules.kinds.correspondence import Correspondence
from fzlint.rules.loader import load_ruleset
from tests.conftest import FIXTURES, lint_text, run_cli, seed

CASES = FIXTURES / "correspondence"


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(load_ruleset("fazhi-annual"))


def mapping(linter: Linter, path: Path) -> list[tuple[str, list[str]]]:
    """(problem quote, [plan item quotes]) for a report."""
    kind = next(c for c in linter.checks if isinstance(c, Correspondence))
    result = linter.lint_source(load_path(path))
    maps, plan = kind.correspond(result.doc, Context(result.doc, linter.options, result.elements))
    return [(m.problem.quote, [plan[k].quote for k, _s, _t in m.matches]) for m in maps]


def unaddressed(path: Path) -> list[str]:
    result, _ = lint_text(path.read_text(encoding="utf-8"), path=str(path))
    return [f.message for f in result.findings if f.code == "FZ902"]


def test_examples(linter: Linter) -> None:
    rule = linter.ruleset.rule("FZ902")
    assert rule is not None and rule.opinion
    for ex in rule.examples_pass:
        assert not [f for f in lint_text(ex)[0].findings if f.code == "FZ902"], ex
    for ex in rule.examples_fail:
        assert [f for f in lint_text(ex)[0].findings if f.code == "FZ902"], ex


def test_department_numbered_lines(linter: Linter) -> None:
    got = mapping(linter, CASES / "department_numbered.txt")
    assert [(p[:10], plans) for p, plans in got] == [
        ("1.行政执法人员专业", ["(一)加强执法队伍建设。"]),
        ("2.法治宣传形式单一", ["(二)创新普法宣传形式。"]),
        ("3.行政复议案件办理", ["(三)优化行政复议流程。"]),
    ]
    assert unaddressed(CASES / "department_numbered.txt") == []


def test_township_enumeration_in_one_paragraph(linter: Linter) -> None:
    got = dict(mapping(linter, CASES / "township_inline.txt"))
    assert len(got) == 3  # the lead-in and the causes are not problems
    assert got["一是村级法律顾问作用发挥不明显;"][0].startswith("一是落实村(居)法律顾问制度")
    assert got["二是矛盾纠纷排查化解机制不健全;"][0].startswith("二是完善矛盾纠纷多元化解机制")
    assert got["三是镇综合行政执法队伍人员少、装备差。"] == []
    assert unaddressed(CASES / "township_inline.txt") == ["存在的问题中有 1 项(共 3 项)在“下一年度主要安排”中没有对应的措施:“镇综合行政执法队伍人员少、装备差”"]


def test_sub_headings_and_cause_heading_skipped(linter: Linter) -> None:
    got = mapping(linter, CASES / "county_subheadings.txt")
    assert [p for p, _ in got] == ["(一)依法决策水平有待提升。", "(二)执法监督不到位。", "(三)领导干部法治意识淡薄。"]
    assert [plans for _, plans in got] == [["(一)规范重大行政决策程序。"], ["(二)加强行政执法监督。"], ["(三)组织领导干部集中学法。"]]


def test_paraphrase_and_unanswered(linter: Linter) -> None:
    got = dict(mapping(linter, CASES / "city_paraphrase.txt"))
    assert got["一是执法不规范,个别执法人员态度生硬。"] == ["(一)规范执法行为。"]  # 执法不规范 ↔ 规范执法
    assert got["二是规范性文件备案审查不及时。"] == ["(二)严格备案审查。"]
    assert got["三是基层公共法律服务供给不足,农村地区群众获取法律服务难。"] == []
    assert got["四是营商环境法治保障有待加强。"] == []  # 安全生产监管 is not an answer
    [msg] = unaddressed(CASES / "city_paraphrase.txt")  # one finding listing both
    assert "有 2 项(共 4 项)" in msg and "“基层公共法律服务供给不足,农村地区群众获取法律服务难”;“营商环境法治保障有待加强”" in msg


def test_seed_001_plan_answers_only_the_legal_adviser_problem(linter: Linter) -> None:
    got = mapping(linter, seed("001"))
    assert [p for p, _ in got] == [
        "少数单位主要负责人履行推进法治建设第一责任人职责有欠缺",
        "乡镇综合执法改革还没有完全落地落实",
        "执法人员整体素质发展不平衡",
        "法治政府建设数字化程度还不够高",
        "政府法律顾问作用发挥得还不够充分等。",
    ]
    assert [len(plans) for _, plans in got] == [0, 0, 0, 0, 1]
    assert got[4][1] == ["(三)提升依法决策能力。"]


def test_seed_000_and_004(linter: Linter) -> None:
    got = dict(mapping(linter, seed("000")))
    assert got["一是各级领导干部对法治政府建设的重要性还需要进一步强化认识。"] == ["一是全面提升领导干部法治思维。"]
    assert sum(1 for plans in got.values() if not plans) == 3
    got4 = dict(mapping(linter, seed("004")))
    assert got4["三是数字政府建设和政务服务工作缺乏强有力的抓手。"] == ["(四)加快数字政府建设。"]
    assert sum(1 for plans in got4.values() if not plans) == 2


def test_no_plan_no_finding() -> None:
    # seed 003 has no next-year plan: FZ105 says so, FZ902 stays silent
    proc = run_cli("--format", "json", "--exit-zero", str(seed("003")))
    assert b'"FZ902"' not in proc.stdout and b'"FZ105"' in proc.stdout


def test_one_finding_at_the_problems_part_info_when_few_unanswered() -> None:
    result, score = lint_text((CASES / "township_inline.txt").read_text(encoding="utf-8"))
    [f] = [f for f in result.findings if f.code == "FZ902"]
    assert f.severity == "info"  # 1 of 3 unanswered: the empirical rule is not sure enough to warn
    assert result.source.text[f.start : f.end] == "二、存在问题"
    assert [d.points for d in score.deductions if d.code == "FZ902"] == [0.75]  # a quarter of the weight


def test_warning_when_most_problems_unanswered() -> None:
    text = (
        "一、主要举措和成效\n全年办理复议案件12件。\n二、存在的不足和原因\n"
        "一是乡镇综合执法改革还没有完全落地;二是公共法律服务供给不足;三是执法人员素质不高;四是营商环境法治保障有待加强。"
        "究其原因,主要是:一是编制紧张;二是经费不足。\n三、2022年工作安排\n一是提升执法人员素质。二是深化政务公开。"
    )
    result, score = lint_text(text)
    [f] = [f for f in result.findings if f.code == "FZ902"]
    assert f.severity == "warning" and "有 3 项(共 4 项)" in f.message
    for quote in ("乡镇综合执法改革还没有完全落地", "公共法律服务供给不足", "营商环境法治保障有待加强"):
        assert f"“{quote}”" in f.message
    assert "编制紧张" not in f.message and "执法人员素质" not in f.message
    assert [d.points for d in score.deductions if d.code == "FZ902"] == [3.0]


def test_synonyms_from_yaml(linter: Linter) -> None:
    # 执法力量不足 is answered by 加强执法队伍建设: 力量 and 队伍 are one group in the YAML
    [(problem, plans)] = mapping(linter, FIXTURES / "county_2020_defects.md")
    assert problem.startswith("执法力量不足") and plans == ["加强执法队伍建设。"]


def problems_of(text: str, linter: Linter) -> list[str]:
    kind = next(c for c in linter.checks if isinstance(c, Correspondence))
    from fzlint.ingest import load_bytes

    result = linter.lint_source(load_bytes(text.encode("utf-8"), "report.txt"))
    maps, _plan = kind.correspond(result.doc, Context(result.doc, linter.options, result.elements))
    return [m.problem.quote for m in maps]


HEAD = "一、主要举措和成效\n全年办理复议案件12件。\n"
PLAN = "\n四、2023年工作安排\n一是充实执法力量。二是加强普法宣传。\n"


@pytest.mark.parametrize(
    "part",
    [
        # a separate paragraph, the causes numbered again from 一是
        "三、存在的不足和原因\n一是执法力量不足;二是普法宣传不到位。\n究其原因,主要是:一是编制紧张;二是领导重视不够;三是经费有限。",
        # the same paragraph, 分析原因 with 一方面/另一方面
        "三、存在的不足\n一是执法力量不足;二是普法宣传不到位。分析原因,一方面是编制紧张,另一方面是领导重视不够。",
        # 原因分析: after sub-headed problems
        "三、存在的问题\n(一)执法力量不足。\n(二)普法宣传不到位。\n原因分析:一是编制紧张;二是领导重视不够;三是经费有限。",
        # a cause sub-heading
        "三、存在的问题和原因\n(一)存在的问题\n1.执法力量不足。\n2.普法宣传不到位。\n(二)原因分析\n一是编制紧张;二是领导重视不够。",
        # 首先/其次 in both lists
        "三、存在的不足和原因\n首先,执法力量不足。其次,普法宣传不到位。产生上述问题的原因:首先是编制紧张,其次是领导重视不够。",
        # causes in plain sentences after the list
        "三、存在的不足和原因\n一是执法力量不足;二是普法宣传不到位。产生这些问题的原因是编制紧张。同时,领导重视也不够。",
    ],
)
def test_causes_are_not_problems(linter: Linter, part: str) -> None:
    quotes = problems_of(HEAD + part + PLAN, linter)
    assert len(quotes) == 2 and "执法力量不足" in quotes[0] and "普法宣传不到位" in quotes[1], quotes
    assert not [f for f in lint_text(HEAD + part + PLAN)[0].findings if f.code == "FZ902"]


def test_cause_attached_to_each_problem_keeps_the_next_problem(linter: Linter) -> None:
    # 一是……。原因在于……。二是……: the list goes on at 二是, so 二是 is still a problem
    part = "三、存在的不足和原因\n一是执法力量不足。原因在于编制紧张。二是普法宣传不到位。究其原因,是宣传经费有限。三是复议案件审理周期偏长。"
    quotes = problems_of(HEAD + part + PLAN, linter)
    assert [q[:2] for q in quotes] == ["一是", "二是", "三是"]


@pytest.mark.parametrize(
    ("problems", "plan"),
    [
        ("(一)依法行政能力有待提升。", "三是提升依法行政能力,坚持领导干部会前学法。"),
        ("(一)执法规范化水平不够均衡,证据收集不充分。", "一是完善案件审核机制,开展执法案卷评查。"),
        ("(一)普法宣传形式单一。", "二是深入开展法治宣传。"),
        ("(一)群众法治意识有待提高。", "二是创新普法方式,推动群众尊法学法守法用法。"),
        ("(一)部分干部法治思维不强。", "一是组织领导干部会前学法。"),
        ("(一)数字法治政府建设相对滞后。", "一是推动执法信息平台互联互通,提升信息化水平。"),
        ("(一)行政复议案件审理周期偏长。", "一是推行复议案件繁简分流。"),
    ],
)
def test_same_work_in_other_words(problems: str, plan: str) -> None:
    text = HEAD + "二、存在的问题\n" + problems + "\n(二)镇村法律顾问作用发挥不充分。\n三、下一步工作计划\n" + plan + "二是落实村法律顾问制度。"
    assert not [f for f in lint_text(text)[0].findings if f.code == "FZ902"], text


def test_plan_paragraph_inside_the_problems_part_is_not_a_problem(linter: Linter) -> None:
    text = HEAD + "二、存在的不足\n一是执法力量不足;二是普法宣传形式单一。\n下一步,我局将重点抓好以下工作:一是充实执法队伍;二是创新普法形式。\n(一)加强培训。\n(二)深化改革。"
    quotes = problems_of(text, linter)
    assert [q[:2] for q in quotes] == ["一是", "二是"] and "执法力量不足" in quotes[0]
