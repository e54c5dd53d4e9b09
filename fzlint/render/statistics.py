"""`--statistics`: one line per rule code instead of the findings (as ruff's --statistics does):
count, code, level, whether --fix can repair it, and the rule's name."""

from __future__ import annotations

import json
from typing import IO, Any

from fzlint.render import Run
from fzlint.rules.model import SEVERITY_ZH
from fzlint.termsafe import term

_SEVERITY_EN = {"error": "error", "warning": "warning", "info": "info"}
_ORDER = {"error": 0, "warning": 1, "info": 2}


def rows(run: Run) -> list[dict[str, Any]]:
    """One row per code: most frequent first, then by code."""
    counts: dict[str, dict[str, Any]] = {}
    for result, _score in run.results:
        for f in result.findings:
            row = counts.setdefault(f.code, {"code": f.code, "count": 0, "severity": f.severity, "fixable": 0})
            row["count"] += 1
            row["fixable"] += f.fix is not None
            if _ORDER.get(f.severity, 3) < _ORDER.get(row["severity"], 3):
                row["severity"] = f.severity  # the most severe level the code was reported at
    out = sorted(counts.values(), key=lambda r: (-r["count"], r["code"]))
    for row in out:
        rule = run.ruleset.rule(row["code"])
        row["name"] = rule.name if rule else ""
    return out


def render_run(run: Run, stream: IO[str], fmt: str = "text") -> None:
    table = rows(run)
    if fmt == "json":
        stream.write(json.dumps([{k: r[k] for k in ("code", "name", "count", "severity", "fixable")} for r in table], ensure_ascii=False, indent=2) + "\n")
        return
    en = run.lang == "en"
    width = max((len(str(r["count"])) for r in table), default=1)
    for r in table:
        level = _SEVERITY_EN[r["severity"]] if en else SEVERITY_ZH[r["severity"]]
        fix = "[*]" if r["fixable"] else "   "
        stream.write(term(f"{r['count']:>{width}d}  {r['code']:<6s} {level:<{7 if en else 2}} {fix} {r['name']}") + "\n")
    total = sum(r["count"] for r in table)
    fixable = sum(r["fixable"] for r in table)
    if en:
        stream.write(f"Found {total} findings in {len(run.results)} files" + (f"; [*] {fixable} fixable with --fix" if fixable else "") + ".\n")
    else:
        stream.write(f"共 {len(run.results)} 个文件,{total} 条问题" + (f";[*] 其中 {fixable} 条可用 --fix 自动修复" if fixable else "") + "。\n")
