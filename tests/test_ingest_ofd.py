"""OFD (GB/T 33190): reading order, furniture, paragraphs, other tools' files, hostile packages."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest

from fzlint.errors import InputError
from fzlint.ingest import load_path
from fzlint.ingest.ofd import _SPACE_BY_CJK, deltas, read_ofd
from tests.conftest import FIXTURES, run_cli, seed
from tests.docmaker import seed_body
from tests.ofdmaker import build, layout, pack, write_ofd

OFD_FIXTURES = FIXTURES / "ofd"
MODES = ("line", "gline", "char", "ctm", "shuffled")


def _json(*paths: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    proc = run_cli("--format", "json", "--exit-zero", *map(str, paths))
    assert proc.returncode == 0, proc.stderr.decode()
    return {r["path"]: r for r in json.loads(proc.stdout)["files"]}


def _same(got: dict, ref: dict, positions: bool = True) -> None:  # type: ignore[type-arg]
    keys = ("code", "message", "line", "column", "end_line", "end_column") if positions else ("code", "message")
    assert [tuple(d[k] for k in keys) for d in got["diagnostics"]] == [tuple(d[k] for k in keys) for d in ref["diagnostics"]]
    assert {k: (v["status"], v["evidence"], v["line"] if positions else None) for k, v in got["elements"].items()} == {
        k: (v["status"], v["evidence"], v["line"] if positions else None) for k, v in ref["elements"].items()
    }
    assert got["report"] == ref["report"]
    assert got["score"] == ref["score"]


# ---- our own writer: five ways of writing the same pages -----------------------------------------
@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict]]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("ofd")
    paths: dict[str, dict[str, Path]] = {}
    for s in ("001", "003", "004"):
        body = seed_body(seed(s))
        txt = out / f"{s}.txt"
        txt.write_text("\n".join(body) + "\n", encoding="utf-8")
        paths[s] = {"txt": txt, **{m: write_ofd(body, out / f"{s}-{m}.ofd", mode=m) for m in MODES}}
    results = _json(*(p for f in paths.values() for p in f.values()))
    return {s: {k: results[str(p)] for k, p in f.items()} for s, f in paths.items()}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("s", ["001", "003", "004"])
def test_same_findings_as_the_text(own: dict, s: str, mode: str) -> None:  # type: ignore[type-arg]
    _same(own[s][mode], own[s]["txt"])


def test_the_pages_really_are_several_and_broken_inside_paragraphs() -> None:
    body = seed_body(seed("001"))
    pages = layout(body)
    assert len(pages) >= 3
    printed = sum(len(p) for p in pages)
    assert printed > len(body) * 1.5  # most paragraphs take several printed lines
    src = read_ofd(pack(build(body)), "r.ofd")
    # page numbers and the template's header are gone, paragraphs joined; a space next to a Chinese
    # character is layout in a fixed-layout file and is dropped (the seed has `纠纷 872 起`)
    assert src.text.split("\n") == [_SPACE_BY_CJK.sub("", ln) for ln in body]
    assert src.meta["ofd_pages"] == str(len(pages))


def test_each_paragraph_keeps_its_page(own: dict) -> None:  # type: ignore[type-arg]
    body = seed_body(seed("001"))
    pages = layout(body)
    src = read_ofd(pack(build(body)), "r.ofd")
    of_line = [int(p) for p in src.meta["page_of_line"].split(",")]
    assert len(of_line) == src.line_count
    assert of_line == sorted(of_line) and of_line[0] == 1 and max(of_line) >= len(pages) - 1
    printed = ["".join(text.rstrip("\x00") for text, *_ in page) for page in pages]
    for text, page in zip(src.text.split("\n"), of_line):
        assert text[:12] in printed[page - 1]  # the paragraph's beginning is printed on that page
    # JSON diagnostics carry it (text files have no pages)
    got, ref = own["001"]["line"], own["001"]["txt"]
    assert all("page" in d for d in got["diagnostics"]) and got["diagnostics"]
    assert [of_line[d["line"] - 1] for d in got["diagnostics"]] == [d["page"] for d in got["diagnostics"]]
    assert not any("page" in d for d in ref["diagnostics"])


def test_text_placed_by_position_not_by_file_order() -> None:
    body = seed_body(seed("004"))
    assert read_ofd(pack(build(body, mode="shuffled")), "r.ofd").text == read_ofd(pack(build(body)), "r.ofd").text


@pytest.mark.parametrize("mode", MODES)
def test_another_reader_reads_the_test_writer_the_same(tmp_path: Path, mode: str) -> None:
    """ofdkit, an independent OFD reader, gets the same text from the files tests/ofdmaker.py
    writes: the writer follows the standard, not only this reader's idea of it."""
    import re

    if os.environ.get("CI"):
        import ofdkit  # the test extra installs it: never skipped in CI
    else:
        ofdkit = pytest.importorskip("ofdkit", reason="pip install -e '.[test]' installs ofdkit")
    body = seed_body(seed("001"))
    path = write_ofd(body, tmp_path / "r.ofd", mode=mode)
    lines = [ln for ln in ofdkit.extract_text(str(path)).splitlines()
             if ln.strip() and not re.fullmatch(r"\s*—\s*\d+\s*—\s*", ln) and ln.strip() != "XX县人民政府办公室"]
    assert re.sub(r"\s+", "", "".join(lines)) == re.sub(r"\s+", "", "".join(body))
    assert re.sub(r"\s+", "", read_ofd(path.read_bytes(), "r.ofd").text) == re.sub(r"\s+", "", "".join(body))


def test_delta_lists() -> None:
    assert deltas("g 3 2.5 1 g 2 4", 10) == [2.5, 2.5, 2.5, 1.0, 4.0, 4.0]
    assert deltas("g 1000000000 1", 4) == [1.0] * 4  # a huge repeat costs only what is needed
    assert deltas("1 2 x 3", 5) == [1.0, 2.0]  # stops at garbage
    assert deltas("nan inf 1", 3) == []
    assert deltas(None, 3) == [] and deltas("1 2", 0) == []


# ---- files made by other tools -----------------------------------------------------------------------
def test_easyofd_seed_file_reads_as_the_text(tmp_path: Path) -> None:
    body = seed_body(seed("003"))
    txt = tmp_path / "003.txt"
    txt.write_text("\n".join(body) + "\n", encoding="utf-8")
    ofd = OFD_FIXTURES / "seed003-easyofd.ofd"
    results = _json(txt, ofd)
    _same(results[str(ofd)], results[str(txt)])
    src = load_path(ofd)
    assert src.meta["ofd_pages"] == "8"
    assert "XX市人民政府办公室文件" not in src.text  # the running header of every page
    assert "- 3 -" not in src.text


def test_easyofd_township_file(tmp_path: Path) -> None:
    lines = [ln.strip().lstrip("\u3000") for ln in (FIXTURES / "township_2023.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    txt = tmp_path / "t.txt"
    txt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ofd = OFD_FIXTURES / "township_2023-easyofd.ofd"
    results = _json(txt, ofd)
    # one page: its running header cannot be told from text (as for a one-page PDF), so lines shift by one
    _same(results[str(ofd)], results[str(txt)], positions=False)
    assert load_path(ofd).text.split("\n")[1:] == lines


def test_outlines_only_file_is_refused_like_a_scan() -> None:
    proc = run_cli(str(OFD_FIXTURES / "township_2023-pdf2ofd-outlines.ofd"))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "没有文字层" in err and "OCR" in err and "Traceback" not in err


# ---- damaged and hostile packages ---------------------------------------------------------------------
def _members() -> dict[str, bytes]:
    return build(seed_body(seed("004")))


def _refused(data: bytes, *words: str) -> str:
    with pytest.raises(InputError) as exc:
        read_ofd(data, "bad.ofd")
    msg = exc.value.message("zh")
    for w in words:
        assert w in msg, msg
    return msg


def test_not_a_zip() -> None:
    _refused(b"%PDF-1.7 not an ofd", "不是有效的 OFD")
    _refused(b"PK\x03\x04 truncated", "已损坏")


@pytest.mark.parametrize(("drop", "word"), [("OFD.xml", "OFD.xml"), ("Doc_0/Document.xml", "Document.xml")])
def test_missing_parts(drop: str, word: str) -> None:
    m = _members()
    del m[drop]
    _refused(pack(m), "不完整", word)


def test_missing_page_is_a_note() -> None:
    m = _members()
    pages = sorted(k for k in m if k.startswith("Doc_0/Pages/"))
    assert len(pages) >= 2
    del m[pages[-1]]
    src = read_ofd(pack(m), "r.ofd")
    assert any("内容文件缺失" in n for n in src.notes)


def test_zip_bomb_refused_before_inflating() -> None:
    m = _members()
    m["Doc_0/Pages/Page_0/Content.xml"] = b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>"
    data = pack(m)
    assert len(data) < 2 * 1024 * 1024
    t = time.perf_counter()
    _refused(data, "压缩")
    assert time.perf_counter() - t < 2


def test_member_larger_than_declared_is_stopped() -> None:
    m = _members()
    m["Doc_0/Pages/Page_0/Content.xml"] = b"<ofd:Page xmlns:ofd='x'>" + b"<!-- -->" * 400_000 + b"</ofd:Page>"
    data = bytearray(pack(m))
    # lower the declared size in the central directory: the real data is larger than it claims
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("Doc_0/Pages/Page_0/Content.xml")
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(info.filename.encode()) + 1)
    data[cd + 24 : cd + 28] = (1000).to_bytes(4, "little")
    t = time.perf_counter()
    msg = _refused(bytes(data))
    assert "不符" in msg or "无法解压" in msg  # zipfile stops at the declared size, then fails its CRC check
    assert time.perf_counter() - t < 2


def test_entities_refused() -> None:
    m = _members()
    lol = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    m["Doc_0/Document.xml"] = lol + m["Doc_0/Document.xml"].split(b"?>", 1)[1]
    _refused(pack(m), "实体")


def test_cyclic_templates_and_a_page_used_as_its_own_template() -> None:
    m = _members()
    ns = b'xmlns:ofd="http://www.ofdspec.org/2016"'
    m["Doc_0/Tpls/A.xml"] = b"<ofd:Page " + ns + b'><ofd:Template TemplateID="9"/><ofd:Content/></ofd:Page>'
    m["Doc_0/Tpls/B.xml"] = b"<ofd:Page " + ns + b'><ofd:Template TemplateID="8"/><ofd:Content/></ofd:Page>'
    doc = m["Doc_0/Document.xml"].replace(
        b"</ofd:CommonData>",
        b'<ofd:TemplatePage ID="8" BaseLoc="Tpls/A.xml"/><ofd:TemplatePage ID="9" BaseLoc="Tpls/B.xml"/>'
        b'<ofd:TemplatePage ID="7" BaseLoc="Pages/Page_0/Content.xml"/></ofd:CommonData>',
    )
    m["Doc_0/Document.xml"] = doc
    m["Doc_0/Pages/Page_0/Content.xml"] = m["Doc_0/Pages/Page_0/Content.xml"].replace(
        b"<ofd:Content>", b'<ofd:Template TemplateID="8"/><ofd:Template TemplateID="7"/><ofd:Content>'
    )
    t = time.perf_counter()
    src = read_ofd(pack(m), "r.ofd")
    assert time.perf_counter() - t < 2
    assert src.text.split("\n") == [_SPACE_BY_CJK.sub("", ln) for ln in seed_body(seed("004"))]


def test_one_page_part_listed_many_times_is_bounded() -> None:
    m = _members()
    doc = m["Doc_0/Document.xml"]
    many = b"".join(b'<ofd:Page ID="%d" BaseLoc="Pages/Page_0/Content.xml"/>' % i for i in range(2001))
    m["Doc_0/Document.xml"] = doc[: doc.index(b"<ofd:Pages>") + 11] + many + doc[doc.index(b"</ofd:Pages>") :]
    _refused(pack(m), "2,001 页", "FZLINT_MAX_PAGES")  # the PDF reader's page limit (300)


def test_huge_delta_list_and_nested_blocks() -> None:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    nested = "<ofd:PageBlock>" * 100 + '<ofd:TextObject Boundary="0 0 1 1" Size="5"><ofd:TextCode X="0" Y="5">深处</ofd:TextCode></ofd:TextObject>' + "</ofd:PageBlock>" * 100
    body = seed_body(seed("004"))
    m = build(body)
    m["Doc_0/Pages/Page_0/Content.xml"] = m["Doc_0/Pages/Page_0/Content.xml"].replace(
        b'DeltaX="', b'DeltaX="g 999999999999 5.6 ', 1
    ).replace(b"</ofd:Layer>", nested.encode() + b"</ofd:Layer>", 1)
    assert ns.encode() in m["Doc_0/Pages/Page_0/Content.xml"]
    t = time.perf_counter()
    src = read_ofd(pack(m), "r.ofd")
    assert time.perf_counter() - t < 2
    assert "深处" not in src.text  # deeper than any real document nests blocks
    assert src.text.split("\n")[1:] == [_SPACE_BY_CJK.sub("", ln) for ln in body[1:]]


def test_through_the_cli_in_a_folder_with_other_formats(tmp_path: Path) -> None:
    body = seed_body(seed("004"))
    (tmp_path / "a.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    write_ofd(body, tmp_path / "b.ofd")
    (tmp_path / "c.ofd").write_bytes(b"not a zip")
    proc = run_cli("-q", str(tmp_path))
    assert proc.returncode == 2  # c.ofd
    out, err = proc.stdout.decode(), proc.stderr.decode()
    score = out.split("a.txt: ")[1].split(" ")[0]
    assert f"b.ofd: {score} " in out
    assert "c.ofd" in err and "不是有效的 OFD" in err and "Traceback" not in err
    proc = run_cli("--lang", "en", str(tmp_path / "c.ofd"))
    assert "Not a valid OFD file" in proc.stderr.decode()
