"""correspondence: every problem the report names should be answered by an item of the plan.

Both parts are split into items: sub-headings (一)… with their text, 一是…二是…, numbered
paragraphs, the clauses of a 比如…、…等 list, or sentences. A problem is addressed by a plan item
when, after the stop phrases (进一步, 加强, 工作 …) are removed, they share a key term (a run of
characters) or enough of the problem's character bigrams, weighted so that bigrams found in every
plan item count little. No word segmenter, no model: plain character statistics.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import regex

from fzlint.document.model import Document, Paragraph
from fzlint.rules.context import Context, ElementHit
from fzlint.rules.kinds.base import Check, compile_pattern
from fzlint.rules.model import Finding

_MARKER = regex.compile(r"(?:(?<![\p{Han}])|(?<=[。；;,:：]))(?:[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}(?=[,，、])|首先|其次|再次|最后)(?=[,，、:：]?\p{Han})")
_NUMBERED = regex.compile(r"^\s*(?:\d{1,2}[.．、]|[(（]\d{1,2}[)）]|[①-⑳])")
_CLAUSE = regex.compile(r"[^,，;；、]+")
_HAN_RUN = regex.compile(r"\p{Han}+")
_ENUM_HEAD = regex.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}是|首先|其次|再次|最后|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、])[,，、:：]?")


def _drop_enum_head(text: str) -> str:
    """_ENUM_HEAD.sub("", text): its one possible match is a non-empty one at the start, so a
    match there is all a sub would do (and a sub scans every position)."""
    m = _ENUM_HEAD.match(text)
    return text[m.end() :] if m is not None else text


@dataclass
class CorrespondenceParams:
    problems: str = "problems"
    plan: str = "next_year_plan"
    stop_phrases: list[str] = field(default_factory=list)  # removed before comparing
    synonyms: list[list[str]] = field(default_factory=list)  # each group is read as its first term
    skip: list[str] = field(default_factory=list)  # sentences that are no problem (intro, causes)
    lead_ins: list[str] = field(default_factory=list)  # 比如/例如…: the clauses after it are items
    key_term: int = 4  # a shared run of this many characters addresses a problem by itself
    min_overlap: float = 0.4  # else: weighted share of the problem's bigrams found in a plan item
    min_shared: int = 2  # … with at least this many shared bigrams
    min_chars: int = 4  # items with fewer characters left after stop phrases are not judged
    quote_chars: int = 28
    max_findings: int = 8


@dataclass(slots=True)
class Item:
    """One problem or plan item: a range of a paragraph view (or several paragraphs)."""

    text: str  # the item's text as matched
    quote: str  # its first sentence, for messages
    start: int  # source offsets of the quote
    end: int
    core: str = ""  # text after stop phrases: Han runs joined by |
    grams: set[str] = field(default_factory=set)
    head: set[str] = field(default_factory=set)  # bigrams of the statement alone


@dataclass(slots=True)
class ProblemMap:
    problem: Item
    matches: list[tuple[int, float, str]]  # (plan item index, score, shared key term)


def _literals(words: list[str]) -> re.Pattern[str] | regex.Pattern[str]:
    """One alternation of literal words, tried in the given order at each position. The standard
    library's re runs such an alternation several times faster than regex and matches the same
    (a literal alternation has one meaning in both); an empty word keeps regex, whose empty
    matches differ."""
    if all(words):
        return re.compile("|".join(re.escape(w) for w in words))
    return compile_pattern("|".join(regex.escape(w) for w in words))


def _ngrams(core: str, n: int) -> set[str]:
    """The n-character substrings of the Han runs of a core (runs joined by |): those of the
    whole core that hold no |."""
    return {run[i : i + n] for run in core.split("|") for i in range(len(run) - n + 1)}


def _sentences(p: Paragraph, lo: int = 0) -> list[tuple[int, int]]:
    return [(s, e) for s, e in p.sentences() if s >= lo]


class Correspondence(Check):
    name = "correspondence"
    Params = CorrespondenceParams

    def setup(self) -> None:
        p: CorrespondenceParams = self.params
        stops = sorted(set(p.stop_phrases), key=len, reverse=True)
        self.stop_re = _literals(stops) if stops else None
        self.canon = {t: g[0] for g in p.synonyms for t in g[1:] if g}
        terms = sorted(self.canon, key=len, reverse=True)
        self.syn_re = _literals(terms) if terms else None
        self.skip_res = [compile_pattern(x) for x in p.skip]
        self.lead_res = [compile_pattern(x) for x in p.lead_ins]

    # ---- items -----------------------------------------------------------------------------
    def _item(self, p: Paragraph, s: int, e: int, extra: str = "") -> Item:
        text = p.view.text
        first = next(((a, b) for a, b in p.sentences() if a <= s < b), (s, e))
        qs, qe = s, min(e, first[1])
        ds, de = p.view.doc_span(qs, qe)
        return Item(text[s:e] + extra, text[qs:qe].strip(), ds, de)

    def _skipped(self, text: str) -> bool:
        return any(self.search(r, text) for r in self.skip_res)

    def _paragraph_items(self, p: Paragraph, lo: int) -> list[Item]:
        text = p.view.text
        marks = [m.start() for m in self.finditer(_MARKER, text, lo)]
        if marks:
            items = []
            bounds = [*marks, len(text)]
            for a, b in pairwise(bounds):
                # an item runs to the next marker, or to the first sentence that is no problem
                end = b
                for s, e in _sentences(p, a):
                    if s > a and e <= b and self._skipped(text[s:e]):
                        end = s
                        break
                items.append(self._item(p, a, end))
            return items
        if _NUMBERED.match(text[lo:]):
            return [self._item(p, lo, len(text))]
        items = []
        for s, e in _sentences(p, lo):
            sent = text[s:e]
            # patterns are matched on the sentence alone so that ^ means its start
            lead = next((m for r in self.lead_res if (m := self.search(r, sent.lstrip())) is not None), None)
            if lead is not None:
                for m in _CLAUSE.finditer(text, s + len(sent) - len(sent.lstrip()) + lead.end(), e):
                    if m.group().strip("。！？!?;；等 "):
                        items.append(self._item(p, m.start(), m.end()))
                continue
            if not self._skipped(sent):
                items.append(self._item(p, s, e))
        return items

    def items(self, doc: Document, hit: ElementHit | None) -> list[Item]:
        """The items of a located part (none when it is missing)."""
        if hit is None or hit.status == "missing" or not hit.paragraphs:
            return []
        paras = list(hit.paragraphs)
        top = paras[0] if hit.status == "heading" and paras[0].heading is not None else None
        if top is not None:
            paras = paras[1:]
        level = top.heading.level if top is not None and top.heading is not None else 0
        subs = [p for p in paras if p.heading is not None and p.heading.level > level]
        if len(subs) >= 2:
            # sub-headings (一)… with the text under them, up to the next sub-heading of that level
            lvl = min(p.heading.level for p in subs if p.heading is not None)
            items: list[Item] = []
            keep = True
            for p in paras:
                if p.heading is not None and p.heading.level == lvl:
                    # a sub-heading such as (三)原因分析 holds no problem
                    keep = not self._skipped(p.heading.title)
                    if keep:
                        items.append(self._item(p, 0, len(p.view.text)))
                elif items and keep:
                    items[-1].text += p.view.text
            return items
        out: list[Item] = []
        for n, p in enumerate(paras):
            lo = 0
            if hit.status == "inline" and n == 0 and hit.start is not None:
                # an inline part starts at the sentence that mentions it
                lo = next((s for s, e in p.sentences() if p.view.doc_span(s, e)[1] > hit.start), 0)
            if p.heading is not None:
                lo = max(lo, p.heading.title_end)
            out.extend(self._paragraph_items(p, lo))
        return out

    # ---- matching ----------------------------------------------------------------------------
    def _runs(self, text: str) -> list[str]:
        text = _drop_enum_head(text.strip())
        if self.syn_re is not None:
            text = self.syn_re.sub(lambda m: self.canon[m.group()], text)
        if self.stop_re is not None:
            text = self.stop_re.sub("|", text)
        return [r for r in _HAN_RUN.findall(text) if len(r) >= 2]

    def _prepare(self, item: Item) -> None:
        runs = self._runs(item.text)
        item.core = "|".join(runs)
        item.grams = {r[i : i + 2] for r in runs for i in range(len(r) - 1)}
        # the statement is the first clause: 执法不规范,个别执法人员态度生硬 -> 执法不规范
        first = _CLAUSE.search(_drop_enum_head(item.quote))
        item.head = {r[i : i + 2] for r in self._runs(first.group() if first else item.quote) for i in range(len(r) - 1)}

    @staticmethod
    def _key_term(a: str, b: str, n: int) -> str:
        """The longest run of at least n characters of a (within its Han runs) also found in b."""
        best = ""
        for run in a.split("|"):
            for i in range(len(run) - n + 1):
                j = i + max(n, len(best) + 1)
                while j <= len(run) and run[i:j] in b:
                    best = run[i:j]
                    j += 1
        return best

    def correspond(self, doc: Document, ctx: Context) -> tuple[list[ProblemMap], list[Item]]:
        """Each problem item with the plan items that address it; and the plan items."""
        p: CorrespondenceParams = self.params
        problems = self.items(doc, ctx.elements.get(p.problems))
        plan = self.items(doc, ctx.elements.get(p.plan))
        for it in problems + plan:
            self._prepare(it)
        problems = [it for it in problems if len(it.core.replace("|", "")) >= p.min_chars]
        df: dict[str, int] = {}
        for it in plan:
            for g in it.grams:
                df[g] = df.get(g, 0) + 1
        n = max(1, len(plan))

        weights: dict[str, float] = {}

        def weight(g: str) -> float:
            # a bigram in every plan item tells nothing about which item answers the problem
            w = weights.get(g)
            if w is None:
                w = weights[g] = math.log(1 + n / df.get(g, 0.5))
            return w

        out: list[ProblemMap] = []

        def overlap(grams: set[str], total: float, other: set[str]) -> tuple[float, int]:
            shared = grams & other
            return sum(map(weights.__getitem__, shared)) / total, len(shared)

        # a key term holds one of the problem's runs' n-grams that the plan item holds too: an
        # item sharing none of them has no key term, told by one set operation
        kt = p.key_term
        plan_grams = [_ngrams(it.core, kt) for it in plan] if kt > 0 else None
        for prob in problems:
            matches: list[tuple[int, float, str]] = []
            prob_grams = _ngrams(prob.core, kt) if kt > 0 else None
            # the same sums, in the same order, for every plan item: computed once
            total = sum(weight(g) for g in prob.grams) or 1.0
            head_total = sum(weight(g) for g in prob.head) or 1.0
            for k, item in enumerate(plan):
                # the problem's statement alone, or with its elaboration: whichever overlaps more
                score, shared = max(overlap(prob.grams, total, item.grams), overlap(prob.head, head_total, item.grams))
                if prob_grams is not None and plan_grams is not None and prob_grams.isdisjoint(plan_grams[k]):
                    term = ""
                else:
                    term = self._key_term(prob.core, item.core, kt)
                if term or (score >= p.min_overlap and shared >= p.min_shared):
                    matches.append((k, round(score, 2), term))
            matches.sort(key=lambda m: (-len(m[2]), -m[1]))
            out.append(ProblemMap(prob, matches))
        return out, plan

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: CorrespondenceParams = self.params
        plan_hit = ctx.elements.get(p.plan)
        if plan_hit is None or plan_hit.status == "missing":
            return  # the missing plan is its own finding
        maps, plan = self.correspond(doc, ctx)
        if not plan:
            return
        count = 0
        for m in maps:
            if m.matches:
                continue
            quote = _drop_enum_head(m.problem.quote).rstrip("。；;,，等 ")
            if len(quote) > p.quote_chars:
                quote = quote[: p.quote_chars - 1] + "…"
            yield self.finding(m.problem.start, m.problem.end, {"problem": quote, "plan": plan_hit.label})
            count += 1
            if count >= p.max_findings:
                return
