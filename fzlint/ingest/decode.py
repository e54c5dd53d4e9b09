"""Decode report bytes: BOMs, UTF-8, UTF-16, and the GB18030 family that government files use."""

from __future__ import annotations

from typing import NamedTuple

from fzlint.patterns import lazy_re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class Decoded(NamedTuple):
    text: str
    encoding: str  # codec name usable with bytes.decode/str.encode
    bom: bytes
    replaced: int  # number of undecodable byte sequences replaced by U+FFFD


# Counted by deleting in one regex pass rather than character by character (5-10x faster).
# re's \s for str patterns is exactly str.isspace (both use Py_UNICODE_ISSPACE).
_HAN = lazy_re("[\u4e00-\u9fff]+")
_SPACE = lazy_re(r"\s+")


def _han_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:4000]
    han = len(sample) - len(_HAN.sub("", sample))
    return han / max(1, len(_SPACE.sub("", sample)))


def _bomless_utf16(data: bytes) -> Decoded | None:
    """UTF-16 saved without a BOM (some Windows tools do): NUL bytes on one side of each pair,
    from the ASCII newlines and digits. Accepted only when it decodes cleanly to Chinese."""
    head = data[:8192]
    if len(data) % 2 or head.count(0) * 256 < len(head):
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    codec = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else None
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return Decoded(text, codec, b"", 0) if _han_share(text) > 0.5 else None


def decode(data: bytes) -> Decoded:
    """Decode bytes, trying the BOM, then UTF-8, then GB18030, then charset-normalizer.

    Undecodable bytes never stop the run: the best candidate is decoded with replacement and the
    number of replaced sequences is reported so the caller can warn.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = body.decode(codec, errors="replace")
            # U+FFFD already written in a UTF-8 file is text, not a replacement
            kept = body.count(b"\xef\xbf\xbd") if codec == "utf-8" else 0
            return Decoded(text, codec, bom, max(0, text.count("\ufffd") - kept))
    try:
        return Decoded(data.decode("utf-8"), "utf-8", b"", 0)
    except UnicodeDecodeError:
        pass
    if (utf16 := _bomless_utf16(data)) is not None:
        return utf16
    try:
        text = data.decode("gb18030")
        if _han_share(text) > 0.2:
            return Decoded(text, "gb18030", b"", 0)
    except UnicodeDecodeError:
        pass
    # Mixed or damaged bytes: pick the candidate with the fewest replacements.
    best: Decoded | None = None
    for codec in ("utf-8", "gb18030"):
        text = data.decode(codec, errors="replace")
        cand = Decoded(text, codec, b"", text.count("\ufffd"))
        if best is None or cand.replaced < best.replaced:
            best = cand
    assert best is not None
    if best.replaced and best.replaced * 50 > len(data):
        # Mostly undecodable under both: let charset-normalizer guess (imported only here).
        from charset_normalizer import from_bytes

        match = from_bytes(data).best()
        if match is not None and match.encoding:
            text = str(match)
            return Decoded(text, match.encoding, b"", 0)
    return best
