"""known_names: a 《…》 title that is close to, but not, the exact title of a known document.

A table in the ruleset gives the exact titles (with the accepted short forms, 发文字号 and a
source). A title in 书名号 that differs from one of them by a few characters inside it (政府
inserted, 年 dropped, 至 for the dash, one digit of a year range) is that document misquoted. Edits
at either end are not: 《某市法治政府建设实施纲要(…)》 or 《…纲要实施方案》 name other documents;
nor is a word replaced by another (许可/诉讼: another law). Typography that other rules report
(half-width brackets: P rules; hyphen or tilde in a year range: N102) is ignored here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from fzlint.document.model import Document
from fzlint.patterns import lazy
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, ParamError
from fzlint.rules.model import Finding, Fix

_QUOTED = lazy(r"《([^《》\n]{4,80})》")
_DASHES = lazy(r"[—–\-－~～─]+")  # one 一字线 for every dash or tilde (N102's business)
_BRACKETS = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_SPACES = lazy(r"\s+")


def typography_free(title: str) -> str:
    """A title with the differences other rules report made equal: brackets, dashes, spaces."""
    return _DASHES.sub("—", _SPACES.sub("", title.translate(_BRACKETS)))


class _Known(NamedTuple):
    title: str  # the exact title, as written in the message and the fix
    issued: str  # 发文字号, or who issued it and when
    forms: tuple[str, ...]  # the accepted forms, typography-free


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class KnownNamesParams:
    entries: list[dict[str, Any]] = field(default_factory=list)  # {title, also, issued, source}
    min_length: int = 10  # shorter titles are not compared (《信访条例》 is another document)
    # edits allowed inside a title of up to 13, 19 and more characters; a dropped or added word
    # counts as one edit, a replaced character as one
    max_edits: list[int] = field(default_factory=lambda: [1, 2, 3])
    max_block: int = 3  # longest word that may be added or dropped
    min_anchor: int = 2  # characters that must agree at each end


class KnownNames(Check):
    """A 《…》 title that misquotes a document of the table (see module docstring)."""

    name = "known_names"
    Params = KnownNamesParams

    def setup(self) -> None:
        p: KnownNamesParams = self.params
        known: list[_Known] = []
        for k, e in enumerate(p.entries):
            if not isinstance(e, dict) or not e.get("title") or not e.get("source"):
                raise ParamError("entries", f"第 {k + 1} 项要有 title 和 source", f"entry {k + 1} needs title and source")
            forms = [e["title"], *e.get("also", [])]
            known.append(_Known(e["title"], str(e.get("issued") or ""), tuple(typography_free(f) for f in forms)))
        if len(p.max_edits) != 3:
            raise ParamError("max_edits", "max_edits 应为三个数(13 字以内、19 字以内、更长)", "max_edits needs three numbers")
        self.known = known
        self.exact = {f for k in known for f in k.forms}
        # candidates by (first, last) character of a form: a misquote keeps both ends
        self.by_ends: dict[tuple[str, str], list[tuple[str, _Known]]] = {}
        for k in known:
            for f in k.forms:
                if len(f) >= p.min_length:
                    self.by_ends.setdefault((f[0], f[-1]), []).append((f, k))

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        by_ends = self.by_ends
        body = doc.body  # the paragraphs joined by "\n", which no quoted title crosses
        if "《" not in body.text:
            return
        for m in _QUOTED.finditer(body.text):
            quoted = typography_free(m.group(1))
            if quoted in self.exact or len(quoted) < 2:
                continue
            cands = by_ends.get((quoted[0], quoted[-1]))
            if not cands:
                continue
            best = self._closest(quoted, cands)
            if best is None:
                continue
            known, diff = best
            s, e = body.doc_span(m.start(1), m.end(1))
            fix = Fix(s, e, known.title) if self.rule.fixable else None
            vals = {"found": doc.source.text[s:e], "title": known.title, "issued": known.issued, "diff": diff}
            yield self.finding(s, e, vals, fix=fix)

    def _closest(self, quoted: str, cands: list[tuple[str, _Known]]) -> tuple[_Known, str] | None:
        """The known document `quoted` misquotes, with what differs; None when none or two do."""
        p: KnownNamesParams = self.params
        found: dict[int, tuple[int, _Known, str]] = {}
        for form, known in cands:
            if abs(len(form) - len(quoted)) > p.max_block * 3:
                continue
            limit = p.max_edits[0 if len(form) <= 13 else 1 if len(form) <= 19 else 2]
            edits = _edits(quoted, form, limit, p.max_block, p.min_anchor)
            if edits is None:
                continue
            cost, diff = edits
            prev = found.get(id(known))
            if prev is None or cost < prev[0]:
                found[id(known)] = (cost, known, diff)
        if not found:
            return None
        ranked = sorted(found.values(), key=lambda t: t[0])
        if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
            return None  # as close to two documents: not sure which is meant
        return ranked[0][1], ranked[0][2]


def _edits(quoted: str, form: str, limit: int, max_block: int, min_anchor: int) -> tuple[int, str] | None:
    """(cost, description) of the edits turning the known `form` into `quoted`, when they are
    few (`limit`), all inside the title (`min_anchor` characters agree at each end), and each
    either one replaced character or an added or dropped word of up to `max_block` characters."""
    from difflib import SequenceMatcher  # only for the rare title that passed the cheap tests

    ops = SequenceMatcher(None, form, quoted, autojunk=False).get_opcodes()
    if not ops or ops[0][0] != "equal" or ops[-1][0] != "equal":
        return None
    # a closing bracket is anchor enough at the end: what it closes (the years) may be misquoted
    end_anchor = 1 if form.endswith(")") else min_anchor
    if ops[0][2] - ops[0][1] < min_anchor or ops[-1][2] - ops[-1][1] < end_anchor:
        return None
    cost = 0
    parts: list[str] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if tag == "replace":
            if i2 - i1 != 1 or j2 - j1 != 1:
                return None  # a word for another word: another document
            parts.append(f"“{quoted[j1:j2]}”应为“{form[i1:i2]}”")
        elif tag == "insert":
            if j2 - j1 > max_block:
                return None
            parts.append(f"多了“{quoted[j1:j2]}”")
        else:  # delete
            if i2 - i1 > max_block:
                return None
            parts.append(f"少了“{form[i1:i2]}”")
        cost += 1
        if cost > limit:
            return None
    if cost == 0:
        return None
    return cost, "、".join(parts)
