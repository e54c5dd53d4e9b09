"""task_coverage: which task areas of the 法治政府建设实施纲要 the measures part reports on.

The 2021—2025 纲要 has nine task areas (DOMAIN.md §4 [D2]), the 2015—2020 纲要 seven ([D4]).
The edition is chosen by the report year; keywords per area live in the ruleset. For a year
no configured edition covers (after 2025: no successor 纲要 was found), the rule says so once
instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fzlint.document.model import Document
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, compile_pattern
from fzlint.rules.kinds.content import add_content, join_labels
from fzlint.rules.model import Finding

# Characters with a meaning in a pattern (compile_pattern: VERSION1, no VERBOSE); a pattern
# without any of them but "|" is an alternation of literal words.
_SPECIAL = frozenset("\\.^$*+?{}[]()")
_WORDS: dict[str, tuple[str, ...]] = {}  # pattern -> its words; () when not plain words


def _literal_words(src: str) -> tuple[str, ...]:
    words = tuple(src.split("|"))
    if not all(words) or any(c in _SPECIAL for c in src):
        return ()  # an empty word matches everywhere; anything else is for the regex to judge
    return words


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class TaskCoverageParams:
    element: str = "measures"
    # each: {name: "2021—2025年", first_year: 2021, last_year: 2025, areas: {label: [patterns]}}
    editions: list[dict[str, Any]] = field(default_factory=list)
    unconfigured_message: str = ""  # message when no edition covers the report year
    # who gets a finding for uncovered areas; others (departments, townships report only their
    # own functions) get the coverage in the parts table only
    body_kinds: list[str] = field(default_factory=lambda: ["government"])


class TaskCoverage(Check):
    name = "task_coverage"
    Params = TaskCoverageParams

    def setup(self) -> None:
        p: TaskCoverageParams = self.params
        self.editions: list[tuple[str, int, int, dict[str, list[Any]]]] = []
        for ed in p.editions:
            areas = {str(k): [compile_pattern(x) for x in v] for k, v in dict(ed["areas"]).items()}
            self.editions.append((str(ed["name"]), int(ed["first_year"]), int(ed["last_year"]), areas))

    def _found(self, pattern: Any, text: str) -> bool:
        """Whether `pattern` matches somewhere in `text`. A plain alternation of words (most
        area keyword lists) matches exactly where one of its words occurs: str `in` finds that
        many times faster than a regex."""
        words = _WORDS.get(pattern.pattern)
        if words is None:
            words = _WORDS[pattern.pattern] = _literal_words(pattern.pattern)
        if words:
            self._limit(pattern)  # the rule's time budget still applies
            return any(w in text for w in words)
        return self.search(pattern, text) is not None

    def edition_for(self, year: int) -> tuple[str, dict[str, list[Any]]] | None:
        for name, first, last, areas in self.editions:
            if first <= year <= last:
                return name, areas
        return None

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: TaskCoverageParams = self.params
        hit = ctx.elements.get(p.element)
        year = ctx.year
        if hit is None or hit.status == "missing" or year is None or hit.start is None:
            return  # no part, or no year to choose the 纲要 by (FZ303 says so)
        found = self.edition_for(year)
        if found is None:
            add_content(hit, "gangyao", {"edition": None, "year": year}, "纲要覆盖:未配置该年度的纲要")
            yield self.finding(hit.start, hit.end or hit.start, {"year": year}, message=p.unconfigured_message or None)
            return
        name, areas = found
        # headings count here: "(四)加强应急救援能力建设" names the area it reports on
        text = "\n".join(x.view.text for x in hit.paragraphs)
        covered = [label for label, pats in areas.items() if any(self._found(r, text) for r in pats)]
        missing = [label for label in areas if label not in covered]
        add_content(
            hit,
            "gangyao",
            {"edition": name, "year": year, "covered": covered, "missing": missing},
            f"纲要({name})涉及 {len(covered)}/{len(areas)} 个方面" + (f"(未涉及:{join_labels(missing)})" if missing else ""),
        )
        if missing and doc.meta.body_kind in p.body_kinds:
            values = {"edition": name, "covered": len(covered), "total": len(areas), "missing": join_labels(missing), "year": year}
            yield self.finding(hit.start, hit.end or hit.start, values)
