"""Coverage-guided fuzzing (atheris/libFuzzer) of the ingest and document layers on raw bytes.

    python tests/fuzz/fuzz_ingest.py --time 600            # ten minutes
    python tests/fuzz/fuzz_ingest.py --time 20 --lint      # also run the default ruleset

Every input must either be refused with an InputError (a clear user message) or become a
Source and a Document whose offsets are consistent. Anything else is a crash: libFuzzer stops,
prints the traceback and writes the input to crash-<sha1> under --artifacts.
The seed corpus is the five seed reports in several encodings, plus a few nasty shapes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["fzlint"]):
    from fzlint.document import build_document
    from fzlint.errors import InputError
    from fzlint.ingest import load_bytes

LINTER = None  # set by --lint


def check_invariants(data: bytes) -> None:
    try:
        src = load_bytes(data, "fuzz.txt")
    except InputError:
        return
    text = src.text
    assert src.line_starts[0] == 0 and src.line_starts == sorted(src.line_starts)
    line, col = src.position(len(text))
    assert 1 <= line <= src.line_count and col >= 1
    doc = build_document(src)
    assert len(doc.norm) == len(text), "normalization must keep the length"
    lo, hi = doc.body_span
    assert 0 <= lo <= hi <= len(text)
    for p in doc.paragraphs:
        v = p.view
        assert v.text, "empty paragraph"
        for i in (0, len(v.text) - 1):
            off = v.to_doc(i)
            assert 0 <= off < len(text), (i, off)
        s, e = v.doc_span(0, len(v.text))
        assert 0 <= s <= e <= len(text)
    if doc.meta.title_span:
        s, e = doc.meta.title_span
        assert 0 <= s <= e <= len(text)
    _ = doc.body.text
    if LINTER is not None:
        result = LINTER.lint_document(doc)
        for f in result.findings:
            assert 0 <= f.start <= f.end <= len(text), (f.code, f.start, f.end)
            for off in (f.start, f.end):
                ln, col = src.position(off)
                assert col <= len(src.line_text(ln)) + 1, (f.code, off, ln, col)


def test_one_input(data: bytes) -> None:
    check_invariants(data)


def write_corpus(folder: Path) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    n = 0
    for seed in seeds:
        text = seed.read_text(encoding="utf-8")
        short = text[:3000]
        for enc in ("utf-8", "gb18030", "utf-16", "utf-16-le"):
            (folder / f"seed{n}").write_bytes(short.encode(enc, errors="replace"))
            n += 1
    extras = [
        b"",
        b"\xef\xbb\xbf",
        "\u3000\u3000一、主要举措和成效\n(一)依法履职\n1.内容。\n(1)细节。\n".encode(),
        "法治政府建設情況報告\n一、主要舉措\n我們這個縣為實現目標。\n".encode(),
        b"\x00" * 64,
        "二〇二一年十二月三十一日\n某某县人民政府\n2021年2月30日\n".encode("gb18030"),
    ]
    for blob in extras:
        (folder / f"extra{n}").write_bytes(blob)
        n += 1


def main() -> int:
    global LINTER
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--time", type=int, default=60, help="time budget in seconds (default 60)")
    ap.add_argument("--lint", action="store_true", help="also run the default ruleset's checks")
    ap.add_argument("--max-len", type=int, default=16384, help="longest input in bytes")
    ap.add_argument("--artifacts", default=".", help="folder for crash-* inputs")
    ap.add_argument("--corpus", default=None, help="corpus folder to keep between runs")
    args, rest = ap.parse_known_args()
    if args.lint:
        from fzlint.engine import Linter
        from fzlint.rules.loader import load_ruleset

        LINTER = Linter(load_ruleset())
    corpus = Path(args.corpus) if args.corpus else Path(tempfile.mkdtemp(prefix="fzlint-fuzz-"))
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        write_corpus(corpus)
    argv = [
        sys.argv[0],
        f"-max_total_time={args.time}",
        f"-max_len={args.max_len}",
        f"-artifact_prefix={os.path.join(args.artifacts, '')}",
        "-print_final_stats=1",
        *rest,
        str(corpus),
    ]
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
