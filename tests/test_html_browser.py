"""End to end: `fzlint --format html` opened from a file in headless Chromium (Debian's
`chromium` + `chromium-driver`, driven by Selenium). Every highlighted span must hold exactly the
text the finding names, at the line and column it names; the panel lists every finding."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_cli
from tests.render_support import (
    CJK_EXT_B_TEXT,
    MISSING,
    chromium,
    cli_output,
    json_diagnostics,
    span_text,
)

# Per file section: panel size and, per finding id, the marks' joined text, attributes, and where
# the first fragment starts (its line's number, code points before it on that line).
_COLLECT = """
const files = [];
document.querySelectorAll('section.file').forEach(function (sec) {
  const marks = {};
  sec.querySelectorAll('.source mark[data-finding]').forEach(function (m) {
    const id = m.dataset.finding;
    let e = marks[id];
    if (!e) {
      const line = m.closest('.line');
      const range = document.createRange();
      range.setStart(line.querySelector('.lt'), 0);
      range.setEndBefore(m);
      e = marks[id] = {text: '', code: m.dataset.code, line: +m.dataset.line, column: +m.dataset.column,
                       shownLine: +line.dataset.n, before: Array.from(range.toString()).length,
                       rendered: m.getClientRects().length > 0, title: m.title};
    }
    e.text += m.textContent;
  });
  files.push({path: sec.dataset.path, panel: sec.querySelectorAll('.panel li.finding').length, marks: marks});
});
return files;
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


def check_page(driver: Any, html_file: Path, cwd: Path, args: list[str]) -> list[dict[str, Any]]:
    driver.get(html_file.resolve().as_uri())
    assert driver.title == "fzlint 检查报告"
    shown = driver.execute_script(_COLLECT)
    ref = json_diagnostics(*args, cwd=cwd)["files"]
    assert [f["path"] for f in shown] == [f["path"] for f in ref]
    for n, (page_file, ref_file) in enumerate(zip(shown, ref, strict=True), 1):
        diags = ref_file["diagnostics"]
        assert page_file["panel"] == len(diags)
        assert len(page_file["marks"]) == len(diags)
        for i, d in enumerate(diags, 1):
            mark = page_file["marks"][f"file{n}-f{i}"]
            want = span_text(
                cwd / ref_file["path"], d["line"], d["column"], d["end_line"], d["end_column"]
            ).rstrip("\r\n")
            assert mark["text"] == want.replace("\n", ""), (ref_file["path"], d)
            assert (mark["code"], mark["line"], mark["column"]) == (
                d["code"],
                d["line"],
                d["column"],
            )
            assert (mark["shownLine"], mark["before"] + 1) == (d["line"], d["column"]), (
                ref_file["path"],
                d,
            )
            assert mark["rendered"] and d["message"] in mark["title"]
    return shown


def test_seeds_in_chromium(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "seeds.html"
    _, code = cli_output("html", "seeds", "-o", str(out))
    assert code == 1
    shown = check_page(browser, out, ROOT, ["seeds"])
    assert len(shown) == 5 and sum(len(f["marks"]) for f in shown) >= 40

    # a click in the panel jumps to the mark and outlines it
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    link = browser.find_element(By.CSS_SELECTOR, "#file3 .panel li.finding:last-child a")
    target = link.get_attribute("href").rsplit("#", 1)[1]
    browser.execute_script("arguments[0].scrollIntoView({block:'center'})", link)
    link.click()
    WebDriverWait(browser, 5).until(
        lambda d: d.execute_script(
            "const m=document.getElementById(arguments[0]); const r=m.getBoundingClientRect();"
            "return location.hash==='#'+arguments[0] && m.classList.contains('active') && r.top>=0 && r.bottom<=innerHeight;",
            target,
        )
    )
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 20_000


def test_cjk_extension_b_and_missing_file_in_chromium(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "扩展B.txt").write_text(CJK_EXT_B_TEXT, encoding="utf-8")
    out = tmp_path / "cjk.html"
    _, code = cli_output("html", "扩展B.txt", MISSING, "-o", str(out), cwd=tmp_path)
    assert code == 2
    (page_file,) = check_page(browser, out, tmp_path, ["扩展B.txt"])
    assert any(m["text"] == "XX" and m["before"] == 7 for m in page_file["marks"].values())
    from selenium.webdriver.common.by import By

    errors = browser.find_element(By.ID, "errors").text
    assert MISSING in errors and "不存在" in errors


def test_page_chrome_folded_in_chromium(browser: Any, tmp_path: Path) -> None:
    """A report copied from a government site with its page furniture: the stripped lines sit in a
    closed <details> per run ("网页导航等 N 行(未检查)"), hidden until opened; the report text and
    every finding stay in view."""
    from selenium.webdriver.common.by import By

    report = (ROOT / "tests/fixtures/township_2023.txt").read_text(encoding="utf-8")
    head = "当前位置：首页 > 政务公开 > 法治政府建设\n\n【打印】 【关闭】\n信息来源：青石镇党政办　　发布日期：2024-01-25\n\n"
    tail = "\n\n分享到：\n主办单位：青石镇人民政府　　技术支持：某某信息公司\n网站标识码 3300000000　浙ICP备00000000号\n"
    (tmp_path / "青石镇.txt").write_text(head + report + tail, encoding="utf-8")
    out = tmp_path / "chrome.html"
    _, code = cli_output("html", "青石镇.txt", "-o", str(out), cwd=tmp_path)
    assert code in (0, 1)
    check_page(browser, out, tmp_path, ["青石镇.txt"])

    folds = browser.find_elements(By.CSS_SELECTOR, "#file1 .source details.chrome")
    summaries = [d.find_element(By.TAG_NAME, "summary").text for d in folds]
    assert [s.split(" 行")[0] for s in summaries] == ["网页导航等 3", "网页导航等 3"], summaries
    assert all("(未检查)" in s for s in summaries)
    assert not any(d.get_attribute("open") for d in folds)
    for text in ("当前位置", "【打印】", "信息来源", "分享到", "主办单位", "ICP备"):
        (line,) = [
            e
            for e in browser.find_elements(By.CSS_SELECTOR, "#file1 .source .line")
            if text in e.get_attribute("textContent")
        ]
        assert not line.is_displayed(), text
    source = browser.find_element(By.CSS_SELECTOR, "#file1 .source").text
    assert "青石镇人民政府2023年法治政府建设工作报告" in source and "2024年1月20日" in source
    assert "当前位置" not in source and "ICP备" not in source

    # a click opens the fold and shows the lines with their numbers
    first = folds[0].find_element(By.TAG_NAME, "summary")
    browser.execute_script("arguments[0].scrollIntoView({block:'center'})", first)
    first.click()
    assert folds[0].get_attribute("open") is not None
    assert "当前位置" in browser.find_element(By.CSS_SELECTOR, "#file1 .source").text


def test_compare_page_in_chromium(browser: Any, tmp_path: Path) -> None:
    """`fzlint compare --format html` on a near-copy (last year's report with the years bumped and
    the figures changed): the FZ901 verdict and the reuse table are shown, every part at 100 %,
    and no score badge ("90 优秀") anywhere; the finding is marked in this year's text."""
    import re

    from selenium.webdriver.common.by import By

    text = (ROOT / "seeds/001_edc3c478e11a7896.txt").read_text(encoding="utf-8")
    (tmp_path / "2021年度.txt").write_text(text, encoding="utf-8")
    bumped = text.replace("2022", "2023").replace("2021", "2022")
    bumped = re.sub(r"(\d+)(件|个|次|人|场)", lambda m: f"{int(m[1]) + 3}{m[2]}", bumped)
    (tmp_path / "2022年度.txt").write_text(bumped, encoding="utf-8")
    out = tmp_path / "compare.html"
    proc = run_cli("compare", "--format", "html", "2021年度.txt", "2022年度.txt", "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr.decode()
    ref = json.loads(run_cli("compare", "--format", "json", "2021年度.txt", "2022年度.txt", cwd=tmp_path).stdout)

    browser.get(out.resolve().as_uri())
    assert browser.title == "fzlint 比对报告"
    verdict = browser.find_element(By.ID, "verdict")
    assert verdict.get_attribute("data-verdict") == "copied" and verdict.is_displayed()
    codes = [d["code"] for d in ref["files"][0]["diagnostics"]]
    assert codes and set(codes) == {"FZ901"}
    assert len(verdict.find_elements(By.CSS_SELECTOR, "li[data-code=FZ901]")) == len(codes)
    assert f"大段沿用上一年度报告(FZ901,{len(codes)} 处)" in verdict.text
    assert f"共 {ref['compare']['whole']['sentences']} 句" in verdict.text and "(100%)" in verdict.text
    rows = {
        r.get_attribute("data-part"): r.text
        for r in browser.find_elements(By.CSS_SELECTOR, "table.reuse tr[data-part]")
    }
    for part in [*ref["compare"]["parts"], ref["compare"]["whole"]]:
        shown = rows[part["id"]]
        assert part["label"] in shown
        if part["sentences"]:
            assert part["share"] == 1.0 and shown.endswith("100%"), shown
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "/100" not in page and not re.search(r"优秀|良好|合格|不合格", page)
    assert not browser.find_elements(By.CSS_SELECTOR, ".big, .grade, .score")
    assert "几乎相同" in browser.find_element(By.CSS_SELECTOR, "ol.passages").text
    marks = browser.find_elements(By.CSS_SELECTOR, "#file1 .source mark[data-code=FZ901]")
    assert marks and all(m.is_displayed() for m in marks)

    # a pair that shares nothing: the verdict says so
    (tmp_path / "other.txt").write_text((ROOT / "seeds/000_bc026e9ddc6d2d9d.txt").read_text(encoding="utf-8"), encoding="utf-8")
    proc = run_cli("compare", "--format", "html", "other.txt", "2021年度.txt", "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    browser.get(out.resolve().as_uri())
    verdict = browser.find_element(By.ID, "verdict")
    assert verdict.get_attribute("data-verdict") == "clean" and "没有部分大段沿用" in verdict.text
    assert "发文机关不同" in browser.find_element(By.ID, "pair-notes").text
