"""The precision corpus and its benchmark: the manifest matches the files, the corpus is as varied
as issue #12 asks, and benchmarks/precision.py classifies findings as documented."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import precision

CORPUS = ROOT / "tests" / "fixtures" / "precision"
ENTRIES = precision.load_manifest(CORPUS)
CODE = re.compile(r"^(?:FZ|D|P|N)\d{3}$")


def _text(path: Path, encoding: str) -> str:
    return path.read_bytes().decode(encoding).replace("\r\n", "\n")


def test_every_report_is_in_the_manifest_once() -> None:
    names = [e["file"] for e in ENTRIES]
    assert len(names) == len(set(names))
    on_disk = {p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".md")}
    assert on_disk == set(names)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["file"])
def test_encoding_newlines_and_planted_lines_are_as_stated(entry: dict) -> None:
    path = CORPUS / entry["file"]
    raw = path.read_bytes()
    if entry["encoding"] == "utf-8":
        raw.decode("utf-8")
    else:
        assert entry["encoding"] == "gb18030"
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")  # really GB18030, not UTF-8 that happens to decode
    crlf = raw.count(b"\r\n")
    assert (crlf == raw.count(b"\n")) if entry["newline"] == "crlf" else crlf == 0
    text = _text(path, entry["encoding"])
    assert len(re.sub(r"\s", "", text)) >= 2000, "a complete report, not a fragment"
    lines = text.split("\n")
    for p in entry.get("planted") or ():
        assert CODE.match(p["code"]), p
        assert p["text"] in lines[p["line"] - 1], (p, lines[p["line"] - 1][:60])
        assert p["what"]
        assert p.get("scope", "line") in ("line", "report")


def test_the_corpus_is_as_varied_as_the_issue_asks() -> None:
    clean = [e for e in ENTRIES if e["clean"]]
    defect = [e for e in ENTRIES if not e["clean"]]
    assert len(ENTRIES) >= 24 and len(clean) >= 12 and len(defect) >= 10
    assert {e["year"] for e in ENTRIES} >= set(range(2019, 2026))
    assert {e["year"] for e in clean} >= set(range(2019, 2026))
    assert len({e["department"] for e in ENTRIES if e["department"]}) >= 5
    assert {"省", "地级市", "县", "区", "乡镇", "街道"} <= {e["level"] for e in ENTRIES}
    assert {".md", ".txt"} <= {Path(e["file"]).suffix for e in ENTRIES}
    assert 2 <= sum(e["encoding"] == "gb18030" for e in ENTRIES) <= 4
    assert all(1 <= len(e["planted"]) <= 4 for e in defect)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["clean"]], ids=lambda e: e["file"])
def test_clean_reports_cite_the_right_outline_and_are_signed_in_the_next_year(entry: dict) -> None:
    text = _text(CORPUS / entry["file"], entry["encoding"])
    year = entry["year"]
    editions = set(re.findall(r"实施纲要（(\d{4}—\d{4})年）", text))
    assert editions <= ({"2015—2020"} if year <= 2020 else {"2021—2025"})
    signed = re.findall(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", text, re.MULTILINE)
    assert signed and int(signed[-1][0]) == year + 1 and int(signed[-1][1]) <= 3


def _entry(planted: list[dict] | None = None) -> dict:
    return {"file": "x.txt", "clean": not planted, "planted": planted or []}


def test_classify_counts_line_tolerance_scope_and_infos() -> None:
    F = precision.Found
    e = _entry([{"code": "FZ503", "line": 10, "what": "a"}, {"code": "FZ102", "line": 1, "what": "b", "scope": "report"}, {"code": "FZ801", "line": 20, "what": "c"}])
    o = precision.classify(
        e,
        [
            F("FZ503", 11, "warning", ""),  # within ±1
            F("FZ503", 13, "warning", ""),  # same code, too far: a false alarm
            F("FZ102", 40, "error", ""),  # report scope: any line
            F("FZ801", 20, "info", ""),  # planted, but only an info
            F("FZ122", 5, "info", ""),  # an unrelated info
        ],
    )
    assert [(f.code, f.line) for f in o.expected] == [("FZ503", 11), ("FZ102", 40)]
    assert [(f.code, f.line) for f in o.unexpected] == [("FZ503", 13)]
    assert [p.code for p in o.found] == ["FZ503", "FZ102"]
    assert [p.code for p in o.as_info] == ["FZ801"]
    assert o.missed == [] and [f.code for f in o.infos] == ["FZ122"]
    assert not o.exact
    clean = precision.classify(_entry(), [F("P101", 3, "warning", ""), F("FZ122", 5, "info", "")])
    assert len(clean.unexpected) == 1 and clean.infos and not clean.exact
    t = precision.totals([o, clean])
    assert (t["expected"], t["unexpected"], t["planted"], t["planted_found"], t["planted_as_info"]) == (2, 2, 3, 2, 1)
    assert t["precision"] == 0.5 and t["recall"] == round(2 / 3, 3)


def test_manifest_errors_are_reported(tmp_path: Path) -> None:
    (tmp_path / "manifest.yaml").write_text("files:\n- file: a.txt\n  clean: false\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lists no planted defect"):
        precision.load_manifest(tmp_path)
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "precision.py"), "--corpus", str(tmp_path)], check=False, capture_output=True)
    assert proc.returncode == 2 and b"no planted defect" in proc.stderr


def test_the_script_runs_on_another_corpus_and_prints_json(tmp_path: Path) -> None:
    src = (CORPUS / "d01_county_2022.txt").read_text(encoding="utf-8")
    (tmp_path / "one.txt").write_text(src, encoding="utf-8")
    (tmp_path / "two.txt").write_text(src.replace("2021-2025年", "2021—2025年"), encoding="utf-8")
    n102 = next(p for p in next(e for e in ENTRIES if e["file"] == "d01_county_2022.txt")["planted"] if p["code"] == "N102")
    manifest = {
        "files": [
            {"file": "one.txt", "clean": False, "planted": [{"code": "N102", "line": n102["line"], "what": "短横线"}]},
            {"file": "two.txt", "clean": False, "planted": [{"code": "N102", "line": n102["line"], "what": "已改正，应漏报"}]},
        ]
    }
    (tmp_path / "manifest.yaml").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "precision.py"), "--corpus", str(tmp_path), "--json"], check=False, capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    files = {f["file"]: f for f in doc["files"]}
    assert [p["code"] for p in files["one.txt"]["found"]] == ["N102"]
    assert [p["code"] for p in files["two.txt"]["missed"]] == ["N102"]
    assert doc["rules"]["N102"]["planted"] == 2 and doc["rules"]["N102"]["missed"] == 1
    text = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "precision.py"), "--corpus", str(tmp_path)], check=False, capture_output=True, timeout=300)
    assert text.returncode == 0 and b"| N102 |" in text.stdout and b"recall 50.0%" in text.stdout
