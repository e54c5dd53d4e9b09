"""Cheap checks on decoded text: is it text at all, and is it written in Traditional Chinese?

Both look at a bounded sample so that a 20 MB file costs the same as a small one.
"""

from __future__ import annotations

import unicodedata

from fzlint.patterns import lazy_re

SAMPLE_CHARS = 65536

# Very frequent characters that exist only in Traditional script, and their Simplified forms.
# A Simplified report that quotes one Traditional name (臺灣) must not count as Traditional,
# so detection compares how often each side occurs rather than looking for any one character.
_TRAD = frozenset("們這個說為會發於與國來對實現點務關進機體報達後開應當時長區間從動過還種經們題議務護規範認識辦據權聯續計設項條縣鄉稱責調總統幹級審監執處圍務")
_SIMP = frozenset("们这个说为会发于与国来对实现点务关进机体报达后开应当时长区间从动过还种经们题议务护规范认识办据权联续计设项条县乡称责调总统干级审监执处围务")
_TRAD = _TRAD - _SIMP  # characters written the same in both scripts say nothing

_WHITESPACE_EXTRA = "\u200b\u200c\u200d\u2060\ufeff"


def is_blank(text: str) -> bool:
    """True when the text has nothing but whitespace (zero-width characters and BOMs included)."""
    return not text.strip().strip(_WHITESPACE_EXTRA).strip()


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    half = SAMPLE_CHARS // 2
    mid = len(text) // 2
    return text[:half] + text[mid : mid + half]


# Printable ASCII, CJK punctuation, CJK unified ideographs and full-width forms: assigned,
# non-space and never garbage (a test checks every one), so they are counted in one regex pass
# and only the other characters are looked at one by one. Explicit ranges, not Unicode classes,
# so the answer cannot depend on which Unicode version the regex engine knows.
# General punctuation U+2010-U+2027 (quotes “”, dashes, …, •, ·) is as common as the rest.
_PLAIN = lazy_re("[\x21-\x7e\u2010-\u2027\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e]+")
# re's \s for str patterns is exactly str.isspace (both use Py_UNICODE_ISSPACE): spaces are
# dropped in one pass too, so only the rare remaining characters are looked at one by one.
_SPACE = lazy_re(r"\s+")
_TRAD_RE = lazy_re("[" + "".join(sorted(_TRAD)) + "]")
_SIMP_RE = lazy_re("[" + "".join(sorted(_SIMP)) + "]")


def garbage_share(text: str) -> float:
    """Share of non-space characters that no text file contains: control characters (other than
    whitespace), U+FFFD replacements, private-use, unassigned code points and lone surrogates."""
    sample = _sample(text)
    rest = _PLAIN.sub("", sample)
    total = len(sample) - len(rest)
    rest = _SPACE.sub("", rest)
    total += len(rest)
    bad = 0
    for ch in rest:
        if ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs"):
            bad += 1
    return bad / total if total else 0.0


def is_traditional(text: str) -> bool:
    """True when the text is written mostly in Traditional characters (繁體)."""
    sample = _sample(text)
    trad = len(_TRAD_RE.findall(sample))
    if trad < 5:
        return False  # the usual answer: the Simplified count is not needed
    simp = len(_SIMP_RE.findall(sample))
    return trad > 2 * simp
