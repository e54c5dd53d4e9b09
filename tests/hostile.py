"""Hostile input files, built inside the tests: zip bombs, numbering.xml extremes, PDF bombs and
page-tree cycles, odd HTML charsets, and large-but-legal reports.

Everything here writes bytes by hand (zipfile, zlib, a tiny PDF writer) so that each file is
exactly the hostile shape under test, and nothing needs a network or a sample file.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

PARAGRAPHS = [
    "XX市司法局2023年度法治政府建设情况报告",
    "2023年，我局深入学习贯彻习近平法治思想，全面推进依法行政，现将有关情况报告如下。",
    "一、主要举措和成效",
    "（一）健全依法决策机制。严格落实重大行政决策程序，全年开展合法性审查12件。",
    "二、存在的不足和原因",
    "一是法治宣传方式还不够新颖；二是执法人员业务能力有待提高。",
    "三、下一年度主要安排",
    "继续全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。",
    "XX市司法局",
    "2024年1月15日",
]


# ---- .docx -------------------------------------------------------------------------------------
def _w_paragraph(text: str, num: tuple[int, int] | None = None) -> str:
    ppr = f'<w:pPr><w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr></w:pPr>' if num else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def document_xml(paragraphs: list[str] | None = None, numbered: dict[int, tuple[int, int]] | None = None) -> str:
    paras = paragraphs if paragraphs is not None else PARAGRAPHS
    numbered = numbered or {}
    body = "".join(_w_paragraph(t, numbered.get(i)) for i, t in enumerate(paras))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def numbering_xml(fmt: str = "decimal", start: str = "1", lvl_text: str = "%1、", override: str | None = None) -> str:
    ov = f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{override}"/></w:lvlOverride>' if override else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W_NS}">'
        f'<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{lvl_text}"/></w:lvl></w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="1"/>{ov}</w:num></w:numbering>'
    )


def docx_parts(document: str, numbering: str | None = None, styles: str | None = None) -> dict[str, bytes]:
    """The members of a minimal valid .docx (what Word needs to open it)."""
    overrides = '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    rels = ""
    parts: dict[str, bytes] = {}
    if numbering is not None:
        overrides += '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
        rels += f'<Relationship Id="rId1" Type="{_OFFICE}/numbering" Target="numbering.xml"/>'
        parts["word/numbering.xml"] = numbering.encode("utf-8")
    if styles is not None:
        overrides += '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        rels += f'<Relationship Id="rId2" Type="{_OFFICE}/styles" Target="styles.xml"/>'
        parts["word/styles.xml"] = styles.encode("utf-8")
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    return {
        "[Content_Types].xml": (
            f'{head}<Types xmlns="{_CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
        ).encode(),
        "_rels/.rels": f'{head}<Relationships xmlns="{_REL}"><Relationship Id="rId1" Type="{_OFFICE}/officeDocument" Target="word/document.xml"/></Relationships>'.encode(),
        "word/_rels/document.xml.rels": f'{head}<Relationships xmlns="{_REL}">{rels}</Relationships>'.encode(),
        "word/document.xml": document.encode("utf-8"),
        **parts,
    }


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def write_docx(path: Path, paragraphs: list[str] | None = None, *, numbering: str | None = None,
               numbered: dict[int, tuple[int, int]] | None = None) -> Path:
    return write_zip(path, docx_parts(document_xml(paragraphs, numbered), numbering))


def repeat_deflate(head: bytes, chunk: bytes, times: int, tail: bytes, *, raw: bool = True) -> tuple[bytes, int, int]:
    """A deflate stream of head + chunk * times + tail, made fast: the chunk is compressed once
    after a full flush (which resets the compressor), and those bytes repeated. Returns (stream,
    uncompressed size, CRC-32 of the uncompressed data)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15 if raw else 15)
    start = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    piece = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    end = comp.compress(tail) + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return start + piece * times + end, len(head) + len(chunk) * times + len(tail), crc


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand from (name, deflated payload, declared size, CRC-32) members, so
    that a test can declare any size it likes."""
    buf = io.BytesIO()
    central: list[bytes] = []
    for name, payload, size, crc in members:
        offset = buf.tell()
        raw_name = name.encode()
        buf.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(payload), size, len(raw_name), 0))
        buf.write(raw_name)
        buf.write(payload)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(payload), size,
                                   len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name)
    cd_start = buf.tell()
    for c in central:
        buf.write(c)
    cd_size = buf.tell() - cd_start
    buf.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), cd_size, cd_start, 0))
    return buf.getvalue()


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), len(data), zlib.crc32(data)


def _bomb_members(inflated_mb: int, member: str, declared: int | None) -> list[tuple[str, bytes, int, int]]:
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    parts = docx_parts(document_xml())
    if member != "word/document.xml":
        head, tail = b"<?xml version='1.0'?><x>", b"</x>"
    chunk = "法治".encode() * (1 << 19)  # 3 MB
    stream, size, crc = repeat_deflate(head, chunk, inflated_mb * (1 << 20) // len(chunk), tail)
    out = []
    for name, data in parts.items():
        if name == member:
            continue
        out.append((name, *_deflated(data)))
    out.append((member, stream, size if declared is None else declared, crc))
    return out


def zip_bomb_docx(path: Path, inflated_mb: int = 1024, member: str = "word/document.xml") -> Path:
    """A small .docx whose `member` inflates to `inflated_mb` MB of well-formed XML (one huge run
    of text); its sizes and CRC are true."""
    path.write_bytes(raw_zip(_bomb_members(inflated_mb, member, None)))
    return path


def lying_zip_docx(path: Path, inflated_mb: int = 512) -> Path:
    """A .docx whose document.xml *declares* 1 KB while its deflate stream inflates to
    `inflated_mb` MB: the central directory and the local header lie."""
    path.write_bytes(raw_zip(_bomb_members(inflated_mb, "word/document.xml", 1024)))
    return path


# ---- .pdf --------------------------------------------------------------------------------------
def pdf_bytes(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from numbered objects (object i+1 is objects[i]) with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def _stream(data: bytes, flate: bool = False) -> bytes:
    if flate:
        data = zlib.compress(data, 9)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def text_pdf(path: Path, pages: int, lines_per_page: int = 40) -> Path:
    """An ASCII text PDF with `pages` pages (Helvetica, one text object per page)."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for p in range(pages):
        ops = [b"BT /F1 11 Tf 72 760 Td 14 TL"]
        for ln in range(lines_per_page):
            ops.append(b"(Page %d line %d of the annual report on law-based government.) '" % (p + 1, ln + 1))
        ops.append(b"ET")
        objs.append(_stream(b"\n".join(ops)))
        content = len(objs)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content)
        kids.append(len(objs))
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), pages)
    path.write_bytes(pdf_bytes(objs))
    return path


def content_bomb_pdf(path: Path, inflated_mb: int = 1024) -> Path:
    """One page whose content stream is a small FlateDecode stream inflating to `inflated_mb` MB
    of path operators (the shape that made pdfium allocate GBs and abort)."""
    chunk = b"0 0 m 1 1 l " * (1 << 18)  # 3 MB
    data, _size, _crc = repeat_deflate(b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n", chunk,
                                       inflated_mb * (1 << 20) // len(chunk), b"\n", raw=False)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        stream,
    ]
    path.write_bytes(pdf_bytes(objs))
    return path


def cyclic_pdf(path: Path) -> Path:
    """A page tree that is a cycle: the Pages node lists itself (and a second node lists the
    first) among its kids."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
        b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>",
    ]
    path.write_bytes(pdf_bytes(objs))
    return path


# ---- .html / .txt ------------------------------------------------------------------------------
def charset_html(path: Path, charset: str) -> Path:
    body = "".join(f"<p>{t}</p>" for t in PARAGRAPHS)
    path.write_bytes(f'<html><head><meta charset="{charset}"><title>{PARAGRAPHS[0]}</title></head><body>{body}</body></html>'.encode())
    return path


def many_paragraphs_html(path: Path, n: int, words: int = 4) -> Path:
    """A saved page with n short <p> (the first `words` characters of the report's paragraphs:
    about 22 bytes an element with the default, the shape of the 17.6 MB / 800,000 <p> page)."""
    head = f'<html><head><meta charset="utf-8"><title>{PARAGRAPHS[0]}</title></head><body><div class="content">'
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head)
        fh.writelines(f"<p>{PARAGRAPHS[1 + i % (len(PARAGRAPHS) - 1)][:words]}</p>\n" for i in range(n))
        fh.write("</div></body></html>")
    return path


def many_lines_text(path: Path, n: int, words: int = 5) -> Path:
    """A text file of n short lines (about 16 bytes each with the default, the shape of the
    12.8 MB / 800,000-line file)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(PARAGRAPHS[0] + "\n")
        fh.writelines(PARAGRAPHS[1 + i % (len(PARAGRAPHS) - 1)][:words] + "\n" for i in range(n - 1))
    return path
