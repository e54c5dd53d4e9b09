"""fzlint.render.junit: JUnit XML checked element by element and read back with junitparser (the
reader behind the publish-unit-test-result GitHub action)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from junitparser import Error, Failure, JUnitXml

from fzlint.render.junit import xml_safe
from tests.conftest import ROOT
from tests.render_support import (
    MISSING,
    SEED_IDS,
    SEED_PATHS,
    cli_output,
    json_diagnostics,
    make_run,
    render,
)

def _rule_count() -> int:
    from fzlint.rules.loader import load_ruleset

    return len(load_ruleset("fazhi-annual").rules)  # rules in fazhi-annual and what it extends


RULE_COUNT = _rule_count()
_SUITE_ATTRS = {
    "name",
    "tests",
    "failures",
    "errors",
    "skipped",
    "time",
    "timestamp",
    "hostname",
    "id",
    "package",
}


def check_structure(xml: str) -> ET.Element:
    """What CI viewers rely on: counts that add up and the usual element order."""
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "testsuites"
    totals = Counter[str]()
    for suite in root:
        assert suite.tag == "testsuite" and set(suite.attrib) == _SUITE_ATTRS
        assert next(c.tag for c in suite) == "properties" and [c.tag for c in suite][-2:] == [
            "system-out",
            "system-err",
        ]
        cases = suite.findall("testcase")
        assert int(suite.get("tests", "")) == len(cases)
        assert int(suite.get("failures", "")) == sum(
            1 for c in cases if c.find("failure") is not None
        )
        assert int(suite.get("errors", "")) == sum(1 for c in cases if c.find("error") is not None)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", suite.get("timestamp", ""))
        for case in cases:
            assert set(case.attrib) == {"classname", "name", "time"} and case.get(
                "classname"
            ) == suite.get("name")
            assert len(list(case)) <= 1
        for key in ("tests", "failures", "errors"):
            totals[key] += int(suite.get(key, ""))
    for key in ("tests", "failures", "errors"):
        assert int(root.get(key, "")) == totals[key]
    return root


@pytest.mark.parametrize("seed_path", SEED_PATHS, ids=SEED_IDS)
def test_seed_one_case_per_rule(seed_path: Path, tmp_path: Path) -> None:
    rel = str(seed_path.relative_to(ROOT))
    out, _ = cli_output("junit", rel)
    root = check_structure(out)
    ref = json_diagnostics(rel)["files"][0]
    (suite,) = root
    assert suite.get("name") == rel
    props = {p.get("name"): p.get("value") for p in suite.find("properties") or []}
    assert props == {
        "ruleset": "fazhi-annual",
        "score": str(ref["score"]),
        "grade": ref["grade"],
        "findings": str(len(ref["diagnostics"])),
    }
    cases = {c.get("name", "").split()[0]: c for c in suite.findall("testcase")}
    assert len(cases) == RULE_COUNT and all(
        re.fullmatch(r"[A-Z]+\d+ [a-z0-9-]+", c.get("name", "")) for c in cases.values()
    )
    by_code: dict[str, list[dict]] = {}
    for d in ref["diagnostics"]:
        by_code.setdefault(d["code"], []).append(d)
    assert {code for code, c in cases.items() if c.find("failure") is not None} == set(by_code)
    for code, found in by_code.items():
        failure = cases[code].find("failure")
        assert failure is not None
        worst = "error" if any(d["severity"] == "error" for d in found) else found[0]["severity"]
        assert failure.get("type") == worst
        assert found[0]["message"] in failure.get("message", "")
        locations = [line for line in (failure.text or "").splitlines() if not line.startswith(" ")]
        assert locations == [
            f"{rel}:{d['line']}:{d['column']}: {_sev(d)}[{code}] {d['message']}" for d in found
        ]
    # a real JUnit reader agrees
    path = tmp_path / "junit.xml"
    path.write_text(out, encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    (jsuite,) = list(xml)
    assert jsuite.tests == RULE_COUNT and jsuite.failures == len(by_code) and jsuite.errors == 0
    failed = {
        case.name.split()[0] for case in jsuite if any(isinstance(r, Failure) for r in case.result)
    }
    assert failed == set(by_code)


def _sev(d: dict) -> str:
    return {"error": "错误", "warning": "警告", "info": "提示"}[d["severity"]]


def test_no_findings_all_cases_pass() -> None:
    root = check_structure(render("junit", make_run([SEED_PATHS[0]], select=["FZ401"])))
    assert root.get("failures") == "0"
    (suite,) = root
    # --select limits the test cases to the selected rules
    assert [c.get("name") for c in suite.findall("testcase")] == ["FZ401 placeholder-left"]


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    out, code = cli_output("junit", str(SEED_PATHS[4].relative_to(ROOT)), MISSING)
    assert code == 2
    root = check_structure(out)
    suite = root[-1]
    assert suite.get("name") == MISSING and suite.get("errors") == "1"
    error = suite.find("testcase/error")
    assert error is not None and "不存在" in error.get("message", "")
    path = tmp_path / "junit.xml"
    path.write_text(out, encoding="utf-8")
    jsuite = list(JUnitXml.fromfile(str(path)))[-1]
    assert jsuite.errors == 1 and isinstance(next(iter(jsuite)).result[0], Error)


def test_markup_and_control_characters_are_escaped(tmp_path: Path) -> None:
    # A report whose text contains XML markup and a form feed (as PDFs carry) still gives valid XML.
    (tmp_path / "a<b>&.txt").write_text(
        "XX市<人民政府>&关于2021年法治政府建设情况的报告\x0c\n一、主要举措\n", encoding="utf-8"
    )
    out, _ = cli_output("junit", "a<b>&.txt", cwd=tmp_path)
    root = check_structure(out)
    assert root[0].get("name") == "a<b>&.txt"
    assert "\x0c" not in out
    assert xml_safe("a\x00b\x0cc\td\n") == "a\ufffdb\ufffdc\td\n"
