"""concrete_results (FZ123 per sub-part, FZ124 for the whole measures part)."""

from __future__ import annotations

from tests.conftest import lint_text, seed

HEAD = "某市人民政府关于2021年度法治政府建设情况的报告\n"
TAIL = "\n二、存在的不足和原因\n执法力量不足,原因是编制紧张。\n"


def run(measures: str):  # type: ignore[no-untyped-def]
    r, score = lint_text(HEAD + measures + TAIL)
    per = [f for f in r.findings if f.code == "FZ123"]
    whole = [f for f in r.findings if f.code == "FZ124"]
    return r.elements["measures"].detail["content"]["concrete"], per, whole, score


def test_each_kind_of_specific_counts() -> None:
    for line in ("办理案件214件", "全年开展专题培训三期", "3月15日起施行", "出台《某市行政执法办法》", "办理张某诉某镇政府行政确认案", "被评为全省法治政府建设示范项目"):
        c, per, whole, _ = run(f"一、主要举措和成效\n(一)依法行政。{line}。\n(二)严格执法。办理案件214件。")
        assert c["generic"] == 0 and not per and not whole, line


def test_bare_years_slogans_and_enumerations_do_not_count() -> None:
    c, per, _, _ = run("一、主要举措和成效\n(一)依法行政。2021年,一是深入推进“一件事一次办”,二是坚持“最多跑一次”。\n(二)严格执法。办理案件214件。")
    assert c["generic_titles"] == ["依法行政"] and len(per) == 1 and per[0].severity == "info"


def test_most_subparts_generic_is_a_warning() -> None:
    c, per, whole, _ = run("一、主要举措和成效\n(一)放管服。持续优化营商环境。\n(二)决策。不断完善决策机制。\n(三)执法。出台《某市行政执法办法》。")
    assert (c["subparts"], c["generic"]) == (3, 2)
    assert len(per) == 2 and len(whole) == 1 and whole[0].severity == "warning" and "3 个小节中有 2 个" in whole[0].message


def test_half_is_not_most() -> None:
    _, per, whole, _ = run("一、主要举措和成效\n(一)放管服。持续优化营商环境。\n(二)执法。办理案件214件。")
    assert len(per) == 1 and not whole


def test_part_without_subparts_is_judged_whole() -> None:
    c, per, whole, _ = run("一、主要举措和成效\n我市扎实推进法治政府建设,取得明显成效。")
    assert c["subparts"] == 1 and not per and len(whole) == 1


def test_topical_sections_are_the_subparts() -> None:
    c, per, _, _ = run("一、依法全面履行政府职能\n取消审批事项12项。\n二、完善依法行政制度体系\n不断健全制度。")
    assert c["subparts"] == 2 and c["generic_titles"] == ["完善依法行政制度体系"] and len(per) == 1


def test_empty_parts_score_clearly_below_substantive_ones() -> None:
    empty = "一、主要举措和成效\n(一)放管服。持续优化营商环境。\n(二)决策。不断完善决策机制。\n(三)执法。不断规范执法行为。"
    full = "一、主要举措和成效\n(一)放管服。取消审批事项12项。\n(二)决策。出台《某市重大行政决策程序规定》。\n(三)执法。办理案件214件。"
    _, _, _, s_empty = run(empty)
    _, _, _, s_full = run(full)
    assert s_full.value - s_empty.value >= 6  # FZ124 5 + FZ123 1 + 2 × 0.25


def test_seeds() -> None:
    expected = {"000": [], "001": [], "002": [], "003": ["完善监督机制,强化权力监督"], "004": ["深入贯彻习近平法治思想,夯实法治建设基础"]}
    for prefix, titles in expected.items():
        r, _ = lint_text(seed(prefix).read_text(encoding="utf-8"))
        assert r.elements["measures"].detail["content"]["concrete"]["generic_titles"] == titles, prefix
        assert not [f for f in r.findings if f.code == "FZ124"]
