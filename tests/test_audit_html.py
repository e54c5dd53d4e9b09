"""The audit's HTML page in a real browser (headless Chromium): it renders offline, and its
coverage matrix, ranking and charts say what the JSON says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SEEDS, run_cli
from tests.render_support import chromium

PARTS = ["measures", "problems", "causes", "first_responsible", "next_year_plan", "three_systems"]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def audit_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    d = tmp_path_factory.mktemp("audit")
    reports = d / "reports"
    reports.mkdir()
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, reports / p.name)
    (reports / "broken.txt").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    page = d / "audit.html"
    proc = run_cli("audit", "--format", "html", "-o", str(page), str(reports))
    assert proc.returncode == 2, proc.stderr.decode()  # the broken file is a failed row
    data = json.loads(run_cli("audit", "--format", "json", str(reports)).stdout)
    return page, data


def test_page_is_self_contained(audit_files: tuple[Path, dict]) -> None:
    html = audit_files[0].read_text(encoding="utf-8")
    for remote in ("http://", "https://", "//cdn", "<script", "<link"):
        assert remote not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), remote


def test_coverage_matrix_matches_json(browser, audit_files: tuple[Path, dict]) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    page, data = audit_files
    browser.get(page.as_uri())
    assert "审阅汇总" in browser.title
    matrix: dict[str, dict[str, str]] = {}
    for tr in browser.find_elements(By.CSS_SELECTOR, "#coverage tbody tr"):
        cells = tr.find_elements(By.CSS_SELECTOR, "td[data-part]")
        matrix[tr.get_attribute("data-path")] = {c.get_attribute("data-part"): c.get_attribute("data-status") for c in cells}
        symbols = {c.get_attribute("data-status"): c.text for c in cells}
        assert all(symbols[s] == {"heading": "✔", "inline": "◐", "missing": "✘"}[s] for s in symbols)
    expected = {r["path"]: r["parts"] for r in data["reports"] if r["status"] == "ok"}
    assert matrix == expected
    # columns are the required parts, in order
    heads = [th.get_attribute("data-part") for th in browser.find_elements(By.CSS_SELECTOR, "#coverage thead th[data-part]")]
    assert heads == PARTS


def test_ranking_and_charts_match_json(browser, audit_files: tuple[Path, dict]) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    page, data = audit_files
    browser.get(page.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#ranking tbody tr")
    shown = [(r.get_attribute("data-path"), r.get_attribute("data-status"), r.get_attribute("data-score")) for r in rows]
    assert shown == [(r["path"], r["status"], None if r["score"] is None else str(r["score"])) for r in data["reports"]]
    failed = [r for r in rows if r.get_attribute("data-status") == "failed"]
    assert len(failed) == 1 and "ZIP" in failed[0].text
    # the score chart: one bar per band, heights add up to the reports that were scored
    bins = browser.find_elements(By.CSS_SELECTOR, "#score-chart rect.bin")
    assert sum(int(b.get_attribute("data-count")) for b in bins) == 5
    assert browser.find_element(By.ID, "score-chart").size["height"] > 100
    bars = browser.find_elements(By.CSS_SELECTOR, "#findings-chart rect.finding")
    assert [b.get_attribute("data-code") for b in bars] == [t["code"] for t in data["top_findings"]]
    # every scored report links to its own page, which exists
    links = browser.find_elements(By.CSS_SELECTOR, "#ranking tbody tr[data-status=ok] a")
    assert len(links) == 5
    for a in links:
        target = page.parent / a.get_attribute("href").split(page.parent.as_uri() + "/", 1)[1]
        assert target.is_file() and target.stat().st_size > 100
