"""Hostile and oversized input through the real CLI (issue #13, the readers' half).

Every hostile file is built inside the test (tests/hostile.py). The CLI runs as a child under an
address-space limit (`RLIMIT_AS`, 1.5 GB) and a timeout; the assertions bound its peak memory
(`ru_maxrss` from `os.wait4`, which includes the PDF reader's own child) and its CPU time (not
wall time: the test machines are shared). Before the fixes each of these took gigabytes, minutes,
a traceback-like "内部错误" or a SIGABRT of the whole run.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from fzlint.errors import InputError
from fzlint.ingest import limits
from fzlint.ingest.docx import format_number, read_docx
from fzlint.ingest.html import declared_charset, read_html
from tests import hostile
from tests.bounded import Bounded
from tests.bounded import run_bounded as bounded
from tests.conftest import SEEDS, run_cli

AS_LIMIT = 1536 << 20
GOOD = next(SEEDS.glob("001_*.txt"))


def run_bounded(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> Bounded:
    """`python -m fzlint ARGS` under RLIMIT_AS (tests/bounded.py); not killed by a signal."""
    run = bounded(*args, env=env, timeout=timeout, mem_mb=AS_LIMIT >> 20, cpu_s=int(timeout))
    assert run.code >= 0, f"killed by signal {-run.code} (timeout {timeout} s?): {run.err[-2000:]}"
    return run


def refused(run: Bounded, path: Path, *needles: str) -> None:
    """Exit 2 with one clear message for the file naming each needle; no internal error."""
    assert run.code == 2, (run.code, run.err[-2000:])
    lines = [ln for ln in run.err.splitlines() if str(path) in ln]
    assert lines, run.err[-2000:]
    assert "内部错误" not in run.err and "Traceback" not in run.err, run.err[-2000:]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


# ---- 2. Word zip bomb --------------------------------------------------------------------------
def test_docx_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = hostile.zip_bomb_docx(tmp_path / "bomb.docx", inflated_mb=1024)  # 1.6 MB -> 1 GB
    run = run_bounded(str(bomb), str(GOOD))
    refused(run, bomb, "word/document.xml", "FZLINT_MAX_PART_MB")
    assert str(GOOD) in run.out  # the other file is still reported
    assert run.peak_mb < 250 and run.cpu < 30, (run.peak_mb, run.cpu)


@pytest.mark.parametrize("member", ["word/numbering.xml", "word/styles.xml"])
def test_every_part_read_is_bounded(tmp_path: Path, member: str) -> None:
    parts = hostile.docx_parts(hostile.document_xml(), numbering=hostile.numbering_xml(), styles="<x/>")
    members = [(name, *hostile._deflated(data)) for name, data in parts.items() if name != member]
    stream, size, crc = hostile.repeat_deflate(b"<x>", b"a" * (1 << 22), 96, b"</x>")  # 384 MB
    f = tmp_path / "part.docx"
    f.write_bytes(hostile.raw_zip([*members, (member, stream, size, crc)]))
    run = run_bounded(str(f))
    refused(run, f, member, "FZLINT_MAX_PART_MB")
    assert run.peak_mb < 250, run.peak_mb


@pytest.mark.parametrize(("member", "kind"), [("word/settings.xml", "settings"), ("word/theme/theme1.xml", "theme"),
                                             ("word/footer1.xml", "footer")])
def test_parts_the_layout_reads_are_bounded_too(tmp_path: Path, member: str, kind: str) -> None:
    # the GB/T 9704 layout rules read settings, theme and footers after the text is read: through
    # the reader's own bounded package (PackageParts), never python-docx's unbounded ZipFile.read
    sect = f'<w:sectPr><w:footerReference w:type="default" r:id="rId9" xmlns:r="{hostile._OFFICE}"/></w:sectPr>'
    document = hostile.document_xml().replace("</w:body>", sect + "</w:body>")
    parts = hostile.docx_parts(document, styles=f"<w:styles xmlns:w='{hostile.W_NS}'/>")
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rId9" Type="{hostile._OFFICE}/{kind}" Target="{member[5:]}"/></Relationships>'.encode())
    members = [(name, *hostile._deflated(data)) for name, data in parts.items()]
    stream, size, crc = hostile.repeat_deflate(b"<x>", b"a" * (1 << 22), 96, b"</x>")  # 384 MB
    f = tmp_path / "layout.docx"
    f.write_bytes(hostile.raw_zip([*members, (member, stream, size, crc)]))
    run = run_bounded(str(f), str(GOOD))
    # the text is linted; the layout checks are not done, and the note says which part and why
    assert run.code == 1 and "内部错误" not in run.err, run.err[-2000:]
    note = next(ln for ln in run.err.splitlines() if str(f) in ln and "版式" in ln)
    assert member in note and "FZLINT_MAX_PART_MB" in note, note
    # no layout finding made as if the part were absent ("页码缺失" for the footer's page number)
    codes = _codes(run, f)
    assert not ({"L110"} & set(codes) if kind == "footer" else [c for c in codes if c.startswith("L1")]), codes
    assert str(GOOD) in run.out
    assert run.peak_mb < 250 and run.cpu < 30, (run.peak_mb, run.cpu)


def _codes(run: Bounded, path: Path) -> list[str]:
    """The rule codes reported for one file in text output (`错误[FZ401]: ...` then ` --> path:line`)."""
    codes, last = [], None
    for ln in run.out.splitlines():
        if "[" in ln and "]:" in ln:
            last = ln[ln.index("[") + 1 : ln.index("]:")]
        elif ln.strip().startswith("-->") and str(path) in ln and last:
            codes.append(last)
    return codes


def test_docx_ratio_is_bounded_below_the_size_limit(tmp_path: Path) -> None:
    bomb = hostile.zip_bomb_docx(tmp_path / "ratio.docx", inflated_mb=24)  # under 32 MB, ratio ~680
    run = run_bounded(str(bomb))
    refused(run, bomb, "压缩比", "FZLINT_MAX_RATIO")
    run = run_bounded("--lang", "en", str(bomb), env={"FZLINT_MAX_RATIO": "1000"})
    # allowed through the ratio, the 24 MB text node is then too large for the safe parser
    refused(run, bomb)
    assert run.peak_mb < 400, run.peak_mb


def test_docx_whose_sizes_lie_is_read_only_as_far_as_declared(tmp_path: Path) -> None:
    lying = hostile.lying_zip_docx(tmp_path / "lying.docx", inflated_mb=512)  # declares 1 KB
    run = run_bounded(str(lying))
    refused(run, lying, "损坏")
    assert run.peak_mb < 250 and run.cpu < 30, (run.peak_mb, run.cpu)


def test_zip_with_a_huge_directory_is_refused_before_listing(tmp_path: Path) -> None:
    parts = [(name, *hostile._deflated(data)) for name, data in hostile.docx_parts(hostile.document_xml()).items()]
    empty = hostile._deflated(b"")
    f = tmp_path / "many.docx"
    f.write_bytes(hostile.raw_zip(parts + [(f"media/{i}", *empty) for i in range(60_000)]))
    run = run_bounded(str(f))
    refused(run, f, "文件过多")
    assert run.cpu < 20, run.cpu


# ---- 3. numbering.xml values -------------------------------------------------------------------
NUMBERED = {2: (1, 0), 4: (1, 0), 6: (1, 0)}
# 20 more numbered paragraphs after the report's own: a cost per marker shows
EXTRA = [f"第{i + 1}项工作已经完成。" for i in range(20)]


@pytest.mark.parametrize(
    ("fmt", "start", "lvl_text", "markers"),
    [
        ("lowerRoman", "999999999999", "%1、", None),  # clamped to 32767: 32 'm', longer than Word draws
        ("lowerRoman", "9" * 4000, "%1、", None),
        ("lowerLetter", "10000000000", "%1、", None),  # 'a' * 1261 at 32767
        ("decimal", "1", "%1" * 200_000, None),  # more than nine %N: Word ignores the level text
        ("ideographDigital", "-5", "%1、", ["〇、", "一、", "二、"]),  # clamped to 0
        ("upperRoman", "3999", "%1.", ["MMMCMXCIX.", "MMMM.", "MMMMI."]),  # Word's range, drawn
    ],
    ids=["roman-1e12", "4000-digits", "letter-1e10", "200k-%1", "negative", "roman-3999"],
)
def test_numbering_values_are_clamped_to_words_range(tmp_path: Path, fmt: str, start: str, lvl_text: str,
                                                     markers: list[str] | None) -> None:
    numbered = {**NUMBERED, **{len(hostile.PARAGRAPHS) + i: (1, 0) for i in range(len(EXTRA))}}
    f = hostile.write_docx(tmp_path / "numbering.docx", hostile.PARAGRAPHS + EXTRA,
                           numbering=hostile.numbering_xml(fmt, start, lvl_text), numbered=numbered)
    run = run_bounded("-q", str(f), timeout=120)
    assert run.code in (0, 1), run.err[-2000:]
    assert run.peak_mb < 250 and run.cpu < 10, (run.peak_mb, run.cpu)
    lines = read_docx(f.read_bytes(), str(f)).text.splitlines()
    got = [lines[i][: len(lines[i]) - len(hostile.PARAGRAPHS[i])] for i in sorted(NUMBERED)]
    assert got == (markers or ["", "", ""])


def test_start_override_and_levels_outside_words_range(tmp_path: Path) -> None:
    numbering = hostile.numbering_xml("decimal", "1", "%1、", override="-7").replace(
        "</w:abstractNum>", '<w:lvl w:ilvl="99999999999"><w:start w:val="5"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>')
    f = hostile.write_docx(tmp_path / "ov.docx", numbering=numbering, numbered={2: (1, 0), 4: (1, 99999999999), 6: (1, -1)})
    lines = read_docx(f.read_bytes(), str(f)).text.splitlines()
    assert lines[2] == "0、" + hostile.PARAGRAPHS[2]  # startOverride clamped to 0
    assert lines[4] == hostile.PARAGRAPHS[4] and lines[6] == hostile.PARAGRAPHS[6]  # no such level


def test_format_number_never_raises_on_negative_numbers() -> None:
    for fmt in ("ideographDigital", "japaneseDigitalTenThousand", "decimalFullWidth", "chineseCounting", "lowerRoman",
                "upperLetter", "decimalZero", "decimalEnclosedCircle"):
        assert isinstance(format_number(-12, fmt), str)


# ---- 5. PDF content-stream bomb, page-tree cycle -----------------------------------------------
def test_pdf_content_stream_bomb_is_that_files_error(tmp_path: Path) -> None:
    bomb = hostile.content_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=1024)  # 2 MB -> 1 GB
    run = run_bounded(str(bomb), str(GOOD))
    refused(run, bomb, "FZLINT_PDF_MEMORY_MB")
    assert str(GOOD) in run.out  # pdfium's abort no longer takes the other files with it
    assert run.peak_mb < 700 and run.cpu < 60, (run.peak_mb, run.cpu)


def test_pdf_bomb_under_parallel_workers(tmp_path: Path) -> None:
    bomb = hostile.content_bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=1024)
    good = tmp_path / "good.txt"
    good.write_bytes(GOOD.read_bytes())
    run = run_bounded("-j", "2", "--lang", "en", str(bomb), str(good), env={"FZLINT_PDF_MEMORY_MB": "200"})
    refused(run, bomb, "FZLINT_PDF_MEMORY_MB")
    assert str(good) in run.out


def test_pdf_reading_time_is_limited(tmp_path: Path) -> None:
    pdf = hostile.text_pdf(tmp_path / "slow.pdf", 40)
    run = run_bounded(str(pdf), env={"FZLINT_PDF_SECONDS": "0.01"})
    refused(run, pdf, "超时", "FZLINT_PDF_SECONDS")


def test_pdf_page_tree_cycle(tmp_path: Path) -> None:
    pdf = hostile.cyclic_pdf(tmp_path / "cycle.pdf")
    run = run_bounded(str(pdf))
    refused(run, pdf, "页面结构损坏")
    run = run_bounded("--lang", "en", str(pdf))
    refused(run, pdf, "page tree")


# ---- 6. large inputs under the 20 MB limit -----------------------------------------------------
def test_pdf_with_thousands_of_pages_is_refused_before_reading(tmp_path: Path) -> None:
    pdf = hostile.text_pdf(tmp_path / "pages.pdf", 4000)  # 12 MB
    run = run_bounded(str(pdf))
    refused(run, pdf, "4,000 页", "300", "FZLINT_MAX_PAGES")
    assert run.cpu < 15 and run.peak_mb < 250, (run.cpu, run.peak_mb)


def test_page_limit_can_be_raised(tmp_path: Path) -> None:
    pdf = hostile.text_pdf(tmp_path / "twelve.pdf", 12)
    refused(run_bounded(str(pdf), env={"FZLINT_MAX_PAGES": "10"}), pdf, "12 页")
    assert run_bounded("-q", str(pdf), env={"FZLINT_MAX_PAGES": "20"}).code in (0, 1)


def test_html_with_800k_paragraphs_is_refused_quickly(tmp_path: Path) -> None:
    page = hostile.many_paragraphs_html(tmp_path / "many.html", 800_000)  # 14 MB
    run = run_bounded(str(page))
    refused(run, page, "网页标签数", "FZLINT_MAX_HTML_TAGS")
    assert run.cpu < 15 and run.peak_mb < 300, (run.cpu, run.peak_mb)


def test_html_below_the_limits_is_read_in_linear_time(tmp_path: Path) -> None:
    # 45,000 <p>: past trafilatura's own range, read by the linear fallback, then linted
    page = hostile.many_paragraphs_html(tmp_path / "big.html", 45_000, words=20)
    run = run_bounded("-q", str(page))
    assert run.code in (0, 1), run.err[-2000:]
    assert run.cpu < 60 and run.peak_mb < 600, (run.cpu, run.peak_mb)


def test_text_with_800k_lines_is_refused_quickly(tmp_path: Path) -> None:
    f = hostile.many_lines_text(tmp_path / "many.txt", 800_000)  # 11 MB
    run = run_bounded(str(f))
    refused(run, f, "800,000 行", "FZLINT_MAX_PARAGRAPHS")
    assert run.cpu < 10 and run.peak_mb < 250, (run.cpu, run.peak_mb)
    run = run_bounded("--lang", "en", str(f))
    refused(run, f, "800,000 lines", "FZLINT_MAX_PARAGRAPHS")


def test_text_with_too_many_characters(tmp_path: Path) -> None:
    f = tmp_path / "long.txt"
    f.write_bytes(("我市推进法治政府建设。" * 40 + "\n").encode() * 5000)  # 2.2 M characters, 6.6 MB
    run = run_bounded(str(f))
    refused(run, f, "2,205,000 个字符", "FZLINT_MAX_CHARS")
    assert run.cpu < 10, run.cpu
    small = tmp_path / "small.txt"
    small.write_bytes(GOOD.read_bytes())
    n = len(GOOD.read_text(encoding="utf-8"))
    refused(run_bounded(str(small), env={"FZLINT_MAX_CHARS": str(n - 1)}), small, f"{n:,} 个字符")
    assert run_bounded("-q", str(small), env={"FZLINT_MAX_CHARS": str(n)}).code in (0, 1)


def test_bad_limit_variable_is_a_clear_error(tmp_path: Path) -> None:
    run = run_bounded(str(GOOD), env={"FZLINT_MAX_PARAGRAPHS": "lots"})
    assert run.code == 2 and "FZLINT_MAX_PARAGRAPHS" in run.err and "内部错误" not in run.err


def test_docx_paragraph_limit_stops_reading_early(tmp_path: Path) -> None:
    f = hostile.write_docx(tmp_path / "paras.docx", [f"第{i}段,法治政府建设" for i in range(60_000)])
    run = run_bounded(str(f))
    refused(run, f, "至少 50,001 段", "FZLINT_MAX_PARAGRAPHS")
    assert run.cpu < 20, run.cpu


def test_docx_element_count_is_bounded(tmp_path: Path) -> None:
    doc = hostile.document_xml().replace("<w:body>", "<w:body>" + "<w:b/>" * 2_100_000)  # 12.6 MB of tags
    f = hostile.write_zip(tmp_path / "tags.docx", hostile.docx_parts(doc))
    run = run_bounded(str(f), env={"FZLINT_MAX_RATIO": "100000"})
    refused(run, f, "元素", "FZLINT_MAX_XML_ELEMENTS")
    assert run.peak_mb < 300, run.peak_mb


# ---- item 1, reader side: odd charsets -----------------------------------------------------------
@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "punycode", "idna", "utf-7", "undefined"])
def test_html_declaring_a_codec_that_is_no_charset(tmp_path: Path, charset: str) -> None:
    page = hostile.charset_html(tmp_path / f"{charset}.html", charset)
    run = run_bounded("-q", str(page), timeout=120)
    assert run.code in (0, 1) and "内部错误" not in run.err, run.err[-2000:]
    src = read_html(page.read_bytes(), str(page))
    assert hostile.PARAGRAPHS[1] in src.text and src.encoding == "utf-8"


def test_date_like_text_does_not_wake_dateparser(tmp_path: Path) -> None:
    # found by tests/fuzz/fuzz_html.py: htmldate handed "日期 2022 3 12 星期六" to dateparser, which
    # tried every locale and compiled ~1,000 regexes (4.4 s CPU); only the title is wanted
    page = tmp_path / "date.html"
    body = "".join(f"<p>{t}</p>" for t in hostile.PARAGRAPHS)
    page.write_text(f"<html><head><meta charset=utf-8></head><body><p>日期 2022 3 12 星期六</p>{body}</body></html>", encoding="utf-8")
    run = run_bounded("-q", str(page))
    assert run.code in (0, 1), run.err[-2000:]
    assert run.cpu < 3, run.cpu


def test_control_characters_in_a_page(tmp_path: Path) -> None:
    # found by tests/fuzz/fuzz_html.py: lxml keeps \x01 when parsing HTML and refuses it when the
    # fallback removes the navigation (ValueError: "All strings must be XML compatible")
    page = tmp_path / "ctrl.html"
    page.write_bytes("<html><body><div class='nav'>首页</div>\x01\x00法治\x1f<p>二、存在的不足</p>"
                     "<p>一是宣传不够\x0b新颖。</p></body></html>".encode())
    run = run_bounded("-q", str(page))
    assert run.code in (0, 1) and "内部错误" not in run.err, run.err[-2000:]
    assert "一是宣传不够 新颖。" in read_html(page.read_bytes(), str(page)).text


@pytest.mark.parametrize("ref", ["&#1;", "&#x1B;", "&#X1f", "&#0000011;", "&#xFFFE;", "&#65535;", "&#x0000d800;"])
def test_character_references_to_characters_xml_cannot_hold(tmp_path: Path, ref: str) -> None:
    # found by tests/fuzz/fuzz_html.py after the literal characters were fixed: the parser
    # resolves &#1; into the tree, and the fallback's drop_tree (or trafilatura's tree edits) then
    # raised ValueError ("All strings must be XML compatible"): that page was an internal error
    page = tmp_path / "ref.html"
    body = "".join(f"<p>{t}</p>" for t in hostile.PARAGRAPHS[1:])
    page.write_text(f"<html><head><title>{hostile.PARAGRAPHS[0]}{ref}</title></head><body>"
                    f"<div class='nav'>首页</div>{ref}栏目<p title='{ref}'>短</p>"
                    f"<div><nav>导航</nav>{ref}</div>{body.replace('宣传', '宣' + ref + '传')}</body></html>",
                    encoding="utf-8")
    short = tmp_path / "short.html"  # too short for trafilatura: the content-density fallback
    short.write_text(f"<html><body><p>前</p><div class=nav>首页</div>{ref}尾<p>一是宣传{ref}不够新颖。</p></body></html>",
                     encoding="utf-8")
    run = run_bounded("-q", str(page), str(short), str(GOOD), timeout=120)
    assert "内部错误" not in run.err and "Traceback" not in run.err, run.err[-2000:]
    assert run.code in (0, 1), run.err[-2000:]
    assert len([ln for ln in run.out.splitlines() if ln.strip()]) == 3, run.out  # every file scored
    assert run.cpu < 30 and run.peak_mb < 400, (run.cpu, run.peak_mb)
    assert "宣 传" in read_html(page.read_bytes(), str(page)).text  # a space, as for the literal character
    assert "一是宣传 不够新颖。" in read_html(short.read_bytes(), str(short)).text
    # what a browser keeps is kept: ordinary references, and digits after a reference
    kept = read_html("<html><body><p>法治&#25919;&#x5E9C;&#8220;建设&#9;&#10;1&#49;</p></body></html>".encode(), "k.html")
    assert "法治政府“建设" in kept.text and "11" in kept.text, kept.text


def test_declared_charsets_are_the_webs() -> None:
    assert declared_charset(b'<meta charset="gb2312">') == "gb18030"
    assert declared_charset(b'<meta charset="GBK">') == "gb18030"
    assert declared_charset(b'<meta charset="big5">') == "big5hkscs"
    assert declared_charset(b'<meta charset="windows-1252">') == "cp1252"
    assert declared_charset(b'<meta charset="utf-16">') is None  # WHATWG: a readable <meta> is not UTF-16
    assert declared_charset(b'<meta charset="rot13">') is None


# ---- the zip helper other zip-based readers reuse ------------------------------------------------
def test_read_member_api() -> None:
    from fzlint.ingest import ziplimits

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", "<a/>" * 1000)
        zf.writestr("big.xml", "x" * (3 << 20))
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        assert ziplimits.read_member(zf, "a.xml", limits.DEFAULT) == b"<a/>" * 1000
        with pytest.raises(InputError, match="FZLINT_MAX_RATIO"):
            ziplimits.read_member(zf, "big.xml", limits.DEFAULT, "x.zip")
        with pytest.raises(InputError, match="FZLINT_MAX_PART_MB"):
            ziplimits.read_member(zf, "big.xml", limits.Limits(max_part_mb=1, max_ratio=10**6), "x.zip")
        with pytest.raises(KeyError):
            ziplimits.read_member(zf, "missing.xml")


# ---- the package as fzlint reads it (without python-docx) -----------------------------------------
def _package(tmp_path: Path, **changes: bytes | None) -> bytes:
    parts: dict[str, bytes | None] = {**hostile.docx_parts(hostile.document_xml(numbered={2: (1, 0)}),
                                                          numbering=hostile.numbering_xml("chineseCounting"))}
    parts.update(changes)
    return hostile.write_zip(tmp_path / "p.docx", {k: v for k, v in parts.items() if v is not None}).read_bytes()


def test_relationship_targets_absolute_relative_and_any_case(tmp_path: Path) -> None:
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="a" Type="http://x/relationships/hyperlink" Target="http://example.com" TargetMode="External"/>'
            b'<Relationship Id="b" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
            b'Target="../WORD/./Numbering.xml"/></Relationships>')
    top = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           b'<Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
           b'Target="/word/document.xml"/></Relationships>')
    data = _package(tmp_path, **{"word/_rels/document.xml.rels": rels, "_rels/.rels": top})
    assert read_docx(data, "p.docx").text.splitlines()[2] == "一、" + hostile.PARAGRAPHS[2]


def test_macro_enabled_and_template_main_parts_are_read(tmp_path: Path) -> None:
    for ctype in ("application/vnd.ms-word.document.macroEnabled.main+xml",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"):
        types = hostile.docx_parts("")["[Content_Types].xml"].replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", ctype.encode())
        assert hostile.PARAGRAPHS[1] in read_docx(_package(tmp_path, **{"[Content_Types].xml": types}), "p.docx").text


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"_rels/.rels": None}, "缺少正文部分"),
        ({"word/document.xml": None}, "缺少正文部分 word/document.xml"),
        ({"[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'}, "内容类型"),
        ({"word/document.xml": b"<w:document xmlns:w='http://purl.oclc.org/ooxml/wordprocessingml/main'/>"}, "严格"),
        ({"word/document.xml": b"<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'/>"}, "w:body"),
        ({"word/document.xml": b"<w:document><unclosed>"}, "不是有效的 XML"),
        ({"word/numbering.xml": b"\x00\x01"}, "word/numbering.xml 不是有效的 XML"),
        ({"word/document.xml": b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                               b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><d>&c;&c;&c;</d>'}, "w:body"),
    ],
    ids=["no-rels", "no-document", "content-type", "strict", "no-body", "bad-xml", "bad-numbering", "entities"],
)
def test_broken_packages_are_clear_input_errors(tmp_path: Path, changes: dict[str, bytes | None], needle: str) -> None:
    with pytest.raises(InputError) as exc:
        read_docx(_package(tmp_path, **changes), "p.docx")
    assert needle in exc.value.zh and exc.value.en


# ---- the sandbox the PDF reader runs in -----------------------------------------------------------
def _boom() -> None:
    os.abort()


def _hog() -> bytes:
    return b"x" * (2 << 30)


def _nap() -> None:
    import time

    time.sleep(30)


def test_sandbox_reports_crash_memory_and_time() -> None:
    from fzlint.ingest import sandbox

    with pytest.raises(sandbox.ChildFailed) as exc:
        sandbox.run_limited(_boom, seconds=30, memory_mb=100)
    assert exc.value.kind == "crash" and exc.value.detail == "SIGABRT"
    with pytest.raises(sandbox.ChildFailed) as exc:
        sandbox.run_limited(_hog, seconds=30, memory_mb=100)
    assert exc.value.kind == "memory"
    with pytest.raises(sandbox.ChildFailed) as exc:
        sandbox.run_limited(_nap, seconds=0.5, memory_mb=100)
    assert exc.value.kind == "timeout"
    with pytest.raises(InputError, match="kept"):
        sandbox.run_limited(lambda: (_ for _ in ()).throw(InputError("kept", path="a")), seconds=30, memory_mb=100)
    assert sandbox.run_limited(sum, [1, 2, 3], seconds=30, memory_mb=100) == 6


def test_a_zip_needing_an_unknown_zip_version_is_a_damaged_file(tmp_path: Path) -> None:
    """Found by the Word fuzzer: zipfile raises NotImplementedError for a central directory entry
    that needs "zip version 11.5"; that is the file's one-line error, not an internal error."""
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buf.getvalue())
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 6 : cd + 8] = (115).to_bytes(2, "little")  # version needed to extract: 11.5
    bad = tmp_path / "r.docx"
    bad.write_bytes(bytes(data))
    proc = run_cli(str(bad))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "已损坏" in err and "内部错误" not in err and "Traceback" not in err
