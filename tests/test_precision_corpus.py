"""Issue #12: on the precision corpus, a clean report carries no warning or error, and a report
with planted defects carries exactly its planted ones (same code, line ±1; a missing part
anywhere) as warnings or errors, and no other warning or error. Infos are not judged here.

The corpus and its manifest are in tests/fixtures/precision/; benchmarks/precision.py prints the
same comparison per rule."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import precision

CORPUS = ROOT / "tests" / "fixtures" / "precision"
ENTRIES = precision.load_manifest(CORPUS)


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
    not_reported = [f"{p.line}: {p.code} ({'only info' if p in o.as_info else 'missed'}) {p.what}" for p in o.missed + o.as_info]
    assert (not_reported, _show(o.unexpected)) == ([], [])
