"""year_reference: years that do not belong where they stand.

mode=measures_future: the measures part (work done in the report year N) names a year after N+1
as if its work were done; targets (到2025年, 2021—2025年, 计划2023年) are not findings.
mode=plan_current: the next-year plan plans the report year itself (2021年,我局将… in a report on 2021).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from fzlint.document.model import Document, Paragraph
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import (
    Check,
    ParamError,
    compile_pattern,
    render_template,
    template_problem,
)
from fzlint.rules.model import Finding


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class YearReferenceParams:
    mode: Literal["measures_future", "plan_current"] = "measures_future"  # measures_future | plan_current
    year: str = r"(?<!\d)(?P<year>(?:19|20)\d\d)年"
    # measures_future: text just before / after the year that makes it a target, not a fact
    target_before: str = r"(?:到|至|迄|—|-|~|～|计划|拟|力争|预计|将于|将在|争取|确保|预期|规划|目标)[^,，。;；]{0,6}$"
    target_after: str = r"^(?:度?(?:前|底前|以前|远景|目标|愿景)|[—\-~～])"
    # plan_current: a plan sentence that opens with the report year; {year} is filled in
    plan_sentence: str = r"(?:^|(?<=[。;；,，:：]))(?:在|于)?{year}年度?[,，]?[^,，。;；]{{0,12}}?(?:将|要|计划|拟|力争|继续)"
    element: str = ""  # defaults: measures / next_year_plan
    max_findings: int = 10


class YearReference(Check):
    name = "year_reference"
    Params = YearReferenceParams

    def setup(self) -> None:
        p: YearReferenceParams = self.params
        self.year = compile_pattern(p.year)
        self.before = compile_pattern(p.target_before)
        self.after = compile_pattern(p.target_after)
        # validate the template now so a bad pattern is reported with its line
        problem = template_problem(p.plan_sentence)
        if problem is not None:
            raise ParamError("plan_sentence", *problem)
        compile_pattern(render_template(p.plan_sentence, {"year": "2021"}))

    def _paragraphs(self, ctx: Context, default: str) -> list[Paragraph]:
        hit = ctx.elements.get(self.params.element or default)
        if hit is None or hit.status == "missing":
            return []
        return hit.paragraphs

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        year = ctx.year
        if year is None:
            return
        if self.params.mode == "plan_current":
            yield from self._plan(doc, ctx, year)
        else:
            yield from self._measures(doc, ctx, year)

    def _measures(self, doc: Document, ctx: Context, year: int) -> Iterator[Finding]:
        count = 0
        for para in self._paragraphs(ctx, "measures"):
            text = para.view.text
            for m in self.finditer(self.year, text):
                y = int(m.group("year"))
                if y <= year + 1:
                    continue
                if self.search(self.before, text[max(0, m.start() - 12) : m.start()]):
                    continue
                if self.search(self.after, text[m.end() : m.end() + 6]):
                    continue
                if _inside_title(text, m.start()):
                    continue
                s, e = para.view.doc_span(*m.span())
                yield self.finding(s, e, {"found": y, "year": year, "next": year + 1})
                count += 1
                if count >= self.params.max_findings:
                    return

    def _plan(self, doc: Document, ctx: Context, year: int) -> Iterator[Finding]:
        hit = ctx.elements.get(self.params.element or "next_year_plan")
        if hit is None or hit.status == "missing":
            return
        r = compile_pattern(render_template(self.params.plan_sentence, {"year": year}))
        for para in hit.paragraphs:
            text = para.view.text
            start = para.heading.title_end if para.heading is not None else 0
            m = self.search(r, text, start)
            if m is None:
                continue
            s, e = para.view.doc_span(*m.span())
            yield self.finding(s, e, {"found": year, "year": year, "next": year + 1})
            return


def _inside_title(text: str, i: int) -> bool:
    """Inside 《…》: a document's title names its own years."""
    opening = text.rfind("《", 0, i)
    return opening >= 0 and text.rfind("》", opening, i) < 0
