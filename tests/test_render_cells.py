"""render/cells.py: the width table the rich-free renderer (and the clipping both renderers share)
uses gives every character the width rich gives it."""

from __future__ import annotations

from rich.cells import cell_len as rich_cell_len

from fzlint.render.cells import cell_len, char_width


def test_every_bmp_character_and_some_astral_ones_have_rich_widths() -> None:
    points = [*range(0x1, 0xD800), *range(0xE000, 0x10000), *range(0x1F000, 0x1FB00), *range(0x20000, 0x20100), 0x10FFFF]
    wrong = [hex(c) for c in points if char_width(chr(c)) != rich_cell_len(chr(c))]
    assert wrong == []


def test_strings() -> None:
    for text in ("法治政府建设", "abc,。", "２０２１年", "", "🙂x"):
        assert cell_len(text) == rich_cell_len(text), text


def test_joiners_where_rich_measures_clusters_go_to_rich() -> None:
    from fzlint.render.text import _SPECIAL

    # rich measures "a\u200db" as one cluster; the hand-written renderer hands such text to rich
    assert cell_len("a\u200db") != rich_cell_len("a\u200db")
    assert {"\u200d", "\ufe0f"} <= _SPECIAL
