"""The engine: run a ruleset's checks over a document; findings plus the located required parts."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from time import monotonic, perf_counter

from fzlint.document import Document, build_document
from fzlint.ingest import Source
from fzlint.patterns import lazy_re
from fzlint.rules.context import Context, ElementHit, Options
from fzlint.rules.kinds import KINDS, Check
from fzlint.rules.kinds.base import Prefilter, RuleTimeout, anchor, env_seconds
from fzlint.rules.model import Finding, Rule, Ruleset

# All rules together get FILE_TIMEOUT seconds per file (and as much again per 1,000,000
# characters): 100 catastrophic patterns, each stopped by its own regex timeout, would otherwise
# take 100 timeouts on one file. Past it the remaining rules are not run and the file says so
# (FileResult.not_run, a note). FZLINT_FILE_TIMEOUT overrides it (seconds). A report lints in
# about 10 ms; a 5 MB file in about 1.5 s.
DEFAULT_FILE_TIMEOUT = 10.0


FILE_TIMEOUT = env_seconds("FZLINT_FILE_TIMEOUT", DEFAULT_FILE_TIMEOUT, 86400)


def input_format(src: Source) -> str:
    """The format a file was read as, for rules limited to some formats (`formats:`): every reader
    says (a .docx named .doc is a docx; a .doc converted to Word XML is still a .doc)."""
    return src.format


@dataclass(slots=True)
class Selection:
    """--select/--ignore by code or prefix (FZ, FZ1, FZ101)."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)

    def allows(self, code: str) -> bool:
        chosen = self.select + self.extend_select if self.select else []
        if chosen and not any(code.startswith(p) for p in chosen):
            return False
        return not any(code.startswith(p) for p in self.ignore)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) (at least one character) overlaps one of the sorted spans."""
    i = bisect_right(spans, (max(start, end - 1), 1 << 62)) - 1  # the last span starting in range
    return i >= 0 and spans[i][1] > start


@dataclass(slots=True)
class FileResult:
    path: str
    source: Source
    doc: Document
    ruleset: Ruleset
    findings: list[Finding]
    elements: dict[str, ElementHit]
    timed_out: list[str] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)  # codes skipped: the file's time budget ran out


_QUOTE = lazy_re("“([^“”\n]{1,400})”")
_QUOTE_WINDOW = 2000  # characters either side of a finding where its quotes are looked for


def source_quotes(message: str, start: int, end: int, norm: str, text: str) -> str:
    """A message's quotes of the report in the report's own punctuation: rules match the
    normalised text (full-width `，` `（` read as `,` `(`), so a quote cut from it would show
    half-width marks the writer never typed. Each “…” that is a piece of the normalised text at
    the finding or near it is replaced by the source's characters at the same offsets (norm and
    source have the same length). Quotes that are not in the text (the expected form) stay."""

    def restore(m: re.Match[str]) -> str:
        quoted = m.group(1)
        n = len(quoted)
        if norm[start : start + n] == quoted:
            i = start
        else:
            lo = max(0, start - _QUOTE_WINDOW - n)
            i = norm.find(quoted, lo, min(len(norm), end + _QUOTE_WINDOW + n))
        if i < 0:
            return m.group(0)
        return f"“{text[i : i + n]}”"

    return _QUOTE.sub(restore, message) if "“" in message else message


class Linter:
    """A ruleset compiled once, applied to many documents."""

    def __init__(self, ruleset: Ruleset, selection: Selection | None = None, options: Options | None = None) -> None:
        self.ruleset = ruleset
        self.selection = selection or Selection()
        self.options = options or Options()
        self.options.ruleset_settings = ruleset.settings
        # the checks the ruleset cache holds (compiled once), unless the rules were changed since
        cached = ruleset.checks
        if len(cached) == len(ruleset.rules) and all(c.rule is r for c, r in zip(cached, ruleset.rules)):
            checks: list[Check] = list(cached)
        else:
            checks = [KINDS[r.kind](r) for r in ruleset.rules]
        # Parts are located first (phase 0) in ruleset order; everything else may look inside them.
        self.checks = sorted(checks, key=lambda c: c.phase)
        # rules limited to some input formats (the Word layout rules): skipped for the others
        self._by_format = any(c.rule.formats for c in self.checks)
        # code -> seconds spent, summed over documents; None (the default) times nothing.
        # "(document)" is building the Document. Set by `fzlint --profile-rules` and benchmarks/.
        self.timings: dict[str, float] | None = None

    def lint_document(self, doc: Document) -> FileResult:
        ctx = Context(doc, self.options)
        findings: list[Finding] = []
        timings = self.timings
        prefilter = Prefilter(doc)
        low = doc.source.low_confidence  # OCR'd text: spans recognised with low confidence
        allowed = self.selection.allows
        size = len(doc.norm)
        deadline = monotonic() + FILE_TIMEOUT * (1 + size // 1_000_000)
        not_run: list[str] = []
        fmt = input_format(doc.source) if self._by_format else ""
        for check in self.checks:
            code = check.rule.code
            if check.rule.formats and fmt not in check.rule.formats:
                continue
            shown = allowed(code)
            if check.phase > 0 and not shown:
                continue
            if not_run or monotonic() > deadline:
                if shown:
                    not_run.append(code)
                continue
            t0 = perf_counter() if timings is not None else 0.0
            try:
                found = list(check.bind(prefilter, size, deadline).check(doc, ctx))
            except RuleTimeout:
                if monotonic() >= deadline:  # stopped by the file's budget, not its own
                    if shown:
                        not_run.append(code)
                    continue
                ctx.timed_out.append(code)
                s, e = anchor(doc)
                found = [
                    Finding(code, "warning", check.rule.category, f"规则 {code} 的正则表达式运行超时,本文件未完成该项检查", s, e, "检查规则集中该规则的 pattern 是否存在灾难性回溯", None, check.rule.name)
                ]
            if timings is not None:
                timings[code] = timings.get(code, 0.0) + perf_counter() - t0
            if found and low and check.rule.ocr_sensitive:
                found = [f for f in found if not _overlaps(low, f.start, f.end)]
            # a check's findings carry its own code: filter each one only when one differs
            if all(f.code == code for f in found):
                if shown:
                    findings.extend(found)
            else:
                findings.extend(f for f in found if self.selection.allows(f.code))
        findings.sort(key=lambda f: (f.start, f.end, f.code))
        if findings and doc.norm != doc.source.text:
            for f in findings:
                f.message = source_quotes(f.message, f.start, f.end, doc.norm, doc.source.text)
                if f.message_en:
                    f.message_en = source_quotes(f.message_en, f.start, f.end, doc.norm, doc.source.text)
        if not_run:
            note = (
                f"检查用时超过上限({FILE_TIMEOUT * (1 + size // 1_000_000):g} 秒),其余 {len(not_run)} 条规则未运行:"
                f"{'、'.join(not_run[:10])}{' 等' if len(not_run) > 10 else ''};得分未计入这些规则(可用环境变量 FZLINT_FILE_TIMEOUT 调整上限)"
            )
            if note not in doc.source.notes:
                doc.source.notes.append(note)
        return FileResult(doc.source.path, doc.source, doc, self.ruleset, findings, ctx.elements, ctx.timed_out, not_run)

    def lint_source(self, src: Source) -> FileResult:
        if self.timings is None:
            return self.lint_document(build_document(src))
        t0 = perf_counter()
        doc = build_document(src)
        self.timings["(document)"] = self.timings.get("(document)", 0.0) + perf_counter() - t0
        return self.lint_document(doc)

    def rule(self, code: str) -> Rule | None:
        return self.ruleset.rule(code)
