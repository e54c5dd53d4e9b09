"""fzlint.render.rdjson: reviewdog's DiagnosticResult, with UTF-8 byte columns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

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
    span_text,
)


def byte_slice(path: Path, rng: dict[str, Any]) -> str:
    """The text a reviewdog range covers, counting columns in UTF-8 bytes as reviewdog does."""
    lines = path.read_bytes().splitlines(keepends=True)
    s, e = rng["start"], rng["end"]
    if s["line"] == e["line"]:
        return lines[s["line"] - 1][s["column"] - 1 : e["column"] - 1].decode("utf-8")
    chunk = (
        lines[s["line"] - 1][s["column"] - 1 :]
        + b"".join(lines[s["line"] : e["line"] - 1])
        + lines[e["line"] - 1][: e["column"] - 1]
    )
    return chunk.decode("utf-8")


def check_shape(result: dict[str, Any]) -> None:
    assert result["source"] == {"name": "fzlint", "url": result["source"]["url"]} and result[
        "source"
    ]["url"].startswith("https://")
    for d in result["diagnostics"]:
        assert set(d) <= {"message", "location", "severity", "code", "suggestions"}
        assert isinstance(d["message"], str) and d["message"]
        assert d["severity"] in ("ERROR", "WARNING", "INFO")
        assert isinstance(d["location"]["path"], str)
        for pos in d["location"].get("range", {}).values():
            assert (
                isinstance(pos["line"], int)
                and isinstance(pos["column"], int)
                and pos["line"] >= 1
                and pos["column"] >= 1
            )


@pytest.mark.parametrize("seed_path", SEED_PATHS, ids=SEED_IDS)
def test_seed_matches_json(seed_path: Path) -> None:
    rel = str(seed_path.relative_to(ROOT))
    result = json.loads(cli_output("rdjson", rel)[0])
    check_shape(result)
    ref = json_diagnostics(rel)["files"][0]["diagnostics"]
    assert len(result["diagnostics"]) == len(ref)
    worst = min((d["severity"] for d in ref), key=["error", "warning", "info"].index)
    assert result["severity"] == worst.upper()
    for d, r in zip(result["diagnostics"], ref, strict=True):
        assert d["location"]["path"] == rel
        assert d["code"] == {"value": r["code"]}
        assert d["severity"] == r["severity"].upper()
        assert d["message"].startswith(r["message"])
        want = span_text(seed_path, r["line"], r["column"], r["end_line"], r["end_column"]).rstrip(
            "\r\n"
        )
        assert byte_slice(seed_path, d["location"]["range"]) == want


def test_fix_becomes_a_suggestion() -> None:
    result = json.loads(render("rdjson", make_run([SEED_PATHS[0]])))
    # the content rules add other fixes (P100 half-width punctuation); the heading marker is D102's
    (d,) = [d for d in result["diagnostics"] if "suggestions" in d and d["code"]["value"] == "D102"]
    (s,) = d["suggestions"]
    assert s["text"] == "(二)" and byte_slice(SEED_PATHS[0], s["range"]) == "二)"


def test_cjk_columns_are_utf8_bytes(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(CJK_EXT_B_TEXT, encoding="utf-8")
    result = json.loads(cli_output("rdjson", "r.txt", cwd=tmp_path)[0])
    d = next(d for d in result["diagnostics"] if d["code"]["value"] == "FZ401")
    # 𠀀𠀁 are 4 bytes each, 市人民政府 3 bytes each: XX starts at byte 24
    assert d["location"]["range"] == {
        "start": {"line": 1, "column": 24},
        "end": {"line": 1, "column": 26},
    }
    assert byte_slice(tmp_path / "r.txt", d["location"]["range"]) == "XX"


def test_no_findings() -> None:
    result = json.loads(render("rdjson", make_run([SEED_PATHS[0]], select=["FZ401"])))
    check_shape(result)
    assert result["diagnostics"] == [] and "severity" not in result


def test_missing_file() -> None:
    out, code = cli_output("rdjson", str(SEED_PATHS[1].relative_to(ROOT)), MISSING)
    assert code == 2
    result = json.loads(out)
    check_shape(result)
    err = result["diagnostics"][-1]
    assert (
        err["location"] == {"path": MISSING}
        and err["severity"] == "ERROR"
        and "不存在" in err["message"]
    )
    assert result["severity"] == "ERROR"
