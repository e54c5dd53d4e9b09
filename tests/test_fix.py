"""fzlint/fix.py: fixes applied in rounds, atomic writes in the file's own encoding, faults."""

from __future__ import annotations

import difflib
import os
import shutil
import stat
from pathlib import Path

import pytest

from fzlint.engine import Linter
from fzlint.fix import FixError, apply_fixes, encode, fix_source, fixable, select_fixes, unified_diff, write_atomic
from fzlint.ingest import load_bytes, load_path
from fzlint.ingest.source import Source
from fzlint.rules.loader import load_ruleset
from fzlint.rules.model import Finding, Fix
from tests.conftest import SEEDS, run_cli

FIXABLE = {"P100", "P101", "P103", "FZ327", "D101", "D102", "D104", "D105", "FZ705", "FZ803"}

REPORT = (
    "某市司法局2021年度法治政府建设情况报告\n"
    "一、主要举措和成效\n"
    "（一）依法履职\n"
    "截止2021年底，全年办理复议案件12件,,办结率100%。共办理政协提案195件.办理诉讼案件20件。\n"
    "二、存在的不足和原因\n"
    "执法力量不足，原因是编制紧张。\n"
    "四、2022年工作安排\n"
    "加强执法队伍建设。\n"
    "某市司法局\n"
    "2022年1月10日\n"
)


def _linter() -> Linter:
    return Linter(load_ruleset())


def _f(code: str, s: int, e: int, rep: str) -> Finding:
    return Finding(code, "warning", "punctuation", "m", s, e, fix=Fix(s, e, rep))


def test_select_fixes_skips_overlaps_and_same_point() -> None:
    chosen = select_fixes([_f("A", 0, 5, "x"), _f("B", 3, 6, "y"), _f("C", 6, 7, "z"), _f("D", 6, 6, "w")])
    # B overlaps A; C starts where the insertion D does, so it waits for the next round
    assert [c for _, c in chosen] == ["A", "D"]
    assert apply_fixes("abcdefgh", [fx for fx, _ in chosen]) == "xfwgh"


def test_fix_report_reaches_fixpoint_and_only_touches_fixed_spans() -> None:
    src = load_bytes(REPORT.encode("utf-8"), "r.txt")
    out = fix_source(src, _linter())
    assert out.changed and out.result is not None
    assert "截至2021年底" in out.fixed and "12件，办结率" in out.fixed and "195件。办理" in out.fixed
    assert "三、2022年工作安排" in out.fixed  # D101: the skipped number is renumbered
    left = {f.code for f in out.result.findings}
    assert not left & {"P101", "P103", "FZ327", "D101"}
    again = fix_source(Source("r.txt", out.fixed), _linter())
    assert not again.changed and again.applied == 0


def _changed_chunks(a: str, b: str) -> list[tuple[str, str]]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"]


_HALF = dict(zip(",;:?!().", "，；：？！（）。"))
_SWAPPED = {("浓", "营"), ("制", "治")}  # FZ803 in 001 and 004


def _allowed(old: str, new: str) -> bool:
    """A change the fixable rules may make: half -> full width, a doubled mark dropped,
    截止 -> 截至, a renumbered heading numeral, a stray page digit dropped from a heading (D105),
    a misquoted title corrected (FZ705: 001's 推进法治政府建设 -> 推进法治建设), a genre confusion
    (FZ803: 浓造 -> 营造, 法制意识 -> 法治意识)."""
    if old and len(old) == len(new) and all(_HALF.get(o) == n or o == n or (o, n) in _SWAPPED for o, n in zip(old, new)):
        return True
    if old in ("止", "止到", "止至") and new == "至":
        return True
    if old == "" and new in ("(", "（"):
        return True  # D102: 二) -> (二)
    if new == "" and old.strip() in ("9", "0") and len(old) >= 2:
        return True  # D105: "一、9 2019 年度" -> "一、2019 年度"
    if (old, new) == ("政府", ""):
        return True  # FZ705
    numerals = set("一二三四五六七八九十0123456789")
    return bool(old) and set(old) <= numerals and set(new) <= numerals


@pytest.mark.parametrize("seed_file", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_fix_every_seed(tmp_path: Path, seed_file: str) -> None:
    path = tmp_path / seed_file
    path.write_bytes((SEEDS / seed_file).read_bytes())  # a writable copy, whatever the seed's mode
    original = path.read_text("utf-8")
    linter = _linter()
    before = linter.lint_source(load_path(path))
    p = run_cli("--fix", "-q", str(path))
    assert p.returncode in (0, 1), p.stderr.decode()
    fixed = path.read_text("utf-8")
    after = linter.lint_source(load_path(path))
    fixed_codes = {f.code for f in before.findings if f.fix is not None}
    assert fixed_codes, "every seed has something certain to fix (at least its half-width commas)"
    assert not {f.code for f in after.findings if f.fix is not None}, [f.message for f in after.findings if f.fix]
    # nothing else changed: every changed chunk is one of the fixable transformations
    for old, new in _changed_chunks(original, fixed):
        assert _allowed(old, new), (old, new)
    # and the other findings are still there
    assert {f.code for f in before.findings} - FIXABLE <= {f.code for f in after.findings} | {"FZ201"}
    # a second --fix is a no-op
    p2 = run_cli("--fix", "-q", str(path))
    assert path.read_text("utf-8") == fixed
    assert "已修复 0 处" in p2.stderr.decode()


@pytest.mark.parametrize(
    ("codec", "bom", "newline"),
    [("gb18030", b"", "\n"), ("utf-16-le", b"\xff\xfe", "\r\n"), ("utf-8", b"\xef\xbb\xbf", "\r\n"), ("gb18030", b"", "\r\n")],
)
def test_round_trip_keeps_encoding_bom_and_newlines(tmp_path: Path, codec: str, bom: bytes, newline: str) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(bom + REPORT.replace("\n", newline).encode(codec))
    p = run_cli("--fix", str(path))
    assert p.returncode in (0, 1), p.stderr.decode()
    data = path.read_bytes()
    assert data.startswith(bom)
    text = data[len(bom) :].decode(codec)
    assert "截至2021年底" in text
    assert text.count(newline) == REPORT.count("\n")
    if newline == "\r\n":
        assert "\n" not in text.replace("\r\n", "")
    assert load_path(path).encoding == codec


def test_diff_prints_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, "utf-8")
    p = run_cli("--diff", str(path))
    assert p.returncode == 1
    out = p.stdout.decode()
    assert out.startswith("--- a/") and "-截止2021年底" in out and "+截至2021年底" in out
    assert path.read_text("utf-8") == REPORT
    clean = tmp_path / "c.txt"
    clean.write_text(REPORT.replace("截止", "截至").replace(",,", "，").replace("件.办", "件。办").replace("四、", "三、"), "utf-8")
    q = run_cli("--diff", str(clean))
    assert q.returncode == 0 and q.stdout == b""


def test_fix_refuses_stdin_but_diff_reads_it() -> None:
    p = run_cli("--fix", "-", input=REPORT.encode())
    assert p.returncode == 2 and "--diff" in p.stderr.decode()
    q = run_cli("--diff", "-", input=REPORT.encode())
    assert q.returncode == 1 and "+截至2021年底" in q.stdout.decode()


def test_read_only_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(REPORT, "utf-8")
    path.chmod(0o444)
    try:
        # refused from the mode bits, so this holds for root too
        p = run_cli("--fix", str(path))
        assert p.returncode == 2
        assert "只读" in p.stderr.decode()
        assert path.read_text("utf-8") == REPORT
    finally:
        path.chmod(0o644)


def test_write_atomic_refuses_a_read_only_mode_even_for_root(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(b"old")
    path.chmod(0o444)
    with pytest.raises(FixError, match="只读"):
        write_atomic(path, b"new")
    path.chmod(0o644)
    assert path.read_bytes() == b"old"


@pytest.mark.parametrize("broken", ["write", "fsync", "replace"])
def test_write_atomic_fault_leaves_original_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("原文".encode())

    def boom(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, broken, boom)
    with pytest.raises(FixError, match="原文件未改动"):
        write_atomic(path, "新文本".encode())
    monkeypatch.undo()
    assert path.read_bytes() == "原文".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_write_atomic_keeps_mode_and_follows_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, b"new", expected_old=b"old")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_write_atomic_refuses_when_file_changed_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(b"edited by someone")
    with pytest.raises(FixError, match="被修改"):
        write_atomic(path, b"new", expected_old=b"old")
    assert path.read_bytes() == b"edited by someone"


def test_non_text_formats_and_damaged_text_are_not_fixed() -> None:
    assert fixable(Source("a.docx", "x", format="docx")) is not None
    assert "不会被自动修改" in (fixable(Source("a.pdf", "x", format="pdf")) or "")
    assert fixable(Source("a.html", "x", format="html")) is not None
    assert "无法解码" in (fixable(Source("a.txt", "x", replaced=2)) or "")
    assert fixable(Source("a.txt", "x")) is None


def test_encode_refuses_text_the_codec_cannot_hold() -> None:
    src = Source("a.txt", "x", encoding="ascii")
    with pytest.raises(FixError):
        encode("中文", src)


def test_unified_diff_marks_missing_final_newline() -> None:
    src = load_bytes("全年办理案件12件,,办结。".encode(), "a.txt")
    out = fix_source(src, _linter())
    d = unified_diff(out)
    assert d.startswith("--- a/a.txt") and "\\ No newline at end of file" in d


def test_word_file_is_linted_but_not_fixed(tmp_path: Path) -> None:
    import docx  # python-docx is a dependency (the .docx reader)

    path = tmp_path / "r.docx"
    d = docx.Document()
    for line in REPORT.splitlines():
        d.add_paragraph(line)
    d.save(str(path))
    before = path.read_bytes()
    p = run_cli("--fix", "-q", str(path))
    assert p.returncode in (0, 1)
    assert "不会被自动修改" in p.stderr.decode()
    assert path.read_bytes() == before
