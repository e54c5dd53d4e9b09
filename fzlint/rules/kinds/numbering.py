"""numbering: heading numbers (GB/T 9704 levels) and 一是/二是 enumerations in sequence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Literal, NamedTuple

from fzlint.document.build import heading_label
from fzlint.document.model import Document
from fzlint.document.normalize import cn_to_int, int_to_cn
from fzlint.patterns import lazy
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check
from fzlint.rules.model import Finding, Fix

# a lone digit between spaces before a year in the report's title ("关于 9 2019 年度…")
_TITLE_STRAY = lazy(r"(?<=[\p{Han} \t])[ \t]*(?<![\d.])(\d)[ \t]{1,4}(?=(?:19|20)\d\d[ \t]{0,3}年)")
_ENUM = lazy(r"(?:^|(?<=[。；;：:，,!！?？、\s]))([一二三四五六七八九十]{1,3})是(?=\p{Han}|“)")


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class NumberingParams:
    mode: Literal["headings", "markers", "levels", "enumeration", "stray_digit"] = "headings"  # headings | markers | levels | enumeration | stray_digit
    levels: list[int] = field(default_factory=lambda: [1, 2, 3, 4])
    # the message of each kind of problem (first | skip | repeat | order | misplaced | swap |
    # wrong; stray_digit: title, title_help), in the ruleset; the rule's message where missing
    messages: dict[str, str] = field(default_factory=dict)


class _Item(NamedTuple):
    number: int
    label: str
    start: int  # source offsets of the marker
    end: int


def _fits(nums: list[int]) -> bool:
    """Consecutive from the first number on."""
    return all(b == a + 1 for a, b in pairwise(nums))


def _each_problem(items: list[_Item], prev: _Item | None) -> Iterator[tuple[_Item, str, dict[str, str]]]:
    """Every marker that does not follow the one before it."""
    for it in items:
        if prev is None:
            if it.number != 1:
                yield it, "first", {"marker": it.label, "expected": ""}
        elif it.number == prev.number + 1:
            pass
        elif it.number > prev.number + 1:
            yield it, "skip", {"marker": it.label, "prev": prev.label}
        elif it.number == prev.number:
            yield it, "repeat", {"marker": it.label, "prev": prev.label}
        else:
            yield it, "order", {"marker": it.label, "prev": prev.label}
        prev = it


def _one_mistake(run: list[_Item]) -> tuple[_Item, str, dict[str, str]] | None:
    """The one marker that, taken out, renumbered or swapped with the next, leaves `run` in
    sequence: 一是 三是 二是 三是 (the first 三是 is out of place), 一是 二是 二是 四是 (the second 二是
    should be 三是), 一是 三是 二是 四是 (swapped). None when no single marker does (a marker missing
    at the end is a skip, not a misplaced one)."""
    nums = [it.number for it in run]
    for j in range(1, len(run) - 1):
        if _fits([*nums[:j], nums[j + 1], nums[j], *nums[j + 2 :]]):
            it = run[j]
            return it, "swap", {"marker": it.label, "prev": run[j - 1].label, "next": run[j + 1].label}
    for j in range(len(run) - 1, 0, -1):  # the later of two equal markers is the repeat
        if j == len(run) - 1 and nums[j] > nums[j - 1]:
            continue  # 一是 二是 四是: 三是 is missing (or 四是 mistyped): a skip
        if _fits(nums[:j] + nums[j + 1 :]):
            it, before = run[j], run[j - 1]
            if it.number == before.number:
                return it, "repeat", {"marker": it.label, "prev": before.label}
            if j == len(run) - 1:
                return it, "order", {"marker": it.label, "prev": before.label}
            return it, "misplaced", {"marker": it.label, "prev": before.label, "next": run[j + 1].label}
    for j in range(1, len(run) - 1):
        if _fits([*nums[:j], nums[0] + j, *nums[j + 1 :]]):
            it = run[j]
            return it, "wrong", {"marker": it.label, "prev": run[j - 1].label, "should": str(nums[0] + j)}
    return None


def _sequence_problems(items: list[_Item], restart_at_one: bool) -> Iterator[tuple[_Item, str, dict[str, str]]]:
    """The markers out of sequence. A run (from one 一是 to the next, with `restart_at_one`) that
    one misplaced or misnumbered marker puts out of sequence is one problem, reported once."""
    runs: list[list[_Item]] = []
    for it in items:
        if not runs or (restart_at_one and it.number == 1):
            runs.append([it])
        else:
            runs[-1].append(it)
    for run in runs:
        nums = [it.number for it in run]
        if nums[0] == 1 and _fits(nums):
            continue
        single = _one_mistake(run) if nums[0] == 1 else None
        if single is not None:
            yield single
            continue
        yield from _each_problem(run, None)


_NUMERAL = lazy(r"[一二三四五六七八九十]+|\d+")


def _renumber(raw: str, tail: list[_Item], first: int, level: int) -> Fix | None:
    """Renumber a skipped heading and every heading after it on the same level, as one fix.

    Safe only when this skip is the level's only problem, so the tail runs on consecutively
    from the skipped number (一 二 四 五 -> 一 二 三 四); the text between markers is kept.
    """
    start, end = tail[0].start, tail[-1].end
    out: list[str] = []
    pos = start
    for k, it in enumerate(tail):
        marker = raw[it.start : it.end]
        m = _NUMERAL.search(marker)
        if m is None:
            return None
        n = first + k
        numeral = int_to_cn(n) if level in (1, 2) else str(n)
        out.append(raw[pos : it.start])
        out.append(marker[: m.start()] + numeral + marker[m.end() :])
        pos = it.end
    return Fix(start, end, "".join(out))


def _in_house_brackets(doc: Document, marker: str) -> str:
    """Write a bracketed marker with the brackets the document itself uses (（一） in Word files)."""
    text = doc.source.text
    if text.count("（") > text.count("("):
        return marker.replace("(", "（").replace(")", "）")
    return marker


class Numbering(Check):
    name = "numbering"
    Params = NumberingParams

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        mode = self.params.mode
        if mode == "headings":
            yield from self._headings(doc)
        elif mode == "markers":
            yield from self._markers(doc)
        elif mode == "levels":
            yield from self._levels(doc)
        elif mode == "enumeration":
            yield from self._enumerations(doc)
        elif mode == "stray_digit":
            yield from self._stray_digits(doc)

    def _headings(self, doc: Document) -> Iterator[Finding]:
        for sec in doc.root.walk():
            by_level: dict[int, list[_Item]] = {}
            for child in sec.children:
                h, para = child.heading, child.paragraph
                if h is None or para is None or h.level not in self.params.levels:
                    continue
                s, e = para.view.doc_span(0, len(h.marker))
                by_level.setdefault(h.level, []).append(_Item(h.number, doc.source.text[s:e], s, e))
            for level, items in by_level.items():
                problems = list(_sequence_problems(items, restart_at_one=False))
                for it, kind, vals in problems:
                    vals["expected"] = heading_label(level, 1)
                    if kind == "wrong":
                        vals["should"] = heading_label(level, int(vals["should"]))
                    fix = None
                    if kind == "skip":
                        prev_n = items[items.index(it) - 1].number
                        vals["missing"] = "".join(f"“{heading_label(level, k)}”" for k in range(prev_n + 1, it.number))
                        if self.rule.fixable and len(problems) == 1:
                            fix = _renumber(doc.source.text, items[items.index(it) :], prev_n + 1, level)
                    yield self.finding(it.start, it.end, vals, message=self._msg(kind), fix=fix)

    def _msg(self, kind: str) -> str:
        return self.params.messages.get(kind) or self.rule.message

    def _markers(self, doc: Document) -> Iterator[Finding]:
        for p in doc.paragraphs:
            h = p.heading
            if h is None or h.malformed is None or h.level not in self.params.levels:
                continue
            s, e = p.view.doc_span(0, len(h.marker))
            expected = _in_house_brackets(doc, h.expected_marker) if h.expected_marker else None
            fix = Fix(s, e, expected) if expected else None
            yield self.finding(s, e, {"marker": doc.source.text[s:e], "expected": expected or "", "reason": h.malformed}, fix=fix if self.rule.fixable else None)

    def _stray_digits(self, doc: Document) -> Iterator[Finding]:
        """A page number run into a heading by PDF extraction (Heading.stray_digit)."""
        text = doc.source.text
        for p in doc.paragraphs:
            h = p.heading
            if h is None or h.stray_digit is None or h.level not in self.params.levels:
                continue
            s, e = h.stray_digit
            fix = Fix(s, e, "") if self.rule.fixable else None
            hs, he = p.view.doc_span(0, h.title_end)
            vals = {"digit": text[s], "heading": text[hs:he].strip(), "marker": h.marker, "title": h.title}
            yield self.finding(s, s + 1, vals, fix=fix)
        # the report's title and subtitles: a lone digit between spaces before a year
        spans = [doc.meta.title_span] + [span for _t, span, _y in doc.meta.alt_titles]
        for span in spans:
            if span is None:
                continue
            ts, te = span
            for m in _TITLE_STRAY.finditer(doc.norm, ts, te):
                s, e = m.span(1)[0], m.end()
                fix = Fix(s, e, "") if self.rule.fixable else None
                shown = text[ts:te].strip()
                vals = {"digit": m.group(1), "heading": shown, "fixed": (text[ts:s] + text[e:te]).strip()}
                yield self.finding(s, s + 1, vals, fix=fix, message=self._msg("title"), help=self.params.messages.get("title_help"))

    def _levels(self, doc: Document) -> Iterator[Finding]:
        # one finding per heading whose children skip a level (一、 then 1. 2. 3.): the layout of
        # that part, said once at its first such child
        for sec in doc.root.walk():
            if sec.heading is None or sec.paragraph is None:
                continue
            skipped = [c for c in sec.children if c.heading is not None and c.paragraph is not None and c.level > sec.level + 1]
            if not skipped:
                continue
            first = skipped[0]
            assert first.heading is not None and first.paragraph is not None
            s, e = first.paragraph.view.doc_span(0, len(first.heading.marker))
            missing = heading_label(sec.level + 1, 1)
            markers = "".join(f"“{c.heading.marker}”" for c in skipped[:3] if c.heading is not None) + ("等" if len(skipped) > 3 else "")
            values = {"marker": first.heading.marker, "markers": markers, "count": len(skipped), "parent": sec.heading.marker, "missing": missing}
            yield self.finding(s, e, values)

    def _enumerations(self, doc: Document) -> Iterator[Finding]:
        for sec in doc.root.walk():
            items: list[_Item] = []
            paras = ([sec.paragraph] if sec.paragraph is not None else []) + sec.paragraphs
            for p in paras:
                text = p.view.text
                if "是" not in text:
                    continue  # every enumeration marker holds 是: most paragraphs need no scan
                start = p.heading.title_end if p.heading is not None else 0
                for m in _ENUM.finditer(text, start):
                    n = cn_to_int(m.group(1))
                    if n:
                        s, e = p.view.doc_span(m.start(), m.end())
                        items.append(_Item(n, f"{m.group(1)}是", s, e))
            for it, kind, vals in _sequence_problems(items, restart_at_one=True):
                vals["expected"] = "一是"
                if kind == "wrong":
                    vals["should"] = f"{int_to_cn(int(vals['should']))}是"
                if kind == "skip":
                    prev_n = items[items.index(it) - 1].number
                    vals["missing"] = "".join(f"“{int_to_cn(k)}是”" for k in range(prev_n + 1, it.number))
                title = sec.heading.marker + sec.heading.title if sec.heading else "正文开头"
                vals["section"] = title
                yield self.finding(it.start, it.end, vals, message=self._msg(kind))

