"""causes (FZ103): cause analysis in the problems part, measured on labelled sentences.

tests/fixtures/causes/*.txt hold sentences from problems parts, "+" when the sentence states a
cause and "-" when it only states a problem, introduces the list, or plans to look for causes.
Measured before any tuning on that set (see the report): heldout.txt P 1.00 R 0.85 (3 misses:
受…所限, 与…密切相关 without a subject, clause-initial 因); heldout2.txt P 1.00 R 0.73 (4 misses:
根本在于/说到底, 直接相关, attached clauses with 仓促/脱节). All sets were then used for tuning.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fzlint.rules.kinds.causes import Causes
from fzlint.rules.loader import load_ruleset
from tests.conftest import FIXTURES, lint_text

SETS = sorted((FIXTURES / "causes").glob("*.lst"))  # .lst: not a report suffix, folder walks skip them


def labelled(path: Path) -> list[tuple[bool, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert line[:2] in ("+ ", "- "), line
            out.append((line[0] == "+", line[2:].strip()))
    return out


@pytest.fixture(scope="module")
def kind() -> Causes:
    rule = load_ruleset("fazhi-annual").rule("FZ103")
    assert rule is not None and rule.kind == "causes"
    return Causes(rule)


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_precision_recall(kind: Causes, path: Path) -> None:
    cases = labelled(path)
    pos = sum(1 for lab, _ in cases if lab)
    assert pos >= 15 and len(cases) - pos >= 15  # enough of both to measure
    tp = sum(1 for lab, t in cases if lab and kind.is_cause(t))
    fp = [t for lab, t in cases if not lab and kind.is_cause(t)]
    fn = [t for lab, t in cases if lab and not kind.is_cause(t)]
    precision = tp / (tp + len(fp))
    recall = tp / (tp + len(fn))
    print(f"{path.stem}: precision {precision:.3f} recall {recall:.3f} ({len(cases)} sentences)")
    assert precision >= 0.95, fp
    assert recall >= 0.9, fn


@pytest.mark.parametrize(
    "sentence",
    ["二、存在的不足和原因", "存在的问题主要是:一是缺乏专业法治人才。", "仍存在一些不足,主要是执法力量不足。", "因此,我们将加强培训。", "坚持因地制宜。"],
)
def test_not_causes(kind: Causes, sentence: str) -> None:
    assert not kind.is_cause(sentence)


REPORT = "某县人民政府关于2021年度法治政府建设情况的报告\n一、主要举措和成效\n全年办理复议案件12件。\n{problems}\n三、2022年工作安排\n加强执法队伍建设。"


def test_heading_naming_causes_without_causes_is_reported() -> None:
    r, _ = lint_text(REPORT.format(problems="二、存在的不足和原因\n一是执法力量不足。二是宣传不到位。"))
    f = [x for x in r.findings if x.code == "FZ103"]
    assert len(f) == 1 and "标题写了“原因”" in f[0].message
    assert r.elements["causes"].status == "missing"
    assert r.elements["causes"].detail["content"]["causes"] == {"problem_items": 2, "cause_sentences": 0}


def test_cause_subheading_counts_and_is_the_evidence() -> None:
    text = REPORT.format(problems="二、存在的问题和原因\n(一)存在的问题\n执法力量不足。\n(二)原因分析\n编制紧张,培训经费少。")
    r, _ = lint_text(text)
    hit = r.elements["causes"]
    assert hit.status == "heading" and hit.evidence == "(二)原因分析"
    assert not [x for x in r.findings if x.code == "FZ103"]


def test_attached_cause_is_inline_with_the_sentence_as_evidence() -> None:
    r, _ = lint_text(REPORT.format(problems="二、存在问题\n一是执法力量不足,主要是机构改革后人员划转尚未到位。二是宣传不到位。"))
    hit = r.elements["causes"]
    assert hit.status == "inline" and hit.evidence.startswith("一是执法力量不足,主要是")
    assert hit.detail["content"]["causes"]["cause_sentences"] == 1


def test_township_and_department_reports() -> None:
    township = REPORT.replace("某县人民政府", "青石镇人民政府").format(problems="二、存在的短板\n村级法律顾问作用发挥不充分。受经费制约,培训开展较少。")
    dept = REPORT.replace("某县人民政府", "某县司法局").format(problems="二、存在的不足\n一是执法力量不足;二是执法人员专业素质有待提高。")
    rt, _ = lint_text(township)
    rd, _ = lint_text(dept)
    assert rt.doc.meta.body_kind == "township" and not [x for x in rt.findings if x.code == "FZ103"]
    assert rd.doc.meta.body_kind == "department" and [x for x in rd.findings if x.code == "FZ103"]


def test_no_problems_part_no_causes_finding() -> None:
    r, _ = lint_text("某县人民政府关于2021年度法治政府建设情况的报告\n一、主要举措和成效\n全年办理复议案件12件。")
    assert not [x for x in r.findings if x.code == "FZ103"]
    assert r.elements["causes"].status == "missing"
