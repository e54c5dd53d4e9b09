"""`-o FILE`: the output file appears whole or not at all.

The report is written to a temporary file in the target's folder and renamed over the target
only when rendering finished; an error or Ctrl-C while rendering leaves the previous file (or
no file) instead of an empty or half-written one. The new file gets the permissions a plain
`open` would give it (or keeps the old file's). Targets that are not regular files
(`-o /dev/stdout`, a FIFO) are written directly. Lone surrogates (file names that are not UTF-8)
are written as `\\udcff` escapes, never an encoding error.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from fzlint.errors import FzlintError


class CannotWrite(FzlintError):
    """The output file could not be written; `reason` is the system's word for why."""

    def __init__(self, path: str, exc: OSError) -> None:
        self.reason = str(exc.strerror or exc)
        super().__init__(f"无法写入输出文件 {path}:{self.reason}", f"Cannot write output file {path}: {self.reason}")


def _cannot(path: str, exc: OSError) -> FzlintError:
    return CannotWrite(path, exc)


def _mode_for_new_file() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_output(path: str, *, newline: str | None = None, binary: bool = False) -> Iterator[IO[Any]]:
    """A text stream (UTF-8), or a byte stream with `binary`, whose content replaces `path` when
    the block ends normally."""
    text: dict[str, Any] = {} if binary else {"encoding": "utf-8", "errors": "backslashreplace", "newline": newline}
    mode = "wb" if binary else "w"
    real = os.path.realpath(path)
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _cannot(path, exc) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        try:
            with open(path, mode, **text) as stream:
                yield stream
        except OSError as exc:
            raise _cannot(path, exc) from None
        return
    import tempfile

    folder = os.path.dirname(real) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(real)}.", suffix=".fzlint-tmp")
    except OSError as exc:
        raise _cannot(path, exc) from None
    try:
        with os.fdopen(fd, mode, **text) as stream:
            yield stream
            stream.flush()
            os.fchmod(stream.fileno(), stat.S_IMODE(st.st_mode) if st is not None else _mode_for_new_file())
        os.replace(tmp, real)
        tmp = ""
    except OSError as exc:
        raise _cannot(path, exc) from None
    finally:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass
