"""rules/kinds/text.py Mention: names that must appear, and things done without their name."""

from __future__ import annotations

import pytest

from fzlint.document import build_document
from fzlint.ingest import load_bytes
from fzlint.rules.context import Context, Options
from fzlint.rules.kinds.base import ParamError
from fzlint.rules.kinds.text import Mention
from fzlint.rules.model import Rule

PARAMS = {
    "if_present": "三项制度",
    "all": {"公示制度": "公示制度", "全过程记录制度": "全过程记录"},
    "described": {"全过程记录制度": "音像记录"},
    "described_message": "{missing}写了做法,没有用规范名称",
    "described_severity": "info",
}


def _check(**params: object) -> Mention:
    return Mention(Rule("T100", "t", "mention", "content", "warning", 3, "没有写明:{missing}", "", "", "", params={**PARAMS, **params}))


def _findings(text: str, **params: object) -> list[tuple[str, str]]:
    doc = build_document(load_bytes(("某县2022年法治政府建设情况报告\n" + text).encode("utf-8"), "t.txt"))
    return [(f.severity, f.message) for f in _check(**params).check(doc, Context(doc, Options()))]


def test_all_named_no_finding() -> None:
    assert _findings("落实三项制度,推行行政执法公示制度和执法全过程记录制度。") == []


def test_done_without_its_name_gets_the_described_message_and_severity() -> None:
    got = _findings("落实三项制度,推行行政执法公示制度,规范执法文字记录和音像记录。")
    assert got == [("info", "全过程记录制度写了做法,没有用规范名称")]


def test_not_done_at_all_keeps_the_rule_message() -> None:
    assert _findings("落实三项制度,推行行政执法公示制度。") == [("warning", "没有写明:全过程记录制度")]
    # one missing name described, another not: the plain message names both
    got = _findings("落实三项制度,规范执法音像记录。")
    assert got == [("warning", "没有写明:公示制度、全过程记录制度")]


def test_described_must_name_items_of_all_and_severity_must_be_known() -> None:
    with pytest.raises(ParamError) as info:
        _check(described={"别的制度": "x"})
    assert info.value.field == "described"
    with pytest.raises(ParamError) as info:
        _check(described_severity="fatal")
    assert info.value.field == "described_severity"
