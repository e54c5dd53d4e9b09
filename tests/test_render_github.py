"""fzlint.render.github: GitHub Actions workflow commands, parsed back the way the runner does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fzlint.render.github import command, escape_data, escape_property
from tests.conftest import ROOT
from tests.render_support import (
    CJK_EXT_B_TEXT,
    MISSING,
    SEED_IDS,
    SEED_PATHS,
    cli_output,
    json_diagnostics,
    make_run,
    render,
)

_LINE = re.compile(r"^::(?P<kind>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<msg>.*)$")


def _unescape(text: str, prop: bool) -> str:
    if prop:
        text = text.replace("%2C", ",").replace("%3A", ":")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def parse(output: str) -> list[dict[str, str]]:
    """Each line as {kind, message, property...}; every line must be a workflow command."""
    commands = []
    for line in output.splitlines():
        m = _LINE.match(line)
        assert m, f"not a workflow command: {line!r}"
        item = {"kind": m["kind"], "message": _unescape(m["msg"], prop=False)}
        for pair in (m["props"] or "").split(","):
            key, _, value = pair.partition("=")
            item[key] = _unescape(value, prop=True)
        commands.append(item)
    return commands


def test_escaping_follows_the_runner() -> None:
    assert escape_data("50%\r\n完成") == "50%25%0D%0A完成"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    line = command(
        "error",
        "第一行\n第二行: 100%",
        file="报告,终稿:v2.txt",
        line=3,
        col=None,
        title="FZ401 placeholder-left",
    )
    assert (
        line
        == "::error file=报告%2C终稿%3Av2.txt,line=3,title=FZ401 placeholder-left::第一行%0A第二行: 100%25"
    )
    assert parse(line) == [
        {
            "kind": "error",
            "message": "第一行\n第二行: 100%",
            "file": "报告,终稿:v2.txt",
            "line": "3",
            "title": "FZ401 placeholder-left",
        }
    ]


@pytest.mark.parametrize("seed_path", SEED_PATHS, ids=SEED_IDS)
def test_seed_annotations_match_json(seed_path: Path) -> None:
    rel = str(seed_path.relative_to(ROOT))
    out, code = cli_output("github", rel)
    ref = json_diagnostics(rel)["files"][0]
    cmds = parse(out)
    findings, scores = cmds[:-1], cmds[-1]
    assert scores == {
        "kind": "notice",
        "message": f"得分 {ref['score']}/100({ref['grade']}),{len(ref['diagnostics'])} 条问题",
        "file": rel,
        "title": "fzlint 得分",
    }
    assert len(findings) == len(ref["diagnostics"])
    for c, d in zip(findings, ref["diagnostics"], strict=True):
        assert (
            c["kind"] == {"error": "error", "warning": "warning", "info": "notice"}[d["severity"]]
        )
        assert c["file"] == rel
        assert (int(c["line"]), int(c["col"]), int(c["endLine"]), int(c["endColumn"])) == (
            d["line"],
            d["column"],
            d["end_line"],
            d["end_column"],
        )
        assert c["title"].startswith(d["code"] + " ")
        assert c["message"].splitlines()[0] == d["message"].splitlines()[0]
        assert "依据" in c["message"]
    assert code == (1 if any(d["severity"] == "error" for d in ref["diagnostics"]) else 0)


def test_awkward_file_names_and_cjk_columns(tmp_path: Path) -> None:
    (tmp_path / "报告,终稿:v2.txt").write_text(CJK_EXT_B_TEXT, encoding="utf-8")
    cmds = parse(cli_output("github", "报告,终稿:v2.txt", cwd=tmp_path)[0])
    placeholder = next(c for c in cmds if c.get("title", "").startswith("FZ401"))
    assert placeholder["file"] == "报告,终稿:v2.txt"
    assert (placeholder["line"], placeholder["col"], placeholder["endColumn"]) == ("1", "8", "10")


def test_no_findings_gives_only_the_score() -> None:
    cmds = parse(render("github", make_run([SEED_PATHS[0]], select=["FZ401"])))
    assert [c["kind"] for c in cmds] == ["notice"] and "0 条问题" in cmds[0]["message"]


def test_missing_file_is_an_error_annotation() -> None:
    out, code = cli_output("github", MISSING)
    assert code == 2
    (cmd,) = parse(out)
    assert cmd["kind"] == "error" and cmd["file"] == MISSING and "不存在" in cmd["message"]
