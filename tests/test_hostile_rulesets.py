"""Hostile rulesets through the real command, each run under a memory and CPU limit (issue #13,
items 7-9): every one ends quickly with one clear message naming file and line, exit 2, never an
internal error, never gigabytes; a slow ruleset is bounded per file; a ruleset never prints
another file's lines, and a config file cannot choose one outside its own folder tree."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.bounded import run_bounded
from tests.conftest import seed
from tests.test_robust_rulesets import BASE, RULE

MEM_MB = 600  # address space: python with regex, pydantic and yaml loaded uses ~250 MB of it
SECONDS = 45  # wall time of one run, start-up included, on a busy 2-core machine


def _report(tmp_path: Path) -> Path:
    """A real report with 某某 in its body (what the BASE rule flags)."""
    lines = seed("004").read_text(encoding="utf-8").split("\n")
    lines[6] += "某某单位的做法值得推广。"
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _alias_bomb() -> str:
    lines = ['  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return BASE.replace("rules:", "settings:\n" + "\n".join(lines) + "\nrules:", 1)


# name -> (ruleset text, line the message names, words it must contain)
CASES: dict[str, tuple[str, int, list[str]]] = {
    # 9^10 strings from 1 KB: 1.9 GB before
    "alias-bomb": (_alias_bomb(), 9, ["别名", "节点总数"]),
    # 100,000 nested lists: RecursionError ("内部错误") before
    "deep-nesting": (BASE.replace("rules:", "settings:\n  x: " + "[" * 100_000 + "]" * 100_000 + "\nrules:", 1), 4, ["嵌套超过"]),
    # a 5,000-digit weight: ValueError from int() ("内部错误") before
    "5000-digit-weight": (BASE.replace("weight: 1", "weight: " + "9" * 5000), 9, ["5000 位"]),
    # regex expands counted repeats: 2+ GB to compile before
    "nested-quantifier": (BASE.replace('["某某"]', "['(?:(?:a{1000}){1000}){10}']"), 14, ["计数重复", "X101"]),
    "long-pattern": (BASE.replace('["某某"]', "['" + "某" * 20_000 + "']"), 14, ["超过上限"]),
    # a 200-million-character pad on every finding: 1.8 GB before
    "template-width": (BASE.replace("不要写“{match}”", '"不要写{match:>200000000}"'), 10, ["rules[0].message", "{match:>200000000}"]),
    # Python internals in the message before
    "template-attribute": (BASE.replace("不要写“{match}”", '"{match.__class__.__mro__}"'), 10, ["rules[0].message", "{match.__class__.__mro__}"]),
    "template-in-help": (BASE.replace("    rationale:", '    help: "改为{match[0]}"\n    rationale:'), 11, ["rules[0].help"]),
    "template-in-override": (
        "ruleset: o\ntitle: t\nextends: [fazhi-annual]\noverrides:\n  FZ401: {message: '{text!r:>99999}'}\n",
        5,
        ["overrides.FZ401.message"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_ruleset_is_refused_quickly_with_file_and_line(tmp_path: Path, case: str) -> None:
    text, line, words = CASES[case]
    rs = tmp_path / "r.yaml"
    rs.write_text(text, encoding="utf-8")
    run = run_bounded("--no-cache", "--ruleset", str(rs), str(_report(tmp_path)), mem_mb=MEM_MB, timeout=SECONDS * 2)
    assert not run.killed and run.seconds < SECONDS, (run.seconds, run.err)
    assert run.peak_mb < 300, run.peak_mb
    assert "Traceback" not in run.err and "内部错误" not in run.err and "MemoryError" not in run.err, run.err
    assert run.returncode == 2, run.err
    assert f"{rs}:{line}:" in run.err, run.err
    for w in words:
        assert w in run.err, (w, run.err)
    assert run.stdout == b""
    assert len(run.err) < 2000  # one message, not the file


def test_template_fields_that_are_plain_names_still_work(tmp_path: Path) -> None:
    rs = tmp_path / "r.yaml"
    rs.write_text(BASE.replace("不要写“{match}”", '"不要写“{match}”{{原样}}{unknown}"'), encoding="utf-8")
    run = run_bounded("--no-cache", "--format", "json", "--ruleset", str(rs), str(_report(tmp_path)), mem_mb=MEM_MB)
    assert run.returncode in (0, 1), run.err
    messages = [d["message"] for d in json.loads(run.stdout)["files"][0]["diagnostics"] if d["code"] == "X101"]
    assert messages == ["不要写“某某”{原样}{unknown}"]


def _diamond(folder: Path, levels: int) -> Path:
    """Two files per level, each extending both files of the next level: 2**levels paths."""
    for lvl in range(levels):
        for side in "ab":
            if lvl == levels - 1:
                body = BASE.replace("ruleset: mine", f"ruleset: l{lvl}{side}").replace("X101", "X102" if side == "b" else "X101")
            else:
                body = f"ruleset: l{lvl}{side}\ntitle: 第 {lvl} 层\nextends: [l{lvl + 1}a.yaml, l{lvl + 1}b.yaml]\n"
            (folder / f"l{lvl}{side}.yaml").write_text(body, encoding="utf-8")
    return folder / "l0a.yaml"


def test_extends_diamond_loads_each_file_once(tmp_path: Path) -> None:
    # 15 levels: 2**15 = 32,768 builds of the bottom file before (minutes); 30 reads now
    root = _diamond(tmp_path, 15)
    run = run_bounded("--no-cache", "--format", "json", "--ruleset", str(root), str(_report(tmp_path)), mem_mb=MEM_MB, timeout=SECONDS * 2)
    assert not run.killed and run.seconds < SECONDS, (run.seconds, run.err)
    assert run.returncode in (0, 1), run.err
    codes = [d["code"] for d in json.loads(run.stdout)["files"][0]["diagnostics"]]
    assert codes.count("X101") == 1  # reached 2**14 times, kept once


def test_extends_chain_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    root = _diamond(tmp_path, 25)  # hung before (2**25 builds)
    run = run_bounded("--no-cache", "--ruleset", str(root), str(_report(tmp_path)), mem_mb=MEM_MB, timeout=SECONDS * 2)
    assert not run.killed and run.seconds < SECONDS, (run.seconds, run.err)
    assert run.returncode == 2 and "继承超过 16 层" in run.err and "extends[0]" in run.err, run.err


def test_two_bases_defining_the_same_code_differently_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(BASE.replace("ruleset: mine", "ruleset: b"), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(BASE.replace("ruleset: mine", "ruleset: c").replace("某某", "某甲"), encoding="utf-8")
    (tmp_path / "a.yaml").write_text("ruleset: a\ntitle: t\nextends: [b.yaml, c.yaml]\n", encoding="utf-8")
    run = run_bounded("--no-cache", "--ruleset", str(tmp_path / "a.yaml"), str(_report(tmp_path)), mem_mb=MEM_MB)
    assert run.returncode == 2 and "X101" in run.err and f"{tmp_path}/a.yaml:3:" in run.err, run.err


# ---- item 8: a time budget per file for all rules together ----------------------------------------
def _slow_ruleset(tmp_path: Path, n: int) -> Path:
    rules = "".join(
        RULE.replace("X101", f"X{200 + i}").replace('["某某"]', "['(a+)+$']").replace("no-foo", f"slow-{i}") for i in range(n)
    )
    rs = tmp_path / "slow.yaml"
    rs.write_text("ruleset: slow\ntitle: 慢\nextends: [fazhi-annual]\nrules:\n" + rules, encoding="utf-8")
    return rs


def test_many_catastrophic_rules_stop_at_the_file_budget(tmp_path: Path) -> None:
    rs = _slow_ruleset(tmp_path, 100)
    report = tmp_path / "slow.txt"
    report.write_text(seed("004").read_text(encoding="utf-8") + "\n" + "a" * 5000 + "b\n", encoding="utf-8")
    env = {"FZLINT_REGEX_TIMEOUT": "0.5", "FZLINT_FILE_TIMEOUT": "3"}
    # before: 100 rules x at least 0.5 s each, over 50 s; now the budget (3 s) plus start-up
    run = run_bounded("--no-cache", "--format", "json", "--ruleset", str(rs), str(report), env=env, mem_mb=MEM_MB, timeout=120)
    assert not run.killed and run.seconds < 30, (run.seconds, run.err)
    payload = json.loads(run.stdout)
    fp = payload["files"][0]
    not_run = fp["not_run"]
    assert len(not_run) >= 80 and all(c.startswith("X2") for c in not_run), not_run
    ran = {d["code"] for d in fp["diagnostics"]}
    assert not ran & set(not_run)
    assert "FZ111" in ran  # the built-in rules came first and ran
    assert any("规则未运行" in n for n in fp["notes"])
    assert "规则未运行" in run.err and "FZLINT_FILE_TIMEOUT" in run.err
    import jsonschema

    schema = json.loads((Path(__file__).resolve().parent.parent / "docs" / "schema" / "fzlint-output.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(payload, schema)
    # the other formats say so too
    junit = run_bounded("--no-cache", "--format", "junit", "--ruleset", str(rs), str(report), env=env, mem_mb=MEM_MB, timeout=120)
    suite = ET.fromstring(junit.stdout).find("testsuite")
    assert suite is not None and int(suite.get("skipped", "0")) >= 80
    sarif = run_bounded("--no-cache", "--format", "sarif", "--ruleset", str(rs), str(report), env=env, mem_mb=MEM_MB, timeout=120)
    notes = json.loads(sarif.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(len(n["properties"]["fzlint/notRun"]) >= 80 for n in notes)


# ---- item 9: rulesets never print other files; config-chosen rulesets stay home -------------------
SHADOW = "root:$6$saltsalt$HASHHASHHASHHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


@pytest.mark.parametrize("field,ref", [("include", "secret"), ("include", "secret.yaml"), ("extends", "secret.yaml")])
def test_a_file_that_is_no_ruleset_is_never_echoed(tmp_path: Path, field: str, ref: str) -> None:
    (tmp_path / ref).write_text(SHADOW, encoding="utf-8")
    rs = tmp_path / "r.yaml"
    rs.write_text(BASE.replace("rules:", f"{field}: [{ref}]\nrules:", 1), encoding="utf-8")
    run = run_bounded("--no-cache", "--ruleset", str(rs), str(_report(tmp_path)), mem_mb=MEM_MB)
    assert run.returncode == 2, run.err
    assert "HASH" not in run.err and "daemon" not in run.err and "saltsalt" not in run.err, run.err
    assert "规则集" in run.err and ref in run.err


def test_config_file_cannot_choose_a_ruleset_outside_its_folder(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "rules.yaml"
    outside.parent.mkdir()
    outside.write_text(BASE, encoding="utf-8")
    repo = tmp_path / "downloaded"
    repo.mkdir()
    report = _report(repo)
    (repo / "fzlint.toml").write_text('ruleset = "../elsewhere/rules.yaml"\n', encoding="utf-8")
    run = run_bounded(str(report), mem_mb=MEM_MB)
    assert run.returncode == 2 and f"{repo}/fzlint.toml:1" in run.err and "--ruleset" in run.err, run.err
    assert run.stdout == b""
    # a symlink inside the folder pointing out is the same thing
    (repo / "fzlint.toml").write_text('ruleset = "rules.yaml"\n', encoding="utf-8")
    (repo / "rules.yaml").symlink_to(outside)
    run = run_bounded(str(report), mem_mb=MEM_MB)
    assert run.returncode == 2 and "不在配置文件所在的目录" in run.err, run.err
    # ... and so is a ruleset inside that includes a file outside
    (repo / "rules.yaml").unlink()
    (repo / "rules.yaml").write_text(BASE.replace("rules:", "extends: [../elsewhere/rules.yaml]\nrules:", 1).replace("X101", "X109"), encoding="utf-8")
    run = run_bounded(str(report), mem_mb=MEM_MB)
    assert run.returncode == 2 and "extends[0]" in run.err and "不在配置文件所在的目录" in run.err, run.err
    # given on the command line, the same file is used
    run = run_bounded("--ruleset", str(outside), str(report), mem_mb=MEM_MB)
    assert run.returncode in (0, 1) and "X101" in run.out, run.err
    # inside the config's folder tree, and built-in names, are fine
    (repo / "rules.yaml").write_text(BASE, encoding="utf-8")
    assert run_bounded(str(report), mem_mb=MEM_MB).returncode in (0, 1)
    (repo / "fzlint.toml").write_text('ruleset = "gbt9704"\n', encoding="utf-8")
    assert run_bounded(str(report), mem_mb=MEM_MB).returncode in (0, 1)
