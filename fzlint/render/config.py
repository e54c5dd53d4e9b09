"""`fzlint config`: the effective configuration and where each value came from."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from rich.cells import cell_len

from fzlint.config import FROM_CLI, FROM_DEFAULT, Config
from fzlint.termsafe import term


def _shown(value: Any) -> str:
    if value is None:
        return "(未设置)"
    if isinstance(value, date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=str)


def _origin(origin: str) -> str:
    return {FROM_DEFAULT: "默认值", FROM_CLI: "命令行"}.get(origin, term(origin))


def render_config(cfg: Config, fmt: str = "text") -> str:
    if fmt == "json":
        payload = {
            "files": [str(f.path) for f in cfg.files],
            "settings": {
                key: {"value": s.value.isoformat() if isinstance(s.value, date) else s.value, "origin": s.origin}
                for key, s in cfg.settings.items()
            },
        }
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    out = ["配置文件(由近及远):"]
    out += [f"  {term(str(f.path))}" + (" [tool.fzlint]" if f.table else "") + ("  (root = true)" if f.root else "") for f in cfg.files] or ["  (没有找到配置文件,全部使用默认值)"]
    out.append("")
    rows = [(f"{key} = {_shown(s.value)}", _origin(s.origin)) for key, s in cfg.settings.items()]
    width = min(48, max(cell_len(r[0]) for r in rows))
    out += [left + " " * max(0, width - cell_len(left)) + f"  # 来源:{origin}" for left, origin in rows]
    return "\n".join(out) + "\n"
