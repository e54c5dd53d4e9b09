"""fzlint.render.locations: regions, UTF-8 columns and paths relative to the working directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fzlint.ingest import Source
from fzlint.render.locations import display_path, region, relative_uri, utf8_column, working_dir_uri


def test_region_is_one_based_end_exclusive() -> None:
    src = Source("a.txt", "第一行\n报告XX内容\n")
    reg = region(src, 6, 8)
    assert (reg.line, reg.column, reg.end_line, reg.end_column, reg.text) == (2, 3, 2, 5, "XX")


def test_region_drops_trailing_line_breaks() -> None:
    src = Source("a.txt", "落款。\r\n2022年\n")
    reg = region(src, 2, 5)  # "。\r\n"
    assert (reg.line, reg.end_line, reg.end_column, reg.text) == (1, 1, 4, "。")


def test_region_keeps_zero_width_and_clamps() -> None:
    src = Source("a.txt", "abc")
    assert region(src, 2, 2).text == ""
    reg = region(src, 1, 99)
    assert (reg.end, reg.end_column) == (3, 4)


def test_utf8_column_counts_bytes() -> None:
    src = Source("a.txt", "a𠀀政b\n")
    assert [utf8_column(src, 1, c) for c in (1, 2, 3, 4)] == [1, 2, 6, 9]


def test_display_path_relative_inside_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "报告").mkdir()
    f = tmp_path / "报告" / "2021年 报告.txt"
    f.write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert display_path(str(f)) == "报告/2021年 报告.txt"
    assert display_path(os.path.join(".", "报告", "2021年 报告.txt")) == "报告/2021年 报告.txt"
    uri, rel = relative_uri(str(f))
    assert rel and uri == "%E6%8A%A5%E5%91%8A/2021%E5%B9%B4%20%E6%8A%A5%E5%91%8A.txt"
    assert working_dir_uri().startswith("file:///") and working_dir_uri().endswith("/")


def test_paths_outside_cwd_are_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    assert display_path(str(f)) == f.resolve().as_posix()
    uri, rel = relative_uri(str(f))
    assert not rel and uri == f.resolve().as_uri()


def test_names_that_are_not_files_pass_through() -> None:
    assert display_path("<stdin>") == "<stdin>"
    assert relative_uri("<stdin>") == ("%3Cstdin%3E", True)
