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
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fzlint.errors import InputError

if TYPE_CHECKING:
    from collections.abc import Callable

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
# Where the installers put it when it is not on PATH (macOS, Windows); on Linux it is on PATH.
_WELL_KNOWN = {
    "darwin": ("/Applications/LibreOffice.app/Contents/MacOS/soffice",),
    "win32": (r"C:\Program Files\LibreOffice\program\soffice.exe", r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
}


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
    return next((p for p in _WELL_KNOWN.get(sys.platform, ()) if os.path.isfile(p) and os.access(p, os.X_OK)), None)


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
        if b"opendocument" in head[:200] or (suffix == ".odt" and b"word/" not in data):
            return ".odt"
        return "docx"
    if data.startswith(OLE_MAGIC):
        if _utf16("EncryptedPackage") in data:
            return "encrypted"  # a password-protected .docx is an OLE file holding the encrypted zip
        if _utf16("WordDocument") in data:
            return ".doc"  # Word 97-2003 binary, also what WPS Office writes as .wps
        # Microsoft Works .wps has its own filter; an OLE file without a Word stream named .doc is
        # an Excel or PowerPoint file, or damaged (LibreOffice would read its bytes as text)
        return ".wps" if suffix == ".wps" and _utf16("CONTENTS") in data else "not-word"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"{\\rtf"):
        return ".rtf"
    if stripped.startswith((b"<html", b"<!doctype html", b"<?xml")) and b"<html" in head.lower():
        return "html"  # Word's "web page" saved as .doc
    if suffix in (".doc", ".wps") and b"\x00" not in data[:4096] and _decodes(data[:4096]):
        return "text"  # plain text under a Word name
    return suffix


def _decodes(head: bytes) -> bool:
    for enc in ("utf-8", "gb18030"):
        try:
            head.decode(enc)
            return True
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut at the end of the sample
                return True
    return False


# ---- the cache ---------------------------------------------------------------------------------
def _cache_folder() -> Path | None:
    """cache_dir()/converted when the cache dir is private (fzlint.cachedir: the same checks and
    signed files as the other caches, so nobody else can plant the text fzlint checks)."""
    from fzlint import cachedir

    return cachedir.private_subdir("converted")


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


# Conversions done by `prepare` in this run, also when the disk cache is off or unusable.
_done: dict[str, bytes] = {}
_DONE_BYTES = 256 * 1024 * 1024


def _cache_get(key: str) -> bytes | None:
    if key in _done:
        return _done[key]
    folder = _cache_folder() if _setting("use_cache") else None
    if folder is None:
        return None
    from fzlint import cachedir

    blob = cachedir.load(folder / f"{key}.docx")  # None unless ours, private and signed
    return blob if blob is not None and len(blob) <= MAX_OUTPUT_BYTES else None


def _cache_put(key: str, docx: bytes) -> None:
    folder = _cache_folder() if _setting("use_cache") else None
    if folder is None:
        return
    from fzlint import cachedir

    if not cachedir.store(folder / f"{key}.docx", docx):
        return  # a read-only cache must not stop linting
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".docx") and not e.name.startswith(".")]
        if len(entries) > CACHE_ENTRIES:
            entries.sort(key=lambda e: e.stat().st_mtime)
            for e in entries[: len(entries) - CACHE_ENTRIES]:
                os.unlink(e.path)
    except OSError:
        pass


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


def _start(exe: str, inputs: list[Path], outdir: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start LibreOffice converting *inputs* to .docx in *outdir* (its messages go to *log*)."""
    profile = Path(_profile()).as_uri()
    cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore", "--nologo",
           "--nodefault", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir),
           *map(str, inputs)]
    kwargs: dict[str, Any] = {"start_new_session": True} if sys.platform != "win32" else {}
    with open(log, "wb") as out:  # a file, not a pipe: a full pipe would stall LibreOffice
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, **kwargs)


def run_soffice(exe: str, inputs: list[Path], outdir: Path, timeout: float) -> tuple[int | None, str]:
    """Convert *inputs* to .docx in *outdir*; (exit code, or None on time-out; LibreOffice's output)."""
    log = outdir.parent / "soffice.log"
    proc = _start(exe, inputs, outdir, log)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.wait()
        return None, ""
    return proc.returncode, log.read_bytes()[-4096:].decode("utf-8", "replace")


def prepare(paths: list[str], configure: Callable[[str], None], max_bytes: int, chunk: int = 100) -> int:
    """Convert the .doc/.wps/.rtf/.odt files among *paths* that are not in the cache with one
    LibreOffice start for all of them (a start costs more than a conversion), before they are
    read one by one. `configure(path)` applies the file's configuration. A file LibreOffice
    stalls on (no new output for the time limit) stops the batch; it and the files after it are
    then converted one by one when read, each with its own time limit. Returns how many files
    were converted here."""
    todo = [p for p in paths if p != "-" and Path(p).suffix.lower() in CONVERTIBLE]
    if len(todo) < 2:
        return 0
    groups: dict[tuple[str, float], list[tuple[str, bytes, str]]] = {}
    for p in todo:
        configure(p)
        try:
            exe = find_soffice()
            if exe is None or os.stat(p).st_size > max_bytes:
                continue
            with open(p, "rb") as fh:
                data = fh.read(max_bytes + 1)
        except (OSError, InputError):
            continue  # reading the file one by one reports it
        kind = sniff(data, Path(p).suffix.lower())
        if kind not in CONVERTIBLE or len(data) > max_bytes:
            continue
        key = _cache_key(data, kind, exe)
        if _cache_get(key) is None:
            groups.setdefault((exe, float(_setting("timeout"))), []).append((key, data, kind))
    done = 0
    for (exe, timeout), items in groups.items():
        for i in range(0, len(items), chunk):
            part = items[i : i + chunk]
            if len(part) >= 2:
                done += _convert_batch(exe, part, timeout)
    return done


def _convert_batch(exe: str, items: list[tuple[str, bytes, str]], timeout: float) -> int:
    import time

    with tempfile.TemporaryDirectory(prefix="fzlint-convert-") as tmp:
        inputs = []
        for n, (_key, data, kind) in enumerate(items):
            inputs.append(Path(tmp) / f"f{n:05d}{kind}")
            inputs[-1].write_bytes(data)
        outdir = Path(tmp) / "out"
        proc = _start(exe, inputs, outdir, Path(tmp) / "log")
        seen: list[int] = []
        last = time.monotonic()
        killed = False
        while proc.poll() is None:
            time.sleep(0.05)
            new = [n for n in range(len(items)) if n not in seen and (outdir / f"f{n:05d}.docx").exists()]
            if new:
                seen.extend(new)
                last = time.monotonic()
            elif time.monotonic() - last > timeout:
                _kill(proc)
                proc.wait()
                killed = True
        if killed and seen:
            seen.pop()  # the file being written when LibreOffice was stopped may be cut short
        done = 0
        for n, (key, _data, _kind) in enumerate(items):
            out = outdir / f"f{n:05d}.docx"
            if (killed and n not in seen) or not out.is_file() or out.stat().st_size > MAX_OUTPUT_BYTES:
                continue
            docx = out.read_bytes()
            if sum(map(len, _done.values())) + len(docx) <= _DONE_BYTES:
                _done[key] = docx
            _cache_put(key, docx)
            done += 1
    return done


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
            said = [ln for ln in log.splitlines() if ln.strip() and "javaldx" not in ln]
            detail = " ".join(" ".join(said).split())[-200:]
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


def _looks_like_text(text: str) -> bool:
    """Chinese or Latin text, not bytes read as text: at most a fifth of the characters outside
    CJK ideographs, ASCII, CJK and full-width punctuation and general punctuation."""
    sample = "".join(text.split())[:20000]
    if not sample:
        return True
    odd = sum(1 for ch in sample if not ("\u4e00" <= ch <= "\u9fff" or " " <= ch <= "~" or "\u3000" <= ch <= "\u303f"
                                         or "\uff00" <= ch <= "\uffef" or "\u2000" <= ch <= "\u206f" or "\u00a0" <= ch <= "\u00ff"
                                         or "\u3400" <= ch <= "\u4dbf" or "\u2460" <= ch <= "\u24ff"))
    return odd <= 0.2 * len(sample)


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
    if what == "text":
        from fzlint.ingest.source import load_bytes

        src = load_bytes(data, path)
        src.notes.append(f"这个 {suffix} 文件实际上是纯文本,已按文本读取")
        return src
    if what == "not-word":
        raise InputError(
            f"这个 {suffix} 文件不是 Word 文档(Office 二进制文件中没有 Word 正文部分:可能是 Excel、PowerPoint "
            "文件改了扩展名,或文件已损坏)。请在 Word/WPS 中打开后另存为 .docx 再检查。",
            f"This {suffix} file is not a Word document (no Word stream in the Office file: an Excel or "
            "PowerPoint file renamed, or damaged).",
            path=path,
        )
    if what == "encrypted":
        raise InputError(
            "Word 文件已加密(需要密码才能打开)。请提供未加密的版本,或在 Word/WPS 中去除打开密码后再检查。",
            "The Word file is encrypted (needs a password to open); provide an unencrypted copy.",
            path=path,
        )
    docx = convert_to_docx(data, what, path)
    src = read_docx(docx, path)  # LibreOffice's output is read within the same zip limits (ziplimits)
    if not _looks_like_text(src.text):
        raise InputError(
            "LibreOffice 转换出的内容不像文字(大部分是乱码),文件可能已损坏或不是它扩展名所说的格式。"
            "请在 Word/WPS 中打开后另存为 .docx 再检查。",
            "What LibreOffice read from this file is not text (mostly garbage): damaged or misnamed?",
            path=path,
        )
    own = (suffix if suffix in CONVERTIBLE else what).lstrip(".")  # a .doc named .docx: "doc"
    src.format = own
    src.encoding = "docx"
    src.meta["converted_from"] = own
    src.meta["converter"] = converter_name(docx)
    src.notes.append("已由 LibreOffice 转换为 .docx 后检查,行号为转换后文档的段落序号")
    if own not in ("doc", "wps"):
        src.notes.append(f"版式(GB/T 9704 页边距、字体、行距等)只对 Word 文件(.docx/.doc/.wps)检查,.{own} 文件未检查版式")
    return src
