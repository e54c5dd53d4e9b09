"""Where a finding is, in the units each output format wants.

fzlint's own columns count characters (Unicode code points). SARIF is told so
(`columnKind: unicodeCodePoints`); reviewdog wants UTF-8 byte columns; paths are shown relative to
the working directory when the file lies under it, as CI annotators expect.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fzlint.ingest import Source

_LINE_BREAKS = "\r\n"


@dataclass(frozen=True, slots=True)
class Region:
    """A finding's span: source offsets and 1-based line/column (end exclusive, code points)."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str


def region(source: Source, start: int, end: int) -> Region:
    """The span [start, end) as a region; trailing line breaks are dropped so that a span never
    ends at column 1 of the following line (viewers would then mark the wrong line)."""
    text = source.text
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while end > start and text[end - 1] in _LINE_BREAKS:
        end -= 1
    line, col = source.position(start)
    end_line, end_col = source.position(end)
    return Region(start, end, line, col, end_line, end_col, text[start:end])


def utf8_column(source: Source, line: int, column: int) -> int:
    """The 1-based UTF-8 byte column of a 1-based code-point column (reviewdog's unit)."""
    return len(source.line_text(line)[: column - 1].encode("utf-8")) + 1


def display_path(path: str) -> str:
    """The path relative to the working directory (with / separators) when the file is under it;
    otherwise the path as given. Names that are not files (<stdin>) pass through."""
    p = Path(path)
    if not p.exists():
        return path.replace(os.sep, "/")
    try:
        rel = p.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return str(p.resolve()).replace(os.sep, "/")
    return rel.as_posix()


def relative_uri(path: str) -> tuple[str, bool]:
    """(uri, is_relative): a percent-encoded URI reference relative to the working directory, or an
    absolute file: URI when the file lies outside it."""
    shown = display_path(path)
    p = Path(path)
    if p.exists() and Path(shown).is_absolute():
        return p.resolve().as_uri(), False
    # from the name's bytes: a name that is not valid UTF-8 (surrogateescape) is percent-encoded
    # byte for byte, as RFC 3986 and Path.as_uri do
    return quote(os.fsencode(shown), safe="/-._~"), True


def working_dir_uri() -> str:
    """file: URI of the working directory, ending in / as SARIF requires for a base URI."""
    uri = Path.cwd().resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"
