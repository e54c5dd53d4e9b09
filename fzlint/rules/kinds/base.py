"""The base of every check kind, and the scopes a rule can look at."""

from __future__ import annotations

import os
import string
import time
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, NamedTuple

import regex

from fzlint.document.model import Document, Paragraph, TextView
from fzlint.patterns import lazy_re
from fzlint.rules.context import Context
from fzlint.rules.model import Finding, Fix, Rule

# User patterns run with a time limit so a catastrophic pattern cannot hang a run (seconds).
# FZLINT_REGEX_TIMEOUT overrides it (tests use a short one; a slow machine may want more).
DEFAULT_REGEX_TIMEOUT = 1.0


def env_seconds(name: str, default: float, most: float) -> float:
    """Seconds from the environment variable `name`; `default` when unset, not a number or not in
    (0, most) (read at import: a bad value cannot be reported there)."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if 0 < value < most else default


REGEX_TIMEOUT = env_seconds("FZLINT_REGEX_TIMEOUT", DEFAULT_REGEX_TIMEOUT, 3600)


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


_PARSE = string.Formatter().parse


def render_template(template: str, values: dict[str, Any]) -> str:
    """Fill `{name}` fields with str(value). Only plain names are filled: a field with attribute
    or index access, a conversion or a format spec (`{match.__class__}`, `{match:>99999999}`),
    like an unknown name, stays as written, so a template from a ruleset can neither reach
    Python internals nor allocate without bound (check_template refuses such templates when
    the ruleset is loaded; this keeps kinds' own templates safe too)."""
    if "{" not in template and "}" not in template:
        return template
    try:
        parts = list(_PARSE(template))
    except ValueError:
        return template
    out: list[str] = []
    for literal, name, spec, conv in parts:
        out.append(literal)
        if name is None:
            continue
        if not spec and conv is None and name in values and name.isidentifier():
            out.append(str(values[name]))
        else:
            out.append("{" + name + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}")
    return "".join(out)


def template_problem(template: str) -> tuple[str, str] | None:
    """Why `template` is not a plain template (Chinese, English), or None when it is."""
    try:
        parts = list(_PARSE(template))
    except ValueError as exc:
        return f"模板中的花括号不配对({exc});要写花括号本身请写 {{{{ 或 }}}}", f"unbalanced braces in the template ({exc}); write {{{{ or }}}} for a brace itself"
    for _literal, name, spec, conv in parts:
        if name is None:
            continue
        if not name.isidentifier() or spec or conv is not None:
            raw = "{" + name + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}"
            shown = raw if len(raw) <= 40 else raw[:39] + "…"
            return (
                f"模板字段 {shown} 只能写成 {{名称}}(如 {{match}}),不能带属性、下标、转换或格式",
                f"template field {shown} must be a plain {{name}} (like {{match}}): no attribute, index, conversion or format spec",
            )
    return None


# Searching only a range of a text differs from searching all of it where a construct looks at
# the range's edges: anchors, word boundaries, negative lookaround, reverse/multiline/word flags.
_EDGE_TOKENS = ("\\A", "\\Z", "\\z", "\\b", "\\B", "\\G", "\\m", "\\M", "\\K", "(?!", "(?<!")
_EDGE_FLAGS = lazy_re(r"\(\?[a-zA-Z-]*[rmwRMW][a-zA-Z-]*[:)]")
_EDGE_SAFE: dict[regex.Pattern[str], bool] = {}


# (kind, pattern text, flags) -> result of an analysis below. They depend on nothing else, so the
# ruleset cache (rules/loader.py) stores the table with the compiled checks and a warm run only
# looks them up.
ANALYSES: dict[tuple[str, str, int], Any] = {}


def _analysis(kind: str, pattern: regex.Pattern[str], compute: Any) -> Any:
    """`compute(pattern)`, remembered by the pattern's text and flags (see ANALYSES)."""
    table = ANALYSES
    key = (kind, pattern.pattern, pattern.flags)
    if key in table:
        return table[key]
    value = table[key] = compute(pattern)
    return value


def _edge_insensitive(pattern: regex.Pattern[str]) -> bool:
    """True when every match of `pattern` within a range [pos, endpos) of a text is also a match
    of the pattern in any longer text that contains that range (see `_edge_insensitive_uncached`)."""
    return bool(_analysis("edge", pattern, _edge_insensitive_uncached))


def _edge_insensitive_uncached(pattern: regex.Pattern[str]) -> bool:
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

    __slots__ = ("_counts", "_doc", "_first", "_hits", "_misses", "_offsets", "_scopes", "_state", "_texts")

    # _state per pattern: not filtered (edge-sensitive, slow, or matching nearly everywhere),
    # absent from the body, or present in it
    _OFF, _ABSENT, _PRESENT = 0, 1, 2

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._texts: dict[int, str] | None = None  # id(text) -> text of each paragraph
        self._state: dict[regex.Pattern[str], int] = {}
        self._first: dict[tuple[regex.Pattern[str], int], int] = {}  # first match start, -1: none
        self._misses: dict[regex.Pattern[str], int] = {}  # range lookups that excluded nothing
        self._offsets: dict[int, tuple[int, Paragraph]] | None = None  # id(paragraph) -> body offset
        self._scopes: dict[str, ScopePieces] = {}
        self._counts: dict[str | frozenset[str], int] = {}  # occurrences in the body
        self._hits: dict[regex.Pattern[str], tuple[bool, list[int], list[int]] | None] = {}

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


    # Scope-level candidates ---------------------------------------------------------------
    # A rule that looks at every sentence (or paragraph, heading) of a scope need not search each
    # one: one pass over the body finds where a pattern can match, and only the pieces there are
    # searched, exactly as before. `candidates` never drops a piece that the piece's own search
    # would match (see `_hit_spans`), so findings are unchanged by construction.

    def scope(self, ctx: Context, scope: str) -> ScopePieces:
        """The pieces of `scope` with their places in the body, built once per document (element
        scopes are rebuilt each time: their parts are located while the rules run)."""
        sp = self._scopes.get(scope)
        if sp is None:
            sp = ScopePieces(list(iter_scope(self._doc, ctx, scope)), self._paragraph_offsets())
            if not scope.startswith("element:"):
                self._scopes[scope] = sp
        return sp

    def _paragraph_offsets(self) -> dict[int, tuple[int, Paragraph]]:
        offsets = self._offsets
        if offsets is None:
            offsets = {}
            pos = 0
            for p in self._doc.paragraphs:  # the body is the paragraphs' texts joined by "\n"
                offsets[id(p)] = (pos, p)
                pos += len(p.view.text) + 1
            self._offsets = offsets
        return offsets

    def _hit_spans(self, pattern: regex.Pattern[str], timeout: float | None) -> tuple[bool, list[int], list[int]] | None:
        """Where in the body `pattern` can match, as (overlap, starts, ends), or None: unknown.

        overlap=True: the pattern's own matches in the body (an edge-insensitive pattern, see
        `_edge_insensitive`, without atomic groups or possessive quantifiers). A piece's own match
        at x is a match in the body too, so the body's finditer either covers x with a match or
        tries x and finds one there: a piece that no body match overlaps or touches has none.
        overlap=False: every occurrence of the pattern's rarest required item (`required_items`);
        a piece that contains none cannot match, anchors and boundaries notwithstanding. The
        rarest item is chosen per document (str.count is far cheaper than a regex pass)."""
        if pattern in self._hits:
            return self._hits[pattern]
        body = self._doc.body.text
        # the rarest required item: a piece without one of its occurrences cannot match
        best: str | frozenset[str] | None = None
        best_n = -1
        counts = self._counts
        for item in required_items(pattern):
            k = counts.get(item)  # type: ignore[call-overload]
            if k is None:
                if isinstance(item, str):
                    k = counts[item] = body.count(item)
                else:  # a set: the sum of its characters' counts, each counted once per document
                    k = 0
                    for ch in item:
                        c = counts.get(ch)
                        if c is None:
                            c = counts[ch] = body.count(ch)
                        k += c
                    counts[item] = k  # type: ignore[index]
            if best_n < 0 or k < best_n:
                best, best_n = item, k
                if k == 0:
                    break
        spans: tuple[bool, list[int], list[int]] | None = None
        if best is not None and best_n == 0:
            spans = (False, [], [])
        elif best is not None and best_n <= _FEW_OCCURRENCES or not self._scannable(pattern):
            if best is not None:
                spans = _occurrences(body, best)
        else:
            try:
                starts: list[int] = []
                ends: list[int] = []
                for m in pattern.finditer(body, timeout=timeout):
                    starts.append(m.start())
                    ends.append(m.end())
                spans = (True, starts, ends)
            except TimeoutError:
                spans = _occurrences(body, best) if best is not None else None
        self._hits[pattern] = spans
        return spans

    @staticmethod
    def _scannable(pattern: regex.Pattern[str]) -> bool:
        """Edge-insensitive (`_edge_insensitive`) and without atomic groups or possessive
        quantifiers: a match in a piece is a match attempt that succeeds in the body too."""
        safe = _EDGE_SAFE.get(pattern)
        if safe is None:
            safe = _EDGE_SAFE[pattern] = _edge_insensitive(pattern)
        return safe and "(?>" not in pattern.pattern and not _POSSESSIVE.search(pattern.pattern)

    def candidates(self, pattern: regex.Pattern[str], sp: ScopePieces, timeout: float | None = REGEX_TIMEOUT) -> list[int] | None:
        """Indexes into `sp.pieces`, in order, of the pieces where `pattern` may match when each
        piece's text is searched on its own; None: every piece may."""
        if not sp.ordered:
            return None
        spans = self._hit_spans(pattern, timeout)
        if spans is None:
            return None
        overlap, hs, he = spans
        touched: set[int] = set(sp.loose)
        bstart, bend, idx = sp.bstart, sp.bend, sp.index
        n, h = len(bstart), len(hs)
        if h < n:  # walk the hits
            for a, b in zip(hs, he):
                if overlap:  # pieces with bend >= a and bstart <= b
                    j = bisect_left(bend, a)
                    while j < n and bstart[j] <= b:
                        touched.add(idx[j])
                        j += 1
                else:  # pieces that contain [a, b)
                    j = bisect_left(bend, b)
                    while j < n and bstart[j] <= a:
                        touched.add(idx[j])
                        j += 1
        else:  # walk the pieces
            for j in range(n):
                if overlap:
                    k = bisect_left(he, bstart[j])
                    if k < h and hs[k] <= bend[j]:
                        touched.add(idx[j])
                else:
                    k = bisect_left(hs, bstart[j])
                    if k < h and he[k] <= bend[j]:
                        touched.add(idx[j])
        return sorted(touched)


class ScopePieces:
    """A scope's pieces, and for those inside the body their [start, end] there (sorted)."""

    __slots__ = ("bend", "bstart", "index", "loose", "ordered", "pieces")

    def __init__(self, pieces: list[Piece], offsets: dict[int, tuple[int, Paragraph]]) -> None:
        self.pieces = pieces
        self.index: list[int] = []
        self.bstart: list[int] = []
        self.bend: list[int] = []
        self.loose: list[int] = []  # pieces outside the body (title, signature): always candidates
        for k, pc in enumerate(pieces):
            par = pc.paragraph
            entry = offsets.get(id(par)) if par is not None else None
            if entry is None or entry[1] is not par or pc.view is not par.view:
                self.loose.append(k)
                continue
            self.index.append(k)
            self.bstart.append(entry[0] + pc.start)
            self.bend.append(entry[0] + pc.end)
        bs, be = self.bstart, self.bend
        self.ordered = all(bs[j] <= bs[j + 1] and be[j] <= be[j + 1] for j in range(len(bs) - 1))


# Up to this many occurrences of a pattern's rarest required item, the pieces holding one are its
# candidates; with more, a pattern that can be searched in the body (`_scannable`) is, which
# usually rules out more pieces.
_FEW_OCCURRENCES = 24


def _occurrences(body: str, item: str | frozenset[str]) -> tuple[bool, list[int], list[int]]:
    """Every occurrence of a literal (overlapping ones too: "aa" twice in "aaa") or of any
    character of a set, as containment spans for `Prefilter.candidates`."""
    starts: list[int] = []
    for lit in (item,) if isinstance(item, str) else sorted(item):
        find, i = body.find, body.find(lit)
        while i >= 0:
            starts.append(i)
            i = find(lit, i + 1)
    if not isinstance(item, str):
        starts.sort()
    n = len(item) if isinstance(item, str) else 1
    return False, starts, [i + n for i in starts]


# possessive quantifiers (and, harmlessly, a few literal look-alikes such as "\\++")
_POSSESSIVE = lazy_re(r"[*+?}]\+")


# Required literals: a string that every match of a pattern, together with what its lookarounds
# look at, contains. A piece of text without it cannot match, whatever anchors or boundaries the
# pattern has, so one `str.find` pass over the body rules out most sentences for most patterns.
_PLAIN_ESCAPES = frozenset("dDwWsSbBAZzmMGKh")  # one-letter escapes that are not literals
_BRACED_ESCAPES = frozenset("pPN")  # \p{Han}, \P{..}, \N{NAME}
_LITERAL_CACHE: dict[regex.Pattern[str], tuple[str | frozenset[str], ...]] = {}


class _Unsure(Exception):
    """The literal scanner met a construct it does not model; the pattern gets no literal."""


def _set_end(src: str, i: int) -> int:
    """The index after the character set opening at src[i] ("[^]a]" and V1's nested sets
    included), or -1 when it is not closed."""
    n = len(src)
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
    return -1 if depth else i


def _quantifier(src: str, i: int) -> tuple[int | None, int]:
    """(minimum repeat, index after) of a quantifier at src[i]; (None, i) when there is none."""
    n = len(src)
    if i >= n:
        return None, i
    c = src[i]
    if c in "*?":
        lo, i = 0, i + 1
    elif c == "+":
        lo, i = 1, i + 1
    elif c == "{":
        m = _QUANT.match(src, i)
        if m is None or not (m.group(1) or m.group(3)):
            raise _Unsure  # a literal "{" (V1 allows it); not worth modelling
        lo, i = int(m.group(1) or 0), m.end()
    else:
        return None, i
    if i < n and src[i] in "?+":
        i += 1  # lazy or possessive: the same minimum
    return lo, i


def _skip_escape(src: str, i: int, d: str) -> int:
    """Index after a letter escape \\d, \\p{Han}, \\x41 … whose letter `d` sits at src[i-1]."""
    n = len(src)
    if d in _BRACED_ESCAPES or d == "x":
        if i < n and src[i] == "{":
            close = src.find("}", i)
            if close < 0:
                raise _Unsure
            return close + 1
        return i + (2 if d == "x" else 1)
    if d == "u":
        return i + 4
    if d == "U":
        return i + 8
    if (d.isdigit() and d != "0") or d in _PLAIN_ESCAPES:
        return i  # a back-reference or a class: matches something, never a known literal
    raise _Unsure  # \Q…\E, \L<list>, \n-style escapes, octal …


def _literals_in(src: str, i: int, out: list[str | frozenset[str]]) -> tuple[int, bool]:
    """Scan a sequence from src[i] up to its closing ")" or the end. Appends to `out` the literal
    runs every match of the sequence contains; returns (index of the ")" or end, whether the
    sequence had a top-level "|" — then nothing in it is required and `out` is left alone)."""
    n = len(src)
    buf: list[str] = []
    found: list[str | frozenset[str]] = []
    alternation = False

    def flush() -> None:
        if buf:
            found.append("".join(buf))
            buf.clear()

    def literal(ch: str, lo: int | None) -> None:
        if lo is None:
            buf.append(ch)  # continues the run
        elif lo == 0:
            flush()  # optional: neither required nor part of a run
        else:
            flush()
            found.append(ch)  # required, but how often is open: a run of its own

    while i < n:
        c = src[i]
        if c == ")":
            break
        if c == "|":
            alternation = True
            flush()
            i += 1
        elif c == "\\":
            if i + 1 >= n:
                raise _Unsure
            d = src[i + 1]
            i += 2
            if d.isalnum() or d == "_":
                flush()
                i = _skip_escape(src, i, d)
                _lo, i = _quantifier(src, i)
            else:
                lo, i = _quantifier(src, i)  # an escaped mark stands for itself
                literal(d, lo)
        elif c == "[":
            flush()
            start, i = i, _set_end(src, i)
            if i < 0:
                raise _Unsure
            chars = _set_chars(src[start:i])
            lo, i = _quantifier(src, i)
            if chars and (lo is None or lo > 0):
                found.append(chars)  # one of these characters is required
        elif c == "(":
            flush()
            keep = True
            if src.startswith("(?#", i):
                close = src.find(")", i)
                if close < 0:
                    raise _Unsure
                i = close + 1
                continue
            if src.startswith("(?", i):
                m = _GROUP_PREFIX.match(src, i + 1)
                if m is None:
                    raise _Unsure  # conditionals, recursion …
                head = m.group()
                flag_group = head[-1] in ":)" and head not in ("?:",)
                if flag_group and ("i" in head or "x" in head):
                    raise _Unsure  # case-insensitive or verbose: literals are not literal
                i = m.end()
                if head.endswith(")"):
                    continue  # (?V1) and the like: flags for what follows
                keep = head not in ("?!", "?<!")  # negative lookaround names what is absent
            else:
                i += 1
            inner: list[str | frozenset[str]] = []
            i, alt = _literals_in(src, i, inner)
            if i >= n or src[i] != ")":
                raise _Unsure
            lo, i = _quantifier(src, i + 1)
            if keep and not alt and (lo is None or lo > 0):
                found.extend(inner)
        elif c in "*+?{":
            raise _Unsure  # a quantifier with nothing before it
        elif c in ".^$":
            flush()
            _lo, i = _quantifier(src, i + 1)
        else:
            lo, i = _quantifier(src, i + 1)
            literal(c, lo)
    flush()
    if not alternation:
        out.extend(found)
    return i, alternation


_SET_MAX = 32  # characters a set may stand for and still be searched for one by one


def _set_chars(src: str) -> frozenset[str] | None:
    """The characters a simple positive set such as "[十百千]" or "[0-9]" matches, or None (a
    negated set, a class escape, nested sets or set operations, or too many characters)."""
    body = src[1:-1]
    if not body or body[0] == "^" or "[" in body or any(op in body for op in ("--", "&&", "||", "~~")):
        return None
    chars: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == "\\":
            if i + 1 >= n or body[i + 1].isalnum() or body[i + 1] == "_":
                return None  # \d, \p{..}, \x41 …: not enumerated
            c = body[i + 1]
            i += 2
        else:
            i += 1
        if i + 1 < n and body[i] == "-" and body[i + 1] not in "\\]":
            hi = body[i + 1]
            if ord(hi) < ord(c) or ord(hi) - ord(c) >= _SET_MAX:
                return None
            chars.extend(chr(k) for k in range(ord(c), ord(hi) + 1))
            i += 2
        else:
            chars.append(c)
    return frozenset(chars) if 0 < len(chars) <= _SET_MAX else None


def required_items(pattern: regex.Pattern[str]) -> tuple[str | frozenset[str], ...]:
    """What every match of `pattern`, with what its lookarounds look at, contains: literal strings
    and sets of characters (one of which is required). Empty when there is nothing sure, or the
    pattern uses something the scanner does not model (it then claims nothing)."""
    items = _LITERAL_CACHE.get(pattern)
    if items is None:
        items = _LITERAL_CACHE[pattern] = _analysis("items", pattern, _required_items_uncached)
    return items


def _required_items_uncached(pattern: regex.Pattern[str]) -> tuple[str | frozenset[str], ...]:
    src = pattern.pattern
    found: list[str | frozenset[str]] = []
    if isinstance(src, str) and not pattern.flags & (regex.IGNORECASE | regex.VERBOSE):
        try:
            end, _alt = _literals_in(src, 0, found)
            if end != len(src):
                found = []
        except _Unsure:
            found = []
    return tuple(found)


# A search with a timeout costs about 2 µs more than one without (regex reads a clock), which is
# a third of the lint time of a report. Patterns that cannot backtrack catastrophically run
# without it: no unbounded quantifier (*, +, {n,}), no repeated group that itself repeats or
# branches, and few enough paths per start position (the product of every quantifier's range and
# every alternation's branch count). Anything the scanner does not understand keeps the timeout.
_PATH_BUDGET = 100_000
_QUANT = lazy_re(r"\{(\d*)(,?)(\d*)\}")
_GROUP_PREFIX = lazy_re(r"\?(?:P?<[A-Za-z_]\w*>|[:=!>|]|<[=!]|(?:[abefilmprsuwxL-]|V[01])*[:)])")
_BOUNDED: dict[regex.Pattern[str], bool] = {}


def _bounded(pattern: regex.Pattern[str]) -> bool:
    """True when the pattern's work per start position has a fixed bound (see above)."""
    return bool(_analysis("bounded", pattern, _bounded_uncached))


def _bounded_uncached(pattern: regex.Pattern[str]) -> bool:
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
            i = _set_end(src, i)
            if i < 0:
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


# What a rule's pattern may cost to compile. `regex` expands a counted repeat into that many
# copies of its body (`a{1000000}` takes 280 MB, `(?:(?:a{1000}){1000}){10}` over 2 GB), so the
# copies the pattern asks for, repeats nested inside repeats multiplied, are counted before
# compiling (_expansion); the built-in rulesets' patterns need at most a few thousand.
MAX_PATTERN_CHARS = 10_000
MAX_PATTERN_EXPANSION = 100_000


class PatternLimit(regex.error):
    """A pattern over one of the limits above (reported like a bad pattern, file:line)."""

    def __init__(self, zh: str, en: str, pattern: str) -> None:
        super().__init__(en, pattern)
        self.zh = zh
        self.en = en


def _expansion(src: str) -> int:
    """About how many nodes `regex` builds for `src`: every atom counts 1, a group the sum of
    its branches, and a counted repeat {m}, {m,} or {m,n} multiplies its atom or group by m
    (regex expands the minimum; `*`, `+`, `?` and {0,n} are loops). Stops counting past
    MAX_PATTERN_EXPANSION. Over-estimates in odd cases (comments in verbose patterns)."""
    limit = MAX_PATTERN_EXPANSION
    stack: list[list[int]] = []
    cur = [0, 0]  # [closed branches of this group, the current branch]
    last = 0  # cost of what a quantifier would repeat
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\":
            i += 2
            if i <= n and src[i - 1 : i] in ("p", "P", "N", "x", "u", "U", "g", "L") and i < n and src[i] in "{<":
                close = src.find("}" if src[i] == "{" else ">", i)
                i = n if close < 0 else close + 1
            last = 1
            cur[1] += 1
            continue
        if c == "[":
            end = _set_end(src, i)
            i = n if end < 0 else end
            last = 1
            cur[1] += 1
            continue
        if c == "(":
            if src.startswith("(?#", i):
                close = src.find(")", i)
                i = n if close < 0 else close + 1
                continue
            stack.append(cur)
            cur = [0, 0]
            last = 0
            i += 1
            continue
        if c == ")":
            group = cur[0] + cur[1] + 1
            cur = stack.pop() if stack else [0, 0]
            cur[1] += group
            last = group
            i += 1
        elif c == "|":
            cur[0] += cur[1]
            cur[1] = 0
            last = 0
            i += 1
        elif c == "{" and (m := _QUANT.match(src, i)) is not None and (m.group(1) or m.group(3)):
            digits = m.group(1) or "0"
            lo = int(digits) if len(digits) <= 9 else limit + 1
            if lo > 1:
                cur[1] += last * (lo - 1)
                last *= lo
            i = m.end()
        else:
            last = 1
            cur[1] += 1
            i += 1
        if cur[0] + cur[1] > limit or last > limit:
            return limit + 1
    total = cur[0] + cur[1] + sum(f[0] + f[1] for f in stack)
    return min(total, limit + 1)


def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile a rule pattern. VERSION1 gives full Unicode classes such as \\p{Han}. A pattern
    longer than MAX_PATTERN_CHARS or expanding to more than MAX_PATTERN_EXPANSION nodes raises
    PatternLimit instead of compiling (see _expansion)."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternLimit(
            f"正则表达式长 {len(pattern):,} 个字符,超过上限 {MAX_PATTERN_CHARS:,}",
            f"the pattern is {len(pattern):,} characters long, over the limit of {MAX_PATTERN_CHARS:,}",
            pattern,
        )
    table = ANALYSES  # kept with the ruleset's compiled checks: a warm run only looks up
    key = ("expansion", pattern, 0)
    fits = table.get(key)
    if fits is None:
        fits = table[key] = _expansion(pattern) <= MAX_PATTERN_EXPANSION
    if not fits:
        raise PatternLimit(
            f"正则表达式的计数重复展开后过大(超过 {MAX_PATTERN_EXPANSION:,} 个节点,如 (?:a{{1000}}){{1000}}),编译会耗尽内存;请改用 {{0,n}}、+ 或 * 等不展开的写法",
            f"the pattern's counted repeats expand to more than {MAX_PATTERN_EXPANSION:,} nodes (like (?:a{{1000}}){{1000}}): compiling would exhaust memory; use {{0,n}}, + or * instead",
            pattern,
        )
    return regex.compile(pattern, regex.V1)


def _patterns_in(value: Any, depth: int = 0) -> Iterator[regex.Pattern[str]]:
    if isinstance(value, regex.Pattern):
        yield value
    elif depth < 3 and isinstance(value, (list, tuple, frozenset, set)):
        for v in value:
            yield from _patterns_in(v, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for v in value.values():
            yield from _patterns_in(v, depth + 1)


def analyse_patterns(checks: Iterable[Any]) -> None:
    """Fill ANALYSES for every pattern the checks compiled (run when a ruleset is built, so the
    ruleset cache carries the results)."""
    for check in checks:
        for pattern in _patterns_in(list(vars(check).values())):
            if isinstance(pattern.pattern, str):
                _edge_insensitive(pattern)
                required_items(pattern)
                _bounded(pattern)


class Piece(NamedTuple):
    """A range [start, end) of a view that a rule looks at. A named tuple: a report has hundreds
    of sentences, and a tuple is built several times faster than a frozen dataclass."""

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

    def bind(self, prefilter: Prefilter | None, size: int, limit: float | None = None) -> Check:
        """This check for one document: a shallow copy that carries the document's prefilter and
        regex time budget (see begin), so that what `setup` compiled is shared while the
        per-document state is not (one Linter can lint several documents at once, in threads or
        interleaved)."""
        bound = object.__new__(type(self))
        bound.__dict__.update(self.__dict__)
        bound.prefilter = prefilter
        bound.begin(size, limit)
        return bound

    def begin(self, size: int = 0, limit: float | None = None) -> None:
        """Start the regex time budget for one document of `size` characters: REGEX_TIMEOUT
        per 200,000 characters for all the rule's searches together (each single search gets at
        most REGEX_TIMEOUT), so a slow pattern over many paragraphs is bounded too; never past
        `limit` (the file's budget for all rules, engine.py), a monotonic time."""
        self._deadline = time.monotonic() + REGEX_TIMEOUT * (1 + size // 200_000)
        if limit is not None and limit < self._deadline:
            self._deadline = limit

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
        en_message = en_help = ""
        if r.en:
            template = r.english(message or r.message)
            en_message = render_template(template, vals) if template else ""
            template = r.english(help if help is not None else r.help)
            en_help = render_template(template, vals) if template else ""
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
            message_en=en_message,
            help_en=en_help,
        )

    def plan(self, doc: Document, ctx: Context, scope: str, patterns: list[regex.Pattern[str]]) -> tuple[list[Piece], list[tuple[int, set[int] | None]], Iterable[int]]:
        """What to search when each piece of `scope` is searched on its own with each pattern:
        the pieces; for every pattern that may match somewhere, (its index in `patterns`, the
        indexes of the pieces where it may, None: all); and the piece indexes to visit, in order.
        Searching only those gives exactly the matches of searching everything (Prefilter)."""
        pf = self.prefilter
        if pf is None:
            pieces = list(iter_scope(doc, ctx, scope))
            return pieces, [(k, None) for k in range(len(patterns))], range(len(pieces))
        sp = pf.scope(ctx, scope)
        plan: list[tuple[int, set[int] | None]] = []
        union: set[int] = set()
        every = False
        for k, r in enumerate(patterns):
            where = pf.candidates(r, sp, self._limit(r))
            if where is None:
                every = True
                plan.append((k, None))
            elif where:
                plan.append((k, set(where)))
                union.update(where)
        return sp.pieces, plan, (range(len(sp.pieces)) if every else sorted(union))

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
        return self._finditer_in(pattern, text, pos, end, limit)

    def search(self, pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        end = len(text) if endpos is None else endpos
        limit = self._limit(pattern)
        pf = self.prefilter
        if pf is not None and pf.excludes(pattern, text, pos, end, limit):
            return None
        return self._search_in(pattern, text, pos, end, limit)

    # Without the document prefilter: for pieces `plan` already chose, for texts the prefilter
    # does not know (heading titles, sentence slices, texts a check builds) and for the few
    # paragraphs of one part, where asking the prefilter costs a search of the whole body. The
    # time budget and per-search timeout are the same.
    def finditer_direct(self, pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match[str]]:
        return self._finditer_in(pattern, text, pos, len(text) if endpos is None else endpos, self._limit(pattern))

    def search_direct(self, pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        return self._search_in(pattern, text, pos, len(text) if endpos is None else endpos, self._limit(pattern))

    def _finditer_in(self, pattern: regex.Pattern[str], text: str, pos: int, end: int, limit: float | None) -> Iterator[regex.Match[str]]:
        if limit is None:
            return pattern.finditer(text, pos, end)
        return self._finditer_timed(pattern, text, pos, end)

    def _finditer_timed(self, pattern: regex.Pattern[str], text: str, pos: int, end: int) -> Iterator[regex.Match[str]]:
        try:
            yield from pattern.finditer(text, pos, end, timeout=self._timeout())
        except TimeoutError:
            raise RuleTimeout(self.rule.code) from None

    def _search_in(self, pattern: regex.Pattern[str], text: str, pos: int, end: int, limit: float | None) -> regex.Match[str] | None:
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
