"""`--format junit`: JUnit XML, the test-report shape that Jenkins, GitLab, Azure DevOps and the
GitHub test-report actions display.

One <testsuite> per report file, one <testcase> per rule (classname = file path, name = code and
rule name); a rule that found something fails with one <failure> listing every finding as
`path:line:col: message`. A file that could not be read is a suite with one <error>.
"""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import IO
from xml.etree import ElementTree as ET

from fzlint.render import Run
from fzlint.render.locations import display_path, region
from fzlint.rules.model import SEVERITY_ZH, Finding
from fzlint.termsafe import term

# XML 1.0 forbids most C0 controls; a PDF or Word file can carry them (form feeds, NULs).
# Lone surrogates (never valid in XML) come from file names that are not UTF-8.
_XML_ILLEGAL = dict.fromkeys(
    [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF], "\ufffd"
)


def xml_safe(text: str) -> str:
    return text.translate(_XML_ILLEGAL)


def _name(path: str) -> str:
    """A file name as shown in the report: control characters, bidi overrides and undecodable
    bytes as visible escapes (`\\x1b`, `\\xff`), so the XML is well-formed and readable."""
    return xml_safe(term(display_path(path)))


def _set_counts(node: ET.Element, tests: int, failures: int, errors: int) -> None:
    node.set("tests", str(tests))
    node.set("failures", str(failures))
    node.set("errors", str(errors))
    node.set("skipped", "0")
    node.set("time", "0")


def _selected_codes(run: Run) -> list[str]:
    selection = run.extra.get("selection")
    codes = [r.code for r in run.ruleset.rules]
    if selection is not None:
        codes = [c for c in codes if selection.allows(c)]
    return codes


def _failure_text(path: str, findings: list[Finding], result) -> str:  # type: ignore[no-untyped-def]
    lines = []
    for f in findings:
        reg = region(result.source, f.start, f.end)
        lines.append(
            f"{path}:{reg.line}:{reg.column}: {SEVERITY_ZH.get(f.severity, f.severity)}[{f.code}] {f.message}"
        )
        if f.help:
            lines.append(f"    修改建议:{f.help}")
    return "\n".join(lines)


def build_tree(run: Run) -> ET.Element:
    """The <testsuites> element (exposed for tests)."""
    root = ET.Element("testsuites", name="fzlint")
    timestamp = datetime.now(UTC).replace(microsecond=0, tzinfo=None).isoformat()
    hostname = socket.gethostname() or "localhost"
    totals = [0, 0, 0]
    codes = _selected_codes(run)
    for suite_id, (result, score) in enumerate(run.results):
        path = _name(result.path)
        by_code: dict[str, list[Finding]] = {}
        for f in result.findings:
            by_code.setdefault(f.code, []).append(f)
        suite_codes = codes + [c for c in by_code if c not in codes]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=path,
            id=str(suite_id),
            package="fzlint",
            timestamp=timestamp,
            hostname=hostname,
        )
        props = ET.SubElement(suite, "properties")
        for name, value in (
            ("ruleset", result.ruleset.id),
            ("score", str(score.value)),
            ("grade", score.grade),
            ("findings", str(len(result.findings))),
        ):
            ET.SubElement(props, "property", name=name, value=value)
        failures = 0
        not_run = set(result.not_run)
        for code in suite_codes:
            rule = run.ruleset.rule(code)
            found = by_code.get(code, [])
            label = f"{code} {rule.name}" if rule else code
            case = ET.SubElement(suite, "testcase", classname=path, name=label, time="0")
            if code in not_run:
                ET.SubElement(case, "skipped", message="未运行:本文件的检查时间超过上限(FZLINT_FILE_TIMEOUT)")
                continue
            if found:
                failures += 1
                worst = "error" if any(f.severity == "error" for f in found) else found[0].severity
                message = (
                    found[0].message
                    if len(found) == 1
                    else f"{len(found)} 条问题:{found[0].message} 等"
                )
                failure = ET.SubElement(case, "failure", message=xml_safe(message), type=worst)
                failure.text = xml_safe(_failure_text(path, found, result))
        _set_counts(suite, len(suite_codes), failures, 0)
        suite.set("skipped", str(len(not_run & set(suite_codes))))
        ET.SubElement(
            suite, "system-out"
        ).text = f"得分 {score.value}/100({score.grade}),{len(result.findings)} 条问题"
        ET.SubElement(suite, "system-err")
        totals[0] += len(suite_codes)
        totals[1] += failures
    for offset, (raw_path, message) in enumerate(run.errors):
        path = _name(raw_path)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=path,
            id=str(len(run.results) + offset),
            package="fzlint",
            timestamp=timestamp,
            hostname=hostname,
        )
        ET.SubElement(suite, "properties")
        case = ET.SubElement(suite, "testcase", classname=path, name="读取文件", time="0")
        error = ET.SubElement(case, "error", message=xml_safe(message), type="InputError")
        error.text = xml_safe(message)
        _set_counts(suite, 1, 0, 1)
        ET.SubElement(suite, "system-out")
        ET.SubElement(suite, "system-err")
        totals[0] += 1
        totals[2] += 1
    _set_counts(root, *totals)
    root.attrib.pop("skipped")
    return root


def render_run(run: Run, stream: IO[str]) -> None:
    root = build_tree(run)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
