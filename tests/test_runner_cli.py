"""Through the real CLI: one hostile file among good ones (issue #13) never stops the run. Every
good file is reported, the bad one is its own error line, the exit code is 2 at the end, in
every output format and with -j 2; the child runs with bounded memory and CPU time."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli, seed
from tests.hostile_files import (
    NON_TEXT_CODECS,
    charset_html,
    cyclic_pdf,
    fifo,
    negative_ideograph_docx,
    run_bounded,
)

FORMATS = ("text", "json", "sarif", "github", "junit", "rdjson", "html")
GOOD = ("000", "002", "004")


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("hostile") / "reports"
    d.mkdir()
    for prefix in GOOD:
        shutil.copy(seed(prefix), d / f"{prefix}.txt")
    negative_ideograph_docx(d / "numbering.docx")
    for codec in NON_TEXT_CODECS:
        charset_html(d / f"{codec}.html", codec)
    cyclic_pdf(d / "cycle.pdf")
    (d / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)  # an input error for sure
    return d


def _accounted(proc_out: str, proc_err: str, d: Path) -> None:
    """Every file of the folder is in the output or has its own error line; the run did not stop."""
    assert "Traceback" not in proc_err
    assert not re.search(r"(?m)^fzlint: 内部错误", proc_err), proc_err  # the run-level crash of old
    errors = {line.split(": ", 1)[0] for line in proc_err.splitlines() if not line.startswith("fzlint: ")}
    for f in sorted(d.iterdir()):
        shown = str(f)
        assert shown in proc_out or shown in errors, (f.name, proc_err)
    for prefix in GOOD:
        assert str(d / f"{prefix}.txt") in proc_out
    assert str(d / "scan.txt") in errors


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_bad_file_among_good_ones_is_its_own_error_in_every_format(hostile_dir: Path, fmt: str) -> None:
    one = run_bounded("--format", fmt, "-j", "1", str(hostile_dir))
    two = run_bounded("--format", fmt, "-j", "2", str(hostile_dir))
    for proc in (one, two):
        assert proc.returncode == 2, proc.stderr.decode()
        _accounted(proc.stdout.decode(), proc.stderr.decode(), hostile_dir)
    stamp = re.compile(rb' timestamp="[^"]*"| \xc2\xb7 \d{4}-\d\d-\d\d \d\d:\d\d<')
    assert stamp.sub(b"", one.stdout) == stamp.sub(b"", two.stdout)
    assert one.stderr == two.stderr


def test_quiet_and_audit_report_every_file_and_exit_2(hostile_dir: Path) -> None:
    quiet = run_bounded("-q", "-j", "2", str(hostile_dir))
    assert quiet.returncode == 2
    _accounted(quiet.stdout.decode(), quiet.stderr.decode(), hostile_dir)
    audit = run_bounded("audit", "--format", "json", "-j", "2", str(hostile_dir))
    assert audit.returncode == 2, audit.stderr.decode()  # failed rows: the run failed, after the table
    rows = {Path(r["path"]).name: r for r in json.loads(audit.stdout)["reports"]}
    assert set(rows) == {f.name for f in hostile_dir.iterdir()}
    assert all(rows[f"{p}.txt"]["status"] == "ok" for p in GOOD)
    assert rows["scan.txt"]["status"] == "failed"


@pytest.mark.parametrize("codec", NON_TEXT_CODECS)
def test_a_page_declaring_a_non_text_codec_is_read_as_a_page(tmp_path: Path, codec: str) -> None:
    page = charset_html(tmp_path / "page.html", codec)
    proc = run_bounded("--format", "json", str(page))
    assert proc.returncode in (0, 1), proc.stderr.decode()
    [f] = json.loads(proc.stdout)["files"]
    assert f["report"]["issuer"] and "高州" in f["report"]["issuer"]


def test_a_fifo_in_a_folder_is_skipped_and_one_named_does_not_hang(tmp_path: Path) -> None:
    d = tmp_path / "reports"
    d.mkdir()
    shutil.copy(seed("001"), d / "a.txt")
    fifo(d / "pipe.txt")
    for args in (["-q"], ["-q", "-j", "2"], ["audit", "--format", "csv", "-j", "2"]):
        proc = run_bounded(*args, str(d), timeout=60)
        assert proc.returncode in (0, 1), (args, proc.stderr.decode())
        assert str(d / "a.txt") in proc.stdout.decode() and "pipe.txt" not in proc.stdout.decode()
    verbose = run_bounded("-v", str(d), timeout=60)
    assert f"跳过非普通文件(命名管道、设备等):{d / 'pipe.txt'}" in verbose.stderr.decode()
    named = run_bounded("-q", str(d / "pipe.txt"), str(d / "a.txt"), timeout=60)
    assert named.returncode == 2
    assert str(d / "a.txt") in named.stdout.decode() and "命名管道" in named.stderr.decode()


def test_audit_scores_a_report_as_check_does_with_the_folder_configuration(tmp_path: Path) -> None:
    """fzlint.toml's select/ignore, per-file-ignores, [severity] and inline directives apply in
    audit as in check (audit used to build a bare linter: 100 in check, 66 in audit)."""
    d = tmp_path / "reports"
    d.mkdir()
    (d / "fzlint.toml").write_text('ignore = ["FZ3"]\n[per-file-ignores]\n"b.txt" = ["FZ1", "P1"]\n[severity]\nD1 = "info"\n', encoding="utf-8")
    lines = seed("003").read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "<!-- fzlint: disable=FZ1,D1 -->\n")
    (d / "a.txt").write_text("".join(lines), encoding="utf-8")
    shutil.copy(seed("004"), d / "b.txt")
    quiet = run_cli("-q", "--exit-zero", str(d)).stdout.decode()
    check_scores = {Path(m[0]).name: int(m[1]) for m in re.findall(r"(?m)^(.+): (\d+) ", quiet)}
    audit = json.loads(run_cli("audit", "--format", "json", str(d)).stdout)
    audit_scores = {Path(r["path"]).name: r["score"] for r in audit["reports"]}
    assert audit_scores == check_scores and len(check_scores) == 2
    isolated = json.loads(run_cli("audit", "--isolated", "--format", "json", str(d)).stdout)
    assert all(r["score"] < audit_scores[Path(r["path"]).name] for r in isolated["reports"])


def test_files_that_are_not_reports_are_noted_and_not_ranked(tmp_path: Path) -> None:
    d = tmp_path / "reports"
    d.mkdir()
    shutil.copy(seed("003"), d / "real.txt")
    (d / "hello.txt").write_text("hello\n", encoding="utf-8")
    run_cli("--format", "html", "-o", str(d / "上次的检查结果.html"), str(seed("001")))
    proc = run_cli("--format", "json", str(d))
    assert proc.returncode == 1, proc.stderr.decode()
    assert [Path(f["path"]).name for f in json.loads(proc.stdout)["files"]] == ["real.txt"]
    err = proc.stderr.decode()
    assert f"fzlint: {d / 'hello.txt'}: 提示: 不像法治政府建设年度报告,未评分" in err
    assert f"fzlint: {d / '上次的检查结果.html'}: 提示: 这是 fzlint 生成的检查结果,不是报告,未评分" in err
    en = run_cli("--lang", "en", "-q", str(d)).stderr.decode()
    assert "does not look like an annual rule-of-law report; not scored" in en
    audit = json.loads(run_cli("audit", "--format", "json", str(d)).stdout)
    by_name = {Path(r["path"]).name: r for r in audit["reports"]}
    assert by_name["real.txt"]["rank"] == 1 and by_name["hello.txt"]["status"] == "skipped"
    assert by_name["hello.txt"]["rank"] is None and by_name["hello.txt"]["reason"] == "不像法治政府建设年度报告,未评分"
    named = run_cli("-q", str(d / "hello.txt"))
    assert str(d / "hello.txt") in named.stdout.decode() and "仅供参考" in named.stderr.decode()
