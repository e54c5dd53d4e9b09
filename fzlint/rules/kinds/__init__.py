"""The registry of check kinds: name -> class. Adding a rule never needs Python; adding a kind does."""

from __future__ import annotations

from fzlint.rules.kinds.base import Check
from fzlint.rules.kinds.causes import Causes
from fzlint.rules.kinds.concrete_results import ConcreteResults
from fzlint.rules.kinds.correspondence import Correspondence
from fzlint.rules.kinds.data import IndicatorConsistency, RateConsistency
from fzlint.rules.kinds.date_validity import DateValidity
from fzlint.rules.kinds.dates import ReportYear, Signature
from fzlint.rules.kinds.deadlines import Deadline
from fzlint.rules.kinds.layout import Layout
from fzlint.rules.kinds.names import KnownNames
from fzlint.rules.kinds.numbering import Numbering
from fzlint.rules.kinds.principal_duties import PrincipalDuties
from fzlint.rules.kinds.punctuation import DoubledMarks, PairedMarks, ParagraphEnd, PunctuationWidth
from fzlint.rules.kinds.repetition import Repetition
from fzlint.rules.kinds.required_element import RequiredElement
from fzlint.rules.kinds.reuse import Reuse
from fzlint.rules.kinds.stale import SessionReference, StaleReference
from fzlint.rules.kinds.task_coverage import TaskCoverage
from fzlint.rules.kinds.text import Forbid, Mention, Pattern, Substitute
from fzlint.rules.kinds.year_reference import YearReference

KINDS: dict[str, type[Check]] = {
    k.name: k
    for k in (
        RequiredElement,
        Mention,
        Pattern,
        Forbid,
        Substitute,
        Numbering,
        ReportYear,
        Signature,
        Causes,
        PrincipalDuties,
        TaskCoverage,
        ConcreteResults,
        Deadline,
        # content rules (punctuation, numbers, data, dates, repetition, stale references)
        PunctuationWidth,
        PairedMarks,
        DoubledMarks,
        ParagraphEnd,
        RateConsistency,
        IndicatorConsistency,
        DateValidity,
        YearReference,
        Repetition,
        StaleReference,
        SessionReference,
        KnownNames,
        Reuse,
        Correspondence,
        Layout,  # a Word file's layout (gbt9704-layout)
    )
}

__all__ = ["KINDS", "Check"]
