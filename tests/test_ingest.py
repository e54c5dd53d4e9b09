"""Decoding and the offset -> line:column map."""

from __future__ import annotations

import pytest

from fzlint.errors import InputError
from fzlint.ingest import load_bytes, load_path
from tests.conftest import FIXTURES

TEXT = "某县2022年度法治政府建设情况报告\n一、主要举措和成效\n全年办理案件12件。\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16-le"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
    ],
)
def test_decodes(data: bytes, encoding: str) -> None:
    src = load_bytes(data, "x.txt")
    assert src.text == TEXT
    assert src.encoding == encoding
    assert src.replaced == 0


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_positions_with_any_newline(newline: str) -> None:
    text = TEXT.replace("\n", newline)
    src = load_bytes(text.encode("utf-8"), "x.txt")
    off = src.text.index("全年")
    assert src.position(off) == (3, 1)
    assert src.position(src.text.index("12件")) == (3, 7)
    assert src.line_text(2) == "一、主要举措和成效"


def test_text_is_kept_verbatim() -> None:
    raw = "标题\r\n正文。\r\n".encode("gb18030")
    src = load_bytes(raw, "x.txt")
    assert src.text.encode(src.encoding) == raw


def test_invalid_bytes_inside_gb18030_are_replaced_and_noted() -> None:
    raw = TEXT.encode("gb18030")
    broken = raw[:20] + b"\xff\xff" + raw[20:]
    src = load_bytes(broken, "x.txt")
    assert src.replaced > 0 and src.notes
    assert "法治政府" in src.text


def test_zip_renamed_txt_is_refused() -> None:
    with pytest.raises(InputError) as exc:
        load_bytes(b"PK\x03\x04" + b"\x00" * 100, "a.txt")
    assert ".docx" in exc.value.zh


def test_missing_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as exc:
        load_path(tmp_path / "nope.txt")
    assert "不存在" in exc.value.zh and "No such file" in exc.value.en


def test_gb18030_fixture_reads_like_utf8_one() -> None:
    a = load_path(FIXTURES / "township_2023_gb18030.txt")
    b = load_path(FIXTURES / "township_2023.txt")
    assert a.encoding == "gb18030"
    assert a.text.replace("\r\n", "\n") == b.text
