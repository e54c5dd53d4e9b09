"""The layout rules (ruleset gbt9704-layout, kind `layout`) on real Word files.

The files are made here: python-docx writes a report in the GB/T 9704-2012 layout
(tests/layoutmaker.py), then the same report with one defect; LibreOffice writes a report from a
seed with its default template, as a user who types the report into a fresh Writer document
and saves it as .docx would.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from fzlint.engine import Linter
from fzlint.ingest import load_bytes, load_path
from fzlint.rules.loader import load_ruleset
from fzlint.score import compute
from tests.conftest import ROOT, run_cli, seed
from tests.docmaker import require_soffice, seed_body
from tests.layoutmaker import REPORT, make_layout_docx

LAYOUT_CODES = {r.code for r in load_ruleset("gbt9704-layout", use_cache=False).rules}


def _lint(path: Path, ruleset: str = "fazhi-annual"):  # type: ignore[no-untyped-def]
    rs = load_ruleset(ruleset)
    return Linter(rs).lint_source(load_path(path)), rs


def _layout(path: Path, ruleset: str = "fazhi-annual") -> list:  # type: ignore[type-arg]
    result, _rs = _lint(path, ruleset)
    return [f for f in result.findings if f.category == "layout"]


def test_the_standard_layout_has_no_layout_findings(tmp_path: Path) -> None:
    assert _layout(make_layout_docx(tmp_path / "ok.docx")) == []


# Each defect alone fires its own rule and no other layout rule.
DEFECTS = [
    ("纸张=Letter", "L101"),
    ("页边距=上25.4,下25.4,左31.8,右31.8", "L102"),
    ("页边距=上37,下35,左28,右24", "L102"),
    ("标题字号=16", "L103"),
    ("标题字体=宋体", "L104"),
    ("正文字号=12", "L105"),
    ("四级标题字号=15", "L105"),
    ("正文字体=宋体", "L106"),
    ("正文字体=主题字体等线", "L106"),
    ("一级标题字体=宋体", "L107"),
    ("二级标题字体=黑体", "L107"),
    ("三级标题字体=楷体_GB2312", "L107"),
    ("四级标题字体=黑体", "L107"),
    ("行距=固定值20", "L108"),
    ("行距=多倍2", "L108"),
    ("首行缩进=0", "L109"),
    ("首行缩进=0.74cm", "L109"),
    ("首行缩进=左缩进2字符", "L109"),
    ("页码=无", "L110"),
    ("页码=第1页", "L110"),
    ("页码=- 1 -", "L110"),
    ("页码字号=10.5", "L110"),
    ("成文日期=居左", "L111"),
    ("成文日期=居中", "L111"),
    ("成文日期=右空0字", "L111"),
]


@pytest.mark.parametrize(("spec", "code"), DEFECTS, ids=[f"{c}-{s}" for s, c in DEFECTS])
def test_each_defect_alone(tmp_path: Path, spec: str, code: str) -> None:
    found = _layout(make_layout_docx(tmp_path / "x.docx", spec))
    assert {f.code for f in found} == {code}, [(f.code, f.message) for f in found]
    for f in found:
        assert f.message and "{" not in f.message


def test_messages_name_the_paragraphs_the_value_and_the_expectation(tmp_path: Path) -> None:
    by = {f.code: f for f in _layout(make_layout_docx(tmp_path / "x.docx", "正文字号=12；一级标题字体=宋体"))}
    # the whole text in the Normal style's size: one finding for the run of paragraphs
    assert by["L105"].message == "第 2—19 段正文和落款字号为 12 pt(小四),应为三号(16 pt)"
    assert by["L107"].message == "第 3—16 段一级标题字体为“宋体”,应为黑体(如 SimHei、方正黑体_GBK)"


def test_latin_fonts_do_not_matter_east_asian_ones_do(tmp_path: Path) -> None:
    # ascii="Times New Roman" with eastAsia="仿宋_GB2312" is correct
    assert _layout(make_layout_docx(tmp_path / "a.docx", "正文西文字体=Times New Roman")) == []
    assert _layout(make_layout_docx(tmp_path / "b.docx", "正文西文字体=宋体")) == []
    # the names Word, WPS and font files give a face are one font
    assert _layout(make_layout_docx(tmp_path / "e.docx", "正文字体=Fangsong GB2312")) == []
    # the theme's East Asian font (+minorEastAsia) is what the body is set in
    assert _layout(make_layout_docx(tmp_path / "c.docx", "正文字体=主题字体仿宋")) == []
    found = _layout(make_layout_docx(tmp_path / "d.docx", "正文字体=主题字体宋体"))
    assert [f.code for f in found] == ["L106"] and "“宋体”" in found[0].message


def test_consecutive_paragraphs_group_and_separate_runs_do_not(tmp_path: Path) -> None:
    report = list(REPORT)
    # body paragraphs 5 and 7 in 小四, 9 right, 11 in 小四 again: two runs (5—7, 11)
    marked = {4: "12", 6: "12", 10: "12"}
    spec_report = [(role + (f"@{marked[i]}" if i in marked else ""), text) for i, (role, text) in enumerate(report)]
    found = _layout(make_layout_docx(tmp_path / "x.docx", "", spec_report))
    assert [(f.code, f.message) for f in found] == [
        ("L105", "第 5—7 段正文字号为 12 pt(小四),应为三号(16 pt)"),
        ("L105", "第 11 段正文字号为 12 pt(小四),应为三号(16 pt)"),
    ]
    src = load_path(tmp_path / "x.docx")
    assert src.position(found[0].start)[0] == 5  # anchored at the first paragraph of the run


def test_many_runs_are_capped_with_a_count(tmp_path: Path) -> None:
    report = [("title", REPORT[0][1])]
    for k in range(12):
        report.append(("body@12" if k % 2 else "body", f"第{k + 1}项工作，全年办理相关事项{k + 3}件，群众满意度较高。"))
    report += [("issuer", "安平市人民政府"), ("date", "2024年3月1日")]
    found = [f for f in _layout(make_layout_docx(tmp_path / "x.docx", "", report)) if f.code == "L105"]
    assert len(found) == 5
    assert found[-1].message.endswith("(另有 1 处类似问题未逐一列出)")


def test_headings_come_from_the_outline_not_word_styles(tmp_path: Path) -> None:
    # level-1 headings numbered by Word (the marker is drawn from numbering.xml) are still 一级标题
    found = _layout(make_layout_docx(tmp_path / "x.docx", "一级标题编号=自动；一级标题字体=宋体"))
    assert [f.code for f in found] == ["L107"], [(f.code, f.message) for f in found]
    assert found[0].message.startswith("第 3—16 段一级标题字体为“宋体”")
    assert _layout(make_layout_docx(tmp_path / "y.docx", "一级标题编号=自动")) == []


def test_only_the_heading_title_is_a_heading(tmp_path: Path) -> None:
    # (一)标题。正文…: the title part in 楷体, the text after it in 仿宋
    report = [*REPORT[:3], ("h2+body", "（一）坚持依法全面履行政府职能。全年取消和下放行政许可事项12项，政务服务事项网上可办率达到98%。"), *REPORT[4:]]
    assert _layout(make_layout_docx(tmp_path / "x.docx", "", report)) == []


def test_tables_are_not_body_text(tmp_path: Path) -> None:
    report = [*REPORT[:5], ("table@10.5", "事项|数量"), *REPORT[5:]]
    assert _layout(make_layout_docx(tmp_path / "x.docx", "", report)) == []


def test_date_placed_with_tabs_is_not_judged(tmp_path: Path) -> None:
    assert _layout(make_layout_docx(tmp_path / "x.docx", "成文日期=制表位")) == []


def test_fixed_spacing_one_line_off_is_a_hint(tmp_path: Path) -> None:
    # fixed 30 pt gives 21 lines: a house style in some places, not a certain defect
    found = _layout(make_layout_docx(tmp_path / "x.docx", "行距=固定值30"))
    assert {(f.code, f.severity) for f in found} == {("L108", "info")}
    assert "固定值 30 磅,每页 21 行" in found[0].message
    found = _layout(make_layout_docx(tmp_path / "y.docx", "行距=固定值20"))
    assert {(f.code, f.severity) for f in found} == {("L108", "warning")}
    # Word's 1.15 (python-docx's and LibreOffice's Body Text default): an estimate, a hint
    found = _layout(make_layout_docx(tmp_path / "z.docx", "行距=多倍1.15"))
    assert {(f.code, f.severity) for f in found} == {("L108", "info")}
    assert "多倍行距 1.15 倍(约 23.9 磅),每页约 26 行" in found[0].message


def test_text_input_gets_no_layout_findings_and_loads_nothing() -> None:
    text = seed("004").read_bytes()
    rs = load_ruleset("fazhi-annual")
    result = Linter(rs).lint_source(load_bytes(text, "report.txt"))
    assert not [f for f in result.findings if f.category == "layout"]
    code = (
        "import sys\nfrom fzlint.cli import main\n"
        f"main(['-q', '--exit-zero', {str(seed('004'))!r}])\n"
        "print('LOADED', [m for m in ('fzlint.ingest.docx_layout', 'fzlint.rules.kinds.layout_checks') if m in sys.modules])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60, check=True)
    assert b"LOADED []" in proc.stdout, proc.stdout + proc.stderr


def test_stdin_docx_and_a_doc_suffix_get_the_layout_rules(tmp_path: Path) -> None:
    path = make_layout_docx(tmp_path / "x.docx", "正文字号=12")
    proc = run_cli("--format", "json", "--exit-zero", "-", "--stdin-filename", "报告.docx", input=path.read_bytes())
    codes = {d["code"] for d in json.loads(proc.stdout)["files"][0]["diagnostics"]}
    assert "L105" in codes
    from fzlint.engine import input_format

    src = load_path(path)
    assert input_format(src) == "docx"
    src.path = "报告.DOC"  # Word XML named .doc is read as .docx: it is one
    assert input_format(src) == "docx"
    src.format = "doc"  # what the LibreOffice conversion of a real .doc sets: still a .doc input
    assert input_format(src) == "doc"
    src.format = "docx"
    src.path = "<stdin>"
    assert input_format(src) == "docx"


def test_score_category_is_capped_and_configurable(tmp_path: Path) -> None:
    path = make_layout_docx(tmp_path / "x.docx", "纸张=Letter；页边距=上25.4,下25.4,左31.8,右31.8；标题字号=12；正文字号=12；正文字体=宋体；一级标题字体=宋体；首行缩进=0；页码=无；成文日期=居左")
    result, rs = _lint(path)
    layout = [d for d in compute(result.findings, rs).deductions if d.category == "layout"]
    assert len(layout) >= 7
    assert round(sum(d.points for d in layout), 1) == 5.0 and all(d.capped for d in layout)
    province = tmp_path / "p.yaml"
    province.write_text("ruleset: p\ntitle: P\nextends: [fazhi-annual]\nsettings:\n  category_max_penalty: {layout: 3}\n", encoding="utf-8")
    result, rs = _lint(path, str(province))
    assert round(sum(d.points for d in compute(result.findings, rs).deductions if d.category == "layout"), 1) == 3.0


def test_a_province_overrides_the_layout_data(tmp_path: Path) -> None:
    # 本省: margins 上 35 下 33 左 27 右 27 mm, 方正仿宋_GBK only for the body, any fixed 26—30 pt
    province = tmp_path / "province.yaml"
    province.write_text(
        """ruleset: province-layout
title: 本省公文版式
extends: [fazhi-annual]
overrides:
  L102:
    params: {margins_mm: {top: 35, bottom: 33, left: 27, right: 27}}
  L106:
    params: {fonts: [方正仿宋_GBK]}
  L108:
    params: {min_pt: 26, max_pt: 30}
    severity: info
""",
        encoding="utf-8",
    )
    ours = make_layout_docx(tmp_path / "ours.docx", "页边距=上35,下33,左27,右27；正文字体=方正仿宋_GBK；行距=固定值30")
    national = {(f.code, f.severity) for f in _layout(ours)}
    assert national == {("L102", "warning"), ("L108", "info")}
    assert _layout(ours, str(province)) == []
    # the standard's 仿宋_GB2312 is not what this province accepts
    std = make_layout_docx(tmp_path / "std.docx")
    assert {f.code for f in _layout(std, str(province))} == {"L102", "L106"}


def test_a_province_adds_a_font_substitute_in_settings(tmp_path: Path) -> None:
    province = tmp_path / "province.yaml"
    rs = load_ruleset("gbt9704-layout", use_cache=False)
    fonts = dict(rs.settings["layout_fonts"])
    fonts["仿宋"] = [*fonts["仿宋"], "文鼎仿宋"]
    lines = "\n".join(f"    {k}: [{', '.join(v)}]" for k, v in fonts.items())
    province.write_text(f"ruleset: p\ntitle: P\nextends: [fazhi-annual]\nsettings:\n  layout_fonts:\n{lines}\n", encoding="utf-8")
    path = make_layout_docx(tmp_path / "x.docx", "正文字体=文鼎仿宋")
    assert {f.code for f in _layout(path)} == {"L106"}
    assert _layout(path, str(province)) == []


def test_rules_limited_to_formats_are_validated_and_overridable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ruleset: bad\ntitle: B\nextends: [fazhi-annual]\noverrides:\n  L101:\n    formats: [dox]\n", encoding="utf-8")
    proc = run_cli("rules", "--ruleset", str(bad))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "bad.yaml:6" in err and "formats" in err and "Traceback" not in err
    # a province that also wants the layout of .odt files checked
    odt = tmp_path / "odt.yaml"
    odt.write_text("ruleset: odt\ntitle: O\nextends: [fazhi-annual]\noverrides:\n  L105:\n    formats: [docx, odt]\n", encoding="utf-8")
    rs = load_ruleset(str(odt), use_cache=False)
    assert rs.rule("L105").formats == ("docx", "odt")  # type: ignore[union-attr]
    assert rs.rule("L106").formats == ("docx", "doc", "wps")  # type: ignore[union-attr]
    # the rules of other rulesets apply to every format
    assert rs.rule("FZ102").formats == ()  # type: ignore[union-attr]


def test_explain_names_the_formats_and_the_source() -> None:
    proc = run_cli("explain", "L105")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert "适用格式:.docx、.doc、.wps" in out and "GB/T 9704-2012" in out and "5.2.2" in out


def test_parallel_run_prints_what_one_process_prints(tmp_path: Path) -> None:
    files = [str(make_layout_docx(tmp_path / f"{k}.docx", spec)) for k, spec in enumerate(("正文字号=12", "纸张=Letter", "", "页码=无"))]
    one = run_cli("--format", "json", "--exit-zero", "-j", "1", *files)
    two = run_cli("--format", "json", "--exit-zero", "-j", "2", *files)
    assert one.returncode == two.returncode == 0, two.stderr.decode()
    assert json.loads(one.stdout) == json.loads(two.stdout)
    assert any(d["category"] == "layout" for f in json.loads(two.stdout)["files"] for d in f["diagnostics"])


# ---- a report made in LibreOffice with its default template --------------------------------------
def libreoffice_docx(body: list[str], out: Path) -> Path:
    """The report typed into a new Writer document (default template: Default Paragraph Style,
    12 pt, Liberation/DejaVu and Noto CJK fonts, the locale's paper, 2 cm margins) and saved as
    Word: a flat ODT with text only, converted by soffice."""
    exe = require_soffice()
    paras = "".join(f"<text:p>{escape(line)}</text:p>" for line in body)
    fodt = out.with_suffix(".fodt")
    fodt.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3" '
        f'office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>{paras}'
        "</office:text></office:body></office:document>",
        encoding="utf-8",
    )
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{out.parent / 'lo-profile'}", "--headless", "--norestore", "--convert-to", "docx", "--outdir", str(out.parent), str(fodt)],
        check=True, capture_output=True, timeout=300,
    )
    assert out.exists(), "LibreOffice did not write the .docx"
    return out


def test_libreoffice_default_template_report(tmp_path: Path) -> None:
    path = libreoffice_docx(seed_body(seed("004")), tmp_path / "seed004.docx")
    found = _layout(path)
    by = {}
    for f in found:
        by.setdefault(f.code, []).append(f)
    # what a reviewer flags on sight: margins, title, body and heading fonts and sizes, spacing,
    # indent, no page numbers, 落款 on the left
    assert {"L102", "L103", "L104", "L105", "L106", "L107", "L108", "L109", "L110", "L111"} <= set(by), [(f.code, f.message) for f in found]
    assert by["L103"][0].message.startswith("第 1 段标题字号为 12 pt(小四)")
    assert any("字号为 12 pt(小四),应为三号(16 pt)" in f.message for f in by["L105"])
    assert [f.message for f in by["L110"]] == ["页码缺失:页脚中没有页码"]
    assert by["L111"][0].message.startswith("落款“高州市人民政府 2021年12月2日”靠左排布")
    assert by["L108"][0].severity == "info"  # single spacing: the height is an estimate
    # grouped: a handful of findings, not one per paragraph
    assert len(found) <= 14
    # the layout findings cost at most the layout cap
    result, rs = _lint(path)
    assert round(sum(d.points for d in compute(result.findings, rs).deductions if d.category == "layout"), 2) <= 5
