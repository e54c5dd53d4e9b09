"""Stale references, driven by YAML tables.

stale_reference: a document, body or name that was replaced (old 纲要, renamed bodies, repealed
laws), cited in a report on a year after it stopped being current.
session_reference: the party congresses and plenums (大会/全会) a report cites, against a dated
table: one held after the report was signed, or an older one cited as the latest when a newer
one had already been held before the report year began.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import regex

from fzlint.document.model import Document
from fzlint.patterns import lazy
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, Piece, compile_pattern, iter_scope
from fzlint.rules.model import Finding

# Scopes whose pieces are whole views (Piece.start 0, Piece.end the view's length).
_WHOLE_VIEW_SCOPES = ("all", "body", "paragraphs", "title")


@dataclass
class StaleEntry:
    pattern: str
    current_until: int  # the last report year for which the reference is still current
    replacement: str
    note: str = ""  # what happened, e.g. 2018年机构改革并入司法行政机关
    source: str = ""


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class StaleReferenceParams:
    entries: list[StaleEntry]
    # text just before / after a match that makes it history, not a current citation
    unless_before: str = r"(?:原|原来的|改革前的?|更名前的?)$"
    unless_after: str = r"^》?(?:以来|期间|时期|收官|圆满完成|确定的|提出的|目标任务(?:全面|如期)?完成)"
    scope: str = "all"


class StaleReference(Check):
    name = "stale_reference"
    Params = StaleReferenceParams

    def setup(self) -> None:
        p: StaleReferenceParams = self.params
        self.entries = [e if isinstance(e, StaleEntry) else StaleEntry(**e) for e in p.entries]  # type: ignore[arg-type]
        self.res = [compile_pattern(e.pattern) for e in self.entries]
        self.before = compile_pattern(p.unless_before)
        self.after = compile_pattern(p.unless_after)

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        year = ctx.year
        if year is None:
            return
        live = [k for k, entry in enumerate(self.entries) if year > entry.current_until]
        if not live:
            return
        found: list[tuple[int, int, Finding]] = []  # (piece number, entry number, finding)
        if self.params.scope in _WHOLE_VIEW_SCOPES:
            # each piece is a whole view, so searching it alone is searching the view: the plan
            # (base.Check.plan) names the pieces each pattern may match, and only those are searched
            pieces, plan, _order = self.plan(doc, ctx, self.params.scope, [self.res[k] for k in live])
            for j, where in plan:
                k = live[j]
                for n in sorted(where) if where is not None else range(len(pieces)):
                    f = self._first(doc, pieces[n], self.entries[k], self.res[k], year)
                    if f is not None:
                        found.append((n, k, f))
                        break  # one finding per stale reference is enough
        else:
            pieces = list(iter_scope(doc, ctx, self.params.scope))
            for k in live:
                for n, piece in enumerate(pieces):
                    f = self._first(doc, piece, self.entries[k], self.res[k], year)
                    if f is not None:
                        found.append((n, k, f))
                        break
        # in the order of a loop over the pieces, each over the entries
        found.sort(key=lambda x: (x[0], x[1]))
        for _n, _k, f in found:
            yield f

    def _first(self, doc: Document, piece: Piece, entry: StaleEntry, r: regex.Pattern[str], year: int) -> Finding | None:
        """The finding for the first match of `r` in the piece that is a current citation."""
        text = piece.view.text
        for m in self.finditer(r, text, piece.start, piece.end):
            if self.search(self.before, text[max(0, m.start() - 6) : m.start()]):
                continue
            if self.search(self.after, text[m.end() : m.end() + 10]):
                continue
            s, e = piece.view.doc_span(*m.span())
            vals: dict[str, Any] = {
                "match": doc.source.text[s:e],
                "year": year,
                "until": entry.current_until,
                "replacement": entry.replacement,
                "note": entry.note,
                "entry_source": entry.source,
            }
            return self.finding(s, e, vals)
        return None


@dataclass
class Session:
    name: str  # 十九届六中全会 / 二十大
    held: str  # ISO date of the first day
    source: str = ""


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class SessionReferenceParams:
    sessions: list[Session]
    mode: Literal["after_signature", "superseded"] = "after_signature"  # after_signature | superseded
    # a congress (十九大) or a run of plenums (十九届二中、三中、四中全会)
    congress: str = r"(?P<congress>十[六七八九]|二十)大(?!以来|以后|之后|召开以来)"
    plenums: str = r"(?P<congress>十[六七八九]|二十)届(?P<list>(?:[一二三四五六七八九]中(?:全会)?[、,，和及与]?)+)全会"
    # a mention looking forward to a session (以优异成绩迎接党的二十大胜利召开; 二十大召开之年):
    # a pattern on the text of the clause before it, and one on the text just after it
    ahead_before: str | None = None
    ahead_after: str | None = None
    ahead_element: str | None = None  # mentions in this part (the plan) look forward too


_PLENUM_NUM = lazy(r"([一二三四五六七八九])中")


class SessionReference(Check):
    name = "session_reference"
    Params = SessionReferenceParams

    def setup(self) -> None:
        p: SessionReferenceParams = self.params
        self.sessions = [s if isinstance(s, Session) else Session(**s) for s in p.sessions]  # type: ignore[arg-type]
        self.when = {s.name: date.fromisoformat(s.held) for s in self.sessions}
        self.congress = compile_pattern(p.congress)
        self.plenums = compile_pattern(p.plenums)
        self.ahead_before = compile_pattern(p.ahead_before) if p.ahead_before else None
        self.ahead_after = compile_pattern(p.ahead_after) if p.ahead_after else None

    def _mentions(self, doc: Document, ctx: Context) -> list[tuple[str, int, int]]:
        """(session name, source start, source end) of every congress or plenum cited; computed
        once per document for the rules of this kind with the same patterns and sessions."""
        key = ("session_reference.mentions", self.congress.pattern, self.plenums.pattern, frozenset(self.when))
        out: list[tuple[str, int, int]] | None = ctx.cache.get(key)
        if out is None:
            out = ctx.cache[key] = self._find_mentions(doc, ctx)
        return list(out)

    def _find_mentions(self, doc: Document, ctx: Context) -> list[tuple[str, int, int]]:
        out: list[tuple[str, int, int]] = []
        # "all" pieces are whole views: the plan (base.Check.plan) names those each may match in
        pieces, plan, order = self.plan(doc, ctx, "all", [self.congress, self.plenums])
        where = dict(plan)
        congress, plenums = 0 in where, 1 in where
        for n in order:
            piece = pieces[n]
            text = piece.view.text
            if congress and (where[0] is None or n in where[0]):  # type: ignore[operator]
                for m in self.finditer(self.congress, text, piece.start, piece.end):
                    s, e = piece.view.doc_span(*m.span())
                    out.append((f"{m.group('congress')}大", s, e))
            if not plenums or (where[1] is not None and n not in where[1]):  # type: ignore[operator]
                continue
            for m in self.finditer(self.plenums, text, piece.start, piece.end):
                for n in _PLENUM_NUM.finditer(m.group("list")):
                    s, e = piece.view.doc_span(m.start("list") + n.start(), m.start("list") + n.end())
                    out.append((f"{m.group('congress')}届{n.group(1)}中全会", s, e))
        return [x for x in out if x[0] in self.when]

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        year = ctx.year
        if year is None:
            return
        mentions = self._mentions(doc, ctx)
        if not mentions:
            return
        if self.params.mode == "after_signature":
            sig = doc.meta.signature
            limit = sig.date.value if sig and sig.date and sig.date.value else (ctx.options.published or date(year + 1, 12, 31))
            seen: set[str] = set()
            for name, s, e in mentions:
                held = self.when[name]
                if held > limit and name not in seen and not self._looks_ahead(doc, ctx, s, e):
                    seen.add(name)  # one finding per session, at its first mention
                    yield self.finding(s, e, {"session": name, "held": f"{held.year}年{held.month}月", "limit": f"{limit.year}年{limit.month}月{limit.day}日", "year": year})
            return
        # superseded: every session cited belongs to an older congress than the one held before
        # the report year began (a 2023 report that cites only 十九届六中全会, not 二十大).
        # Plenums within a congress are not compared: citing only 二十大 in 2024 is common usage.
        start = date(year, 1, 1)
        congresses = [s for s in self.sessions if s.name.endswith("大") and self.when[s.name] < start]
        if not congresses:
            return
        current = max(congresses, key=lambda s: self.when[s.name])
        newest = max(mentions, key=lambda x: self.when[x[0]])
        if self._congress(newest[0]) != current.name and self.when[newest[0]] < self.when[current.name]:
            held = self.when[current.name]
            yield self.finding(
                newest[1],
                newest[2],
                {"session": newest[0], "current": current.name, "held": f"{held.year}年{held.month}月", "year": year},
            )

    def _looks_ahead(self, doc: Document, ctx: Context, s: int, e: int) -> bool:
        """Whether the mention at source [s, e) looks forward to the session instead of citing it."""
        p: SessionReferenceParams = self.params
        if p.ahead_element:
            hit = ctx.elements.get(p.ahead_element)
            if hit is not None and hit.status != "missing" and hit.paragraphs:
                first = hit.paragraphs[0].view.doc_span(0, 1)[0]
                last = hit.paragraphs[-1].view
                if max(first, hit.start or first) <= s < last.doc_span(0, len(last.text))[1]:
                    return True
        text = doc.norm
        lo = s
        while lo > 0 and s - lo < 40 and text[lo - 1] not in "。;；,，!?！？\n":
            lo -= 1
        if self.ahead_before is not None and self.search(self.ahead_before, text[lo:s]):
            return True
        return self.ahead_after is not None and self.search(self.ahead_after, text[e : e + 12]) is not None

    @staticmethod
    def _congress(name: str) -> str:
        """十九届六中全会 -> 十九大."""
        return name.split("届")[0] + "大" if "届" in name else name
