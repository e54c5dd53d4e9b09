""".doc, .wps, .rtf and .odt through LibreOffice: same findings as the Word original, one
LibreOffice start for a folder, the cache, time limits, and clear messages without LibreOffice."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

from fzlint.ingest.convert import OLE_MAGIC, sniff
from tests.conftest import run_cli, seed
from tests.docmaker import require_soffice, seed_body, write_docx, write_html

KINDS = ("doc", "rtf", "odt")
# The start of a Word binary file (an OLE container naming its WordDocument stream), no content.
FAKE_DOC = OLE_MAGIC + "WordDocument".encode("utf-16-le") + b"\0" * 512


def soffice_convert(files: list[Path], fmt: str, outdir: Path) -> list[Path]:
    """What a user's LibreOffice (or Word) would write: `soffice --convert-to FMT` with its own profile."""
    exe = require_soffice()
    subprocess.run(
        [exe, f"-env:UserInstallation={(outdir / 'mk-profile').as_uri()}", "--headless", "--norestore", "--convert-to", fmt,
         "--outdir", str(outdir), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )
    out = [outdir / f"{f.stem}.{fmt}" for f in files]
    for f in out:
        assert f.is_file(), f"LibreOffice did not write {f}"
    return out


def _json(*paths: Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[dict[str, dict], str]:  # type: ignore[type-arg]
    proc = run_cli("--format", "json", "--exit-zero", *map(str, paths), env=env, cwd=cwd)
    return {r["path"]: r for r in json.loads(proc.stdout)["files"]}, proc.stderr.decode()


def _findings(r: dict) -> list[tuple]:  # type: ignore[type-arg]
    return [(d["code"], d["message"], d["line"], d["column"], d["end_line"], d["end_column"]) for d in r["diagnostics"]]


def _content(r: dict) -> list[tuple]:  # type: ignore[type-arg]
    """The findings that are not about the Word layout (GB/T 9704): those are checked on .docx only."""
    return [f for f in _findings(r) if not _is_layout(f[0])]


def _is_layout(code: str) -> bool:
    return code.startswith("L1")


def _elements(r: dict) -> dict[str, tuple]:  # type: ignore[type-arg]
    return {k: (v["status"], v["evidence"], v["line"]) for k, v in r["elements"].items()}


def _logging_soffice(folder: Path) -> tuple[Path, Path]:
    """A `soffice` that notes each start in a log, then runs the real one."""
    real = require_soffice()
    log = folder / "starts.log"
    script = folder / "soffice-logged"
    script.write_text(f'#!/bin/sh\necho start >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return script, log


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[str, dict]], str]:  # type: ignore[type-arg]
    """{variant: {kind: JSON result}} for seeds 003 and 004 (typed and Word-numbered headings)
    written with python-docx and saved by LibreOffice as .doc, .rtf and .odt; the .doc also as .wps."""
    out = tmp_path_factory.mktemp("convert")
    docx = [
        write_docx(seed_body(seed("003")), out / "003.docx"),
        write_docx(seed_body(seed("004")), out / "004.docx"),
        write_docx(seed_body(seed("004")), out / "004-auto.docx", auto_numbering=True),
    ]
    files: dict[str, dict[str, Path]] = {d.stem: {"docx": d} for d in docx}
    for kind in KINDS:
        for f in soffice_convert(docx, kind, out):
            files[f.stem][kind] = f
    for v in files.values():
        v["wps"] = v["doc"].with_suffix(".wps")
        shutil.copy(v["doc"], v["wps"])
    results, err = _json(*(p for v in files.values() for p in v.values()), env={"FZLINT_CACHE_DIR": str(out / "cache")})
    return {name: {k: results[str(p)] for k, p in v.items()} for name, v in files.items()}, err


# Not 004-auto as .rtf: LibreOffice's RTF export writes a list level's text in the ANSI code page,
# so the file made here already reads `一?主要做法和成效` (Word's own RTF keeps `一、`).
@pytest.mark.parametrize(("variant", "kind"), [(v, k) for v in ("003", "004", "004-auto") for k in ("doc", "wps", "rtf", "odt") if (v, k) != ("004-auto", "rtf")])
def test_same_findings_as_the_word_original(converted: tuple, variant: str, kind: str) -> None:  # type: ignore[type-arg]
    results, _ = converted
    ref, got = results[variant]["docx"], results[variant][kind]
    assert _elements(got) == _elements(ref)
    assert got["report"] == ref["report"]
    if kind in ("doc", "wps") and variant == "004-auto":
        # LibreOffice's .doc export writes Word-numbered headings with the list level's indent
        # (start 0, hanging 0) and drops the paragraphs' own first-line indent: the .doc really is
        # indented 0, which L109 says; everything else is the same
        assert [f for f in _findings(got) if f[0] != "L109"] == _findings(ref)
        assert [f[2] for f in _findings(got) if f[0] == "L109"] == [3]
    elif kind in ("doc", "wps"):  # Word's own formats: the layout (GB/T 9704) is checked too
        assert _findings(got) == _findings(ref) and got["score"] == ref["score"]
    else:  # .rtf/.odt: the layout rules are for Word files only, and the note says so
        assert _findings(got) == _content(ref) and _content(ref) != _findings(ref)
        assert got["score"] > ref["score"]
        assert any("版式" in n and "未检查" in n for n in got["notes"])
    assert got["converted_from"] == kind
    assert got["converter"].startswith("LibreOffice ")
    assert any("LibreOffice" in n for n in got["notes"])
    assert "converted_from" not in ref


def test_the_comparison_is_not_vacuous(converted: tuple) -> None:  # type: ignore[type-arg]
    results, err = converted
    for variant in ("003", "004", "004-auto"):
        ref = results[variant]["docx"]
        assert ref["diagnostics"] and any(v["status"] == "heading" for v in ref["elements"].values())
    assert "已由 LibreOffice 转换为 .docx 后检查" in err
    # the .wps really is Word's binary format (what WPS Office writes), read as a .doc
    assert results["004"]["wps"]["converted_from"] == "wps"


def test_text_output_says_converted(tmp_path: Path) -> None:
    doc = soffice_convert([write_docx(seed_body(seed("004")), tmp_path / "r.docx")], "doc", tmp_path)[0]
    proc = run_cli(str(doc), env={"FZLINT_CACHE_DIR": str(tmp_path / "cache")})
    out = proc.stdout.decode()
    assert f"── {doc} (已由 LibreOffice 转换) (" in out
    assert f"{doc}:" in out  # findings point into the converted paragraphs


def test_a_folder_starts_libreoffice_once_and_the_cache_spares_the_next_run(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    docs = soffice_convert([write_docx(seed_body(seed(s)), src / f"{s}.docx") for s in ("001", "003", "004")], "doc", src)
    folder = tmp_path / "reports"
    folder.mkdir()
    for d in docs:
        shutil.copy(d, folder / d.name)
    script, log = _logging_soffice(tmp_path)
    (folder / "fzlint.toml").write_text(f'soffice = "{script}"\n', encoding="utf-8")
    env = {"FZLINT_CACHE_DIR": str(tmp_path / "cache")}
    first = run_cli("-q", str(folder), env=env)
    assert first.returncode in (0, 1), first.stderr.decode()
    assert log.read_text().count("start") == 1  # three files, one LibreOffice start
    second = run_cli("-q", str(folder), env=env)
    assert log.read_text().count("start") == 1  # all three from the cache
    assert first.stdout == second.stdout and len(first.stdout.decode().splitlines()) == 3
    cached = list((tmp_path / "cache" / "converted").glob("*.docx"))
    assert len(cached) == 3
    assert stat.S_IMODE((tmp_path / "cache" / "converted").stat().st_mode) == 0o700
    # -j 2 prints the same
    assert run_cli("-q", "-j", "2", str(folder), env=env).stdout == first.stdout
    # --no-cache converts again (one start for the three)
    run_cli("-q", "--no-cache", str(folder), env=env)
    assert log.read_text().count("start") == 2
    # a .docx planted in the cache (not signed with this user's key, fzlint.cachedir) is not read:
    # the file is converted again and scores as before
    planted = cached[0]
    planted.write_bytes(write_docx(["2099年度报告", "一、已替换"], tmp_path / "planted.docx").read_bytes())
    third = run_cli("-q", str(folder), env=env)
    assert log.read_text().count("start") == 3 and third.stdout == first.stdout, third.stdout.decode()


def test_a_broken_file_in_the_batch_gets_its_message_and_the_others_are_scored(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    docs = soffice_convert([write_docx(seed_body(seed(s)), src / f"{s}.docx") for s in ("003", "004")], "doc", src)
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(docs[0], folder / "a.doc")
    broken = bytearray(docs[1].read_bytes())
    broken[0x4C : 0x4C + 436] = b"\xff" * 436  # the header's sector table emptied: LibreOffice cannot load it
    (folder / "b.doc").write_bytes(bytes(broken))
    shutil.copy(docs[1], folder / "c.doc")
    (folder / "d.doc").write_bytes(OLE_MAGIC + os.urandom(4096))  # an Office file without a Word stream
    (folder / "e.doc").write_bytes(docs[1].read_bytes()[:9000])  # cut short: the stream directory is gone
    proc = run_cli("-q", str(folder), env={"FZLINT_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 2
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "a.doc:" in out and "c.doc:" in out and "b.doc" not in out and "d.doc" not in out
    assert "b.doc" in err and "LibreOffice 无法打开这个文件" in err and "Traceback" not in err
    assert "d.doc" in err and "不是 Word 文档" in err
    assert "e.doc" in err and "或文件已损坏" in err


def test_time_limit_stops_libreoffice(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    fake = tmp_path / "soffice-hangs"
    fake.write_text(f'#!/bin/sh\necho $$ > "{pidfile}"\nexec sleep 60\n', encoding="utf-8")
    fake.chmod(0o755)
    # a relative path is relative to the config file's folder (the run's cwd is elsewhere)
    (tmp_path / "fzlint.toml").write_text('soffice = "./soffice-hangs"\nsoffice-timeout = 1\n', encoding="utf-8")
    doc = tmp_path / "r.doc"
    doc.write_bytes(FAKE_DOC)
    t = time.monotonic()
    proc = run_cli(str(doc), env={"FZLINT_CACHE_DIR": str(tmp_path / "cache")})
    assert time.monotonic() - t < 20
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "转换超时(超过 1 秒)" in err and "soffice-timeout" in err and "Traceback" not in err
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the child was killed, not left behind


def test_without_libreoffice_each_file_gets_the_install_hint(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    body = seed_body(seed("004"))
    (tmp_path / "a.txt").write_text("\n".join(body), encoding="utf-8")
    for name in ("b.doc", "c.wps", "d.rtf", "e.odt"):
        (tmp_path / name).write_bytes(FAKE_DOC if name.endswith((".doc", ".wps")) else b"{\\rtf1 x}" if name.endswith(".rtf") else b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text")
    proc = run_cli("-q", str(tmp_path), env={"PATH": str(empty), "FZLINT_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 2
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "a.txt:" in out
    lines = [ln for ln in err.splitlines() if "没有找到 LibreOffice" in ln]
    assert len(lines) == 4  # one line each
    for name in ("b.doc", "c.wps", "d.rtf", "e.odt"):
        assert any(name in ln and "apt install libreoffice-writer-nogui" in ln for ln in lines), err
    en = run_cli("--lang", "en", str(tmp_path / "b.doc"), env={"PATH": str(empty)}).stderr.decode()
    assert "apt install libreoffice-writer-nogui" in en and "Traceback" not in en


def test_a_configured_soffice_that_is_not_there(tmp_path: Path) -> None:
    (tmp_path / "fzlint.toml").write_text('soffice = "/nonexistent/soffice"\n', encoding="utf-8")
    doc = tmp_path / "r.doc"
    doc.write_bytes(FAKE_DOC)
    proc = run_cli(str(doc))
    assert proc.returncode == 2
    assert "配置项 soffice" in proc.stderr.decode() and "/nonexistent/soffice" in proc.stderr.decode()


def test_files_that_are_not_what_their_name_says(tmp_path: Path) -> None:
    body = seed_body(seed("004"))
    docx = write_docx(body, tmp_path / "r.docx")
    (tmp_path / "renamed.doc").write_bytes(docx.read_bytes())  # a .docx named .doc
    write_html(body, tmp_path / "page.doc")  # Word's "web page" saved as .doc
    results, err = _json(docx, tmp_path / "renamed.doc", tmp_path / "page.doc")
    ref = results[str(docx)]
    assert _findings(results[str(tmp_path / "renamed.doc")]) == _findings(ref)  # layout too: it is a .docx
    assert "converted_from" not in results[str(tmp_path / "renamed.doc")]
    assert results[str(tmp_path / "renamed.doc")]["score"] == ref["score"]
    assert _findings(results[str(tmp_path / "page.doc")]) == _content(ref)
    assert "实际上是 Word .docx 格式" in err and "实际上是网页" in err


def test_a_doc_named_docx_and_an_encrypted_docx(tmp_path: Path) -> None:
    doc = soffice_convert([write_docx(seed_body(seed("004")), tmp_path / "r.docx")], "doc", tmp_path)[0]
    (tmp_path / "old.docx").write_bytes(doc.read_bytes())
    results, _ = _json(tmp_path / "r.docx", tmp_path / "old.docx", env={"FZLINT_CACHE_DIR": str(tmp_path / "cache")})
    assert _findings(results[str(tmp_path / "old.docx")]) == _findings(results[str(tmp_path / "r.docx")])
    assert results[str(tmp_path / "old.docx")]["converted_from"] == "doc"
    (tmp_path / "locked.docx").write_bytes(OLE_MAGIC + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    proc = run_cli(str(tmp_path / "locked.docx"))
    assert proc.returncode == 2 and "已加密" in proc.stderr.decode()


def test_sniffing() -> None:
    assert sniff(OLE_MAGIC + "WordDocument".encode("utf-16-le"), ".wps") == ".doc"
    assert sniff(OLE_MAGIC + "CONTENTS".encode("utf-16-le"), ".wps") == ".wps"  # Microsoft Works: its own filter
    assert sniff(OLE_MAGIC + "Workbook".encode("utf-16-le"), ".doc") == "not-word"  # an .xls named .doc
    assert sniff(b"\xef\xbb\xbf{\\rtf1\\ansi}", ".doc") == ".rtf"
    assert sniff(b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.text", ".odt") == ".odt"
    assert sniff(b"PK\x03\x04 word/document.xml", ".doc") == "docx"
    assert sniff(b"<html><body>x</body></html>", ".doc") == "html"
    assert sniff(b"\x00\x01garbage", ".rtf") == ".rtf"
    assert sniff("2021年度报告\n一、主要举措".encode("gb18030"), ".doc") == "text"  # plain text named .doc
    assert sniff(b"\x00\x01garbage", ".doc") == ".doc"  # not text: LibreOffice decides


def test_a_cache_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    doc = soffice_convert([write_docx(seed_body(seed("004")), tmp_path / "r.docx")], "doc", tmp_path)[0]
    cache = tmp_path / "shared-cache"
    cache.mkdir()
    cache.chmod(0o777)
    proc = run_cli("-q", str(doc), env={"FZLINT_CACHE_DIR": str(cache)})
    assert proc.returncode in (0, 1), proc.stderr.decode()
    assert not list(cache.rglob("*.docx"))  # converted all the same, but nothing kept there


def test_a_folder_of_every_format_is_scored_in_every_output_format(tmp_path: Path) -> None:
    from tests.docmaker import docx_to_pdf
    from tests.ofdmaker import write_ofd

    body = seed_body(seed("004"))
    folder = tmp_path / "收到的报告"
    folder.mkdir()
    (folder / "a.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    docx = write_docx(body, folder / "b.docx")
    made = tmp_path / "made"
    made.mkdir()
    for kind, name in (("doc", "c.doc"), ("rtf", "e.rtf"), ("odt", "f.odt")):
        shutil.copy(soffice_convert([docx], kind, made)[0], folder / name)
    shutil.copy(folder / "c.doc", folder / "d.wps")
    write_ofd(body, folder / "g.ofd")
    shutil.copy(docx_to_pdf([docx], made)[0], folder / "h.pdf")
    names = sorted(p.name for p in folder.iterdir())
    env = {"FZLINT_CACHE_DIR": str(tmp_path / "cache")}
    results, _ = _json(folder, env=env)
    assert sorted(Path(p).name for p in results) == names
    # the same report in eight formats: the same findings, and the Word files (.docx/.doc/.wps) also
    # those about their layout: two scores
    word = {r["score"] for p, r in results.items() if p.endswith((".docx", ".doc", ".wps"))}
    rest = {r["score"] for p, r in results.items() if not p.endswith((".docx", ".doc", ".wps"))}
    assert len(word) == 1 and len(rest) == 1 and word != rest
    assert {tuple(_content(r)) == tuple(_content(results[str(docx)])) for r in results.values()} == {True}
    for fmt in ("text", "sarif", "github", "junit", "rdjson", "html"):
        proc = run_cli("--format", fmt, str(folder), env=env)
        assert proc.returncode in (0, 1), (fmt, proc.stderr.decode())
        out = proc.stdout.decode()
        for name in names:
            assert name in out, (fmt, name)
