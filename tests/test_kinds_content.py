"""Unit tests of the content check kinds (punctuation, data, date_validity, year_reference,
repetition, stale), each through a real ruleset so params come from YAML as users write them."""

from __future__ import annotations

import time

from tests.conftest import lint_text, run_cli

HEAD = "某市2021年度法治政府建设情况报告\n一、主要举措和成效\n"
TAIL = "\n二、存在的不足和原因\n执法力量不足，原因是编制紧张。\n三、2022年工作安排\n加强执法队伍建设。\n某市人民政府\n2022年1月10日\n"


def codes(text: str, prefix: str = "") -> list[str]:
    result, _ = lint_text(text)
    return [f.code for f in result.findings if f.code.startswith(prefix)] if prefix else [f.code for f in result.findings]


# ---- punctuation -------------------------------------------------------------------------
def test_width_ignores_times_numbers_urls_and_english() -> None:
    assert codes("发布时间22:07,www.gov.cn,1,299件,Hello, world。", "P101") == ["P101"]  # only 件,Hello


def test_width_fullwidth_parens_and_word_style_text_are_clean() -> None:
    assert codes("（一）依法履职。深入实施《法治政府建设实施纲要（2021—2025年）》，办理12件；完成率100%：好。", "P10") == []


def test_width_wholesale_is_per_mark() -> None:
    text = "办理1件,2件,3件,4件,5件,6件（含复议）。"
    result, _ = lint_text(text)
    p100 = [f for f in result.findings if f.code == "P100"]
    assert len(p100) == 1 and "逗号 5 处" in p100[0].message
    assert not [f for f in result.findings if f.code == "P101"]  # the full-width parens are fine


def test_paired_marks_quotes_across_paragraphs_and_list_markers() -> None:
    assert codes("他说：“第一段内容很长很长。\n\n“第二段内容也很长。”\n", "P102") == []
    assert codes("做好三项工作：1）建立台账；2）定期通报。", "P102") == []
    assert codes("印发《实施方案，推进工作。", "P102") == ["P102"]


def test_doubled_marks_fix_keeps_the_written_width() -> None:
    result, _ = lint_text("办理12件，，办结率100%。")
    f = next(f for f in result.findings if f.code == "P103")
    assert f.fix is not None and f.fix.replacement == "，"
    assert codes("各项工作……稳步推进——成效明显。", "P103") == []


# ---- data -------------------------------------------------------------------------------
def test_rate_consistent_within_rounding_and_whole_percent() -> None:
    assert codes("共受理案件3件，办结2件，办结率66.7%。", "FZ503") == []
    assert codes("共受理案件3件，办结2件，办结率67%。", "FZ503") == []
    assert codes("共受理案件3件，办结2件，办结率66.6%。", "FZ503") == []  # truncated, not rounded
    assert codes("共受理案件3件，办结2件，办结率66.5%。", "FZ503") == ["FZ503"]
    assert codes("共受理案件3件，办结2件，办结率68%。", "FZ503") == ["FZ503"]


def test_rate_without_identifiable_counts_is_not_judged() -> None:
    assert codes("全年办理案件300件，群众满意率98.5%。", "FZ503") == []
    assert codes("全年分流纠纷1709件，调解成功611件。医调委成功调解纠纷872起，调解成功率96.1%。", "FZ503") == []


def test_indicator_same_name_other_sentence_or_other_year_is_fine() -> None:
    assert codes("办理行政强制案36宗。另有移送的行政强制案12宗。", "FZ504") == []
    assert codes("行政强制案36宗，行政强制案36宗。", "FZ504") == []


# ---- dates ------------------------------------------------------------------------------
def test_dates_leap_year_and_month_ranges() -> None:
    assert codes("2020年2月29日、12月31日、1月1日召开会议。", "FZ505") == []
    assert codes("2021年2月29日召开会议。", "FZ505") == ["FZ505"]
    assert codes("4月31日召开会议。", "FZ505") == ["FZ505"]


def test_cutoff_after_signature_only_with_explicit_year() -> None:
    text = "某市2021年度法治政府建设情况报告\n截至11月8日，受理12件；截至2022年1月31日，办结10件。\n某市人民政府\n2022年1月10日\n"
    result, _ = lint_text(text)
    fs = [f for f in result.findings if f.code == "FZ506"]
    assert len(fs) == 1 and "2022年1月31日" in result.source.text[fs[0].start : fs[0].end]


def test_future_year_targets_and_titles_are_not_findings() -> None:
    body = "力争到2025年基本建成法治政府，2035年远景目标，《某市规划（2021—2025年）》，计划2024年完成。"
    assert codes(HEAD + body + TAIL, "FZ325") == []
    assert codes(HEAD + "2022年1月，召开全会。" + TAIL, "FZ325") == []  # N+1: written before signing


def test_jiezhi_fix_and_other_uses() -> None:
    result, _ = lint_text("截止目前，受理12件；报名于5月1日截止；截止日期为6月。")
    fs = [f for f in result.findings if f.code == "FZ327"]
    assert len(fs) == 1 and fs[0].fix is not None and fs[0].fix.replacement == "截至"


# ---- repetition ---------------------------------------------------------------------------
def test_short_phrases_and_headings_do_not_count_as_repetition() -> None:
    text = "（一）加强组织领导\n加强组织领导，压实责任。\n（二）加强组织领导\n加强组织领导，强化考核。"
    assert codes(text, "FZ6") == []


def test_repetition_is_linear_time() -> None:
    sentences = "".join(f"第{i}项工作完成情况良好并按期办结归档。" for i in range(5000))
    start = time.perf_counter()
    result, _ = lint_text("某市2021年度法治政府建设情况报告\n" + sentences + "\n" + sentences[:1000])
    assert time.perf_counter() - start < 10
    assert [f.code for f in result.findings if f.code == "FZ602"]


# ---- stale references -----------------------------------------------------------------------
def test_stale_history_is_not_reported() -> None:
    text = "某市2021年度法治政府建设情况报告\n原市政府法制办的职责划入市司法局。《法治政府建设实施纲要（2015—2020年）》确定的目标任务如期完成。"
    assert codes(text, "FZ70") == []


def test_sessions_superseded_by_congress_only() -> None:
    assert codes("某市2024年度法治政府建设情况报告\n深入贯彻党的二十大精神。", "FZ704") == []
    assert codes("某市2023年度法治政府建设情况报告\n深入贯彻十九届六中全会精神。", "FZ704") == ["FZ704"]


def test_explain_shows_the_source_of_new_rules() -> None:
    for code, needle in (("FZ702", "深化党和国家机构改革方案"), ("P101", "GB/T 15834"), ("N102", "GB/T 15834"), ("FZ503", "经验判断")):
        p = run_cli("explain", code)
        assert p.returncode == 0 and needle in p.stdout.decode(), code
