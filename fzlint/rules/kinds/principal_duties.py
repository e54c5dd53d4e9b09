"""principal_duties: does the 第一责任人 part say what THIS body's principal did?

The part must report the principal's own acts (DOMAIN.md §2 [B1][B2]): hearing reports and
solving major problems, leading the study of law, 述法, personally deploying and supervising,
appearing in court, putting 法治 into the plans. Reports often fill the part with what was
pressed on others ("压实各镇街主要负责人第一责任人职责") or with the title repeated.

Each duty match is attributed to the nearest actor before it in its clause (an actor at the
start of an earlier clause of the same sentence carries over as the subject). Actors are the
body's own principal or leading organs (titles derived from the issuer's kind and level: 市长,
市委常委会, 局党组书记, 镇长 …), generic principals (主要负责人, 领导班子), or others
(subordinates such as 各镇街主要负责人, and other bodies). A duty with no actor before it is
the part's implicit subject, i.e. the principal.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

from fzlint.document.model import Document, Paragraph
from fzlint.patterns import lazy
from fzlint.rules.context import Context, ElementHit
from fzlint.rules.kinds.base import Check, compile_pattern
from fzlint.rules.kinds.content import add_content, body_text, join_labels, mask_book_titles
from fzlint.rules.model import Finding

_CLAUSE_END = lazy(r"[,，;；:：。！？!?]")
_SENTENCE_END = lazy(r"[。！？!?；;]")
# An actor right after a preposition is a place or a recipient, not the subject (在县委会议上述法).
_PREPOSITION = lazy(r"(在|向|到|于|赴|对|给|被|受|经|按照|根据)$")
_LEVELS = "省市县区旗州盟"
BODY_KINDS = ("government", "department", "township")  # Metadata.body_kind
_GOV_SUFFIX = lazy(r"(人民政府|政府)$")
_OWN, _GENERIC, _OTHER = "own", "generic", "other"


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class PrincipalDutiesParams:
    element: str = "first_responsible"
    duties: dict[str, list[str]] = field(default_factory=dict)  # label -> patterns
    # body kind (government | department | township) -> patterns of the body's own principal
    # and leading organs; "{L}" stands for the issuer's level (市, 县, 区 …)
    principals: dict[str, list[str]] = field(default_factory=dict)
    generic: list[str] = field(default_factory=list)  # 主要负责人, 领导班子 …: own unless qualified
    subordinates: dict[str, list[str]] = field(default_factory=dict)  # body kind or "all" -> patterns
    pressed_on_others: list[str] = field(default_factory=list)  # 压实/督促 … subordinates' duties
    min_duties: int = 2  # fewer duty kinds than this: a finding (none: warning, some: info)


class DutyHit(NamedTuple):
    label: str
    role: str  # own | generic | other | implicit
    paragraph: Paragraph
    start: int  # view offsets
    end: int


def _union(patterns: list[str]) -> regex.Pattern[str]:
    """One pattern matching any of `patterns` (earlier ones win at the same position)."""
    return compile_pattern("|".join(f"(?:{x})" for x in patterns))


_META = set("\\[](){}.*+?^$|")


def _top_level_end(src: str, i: int) -> int:
    """The index just past the group opened at src[i] ("("), or -1."""
    depth = 0
    in_class = False
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if src.startswith("[^]", i) or src.startswith("[]", i):
                i += 2 if src[i + 1] == "]" else 3
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def required_literals(src: str) -> tuple[str, ...] | None:
    """Strings one of which every match of `src` contains, when that is easy to see: the
    pattern ends with a plain group (not repeated, not a lookaround) whose every branch starts
    with a literal. None when unsure. A paragraph holding none of them cannot match `src`."""
    found = _final_group(src)
    return found[1] if found is not None else None


def _final_group(src: str) -> tuple[int, tuple[str, ...]] | None:
    """Where the final group of `src` opens, and its literals (see required_literals)."""
    if "(?" in src.replace("(?:", "") or not src.endswith(")"):
        return None  # flags, lookaround, named groups …: not analysed
    # the top-level pieces: the pattern must have no top-level "|" and end with a group
    i, last_open = 0, -1
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = i + 1
            if j < len(src) and src[j] == "^":
                j += 1
            if j < len(src) and src[j] == "]":
                j += 1
            while j < len(src) and src[j] != "]":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c == "|":
            return None
        if c == "(":
            end = _top_level_end(src, i)
            if end < 0:
                return None
            last_open = i
            i = end
            continue
        i += 1
    if last_open < 0 or _top_level_end(src, last_open) != len(src):
        return None
    inner = src[last_open + 1 : -1]
    inner = inner.removeprefix("?:")
    # split the group's own branches (not nested ones)
    branches: list[str] = []
    depth, start, k = 0, 0, 0
    while k < len(inner):
        c = inner[k]
        if c == "\\":
            k += 2
            continue
        if c == "[":
            return None  # keep it simple: classes inside the final group are not analysed
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            branches.append(inner[start:k])
            start = k + 1
        k += 1
    branches.append(inner[start:])
    literals: list[str] = []
    for b in branches:
        n = 0
        while n < len(b) and b[n] not in _META:
            n += 1
        if n < len(b) and b[n] in "?*{":
            n -= 1  # the last literal is optional or repeated
        if n < 1:
            return None
        literals.append(b[:n])
    return last_open, tuple(literals)


_REQUIRED: dict[str, tuple[str, ...] | None] = {}


def _required(src: str) -> tuple[str, ...] | None:
    if src not in _REQUIRED:
        _REQUIRED[src] = required_literals(src)
    return _REQUIRED[src]


# Width analysis borrows the standard library's parser (it reports a pattern's min/max width); a
# \p{…} class is one character, like the "." put in its place. Anything else it cannot parse, or
# reads differently from `regex` (V1 set operations), is not analysed.
_PROPERTY = lazy(r"\\[pP](?:\{[^}]*\}|[A-Za-z])")
# A branch searched in a window [pos, endpos) finds what it finds in the whole text only without
# anchors, word boundaries and lookaround (lookahead would stop at endpos); V1 set operations
# are left alone too, for the width analysis.
_WINDOW_UNSAFE = lazy(r"\^|\$|\\[AbBGKmMzZ]|\(\?(?!:)|--|&&|~~|\|\||\[\[")


def _max_width(src: str) -> tuple[int, int] | None:
    """(min, max) characters a match of `src` can span; None when unbounded or unsure."""
    import re._parser as sre_parse  # imported on the first union analysed (Python >= 3.11)

    try:
        lo, hi = sre_parse.parse(_PROPERTY.sub(".", src)).getwidth()
    except Exception:  # noqa: BLE001 - any syntax the stdlib parser lacks: not analysed
        return None
    return (lo, hi) if hi < 10_000 else None


class _EmptyMatch(Exception):
    """A segment matched the empty string: the plain union is searched instead."""


class _Segment(NamedTuple):
    """Consecutive branches of a union searched together, or one slow branch searched only near
    the literals it must contain (`literals`): a match starts at most `before` characters before
    one of them and spans at most `width` characters."""

    pattern: regex.Pattern[str]
    literals: tuple[str, ...] = ()
    before: int = 0
    width: int = 0


def _segments(srcs: list[str]) -> _Plan | None:
    """The union of `srcs` as segments (see _Segment), or None when no branch is worth windowing.

    A branch starting with a class such as \\p{Han}{2,10}? can start anywhere, so the union as a
    whole loses regex's quick scan for first characters and tries every branch at every
    character: split, the literal-led branches are scanned quickly and the slow one only near
    the literals it needs."""
    if any("\\G" in x.replace("\\\\", "") for x in srcs):
        return None  # the only construct whose match depends on where a search starts
    plan: list[_Segment] = []
    run: list[str] = []
    plain_srcs: list[str] = []
    for src in srcs:
        plain = src.replace("\\\\", "").replace("[^", "[")
        slow = src[:1] in ("\\", "[", ".") and _WINDOW_UNSAFE.search(plain) is None
        found = _final_group(src) if slow else None
        widths = _max_width(src[: found[0]]) if found is not None else None
        total = _max_width(src) if widths is not None else None
        if found is None or widths is None or total is None:
            run.append(src)
            plain_srcs.append(src)
            continue
        if run:
            plan.append(_Segment(_union(run)))
            run = []
        plan.append(_Segment(compile_pattern(src), found[1], widths[1], total[1]))
    if run:
        plan.append(_Segment(_union(run)))
    if not any(seg.literals for seg in plan):
        return None
    return _Plan(plan, _union(plain_srcs) if plain_srcs else None)


class _Plan(NamedTuple):
    """A union split into segments, and the union of its plain branches alone: while no slow
    branch matches in a text, that finds what the whole union finds."""

    segments: list[_Segment]
    rest: regex.Pattern[str] | None


def issuer_level(issuer: str | None) -> str:
    """The administrative level character of a government issuer (高州市人民政府 -> 市)."""
    if not issuer:
        return "市"
    name = _GOV_SUFFIX.sub("", issuer)
    for ch in reversed(name):
        if ch in _LEVELS:
            return ch
    return "市"


class PrincipalDuties(Check):
    name = "principal_duties"
    Params = PrincipalDutiesParams

    def setup(self) -> None:
        p: PrincipalDutiesParams = self.params
        # one alternation per duty / role: a few scans per paragraph instead of dozens
        self.duty_res = {label: [_union(pats)] for label, pats in p.duties.items()}
        self.generic_res = [_union(p.generic)] if p.generic else []
        self.pressed_res = [_union(p.pressed_on_others)] if p.pressed_on_others else []
        self._actor_cache: dict[tuple[str, str], tuple[list[regex.Pattern[str]], list[regex.Pattern[str]]]] = {}
        # others' union without the branches whose required literals a text lacks (a branch
        # such as "\\p{Han}{2,10}?(局|…)…(主要负责人|…)" costs ten times the rest together)
        self._others_src: dict[tuple[str, str], list[str]] = {}
        self._narrowed: dict[tuple[str, ...], regex.Pattern[str]] = {}
        self._plans: dict[tuple[str, str], _Plan | None] = {}
        # every body kind and level up front: the ruleset cache keeps what setup compiles, so a
        # run unpickles these unions instead of compiling them for each new process
        for kind in BODY_KINDS:
            for level in _LEVELS:
                if self._actor_patterns(kind, level)[1]:
                    self._plan((kind, level))

    # ---- actors --------------------------------------------------------------------------
    def _actor_patterns(self, kind: str, level: str) -> tuple[list[regex.Pattern[str]], list[regex.Pattern[str]]]:
        """Own-principal patterns for this body, and patterns of every other actor."""
        key = (kind, level)
        if key not in self._actor_cache:
            p: PrincipalDutiesParams = self.params
            own_src = [x.replace("{L}", level) for x in p.principals.get(kind, [])]
            others_src: list[str] = list(p.subordinates.get("all", [])) + list(p.subordinates.get(kind, []))
            other_levels = "".join(c for c in _LEVELS if c != level) if kind == "government" else _LEVELS
            for k, pats in p.principals.items():
                lv = f"[{other_levels}]" if k == kind else f"[{_LEVELS}]"
                others_src.extend(x.replace("{L}", lv) for x in pats if k != kind or "{L}" in x)
            self._actor_cache[key] = ([_union(own_src)] if own_src else [], [_union(others_src)] if others_src else [])
            self._others_src[key] = others_src
        return self._actor_cache[key]

    def _others_for(self, key: tuple[str, str], text: str, others: list[regex.Pattern[str]]) -> list[regex.Pattern[str]]:
        """`others`, or the same union without branches that cannot match `text`: a branch that
        matches nowhere in the text changes nothing in the union's matches."""
        srcs = self._others_src.get(key)
        if not srcs or not others:
            return others
        kept = [s for s in srcs if (need := _required(s)) is None or any(x in text for x in need)]
        if len(kept) == len(srcs):
            return others
        if not kept:
            return []
        k = tuple(kept)
        pat = self._narrowed.get(k)
        if pat is None:
            pat = self._narrowed[k] = _union(kept)
        return [pat]

    def _plan(self, key: tuple[str, str]) -> _Plan | None:
        """The others' union of this key as segments (see _segments), or None."""
        if key not in self._plans:
            self._actor_patterns(*key)
            srcs = self._others_src.get(key)
            self._plans[key] = _segments(srcs) if srcs else None
        return self._plans[key]

    def _spans(self, split: _Plan, text: str) -> list[tuple[int, int]]:
        """The spans finditer would give for the union that `split` splits: at each step the
        leftmost next match of any segment, the earlier segment (branch order) on a tie."""
        plan = split.segments
        n = len(text)
        spans: list[tuple[int, int]] = []
        ahead: list[tuple[int, int] | None] = [None] * len(plan)  # each segment's next match
        known = [False] * len(plan)
        occurrences: list[list[int] | None] = [None] * len(plan)
        for k, seg in enumerate(plan):
            if seg.literals:
                ahead[k] = self._next(seg, text, 0, occurrences, k)
                known[k] = True
        if all(ahead[k] is None for k, seg in enumerate(plan) if seg.literals):
            # the usual case: no slow branch matches anywhere, the other branches are the union
            return [m.span() for m in self.finditer_direct(split.rest, text, 0)] if split.rest is not None else []
        cur = 0
        while cur <= n:
            best: tuple[int, int] | None = None
            for k, seg in enumerate(plan):
                m = ahead[k]
                # a next match found from an earlier start stays the next one from `cur` while it
                # starts at or after `cur`: a branch without \G matches where it matches
                if not known[k] or (m is not None and m[0] < cur):
                    m = ahead[k] = self._next(seg, text, cur, occurrences, k)
                    known[k] = True
                if m is not None and (best is None or m[0] < best[0]):
                    best = m
            if best is None:
                break
            if best[1] == best[0]:
                raise _EmptyMatch  # finditer's own rule for empty matches applies: not redone here
            spans.append(best)
            cur = best[1]
        return spans

    # This check reads the few paragraphs of one part, so it searches them directly
    # (Check.search_direct): the document prefilter would first search each pattern over the
    # whole body, ten times the text read here.
    def _next(self, seg: _Segment, text: str, cur: int, occurrences: list[list[int] | None], k: int) -> tuple[int, int] | None:
        """The leftmost match of a segment starting at or after `cur`."""
        if not seg.literals:
            m = self.search_direct(seg.pattern, text, cur, len(text))
            return m.span() if m is not None else None
        occ = occurrences[k]
        if occ is None:
            occ = []
            for lit in seg.literals:
                i = text.find(lit)
                while i >= 0:
                    occ.append(i)
                    i = text.find(lit, i + 1)
            occ = occurrences[k] = sorted(set(occ))
        lo = cur
        for i in range(bisect_left(occ, cur), len(occ)):
            j = occ[i]
            # a match starting in [j - before, j] has a literal at j and ends by j + width, so the
            # window holds every way to match from there: the same match as in the whole text
            a = max(lo, j - seg.before)
            m = self.search_direct(seg.pattern, text, a, min(len(text), j + seg.width))
            if m is not None and m.start() <= j:
                return m.span()
            lo = j + 1  # no match starts in [a, j]; later starts need a later literal
        return None

    def _actors(
        self, text: str, own: list[regex.Pattern[str]], others: list[regex.Pattern[str]], plan: _Plan | None = None
    ) -> list[tuple[int, int, str]]:
        """Non-overlapping actor mentions (start, end, role), own titles first, then others,
        then generic principals."""
        taken: list[tuple[int, int, str]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b, _ in taken)

        for role, pats in ((_OWN, own), (_OTHER, others), (_GENERIC, self.generic_res)):
            for pat in pats:
                spans: list[tuple[int, int]] | None = None
                if role == _OTHER and plan is not None:  # `pat` is the union `plan` splits
                    try:
                        spans = self._spans(plan, text)
                    except _EmptyMatch:
                        spans = None
                if spans is None:
                    spans = [m.span() for m in self.finditer_direct(pat, text, 0)]
                for s, e in spans:
                    if e > s and free(s, e) and not _PREPOSITION.search(text, max(0, s - 4), s):
                        taken.append((s, e, role))
        taken.sort()
        return taken

    # ---- duties --------------------------------------------------------------------------
    def duties_in(self, paragraphs: list[Paragraph], doc: Document) -> tuple[list[DutyHit], bool]:
        """Every duty mention with the actor it is attributed to; and whether the text presses
        duties on others (压实各…主要负责人…职责)."""
        key = (doc.meta.body_kind, issuer_level(doc.meta.issuer))
        own, others = self._actor_patterns(*key)
        plan = self._plan(key) if others else None
        hits: list[DutyHit] = []
        pressed = False
        for para in paragraphs:
            raw, start = body_text(para)
            text = mask_book_titles(raw)
            if start >= len(text):
                continue
            # the others' union split into segments finds what it finds, branch by branch; else
            # the union without the branches that cannot match this paragraph
            actors = self._actors(text, own, others, plan) if plan is not None else self._actors(text, own, self._others_for(key, text, others))
            if any(self.search_direct(r, text, start, len(text)) for r in self.pressed_res):
                pressed = True
            for label, pats in self.duty_res.items():
                for pat in pats:
                    for m in self.finditer_direct(pat, text, start):
                        hits.append(DutyHit(label, self._attribute(text, start, m.start(), actors), para, m.start(), m.end()))
        return hits, pressed

    @staticmethod
    def _attribute(text: str, floor: int, pos: int, actors: list[tuple[int, int, str]]) -> str:
        # the clause holding the duty, and the sentence holding the clause
        clause_start = floor
        for m in _CLAUSE_END.finditer(text, floor, pos):
            clause_start = m.end()
        sentence_start = floor
        for m in _SENTENCE_END.finditer(text, floor, pos):
            sentence_start = m.end()
        before = [a for a in actors if clause_start <= a[0] and a[1] <= pos]
        if before:
            return before[-1][2]
        # a subject at the head of an earlier clause of the same sentence carries over
        heads: list[str] = []
        for a_s, _a_e, role in actors:
            if sentence_start <= a_s < clause_start:
                k = a_s
                while k > sentence_start and text[k - 1] in " \u3000":
                    k -= 1
                if k == sentence_start or _CLAUSE_END.match(text, k - 1):
                    heads.append(role)
        return heads[-1] if heads else "implicit"

    # ---- check ---------------------------------------------------------------------------
    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: PrincipalDutiesParams = self.params
        hit: ElementHit | None = ctx.elements.get(p.element)
        if hit is None or hit.status == "missing" or not hit.paragraphs:
            return
        duties, pressed = self.duties_in(hit.paragraphs, doc)
        labels = list(p.duties)
        own_labels = sorted({d.label for d in duties if d.role != _OTHER}, key=labels.index)
        other_labels = sorted({d.label for d in duties if d.role == _OTHER} - set(own_labels), key=labels.index)
        missing = [x for x in labels if x not in own_labels]
        data = {
            "duties": own_labels,
            "missing": missing,
            "subordinate_only": other_labels,
            "pressed_on_others": pressed,
        }
        summary = f"本级主要负责人履职:{join_labels(own_labels) if own_labels else '未写明'}" + (
            f";未写:{join_labels(missing)}" if missing else ""
        )
        add_content(hit, "duties", data, summary)
        if hit.status != "heading" or len(own_labels) >= p.min_duties:
            return  # an inline mention is already reported as lacking its own part
        if own_labels:
            what = f"只写了{join_labels(own_labels)}"
        elif other_labels or pressed:
            what = "只写了对下级或其他单位压实、落实责任"
        else:
            what = "只重复了职责名称"
        values = {"what": what, "missing": join_labels(missing), "label": hit.label}
        assert hit.start is not None
        yield self.finding(hit.start, hit.end or hit.start, values, severity=None if not own_labels else "info")
