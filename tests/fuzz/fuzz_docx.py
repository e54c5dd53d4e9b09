"""Coverage-guided fuzzing (atheris/libFuzzer) of the Word reader (fzlint.ingest.docx).

    python tests/fuzz/fuzz_docx.py --time 600 --corpus fuzz-docx/     # ten minutes
    python tests/fuzz/fuzz_docx.py crash-<sha1>                       # replay a crash

An input is either a whole .docx (it starts with PK: byte-level mutations of the zip), or the
text of its XML parts separated by `\\n--part--\\n` (document.xml, numbering.xml, styles.xml),
which the target zips into a valid package: most mutations then reach the XML parser, the
numbering renderer and the paragraph walk instead of failing the CRC. Every input must be
refused with an InputError or become a Source whose Document has consistent offsets.
The seed corpus: Word files written by python-docx (tests/docmaker.py), plus parts written by
hand with tables, content controls, fields, text boxes, tracked changes, list styles and
numbering in every format the reader draws.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["fzlint"]):
    from common import check_source, run_atheris

    from fzlint.errors import InputError
    from fzlint.ingest.docx import read_docx

from tests import hostile

SEP = b"\n--part--\n"
_PARTS = ("word/document.xml", "word/numbering.xml", "word/styles.xml")


def package(data: bytes) -> bytes:
    """The .docx for an input in the split form (see the module docstring)."""
    pieces = data.split(SEP)
    parts = {name: blob for name, blob in hostile.docx_parts("", "", "").items() if name not in _PARTS}
    for name, blob in zip(_PARTS, pieces):
        parts[name] = blob
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, blob in parts.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def test_one_input(data: bytes, linter: object = None) -> None:
    blob = data if data.startswith(b"PK") else package(data)
    try:
        src = read_docx(blob, "fuzz.docx")
    except InputError:
        return
    check_source(src, linter)


W = hostile.W_NS
STYLES = (
    f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="H1"><w:basedOn w:val="H0"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/><w:ilvl w:val="0"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="H0"><w:basedOn w:val="H1"/></w:style>'
    '<w:style w:type="numbering" w:styleId="L"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style></w:styles>'
)
RICH = (
    f'<w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>'
    "<w:p><w:r><w:t>XX县2023年法治政府建设情况报告</w:t></w:r></w:p>"
    '<w:p><w:pPr><w:pStyle w:val="H1"/></w:pPr><w:r><w:t>主要举措和成效</w:t></w:r></w:p>'
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>完善制度</w:t></w:r>'
    "<w:r><w:tab/><w:t>全年</w:t><w:br/><w:t>审查</w:t></w:r><w:hyperlink><w:r><w:t>12件</w:t></w:r></w:hyperlink>"
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>3</w:t></w:r>'
    "<w:ins><w:r><w:t>新增</w:t></w:r></w:ins><w:del><w:r><w:delText>删除</w:delText></w:r></w:del>"
    "<w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>"
    "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:t>旧</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>单元格一</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>嵌套</w:t></w:r></w:p>"
    "</w:tc></w:tr></w:tbl></w:tc><w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>控件</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt>"
    "</w:tr></w:tbl><w:sdt><w:sdtContent><w:p><w:r><w:t>二、存在的不足和原因</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr><w:r><w:t>一是人员不足</w:t></w:r></w:p>'
    "<w:p/><w:p><w:r><w:t>XX县人民政府</w:t></w:r></w:p><w:p><w:r><w:t>2024年1月15日</w:t></w:r></w:p>"
    "</w:body></w:document>"
)
NUMBERING = (
    f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="1">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/><w:lvlRestart w:val="1"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/><w:isLgl/></w:lvl>'
    '</w:abstractNum><w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="L"/></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="3"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num></w:numbering>'
)
FORMATS = ("decimal", "chineseCounting", "chineseLegalSimplified", "ideographTraditional", "ideographZodiac",
           "ideographDigital", "decimalZero", "decimalFullWidth", "decimalEnclosedCircle", "decimalEnclosedParen",
           "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "bullet", "none", "japaneseCounting")


def write_corpus(folder: Path) -> None:
    n = 0

    def put(blob: bytes) -> None:
        nonlocal n
        (folder / f"seed{n}").write_bytes(blob)
        n += 1

    put(SEP.join([RICH.encode(), NUMBERING.encode(), STYLES.encode()]))
    numbered = {2: (1, 0), 3: (1, 1), 4: (1, 0), 6: (1, 0)}
    for fmt in FORMATS:
        for start in ("0", "1", "19", "3999"):
            put(SEP.join([hostile.document_xml(numbered=numbered).encode(),
                          hostile.numbering_xml(fmt, start, "%1、" if fmt != "decimal" else "%1.%1").encode()]))
    try:
        from tests.docmaker import write_docx
    except ImportError:  # pragma: no cover - without python-docx: the hand-written seeds only
        return
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        for auto in (False, True):
            f = write_docx(hostile.PARAGRAPHS, Path(d) / "r.docx", auto_numbering=auto, furniture=auto)
            put(f.read_bytes())
    put(hostile.write_docx(Path(folder / "tmp.docx")).read_bytes())
    (folder / "tmp.docx").unlink()


if __name__ == "__main__":
    sys.exit(run_atheris(__doc__, test_one_input, write_corpus))
