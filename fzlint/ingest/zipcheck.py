"""Bounded reading of zip packages (OFD files, LibreOffice's .docx output).

A package is refused before anything is decompressed when its directory lists too many members,
a member declares more than the total limit, or the declared sizes add up to more than the limit;
a member is read in chunks and refused as soon as it gives more than it declared or than its
limit (the declared sizes of a hostile file may lie), or when it expands more than MAX_RATIO
times (a zip bomb).
"""

from __future__ import annotations

import io
import zipfile

from fzlint.errors import InputError

MAX_MEMBERS = 10_000
MAX_TOTAL = 256 * 1024 * 1024  # uncompressed bytes of the whole package
MAX_MEMBER = 64 * 1024 * 1024  # uncompressed bytes of one member read by fzlint
MAX_RATIO = 200  # uncompressed / compressed, for members larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024


def _refuse(path: str, what: str, zh: str, en: str) -> InputError:
    return InputError(f"{what}无法安全读取:{zh}", f"{what}: refused: {en}", path=path)


def open_zip(data: bytes, path: str, what: str) -> zipfile.ZipFile:
    """The package as a ZipFile, after the directory-level checks (see the module docstring)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        raise InputError(
            f"{what}已损坏或不完整(无法解压:{exc}),请重新保存或重新下载后再检查。",
            f"{what}: damaged or truncated (bad ZIP: {exc}); save or download it again.",
            path=path,
        ) from None
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(path, what, f"压缩包中有 {len(infos)} 个文件,超过上限 {MAX_MEMBERS}", f"{len(infos)} members (limit {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL:
        raise _refuse(path, what, f"解压后共约 {total / 1048576:.0f} MB,超过上限 {MAX_TOTAL // 1048576} MB(可能是压缩炸弹)",
                      f"{total} bytes uncompressed (limit {MAX_TOTAL}): a zip bomb?")
    for i in infos:
        if i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(1, i.compress_size):
            raise _refuse(path, what, f"{i.filename} 的压缩比超过 {MAX_RATIO}:1(可能是压缩炸弹)", f"{i.filename} expands more than {MAX_RATIO}:1")
    return zf


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, what: str, limit: int = MAX_MEMBER) -> bytes:
    """One member's bytes, read in chunks and stopped at its declared size or *limit*."""
    cap = min(limit, info.file_size)
    if info.file_size > limit:
        raise _refuse(path, what, f"{info.filename} 解压后约 {info.file_size / 1048576:.0f} MB,超过上限", f"{info.filename} too large")
    chunks: list[bytes] = []
    got = 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(min(1 << 20, cap + 1 - got))
                if not chunk:
                    break
                got += len(chunk)
                if got > cap:
                    raise _refuse(path, what, f"{info.filename} 的实际大小与目录中记录的不符", f"{info.filename} is larger than it declares")
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
        raise InputError(
            f"{what}中的 {info.filename} 无法解压({exc}),文件可能已损坏或加密。",
            f"{what}: cannot decompress {info.filename} ({exc}): damaged or encrypted.",
            path=path,
        ) from None
    return b"".join(chunks)


def check_zip_bytes(data: bytes, path: str, what: str) -> None:
    """Directory-level checks only (the reader that follows reads the members)."""
    open_zip(data, path, what).close()
