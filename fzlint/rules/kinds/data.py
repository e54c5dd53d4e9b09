"""Data consistency kinds: a stated rate against the counts it comes from; one indicator, two values."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import regex

from fzlint.document.model import Document, Paragraph
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, Prefilter, _bounded, compile_pattern
from fzlint.rules.model import Finding

_HAN_BEFORE = regex.compile(r"\p{Han}+", regex.REVERSE)  # match(text, lo, i): the Han run ending at i


class _Sentences(Check):
    """A check that searches a pattern in each sentence (or other range) of a paragraph, where
    few sentences hold a match: it skips the others with a few searches of the paragraph."""

    def candidates(self, pattern: regex.Pattern[str], text: str, units: list[tuple[int, int]]) -> Iterator[int]:
        """Indexes of the units (ascending, non-overlapping ranges of `text`) that may hold a
        match of `pattern`; the others certainly hold none.

        A pattern with no edge-sensitive construct, atomic group or possessive quantifier
        (base.Prefilter._scannable) that matches within a range has a match starting at the same
        place in the whole text; so when the first match of the whole text at or after a unit's
        start starts after the unit's end, the unit holds none (an empty match may sit at the end
        itself). Only bounded patterns (base._bounded:
        they run without a timeout) are searched this way; the others are not skipped."""
        suited = _SUITED.get(pattern)
        if suited is None:
            suited = _SUITED[pattern] = _bounded(pattern) and Prefilter._scannable(pattern)
        if not suited:
            yield from range(len(units))
            return
        pf = self.prefilter
        if pf is not None and pf.absent(pattern, None):
            return
        self._limit(pattern)  # raises RuleTimeout once the rule's budget is spent, as a search would
        none = len(text) + 1
        nxt = -1  # start of the first match at or after the last searched position; none: no match
        for k, (lo, hi) in enumerate(units):
            if nxt < lo:
                m = pattern.search(text, lo)
                nxt = m.start() if m is not None else none
            if nxt > hi:
                if nxt == none:
                    return
                continue
            yield k


_SUITED: dict[regex.Pattern[str], bool] = {}


@dataclass(frozen=True, slots=True)
class _Count:
    value: Decimal
    unit: str
    start: int  # view indexes
    end: int
    before: str  # the text just before the number (same sentence)


def _counts(check: Check, pattern: regex.Pattern[str], text: str, start: int, end: int, window: int) -> list[_Count]:
    out: list[_Count] = []
    wan = "wan" in pattern.groupindex  # an optional group: m.groupdict().get("wan"), without the dict
    for m in check.finditer(pattern, text, start, end):
        value = Decimal(m.group("value"))
        if wan and m.group("wan"):
            value *= 10000
        out.append(_Count(value, m.group("unit"), m.start(), m.end(), text[max(start, m.start() - window) : m.start()]))
    return out


@dataclass
class RateConsistencyParams:
    # a stated rate; groups: stem (what the rate is of, e.g. 成功) and value (the percentage)
    rate_pattern: str = r"(?P<stem>\p{Han}{2})率[^\d，。；,;]{0,4}?(?P<value>\d{1,15}(?:\.\d{1,8})?)%"
    # a count; groups: value, unit and optionally wan (万)
    count_pattern: str = r"(?P<value>\d{1,15}(?:\.\d{1,8})?)(?P<wan>万)?(?P<unit>件|宗|起|人次|人|个|家|项|次|户|名|条|份|批)"
    # words before the total (共调处7591件)
    total_markers: list[str] = field(default_factory=lambda: ["共", "总", "合计", "累计", "受理", "收到", "全年"])
    near: int = 8  # how many characters before a count are searched for the stem or a marker
    sentences_before: int = 1  # counts may be stated this many sentences before the rate


class RateConsistency(_Sentences):
    """Recompute rate = part / total from counts stated next to it; flag a difference beyond
    the rounding of the stated number of decimals."""

    name = "rate_consistency"
    Params = RateConsistencyParams

    def setup(self) -> None:
        self.rate = compile_pattern(self.params.rate_pattern)
        self.count = compile_pattern(self.params.count_pattern)

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: RateConsistencyParams = self.params
        for para in doc.paragraphs:
            text = para.view.text
            sents = para.sentences()
            for k in self.candidates(self.rate, text, sents):
                ss, se = sents[k]
                for m in self.finditer(self.rate, text, ss, se):
                    # counts of the rate's own sentence first; earlier sentences only when it has none
                    own = self.search(self.count, text, ss, m.start())
                    lo = ss if own else sents[max(0, k - p.sentences_before)][0]
                    found = self._judge(text, lo, m)
                    if found is None:
                        continue
                    part, total, expected = found
                    s, e = para.view.doc_span(*m.span("value"))
                    vals = {
                        "stem": m.group("stem"),
                        "stated": m.group("value"),
                        "expected": expected,
                        "part": _fmt(part.value),
                        "total": _fmt(total.value),
                        "unit": part.unit,
                    }
                    yield self.finding(s, e + 1, vals)

    def _judge(self, text: str, lo: int, m: regex.Match[str]) -> tuple[_Count, _Count, str] | None:
        """(part, total, recomputed) when the counts disagree with the rate; None when they agree
        or when the counts behind the rate cannot be told apart."""
        p: RateConsistencyParams = self.params
        stem = m.group("stem")
        counts = _counts(self, self.count, text, lo, m.start(), p.near)
        parts = [c for c in counts if stem in c.before]
        totals = [c for c in counts if any(t in c.before for t in p.total_markers) and stem not in c.before]
        stated = Decimal(m.group("value"))
        decimals = -stated.as_tuple().exponent if stated.as_tuple().exponent < 0 else 0  # type: ignore[operator]
        quantum = Decimal(1).scaleb(-decimals)
        best: tuple[int, _Count, _Count, str] | None = None
        for part in parts:
            for total in totals:
                if total.unit != part.unit or total.value <= 0 or part.value > total.value or total is part:
                    continue
                exact = part.value * 100 / total.value
                rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
                if rounded == stated:
                    return None  # some pair agrees: the rate is consistent
                distance = abs(m.start() - part.start) + abs(m.start() - total.start)
                if best is None or distance < best[0]:
                    best = (distance, part, total, str(rounded))
        if best is None:
            return None
        return best[1], best[2], best[3]


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


@dataclass
class IndicatorConsistencyParams:
    count_pattern: str = r"(?P<value>\d{1,15}(?:\.\d{1,8})?)(?P<wan>万)?(?P<unit>件|宗|起|人次|家|个|项|份|条)"
    # leading words that do not change what is counted (公示行政检查案 = 行政检查案)
    strip_prefixes: list[str] = field(default_factory=lambda: ["其中", "共计", "共", "累计", "合计", "公示", "办理", "受理", "查处", "收到", "完成"])
    min_name: int = 4  # shorter names (案件, 人次) are too generic to compare
    max_name: int = 12
    within: str = "sentence"  # sentence | paragraph


class IndicatorConsistency(_Sentences):
    """The same indicator (the words right before a count) given twice with different values."""

    name = "indicator_consistency"
    Params = IndicatorConsistencyParams

    def setup(self) -> None:
        self.count = compile_pattern(self.params.count_pattern)
        self.prefixes = sorted(self.params.strip_prefixes, key=len, reverse=True)
        self.prefix_heads = {pre[:1] for pre in self.prefixes if pre}

    def _name(self, text: str, start: int, lo: int) -> str:
        run = _HAN_BEFORE.match(text, lo, start)
        i = run.start() if run is not None else start
        # a name right after a number (2020年办理复议案件) keeps that number: it qualifies the count
        if i > lo and text[i - 1].isdigit() and text[i] in "年月日季":
            while i > lo and (text[i - 1].isdigit() or text[i - 1] == "."):
                i -= 1
        name = text[i:start]
        if name[:1] not in self.prefix_heads:
            return name  # no prefix can start it
        changed = True
        while changed:
            changed = False
            for pre in self.prefixes:
                if name.startswith(pre) and len(name) > len(pre):
                    name = name[len(pre) :]
                    changed = True
        return name

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: IndicatorConsistencyParams = self.params
        for para in doc.paragraphs:
            text = para.view.text
            units = self._units(para)
            for k in self.candidates(self.count, text, units):
                lo, hi = units[k]
                seen: dict[tuple[str, str], _Count] = {}
                for m in self.finditer(self.count, text, lo, hi):
                    name = self._name(text, m.start(), lo)
                    if not (p.min_name <= len(name) <= p.max_name + 6):
                        continue
                    value = Decimal(m.group("value")) * (10000 if m.group("wan") else 1)
                    key = (name, m.group("unit"))
                    first = seen.get(key)
                    if first is None:
                        seen[key] = _Count(value, m.group("unit"), m.start(), m.end(), name)
                        continue
                    if first.value != value:
                        s, e = para.view.doc_span(m.start() - len(name), m.end())
                        vals = {"name": name, "first": text[first.start : first.end], "second": text[m.start() : m.end()]}
                        yield self.finding(s, e, vals)

    def _units(self, para: Paragraph) -> list[tuple[int, int]]:
        if self.params.within == "paragraph":
            return [(0, len(para.view.text))]
        return para.sentences()
