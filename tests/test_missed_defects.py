"""Defects a reviewer finds that fzlint used to miss (issue #12): a rate far from its counts
(FZ503), a misquoted key document (FZ705), genre confusions (FZ803), stray page digits in
headings (D105) and directive wording in a report (FZ801) — on one county report, and on the
same report as a GB18030 file, a PDF-like hard-wrapped copy and a Word file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fzlint.engine import FileResult, Linter
from fzlint.ingest import load_bytes, load_path
from fzlint.rules.loader import load_ruleset
from tests.conftest import FIXTURES, lint_text, run_cli

COUNTY = FIXTURES / "defects" / "county_2022_missed.txt"
MINE = ("FZ503", "FZ705", "FZ801", "FZ803", "D105")

# what a reviewer marks in the county report, as (code, the text underlined)
EXPECTED = [
    ("D105", "3"),
    ("FZ503", "96.2%"),
    ("FZ705", "法治政府建设实施纲要（2021至2025年）"),
    ("FZ801", "各乡镇要"),
    ("FZ803", "权利"),
]


def _lint_file(path: Path) -> FileResult:
    return Linter(load_ruleset()).lint_source(load_path(path))


def _mine(result: FileResult) -> list[tuple[str, str]]:
    text = result.source.text
    return sorted((f.code, re.sub(r"\s+", "", text[f.start : f.end])) for f in result.findings if f.code in MINE)


def _codes(text: str, code: str) -> list[str]:
    result, _ = lint_text(text)
    return [result.source.text[f.start : f.end] for f in result.findings if f.code == code]


def test_county_report_utf8() -> None:
    r = _lint_file(COUNTY)
    assert _mine(r) == EXPECTED
    f = next(f for f in r.findings if f.code == "FZ503")
    assert "1388项÷1560项" in f.message and "89.0%" in f.message
    # the stray digit does not hide the part: 二、3 存在的不足和原因 is the problems heading
    assert r.elements["problems"].status == "heading"
    assert r.doc.meta.year == 2022 and r.doc.meta.year_source == "title"


def test_county_report_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "石门县2022.txt"
    path.write_bytes(COUNTY.read_text("utf-8").encode("gb18030"))
    assert _mine(_lint_file(path)) == EXPECTED


def _pdf_like(text: str, width: int = 29) -> str:
    """A copy as text extraction from a PDF gives it: every line broken at `width` characters,
    spaces around Arabic numbers ("2022 年"), headings kept on their own lines."""
    out: list[str] = []
    for line in text.splitlines():
        line = re.sub(r"(?<=[^\d\s.%])(\d+(?:\.\d+)?%?)(?=[^\d.%])", r" \1 ", line).strip()
        if not line:
            continue
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out) + "\n"


def test_county_report_pdf_like_hard_wrapped(tmp_path: Path) -> None:
    path = tmp_path / "county_pdfcopy.txt"
    path.write_text(_pdf_like(COUNTY.read_text("utf-8")), "utf-8")
    r = _lint_file(path)
    assert _mine(r) == EXPECTED
    assert "1388项÷1560项" in next(f.message for f in r.findings if f.code == "FZ503")


def test_county_report_docx(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    from tests.docmaker import write_docx

    lines = [ln.strip() for ln in COUNTY.read_text("utf-8").splitlines() if ln.strip()]
    path = write_docx(lines, tmp_path / "石门县2022.docx")
    assert _mine(_lint_file(path)) == EXPECTED


def test_fix_corrects_the_certain_ones(tmp_path: Path) -> None:
    path = tmp_path / "county.txt"
    path.write_bytes(COUNTY.read_bytes())
    p = run_cli("--fix", "--select", "D105,FZ705,FZ803", "-q", str(path))
    assert p.returncode in (0, 1), p.stderr.decode()
    fixed = path.read_text("utf-8")
    assert "二、存在的不足和原因" in fixed
    assert "《法治政府建设实施纲要（2021—2025年）》" in fixed
    assert "把权力关进制度的笼子" in fixed
    assert "96.2%" in fixed and "各乡镇要" in fixed  # not fixable: a reviewer must decide
    again = run_cli("--select", "D105,FZ705,FZ803", "--format", "json", str(path))
    assert json.loads(again.stdout)["files"][0]["diagnostics"] == []


# ---- FZ503: which counts a rate comes from ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # the total before 其中 is the base of the parts after it (seed 004's phrasing)
        ("截至目前，我市依申请事项2018项，其中即办件1633项，即办率80.92%，事项可网办数1895项，可网办率98.36%。", ["98.36%"]),
        ("全区政务服务事项2406项（其中网上可办2210项），网上可办率95.1%。", ["95.1%"]),
        ("全年受理行政复议申请120件，其中：依法纠错15件，纠错率18.5%。", ["18.5%"]),
        ("2023年办理信访事项512件，其中按期办结500件，按期办结率97.66%。", []),  # 97.66 = 500/512
        # another count between the total and the part may be the real base: quiet
        ("共受理信访事项200件，其中网上信访120件，按期办结118件，按期办结率98.3%。", []),
        # two totals the text does not tell apart: quiet
        ("共受理复议案件40件，共办结36件，其中纠错4件，纠错率9%。", []),
        # a growth rate is against last year's base, not this year's total
        ("共受理案件120件，同比增长12件，增长率11.1%。", []),
        # a part in another unit than the total
        ("全镇共调解纠纷300件，涉及群众560人，调解成功288人，调解成功率96%。", []),
    ],
)
def test_rate_pairing(text: str, flagged: list[str]) -> None:
    assert _codes(text, "FZ503") == flagged


# ---- FZ705: misquoted titles of the key documents -------------------------------------------
@pytest.mark.parametrize(
    ("text", "diff"),
    [
        ("严格落实《党政主要负责人履行推进法治政府建设第一责任人职责规定》。", "多了“政府”"),
        ("认真学习《党政主要负责人履行推进法治建设的第一责任人职责规定》。", "多了“的”"),
        ("深入实施《法治政府建设实施纲要（2016—2020年）》。", "“6”应为“5”"),
        ("深入实施《法治政府建设实施纲要(2021—2025)》。", "少了“年”"),
        ("对照《法治政府建设与责任落实督查工作规定》开展自查。", "“查”应为“察”"),
        ("严格执行《重大行政决策程序条例》。", "少了“暂行”"),
        ("贯彻《法治中国建设规划（2021—2025年）》。", "“1”应为“0”"),
        ("落实《关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的实施意见》。", None),
    ],
)
def test_misquoted_titles(text: str, diff: str | None) -> None:
    result, _ = lint_text(text)
    found = [f for f in result.findings if f.code == "FZ705"]
    if diff is None:
        assert found == []  # 实施意见 for 指导意见: a word for a word, another document
    else:
        assert len(found) == 1 and diff in found[0].message, [f.message for f in found]


@pytest.mark.parametrize(
    "text",
    [
        "深入实施《法治政府建设实施纲要（2021—2025年）》《法治政府建设实施纲要（2015—2020年）》。",
        "深入实施《法治政府建设实施纲要(2021-2025年)》。",  # the hyphen is N102's
        "深入实施《法治政府建设实施纲要〔2021～2025年〕》。",
        "制定《石门县法治政府建设实施方案（2021—2025年）》《法治政府建设实施纲要（2021—2025年）实施方案》。",
        "印发《法治政府建设实施方案（2021—2025年）》《法治政府建设工作要点》。",
        "贯彻《中华人民共和国行政诉讼法》《中华人民共和国行政许可法》《中华人民共和国行政复议法实施条例》。",
        "落实《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》。",
        "学习《信访条例》《政府信息公开条例》《优化营商环境条例》《江西省优化营商环境条例》。",
        "贯彻《中共中央关于全面推进依法治国若干重大问题的决定》。",
    ],
)
def test_exact_titles_and_other_documents_are_quiet(text: str) -> None:
    assert _codes(text, "FZ705") == []


def test_hyphen_in_a_title_is_reported_once_by_n102() -> None:
    result, _ = lint_text("深入实施《法治政府建设实施纲要(2021-2025年)》。")
    assert [f.code for f in result.findings if f.code in ("FZ705", "N102")] == ["N102"]


# ---- FZ803: each pair's own examples, with the real rule ---------------------------------------
def _swaps() -> list[tuple[int, str, str, str]]:
    rule = load_ruleset().rule("FZ803")
    assert rule is not None
    out = []
    for k, swap in enumerate(rule.params["swaps"]):
        assert swap.get("source"), f"swap {k} has no source"
        assert swap["examples"]["pass"] and swap["examples"]["fail"], f"swap {k} needs pass and fail examples"
        out.extend((k, "pass", swap["replacement"], t) for t in swap["examples"]["pass"])
        out.extend((k, "fail", swap["replacement"], t) for t in swap["examples"]["fail"])
    return out


@pytest.mark.parametrize(("index", "expect", "replacement", "text"), _swaps())
def test_confusion_pair_examples(index: int, expect: str, replacement: str, text: str) -> None:
    result, _ = lint_text(text)
    fired = [f for f in result.findings if f.code == "FZ803"]
    if expect == "pass":
        assert fired == [], [f.message for f in fired]
    else:
        assert fired and all(f.fix is not None and f.fix.replacement == replacement for f in fired), [f.message for f in fired]


def test_confusion_terms_that_are_right_stay_quiet() -> None:
    text = (
        "市政府法制办、县司法局法制股、法制机构负责法制审核;落实重大执法决定法制审核制度;"
        "开展法制宣传教育;保障公民合法权利;权利义务相统一;营造浓厚法治氛围;对工作作出部署。"
    )
    assert _codes(text, "FZ803") == []


def test_confusion_severity_follows_the_pair() -> None:
    result, _ = lint_text("浓造法治氛围,增强领导干部法制意识。")
    sev = {result.source.text[f.start : f.end]: f.severity for f in result.findings if f.code == "FZ803"}
    assert sev == {"浓造": "warning", "法制": "info"}


# ---- D105: stray page digits in headings ------------------------------------------------------
@pytest.mark.parametrize(
    ("heading", "stray"),
    [
        ("一、9 2019 年度法治政府建设情况", "9"),
        ("三、0 2020 年工作计划", "0"),
        ("二、3 存在的不足和原因", "3"),
        ("（二）7 依法全面履行政府职能", "7"),
        ("四、2023年工作安排", None),
        ("（一）12345热线", None),
        ("（二）3 个专项行动", None),
        ("（三）5G基站建设", None),
        ("二、2 0 2 3年工作计划", None),
    ],
)
def test_stray_digit(heading: str, stray: str | None) -> None:
    text = f"某县2023年度法治政府建设情况报告\n一、主要举措和成效\n全年办理复议案件12件。\n{heading}\n加强执法队伍建设,办理案件8件。\n"
    if heading.startswith(("一、", "三、", "四、")):
        text = text.replace("一、主要举措和成效\n", "")
    assert _codes(text, "D105") == ([stray] if stray else [])


def test_stray_digit_in_a_subtitle() -> None:
    text = "XX市人民政府对于2020年度法治政府建设情况报告\n\n X XX 市人民政府关于 9 2019 年度法治政府建设情况的报告\n\n一、2019年度法治政府建设情况\n全年办理复议案件12件。\n"
    assert _codes(text, "D105") == ["9"]


# ---- FZ801: directive wording in the measures part ------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("区直各部门要根据“三定”规定，根据《国务院办公厅关于做好证明事项清理工作的通知》要求，继续推进证明事项清理工作。", ["各部门要"]),
        ("各行政执法部门要结合机构改革职能调整，及时对现有行政执法权责进行梳理调整，重新制定公布权责清单。", ["各行政执法部门要"]),
        ("全市各级行政机关要严格落实行政执法“三项制度”。", ["各级行政机关要"]),
        ("各成员单位要按照职责分工抓好落实。", ["各成员单位要"]),
        ("会议要求，各部门要进一步加强执法监督。", []),
        ("市政府印发《实施方案》，明确各乡镇要建立合法性审核机制。", []),
        ("各部门认真落实行政执法公示制度，公示执法信息3200条。", []),
    ],
)
def test_directive_wording(sentence: str, flagged: list[str]) -> None:
    text = f"某市2022年度法治政府建设情况报告\n一、主要举措和成效\n{sentence}\n二、2023年工作安排\n各部门要加强执法队伍建设。\n"
    assert _codes(text, "FZ801") == flagged


def test_directive_wording_in_the_plan_is_fine() -> None:
    text = "某市2022年度法治政府建设情况报告\n一、主要举措和成效\n办理复议案件12件。\n二、2023年工作安排\n各部门要加强执法队伍建设,各乡镇要充实执法力量。\n"
    assert _codes(text, "FZ801") == []


def test_every_new_rule_documents_its_source() -> None:
    rs = load_ruleset()
    for code in ("FZ705", "FZ803", "D105"):
        rule = rs.rule(code)
        assert rule is not None and rule.source and rule.rationale and len(rule.examples_fail) >= 2
    for entry in rs.rule("FZ705").params["entries"]:  # type: ignore[union-attr]
        assert entry["source"] and entry["issued"], entry["title"]


def test_json_of_the_county_report_validates(tmp_path: Path) -> None:
    import jsonschema

    from tests.conftest import ROOT

    schema = json.loads((ROOT / "docs" / "schema" / "fzlint-output.schema.json").read_text("utf-8"))
    p = run_cli("--format", "json", str(COUNTY))
    out = json.loads(p.stdout)
    jsonschema.validate(out, schema)
    assert {d["code"] for d in out["files"][0]["diagnostics"]} >= set(MINE)


def test_loads_bytes_the_same_as_files() -> None:
    # the examples path (load_bytes) and the file path agree
    r = Linter(load_ruleset()).lint_source(load_bytes(COUNTY.read_bytes(), "county.txt"))
    assert _mine(r) == EXPECTED


def test_explain_lists_the_pairs_and_titles_with_their_sources() -> None:
    pairs = run_cli("explain", "FZ803").stdout.decode("utf-8")
    assert "## 词表" in pairs and "改为“营造”" in pairs and "改为“法治”(提示)" in pairs
    assert pairs.count("依据:") >= 11
    titles = run_cli("explain", "FZ705").stdout.decode("utf-8")
    assert "## 文件名称表" in titles and "国办发〔2018〕118号" in titles and "DOMAIN.md" not in titles


# ---- more phrasings (issue #12, second pass) ---------------------------------------------------
@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # the total's marker further back in its clause
        ("全年受理群众来电来信2460件，按期办结2301件，按期办结率98.5%。", ["98.5%"]),  # 93.5%
        ("全年受理群众来电来信2460件，按期办结2301件，按期办结率93.5%。", []),
        # case-file review and sampling counts
        ("全市抽查行政执法案卷1260卷，评定优秀案卷1102卷，优秀率91.6%。", ["91.6%"]),  # 87.5%
        ("县司法局评查行政处罚案卷320卷，合格310卷，合格率96.9%。", []),
        # a marker in another clause is not this count's
        ("办理人大代表建议18件、政协提案23件，满意率100%。全年接待群众来访300人次。", []),
    ],
)
def test_rate_pairing_more_phrasings(text: str, flagged: list[str]) -> None:
    assert _codes(text, "FZ503") == flagged


@pytest.mark.parametrize(
    ("sentence", "flagged", "severity"),
    [
        ("各县（市、区）分局要进一步规范执法程序，严格落实执法文书统一格式。", "各县（市、区）分局要", "warning"),
        ("各镇（街道）要建立健全合法性审核机制。", "各镇（街道）要", "warning"),
        ("市政府督促各乡镇要按期完成权责清单调整。", None, None),
        ("全年办理复议案件12件，要进一步加强复议规范化建设。", "要进一步", "info"),
    ],
)
def test_directive_wording_more_phrasings(sentence: str, flagged: str | None, severity: str | None) -> None:
    text = f"某市2023年度法治政府建设情况报告\n一、主要举措和成效\n{sentence}\n二、2024年工作安排\n加强执法队伍建设。\n"
    result, _ = lint_text(text)
    found = [(result.source.text[f.start : f.end], f.severity) for f in result.findings if f.code == "FZ801"]
    assert found == ([(flagged, severity)] if flagged else [])


def test_fix_keeps_a_gb18030_file_gb18030(tmp_path: Path) -> None:
    path = tmp_path / "county_gb.txt"
    path.write_bytes(COUNTY.read_text("utf-8").encode("gb18030"))
    p = run_cli("--fix", "--select", "D105,FZ705,FZ803", "-q", str(path))
    assert p.returncode in (0, 1), p.stderr.decode()
    fixed = path.read_bytes().decode("gb18030")
    assert "《法治政府建设实施纲要（2021—2025年）》" in fixed and "二、存在的不足和原因" in fixed
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
