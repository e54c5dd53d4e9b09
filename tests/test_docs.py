"""docs/: the generated rule reference is current, examples in the guides are valid, the
province ruleset example loads and lints, and links between the docs resolve."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT, lint_text, run_cli

DOCS = ROOT / "docs"
EXAMPLE = DOCS / "examples" / "province" / "example-province.yaml"
GOOD = FIXTURES / "reports" / "good.txt"
MY_DOCS = ("guide.md", "ci.md", "suppression.md", "ruleset-authoring.md", "editors.md")


def blocks(doc: str, lang: str) -> list[str]:
    text = (DOCS / doc).read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, re.DOTALL)


def test_rules_md_is_current() -> None:
    proc = run_cli("rules", "--format", "markdown", "--isolated")
    assert proc.returncode == 0, proc.stderr.decode()
    current = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert str(ROOT) not in current  # the same on every machine
    assert current == proc.stdout.decode(), (
        "docs/rules.md is out of date with the rulesets; regenerate it with:\n"
        "    fzlint rules --format markdown > docs/rules.md"
    )


# ---- docs/examples/province: the ruleset-authoring example ----------------------------------------
def test_province_example_loads_with_every_mechanism() -> None:
    from fzlint.rules.loader import load_ruleset

    rs = load_ruleset(str(EXAMPLE), use_cache=False)
    assert rs.id == "example-province" and rs.chain[0] == "gbt9704" and rs.chain[-2:] == ["fazhi-annual", "example-province"]
    rules = {r.code: r for r in rs.rules}
    assert rules["FZ201"].severity == "info"  # overrides
    assert (rules["FZ311"].severity, rules["FZ311"].weight) == ("error", 8)
    assert rules["FZ401"].message.endswith("报送前必须替换")
    assert "FZ106" not in rules  # disable
    assert rules["PV101"].origin.startswith(str(EXAMPLE))  # own rule
    assert "province-rules.yaml" in rules["PV102"].origin  # include
    assert rs.settings["deadlines"] == {"publish": "04-01", "department_submit": "03-01"}  # settings
    assert rs.settings["grades"][0] == [95, "优秀"]


@pytest.mark.parametrize("code", ["PV101", "PV102"])
def test_province_rule_examples(code: str) -> None:
    from fzlint.rules.loader import load_ruleset

    rule = load_ruleset(str(EXAMPLE)).rule(code)
    assert rule is not None
    for text in rule.examples_fail:
        result, _ = lint_text(text, ruleset=str(EXAMPLE))
        assert code in {f.code for f in result.findings}, text
    for text in rule.examples_pass:
        result, _ = lint_text(text, ruleset=str(EXAMPLE))
        assert code not in {f.code for f in result.findings}, text


def test_lint_with_province_ruleset_from_fzlint_toml(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE.parent, tmp_path / "rules")
    (tmp_path / "fzlint.toml").write_text('ruleset = "rules/example-province.yaml"\n', encoding="utf-8")
    text = GOOD.read_text(encoding="utf-8").replace("全年办理行政复议案件56件", "全年办理行政复议案件XX件")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.txt").write_text(text, encoding="utf-8")
    proc = run_cli("--format", "json", "reports", cwd=tmp_path)
    out = json.loads(proc.stdout)["files"][0]
    assert out["ruleset"] == "example-province"
    assert {d["code"] for d in out["diagnostics"]} == {"FZ401", "PV102"}
    assert [d["message"] for d in out["diagnostics"] if d["code"] == "FZ401"] == ["文中留有占位符“XX”,报送前必须替换"]
    # 90 points: 优秀 under fazhi-annual's grades, 良好 under the province's stricter ones
    assert (out["score"], out["grade"]) == (90, "良好")
    plain = json.loads(run_cli("--format", "json", "--isolated", "reports", cwd=tmp_path).stdout)["files"][0]
    assert plain["ruleset"] == "fazhi-annual" and plain["grade"] == "优秀"


# ---- examples inside the guides ------------------------------------------------------------------
def test_toml_examples_in_the_guide_are_valid_config(tmp_path: Path) -> None:
    from fzlint import config

    found = blocks("guide.md", "toml")
    assert len(found) >= 3
    for n, text in enumerate(found):
        name = "pyproject.toml" if "[tool.fzlint]" in text else "fzlint.toml"
        path = tmp_path / str(n) / name
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        assert config.load_file(path).values, text


def test_ci_examples() -> None:
    github, gitlab, pre_commit = (yaml.safe_load(b) for b in blocks("ci.md", "yaml"))
    steps = github["jobs"]["fzlint"]["steps"]
    sarif_out = next(re.search(r"-o (\S+)", s["run"]).group(1) for s in steps if "--format sarif" in s.get("run", ""))
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == sarif_out
    assert github["permissions"]["security-events"] == "write"
    script = " ".join(gitlab["fzlint"]["script"])
    assert re.search(r"--format junit -o (\S+)", script).group(1) == gitlab["fzlint"]["artifacts"]["reports"]["junit"]
    # pre-commit: the rev is this version's release tag, the hook id is the one this repository defines
    from fzlint import __version__

    repo = pre_commit["repos"][0]
    assert repo["rev"] == f"v{__version__}"
    hooks = yaml.safe_load((DOCS.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in repo["hooks"]] == [hooks[0]["id"]]


def test_precommit_example_in_the_guide() -> None:
    (snippet,) = blocks("guide.md", "yaml")
    hooks = yaml.safe_load(snippet)["repos"][0]["hooks"]
    ids = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert {h["id"] for h in hooks} <= ids


def test_suppression_examples_are_directives() -> None:
    from fzlint.document.noise import DIRECTIVE

    lines = [ln for b in blocks("suppression.md", "markdown") + blocks("suppression.md", "text") for ln in b.splitlines() if "fzlint" in ln]
    assert len(lines) >= 5
    assert all(DIRECTIVE.match(ln.strip()) for ln in lines), lines


def test_links_between_docs_resolve() -> None:
    for doc in (*MY_DOCS, "../README.md"):
        path = (DOCS / doc).resolve()
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
            if target.startswith("http"):
                continue
            assert (path.parent / target).exists(), f"{doc}: broken link {target}"


def test_province_department_deadline(tmp_path: Path) -> None:
    """settings.deadlines.department_submit switches FZ322 on for department reports."""
    late = GOOD.read_text(encoding="utf-8").replace("2023年1月16日", "2023年3月10日")  # 某市司法局: a department
    (tmp_path / "r.txt").write_text(late, encoding="utf-8")
    province = json.loads(run_cli("--format", "json", "--ruleset", str(EXAMPLE), "r.txt", cwd=tmp_path).stdout)
    national = json.loads(run_cli("--format", "json", "r.txt", cwd=tmp_path).stdout)
    assert "FZ322" in {d["code"] for d in province["files"][0]["diagnostics"]}
    assert "FZ322" not in {d["code"] for d in national["files"][0]["diagnostics"]}


def test_ci_commands_run(tmp_path: Path) -> None:
    """Every fzlint command of the CI examples runs as written on a folder of good reports."""
    import shlex

    github, gitlab, pre_commit = (yaml.safe_load(b) for b in blocks("ci.md", "yaml"))
    commands = [s["run"] for s in github["jobs"]["fzlint"]["steps"] if s.get("run", "").startswith("fzlint ")]
    commands += [c for c in gitlab["fzlint"]["script"] if c.startswith("fzlint ")]
    assert len(commands) == 3
    (tmp_path / "报告").mkdir()
    shutil.copy(GOOD, tmp_path / "报告" / "good.txt")
    for command in commands:
        args = shlex.split(command)[1:]
        proc = run_cli(*args, cwd=tmp_path)
        assert proc.returncode == 0, (command, proc.stderr.decode())
        if "-o" in args:
            out = tmp_path / args[args.index("-o") + 1]
            assert out.stat().st_size > 0, command
    sarif = json.loads((tmp_path / "fzlint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
