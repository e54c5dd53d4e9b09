"""Unpacking an uploaded .zip of reports, bounded and without leaving its folder.

On top of ingest/ziplimits.py (the readers' zip limits: directory size, each member's declared
size and compression ratio, members read in steps and never past what they declare) a reviewer's zip is refused as a whole
when a member's path is absolute, climbs out with `..`, or is a symbolic link; when it holds more
reports than the upload may, or its reports unpack to more than the upload's total. A report over
the per-file limit becomes that file's error. Members are written under their own (cleaned) names,
so the audit page shows 县区/A县.docx; names stored in GBK by Chinese Windows tools are read as
such. Hidden files, __MACOSX and Office lock files are left out as a folder walk leaves them out;
other types and zips inside the zip are listed as not checked.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fzlint.errors import InputError
from fzlint.ingest import limits, ziplimits

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")
MAX_NAME = 120  # characters of one path component kept


class Refused(Exception):
    """An upload or a zip in it is refused: HTTP status, a title and a message (Chinese) for the
    error page."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


@dataclass(slots=True)
class Unpacked:
    files: list[str] = field(default_factory=list)  # written, relative to the destination
    failed: list[tuple[str, str]] = field(default_factory=list)  # (shown name, reason): not checked
    not_checked: list[str] = field(default_factory=list)  # other types, zips in the zip
    size: int = 0  # bytes written


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author saw it: without the UTF-8 flag, zipfile reads the bytes as
    CP437, but Chinese Windows tools (Explorer, WinRAR, 360压缩) write GBK."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def clean_component(part: str) -> str:
    """One path component made safe to write: no control characters, bounded length (the suffix
    kept), never empty, never `.` or `..`."""
    part = _CONTROL.sub("", part).strip()
    if len(part) > MAX_NAME:
        stem, suffix = os.path.splitext(part)
        part = stem[: MAX_NAME - len(suffix)] + suffix
    return part if part not in ("", ".", "..") else "_"


def unique(rel: str, taken: set[str]) -> str:
    """`rel`, or `stem (2).ext` … when that name is already used."""
    if rel not in taken:
        taken.add(rel)
        return rel
    stem, suffix = os.path.splitext(rel)
    n = 2
    while f"{stem} ({n}){suffix}" in taken:
        n += 1
    rel = f"{stem} ({n}){suffix}"
    taken.add(rel)
    return rel


def _refuse(zip_name: str, why: str) -> Refused:
    return Refused(
        400,
        "压缩包不安全,未解压",
        f"压缩包 {zip_name} {why},出于安全考虑整个压缩包都没有解压。请确认压缩包的来源,把报告放进一个普通文件夹重新压缩后再上传。",
    )


def _skipped(parts: list[str]) -> bool:
    """Left out silently, as a folder walk leaves them out."""
    name = parts[-1]
    return any(p.startswith(".") or p == "__MACOSX" for p in parts) or name.startswith("~$") or ".fzlint." in name or name == "Thumbs.db"


def unpack(
    data: bytes,
    zip_name: str,
    dest: Path,
    prefix: str,
    suffixes: set[str],
    *,
    max_file: int,
    max_total: int,
    max_files: int,
    taken: set[str],
) -> Unpacked:
    """Write the reports in the zip `data` under dest/prefix (prefix may be ""). `max_total` and
    `max_files`: what is left of the upload's allowance. Raises Refused to refuse it all."""
    what = f"压缩包 {zip_name}"
    label = (what, f"The zip {zip_name}")
    # a member is one report: the upload's per-file limit is the part limit; the total is checked below
    lim = limits.Limits(max_part_mb=max_file / 1048576, max_unzipped_mb=max(max_total, max_file) / 1048576,
                        max_ratio=limits.current().max_ratio)
    try:
        zf = ziplimits.BoundedZip(data, zip_name, lim, label=label).zf
        ratio_only = limits.Limits(max_part_mb=float("inf"), max_ratio=lim.max_ratio)
        for info in zf.infolist():  # a bomb anywhere refuses the zip (reports barely compress)
            ziplimits.check_member(info, ratio_only, zip_name)
    except limits.LimitError as exc:  # too many members, a bomb
        raise Refused(413, "压缩包过大或可能是压缩炸弹,未解压", exc.zh) from None
    except InputError as exc:
        raise Refused(400, "压缩包无法打开", exc.zh) from None
    out = Unpacked()
    wanted: list[tuple[zipfile.ZipInfo, str]] = []
    with zf:
        for info in zf.infolist():
            name = member_name(info)
            shown = name.replace("\\", "/")
            if "\x00" in name:
                raise _refuse(zip_name, f"中的文件名含有空字符({shown!r})")
            if shown.startswith("/") or _DRIVE.match(shown):
                raise _refuse(zip_name, f"中有使用绝对路径的文件({shown})")
            parts = [p for p in shown.split("/") if p not in ("", ".")]
            if ".." in parts:
                raise _refuse(zip_name, f"中有指向上级目录的路径({shown})")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise _refuse(zip_name, f"中有符号链接({shown})")
            if info.is_dir() or not parts or shown.endswith("/"):
                continue
            if _skipped(parts):
                continue
            suffix = os.path.splitext(parts[-1])[1].lower()
            if suffix == ".zip":
                out.not_checked.append(f"{shown}(压缩包中的压缩包不展开)")
                continue
            if suffix not in suffixes:
                out.not_checked.append(shown)
                continue
            wanted.append((info, shown))
        if len(wanted) > max_files:
            raise Refused(
                413,
                "文件数量超过上限",
                f"压缩包 {zip_name} 中有 {len(wanted)} 份报告,超过这次上传还能检查的 {max_files} 份。请分批上传。",
            )
        total = sum(i.file_size for i, _ in wanted if i.file_size <= max_file)
        if total > max_total:
            raise Refused(
                413,
                "解压后的文件过大",
                f"压缩包 {zip_name} 中的报告解压后共约 {total / 1048576:.1f} MB,超过上限 {max_total / 1048576:.0f} MB。请分批上传。",
            )
        for info, shown in wanted:
            rel = "/".join(clean_component(p) for p in ([prefix] if prefix else []) + shown.split("/") if p not in ("", "."))
            rel = unique(rel, taken)
            if info.file_size > max_file:
                out.failed.append((rel, f"文件过大(解压后约 {info.file_size / 1048576:.1f} MB,上限 {max_file / 1048576:.0f} MB),未检查"))
                continue
            try:
                blob = ziplimits.read_member(zf, info, lim, zip_name, label=label)
            except InputError as exc:
                out.failed.append((rel, exc.zh))
                continue
            target = dest.joinpath(*rel.split("/"))
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                # O_EXCL | O_NOFOLLOW: a name is written once, never through a link
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            except OSError as exc:  # a file and a folder of the same name in the zip
                out.failed.append((rel, f"无法解压到临时目录:{exc.strerror or exc}"))
                continue
            with os.fdopen(fd, "wb") as fh:
                fh.write(blob)
            out.files.append(rel)
            out.size += len(blob)
    return out
