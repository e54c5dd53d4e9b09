"""fzlint/suppress.py: inline directives switch rules off by line; directive lines are not text."""

from __future__ import annotations

from fzlint import suppress
from fzlint.document import build_document
from fzlint.ingest import load_bytes
from tests.conftest import lint_text

TITLE = "某市2021年度法治政府建设情况报告\n"


def placeholders(text: str) -> list[int]:
    """Lines of the FZ401 findings that survive the directives."""
    result, _ = lint_text(text)
    kept, _n = suppress.apply(result.findings, result.source)
    return [result.source.position(f.start)[0] for f in kept if f.code == "FZ401"]


def test_disable_and_enable_range() -> None:
    text = TITLE + "办理XX件。\n<!-- fzlint: disable=FZ401,D1 -->\n办理XX件。\n\n办理XX件。\n<!-- fzlint: enable -->\n办理XX件。\n"
    assert placeholders(text) == [2, 8]


def test_disable_without_codes_switches_everything_off() -> None:
    text = "<!-- fzlint: disable -->\n" + TITLE + "办理XX件。\n"
    result, _ = lint_text(text)
    kept, n = suppress.apply(result.findings, result.source)
    assert kept == [] and n == len(result.findings) > 1


def test_disable_next_line_skips_blank_lines_and_stacks() -> None:
    text = TITLE + "# fzlint: disable-next-line=FZ401\n\n办理XX件。\n办理XX件。\n"
    assert placeholders(text) == [5]
    text = TITLE + "[fzlint: disable-next-line=D1]\n[fzlint: disable-next-line=FZ4]\n办理XX件。\n"
    assert placeholders(text) == []


def test_prefix_and_other_codes_are_not_touched() -> None:
    text = TITLE + "【fzlint:disable=FZ4】\n办理XX件。\n"
    assert placeholders(text) == []
    text = TITLE + "# fzlint: disable=FZ3\n办理XX件。\n"
    assert placeholders(text) == [3]


def test_enable_one_code_inside_disable_all() -> None:
    text = TITLE + "# fzlint: disable\n办理XX件。\n# fzlint: enable=FZ401\n办理XX件。\n"
    assert placeholders(text) == [5]


def test_enable_one_code_of_several() -> None:
    text = TITLE + "# fzlint: disable=FZ401 D101\n办理XX件。\n# fzlint: enable=FZ401\n办理XX件。\n"
    assert placeholders(text) == [5]


def test_full_width_and_case() -> None:
    text = TITLE + "＃ＦＺＬＩＮＴ：ＤＩＳＡＢＬＥ＝ｆｚ４０１\n办理XX件。\n"
    assert placeholders(text) == []


def test_count_and_no_directive_is_noop() -> None:
    result, _ = lint_text(TITLE + "办理XX件。\n")
    kept, n = suppress.apply(result.findings, result.source)
    assert kept == result.findings and n == 0


def test_directive_lines_are_noise_not_report_text() -> None:
    text = TITLE + "<!-- fzlint: disable=FZ401 -->\n一、主要举措和成效\n[fzlint: enable]\n全年办理复议案件12件。\n"
    doc = build_document(load_bytes(text.encode(), "r.md"))
    assert [(s.line, s.reason) for s in doc.stripped] == [(2, "fzlint 指令"), (4, "fzlint 指令")]
    assert all("fzlint" not in p.view.text for p in doc.paragraphs)
    assert doc.paragraphs[0].heading is not None


def test_a_sentence_mentioning_fzlint_is_not_a_directive() -> None:
    text = TITLE + "我们用 fzlint: disable 检查了报告。\n"
    doc = build_document(load_bytes(text.encode(), "r.txt"))
    assert doc.stripped == []
    assert suppress.parse(doc.source).change_lines == []


def test_word_paragraph_directive_even_as_hidden_text(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """In Word a directive is a paragraph of its own; formatted as hidden text it does not print."""
    import docx

    from fzlint.ingest import load_path

    document = docx.Document()
    document.add_paragraph("某市2021年度法治政府建设情况报告")
    hidden = document.add_paragraph().add_run("[fzlint: disable-next-line=FZ401]")
    hidden.font.hidden = True
    document.add_paragraph("办理XX件。")
    document.add_paragraph("【fzlint:disable=FZ4】")
    document.add_paragraph("办理XX件。")
    document.add_paragraph("【fzlint:enable】")
    document.add_paragraph("办理XX件。")
    path = tmp_path / "r.docx"
    document.save(str(path))
    src = load_path(str(path))
    doc = build_document(src)
    assert [(s.line, s.reason) for s in doc.stripped] == [(2, "fzlint 指令"), (4, "fzlint 指令"), (6, "fzlint 指令")]
    from fzlint.engine import Linter
    from fzlint.rules.loader import load_ruleset

    findings = Linter(load_ruleset()).lint_source(src).findings
    kept, n = suppress.apply(findings, src)
    assert [src.position(f.start)[0] for f in kept if f.code == "FZ401"] == [7]  # paragraph 7
    assert n == 2
