"""Old Word/WPS (.doc, .wps), RTF and OpenDocument (.odt) files, read through LibreOffice.

LibreOffice (`soffice`, from PATH or `soffice = PATH` in the configuration) converts the file to
.docx in a child process: headless, with a time limit, a throw-away profile of this process
(`-env:UserInstallation=`: LibreOffice's first start in a new profile costs about a second, so
one profile serves every file of a run; concurrent processes each have their own, because two
instances on one profile hand their work to each other) and a temporary output folder. The .docx
reader then reads the result, so a finding's line is the paragraph number of the converted
document, as for a .docx. Results are kept in the user cache dir by content hash, so a folder run
(or the next run) does not convert a file twice.

The bytes are looked at before anything is converted: a `.doc` that is really a .docx, a web page
or RTF (old intranet systems save all three under .doc) goes to the matching reader or filter, and
a `.wps` that is the Word binary format (what WPS Office writes) is converted as a `.doc`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fzlint.errors import InputError

if TYPE_CHECKING:
    from fzlint.ingest.source import Source

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONVERTIBLE = (".doc", ".wps", ".rtf", ".odt")
DEFAULT_TIMEOUT = 60.0
MAX_OUTPUT_BYTES = 64 * 1024 * 1024  # a converted .docx larger than this is refused
CACHE_ENTRIES = 400  # converted files kept; the oldest go first
INSTALL_HINT_ZH = "apt install libreoffice-writer-nogui"

_KIND_ZH = {
    ".doc": "旧版 Word 二进制格式(.doc)",
    ".wps": "WPS 文字格式(.wps)",
    ".rtf": "RTF 格式(.rtf)",
    ".odt": "OpenDocument 文本格式(.odt)",
}
_KIND_EN = {".doc": "Old binary Word (.doc)", ".wps": "WPS (.wps)", ".rtf": "RTF (.rtf)", ".odt": "OpenDocument text (.odt)"}


def _setting(key: str) -> Any:
    from fzlint.ingest.formats import CONVERT  # set by the command line for each file

    return CONVERT[key]


# ---- finding LibreOffice -----------------------------------------------------------------------
_WELL_KNOWN = (
    "/usr/bin/soffice",
    "/usr/local/bin/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)


def find_soffice(configured: str | None = None) -> str | None:
    """The LibreOffice executable: the configured one (an error when it is not there), else
    `soffice` or `libreoffice` on PATH, else a usual install location; None when there is none."""
    configured = configured if configured is not None else _setting("soffice")
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise InputError(
                f"配置项 soffice 指定的 LibreOffice 程序不存在或不可执行:{configured}。请改为 soffice 的完整路径,"
                f"或删除该项以在 PATH 中查找(安装:{INSTALL_HINT_ZH})。",
                f"The LibreOffice program set by `soffice` does not exist or is not executable: {configured}.",
            )
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _WELL_KNOWN if os.path.isfile(p) and os.access(p, os.X_OK)), None)


def missing_libreoffice(suffix: str, path: str) -> InputError:
    kind_zh = _KIND_ZH.get(suffix, f"{suffix} 格式")
    kind_en = _KIND_EN.get(suffix, suffix)
    return InputError(
        f"这是{kind_zh},需要 LibreOffice 转换后才能检查,但没有找到 LibreOffice(soffice)。"
        f"请安装:{INSTALL_HINT_ZH}(或在配置文件中写 soffice = \"soffice 的路径\");"
        "也可以在 Word/WPS 中另存为 .docx,或运行 libreoffice --headless --convert-to docx 文件名",
        f"{kind_en} needs LibreOffice to be read, and LibreOffice (soffice) was not found. Install it "
        "(apt install libreoffice-writer-nogui) or set `soffice = PATH` in the configuration; or convert "
        "it first: libreoffice --headless --convert-to docx FILE",
        path=path,
    )


# ---- what the bytes are ----------------------------------------------------------------------
def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff(data: bytes, suffix: str) -> str:
    """What to do with a file named *suffix*: 'docx' (read as .docx), 'html' (read as a web page),
    'encrypted', or the suffix LibreOffice should see ('.doc', '.wps', '.rtf', '.odt')."""
    head = data[:1024]
    if data.startswith(b"PK\x03\x04"):
        # a .docx (or .odt) under another name; OpenDocument names its type in `mimetype`
        return ".odt" if b"mimetype" in head[:100] and b"opendocument" in head[:200] else "docx"
    if data.startswith(OLE_MAGIC):
        if _utf16("EncryptedPackage") in data:
            return "encrypted"  # a password-protected .docx is an OLE file holding the encrypted zip
        if _utf16("WordDocument") in data:
            return ".doc"  # Word 97-2003 binary, also what WPS Office writes as .wps
        return ".wps" if suffix == ".wps" else ".doc"  # Microsoft Works .wps has its own filter
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"{\\rtf"):
        return ".rtf"
    if stripped.startswith((b"<html", b"<!doctype html", b"<?xml")) and b"<html" in head.lower():
        return "html"  # Word's "web page" saved as .doc
    return suffix


# ---- the cache ---------------------------------------------------------------------------------
def _private_dir(path: Path) -> bool:
    """A folder fit to keep converted files in: a real folder, owned by this user, writable by
    nobody else (else another user could plant the text fzlint checks)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


def _cache_folder() -> Path | None:
    from fzlint.cachedir import cache_dir

    base = cache_dir()
    folder = base / "converted"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if _private_dir(base) and _private_dir(folder) else None


def _cache_key(data: bytes, kind: str, exe: str) -> str:
    h = hashlib.sha256()
    try:  # a LibreOffice upgrade (new executable) converts again
        st = os.stat(os.path.realpath(exe))
        h.update(f"{os.path.realpath(exe)}|{st.st_mtime_ns}|".encode())
    except OSError:
        h.update(exe.encode("utf-8", "surrogateescape"))
    h.update(kind.encode() + b"\0")
    h.update(data)
    return h.hexdigest()


def _cache_get(key: str) -> bytes | None:
    folder = _cache_folder() if _setting("use_cache") else None
    if folder is None:
        return None
    try:
        fd = os.open(folder / f"{key}.docx", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_OUTPUT_BYTES:
            return None
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None
        return fh.read(MAX_OUTPUT_BYTES + 1)


def _cache_put(key: str, docx: bytes) -> None:
    folder = _cache_folder() if _setting("use_cache") else None
    if folder is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".docx")
        with os.fdopen(fd, "wb") as fh:
            fh.write(docx)
        os.replace(tmp, folder / f"{key}.docx")
        entries = [e for e in os.scandir(folder) if e.name.endswith(".docx") and not e.name.startswith(".")]
        if len(entries) > CACHE_ENTRIES:
            entries.sort(key=lambda e: e.stat().st_mtime)
            for e in entries[: len(entries) - CACHE_ENTRIES]:
                os.unlink(e.path)
    except OSError:
        pass  # a read-only cache must not stop linting


# ---- the profile of this process ----------------------------------------------------------------
_profiles: dict[int, str] = {}


def _profile() -> str:
    """A LibreOffice profile folder for this process (made on first use, removed at exit)."""
    pid = os.getpid()
    if pid not in _profiles:
        folder = tempfile.mkdtemp(prefix="fzlint-lo-profile-")
        _profiles[pid] = folder
        import atexit

        atexit.register(shutil.rmtree, folder, True)
        try:  # a -j worker leaves through multiprocessing, which skips atexit
            from multiprocessing import parent_process, util

            if parent_process() is not None:
                util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=10)
        except ImportError:
            pass
    return _profiles[pid]


# ---- converting -----------------------------------------------------------------------------------
def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        if sys.platform != "win32":
            import signal

            os.killpg(proc.pid, signal.SIGKILL)  # soffice runs oosplash -> soffice.bin
        else:
            proc.kill()
    except OSError:
        pass


def run_soffice(exe: str, inputs: list[Path], outdir: Path, timeout: float) -> tuple[int | None, str]:
    """Convert *inputs* to .docx in *outdir*; (exit code, or None on time-out; LibreOffice's output)."""
    profile = Path(_profile()).as_uri()
    cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore", "--nologo",
           "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir),
           *map(str, inputs)]
    kwargs: dict[str, object] = {"start_new_session": True} if sys.platform != "win32" else {}
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)  # type: ignore[call-overload]
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        return None, ""
    return proc.returncode, out.decode("utf-8", "replace")


def convert_to_docx(data: bytes, kind: str, path: str) -> bytes:
    """The .docx LibreOffice makes of *data* (a file LibreOffice reads as *kind*), from the cache
    when this content was converted before."""
    exe = find_soffice()
    if exe is None:
        raise missing_libreoffice(kind if kind in _KIND_ZH else Path(path).suffix.lower(), path)
    key = _cache_key(data, kind, exe)
    cached = _cache_get(key)
    if cached is not None:
        return cached
    timeout = float(_setting("timeout"))
    with tempfile.TemporaryDirectory(prefix="fzlint-convert-") as tmp:
        source = Path(tmp) / f"input{kind}"
        source.write_bytes(data)
        outdir = Path(tmp) / "out"
        code, log = run_soffice(exe, [source], outdir, timeout)
        result = outdir / "input.docx"
        if code is None:
            raise InputError(
                f"LibreOffice 转换超时(超过 {timeout:g} 秒),已停止。文件可能过大或已损坏;"
                "确需检查时可在配置文件中提高 soffice-timeout(单位:秒),或在 Word/WPS 中另存为 .docx。",
                f"LibreOffice did not finish converting within {timeout:g} s and was stopped; raise "
                "`soffice-timeout` or save the file as .docx.",
                path=path,
            )
        if not result.is_file():
            detail = " ".join(log.split())[-200:]
            raise InputError(
                "LibreOffice 无法打开这个文件(文件可能已损坏、加密,或不是它扩展名所说的格式)。"
                f"请在 Word/WPS 中打开后另存为 .docx 再检查。{('LibreOffice 输出:' + detail) if detail else ''}",
                f"LibreOffice could not open this file (damaged, encrypted or misnamed); save it as .docx. "
                f"{('LibreOffice said: ' + detail) if detail else ''}",
                path=path,
            )
        size = result.stat().st_size
        if size > MAX_OUTPUT_BYTES:
            raise InputError(
                f"LibreOffice 转换结果过大(约 {size / 1048576:.0f} MB),已拒绝读取。",
                f"The converted document is too large (about {size / 1048576:.0f} MB); refused.",
                path=path,
            )
        docx = result.read_bytes()
    _cache_put(key, docx)
    return docx


def converter_name(docx: bytes) -> str:
    """`LibreOffice 7.4.7.2`, from the converted file's docProps/app.xml (no second start)."""
    import io
    import re
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as zf:
            info = zf.getinfo("docProps/app.xml")
            if info.file_size > 1 << 20:
                return "LibreOffice"
            app = zf.read(info).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return "LibreOffice"
    m = re.search(r"<Application>\s*LibreOffice/([0-9.]+)", app)
    return f"LibreOffice {m.group(1)}" if m else "LibreOffice"


def read_converted(data: bytes, path: str, suffix: str) -> Source:
    """Read a .doc/.wps/.rtf/.odt file (see the module docstring)."""
    from fzlint.ingest.docx import read_docx

    if not data:
        raise InputError("文件是空的,没有可检查的内容。", "The file is empty: nothing to lint.", path=path)
    what = sniff(data, suffix)
    if what == "docx":
        src = read_docx(data, path)
        src.notes.append(f"这个 {suffix} 文件实际上是 Word .docx 格式,已按 .docx 读取")
        return src
    if what == "html":
        from fzlint.ingest.html import read_html

        src = read_html(data, path)
        src.notes.append(f"这个 {suffix} 文件实际上是网页(HTML)格式,已按网页读取")
        return src
    if what == "encrypted":
        raise InputError(
            "Word 文件已加密(需要密码才能打开)。请提供未加密的版本,或在 Word/WPS 中去除打开密码后再检查。",
            "The Word file is encrypted (needs a password to open); provide an unencrypted copy.",
            path=path,
        )
    docx = convert_to_docx(data, what, path)
    from fzlint.ingest.zipcheck import check_zip_bytes

    check_zip_bytes(docx, path, "LibreOffice 转换结果")
    src = read_docx(docx, path)
    src.format = suffix.lstrip(".")
    src.encoding = "docx"
    src.meta["converted_from"] = suffix.lstrip(".")
    src.meta["converter"] = converter_name(docx)
    src.notes.append("已由 LibreOffice 转换为 .docx 后检查,行号为转换后文档的段落序号")
    return src
