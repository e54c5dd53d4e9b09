"""date_validity: impossible dates (2月30日, 11日8日) and 截至 dates after the 成文日期."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from fzlint.document.model import Document
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, compile_pattern
from fzlint.rules.model import Finding


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class DateValidityParams:
    mode: Literal["impossible", "cutoff_after_signature"] = "impossible"  # impossible | cutoff_after_signature
    # dates to validate; named groups y (optional), m, d (optional)
    patterns: list[str] = field(default_factory=lambda: [r"(?<!\d)(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?"])
    # shapes that are never a date, whatever the numbers (11日8日)
    never: list[str] = field(default_factory=lambda: [r"(?<![\d月])\d{1,2}日\d{1,2}日"])
    # cutoff_after_signature: a 截至 date; groups y, m (optional), d (optional), end (年底)
    cutoff: str = r"截[至止](?:到)?(?P<y>\d{4})年(?:(?P<end>底|末)|(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?)?"
    max_findings: int = 20


def _valid(y: int | None, m: int, d: int | None) -> bool:
    if not 1 <= m <= 12:
        return False
    if d is None:
        return True
    # no year: allow 2月29日
    last = calendar.monthrange(y if y else 2000, m)[1]
    return 1 <= d <= last


class DateValidity(Check):
    name = "date_validity"
    Params = DateValidityParams

    def setup(self) -> None:
        p: DateValidityParams = self.params
        self.patterns = [compile_pattern(x) for x in p.patterns]
        self.never = [compile_pattern(x) for x in p.never]
        self.cutoff = compile_pattern(p.cutoff)

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        if self.params.mode == "cutoff_after_signature":
            yield from self._cutoff(doc)
            return
        count = 0
        # the paragraphs pieces are doc.paragraphs in order, each a whole view: the plan
        # (base.Check.plan) names the paragraphs each pattern may match in; the rest hold no date
        pieces, plan, order = self.plan(doc, ctx, "paragraphs", self.never + self.patterns)
        where = dict(plan)
        never = [(r, where[k]) for k, r in enumerate(self.never) if k in where]
        patterns = [(r, where[k]) for k, r in enumerate(self.patterns, len(self.never)) if k in where]
        for n in order:
            para = pieces[n].paragraph
            assert para is not None
            text = para.view.text
            spans: list[tuple[int, int]] = []
            for r, hits in never:
                if hits is None or n in hits:
                    spans.extend(m.span() for m in self.finditer(r, text))
            for r, hits in patterns:
                if hits is not None and n not in hits:
                    continue
                for m in self.finditer(r, text):
                    y = int(m.group("y")) if m.group("y") else None
                    d = int(m.group("d")) if m.groupdict().get("d") else None
                    if not _valid(y, int(m.group("m")), d):
                        spans.append(m.span())
            for s0, e0 in sorted(set(spans)):
                s, e = para.view.doc_span(s0, e0)
                yield self.finding(s, e, {"date": doc.source.text[s:e]})
                count += 1
                if count >= self.params.max_findings:
                    return

    def _cutoff(self, doc: Document) -> Iterator[Finding]:
        sig = doc.meta.signature
        if sig is None or sig.date is None or sig.date.value is None:
            return
        signed = sig.date.value
        for para in doc.paragraphs:
            text = para.view.text
            for m in self.finditer(self.cutoff, text):
                y = int(m.group("y"))
                if m.group("end"):
                    when = date(y, 12, 31)
                elif not m.group("m"):
                    continue  # 截至2021年: too vague to compare
                else:
                    mo = int(m.group("m"))
                    d = int(m.group("d")) if m.group("d") else None
                    if not _valid(y, mo, d):
                        continue  # reported by the impossible-date rule
                    when = date(y, mo, d or 1)
                if when > signed:
                    s, e = para.view.doc_span(*m.span())
                    yield self.finding(s, e, {"date": doc.source.text[s:e], "signed": sig.date.text})

