"""required_element: a required part of the report, found by its heading, only inline, or missing.

It records where the part is (ctx.elements) so that other rules can look inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import regex

from fzlint.document.model import Document, Paragraph, Section
from fzlint.patterns import lazy
from fzlint.rules.context import Context, ElementHit
from fzlint.rules.kinds.base import (
    Check,
    _analysis,
    anchor,
    compile_pattern,
    required_items,
)
from fzlint.rules.model import Finding

# Constructs whose meaning changes when a pattern becomes one branch of a bigger one:
# back-references (\1, \g<x>, \k<x>) and named groups (renumbered, clashing), recursion,
# inline flags (global in a pattern of their own) and anything else written "(?" + a letter,
# digit, "&", "(", "|" or "#".
_NOT_UNIONABLE = lazy(r"\\(?:[1-9]|[gk])|\(\?(?![:=!>]|<[=!])")


# What a search of a sentence slice may see that a search of the whole paragraph from the
# sentence's start would not: anchors and word boundaries at the slice's edges, negative
# lookaround, flags. Without them a match in the slice is a match in the paragraph at the same
# place, so a paragraph whose next match starts after a sentence rules the sentence out.
_SLICE_SENSITIVE = lazy(r"\^|\$|\\[AbBGKmMzZ]|\(\?(?![:=]|<=)")


def range_safe(pattern: regex.Pattern[str]) -> bool:
    """True when every match of `pattern` in a slice of a text is a match in the text itself."""
    src = pattern.pattern
    if not isinstance(src, str) or pattern.flags & (regex.REVERSE | regex.MULTILINE | regex.WORD | regex.VERBOSE):
        return False
    return _SLICE_SENSITIVE.search(src.replace("\\\\", "").replace("[^", "[")) is None


_V1_SETS = ("[[", "--", "&&", "||", "~~")  # V1 set operations: the stdlib parser reads them otherwise


def anchored_first_chars(src: str) -> frozenset[str] | None:
    """The characters a match of `src` can start with, when every match is anchored at the
    start of the text (^) and consumes at least one character; None when that is not so or not
    sure. A sentence starting with none of them cannot match, so it need not be searched.

    Only plain literals, literal classes, groups, alternation and repeats are followed (parsed
    with the standard library's parser, which knows these the same way); anything else (\\p,
    \\d, ".", lookaround, flags) gives None."""
    if any(x in src for x in _V1_SETS):
        return None
    try:
        import re._constants as sre
        import re._parser as sre_parse

        parsed = sre_parse.parse(src)
    except Exception:  # noqa: BLE001 - syntax the stdlib parser lacks (\\p{Han} …): not analysed
        return None
    if parsed.state.flags & ~sre.SRE_FLAG_UNICODE:
        return None

    def first(seq: object, anchored: bool) -> tuple[set[str], bool, bool] | None:
        """(first characters, can match empty, anchored at its end) of a parsed sequence."""
        chars: set[str] = set()
        for op, av in seq:  # type: ignore[attr-defined]
            if op is sre.AT:
                if av not in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
                    return None
                anchored = True
                continue
            if op is sre.LITERAL or op is sre.IN:
                if not anchored:
                    return None
                if op is sre.LITERAL:
                    chars.add(chr(av))
                else:
                    for iop, iav in av:
                        if iop is sre.LITERAL:
                            chars.add(chr(iav))
                        elif iop is sre.RANGE and iav[1] - iav[0] < 4096:
                            chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
                        else:
                            return None  # negated sets, categories …
                return chars, False, anchored
            if op is sre.SUBPATTERN:
                if av[1] or av[2]:
                    return None  # scoped flags
                sub = first(av[3], anchored)
            elif op is sre.BRANCH:
                subs = [first(b, anchored) for b in av[1]]
                if any(x is None for x in subs):
                    return None
                sub = (set().union(*(x[0] for x in subs)), any(x[1] for x in subs), all(x[2] for x in subs))  # type: ignore[index]
            elif op is sre.MAX_REPEAT or op is sre.MIN_REPEAT:
                inner = first(av[2], anchored)
                if inner is None or inner[2] != anchored:
                    return None
                sub = (inner[0], inner[1] or av[0] == 0, anchored)
            else:
                return None  # ".", categories, lookaround, back-references …
            if sub is None:
                return None
            chars |= sub[0]
            anchored = sub[2]
            if not sub[1]:
                return chars, False, anchored
        return chars, True, anchored

    found = first(parsed, False)
    if found is None or found[1] or not found[0]:
        return None
    return frozenset(found[0])


def any_of(patterns: list[str]) -> regex.Pattern[str] | None:
    """One pattern that matches a text exactly when one of `patterns` does (a search, for a yes
    or no; the spans may differ), so a piece of text costs one search instead of one per pattern.
    None when a pattern uses a construct that a union could change (see _NOT_UNIONABLE)."""
    if not patterns or any(_NOT_UNIONABLE.search(x.replace("\\\\", "")) for x in patterns):
        return None
    try:
        return compile_pattern("|".join(f"(?:{x})" for x in patterns))
    except regex.error:
        return None


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class RequiredElementParams:
    element: str  # id used in the JSON element table, e.g. "problems"
    label: str  # Chinese name, e.g. "存在的不足和原因"
    headings: list[str] = field(default_factory=list)  # patterns on heading titles
    # patterns on sentences; a group named next_year must hold a year after the report year when
    # that year is known ("2022年,我局将……" is the plan in a 2021 report, not in a 2022 one)
    inline: list[str] = field(default_factory=list)
    heading_levels: list[int] = field(default_factory=lambda: [1, 2])
    within: str | None = None  # look only inside this located part (causes within problems)
    not_within: list[str] = field(default_factory=list)  # parts whose sections never count
    inline_severity: str | None = "warning"  # None: being only inline is fine
    inline_message: str = ""
    inline_help: str = ""
    fallback_topical: bool = False  # measures: topical level-1 headings stand for the part
    optional: bool = False  # no finding when missing (其他需要报告的情况)
    # A part found inline at the start of a paragraph (an unheaded "下一步,我局将重点抓好以下工作:"
    # or "2021年,我市法治政府建设……但仍存在一些不足") runs on over the following paragraphs of its
    # section; and wherever it starts, it ends any part located before it (parts do not overlap).
    inline_runs_on: bool = False
    # a short line of its own without a heading number ("存在的问题和不足" in a copy that lost
    # the numbers) that matches a heading pattern is the part's heading; it runs on like above
    title_lines: bool = False
    # a missing part is reported for these kinds of issuer always, for the others only when the
    # body matches `applies_if` (三项制度: a department that never mentions 执法 may have no
    # enforcement powers; its missing 三项制度 is no defect a reviewer would sign)
    always_for: list[str] = field(default_factory=lambda: ["government", "department", "township"])
    applies_if: str | None = None


# For one search, what a text must contain for it to match: one tuple per branch (the search
# matches only where a branch does), each holding the branch's required literals and character
# sets (base.required_items). A branch with nothing sure makes the whole test None.
_Needs = tuple[tuple[str | frozenset[str], ...], ...]


# A brace that is not a counted repeat: regex reads {e<=1} as fuzzy matching, which the stdlib
# parser takes for literal characters (a match need not hold them).
_FUZZY_OR_BRACE = lazy(r"\{(?![\d,])")


def required_sets(src: str) -> tuple[frozenset[str], ...]:
    """Sets of characters such that every match of `src` holds a character of each: one per
    group or class the pattern cannot match without (下一?步|今后|明年) -> {下, 今, 明}. These
    complement base.required_items, which gives nothing for an alternation of words.

    Only plain literals, literal classes, groups, alternation and repeats are followed (parsed
    with the standard library's parser, which reads these as regex does); lookarounds and
    anchors are passed over (they consume nothing); anything else the parser cannot read, or
    flags, give nothing."""
    if any(x in src for x in _V1_SETS) or _FUZZY_OR_BRACE.search(src):
        return ()
    try:
        import re._constants as sre
        import re._parser as sre_parse

        parsed = sre_parse.parse(src)
    except Exception:  # noqa: BLE001 - syntax the stdlib parser lacks (\p{Han} …): nothing sure
        return ()
    if parsed.state.flags & ~sre.SRE_FLAG_UNICODE:
        return ()

    def one_of(op: object, av: object) -> frozenset[str] | None:
        """A set one character of which every match of this item holds, or None."""
        if op is sre.LITERAL:
            return frozenset(chr(av))  # type: ignore[arg-type]
        if op is sre.IN:
            chars: set[str] = set()
            for iop, iav in av:  # type: ignore[attr-defined]
                if iop is sre.LITERAL:
                    chars.add(chr(iav))
                elif iop is sre.RANGE and iav[1] - iav[0] < 256:
                    chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
                else:
                    return None  # negated sets, categories …
            return frozenset(chars)
        if op is sre.SUBPATTERN:
            if av[1] or av[2]:  # type: ignore[index]
                return None  # scoped flags
            return first_sure(av[3])  # type: ignore[index]
        if op is sre.BRANCH:
            found: set[str] = set()
            for b in av[1]:  # type: ignore[index]
                sub = first_sure(b)
                if sub is None:
                    return None
                found |= sub
            return frozenset(found)
        if op is sre.MAX_REPEAT or op is sre.MIN_REPEAT:
            if av[0] < 1:  # type: ignore[index]
                return None
            inner = av[2]  # type: ignore[index]
            return first_sure(inner)
        return None

    def first_sure(seq: object) -> frozenset[str] | None:
        """The first item of a sequence that gives a set (a sequence matches only if it does)."""
        for op, av in seq:  # type: ignore[attr-defined]
            found = one_of(op, av)
            if found is not None:
                return found
        return None

    out: list[frozenset[str]] = []
    for op, av in parsed:
        found = one_of(op, av)
        if found is not None and found not in out:
            out.append(found)
    return tuple(out)


def _plain(r: regex.Pattern[str]) -> bool:
    """No flag that changes which characters a match holds, or how the source reads."""
    return isinstance(r.pattern, str) and not r.flags & (regex.IGNORECASE | regex.VERBOSE)  # V1 sets FULLCASE: only IGNORECASE uses it


def _sets_of(r: regex.Pattern[str]) -> tuple[frozenset[str], ...]:
    """`required_sets` of a pattern, remembered across runs (parsing costs ~1 ms a pattern)."""
    return tuple(_analysis("sets", r, lambda p: required_sets(p.pattern) if _plain(p) else ()))  # type: ignore[no-any-return]


def _first_chars(r: regex.Pattern[str]) -> frozenset[str] | None:
    """`anchored_first_chars` of a pattern, remembered across runs."""
    return _analysis("first", r, lambda p: anchored_first_chars(p.pattern))  # type: ignore[no-any-return]


def _needs(branches: list[regex.Pattern[str]]) -> _Needs | None:
    found = tuple(required_items(r) + _sets_of(r) for r in branches)
    return None if not found or any(not items for items in found) else found


def _may_match(needs: _Needs, text: str) -> bool:
    """False when no branch can match `text`: each lacks a literal or character it requires."""
    for items in needs:
        for it in items:
            if isinstance(it, str):
                if it not in text:
                    break
            elif it.isdisjoint(text):
                break
        else:
            return True
    return False


_TITLE_LINE_MAX = 30  # characters: an unnumbered title line is short …
_TITLE_PUNCT = lazy(r"[,，。;；:：、!！?？“”《》()（）]")  # … and has no punctuation


def _body_start(p: Paragraph) -> int:
    """Where a paragraph's own text starts (after a heading's title)."""
    return p.heading.title_end if p.heading is not None else 0


class RequiredElement(Check):
    name = "required_element"
    Params = RequiredElementParams
    phase = 0

    def setup(self) -> None:
        p: RequiredElementParams = self.params
        self.applies_re = compile_pattern(p.applies_if) if p.applies_if else None
        self.heading_res = [compile_pattern(x) for x in p.headings]
        self.inline_res = [compile_pattern(x) for x in p.inline]
        # every title and sentence is asked "does any pattern match?": one search of the union
        heading_any = any_of(p.headings)
        inline_any = any_of(p.inline)
        self.heading_any = [heading_any] if heading_any is not None else self.heading_res
        self.inline_any = [inline_any] if inline_any is not None else self.inline_res
        self.inline_safe = [range_safe(r) for r in self.inline_any]
        # Worked out on first use (about a millisecond: not at every start) and shared by the
        # copies the engine binds to each document: "inline_first" (an anchored pattern (^…) can
        # only match a sentence starting with one of these), "heading_needs" (per heading search:
        # what a title must contain to match it, see _title_needs), "inline_needs" (the same for
        # sentences).
        self._lazy: dict[str, Any] = {}

    # ------------------------------------------------------------------------------------
    def _blocked(self, ctx: Context) -> set[int]:
        ids: set[int] = set()
        for other in self.params.not_within:
            hit = ctx.elements.get(other)
            if hit and hit.status == "heading":
                ids.update(p.index for p in hit.paragraphs)
        return ids

    def _find_heading(self, doc: Document, ctx: Context, allowed: set[int] | None) -> Section | None:
        blocked = self._blocked(ctx)
        levels = self.params.heading_levels
        res = self.heading_any
        # The part is the first matching heading of the highest level that has a match. The
        # heading paragraphs in document order are the sections in doc.sections() order (a
        # pre-order walk of the outline); taking them level by level, the first match is the
        # part and the lower levels (most headings) need no search.
        candidates: list[tuple[int, int, Section, str]] = []
        for para in doc.paragraphs:
            h = para.heading
            if h is None or h.level not in levels:
                continue
            sec = para.section
            if sec is None or sec.paragraph is not para:
                continue
            if para.index in blocked or (allowed is not None and para.index not in allowed):
                continue
            candidates.append((h.level, para.index, sec, h.title))
        candidates.sort(key=lambda c: (c[0], c[1]))
        needs: list[_Needs | None] | None = self._lazy.get("heading_needs")
        if needs is None:
            # a union (heading_any of one pattern) matches where one of its branches does
            union = len(res) == 1 and len(self.heading_res) > 1
            needs = self._lazy["heading_needs"] = [_needs(self.heading_res) if union else _needs([r]) for r in res]
        for _level, _index, sec, title in candidates:
            # a title lacking what every branch of a search requires is not searched (most
            # titles, for a part named by a word such as 三项制度 or 其他…情况)
            if any((nd is None or _may_match(nd, title)) and self.search_direct(r, title) for r, nd in zip(res, needs)):
                return sec
        return None

    def _find_title_line(self, doc: Document, ctx: Context, allowed: set[int] | None) -> Paragraph | None:
        """The first unnumbered title line (a short paragraph without punctuation) that matches a
        heading pattern, outside the numbered parts listed in not_within."""
        blocked: set[int] = set()
        for other in self.params.not_within:
            hit = ctx.elements.get(other)
            if hit and hit.status == "heading" and not hit.detail.get("title_line"):
                blocked.update(x.index for x in hit.paragraphs)
        for para in doc.paragraphs:
            text = para.view.text
            if para.heading is not None or len(text) > _TITLE_LINE_MAX or _TITLE_PUNCT.search(text.rstrip(":：")):
                continue
            if para.index in blocked or (allowed is not None and para.index not in allowed):
                continue
            if any(self.search_direct(r, text) for r in self.heading_any):
                return para
        return None

    def _find_inline(self, doc: Document, ctx: Context, paragraphs: list[Paragraph]) -> tuple[Paragraph, int, int] | None:
        blocked = self._blocked(ctx)
        res = self.inline_any
        safe = self.inline_safe
        firsts: list[frozenset[str] | None] | None = self._lazy.get("inline_first")
        if firsts is None:
            firsts = self._lazy["inline_first"] = [None if safe[k] else _first_chars(r) for k, r in enumerate(res)]
        if not res:
            return None
        needs = self._lazy.get("inline_needs")  # the same for sentences
        if needs is None:
            union = len(res) == 1 and len(self.inline_res) > 1  # inline_any is the union
            needs = self._lazy["inline_needs"] = [_needs(self.inline_res) if union else _needs([r]) for r in res]
        ordered = [p for p in paragraphs if p.index not in blocked] + [p for p in paragraphs if p.index in blocked]
        for p in ordered:
            text = p.view.text
            body_start = p.heading.title_end if p.heading is not None else 0
            # per range-safe pattern: where its next match in the paragraph starts (-2: not
            # searched yet, -1: none); only a sentence holding that start can match
            ahead = [-2] * len(res)
            for s, e in p.sentences():
                if e <= body_start:
                    continue  # a heading's own title is not inline text
                s = max(s, body_start)
                sentence: str | None = None
                for k, r in enumerate(res):
                    if firsts[k] is not None and text[s] not in firsts[k]:  # type: ignore[operator]
                        continue  # the sentence starts with no character a match can start with
                    if safe[k]:
                        f = ahead[k]
                        if f == -2 or 0 <= f < s:
                            # the first match from s (one found from an earlier start is still
                            # the first while it starts at or after s: lookbehind sees the text
                            # before a search's start, so where r matches does not depend on it)
                            m = self.search_direct(r, text, s)
                            f = ahead[k] = m.start() if m is not None else -1
                        if f < 0 or f > e:
                            continue  # an empty match may sit at e itself, hence ">"
                    if sentence is None:
                        sentence = text[s:e]  # matched alone, so ^ anchors at the sentence start
                    if needs[k] is not None and not _may_match(needs[k], sentence):  # type: ignore[arg-type]
                        continue  # lacks what every branch requires
                    m = self.search_direct(r, sentence)
                    if m is not None and self._year_fits(m, ctx):
                        return p, s, e
        return None

    @staticmethod
    def _year_fits(m: regex.Match[str], ctx: Context) -> bool:
        """A match naming a year as a coming one ("2022年,我局将……") fits only a year after the
        report year: "2021年,我局将法治建设纳入……" in a 2021 report tells what was done (a plan
        for a wrong later year is still the plan, for FZ302 to judge)."""
        if "next_year" not in m.re.groupindex or m.group("next_year") is None or ctx.year is None:
            return True
        return int(m.group("next_year")) > ctx.year

    def locate(self, doc: Document, ctx: Context) -> ElementHit:
        p: RequiredElementParams = self.params
        allowed: set[int] | None = None
        pool = doc.paragraphs
        if p.within:
            parent = ctx.elements.get(p.within)
            if parent is None or parent.status == "missing":
                return ElementHit(p.element, p.label, "missing", detail={"parent_missing": True})
            pool = parent.paragraphs
            allowed = {x.index for x in pool}
        sec = self._find_heading(doc, ctx, allowed)
        if sec is not None and sec.paragraph is not None:
            para = sec.paragraph
            h = sec.heading
            assert h is not None
            s, e = para.view.doc_span(0, h.title_end)
            hit = ElementHit(p.element, p.label, "heading", s, e, para.line, doc.source.text[s:e], sec.all_paragraphs(), [sec])
            if p.within and self.inline_res:
                # a heading that names the part (…和原因) still needs the content to be there
                inner = self._find_inline(doc, ctx, [x for x in sec.all_paragraphs()])
                if inner is None:
                    hit.detail["heading_only"] = True
                else:
                    ip, s2, e2 = inner
                    hit.detail["inline_evidence"] = ip.view.doc_span(s2, e2)
            return hit
        if p.title_lines:
            found_title = self._find_title_line(doc, ctx, allowed)
            if found_title is not None:
                s, e = found_title.view.doc_span(0, len(found_title.view.text))
                paras = self._run_on(doc, ctx, found_title)
                return ElementHit(p.element, p.label, "heading", s, e, found_title.line, doc.source.text[s:e], paras, [], {"title_line": True, "runs_on": True})
        if p.fallback_topical:
            claimed: set[int] = set()
            for other in ctx.elements.values():
                if other.status == "heading":
                    claimed.update(x.index for x in other.paragraphs)
            # the report's top headings (一、 or, in short reports, (一)) not claimed by another part
            top_level = min((c.level for c in doc.root.children), default=1)
            topical = [
                c for c in doc.root.children
                if c.paragraph is not None and c.level == top_level and c.paragraph.index not in claimed
            ]
            if topical:
                first = topical[0]
                assert first.paragraph is not None and first.heading is not None
                s, e = first.paragraph.view.doc_span(0, first.heading.title_end)
                paras = [x for c in topical for x in c.all_paragraphs()]
                return ElementHit(p.element, p.label, "heading", s, e, first.paragraph.line, doc.source.text[s:e], paras, topical, {"topical": True})
        found = self._find_inline(doc, ctx, pool)
        if found is not None:
            para, s0, e0 = found
            s, e = para.view.doc_span(s0, e0)
            paras = [para]
            detail: dict[str, object] = {}
            if p.inline_runs_on and s0 <= _body_start(para):
                paras = self._run_on(doc, ctx, para)
                detail["runs_on"] = True
            return ElementHit(p.element, p.label, "inline", s, e, para.line, doc.source.text[s:e].strip(), paras, [], detail)
        if p.fallback_topical and doc.paragraphs:
            claimed = set()
            for other in ctx.elements.values():
                claimed.update(x.index for x in other.paragraphs)
            rest = [x for x in doc.paragraphs if x.index not in claimed]
            if rest:
                s, e = rest[0].view.doc_span(0, min(30, len(rest[0].view.text)))
                return ElementHit(p.element, p.label, "inline", s, e, rest[0].line, doc.source.text[s:e], rest, [])
        return ElementHit(p.element, p.label, "missing", detail={"optional": p.optional})

    @staticmethod
    def _run_on(doc: Document, ctx: Context, para: Paragraph) -> list[Paragraph]:
        """The paragraph a part starts with and those after it in its section: up to the next
        heading of the section's level or above, or the first paragraph of a part already found."""
        level = para.section.level if para.section is not None and para.heading is None else (para.heading.level if para.heading else 0)
        taken = {x.paragraphs[0].index for x in ctx.elements.values() if x.paragraphs and x.status != "missing"}
        out = [para]
        for nxt in doc.paragraphs[para.index + 1 :]:
            if (nxt.heading is not None and nxt.heading.level <= level) or nxt.index in taken:
                break
            out.append(nxt)
        return out

    @staticmethod
    def _end_earlier_parts(ctx: Context, hit: ElementHit) -> None:
        """A part ends where the next one begins: cut the paragraphs of parts located earlier at
        this part's first paragraph (a heading part holding an unheaded plan, an inline part run on)."""
        first = hit.paragraphs[0].index
        for other in ctx.elements.values():
            if other is hit or not other.paragraphs or other.paragraphs[0].index >= first:
                continue
            if any(x.index == first for x in other.paragraphs):
                other.paragraphs = [x for x in other.paragraphs if x.index < first]

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: RequiredElementParams = self.params
        hit = self.locate(doc, ctx)
        if hit.detail.get("runs_on"):
            self._end_earlier_parts(ctx, hit)
        ctx.elements[p.element] = hit
        year = ctx.year
        values = {
            "label": p.label,
            "evidence": hit.evidence or "",
            "year": f"{year}年" if year else "上一年度",
            "next_year": f"{year + 1}年度" if year else "下一年度",
        }
        if hit.status == "missing":
            if p.optional:
                return
            if doc.meta.body_kind not in p.always_for and self.applies_re is not None and self.search(self.applies_re, doc.body.text) is None:
                hit.detail["not_applicable"] = True
                return  # nothing in the report says the part applies to this issuer
            if p.within and hit.detail.get("parent_missing"):
                return  # the parent part's own finding says it all
            parent = ctx.elements.get(p.within) if p.within else None
            if parent is not None and parent.start is not None:
                s, e = parent.start, parent.end or parent.start
            else:
                s, e = anchor(doc)
            yield self.finding(s, e, values)
        elif hit.status == "heading" and hit.detail.get("heading_only"):
            assert hit.start is not None
            yield self.finding(hit.start, hit.end or hit.start, values)
        elif hit.status == "inline" and p.inline_severity:
            assert hit.start is not None
            yield self.finding(
                hit.start,
                hit.end or hit.start,
                values,
                message=p.inline_message or None,
                severity=p.inline_severity,
                help=p.inline_help or None,
            )
