"""Plain runtime data for rules and findings (no pydantic: this is what the cache holds)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

SEVERITIES = ("error", "warning", "info")
CATEGORIES = ("structure", "numbering", "content", "punctuation", "data", "date", "style", "layout")
# Input formats a rule can be limited to (`formats:` in a ruleset): file suffixes without the dot
INPUT_FORMATS = ("txt", "md", "docx", "doc", "wps", "rtf", "odt", "pdf", "ofd", "html")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
CATEGORY_ZH = {
    "structure": "结构",
    "numbering": "序号",
    "content": "内容",
    "punctuation": "标点",
    "data": "数据",
    "date": "日期",
    "style": "文风",
    "layout": "版式",
}


@dataclass(slots=True)
class Rule:
    """One rule of a ruleset, validated (what the ruleset cache holds)."""

    code: str
    name: str
    kind: str
    category: str
    severity: str
    weight: float
    message: str
    help: str
    rationale: str
    source: str
    opinion: bool = False
    fixable: bool = False
    # OCR'd text: findings on characters recognised with low confidence are dropped (a misread
    # digit or comma is not the writer's mistake); see ingest/ocr.py
    ocr_sensitive: bool = False
    max_penalty: float | None = None  # cap for repeated findings; default 2x weight
    params: dict[str, Any] = field(default_factory=dict)
    examples_pass: list[str] = field(default_factory=list)
    examples_fail: list[str] = field(default_factory=list)
    ruleset: str = ""
    origin: str = ""  # "file:line" of the rule's definition
    # input formats the rule applies to (file suffixes without the dot); empty: every format
    formats: tuple[str, ...] = ()
    # English templates (--lang en): "message", "help" or a params key -> text
    en: dict[str, str] = field(default_factory=dict)

    def english(self, template: str, default: str = "message") -> str | None:
        """The English template for one of this rule's Chinese templates (its message, help or a
        params template such as inline_message), or None when it has none."""
        if not self.en:
            return None
        if template == self.message or template == self.help:
            return self.en.get("message" if template == self.message else "help")
        for key, value in self.params.items():
            if value == template and key in self.en:
                return self.en[key]
            if isinstance(value, dict):  # messages: {skip: …} -> en["messages.skip"]
                for sub, text in value.items():
                    if text == template and f"{key}.{sub}" in self.en:
                        return self.en[f"{key}.{sub}"]
        return None


def citation(rule: Rule) -> str:
    """What a finding shows after 依据: the rule's source, and 经验判断 once for an empirical rule
    (a source that already says so is shown as it is)."""
    source = rule.source.strip()
    if rule.opinion and "经验判断" not in source:
        return f"{source};经验判断" if source else "经验判断"
    return source


@dataclass(slots=True)
class Ruleset:
    """A validated ruleset: its rules after extends/include/overrides."""

    id: str
    title: str
    rules: list[Rule]
    settings: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)  # ids, base first
    # element ids of the report's parts in the order outputs list them (`parts:`, see part_order)
    parts: list[str] = field(default_factory=list)
    # The rules' checks (rules/kinds), built once with their compiled patterns and kept in the
    # ruleset cache, so a warm run unpickles them instead of compiling (see rules/loader.py).
    checks: list[Any] = field(default_factory=list, compare=False, repr=False)

    def part_order(self, found: Iterable[str]) -> list[str]:
        """The parts `found` in a document (element ids) in the order outputs list them: those
        the ruleset's `parts:` names in that order, then any other in the order found (a part a
        ruleset locates but forgot to name is still shown)."""
        found = list(found)
        have = set(found)
        return [p for p in self.parts if p in have] + [p for p in found if p not in self.parts]

    def rule(self, code: str) -> Rule | None:
        for r in self.rules:
            if r.code == code:
                return r
        return None


class Fix(NamedTuple):
    """Replace source[start:end] with `replacement`."""

    start: int
    end: int
    replacement: str


@dataclass(slots=True)
class Finding:
    """One problem found, at source offsets [start, end)."""

    code: str
    severity: str
    category: str
    message: str
    start: int  # source offsets
    end: int
    help: str = ""
    fix: Fix | None = None
    rule_name: str = ""
    message_en: str = ""  # --lang en; empty: no translation (the Chinese message is shown)
    help_en: str = ""
