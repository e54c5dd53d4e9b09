"""What ruff users expect of a command line: global options before the subcommand, --config,
unknown codes named with the nearest one (exit 2)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES, run_cli

BAD = str(FIXTURES / "reports" / "bad.txt")


def test_global_options_before_the_subcommand() -> None:
    after = run_cli("explain", "FZ103", "--isolated")
    before = run_cli("--isolated", "explain", "FZ103")
    assert before.returncode == 0 and before.stdout == after.stdout
    rules = run_cli("--ruleset", "gbt15834", "rules")
    assert rules.returncode == 0 and "FZ102" not in rules.stdout.decode() and "P101" in rules.stdout.decode()


def test_unknown_code_in_select_names_the_nearest_code() -> None:
    proc = run_cli("--select", "FZ1O3", BAD)
    assert proc.returncode == 2 and proc.stdout == b""
    err = proc.stderr.decode()
    assert "--select" in err and "FZ1O3" in err and "最接近的是 FZ103" in err
    proc = run_cli("--ignore", "D1,QQ9", BAD)
    assert proc.returncode == 2 and "QQ9" in proc.stderr.decode()
    assert run_cli("--ignore", "D1,FZ4", BAD).returncode == 1  # prefixes that name rules are fine


def test_unknown_code_in_a_config_file_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "fzlint.toml").write_text('select = ["FZ1"]\nignore = ["FZ10", "FZ909"]\n', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_bytes(Path(BAD).read_bytes())
    proc = run_cli(str(report))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert f"{tmp_path / 'fzlint.toml'}:2" in err and "FZ909" in err and "最接近的是 FZ90" in err


def test_config_path_uses_that_file_only(tmp_path: Path) -> None:
    (tmp_path / "fzlint.toml").write_text('ignore = ["FZ4"]\n', encoding="utf-8")
    other = tmp_path / "ci.toml"
    other.write_text('select = ["FZ401"]\n', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_bytes(Path(BAD).read_bytes())
    found = run_cli("--statistics", str(report)).stdout.decode()
    assert "FZ401" not in found and "FZ102" in found  # the folder's fzlint.toml
    given = run_cli("--config", str(other), "--statistics", str(report)).stdout.decode()
    assert "FZ401" in given and "FZ102" not in given  # --config: that file, not the folder's
    missing = run_cli("--config", str(tmp_path / "nope.toml"), str(report))
    assert missing.returncode == 2 and "nope.toml" in missing.stderr.decode()


def test_pre_commit_hook_skips_files_that_are_not_reports(tmp_path: Path) -> None:
    """The hook's own command (from .pre-commit-hooks.yaml) on what a drafting repo commits."""
    import shlex

    import yaml

    from tests.conftest import ROOT

    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    entry = shlex.split(hook["entry"])
    assert entry[0] == "fzlint"
    (tmp_path / "README.md").write_text(
        "# 2024年度报告起草仓库\n\n本仓库用于起草法治政府建设年度报告,提交前用 fzlint 检查:必备部分(主要举措和成效、"
        "存在的不足和原因、党政主要负责人履行推进法治建设第一责任人职责情况、下一年度主要安排)和行政执法“三项制度”。\n\n"
        "```bash\npre-commit install\n```\n\n详见 [使用说明](docs/guide.md)。\n",
        encoding="utf-8",
    )
    (tmp_path / "CHANGELOG.md").write_text("# 修改记录\n\n- 3月2日:按司法局意见修改第二部分,补充复议案件数据和原因分析的表述。\n", encoding="utf-8")
    report = tmp_path / "报告.txt"
    report.write_bytes(Path(BAD).read_bytes())
    proc = run_cli(*entry[1:], str(tmp_path / "README.md"), str(tmp_path / "CHANGELOG.md"), str(report))
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 1  # the report has errors
    assert "README.md" not in out and "CHANGELOG.md" not in out
    assert f"{tmp_path / 'README.md'}: 提示: 不像法治政府建设年度报告,未评分" in err and "CHANGELOG.md: 提示" in err
    lines = out.splitlines()
    assert all(line.startswith(str(report)) for line in lines)  # concise: one line per finding
    assert any("错误[FZ401]" in line for line in lines) and lines[-1] == f"{report}: 得分 41 / 100 不合格"
    # without --only-reports a README named on the command line is linted (with a note)
    named = run_cli(str(tmp_path / "README.md"))
    assert "仅供参考" in named.stderr.decode()


def test_compare_warns_when_the_pair_is_not_one_issuer_in_consecutive_years(tmp_path: Path) -> None:
    def report(issuer: str, year: int) -> Path:
        path = tmp_path / f"{issuer}{year}.txt"
        path.write_text(
            f"{issuer}关于{year}年法治政府建设情况的报告\n一、主要举措和成效\n全年办理行政复议案件{year - 1990}件,开展执法检查12次。\n"
            f"二、存在的不足和原因\n执法力量不足,原因是编制紧张。\n三、{year + 1}年主要安排\n充实执法队伍。\n{issuer}人民政府\n{year + 1}年2月10日\n",
            encoding="utf-8",
        )
        return path

    same = run_cli("compare", str(report("甲县", 2022)), str(report("甲县", 2023)))
    assert "注意" not in same.stderr.decode()
    other = run_cli("compare", str(report("甲县", 2022)), str(report("乙市", 2023))).stderr.decode()
    assert "发文机关不同" in other and "甲县" in other and "乙市" in other and "不是相邻" not in other
    gap = run_cli("compare", str(report("甲县", 2021)), str(report("甲县", 2023))).stderr.decode()
    assert "2021年和2023年,不是相邻的两年" in gap and "发文机关不同" not in gap
