"""Pydantic schema of ruleset YAML files. Imported only when a ruleset is (re)validated."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fzlint.rules.yamlio import line_of

Severity = Literal["error", "warning", "info"]
Category = Literal["structure", "numbering", "content", "punctuation", "data", "date", "style", "layout"]
# Input formats a rule can be limited to (`formats:`): file suffixes without the dot.
InputFormat = Literal["txt", "md", "docx", "doc", "wps", "rtf", "odt", "pdf", "ofd", "html"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ExamplesModel(_Strict):
    pass_: list[str] = Field(alias="pass", min_length=1)
    fail: list[str] = Field(min_length=1)


class RuleModel(_Strict):
    code: str = Field(pattern=r"^[A-Z]{1,4}\d{3}$")
    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    kind: str
    category: Category
    severity: Severity
    weight: float = Field(ge=0, le=100)
    message: str = Field(min_length=1)
    help: str = ""
    rationale: str = Field(min_length=1)
    source: str = Field(min_length=1)
    opinion: bool = False
    fixable: bool = False
    ocr_sensitive: bool = False
    max_penalty: float | None = Field(default=None, ge=0, le=100)
    params: dict[str, Any] = Field(default_factory=dict)
    formats: list[InputFormat] | None = None
    # English text (`fzlint --lang en`): `message`, `help`, or a params template's name
    # (`inline_message` …) -> its English template; Chinese is shown where one is missing
    en: dict[str, str] = Field(default_factory=dict)
    examples: ExamplesModel


class OverrideModel(_Strict):
    severity: Severity | None = None
    weight: float | None = Field(default=None, ge=0, le=100)
    message: str | None = None
    help: str | None = None
    max_penalty: float | None = Field(default=None, ge=0, le=100)
    params: dict[str, Any] | None = None
    formats: list[InputFormat] | None = None


class RulesetModel(_Strict):
    ruleset: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str
    description: str = ""
    extends: list[str] = Field(default_factory=list)
    include: list[str] = Field(default_factory=list)
    # the input formats this file's own rules apply to, unless a rule says otherwise
    formats: list[InputFormat] | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
    overrides: dict[str, OverrideModel] = Field(default_factory=dict)
    disable: list[str] = Field(default_factory=list)
    rules: list[RuleModel] = Field(default_factory=list)
    # the order in which outputs list the report's parts (element ids of the rules locating them)
    parts: list[str] = Field(default_factory=list)


class IncludeModel(_Strict):
    settings: dict[str, Any] = Field(default_factory=dict)
    rules: list[RuleModel] = Field(default_factory=list)


_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段(拼写错误?)",
    "literal_error": "取值不在允许范围内",
    "string_type": "应为字符串",
    "list_type": "应为列表",
    "dict_type": "应为映射(键: 值)",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_pattern_mismatch": "格式不正确",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "too_short": "不能为空",
    "string_too_short": "不能为空",
    "model_type": "应为映射(键: 值)",
    "dataclass_type": "应为映射(键: 值)",
    "unexpected_keyword_argument": "未知参数(拼写错误?)",
    "missing_argument": "缺少必填参数",
    "finite_number": "应为有限的数字",
}


MAX_ERRORS = 10  # error lines shown per file; the rest are counted
MAX_SHOWN = 60  # characters of a key or value quoted in a message


def _clip(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def format_errors(exc: ValidationError, data: Any, path: str, prefix: tuple[Any, ...] = ()) -> tuple[str, str]:
    """Chinese and English messages, one line per error, each naming file:line and field. Keys
    and values are quoted clipped, and at most MAX_ERRORS lines are shown: a message never
    reprints a large part of a file."""
    zh_lines, en_lines = [], []
    errors = exc.errors()
    for err in errors[:MAX_ERRORS]:
        loc = prefix + tuple(err["loc"])
        line = line_of(data, loc)
        field = _clip(".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "["))
        field = field.replace("pass_", "pass")
        zh = _ZH.get(err["type"], "取值无效")
        given = err.get("input")
        shown = "" if err["type"] == "missing" or isinstance(given, (dict, list)) else f"(得到 {_clip(repr(given))})"
        zh_lines.append(f"{path}:{line}: 字段 {field}: {zh}{shown};{_clip(err['msg'])}")
        en_lines.append(f"{path}:{line}: field {field}: {_clip(err['msg'])}")
    if len(errors) > MAX_ERRORS:
        zh_lines.append(f"{path}: ……另有 {len(errors) - MAX_ERRORS} 处错误")
        en_lines.append(f"{path}: … and {len(errors) - MAX_ERRORS} more errors")
    return "\n".join(zh_lines), "\n".join(en_lines)
