"""Readers for non-text formats, chosen by file suffix. Heavy libraries are imported lazily."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fzlint.errors import InputError

if TYPE_CHECKING:
    from fzlint.ingest.source import Source

Reader = Callable[[bytes, str], "Source"]

# LibreOffice settings from the configuration of the file being read (see convert.py): the path of
# `soffice` (None: look on PATH), the time limit of one conversion, whether to use the cache.
CONVERT: dict[str, Any] = {"soffice": None, "timeout": 60.0, "use_cache": True}


def configure(soffice: str | None = None, timeout: float | None = None, use_cache: bool = True) -> None:
    CONVERT["soffice"] = soffice or None
    CONVERT["timeout"] = float(timeout) if timeout else 60.0
    CONVERT["use_cache"] = use_cache


def _converted(suffix: str) -> Reader:
    def read(data: bytes, path: str) -> Source:
        from fzlint.ingest.convert import read_converted  # LibreOffice: see convert.py

        return read_converted(data, path, suffix)

    return read


def _docx(data: bytes, path: str) -> Source:
    from fzlint.ingest.docx import read_docx  # python-docx is loaded only for Word files

    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an old .doc (or an encrypted .docx) named .docx
        from fzlint.ingest.convert import read_converted

        return read_converted(data, path, ".docx")
    return read_docx(data, path)


def _ofd(data: bytes, path: str) -> Source:
    from fzlint.ingest.ofd import read_ofd

    return read_ofd(data, path)


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
    ".doc": _converted(".doc"),
    ".wps": _converted(".wps"),
    ".rtf": _converted(".rtf"),
    ".odt": _converted(".odt"),
    ".ofd": _ofd,
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


# What folder walks pick up. .doc/.wps/.rtf/.odt need LibreOffice, images the OCR extra: without
# it each gets a message naming what to install (exit 2 for that file) instead of being skipped.
SUPPORTED_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".docx", ".pdf", ".html", ".htm", ".doc", ".wps", ".rtf", ".odt", ".ofd",
                      ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
