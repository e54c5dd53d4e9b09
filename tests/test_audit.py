"""`fzlint audit`: ranking, part coverage, CSV/JSON/HTML output, broken files, Ctrl-C, --previous."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from fzlint.audit import AuditRow, chunked, issuer_key, pair_reports, rank
from fzlint.render import RENDERERS
from fzlint.render.audit_csv import COLUMNS
from fzlint.render.audit_pages import resolve_link_format
from tests.conftest import ROOT, SEEDS, run_cli, seed

PARTS = ["measures", "problems", "causes", "first_responsible", "next_year_plan", "three_systems"]


def audit_json(*args: str) -> dict:
    proc = run_cli("audit", "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def seed_scores() -> dict[str, dict]:
    """Each seed's own `fzlint --format json` result, by path."""
    proc = run_cli("--format", "json", "--exit-zero", str(SEEDS))
    return {f["path"]: f for f in json.loads(proc.stdout)["files"]}


# ---- units ------------------------------------------------------------------------------
def test_rank_ties_share_a_rank_and_failed_go_last() -> None:
    rows = [AuditRow("b", 0, score=80), AuditRow("a", 1, score=90), AuditRow("c", 2, score=80), AuditRow("x", 3, "failed", "坏文件")]
    ranked = rank(rows)
    assert [(r.path, r.rank) for r in ranked] == [("a", 1), ("b", 2), ("c", 2), ("x", None)]


def test_chunks_cover_everything_in_order() -> None:
    items = list(range(1000))
    chunks = chunked(items, 4)
    assert [x for c in chunks for x in c] == items
    assert max(len(c) for c in chunks) <= 16 and len(chunks) >= 16


def test_issuer_key_and_pairing() -> None:
    assert issuer_key("新余市人民政府") == issuer_key("新余市") == "新余市"
    new = [AuditRow("2022/高州市报告.txt", 0, issuer="高州市人民政府", year=2022), AuditRow("2022/某区2022年度法治政府建设情况报告.txt", 1, issuer=None, year=2022)]
    old = [
        AuditRow("2021/某区2021年度法治政府建设情况报告.txt", 0, issuer=None, year=2021),
        AuditRow("2021/高州2021.txt", 1, issuer="高州市", year=2021),
        AuditRow("2021/坏.txt", 2, "failed", "坏"),
    ]
    pairs = pair_reports(new, old)
    assert pairs[0].path == "2021/高州2021.txt"  # by issuer, though the names differ
    assert pairs[1].path == "2021/某区2021年度法治政府建设情况报告.txt"  # by file name


def test_link_format_auto_follows_the_renderers() -> None:
    assert resolve_link_format("auto") == ("html" if "html" in RENDERERS else "json")
    assert resolve_link_format("json") == "json"
    assert resolve_link_format("none") is None


# ---- the command --------------------------------------------------------------------------
def test_ranking_is_by_score_and_matches_per_file_json(seed_scores: dict[str, dict]) -> None:
    data = audit_json(str(SEEDS), "-j", "2")
    reports = data["reports"]
    assert len(reports) == len(seed_scores) == 5
    scores = [r["score"] for r in reports]
    assert scores == sorted(scores, reverse=True)
    assert reports[0]["rank"] == 1
    for r in reports:
        own = seed_scores[r["path"]]
        assert r["score"] == own["score"] and r["grade"] == own["grade"]
        assert r["issuer"] == own["report"]["issuer"] and r["year"] == own["report"]["year"]
        assert r["parts"] == {k: own["elements"][k]["status"] for k in PARTS}
        assert sum(r["findings"].values()) == len(own["diagnostics"])
    # the folder's most frequent findings are counted over the reports
    top = {t["code"]: t for t in data["top_findings"]}
    for code, t in top.items():
        assert t["reports"] == sum(1 for f in seed_scores.values() if any(d["code"] == code for d in f["diagnostics"]))


def test_in_process_gives_the_same_result() -> None:
    a = audit_json(str(SEEDS), "-j", "1")
    b = audit_json(str(SEEDS), "-j", "2")
    assert a["reports"] == b["reports"]


def test_text_table(seed_scores: dict[str, dict]) -> None:
    proc = run_cli("audit", str(SEEDS), "-j", "2")
    out = proc.stdout.decode()
    assert proc.returncode == 0
    assert proc.stderr == b""  # no progress bar when stderr is not a terminal
    lines = [line for line in out.splitlines() if "seeds/" in line]
    best = max(seed_scores.values(), key=lambda f: f["score"])
    assert lines[0].split("│")[1].strip() == best["path"]
    for sym in "✔◐✘":
        assert sym in out
    assert "最常见的问题" in out and "平均分" in out


def test_progress_bar_can_be_forced() -> None:
    proc = run_cli("audit", str(SEEDS), "-j", "2", "--progress", "always")
    assert proc.returncode == 0
    err = proc.stderr.decode()
    assert "检查报告" in err and "5/5" in err


def test_csv_parses_with_the_required_columns(tmp_path: Path, seed_scores: dict[str, dict]) -> None:
    proc = run_cli("audit", "--format", "csv", str(SEEDS))
    rows = list(csv.DictReader(io.StringIO(proc.stdout.decode())))
    assert list(rows[0].keys()) == COLUMNS
    for col in ["rank", "path", "issuer", "year", "score", "grade", *PARTS]:
        assert col in rows[0]
    assert [int(r["score"]) for r in rows] == sorted((f["score"] for f in seed_scores.values()), reverse=True)
    assert {r["problems"] for r in rows} <= {"heading", "inline", "missing"}
    # written to a file, it starts with a BOM so that Excel reads the Chinese
    out = tmp_path / "audit.csv"
    run_cli("audit", "--format", "csv", "-o", str(out), str(SEEDS))
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 5


@pytest.fixture()
def broken_dir(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, d / p.name)
    # a Word file renamed to .txt, a picture renamed to .txt, and a link to a file that is gone
    import zipfile

    with zipfile.ZipFile(d / "renamed.txt", "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    (d / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    (d / "gone.txt").symlink_to(d / "nowhere.txt")
    return d


def test_broken_files_are_failed_rows_and_the_audit_goes_on(broken_dir: Path) -> None:
    proc = run_cli("audit", "--format", "json", str(broken_dir), "-j", "2")
    assert proc.returncode == 2, proc.stderr.decode()  # failed rows: the run fails, after the table
    data = json.loads(proc.stdout)
    by_name = {Path(r["path"]).name: r for r in data["reports"]}
    assert data["total"] == 8 and data["failed"] == 3
    assert [r["status"] for r in data["reports"]][:5] == ["ok"] * 5
    assert by_name["renamed.txt"]["status"] == "failed" and "ZIP" in by_name["renamed.txt"]["reason"]
    assert by_name["scan.txt"]["status"] == "failed" and "二进制" in by_name["scan.txt"]["reason"]
    assert by_name["gone.txt"]["status"] == "failed" and "不存在" in by_name["gone.txt"]["reason"]
    assert all(r["rank"] is None for r in data["reports"] if r["status"] == "failed")
    text = run_cli("audit", str(broken_dir)).stdout.decode()
    assert "检查失败" in text and "失败 3 份" in text


def test_unreadable_file_is_a_failed_row(tmp_path: Path) -> None:
    """A file without read permission (as root: with the capabilities that bypass it dropped)."""
    base = Path(tempfile.mkdtemp(prefix="fzlint-perm-"))
    try:
        os.chmod(base, 0o777)
        d = base / "reports"
        d.mkdir()
        shutil.copy(seed("001"), d / "ok.txt")
        shutil.copy(seed("004"), d / "secret.txt")
        os.chmod(d / "secret.txt", 0o000)
        os.chmod(d, 0o755)
        cache = base / "cache"
        cache.mkdir(mode=0o777)
        os.chmod(cache, 0o777)
        env = {**os.environ, "FZLINT_CACHE_DIR": str(cache), "NO_COLOR": "1", "HOME": str(base)}
        cmd = [sys.executable, "-m", "fzlint", "audit", "--format", "json", "-j", "1", str(d)]
        if os.geteuid() == 0:
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                if os.environ.get("CI"):
                    pytest.fail("setpriv (util-linux) is needed to test unreadable files as root")
                pytest.skip("running as root without setpriv: cannot make a file unreadable")
            drop = "-dac_override,-dac_read_search"
            cmd = [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}", *cmd]
        proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env, timeout=120, check=False)
        assert proc.returncode == 2, proc.stderr.decode()
        by_name = {Path(r["path"]).name: r for r in json.loads(proc.stdout)["reports"]}
        assert by_name["ok.txt"]["status"] == "ok"
        assert by_name["secret.txt"]["status"] == "failed" and "权限" in by_name["secret.txt"]["reason"]
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_report_links_json(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    proc = run_cli("audit", "--format", "html", "--report-links", "json", "-o", str(out), str(SEEDS))
    assert proc.returncode == 0, proc.stderr.decode()
    html = out.read_text(encoding="utf-8")
    pages = sorted((tmp_path / "audit_reports").glob("*.json"))
    assert len(pages) == 5
    for page in pages:
        assert f'href="audit_reports/{page.name}"' in html
        [f] = json.loads(page.read_text(encoding="utf-8"))["files"]
        assert f"<td>{f['path']}</td>" in html or f">{f['path']}</a>" in html


def test_report_links_none_and_custom_dir(tmp_path: Path) -> None:
    out = tmp_path / "a.html"
    run_cli("audit", "--format", "html", "--report-links", "none", "-o", str(out), str(SEEDS))
    assert "href=" not in out.read_text(encoding="utf-8")
    pages = tmp_path / "pages"
    data = audit_json("--reports-dir", str(pages), "--report-links", "json", str(SEEDS))
    for r in data["reports"]:
        assert (Path(r["page"]) if os.path.isabs(r["page"]) else ROOT / r["page"]).resolve().parent == pages.resolve()


def test_report_links_auto(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    run_cli("audit", "--format", "html", "-o", str(out), str(SEEDS))
    ext = "html" if "html" in RENDERERS else "json"
    pages = list((tmp_path / "audit_reports").glob(f"*.{ext}"))
    assert len(pages) == 5
    assert all(p.stat().st_size > 100 for p in pages)


def test_no_reports_found(tmp_path: Path) -> None:
    proc = run_cli("audit", str(tmp_path))
    assert proc.returncode == 2 and "没有可检查的报告文件" in proc.stderr.decode()


def test_ctrl_c_prints_what_was_finished(tmp_path: Path) -> None:
    d = tmp_path / "many"
    d.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(800):
        shutil.copy(seeds[i % 5], d / f"{i:04d}.txt")
    pages = tmp_path / "pages"
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "fzlint", "audit", "--format", "json", "-j", "2", "--reports-dir", str(pages), "--report-links", "json", str(d)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(pages.glob("*.json"))) < 20 if pages.exists() else time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    data = json.loads(out)
    assert data["interrupted"] is True
    assert 20 <= data["finished"] < data["total"] == 800
    assert all(r["status"] == "ok" for r in data["reports"])
    assert "已中断" in err.decode()


def test_previous_year_reuse_column(tmp_path: Path) -> None:
    prev, cur = tmp_path / "2021", tmp_path / "2022"
    prev.mkdir()
    cur.mkdir()
    shutil.copy(seed("001"), prev / "新余市2021年报告.txt")
    shutil.copy(seed("004"), prev / "高州2021.txt")
    # 高州: last year's report again with the years moved on; 新余 (by file name): another report
    (cur / "高州市2022年报告.txt").write_text(seed("004").read_text(encoding="utf-8").replace("2022", "2023").replace("2021", "2022"), encoding="utf-8")
    shutil.copy(seed("003"), cur / "新余市2022年报告.txt")
    shutil.copy(seed("002"), cur / "other.txt")
    data = audit_json(str(cur), "--previous", str(prev), "-j", "2")
    by_name = {Path(r["path"]).name: r for r in data["reports"]}
    gz = by_name["高州市2022年报告.txt"]
    assert Path(gz["previous"]).name == "高州2021.txt"
    assert gz["reuse"] > 0.9 and gz["reuse_problems"] == 1.0 and gz["reuse_findings"] == ["FZ901"]
    xy = by_name["新余市2022年报告.txt"]
    assert Path(xy["previous"]).name == "新余市2021年报告.txt" and xy["reuse"] == 0.0
    assert by_name["other.txt"]["previous"] is None and by_name["other.txt"]["reuse"] is None
    text = run_cli("audit", str(cur), "--previous", str(prev)).stdout.decode()
    assert "沿用上年" in text and "未配对" in text


def test_audit_uses_the_ruleset_of_the_config_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.conftest import run_cli, seed

    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.txt").write_bytes(seed("001").read_bytes())
    (tmp_path / "prov.yaml").write_text("ruleset: prov\ntitle: 某省\nextends: [fazhi-annual]\ndisable: [FZ311]\n", encoding="utf-8")
    (tmp_path / "fzlint.toml").write_text('ruleset = "prov.yaml"\n', encoding="utf-8")
    # the config file of the reports' folder applies wherever the audit is run from (as in check)
    with_config = json.loads(run_cli("audit", "--format", "json", "-j", "1", "reports", cwd=tmp_path).stdout)
    from_elsewhere = json.loads(run_cli("audit", "--format", "json", "-j", "1", str(tmp_path / "reports")).stdout)
    assert from_elsewhere["ruleset"] == "prov" and from_elsewhere["reports"][0]["score"] == with_config["reports"][0]["score"]
    plain = json.loads(run_cli("audit", "--isolated", "--format", "json", "-j", "1", str(tmp_path / "reports")).stdout)
    assert with_config["ruleset"] == "prov" and plain["ruleset"] == "fazhi-annual"
    assert with_config["reports"][0]["score"] > plain["reports"][0]["score"]
