"""fzlint.render.sarif: SARIF 2.1.0 checked against the official schema and Microsoft's SARIF
validator with GitHub's rules (the checks GitHub code scanning applies on upload)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import FIXTURES, ROOT
from tests.render_support import (
    CJK_EXT_B_TEXT,
    MISSING,
    SEED_IDS,
    SEED_PATHS,
    cli_output,
    json_diagnostics,
    make_run,
    render,
    span_text,
    tool_missing,
    tools_cache,
)

SCHEMA = json.loads((FIXTURES / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
MULTITOOL_VERSION = "5.7.0"


def validate_schema(log: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(log)


def sarif_of(*args: str, cwd: Path = ROOT) -> dict[str, Any]:
    out, _ = cli_output("sarif", *args, cwd=cwd)
    return json.loads(out)


@pytest.mark.parametrize("seed_path", SEED_PATHS, ids=SEED_IDS)
def test_seed_matches_schema_and_json_output(seed_path: Path) -> None:
    rel = str(seed_path.relative_to(ROOT))
    log = sarif_of(rel)
    validate_schema(log)
    ref = json_diagnostics(rel)["files"][0]
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.resolve().as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(ref["diagnostics"]) > 0
    for res, d in zip(results, ref["diagnostics"], strict=True):
        assert res["ruleId"] == d["code"] and rules[res["ruleIndex"]]["id"] == d["code"]
        assert (
            res["level"] == {"error": "error", "warning": "warning", "info": "note"}[d["severity"]]
        )
        assert res["message"]["text"].startswith(d["message"])
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": rel, "uriBaseId": "%SRCROOT%"}
        region = loc["region"]
        assert (region["startLine"], region["startColumn"]) == (d["line"], d["column"])
        want = span_text(seed_path, d["line"], d["column"], d["end_line"], d["end_column"]).rstrip(
            "\r\n"
        )
        assert region["snippet"]["text"] == want
        assert (
            span_text(
                seed_path,
                region["startLine"],
                region["startColumn"],
                region["endLine"],
                region["endColumn"],
            )
            == want
        )
        assert want in loc["contextRegion"]["snippet"]["text"]
    files = run["properties"]["fzlint/files"]
    assert [(f["score"], f["grade"], f["uri"]) for f in files] == [
        (ref["score"], ref["grade"], rel)
    ]
    assert {k: v["status"] for k, v in files[0]["elements"].items()} == {
        k: v["status"] for k, v in ref["elements"].items()
    }


def test_rule_descriptors_carry_help_and_tags() -> None:
    log = sarif_of(str(SEED_PATHS[0].relative_to(ROOT)))
    driver = log["runs"][0]["tool"]["driver"]
    assert (
        driver["name"] == "fzlint"
        and driver["version"]
        and driver["informationUri"].startswith("https://")
    )
    by_id = {r["id"]: r for r in driver["rules"]}
    assert {"FZ101", "FZ102", "FZ401", "D101"} <= set(by_id)
    fz102 = by_id["FZ102"]
    assert fz102["name"] == "ProblemsPart"
    assert fz102["shortDescription"]["text"] == "缺少“存在的不足和原因”部分。"
    assert "年度报告应当包括" in fz102["fullDescription"]["text"]
    assert "厅字〔2019〕28号" in fz102["help"]["text"] and "**依据**" in fz102["help"]["markdown"]
    assert fz102["defaultConfiguration"]["level"] == "error"
    assert {"structure", "结构"} <= set(fz102["properties"]["tags"])
    # message templates lose their {placeholders} in descriptions
    assert all("{" not in r["shortDescription"]["text"] for r in driver["rules"])


def test_fingerprints_are_unique_and_survive_inserted_lines(tmp_path: Path) -> None:
    seed = SEED_PATHS[2]  # many identical “XX” placeholders
    text = seed.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    report = tmp_path / "a.txt"
    report.write_text(text, encoding="utf-8")
    first = sarif_of("a.txt", cwd=tmp_path)["runs"][0]["results"]
    again = sarif_of("a.txt", cwd=tmp_path)["runs"][0]["results"]
    report.write_text("".join(lines[:20] + ["\n", "\n"] + lines[20:]), encoding="utf-8")
    moved = sarif_of("a.txt", cwd=tmp_path)["runs"][0]["results"]

    def prints(results: list[dict[str, Any]]) -> list[str]:
        return [r["partialFingerprints"]["fzlintSpanHash/v1"] for r in results]

    def start_lines(results: list[dict[str, Any]]) -> list[int]:
        return [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]

    assert prints(first) == prints(again)
    assert len(set(prints(first))) == len(first)
    assert start_lines(moved) != start_lines(first)  # the findings below moved down two lines …
    assert prints(moved) == prints(first)  # … and are still recognised as the same findings


def test_cjk_extension_b_columns_are_code_points(tmp_path: Path) -> None:
    (tmp_path / "扩展B.txt").write_text(CJK_EXT_B_TEXT, encoding="utf-8")
    log = sarif_of("扩展B.txt", cwd=tmp_path)
    validate_schema(log)
    run = log["runs"][0]
    placeholders = [r for r in run["results"] if r["ruleId"] == "FZ401"]
    region = placeholders[0]["locations"][0]["physicalLocation"]["region"]
    # 𠀀𠀁市人民政府 is 7 code points (9 UTF-16 units): XX starts at code point column 8
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (1, 8, 10)
    assert region["snippet"]["text"] == "XX"
    uri = placeholders[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "%E6%89%A9%E5%B1%95B.txt"


def test_no_findings() -> None:
    run = make_run([SEED_PATHS[0]], select=["FZ401"])
    log = json.loads(render("sarif", run))
    validate_schema(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert log["runs"][0]["tool"]["driver"]["rules"]


def test_missing_file_is_a_tool_notification() -> None:
    out, code = cli_output("sarif", str(SEED_PATHS[1].relative_to(ROOT)), MISSING)
    assert code == 2
    log = json.loads(out)
    validate_schema(log)
    inv = log["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error" and "不存在" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": MISSING,
        "uriBaseId": "%SRCROOT%",
    }
    # seed 001's findings are still reported next to the notification
    assert "FZ311" in {r["ruleId"] for r in log["runs"][0]["results"]}


def test_fixes_become_sarif_fixes() -> None:
    log = json.loads(render("sarif", make_run([SEED_PATHS[0]])))
    fixed = [r for r in log["runs"][0]["results"] if "fixes" in r and r["ruleId"] == "D102"]
    assert fixed, "seed 000 has a fixable heading marker (D102)"
    change = fixed[0]["fixes"][0]["artifactChanges"][0]
    assert change["replacements"][0]["insertedContent"]["text"] == "(二)"
    assert change["replacements"][0]["deletedRegion"] == {
        "startLine": 17,
        "startColumn": 1,
        "endLine": 17,
        "endColumn": 3,
    }


# ---- Microsoft's SARIF validator with the GitHub rule set ----------------------------------------
@pytest.fixture(scope="session")
def sarif_multitool() -> Path:
    """Sarif.Multitool from npm (@microsoft/sarif-multitool-linux), cached outside the repo."""
    home = tools_cache() / f"sarif-multitool-{MULTITOOL_VERSION}"
    exe = home / "package" / "Sarif.Multitool"
    if exe.exists():
        return exe
    npm = shutil.which("npm")
    if npm is None:
        tool_missing("npm is not installed (needed to fetch the SARIF validator)")
    home.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [npm, "pack", f"@microsoft/sarif-multitool-linux@{MULTITOOL_VERSION}", "--silent"],
        cwd=home,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    tgz = (
        home / proc.stdout.strip().splitlines()[-1]
        if proc.returncode == 0 and proc.stdout.strip()
        else None
    )
    if tgz is None or not tgz.exists():
        tool_missing(f"npm pack @microsoft/sarif-multitool-linux failed: {proc.stderr[-500:]}")
    with tarfile.open(tgz) as tar:
        tar.extractall(home, filter="data")
    tgz.unlink()
    exe.chmod(0o755)
    return exe


def multitool_errors(exe: Path, *logs: Path) -> list[str]:
    """Error-level findings of `Sarif.Multitool validate --rule-kind "Gh;Sarif"` on the logs."""
    out = logs[0].parent / "validation.sarif"
    env = {
        **os.environ,
        "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1",
        "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
    }
    proc = subprocess.run(
        [
            str(exe),
            "validate",
            *map(str, logs),
            "--rule-kind",
            "Gh;Sarif",
            "-o",
            str(out),
            "--log",
            "ForceOverwrite",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (
        f"Done. {len(logs)} files scanned." in proc.stdout
        and "Analysis completed successfully" in proc.stdout
    ), proc.stdout
    report = json.loads(out.read_text(encoding="utf-8-sig"))
    found = [
        f"{r['ruleId']}: {r['message']}"
        for r in report["runs"][0].get("results", [])
        if r.get("level") == "error"
    ]
    found += [line for line in proc.stdout.splitlines() if ": error " in line]
    return found


def test_github_rules_accept_our_logs(sarif_multitool: Path, tmp_path: Path) -> None:
    """Five seeds plus a missing file, a CJK Extension B report, and a run with no findings."""
    seeds = tmp_path / "seeds.sarif"
    proc_out, code = cli_output("sarif", "seeds", MISSING, "-o", str(seeds))
    assert code == 2 and proc_out == ""
    assert len(json.loads(seeds.read_text(encoding="utf-8"))["runs"][0]["results"]) > 40
    (tmp_path / "扩展B.txt").write_text(CJK_EXT_B_TEXT, encoding="utf-8")
    cjk = tmp_path / "cjk.sarif"
    cli_output("sarif", "扩展B.txt", "-o", str(cjk), cwd=tmp_path)
    empty = tmp_path / "empty.sarif"
    empty.write_text(render("sarif", make_run([SEED_PATHS[0]], select=["FZ401"])), encoding="utf-8")
    assert multitool_errors(sarif_multitool, seeds, cjk, empty) == []


def test_validator_catches_a_broken_log(sarif_multitool: Path, tmp_path: Path) -> None:
    """The validator check above can fail: a region with endLine before startLine is an error."""
    log = json.loads(render("sarif", make_run([SEED_PATHS[3]])))
    log["runs"][0]["results"][-1]["locations"][0]["physicalLocation"]["region"]["endLine"] = 1
    bad = tmp_path / "bad.sarif"
    bad.write_text(json.dumps(log, ensure_ascii=False), encoding="utf-8")
    errors = multitool_errors(sarif_multitool, bad)
    assert any("SARIF1007" in e for e in errors), errors
