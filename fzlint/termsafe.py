"""Text from a file or a file name, made safe to print on a terminal or into a CI log.

A file name or a report's text can carry terminal escape sequences (ESC [ … m, OSC titles and
hyperlinks), other C0/C1 control characters, and the bidirectional overrides that make a line
display in another order than it reads ("Trojan Source", U+202A–U+202E, U+2066–U+2069). `term`
replaces each with a visible escape (`\\x1b`, `\\u202e`); a lone surrogate from a file name that
is not valid UTF-8 (os.fsdecode's surrogateescape) becomes the byte it stands for (`\\xff`), as
`ls -b` shows it. Everything else, Chinese included, is unchanged; a string that needs nothing
(the usual case) is returned as it is after one C-level `isprintable` check.

Imported by errors.py, so it imports nothing.
"""

from __future__ import annotations

# Format characters that reorder the display of a line (Unicode bidi embeddings, overrides and
# isolates) plus the invisible marks that steer them.
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}

_tables: dict[str, dict[int, str]] = {}


def _table(keep: str) -> dict[int, str]:
    table = _tables.get(keep)
    if table is None:
        table = {c: _NAMED.get(c, f"\\x{c:02x}") for c in [*range(0x20), *range(0x7F, 0xA0)]}
        table.update((c, f"\\u{c:04x}") for c in _BIDI)
        table.update((c, f"\\x{c - 0xDC00:02x}" if 0xDC80 <= c <= 0xDCFF else f"\\u{c:04x}") for c in range(0xD800, 0xE000))
        for ch in keep:
            table.pop(ord(ch), None)
        _tables[keep] = table
    return table


def term(text: str, *, keep_newlines: bool = False, keep: str = "") -> str:
    """`text` with control characters, bidi overrides and lone surrogates shown as escapes
    (except newlines with `keep_newlines`, and the characters in `keep`)."""
    if text.isprintable():
        return text
    return text.translate(_table(keep + "\n" if keep_newlines else keep))
