"""concrete_results: do the measures sub-parts report anything checkable?

Reviewers name 「运用事例少」 (DOMAIN.md §8 [A7]) and 「泛化」 ([G2]) as typical failings. A sub-part
of the measures part (its (一)-level sections, or each topical 一、 section when the report is
organised by field) that has no figure, no date, no named document (《…》) and no named case at
all is generic. `mode: subpart` reports each such sub-part; `mode: part` reports the measures
part once when most of its sub-parts are like that.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from fzlint.document.model import Document, Paragraph, Section
from fzlint.rules.context import Context, ElementHit
from fzlint.rules.kinds.base import Check, compile_pattern, required_items
from fzlint.rules.kinds.content import add_content, body_text
from fzlint.rules.model import Finding

# A year alone ("2021年", "2021—2025年") dates nothing: it is the report's own frame.
_BARE_YEAR = regex.compile(r"(?<!\d)(19|20)\d\d(年度?|—|–|-|~|～|至)(?!\d{1,2}月)")
# Short quoted slogans (“一件事一次办”, “最多跑一次”) are not figures.
_SHORT_QUOTE = regex.compile(r"“[^“”]{1,14}”")


@dataclass
class ConcreteResultsParams:
    element: str = "measures"
    mode: str = "subpart"  # subpart: each generic sub-part (info) | part: most sub-parts generic
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
        found: list[str] = []
        texts = []
        for para in paragraphs:
            text, start = body_text(para)
            texts.append(text[start:])
        text = "\n".join(texts)
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

    def units(self, hit: ElementHit) -> list[Unit]:
        """The sub-parts of the measures part, in order."""
        sections: list[Section] = []
        if hit.detail.get("topical"):
            sections = list(hit.sections)
        else:
            for sec in hit.sections:
                subs = [c for c in sec.children if c.level == sec.level + 1]
                sections.extend(subs if subs else [sec])
        out: list[Unit] = []
        if not sections:
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

    def _shared_units(self, ctx: Context, hit: ElementHit) -> list[Unit]:
        """self.units(hit), computed once per document for every rule of this kind with the same
        patterns (the subpart and part rules share them)."""
        key = ("concrete_results.units", hit.id, self.units_key)
        cached: tuple[ElementHit, list[Unit]] | None = ctx.cache.get(key)
        if cached is not None and cached[0] is hit:
            return cached[1]
        units = self.units(hit)
        ctx.cache[key] = (hit, units)
        return units

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: ConcreteResultsParams = self.params
        hit = ctx.elements.get(p.element)
        if hit is None or hit.status == "missing":
            return
        units = self._shared_units(ctx, hit)
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
