"""Messages a user can follow: 依据 cites the regulation itself, 经验判断 said once, explain links
to docs/domain.md, placeholders filled from examples, quotes in the report's own punctuation,
every message in YAML, and English (--lang en) where the ruleset has it."""

from __future__ import annotations

import re
from pathlib import Path

from fzlint.rules.loader import builtin_names, load_ruleset
from fzlint.rules.model import citation
from tests.conftest import FIXTURES, ROOT, run_cli

BAD = str(FIXTURES / "reports" / "bad.txt")
INTERNAL = re.compile(r"DOMAIN\.md|\[[A-G]\d+\]|(?<![A-Za-z])R\d{1,2}(?!\d)")


def _rules():  # type: ignore[no-untyped-def]
    seen = set()
    for name in builtin_names():
        for rule in load_ruleset(name, use_cache=False).rules:
            if rule.code not in seen:
                seen.add(rule.code)
                yield rule


def test_sources_cite_regulations_not_internal_notes() -> None:
    for rule in _rules():
        assert not INTERNAL.search(rule.source), (rule.code, rule.source)
        shown = citation(rule)
        if rule.opinion:
            assert shown.count("经验判断") >= 1, rule.code
        assert "依据(经验判断)" not in shown


def test_empirical_rule_says_so_once_in_text_output(tmp_path: Path) -> None:
    out = run_cli(BAD).stdout.decode()
    lines = [line for line in out.splitlines() if "= 依据" in line]
    assert lines and all(not INTERNAL.search(line) for line in lines)
    assert all(line.count("经验判断") <= 1 for line in lines)
    assert "依据(经验判断)" not in out


def test_explain_links_to_the_chinese_domain_page() -> None:
    out = run_cli("explain", "FZ103").stdout.decode()
    assert "docs/domain.md#s1" in out
    page = (ROOT / "docs" / "domain.md").read_text(encoding="utf-8")
    assert '<a id="s1"></a>' in page and "## 1. 《法治政府建设与责任落实督察工作规定》(厅字〔2019〕28号)" in page
    han = len(re.findall(r"[\u4e00-\u9fff]", page))
    latin_words = len(re.findall(r"\b[A-Za-z]{4,}\b", page.split("## 来源")[0]))
    assert han > 10 * latin_words, (han, latin_words)  # written in Chinese (quotes and prose)
    for anchor in re.findall(r"docs/domain\.md#([\w-]+)", run_cli("explain", "N102").stdout.decode() + out):
        assert f'<a id="{anchor}"></a>' in page


def test_rules_and_explain_fill_placeholders_from_examples() -> None:
    listing = run_cli("rules").stdout.decode()
    for line in listing.splitlines()[2:]:
        if line.startswith("L1"):
            continue  # Word layout rules: their examples are Word files, not text
        assert not re.search(r"\{[a-z_]+\}", line), line
    assert "标题序号“二)”写法不规范" in listing  # D102 from its first fail example
    explained = run_cli("explain", "FZ401").stdout.decode()
    assert "{match}" not in explained.split("## 为什么")[0] and "(示例)" in explained


def test_quotes_keep_the_reports_full_width_punctuation(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("某县2023年法治政府建设情况报告\n一、主要举措和成效\n组织学习法律，法规，规章。全年办理复议案件12件，，办结率100%。\n", encoding="utf-8")
    out = run_cli("--select", "P103", str(report)).stdout.decode()
    assert "标点“，，”重复" in out and "“,,”" not in out


def test_no_message_text_in_python_kinds() -> None:
    for path in sorted((ROOT / "fzlint" / "rules" / "kinds").glob("*.py")):
        for m in re.finditer(r"(?:message|help)\s*=\s*f?\"([^\"]*)\"", path.read_text(encoding="utf-8")):
            assert not re.search(r"[\u4e00-\u9fff]", m.group(1)), (path.name, m.group(0))
    assert not re.search(r"^_[A-Z_]*MESSAGES? = ", (ROOT / "fzlint" / "rules" / "kinds" / "numbering.py").read_text(encoding="utf-8"), re.MULTILINE)


def _templates(rule):  # type: ignore[no-untyped-def]
    """The rule's texts a user reads: message, help and the templates in its params."""
    yield "message", rule.message
    if rule.help:
        yield "help", rule.help
    for key, value in rule.params.items():
        if isinstance(value, str) and key.endswith(("_message", "_help")):
            yield key, value
        if key == "messages" and isinstance(value, dict):
            for sub, text in value.items():
                yield f"messages.{sub}", text


def test_count_missing_english_translations() -> None:
    missing, total, messages_missing = [], 0, []
    for rule in _rules():
        for key, _text in _templates(rule):
            total += 1
            if key not in rule.en:
                missing.append(f"{rule.code}.{key}")
                if key == "message" or key.startswith("messages.") or key.endswith("_message"):
                    messages_missing.append(f"{rule.code}.{key}")
    print(f"\nmissing English translations: {len(missing)} of {total} texts ({len(messages_missing)} messages)")
    assert not messages_missing, messages_missing  # every message has English; help may fall back


def test_lang_en_translates_findings_and_labels() -> None:
    out = run_cli("--lang", "en", BAD).stdout.decode()
    assert "error[FZ401]: Placeholder left in the text" in out
    assert "= source: " in out and "修改建议" not in out
    zh = run_cli(BAD).stdout.decode()
    assert "错误[FZ401]: 文中留有占位符" in zh


def test_html_report_names_rules_in_chinese_and_has_the_content_summary() -> None:
    from tests.conftest import seed

    page = run_cli("--format", "html", str(seed("000"))).stdout.decode()
    deductions = page.split('class="deductions"')[1].split("</table>")[0]
    assert "problems-part" not in deductions.replace('title="problems-part"', "")
    assert "“存在的不足和原因”没有单独成部分" in deductions
    assert "<h3>各部分内容</h3>" in page and "原因分析:无(列了 4 项不足)" in page
