"""`--format sarif`: SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

One run per invocation. Rules carry their rationale and source as help; results carry regions
with snippets and a fingerprint that survives edits elsewhere in the file. Columns count code
points (declared by `columnKind`), so a Han or Extension-B character is one column. Score, grade
and required parts of each file are in `run.properties["fzlint/files"]`.
"""

from __future__ import annotations

import hashlib
import re
from typing import IO, Any

from fzlint import __version__
from fzlint.engine import FileResult
from fzlint.patterns import lazy_re
from fzlint.render import Run, jsontext
from fzlint.render.common import ocr_fields
from fzlint.render.locations import Region, region, relative_uri, working_dir_uri
from fzlint.rules.model import CATEGORY_ZH, Finding, Rule, citation
from fzlint.score import Score

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/fzlint/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "fzlintSpanHash/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_PLACEHOLDER = lazy_re(r"\{[a-z_]+\}")


def _pascal(name: str) -> str:
    """SARIF rule names are conventionally PascalCase ("HeadingNumberSequence")."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_\s]+", name) if part)


def _sentence(text: str) -> str:
    """A rule message template as a plain sentence: {placeholders} become …, ends with 。"""
    text = _PLACEHOLDER.sub("…", text.strip())
    return text if text.endswith(("。", ".", "!", "?", "!", "?")) else text + "。"


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    rationale = " ".join(rule.rationale.split())
    text_parts = [f"为什么:{rationale}", f"依据:{citation(rule)}"]
    md_parts = [f"**为什么**\n\n{rationale}", f"**依据**\n\n{citation(rule)}"]
    if rule.help:
        help_text = _PLACEHOLDER.sub("…", rule.help)
        text_parts.append(f"如何修改:{help_text}")
        md_parts.append(f"**如何修改**\n\n{help_text}")
    text_parts.append(f"查看完整说明:fzlint explain {rule.code}")
    md_parts.append(f"查看完整说明:`fzlint explain {rule.code}`")
    tags = [rule.category, CATEGORY_ZH.get(rule.category, rule.category), rule.ruleset or "fzlint"]
    if rule.opinion:
        tags.append("opinion")
    if rule.fixable:
        tags.append("fixable")
    return {
        "id": rule.code,
        "name": _pascal(rule.name),
        "shortDescription": {"text": _sentence(rule.message)},
        "fullDescription": {"text": _sentence(rationale or rule.message)},
        "help": {"text": "\n".join(text_parts), "markdown": "\n\n".join(md_parts)},
        "defaultConfiguration": {"level": _LEVEL.get(rule.severity, "warning")},
        "properties": {
            "tags": tags,
            "fzlintName": rule.name,
            "category": rule.category,
            "weight": rule.weight,
            "opinion": rule.opinion,
            "fixable": rule.fixable,
            "source": rule.source,
        },
    }


def _fallback_rule(f: Finding) -> Rule:
    # A finding whose code is not in the ruleset (should not happen) still gets a descriptor.
    return Rule(
        f.code,
        f.rule_name or f.code,
        "",
        f.category,
        f.severity,
        0,
        f.message,
        f.help,
        f.message,
        "",
        ruleset="fzlint",
    )


def _fingerprint(uri: str, f: Finding, reg: Region, occurrence: int) -> str:
    # Line numbers are left out on purpose: inserting a paragraph above must not make every
    # finding below look new. The span text plus its occurrence index identifies it instead.
    key = "\x1f".join((f.code, uri, " ".join(reg.text.split()), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _physical(result: FileResult, uri: str, is_relative: bool, reg: Region) -> dict[str, Any]:
    src = result.source
    artifact: dict[str, Any] = {"uri": uri}
    if is_relative:
        artifact["uriBaseId"] = SRCROOT
    context_start = src.line_starts[reg.line - 1]
    _, context_end = src.line_span(reg.end_line)
    return {
        "artifactLocation": artifact,
        "region": {
            "startLine": reg.line,
            "startColumn": reg.column,
            "endLine": reg.end_line,
            "endColumn": reg.end_column,
            "snippet": {"text": reg.text},
        },
        "contextRegion": {
            "startLine": reg.line,
            "endLine": reg.end_line,
            "snippet": {"text": src.text[context_start:context_end]},
        },
    }


def _fixes(result: FileResult, f: Finding, uri: str, is_relative: bool) -> list[dict[str, Any]]:
    if f.fix is None:
        return []
    reg = region(result.source, f.fix.start, f.fix.end)
    artifact: dict[str, Any] = {"uri": uri}
    if is_relative:
        artifact["uriBaseId"] = SRCROOT
    deleted = {
        "startLine": reg.line,
        "startColumn": reg.column,
        "endLine": reg.end_line,
        "endColumn": reg.end_column,
    }
    return [
        {
            "description": {"text": f"替换为“{f.fix.replacement}”(fzlint --fix 可自动修改)。"},
            "artifactChanges": [
                {
                    "artifactLocation": artifact,
                    "replacements": [
                        {"deletedRegion": deleted, "insertedContent": {"text": f.fix.replacement}}
                    ],
                }
            ],
        }
    ]


def _file_properties(result: FileResult, score: Score, uri: str) -> dict[str, Any]:
    elements = {}
    for key in result.ruleset.part_order(result.elements):
        hit = result.elements.get(key)
        if hit is not None:
            elements[key] = {"label": hit.label, "status": hit.status, "line": hit.line}
    return {
        "uri": uri,
        "path": result.path,
        "score": score.value,
        "grade": score.grade,
        "findings": len(result.findings),
        "deductions": [
            {"code": d.code, "count": d.count, "points": d.points, "capped": d.capped}
            for d in score.deductions
        ],
        "elements": elements,
        **ocr_fields(result),
    }


def build_log(run: Run) -> dict[str, Any]:
    """The SARIF log as a dict (exposed for tests)."""
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def rule_index(code: str, f: Finding | None = None) -> int:
        if code not in index:
            rule = run.ruleset.rule(code) or _fallback_rule(f)  # type: ignore[arg-type]
            index[code] = len(rules)
            rules.append(rule_descriptor(rule))
        return index[code]

    for rule in run.ruleset.rules:
        rule_index(rule.code)

    results: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    notifications = []
    for result, score in run.results:
        uri, is_relative = relative_uri(result.path)
        files.append(_file_properties(result, score, uri))
        if result.not_run:
            # the file's time budget ran out (engine.FILE_TIMEOUT): say which rules did not run
            artifact: dict[str, Any] = {"uri": uri, **({"uriBaseId": SRCROOT} if is_relative else {})}
            notifications.append(
                {
                    "level": "warning",
                    "message": {"text": f"检查用时超过上限,{len(result.not_run)} 条规则未运行:{'、'.join(result.not_run)}。"},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
                    "properties": {"fzlint/notRun": list(result.not_run)},
                }
            )
        seen: dict[tuple[str, str], int] = {}
        for f in result.findings:
            reg = region(result.source, f.start, f.end)
            occurrence = seen.get((f.code, reg.text), 0)
            seen[(f.code, reg.text)] = occurrence + 1
            message = f.message if f.message.endswith(("。", ".")) else f.message + "。"
            if f.help:
                message += f"修改建议:{f.help}"
            item: dict[str, Any] = {
                "ruleId": f.code,
                "ruleIndex": rule_index(f.code, f),
                "level": _LEVEL.get(f.severity, "warning"),
                "message": {"text": message},
                "locations": [{"physicalLocation": _physical(result, uri, is_relative, reg)}],
                "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(uri, f, reg, occurrence)},
                "properties": {"category": f.category, "severity": f.severity},
            }
            fixes = _fixes(result, f, uri, is_relative)
            if fixes:
                item["fixes"] = fixes
            results.append(item)

    for path, message in run.errors:
        uri, is_relative = relative_uri(path)
        artifact = {"uri": uri}
        if is_relative:
            artifact["uriBaseId"] = SRCROOT
        notifications.append(
            {
                "level": "error",
                "message": {"text": message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
            }
        )
    invocation: dict[str, Any] = {"executionSuccessful": not run.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fzlint",
                        "fullName": "fzlint 法治政府建设年度报告检查工具",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "invocations": [invocation],
                "originalUriBaseIds": {SRCROOT: {"uri": working_dir_uri()}},
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {"fzlint/ruleset": run.ruleset.id, "fzlint/files": files},
            }
        ],
    }


def render_run(run: Run, stream: IO[str]) -> None:
    stream.write(jsontext.dumps(build_log(run)) + "\n")
