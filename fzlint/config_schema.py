"""Pydantic schema of config files. Imported only when a config file exists."""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Severity = Literal["error", "warning", "info"]
_CODE = r"^[A-Z]{1,4}[0-9]{0,3}$"  # a rule code or a prefix: FZ, FZ1, FZ101, D1


def _check_code(code: Any) -> Any:
    """Codes are matched upper-case (lower-case in the file is accepted); prefixes are allowed."""
    if not isinstance(code, str):
        return code  # the str type check reports it
    code = code.strip().upper()
    if not re.match(_CODE, code):
        raise ValueError(f"“{code}” 不是规则代码或代码前缀(如 FZ301、FZ3、D1)")
    return code


Code = Annotated[str, BeforeValidator(_check_code)]


class ConfigModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    root: bool = False
    ruleset: str = Field(default="fazhi-annual", min_length=1)
    select: list[Code] = Field(default_factory=list)
    extend_select: list[Code] = Field(default_factory=list, alias="extend-select")
    ignore: list[Code] = Field(default_factory=list)
    severity: dict[Code, Severity] = Field(default_factory=dict)
    per_file_ignores: dict[str, list[Code]] = Field(default_factory=dict, alias="per-file-ignores")
    exclude: list[str] = Field(default_factory=list)
    fail_under: float | None = Field(default=None, ge=0, le=100, alias="fail-under")
    report_year: int | None = Field(default=None, ge=1990, le=2100, alias="report-year")
    published: date | None = None
    lang: Literal["zh", "en"] = "zh"
    soffice: str | None = Field(default=None, min_length=1)
    soffice_timeout: float = Field(default=60, gt=0, le=3600, alias="soffice-timeout")


_ZH = {
    "extra_forbidden": "未知的配置项",
    "literal_error": "取值不在允许范围内",
    "string_type": "应为字符串(加英文引号)",
    "list_type": "应为列表,如 [\"FZ1\", \"D1\"]",
    "dict_type": "应为表(键 = 值)",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期,如 2022-03-31",
    "date_parsing": "应为日期,如 2022-03-31",
    "date_from_datetime_parsing": "应为日期,如 2022-03-31",
    "greater_than_equal": "数值太小",
    "greater_than": "数值太小",
    "less_than_equal": "数值太大",
    "string_too_short": "不能为空",
}


def message_for(err: Any) -> tuple[str, str]:
    """Chinese and English text for one pydantic error (without the file:line prefix)."""
    kind = err["type"]
    given = err.get("input")
    if kind == "extra_forbidden":
        name = str(err["loc"][-1])
        known = [f.alias or n for n, f in ConfigModel.model_fields.items()]
        close = difflib.get_close_matches(name.replace("_", "-"), known, n=1)
        hint = f",是否想写 {close[0]}?" if close else f"(可用:{'、'.join(known)})"
        return f"未知的配置项{hint}", f"unknown key{f' (did you mean {close[0]}?)' if close else ''}"
    if kind == "value_error":
        msg = str(err.get("ctx", {}).get("error", err["msg"]))
        return msg, err["msg"]
    zh = _ZH.get(kind, "取值无效")
    if kind == "literal_error":
        zh += f"(可选:{err.get('ctx', {}).get('expected', '')})"
    shown = "" if isinstance(given, (dict, list)) else f"(得到 {given!r})"
    return f"{zh}{shown}", err["msg"]
