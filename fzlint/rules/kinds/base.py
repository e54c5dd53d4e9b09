"""The base of every check kind, and the scopes a rule can look at."""

from __future__ import annotations

import os
import re
import string
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import regex

from fzlint.document.model import Document, Paragraph, TextView
from fzlint.rules.context import Context
from fzlint.rules.model import Finding, Fix, Rule

# User patterns run with a time limit so a catastrophic pattern cannot hang a run (seconds).
# FZLINT_REGEX_TIMEOUT overrides it (tests use a short one; a slow machine may want more).
DEFAULT_REGEX_TIMEOUT = 1.0


def _regex_timeout() -> float:
    try:
        value = float(os.environ.get("FZLINT_REGEX_TIMEOUT", DEFAULT_REGEX_TIMEOUT))
    except ValueError:
        return DEFAULT_REGEX_TIMEOUT
    return value if 0 < value < 3600 else DEFAULT_REGEX_TIMEOUT


REGEX_TIMEOUT = _regex_timeout()


class ParamError(ValueError):
    """A rule parameter that is well-typed but unusable; `field` names it for the message."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.field = field
        self.zh = zh
        self.en = en


class RuleTimeout(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class _SafeDict(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


_FMT = string.Formatter()


def render_template(template: str, values: dict[str, Any]) -> str:
    """Fill `{name}` fields; unknown fields stay as written."""
    if "{" not in template:
        return template
    try:
        return _FMT.vformat(template, (), _SafeDict(values))
    except (ValueError, IndexError):
        return template


# Searching only a range of a text differs from searching all of it where a construct looks at
# the range's edges: anchors, word boundaries, negative lookaround, reverse/multiline/word flags.
_EDGE_TOKENS = ("\\A", "\\Z", "\\z", "\\b", "\\B", "\\G", "\\m", "\\M", "\\K", "(?!", "(?<!")
_EDGE_FLAGS = re.compile(r"\(\?[a-zA-Z-]*[rmwRMW][a-zA-Z-]*[:)]")
_EDGE_SAFE: dict[regex.Pattern[str], bool] = {}


def _edge_insensitive(pattern: regex.Pattern[str]) -> bool:
    """True when every match of `pattern` within a range [pos, endpos) of a text is also a match
    of the pattern in any longer text that contains that range (no anchors, word boundaries or
    negative lookaround). Conservative: a pattern it is unsure about is treated as sensitive."""
    src = pattern.pattern
    if not isinstance(src, str) or pattern.flags & (regex.REVERSE | regex.MULTILINE | regex.WORD):
        return False
    src = src.replace("\\\\", "").replace("\\^", "").replace("\\$", "").replace("\\[", "").replace("[^", "[")
    if "^" in src or "$" in src or any(t in src for t in _EDGE_TOKENS):
        return False
    return _EDGE_FLAGS.search(src) is None


class Prefilter:
    """Per document: skips searches that cannot match, so each check need not know.

    A pattern without edge-sensitive constructs (see `_edge_insensitive`) that does not match the
    document body (all paragraphs joined by newlines) matches no paragraph and no part of one; one
    whose first match in a paragraph starts after `endpos` matches nothing in [pos, endpos) of it
    (a sentence). Only the paragraphs' own texts and the body are filtered, so the result of every
    search is exactly what it would be without the filter."""

    __slots__ = ("_doc", "_texts", "_state", "_first", "_misses")

    # _state per pattern: not filtered (edge-sensitive, slow, or matching nearly everywhere),
    # absent from the body, or present in it
    _OFF, _ABSENT, _PRESENT = 0, 1, 2

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._texts: dict[int, str] | None = None  # id(text) -> text of each paragraph
        self._state: dict[regex.Pattern[str], int] = {}
        self._first: dict[tuple[regex.Pattern[str], int], int] = {}  # first match start, -1: none
        self._misses: dict[regex.Pattern[str], int] = {}  # range lookups that excluded nothing

    def _classify(self, pattern: regex.Pattern[str], timeout: float | None) -> int:
        safe = _EDGE_SAFE.get(pattern)
        if safe is None:
            safe = _EDGE_SAFE[pattern] = _edge_insensitive(pattern)
        state = self._OFF
        if safe:
            try:
                found = pattern.search(self._doc.body.text, timeout=timeout) is not None
                state = self._PRESENT if found else self._ABSENT
            except TimeoutError:
                pass  # let the caller's own search decide (and time out)
        self._state[pattern] = state
        return state

    def absent(self, pattern: regex.Pattern[str], timeout: float | None = REGEX_TIMEOUT) -> bool:
        """True when `pattern` is edge-insensitive and has no match in the body, so it has none
        in any paragraph or any part of one (a sentence, a heading title) searched on its own.
        Lets a check drop the pattern once per document instead of asking per piece."""
        state = self._state.get(pattern)
        if state is None:
            state = self._classify(pattern, timeout)
        return state == self._ABSENT

    def excludes(self, pattern: regex.Pattern[str], text: str, pos: int, endpos: int, timeout: float | None = REGEX_TIMEOUT) -> bool:
        """True when `pattern` certainly has no match in text[pos:endpos] (search semantics).
        `timeout` limits its own searches (None: a bounded pattern, no limit needed)."""
        state = self._state.get(pattern)
        if state == self._OFF or (state == self._PRESENT and pos == 0 and endpos >= len(text)):
            return False  # the common cases first: the caller's own search is the check
        texts = self._texts
        if texts is None:
            texts = {}
            for p in self._doc.paragraphs:
                # a text object shared by two paragraphs (one-character strings are) is not used
                texts[id(p.view.text)] = "" if id(p.view.text) in texts else p.view.text
            self._texts = texts
        if texts.get(id(text)) is not text:
            body = self._doc._body_view  # the body counts only once built (a heading title never does)
            if body is None or text is not body.text:
                return False
        if state is None:
            state = self._classify(pattern, timeout)
        if state != self._PRESENT:
            return state == self._ABSENT
        if pos == 0 and endpos >= len(text):
            return False
        key = (pattern, id(text))
        first = self._first.get(key)
        if first is None:
            try:
                m = pattern.search(text, timeout=timeout)
            except TimeoutError:
                self._state[pattern] = self._OFF
                return False
            first = self._first[key] = m.start() if m is not None else -1
        # an empty match may sit at endpos itself, hence ">" rather than ">="
        if first < 0 or first > endpos:
            return True
        misses = self._misses[pattern] = self._misses.get(pattern, 0) + 1
        if misses >= 64:
            self._state[pattern] = self._OFF  # matches nearly everywhere: filtering only costs
        return False


# A search with a timeout costs about 2 µs more than one without (regex reads a clock), which is
# a third of the lint time of a report. Patterns that cannot backtrack catastrophically run
# without it: no unbounded quantifier (*, +, {n,}), no repeated group that itself repeats or
# branches, and few enough paths per start position (the product of every quantifier's range and
# every alternation's branch count). Anything the scanner does not understand keeps the timeout.
_PATH_BUDGET = 100_000
_QUANT = re.compile(r"\{(\d*)(,?)(\d*)\}")
_GROUP_PREFIX = re.compile(r"\?(?:P?<[A-Za-z_]\w*>|[:=!>|]|<[=!]|(?:[abefilmprsuwxL-]|V[01])*[:)])")
_BOUNDED: dict[regex.Pattern[str], bool] = {}


def _bounded(pattern: regex.Pattern[str]) -> bool:
    """True when the pattern's work per start position has a fixed bound (see above)."""
    src = pattern.pattern
    if not isinstance(src, str) or pattern.flags & regex.VERBOSE:
        return False
    paths = 1
    frames: list[list[int]] = []  # per open group: [repeats or branches inside (0/1), branches]
    cur = [0, 1]
    last: str | None = None  # what a quantifier would apply to: "atom" | "group"
    last_inner = 0  # the last closed group repeats or branches inside
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\":
            if i + 1 >= n:
                return False
            d = src[i + 1]
            i += 2
            if d.isalpha() and i < n and src[i] in "{<":
                close = src.find("}" if src[i] == "{" else ">", i)
                if close < 0:
                    return False
                i = close + 1
            last = "atom"
            continue
        if c == "[":
            depth, i = 1, i + 1
            if i < n and src[i] == "^":
                i += 1
            if i < n and src[i] == "]":
                i += 1
            while i < n and depth:
                if src[i] == "\\":
                    i += 2
                    continue
                depth += {"[": 1, "]": -1}.get(src[i], 0)
                i += 1
            if depth:
                return False
            last = "atom"
            continue
        if c == "(":
            if src.startswith("(?#", i):
                close = src.find(")", i)
                if close < 0:
                    return False
                i = close + 1
                continue
            if src.startswith("(?", i):
                m = _GROUP_PREFIX.match(src, i + 1)
                if m is None or "x" in m.group() and m.group()[-1] in ":)":
                    return False  # recursion, conditionals, verbose mode …
                if m.group().endswith(")"):  # (?i) flags, not a group
                    i = m.end()
                    last = None
                    continue
                i = m.end()
            else:
                i += 1
            frames.append(cur)
            cur = [0, 1]
            last = None
            continue
        if c == ")":
            if not frames:
                return False
            paths *= cur[1]
            last_inner = 1 if (cur[0] or cur[1] > 1) else 0
            cur = frames.pop()
            cur[0] |= last_inner
            last = "group"
            i += 1
            continue
        if c == "|":
            cur[1] += 1
            last = None
            i += 1
            continue
        if c in "*+":
            return False
        if c == "?" or c == "{":
            if c == "?":
                lo, hi, i = 0, 1, i + 1
            else:
                m = _QUANT.match(src, i)
                if m is None or not (m.group(1) or m.group(3)):
                    last = "atom"  # a literal "{"
                    i += 1
                    continue
                if m.group(2) and not m.group(3):
                    return False  # {n,}
                lo = int(m.group(1) or 0)
                hi = int(m.group(3)) if m.group(2) else lo
                i = m.end()
            if last is None:
                return False
            if last == "group" and last_inner and hi > 1:
                return False  # a repeated group that repeats or branches inside
            if i < n and src[i] in "?+":
                i += 1  # lazy or possessive
            paths *= max(1, hi - lo + 1)
            cur[0] = 1
            last = None
            continue
        last = "atom"
        i += 1
    return not frames and paths <= _PATH_BUDGET


def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile a rule pattern. VERSION1 gives full Unicode classes such as \\p{Han}."""
    return regex.compile(pattern, regex.V1)


@dataclass(frozen=True, slots=True)
class Piece:
    """A range [start, end) of a view that a rule looks at."""

    view: TextView
    start: int
    end: int
    paragraph: Paragraph | None = None

    @property
    def text(self) -> str:
        return self.view.text[self.start : self.end]


SCOPES = ("all", "body", "paragraphs", "headings", "sentences", "title")
_ELEMENT_UNITS = ("paragraphs", "headings", "sentences")


def check_scope(scope: str) -> None:
    """Raise ParamError for a scope iter_scope does not know (it would silently mean paragraphs)."""
    if scope in SCOPES:
        return
    parts = scope.split(":")
    if parts[0] == "element" and len(parts) in (2, 3) and parts[1] and (len(parts) == 2 or parts[2] in _ELEMENT_UNITS):
        return
    known = "、".join(SCOPES)
    raise ParamError(
        "scope",
        f"未知的范围 “{scope}”(可用:{known}、element:<部分>[:sentences])",
        f"unknown scope '{scope}' (known: {', '.join(SCOPES)}, element:<id>[:sentences])",
    )


def paragraph_scope(scope: str) -> bool:
    """True when every piece of `scope` is a paragraph's text or part of it (or the body), so a
    pattern absent from the body (Prefilter.absent) matches no piece."""
    return scope != "all" and scope != "title"


def iter_scope(doc: Document, ctx: Context, scope: str) -> Iterator[Piece]:
    """Pieces of the document for a scope: body | paragraphs | headings | sentences | title,
    or `element:<id>` / `element:<id>:sentences` for a located required part."""
    paragraphs: list[Paragraph]
    unit = "paragraphs"
    if scope.startswith("element:"):
        parts = scope.split(":")
        hit = ctx.elements.get(parts[1])
        paragraphs = hit.paragraphs if hit else []
        unit = parts[2] if len(parts) > 2 else "paragraphs"
    elif scope == "title":
        if doc.meta.title_span:
            s, e = doc.meta.title_span
            v = TextView(doc.norm[s:e], [0], [s])
            yield Piece(v, 0, len(v.text))
        return
    elif scope == "all":
        # title, alternative titles, every paragraph and the signature: the whole visible report
        meta = doc.meta
        spans = [meta.title_span] if meta.title_span else []
        spans.extend(span for _t, span, _y in meta.alt_titles)
        for s, e in spans:
            v = TextView(doc.norm[s:e], [0], [s])
            yield Piece(v, 0, len(v.text))
        for p in doc.paragraphs:
            yield Piece(p.view, 0, len(p.view.text), p)
        sig = meta.signature
        if sig is not None and sig.issuer_span is not None:
            s, e = sig.issuer_span
            v = TextView(doc.norm[s:e], [0], [s])
            yield Piece(v, 0, len(v.text))
        return
    elif scope == "body":
        v = doc.body
        yield Piece(v, 0, len(v.text))
        return
    else:
        paragraphs = doc.paragraphs
        unit = scope
    for p in paragraphs:
        if unit == "headings":
            if p.heading is not None:
                yield Piece(p.view, 0, p.heading.title_end, p)
        elif unit == "sentences":
            for s, e in p.sentences():
                yield Piece(p.view, s, e, p)
        else:
            yield Piece(p.view, 0, len(p.view.text), p)


class Check:
    """One check kind. Subclasses set `name`, `Params` (a dataclass) and implement `check`."""

    name: ClassVar[str] = ""
    Params: ClassVar[type] = object
    phase: ClassVar[int] = 1  # 0: locates required parts; 1: everything else
    prefilter: Prefilter | None = None  # set by the engine for each document
    # End of this rule's regex time budget for the current document (monotonic clock);
    # None: each regex call gets REGEX_TIMEOUT on its own.
    _deadline: float | None = None

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.params = self.Params(**rule.params)
        scope = getattr(self.params, "scope", None)
        if isinstance(scope, str):
            check_scope(scope)
        self.setup()

    def setup(self) -> None:
        """Compile patterns once per run."""

    def begin(self, size: int = 0) -> None:
        """Start the regex time budget for one document of `size` characters: REGEX_TIMEOUT
        per 200,000 characters for all the rule's searches together (each single search gets at
        most REGEX_TIMEOUT), so a slow pattern over many paragraphs is bounded too."""
        self._deadline = time.monotonic() + REGEX_TIMEOUT * (1 + size // 200_000)

    def _timeout(self) -> float:
        if self._deadline is None:
            return REGEX_TIMEOUT
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise RuleTimeout(self.rule.code)
        return min(left, REGEX_TIMEOUT)

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    # helpers -----------------------------------------------------------------------------
    def finding(
        self,
        start: int,
        end: int,
        values: dict[str, Any] | None = None,
        *,
        message: str | None = None,
        fix: Fix | None = None,
        severity: str | None = None,
        help: str | None = None,
    ) -> Finding:
        vals = values or {}
        r = self.rule
        return Finding(
            code=r.code,
            severity=severity or r.severity,
            category=r.category,
            message=render_template(message or r.message, vals),
            start=start,
            end=max(start, end),
            help=render_template(help if help is not None else r.help, vals),
            fix=fix,
            rule_name=r.name,
        )

    def _limit(self, pattern: regex.Pattern[str]) -> float | None:
        """The timeout for one search with `pattern`: None for a bounded pattern (see _bounded),
        which runs without one. Raises RuleTimeout once the rule's budget for the document is
        spent, whatever the pattern."""
        bounded = _BOUNDED.get(pattern)
        if bounded is None:
            bounded = _BOUNDED[pattern] = _bounded(pattern)
        if not bounded:
            return self._timeout()
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise RuleTimeout(self.rule.code)
        return None

    def finditer(self, pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match[str]]:
        end = len(text) if endpos is None else endpos
        limit = self._limit(pattern)
        pf = self.prefilter
        if pf is not None and pf.excludes(pattern, text, pos, end, limit):
            return iter(())
        if limit is None:
            return pattern.finditer(text, pos, end)
        return self._finditer_timed(pattern, text, pos, end)

    def _finditer_timed(self, pattern: regex.Pattern[str], text: str, pos: int, end: int) -> Iterator[regex.Match[str]]:
        try:
            yield from pattern.finditer(text, pos, end, timeout=self._timeout())
        except TimeoutError:
            raise RuleTimeout(self.rule.code) from None

    def search(self, pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        end = len(text) if endpos is None else endpos
        limit = self._limit(pattern)
        pf = self.prefilter
        if pf is not None and pf.excludes(pattern, text, pos, end, limit):
            return None
        if limit is None:
            return pattern.search(text, pos, end)
        try:
            return pattern.search(text, pos, end, timeout=limit)
        except TimeoutError:
            raise RuleTimeout(self.rule.code) from None


def anchor(doc: Document) -> tuple[int, int]:
    """Where a finding about the whole report points: the title, else the first paragraph."""
    if doc.meta.title_span:
        return doc.meta.title_span
    if doc.paragraphs:
        v = doc.paragraphs[0].view
        return v.doc_span(0, min(len(v.text), 20))
    return 0, 0
