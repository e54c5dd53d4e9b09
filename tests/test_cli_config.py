"""End to end: `fzlint` with config files, `fzlint config`, `fzlint init`, --exclude, suppression."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

from tests.conftest import FIXTURES, ROOT, run_cli

GOOD = FIXTURES / "reports" / "good.txt"
BAD = FIXTURES / "reports" / "bad.txt"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def report(folder: Path, name: str = "report.txt", src: Path = BAD) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(src, folder / name))


def lint_json(*args: str, cwd: Path) -> tuple[int, dict]:
    proc = run_cli("--format", "json", *args, cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return proc.returncode, json.loads(proc.stdout)


def codes(payload: dict, index: int = 0) -> set[str]:
    return {d["code"] for d in payload["files"][index]["diagnostics"]}


def test_bad_fixture_has_these_findings(tmp_path: Path) -> None:
    report(tmp_path)
    rc, out = lint_json("report.txt", cwd=tmp_path)
    assert rc == 1
    assert codes(out) == {"FZ102", "FZ104", "FZ112", "FZ122", "FZ302", "FZ312", "FZ401", "D101"}


def test_select_ignore_extend_select_from_file(tmp_path: Path) -> None:
    report(tmp_path)
    write(tmp_path / "fzlint.toml", 'select = ["FZ1"]\nextend-select = ["d1"]\nignore = ["FZ112"]\n')
    _, out = lint_json("report.txt", cwd=tmp_path)
    assert codes(out) == {"FZ102", "FZ104", "FZ122", "D101"}


def test_command_line_overrides_file(tmp_path: Path) -> None:
    report(tmp_path)
    write(tmp_path / "fzlint.toml", 'select = ["FZ1"]\nignore = ["FZ112"]\n')
    _, out = lint_json("report.txt", "--select", "FZ3,FZ112", cwd=tmp_path)
    assert codes(out) == {"FZ302", "FZ312"}  # CLI select replaces; the file's ignore still applies
    _, out = lint_json("report.txt", "--select", "FZ3,FZ112", "--ignore", "FZ312", cwd=tmp_path)
    assert codes(out) == {"FZ302", "FZ112"}
    _, out = lint_json("report.txt", "--isolated", cwd=tmp_path)
    assert "FZ401" in codes(out)


def test_nearest_file_wins_over_parent(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", 'select = ["FZ4"]\nignore = ["FZ401"]\n')
    write(tmp_path / "county" / ".fzlint.toml", 'ignore = ["D1"]\n')
    report(tmp_path / "county")
    report(tmp_path / "city")
    _, out = lint_json("county/report.txt", "city/report.txt", cwd=tmp_path)
    by_path = {f["path"]: {d["code"] for d in f["diagnostics"]} for f in out["files"]}
    assert by_path["county/report.txt"] == {"FZ401"}  # select from the parent, ignore from the nearest
    assert by_path["city/report.txt"] == set()


def test_config_found_from_the_file_not_the_cwd(tmp_path: Path) -> None:
    write(tmp_path / "proj" / "fzlint.toml", 'select = ["D1"]\n')
    target = report(tmp_path / "proj" / "drafts")
    (tmp_path / "elsewhere").mkdir()
    _, out = lint_json(str(target), cwd=tmp_path / "elsewhere")
    assert codes(out) == {"D101"}


def test_ruleset_path_relative_to_config_file(tmp_path: Path) -> None:
    write(tmp_path / "proj" / "rules" / "mini.yaml", "ruleset: mini\ntitle: 最小规则集\nextends: [gbt9704]\n")
    write(tmp_path / "proj" / "fzlint.toml", 'ruleset = "rules/mini.yaml"\n')
    report(tmp_path / "proj" / "reports")
    _, out = lint_json("proj/reports", cwd=tmp_path)
    assert out["files"][0]["ruleset"] == "mini"
    assert codes(out) == {"D101"}


def test_severity_changes_display_and_exit_code_not_score(tmp_path: Path) -> None:
    report(tmp_path, src=GOOD)
    text = GOOD.read_text(encoding="utf-8").replace("全年办理行政复议案件56件", "全年办理行政复议案件XX件")
    write(tmp_path / "report.txt", text)
    rc, before = lint_json("report.txt", cwd=tmp_path)
    assert rc == 1 and [d["severity"] for d in before["files"][0]["diagnostics"]] == ["error"]
    write(tmp_path / "fzlint.toml", '[severity]\nFZ4 = "warning"\n')
    rc, after = lint_json("report.txt", cwd=tmp_path)
    assert rc == 0 and [d["severity"] for d in after["files"][0]["diagnostics"]] == ["warning"]
    assert after["files"][0]["score"] == before["files"][0]["score"] < 100


def test_fail_under_file_and_cli(tmp_path: Path) -> None:
    report(tmp_path)  # bad.txt scores 41
    report(tmp_path, "good.txt", GOOD)  # 100
    write(tmp_path / "fzlint.toml", '[severity]\nFZ = "warning"\nD = "warning"\n')
    assert run_cli("-q", "report.txt", cwd=tmp_path).returncode == 0  # no error-level finding left
    write(tmp_path / "fzlint.toml", 'fail-under = 60\n[severity]\nFZ = "warning"\nD = "warning"\n')
    assert run_cli("-q", "report.txt", cwd=tmp_path).returncode == 1  # below the file's threshold
    assert run_cli("-q", "good.txt", cwd=tmp_path).returncode == 0
    assert run_cli("-q", "report.txt", "--fail-under", "40", cwd=tmp_path).returncode == 0  # CLI wins
    assert run_cli("-q", "good.txt", "--fail-under", "100", cwd=tmp_path).returncode == 0


def test_per_file_ignores(tmp_path: Path) -> None:
    report(tmp_path / "样例", "a.txt")
    report(tmp_path / "正式", "a.txt")
    write(tmp_path / "fzlint.toml", '[per-file-ignores]\n"样例/*.txt" = ["FZ4", "D1"]\n')
    _, out = lint_json(".", cwd=tmp_path)
    by_path = {Path(f["path"]).parent.name: {d["code"] for d in f["diagnostics"]} for f in out["files"]}
    assert "FZ401" in by_path["正式"] and "D101" in by_path["正式"]
    assert "FZ401" not in by_path["样例"] and "D101" not in by_path["样例"] and "FZ102" in by_path["样例"]


def test_report_year_from_file(tmp_path: Path) -> None:
    text = "某区法治政府建设情况报告\n一、主要举措和成效\n全年办理复议案件12件。\n"
    write(tmp_path / "r.txt", text)
    _, out = lint_json("r.txt", cwd=tmp_path)
    assert "FZ303" in codes(out)
    write(tmp_path / "fzlint.toml", "report-year = 2021\n")
    _, out = lint_json("r.txt", cwd=tmp_path)
    assert "FZ303" not in codes(out)


def test_lang_from_file(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", 'lang = "en"\n')
    proc = run_cli("missing.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "No such file or directory" in proc.stderr.decode()
    proc = run_cli("missing.txt", "--lang", "zh", cwd=tmp_path)
    assert "文件或目录不存在" in proc.stderr.decode()


def test_exclude_in_folder_walks(tmp_path: Path) -> None:
    for rel in ("a.txt", "草稿/b.txt", "old/2020/c.txt", "d.bak.txt"):
        report(tmp_path / Path(rel).parent, Path(rel).name)
    write(tmp_path / "fzlint.toml", 'exclude = ["草稿", "old/**"]\n')
    _, out = lint_json(".", cwd=tmp_path)
    assert sorted(Path(f["path"]).name for f in out["files"]) == ["a.txt", "d.bak.txt"]
    # the command line replaces the file's list; --exclude repeats
    _, out = lint_json(".", "--exclude", "*.bak.txt", "--exclude", "old", cwd=tmp_path)
    assert sorted(Path(f["path"]).name for f in out["files"]) == ["a.txt", "b.txt"]
    # files named explicitly are linted unless --force-exclude
    _, out = lint_json("草稿/b.txt", cwd=tmp_path)
    assert len(out["files"]) == 1
    proc = run_cli("--force-exclude", "草稿/b.txt", cwd=tmp_path)
    assert proc.returncode == 0 and b"b.txt" not in proc.stdout


def test_bad_config_exits_2_with_file_line_field(tmp_path: Path) -> None:
    report(tmp_path)
    cfg = write(tmp_path / "fzlint.toml", '# 省级配置\nselect = ["FZ1"]\nfail-under = "八十"\n')
    proc = run_cli("report.txt", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and proc.stdout == b""
    assert f"{cfg}:3: 字段 fail-under:应为数字" in err and "Traceback" not in err
    write(tmp_path / "fzlint.toml", "select = [\n")
    proc = run_cli("report.txt", cwd=tmp_path)
    assert proc.returncode == 2 and f"{cfg}:" in proc.stderr.decode() and "TOML 语法错误" in proc.stderr.decode()
    assert run_cli("report.txt", "--isolated", cwd=tmp_path).returncode == 1  # --isolated skips it


def test_bad_ruleset_path_in_config(tmp_path: Path) -> None:
    report(tmp_path)
    write(tmp_path / "fzlint.toml", 'ruleset = "rules/none.yaml"\n')
    proc = run_cli("report.txt", cwd=tmp_path)
    assert proc.returncode == 2 and "找不到规则集文件" in proc.stderr.decode()


# ---- fzlint config / fzlint init ---------------------------------------------------------------
def test_config_command_shows_origins(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", 'lang = "zh"\nfail-under = 70\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n[tool.fzlint]\nselect = ["FZ1"]\n')
    proc = run_cli("config", "sub", "--ignore", "FZ2", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 0, proc.stderr.decode()
    assert f"{tmp_path / 'sub' / 'pyproject.toml'} [tool.fzlint]" in out
    lines = {line.split(" = ")[0]: line for line in out.splitlines() if " = " in line}
    assert lines["select"].endswith(f"# 来源:{tmp_path / 'sub' / 'pyproject.toml'}:4")
    assert lines["fail-under"].endswith(f"# 来源:{tmp_path / 'fzlint.toml'}:2")
    assert lines["ignore"].startswith('ignore = ["FZ2"]') and lines["ignore"].endswith("# 来源:命令行")
    assert lines["ruleset"].endswith("# 来源:默认值")
    js = json.loads(run_cli("config", "sub/", "--format", "json", cwd=tmp_path).stdout)
    assert js["settings"]["select"] == {"value": ["FZ1"], "origin": f"{tmp_path / 'sub' / 'pyproject.toml'}:4"}
    assert js["files"] == [str(tmp_path / "sub" / "pyproject.toml"), str(tmp_path / "fzlint.toml")]


def test_config_command_for_a_file_and_published(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", "published = 2023-03-15\n")
    report(tmp_path / "r")
    js = json.loads(run_cli("config", "r/report.txt", "--format", "json", cwd=tmp_path).stdout)
    assert js["settings"]["published"] == {"value": "2023-03-15", "origin": f"{tmp_path / 'fzlint.toml'}:1"}
    js = json.loads(run_cli("config", "--published", "2023-04-01", "--format", "json", cwd=tmp_path).stdout)
    assert js["settings"]["published"] == {"value": "2023-04-01", "origin": "command line"}


def test_init_writes_a_valid_commented_starter(tmp_path: Path) -> None:
    proc = run_cli("init", cwd=tmp_path)
    assert proc.returncode == 0 and "已写入" in proc.stdout.decode()
    text = (tmp_path / "fzlint.toml").read_text(encoding="utf-8")
    from fzlint.config import KEYS

    for key in KEYS:  # every key is shown (most commented out)
        assert f"{key} =" in text or f"[{key}]" in text, key
    assert tomllib.loads(text) == {"ruleset": "fazhi-annual"}
    # every commented example is itself valid: uncomment all and validate
    uncommented = "\n".join(line[2:] if line.startswith("# ") and ("=" in line or line.startswith("# [")) else line for line in text.splitlines())
    write(tmp_path / "all" / "fzlint.toml", uncommented)
    js = json.loads(run_cli("config", "all", "--format", "json", cwd=tmp_path).stdout)
    assert all(s["origin"] != "default" for s in js["settings"].values())
    # it lints with the starter
    report(tmp_path)
    assert run_cli("-q", "report.txt", cwd=tmp_path).returncode == 1


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", "fail-under = 1\n")
    proc = run_cli("init", cwd=tmp_path)
    assert proc.returncode == 2 and "--force" in proc.stderr.decode()
    assert (tmp_path / "fzlint.toml").read_text(encoding="utf-8") == "fail-under = 1\n"
    assert run_cli("init", "--force", cwd=tmp_path).returncode == 0
    assert "fzlint init" in (tmp_path / "fzlint.toml").read_text(encoding="utf-8")


# ---- suppression through the command ------------------------------------------------------------
def test_inline_suppression_counted_in_verbose(tmp_path: Path) -> None:
    text = BAD.read_text(encoding="utf-8").replace(
        "（一）依法决策\n", "（一）依法决策\n<!-- fzlint: disable-next-line=FZ401 -->\n"
    )
    write(tmp_path / "report.md", text)
    write(tmp_path / "fzlint.toml", '[per-file-ignores]\n"*.md" = ["D1"]\n')
    proc = run_cli("-v", "--no-show-source", "report.md", cwd=tmp_path)
    out = proc.stdout.decode()
    assert "已忽略 2 条问题(行内 fzlint 指令 1 条,per-file-ignores 1 条)" in out
    assert "fzlint 指令" in out  # the directive line is reported as stripped in verbose mode
    assert out.count("错误[FZ401]") == 3  # of 4


def test_suppression_changes_score(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", BAD.read_text(encoding="utf-8"))
    write(tmp_path / "b.txt", "# fzlint: disable=FZ4\n" + BAD.read_text(encoding="utf-8"))
    _, out = lint_json("a.txt", "b.txt", cwd=tmp_path)
    a, b = out["files"]
    assert "FZ401" not in {d["code"] for d in b["diagnostics"]}
    assert b["score"] > a["score"]


def test_repo_root_has_no_config_that_changes_the_seeds() -> None:
    assert not any((ROOT / n).exists() for n in ("fzlint.toml", ".fzlint.toml"))
    assert "tool.fzlint" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_fix_leaves_suppressed_findings_alone(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("二、党政", "二.党政").replace("三、存在", "# fzlint: disable-next-line=D102,P1\n三.存在")
    target = write(tmp_path / "r.txt", text)
    proc = run_cli("--fix", "-q", "r.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    fixed = target.read_text(encoding="utf-8")
    assert "二、党政" in fixed  # fixed
    assert "# fzlint: disable-next-line=D102,P1\n三.存在" in fixed  # suppressed: left as written
    assert "四、2023年度" in fixed  # and nothing cascaded from it
