"""The report's parts come from the ruleset: a province ruleset that adds a part sees it in every
output (JSON, SARIF, HTML, the text table), in the order its `parts:` declares."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

# A province that asks for a sixth part: how the findings of the 法治督察 were rectified.
PROVINCE = """\
ruleset: province-rectification
title: 某省法治政府建设年度报告(含督察整改情况)
extends: [fazhi-annual]
parts: [measures, problems, causes, rectification]
rules:
  - code: P901
    name: rectification-part
    kind: required_element
    category: structure
    severity: warning
    weight: 2
    message: 缺少“法治督察整改情况”部分
    help: 本省要求单列一部分,写明上一年度法治督察反馈问题的整改情况。
    rationale: 省级规定(示例)。
    source: 某省法治政府建设年度报告工作要求(示例)
    params:
      element: rectification
      label: 法治督察整改情况
      headings: ["(法治)?督察(反馈问题)?整改(落实)?情况"]
      inline: []
    examples:
      pass:
        - "一、主要举措和成效\\n全年办理复议案件12件。\\n二、法治督察整改情况\\n反馈的3个问题已全部整改。"
      fail:
        - "一、主要举措和成效\\n全年办理复议案件12件。"
"""

REPORT = """\
某县人民政府2023年法治政府建设年度报告

一、主要举措和成效
2023年,全县办理行政复议案件46件,比上年增加8件。严格落实重大行政决策程序,6项重大决策全部经过合法性审查。

二、存在的不足和原因
(一)存在的不足
基层执法人员数量不足,乡镇综合执法能力有待提升。
(二)原因分析
一是编制总量有限;二是培训经费不足。

三、法治督察整改情况
省法治督察反馈的3个问题已全部整改到位,整改台账已报市委依法治市办。

四、党政主要负责人履行推进法治建设第一责任人职责情况
县政府主要负责人专题研究法治政府建设工作4次,带头开展述法。

五、2024年主要安排
加强基层执法队伍建设,推进乡镇综合执法规范化。

某县人民政府
2024年2月20日
"""


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    ruleset = tmp_path / "province.yaml"
    ruleset.write_text(PROVINCE, encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    return ruleset, report


def _cli(tmp_path: Path, *args: str) -> str:
    proc = run_cli(*args, env={"FZLINT_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return proc.stdout.decode("utf-8")


def test_a_part_a_province_adds_is_in_json_in_its_declared_order(tmp_path: Path) -> None:
    ruleset, report = _setup(tmp_path)
    out = json.loads(_cli(tmp_path, "--ruleset", str(ruleset), "--format", "json", str(report)))
    elements = out["files"][0]["elements"]
    assert elements["rectification"]["status"] == "heading"
    assert elements["rectification"]["line"] == REPORT.splitlines().index("三、法治督察整改情况") + 1
    # the province's order first, then the parts fazhi-annual declares that it does not name
    assert list(elements)[:4] == ["measures", "problems", "causes", "rectification"]
    assert list(elements)[4:] == [k for k in ("first_responsible", "next_year_plan", "three_systems", "other") if k in elements]


def test_a_part_a_province_adds_is_in_sarif_html_and_the_text_table(tmp_path: Path) -> None:
    ruleset, report = _setup(tmp_path)
    sarif = json.loads(_cli(tmp_path, "--ruleset", str(ruleset), "--format", "sarif", str(report)))
    props = json.dumps(sarif, ensure_ascii=False)
    assert '"rectification": {"label": "法治督察整改情况", "status": "heading"' in props
    html = _cli(tmp_path, "--ruleset", str(ruleset), "--format", "html", str(report))
    assert "法治督察整改情况" in html
    text = _cli(tmp_path, "--ruleset", str(ruleset), str(report))
    table = text[text.index("必备部分") :]
    assert "法治督察整改情况" in table
    # listed where the ruleset puts it: after the causes, before the 第一责任人 part
    assert table.index("不足的原因分析") < table.index("法治督察整改情况") < table.index("第一责任人")


def test_a_missing_province_part_is_a_finding_and_shown_missing(tmp_path: Path) -> None:
    ruleset, report = _setup(tmp_path)
    report.write_text(REPORT.replace("三、法治督察整改情况\n省法治督察反馈的3个问题已全部整改到位,整改台账已报市委依法治市办。\n\n", ""), encoding="utf-8")
    out = json.loads(_cli(tmp_path, "--ruleset", str(ruleset), "--format", "json", str(report)))
    f = out["files"][0]
    assert f["elements"]["rectification"]["status"] == "missing"
    assert any(x["code"] == "P901" for x in f["diagnostics"])


def test_an_audit_shows_the_province_part_as_a_column(tmp_path: Path) -> None:
    ruleset, report = _setup(tmp_path)
    folder = tmp_path / "reports"
    folder.mkdir()
    report.rename(folder / "county.txt")
    out = json.loads(_cli(tmp_path, "audit", "--ruleset", str(ruleset), "--format", "json", str(folder)))
    assert {"id": "rectification", "label": "法治督察整改情况"} in out["parts"]
    assert [p["id"] for p in out["parts"]][:4] == ["measures", "problems", "causes", "rectification"]
    assert "other" not in [p["id"] for p in out["parts"]]  # optional: never a column
    assert out["reports"][0]["parts"]["rectification"] == "heading"
    csv_head = _cli(tmp_path, "audit", "--ruleset", str(ruleset), "--format", "csv", str(folder)).splitlines()[0]
    assert "causes,rectification,first_responsible" in csv_head
