"""The base of every check kind, and the scopes a rule can look at."""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import regex

from fzlint.document.model import Document, Paragraph, TextView
from fzlint.rules.context import Context
from fzlint.rules.model import Finding, Fix, Rule

# User patterns run with a time limit so a catastrophic pattern cannot hang a run (seconds).
REGEX_TIMEOUT = 1.0


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

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.params = self.Params(**rule.params)
        self.setup()

    def setup(self) -> None:
        """Compile patterns once per run."""

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

    def finditer(self, pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match[str]]:
        try:
            yield from pattern.finditer(text, pos, len(text) if endpos is None else endpos, timeout=REGEX_TIMEOUT)
        except TimeoutError:
            raise RuleTimeout(self.rule.code) from None

    def search(self, pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        try:
            return pattern.search(text, pos, len(text) if endpos is None else endpos, timeout=REGEX_TIMEOUT)
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
