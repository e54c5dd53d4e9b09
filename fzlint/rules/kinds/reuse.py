"""reuse: a part of this year's report copied from last year's report.

The check needs two reports, so an ordinary lint of one file finds nothing; `fzlint compare OLD NEW`
and `fzlint audit --previous DIR` measure the reuse (fzlint/compare.py) and ask this kind whether
it is a finding. Its thresholds live in the rule's YAML params.

Examples of a `reuse` rule are pairs: last year's text, a line `=== 本年度 ===`, this year's text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from fzlint.document.model import Document
from fzlint.rules.context import Context, ElementHit
from fzlint.rules.kinds.base import Check
from fzlint.rules.model import Finding

PAIR_SEPARATOR = "=== 本年度 ==="


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class ReuseParams:
    element: str = "problems"  # the part whose reuse is a finding
    min_share: float = 0.5  # share of the part's sentences found again in last year's report
    min_sentences: int = 2  # parts shorter than this are not judged
    similarity: float = 0.75  # character 3-gram Jaccard from which two sentences count as the same
    containment: float = 0.9  # a long sentence wholly inside one of last year's counts too
    min_chars: int = 12  # shorter sentences (after normalising) are ignored on both sides


class Reuse(Check):
    name = "reuse"
    Params = ReuseParams
    pairwise: ClassVar[bool] = True  # needs last year's report: examples are pairs

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        return iter(())  # one report alone has nothing to compare with

    def judge(self, hit: ElementHit | None, sentences: int, reused: int, values: dict[str, object]) -> Finding | None:
        """The finding for a part of the new report with `reused` of its `sentences` found again."""
        p: ReuseParams = self.params
        if hit is None or hit.status == "missing" or hit.start is None or sentences < p.min_sentences:
            return None
        share = reused / sentences
        if share < p.min_share:
            return None
        vals = {"label": hit.label, "share": f"{share:.0%}", "reused": reused, "sentences": sentences, **values}
        return self.finding(hit.start, hit.end or hit.start, vals)
