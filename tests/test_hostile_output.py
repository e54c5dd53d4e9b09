"""Hostile file names and report text through the real command, under memory and time limits
(issue #13, items 10-12 and 14): exclude globs cannot backtrack exponentially and follow gitignore
(checked against git itself); nothing from a file or a file name drives the terminal; JUnit stays
well-formed and SARIF/HTML work with names that are not UTF-8; `-o` never leaves an empty file;
CSV cells cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.bounded import run_bounded
from tests.conftest import seed

MEM_MB = 600
SECONDS = 60

ESC = "\x1b]0;PWNED\x07\x1b[2J\x1b[31m"  # set the window title, clear the screen, go red
BIDI = "\u202e"  # right-to-left override: "report\u202etxt.exe" displays as "reportexe.txt"
# what must never reach a terminal: C0 controls but tab and newline, DEL, C1, bidi overrides
FORBIDDEN = {*map(chr, range(0x09)), *map(chr, range(0x0B, 0x20)), "\x7f", *map(chr, range(0x80, 0xA0)), *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="needs a filesystem that takes any bytes as a name")


def _report_text(hostile: str = "") -> str:
    """Seed 004 with `hostile` inside two headings that FZ123/FZ201 quote in their messages."""
    lines = seed("004").read_text(encoding="utf-8").split("\n")
    lines[10] = lines[10].replace("深入贯彻", "深入" + hostile + "贯彻")
    lines[14] = lines[14].replace("依法全面", "依法" + hostile + "全面")
    return "\n".join(lines)


def _clean(run_text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in run_text if c in FORBIDDEN})


# ---- item 11: terminal escapes --------------------------------------------------------------------
@linux_only
def test_nothing_from_a_file_or_its_name_drives_the_terminal(tmp_path: Path) -> None:
    d = tmp_path / "reports"
    d.mkdir()
    evil_name = f"evil{ESC}{BIDI}txt.exe.txt"
    (d / evil_name).write_text(_report_text(), encoding="utf-8")
    (d / f"content{BIDI}.txt").write_text(_report_text(ESC + BIDI + "\x9b31m"), encoding="utf-8")
    (d / "plain.txt").write_text(_report_text(), encoding="utf-8")
    missing = str(d / f"gone{ESC}.txt")
    runs = {
        "text": run_bounded(str(d), missing, mem_mb=MEM_MB),
        "quiet": run_bounded("-q", str(d), missing, mem_mb=MEM_MB),
        "verbose": run_bounded("-v", "--statistics", str(d), mem_mb=MEM_MB),
        "github": run_bounded("--format", "github", str(d), missing, mem_mb=MEM_MB),
        "diff": run_bounded("--diff", str(d), mem_mb=MEM_MB),
        "audit": run_bounded("audit", str(d), mem_mb=MEM_MB),
        "compare": run_bounded("compare", str(d / "plain.txt"), str(d / evil_name), mem_mb=MEM_MB),
        "compare-content": run_bounded("compare", str(d / "plain.txt"), str(d / f"content{BIDI}.txt"), mem_mb=MEM_MB),
    }
    for name, run in runs.items():
        assert not run.killed and run.seconds < SECONDS and run.peak_mb < 400, (name, run.seconds, run.peak_mb)
        assert "Traceback" not in run.err, (name, run.err)
        assert _clean(run.out) == [] and _clean(run.err) == [], (name, _clean(run.out), _clean(run.err))
    # the names are still recognisable: escapes, not deletions
    assert "evil\\x1b]0;PWNED\\x07\\x1b[2J" in runs["quiet"].out
    assert "\\u202e" in runs["quiet"].out
    assert "gone\\x1b]0;PWNED" in runs["quiet"].err  # stderr messages too
    assert "\\x1b" in runs["text"].out  # the FZ123/FZ201 messages quoting the headings
    assert "\\x1b]0;PWNED" in runs["diff"].out and runs["diff"].returncode == 1  # --diff shows the line escaped
    assert runs["github"].out.count("::") > 10


# ---- item 12: JUnit, SARIF and HTML with odd names ---------------------------------------------------
@linux_only
def test_junit_stays_well_formed_with_control_characters_in_names(tmp_path: Path) -> None:
    d = tmp_path / "r"
    d.mkdir()
    (d / f"ctl\x01\x02{ESC}.txt").write_text(_report_text(), encoding="utf-8")
    with open(os.fsencode(str(d)) + b"/gbk\xb1\xa8.txt", "w", encoding="utf-8") as fh:
        fh.write(_report_text())
    run = run_bounded("--format", "junit", str(d), str(d / "missing\x07.txt"), mem_mb=MEM_MB)
    assert run.returncode == 2 and run.seconds < SECONDS, run.err
    root = ET.fromstring(run.stdout)  # was: not well-formed (invalid token)
    names = [s.get("name") for s in root.iter("testsuite")]
    assert any(n and n.endswith("ctl\\x01\\x02\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31m.txt") for n in names), names
    assert any(n and n.endswith("gbk\\xb1\\xa8.txt") for n in names), names
    assert any(n and n.endswith("missing\\x07.txt") for n in names), names


@linux_only
def test_names_that_are_not_utf8_in_sarif_compare_and_html(tmp_path: Path) -> None:
    d = tmp_path / "r"
    d.mkdir()
    raw = os.fsencode(str(d)) + b"/\xb1\xa8\xb8\xe6.txt"  # 报告 in GBK
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write(_report_text())
    (d / "old.txt").write_text(_report_text(), encoding="utf-8")
    name = os.fsdecode(raw)
    sarif = run_bounded("--format", "sarif", name, cwd=tmp_path, mem_mb=MEM_MB)
    assert sarif.returncode in (0, 1), sarif.err  # was: 内部错误 UnicodeEncodeError
    uris = [f["uri"] for f in json.loads(sarif.stdout)["runs"][0]["properties"]["fzlint/files"]]
    assert uris == ["r/%B1%A8%B8%E6.txt"]  # percent-encoded from the name's bytes (RFC 3986)
    cmp = run_bounded("compare", "--format", "sarif", str(d / "old.txt"), name, mem_mb=MEM_MB)
    assert cmp.returncode in (0, 1), cmp.err
    assert json.loads(cmp.stdout)["runs"][0]["results"]
    out = tmp_path / "a.html"
    html = run_bounded("audit", "--format", "html", "-o", str(out), str(d), mem_mb=MEM_MB)
    assert html.returncode == 0, html.err  # was: 内部错误, and an empty a.html left behind
    text = out.read_text(encoding="utf-8")
    assert text.rstrip().endswith("</html>") and "\\udcb1" in text
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file left


def test_output_file_is_replaced_only_when_complete(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    out.write_text("previous result", encoding="utf-8")
    out.chmod(0o640)
    report = tmp_path / "r.txt"
    report.write_text(_report_text(), encoding="utf-8")
    ok = run_bounded("--format", "json", "-o", str(out), str(report), mem_mb=MEM_MB)
    assert ok.returncode in (0, 1), ok.err
    assert json.loads(out.read_text(encoding="utf-8"))["files"] and (out.stat().st_mode & 0o777) == 0o640


def test_atomic_output_keeps_the_old_file_when_rendering_fails(tmp_path: Path) -> None:
    from fzlint.outfile import atomic_output

    out = tmp_path / "result.html"
    out.write_text("previous result", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(str(out)) as stream:
        stream.write("<html>half")
        raise RuntimeError("renderer failed")
    assert out.read_text(encoding="utf-8") == "previous result"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.html"]
    with pytest.raises(KeyboardInterrupt), atomic_output(str(tmp_path / "new.html")) as stream:
        stream.write("<html>half")
        raise KeyboardInterrupt
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.html"]


# ---- item 14: CSV formula injection ---------------------------------------------------------------
def test_audit_csv_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    d = tmp_path / '=HYPERLINK("evil.example","点这里")'
    d.mkdir()
    (d / "r.txt").write_text(_report_text(), encoding="utf-8")
    for name in ("+cmd.txt", "-2+3.txt", "@SUM(A1).txt", "＝1+1.txt"):
        (tmp_path / name).write_text(_report_text(), encoding="utf-8")
    run = run_bounded("audit", "--format", "csv", "--", str(d.relative_to(tmp_path)), "+cmd.txt", "-2+3.txt", "@SUM(A1).txt", "＝1+1.txt", cwd=tmp_path, mem_mb=MEM_MB)
    assert run.returncode == 0 and run.seconds < SECONDS, run.err
    rows = list(csv.DictReader(io.StringIO(run.out)))
    paths = sorted(r["path"] for r in rows)
    assert paths == sorted(["'+cmd.txt", "'-2+3.txt", "'@SUM(A1).txt", "'＝1+1.txt", "'" + os.path.join(d.name, "r.txt")]), paths
    assert all(r["score"].isdigit() for r in rows)  # numbers are left alone


# ---- item 10: exclude globs ------------------------------------------------------------------------
def test_exclude_glob_cannot_backtrack_exponentially(tmp_path: Path) -> None:
    (tmp_path / "fzlint.toml").write_text('exclude = ["*a*a*a*a*a*a*a*a*a*a*a*a*b", "*a*a*a*a*a*a*a*a*a*a*a*a*/"]\n', encoding="utf-8")
    long_dir = tmp_path / ("a" * 200)  # was: 35 s for 30 characters, doubling with each one more
    long_dir.mkdir()
    (long_dir / ("a" * 200 + ".txt")).write_text(_report_text(), encoding="utf-8")
    skipped = tmp_path / ("a" * 40 + "b")
    skipped.mkdir()
    (skipped / "r.txt").write_text(_report_text(), encoding="utf-8")
    run = run_bounded("-q", ".", cwd=tmp_path, mem_mb=MEM_MB, timeout=SECONDS * 2)
    assert not run.killed and run.seconds < SECONDS, (run.seconds, run.err)
    assert run.returncode in (0, 1), run.err
    # the long folder matches the second pattern (a folder with 12 a's): excluded; so is the "b" one
    assert run.out.strip() == "", run.out
    (tmp_path / "fzlint.toml").write_text('exclude = ["*a*a*a*a*a*a*a*a*a*a*a*a*b"]\n', encoding="utf-8")
    run = run_bounded("-q", ".", cwd=tmp_path, mem_mb=MEM_MB, timeout=SECONDS * 2)
    assert not run.killed and run.seconds < SECONDS, (run.seconds, run.err)
    assert ("a" * 200) in run.out and ("a" * 40 + "b") not in run.out, run.out


GIT_FILES = [
    "a.txt", "b.md", "草稿.txt", "drafts/x.txt", "drafts/old/y.txt", "drafts/old/keep.txt", "src/drafts/z.txt",
    "docs/a.txt", "docs/sub/b.txt", "deep/a/b/c/d.txt", "abc/def.txt", "x/abc", "x/abc.txt", "[x].txt", "a*b.txt",
    "archive/2021/r.txt", "archive/keep.md", "年报/2021/初稿-v2.docx",
]
GIT_PATTERNS = [
    ["*.txt"], ["drafts"], ["drafts/"], ["/drafts"], ["drafts/*.txt"], ["drafts/**"], ["drafts/**/*.txt"], ["**/drafts"],
    ["**/old/*.txt"], ["docs/**/b.txt"], ["a/**/d.txt"], ["deep/**/d.txt"], ["*.txt", "!a.txt"], ["drafts/", "!drafts/old/keep.txt"],
    ["drafts/**", "!drafts/old/keep.txt"], ["[ab].*"], ["[!ab].txt"], ["[^ab].txt"], ["\\[x\\].txt"], ["a\\*b.txt"], ["abc"],
    ["abc/"], ["草稿*"], ["*"], ["archive/*", "!archive/keep.md"], ["?.txt"], ["**"], ["x/abc"], ["/a.txt"], ["sub/b.txt"],
    ["*/b.txt"], ["d*s"], ["deep/a"], ["年报/**/初稿*"], ["*稿-v?.docx"], ["[a-c]*.md"], ["*a*a*b"],
]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("patterns", GIT_PATTERNS, ids=lambda p: " ".join(p))
def test_exclude_follows_gitignore_as_git_does(tmp_path: Path, patterns: list[str]) -> None:
    from fzlint import config

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for f in GIT_FILES:
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f).write_text("x", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("\n".join(patterns) + "\n", encoding="utf-8")
    out = subprocess.run(
        ["git", "-c", "core.quotepath=off", "ls-files", "-z", "--others", "--ignored", "--exclude-standard"],
        cwd=tmp_path, capture_output=True, check=True,
    ).stdout.decode("utf-8")
    by_git = {p for p in out.split("\0") if p and p != ".gitignore"}
    cfg = config.Config({"exclude": config.Setting(patterns, "test", tmp_path)})
    ours = {f for f in GIT_FILES if config.excluded(tmp_path / f, cfg)}
    assert ours == by_git
