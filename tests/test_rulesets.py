"""Ruleset loading: schema errors with file:line, extends/overrides/disable/include, the cache."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from fzlint.errors import RulesetError
from fzlint.rules import loader
from fzlint.rules.loader import load_ruleset
from tests.conftest import run_cli, seed

RULE = """
  - code: X101
    name: no-foo
    kind: pattern
    category: content
    severity: warning
    weight: 2
    message: 不要写“{match}”
    rationale: 测试用。
    source: 经验判断
    opinion: true
    params: {patterns: [乱写]}
    examples: {pass: [正常。], fail: [乱写。]}
"""


def write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def load_error(path: Path) -> RulesetError:
    with pytest.raises(RulesetError) as exc:
        load_ruleset(str(path), use_cache=False)
    return exc.value


def test_builtin_rulesets_load_and_chain() -> None:
    rs = load_ruleset("fazhi-annual", use_cache=False)
    assert rs.chain[-1] == "fazhi-annual" and "gbt9704" in rs.chain
    codes = [r.code for r in rs.rules]
    assert len(codes) == len(set(codes))
    assert {"FZ101", "FZ102", "FZ103", "FZ104", "FZ105", "D101"} <= set(codes)
    for r in rs.rules:
        assert r.source and r.rationale and r.message


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.yaml", "ruleset: x\ntitle: t\nrules:\n  - code: [unclosed\n")
    err = load_error(p)
    assert f"{p}:" in err.zh and "YAML 语法错误" in err.zh


def test_wrong_type_and_unknown_key_name_line_and_field(tmp_path: Path) -> None:
    text = "ruleset: prov\ntitle: 省规则\nrules:" + RULE.replace("weight: 2", "weight: heavy")
    err = load_error(write(tmp_path, "a.yaml", text))
    assert ":9: 字段 rules[0].weight" in err.zh and "应为数字" in err.zh
    text = "ruleset: prov\ntitle: 省规则\nrules:" + RULE.replace("    weight: 2\n", "    weight: 2\n    colour: red\n")
    err = load_error(write(tmp_path, "b.yaml", text))
    assert ":10: 字段 rules[0].colour" in err.zh and "未知字段" in err.zh


def test_unknown_kind_and_bad_regex(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, "k.yaml", "ruleset: p\ntitle: t\nrules:" + RULE.replace("kind: pattern", "kind: magic")))
    assert ":6: 字段 rules[0].kind: 未知的检查类型 “magic”" in err.zh
    err = load_error(write(tmp_path, "r.yaml", "ruleset: p\ntitle: t\nrules:" + RULE.replace("[乱写]", "['(乱写']")))
    assert "X101" in err.zh and ":14:" in err.zh
    err = load_error(write(tmp_path, "p.yaml", "ruleset: p\ntitle: t\nrules:" + RULE.replace("patterns: [乱写]", "pattern: [乱写]")))
    assert "rules[0].params.pattern" in err.zh


def test_duplicate_code_and_extends_problems(tmp_path: Path) -> None:
    err = load_error(write(tmp_path, "d.yaml", "ruleset: p\ntitle: t\nrules:" + RULE + RULE))
    assert "X101 重复" in err.zh
    err = load_error(write(tmp_path, "dup.yaml", "ruleset: p\ntitle: t\nextends: [fazhi-annual]\nrules:" + RULE.replace("X101", "FZ102")))
    assert "FZ102 重复" in err.zh and "overrides" in err.zh
    write(tmp_path, "c1.yaml", "ruleset: c1\ntitle: t\nextends: [c2.yaml]\n")
    write(tmp_path, "c2.yaml", "ruleset: c2\ntitle: t\nextends: [c1.yaml]\n")
    err = load_error(tmp_path / "c1.yaml")
    assert "循环" in err.zh and "c1.yaml -> c2.yaml -> c1.yaml" in err.zh
    err = load_error(write(tmp_path, "m.yaml", "ruleset: m\ntitle: t\nextends: [no-such-ruleset]\n"))
    assert "找不到名为 “no-such-ruleset” 的规则集" in err.zh


def test_province_extends_with_overrides_disable_and_own_rule(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "prov.yaml",
        "ruleset: prov\ntitle: 某省\nextends: [fazhi-annual]\n"
        "overrides:\n  FZ201: {severity: info, weight: 1}\n  FZ102: {message: 本省要求单列存在问题}\n"
        "disable: [FZ311]\nrules:" + RULE,
    )
    rs = load_ruleset(str(p), use_cache=False)
    assert rs.rule("FZ201").severity == "info" and rs.rule("FZ201").weight == 1
    assert rs.rule("FZ311") is None and rs.rule("X101") is not None
    proc = run_cli("--format", "json", "--ruleset", str(p), str(seed("003")))
    import json

    f = json.loads(proc.stdout)["files"][0]
    assert f["ruleset"] == "prov"
    assert any(d["message"] == "本省要求单列存在问题" for d in f["diagnostics"])
    assert not any(d["code"] == "FZ311" for d in f["diagnostics"])
    err = load_error(write(tmp_path, "o.yaml", "ruleset: o\ntitle: t\nextends: [fazhi-annual]\noverrides:\n  ZZ999: {weight: 1}\n"))
    assert ":5:" in err.zh and "ZZ999" in err.zh


def test_cli_reports_ruleset_errors_with_exit_2(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.yaml", "ruleset: p\ntitle: t\nrules:" + RULE.replace("severity: warning", "severity: fatal"))
    proc = run_cli("--ruleset", str(p), str(seed("001")))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert f"{p}:8: 字段 rules[0].severity" in err and b"Traceback" not in proc.stderr


def test_cache_is_used_and_rebuilt_when_stale_or_corrupt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FZLINT_CACHE_DIR", str(tmp_path / "cache"))
    p = write(tmp_path, "own.yaml", "ruleset: own\ntitle: t\nrules:" + RULE)
    first = load_ruleset(str(p))
    cache_files = list((tmp_path / "cache").rglob("*.pickle"))
    assert len(cache_files) == 1
    # a cached load does not need the YAML parser at all
    import fzlint.rules.loader as ld

    monkeypatch.setattr(ld, "_build", lambda *a, **k: (_ for _ in ()).throw(AssertionError("rebuilt")))
    assert load_ruleset(str(p)).rule("X101").message == first.rule("X101").message
    monkeypatch.undo()
    monkeypatch.setenv("FZLINT_CACHE_DIR", str(tmp_path / "cache"))
    # editing the file invalidates the cache
    p.write_text(p.read_text(encoding="utf-8").replace("不要写", "别写"), encoding="utf-8")
    assert load_ruleset(str(p)).rule("X101").message.startswith("别写")
    # a corrupt cache is rebuilt silently
    cache_files[0].write_bytes(b"garbage")
    assert load_ruleset(str(p)).rule("X101") is not None
    from fzlint import cachedir

    assert pickle.loads(cachedir.load(cache_files[0]) or b"")["ruleset"].id == "own"  # rebuilt, signed


def test_unwritable_cache_dir_does_not_stop_linting(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    proc = run_cli("-q", str(seed("001")), env={"FZLINT_CACHE_DIR": str(blocker / "sub")})
    assert proc.returncode == 0, proc.stderr.decode()


def test_cache_dir_default_is_user_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FZLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/tmp/xdg-test")
    if os.name == "posix" and not loader.sys.platform == "darwin":
        assert loader.cache_dir() == Path("/tmp/xdg-test/fzlint")


@pytest.mark.parametrize(
    ("kind", "field", "value", "known"),
    [("report_year", "mode", "titel", "title"), ("numbering", "mode", "heading", "headings"), ("punctuation_width", "report", "all", "wholesale"), ("session_reference", "mode", "supersede", "superseded")],
)
def test_a_misspelt_mode_is_a_ruleset_error_with_file_line_and_field(tmp_path: Path, kind: str, field: str, value: str, known: str) -> None:
    """`mode: titel` used to disable its rule silently (no branch matched); the kinds declare
    their modes as Literal values, which the ruleset schema checks like every other parameter."""
    path = tmp_path / "mine.yaml"
    path.write_text(
        "ruleset: mine\ntitle: t\nrules:\n  - code: X101\n    name: x\n    kind: " + kind + "\n    category: date\n    severity: warning\n    weight: 1\n"
        "    message: 甲\n    rationale: 丙\n    source: 丁\n    opinion: true\n    examples: {pass: [\"好\"], fail: [\"坏\"]}\n    params:\n      " + field + ": " + value + "\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesetError) as err:
        load_ruleset(str(path), use_cache=False)
    zh, en = err.value.zh, err.value.en
    for text in (zh, en):
        assert "mine.yaml:16" in text and f"params.{field}" in text and known in text
    done = run_cli("--ruleset", str(path), str(seed("001")))
    assert done.returncode == 2 and b"Traceback" not in done.stderr and f"params.{field}".encode() in done.stderr
