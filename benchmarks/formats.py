"""Time the LibreOffice conversions (.doc) and the OFD reader.

    python benchmarks/formats.py            # 8 .doc files, 8-page OFD
    python benchmarks/formats.py --docs 20

Prints, for .doc files made from the seeds (python-docx, then LibreOffice `--convert-to doc`):
- one file, a new LibreOffice profile (what the first file of a run pays);
- one file, the profile reused (every further file converted alone);
- N files with one LibreOffice start (what `fzlint DIR` does: convert.prepare), per file;
- a file already in the cache (read back, no LibreOffice);
and for OFD files written by tests/ofdmaker.py: the reader's time per page (median of 5), for the
per-line and per-character layouts. Machines here are shared: run it twice and read the lower
figures; the ratios within one run are what count.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _docs(out: Path, n: int) -> list[Path]:
    from tests.conftest import seed
    from tests.docmaker import seed_body, write_docx

    seeds = ["000", "001", "002", "003", "004"]
    docx = [write_docx(seed_body(seed(seeds[i % 5])) + [f"(第 {i} 份)"], out / f"r{i:03d}.docx") for i in range(n)]
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice (soffice) is needed"
    subprocess.run([exe, f"-env:UserInstallation={(out / 'mk-profile').as_uri()}", "--headless", "--convert-to", "doc",
                    "--outdir", str(out), *map(str, docx)], check=True, capture_output=True, timeout=600)
    return [p.with_suffix(".doc") for p in docx]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=8)
    ns = ap.parse_args()
    os.environ["FZLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="fzlint-bench-cache-")
    from fzlint.ingest import convert, formats
    from fzlint.ingest.ofd import read_ofd

    with tempfile.TemporaryDirectory() as tmp:
        docs = _docs(Path(tmp), max(3, ns.docs))
        datas = [p.read_bytes() for p in docs]
        formats.configure(use_cache=False)

        t = time.perf_counter()
        convert.convert_to_docx(datas[0], ".doc", "a.doc")
        cold = time.perf_counter() - t
        warm = []
        for d in datas[1:3]:
            t = time.perf_counter()
            convert.convert_to_docx(d, ".doc", "b.doc")
            warm.append(time.perf_counter() - t)

        formats.configure(use_cache=True)
        convert._done.clear()
        shutil.rmtree(os.environ["FZLINT_CACHE_DIR"], ignore_errors=True)
        t = time.perf_counter()
        done = convert.prepare([str(p) for p in docs], lambda _p: None, 20 * 1024 * 1024)
        batch = (time.perf_counter() - t) / len(docs)
        assert done == len(docs), done
        convert._done.clear()
        t = time.perf_counter()
        src = convert.read_converted(datas[0], str(docs[0]), ".doc")
        cached = time.perf_counter() - t
        assert src.meta["converter"].startswith("LibreOffice")
        print(f"{src.meta['converter']}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
        print(f".doc, new profile (first file of a run): {cold:6.2f} s")
        print(f".doc, profile reused (each further file):  {statistics.median(warm):6.2f} s")
        print(f".doc, {len(docs)} files, one start (fzlint DIR):  {batch:6.2f} s per file")
        print(f".doc, from the cache (read + .docx reader): {cached * 1000:6.0f} ms")

    from tests.conftest import seed
    from tests.docmaker import seed_body
    from tests.ofdmaker import build, layout, pack

    body = seed_body(seed("001"))
    pages = len(layout(body))
    for mode in ("line", "char"):
        data = pack(build(body, mode=mode))
        times = []
        for _ in range(5):
            t = time.perf_counter()
            read_ofd(data, "r.ofd")
            times.append(time.perf_counter() - t)
        print(f"OFD ({mode:4s}, {pages} pages, {len(data) // 1024} KB): {statistics.median(times) / pages * 1000:6.2f} ms per page")


if __name__ == "__main__":
    main()
