"""What every fuzz target checks on a Source it got: offsets, views and spans stay inside the
text, and (with a linter) every finding's line:column is inside its line. Imported inside each
target's `atheris.instrument_imports()` block, so fzlint's code is instrumented."""

from __future__ import annotations

import os
from typing import Any

# The readers run here, not in the sandbox's forked child (ingest/sandbox.py): the fuzzer must see
# their coverage, and libFuzzer takes a forked child's exit for the target's own ("fuzz target
# exited").
os.environ["FZLINT_NO_SANDBOX"] = "1"

from fzlint.document import build_document


def check_source(src: Any, linter: Any = None) -> None:
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
    if linter is not None:
        result = linter.lint_document(doc)
        for f in result.findings:
            assert 0 <= f.start <= f.end <= len(text), (f.code, f.start, f.end)
            for off in (f.start, f.end):
                ln, col = src.position(off)
                assert col <= len(src.line_text(ln)) + 1, (f.code, off, ln, col)


def run_atheris(doc: str, test_one_input: Any, write_corpus: Any, default_max_len: int = 65536) -> int:
    """The shared command line of the fuzz targets (see fuzz_ingest.py for the options)."""
    import argparse
    import os
    import sys
    import tempfile
    from pathlib import Path

    import atheris

    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--time", type=int, default=60, help="time budget in seconds (default 60)")
    ap.add_argument("--lint", action="store_true", help="also run the default ruleset's checks")
    ap.add_argument("--max-len", type=int, default=default_max_len, help="longest input in bytes")
    ap.add_argument("--artifacts", default=".", help="folder for crash-* inputs")
    ap.add_argument("--corpus", default=None, help="corpus folder to keep between runs")
    args, rest = ap.parse_known_args()
    linter = None
    if args.lint:
        from fzlint.engine import Linter
        from fzlint.rules.loader import load_ruleset

        linter = Linter(load_ruleset())
    corpus = Path(args.corpus) if args.corpus else Path(tempfile.mkdtemp(prefix="fzlint-fuzz-"))
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        write_corpus(corpus)
    argv = [sys.argv[0], f"-max_total_time={args.time}", f"-max_len={args.max_len}",
            f"-artifact_prefix={os.path.join(args.artifacts, '')}", "-print_final_stats=1", *rest, str(corpus)]
    atheris.Setup(argv, lambda data: test_one_input(data, linter))
    atheris.Fuzz()
    return 0
