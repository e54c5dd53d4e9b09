"""ingest/source.py and decode.py: bounded reads, refusals, OS errors, BOM-less UTF-16."""

from __future__ import annotations

import errno
import io
from pathlib import Path

import pytest
from tests.conftest import seed

from fzlint.errors import InputError
from fzlint.ingest import load_bytes, load_path
from fzlint.ingest.decode import decode
from fzlint.ingest.source import load_stdin, os_error, read_limited

TEXT = seed("001").read_text(encoding="utf-8")


def test_read_limited_stops_after_the_limit() -> None:
    assert read_limited(io.BytesIO(b"abc"), 3, "x") == b"abc"
    with pytest.raises(InputError, match="--max-size"):
        read_limited(io.BytesIO(b"abcd"), 3, "x")


class _Endless(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def]
        b[:] = b"\x00" * len(b)
        return len(b)


def test_endless_stream_is_refused() -> None:
    with pytest.raises(InputError):
        load_stdin(io.BufferedReader(_Endless()), "<stdin>", 1024 * 1024)


def test_os_errors_are_named() -> None:
    assert "循环" in os_error(OSError(errno.ELOOP, "loop"), "p").zh
    assert "权限" in os_error(PermissionError(errno.EACCES, "denied"), "p").zh
    assert os_error(OSError(errno.EIO, "I/O error"), "p").en == "Cannot read: I/O error"


def test_load_path_directory_and_limit(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="目录"):
        load_path(tmp_path)
    f = tmp_path / "r.txt"
    f.write_text(TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="文件过大"):
        load_path(f, max_bytes=100)
    assert load_path(f).text == TEXT


def test_refusals() -> None:
    for data in (b"", b"\xef\xbb\xbf\r\n", b"\x00" * 100, bytes(range(32)) * 50):
        with pytest.raises(InputError):
            load_bytes(data, "x.txt")


def test_nul_bytes_become_spaces() -> None:
    src = load_bytes(("法治\x00政府" + TEXT).encode(), "x.txt")
    assert src.text.startswith("法治 政府")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16(codec: str) -> None:
    d = decode(TEXT.encode(codec))
    assert d.encoding == codec and d.text == TEXT


def test_bom_replacement_count_ignores_existing_fffd() -> None:
    d = decode(b"\xef\xbb\xbf" + "已有\ufffd字符".encode() + b"\xff")
    assert d.replaced == 1
