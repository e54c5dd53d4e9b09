"""The `Source`: one file's decoded text and the map from character offsets to line:column."""

from __future__ import annotations

import errno
import os
import stat
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO

from fzlint.errors import InputError
from fzlint.ingest import limits
from fzlint.ingest.decode import decode
from fzlint.ingest.script import garbage_share, is_blank, is_traditional
from fzlint.patterns import lazy

_NEWLINE = lazy(r"\r\n|\r|\n")

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# More than this share of control characters / undecodable bytes: not a text file.
BINARY_SHARE = 0.10


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
    # OCR'd text: [start, end) spans of characters recognised with low confidence, which rules
    # marked ocr_sensitive do not report on (see ingest/ocr.py)
    low_confidence: list[tuple[int, int]] = field(default_factory=list)
    # Word files: the effective formatting, read lazily by the layout rules (ingest/docx_layout.py)
    layout: Any = None

    def __post_init__(self) -> None:
        if not self.line_starts:
            self.line_starts = find_line_starts(self.text)
        if "script" not in self.meta and is_traditional(self.text):
            # Rules are written in Simplified Chinese; the document layer converts for matching.
            self.meta["script"] = "traditional"
            self.notes.append("报告使用繁体字:已按字逐一转换为简体后匹配规则(位置不变,引用原文不变)")

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


def find_line_starts(text: str) -> list[int]:
    """Offsets where each line begins; a line ends at \\r\\n, \\r or \\n."""
    if "\r" not in text or text.count("\r") == text.count("\r\n"):
        # every break holds one "\n" (CRLF keeps its "\r" at the end of the piece): splitting is
        # several times faster than a regex pass that makes a match object per line
        return list(accumulate([len(piece) + 1 for piece in text.split("\n")[:-1]], initial=0))
    starts = [0]
    starts.extend(m.end() for m in _NEWLINE.finditer(text))
    return starts


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


def _too_large(size: int, max_bytes: int, path: str) -> InputError:
    mb = 1024 * 1024
    return InputError(
        f"文件过大(约 {size / mb:.1f} MB),超过上限 {max_bytes / mb:g} MB;确需检查时可用 --max-size 提高上限(单位 MB)。",
        f"File too large (about {size / mb:.1f} MB, limit {max_bytes / mb:g} MB); raise the limit with --max-size (MB).",
        path=path,
    )


def read_limited(stream: BinaryIO, max_bytes: int, path: str) -> bytes:
    """Read at most max_bytes from a stream; more than that is an error (never read unbounded:
    stdin, pipes and /dev/zero have no size to check beforehand)."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 20, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(total, max_bytes, path)
    return b"".join(chunks)


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
    if not data:
        raise InputError("文件是空的,没有可检查的内容。", "The file is empty: nothing to lint.", path=path)
    dec = decode(data)
    text = dec.text
    if is_blank(text):
        raise InputError(
            "文件只有空白字符,没有可检查的内容。",
            "The file contains only whitespace: nothing to lint.",
            path=path,
        )
    share = garbage_share(text)
    if share > BINARY_SHARE:
        raise InputError(
            f"这不像文本文件:{share:.0%} 的字符是控制字符或无法解码的字节(二进制文件,或编码严重损坏)。",
            f"This does not look like a text file: {share:.0%} of the characters are control "
            "characters or undecodable bytes (a binary file, or badly damaged encoding).",
            path=path,
        )
    limits.check_text(text, path)  # before any per-line work (the checks above use a sample)
    if "\x00" in text:
        text = text.replace("\x00", " ")  # same length: offsets stay valid
    src = Source(path=path, text=text, format=fmt, encoding=dec.encoding, bom=dec.bom, replaced=dec.replaced)
    if dec.replaced:
        src.notes.insert(0, f"文件中有 {dec.replaced} 处字节无法按 {dec.encoding} 解码,已替换为 �;这些位置附近的检查结果可能不准确")
    return src


_OS_ERRORS_ZH = {
    errno.ENOENT: "文件不存在。",
    errno.EACCES: "没有读取权限。",
    errno.EPERM: "没有读取权限。",
    errno.ELOOP: "符号链接形成循环,无法读取。",
    errno.ENAMETOOLONG: "路径太长。",
    errno.EISDIR: "这是一个目录,不是文件。",
}


def os_error(exc: OSError, path: str) -> InputError:
    """An OSError as a user-facing InputError in both languages."""
    zh = _OS_ERRORS_ZH.get(exc.errno or 0, f"无法读取:{exc.strerror or exc}")
    return InputError(zh, f"Cannot read: {exc.strerror or exc}", path=path)


def load_stdin(stream: BinaryIO, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read a report from standard input; `name` (from --stdin-filename) picks the reader."""
    data = read_limited(stream, max_bytes, name)
    return _from_bytes(data, name)


def load_data(data: bytes, name: str) -> Source:
    """A report file's bytes (a web upload, stdin) into a Source; `name`'s suffix picks the reader."""
    return _from_bytes(data, name)


def _from_bytes(data: bytes, shown: str) -> Source:
    from fzlint.ingest.formats import reader_for

    suffix = Path(shown).suffix.lower()
    reader = reader_for(suffix)
    if reader is not None:
        return reader(data, shown)
    return load_bytes(data, shown, "md" if suffix in (".md", ".markdown") else "txt")


def load_path(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read a report file of any supported format into a Source (see read_path)."""
    return _from_bytes(read_path(path, max_bytes), str(path))


def read_path(path: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A report file's bytes, as load_path reads them.

    The size limit is checked on the file's metadata before anything is read, and again while
    reading (pipes and devices report size 0). The file is opened without waiting (O_NONBLOCK):
    a named pipe without a writer or a terminal named *.txt reads as empty instead of hanging;
    a pipe with a writer (`fzlint <(…)`) is read to its end."""
    p = Path(path)
    shown = str(path)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError("这是一个目录,不是文件。", "This is a directory, not a file.", path=shown)
        if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
            raise _too_large(st.st_size, max_bytes, shown)
        fd = os.open(p, _OPEN_FLAGS)
        with open(fd, "rb") as fh:
            fifo = stat.S_ISFIFO(os.fstat(fd).st_mode)
            if fifo:
                os.set_blocking(fd, True)  # a writer there: wait for its data; none: end of file
            data = read_limited(fh, max_bytes, shown)
        if fifo and not data:
            raise InputError(
                "这是一个命名管道(FIFO),没有程序向它写入内容,无法检查。",
                "This is a named pipe (FIFO) with nothing written to it; nothing to lint.",
                path=shown,
            )
    except OSError as exc:
        raise os_error(exc, shown) from None
    return data


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
