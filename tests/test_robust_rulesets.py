"""Hostile or broken rulesets through the real command (`--ruleset path.yaml`): one clear message
each, naming file, line and field; a catastrophic regex times out for that file only; a valid
ruleset that flags everything or nothing still gives a valid report."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tests.conftest import run_cli, seed

SEED = seed("004")

BASE = """\
ruleset: mine
title: 测试规则集
rules:
  - code: X101
    name: no-foo
    kind: pattern
    category: style
    severity: warning
    weight: 1
    message: 不要写“{match}”
    rationale: 测试用
    source: 测试(经验判断)
    opinion: true
    params: {patterns: ["某某"]}
    examples: {pass: ["好"], fail: ["某某"]}
"""
RULE = BASE[BASE.index("  - code") :]

# name -> (files to write {name: text}, file:line expected, words the message must contain)
CASES: dict[str, tuple[dict[str, str], str, list[str]]] = {
    "yaml-syntax": ({"r.yaml": BASE.replace("title: 测试规则集", "title: [测试")}, "r.yaml:3", ["YAML 语法错误"]),
    "tab-indent": ({"r.yaml": BASE.replace("  - code", "\t- code")}, "r.yaml:4", ["YAML 语法错误"]),
    "duplicate-key": ({"r.yaml": BASE.replace("title: 测试规则集", "title: 测试规则集\ntitle: 又一个")}, "r.yaml:3", ["重复的键", "title"]),
    "wrong-type-number": ({"r.yaml": BASE.replace("weight: 1", "weight: heavy")}, "r.yaml:9", ["rules[0].weight", "应为数字"]),
    "wrong-type-list": ({"r.yaml": BASE.replace('{patterns: ["某某"]}', "{patterns: 5}")}, "r.yaml:14", ["params.patterns", "应为列表"]),
    "wrong-type-rules": ({"r.yaml": BASE.split("rules:")[0] + "rules: 5\n"}, "r.yaml:3", ["rules", "应为列表"]),
    "top-level-list": ({"r.yaml": "- a\n- b\n"}, "r.yaml:1", ["顶层必须是映射"]),
    "empty-file": ({"r.yaml": ""}, "r.yaml:1", ["顶层必须是映射"]),
    "unknown-key": ({"r.yaml": BASE.replace("    weight: 1", "    weight: 1\n    wieght: 2")}, "r.yaml:10", ["rules[0].wieght", "未知字段"]),
    "unknown-param": ({"r.yaml": BASE.replace('{patterns: ["某某"]}', '{patterns: ["某某"], scpoe: body}')}, "r.yaml:14", ["params.scpoe", "未知参数"]),
    "unknown-scope": ({"r.yaml": BASE.replace('{patterns: ["某某"]}', '{patterns: ["某某"], scope: bodyy}')}, "r.yaml:14", ["params.scope", "bodyy"]),
    "unknown-group": ({"r.yaml": BASE.replace('{patterns: ["某某"]}', '{patterns: ["某某"], group: 3}')}, "r.yaml:14", ["params.group"]),
    "unknown-kind": ({"r.yaml": BASE.replace("kind: pattern", "kind: patern")}, "r.yaml:6", ["rules[0].kind", "未知的检查类型", "patern"]),
    "bad-severity": ({"r.yaml": BASE.replace("severity: warning", "severity: fatal")}, "r.yaml:8", ["rules[0].severity"]),
    "duplicate-code": ({"r.yaml": BASE + RULE}, "r.yaml:16", ["X101", "重复", "r.yaml:4"]),
    "extends-cycle": (
        {
            "r.yaml": BASE.replace("title: 测试规则集", "title: 测试规则集\nextends: [b.yaml]"),
            "b.yaml": BASE.replace("ruleset: mine", "ruleset: b").replace("X101", "X102").replace("title: 测试规则集", "title: B\nextends: [r.yaml]"),
        },
        "b.yaml:3",
        ["extends[0]", "循环", "r.yaml -> b.yaml -> r.yaml"],
    ),
    "extends-self": ({"r.yaml": BASE.replace("title: 测试规则集", "title: 测试规则集\nextends: [r.yaml]")}, "r.yaml:3", ["extends[0]", "循环"]),
    "extends-missing-file": ({"r.yaml": BASE.replace("title: 测试规则集", "title: 测试规则集\nextends: [nothere.yaml]")}, "r.yaml:3", ["extends[0]", "nothere.yaml"]),
    "extends-missing-name": ({"r.yaml": BASE.replace("title: 测试规则集", "title: 测试规则集\nextends: [nothere]")}, "r.yaml:3", ["extends[0]", "nothere", "fazhi-annual"]),
    "include-missing": ({"r.yaml": BASE.replace("title: 测试规则集", "title: 测试规则集\ninclude: [more.yaml]")}, "r.yaml:3", ["include[0]", "more.yaml"]),
    "bad-regex": ({"r.yaml": BASE.replace('["某某"]', '["某(某"]')}, "r.yaml:14", ["正则表达式", "某(某", "params"]),
    "bad-regex-in-override": (
        {"r.yaml": "ruleset: o\ntitle: t\nextends: [base.yaml]\noverrides:\n  X101: {params: {patterns: ['((']}}\n", "base.yaml": BASE},
        "r.yaml:5",
        ["X101", "正则表达式", "(("],
    ),
    "bad-type-in-override": (
        {"r.yaml": "ruleset: o\ntitle: t\nextends: [base.yaml]\noverrides:\n  X101: {params: {patterns: 7}}\n", "base.yaml": BASE},
        "r.yaml:5",
        ["overrides.X101.params.patterns", "应为列表"],
    ),
    "override-unknown-code": (
        {"r.yaml": "ruleset: o\ntitle: t\nextends: [base.yaml]\noverrides:\n  X999: {severity: error}\n", "base.yaml": BASE},
        "r.yaml:5",
        ["X999"],
    ),
    "bad-replacement-group": (
        {
            "r.yaml": BASE.replace("kind: pattern", "kind: substitute").replace(
                'params: {patterns: ["某某"]}', 'params: {swaps: [{pattern: "某", replacement: "\\\\2"}]}'
            )
        },
        "r.yaml:14",
        ["params.swaps", "2"],
    ),
    "not-utf8": ({}, "r.yaml", ["UTF-8"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_ruleset_message(tmp_path: Path, case: str) -> None:
    files, where, words = CASES[case]
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    if case == "not-utf8":
        (tmp_path / "r.yaml").write_bytes(BASE.encode("gb18030"))
    proc = run_cli("--no-cache", "--ruleset", str(tmp_path / "r.yaml"), str(SEED))
    err = proc.stderr.decode()
    assert "Traceback" not in err and "内部错误" not in err, err
    assert proc.returncode == 2, err
    assert f"{tmp_path}/{where}" in err, err
    for w in words:
        assert w in err, (w, err)
    assert proc.stdout == b""
    proc = run_cli("--no-cache", "--lang", "en", "--ruleset", str(tmp_path / "r.yaml"), "rules")
    assert proc.returncode == 2 and where.split(":")[0] in proc.stderr.decode()


def test_catastrophic_regex_times_out_for_that_file_and_the_run_goes_on(tmp_path: Path) -> None:
    rs = tmp_path / "slow.yaml"
    rs.write_text(
        "ruleset: slow\ntitle: 慢\nextends: [fazhi-annual]\nrules:\n"
        + RULE.replace("X101", "X201").replace('["某某"]', "['(a+)+$']").replace("no-foo", "slow-pattern"),
        encoding="utf-8",
    )
    files = []
    for i in range(2):
        f = tmp_path / f"r{i}.txt"
        f.write_text(seed("004").read_text(encoding="utf-8") + "\n" + "a" * 5000 + "b\n", encoding="utf-8")
        files.append(str(f))
    t0 = time.monotonic()
    proc = run_cli("--no-cache", "--format", "json", "--ruleset", str(rs), *files, env={"FZLINT_REGEX_TIMEOUT": "0.2"})
    elapsed = time.monotonic() - t0
    assert "Traceback" not in proc.stderr.decode()
    payload = json.loads(proc.stdout)
    assert len(payload["files"]) == 2
    for fp in payload["files"]:
        codes = [d["code"] for d in fp["diagnostics"]]
        timed = [d for d in fp["diagnostics"] if d["code"] == "X201"]
        assert len(timed) == 1 and "超时" in timed[0]["message"]
        assert "FZ111" in codes  # the other rules still ran
    assert elapsed < 20
    text = run_cli("--no-cache", "--ruleset", str(rs), files[0], env={"FZLINT_REGEX_TIMEOUT": "0.2"})
    assert "X201" in text.stdout.decode() and "超时" in text.stdout.decode()


@pytest.mark.parametrize("pattern,expect_findings", [(".", True), ("绝不会出现的词语组合", False)])
def test_ruleset_flagging_everything_or_nothing_gives_a_valid_report(tmp_path: Path, pattern: str, expect_findings: bool) -> None:
    rs = tmp_path / "all.yaml"
    rs.write_text(
        BASE.replace('{patterns: ["某某"]}', f'{{patterns: ["{pattern}"], max_findings: 1000, scope: all}}').replace("severity: warning", "severity: error").replace("weight: 1", "weight: 100"),
        encoding="utf-8",
    )
    proc = run_cli("--no-cache", "--format", "json", "--ruleset", str(rs), str(SEED))
    payload = json.loads(proc.stdout)
    fp = payload["files"][0]
    assert 0 <= fp["score"] <= 100
    assert bool(fp["diagnostics"]) is expect_findings
    assert proc.returncode == (1 if expect_findings else 0)
    proc = run_cli("--no-cache", "--ruleset", str(rs), str(SEED))
    assert "得分" in proc.stdout.decode() and "Traceback" not in proc.stderr.decode()
