"""Text output fits the terminal: source snippets and their carets are clipped to the width of a
real pseudo-terminal (its window size set with TIOCSWINSZ, no COLUMNS), and to COLUMNS when piped."""

from __future__ import annotations

import json

import pytest

from fzlint.render.cells import cell_len
from tests.conftest import run_cli, seed
from tests.conftest import run_in_pty as pty_run

SNIPPET = __import__("re").compile(r"^\s*\d* \| ")
ANSI = __import__("re").compile(r"\x1b\[[0-9;]*m")


def run_in_pty(columns: int, *args: str) -> str:
    out = pty_run(*args, columns=columns, env={"NO_COLOR": "1"})
    return ANSI.sub("", out.decode().replace("\r\n", "\n"))  # NO_COLOR keeps bold


def _snippets(out: str) -> list[str]:
    return [line for line in out.splitlines() if SNIPPET.match(line)]


@pytest.mark.parametrize("columns", [80, 100, 140])
def test_snippets_fit_a_real_terminal(columns: int) -> None:
    out = run_in_pty(columns, str(seed("000")))
    snippets = _snippets(out)
    assert len(snippets) > 10
    widest = max(cell_len(line) for line in snippets)
    assert widest <= columns, (columns, widest)
    if columns >= 140:
        assert widest > 90  # a wide terminal shows the long lines' context, not an 80-column cut
    # carets stay under their span: the caret row starts at the same column as the span's text
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if SNIPPET.match(line) and "^" in line and not line.strip(" |^"):
            assert SNIPPET.match(lines[i - 1]) and cell_len(lines[i - 1]) >= cell_len(line.rstrip())


@pytest.mark.parametrize("columns", [80, 100])
def test_snippets_fit_columns_when_piped(columns: int) -> None:
    out = run_cli(str(seed("000")), env={"COLUMNS": str(columns)}).stdout.decode()
    assert max(cell_len(line) for line in _snippets(out)) <= columns


@pytest.mark.parametrize("columns", [80, 100])
def test_audit_keeps_rank_file_score_and_grade(columns: int) -> None:
    for out in (run_in_pty(columns, "audit", "-j", "1", "seeds"), run_cli("audit", "-j", "1", "seeds", env={"COLUMNS": str(columns)}).stdout.decode()):
        lines = out.split("最常见的问题")[0].splitlines()
        assert max(cell_len(line) for line in lines) <= columns
        assert "名次" in lines[1] and "得分" in lines[1] and "等级" in lines[1] and "必备部分" in lines[1]
        ranked = [line for line in lines if __import__("re").match(r"^\s+[1-5] │ seeds/00", line)]
        assert len(ranked) == 5 and all(("合格" in r or "良好" in r or "优秀" in r) for r in ranked)
        assert "必备部分依次为:主要举措和成效" in out
    wide = run_cli("audit", "-j", "1", "seeds").stdout.decode()  # a file or pipe: every column
    assert "发文机关" in wide and "第一责任人职责" in wide



def _parts_section(out: str) -> list[str]:
    lines = out.splitlines()
    start = lines.index("必备部分")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("得分 "))
    return lines[start:end]


_SHOWN = {"heading": ("有标题",), "inline": ("仅段内提及",), "missing": ("缺失", "未单列", "无所属部分")}


@pytest.mark.parametrize("name", ["000", "001"])
def test_parts_table_stacks_at_80_columns(name: str) -> None:
    """At 80 columns the parts tables print one block per part (label; status and line; evidence)
    instead of squeezing columns away; every part keeps its status and line number, and the
    各部分内容 text is folded, not cut. Wider consoles keep the table."""
    path = str(seed(name))
    elements = list(json.loads(run_cli("--format", "json", path).stdout)["files"][0]["elements"].values())
    assert len(elements) >= 5
    for out in (run_in_pty(80, path), run_cli(path, env={"COLUMNS": "80"}).stdout.decode()):
        section = _parts_section(out)
        assert max(cell_len(line) for line in section) <= 80
        assert not any("┃" in line or "│" in line for line in section)  # no table columns
        parts = section[1 : section.index("各部分内容")]
        heads = [i for i, line in enumerate(parts) if line and not line.startswith(" ")]
        assert len(heads) == len(elements), parts
        for i, el in zip(heads, elements, strict=True):
            block = parts[i + 1 : next((h for h in heads if h > i), len(parts))]
            status = block[0]
            assert status.startswith("  ") and any(w in status for w in _SHOWN[el["status"]]), (el, status)
            assert (f"第 {el['line']} 行" in status) == bool(el["line"]), (el, status)
            assert len(block) == (2 if el["evidence"] else 1)
            if el["evidence"]:
                shown = block[1].removeprefix("  依据原文:")
                flat = el["evidence"].replace("\n", " ")
                assert shown == flat or (shown.endswith("…") and flat.startswith(shown[:-1])), (shown, flat)
        # the content summaries are whole, folded at the width
        folded = "".join(line.removeprefix("  ") for line in section[section.index("各部分内容") + 1 :] if line.startswith("  "))
        assert "本级主要负责人履职" in folded and "纲要(2021—2025年)涉及 9/9 个方面;有数字、日期、文件或事例的小节" in folded
        assert "出庭应诉" in folded
    for columns in (100, 140):
        wide = _parts_section(run_in_pty(columns, path))
        assert "部分" in wide[1] and "状态" in wide[1] and "依据原文" in wide[1] and "┃" in wide[1]
