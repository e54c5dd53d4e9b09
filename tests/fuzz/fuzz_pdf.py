"""Coverage-guided fuzzing (atheris/libFuzzer) of the PDF reader (fzlint.ingest.pdf).

    python tests/fuzz/fuzz_pdf.py --time 600 --corpus fuzz-pdf/       # ten minutes
    python tests/fuzz/fuzz_pdf.py crash-<sha1>                        # replay a crash

The reading runs in-process here (`pdf._extract`, what read_pdf runs in its child process), so
that libFuzzer sees the coverage of fzlint's line grouping, furniture stripping and paragraph
joining; a native crash of pdfium would stop the run (in fzlint it is that file's error line).
Every input must be refused with an InputError or become a Source whose Document has
consistent offsets. Seeds: small hand-written PDFs (uncompressed content streams, so mutations
reach the text operators) with headers, page numbers, indents, font sizes, broken lines and a
page tree that loops.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["fzlint"]):
    from common import check_source, run_atheris

    from fzlint.errors import InputError
    from fzlint.ingest import limits
    from fzlint.ingest.pdf import _extract
    from fzlint.ingest.source import Source

from tests import hostile

LIMITS = limits.Limits(max_pages=20, max_chars=200_000, max_paragraphs=5_000)


def test_one_input(data: bytes, linter: object = None) -> None:
    if b"%PDF" not in data[:1024]:
        return  # read_pdf refuses these before pdfium sees them
    try:
        text, meta, _notes, for_ocr = _extract(data, "fuzz.pdf", LIMITS)
    except InputError:
        return
    if for_ocr is not None:
        return  # pages without a text layer: recognised by OCR in the parent (not fuzzed here)
    src = Source(path="fuzz.pdf", text=text, format="pdf", encoding="pdf")
    src.meta.update(meta)
    check_source(src, linter)


def _page(lines: list[tuple[float, float, float, str]]) -> bytes:
    ops = [b"BT"]
    for x, y, size, text in lines:
        ops.append(b"/F1 %g Tf 1 0 0 1 %g %g Tm (%s) Tj" % (size, x, y, text.encode("latin-1")))
    ops.append(b"ET")
    return b"\n".join(ops)


def layout_pdf(pages: list[list[tuple[float, float, float, str]]]) -> bytes:
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        body = _page(lines)
        objs.append(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objs))
        kids.append(len(objs))
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(pages))
    return hostile.pdf_bytes(objs)


def write_corpus(folder: Path) -> None:
    long = "The county government carried out the annual law-based government work and reviewed twelve"
    pages = []
    for p in range(3):
        lines = [(250, 800, 9, "Running header of the report"), (280, 40, 10, f"- {p + 1} -")]
        y = 740
        if p == 0:
            lines.append((150, y, 18, "Annual Report on Law-Based Government 2023"))
            y -= 40
        for i in range(8):
            x = 100 if i % 4 == 0 else 72
            text = long if i % 4 != 3 else "short line ends here."
            lines.append((x, y, 12, text))
            y -= 18 if i % 4 != 3 else 30
        lines.append((72, y, 14, "II. Problems and causes"))
        pages.append(lines)
    seeds = [layout_pdf(pages), layout_pdf(pages[:1]), layout_pdf([[]]), layout_pdf([[(72, 700, 12, "1/3")]])]
    for n, blob in enumerate(seeds):
        (folder / f"seed{n}").write_bytes(blob)
    (folder / "cycle").write_bytes(hostile.cyclic_pdf(folder / "tmp").read_bytes())
    (folder / "text").write_bytes(hostile.text_pdf(folder / "tmp", 2, 6).read_bytes())
    (folder / "tmp").unlink()


if __name__ == "__main__":
    sys.exit(run_atheris(__doc__, test_one_input, write_corpus))
