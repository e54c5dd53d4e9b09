"""repetition: the same paragraph, sentence or list item twice.

Linear time: each unit is normalized (punctuation and spaces dropped) and looked up in a dict.
A repeated paragraph is one finding; its sentences are not reported again, and a repeated
sentence's clauses are not reported again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from fzlint.document.model import Document, Paragraph
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check
from fzlint.rules.model import Finding

_DROP = regex.compile(r"[^\p{Han}\p{L}\p{N}]+")
_CLAUSE = regex.compile(r"[^,，;；。！？!?：:]+")
_ITEM = regex.compile(r"[^,，;；。！？!?：:、]+")


def _key(s: str) -> str:
    return _DROP.sub("", s)


# The three repetition rules (paragraph, sentence, item) all need every paragraph's key: computed
# once for the document being linted (the last one seen; documents are linted one at a time).
_PARA_KEYS: list[object] = [None, None]


def _paragraph_keys(doc: Document) -> list[str]:
    if _PARA_KEYS[0] is not doc:
        keys = []
        for para in doc.paragraphs:
            s, e = _body(para)
            keys.append(_key(para.view.text[s:e]))
        _PARA_KEYS[0], _PARA_KEYS[1] = doc, keys
    return _PARA_KEYS[1]  # type: ignore[return-value]


@dataclass
class RepetitionParams:
    unit: str = "sentence"  # paragraph | sentence | item
    min_chars: int = 10  # normalized characters; shorter units repeat naturally (加强领导)
    paragraph_min_chars: int = 30  # a repeated paragraph is reported as one (all units)
    # unit=sentence: a clause this long repeated within one paragraph (in another sentence)
    # counts as a repeated sentence too; 0 turns it off
    clause_min_chars: int = 12
    max_findings: int = 20


def _body(p: Paragraph) -> tuple[int, int]:
    start = p.heading.title_end if p.heading is not None else 0
    return start, len(p.view.text)


class Repetition(Check):
    name = "repetition"
    Params = RepetitionParams

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: RepetitionParams = self.params
        found = {"paragraph": self._paragraphs, "sentence": self._sentences, "item": self._items}[p.unit](doc)
        for n, f in enumerate(found):
            if n >= p.max_findings:
                return
            yield f

    def _repeated_paragraphs(self, doc: Document) -> dict[int, Paragraph]:
        """index of each repeated paragraph -> its first occurrence."""
        first: dict[str, Paragraph] = {}
        out: dict[int, Paragraph] = {}
        for para, key in zip(doc.paragraphs, _paragraph_keys(doc)):
            if len(key) < self.params.paragraph_min_chars:
                continue
            if key in first:
                out[para.index] = first[key]
            else:
                first[key] = para
        return out

    def _paragraphs(self, doc: Document) -> Iterator[Finding]:
        repeated = self._repeated_paragraphs(doc)
        for para in doc.paragraphs:
            orig = repeated.get(para.index)
            if orig is None:
                continue
            s, e = _body(para)
            ds, de = para.view.doc_span(s, e)
            yield self.finding(ds, de, {"line": orig.line, "text": _short(para.view.text[s:e])})

    def _sentences(self, doc: Document) -> Iterator[Finding]:
        p: RepetitionParams = self.params
        skip = self._repeated_paragraphs(doc)
        first: dict[str, Paragraph] = {}
        for para in doc.paragraphs:
            if para.index in skip:
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

    def _items(self, doc: Document) -> Iterator[Finding]:
        """The same item twice in one list (one sentence)."""
        p: RepetitionParams = self.params
        for para in doc.paragraphs:
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
