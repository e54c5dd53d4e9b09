"""Year and date kinds: report_year (title/body/plan years agree) and signature (落款, 成文日期)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import regex

from fzlint.document.model import Document
from fzlint.patterns import lazy
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, anchor
from fzlint.rules.model import Finding, Fix

_YEAR = lazy(r"(?<!\d)(20\d\d)年")


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class ReportYearParams:
    mode: Literal["title", "plan", "unknown"] = "title"  # title | plan | unknown


class ReportYear(Check):
    """mode=title: the title's year is the body's report year.
    mode=plan: the next-year plan plans report year + 1.
    mode=unknown: the report year cannot be told from the text."""

    name = "report_year"
    Params = ReportYearParams

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        year = ctx.year
        mode = self.params.mode
        meta = doc.meta
        if mode == "unknown":
            if year is None:
                s, e = anchor(doc)
                yield self.finding(s, e, {})
            return
        if year is None:
            return
        if mode == "title":
            if meta.title_year and meta.title_year != year and meta.title_span:
                s, e = meta.title_span
                m = _YEAR.search(doc.norm, s, e) or regex.search(r"\d{4}", doc.norm[s:e])
                if m is not None and m.re.pattern == _YEAR.pattern:
                    s, e = m.span(1)
                yield self.finding(s, e, {"title_year": meta.title_year, "year": year, "where": "标题"})
            for text, (s, e), y in meta.alt_titles:
                if y and y != year:
                    yield self.finding(s, e, {"title_year": y, "year": year, "where": "副标题"})
        elif mode == "plan":
            hit = ctx.elements.get("next_year_plan")
            if hit is None or hit.status == "missing" or hit.start is None:
                return
            # the plan's own heading or sentence names its year
            ev = doc.norm[hit.start : hit.end or hit.start]
            m = _YEAR.search(regex.sub(r"\s+", "", ev))
            if m is None:
                return
            plan_year = int(m.group(1))
            if plan_year != year + 1:
                yield self.finding(hit.start, hit.end or hit.start, {"plan_year": plan_year, "year": year, "expected": year + 1})


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class SignatureParams:
    mode: Literal["present", "after_year", "format"] = "present"  # present | after_year | format
    issuer_required: bool = True
    extra: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)  # after_year: invalid (not a real date)


class Signature(Check):
    """mode=present: an issuer and a 成文日期 close the report.
    mode=after_year: the 成文日期 is not before the report year has ended.
    mode=format: the 成文日期 uses Arabic numerals without zero padding (GB/T 9704)."""

    name = "signature"
    Params = SignatureParams

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        sig = doc.meta.signature
        mode = self.params.mode
        if mode == "present":
            if sig is None or sig.date is None:
                end = doc.body_span[1]
                # point at the last character of the body
                s = max(doc.body_span[0], end - 1)
                what = "成文日期" if sig is not None else "落款(发文机关署名和成文日期)"
                yield self.finding(s, end, {"missing": what})
            return
        if sig is None or sig.date is None:
            return
        d = sig.date
        if mode == "after_year":
            year = ctx.year
            if year is None:
                return
            if d.value is None:
                yield self.finding(d.start, d.end, {"date": d.text, "year": year}, message=self.params.messages.get("invalid"))
            elif d.year <= year and not (d.month == 12 and d.day == 31 and d.year == year):
                yield self.finding(d.start, d.end, {"date": d.text, "year": year})
        elif mode == "format":
            if d.chinese_numerals or d.zero_padded:
                fixed = f"{d.year}年{d.month}月{d.day}日"
                fix = Fix(d.start, d.end, fixed) if self.rule.fixable and d.value is not None else None
                yield self.finding(d.start, d.end, {"date": d.text, "expected": fixed}, fix=fix)
