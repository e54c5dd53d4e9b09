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


def _docx(data: bytes, path: str) -> Source:
    from fzlint.ingest.docx import read_docx  # python-docx is loaded only for Word files

    return read_docx(data, path)


def _pdf(data: bytes, path: str) -> Source:
    from fzlint.ingest.pdf import read_pdf

    return read_pdf(data, path)


def _image(data: bytes, path: str) -> Source:
    from fzlint.ingest.ocr import read_image  # OCR: the optional extra fzlint[ocr]

    return read_image(data, path)


def _html(data: bytes, path: str) -> Source:
    from fzlint.ingest.html import read_html

    return read_html(data, path)


_READERS: dict[str, Reader] = {
    ".doc": _old_binary,
    ".wps": _old_binary,
    ".docx": _docx,
    ".pdf": _pdf,
    ".html": _html,
    ".htm": _html,
    ".png": _image,
    ".jpg": _image,
    ".jpeg": _image,
    ".tif": _image,
    ".tiff": _image,
}


def reader_for(suffix: str) -> Reader | None:
    """The reader for a suffix (lower-case, with the dot), or None for plain text."""
    return _READERS.get(suffix.lower())


# What folder walks pick up; .doc/.wps and images (without the OCR extra) are included so that
# they get a message saying what to do instead of being skipped silently.
SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".docx", ".pdf", ".html", ".htm", ".doc", ".wps",
                      ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
