"""Per-document state shared by the checks of one run: located elements and options."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fzlint.document.model import Document, Paragraph, Section


@dataclass(slots=True)
class ElementHit:
    """Where a required part of the report was found."""

    id: str
    label: str
    status: str  # heading | inline | missing
    start: int | None = None  # source offsets of the evidence
    end: int | None = None
    line: int | None = None
    evidence: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Options:
    """Facts given from outside the report."""

    report_year: int | None = None  # --report-year: when the text does not say it
    published: date | None = None  # --published: publication date known from outside
    ruleset_settings: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Context:
    """What the checks of one document share."""

    doc: Document
    options: Options
    elements: dict[str, ElementHit] = field(default_factory=dict)
    timed_out: list[str] = field(default_factory=list)
    # What several checks compute once per document and share (the marks punctuation rules
    # look at, the sessions cited, the units of a part, paragraph keys): key -> value. It lives
    # and dies with the document, so one Linter can lint several documents at once.
    cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def year(self) -> int | None:
        return self.options.report_year or self.doc.meta.year

    def element_paragraph_ids(self, element: str) -> set[int]:
        hit = self.elements.get(element)
        return {p.index for p in hit.paragraphs} if hit else set()
