"""concrete_results: do the measures sub-parts report anything checkable?

Reviewers name 「运用事例少」 (DOMAIN.md §8 [A7]) and 「泛化」 ([G2]) as typical failings. A sub-part
of the measures part (its next-level sections, or each topical 一、 section when the report is
organised by field) that has no figure, no date, no named document (《…》) and no named case at
all is generic. A measures part without sub-headings whose measures are one flat list has its
items as sub-parts: 一是…八是 (one sequence from 一是, at paragraph starts or run in), else
paragraphs that open with a short run-in title (“加强组织领导。……”, bold in the original).
`mode: subpart` reports each generic sub-part; `mode: part` reports the measures part once when
most of its sub-parts are like that.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import regex

from fzlint.document.model import Document, Paragraph, Section
from fzlint.document.normalize import cn_to_int
from fzlint.patterns import lazy
from fzlint.rules.context import Context, ElementHit
from fzlint.rules.kinds.base import Check, compile_pattern, required_items
from fzlint.rules.kinds.content import add_content, body_text
from fzlint.rules.model import Finding

# A year alone ("2021年", "2021—2025年") dates nothing: it is the report's own frame.
_BARE_YEAR = lazy(r"(?<!\d)(19|20)\d\d(年度?|—|–|-|~|～|至)(?!\d{1,2}月)")
# Short quoted slogans (“一件事一次办”, “最多跑一次”) are not figures.
_SHORT_QUOTE = lazy(r"“[^“”]{1,14}”")
# An item of a run-in enumeration (一是…二是…), as numbering.py reads it.
_ENUM_ITEM = lazy(r"(?:^|(?<=[。；;：:，,!！?？、\s]))([一二三四五六七八九十]{1,3})是(?=\p{Han}|“)")
# A run-in title opening a paragraph: a short phrase closed by 。 or ：, with text after it.
# Not an opening sentence of prose: no subject or frame first (我市…, 2021年…), no 了.
_RUN_IN = lazy(
    r"^(?!我|全[市区县省镇乡局]|本|今年|一年|去年|在|按照|根据|为了|通过|截至|截止|同时|此外|另外)[^。；;：:!！?？,，、“”《》\d了]{3,18}[。：:](?=.)"
)
_CLAUSE_END = lazy(r"[，,。；;：:!！?？]")
_MIN_FLAT = 3  # fewer items than this are not a list of measures
# a list introduced as problems or plans ("但仍存在一些问题:一是…", "下一步,一是…") is no list of measures
_OTHER_LIST = lazy(r"问题|不足|差距|短板|薄弱|下一步|今后|明年|打算|计划")


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class ConcreteResultsParams:
    element: str = "measures"
    mode: Literal["subpart", "part"] = "subpart"  # subpart: each generic sub-part (info) | part: most sub-parts generic
    concrete: dict[str, list[str]] = field(default_factory=dict)  # kind label -> patterns
    ratio: float = 0.5  # mode part: more than this share of sub-parts generic
    min_subparts: int = 2  # fewer sub-parts than this: the part is judged as one unit (mode part)


@dataclass(slots=True)
class Unit:
    title: str
    paragraphs: list[Paragraph]
    start: int  # source offsets of the unit's heading (or first text)
    end: int
    line: int
    kinds: list[str]


class ConcreteResults(Check):
    name = "concrete_results"
    Params = ConcreteResultsParams

    def setup(self) -> None:
        p: ConcreteResultsParams = self.params
        if p.mode not in ("subpart", "part"):
            raise ValueError(f"mode 应为 subpart 或 part,得到 {p.mode!r}")
        self.res = {k: [compile_pattern(x) for x in pats] for k, pats in p.concrete.items()}
        # what the sub-parts found depend on (rules with the same key share them)
        self.units_key = (p.element, tuple((k, tuple(r.pattern for r in pats)) for k, pats in self.res.items()))

    def concrete_kinds(self, paragraphs: list[Paragraph]) -> list[str]:
        """Which kinds of concrete content (figure, date, document, case) the text has."""
        texts = []
        for para in paragraphs:
            text, start = body_text(para)
            texts.append(text[start:])
        return self.text_kinds("\n".join(texts))

    def text_kinds(self, text: str) -> list[str]:
        """concrete_kinds of a text (a paragraph's body, or one item of a flat list)."""
        found: list[str] = []
        text = _BARE_YEAR.sub(lambda m: "年" * len(m.group(0)), text)
        text = _SHORT_QUOTE.sub(lambda m: "“" + "〇" * (len(m.group(0)) - 2) + "”", text)
        for kind, pats in self.res.items():
            if any(self._search(r, text) for r in pats):
                found.append(kind)
        return found

    def _search(self, pattern: regex.Pattern[str], text: str) -> bool:
        """A search of a text built here (joined, years masked), which the prefilter does not
        know: direct, after a test for the literals every match contains (base.required_items)."""
        for item in required_items(pattern):
            if isinstance(item, str) and item not in text:
                self._limit(pattern)  # the rule's time budget applies as if it had searched
                return False
        return self.search_direct(pattern, text) is not None

    def units(self, hit: ElementHit, later: set[int] | None = None) -> list[Unit]:
        """The sub-parts of the measures part, in order; `later`: indexes of paragraphs where a
        later part (problems, plan) was found inline, which end a flat list."""
        sections: list[Section] = []
        if hit.detail.get("topical"):
            sections = list(hit.sections)
        else:
            for sec in hit.sections:
                # the next level present under the part: (一), or 1. where (一) is skipped
                top = min((c.level for c in sec.children), default=0)
                subs = [c for c in sec.children if c.level == top]
                if subs:
                    sections.extend(subs)
                    continue
                paras = sec.all_paragraphs()
                cut = next((i for i, x in enumerate(paras) if later and x.index in later), len(paras))
                flat = self.flat_units(paras[:cut])
                if len(hit.sections) == 1 and flat:
                    return flat
                sections.append(sec)
        out: list[Unit] = []
        if not sections:
            # a part found only inline (or the unclaimed rest of the text) is judged whole: its
            # paragraphs may hold other parts' lists (一是… of the plan)
            if hit.paragraphs and hit.start is not None:
                out.append(Unit("", hit.paragraphs, hit.start, hit.end or hit.start, hit.line or 1, self.concrete_kinds(hit.paragraphs)))
            return out
        for sec in sections:
            paras = sec.all_paragraphs()
            if sec.paragraph is None or sec.heading is None:
                continue
            s, e = sec.paragraph.view.doc_span(0, sec.heading.title_end)
            out.append(Unit(sec.heading.title, paras, s, e, sec.paragraph.line, self.concrete_kinds(paras)))
        return out

    def flat_units(self, paragraphs: list[Paragraph]) -> list[Unit]:
        """The items of a part's flat list of measures (see the module docstring), or [] when
        the part is not one: fewer than three items, or 一是 sequences that restart."""
        marks: list[tuple[int, int, int, int]] = []  # paragraph, start, end, number
        for k, para in enumerate(paragraphs):
            text, start = body_text(para)
            if "是" not in text:
                continue
            for m in _ENUM_ITEM.finditer(text, start):
                marks.append((k, m.start(), m.end(), cn_to_int(m.group(1)) or 0))
        numbers = [n for _k, _s, _e, n in marks]
        body = [k for k, para in enumerate(paragraphs) if para.heading is None or para.heading.title_end < len(para.view.text)]
        # the list opens the part (its first or second paragraph): not one found further down
        if len(marks) >= _MIN_FLAT and numbers == list(range(1, len(marks) + 1)) and marks[0][0] in body[:2]:
            text, start = body_text(paragraphs[marks[0][0]])
            if not _OTHER_LIST.search(text, start, marks[0][1]):
                return self._enumerated(paragraphs, marks)
        openers = [k for k, para in enumerate(paragraphs) if para.heading is None and _RUN_IN.match(para.view.text)]
        body = [k for k in body if paragraphs[k].heading is None]
        if len(openers) >= _MIN_FLAT and body and openers[0] == body[0] and 2 * len(openers) >= len(body):
            out: list[Unit] = []
            for i, k in enumerate(openers):
                group = paragraphs[k : openers[i + 1] if i + 1 < len(openers) else len(paragraphs)]
                para = paragraphs[k]
                m = _RUN_IN.match(para.view.text)
                assert m is not None
                s, e = para.view.doc_span(0, m.end() - 1)
                out.append(Unit(m.group(0)[:-1], group, s, e, para.line, self.concrete_kinds(group)))
            return out
        return []

    def _enumerated(self, paragraphs: list[Paragraph], marks: list[tuple[int, int, int, int]]) -> list[Unit]:
        """One unit per 一是…: its text runs to the next item (or the part's end)."""
        out: list[Unit] = []
        for i, (k, ms, me, _n) in enumerate(marks):
            nk, ns = (marks[i + 1][0], marks[i + 1][1]) if i + 1 < len(marks) else (len(paragraphs) - 1, None)
            pieces: list[str] = []
            for j in range(k, nk + 1):
                text, start = body_text(paragraphs[j])
                lo = ms if j == k else start
                hi = ns if (j == nk and ns is not None) else len(text)
                if hi > lo:
                    pieces.append(text[lo:hi])
            para = paragraphs[k]
            text = para.view.text
            clause = _CLAUSE_END.search(text, me)
            te = min(clause.start() if clause else len(text), me + 20)
            s, e = para.view.doc_span(ms, te)
            out.append(Unit(text[ms:te], paragraphs[k : nk + 1], s, e, para.line, self.text_kinds("\n".join(pieces))))
        return out

    def _shared_units(self, ctx: Context, hit: ElementHit, later: set[int]) -> list[Unit]:
        """self.units(hit, later), computed once per document for every rule of this kind with
        the same patterns (the subpart and part rules share them); kept in the document's context."""
        key = ("concrete_results.units", hit.id, self.units_key, frozenset(later))
        cached: tuple[ElementHit, list[Unit]] | None = ctx.cache.get(key)
        if cached is not None and cached[0] is hit:
            return cached[1]
        units = self.units(hit, later)
        ctx.cache[key] = (hit, units)
        return units

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: ConcreteResultsParams = self.params
        hit = ctx.elements.get(p.element)
        if hit is None or hit.status == "missing":
            return
        # a later part found only inline inside the measures section ends a flat list there
        later = {x.index for k in ("problems", "next_year_plan") if (h := ctx.elements.get(k)) is not None and h.status == "inline" for x in h.paragraphs}
        units = self._shared_units(ctx, hit, later)
        if not units:
            return
        generic = [u for u in units if not u.kinds]
        add_content(
            hit,
            "concrete",
            {"subparts": len(units), "generic": len(generic), "generic_titles": [u.title for u in generic]},
            f"有数字、日期、文件或事例的小节 {len(units) - len(generic)}/{len(units)}",
        )
        if p.mode == "subpart":
            if len(units) < p.min_subparts:
                return  # a part without sub-parts is judged as a whole (mode: part)
            for u in generic:
                yield self.finding(u.start, u.end, {"title": u.title or "本部分"})
            return
        if len(generic) > p.ratio * len(units) or (len(units) < p.min_subparts and generic):
            assert hit.start is not None
            yield self.finding(hit.start, hit.end or hit.start, {"generic": len(generic), "total": len(units), "label": hit.label})
