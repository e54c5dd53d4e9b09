"""The `Source`: one file's decoded text and the map from character offsets to line:column."""

from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import regex

from fzlint.errors import InputError
from fzlint.ingest.decode import decode

_NEWLINE = regex.compile(r"\r\n|\r|\n")

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(slots=True)
class Source:
    """Decoded text of one file, kept verbatim (newlines included) so fixes round-trip.

    Offsets everywhere in fzlint index into `text`. `position` turns an offset into the file's
    own 1-based line and column (columns count characters). For Word files `text` holds one
    paragraph per line, so the line is the paragraph number.
    """

    path: str
    text: str
    format: str = "txt"
    encoding: str = "utf-8"
    bom: bytes = b""
    replaced: int = 0
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.line_starts:
            starts = [0]
            starts.extend(m.end() for m in _NEWLINE.finditer(self.text))
            self.line_starts = starts

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        idx = bisect_right(self.line_starts, offset) - 1
        return idx + 1, offset - self.line_starts[idx] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def line_span(self, line: int) -> tuple[int, int]:
        start = self.line_starts[line - 1]
        return start, start + len(self.line_text(line))


def _looks_binary(data: bytes) -> str | None:
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    return None


def load_bytes(data: bytes, path: str = "<stdin>", fmt: str = "txt") -> Source:
    """Build a Source from raw bytes of a plain-text report."""
    kind = _looks_binary(data)
    if kind == "zip":
        raise InputError(
            "这是一个 ZIP/Word(.docx)文件,不是纯文本。请把扩展名改为 .docx 后再检查。",
            "This is a ZIP/Word (.docx) file, not plain text. Rename it to .docx and lint again.",
            path=path,
        )
    if kind == "pdf":
        raise InputError(
            "这是一个 PDF 文件,不是纯文本。请把扩展名改为 .pdf 后再检查。",
            "This is a PDF file, not plain text. Rename it to .pdf and lint again.",
            path=path,
        )
    if kind in ("ole", "image"):
        raise InputError(
            "这是二进制文件(图片或旧版 Office 文档),无法作为文本检查。",
            "This is a binary file (an image or an old Office document), not text.",
            path=path,
        )
    dec = decode(data)
    text = dec.text
    if "\x00" in text:
        if text.count("\x00") * 10 > len(text):
            raise InputError(
                "文件含大量空字节(NUL),不是文本文件。",
                "The file is full of NUL bytes: it is not a text file.",
                path=path,
            )
        text = text.replace("\x00", " ")  # same length: offsets stay valid
    src = Source(path=path, text=text, format=fmt, encoding=dec.encoding, bom=dec.bom, replaced=dec.replaced)
    if dec.replaced:
        src.notes.append(f"文件中有 {dec.replaced} 处字节无法按 {dec.encoding} 解码,已替换为 �")
    return src


def load_path(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read a report file of any supported format into a Source."""
    p = Path(path)
    shown = str(path)
    suffix = p.suffix.lower()
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError("文件不存在。", "No such file.", path=shown) from None
    except PermissionError:
        raise InputError("没有读取权限。", "Permission denied.", path=shown) from None
    if p.is_dir():
        raise InputError("这是一个目录,不是文件。", "This is a directory, not a file.", path=shown)
    if size > max_bytes:
        raise InputError(
            f"文件过大({size // 1024 // 1024} MB),超过上限 {max_bytes // 1024 // 1024} MB;可用 --max-size 提高上限。",
            f"File too large ({size // 1024 // 1024} MB > {max_bytes // 1024 // 1024} MB); raise the limit with --max-size.",
            path=shown,
        )
    try:
        data = p.read_bytes()
    except PermissionError:
        raise InputError("没有读取权限。", "Permission denied.", path=shown) from None
    except OSError as exc:
        raise InputError(f"无法读取:{exc.strerror}", f"Cannot read: {exc.strerror}", path=shown) from None
    from fzlint.ingest.formats import reader_for

    reader = reader_for(suffix)
    if reader is not None:
        return reader(data, shown)
    return load_bytes(data, shown, "md" if suffix in (".md", ".markdown") else "txt")
