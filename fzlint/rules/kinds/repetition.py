"""repetition: the same paragraph, sentence or list item twice.

Linear time: each unit is normalized (punctuation and spaces dropped) and looked up in a dict.
A repeated paragraph is one finding; its sentences are not reported again, and a repeated
sentence's clauses are not reported again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from fzlint.document.model import Document, Paragraph
from fzlint.patterns import lazy
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check
from fzlint.rules.model import Finding

_DROP = lazy(r"[^\p{Han}\p{L}\p{N}]+")
_CLAUSE = lazy(r"[^,，;；。！？!?：:]+")
_ITEM = lazy(r"[^,，;；。！？!?：:、]+")


def _key(s: str) -> str:
    return _DROP.sub("", s)


# Most paragraphs repeat nothing, so the rules first find the paragraphs that can: keys of every
# unit of the document come from a few passes over it. A unit ends at the marks below, and a
# sentence after terminators (document/sentences.py) and at most one closing quote; no key keeps
# any of these characters. So the non-empty keys of the units of each sentence of a paragraph
# are, in order, the parts between marks of the paragraph with every character a key drops, other
# than the marks, taken out (_MARKED), and a unit in another sentence is one past a terminator.
_TERMINATORS = "。！？!?；;"
_CLAUSE_MARKS = ",，;；。！？!?：:"
_ITEM_MARKS = _CLAUSE_MARKS + "、"
_INNER_MARKS = "".join(c for c in _ITEM_MARKS if c not in _TERMINATORS)
_MARKED = lazy(r"[^\p{Han}\p{L}\p{N}" + _ITEM_MARKS + "]+")
# Joins the paragraphs of a document: it ends every unit, and stands alone between the units of
# two paragraphs (_MARKED drops control characters, so no paragraph contains it).
_PARAGRAPH_BREAK = "\x00"
_JOIN = "。" + _PARAGRAPH_BREAK + "。"


def _body(p: Paragraph) -> tuple[int, int]:
    start = p.heading.title_end if p.heading is not None else 0
    return start, len(p.view.text)


def _drop(text: str, chars: str) -> str:
    # str.replace per character is many times faster than a regex or str.translate on CJK text
    for c in chars:
        if c in text:
            text = text.replace(c, "")
    return text


def _split(text: str, marks: str) -> list[str]:
    """Parts of `text` between any of `marks` (empty ones too)."""
    first = marks[0]
    for c in marks[1:]:
        if c in text:
            text = text.replace(c, first)
    return text.split(first)


class _Keys:
    """Keys of the paragraphs (without their headings) of one document, and of their sentences,
    clauses and items, computed once and shared by the three repetition rules."""

    __slots__ = ("_marked", "_paragraphs", "doc")

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._marked: str | None = None  # every paragraph body, _MARKED, joined by _JOIN
        self._paragraphs: list[str] | None = None

    def marked(self) -> str:
        if self._marked is None:
            self._marked = _JOIN.join(_MARKED.sub("", p.view.text[_body(p)[0] :]) for p in self.doc.paragraphs)
        return self._marked

    def paragraphs(self) -> list[str]:
        """The key of each paragraph body."""
        if self._paragraphs is None:
            self._paragraphs = _drop(self.marked(), _ITEM_MARKS.replace("。", "")).replace("。", "").split(_PARAGRAPH_BREAK)
        return self._paragraphs

    def _units(self, marks: str, ignored: str, min_chars: int) -> list[list[str]]:
        """Per paragraph, the keys of at least `min_chars` (>= 1) characters of its units that
        end at `marks`; `ignored` are the other unit marks, which keys drop."""
        out: list[list[str]] = [[]]
        for k in _split(_drop(self.marked(), ignored), marks):
            if len(k) >= min_chars:
                if k == _PARAGRAPH_BREAK:
                    out.append([])
                else:
                    out[-1].append(k)
            elif k == _PARAGRAPH_BREAK:
                out.append([])
        return out

    def sharing_sentences(self, min_chars: int) -> set[int]:
        """Positions of the paragraphs with a sentence key that occurs again in the document."""
        per_para = self._units(_TERMINATORS, _INNER_MARKS, min_chars)
        counts: dict[str, int] = {}
        for keys in per_para:
            for k in keys:
                counts[k] = counts.get(k, 0) + 1
        if len(counts) == sum(map(len, per_para)):
            return set()
        return {n for n, keys in enumerate(per_para) if any(counts[k] > 1 for k in keys)}

    def repeating_clauses(self, min_chars: int) -> set[int]:
        """Positions of the paragraphs in which a clause key occurs twice."""
        return _repeating(self._units(_CLAUSE_MARKS, "、", min_chars))

    def repeating_items(self, min_chars: int) -> set[int]:
        """Positions of the paragraphs in which an item key occurs twice."""
        return _repeating(self._units(_ITEM_MARKS, "", min_chars))


def _repeating(per_para: list[list[str]]) -> set[int]:
    return {n for n, keys in enumerate(per_para) if len(set(keys)) != len(keys)}


def _keys(doc: Document, ctx: Context) -> _Keys:
    """The document's keys, computed once for the rules of this kind (kept in its context)."""
    keys: _Keys | None = ctx.cache.get("repetition.keys")
    if keys is None:
        keys = ctx.cache["repetition.keys"] = _Keys(doc)
    return keys


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class RepetitionParams:
    unit: Literal["paragraph", "sentence", "item"] = "sentence"  # paragraph | sentence | item
    min_chars: int = 10  # normalized characters; shorter units repeat naturally (加强领导)
    paragraph_min_chars: int = 30  # a repeated paragraph is reported as one (all units)
    # unit=sentence: a clause this long repeated within one paragraph (in another sentence)
    # counts as a repeated sentence too; 0 turns it off
    clause_min_chars: int = 12
    max_findings: int = 20


class Repetition(Check):
    name = "repetition"
    Params = RepetitionParams

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: RepetitionParams = self.params
        found = {"paragraph": self._paragraphs, "sentence": self._sentences, "item": self._items}[p.unit](doc, ctx)
        for n, f in enumerate(found):
            if n >= p.max_findings:
                return
            yield f

    def _repeated_paragraphs(self, doc: Document, ctx: Context) -> dict[int, Paragraph]:
        """index of each repeated paragraph -> its first occurrence."""
        first: dict[str, Paragraph] = {}
        out: dict[int, Paragraph] = {}
        for para, key in zip(doc.paragraphs, _keys(doc, ctx).paragraphs()):
            if len(key) < self.params.paragraph_min_chars:
                continue
            if key in first:
                out[para.index] = first[key]
            else:
                first[key] = para
        return out

    def _paragraphs(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        repeated = self._repeated_paragraphs(doc, ctx)
        for para in doc.paragraphs:
            orig = repeated.get(para.index)
            if orig is None:
                continue
            s, e = _body(para)
            ds, de = para.view.doc_span(s, e)
            yield self.finding(ds, de, {"line": orig.line, "text": _short(para.view.text[s:e])})

    def _sentences(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: RepetitionParams = self.params
        skip = self._repeated_paragraphs(doc, ctx)
        todo: set[int] | None = None  # positions of the paragraphs that may repeat; None: all
        if p.min_chars >= 1 and p.clause_min_chars >= 0:
            keys = _keys(doc, ctx)
            todo = keys.sharing_sentences(p.min_chars)
            if p.clause_min_chars:
                todo |= keys.repeating_clauses(p.clause_min_chars)
        # The other paragraphs find nothing, and their keys occur nowhere else, so leaving them
        # out of `first` changes nothing either.
        first: dict[str, Paragraph] = {}
        for n, para in enumerate(doc.paragraphs):
            if para.index in skip or (todo is not None and n not in todo):
                continue
            text = para.view.text
            bs, _be = _body(para)
            repeated: list[tuple[int, int]] = []
            for s, e in para.sentences():
                s = max(s, bs)
                if e <= s:
                    continue
                key = _key(text[s:e])
                if len(key) < p.min_chars:
                    continue
                if key in first:
                    repeated.append((s, e))
                    ds, de = para.view.doc_span(s, e)
                    yield self.finding(ds, de, {"line": first[key].line, "text": _short(text[s:e])})
                else:
                    first[key] = para
            if p.clause_min_chars:
                yield from self._clauses(para, bs, repeated)

    def _clauses(self, para: Paragraph, start: int, skip: list[tuple[int, int]]) -> Iterator[Finding]:
        """A long clause said twice in one paragraph, in different sentences."""
        text = para.view.text
        seen: dict[str, int] = {}  # key -> sentence number
        for n, (s, e) in enumerate(para.sentences()):
            if any(a <= s < b for a, b in skip) or e <= start:
                continue
            for m in _CLAUSE.finditer(text, max(s, start), e):
                key = _key(m.group())
                if len(key) < self.params.clause_min_chars:
                    continue
                if key in seen and seen[key] != n:
                    ds, de = para.view.doc_span(*m.span())
                    yield self.finding(ds, de, {"line": para.line, "text": _short(m.group())})
                seen.setdefault(key, n)

    def _items(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        """The same item twice in one list (one sentence)."""
        p: RepetitionParams = self.params
        todo = _keys(doc, ctx).repeating_items(p.min_chars) if p.min_chars >= 1 else None
        for n, para in enumerate(doc.paragraphs):
            if todo is not None and n not in todo:
                continue  # no item key occurs twice in the paragraph, let alone in one sentence
            text = para.view.text
            bs, _be = _body(para)
            for s, e in para.sentences():
                s = max(s, bs)
                seen: set[str] = set()
                for m in _ITEM.finditer(text, s, e):
                    key = _key(m.group())
                    if len(key) < p.min_chars:
                        continue
                    if key in seen:
                        ds, de = para.view.doc_span(*m.span())
                        yield self.finding(ds, de, {"line": para.line, "text": _short(m.group())})
                    seen.add(key)


def _short(s: str, n: int = 30) -> str:
    s = s.strip()
    return s if len(s) <= n else s[:n] + "……"
