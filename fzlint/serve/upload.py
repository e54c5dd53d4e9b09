"""An upload (multipart/form-data) streamed into the request's folder, bounded as it arrives.

Each file is written to in/000, in/001 … (its own name is kept aside, cleaned: no folders, no
control characters), never held whole in memory, and refused as soon as it passes the limits: a
report over the per-file size, a .zip or the whole upload over the total, more files than allowed.
After a refusal the rest of the body is read and dropped (up to a bound), so the browser is still
listening when the error page comes back instead of showing a reset connection.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fzlint.serve.archive import Refused, clean_component
from fzlint.serve.work import Upload

FIELD_LIMIT = 1024  # bytes of a form field that is not a file (the form has none)
MAX_FIELDS = 16
DRAIN_FACTOR = 2  # after a refusal, read and drop at most this many times the total limit


def _mb(n: float) -> str:
    return f"{n / 1048576:.1f} MB" if n < 10 * 1048576 else f"{n / 1048576:.0f} MB"


def file_name(raw: bytes) -> str:
    """The name the browser sent, as the user saw it: UTF-8 (GB18030 from old clients), the quote
    and line breaks that Chromium and Firefox percent-encode restored, the folder part dropped."""
    for enc in ("utf-8", "gb18030"):
        try:
            name = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        name = raw.decode("latin-1")
    name = name.replace("%22", '"').replace("%0D", "").replace("%0A", "").replace("%0d", "").replace("%0a", "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = clean_component(name)
    return "未命名" if name == "_" else name


class _Receiver:
    def __init__(self, folder: Path, limits: Any, suffixes: set[str]) -> None:
        self.folder = folder
        self.limits = limits
        self.suffixes = suffixes
        self.uploads: list[Upload] = []
        self.refused: Refused | None = None
        self.total = 0
        self.fields = 0
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._current: Upload | None = None
        self._fh: Any = None
        self._field_bytes = 0
        self._is_field = False

    # python-multipart callbacks ----------------------------------------------------------------
    def on_part_begin(self) -> None:
        self._headers = {}
        self._current = None
        self._is_field = False
        self._field_bytes = 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def on_headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _disposition, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if b"filename" not in options:
            self.fields += 1
            self._is_field = True
            if self.fields > MAX_FIELDS:
                self.refuse(400, "上传格式不对", "表单中的字段过多。请通过上传页面选择文件提交。")
            return
        raw = options[b"filename"]
        if not raw:  # the form was sent without a file chosen in this input
            return
        name = file_name(raw)
        index = len(self.uploads)
        if index >= self.limits.max_files:
            self.refuse(413, "文件数量超过上限", f"一次最多上传 {self.limits.max_files} 份报告。请分批上传,或把报告压缩成 .zip(压缩包中的报告同样计数)。")
            return
        suffix = os.path.splitext(name)[1].lower()
        kind = "zip" if suffix == ".zip" else "report" if suffix in self.suffixes else "unsupported"
        upload = Upload(name, f"in/{index:03d}", kind, 0)
        self.uploads.append(upload)
        if self.refused is None and kind != "unsupported":
            self._current = upload
            fd = os.open(self.folder / upload.file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            self._fh = os.fdopen(fd, "wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        n = end - start
        self.total += n
        if self._is_field:
            self._field_bytes += n
            if self._field_bytes > FIELD_LIMIT:
                self.refuse(400, "上传格式不对", "表单字段过长。请通过上传页面选择文件提交。")
            return
        if self.total > self.limits.max_total:
            self.refuse(413, "上传的文件过大", f"一次上传共不能超过 {_mb(self.limits.max_total)}。请分批上传。")
        up = self._current
        if up is None or self._fh is None:
            return
        up.size += n
        cap = self.limits.max_total if up.kind == "zip" else self.limits.max_file
        if up.size > cap:
            what = "压缩包" if up.kind == "zip" else "文件"
            self.refuse(413, "文件过大", f"{what} {up.name} 超过 {_mb(cap)} 的上限,未检查。请确认上传的是报告本身(而不是扫描图片或附件合集),或分开上传。")
            return
        self._fh.write(data[start:end])

    def on_part_end(self) -> None:
        self._close()

    # -------------------------------------------------------------------------------------------
    def _close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._current = None

    def refuse(self, status: int, title: str, message: str) -> None:
        """Remember the first refusal; stop writing (what was written goes with the folder)."""
        if self.refused is None:
            self.refused = Refused(status, title, message)
        self._close()


async def receive(headers: Any, stream: AsyncIterator[bytes], folder: Path, limits: Any, suffixes: set[str]) -> list[Upload]:
    """Stream the body into `folder`/in; the uploads in order, or Refused."""
    from python_multipart.exceptions import MultipartParseError
    from python_multipart.multipart import MultipartParser, parse_options_header

    ctype, params = parse_options_header(headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or not params.get(b"boundary"):
        raise Refused(400, "上传格式不对", "请通过上传页面选择文件后提交(需要 multipart/form-data 格式)。")
    drain_cap = DRAIN_FACTOR * limits.max_total + 1048576
    try:
        declared = int(headers.get("content-length", "0") or 0)
    except ValueError:
        declared = 0
    if declared > drain_cap:
        raise Refused(413, "上传的文件过大", f"这次上传约 {_mb(declared)},一次上传共不能超过 {_mb(limits.max_total)}。请分批上传。")
    (folder / "in").mkdir()
    receiver = _Receiver(folder, limits, suffixes)
    callbacks = {name: getattr(receiver, name) for name in (
        "on_part_begin", "on_header_field", "on_header_value", "on_header_end", "on_headers_finished", "on_part_data", "on_part_end")}
    parser = MultipartParser(params[b"boundary"], callbacks)  # type: ignore[arg-type]
    received = 0
    try:
        async for chunk in stream:
            received += len(chunk)
            if receiver.refused is not None:
                if received > drain_cap:
                    break  # enough: answer now, the connection is closed after
                continue
            parser.write(chunk)
        if receiver.refused is None:
            parser.finalize()
    except MultipartParseError:
        receiver.refuse(400, "上传的数据不完整", "上传的数据不完整或格式不对(可能是上传中断)。请重新选择文件上传。")
    finally:
        receiver._close()
    if receiver.refused is not None:
        raise receiver.refused
    if not receiver.uploads:
        raise Refused(400, "没有选择文件", "请先选择或拖入要检查的报告文件,再点“开始检查”。")
    return receiver.uploads
