"""Bad input through the real command: a clear message and exit 2, or a normal lint; never a
traceback, never a hang; line:column stay right whatever the encoding or invisible characters."""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from pathlib import Path

import pytest
from tests.conftest import run_cli, seed

SEED = seed("004")
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _ok(proc) -> str:  # type: ignore[no-untyped-def]
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err


def _json(proc) -> dict:  # type: ignore[no-untyped-def,type-arg]
    _ok(proc)
    return json.loads(proc.stdout.decode("utf-8"))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _positions(payload: dict) -> list[tuple]:  # type: ignore[type-arg]
    return [(d["code"], d["line"], d["column"], d["end_line"], d["end_column"]) for d in payload["files"][0]["diagnostics"]]


@pytest.fixture(scope="module")
def plain_positions(tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:  # type: ignore[type-arg]
    return _positions(_json(run_cli("--format", "json", str(SEED))))


# ---- refused with a clear message ----------------------------------------------------------
def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document><w:body><w:p><w:r><w:t>法治</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


REFUSED = {
    "empty.txt": (b"", "文件是空的", "empty"),
    "blank.txt": (" \n\t\r\n\u3000\u200b\ufeff\n".encode(), "只有空白字符", "only whitespace"),
    "bom-only.txt": (b"\xef\xbb\xbf", "只有空白字符", "only whitespace"),
    "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "二进制文件", "binary file"),
    "report.docx.txt": (_docx_bytes(), "ZIP/Word", ".docx"),
    "random.txt": (random.Random(7).randbytes(20000), "不像文本文件", "does not look like a text file"),
    "nul.txt": (b"\x00" * 4000 + "法治".encode(), "不像文本文件", "does not look like a text file"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_inputs_exit_2_with_message(tmp_path: Path, name: str) -> None:
    data, zh, en = REFUSED[name]
    f = _write(tmp_path, name, data)
    proc = run_cli(str(f))
    err = _ok(proc)
    assert proc.returncode == 2
    assert zh in err and str(f) in err
    proc = run_cli("--lang", "en", str(f))
    assert proc.returncode == 2
    assert en in _ok(proc)


def test_size_limit_is_checked_before_reading_and_can_be_raised(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # 50 MB without building it in memory
        fh.truncate(50 * 1024 * 1024)
    proc = run_cli("-q", str(big))
    err = _ok(proc)
    assert proc.returncode == 2
    assert "文件过大" in err and "--max-size" in err
    small = _write(tmp_path, "r.txt", SEED_TEXT.encode() * 40)  # about 0.5 MB
    assert run_cli("-q", "--max-size", "0.1", str(small)).returncode == 2
    proc = run_cli("-q", "--max-size", "1", str(small))
    _ok(proc)
    assert proc.returncode in (0, 1) and b"r.txt" in proc.stdout


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "abc"])
def test_bad_max_size_is_a_usage_error(value: str) -> None:
    proc = run_cli("--max-size", value, str(SEED))
    assert proc.returncode == 2
    assert "--max-size" in _ok(proc)


def test_stdin_is_bounded_by_max_size() -> None:
    proc = run_cli("-", "--max-size", "0.001", input=SEED_TEXT.encode())
    assert proc.returncode == 2
    assert "文件过大" in _ok(proc)


def test_device_file_without_size_is_bounded() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    proc = run_cli("--max-size", "1", "/dev/zero")
    assert proc.returncode == 2
    assert "文件过大" in _ok(proc)


# ---- linted normally -----------------------------------------------------------------------
def test_one_huge_line_is_linted(tmp_path: Path) -> None:
    line = ("我市推进法治政府建设," * 300000)[: 5 * 1024 * 1024 // 3]  # ~5 MB, no newline
    f = _write(tmp_path, "line.txt", line.encode())
    payload = _json(run_cli("--format", "json", str(f)))
    for d in payload["files"][0]["diagnostics"]:
        assert d["line"] == 1 and 1 <= d["column"] <= len(line) + 1


def test_invalid_utf8_inside_gb18030_is_replaced_with_a_note(tmp_path: Path) -> None:
    raw = SEED_TEXT.encode("gb18030")
    cut = raw.index("二、".encode("gb18030"))
    f = _write(tmp_path, "gb.txt", raw[:cut] + b"\x80\xff" + raw[cut:])
    proc = run_cli("--format", "json", str(f))
    payload = _json(proc)
    assert payload["files"][0]["diagnostics"]
    err = proc.stderr.decode()
    assert "无法按 gb18030 解码" in err and "�" in err


def test_a_few_nul_bytes_are_linted_as_spaces(tmp_path: Path, plain_positions: list[tuple]) -> None:  # type: ignore[type-arg]
    i = SEED_TEXT.index("。") + 1
    f = _write(tmp_path, "nul.txt", (SEED_TEXT[:i] + "\x00" + SEED_TEXT[i + 1 :]).encode())
    assert _positions(_json(run_cli("--format", "json", str(f)))) == plain_positions


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-32-le", b"\xff\xfe\x00\x00"),
        ("utf-32-be", b"\x00\x00\xfe\xff"),
        ("utf-16-le", b""),  # BOM-less UTF-16 (some Windows tools)
        ("gb18030", b""),
    ],
)
def test_encodings_and_boms_give_the_same_positions(tmp_path: Path, plain_positions: list[tuple], encoding: str, bom: bytes) -> None:  # type: ignore[type-arg]
    f = _write(tmp_path, "enc.txt", bom + SEED_TEXT.encode(encoding))
    assert _positions(_json(run_cli("--format", "json", str(f)))) == plain_positions


def test_crlf_and_cr_newlines_keep_lines(tmp_path: Path, plain_positions: list[tuple]) -> None:  # type: ignore[type-arg]
    for nl in ("\r\n", "\r"):
        f = _write(tmp_path, "nl.txt", SEED_TEXT.replace("\n", nl).encode())
        assert _positions(_json(run_cli("--format", "json", str(f)))) == plain_positions


def test_unpaired_utf16_surrogate_is_replaced(tmp_path: Path) -> None:
    body = SEED_TEXT.encode("utf-16-le")
    cut = len(SEED_TEXT[:200].encode("utf-16-le"))
    f = _write(tmp_path, "sur.txt", b"\xff\xfe" + body[:cut] + b"\x00\xd8" + body[cut:])  # lone high surrogate
    proc = run_cli("--format", "json", str(f))
    assert _json(proc)["files"][0]["diagnostics"]
    assert "无法按 utf-16-le 解码" in proc.stderr.decode()


def test_lone_surrogate_in_text_renders(tmp_path: Path) -> None:
    # A reader may hand over surrogateescape'd text: output must escape, not crash.
    from fzlint.engine import Linter
    from fzlint.ingest import Source
    from fzlint.render import Run
    from fzlint.render.json_out import render_run
    from fzlint.render.text import render_run as render_text
    from fzlint.rules.loader import load_ruleset
    from fzlint.score import compute

    text = SEED_TEXT.replace("法治政府", "法治\udcff政府", 1)
    rs = load_ruleset()
    result = Linter(rs).lint_source(Source("r\udcb1.txt", text))
    run = Run([(result, compute(result.findings, rs))], rs, color="never")
    buf = io.StringIO()
    render_run(run, buf)
    render_text(run, io.StringIO())
    json.loads(buf.getvalue())
    out = tmp_path / "o.json"
    out.write_text(buf.getvalue(), encoding="utf-8", errors="backslashreplace")


def test_fullwidth_space_indentation_shifts_columns_only(tmp_path: Path, plain_positions: list[tuple]) -> None:  # type: ignore[type-arg]
    indented = "\n".join("\u3000\u3000" + ln if ln.strip() else ln for ln in SEED_TEXT.split("\n"))
    f = _write(tmp_path, "ind.txt", indented.encode())
    got = _positions(_json(run_cli("--format", "json", str(f))))
    lines = SEED_TEXT.split("\n")

    def shift(line: int, col: int) -> int:
        return col + 2 if lines[line - 1].strip() and col > 0 else col

    assert [c for c, *_ in got] == [c for c, *_ in plain_positions]
    for (code, l1, c1, el, ec), (_, pl, pc, pel, pec) in zip(got, plain_positions, strict=True):
        assert (l1, el) == (pl, pel), code
        assert c1 == shift(pl, pc) or c1 == pc, code  # a finding may now start at the indent


def test_rtl_and_zero_width_characters_keep_positions_exact(tmp_path: Path) -> None:
    text = "\u202e\u200b" + SEED_TEXT.replace("。", "。\u200b\u200f\u2066", 30)
    f = _write(tmp_path, "rtl.txt", text.encode())
    payload = _json(run_cli("--format", "json", str(f)))
    diags = payload["files"][0]["diagnostics"]
    assert diags
    lines = text.split("\n")
    for d in diags:
        assert 1 <= d["line"] <= len(lines)
        assert 1 <= d["column"] <= len(lines[d["line"] - 1]) + 1


def test_traditional_chinese_is_matched_like_simplified(tmp_path: Path, plain_positions: list[tuple]) -> None:  # type: ignore[type-arg]
    from opencc import OpenCC

    # character-level conversion keeps the length, so positions must be identical
    conv = OpenCC("s2t")
    trad = "".join(c if len(t := conv.convert(c)) != 1 else t for c in SEED_TEXT)
    assert trad != SEED_TEXT and len(trad) == len(SEED_TEXT)
    f = _write(tmp_path, "繁體 報告.txt", trad.encode("utf-8"))
    proc = run_cli("--format", "json", str(f))
    payload = _json(proc)
    assert _positions(payload) == plain_positions
    assert "繁体" in proc.stderr.decode()
    # the findings quote the original (Traditional) text
    assert "建設" in (payload["files"][0]["report"]["title"] or "")
