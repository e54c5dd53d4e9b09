"""ingest/script.py: blank text, binary-looking text, Traditional script detection."""

from __future__ import annotations

import sys

from tests.conftest import SEEDS

from fzlint.ingest.script import garbage_share, is_blank, is_traditional


def test_is_blank() -> None:
    assert is_blank("")
    assert is_blank(" \t\r\n\u3000\u200b\ufeff\u2060")
    assert not is_blank("\u3000\u3000一")


def test_garbage_share() -> None:
    assert garbage_share("法治政府建设。\n") == 0
    assert garbage_share("") == 0
    assert garbage_share("ab\x01\x02") == 0.5
    assert garbage_share("\ufffd\ue000a\udcff") == 0.75  # replacement, private use, lone surrogate


def test_traditional_detection() -> None:
    assert is_traditional("我們這個縣為實現法治政府建設目標,認真開展工作,對標對錶。")
    for seed in SEEDS.glob("*.txt"):
        assert not is_traditional(seed.read_text(encoding="utf-8")), seed
    # a Simplified report that quotes a few Traditional words stays Simplified
    assert not is_traditional("我们这个县为实现目标,认真开展工作。引用:“國務院”。" * 3)
    assert not is_traditional("法治")


def test_detection_does_not_import_opencc() -> None:
    sys.modules.pop("opencc", None)
    is_traditional("我們這個縣為實現法治政府建設目標" * 100)
    assert "opencc" not in sys.modules


def test_plain_ranges_are_never_space_or_garbage() -> None:
    import unicodedata

    from fzlint.ingest.script import _PLAIN

    for c in range(0x110000):
        ch = chr(c)
        if _PLAIN.fullmatch(ch):
            assert not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Co", "Cn", "Cs"), hex(c)


def test_garbage_share_equals_the_character_by_character_count() -> None:
    import unicodedata

    def slow(text: str) -> float:
        total = bad = 0
        for ch in text:
            if ch.isspace():
                continue
            total += 1
            if ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs"):
                bad += 1
        return bad / total if total else 0.0

    for text in ["", " \n", "法治政府,建设。ＡＢ abc\x00\x01\ufffd\ue000\U0010ffff\u0378 \u3000 ", (SEEDS / "001_edc3c478e11a7896.txt").read_text(encoding="utf-8")]:
        assert garbage_share(text) == slow(text)
