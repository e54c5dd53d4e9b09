"""Text check kinds: pattern (forbid), substitute (wrong -> right) and mention (must appear)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from fzlint.document.model import Document
from fzlint.patterns import lazy
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, ParamError, Piece, anchor, compile_pattern, iter_scope
from fzlint.rules.model import Finding, Fix


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class PatternParams:
    patterns: list[str]
    scope: str = "paragraphs"
    unless: str | None = None  # no finding when this also matches the same piece
    # no finding when this matches in the piece before the match (会议强调,要…: a reported
    # requirement), while the same words after it (…各部门要…,根据通知要求…) do not count
    unless_before: str | None = None
    # patterns whose matches are less certain: reported as infos under a warning rule
    info_patterns: list[str] = field(default_factory=list)
    group: int | str = 0  # which group to underline
    max_findings: int = 100


class Pattern(Check):
    """Each match of a pattern is a finding. Messages may use {match}."""

    name = "pattern"
    Params = PatternParams

    def setup(self) -> None:
        self.res = [compile_pattern(p) for p in [*self.params.patterns, *self.params.info_patterns]]
        self.first_info = len(self.params.patterns)  # res[k] for k >= this are info patterns
        self.unless = compile_pattern(self.params.unless) if self.params.unless else None
        self.unless_before = compile_pattern(self.params.unless_before) if self.params.unless_before else None
        group = self.params.group
        for r in self.res:
            ok = group in r.groupindex if isinstance(group, str) else 0 <= group <= r.groups
            if not ok:
                raise ParamError(
                    "group",
                    f"正则表达式 {r.pattern!r} 没有第 {group!r} 组",
                    f"pattern {r.pattern!r} has no group {group!r}",
                )

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        count = 0
        group = self.params.group
        unless = self.unless
        before = self.unless_before
        pieces, plan, order = self.plan(doc, ctx, self.params.scope, self.res)
        for i in order:
            piece = pieces[i]
            text = piece.text  # the piece alone: ^ and $ anchor at its edges
            if unless is not None and self.search(unless, text):
                continue
            for k, where in plan:
                if where is not None and i not in where:
                    continue
                for m in self.finditer_direct(self.res[k], text):
                    gs, ge = m.span(group)
                    if gs < 0 or ge <= gs:
                        continue
                    if before is not None and self.search(before, text, 0, m.start()):
                        continue
                    s, e = piece.view.doc_span(piece.start + gs, piece.start + ge)
                    severity = "info" if k >= self.first_info else None
                    yield self.finding(s, e, {"match": doc.source.text[s:e], **m.groupdict()}, severity=severity)
                    count += 1
                    if count >= self.params.max_findings:
                        return


class Forbid(Pattern):
    """Alias of pattern for lists of forbidden words."""

    name = "forbid"


# \1 or \g<name> in a replacement (what Match.expand understands)
_GROUP_REF = lazy(r"\\(\d+)|\\g<(\w+)>")


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class SubstituteParams:
    # [{pattern: 截止(?=\\d), replacement: 截至}]; a swap may also carry `note` (why, for the
    # message's {note}), `source` (where the pair comes from), `severity` (below the rule's for a
    # pair that is likely but not certain) and `examples: {pass: [...], fail: [...]}` (tested)
    swaps: list[dict[str, Any]]
    scope: str = "paragraphs"
    max_findings: int = 100


_SWAP_KEYS = frozenset({"pattern", "replacement", "note", "source", "severity", "examples"})


class Substitute(Check):
    """A wrong form and its right form; {match}, {replacement} and {note} in the message."""

    name = "substitute"
    Params = SubstituteParams

    def setup(self) -> None:
        self.swaps: list[tuple[regex.Pattern[str], str, str, str | None]] = []
        for swap in self.params.swaps:
            if not isinstance(swap, dict) or "pattern" not in swap or "replacement" not in swap:
                raise ParamError("swaps", "每一项都要有 pattern 和 replacement", "each swap needs pattern and replacement")
            unknown = set(swap) - _SWAP_KEYS
            if unknown:
                names = "、".join(sorted(unknown))
                raise ParamError("swaps", f"未知字段 {names}(可用:{'、'.join(sorted(_SWAP_KEYS))})", f"unknown swap fields: {', '.join(sorted(unknown))}")
            severity = swap.get("severity")
            if severity not in (None, "error", "warning", "info"):
                raise ParamError("swaps", "severity 只能是 error、warning 或 info", "severity must be error, warning or info")
            r = compile_pattern(swap["pattern"])
            for ref in _GROUP_REF.finditer(swap["replacement"]):
                name = ref.group(1) or ref.group(2)
                if not (name in r.groupindex or (name.isdigit() and int(name) <= r.groups)):
                    raise ParamError(
                        "swaps",
                        f"替换文本 {swap['replacement']!r} 引用了不存在的组 {name}",
                        f"replacement {swap['replacement']!r} refers to a missing group {name}",
                    )
            self.swaps.append((r, swap["replacement"], str(swap.get("note") or ""), severity))

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        count = 0
        pieces, plan, order = self.plan(doc, ctx, self.params.scope, [sw[0] for sw in self.swaps])
        swaps = [(*self.swaps[k], where) for k, where in plan]
        for i in order:
            piece = pieces[i]
            text = piece.text
            for r, repl, note, severity, where in swaps:
                if where is not None and i not in where:
                    continue
                for m in self.finditer_direct(r, text):
                    s, e = piece.view.doc_span(piece.start + m.start(), piece.start + m.end())
                    if e <= s:
                        continue
                    replacement = m.expand(repl)
                    fix = Fix(s, e, replacement) if self.rule.fixable else None
                    vals = {"match": doc.source.text[s:e], "replacement": replacement, "note": note}
                    yield self.finding(s, e, vals, fix=fix, severity=severity)
                    count += 1
                    if count >= self.params.max_findings:
                        return


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class MentionParams:
    scope: str = "body"
    any: list[str] = field(default_factory=list)  # at least one must appear
    all: dict[str, str] = field(default_factory=dict)  # name -> pattern; each must appear
    if_present: str | None = None  # only check when this appears; the finding points at it
    if_element: str | None = None  # only check when this required part was found
    # name -> pattern of wording that does the thing without naming it ("文字记录和音像记录" for
    # 执法全过程记录制度). When every missing name is described so, `described_message` is used.
    described: dict[str, str] = field(default_factory=dict)
    described_message: str | None = None
    described_severity: str | None = None  # e.g. info: the thing is done, only its name is missing
    # without the if_present trigger: when every name of `all` is named or described, and some
    # only described, say so (`described_message`) at the first description
    described_alone: bool = False


class Mention(Check):
    """Something must be said. With `all`, the message gets {missing}: the names not found; with
    `described`, a report that does a missing thing without naming it gets `described_message`."""

    name = "mention"
    Params = MentionParams

    def setup(self) -> None:
        self.any = [compile_pattern(p) for p in self.params.any]
        self.all = {k: compile_pattern(v) for k, v in self.params.all.items()}
        self.trigger = compile_pattern(self.params.if_present) if self.params.if_present else None
        unknown = set(self.params.described) - set(self.params.all)
        if unknown:
            raise ParamError("described", f"described 中的 {'、'.join(sorted(unknown))} 不在 all 中", f"described names not in all: {', '.join(sorted(unknown))}")
        self.described = {k: compile_pattern(v) for k, v in self.params.described.items()}
        if self.params.described_severity not in (None, "error", "warning", "info"):
            raise ParamError("described_severity", "described_severity 只能是 error、warning 或 info", "described_severity must be error, warning or info")

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: MentionParams = self.params
        if p.if_element:
            hit = ctx.elements.get(p.if_element)
            if hit is None or hit.status == "missing":
                return
        pieces = list(iter_scope(doc, ctx, p.scope))
        where: tuple[int, int] | None = None
        if self.trigger is not None:
            for piece in pieces:
                m = self.search(self.trigger, piece.text)
                if m:
                    where = piece.view.doc_span(piece.start + m.start(), piece.start + m.end())
                    break
            if where is None:
                if p.described_alone and p.described_message:
                    yield from self._described_alone(pieces)
                return
        if where is None:
            if p.scope.startswith("element:"):
                hit = ctx.elements.get(p.scope.split(":")[1])
                if hit and hit.start is not None:
                    where = (hit.start, hit.end or hit.start)
            where = where or anchor(doc)

        def found(r: object) -> bool:
            return any(self.search(r, pc.text) for pc in pieces)  # type: ignore[arg-type]

        if self.any and not any(found(r) for r in self.any):
            yield self.finding(where[0], where[1], {"missing": ""})
            return
        missing = [name for name, r in self.all.items() if not found(r)]
        if not missing:
            return
        values = {"missing": "、".join(missing)}
        if p.described_message and all(name in self.described and found(self.described[name]) for name in missing):
            yield self.finding(where[0], where[1], values, message=p.described_message, severity=p.described_severity)
        else:
            yield self.finding(where[0], where[1], values)

    def _described_alone(self, pieces: list[Piece]) -> Iterator[Finding]:
        """No trigger word, but every name done: some named, the others only described."""
        p: MentionParams = self.params

        def first(r: object) -> tuple[int, int] | None:
            for pc in pieces:
                m = self.search(r, pc.text)  # type: ignore[arg-type]
                if m:
                    return pc.view.doc_span(pc.start + m.start(), pc.start + m.end())
            return None

        missing = [name for name, r in self.all.items() if first(r) is None]
        if not missing or any(name not in self.described for name in missing):
            return
        spans = [first(self.described[name]) for name in missing]
        if any(sp is None for sp in spans):
            return
        s, e = min(sp for sp in spans if sp is not None)
        yield self.finding(s, e, {"missing": "、".join(missing)}, message=p.described_message, severity=p.described_severity)
