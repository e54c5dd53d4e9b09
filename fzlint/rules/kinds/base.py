"""The base of every check kind, and the scopes a rule can look at."""

from __future__ import annotations

import os
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

    def finditer(self, pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match[str]]:
        try:
            yield from pattern.finditer(text, pos, len(text) if endpos is None else endpos, timeout=self._timeout())
        except TimeoutError:
            raise RuleTimeout(self.rule.code) from None

    def search(self, pattern: regex.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> regex.Match[str] | None:
        try:
            return pattern.search(text, pos, len(text) if endpos is None else endpos, timeout=self._timeout())
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
