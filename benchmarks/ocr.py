"""OCR accuracy and speed on the five seeds rendered to page images (issue #17, part 3).

Each seed's report body (tests/docmaker.seed_body: title, paragraphs, signature) is written as a
Word file, converted to PDF by LibreOffice and rendered by pypdfium2 to PNG pages at 150 dpi
("clean"). The "noisy" variant of every page is rotated by 1 degree and saved as JPEG quality 60,
and its last page gets a red official seal stamped over the issuer and the date (tests/ocrmaker).

For each seed, variant and engine the script prints
- character accuracy: 1 - edit distance / length, over Chinese characters, digits and
  punctuation after NFKC (full-width and half-width forms are one character) with all
  whitespace removed, of fzlint's OCR text (running headers and page numbers removed, lines
  joined) against the body text;
- whether the required-parts table (each part's status) equals the text version's, and the
  score difference (OCR minus text), both linted by the same fazhi-annual ruleset;
- seconds per page: wall time and CPU time of recognition (median of --repeat runs), with the
  load average, since this machine may be shared;
- the seal: whether the signature date is read right on the sealed page with the red channel
  suppressed (fzlint's default) and without;
- how well the low-confidence mask covers the errors: the share of wrongly recognised
  characters below ocr.LOW_CONFIDENCE, and the share of all characters below it.

Engines: rapidocr (fzlint's, PP-OCRv4 on onnxruntime) and tesseract (Debian's tesseract-ocr with
chi_sim, run as a command on the same preprocessed page, its word boxes put through the same
line, furniture and paragraph steps).

    python benchmarks/ocr.py                       # five seeds, rapidocr and tesseract
    python benchmarks/ocr.py --seeds 004 --engines rapidocr --repeat 3
    python benchmarks/ocr.py --json out.json       # figures as JSON too
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEEDS = ("000", "001", "002", "003", "004")
DPI = 150


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


# ---- pages -----------------------------------------------------------------------------------------
def render(work: Path, seeds: list[str]) -> dict[str, dict[str, Any]]:
    """{seed: {"body": lines, "clean": [PIL pages], "noisy": [PIL pages], "date": text}}, made
    once into `work` (PNG/JPEG files are reused by later runs)."""
    import pypdfium2 as pdfium
    from PIL import Image

    from tests.docmaker import docx_to_pdf, seed_body, write_docx
    from tests.ocrmaker import degrade, stamp_seal

    work.mkdir(parents=True, exist_ok=True)
    out: dict[str, dict[str, Any]] = {}
    todo: list[Path] = []
    for s in seeds:
        src = next((ROOT / "seeds").glob(f"{s}_*.txt"))
        body = seed_body(src)
        (work / f"{s}.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
        out[s] = {"body": body}
        if not (work / f"{s}.pdf").exists():
            todo.append(write_docx(body, work / f"{s}.docx"))
    if todo:
        docx_to_pdf(todo, work)
    for s in seeds:
        pdf = pdfium.PdfDocument(str(work / f"{s}.pdf"))
        clean: list[Any] = []
        noisy: list[Any] = []
        date = out[s]["body"][-1].strip()
        for i in range(len(pdf)):
            png = work / f"{s}-p{i + 1}.png"
            jpg = work / f"{s}-p{i + 1}-noisy.jpg"
            if not png.exists():
                page = pdf[i]
                page.render(scale=DPI / 72).to_pil().convert("RGB").save(png, dpi=(DPI, DPI))
            clean.append(Image.open(png).convert("RGB"))
            if not jpg.exists():
                img = clean[-1].copy()
                if i == len(pdf) - 1:
                    centre = _date_centre(pdf[i], date)
                    if centre is not None:
                        stamp_seal(img, centre, issuer=out[s]["body"][-2].strip()[:12], dpi=DPI)
                noisy_img = degrade(img, angle=1.0, quality=60)
                noisy_img.save(jpg, quality=100)  # stored losslessly enough: the q60 artefacts are in the pixels
            noisy.append(Image.open(jpg).convert("RGB"))
        pdf.close()
        out[s].update(clean=clean, noisy=noisy, date=date)
    return out


def _date_centre(page: Any, date: str) -> tuple[float, float] | None:
    """Where a seal goes: over the signature date (its centre, a little above, in pixels); for a
    report without one (four of the seeds end with a paragraph), over the end of the last line."""
    tp = page.get_textpage()
    try:
        hit = tp.search(date).get_next() if len(date) <= 20 else None
        if hit is None:  # no date line: the last six characters of the page's body text
            n = tp.count_chars()
            chars = [i for i in range(n) if tp.get_text_range(i, 1).strip()]
            body = [i for i in chars if tp.get_charbox(i)[1] > page.get_height() * 0.14]  # above the footer
            if len(body) < 6:
                return None
            hit = (body[-6], 6)
        index, count = hit
        boxes = [tp.get_charbox(i) for i in range(index, index + count)]
    finally:
        tp.close()
    h = page.get_height()
    x = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2
    y = h - (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2
    k = DPI / 72
    return x * k, y * k - 12 * k  # the seal sits over the date and the issuer above it


# ---- engines ----------------------------------------------------------------------------------------
def rapidocr_page(rgb: Any, red: bool = True) -> list[Any]:
    from fzlint.ingest import ocr

    return ocr.recognize(rgb, red=red)


def tesseract_page(rgb: Any, red: bool = True) -> list[Any]:
    """Debian's tesseract (chi_sim) on the same preprocessed page: its words grouped into its
    lines, each character given its word's confidence."""
    from PIL import Image

    from fzlint.ingest import ocr

    img = ocr.suppress_red(rgb) if red else rgb
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        Image.fromarray(img).save(path)
        proc = subprocess.run(["tesseract", str(path), "stdout", "-l", "chi_sim", "--psm", "3", "tsv"],
                              capture_output=True, text=True, check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    lines: dict[tuple[str, ...], list[list[str]]] = {}
    for row in proc.stdout.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        lines.setdefault(tuple(f[1:5]), []).append(f)
    boxes = []
    for words in lines.values():
        text = ""
        conf: list[float] = []
        for w in words:
            t = w[11].strip()
            if text and re.match(r"[A-Za-z0-9]", text[-1]) and re.match(r"[A-Za-z0-9]", t[0]):
                text += " "
                conf.append(1.0)
            text += t
            conf += [max(0.0, float(w[10])) / 100] * len(t)
        x0 = min(int(w[6]) for w in words)
        y0 = min(int(w[7]) for w in words)
        x1 = max(int(w[6]) + int(w[8]) for w in words)
        y1 = max(int(w[7]) + int(w[9]) for w in words)
        boxes.append(ocr.Box(text, conf, x0, y0, x1, y1))
    return boxes


ENGINES = {"rapidocr": rapidocr_page, "tesseract": tesseract_page}


# ---- measures ---------------------------------------------------------------------------------------
_KEEP = re.compile(r"[\u3400-\u9fff0-9]|[^\w\s]")


def comparable(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if _KEEP.match(c))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time (insertions by a running minimum)."""
    import numpy as np

    prev = np.arange(len(b) + 1)
    codes = np.array([ord(c) for c in b])
    j = np.arange(len(b) + 1)
    for i, ca in enumerate(a, 1):
        cur = np.empty_like(prev)
        cur[0] = i
        cur[1:] = np.minimum(prev[:-1] + (codes != ord(ca)), prev[1:] + 1)
        prev = np.minimum.accumulate(cur - j) + j
    return int(prev[-1])


def low_confidence_cover(src: Any, truth: str) -> tuple[int, int, int, int]:
    """(wrong characters, of them below the threshold, all characters, of them below it): the
    OCR text aligned with the truth (difflib, NFKC on both), whitespace left out."""
    low = set()
    for s, e in src.low_confidence:
        low.update(range(s, e))
    kept = [(i, c) for i, c in enumerate(unicodedata.normalize("NFKC", ch) for ch in src.text) if c and _KEEP.match(c[0])]
    ocr_s = "".join(c[0] for _i, c in kept)
    flags = [i in low for i, _c in kept]
    sm = difflib.SequenceMatcher(None, ocr_s, truth, autojunk=False)
    wrong = 0
    wrong_low = 0
    for tag, i1, i2, _j1, _j2 in sm.get_opcodes():
        if tag in ("replace", "delete"):
            wrong += i2 - i1
            wrong_low += sum(flags[i1:i2])
    return wrong, wrong_low, len(flags), sum(flags)


def lint(src: Any, linter: Any, ruleset: Any) -> tuple[dict[str, str], int, list[str]]:
    from fzlint.score import compute

    result = linter.lint_source(src)
    score = compute(result.findings, ruleset)
    table = {k: v.status for k, v in result.elements.items()}
    return table, score.value, sorted(f.code for f in result.findings)


def run_variant(pages: list[Any], engine: str, repeat: int, store: Path, red: bool = True) -> tuple[list[Any], list[float], list[float]]:
    """OCR each page: (PageText list, wall seconds per page, CPU seconds per page), medians.
    Each page's boxes and timings are kept in `store` (a rerun reuses them: --fresh to redo)."""
    import numpy as np

    from fzlint.ingest import ocr

    fn = ENGINES[engine]
    texts: list[Any] = []
    walls: list[float] = []
    cpus: list[float] = []
    store.parent.mkdir(parents=True, exist_ok=True)
    kept = json.loads(store.read_text(encoding="utf-8")) if store.exists() else []
    for n, img in enumerate(pages):
        if n < len(kept) and len(kept[n]["wall"]) >= repeat:
            texts.append(ocr.PageText.from_json(kept[n]["page"]))
            walls.append(statistics.median(kept[n]["wall"]))
            cpus.append(statistics.median(kept[n]["cpu"]))
            continue
        rgb = np.asarray(img)
        w_runs: list[float] = []
        c_runs: list[float] = []
        boxes: list[Any] = []
        for _ in range(repeat):
            c0 = _cpu() + _cpu(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            boxes = fn(rgb, red=red)
            w_runs.append(time.perf_counter() - t0)
            c_runs.append(_cpu() + _cpu(resource.RUSAGE_CHILDREN) - c0)
        walls.append(statistics.median(w_runs))
        cpus.append(statistics.median(c_runs))
        texts.append(ocr.PageText(rgb.shape[1], rgb.shape[0], DPI, boxes))
        kept = kept[:n] + [{"page": texts[-1].to_json(), "wall": w_runs, "cpu": c_runs, "load": os.getloadavg()[0]}]
        store.write_text(json.dumps(kept), encoding="utf-8")
    return texts, walls, cpus


def _load(store: Path, pages: int, load0: float) -> float:
    """The mean load average while the pages were recognised (kept with each page's timings)."""
    kept = json.loads(store.read_text(encoding="utf-8"))[:pages] if store.exists() else []
    loads = [k["load"] for k in kept if "load" in k]
    return round(statistics.mean(loads) if loads else (load0 + os.getloadavg()[0]) / 2, 1)


def _stored(store: Path, pages: int, repeat: int) -> bool:
    if not store.exists():
        return False
    kept = json.loads(store.read_text(encoding="utf-8"))
    return len(kept) >= pages and all(len(k["wall"]) >= repeat for k in kept[:pages])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default=",".join(SEEDS))
    ap.add_argument("--engines", default="rapidocr,tesseract")
    ap.add_argument("--variants", default="clean,noisy")
    ap.add_argument("--repeat", type=int, default=1, help="runs per page for the timings (median)")
    ap.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "fzlint-ocr-bench"), help="rendered pages (reused)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--fresh", action="store_true", help="recognise again instead of reusing the work dir's results")
    ap.add_argument("--stored-only", action="store_true",
                    help="recognise nothing: report the seeds and variants whose pages are all in the work dir, skip the others")
    args = ap.parse_args()
    os.environ.setdefault("FZLINT_CACHE_DIR", str(Path(args.work) / "cache"))
    # OCR keeps the cores busy (and the machine may be shared): the rules' regex time limits,
    # meant for catastrophic patterns, must not cut a text or OCR lint short and change its findings
    os.environ.setdefault("FZLINT_REGEX_TIMEOUT", "120")
    os.environ.setdefault("FZLINT_FILE_TIMEOUT", "600")

    from fzlint.engine import Linter
    from fzlint.ingest import load_path, ocr
    from fzlint.rules.loader import load_ruleset

    if not ocr.available():
        print(f"the OCR extra is not installed: {ocr.EXTRA}", file=sys.stderr)
        return 2
    engines = args.engines.split(",")
    if "tesseract" in engines and not shutil.which("tesseract"):
        print("tesseract not found (apt-get install tesseract-ocr tesseract-ocr-chi-sim): measuring rapidocr only", file=sys.stderr)
        engines.remove("tesseract")
    seeds = args.seeds.split(",")
    t0 = time.perf_counter()
    data = render(Path(args.work), seeds)
    print(f"rendered {sum(len(d['clean']) for d in data.values())} pages at {DPI} dpi in {time.perf_counter() - t0:.0f} s "
          f"(work dir {args.work})", flush=True)
    ruleset = load_ruleset("fazhi-annual")
    linter = Linter(ruleset)
    rows: list[dict[str, Any]] = []
    for s in seeds:
        d = data[s]
        txt = load_path(Path(args.work) / f"{s}.txt")
        t_table, t_score, t_codes = lint(txt, linter, ruleset)
        truth = comparable("".join(d["body"]))
        for variant in args.variants.split(","):
            for engine in engines:
                load0 = os.getloadavg()[0]
                store = Path(args.work) / "results" / f"{engine}-{ocr.SETTINGS}-{s}-{variant}.json"
                if args.fresh and store.exists():
                    store.unlink()
                if args.stored_only and not _stored(store, len(d[variant]), args.repeat):
                    print(f"{s} {variant} {engine}: not all pages recognised yet, skipped (--stored-only)", flush=True)
                    continue
                pages, walls, cpus = run_variant(d[variant], engine, args.repeat, store)
                page_lines = [ocr.page_lines(p, i) for i, p in enumerate(pages)]
                src = ocr.assemble([pl[0] for pl in page_lines], [pl[1] for pl in page_lines], f"{s}-{variant}.tif",
                                   "image", ocr_pages_done=len(pages))
                acc = 1 - edit_distance(comparable(src.text), truth) / len(truth)
                table, score, codes = lint(src, linter, ruleset)
                wrong, wrong_low, chars, chars_low = low_confidence_cover(src, truth)
                row = {
                    "seed": s, "variant": variant, "engine": engine, "pages": len(pages), "accuracy": acc,
                    "table_equal": table == t_table, "table": table, "text_table": t_table,
                    "score": score, "text_score": t_score, "score_delta": score - t_score,
                    "findings_only_ocr": sorted(set(codes) - set(t_codes)), "findings_only_text": sorted(set(t_codes) - set(codes)),
                    "wall_per_page": statistics.median(walls), "cpu_per_page": statistics.median(cpus),
                    "wall_total": sum(walls), "load": _load(store, len(pages), load0),
                    "confidence": float(src.meta["ocr_confidence"]), "wrong": wrong, "wrong_low": wrong_low,
                    "chars": chars, "chars_low": chars_low,
                }
                plain_kept = store.with_name(store.stem + "-lastpage-no-red-suppression.json")
                if variant == "noisy" and (not args.stored_only or _stored(plain_kept, 1, 1)):
                    digits = re.sub(r"\D", "", d["date"])
                    plain, _w, _c = run_variant(d[variant][-1:], engine, 1, plain_kept, red=False)
                    for key, page in (("suppressed", pages[-1]), ("plain", plain[0])):
                        got = "".join(b.text for b in page.boxes)
                        row[f"seal_date_{key}"] = digits in re.sub(r"\D", "", comparable(got))
                        row[f"seal_junk_{key}"] = sum(len(b.text) for b in page.boxes if len(comparable(b.text)) <= 3)
                rows.append(row)
                print(json.dumps({k: v for k, v in row.items() if k not in ("table", "text_table")}, ensure_ascii=False), flush=True)
    _print_table(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _print_table(rows: list[dict[str, Any]]) -> None:
    print()
    print("| seed | variant | engine | pages | char accuracy | parts table = text | score (text) | Δ score | s/page wall | s/page CPU | load | seal date (red suppressed / plain) |")
    print("|---|---|---|---:|---:|:---:|---:|---:|---:|---:|---:|:---:|")
    for r in rows:
        seal = ""
        if "seal_date_suppressed" in r:
            seal = f"{'yes' if r['seal_date_suppressed'] else 'NO'} / {'yes' if r['seal_date_plain'] else 'NO'}"
        print(f"| {r['seed']} | {r['variant']} | {r['engine']} | {r['pages']} | {r['accuracy']:.2%} | "
              f"{'yes' if r['table_equal'] else 'NO'} | {r['score']} ({r['text_score']}) | {r['score_delta']:+d} | "
              f"{r['wall_per_page']:.1f} | {r['cpu_per_page']:.1f} | {r['load']} | {seal} |")
    print()
    by: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault((r["engine"], r["variant"]), []).append(r)
    print("| engine | variant | mean accuracy | min accuracy | median s/page wall | median s/page CPU | errors below threshold | characters below threshold |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (engine, variant), rs in by.items():
        wrong = sum(r["wrong"] for r in rs)
        wrong_low = sum(r["wrong_low"] for r in rs)
        chars = sum(r["chars"] for r in rs)
        chars_low = sum(r["chars_low"] for r in rs)
        print(f"| {engine} | {variant} | {statistics.mean(r['accuracy'] for r in rs):.2%} | {min(r['accuracy'] for r in rs):.2%} | "
              f"{statistics.median(r['wall_per_page'] for r in rs):.1f} | {statistics.median(r['cpu_per_page'] for r in rs):.1f} | "
              f"{wrong_low}/{wrong} | {chars_low}/{chars} ({chars_low / max(1, chars):.1%}) |")


if __name__ == "__main__":
    raise SystemExit(main())
