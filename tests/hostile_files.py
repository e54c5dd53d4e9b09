"""Hostile report files made inside a test: each once stopped a whole run (issue #13).

Each carries a real report's text where its format allows, so that a reader that copes with the
trap lints it as a report; the trap is the part that used to raise.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, seed
from tests.docmaker import W_NS, install_numbering, seed_body, set_num

NON_TEXT_CODECS = ("rot13", "base64", "hex", "zlib")


def negative_ideograph_docx(path: Path) -> Path:
    """A Word report whose list numbering starts at -3 in ideographDigital (〇一二…) format."""
    import docx

    document = docx.Document()
    install_numbering(
        document,
        f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="-3"/>'
        '<w:numFmt w:val="ideographDigital"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>',
    )
    for n, line in enumerate(seed_body(seed("001"))):
        p = document.add_paragraph(line)
        if n in (2, 5):
            set_num(p, 2, 0)
    document.save(path)
    return path


def charset_html(path: Path, codec: str) -> Path:
    """A web page whose meta tag declares a codec that is not a text encoding (rot13, base64…)."""
    body = "".join(f"<p>{line}</p>" for line in seed_body(seed("004")))
    path.write_bytes(f'<html><head><meta charset="{codec}"><title>报告</title></head><body>{body}</body></html>'.encode())
    return path


def cyclic_pdf(path: Path) -> Path:
    """A PDF whose page tree is a cycle: the Pages node lists itself among its kids."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path, 0o600)
    return path


# Bounds for a child fzlint: a hang or a runaway allocation fails the test instead of the machine.
MEMORY = 1 << 30  # bytes of address space per process (workers inherit it)
CPU_SECONDS = 120


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_bounded(*args: str, cwd: Path = ROOT, timeout: float = 180) -> subprocess.CompletedProcess[bytes]:
    """The real CLI in a child with bounded memory and CPU time, and a wall-clock timeout."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "fzlint", *args],
        cwd=cwd, env=env, capture_output=True, timeout=timeout, preexec_fn=_bounded, check=False,
    )
