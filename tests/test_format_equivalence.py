"""The same report as .txt, .docx, .pdf and .html gives the same element table and findings.

For seeds 001, 003 and 004 the report body (title, paragraphs, signature; the seed's web-page
noise left out) is written as a plain-text file, two Word files (typed headings; level-1 headings
by Word automatic numbering), a web page with navigation and footer around it, and PDFs that
LibreOffice makes from the Word files (with a running header and `- N -` page numbers).

"Same" means:
- across the body-only formats: identical element table (status, line, evidence) and identical
  findings (code, message, line, column, end) — line = paragraph number in every format;
- against the original seed (page noise included, lines shifted): identical element statuses and
  evidence and identical (code, message) findings;
- the report facts (title, issuer, year, signature date) are identical; the publication date
  exists only where the page shows it (the seed's page metadata and the .html page).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, seed
from tests.docmaker import LEVEL1, docx_to_pdf, seed_body, write_docx, write_html

SEEDS = ("001", "003", "004")
# The layout rules (gbt9704-layout, L1xx) look at Word formatting, which only the Word files have:
# they are left out of a comparison of what the formats have in common (tests/test_layout.py).
NO_LAYOUT = ("--ignore", "L")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:  # type: ignore[type-arg]
    """{seed: {"seed": result, "txt": result, "docx": …}} from one fzlint --format json run."""
    out = tmp_path_factory.mktemp("equivalence")
    files: dict[str, dict[str, Path]] = {}
    docx_files: list[Path] = []
    for s in SEEDS:
        src = seed(s)
        body = seed_body(src)
        seed_json = json.loads(run_cli("--format", "json", "--exit-zero", *NO_LAYOUT, str(src)).stdout)
        published = seed_json["files"][0]["report"]["published"] or "2022-01-15"
        f = {"seed": src}
        f["txt"] = out / f"{s}.txt"
        f["txt"].write_text("\n".join(body) + "\n", encoding="utf-8")
        f["docx"] = write_docx(body, out / f"{s}.docx")
        f["docx-auto"] = write_docx(body, out / f"{s}-auto.docx", auto_numbering=True)
        f["html"] = write_html(body, out / f"{s}.html", encoding="gbk" if s == "003" else "utf-8", published=published)
        docx_files += [f["docx"], f["docx-auto"]]
        files[s] = f
    for pdf in docx_to_pdf(docx_files, out):
        s, _, variant = pdf.stem.partition("-")
        files[s]["pdf-auto" if variant else "pdf"] = pdf
    paths = [str(p) for f in files.values() for p in f.values()]
    proc = run_cli("--format", "json", "--exit-zero", *NO_LAYOUT, *paths)
    assert proc.returncode == 0, proc.stderr.decode()
    by_path = {r["path"]: r for r in json.loads(proc.stdout)["files"]}
    return {s: {kind: by_path[str(p)] for kind, p in f.items()} for s, f in files.items()}


def _findings(result: dict, positions: bool = True) -> list[tuple]:  # type: ignore[type-arg]
    keys = ("code", "message", "line", "column", "end_line", "end_column") if positions else ("code", "message")
    return [tuple(d[k] for k in keys) for d in result["diagnostics"]]


def _elements(result: dict, lines: bool = True) -> dict[str, tuple]:  # type: ignore[type-arg]
    return {k: (v["status"], v["evidence"], v["line"] if lines else None) for k, v in result["elements"].items()}


def _facts(result: dict) -> dict[str, object]:  # type: ignore[type-arg]
    return {k: v for k, v in result["report"].items() if k != "published"}


FORMATS = ("docx", "docx-auto", "html", "pdf", "pdf-auto")


@pytest.mark.parametrize("s", SEEDS)
@pytest.mark.parametrize("kind", FORMATS)
def test_same_elements_and_findings_as_txt(reports: dict, s: str, kind: str) -> None:  # type: ignore[type-arg]
    ref, got = reports[s]["txt"], reports[s][kind]
    assert _elements(got) == _elements(ref)
    assert _findings(got) == _findings(ref)
    assert _facts(got) == _facts(ref)
    assert got["score"] == ref["score"]


@pytest.mark.parametrize("s", SEEDS)
def test_body_matches_the_seed_page(reports: dict, s: str) -> None:  # type: ignore[type-arg]
    ref, page = reports[s]["txt"], reports[s]["seed"]
    assert _elements(ref, lines=False) == _elements(page, lines=False)
    assert _findings(ref, positions=False) == _findings(page, positions=False)
    assert _facts(ref) == _facts(page)
    assert ref["score"] == page["score"]


@pytest.mark.parametrize("s", SEEDS)
def test_published_date_only_where_the_page_shows_it(reports: dict, s: str) -> None:  # type: ignore[type-arg]
    r = reports[s]
    if r["seed"]["report"]["published"]:
        assert r["html"]["report"]["published"] == r["seed"]["report"]["published"]
    for kind in ("txt", "docx", "pdf"):
        assert r[kind]["report"]["published"] is None


def test_the_comparison_is_not_vacuous(reports: dict) -> None:  # type: ignore[type-arg]
    # Every seed has headings found as headings and at least one finding to compare.
    for s in SEEDS:
        ref = reports[s]["txt"]
        assert any(v["status"] == "heading" for v in ref["elements"].values())
        assert ref["diagnostics"]
        assert any(LEVEL1.match(v["evidence"] or "") for v in ref["elements"].values())


def test_auto_numbered_variant_really_uses_word_numbering(tmp_path: Path) -> None:
    import docx

    body = seed_body(seed("004"))
    path = write_docx(body, tmp_path / "auto.docx", auto_numbering=True)
    typed = [ln for ln in body if LEVEL1.match(ln)]
    paras = docx.Document(str(path)).paragraphs
    numbered = [p for p in paras if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(numbered) == len(typed) >= 3
    assert not any(LEVEL1.match(p.text) for p in paras)
