"""Sentence splitting on Chinese (and ASCII) sentence-final marks."""

from __future__ import annotations

import regex

_SENT = regex.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』)]?|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) index pairs of the sentences of a paragraph; whitespace-only pieces dropped."""
    out: list[tuple[int, int]] = []
    for m in _SENT.finditer(text):
        s, e = m.span()
        if e > s and text[s:e].strip():
            out.append((s, e))
    return out
