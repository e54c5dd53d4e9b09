"""`fzlint --annotate`: findings as Word comments, checked by reading the Word file back.

Every file is made in the test (python-docx for Word, LibreOffice for PDF) and annotated through
the real command line. The annotated file is opened with python-docx and its XML read directly:
- each fzlint comment covers exactly its finding's span (the text between the comment's range
  marks equals the source text of the span; the numbers Word draws before headings have no
  text, so they are left out, and the comment says so when the span begins or ends inside one);
- everything else is untouched: each paragraph's text, every character's run properties and
  the containers it sits in (hyperlinks, tracked insertions, fields), paragraph properties, and
  every other part of the package (styles, numbering, headers, footers, settings) are the same;
  comments already in the document keep their ids, text and anchors;
- round trip: fzlint on the annotated file gives the same findings as on the input. For Word
  input: code, severity, message, line, column, end. For text input (one Word paragraph per
  line, blank lines kept): the same, line for line. For PDF input, where the lines fzlint joins
  into one paragraph become one Word paragraph: code, severity, message and the span's text
  (whitespace aside);
- LibreOffice opens the result: it converts it to PDF with one comment annotation per comment.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import run_cli, seed
from tests.docmaker import (
    _numbering_xml,
    _page_furniture,
    docx_to_pdf,
    install_numbering,
    require_soffice,
    seed_body,
    set_num,
    write_docx,
    write_html,
)
from tests.ofdmaker import write_ofd

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LEVEL1 = re.compile(r"^([一二三四五六七八九十]{1,3})、")
WORD_NUMBERS = re.compile(r"(?m)^[一二三四五六七八九十]{1,3}、")  # rich_docx numbers level-1 headings in Word
# not report text (ingest/docx.py skips them)
SKIP = {W + "txbxContent", W + "del", W + "moveFrom", "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback", W + "pPr", W + "rPr"}


# ---- reading Word files back -----------------------------------------------------------------
def body_paragraphs(root: etree._Element) -> list[etree._Element]:
    """w:p of the body in reading order (tables cell by cell), as the reader visits them."""
    body = root.find(W + "body")
    return [p for p in body.iter(W + "p") if not any(a.tag in (W + "txbxContent",) for a in p.iterancestors())]


def anchored_texts(path: Path) -> dict[str, str]:
    """Comment id -> the text between its commentRangeStart and commentRangeEnd (paragraphs
    joined with a newline; tabs and line breaks read as spaces, as fzlint reads them)."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    texts: dict[str, str] = {}
    open_ids: list[str] = []
    started = False

    def walk(el: etree._Element) -> None:
        nonlocal started
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or tag in SKIP:
                continue
            if tag == W + "p":
                if started:
                    for i in open_ids:
                        texts[i] += "\n"
                started = True
                walk(ch)
            elif tag == W + "commentRangeStart":
                open_ids.append(ch.get(W + "id"))
                texts[ch.get(W + "id")] = ""
            elif tag == W + "commentRangeEnd":
                open_ids.remove(ch.get(W + "id"))
            elif tag == W + "t":
                for i in open_ids:
                    texts[i] += ch.text or ""
            elif tag in (W + "tab", W + "br", W + "cr"):
                for i in open_ids:
                    texts[i] += " "
            else:
                walk(ch)

    walk(root.find(W + "body"))
    assert not open_ids, f"comment ranges never closed: {open_ids}"
    return texts


def comments(path: Path) -> dict[str, tuple[str, str, str]]:
    """Comment id -> (author, initials, text)."""
    import docx

    d = docx.Document(str(path))
    return {str(c.comment_id): (c.author, c.initials or "", c.text) for c in d.comments}


def char_formats(path: Path) -> list[list[tuple[str, bytes, tuple[str, ...]]]]:
    """For each body paragraph: every character with its run's properties (canonical XML) and
    the containers between its run and the paragraph (hyperlink, ins, fldSimple, …)."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for p in body_paragraphs(root):
        chars = []
        for t in p.iter(W + "t", W + "tab", W + "br"):
            if any(a.tag in SKIP for a in t.iterancestors()):
                continue
            run = t.getparent()
            rpr = run.find(W + "rPr")
            fmt = etree.tostring(rpr, method="c14n") if rpr is not None else b""
            chain = []
            a = run.getparent()
            while a is not None and a is not p:
                chain.append(etree.QName(a).localname)
                a = a.getparent()
            text = t.text or "" if t.tag == W + "t" else "\t"
            chars.extend((ch, fmt, tuple(chain)) for ch in text)
        out.append(chars)
    return out


def paragraph_props(path: Path) -> list[bytes]:
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    return [etree.tostring(p.find(W + "pPr"), method="c14n") if p.find(W + "pPr") is not None else b"" for p in body_paragraphs(root)]


def other_parts(path: Path) -> dict[str, bytes]:
    """Every part of the package but the body and comment parts, in canonical XML."""
    out = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name in ("word/document.xml", "word/comments.xml", "[Content_Types].xml", "word/_rels/document.xml.rels", "docProps/core.xml"):
                continue
            data = zf.read(name)
            if name.endswith((".xml", ".rels")):
                data = etree.tostring(etree.fromstring(data), method="c14n")
            out[name] = data
    return out


# ---- linting ----------------------------------------------------------------------------------
def lint(path: Path):  # type: ignore[no-untyped-def]
    """(FileResult, Score) of a file, as `fzlint` lints it (default ruleset, no config)."""
    from fzlint.engine import Linter
    from fzlint.ingest import load_path
    from fzlint.rules.loader import load_ruleset
    from fzlint.score import compute

    rs = load_ruleset("fazhi-annual")
    result = Linter(rs).lint_source(load_path(path))
    return result, compute(result.findings, rs)


def positions(result) -> list[tuple]:  # type: ignore[no-untyped-def]
    src = result.source
    return [(f.code, f.severity, f.message, *src.position(f.start), *src.position(f.end)) for f in result.findings]


def span_text(result, f) -> str:  # type: ignore[no-untyped-def]
    return result.source.text[f.start : f.end].replace("\r\n", "\n")


def fzlint_comments(path: Path) -> dict[str, str]:
    return {i: text for i, (author, _ini, text) in comments(path).items() if author == "fzlint"}


def check_anchors(annotated: Path, result, *, squeeze: bool = False) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Every finding has one fzlint comment whose anchored text is its span (see the module
    docstring); returns how many were exact and how many on Word numbering."""
    texts = anchored_texts(annotated)
    own = fzlint_comments(annotated)
    assert len(own) == len(result.findings) + 1  # + the title comment
    by_text: dict[str, list[str]] = {}
    for cid, text in own.items():
        by_text.setdefault(text.splitlines()[0], []).append(cid)
    counts = {"exact": 0, "numbering": 0, "paragraph": 0}
    sev = {"error": "错误", "warning": "警告", "info": "提示"}
    for f in result.findings:
        head = f"{sev[f.severity]} {f.code}:{f.message}"
        candidates = by_text.get(head)
        assert candidates, f"no comment for {head}"
        want = span_text(result, f)
        got = [texts[c] for c in candidates]
        norm = (lambda s: re.sub(r"\s+", "", s)) if squeeze else (lambda s: s)
        if norm(want) in map(norm, got):
            counts["exact"] += 1
            continue
        # whole headings numbered by Word (a section, a heading's layout): their text, no note
        if norm(WORD_NUMBERS.sub("", want)) in map(norm, got):
            assert not any("自动编号" in own[c] for c in candidates)
            counts["paragraph"] += 1
            continue
        # starting inside the number Word draws: the comment covers the text after it and says so
        on_numbering = [c for c in candidates if "自动编号" in own[c] and want.endswith(texts[c]) and texts[c]]
        assert on_numbering, f"{f.code}: anchored {got!r}, span {want!r}"
        counts["numbering"] += 1
    title = next(text for text in own.values() if text.startswith("fzlint 检查结果"))
    assert "必备部分" in title
    return counts


# ---- a Word file with everything a real one has ------------------------------------------------
def rich_docx(lines: list[str], path: Path, *, link_at: tuple[int, int, int] | None = None, table_at: int | None = None) -> Path:
    """The report in a Word file with custom styles, Word list numbering on level-1 headings, runs
    of mixed formatting every few characters, a table holding line `table_at`, a header and a
    footer with a PAGE field, a hyperlink (around `link_at` = (line, start, end) if given), a
    tracked insertion and deletion, a bookmark, a field result in the text, a tab stop, and a
    comment by someone else."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = docx.Document()
    _page_furniture(document)
    install_numbering(document, _numbering_xml())
    body_style = document.styles.add_style("报告正文", WD_STYLE_TYPE.PARAGRAPH)
    body_style.base_style = document.styles["Normal"]
    body_style.font.size = Pt(16)
    body_style.paragraph_format.first_line_indent = Pt(32)
    stress = document.styles.add_style("重点", WD_STYLE_TYPE.CHARACTER)
    stress.font.bold = True
    stress.font.color.rgb = RGBColor(0xC0, 0, 0)
    rel_id = document.part.relate_to("https://www.gov.cn/", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True)

    in_table = {table_at} if table_at is not None else set()
    table = None
    expected = 1
    others_comment = False
    for i, line in enumerate(lines):
        if i in in_table:
            if table is None:
                table = document.add_table(rows=1, cols=2)
                table.style = "Table Grid"
            table.cell(0, 1).paragraphs[0].add_run("")
            p = table.cell(0, 0).paragraphs[0]
        else:
            p = document.add_paragraph(style="报告正文" if i else None)
        text = line
        m = LEVEL1.match(line)
        if m and m.group(1) == "一二三四五六七八九十"[expected - 1]:
            text = line[m.end() :]
            set_num(p, 3, 0)
            expected += 1
        if i == 0:
            p.alignment = 1
        if i == 2:
            p.paragraph_format.tab_stops.add_tab_stop(Cm(4))  # a tab stop is not a tab
        runs = []
        for k in range(0, len(text), 3):
            r = p.add_run(text[k : k + 3])
            j = k // 3
            if j % 3 == 0:
                r.bold = True
            elif j % 3 == 1:
                r.italic = True
            if j % 7 == 3:
                r.style = stress
            if j % 5 == 2:
                r.font.color.rgb = RGBColor(0, 0x40, 0x80)
            r.font.size = Pt(15 + j % 3)
            runs.append((k, r))
        if link_at is not None and link_at[0] == i:
            _, s, e = link_at
            inside = [r for k, r in runs if k + 3 > s and k < e]
            link = OxmlElement("w:hyperlink")
            link.set(qn("r:id"), rel_id)
            inside[0]._r.addprevious(link)
            for r in inside:
                link.append(r._r)
        if i == 4 and len(runs) > 6:
            ins = parse_xml(f'<w:ins xmlns:w="{W_NS}" w:id="901" w:author="李四" w:date="2022-01-05T10:00:00Z"/>')
            runs[2][1]._r.addprevious(ins)
            ins.append(runs[2][1]._r)
            dele = parse_xml(f'<w:del xmlns:w="{W_NS}" w:id="902" w:author="李四" w:date="2022-01-05T10:00:00Z"><w:r><w:delText>删去的字</w:delText></w:r></w:del>')
            runs[4][1]._r.addprevious(dele)
            runs[5][1]._r.addprevious(parse_xml(f'<w:bookmarkStart xmlns:w="{W_NS}" w:id="7" w:name="要点"/>'))
            runs[6][1]._r.addnext(parse_xml(f'<w:bookmarkEnd xmlns:w="{W_NS}" w:id="7"/>'))
        if i == 5 and len(runs) > 4:
            fld = parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" DOCPROPERTY Company "/>')
            runs[3][1]._r.addprevious(fld)
            fld.append(runs[3][1]._r)
        if not others_comment and i > 6 and len(runs) > 5 and not m:
            document.add_comment([runs[1][1], runs[4][1]], text="请核实这里的数据来源。", author="张三", initials="ZS")
            others_comment = True
    document.save(str(path))
    return path


# ---- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Inputs in every format, annotated through the command line."""
    d = tmp_path_factory.mktemp("annotate")
    files: dict[str, Path] = {}
    body = seed_body(seed("004"))
    files["txt"] = d / "seed002.txt"  # a saved web page: some paragraphs broken over lines
    files["txt"].write_bytes(seed("002").read_bytes())
    files["txt-lines"] = d / "seed004.txt"  # one paragraph per line
    files["txt-lines"].write_bytes(seed("004").read_bytes())
    files["md"] = d / "report.md"
    files["md"].write_text("\n\n".join(["# " + body[0], *[("## " + ln if LEVEL1.match(ln) else ln) for ln in body[1:]]]) + "\n", encoding="utf-8")
    files["html"] = write_html(seed_body(seed("001")), d / "page.html")
    # the rich Word file: a hyperlink around one finding's span, a table holding another's line
    probe = rich_docx(body, d / "probe.docx")
    result, _ = lint(probe)
    src = result.source

    def body_line(ln: int) -> bool:
        return ln > 8 and not LEVEL1.match(src.line_text(ln)) and len(src.line_text(ln)) > 40

    one_line = [f for f in result.findings if f.end - f.start >= 4 and src.position(f.start)[0] == src.position(f.end)[0] and body_line(src.position(f.start)[0])]
    target = one_line[0]
    line, col = src.position(target.start)
    cell = next(src.position(f.start)[0] for f in one_line if src.position(f.start)[0] > line + 1)
    files["docx"] = rich_docx(body, d / "rich.docx", link_at=(line - 1, col - 1, col - 1 + target.end - target.start), table_at=cell - 1)
    files["docx-plain"] = write_docx(seed_body(seed("003")), d / "plain003.docx")
    # an old binary Word file: LibreOffice makes it of the rich one; fzlint reads it through
    # LibreOffice and annotates that conversion (styles, table, header, comments kept)
    exe = require_soffice()
    word97 = d / "word97.docx"
    word97.write_bytes(files["docx"].read_bytes())
    subprocess.run([exe, f"-env:UserInstallation=file://{d / 'lo-profile'}", "--headless", "--norestore", "--convert-to", "doc", "--outdir", str(d), str(word97)], check=True, capture_output=True, timeout=300)
    word97.unlink()
    files["doc"] = d / "word97.doc"
    files["ofd"] = write_ofd(seed_body(seed("003")), d / "report3.ofd")
    (files["pdf"],) = docx_to_pdf([write_docx(seed_body(seed("001")), d / "forpdf.docx")], d)
    proc = run_cli("--annotate", "--exit-zero", "-q", *(str(p) for p in files.values()))
    assert proc.returncode == 0, proc.stderr.decode()
    for key, p in list(files.items()):
        files[key + ":out"] = p.with_name(p.stem + ".fzlint.docx")
        assert files[key + ":out"].is_file(), proc.stderr.decode()
    files["_stderr"] = Path(proc.stderr.decode())  # type: ignore[assignment]
    return files


# ---- anchors --------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["txt", "txt-lines", "md", "html", "docx", "docx-plain", "doc", "ofd"])
def test_every_comment_covers_its_span(made: dict[str, Path], kind: str) -> None:
    result, _ = lint(made[kind])
    assert result.findings
    counts = check_anchors(made[kind + ":out"], result)
    if kind in ("docx", "doc"):
        # level-1 headings are numbered by Word: only findings starting in such a number are not
        # exact (check_anchors: they cover the text after it and say so)
        src = result.source
        numbered = sum(1 for f in result.findings if LEVEL1.match(src.text[f.start : f.end]))
        assert counts["numbering"] + counts["paragraph"] <= numbered
        assert counts["exact"] + counts["numbering"] + counts["paragraph"] == len(result.findings)
    else:
        assert counts["numbering"] == 0


def test_pdf_input_comments_cover_the_text(made: dict[str, Path]) -> None:
    result, _ = lint(made["pdf"])
    counts = check_anchors(made["pdf:out"], result, squeeze=True)
    assert counts["numbering"] == 0


def test_rich_docx_spans_cross_runs_hyperlink_and_table(made: dict[str, Path]) -> None:
    """The fixture is not vacuous: comments start or end inside what were single runs, one lies
    in the hyperlink, one in the table, and runs were cut (more runs than before)."""
    before = etree.fromstring(zipfile.ZipFile(made["docx"]).read("word/document.xml"))
    after = etree.fromstring(zipfile.ZipFile(made["docx:out"]).read("word/document.xml"))
    assert len(list(after.iter(W + "r"))) > len(list(before.iter(W + "r"))) + len(fzlint_comments(made["docx:out"]))
    own = set(fzlint_comments(made["docx:out"]))
    starts = [s for s in after.iter(W + "commentRangeStart") if s.get(W + "id") in own]
    assert any(any(a.tag == W + "hyperlink" for a in s.iterancestors()) for s in starts)
    assert any(any(a.tag == W + "tc" for a in s.iterancestors()) for s in starts)


def test_word_numbering_is_said_in_the_comment(made: dict[str, Path]) -> None:
    """A span over a whole heading numbered by Word covers its text with no note; a span starting
    or ending inside the number (which has no text) says so."""
    path = made["docx"]
    result, _ = lint(path)
    src = result.source
    lines = [i for i in range(1, src.line_count + 1) if LEVEL1.match(src.line_text(i))]
    assert len(lines) >= 2
    import docx

    word = {p.text for p in docx.Document(str(path)).paragraphs}
    # numbered by Word: the line fzlint read is not a paragraph's text, the text after the number is
    numbered = [i for i in lines if src.line_text(i) not in word and LEVEL1.sub("", src.line_text(i)) in word]
    assert len(numbered) >= 2, "the rich fixture numbers level-1 headings in Word"
    h, h2 = numbered[0], numbered[1]
    a, b = src.line_span(h)
    a2 = src.line_span(h2)[0]
    mark = len(LEVEL1.match(src.line_text(h)).group(0))
    mark2 = len(LEVEL1.match(src.line_text(h2)).group(0))
    spans = [(a, b), (a, a + 1), (a + 1, b), (src.line_span(h2 - 1)[0], a2 + 1), (a, a2 + mark2 + 2)]
    _result, stats, out = _annotate_findings(path, spans)
    texts = anchored_texts(out)
    placed = {p.finding.message: p for p in stats.placed if p.finding is not None}
    got = {m: (texts[str(p.comment_id)], p.exact, p.note) for m, p in placed.items()}
    assert got["测试0"] == (src.line_text(h)[mark:], True, "")  # the whole heading
    assert got["测试1"][0] and src.line_text(h)[mark:].startswith(got["测试1"][0]) and "问题在 Word 自动编号" in got["测试1"][2]
    assert got["测试2"] == (src.line_text(h)[mark:], False, f"“{LEVEL1.match(src.line_text(h)).group(0)}”是 Word 自动编号,没有可标注的文字,批注标在编号后的文字上")
    assert got["测试3"][0] == src.line_text(h2 - 1) + "\n" and not got["测试3"][1] and "止于 Word 自动编号" in got["测试3"][2]
    assert got["测试4"][0] == src.text[a + mark : a2].replace("\r\n", "\n") + src.line_text(h2)[mark2 : mark2 + 2] and got["测试4"][1]


# ---- nothing else changes -----------------------------------------------------------------------
def test_the_document_is_otherwise_untouched(made: dict[str, Path]) -> None:
    src, out = made["docx"], made["docx:out"]
    assert char_formats(out) == char_formats(src)
    assert paragraph_props(out) == paragraph_props(src)
    assert other_parts(out) == other_parts(src)
    import docx

    a, b = docx.Document(str(src)), docx.Document(str(out))
    assert [[c.text for c in row.cells] for t in a.tables for row in t.rows] == [[c.text for c in row.cells] for t in b.tables for row in t.rows]
    assert a.sections[0].header.paragraphs[0].text == b.sections[0].header.paragraphs[0].text != ""
    assert etree.tostring(a.element.body.find(W + "sectPr"), method="c14n") == etree.tostring(b.element.body.find(W + "sectPr"), method="c14n")


def test_other_comments_are_kept_and_ids_do_not_clash(made: dict[str, Path]) -> None:
    before, after = comments(made["docx"]), comments(made["docx:out"])
    assert len(before) == 1
    assert {i: v for i, v in after.items() if v[0] != "fzlint"} == before
    assert anchored_texts(made["docx:out"])[next(iter(before))] == anchored_texts(made["docx"])[next(iter(before))]
    root = etree.fromstring(zipfile.ZipFile(made["docx:out"]).read("word/comments.xml"))
    ids = [c.get(W + "id") for c in root.iter(W + "comment")]
    assert len(ids) == len(set(ids)) == len(after)
    assert all(v[:2] == ("fzlint", "FZ") for v in after.values() if v[0] != "张三")


def test_old_word_file_is_annotated_on_its_conversion(made: dict[str, Path]) -> None:
    """A .doc: the annotated file is LibreOffice's .docx of it, with its table, header and the
    other reviewer's comment; not a plain file rebuilt from the text."""
    import docx

    out = made["doc:out"]
    assert "原文不是 Word 文件" not in str(made["_stderr"]).split("word97.doc")[1].splitlines()[0]
    d = docx.Document(str(out))
    assert d.tables and d.sections[0].header.paragraphs[0].text
    assert [v[2] for v in comments(out).values() if v[0] == "张三"] == ["请核实这里的数据来源。"]


def test_annotating_again_replaces_fzlint_comments(made: dict[str, Path], tmp_path: Path) -> None:
    again = tmp_path / "again.docx"
    proc = run_cli("--annotate", "--exit-zero", str(made["docx:out"]), "-o", str(again))
    assert proc.returncode == 0, proc.stderr.decode()
    assert "替换了上次 fzlint 的" in proc.stderr.decode()
    first, second = comments(made["docx:out"]), comments(again)
    assert len(second) == len(first)
    assert sorted(v[2] for v in second.values() if v[0] == "张三") == ["请核实这里的数据来源。"]
    assert char_formats(again) == char_formats(made["docx"])
    result, _ = lint(made["docx"])
    check_anchors(again, result)


# ---- round trip --------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["txt-lines", "docx", "docx-plain", "doc"])
def test_fzlint_on_the_annotated_file_finds_the_same(made: dict[str, Path], kind: str) -> None:
    """Word input, and text with one paragraph per line: the same findings at the same places."""
    before, _ = lint(made[kind])
    after, _ = lint(made[kind + ":out"])
    assert positions(after) == positions(before)
    assert [span_text(after, f) for f in after.findings] == [span_text(before, f) for f in before.findings]


@pytest.mark.parametrize("kind", ["txt", "md", "html", "pdf", "ofd"])
def test_text_round_trip_same_findings_and_spans(made: dict[str, Path], kind: str) -> None:
    """Text input in general: the same findings (code, severity, message) on the same text, in
    the same order. Lines renumber where fzlint joins broken lines into one paragraph (they
    become one Word paragraph); Markdown's heading marks are not in the Word file."""
    before, _ = lint(made[kind])
    after, _ = lint(made[kind + ":out"])
    squeeze = lambda s: re.sub(r"\s+", "", s)
    assert [(f.code, f.severity, f.message) for f in after.findings] == [(f.code, f.severity, f.message) for f in before.findings]
    assert [squeeze(span_text(after, f)) for f in after.findings] == [squeeze(span_text(before, f)) for f in before.findings]
    assert len(before.findings) > 5


def test_broken_lines_become_one_paragraph(made: dict[str, Path]) -> None:
    before, _ = lint(made["txt"])
    after, _ = lint(made["txt:out"])
    joined = [p for p in before.doc.paragraphs if len({before.source.position(d)[0] for d in p.view.doc_starts}) > 1]
    assert joined, "seed 002 has paragraphs broken over lines"
    assert after.source.line_count < before.source.line_count
    assert [p.text for p in after.doc.paragraphs] == [p.text for p in before.doc.paragraphs]


def test_built_docx_is_laid_out_and_keeps_blank_lines(made: dict[str, Path]) -> None:
    import docx

    d = docx.Document(str(made["txt-lines:out"]))
    src_lines = seed("004").read_text(encoding="utf-8").splitlines()
    assert [p.text for p in d.paragraphs] == src_lines
    sec = d.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert (round(sec.top_margin.mm), round(sec.bottom_margin.mm), round(sec.left_margin.mm), round(sec.right_margin.mm)) == (37, 35, 28, 26)
    title = next(p for p in d.paragraphs if p.text.startswith("高州市2021年度"))
    assert title.alignment == 1 and title.runs[0].font.size.pt == 22
    md = docx.Document(str(made["md:out"]))
    assert not any(p.text.startswith("#") for p in md.paragraphs)


# ---- LibreOffice ------------------------------------------------------------------------------
def pdf_comments(pdf: Path) -> tuple[str, list[str]]:
    """Page 1's text and the text of every comment annotation in a PDF."""
    import ctypes

    import pypdfium2 as pdfium
    from pypdfium2 import raw

    doc = pdfium.PdfDocument(str(pdf))
    first = doc[0].get_textpage().get_text_range()
    notes = []
    for i in range(len(doc)):
        page = doc[i]
        for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):
            annot = raw.FPDFPage_GetAnnot(page.raw, k)
            if raw.FPDFAnnot_GetSubtype(annot) == raw.FPDF_ANNOT_TEXT:
                size = raw.FPDFAnnot_GetStringValue(annot, b"Contents", None, 0)
                buf = (ctypes.c_ushort * (size // 2 + 1))()
                raw.FPDFAnnot_GetStringValue(annot, b"Contents", buf, size)
                notes.append(bytes(buf)[: max(0, size - 2)].decode("utf-16-le"))
            raw.FPDFPage_CloseAnnot(annot)
    return first, notes


def test_libreoffice_opens_the_annotated_files(made: dict[str, Path], tmp_path: Path) -> None:
    exe = require_soffice()
    outs = [made["txt:out"], made["docx:out"], made["pdf:out"]]
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--norestore", "--convert-to",
         'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}', "--outdir", str(tmp_path), *map(str, outs)],
        check=True, capture_output=True, timeout=300,
    )
    for out in outs:
        first, notes = pdf_comments(tmp_path / (out.stem + ".pdf"))
        title = lint(out)[0].doc.meta.title
        assert title and re.sub(r"\s+", "", title)[:10] in re.sub(r"\s+", "", first)
        in_word = comments(out)
        assert len(notes) == len(in_word)
        assert sorted(n.split("\n")[0].strip() for n in notes) == sorted(t.split("\n")[0].strip() for _a, _i, t in in_word.values())


# ---- the command line -------------------------------------------------------------------------
def test_cli_names_and_messages(made: dict[str, Path]) -> None:
    said = str(made["_stderr"])
    assert f"已写入批注文档 {made['txt:out']}" in said
    assert "原文不是 Word 文件,已按文字生成 Word 文档" in said
    assert made["txt:out"].name == "seed002.fzlint.docx"


def test_cli_output_path_folder_and_exit_codes(tmp_path: Path) -> None:
    ok = tmp_path / "ok.txt"
    ok.write_bytes(seed("004").read_bytes())  # warnings only: exit 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes(seed("003").read_bytes())  # a missing part is an error: exit 1
    elsewhere = tmp_path.parent / f"{tmp_path.name}-批注.docx"
    proc = run_cli("--annotate", str(ok), "-o", str(elsewhere))
    assert proc.returncode == 0, proc.stderr.decode()
    assert elsewhere.is_file() and not (tmp_path / "ok.fzlint.docx").exists()
    proc = run_cli("--annotate", "-q", str(bad))
    assert proc.returncode == 1 and (tmp_path / "bad.fzlint.docx").is_file()
    assert b"45" in proc.stdout  # the usual report is printed too
    outdir = tmp_path / "out"
    outdir.mkdir()
    proc = run_cli("--annotate", "--exit-zero", str(tmp_path), "-o", str(outdir))
    assert proc.returncode == 0, proc.stderr.decode()
    # the walk lints ok.txt and bad.txt, not the .fzlint.docx files written before
    assert sorted(p.name for p in outdir.iterdir()) == ["bad.fzlint.docx", "ok.fzlint.docx"]


def test_cli_folder_walk_leaves_non_reports_alone(tmp_path: Path) -> None:
    """As `fzlint DIR` does (the runner): a README.md met in a walk is noted and not annotated;
    named on the command line it is annotated, with the note that it may not be a report."""
    (tmp_path / "report.txt").write_bytes(seed("004").read_bytes())
    readme = tmp_path / "README.md"
    readme.write_text("# 说明\n\n本目录存放各单位报送的年度报告,请勿修改文件名。\n", encoding="utf-8")
    proc = run_cli("--annotate", "--exit-zero", str(tmp_path))
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert (tmp_path / "report.fzlint.docx").is_file() and not (tmp_path / "README.fzlint.docx").exists()
    assert "README.md: 提示: 不像法治政府建设年度报告,未评分" in err
    proc = run_cli("--annotate", "--exit-zero", str(readme))
    assert proc.returncode == 0 and (tmp_path / "README.fzlint.docx").is_file()
    assert "以下结果仅供参考" in proc.stderr.decode()


def test_same_name_side_by_side(tmp_path: Path) -> None:
    """report.docx and report.pdf in one folder: report.fzlint.docx and report.pdf.fzlint.docx."""
    doc = write_docx(seed_body(seed("004")), tmp_path / "report.docx")
    (tmp_path / "report.txt").write_bytes(seed("001").read_bytes())
    proc = run_cli("--annotate", "--exit-zero", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()
    assert sorted(p.name for p in tmp_path.glob("*.fzlint.docx")) == ["report.fzlint.docx", "report.txt.fzlint.docx"]
    assert len(comments(tmp_path / "report.fzlint.docx")) == len(lint(doc)[0].findings) + 1


def test_cli_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(seed("004").read_bytes())
    other = tmp_path / "s.txt"
    other.write_bytes(seed("001").read_bytes())
    data = report.read_bytes()
    cases = [
        (["--annotate", str(report), str(other), "-o", str(tmp_path / "x.docx")], "只能用于一个文件"),
        (["--annotate", str(report), "-o", str(tmp_path / "x.pdf")], "-o 应为 .docx"),
        (["--annotate", "--fix", str(report)], "不能与 --fix/--diff 同时使用"),
        (["--annotate", "-"], "从标准输入读取时请用 -o"),
    ]
    for argv, said in cases:
        proc = run_cli(*argv)
        assert proc.returncode == 2, argv
        assert said in proc.stderr.decode() and b"Traceback" not in proc.stderr
    assert report.read_bytes() == data
    assert not list(tmp_path.glob("*.docx"))


def test_cli_never_writes_over_the_input(tmp_path: Path) -> None:
    doc = write_docx(seed_body(seed("004")), tmp_path / "报告.docx")
    data = doc.read_bytes()
    proc = run_cli("--annotate", str(doc), "-o", str(doc))
    assert proc.returncode == 2
    assert "会覆盖被检查的文件" in proc.stderr.decode()
    assert doc.read_bytes() == data


def test_cli_bad_input_is_a_message(tmp_path: Path) -> None:
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    proc = run_cli("--annotate", str(broken))
    assert proc.returncode == 2
    assert "已损坏" in proc.stderr.decode() and b"Traceback" not in proc.stderr
    assert not (tmp_path / "坏.fzlint.docx").exists()


def test_cli_unwritable_output_is_a_message(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(seed("004").read_bytes())
    proc = run_cli("--annotate", str(report), "-o", str(tmp_path / "没有这个目录" / "r.docx"))
    assert proc.returncode == 2
    assert "无法写入批注文档" in proc.stderr.decode() and b"Traceback" not in proc.stderr
    assert b"62" in proc.stdout  # the findings are still shown
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_output_is_replaced_atomically(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(seed("004").read_bytes())
    out = tmp_path / "r.fzlint.docx"
    out.write_bytes(b"old")
    inode = out.stat().st_ino
    proc = run_cli("--annotate", str(report))
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.stat().st_ino != inode and zipfile.is_zipfile(out)  # a new file renamed into place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.fzlint.docx", "r.txt"]  # no temp file left


def test_stdin_with_output(tmp_path: Path) -> None:
    out = tmp_path / "in.docx"
    proc = run_cli("--annotate", "-", "--stdin-filename", "报告.txt", "-o", str(out), input=seed("004").read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    assert len(fzlint_comments(out)) > 5


def test_english_comment_labels(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_bytes(seed("003").read_bytes())
    proc = run_cli("--annotate", "--lang", "en", "--exit-zero", str(report))
    assert proc.returncode == 0, proc.stderr.decode()
    assert "wrote" in proc.stderr.decode()
    texts = list(fzlint_comments(tmp_path / "r.fzlint.docx").values())
    assert any(t.startswith("Error FZ102: ") for t in texts)
    assert any("\nBasis: " in t for t in texts)
    assert any(t.startswith("fzlint: score ") for t in texts)


# ---- layout (GB/T 9704) findings -----------------------------------------------------------------
def test_layout_findings_are_comments_on_their_paragraphs(tmp_path: Path) -> None:
    """A Word file with layout defects (Letter paper, 12 pt body, 宋体 level-1 headings numbered by
    Word, no page number, the date on the left): each L finding is a comment with its GB/T 9704
    clause; findings about the whole document (paper, page numbers) are on the title, a run of
    paragraphs on the first of them (the message names the run), a heading numbered by Word on
    its text with no note about the number; the annotated file has the same layout findings."""
    import docx

    from tests.layoutmaker import make_layout_docx

    src = make_layout_docx(tmp_path / "layout.docx", "纸张=Letter；正文字号=12；一级标题字体=宋体；页码=无；一级标题编号=自动；成文日期=居左")
    out = tmp_path / "layout.fzlint.docx"
    proc = run_cli("--annotate", "--exit-zero", str(src))
    assert proc.returncode == 0, proc.stderr.decode()
    assert "无法精确标注" not in proc.stderr.decode()
    result, _ = lint(src)
    layout = [f for f in result.findings if f.code.startswith("L")]
    assert {f.code for f in layout} >= {"L101", "L105", "L107", "L110", "L111"}
    counts = check_anchors(out, result)
    assert counts["paragraph"] >= 1 and counts["numbering"] == 0
    texts, own = anchored_texts(out), fzlint_comments(out)
    by_code: dict[str, list[tuple[str, str]]] = {}
    for cid, text in own.items():
        if m := re.match(r"\S+ (L\d+):", text):
            by_code.setdefault(m.group(1), []).append((texts[cid], text))
    title = result.source.text[slice(*result.doc.meta.title_span)]
    for code in ("L101", "L110"):
        assert [anchored for anchored, _t in by_code[code]] == [title]
    paragraphs = [p.text for p in docx.Document(str(src)).paragraphs]
    ((anchored, text),) = by_code["L105"]
    assert anchored == paragraphs[1] and "第 2—" in text  # the first paragraph of the run
    ((anchored, text),) = by_code["L107"]
    assert anchored == "主要举措和成效" and "自动编号" not in text
    assert all("\n依据:GB/T 9704-2012" in t for found in by_code.values() for _a, t in found)
    again, _ = lint(out)
    assert [p for p in positions(again) if p[0].startswith("L")] == [p for p in positions(result) if p[0].startswith("L")]


# ---- anchoring corner cases (the Python API on synthetic findings) --------------------------
def _annotate_findings(path: Path, spans: list[tuple[int, int]]):  # type: ignore[no-untyped-def]
    """Annotate `path` with one synthetic finding per span (source offsets)."""
    from fzlint.annotate import annotate_bytes
    from fzlint.rules.model import Finding

    result, score = lint(path)
    result.findings = [Finding("FZ401", "warning", "content", f"测试{i}", s, e, "改一改") for i, (s, e) in enumerate(spans)]
    blob, stats = annotate_bytes(result, score, data=path.read_bytes())
    out = path.with_name(path.stem + "-synthetic.docx")
    out.write_bytes(blob)
    return result, stats, out


def test_spans_across_paragraphs_points_and_tables(made: dict[str, Path]) -> None:
    path = made["docx"]
    result, _ = lint(path)
    src = result.source
    import docx

    d = docx.Document(str(path))
    cells = {c.text for t in d.tables for row in t.rows for c in row.cells}
    body_lines = [i for i in range(12, src.line_count) if all(len(src.line_text(j)) > 10 and src.line_text(j) not in cells for j in (i, i + 1))]
    a = body_lines[0]
    across = (src.line_span(a)[1] - 4, src.line_span(a + 1)[0] + 5)  # end of one paragraph into the next
    point = (src.line_span(a)[0] + 3,) * 2  # a zero-length span
    cell_text = d.tables[0].cell(0, 0).paragraphs[0].text
    cell_line = next(i for i in range(1, src.line_count + 1) if src.line_text(i) == cell_text)
    into_table = (src.line_span(cell_line - 1)[1] - 3, src.line_span(cell_line)[0] + 4)
    result, stats, out = _annotate_findings(path, [across, point, into_table])
    texts = anchored_texts(out)
    by_msg = {p.finding.message: p for p in stats.placed if p.finding is not None}
    assert texts[str(by_msg["测试0"].comment_id)] == src.text[across[0] : across[1]]
    assert by_msg["测试0"].exact
    assert texts[str(by_msg["测试1"].comment_id)] == "" and by_msg["测试1"].exact
    # from the body into a table: only its part in the first paragraph, and the comment says so
    assert texts[str(by_msg["测试2"].comment_id)] == src.text[into_table[0] : src.line_span(cell_line - 1)[1]]
    assert not by_msg["测试2"].exact and "跨越多个段落" in by_msg["测试2"].note
    assert check_untouched(out, path)


def check_untouched(out: Path, src: Path) -> bool:
    return char_formats(out) == char_formats(src) and other_parts(out) == other_parts(src)


def test_walker_reads_what_the_reader_reads(made: dict[str, Path]) -> None:
    """annotate.py's run-by-run reading gives ingest/docx.py's text for every paragraph."""
    import docx

    from fzlint.annotate import _atoms, _text
    from fzlint.ingest.docx import _blocks, _paragraph_text

    for key in ("docx", "docx:out", "docx-plain"):
        d = docx.Document(str(made[key]))
        paras = list(_blocks(d.element.body))
        assert len(paras) > 20
        for p in paras:
            assert _text(_atoms(p)) == _paragraph_text(p)


def test_a_tab_stop_is_not_text(tmp_path: Path) -> None:
    """ingest/docx.py: the w:tab of a paragraph's tab stops (in w:pPr) is not a tab character."""
    import docx
    from docx.shared import Cm

    from fzlint.ingest.docx import read_docx

    d = docx.Document()
    p = d.add_paragraph("主要举措")
    p.paragraph_format.tab_stops.add_tab_stop(Cm(3))
    buf = io.BytesIO()
    d.save(buf)
    assert read_docx(buf.getvalue(), "x.docx").text == "主要举措"


def test_json_of_annotated_docx_is_the_same_through_the_cli(made: dict[str, Path]) -> None:
    """The round trip as a user runs it: `fzlint --format json` on input and annotated file."""
    keys = ("code", "severity", "message", "line", "column", "end_line", "end_column")
    got = []
    for p in (made["docx"], made["docx:out"]):
        proc = run_cli("--format", "json", "--exit-zero", str(p))
        assert proc.returncode == 0, proc.stderr.decode()
        got.append([tuple(d[k] for k in keys) for d in json.loads(proc.stdout)["files"][0]["diagnostics"]])
    assert got[0] == got[1] and len(got[0]) > 5


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def _as_word_saves_it(src: Path, dst: Path) -> dict[str, str]:
    """The annotated file as Word saves it: paragraph ids on the comments, commentsExtended.xml
    (one entry per comment), and a reply by someone else to an fzlint comment. Returns
    {comment id: paraId}."""
    with zipfile.ZipFile(src) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    root = etree.fromstring(parts["word/comments.xml"])
    para_ids: dict[str, str] = {}
    for k, c in enumerate(root.iter(W + "comment")):
        pid = f"{0x10000000 + k:08X}"
        c.findall(W + "p")[-1].set(f"{{{W14}}}paraId", pid)
        para_ids[c.get(W + "id")] = pid
    parent = next(c for c in root.iter(W + "comment") if c.get(W + "author") == "fzlint" and "FZ" in "".join(c.itertext())[:12])
    reply = etree.SubElement(root, W + "comment", {W + "id": "990", W + "author": "王五", W + "initials": "WW"})
    rp = etree.SubElement(reply, W + "p", {f"{{{W14}}}paraId": "7FFF0001"})
    etree.SubElement(etree.SubElement(rp, W + "r"), W + "t").text = "已核实,照此修改。"
    para_ids["990"] = "7FFF0001"
    parts["word/comments.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    body = etree.fromstring(parts["word/document.xml"])
    pid = parent.get(W + "id")
    start = next(e for e in body.iter(W + "commentRangeStart") if e.get(W + "id") == pid)
    end = next(e for e in body.iter(W + "commentRangeEnd") if e.get(W + "id") == pid)
    start.addnext(etree.Element(W + "commentRangeStart", {W + "id": "990"}))
    end.addnext(etree.Element(W + "commentRangeEnd", {W + "id": "990"}))
    parts["word/document.xml"] = etree.tostring(body, xml_declaration=True, encoding="UTF-8", standalone=True)
    entries = "".join(
        f'<w15:commentEx w15:paraId="{p}" w15:done="0"' + (f' w15:paraIdParent="{para_ids[pid]}"' if cid == "990" else "") + "/>"
        for cid, p in para_ids.items()
    )
    parts["word/commentsExtended.xml"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w15:commentsEx xmlns:w15="{W15}">{entries}</w15:commentsEx>'.encode()
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    etree.SubElement(rels, "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship",
                     Id="rId990", Type="http://schemas.microsoft.com/office/2011/relationships/commentsExtended", Target="commentsExtended.xml")
    parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    ct = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(ct, "{http://schemas.openxmlformats.org/package/2006/content-types}Override",
                     PartName="/word/commentsExtended.xml", ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml")
    parts["[Content_Types].xml"] = etree.tostring(ct, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return para_ids


def test_annotating_a_file_word_saved_keeps_replies_and_drops_stale_entries(made: dict[str, Path], tmp_path: Path) -> None:
    saved = tmp_path / "saved.docx"
    para_ids = _as_word_saves_it(made["docx:out"], saved)
    before = comments(saved)
    out = tmp_path / "again.docx"
    proc = run_cli("--annotate", "--exit-zero", str(saved), "-o", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    after = comments(out)
    kept = {i: v for i, v in after.items() if v[0] != "fzlint"}
    assert kept == {i: v for i, v in before.items() if v[0] != "fzlint"}
    assert sorted(v[0] for v in kept.values()) == ["张三", "王五"]
    ext = etree.fromstring(zipfile.ZipFile(out).read("word/commentsExtended.xml"))
    left = {e.get(f"{{{W15}}}paraId"): e for e in ext}
    assert set(left) == {para_ids[i] for i in kept}  # the removed fzlint comments' entries are gone
    assert left[para_ids["990"]].get(f"{{{W15}}}paraIdParent") is None  # its parent was replaced
    # the reply still covers its text; the new fzlint comments cover theirs
    assert anchored_texts(out)["990"] == anchored_texts(saved)["990"]
    check_anchors(out, lint(saved)[0])


# ---- any run structure, any span ---------------------------------------------------------------

_PIECE = st.text(alphabet=st.sampled_from(list("法治政府建设年度报告一二三、,。“”ab 12\t")), min_size=1, max_size=6)
_PARA = st.lists(st.tuples(_PIECE, st.sampled_from(["plain", "bold", "link", "ins", "field", "br"])), min_size=0, max_size=6)


def _random_docx(paras: list[list[tuple[str, str]]]) -> bytes:
    import docx
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    rel_id = document.part.relate_to("https://www.gov.cn/", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True)
    for pieces in paras:
        p = document.add_paragraph()
        for text, how in pieces:
            r = p.add_run(text)
            if how == "bold":
                r.bold = True
            elif how == "br":
                r._r.append(OxmlElement("w:br"))
            elif how in ("link", "ins", "field"):
                wrap = {
                    "link": lambda: OxmlElement("w:hyperlink", attrs={qn("r:id"): rel_id}),
                    "ins": lambda: parse_xml(f'<w:ins xmlns:w="{W_NS}" w:id="9" w:author="a" w:date="2022-01-01T00:00:00Z"/>'),
                    "field": lambda: parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" TITLE "/>'),
                }[how]()
                r._r.addprevious(wrap)
                wrap.append(r._r)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _annotate_spans(src: Any, cuts: list[tuple[float, float]], data: bytes | None = None) -> tuple[bytes, Any]:
    """Annotate `src` (the Word file `data`, or one built from the text) with one finding per cut:
    each a fraction pair of the text's length."""
    from fzlint.annotate import annotate_bytes
    from fzlint.engine import Linter
    from fzlint.rules.loader import load_ruleset
    from fzlint.rules.model import Finding
    from fzlint.score import compute

    rs = load_ruleset("fazhi-annual")
    result = Linter(rs).lint_source(src)
    n = len(src.text)
    spans = sorted((round(min(a, b) * n), round(max(a, b) * n)) for a, b in cuts)
    result.findings = [Finding("FZ401", "warning", "content", f"测试{i}", s, e) for i, (s, e) in enumerate(spans)]
    return annotate_bytes(result, compute([], rs), data=data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(paras=st.lists(_PARA, min_size=1, max_size=4), cuts=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=5))
def test_any_span_in_any_runs_is_covered_exactly(paras: list[list[tuple[str, str]]], cuts: list[tuple[float, float]]) -> None:
    """Random paragraphs of runs (bold, in hyperlinks, tracked insertions, fields, with tabs and
    line breaks) and random spans, within and across paragraphs: each comment covers exactly its
    span's text, and the document's text and formatting are unchanged."""
    from fzlint.ingest.docx import read_docx

    paras = [*paras, [("法治政府建设年度报告", "plain")]]  # the reader needs some text
    data = _random_docx(paras)
    src = read_docx(data, "r.docx")
    blob, stats = _annotate_spans(src, cuts, data)
    assert stats.moved == 0
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        before, after = Path(tmp) / "a.docx", Path(tmp) / "b.docx"
        before.write_bytes(data)
        after.write_bytes(blob)
        texts = anchored_texts(after)
        for placed in stats.placed:
            if placed.finding is not None:
                assert texts[str(placed.comment_id)] == src.text[placed.finding.start : placed.finding.end]
        assert char_formats(after) == char_formats(before)
        assert read_docx(blob, "b.docx").text == src.text


_PLACE = st.sampled_from(["body", "body", "cell", "numbered"])


def _random_laid_out_docx(paras: list[tuple[list[tuple[str, str]], str]]) -> tuple[bytes, list[str]]:
    """Paragraphs of random runs in the body, in a table cell (consecutive ones in the same
    cell) or numbered by Word ("一、"…); the container of each paragraph in reading order."""
    import docx

    document = docx.Document()
    install_numbering(document, _numbering_xml())
    containers: list[str] = []
    cell = None
    tables = 0
    for pieces, place in paras:
        if place == "cell":
            if cell is None:
                table = document.add_table(rows=1, cols=1)
                tables += 1
                cell = table.cell(0, 0)
                p = cell.paragraphs[0]
            else:
                p = cell.add_paragraph()
            containers.append(f"table{tables}")
        else:
            cell = None
            p = document.add_paragraph()
            if place == "numbered":
                set_num(p, 3, 0)
            containers.append("body")
        for text, how in pieces:
            r = p.add_run(text)
            if how == "bold":
                r.bold = True
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue(), containers


def _no_lead(text: str) -> str:
    return re.sub(r"(?m)^[ \t\u3000]+", "", text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    paras=st.lists(st.tuples(st.lists(st.tuples(_PIECE, st.sampled_from(["plain", "bold"])), max_size=4), _PLACE), min_size=1, max_size=6),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=5),
)
# found by this test: a span running through a numbered heading; one ending with the line break
# before it; a point before the number
@example(paras=[([], "body"), ([("1", "plain")], "numbered")], cuts=[(0.0, 1.0)])
@example(paras=[([("111", "plain")] * 3, "body"), ([("1", "plain")], "numbered")], cuts=[(0.0, 0.4375)])
@example(paras=[([("1", "plain")], "numbered")], cuts=[(0.0, 0.0)])
@example(paras=[([], "body"), ([(" 1", "plain")], "numbered")], cuts=[(0.0, 1.0)])
def test_any_span_across_tables_and_word_numbering(paras: list[tuple[list[tuple[str, str]], str]], cuts: list[tuple[float, float]]) -> None:
    """Random spans over paragraphs in tables and headings numbered by Word: a comment covers
    its span exactly unless the span touches a number Word draws or crosses into or out of a
    table; then it covers the part of the span in the Word text (numbers left out, the first
    paragraph's part when crossing), and says why. Text and formatting stay as they were."""
    from fzlint.ingest.docx import read_docx

    paras = [*paras, ([("法治政府建设年度报告", "plain")], "body")]
    data, containers = _random_laid_out_docx(paras)
    src = read_docx(data, "r.docx")
    assert src.line_count == len(containers)
    # Word's number in front of a numbered paragraph's line: (line start, marker end) offsets
    markers = []
    for i, (pieces, place) in enumerate(paras):
        text = "".join(t for t, _h in pieces)
        if place == "numbered" and text.replace("\t", " ").strip():
            start = src.line_span(i + 1)[0]
            m = re.match(r"[一二三四五六七八九十]+、", src.line_text(i + 1))
            assert m, src.line_text(i + 1)
            markers.append((start, start + m.end()))
    blob, stats = _annotate_spans(src, cuts, data)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        before, after = Path(tmp) / "a.docx", Path(tmp) / "b.docx"
        before.write_bytes(data)
        after.write_bytes(blob)
        texts = anchored_texts(after)
        assert char_formats(after) == char_formats(before)
    assert read_docx(blob, "b.docx").text == src.text
    for placed in stats.placed:
        f = placed.finding
        if f is None:
            continue
        want = src.text[f.start : f.end]
        got = texts[str(placed.comment_id)]
        # the span's Word text: its characters outside Word's numbers
        kept = "".join(ch for k, ch in enumerate(want, f.start) if not any(a <= k < b for a, b in markers))
        if placed.exact:  # numbers inside the span belong to paragraphs it covers from their start
            # a numbered paragraph the span runs through whole keeps the spaces Word has between its
            # number and its text (the reader drops them): the same text but for those spaces
            assert got == kept or _no_lead(got) == _no_lead(kept), (want, got)
            assert not placed.note
            assert all(f.end >= b for a, b in markers if f.start <= a < f.end)
            continue
        first = src.position(f.start)[0]
        last = src.position(max(f.start, f.end))[0]
        crosses = len({containers[i - 1] for i in range(first, min(last, src.line_count) + 1)}) > 1
        # the span begins or ends inside a number, or holds nothing but numbers
        on_number = any(a < f.start < b or a < f.end < b for a, b in markers) or (f.end > f.start and not kept.strip("\n"))
        assert crosses or on_number, (want, got, placed.note)
        assert placed.note
        if "段的开头" not in placed.note:  # not only on Word's number: the comment covers part of the span
            assert got in kept, (want, got, placed.note)
    assert stats.moved == sum(1 for p in stats.placed if p.finding is not None and not p.exact)


_LINE = st.text(alphabet=st.sampled_from(list("法治政府建设年度报告一二三、,。“” ab12\t\u3000\x01\x0b")), max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(lines=st.lists(_LINE, min_size=1, max_size=8), cuts=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=4), crlf=st.booleans())
@example(lines=["11111111111“", "", "1111111"], cuts=[(0.0, 0.78125)], crlf=False)  # a blank line inside a joined paragraph
def test_any_span_of_any_text_is_covered(lines: list[str], cuts: list[tuple[float, float]], crlf: bool) -> None:
    """Text input (blank lines, indentation, tabs, control characters Word cannot hold, CRLF):
    each comment covers its span's text (whitespace aside; control characters become spaces)."""
    from fzlint.errors import InputError
    from fzlint.ingest import load_bytes

    text = ("\r\n" if crlf else "\n").join(["法治政府建设年度报告", *lines])
    try:
        src = load_bytes(text.encode("utf-8"), "r.txt")
    except InputError:  # mostly control characters: not a text file
        assume(False)
        return
    blob, stats = _annotate_spans(src, cuts)
    import tempfile

    squeeze = lambda s: re.sub(r"[\s\x01\x0b]+", "", s)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "b.docx"
        out.write_bytes(blob)
        texts = anchored_texts(out)
    for placed in stats.placed:
        if placed.finding is not None:
            assert squeeze(texts[str(placed.comment_id)]) == squeeze(src.text[placed.finding.start : placed.finding.end])
