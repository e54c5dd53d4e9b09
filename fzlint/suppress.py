"""Inline suppression: directive lines in the report switch rules off for a range of lines.

    <!-- fzlint: disable=FZ301,D1 -->    from the next line on (no codes: every rule)
    <!-- fzlint: enable -->              back on (enable=FZ301: only that code)
    <!-- fzlint: disable-next-line=FZ401 -->   only the next non-blank line

The same directive works as `# fzlint: …` (plain text), `[fzlint: …]` or `【fzlint: …】` (a Word
paragraph, which may be formatted as hidden text). A directive must be a line (paragraph) of its
own; the document layer strips it as noise ("fzlint 指令") so it is never read as report text.
A finding is suppressed by the state at its first line; codes match by prefix.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, NamedTuple

from fzlint.document.noise import DIRECTIVE
from fzlint.document.normalize import normalize
from fzlint.ingest.source import Source
from fzlint.patterns import lazy
from fzlint.rules.model import Finding

_SPLIT = lazy(r"[,、\s]+")


class State(NamedTuple):
    """What is switched off: every rule (`all`, minus `allowed`), or the listed codes."""

    all: bool = False
    codes: frozenset[str] = frozenset()
    allowed: frozenset[str] = frozenset()

    def covers(self, code: str) -> bool:
        if self.all and not any(code.startswith(a) for a in self.allowed):
            return True
        return any(code.startswith(c) for c in self.codes)

    def apply(self, action: str, codes: list[str]) -> State:
        if action == "disable":
            if not codes:
                return State(all=True)
            return State(self.all, self.codes | set(codes), self.allowed - set(codes))
        # enable
        if not codes:
            return State()
        kept = frozenset(c for c in self.codes if not any(c.startswith(x) for x in codes))
        return State(self.all, kept, self.allowed | set(codes) if self.all else self.allowed)


@dataclass(slots=True)
class Suppressions:
    """The directives of one source: state changes by line, and single-line suppressions."""

    change_lines: list[int]  # sorted; the state from change_lines[k] on is states[k]
    states: list[State]
    next_line: dict[int, list[str]]  # line -> codes ([] = every rule)

    def __bool__(self) -> bool:
        return bool(self.change_lines or self.next_line)

    def covers(self, code: str, line: int) -> bool:
        if line in self.next_line:
            codes = self.next_line[line]
            if not codes or any(code.startswith(c) for c in codes):
                return True
        k = bisect_right(self.change_lines, line) - 1
        return k >= 0 and self.states[k].covers(code)


def parse(src: Source) -> Suppressions:
    """Read the directive lines of a source (cheap when there is none)."""
    change_lines: list[int] = []
    states: list[State] = []
    next_line: dict[int, list[str]] = {}
    if "fzlint" not in normalize(src.text).lower():
        return Suppressions(change_lines, states, next_line)
    state = State()
    pending: list[list[str]] = []  # disable-next-line waiting for a non-blank line
    for no in range(1, src.line_count + 1):
        line = normalize(src.line_text(no)).strip()
        if not line:
            continue
        m = DIRECTIVE.match(line)
        if m is None:
            if pending:
                next_line[no] = [] if any(not p for p in pending) else [c for p in pending for c in p]
                pending = []
            continue
        codes = [c.upper() for c in _SPLIT.split(m.group("codes") or "") if c]
        action = m.group("action").lower()
        if action == "disable-next-line":
            pending.append(codes)
            continue
        state = state.apply(action, codes)
        change_lines.append(no)
        states.append(state)
    return Suppressions(change_lines, states, next_line)


def apply(findings: list[Finding], src: Source) -> tuple[list[Finding], int]:
    """The findings not switched off by directives, and how many were."""
    sup = parse(src)
    if not sup:
        return findings, 0
    kept = [f for f in findings if not sup.covers(f.code, src.position(f.start)[0])]
    return kept, len(findings) - len(kept)


class Silencing:
    """A Linter whose results leave out what inline directives and per-file-ignores switch off.

    --fix goes through it too, so a suppressed finding is never auto-fixed. `counts` holds the
    (directives, per-file-ignores) numbers of the last source linted."""

    def __init__(self, linter: Any, ignored: list[str]) -> None:
        self.linter = linter
        self.ignored = ignored
        self.counts = (0, 0)

    def lint_source(self, src: Source) -> Any:
        result = self.linter.lint_source(src)
        findings, n_inline = apply(result.findings, src)
        kept = [f for f in findings if not any(f.code.startswith(c) for c in self.ignored)] if self.ignored else findings
        self.counts = (n_inline, len(findings) - len(kept))
        result.findings = kept
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.linter, name)
