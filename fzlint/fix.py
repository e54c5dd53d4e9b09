"""`--fix` and `--diff`: apply the certain fixes of findings (Finding.fix) to plain-text reports.

Only findings whose rule says `fixable: true` carry a fix. Fixes are applied in rounds: the
non-overlapping ones are applied, the text is linted again, and the loop stops at a fixpoint
(or after MAX_ROUNDS), so overlapping fixes are never merged blindly. The file is written
atomically in its own encoding, BOM and line endings (Source.text is verbatim).

Word, PDF and HTML files are never modified: their text is extracted, and writing it back would
lose the document's formatting. They are linted as usual, with a note that they were not fixed.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fzlint.errors import FzlintError
from fzlint.ingest.source import TEXT_SUFFIXES, Source
from fzlint.patterns import lazy_re
from fzlint.rules.model import Finding, Fix
from fzlint.termsafe import term

if TYPE_CHECKING:
    from fzlint.engine import FileResult, Linter

MAX_ROUNDS = 8


class FixError(FzlintError):
    """A file could not be fixed; it is left exactly as it was."""


@dataclass(slots=True)
class FixOutcome:
    path: str
    original: str
    fixed: str
    applied: int = 0  # number of fixes applied over all rounds
    rounds: int = 0
    codes: dict[str, int] = field(default_factory=dict)  # code -> fixes applied
    result: FileResult | None = None  # the lint result of the fixed text

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fixable(src: Source) -> str | None:
    """Why a source cannot be fixed in place, or None when it can."""
    suffix = Path(src.path).suffix.lower()
    if src.format not in ("txt", "md") or (suffix and suffix not in TEXT_SUFFIXES):
        return f"{src.path}: {src.format.upper() if src.format else suffix} 文件不会被自动修改(只修改 .txt/.md 纯文本文件),请按提示手工修改"
    if src.replaced:
        return f"{src.path}: 文件中有无法解码的字节,为免破坏原文,未自动修改"
    return None


def select_fixes(findings: Iterable[Finding]) -> list[tuple[Fix, str]]:
    """Non-overlapping fixes in text order; a fix overlapping an earlier one waits for the next round."""
    cands = sorted(((f.fix, f.code) for f in findings if f.fix is not None), key=lambda t: (t[0].start, t[0].end))
    chosen: list[tuple[Fix, str]] = []
    last_end = -1
    for fx, code in cands:
        if fx.start < last_end or (chosen and fx.start == chosen[-1][0].start):
            continue  # overlaps (or inserts at the same point as) a fix already chosen
        chosen.append((fx, code))
        last_end = fx.end
    return chosen


def apply_fixes(text: str, fixes: list[Fix]) -> str:
    """Apply non-overlapping fixes (sorted by start)."""
    parts: list[str] = []
    pos = 0
    for fx in fixes:
        parts.append(text[pos : fx.start])
        parts.append(fx.replacement)
        pos = fx.end
    parts.append(text[pos:])
    return "".join(parts)


def fix_source(src: Source, linter: Linter, max_rounds: int = MAX_ROUNDS) -> FixOutcome:
    """Apply fixes in rounds until nothing changes; the outcome carries the final lint result."""
    out = FixOutcome(src.path, src.text, src.text)
    current = src
    result = linter.lint_source(current)
    for _ in range(max_rounds):
        chosen = [(fx, code) for fx, code in select_fixes(result.findings) if current.text[fx.start : fx.end] != fx.replacement]
        if not chosen:
            break
        new_text = apply_fixes(current.text, [fx for fx, _ in chosen])
        if new_text == current.text:
            break
        out.rounds += 1
        out.applied += len(chosen)
        for _fx, code in chosen:
            out.codes[code] = out.codes.get(code, 0) + 1
        current = Source(path=src.path, text=new_text, format=src.format, encoding=src.encoding, bom=src.bom, meta=dict(src.meta))
        result = linter.lint_source(current)
    out.fixed = current.text
    out.result = result
    return out


def encode(text: str, src: Source) -> bytes:
    """The bytes of `text` in the source's own encoding and BOM."""
    try:
        return src.bom + text.encode(src.encoding)
    except (UnicodeEncodeError, LookupError) as exc:
        raise FixError(
            f"{src.path}: 修改后的文本无法用原编码 {src.encoding} 保存({exc}),未修改",
            f"{src.path}: fixed text cannot be encoded as {src.encoding} ({exc}); not modified",
        ) from None


_LINE = lazy_re(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> list[str]:
    """Lines ending at CR, LF or CRLF only (str.splitlines also splits at form feeds and other
    separators, which a unified diff does not know)."""
    return _LINE.findall(text)


def _shown(line: str) -> str:
    """A diff line for reading: its content with control characters, ESC sequences and bidi
    overrides shown as escapes (termsafe.term; tabs kept), its line ending as it is."""
    body = line.rstrip("\r\n")
    return term(body, keep="\t") + line[len(body) :]


def unified_diff(outcome: FixOutcome) -> str:
    """A unified diff of the fix (empty when nothing changes). It is meant to be read: text that
    could drive a terminal is shown escaped (a line holding such text would not apply as a patch;
    `--fix` writes the real bytes)."""
    if not outcome.changed:
        return ""
    a = _lines(outcome.original)
    b = _lines(outcome.fixed)
    name = term(outcome.path)
    lines = difflib.unified_diff(a, b, fromfile=f"a/{name}", tofile=f"b/{name}")
    out = []
    for line in lines:
        line = _shown(line)
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def fix_roots(paths: Iterable[str]) -> list[Path]:
    """The folders `--fix` may write in: each folder given on the command line, and the folder
    of each file given (all resolved). A symlink whose target lies elsewhere is not fixed."""
    roots: list[Path] = []
    for p in paths:
        if p == "-":
            continue
        folder = p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))
        roots.append(Path(os.path.realpath(folder)))
    return roots


def _keep_owner(fd: int, st: os.stat_result) -> None:
    """Give the new file the old one's owner and group; when not allowed (only root may give a
    file away), at least its group; failing that it stays the writer's (the mode is kept)."""
    if not hasattr(os, "fchown"):
        return
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
        return
    except OSError:
        pass
    try:
        os.fchown(fd, -1, st.st_gid)
    except OSError:
        pass


def _copy_xattrs(source: Path, fd: int) -> None:
    """Extended attributes (ACLs, SELinux labels, user.* tags) of the old file onto the new one,
    each as far as the system allows (Linux only; elsewhere nothing is copied)."""
    listxattr = getattr(os, "listxattr", None)
    if listxattr is None:
        return
    try:
        names = listxattr(source)
    except OSError:
        return
    for name in names:
        try:
            os.setxattr(fd, name, os.getxattr(source, name))
        except OSError:
            pass


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    expected_old: bytes | None = None,
    roots: list[Path] | None = None,
) -> None:
    """Replace the file's content with `data` atomically: a temp file in the same folder,
    fsync, then os.replace. On any error the original is left untouched and FixError is raised.

    `expected_old`: the bytes the fix was computed from; if the file changed since, refuse.
    `roots` (fix_roots): the folders the user asked to fix; a symlink is written through to its
    target only when the target lies in one of them (as black skips "a symbolic link that points
    outside" the project), otherwise it is refused. A file with several hard links is refused
    (replacing it would leave the other names with the old text, and writing in place is not
    atomic). The new file keeps the old one's mode, owner and group (as far as allowed) and
    extended attributes.
    """
    target = Path(os.path.realpath(path))  # a symlink keeps pointing at the fixed file
    shown = str(path)
    if roots is not None and not any(target.is_relative_to(r) for r in roots):
        raise FixError(
            f"{shown}: 是指向 {target} 的符号链接,目标不在要修复的目录之内,未修改(确需修改请直接指定 {target})",
            f"{shown}: a symbolic link to {target}, outside the folders being fixed; not modified (give {target} itself to fix it)",
        )
    try:
        st = target.stat()
    except OSError as exc:
        raise FixError(f"{shown}: 无法读取文件状态:{exc.strerror},未修改", f"{shown}: cannot stat: {exc.strerror}; not modified") from None
    if not os.access(target, os.W_OK) or not (st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)):
        raise FixError(f"{shown}: 文件只读,未修改", f"{shown}: file is read-only; not modified")
    if st.st_nlink > 1:
        raise FixError(
            f"{shown}: 文件有 {st.st_nlink} 个硬链接,修复会使其他链接仍是旧内容,未修改(如需修复请先复制成独立的文件)",
            f"{shown}: the file has {st.st_nlink} hard links; fixing it would leave the other names with the old text; not modified (copy it to a file of its own first)",
        )
    if expected_old is not None:
        try:
            if target.read_bytes() != expected_old:
                raise FixError(f"{shown}: 文件在检查期间被修改,未写入修复", f"{shown}: file changed while linting; not modified")
        except OSError as exc:
            raise FixError(f"{shown}: 无法读取:{exc.strerror},未修改", f"{shown}: cannot read: {exc.strerror}; not modified") from None
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".fzlint-tmp")
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            _keep_owner(fd, st)
            os.fchmod(fd, stat.S_IMODE(st.st_mode))  # after chown, which may clear set-id bits
            _copy_xattrs(target, fd)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(target.parent)
    except OSError as exc:
        raise FixError(
            f"{shown}: 写入失败:{exc.strerror or exc},原文件未改动",
            f"{shown}: write failed: {exc.strerror or exc}; the original is unchanged",
        ) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; not every platform can open a folder, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
