"""Coverage-guided fuzzing (atheris/libFuzzer) of the ingest and document layers on raw bytes.

    python tests/fuzz/fuzz_ingest.py --time 600            # ten minutes
    python tests/fuzz/fuzz_ingest.py --time 20 --lint      # also run the default ruleset

Every input must either be refused with an InputError (a clear user message) or become a
Source and a Document whose offsets are consistent. Anything else is a crash: libFuzzer stops,
prints the traceback and writes the input to crash-<sha1> under --artifacts.
The seed corpus is the five seed reports in several encodings, plus a few nasty shapes.
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
    from fzlint.ingest import load_bytes


def test_one_input(data: bytes, linter: object = None) -> None:
    try:
        src = load_bytes(data, "fuzz.txt")
    except InputError:
        return
    check_source(src, linter)


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


if __name__ == "__main__":
    sys.exit(run_atheris(__doc__, test_one_input, write_corpus, default_max_len=16384))
