"""deadline: was the report published (or signed) in time?

第二十四条 of the 督察工作规定: every year before 4月1日 the reports of local governments and
of government departments at county level and above are made public (DOMAIN.md §1 [A1]).
Some provinces also require departments to report to their government before 3月1日 ([A3]).

The deadline is a month-day in the ruleset's `settings.deadlines` (a province ruleset that
extends fazhi-annual can change it or set it to null); the rule's params give its key and the
default. The date checked is the publication date (page metadata or --published) or, since a
report cannot be published or submitted before it is signed, the 成文日期. When no date is
known the rule says nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from fzlint.document.model import Document
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, anchor
from fzlint.rules.model import Finding


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class DeadlineParams:
    setting: str = "publish"  # key under settings.deadlines
    default: str | None = None  # "MM-DD" when the ruleset does not set the key
    dates: list[str] = field(default_factory=lambda: ["published", "signed"])  # which dates to check
    body_kinds: list[str] = field(default_factory=lambda: ["government", "department", "township"])
    # settings under which the rule's own YAML examples run (a deadline that is off by default)
    example_settings: dict[str, object] = field(default_factory=dict)


def parse_month_day(value: object) -> tuple[int, int] | None:
    """ "04-01" -> (4, 1); None/"" -> None (deadline switched off)."""
    if value is None or value == "":
        return None
    try:
        m, d = str(value).split("-")
        date(2000, int(m), int(d))  # validates (2000 is a leap year: 02-29 allowed)
        return int(m), int(d)
    except ValueError:
        raise ValueError(f"截止日期应写作 MM-DD(如 \"04-01\"),得到 {value!r}") from None


class Deadline(Check):
    name = "deadline"
    Params = DeadlineParams

    def setup(self) -> None:
        p: DeadlineParams = self.params
        parse_month_day(p.default)
        if not set(p.dates) <= {"published", "signed"}:
            raise ValueError(f"dates 只能包含 published、signed,得到 {p.dates!r}")

    def deadline(self, ctx: Context, year: int) -> date | None:
        p: DeadlineParams = self.params
        deadlines = ctx.options.ruleset_settings.get("deadlines")
        raw = deadlines.get(p.setting, p.default) if isinstance(deadlines, dict) else p.default
        md = parse_month_day(raw)
        if md is None:
            return None
        try:
            return date(year + 1, *md)
        except ValueError:  # 02-29 in a common year: the day after 02-28
            return date(year + 1, 3, 1)

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: DeadlineParams = self.params
        year = ctx.year
        if year is None or doc.meta.body_kind not in p.body_kinds:
            return
        limit = self.deadline(ctx, year)
        if limit is None:
            return
        published = ctx.options.published or doc.meta.published
        sig = doc.meta.signature
        signed = sig.date.value if sig is not None and sig.date is not None else None
        if "published" in p.dates and published is not None:
            if published >= limit:
                source = "--published 指定" if ctx.options.published else "页面显示"
                s, e = anchor(doc)
                yield self.finding(s, e, self._values(year, limit, published, f"{source}的发布日期"))
            return  # a known publication date settles it
        if "signed" in p.dates and sig is not None and sig.date is not None and signed is not None and signed >= limit:
            yield self.finding(sig.date.start, sig.date.end, self._values(year, limit, signed, "成文日期"))

    @staticmethod
    def _values(year: int, limit: date, when: date, what: str) -> dict[str, object]:
        return {
            "year": year,
            "what": what,
            "date": f"{when.year}年{when.month}月{when.day}日",
            "deadline": f"{limit.year}年{limit.month}月{limit.day}日",
            "days": (when - limit).days + 1,
        }
