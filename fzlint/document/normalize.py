"""Length-preserving normalization: full-width ASCII forms -> ASCII, odd spaces -> space.

The seeds were passed through NFKC (ASCII `,` `(` between Chinese characters) while Word files
keep full-width marks. Rules match on this normalized form so that `(一)` and `（一）` are one
pattern; because every character maps to exactly one character, offsets are unchanged and
findings point at the original text.
"""

from __future__ import annotations

import re

from fzlint.patterns import lazy

_TABLE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_TABLE.update(
    {
        0x3000: " ",  # ideographic space
        0x00A0: " ",
        0x2002: " ",
        0x2003: " ",
        0x2009: " ",
        0x200B: " ",  # zero-width space: keep length, match as space
        0xFEFF: " ",
        0x200E: " ",
        0x200F: " ",
        0x0009: " ",
        0x2212: "-",
        0x2014: "—",
        0x3007: "〇",
        0x25CB: "〇",  # ○ used for zero in dates
        0x2027: "·",
    }
)
# Keep full-width marks that have no ASCII twin meaning the same in Chinese text.
for keep in ("～",):
    _TABLE.pop(ord(keep), None)

NORMALIZE_TABLE = _TABLE

HAN = r"\p{Han}"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】—…·「」『』〔〕"
SENTENCE_END = "。！？!?；;"
_CJK_CHAR = lazy(r"[\p{Han}，。、；：？！“”‘’《》〈〉【】…·「」『』〔〕]")


# str.translate looks every character up in the table (slow on Chinese text, where few change);
# one regex pass finds the characters that do change, and str.replace maps each distinct one
# (a report has a hundred or so such characters but only a few distinct ones): same result.
_CHANGED: dict[str, str] = {}
_CHANGED_RE: list[re.Pattern[str]] = []
_CHAINED: list[bool] = [False]  # a target is itself mapped on: replace one by one would differ


def normalize(text: str) -> str:
    """Map text to its matching form; same length as the input."""
    if len(_CHANGED) != len(NORMALIZE_TABLE):  # first call, or the table was extended
        _CHANGED.clear()
        _CHANGED.update((chr(cp), to) for cp, to in NORMALIZE_TABLE.items())
        _CHANGED_RE[:] = [re.compile("[" + re.escape("".join(_CHANGED)) + "]")]
        _CHAINED[0] = any(_CHANGED.get(to, to) != to for to in _CHANGED.values())
    if _CHAINED[0]:
        return _CHANGED_RE[0].sub(lambda m: _CHANGED[m.group()], text)
    for ch in set(_CHANGED_RE[0].findall(text)):
        text = text.replace(ch, _CHANGED[ch])
    return text


def is_cjk(ch: str) -> bool:
    return bool(ch) and _CJK_CHAR.match(ch) is not None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int | None:
    """Chinese numeral (一 … 九十九, 二〇二一 style too) to int; None when not a numeral."""
    if not s:
        return None
    if all(ch in _CN_DIGITS for ch in s) and len(s) > 1:
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total, num = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            num = _CN_DIGITS[ch]
        elif ch == "十":
            total += (num or 1) * 10
            num = 0
        elif ch == "百":
            total += (num or 1) * 100
            num = 0
        else:
            return None
    return total + num


_INT_CN = "零一二三四五六七八九"


def int_to_cn(n: int) -> str:
    """int (0-99) to Chinese numeral as used in headings."""
    if n < 10:
        return _INT_CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _INT_CN[tens]) + "十" + (_INT_CN[ones] if ones else "")
