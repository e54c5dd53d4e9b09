"""correspondence: every problem the report names should be answered by an item of the plan.

Both parts are split into items: sub-headings (一)… with their text, 一是…二是…, numbered
paragraphs, the clauses of a 比如…、…等 list, or sentences. The analysis of causes is not a
problem: from a cause opener (究其原因 / 原因分析 / 分析原因,主要是) on, a list that starts again at
一是 and the sentences after it are causes; the plan's own paragraphs are never problems.

A problem is addressed by a plan item when
- its statement names a piece of work (a `concepts` group: 宣传 / 普法 / 法治宣传) that the plan
  item names too, or
- its topic (the statement without its verdict: 依法行政能力|有待提升) appears in the plan item, or
- after the stop phrases (进一步, 加强, 工作 …) are removed, they share a key term (a run of
  characters) or enough of the problem's character bigrams, weighted so that bigrams found in
  every plan item count little.
No word segmenter, no model: plain character statistics and the rule's word lists.

One report gets at most one finding, listing every unanswered problem; it is a warning only when
the part names at least `warn_min` problems and more than `warn_share` of them are unanswered
(else `quiet_severity`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import regex

from fzlint.document.model import Document, Paragraph
from fzlint.patterns import lazy
from fzlint.rules.context import Context, ElementHit
from fzlint.rules.kinds.base import Check, compile_pattern
from fzlint.rules.model import Finding

_MARKER = lazy(r"(?:(?<![\p{Han}])|(?<=[。；;,:：]))(?:[一二三四五六七八九十]{1,3}是|第[一二三四五六七八九十]{1,3}(?=[,，、])|首先|其次|再次|最后)(?=[,，、:：]?\p{Han})")
_NUMBERED = lazy(r"^\s*(?:\d{1,2}[.．、]|[(（]\d{1,2}[)）]|[①-⑳])")
# a clause, a short bracket kept whole (部分县(市、区)和市直部门……): a problem's statement is its
# first clause; the clauses after 比如/例如 are items
_CLAUSE = lazy(r"(?:[^,，;；、(（]|[(（][^()（）]{0,12}[)）]|[(（])+")
_HAN_RUN = lazy(r"\p{Han}+")
_ENUM_HEAD = lazy(r"^\s*(?:[一二三四五六七八九十]{1,3}是|首先|其次|再次|最后|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、])[,，、:：]?")


def _drop_enum_head(text: str) -> str:
    """_ENUM_HEAD.sub("", text): its one possible match is a non-empty one at the start, so a
    match there is all a sub would do (and a sub scans every position)."""
    m = _ENUM_HEAD.match(text)
    return text[m.end() :] if m is not None else text


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class CorrespondenceParams:
    problems: str = "problems"
    plan: str = "next_year_plan"
    stop_phrases: list[str] = field(default_factory=list)  # removed before comparing
    synonyms: list[list[str]] = field(default_factory=list)  # each group is read as its first term
    skip: list[str] = field(default_factory=list)  # sentences that are no problem (intro, causes)
    lead_ins: list[str] = field(default_factory=list)  # 比如/例如…: the clauses after it are items
    # what opens a sentence before its problem (仍有不足,主要是:……): the statement starts after it
    statement_leads: list[str] = field(default_factory=list)
    # a sentence starting the analysis of causes (究其原因, 原因分析:, 分析原因,一方面…): it and a
    # list after it that starts again at 一是 are causes, as is the rest of its paragraph and part
    cause_openers: list[str] = field(default_factory=list)
    # groups of words naming the same piece of work (普法 / 法治宣传 / 宣传): a problem whose
    # statement names one is answered by a plan item naming any word of the group
    concepts: list[list[str]] = field(default_factory=list)
    # the verdict that ends a problem's statement (有待提升, 不强, 单一 …): what precedes it is the
    # topic, and a plan item holding the topic answers the problem (依法行政能力有待提升 ↔
    # 提升依法行政能力)
    verdicts: list[str] = field(default_factory=list)
    quantifiers: list[str] = field(default_factory=list)  # 部分/个别/少数 … opening a statement
    topic_chars: int = 4  # a topic shorter than this (after stop phrases) is not used
    warn_share: float = 0.5  # a warning when more than this share of the problems is unanswered
    # … and the part names at least this many problems: with one or two, one missed match decides
    # the share, and the statistics say nothing
    warn_min: int = 3
    quiet_severity: str = "info"  # else
    key_term: int = 4  # a shared run of this many characters addresses a problem by itself
    # … or the first this many characters (or more) of the problem's statement, its subject
    # (村干部运用法律处理村务的能力不强 ↔ 组织村干部参加法律知识培训); 0: off
    subject_chars: int = 0
    min_overlap: float = 0.4  # else: weighted share of the problem's bigrams found in a plan item
    min_shared: int = 2  # … with at least this many shared bigrams
    min_chars: int = 4  # items with fewer characters left after stop phrases are not judged
    quote_chars: int = 28
    max_listed: int = 8  # problems quoted in the one finding


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
    head_core: str = ""  # the statement's Han runs after stop phrases, joined by |
    statement: str = ""  # the statement: the first clause, without its enumeration marker
    concepts: set[int] = field(default_factory=set)  # concept groups named (problems: in the statement)
    topic: str = ""  # the statement without its verdict and quantifiers, synonyms read
    norm: str = ""  # the whole text, synonyms read (what a topic is looked for in)


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
    return [(s, e) for s, e in p.sentences() if e > lo and s >= lo]


def _prefix_in(run: str, text: str, n: int) -> str:
    """The longest prefix of run, of at least n characters, found in text; "" if none."""
    k = n
    while k <= len(run) and run[:k] in text:
        k += 1
    return run[: k - 1] if k > n else ""


def _restarts(marker: str) -> bool:
    """A marker that starts a list (一是, 第一, 首先): after a cause opener, a list of causes."""
    return marker.startswith(("一是", "第一", "首先"))


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
        self.statement_lead_res = [compile_pattern(x) for x in p.statement_leads]
        self.opener_res = [compile_pattern(x) for x in p.cause_openers]
        self.concept_res = [_literals(sorted(g, key=len, reverse=True)) for g in p.concepts if g and all(g)]
        verdicts = sorted(set(p.verdicts), key=len, reverse=True)
        self.verdict_re = _literals(verdicts) if verdicts else None
        quants = sorted(set(p.quantifiers), key=len, reverse=True)
        self.quant_re = compile_pattern("^(?:" + "|".join(regex.escape(q) for q in quants) + ")+") if quants else None

    # ---- items -----------------------------------------------------------------------------
    def _item(self, p: Paragraph, s: int, e: int, extra: str = "") -> Item:
        text = p.view.text
        first = next(((a, b) for a, b in p.sentences() if a <= s < b), (s, e))
        qs, qe = s, min(e, first[1])
        ds, de = p.view.doc_span(qs, qe)
        return Item(text[s:e] + extra, text[qs:qe].strip(), ds, de)

    def _skipped(self, text: str) -> bool:
        return any(self.search(r, text) for r in self.skip_res)

    def _opens_causes(self, sentence: str) -> bool:
        """A sentence that starts the analysis of causes (matched alone: ^ is its start)."""
        text = _drop_enum_head(sentence.strip())
        return any(self.search(r, text) for r in self.opener_res)

    def _paragraph_items(self, p: Paragraph, lo: int, hi: int) -> tuple[list[Item], bool]:
        """The items of text[lo:hi] of a paragraph, and whether the analysis of causes began in
        it (what follows in the part is causes too)."""
        text = p.view.text
        sents = [(s, min(e, hi)) for s, e in _sentences(p, lo) if s < hi]
        opener = next((s for s, e in sents if self._opens_causes(text[s:e])), None)
        marks = [(m.start(), m.group()) for m in self.finditer(_MARKER, text, lo, hi)]
        if marks:
            items: list[Item] = []
            bounds = [*marks, (hi, "")]
            for (a, label), (b, _next) in pairwise(bounds):
                if opener is not None and a > opener and _restarts(label):
                    return items, True  # 究其原因,主要是:一是……: a new list, of causes
                # an item runs to the next marker, or to the first sentence that is no problem
                end = b
                for s, e in sents:
                    if s > a and e <= b and (s == opener or self._skipped(text[s:e])):
                        end = s
                        break
                items.append(self._item(p, a, end))
            # causes after the last item (……三是……。分析原因,一方面……)
            return items, opener is not None and opener > marks[-1][0]
        if _NUMBERED.match(text[lo:hi]):
            return [self._item(p, lo, hi)], opener is not None
        items = []
        for s, e in sents:
            if s == opener:
                return items, True  # the causes run to the end of the paragraph
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
        return items, False

    def _flat_items(self, paras: list[Paragraph], ends: dict[int, int], first_lo: int) -> list[Item]:
        """Items of paragraphs without sub-headings of their own, up to the analysis of causes."""
        out: list[Item] = []
        for n, x in enumerate(paras):
            lo = first_lo if n == 0 else 0
            if x.heading is not None:
                if self._opens_causes(x.heading.title):
                    break
                lo = max(lo, x.heading.title_end)
            found, causes = self._paragraph_items(x, lo, ends.get(x.index, len(x.view.text)))
            out.extend(found)
            if causes:
                break  # the rest of the part analyses causes
        return out

    def _section_items(self, paras: list[Paragraph], level: int, ends: dict[int, int], first_lo: int = 0) -> list[Item]:
        """Items of the paragraphs under a heading of `level`: its sub-headings (一)… with their
        text, the items of a container sub-heading ((一)存在的问题 → its 1. 2. 3.), or the items of
        plain paragraphs."""
        subs = [x for x in paras if x.heading is not None and x.heading.level > level]
        if len(subs) < 2:
            return self._flat_items(paras, ends, first_lo)
        lvl = min(x.heading.level for x in subs if x.heading is not None)
        groups: list[list[Paragraph]] = []
        for x in paras:
            if x.heading is not None and x.heading.level == lvl:
                groups.append([x])
            elif groups:
                groups[-1].append(x)
            # paragraphs before the first sub-heading introduce the list
        items: list[Item] = []
        for head, *body in groups:
            assert head.heading is not None
            title = head.heading.title
            if self._opens_causes(title):
                continue  # (二)原因分析
            if self._skipped(title):
                # (一)存在的问题: a container; its own sub-items or paragraphs are the problems
                items.extend(self._section_items(body, lvl, ends))
                continue
            hi = ends.get(head.index, len(head.view.text))
            if hi <= 0:
                continue
            item = self._item(head, 0, hi)
            for x in body:
                xhi = ends.get(x.index, len(x.view.text))
                if x.heading is None and self._opens_causes(x.view.text[:xhi]):
                    break  # 原因分析:一是……, after the last problem
                item.text += x.view.text[:xhi]
            items.append(item)
        return items

    def items(self, doc: Document, hit: ElementHit | None, before: ElementHit | None = None) -> list[Item]:
        """The items of a located part (none when it is missing); the text of the part `before`
        (the plan, for the problems) and all after it are left out."""
        if hit is None or hit.status == "missing" or not hit.paragraphs:
            return []
        paras = list(hit.paragraphs)
        ends: dict[int, int] = {}
        if before is not None and before.status != "missing" and before.paragraphs and before.start is not None:
            first = before.paragraphs[0]
            if any(x is first for x in paras):
                cut = next((s for s, e in first.sentences() if first.view.doc_span(s, e)[1] > before.start), len(first.view.text))
                paras = [x for x in paras if x.index <= first.index]
                ends[first.index] = cut
        top = paras[0] if hit.status == "heading" and paras and paras[0].heading is not None else None
        if top is not None or hit.detail.get("title_line"):
            paras = paras[1:]  # the part's own heading (numbered, or a title line) is no item
        level = top.heading.level if top is not None and top.heading is not None else 0
        lo = 0
        if hit.status == "inline" and paras and hit.start is not None:
            # an inline part starts at the sentence that mentions it
            x = paras[0]
            lo = next((s for s, e in x.sentences() if x.view.doc_span(s, e)[1] > hit.start), 0)
        return self._section_items(paras, level, ends, lo)

    # ---- matching ----------------------------------------------------------------------------
    def _runs(self, text: str) -> list[str]:
        text = _drop_enum_head(text.strip())
        if self.syn_re is not None:
            text = self.syn_re.sub(lambda m: self.canon[m.group()], text)
        if self.stop_re is not None:
            text = self.stop_re.sub("|", text)
        return [r for r in _HAN_RUN.findall(text) if len(r) >= 2]

    def _read(self, text: str) -> str:
        """The text with synonyms read as their group's first term."""
        return self.syn_re.sub(lambda m: self.canon[m.group()], text) if self.syn_re is not None else text

    def _concepts(self, text: str) -> set[int]:
        return {k for k, r in enumerate(self.concept_res) if r.search(text)}

    def _topic(self, statement: str) -> str:
        """The statement without its verdict and the quantifiers before it, synonyms read:
        部分干部依法行政能力有待提升 -> 干部依法行政能力; "" when what is left is only stop phrases
        or shorter than topic_chars."""
        p: CorrespondenceParams = self.params
        text = self._read(statement)
        if self.verdict_re is not None and (m := self.verdict_re.search(text)) is not None:
            text = text[: m.start()]
        if self.quant_re is not None:
            text = self.quant_re.sub("", text)
        text = text.strip("的 ,，、:：")
        if len(text) < p.topic_chars or _HAN_RUN.fullmatch(text) is None:
            return ""
        core = self.stop_re.sub("", text) if self.stop_re is not None else text
        return text if core else ""

    def _prepare(self, item: Item, problem: bool) -> None:
        runs = self._runs(item.text)
        item.core = "|".join(runs)
        item.grams = {r[i : i + 2] for r in runs for i in range(len(r) - 1)}
        # the statement is the first clause: 执法不规范,个别执法人员态度生硬 -> 执法不规范
        quote = _drop_enum_head(item.quote)
        if problem:
            # 对照上级要求,仍有不足,主要是基层……: the problem is what follows the lead
            lead = next((m for r in self.statement_lead_res if (m := self.search(r, quote)) is not None), None)
            if lead is not None and _HAN_RUN.search(quote, lead.end()):
                quote = item.quote = quote[lead.end() :]
        first = _CLAUSE.search(quote)
        item.statement = first.group() if first else item.quote
        head_runs = self._runs(item.statement)
        item.head_core = "|".join(head_runs)
        item.head = {r[i : i + 2] for r in head_runs for i in range(len(r) - 1)}
        if problem:
            item.concepts = self._concepts(item.statement)
            item.topic = self._topic(item.statement)
        else:
            item.concepts = self._concepts(item.text)
            item.norm = self._read(item.text)

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
        plan_hit = ctx.elements.get(p.plan)
        problems = self.items(doc, ctx.elements.get(p.problems), before=plan_hit)
        plan = self.items(doc, plan_hit)
        for it in problems:
            self._prepare(it, True)
        for it in plan:
            self._prepare(it, False)
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

        def overlap(grams: set[str], total: float, other: set[str]) -> tuple[float, bool]:
            """The weighted share of `grams` found in `other`, and whether enough are shared:
            min_shared, or all of them when a statement has fewer (推进不平衡 -> 平衡)."""
            shared = grams & other
            enough = len(shared) >= min(p.min_shared, len(grams))
            return sum(map(weights.__getitem__, shared)) / total, enough

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
                whole, head = overlap(prob.grams, total, item.grams), overlap(prob.head, head_total, item.grams)
                score = max(whole[0], head[0])
                close = any(sc >= p.min_overlap and enough for sc, enough in (whole, head))
                if prob_grams is not None and plan_grams is not None and prob_grams.isdisjoint(plan_grams[k]):
                    term = ""
                else:
                    term = self._key_term(prob.core, item.core, kt)
                if not term and p.subject_chars > 0:
                    term = _prefix_in(prob.head_core.split("|", 1)[0], item.core, p.subject_chars)
                if not term and prob.topic and prob.topic in item.norm:
                    term = prob.topic  # 依法行政能力有待提升 ↔ 提升依法行政能力
                if not term and prob.concepts & item.concepts:
                    # 普法宣传形式单一 ↔ 深入开展法治宣传: the same piece of work, named otherwise
                    term = "、".join(sorted(self.params.concepts[c][0] for c in prob.concepts & item.concepts))
                if term or close:
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
        if not plan or not maps:
            return
        open_ = [m for m in maps if not m.matches]
        if not open_:
            return
        quotes = []
        for m in open_[: p.max_listed]:
            quote = _drop_enum_head(m.problem.quote).rstrip("。；;,，等 ")
            if len(quote) > p.quote_chars:
                quote = quote[: p.quote_chars - 1] + "…"
            quotes.append(f"“{quote}”")
        listed = ";".join(quotes) + ("等" if len(open_) > p.max_listed else "")
        # an empirical rule: a warning only when most of several problems go unanswered
        sure = len(maps) >= p.warn_min and len(open_) > p.warn_share * len(maps)
        severity = None if sure else p.quiet_severity
        hit = ctx.elements.get(p.problems)
        if hit is not None and hit.start is not None:
            s, e = hit.start, hit.end or hit.start
        else:
            s, e = open_[0].problem.start, open_[0].problem.end
        values = {"count": len(open_), "total": len(maps), "problems": listed, "plan": plan_hit.label, "problem": quotes[0].strip("“”")}
        yield self.finding(s, e, values, severity=severity)
