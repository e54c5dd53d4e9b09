"""causes: does the problems part analyse causes, or only list problems?

The required item is 「存在的不足和原因」 (DOMAIN.md §1 [A2]). A sentence states a cause when it
has a causal marker (原因, 究其原因, 根源在于, 由于, 之所以…是因为, 受…影响/制约, 客观上/主观上,
导致 …), or when a clause after a problem explains it ("执法不规范,主要是执法人员培训不足").
Introducing the list of problems ("存在的问题主要是:", "主要体现在以下方面") is not a cause,
nor is a bare problem ("缺乏专业法治人才") or a plan to look for causes ("深入查找原因").

The part is located here (phase 0) and recorded as `ctx.elements[element]`, like a required
part: heading (a 原因 sub-heading with content, or the part's heading names 原因 and the text
gives causes), inline (causes given in the text), or missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from fzlint.document.model import Document, Paragraph
from fzlint.document.sentences import split_sentences
from fzlint.patterns import lazy
from fzlint.rules.context import Context, ElementHit
from fzlint.rules.kinds.base import Check, anchor, compile_pattern
from fzlint.rules.kinds.content import add_content, body_text, mask_book_titles
from fzlint.rules.kinds.required_element import range_safe
from fzlint.rules.model import Finding

# enumerated problems: 一是… or (1)/1./（一） at a sentence start
_ITEM = lazy(r"[一二三四五六七八九十]是(?!否)|(?:^|[。;；:：])\s*[(（]?[一二三四五六七八九十\d]{1,2}[)）.、](?!\d)")


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class CausesParams:
    element: str = "causes"
    label: str = "不足的原因分析"
    within: str = "problems"
    headings: list[str] = field(default_factory=list)  # sub-heading / part heading naming causes
    markers: list[str] = field(default_factory=list)  # a cause anywhere in a sentence
    attached: list[str] = field(default_factory=list)  # a cause clause following a problem
    cause_words: list[str] = field(default_factory=list)  # what an attached clause must contain
    not_causes: list[str] = field(default_factory=list)  # spans that never count (查找原因, 问题主要是)
    heading_only_message: str = ""


class CauseMatch(NamedTuple):
    paragraph: Paragraph | None
    start: int  # view offsets of the sentence
    end: int
    text: str


class Causes(Check):
    name = "causes"
    Params = CausesParams
    phase = 0

    def setup(self) -> None:
        p: CausesParams = self.params
        self.heading_res = [compile_pattern(x) for x in p.headings]
        self.marker_res = [compile_pattern(x) for x in p.markers]
        self.attached_res = [compile_pattern(x) for x in p.attached]
        self.word_res = [compile_pattern(x) for x in p.cause_words]
        self.veto_res = [compile_pattern(x) for x in p.not_causes]
        every = [*self.marker_res, *self.attached_res, *self.veto_res]
        self._safe = {r: range_safe(r) for r in every}

    # ---- one sentence ----------------------------------------------------------------------
    def cause_span(self, text: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        """Where text[start:end] states a cause (the marker's span), or None."""
        return self._cause_span(text, start, len(text) if end is None else end, None)

    def _matches(self, r: regex.Pattern[str], text: str, start: int, end: int, ahead: dict[regex.Pattern[str], int] | None) -> Iterator[regex.Match[str]]:
        """finditer of r in text[start:end] (a range of the paragraph, searched without the
        document prefilter: a part is a few paragraphs, the prefilter searches the whole body).

        `ahead` (per paragraph, sentences in order) keeps where each range-safe pattern next
        matches from a sentence's start on: a sentence before that match cannot hold one (a match
        in the range is one from the range's start on, at the same place)."""
        if ahead is not None and self._safe.get(r, False):
            f = ahead.get(r, -2)
            if f == -2 or 0 <= f < start:
                m = self.search_direct(r, text, start)
                f = ahead[r] = m.start() if m is not None else -1
            if f < 0 or f > end:  # an empty match may sit at `end` itself, hence ">"
                return iter(())
        return self.finditer_direct(r, text, start, end)

    def _cause_span(self, text: str, start: int, end: int, ahead: dict[regex.Pattern[str], int] | None) -> tuple[int, int] | None:
        vetoed: list[tuple[int, int]] = []
        for r in self.veto_res:
            vetoed.extend(m.span() for m in self._matches(r, text, start, end, ahead))

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in vetoed)

        for r in self.marker_res:
            for m in self._matches(r, text, start, end, ahead):
                if free(*m.span()):
                    return m.span()
        for r in self.attached_res:
            for m in self._matches(r, text, start, end, ahead):
                if not free(*m.span()):
                    continue
                # the explaining clause runs to the end of the sentence or the next clause
                tail_end = end
                for k in range(m.end(), end):
                    if text[k] in "。;；":
                        tail_end = k
                        break
                if any(self.search_direct(w, text, m.end(), tail_end) for w in self.word_res):
                    return m.span()
        return None

    def is_cause(self, sentence: str) -> bool:
        """Whether one sentence states a cause (used by the tests' precision/recall fixtures)."""
        return self.cause_span(mask_book_titles(sentence)) is not None

    # ---- the part --------------------------------------------------------------------------
    def _scan(self, paragraphs: list[Paragraph]) -> tuple[list[CauseMatch], int]:
        causes: list[CauseMatch] = []
        items = 0
        for para in paragraphs:
            raw, start = body_text(para)
            text = mask_book_titles(raw)
            items += len(_ITEM.findall(text, start))
            ahead: dict[regex.Pattern[str], int] = {}
            for s, e in split_sentences(text):
                if e <= start:
                    continue
                s = max(s, start)
                if self._cause_span(text, s, e, ahead) is not None:
                    causes.append(CauseMatch(para, s, e, raw[s:e]))
        return causes, items

    def locate(self, doc: Document, ctx: Context) -> ElementHit:
        p: CausesParams = self.params
        parent = ctx.elements.get(p.within)
        if parent is None or parent.status == "missing":
            return ElementHit(p.element, p.label, "missing", detail={"parent_missing": True})
        paragraphs = parent.paragraphs
        causes, items = self._scan(paragraphs)
        detail = {"problem_items": items, "cause_sentences": len(causes)}
        # a sub-heading of its own (（二）原因分析) with text under it: what follows are causes
        top = parent.sections[0] if parent.status == "heading" and parent.sections else None
        for sec in top.walk()[1:] if top is not None else []:
            h = sec.heading
            if h is None or sec.paragraph is None or not any(self.search(r, h.title) for r in self.heading_res):
                continue
            if any(x is not sec.paragraph for x in sec.all_paragraphs()) or len(sec.paragraph.view.text) > h.title_end + 4:
                s, e = sec.paragraph.view.doc_span(0, h.title_end)
                return ElementHit(p.element, p.label, "heading", s, e, sec.paragraph.line, doc.source.text[s:e], paragraphs, [sec], detail)
        names_causes = top is not None and top.heading is not None and any(self.search(r, top.heading.title) for r in self.heading_res)
        if causes:
            first = causes[0]
            assert first.paragraph is not None
            s, e = first.paragraph.view.doc_span(first.start, first.end)
            detail["evidence"] = doc.source.text[s:e].strip()
            if names_causes and parent.start is not None:
                # as before: the part's own heading (…和原因) is the evidence shown
                return ElementHit(p.element, p.label, "heading", parent.start, parent.end, parent.line, parent.evidence, paragraphs, [], detail)
            return ElementHit(p.element, p.label, "inline", s, e, first.paragraph.line, doc.source.text[s:e].strip(), paragraphs, [], detail)
        detail["heading_only"] = names_causes
        return ElementHit(p.element, p.label, "missing", detail=detail)

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: CausesParams = self.params
        hit = self.locate(doc, ctx)
        ctx.elements[p.element] = hit
        if hit.detail.get("parent_missing"):
            return  # the problems part's own finding says it all
        n, k = hit.detail.get("problem_items", 0), hit.detail.get("cause_sentences", 0)
        summary = f"原因分析:{k} 句" if k else (f"原因分析:无(列了 {n} 项不足)" if n else "原因分析:无")
        add_content(hit, "causes", {"problem_items": n, "cause_sentences": k}, summary)
        if hit.status != "missing":
            return
        parent = ctx.elements.get(p.within)
        if parent is not None and parent.start is not None:
            s, e = parent.start, parent.end or parent.start
        else:
            s, e = anchor(doc)
        message = p.heading_only_message if hit.detail.get("heading_only") and p.heading_only_message else None
        yield self.finding(s, e, {"label": p.label, "items": n}, message=message)
