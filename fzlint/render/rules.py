"""`fzlint rules` (text, json, markdown) and `fzlint explain CODE` (ruff-style rule documentation)."""

from __future__ import annotations

import json
import os

from fzlint.rules.model import CATEGORY_ZH, SEVERITY_ZH, Rule, Ruleset


def explain(rule: Rule) -> str:
    """The documentation block of a rule: what it does, why, source, examples, fix."""
    lines = [
        f"# {rule.code} ({rule.name})",
        "",
        f"规则集:{rule.ruleset}    类别:{CATEGORY_ZH.get(rule.category, rule.category)}    "
        f"级别:{SEVERITY_ZH.get(rule.severity, rule.severity)}    权重:{rule.weight:g}"
        + ("    可自动修复" if rule.fixable else "")
        + ("    适用格式:" + "、".join(f".{f}" for f in rule.formats) if rule.formats else ""),
        "",
        "## 作用",
        rule.message,
        "",
        "## 为什么",
        rule.rationale.strip(),
        "",
        "## 依据" + ("(经验判断,无直接规范依据)" if rule.opinion else ""),
        rule.source,
        "",
    ]
    if rule.help:
        lines += ["## 如何修改", rule.help, ""]
    lines += _tables(rule)
    lines.append("## 示例(会报告)")
    for ex in rule.examples_fail:
        lines += ["```", ex.rstrip(), "```"]
    lines += ["", "## 示例(不会报告)"]
    for ex in rule.examples_pass:
        lines += ["```", ex.rstrip(), "```"]
    lines += ["", f"定义位置:{rule.origin}", ""]
    return "\n".join(lines)


def _tables(rule: Rule) -> list[str]:
    """A rule's own table, where its params hold one with a source per row: the word pairs of a
    substitute rule that explain themselves (note), the exact titles of a known_names rule."""
    swaps = [sw for sw in rule.params.get("swaps", []) if isinstance(sw, dict) and sw.get("note")]
    titles = [e for e in rule.params.get("entries", []) if isinstance(e, dict) and e.get("title")]
    out: list[str] = []
    if swaps:
        out.append("## 词表")
        for sw in swaps:
            example = (sw.get("examples") or {}).get("fail") or [sw["pattern"]]
            level = f"({SEVERITY_ZH.get(sw['severity'], sw['severity'])})" if sw.get("severity") else ""
            out.append(f"- 改为“{sw['replacement']}”{level}:{sw['note']}。例:{example[0]} 依据:{sw.get('source') or '未注明'}")
        out.append("")
    if titles:
        out.append("## 文件名称表")
        for e in titles:
            also = "".join(f";也可写作《{a}》" for a in e.get("also", []))
            out.append(f"- 《{e['title']}》({e.get('issued') or '未注明'}){also}。来源:{e.get('source') or '未注明'}")
        out.append("")
    return out


def render_rules(ruleset: Ruleset, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            [
                {
                    "code": r.code,
                    "name": r.name,
                    "ruleset": r.ruleset,
                    "kind": r.kind,
                    "category": r.category,
                    "severity": r.severity,
                    "weight": r.weight,
                    "fixable": r.fixable,
                    "opinion": r.opinion,
                    "message": r.message,
                    "source": r.source,
                    **({"formats": list(r.formats)} if r.formats else {}),
                }
                for r in ruleset.rules
            ],
            ensure_ascii=False,
            indent=2,
        ) + "\n"
    if fmt == "markdown":
        out = [
            f"# 规则参考:{ruleset.title}({ruleset.id})",
            "",
            "本文件由 `fzlint rules --format markdown` 生成,请勿手工修改。",
            "",
            "| 代码 | 名称 | 类别 | 级别 | 权重 | 说明 |",
            "|---|---|---|---|---|---|",
        ]
        for r in ruleset.rules:
            out.append(
                f"| {r.code} | {r.name} | {CATEGORY_ZH.get(r.category, r.category)} | "
                f"{SEVERITY_ZH.get(r.severity, r.severity)} | {r.weight:g} | {r.message.replace('|', '/')} |"
            )
        out.append("")
        from fzlint.rules.loader import builtin_dir

        # a generated reference is committed (docs/rules.md): built-in origins relative, not per machine
        root = str(builtin_dir().parent) + os.sep
        for r in ruleset.rules:
            out.append(explain(r).replace("# ", "## ", 1).replace("\n## ", "\n### ").replace(f"定义位置:{root}", "定义位置:"))
        return "\n".join(out) + "\n"
    width = max((len(r.code) for r in ruleset.rules), default=4)
    out = [f"{ruleset.title}({ruleset.id}):{len(ruleset.rules)} 条规则", ""]
    for r in ruleset.rules:
        sev = SEVERITY_ZH.get(r.severity, r.severity)
        fix = " [可修复]" if r.fixable else ""
        out.append(f"{r.code:<{width}}  {sev}  {r.weight:>4g}  {r.name}{fix}  {r.message}")
    return "\n".join(out) + "\n"
