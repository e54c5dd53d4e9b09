"""`fzlint rules` (text, json, markdown) and `fzlint explain CODE` (ruff-style rule documentation)."""

from __future__ import annotations

import json
import os
from typing import Any

from fzlint.patterns import lazy_re
from fzlint.rules.model import CATEGORY_ZH, SEVERITY_ZH, Rule, Ruleset, citation

_PLACEHOLDER = lazy_re(r"\{[a-z_]+\}")

# Where docs/domain.md quotes what a source cites: (words in a rule's source, section anchor, title)
_DOMAIN_SECTIONS = (
    (("督察工作规定", "厅字〔2019〕28号"), "s1", "《法治政府建设与责任落实督察工作规定》"),
    (("第一责任人职责规定", "述法"), "s2", "《党政主要负责人履行推进法治建设第一责任人职责规定》"),
    (("国办发〔2018〕118号", "三项制度"), "s3", "行政执法“三项制度”"),
    (("实施纲要", "中发〔2021〕33号", "中发〔2015〕36号"), "s4", "法治政府建设实施纲要"),
    (("GB/T 9704", "公文处理工作条例"), "s5-9704", "GB/T 9704-2012《党政机关公文格式》"),
    (("GB/T 15834",), "s5-15834", "GB/T 15834-2011《标点符号用法》"),
    (("GB/T 15835",), "s5-15835", "GB/T 15835-2011《出版物上数字用法》"),
    (("第三方评估",), "s6", "第三方评估"),
    (("工作指引", "标题写法"), "s7", "关于报告写法的通知和指引"),
    (("运用事例少", "泛化"), "s8", "审阅中常见的问题"),
)


def domain_links(rule: Rule) -> list[str]:
    """Links to the sections of docs/domain.md that quote what the rule's source cites."""
    out = []
    for words, anchor, title in _DOMAIN_SECTIONS:
        if any(w in rule.source for w in words):
            out.append(f"- {title}:docs/domain.md#{anchor}")
    return out


def example_findings(rules: list[Rule], ruleset: Ruleset) -> dict[str, Any]:
    """code -> the first finding of the rule on its first `fail` example: a message and help with
    their placeholders filled, to show instead of "{problem}". Rules whose examples are not plain
    text (Word layout, a pair of reports) are left out."""
    from fzlint.engine import Linter, Selection
    from fzlint.ingest import load_bytes
    from fzlint.rules.kinds import KINDS

    plain = [r for r in rules if r.examples_fail and _PLACEHOLDER.search(r.message + r.help) and not _special(KINDS.get(r.kind))]
    if not plain:
        return {}
    linter = Linter(ruleset, Selection([r.code for r in plain]))
    out: dict[str, Any] = {}
    for rule in plain:
        linter.options.ruleset_settings = {**ruleset.settings, **rule.params.get("example_settings", {})}
        try:
            result = linter.lint_source(load_bytes(rule.examples_fail[0].encode("utf-8"), f"example-{rule.code}.txt"))
        except Exception:  # noqa: BLE001, S112 - documentation must not fail on one example
            continue
        found = next((f for f in result.findings if f.code == rule.code), None)
        if found is not None:
            out[rule.code] = found
    return out


def _special(kind: Any) -> bool:
    return kind is None or bool(getattr(kind, "examples_docx", False) or getattr(kind, "pairwise", False))


def _shown(rule: Rule, text: str, filled: Any) -> str:
    """A message or help: the example's own when it has placeholders, else the template with
    each placeholder shown as …"""
    if not _PLACEHOLDER.search(text):
        return text
    return filled if filled else _PLACEHOLDER.sub("…", text)


_HEADINGS = {
    "zh": {"set": "规则集", "cat": "类别", "level": "级别", "weight": "权重", "fix": "可自动修复", "formats": "适用格式", "what": "作用",
           "example": "(示例)", "why": "为什么", "source": "依据", "links": "法规原文摘录见:", "how": "如何修改",
           "fail": "示例(会报告)", "pass": "示例(不会报告)", "origin": "定义位置"},
    "en": {"set": "ruleset", "cat": "category", "level": "level", "weight": "weight", "fix": "fixable", "formats": "formats", "what": "What it does",
           "example": " (example)", "why": "Why (Chinese)", "source": "Source", "links": "The regulations quoted (in Chinese):", "how": "How to fix",
           "fail": "Examples (reported)", "pass": "Examples (not reported)", "origin": "Defined at"},
}
_LEVEL_EN = {"error": "error", "warning": "warning", "info": "info"}


def explain(rule: Rule, example: Any = None, lang: str = "zh") -> str:
    """The documentation block of a rule: what it does, why, source, examples, fix. `example`: the
    rule's finding on its first fail example (example_findings), for messages with placeholders.
    `lang` en: the English message and help where the ruleset has them, English headings."""
    en = lang == "en"
    h = _HEADINGS["en" if en else "zh"]
    mine = example if example is not None and example.code == rule.code else None
    template = (rule.en.get("message") if en else None) or rule.message
    message = _shown(rule, template, ((mine.message_en or mine.message) if en else mine.message) if mine is not None else None)
    help_template = (rule.en.get("help") if en else None) or rule.help
    help_text = _shown(rule, help_template, ((mine.help_en or mine.help) if en else mine.help) if mine is not None else None)
    links = domain_links(rule)
    category = rule.category if en else CATEGORY_ZH.get(rule.category, rule.category)
    level = _LEVEL_EN.get(rule.severity, rule.severity) if en else SEVERITY_ZH.get(rule.severity, rule.severity)
    sep = ": " if en else ":"
    lines = [
        f"# {rule.code} ({rule.name})",
        "",
        f"{h['set']}{sep}{rule.ruleset}    {h['cat']}{sep}{category}    {h['level']}{sep}{level}    {h['weight']}{sep}{rule.weight:g}"
        + (f"    {h['fix']}" if rule.fixable else "")
        + (f"    {h['formats']}{sep}" + "、".join(f".{f}" for f in rule.formats) if rule.formats else ""),
        "",
        f"## {h['what']}",
        message + (h["example"] if message != template else ""),
        "",
        f"## {h['why']}",
        rule.rationale.strip(),
        "",
        f"## {h['source']}",
        citation(rule),
        *(["", h["links"], *links] if links else []),
        "",
    ]
    if rule.help:
        lines += [f"## {h['how']}", help_text, ""]
    lines += _tables(rule)
    lines.append(f"## {h['fail']}")
    for ex in rule.examples_fail:
        lines += ["```", ex.rstrip(), "```"]
    lines += ["", f"## {h['pass']}"]
    for ex in rule.examples_pass:
        lines += ["```", ex.rstrip(), "```"]
    lines += ["", f"{h['origin']}{sep}{rule.origin}", ""]
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


def render_rules(ruleset: Ruleset, fmt: str, lang: str = "zh") -> str:
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
        examples = example_findings(ruleset.rules, ruleset)
        for r in ruleset.rules:
            out.append(explain(r, examples.get(r.code)).replace("# ", "## ", 1).replace("\n## ", "\n### ").replace(f"定义位置:{root}", "定义位置:"))
        return "\n".join(out) + "\n"
    width = max((len(r.code) for r in ruleset.rules), default=4)
    en = lang == "en"
    head = f"{ruleset.title} ({ruleset.id}): {len(ruleset.rules)} rules" if en else f"{ruleset.title}({ruleset.id}):{len(ruleset.rules)} 条规则"
    out = [head, ""]
    examples = example_findings(ruleset.rules, ruleset)
    for r in ruleset.rules:
        sev = _LEVEL_EN.get(r.severity, r.severity).ljust(7) if en else SEVERITY_ZH.get(r.severity, r.severity)
        fix = (" [fixable]" if en else " [可修复]") if r.fixable else ""
        ex = examples.get(r.code)
        if en:
            shown = _shown(r, r.en.get("message") or r.message, (ex.message_en or ex.message) if ex is not None else None)
        else:
            shown = _shown(r, r.message, ex.message if ex is not None else None)
        out.append(f"{r.code:<{width}}  {sev}  {r.weight:>4g}  {r.name}{fix}  {shown}")
    return "\n".join(out) + "\n"
