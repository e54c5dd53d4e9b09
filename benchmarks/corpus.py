"""Build a corpus of seed-like reports for the benchmarks (deterministic for a given seed).

Each report is one of the five seeds, varied: another issuer, the years shifted, figures
changed, paragraphs dropped or swapped, sometimes a whole section dropped (so that required-part
rules fire), ASCII punctuation between Chinese turned back into full-width marks (the seeds were
NFKC-normalized, real files are not), CRLF line ends, and a mix of encodings: UTF-8, UTF-8 with
BOM and GB18030.

    python benchmarks/corpus.py OUT_DIR [-n 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

# The issuer written in each seed's title/signature (by seed prefix) and names to put instead.
ISSUERS = {"000": "鄂尔多斯市", "001": "新余市", "002": "XX市", "003": "召陵区", "004": "高州市"}
PLACES = [
    "临江市", "青山区", "河阳县", "南湖区", "松原市", "白石县", "东城区", "江北新区", "永安市", "西峰区",
    "清河县", "北塘区", "云台市", "长宁县", "金水区", "宁远县", "桐柏市", "平湖区", "安远县", "凤城市",
]
_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?=\s*年)")
_FIGURE = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)(?![\d.]|\s*年)")
_HEADING1 = re.compile(r"^\s*[一二三四五六七八九十]{1,2}、")
_CJK = r"[\u4e00-\u9fff“”《》]"
_WIDEN = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}
_ASCII_PUNCT = re.compile(rf"(?<={_CJK})([,:;?!])|([()])(?={_CJK})|(?<={_CJK})([()])")
ENCODINGS = [("utf-8", 70), ("utf-8-sig", 10), ("gb18030", 20)]


def _seed_texts() -> list[tuple[str, str]]:
    return [(p.name[:3], p.read_text(encoding="utf-8")) for p in SEEDS]


def _vary(prefix: str, text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    # drop or swap body paragraphs (long lines), sometimes drop a whole level-1 section
    body = [i for i, ln in enumerate(lines) if len(ln) > 60]
    for i in body:
        r = rng.random()
        if r < 0.08:
            lines[i] = ""
        elif r < 0.16 and i + 1 < len(lines) and len(lines[i + 1]) > 60:
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    if rng.random() < 0.2:
        heads = [i for i, ln in enumerate(lines) if _HEADING1.match(ln)]
        if len(heads) >= 2:
            k = rng.randrange(1, len(heads))
            start = heads[k]
            end = heads[k + 1] if k + 1 < len(heads) else start + 1
            del lines[start:end]
    text = "\n".join(ln for ln in lines if ln is not None)
    # another issuer, years shifted, figures changed
    text = text.replace(ISSUERS.get(prefix, "\0"), rng.choice(PLACES))
    shift = rng.randint(-2, 2)
    text = _YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    text = _FIGURE.sub(lambda m: str(max(1, int(float(m.group(1)) * rng.uniform(0.5, 2.0)))) if rng.random() < 0.5 else m.group(1), text)
    if rng.random() < 0.5:
        text = _ASCII_PUNCT.sub(lambda m: _WIDEN[m.group(0)], text)
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
    return text


def build(out: Path, n: int = 1000, seed: int = 0) -> list[Path]:
    """Write n varied reports into out/ (created); returns their paths in name order."""
    out.mkdir(parents=True, exist_ok=True)
    seeds = _seed_texts()
    codecs = [c for c, w in ENCODINGS for _ in range(w)]
    paths: list[Path] = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        prefix, text = seeds[i % len(seeds)]
        text = _vary(prefix, text, rng)
        codec = rng.choice(codecs)
        path = out / f"r{i:05d}_{prefix}.txt"
        path.write_bytes(text.encode(codec, errors="replace"))
        paths.append(path)
    return paths


def sized_report(size: int, seed_prefix: str = "001") -> str:
    """A report of about `size` bytes in UTF-8: the seed repeated (or cut at a line end)."""
    text = next(t for p, t in _seed_texts() if p == seed_prefix)
    size = size * len(text) // len(text.encode("utf-8"))  # bytes -> characters
    if size <= len(text):
        cut = text.rfind("\n", 0, size)
        return text[: cut if cut > 0 else size]
    return (text.rstrip("\n") + "\n") * (size // len(text)) + text[: size % len(text)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    paths = build(a.out, a.n, a.seed)
    print(f"{len(paths)} reports in {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
