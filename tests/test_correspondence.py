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
    assert unaddressed(CASES / "township_inline.txt") == ["存在的问题“镇综合行政执法队伍人员少、装备差”在“下一年度主要安排”中没有对应的措施"]


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
    msgs = unaddressed(CASES / "city_paraphrase.txt")
    assert len(msgs) == 2 and "基层公共法律服务供给不足" in msgs[0] and "营商环境法治保障有待加强" in msgs[1]


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


def test_warning_points_at_the_problem(tmp_path: Path) -> None:
    result, _ = lint_text((CASES / "township_inline.txt").read_text(encoding="utf-8"))
    [f] = [f for f in result.findings if f.code == "FZ902"]
    assert f.severity == "warning"
    assert result.source.text[f.start:f.end] == "三是镇综合行政执法队伍人员少、装备差。"


def test_synonyms_from_yaml(linter: Linter) -> None:
    # 执法力量不足 is answered by 加强执法队伍建设: 力量 and 队伍 are one group in the YAML
    [(problem, plans)] = mapping(linter, FIXTURES / "county_2020_defects.md")
    assert problem.startswith("执法力量不足") and plans == ["加强执法队伍建设。"]
