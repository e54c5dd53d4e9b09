"""Readers for non-text formats, chosen by file suffix. Heavy libraries are imported lazily."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fzlint.errors import InputError

if TYPE_CHECKING:
    from fzlint.ingest.source import Source

Reader = Callable[[bytes, str], "Source"]


def _old_binary(data: bytes, path: str) -> Source:
    raise InputError(
        "这是旧版 Word/WPS 二进制格式(.doc/.wps),fzlint 不能直接读取。请先转换为 .docx:"
        "libreoffice --headless --convert-to docx 文件名",
        "Old binary Word/WPS format (.doc/.wps) is not supported. Convert it first: "
        "libreoffice --headless --convert-to docx FILE",
        path=path,
    )


def reader_for(suffix: str) -> Reader | None:
    """The reader for a suffix, or None for plain text."""
    if suffix in (".doc", ".wps"):
        return _old_binary
    return None


SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
