"""The editor server's text arithmetic (fzlint/lsp_text.py): positions in each LSP encoding and
minimal edits, checked against Python's own UTF-16/UTF-8 encoders and by applying the edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fzlint.lsp_text import PositionMap, clean_surrogates, edits_between, line_break
from tests.lsp_client import apply_edits

TEXT = "法治政府建设\r\n𠀀年度报告,𡒄县\r第二行\n\n末行é😀x"
# what an editor counts on each line, in each encoding
UNITS = {"utf-16": lambda s: len(s.encode("utf-16-le")) // 2, "utf-32": len, "utf-8": lambda s: len(s.encode("utf-8"))}
_chars = st.sampled_from(list("法治政府年度报告,，ab \t") + ["\r\n", "\n", "\r", "𠀀", "😀", "é", "\u2028", "\x0c"])


def _lines(text: str) -> list[str]:
    import re

    return re.split(r"\r\n|\r|\n", text)


def test_positions_in_each_encoding() -> None:
    for enc, units in UNITS.items():
        pmap = PositionMap(TEXT, enc)
        lines = _lines(TEXT)
        assert len(pmap.starts) == len(lines) == 5  # \r\n, \r and \n break lines; nothing else does
        for offset in range(len(TEXT) + 1):
            line, char = pmap.position(offset)
            start = pmap.starts[line]
            assert char == units(TEXT[start:offset])
            if offset == start or TEXT[offset - 1] not in "\r\n" or offset == len(TEXT):
                assert pmap.offset(line, char) == offset


def test_offsets_clamp_as_the_specification_says() -> None:
    pmap = PositionMap(TEXT, "utf-16")
    assert pmap.offset(0, 999) == TEXT.index("\r\n")  # past the end of a line: the line's end
    assert pmap.offset(99, 0) == len(TEXT)  # past the last line: the end of the text
    assert pmap.offset(-1, 5) == 0
    inside_pair = pmap.offset(1, 1)  # between the two UTF-16 units of 𠀀
    assert TEXT[inside_pair] == "𠀀"
    assert PositionMap(TEXT, "utf-8").offset(1, 2) == TEXT.index("𠀀")  # inside a UTF-8 sequence


def test_u2028_and_form_feed_do_not_break_lines() -> None:
    text = "第一段\u2028仍是第一行\x0c同一行\n第二行"
    pmap = PositionMap(text)
    assert pmap.position(text.index("第二行")) == (1, 0)
    assert pmap.position(text.index("同一行")) == (0, text.index("同一行"))


def test_line_break_of_a_line() -> None:
    text = "a\r\nb\nc"
    pmap = PositionMap(text)
    assert [line_break(text, pmap.starts, n) for n in range(3)] == ["\r\n", "\n", "\r\n"]
    assert line_break("one line", [0], 0) == "\n"


def test_clean_surrogates_keeps_length() -> None:
    raw = "法治\ud800报告\udfff"
    clean = clean_surrogates(raw)
    assert len(clean) == len(raw) and clean == "法治\ufffd报告\ufffd"
    clean.encode("utf-8")


def test_edits_are_minimal_per_line() -> None:
    old = "一、主要举措,成效\n二、存在问题\n三、下一步,安排\n"
    new = "一、主要举措，成效\n二、存在问题\n三、下一步，安排\n"
    edits = edits_between(old, new)
    second = old.index(",", 7)
    assert edits == [(6, 7, "，"), (second, second + 1, "，")]


@settings(max_examples=300, deadline=None)
@given(st.lists(_chars, max_size=30), st.lists(_chars, max_size=30), st.sampled_from(["utf-16", "utf-8", "utf-32"]))
def test_edits_between_reproduce_the_new_text(a: list[str], b: list[str], enc: str) -> None:
    old, new = "".join(a), "".join(b)
    edits = edits_between(old, new)
    assert all(e1 <= s2 for (_s1, e1, _t1), (s2, _e2, _t2) in zip(edits, edits[1:], strict=False))  # ordered, not overlapping
    applied = old
    for s, e, t in reversed(edits):
        applied = applied[:s] + t + applied[e:]
    assert applied == new
    # the same edits as LSP TextEdits, applied by a client counting `enc` units
    pmap = PositionMap(old, enc)

    def pos(offset: int) -> dict[str, int]:
        line, char = pmap.position(offset)
        return {"line": line, "character": char}

    lsp_edits = [{"range": {"start": pos(s), "end": pos(e)}, "newText": t} for s, e, t in edits]
    assert not [x for s, e, _t in edits for x in (s, e) if old[x - 1 : x] == "\r" and old[x : x + 1] == "\n"]
    assert apply_edits(old, lsp_edits, enc) == new
