"""concrete_results (FZ123 per sub-part, FZ124 for the whole measures part)."""

from __future__ import annotations

import json

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


# ---- a measures part whose measures are one flat list (issue #12) ----------------------------
def test_flat_enumeration_paragraphs_are_each_judged() -> None:
    c, per, whole, _ = run(
        "一、主要举措和成效\n一是加强组织领导,召开常务会议4次。\n二是深化放管服改革,持续优化营商环境。\n"
        "三是规范行政决策,出台《某市重大行政决策程序规定》。\n四是严格规范执法,不断提升执法水平。\n"
        "五是强化权力监督,自觉接受人大监督。\n六是化解矛盾纠纷,调解纠纷1200件。"
    )
    assert (c["subparts"], c["generic"]) == (6, 3)
    assert c["generic_titles"] == ["二是深化放管服改革", "四是严格规范执法", "五是强化权力监督"]
    assert len(per) == 3 and not whole  # half is not most


def test_flat_enumeration_run_in_one_paragraph() -> None:
    c, per, whole, _ = run(
        "一、主要举措和成效\n全年工作成效明显。一是加强组织领导,压实工作责任;二是深化放管服改革,持续优化营商环境;"
        "三是规范行政决策,不断完善决策机制;四是严格执法,办理行政处罚案件214件。"
    )
    assert (c["subparts"], c["generic"]) == (4, 3)
    assert len(per) == 3 and len(whole) == 1 and "4 个小节中有 3 个" in whole[0].message


def test_flat_run_in_titles_are_each_judged() -> None:
    c, _per, _whole, _ = run(
        "一、工作开展情况及成效\n加强组织领导。镇党委召开专题会议3次。\n深化依法行政。不断完善工作机制。\n"
        "规范执法行为。持续推进严格规范公正文明执法。\n化解矛盾纠纷。调解纠纷46件,调解成功44件。"
    )
    assert (c["subparts"], c["generic"]) == (4, 2)
    assert c["generic_titles"] == ["深化依法行政", "规范执法行为"]


def test_prose_and_restarting_lists_are_not_flat() -> None:
    # prose paragraphs: 我市… openings and narrative 了 are no run-in titles
    c, _, _, _ = run("一、主要举措和成效\n我市高度重视法治政府建设。全年办理案件214件。\n全市各部门认真履职。\n我们健全了工作机制。")
    assert c["subparts"] == 1
    # 一是…二是 restarting in each paragraph: nested lists, not one list of measures
    c, _, _, _ = run("一、主要举措和成效\n一是加强领导,二是压实责任。\n一是完善制度,二是强化监督。")
    assert c["subparts"] == 1
    # fewer than three items: judged whole
    c, _, _, _ = run("一、主要举措和成效\n一是加强组织领导。二是深化放管服改革。")
    assert c["subparts"] == 1


def test_level_three_subparts_directly_under_the_part() -> None:
    c, per, _, _ = run("一、主要举措和成效\n1.放管服。取消审批事项12项。\n2.决策。不断完善决策机制。\n3.执法。办理案件214件。")
    assert (c["subparts"], c["generic"]) == (3, 1) and len(per) == 1


def test_content_table_counts_the_items() -> None:
    from tests.conftest import run_cli

    text = (HEAD + "一、主要举措和成效\n一是加强组织领导,召开常务会议4次。\n二是深化放管服改革,持续优化营商环境。\n"
            "三是规范行政决策,出台《某市重大行政决策程序规定》。\n四是严格规范执法,不断提升执法水平。" + TAIL)
    p = run_cli("-", input=text.encode("utf-8"))
    assert "有数字、日期、文件或事例的小节 2/4" in p.stdout.decode("utf-8")


def test_a_later_list_in_the_measures_section_is_not_its_items() -> None:
    # the problems part written inline after the measures prose: its 一是… are not measures
    c, per, whole, _ = run(
        "一、主要举措和成效\n全年办理复议案件12件,调解纠纷300件。\n"
        "但仍存在一些问题:一是执法力量不足;二是宣传形式单一;三是队伍专业化程度不高。原因是编制紧张。"
    )
    assert c["subparts"] == 1 and not per and not whole
    # a list further down the part (not its first or second paragraph) is not the part's list
    c, _, _, _ = run(
        "一、主要举措和成效\n全年办理复议案件12件。\n调解纠纷300件。\n开展普法活动46场。\n"
        "一是加强领导;二是压实责任;三是强化考核。"
    )
    assert c["subparts"] == 1


def test_a_part_found_only_inline_is_judged_whole() -> None:
    r, _ = lint_text(
        "某县法治政府建设工作报告\n2021年,我县扎实推进依法行政。一是加强领导;二是完善制度;三是强化监督。\n"
        "存在的问题:执法力量不足,原因是编制紧张。\n下一步,我县将继续加强执法队伍建设。\n"
    )
    concrete = r.elements["measures"].detail["content"]["concrete"]
    assert concrete["subparts"] == 1


def test_township_run_in_report_and_its_copies(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import FIXTURES, run_cli

    src = (FIXTURES / "defects" / "township_runin.txt").read_text("utf-8")
    gb = tmp_path / "青溪镇.txt"
    gb.write_bytes(src.encode("gb18030"))
    wrapped = tmp_path / "青溪镇_pdf.txt"
    wrapped.write_text("\n".join(ln[i : i + 22] for ln in src.splitlines() if ln for i in range(0, len(ln), 22)), "utf-8")
    for path in (FIXTURES / "defects" / "township_runin.txt", gb, wrapped):
        out = json.loads(run_cli("--format", "json", str(path)).stdout)["files"][0]
        concrete = out["elements"]["measures"]["detail"]["concrete"]
        assert concrete["generic_titles"] == ["深化依法行政", "规范执法行为", "强化法治宣传"], path.name
        assert [d["code"] for d in out["diagnostics"] if d["code"] in ("FZ123", "FZ124")] == ["FZ124", "FZ123", "FZ123", "FZ123"]
