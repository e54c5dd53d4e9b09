"""The content helpers and how the parts' content is shown (text table, JSON detail)."""

from __future__ import annotations

import json

from fzlint.rules.context import ElementHit
from fzlint.rules.kinds.content import add_content, join_labels, mask_book_titles
from tests.conftest import lint_text, run_cli, seed


def test_add_content_replaces_by_key() -> None:
    hit = ElementHit("measures", "主要举措和成效", "heading")
    add_content(hit, "a", {"x": 1}, "甲")
    add_content(hit, "b", {"y": 2}, "乙")
    add_content(hit, "a", {"x": 3}, "丙")
    assert hit.detail["content"] == {"a": {"x": 3}, "b": {"y": 2}}
    assert hit.detail["content_summary"] == ["丙", "乙"]


def test_mask_book_titles_keeps_length() -> None:
    s = "落实《党政主要负责人履行推进法治建设第一责任人职责规定》,听取汇报。"
    m = mask_book_titles(s)
    assert len(m) == len(s) and "第一责任人" not in m and m.endswith("听取汇报。")


def test_join_labels() -> None:
    assert join_labels(["甲", "乙"]) == "甲、乙"
    assert join_labels(list("abcdefghijk"), limit=3) == "a、b、c等"


EMPTY = (
    "某市人民政府关于2021年度法治政府建设情况的报告\n"
    "一、主要举措和成效\n(一)依法履职。持续深化改革。\n(二)依法决策。不断完善机制。\n(三)严格执法。规范执法行为。\n"
    "二、存在的不足和原因\n一是执法力量不足。二是宣传不到位。\n"
    "三、党政主要负责人履行推进法治建设第一责任人职责情况\n市政府主要负责人认真履行第一责任人职责,压实各部门主要负责人责任。\n"
    "四、2022年工作安排\n加强执法队伍建设。\n某市人民政府\n2022年1月10日\n"
)
FULL = (
    "某市人民政府关于2021年度法治政府建设情况的报告\n"
    "一、主要举措和成效\n(一)依法履职。取消审批事项12项。\n(二)依法决策。出台《某市重大行政决策程序规定》。\n(三)严格执法。办理案件214件。\n"
    "二、存在的不足和原因\n一是执法力量不足,主要是编制紧张。二是宣传不到位,原因是经费有限。\n"
    "三、党政主要负责人履行推进法治建设第一责任人职责情况\n市长主持召开常务会议4次听取法治建设汇报,带头参加会前学法6次。\n"
    "四、2022年工作安排\n加强执法队伍建设。\n某市人民政府\n2022年1月10日\n"
)


def test_empty_parts_score_clearly_below_substantive_parts() -> None:
    r_empty, s_empty = lint_text(EMPTY)
    _r_full, s_full = lint_text(FULL)
    assert all(r_empty.elements[k].status == "heading" for k in ("measures", "problems", "first_responsible", "next_year_plan"))
    assert {"FZ103", "FZ121", "FZ124"} <= {d.code for d in s_empty.deductions}
    assert not {"FZ103", "FZ121", "FZ123", "FZ124"} & {d.code for d in s_full.deductions}
    assert s_full.value - s_empty.value >= 15


def test_text_output_shows_content_and_deductions(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "empty.txt"
    p.write_text(EMPTY, encoding="utf-8")
    out = run_cli("--no-show-source", str(p)).stdout.decode()
    assert "各部分内容" in out
    assert "本级主要负责人履职:未写明" in out and "原因分析:无(列了 2 项不足)" in out
    assert "有数字、日期、文件或事例的小节 0/3" in out
    score_block = out[out.index("得分"):]
    for code in ("FZ103", "FZ121", "FZ124", "FZ123"):
        assert code in score_block


def test_json_detail_keeps_documented_keys() -> None:
    proc = run_cli("--format", "json", str(seed("004")))
    el = json.loads(proc.stdout)["files"][0]["elements"]
    for v in el.values():
        assert {"status", "line", "evidence"} <= set(v)
    assert el["measures"]["detail"]["gangyao"]["missing"] == ["突发事件应对体系"]
    assert el["measures"]["detail"]["concrete"]["subparts"] == 10
    assert el["first_responsible"]["detail"]["duties"]["missing"] == ["述法", "出庭应诉"]
    assert el["causes"]["detail"]["causes"] == {"problem_items": 3, "cause_sentences": 0}
    assert "detail" not in el["next_year_plan"]
