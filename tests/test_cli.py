"""The fzlint command as a user runs it: exit codes, JSON shape, stdin, folders, rules, explain."""

from __future__ import annotations

import json
import re

import jsonschema

from tests.conftest import FIXTURES, ROOT, run_cli, seed

SCHEMA = json.loads((ROOT / "docs" / "schema" / "fzlint-output.schema.json").read_text(encoding="utf-8"))


def test_json_shape_on_all_seeds() -> None:
    proc = run_cli("--format", "json", "seeds/")
    data = json.loads(proc.stdout)
    jsonschema.validate(data, SCHEMA)
    assert len(data["files"]) == 5
    assert proc.returncode == 1  # some seeds have error-level findings


def test_json_positions_point_at_the_quoted_text() -> None:
    proc = run_cli("--format", "json", str(seed("004")))
    f = json.loads(proc.stdout)["files"][0]
    lines = seed("004").read_text(encoding="utf-8").splitlines()
    d = next(d for d in f["diagnostics"] if d["code"] == "FZ312")
    assert lines[d["line"] - 1][d["column"] - 1 : d["end_column"] - 1] == "2021年12月2日"
    el = f["elements"]["problems"]
    assert lines[el["line"] - 1].strip() == el["evidence"]


def test_exit_codes() -> None:
    assert run_cli(str(FIXTURES / "dept_clean_2022.txt")).returncode == 0
    assert run_cli(str(seed("003"))).returncode == 1
    assert run_cli("--exit-zero", str(seed("003"))).returncode == 0
    assert run_cli("--fail-under", "99", str(FIXTURES / "township_2023.txt")).returncode == 0
    assert run_cli("--fail-under", "99", str(seed("001"))).returncode == 1
    missing = run_cli("no-such-report.txt")
    assert missing.returncode == 2 and "不存在" in missing.stderr.decode()
    assert b"Traceback" not in missing.stderr


def test_english_errors_and_usage_error() -> None:
    p = run_cli("--lang", "en", "no-such-report.txt")
    assert p.returncode == 2 and "No such file" in p.stderr.decode()
    p = run_cli("--no-such-option", "x.txt")
    assert p.returncode == 2 and "命令行参数错误" in p.stderr.decode() and b"Traceback" not in p.stderr


def test_stdin_with_and_without_name() -> None:
    data = (FIXTURES / "township_2023.txt").read_bytes()
    p = run_cli("--format", "json", "-", input=data)
    assert json.loads(p.stdout)["files"][0]["path"] == "<stdin>"
    p = run_cli("--format", "json", "-", "--stdin-filename", "青石镇.txt", input=data)
    f = json.loads(p.stdout)["files"][0]
    assert f["path"] == "青石镇.txt" and f["score"] == 100


def test_folder_is_walked_recursively(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "r.txt").write_bytes(seed("001").read_bytes())
    (tmp_path / "a" / "draft.md").write_bytes((FIXTURES / "county_2020_defects.md").read_bytes())
    (tmp_path / "a" / "picture.png").write_bytes(b"\x89PNG....")
    p = run_cli("--format", "json", str(tmp_path))
    paths = sorted(f["path"].replace(str(tmp_path), "") for f in json.loads(p.stdout)["files"])
    assert paths == ["/a/b/r.txt", "/a/draft.md"]


def test_select_and_ignore() -> None:
    p = run_cli("--format", "json", "--select", "D1", str(seed("003")))
    assert {d["code"] for d in json.loads(p.stdout)["files"][0]["diagnostics"]} == {"D101"}
    p = run_cli("--format", "json", "--ignore", "FZ1,D", str(seed("003")))
    found = {d["code"] for d in json.loads(p.stdout)["files"][0]["diagnostics"]}
    assert found and not any(c.startswith(("FZ1", "D")) for c in found)
    # the element table is still filled when its rules are ignored
    assert json.loads(p.stdout)["files"][0]["elements"]["problems"]["status"] == "missing"


def test_text_output_rustc_style() -> None:
    p = run_cli(str(seed("003")))
    out = p.stdout.decode()
    assert "错误[FZ102]: 缺少“存在的不足和原因”部分" in out
    assert re.search(r"--> .*003_73690c4c2a990550\.txt:\d+:\d+", out)
    assert "修改建议:" in out and "依据:" in out
    assert "必备部分" in out and "得分" in out


def test_cjk_underline_is_aligned() -> None:
    p = run_cli(str(seed("004")), "--select", "FZ312")
    lines = p.stdout.decode().splitlines()
    i = next(k for k, line in enumerate(lines) if "2021年12月2日" in line and "|" in line)
    src, marks = lines[i], lines[i + 1]
    from rich.cells import cell_len

    col = cell_len(src[: src.index("2021年12月2日")])
    assert cell_len(marks[: marks.index("^")]) == col
    assert marks.count("^") == cell_len("2021年12月2日")


def test_rules_and_explain() -> None:
    p = run_cli("rules")
    out = p.stdout.decode()
    assert p.returncode == 0 and "FZ102" in out and "D101" in out
    rules = json.loads(run_cli("rules", "--format", "json").stdout)
    assert all(r["source"] for r in rules)
    p = run_cli("explain", "fz103")
    out = p.stdout.decode()
    assert "## 依据" in out and "督察工作规定" in out and "## 示例(会报告)" in out
    p = run_cli("explain", "FZ999")
    assert p.returncode == 2 and "没有规则" in p.stderr.decode()


def test_python_dash_m_and_version() -> None:
    p = run_cli("--version")
    assert p.returncode == 0 and p.stdout.decode().startswith("fzlint ")


def test_verbose_reports_stripped_noise() -> None:
    p = run_cli("-v", str(seed("004")), "--select", "FZ312")
    assert "已去除页面内容(脚本/网页代码)" in p.stdout.decode()


def test_verbose_notes_skipped_files_in_mixed_folders(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "r.txt").write_bytes(seed("001").read_bytes())
    (tmp_path / "photo.gif").write_bytes(b"GIF89a....")  # .png/.jpg/.tif are scans: read by OCR
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04")
    p = run_cli("-q", "-v", str(tmp_path))
    err = p.stderr.decode()
    assert "跳过不支持的文件类型" in err and "photo.gif" in err and "notes.xlsx" in err
    assert p.returncode == 0
    assert "photo.gif" not in run_cli("-q", str(tmp_path)).stderr.decode()
