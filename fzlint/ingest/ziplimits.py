"""Bounded reading of zip-based files: Word .docx (and LibreOffice's .docx output for .doc/.wps/
.rtf/.odt), OFD. Every part any reader reads (document, numbering, styles, settings, theme,
footers; OFD's XML) goes through `BoundedZip.read`.

A zip member can inflate a thousand times (a 4 MB .docx whose document.xml is gigabytes), and
its declared sizes can lie. Before anything is inflated:

* the central directory must be small (at most `MAX_ENTRIES` members, `MAX_DIRECTORY` bytes):
  a real Word file has tens of parts, and Python's zipfile reads every entry up front;
* a member's declared size must be at most `max_part_mb`, and a member over 1 MB must not
  inflate more than `max_ratio` times its compressed size (Apache POI refuses Office parts
  past the same 1:100 ratio, its `ZipSecureFile.MIN_INFLATE_RATIO`);

and while inflating, the member is read in 1 MB steps and never past its declared size, so a
member that declares 1 KB and inflates to 1 GB costs 1 KB (zipfile then reports the bad CRC).
`ZipFile.read` would inflate such a member in one piece first.

    archive = BoundedZip(data, path)                  # checks the directory
    xml = archive.read("word/document.xml")           # or read_member(zipfile, name, limits)
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import TYPE_CHECKING

from fzlint.errors import InputError
from fzlint.ingest import limits as limits_mod

if TYPE_CHECKING:
    from fzlint.ingest.limits import Limits

MAX_ENTRIES = 10_000  # members in one zip (a Word file has 10-300)
MAX_DIRECTORY = 4 << 20  # bytes of central directory
RATIO_GRACE = 1 << 20  # members up to this size are not checked for their ratio
_STEP = 1 << 20
_MB = 1 << 20


# what the messages call the file (a reader for another zip-based format passes its own)
WORD = ("Word(.docx)文件", "The .docx file")


def _damaged(exc: Exception, path: str, label: tuple[str, str] = WORD) -> InputError:
    return InputError(
        f"{label[0]}已损坏或不完整(无法解压:{exc}),请重新保存或重新下载后再检查。",
        f"{label[1]} is damaged or truncated (bad ZIP: {exc}); save or download it again.",
        path=path,
    )


def _directory_size(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end-of-central-directory record, or None
    when there is none (zipfile will then refuse the file)."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - (1 << 16) - 22))
    if pos < 0 or pos + 22 > len(data):
        return None
    entries, cd_size = struct.unpack_from("<HL", data, pos + 10)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:  # Zip64: the real figures are in its own record
        loc = pos - 20
        if loc >= 0 and data.startswith(b"PK\x06\x07", loc):
            (rec,) = struct.unpack_from("<Q", data, loc + 8)
            if rec + 56 <= len(data) and data.startswith(b"PK\x06\x06", rec):
                entries, cd_size = struct.unpack_from("<QQ", data, rec + 32)
    return entries, cd_size


class BoundedZip:
    """A zip archive in memory whose members are read within `Limits` (see the module docstring)."""

    def __init__(self, data: bytes, path: str, lim: Limits | None = None, label: tuple[str, str] = WORD) -> None:
        self.path = path
        self.limits = lim or limits_mod.current()
        self.label = label
        self.spent = 0  # uncompressed bytes read so far, against max_unzipped_mb
        size = _directory_size(data)
        if size is not None and (size[0] > MAX_ENTRIES or size[1] > MAX_DIRECTORY):
            entries, cd_size = size
            raise limits_mod.LimitError(
                f"压缩包内的文件过多(目录记录 {entries:,} 个、{cd_size / _MB:.1f} MB,上限 {MAX_ENTRIES:,} 个),"
                f"不是正常的{label[0]},可能是异常构造的压缩包。",
                f"The archive lists too many members ({entries:,} entries, {cd_size / _MB:.1f} MB of directory; "
                f"limit {MAX_ENTRIES:,}): {label[1].lower()} is not normal.",
                path=path,
            )
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError, struct.error) as exc:
            raise _damaged(exc, path, label) from None

    def names(self) -> list[str]:
        return self.zf.namelist()

    def read(self, name: str | zipfile.ZipInfo) -> bytes:
        """The bytes of one member; KeyError if there is no such member."""
        info = name if isinstance(name, zipfile.ZipInfo) else self.zf.getinfo(name)
        data = read_member(self.zf, info, self.limits, self.path, label=self.label, spent=self.spent)
        self.spent += len(data)
        return data


def check_member(info: zipfile.ZipInfo, lim: Limits, path: str) -> None:
    """Refuse a member by its declared sizes, before reading it."""
    if info.file_size > lim.max_part_mb * _MB:
        raise limits_mod.exceeded(
            "max_part_mb", f"{info.filename} 解压后 {info.file_size / _MB:,.1f} MB",
            f"{info.filename} inflates to {info.file_size / _MB:,.1f} MB", lim.max_part_mb, path,
        )
    if info.file_size > RATIO_GRACE and info.file_size > lim.max_ratio * max(1, info.compress_size):
        ratio = info.file_size / max(1, info.compress_size)
        raise limits_mod.exceeded(
            "max_ratio", f"{info.filename} 从 {info.compress_size / _MB:,.2f} MB 解压到 {info.file_size / _MB:,.1f} MB,"
            f"压缩比 {ratio:,.0f}(压缩炸弹的特征)",
            f"{info.filename} inflates from {info.compress_size / _MB:,.2f} MB to {info.file_size / _MB:,.1f} MB, "
            f"ratio {ratio:,.0f} (a zip bomb)", lim.max_ratio, path,
        )


def read_member(zf: zipfile.ZipFile, name: str | zipfile.ZipInfo, lim: Limits | None = None, path: str = "", *,
                label: tuple[str, str] = WORD, spent: int = 0) -> bytes:
    """The bytes of one member, bounded as the module docstring says; KeyError if it is missing.
    `spent`: uncompressed bytes already read from this file (checked against max_unzipped_mb)."""
    lim = lim or limits_mod.current()
    path = path or str(zf.filename or "<zip>")
    info = name if isinstance(name, zipfile.ZipInfo) else zf.getinfo(name)
    check_member(info, lim, path)
    if spent + info.file_size > lim.max_unzipped_mb * _MB:
        total = (spent + info.file_size) / _MB
        raise limits_mod.exceeded("max_unzipped_mb", f"{total:,.1f} MB", f"{total:,.1f} MB", lim.max_unzipped_mb, path)
    cap = info.file_size
    chunks: list[bytes] = []
    got = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(min(_STEP, cap + 1 - got)):
                got += len(chunk)
                chunks.append(chunk)
                if got > cap:  # zipfile stops at the declared size; this only makes sure
                    raise zipfile.BadZipFile(f"{info.filename}: more data than its declared size")
    except _BAD_STREAM as exc:
        # bad CRC (sizes that lie), truncated or damaged data, unknown compression, encryption
        raise _damaged(exc, path, label) from None
    return b"".join(chunks)


_BAD_STREAM: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError, OSError, struct.error, zlib.error,
)
try:
    import lzma

    _BAD_STREAM += (lzma.LZMAError,)
except ImportError:  # pragma: no cover - Python built without lzma
    pass
