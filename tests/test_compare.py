"""fzlint/compare.py and `fzlint compare`: reuse per part, passages with both locations, FZ901."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fzlint.compare import compare_files, compare_texts, normalize, shingles
from fzlint.engine import Linter
from fzlint.rules.kinds.reuse import PAIR_SEPARATOR
from fzlint.rules.loader import load_ruleset
from tests.conftest import run_cli, seed


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(load_ruleset("fazhi-annual"))


def problems_text(path: Path) -> str:
    """The body of seed 001's 存在的不足和原因 part (between its heading and the next part)."""
    text = path.read_text(encoding="utf-8")
    return text.split("二、存在的不足和原因", 1)[1].split("三、党政主要负责人", 1)[0]


@pytest.fixture()
def copied(tmp_path: Path) -> tuple[Path, Path]:
    """Last year = seed 001; this year = seed 004 whose 存在问题 is replaced by 001's (years bumped)."""
    old = tmp_path / "2021_新余市.txt"
    old.write_text(seed("001").read_text(encoding="utf-8"), encoding="utf-8")
    new_text = seed("004").read_text(encoding="utf-8")
    head, rest = new_text.split("  三、存在问题\n", 1)
    _old_problems, tail = rest.split("  四、下一步工作计划", 1)
    copied_part = problems_text(seed("001")).replace("2021年", "2022年")
    new = tmp_path / "2022_高州市.txt"
    new.write_text(head + "  三、存在问题\n" + copied_part + "  四、下一步工作计划" + tail, encoding="utf-8")
    return old, new


def test_normalize_drops_punctuation_and_digits() -> None:
    assert normalize("一是2021年,全市办理 12 件。") == normalize("二是2022年全市办理13件")
    assert normalize("(一)依法行政。") == "依法行政"
    assert shingles("依法行政") == {"依法行", "法行政"}


def test_copied_problems_part_is_found_with_both_locations(copied: tuple[Path, Path], linter: Linter) -> None:
    old, new = copied
    c = compare_files(str(old), str(new), linter)
    problems = c.part("problems")
    assert problems is not None and problems.sentences >= 3
    assert problems.share == 1.0
    assert [f.code for f in c.findings] == ["FZ901"]
    assert c.findings[0].severity == "error"
    # one passage: in the new file where the part starts, in the old file at seed 001's line 28
    [p] = c.passages
    assert c.old.source.position(p.old_start) == (28, 1)
    assert new.read_text(encoding="utf-8")[p.new_start:p.new_end].startswith("2022年,我市法治政府建设虽然取得了一些成绩")
    assert "乡镇综合执法改革还没有完全落地落实" in p.text
    assert p.sentences == 3
    measures = c.part("measures")
    assert measures is not None and measures.reused == 0


def test_unrelated_seeds_share_nothing(linter: Linter) -> None:
    for a, b in [("000", "001"), ("001", "004"), ("002", "004"), ("000", "003")]:
        c = compare_files(str(seed(a)), str(seed(b)), linter)
        assert c.whole.reused == 0, (a, b, [p.text for p in c.passages])
        assert c.passages == [] and c.findings == []


def test_near_copy_with_changed_figures_counts(linter: Linter) -> None:
    old = "一、主要举措和成效\n全年共办理行政复议案件102件,纠错率达到11.5%,行政机关负责人出庭应诉率为90%。\n"
    new = "一、主要举措和成效\n全年共办理行政复议案件98件,纠错率达到9.8%,行政机关负责人出庭应诉率达90%。\n"
    c = compare_texts(old, new, linter)
    assert c.whole.reused == 1
    assert c.passages[0].similarity < 1.0  # nearly, not verbatim


def test_rule_examples_are_pairs(linter: Linter) -> None:
    rule = linter.ruleset.rule("FZ901")
    assert rule is not None
    for ex in rule.examples_fail:
        old, new = ex.split(PAIR_SEPARATOR)
        assert [f.code for f in compare_texts(old, new, linter).findings] == ["FZ901"]
    for ex in rule.examples_pass:
        old, new = ex.split(PAIR_SEPARATOR)
        assert compare_texts(old, new, linter).findings == []


def test_plain_lint_never_reports_reuse() -> None:
    proc = run_cli("--format", "json", str(seed("001")))
    codes = [d["code"] for d in json.loads(proc.stdout)["files"][0]["diagnostics"]]
    assert "FZ901" not in codes


def test_cli_text_and_exit_code(copied: tuple[Path, Path]) -> None:
    old, new = copied
    proc = run_cli("compare", str(old), str(new))
    out = proc.stdout.decode()
    assert proc.returncode == 1, proc.stderr.decode()
    assert "错误[FZ901]" in out
    assert f"{new}:" in out and "← " in out and f"{old}:28:1" in out
    assert run_cli("compare", "--exit-zero", str(old), str(new)).returncode == 0


def test_cli_json(copied: tuple[Path, Path]) -> None:
    old, new = copied
    proc = run_cli("compare", "--format", "json", str(old), str(new))
    data = json.loads(proc.stdout)
    [f] = data["files"]
    assert f["path"] == str(new)
    assert [d["code"] for d in f["diagnostics"]] == ["FZ901"]
    parts = {p["id"]: p for p in data["compare"]["parts"]}
    assert parts["problems"]["share"] == 1.0
    [p] = data["compare"]["passages"]
    assert p["old"] == {"path": str(old), "line": 28, "column": 1, "end_line": 28, "end_column": p["old"]["end_column"]}
    assert p["new"]["path"] == str(new)


def test_cli_every_format_renders(copied: tuple[Path, Path]) -> None:
    from fzlint.render import RENDERERS

    old, new = copied
    for fmt in RENDERERS:
        proc = run_cli("compare", "--format", fmt, str(old), str(new))
        assert proc.returncode == 1, (fmt, proc.stderr.decode())
        assert "FZ901" in proc.stdout.decode(), fmt


def test_cli_unrelated_seeds(tmp_path: Path) -> None:
    proc = run_cli("compare", str(seed("000")), str(seed("001")))
    assert proc.returncode == 0
    assert "没有发现沿用上一年度报告的句子" in proc.stdout.decode()


def test_cli_missing_file() -> None:
    proc = run_cli("compare", "no-such-file.txt", str(seed("001")))
    assert proc.returncode == 2
    assert "no-such-file.txt" in proc.stderr.decode()
