"""Issue #12: on the precision corpus, a clean report carries no warning or error, and a report
with planted defects carries exactly its planted ones (same code, line ±1; a missing part
anywhere), and no other warning or error. A planted defect reported only as an info counts as
found when its rule is an empirical one (经验判断: info by design, e.g. FZ803's 法制意识); infos are
otherwise not judged here.

The corpus and its manifest are in tests/fixtures/precision/; benchmarks/precision.py prints the
same comparison per rule."""

from __future__ import annotations

import sys

import pytest

from fzlint.rules.loader import load_ruleset
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import precision

CORPUS = ROOT / "tests" / "fixtures" / "precision"
ENTRIES = precision.load_manifest(CORPUS)
# rules whose YAML says `opinion: true` (empirical judgements): their findings may be infos
EMPIRICAL = {r.code for r in load_ruleset().rules if r.opinion}


@pytest.fixture(scope="module")
def outcomes() -> dict[str, precision.FileOutcome]:
    return {o.file: o for o in precision.evaluate(CORPUS)}


def _show(found: list[precision.Found]) -> list[str]:
    return [f"{f.line}: {f.code} {f.severity} {f.message}" for f in found]


@pytest.mark.parametrize("name", [e["file"] for e in ENTRIES if e["clean"]])
def test_a_clean_report_has_no_warning_or_error(outcomes: dict[str, precision.FileOutcome], name: str) -> None:
    assert _show(outcomes[name].unexpected) == []


@pytest.mark.parametrize("name", [e["file"] for e in ENTRIES if not e["clean"]])
def test_a_defect_report_has_exactly_its_planted_defects(outcomes: dict[str, precision.FileOutcome], name: str) -> None:
    o = outcomes[name]
    not_reported = [f"{p.line}: {p.code} (missed) {p.what}" for p in o.missed]
    not_reported += [f"{p.line}: {p.code} (only info) {p.what}" for p in o.as_info if p.code not in EMPIRICAL]
    assert (not_reported, _show(o.unexpected)) == ([], [])
