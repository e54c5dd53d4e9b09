"""The registry of check kinds: name -> class. Adding a rule never needs Python; adding a kind does."""

from __future__ import annotations

from fzlint.rules.kinds.base import Check
from fzlint.rules.kinds.causes import Causes
from fzlint.rules.kinds.concrete_results import ConcreteResults
from fzlint.rules.kinds.correspondence import Correspondence
from fzlint.rules.kinds.dates import ReportYear, Signature
from fzlint.rules.kinds.deadlines import Deadline
from fzlint.rules.kinds.numbering import Numbering
from fzlint.rules.kinds.principal_duties import PrincipalDuties
from fzlint.rules.kinds.required_element import RequiredElement
from fzlint.rules.kinds.reuse import Reuse
from fzlint.rules.kinds.task_coverage import TaskCoverage
from fzlint.rules.kinds.text import Forbid, Mention, Pattern, Substitute

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
        Reuse,
        Correspondence,
    )
}

__all__ = ["KINDS", "Check"]
