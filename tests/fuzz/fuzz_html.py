"""Coverage-guided fuzzing (atheris/libFuzzer) of the web page reader (fzlint.ingest.html).

    python tests/fuzz/fuzz_html.py --time 600 --corpus fuzz-html/     # ten minutes
    python tests/fuzz/fuzz_html.py crash-<sha1>                       # replay a crash

Every input must be refused with an InputError or become a Source whose Document has
consistent offsets. Seeds: saved government pages (tests/docmaker.py: navigation, breadcrumb,
info bar, body, related links, footer) in UTF-8 and GB18030, pages that declare odd charsets
(gbk, big5, rot13, utf-16), an XML declaration, date meta tags and <time>, and pages too short
for trafilatura (the content-density fallback).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["fzlint"]):
    from common import check_source, run_atheris

    from fzlint.errors import InputError
    from fzlint.ingest import limits
    from fzlint.ingest.html import read_html

from tests import hostile

LIMITS = limits.Limits(max_html_tags=20_000)


def test_one_input(data: bytes, linter: object = None) -> None:
    try:
        src = read_html(data, "fuzz.html", LIMITS)
    except InputError:
        return
    check_source(src, linter)


def write_corpus(folder: Path) -> None:
    from tests.docmaker import write_html

    n = 0
    with tempfile.TemporaryDirectory() as d:
        for enc in ("utf-8", "gb18030"):
            blob = write_html(hostile.PARAGRAPHS, Path(d) / "p.html", encoding=enc).read_bytes()
            (folder / f"seed{n}").write_bytes(blob)
            n += 1
        for charset in ("gbk", "big5", "rot13", "utf-16", "windows-1252"):
            (folder / f"seed{n}").write_bytes(hostile.charset_html(Path(d) / "c.html", charset).read_bytes())
            n += 1
    extras = [
        ('<?xml version="1.0" encoding="gb2312"?><html><head><meta name="PubDate" content="2022-03-10"></head>'
         "<body><time itemprop=datePublished datetime=2022-03-11>x</time><p>发布时间:2022年3月12日</p></body></html>"),
        "<html><body><div id=nav>首页</div><div class=content><p>一、主要举措</p><p>短</p></div></body></html>",
        "<html><body><table><tr><td>法治</td><td>政府</td></tr></table><pre>2023年\r\n工作</pre></body></html>",
        "<html><body><p>前</p><div class=nav>首页</div>&#1;尾<p title='&#xFFFE;'>法治&#25919;&#x5E9C;</p></body></html>",
    ]
    for blob in extras:
        (folder / f"extra{n}").write_bytes(blob.encode("gb18030" if "gb2312" in blob else "utf-8"))
        n += 1


if __name__ == "__main__":
    sys.exit(run_atheris(__doc__, test_one_input, write_corpus))
