"""Time `fzlint serve` from upload to page, as a browser sees it.

    python benchmarks/serve.py             # 7 rounds
    python benchmarks/serve.py --rounds 15

Starts the real server (`python -m fzlint serve --port 0`) and, for each seed .txt, a .docx made
from seed 000 (python-docx), and a .zip of 20 reports (the five seeds four times), POSTs the file,
follows the 303 and reads the page: the median of the rounds, in milliseconds, with the server's
own split (Server-Timing: reading the upload; the check, from handing it over to reading its
outcome; the part of that spent inside the child). The annotated .docx is made when its link is
followed: when this fzlint makes one (fzlint/annotate.py), following the seed .docx's link is
timed too. Machines here are shared: run it twice and read the lower figures.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----fzlintbench"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _round(port: int, name: str, data: bytes, download: list[float] | None = None) -> tuple[float, float, float, float]:
    body, ctype = _multipart(name, data)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    start = time.perf_counter()
    conn.request("POST", "/check", body, {"Content-Type": ctype})
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 303, resp.status
    timing = dict(re.findall(r"(\w+);dur=([\d.]+)", resp.getheader("Server-Timing", "")))
    conn.request("GET", "/" + resp.getheader("Location", ""), headers={"Accept-Encoding": "gzip"})
    page = conn.getresponse()
    html = page.read()
    assert page.status == 200
    total = (time.perf_counter() - start) * 1000
    link = re.search(rb'id="download" href="([^"]+)"', html if page.getheader("Content-Encoding") != "gzip" else gzip.decompress(html))
    if download is not None and link:
        began = time.perf_counter()
        conn.request("GET", "/" + resp.getheader("Location", "") + link.group(1).decode())
        got = conn.getresponse()
        got.read()
        assert got.status == 200, got.status
        download.append((time.perf_counter() - began) * 1000)
    conn.close()
    return total, float(timing.get("upload", 0)), float(timing.get("check", 0)), float(timing.get("work", 0))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ns = ap.parse_args()
    from tests.docmaker import seed_body, write_docx

    work = Path(tempfile.mkdtemp(prefix="fzlint-bench-serve-"))
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    docx = write_docx(seed_body(seeds[0]), work / "seed000.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(4):
            for p in seeds:
                zf.write(p, f"{i}/{p.name}")
    cases = [(p.name, p.read_bytes()) for p in seeds] + [(docx.name, docx.read_bytes()), ("twenty.zip", buf.getvalue())]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "fzlint", "serve", "--port", "0", "-q"], cwd=work, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert proc.stdout is not None
        m = re.search(rb":(\d+)/", proc.stdout.readline())
        assert m, "the server did not start"
        port = int(m.group(1))
        _round(port, *cases[0])  # the first request of a fresh server: not counted
        print(f"{'file':34s} {'upload→page ms':>15s} {'upload ms':>10s} {'check ms':>9s} {'in child ms':>12s}")
        download: list[float] = []
        for name, data in cases:
            rows = [_round(port, name, data, download if name.endswith(".docx") else None) for _ in range(ns.rounds)]
            med = [statistics.median(r[i] for r in rows) for i in range(4)]
            print(f"{name:34s} {med[0]:15.0f} {med[1]:10.1f} {med[2]:9.0f} {med[3]:12.0f}")
        if download:
            print(f"{'annotated .docx (link followed)':34s} {statistics.median(download):15.0f}")
        else:
            print("(this fzlint makes no annotated .docx: no download timed)")
    finally:
        proc.terminate()
        proc.wait(30)


if __name__ == "__main__":
    main()
