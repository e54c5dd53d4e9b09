"""Punctuation kinds (GB/T 15834): half-width marks in Chinese text, paired marks, doubled marks,
paragraphs without closing punctuation.

These kinds look at the *raw* characters (`doc.source.text`): the normalized view maps `，` to
`,`, so only the source tells a full-width comma from a half-width one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import regex

from fzlint.document.model import Document, Paragraph, TextView
from fzlint.patterns import lazy
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, compile_pattern
from fzlint.rules.model import Finding, Fix

_HAN = lazy(r"\p{Han}")
# Chinese context: Han characters and full-width CJK punctuation (as they appear in the view).
_CJK = lazy(r"[\p{Han}。、“”‘’《》〈〉【】〔〕…—·「」『』]")


# Per character, memoized: the checks ask about both neighbours of every mark.
_HAN_CHARS: dict[str, bool] = {"": False}
_CJK_CHARS: dict[str, bool] = {"": False}


def _is_han(ch: str) -> bool:
    known = _HAN_CHARS.get(ch)
    if known is None:
        known = _HAN_CHARS[ch] = _HAN.match(ch) is not None
    return known


def _is_cjk(ch: str) -> bool:
    known = _CJK_CHARS.get(ch)
    if known is None:
        known = _CJK_CHARS[ch] = _CJK.match(ch) is not None
    return known


def _body_start(p: Paragraph) -> int:
    """Where a paragraph's running text starts: after a heading marker (checked by D102)."""
    return p.heading.marker_end if p.heading is not None else 0


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class PunctuationWidthParams:
    # half-width mark -> full-width mark, for marks next to Chinese text
    marks: dict[str, str] = field(default_factory=lambda: {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"})
    # marks that are only wrong *between* Chinese characters (or Chinese then paragraph end)
    between_han: dict[str, str] = field(default_factory=lambda: {".": "。"})
    # a file where at least `wholesale_min` marks are half-width and they are at least this share
    # of all such marks was converted as a whole: one finding, not hundreds
    wholesale_share: float = 0.6
    wholesale_min: int = 5
    wholesale_severity: str = "info"
    # the wholesale finding's message and help when the rule also reports single marks (the
    # rule's own message and help otherwise)
    wholesale_message: str = ""
    wholesale_help: str = ""
    max_findings: int = 30
    # which findings this rule reports: the one wholesale finding, the individual marks, or both
    # (two rules on one kind let the conversion note be ignored or weighted on its own)
    report: Literal["both", "wholesale", "individual"] = "both"  # both | wholesale | individual


class _Hit(NamedTuple):
    start: int  # source offset of the mark
    raw: str
    expected: str


# (mark, judged only between Chinese characters, the full-width mark it should be)
_Spec = tuple[str, bool, str]


@dataclass(slots=True)
class _MarkScan:
    """One mark in the views of a document."""

    counts: dict[str, int]  # source character -> how many of the mark's places it is written with
    judged: list[tuple[int, int, _Hit]]  # (view number, index, hit): the places where the mark
    # itself is written and is wrong there


def _place(x: tuple[int, int, _Hit]) -> tuple[int, int]:
    return x[0], x[1]


def _views(doc: Document) -> Iterator[tuple[TextView, int]]:
    if doc.meta.title_span:
        s, e = doc.meta.title_span
        yield TextView(doc.norm[s:e], [0], [s]), 0
    for para in doc.paragraphs:
        # heading markers too: (一) becomes （一） with the rest; but the "." of a marker such as
        # "三." is a marker mistake (D102: 三、), not a sentence end to turn into "。"
        yield para.view, len(para.heading.marker) if para.heading is not None else 0


def _han_inside(text: str, i: int) -> bool:
    """An opening parenthesis whose content (up to its close) holds Chinese."""
    close = text.find(")", i + 1)
    return close > 0 and _HAN.search(text, i + 1, close) is not None


def _han_before(text: str, i: int) -> bool:
    opening = text.rfind("(", 0, i)
    return opening >= 0 and _HAN.search(text, opening + 1, i) is not None


_CLASS_RES: dict[frozenset[str], regex.Pattern[str]] = {}


def _scans(doc: Document, ctx: Context, specs: list[_Spec]) -> dict[_Spec, _MarkScan]:
    """The marks of the document, found once for the rules of this kind (the wholesale and the
    individual rule look at the same marks): {spec: scan}, kept in the document's context."""
    done: dict[_Spec, _MarkScan] = ctx.cache.setdefault("punctuation.scans", {})
    todo = {spec[0]: spec for spec in specs if spec not in done}
    if not todo:
        return done
    chars = frozenset(todo)
    marks_re = _CLASS_RES.get(chars)
    if marks_re is None:
        # one scan for the marks instead of a Python loop over every character
        marks_re = _CLASS_RES[chars] = regex.compile("[" + "".join(regex.escape(c) for c in sorted(chars)) + "]")
    found = {c: _MarkScan({}, []) for c in todo}
    raw = doc.source.text
    for v, (view, marker_len) in enumerate(_views(doc)):
        text = view.text
        n = len(text)
        # a view of one piece maps every index by one offset (TextView.to_doc)
        delta = view.doc_starts[0] - view.starts[0] if len(view.starts) == 1 else None
        for m in marks_re.finditer(text):
            i = m.start()
            ch = text[i]
            off = i + delta if delta is not None else view.to_doc(i)
            rch = raw[off]
            scan = found[ch]
            scan.counts[rch] = scan.counts.get(rch, 0) + 1
            if rch != ch:  # a full-width mark, or a full-width form not judged (．)
                continue
            _c, between, expected = todo[ch]
            prev = text[i - 1] if i > 0 else ""
            nxt = text[i + 1] if i + 1 < n else ""
            if between:
                if i < marker_len:
                    continue
                if _is_han(prev) and (_is_han(nxt) or nxt in ("", "\n")):
                    scan.judged.append((v, i, _Hit(off, rch, expected)))
                continue
            if prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum():
                continue  # 22:07, 1,299, a,b: not Chinese text
            if ch == "(" and not (_is_cjk(prev) or _is_cjk(nxt) or _han_inside(text, i)):
                continue
            if ch == ")" and not (_is_cjk(prev) or _is_cjk(nxt) or _han_before(text, i)):
                continue
            if ch not in "()" and not (_is_cjk(prev) or _is_cjk(nxt)):
                continue
            scan.judged.append((v, i, _Hit(off, rch, expected)))
    for c, spec in todo.items():
        done[spec] = found[c]
    return done


class PunctuationWidth(Check):
    """Half-width `, ; : ? ! ( ) .` inside Chinese text where the full-width mark belongs."""

    name = "punctuation_width"
    Params = PunctuationWidthParams

    def setup(self) -> None:
        p: PunctuationWidthParams = self.params
        self.full = set(p.marks.values()) | set(p.between_han.values())
        # how each mark is judged: between Chinese characters only, or next to Chinese text
        self.specs: list[_Spec] = [
            (c, True, p.between_han[c]) if c in p.between_han else (c, False, p.marks[c])
            for c in sorted(c for c in set(p.marks) | set(p.between_han) if len(c) == 1)
        ]

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: PunctuationWidthParams = self.params
        raw = doc.source.text
        if not self.specs:
            return
        placed_hits: list[tuple[int, int, _Hit]] = []  # marks a wholesale conversion produces (NFKC: ，-> ,)
        placed_lone: list[tuple[int, int, _Hit]] = []  # marks no conversion produces (。 never becomes .)
        full_count: dict[str, int] = {}  # full-width mark -> occurrences in Chinese text
        scans = _scans(doc, ctx, self.specs)
        for spec in self.specs:
            scan = scans[spec]
            for rch, k in scan.counts.items():
                if rch in self.full:
                    full_count[rch] = full_count.get(rch, 0) + k
            if spec[0] not in self.full:  # else the mark as written counts as full-width
                (placed_lone if spec[1] else placed_hits).extend(scan.judged)
        # in text order, as one pass over the views finds them
        hits = [h for _v, _i, h in sorted(placed_hits, key=_place)]
        lone = [h for _v, _i, h in sorted(placed_lone, key=_place)]
        if not hits and not lone:
            return
        # Per mark: a mark that is mostly half-width was converted as a whole (every comma ASCII).
        half: dict[str, int] = {}
        for h in hits:
            half[h.expected] = half.get(h.expected, 0) + 1
        share = {m: c / (c + full_count.get(m, 0)) for m, c in half.items()}
        bulk_marks = {m for m, c in half.items() if share[m] >= p.wholesale_share}
        if sum(half[m] for m in bulk_marks) < p.wholesale_min:
            bulk_marks = set()
        bulk = [h for h in hits if h.expected in bulk_marks]
        if bulk and p.report in ("both", "wholesale"):
            total = sum(half[m] + full_count.get(m, 0) for m in bulk_marks)
            yield self._wholesale(raw, bulk, len(bulk) / total)
        if p.report == "wholesale":
            return
        rest = [h for h in hits if h.expected not in bulk_marks] + lone
        for h in sorted(rest, key=lambda h: h.start)[: p.max_findings]:
            fix = Fix(h.start, h.start + 1, h.expected) if self.rule.fixable else None
            yield self.finding(h.start, h.start + 1, {"mark": h.raw, "expected": h.expected}, fix=fix)

    def _wholesale(self, raw: str, hits: list[_Hit], share: float) -> Finding:
        p: PunctuationWidthParams = self.params
        counts: dict[str, int] = {}
        for h in hits:
            counts[h.raw] = counts.get(h.raw, 0) + 1
        names = {",": "逗号", ";": "分号", ":": "冒号", "?": "问号", "!": "叹号", "(": "左括号", ")": "右括号", ".": "句号"}
        detail = "、".join(f"{names.get(m, m)} {c} 处" for m, c in sorted(counts.items(), key=lambda kv: -kv[1]))
        fix = None
        if self.rule.fixable:
            s, e = hits[0].start, hits[-1].start + 1
            if all(a.start < b.start for a, b in zip(hits, hits[1:])):
                # the text between the marks is copied in slices, not character by character
                parts: list[str] = []
                pos = s
                for h in hits:
                    parts.append(raw[pos : h.start])
                    parts.append(h.expected)
                    pos = h.start + 1
                fix = Fix(s, e, "".join(parts))
            else:
                chunk = list(raw[s:e])
                for h in hits:
                    chunk[h.start - s] = h.expected
                fix = Fix(s, e, "".join(chunk))
        first = hits[0]
        vals = {"count": len(hits), "detail": detail, "share": round(share * 100), "mark": first.raw, "expected": first.expected}
        return self.finding(
            first.start,
            first.start + 1,
            vals,
            message=p.wholesale_message or None,
            help=p.wholesale_help or None,
            severity=p.wholesale_severity,
            fix=fix,
        )


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class PairedMarksParams:
    pairs: dict[str, str] = field(default_factory=lambda: {"“": "”", "‘": "’", "《": "》", "(": ")", "【": "】", "〔": "〕"})
    # a closing bracket used as a list marker (1) a) 一)) is not an unmatched bracket
    list_marker: str = r"(?:^|(?<=[\s。;:,、；：，]))(?:\d{1,2}|[a-zA-Z]|[一二三四五六七八九十]{1,3})\)"
    max_findings: int = 20
    messages: dict[str, str] = field(default_factory=dict)  # unclosed | unopened | nesting


class PairedMarks(Check):
    """Quotes, book-title marks and brackets open and close in order within a paragraph."""

    name = "paired_marks"
    Params = PairedMarksParams

    def setup(self) -> None:
        p: PairedMarksParams = self.params
        self.closers = {v: k for k, v in p.pairs.items()}
        self.marker = compile_pattern(p.list_marker)
        # only these characters do anything in the scan below: visit them, not every character
        chars = sorted(c for c in set(p.pairs) | set(self.closers) if len(c) == 1)
        self.marks_re = regex.compile("[" + "".join(regex.escape(c) for c in chars) + "]") if chars else None

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: PairedMarksParams = self.params
        count = 0
        paras = doc.paragraphs
        for k, para in enumerate(paras):
            text = para.view.text
            skip: set[int] | None = None  # closers that end a list marker; found at the first closer
            stack: list[tuple[str, int]] = []
            problems: list[tuple[int, str, dict[str, str]]] = []
            found = self.marks_re.finditer(text, _body_start(para)) if self.marks_re is not None else ()
            for m in found:
                i = m.start()
                ch = text[i]
                if ch in p.pairs and not (ch == self.closers.get(ch)):
                    stack.append((ch, i))
                elif ch in self.closers:
                    if skip is None:
                        skip = {m.end() - 1 for m in self.finditer(self.marker, text, _body_start(para))}
                    if i in skip:
                        continue
                    want = self.closers[ch]
                    if stack and stack[-1][0] == want:
                        stack.pop()
                    elif any(o == want for o, _ in stack):
                        # closes an outer mark while an inner one is still open: wrong nesting
                        inner, _pos = stack[-1]
                        problems.append((i, "nesting", {"mark": ch, "inner": inner, "inner_close": p.pairs[inner]}))
                        while stack and stack[-1][0] != want:
                            stack.pop()
                        stack.pop()
                    else:
                        problems.append((i, "unopened", {"mark": ch, "open": want}))
            # a quotation running over several paragraphs opens each one and closes only the last
            next_text = paras[k + 1].view.text.lstrip() if k + 1 < len(paras) else ""
            for opener, i in stack:
                if opener in "“‘" and next_text.startswith(opener):
                    continue
                problems.append((i, "unclosed", {"mark": opener, "close": p.pairs[opener]}))
            for i, what, vals in sorted(problems):
                s, e = para.view.doc_span(i, i + 1)
                vals = {**vals, "mark": doc.source.text[s:e]}
                yield self.finding(s, e, vals, message=p.messages.get(what))
                count += 1
                if count >= p.max_findings:
                    return


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class DoubledMarksParams:
    # point marks that never stand twice in a row (…… and —— are not in this set)
    marks: str = "，。、；：？！,;:?!"
    max_findings: int = 30
    messages: dict[str, str] = field(default_factory=dict)  # mixed: two different marks in a row


class DoubledMarks(Check):
    """The same point mark twice (`,,` `。。`), or two different point marks in a row (`，。`)."""

    name = "doubled_marks"
    Params = DoubledMarksParams

    def setup(self) -> None:
        marks = sorted(set(self.params.marks))
        # runs of two or more marks, found by one scan per paragraph (leftmost, longest)
        self.runs = regex.compile("[" + "".join(regex.escape(c) for c in marks) + "]{2,}") if marks else None

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: DoubledMarksParams = self.params
        runs = self.runs
        if runs is None:
            return
        raw = doc.source.text
        count = 0
        for para in doc.paragraphs:
            text = para.view.text
            for m in runs.finditer(text, _body_start(para)):
                i, j = m.start(), m.end() - 1
                s, e = para.view.doc_span(i, j + 1)
                run = raw[s:e]
                same = len(set(text[i : j + 1])) == 1
                if same:
                    # keep the first mark as written (full- or half-width), drop the rest
                    fix = Fix(s, e, raw[s]) if self.rule.fixable and e - s == j + 1 - i else None
                    yield self.finding(s, e, {"run": run, "expected": raw[s]}, fix=fix)
                else:
                    yield self.finding(s, e, {"run": run, "expected": ""}, message=p.messages.get("mixed"))
                count += 1
                if count >= p.max_findings:
                    return


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class ParagraphEndParams:
    closing: str = "。！？；：…”’）)》】!?;:."
    min_chars: int = 15  # short lines (names, dates, table cells) are not paragraphs of prose
    max_findings: int = 10


class ParagraphEnd(Check):
    """A prose paragraph (not a heading) ends without closing punctuation."""

    name = "paragraph_end"
    Params = ParagraphEndParams

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: ParagraphEndParams = self.params
        closing = set(p.closing)
        raw = doc.source.text
        count = 0
        for para in doc.paragraphs:
            if para.heading is not None:
                continue
            text = para.view.text.rstrip()
            if len(text) < p.min_chars or not text:
                continue
            s, e = para.view.doc_span(len(text) - 1, len(text))
            if text[-1] in closing or raw[s:e] in closing:
                continue
            yield self.finding(s, e, {"last": raw[s:e]})
            count += 1
            if count >= p.max_findings:
                return
