"""Data consistency kinds: a stated rate against the counts it comes from; one indicator, two values."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import NamedTuple

import regex

from fzlint.document.model import Document, Paragraph
from fzlint.patterns import lazy
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, ParamError, Prefilter, _bounded, compile_pattern
from fzlint.rules.model import Finding

_HAN_BEFORE = lazy(r"\p{Han}+", regex.REVERSE)  # match(text, lo, i): the Han run ending at i
_CLAUSE_MARKS = ",，;；。:：、"  # what ends the clause before a count
# what may stand between a verb and its count (化解了4512件, 办结数1895项); after a noun
# (应诉案件437件) the count is the noun's, not the verb's
_COUNT_GLUE = "了达共计总数量合 "


class _Sentences(Check):
    """A check that searches a pattern in each sentence (or other range) of a paragraph, where
    few sentences hold a match: it skips the others, either with one pass of the pattern over the
    body (`body_matches`) or with a few searches of the paragraph (`candidates`)."""

    def body_matches(self, doc: Document, pattern: regex.Pattern[str]) -> _BodyMatches | None:
        """Every match of `pattern` in the body, found in one pass, from which the matches of a
        search limited to a range of a paragraph follow exactly (`_BodyMatches.within`); None
        when the pattern is not suited to this (see `_body_suited`) or can match empty."""
        suited = _BODY_SUITED.get(pattern)
        if suited is None:
            suited = _BODY_SUITED[pattern] = _body_suited(pattern)
        if not suited:
            return None
        self._limit(pattern)  # raises RuleTimeout once the rule's budget is spent, as a search would
        matches = list(pattern.finditer(doc.body.text))
        if any(m.start() == m.end() for m in matches):
            return None
        return _BodyMatches(matches)

    def visited(self, doc: Document, bm: _BodyMatches, least: int, units_of: Callable[[Paragraph], list[tuple[int, int]]]) -> Iterator[tuple[Paragraph, int]]:
        """The paragraphs (with their offsets in the body) where the search of one of the ranges
        `units_of` gives may find at least `least` matches. The others certainly hold fewer in
        every range: all their positions the body's scan tried and found nothing at, but those
        inside its matches, and each of these lies inside one range (else it is visited)."""
        starts, ends = bm.starts, bm.ends
        n = len(starts)
        off = 0
        i = 0
        for para in doc.paragraphs:  # the body is the paragraphs' texts joined by "\n"
            if i >= n:
                return
            end = off + len(para.view.text)
            while i < n and ends[i] <= off:
                i += 1
            j = i
            while j < n and starts[j] < end:
                j += 1
            if j - i >= least or (i < n and starts[i] < off) or (j > i and ends[j - 1] > end):
                yield para, off
            elif j > i:
                units = units_of(para)
                for q in range(i, j):
                    s, e = starts[q] - off, ends[q] - off
                    k = bisect_right(units, (s, _AFTER)) - 1
                    if k < 0 or e > units[k][1]:
                        yield para, off  # a match over a range's edge: the ranges' own searches decide
                        break
            off = end + 1

    def range_matches(self, bm: _BodyMatches, pattern: regex.Pattern[str], text: str, off: int, lo: int, hi: int) -> tuple[list[regex.Match[str]], int]:
        """The matches of finditer(pattern, text, lo, hi) for the paragraph `text` at `off` in
        the body, and the offset to subtract from their positions: the body's own when no body
        match lies over the range's edges, else the range's own search."""
        found = bm.within(off + lo, off + hi)
        if found is not None:
            return found, off
        return list(self.finditer(pattern, text, lo, hi)), 0

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
_BODY_SUITED: dict[regex.Pattern[str], bool] = {}
_AFTER = 1 << 62  # sorts after any range end: bisect for the range starting at or before a position
# constructs whose success may depend on text outside the characters a match consumes
# (lookaround, conditionals) or that change how a match is chosen (fuzzy matching)
_CONTEXT_TOKENS = ("(?=", "(?<", "(?(", "{e", "{i", "{d", "{s", "(?b", "(?e", "(?f")


def _body_suited(pattern: regex.Pattern[str]) -> bool:
    """True when the matches of a search limited to [lo, hi) of the body are exactly the body's
    matches inside [lo, hi), provided none of the body's matches lies over lo or hi and none is
    empty: a bounded (`_bounded`) pattern without edge-sensitive constructs, atomic groups or
    possessive quantifiers (`Prefilter._scannable`), lookaround, conditionals or fuzzy matching.
    Then every attempt at a position tries the same paths in the same order in both searches
    and each path consumes, and depends on, only characters inside the range: the body's scan
    tried and failed every position it skipped, so the range's scan fails there too, and where
    the body found a match inside the range the range finds the same one."""
    src = pattern.pattern.replace("(?P<", "")
    if any(t in src for t in _CONTEXT_TOKENS) or pattern.flags & (regex.BESTMATCH | regex.ENHANCEMATCH | regex.POSIX):
        return False
    return _bounded(pattern) and Prefilter._scannable(pattern)


class _BodyMatches:
    """The matches of a pattern in the body, sorted, non-overlapping and non-empty."""

    __slots__ = ("ends", "matches", "starts")

    def __init__(self, matches: list[regex.Match[str]]) -> None:
        self.matches = matches
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]

    def within(self, lo: int, hi: int) -> list[regex.Match[str]] | None:
        """The body's matches inside [lo, hi) of the body, or None when one lies over lo or hi."""
        starts = self.starts
        i = bisect_left(starts, lo)
        if i and self.ends[i - 1] > lo:
            return None
        j = bisect_left(starts, hi, i)
        if j > i and self.ends[j - 1] > hi:
            return None
        return self.matches[i:j]


class _Count(NamedTuple):
    value: Decimal
    unit: str
    start: int  # view indexes
    end: int
    before: str  # the text just before the number (same sentence)


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class RateConsistencyParams:
    # a stated rate; groups: stem (what the rate is of, e.g. 成功) and value (the percentage)
    rate_pattern: str = r"(?P<stem>\p{Han}{2})率[^\d，。；,;]{0,4}?(?P<value>\d{1,15}(?:\.\d{1,8})?)%"
    # a count; groups: value, unit and optionally wan (万)
    count_pattern: str = r"(?P<value>\d{1,15}(?:\.\d{1,8})?)(?P<wan>万)?(?P<unit>件|宗|起|人次|人|个|家|项|次|户|名|条|份|批|卷)"
    # words before the total (共调处7591件)
    total_markers: list[str] = field(default_factory=lambda: ["共", "总", "合计", "累计", "受理", "收到", "全年"])
    near: int = 8  # how many characters before a count are searched for the stem or a marker
    # a total's marker may stand further back in the count's own clause (全年受理消费者投诉举报2018件)
    clause_near: int = 16
    # counts may be stated this many sentences (split at 。；！？) before the rate. 0: only the
    # rate's own sentence, since a count in another sentence is often of another subject
    # (受理矛盾纠纷4630件,化解4512件。……信访事项一次性化解率92.6%)
    sentences_before: int = 0
    # the rate's head: this many Han characters (at most) right before the stem, within its
    # run (一次性化解率 -> 次性 + 化解), must stand before the part too: 化解4512件 is not the part
    # of 一次性化解率, 出庭应诉412件 is that of 出庭应诉率; 0: the stem alone
    head_chars: int = 2
    # with no marked total, the one count of the part's unit stated before it in the sentence (in
    # an earlier clause) is the total: 一审案件437件,出庭应诉412件,出庭应诉率97.25%
    lone_total: bool = True
    # how a stated rate may have been cut to its decimals: rounded (98.289 -> 98.29) or truncated
    # (98.289 -> 98.28, what a spreadsheet's "keep two decimals" often does): both are right
    roundings: list[str] = field(default_factory=lambda: ["half_up", "down"])
    # a count right before one of these is the total of the parts that follow (2018项,其中即办件1633项)
    total_leads: list[str] = field(default_factory=lambda: ["其中"])
    # rates against another base (last year's): 同比增长12件 is no part of this year's total
    skip_stems: list[str] = field(default_factory=lambda: ["增长", "下降", "减少", "降低", "提高", "提升", "上升", "同比", "环比", "增幅", "降幅"])


class RateConsistency(_Sentences):
    """Recompute rate = part / total from counts stated next to it; flag a difference beyond
    the rounding of the stated number of decimals."""

    name = "rate_consistency"
    Params = RateConsistencyParams

    def setup(self) -> None:
        self.rate = compile_pattern(self.params.rate_pattern)
        self.count = compile_pattern(self.params.count_pattern)
        unknown = [r for r in self.params.roundings if r not in _ROUNDINGS]
        if unknown:
            names = "、".join(_ROUNDINGS)
            raise ParamError("roundings", f"未知的取舍方式 {'、'.join(unknown)}(可用:{names})", f"unknown roundings {', '.join(unknown)} (known: {', '.join(_ROUNDINGS)})")

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        bm = self.body_matches(doc, self.rate)
        if bm is None:
            for para in doc.paragraphs:
                text = para.view.text
                sents = para.sentences()
                for k in self.candidates(self.rate, text, sents):
                    ss, se = sents[k]
                    for m in self.finditer(self.rate, text, ss, se):
                        yield from self._rate(para, sents, k, m, 0)
            return
        for para, off in self.visited(doc, bm, 1, Paragraph.sentences):
            text = para.view.text
            sents = para.sentences()
            for k, (ss, se) in enumerate(sents):
                ms, shift = self.range_matches(bm, self.rate, text, off, ss, se)
                for m in ms:
                    yield from self._rate(para, sents, k, m, shift)

    def _rate(self, para: Paragraph, sents: list[tuple[int, int]], k: int, m: regex.Match[str], shift: int) -> Iterator[Finding]:
        """The finding for the rate `m` of sentence k, if its counts disagree with it; `shift`:
        what to subtract from m's positions for the paragraph's (m may be a body match)."""
        p: RateConsistencyParams = self.params
        text = para.view.text
        ss = sents[k][0]
        at = m.start() - shift
        # counts of the rate's own sentence first; earlier sentences only when it has none
        own = self.search(self.count, text, ss, at)
        lo = ss if own else sents[max(0, k - p.sentences_before)][0]
        found = self._judge(text, lo, m, at, m.start("stem") - shift)
        if found is None:
            return
        part, total, expected = found
        vs, ve = m.span("value")
        s, e = para.view.doc_span(vs - shift, ve - shift)
        vals = {
            "stem": self._name(text, lo, m.start("stem") - shift, m.group("stem"), part.before),
            "stated": m.group("value"),
            "expected": expected,
            "part": _fmt(part.value),
            "total": _fmt(total.value),
            "unit": part.unit,
        }
        yield self.finding(s, e + 1, vals)

    def _head(self, text: str, lo: int, stem_at: int, stem: str) -> str:
        """The stem with the (at most head_chars) Han characters right before it in its run:
        一次性化解率 -> 次性化解, 出庭应诉率 -> 出庭应诉, ,办结率 -> 办结."""
        run = _HAN_BEFORE.match(text, lo, stem_at)
        q = run.group().rstrip("的之") if run is not None else ""
        n = self.params.head_chars
        return (q[-n:] if n > 0 else "") + stem

    @staticmethod
    def _name(text: str, lo: int, stem_at: int, stem: str, before: str) -> str:
        """The rate's name for messages: the longest end of its Han run (and stem) that the
        part's words hold too (负责人出庭应诉412件 -> 出庭应诉), at least the stem."""
        run = _HAN_BEFORE.match(text, lo, stem_at)
        whole = (run.group() if run is not None else "") + stem
        k = len(stem)
        while k < len(whole) and whole[-(k + 1) :] in before:
            k += 1
        return whole[-k:]

    def _judge(self, text: str, lo: int, m: regex.Match[str], at: int, stem_at: int) -> tuple[_Count, _Count, str] | None:
        """(part, total, recomputed) when the counts disagree with the rate (which starts at `at`
        of `text`, its stem at `stem_at`); None when they agree or when the counts behind the
        rate cannot be told apart."""
        p: RateConsistencyParams = self.params
        stem = m.group("stem")
        if stem in p.skip_stems:
            return None
        head = self._head(text, lo, stem_at, stem)
        # only the counts that can be a part (the stem just before) or a total (a marker, or a
        # list of its parts right after: 其中) matter; the others may be a competing base
        parts: list[_Count] = []
        totals: list[_Count] = []
        others: list[_Count] = []
        wan = "wan" in self.count.groupindex
        for c in self.finditer(self.count, text, lo, at):
            cs = c.start()
            before = text[max(lo, cs - p.near) : cs]
            after = text[c.end() : c.end() + 4].lstrip(",，:：(（ ")
            clause = text[max(lo, cs - p.clause_near) : cs]
            clause = clause[max(clause.rfind(ch) for ch in _CLAUSE_MARKS) + 1 :]
            if head in before:
                into = parts
            elif stem in before and not before[before.rfind(stem) + len(stem) :].strip(_COUNT_GLUE):
                return None  # the stem's own count, of another head (化解4512件 for 一次性化解率): quiet
            elif any(t in clause for t in p.total_markers) or any(after.startswith(t) for t in p.total_leads):
                into = totals
            else:
                into = others
            value = Decimal(c.group("value"))
            if wan and c.group("wan"):
                value *= 10000
            into.append(_Count(value, c.group("unit"), cs, c.end(), before))
        if parts and not totals and p.lone_total:
            # 一审案件437件,出庭应诉412件: no marker, but one count of the part's unit before it,
            # in an earlier clause; more than one, and the text does not say which is the base
            first = min(parts, key=lambda c: c.start)
            earlier = [c for c in others if c.unit == first.unit and c.end <= first.start]
            if len(earlier) == 1 and any(ch in text[earlier[0].end : first.start] for ch in _CLAUSE_MARKS):
                totals.append(earlier[0])
                others.remove(earlier[0])
        if not parts or not totals:
            return None
        stated = Decimal(m.group("value"))
        decimals = -stated.as_tuple().exponent if stated.as_tuple().exponent < 0 else 0  # type: ignore[operator]
        quantum = Decimal(1).scaleb(-decimals)
        best: tuple[int, _Count, _Count, str] | None = None
        pairs: set[tuple[Decimal, Decimal]] = set()
        for part in parts:
            for total in totals:
                if total.unit != part.unit or total.value <= 0 or part.value > total.value or total is part:
                    continue
                exact = part.value * 100 / total.value
                rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
                if any(exact.quantize(quantum, rounding=_ROUNDINGS[r]) == stated for r in p.roundings):
                    return None  # some pair agrees: the rate is consistent
                pairs.add((part.value, total.value))
                distance = abs(at - part.start) + abs(at - total.start)
                if best is None or distance < best[0]:
                    best = (distance, part, total, str(rounded))
        if best is None or len(pairs) > 1:
            return None  # no pair, or several that the text does not tell apart
        part, total = best[1], best[2]
        lo_pos, hi_pos = min(part.start, total.start), max(part.start, total.start)
        for c in others:
            if c.unit == part.unit and lo_pos < c.start < hi_pos and part.value <= c.value < total.value:
                return None  # a count between them may be the rate's real base (其中行政复议80件)
        return best[1], best[2], best[3]


_ROUNDINGS = {"half_up": ROUND_HALF_UP, "down": ROUND_DOWN, "up": ROUND_UP, "half_even": ROUND_HALF_EVEN}


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
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
        bm = self.body_matches(doc, self.count)
        if bm is None:
            for para in doc.paragraphs:
                text = para.view.text
                units = self._units(para)
                for k in self.candidates(self.count, text, units):
                    lo, hi = units[k]
                    yield from self._unit(para, lo, self.finditer(self.count, text, lo, hi), 0)
            return
        # a finding needs two counts in one unit: paragraphs and units with fewer are skipped
        for para, off in self.visited(doc, bm, 2, self._units):
            text = para.view.text
            for lo, hi in self._units(para):
                ms, shift = self.range_matches(bm, self.count, text, off, lo, hi)
                if len(ms) >= 2:
                    yield from self._unit(para, lo, ms, shift)

    def _unit(self, para: Paragraph, lo: int, matches: Iterable[regex.Match[str]], shift: int) -> Iterator[Finding]:
        """The findings among the counts `matches` of the unit starting at `lo`; `shift`: what
        to subtract from their positions for the paragraph's (they may be body matches)."""
        p: IndicatorConsistencyParams = self.params
        text = para.view.text
        seen: dict[tuple[str, str], _Count] = {}
        for m in matches:
            ms, me = m.start() - shift, m.end() - shift
            name = self._name(text, ms, lo)
            if not (p.min_name <= len(name) <= p.max_name + 6):
                continue
            value = Decimal(m.group("value")) * (10000 if m.group("wan") else 1)
            key = (name, m.group("unit"))
            first = seen.get(key)
            if first is None:
                seen[key] = _Count(value, m.group("unit"), ms, me, name)
                continue
            if first.value != value:
                s, e = para.view.doc_span(ms - len(name), me)
                vals = {"name": name, "first": text[first.start : first.end], "second": text[ms:me]}
                yield self.finding(s, e, vals)

    def _units(self, para: Paragraph) -> list[tuple[int, int]]:
        if self.params.within == "paragraph":
            return [(0, len(para.view.text))]
        return para.sentences()
