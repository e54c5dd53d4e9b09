"""Sentence splitting on Chinese (and ASCII) sentence-final marks."""

from __future__ import annotations

from fzlint.patterns import lazy_re

# Plain character classes: the standard library's engine runs this faster than `regex`.
_SENT = lazy_re(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』)]?|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) index pairs of the sentences of a paragraph; whitespace-only pieces dropped.

    The pattern matches at every position (up to the next run of end marks, or to the end), so
    its matches tile the text from the start: findall's pieces (no Match objects) give the
    spans by their lengths."""
    out: list[tuple[int, int]] = []
    pos = 0
    for piece in _SENT.findall(text):
        end = pos + len(piece)
        if piece.strip():
            out.append((pos, end))
        pos = end
    return out
