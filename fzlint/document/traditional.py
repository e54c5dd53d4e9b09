"""Traditional → Simplified Chinese for matching, one character to one character.

Rules are written in Simplified Chinese. A report in Traditional script (繁體) is converted for
matching only: `Document.norm` changes, `Source.text` does not, so findings quote the original
text. Conversion is strictly per character (OpenCC's character table, never its phrase table):
a phrase rewrite could change the length and shift every offset after it.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter() -> object:
    # OpenCC (pure-Python reimplementation) is imported only for Traditional documents.
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=8192)
def _char(ch: str) -> str:
    out: str = _converter().convert(ch)  # type: ignore[attr-defined]
    return out if len(out) == 1 else ch  # keep length: a multi-character result is ignored


def to_simplified(text: str) -> str:
    """The text with each Traditional character replaced by its Simplified form; same length."""
    table = {ord(ch): _char(ch) for ch in set(text) if ch >= "\u3400"}
    return text.translate({k: v for k, v in table.items() if v != chr(k)})
