"""Reader registry: suffixes, old binary formats, folder walks, stdin, and lazy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fzlint.ingest.formats import SUPPORTED_SUFFIXES, reader_for
from tests.conftest import ROOT, run_cli, seed
from tests.docmaker import seed_body, write_docx, write_html


def test_readers_by_suffix() -> None:
    for suffix in (".docx", ".pdf", ".html", ".htm", ".doc", ".wps", ".rtf", ".odt", ".ofd", ".DOCX", ".OFD",
                   ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".PNG"):
        assert reader_for(suffix) is not None, suffix
    for suffix in (".txt", ".md", ""):
        assert reader_for(suffix) is None
    assert {".txt", ".md", ".docx", ".pdf", ".html", ".htm", ".doc", ".wps", ".rtf", ".odt", ".ofd"} <= SUPPORTED_SUFFIXES


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".rtf", ".odt"])
def test_formats_needing_libreoffice_name_the_package_when_it_is_missing(tmp_path: Path, suffix: str) -> None:
    # (with LibreOffice: tests/test_ingest_convert.py)
    path = tmp_path / f"报告{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 512)
    no_soffice = {"PATH": str(tmp_path)}  # a folder without soffice
    proc = run_cli(str(path), env=no_soffice)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert f"报告{suffix}" in err and "apt install libreoffice-writer-nogui" in err and "Traceback" not in err
    assert "libreoffice --headless --convert-to docx" in err and len(err.strip().splitlines()) == 1
    proc = run_cli("--lang", "en", str(path), env=no_soffice)
    assert "needs LibreOffice" in proc.stderr.decode()


def test_folder_walk_picks_up_every_supported_format(tmp_path: Path) -> None:
    body = seed_body(seed("004"))
    (tmp_path / "a.txt").write_text("\n".join(body), encoding="utf-8")
    write_docx(body, tmp_path / "b.docx")
    write_html(body, tmp_path / "c.html")
    write_html(body, tmp_path / "d.htm")
    (tmp_path / "notes.csv").write_text("x,y\n", encoding="utf-8")
    (tmp_path / "~$b.docx").write_bytes(b"lock")  # Word's lock file: never a report
    # the Word layout rules (L1xx) score the Word file's formatting too: left out here
    proc = run_cli("-q", "--ignore", "L", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()  # seed 004 has warnings only
    out = proc.stdout.decode()
    score = _txt_score()
    for name in ("a.txt", "b.docx", "c.html", "d.htm"):
        assert f"{name}: {score} " in out, out
    assert "notes.csv" not in out and "~$" not in out


def test_stdin_with_a_docx_filename(tmp_path: Path) -> None:
    path = write_docx(seed_body(seed("004")), tmp_path / "r.docx")
    proc = run_cli("-q", "--ignore", "L", "-", "--stdin-filename", "报告.docx", input=path.read_bytes())
    assert f"报告.docx: {_txt_score()} " in proc.stdout.decode(), proc.stderr.decode()


def _txt_score() -> str:
    """Seed 004's score as plain text: every format must score the same."""
    out = run_cli("-q", str(seed("004"))).stdout.decode()
    return out.split(": ", 1)[1].split()[0]


def test_plain_text_runs_do_not_import_the_format_libraries() -> None:
    code = (
        "import sys\nfrom fzlint.cli import main\n"
        f"main(['-q', '--exit-zero', {str(seed('004'))!r}])\n"
        "heavy = [m for m in ('docx', 'pypdfium2', 'trafilatura', 'lxml', 'rapidocr_onnxruntime', 'onnxruntime',"
        " 'cv2', 'PIL', 'numpy', 'fzlint.ingest.ocr') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60, check=True)
    assert b"HEAVY []" in proc.stdout, proc.stdout + proc.stderr
