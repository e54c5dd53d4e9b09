"""OCR of images and scanned PDF pages (ingest/ocr.py, the extra fzlint[ocr]).

The pages are made here: report text drawn with PIL in Noto Serif CJK at 150 dpi, a red seal
stamped over the signature and date (tests/ocrmaker.py), a PDF whose last page is a scan. OCR is
slow (seconds per page), so the module recognises four pages in all and reuses them through
fzlint's own cache; the mask, bounds and message tests need no recognition at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, seed
from tests.ocrmaker import (
    draw_page,
    paragraphs_of,
    png_bytes,
    scanned_pdf,
    stamp_seal,
    tiff_bytes,
    wrap,
)

ocr = pytest.importorskip("fzlint.ingest.ocr")


def _require_extra() -> None:
    if not ocr.available():
        if os.environ.get("CI"):
            pytest.fail(f"the OCR extra must be installed in CI ({ocr.EXTRA}, see .ci/run)")
        pytest.skip(f"the OCR extra is not installed ({ocr.EXTRA})")


def _cli(*args: str, env: dict[str, str] | None = None, pre: str = "") -> subprocess.CompletedProcess[bytes]:
    """`python -m fzlint ARGS` (OCR takes seconds per page: a longer timeout than run_cli's)."""
    code = f"{pre}\nimport sys\nfrom fzlint.cli import main\nsys.argv = ['fzlint', *sys.argv[1:]]\nraise SystemExit(main())"
    return subprocess.run([sys.executable, "-c", code, *args], check=False, capture_output=True, cwd=ROOT,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})}, timeout=600)


def _comparable(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace())


def _accuracy(got: str, want: str) -> float:
    """1 - edit distance / length, after NFKC and without whitespace."""
    a, b = _comparable(got), _comparable(want)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1 - prev[-1] / len(b)


# A one-page department report (not a seed: other issuer, year and phrasing), signed and sealed.
REPORT = wrap([
    ("centre", "县自然资源局2023年度法治政府建设情况报告"),
    ("para", "一、主要举措和成效"),
    ("para", ("全面落实行政执法三项制度，执法公示、执法全过程记录和重大执法决定法制审核制度全部落实。"
              "全年办理行政复议案件8件，纠错2件，纠错率为25%。")),
    ("para", "二、存在的不足和原因"),
    ("para", "执法人员业务能力有待提高，原因是培训不够系统。"),
    ("para", "三、党政主要负责人履行推进法治建设第一责任人职责情况"),
    ("para", "局长亲自主持召开专题会议3次，研究部署法治工作。"),
    ("para", "四、2024年主要安排"),
    ("para", "继续深化行政执法体制改革，加强执法人员培训。"),
    ("right", "县自然资源局"),
    ("right", "2024年1月18日"),
])


def _sealed_page() -> Any:
    img = draw_page(REPORT)
    _text, (x0, y0, x1, y1) = img.info["line_boxes"][-1]
    # the seal's ring runs through the date's digits, its text over the issuer, as 压日 stamping does
    return stamp_seal(img, ((x0 + x1) / 2 - 20, (y0 + y1) / 2 - 25), issuer="县自然资源局")


@pytest.fixture(scope="module")
def sealed_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ocr") / "自然资源局报告.png"
    path.write_bytes(png_bytes(_sealed_page()))
    return path


@pytest.fixture(scope="module")
def sealed_json(sealed_png: Path) -> dict[str, Any]:
    _require_extra()
    proc = _cli("--format", "json", "--exit-zero", str(sealed_png))
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)["files"][0]


# ---- recognition (real OCR) -------------------------------------------------------------------
def test_sealed_page_read_as_the_report(sealed_png: Path, sealed_json: dict[str, Any]) -> None:
    from fzlint.ingest import load_path

    src = load_path(sealed_png)  # from the OCR cache the CLI run filled
    want = "\n".join(t for _a, t in REPORT)
    assert _accuracy(src.text, want) >= 0.98, src.text
    assert "2024年1月18日" in src.text  # the date under the seal, exactly
    # no line made of the seal's own characters (its ring text, its star)
    assert all(line.strip() in {_comparable(ocr.fold_punctuation(t)) for _a, t in REPORT} or len(line) > 12
               for line in map(_comparable, src.text.splitlines())), src.text
    f = sealed_json
    assert f["ocr"] is True and 0.9 <= f["ocr_confidence"] <= 1
    assert f["ocr_engine"].startswith("rapidocr ")
    assert f["report"]["signed_date"] == "2024-01-18"
    assert f["report"]["year"] == 2023
    status = {k: v["status"] for k, v in f["elements"].items()}
    for part in ("measures", "problems", "causes", "first_responsible", "next_year_plan", "three_systems"):
        assert status[part] in ("heading", "inline"), (part, status)
    assert status["measures"] == status["problems"] == status["first_responsible"] == "heading"
    codes = {d["code"] for d in f["diagnostics"]}
    assert not codes & {"FZ311", "FZ312", "D104", "P101"}, f["diagnostics"]  # date and signature read right


def test_red_suppression_removes_the_seal_and_keeps_the_date() -> None:
    _require_extra()
    import numpy as np

    rgb = np.asarray(_sealed_page())
    cleaned = ocr.suppress_red(rgb)
    red = (rgb[..., 0].astype(int) - rgb[..., 1:].max(axis=2) > 60) & (rgb[..., 0] > 120)
    assert red.sum() > 5000  # the page has a seal
    ink = red & (rgb[..., 0] >= 215)  # the seal's ink on paper (its edges and the text under it aside)
    assert (cleaned[ink] == 255).all()  # is paper now
    assert (cleaned[red][:, 0] >= 240).mean() > 0.95
    black = rgb.max(axis=2) < 40
    assert (cleaned[black].max(axis=-1) < 90).all()  # black text, also under the seal, stays black
    plain = np.asarray(draw_page(REPORT[:3]))
    assert ocr.suppress_red(plain) is plain  # pages without red are not touched


def test_seed_page_accuracy(tmp_path: Path) -> None:
    """A real report's text (seed 003, other layout) drawn as a page: >= 98 % of the characters."""
    _require_extra()
    from fzlint.ingest import load_path

    body = [ln.strip() for ln in seed("003").read_text(encoding="utf-8").splitlines() if len(ln.strip()) > 30][2:6]
    lines = wrap([("para", p) for p in body])[:22]
    path = tmp_path / "seed003-page.png"
    path.write_bytes(png_bytes(draw_page(lines)))
    src = load_path(path)
    assert _accuracy(src.text, "".join(t for _a, t in lines)) >= 0.98
    # lines broken by the page width are joined back into the paragraphs
    assert len(src.text.splitlines()) <= len(body) + 1, src.text


def test_scanned_signature_page_of_a_text_pdf(tmp_path: Path) -> None:
    """A text PDF whose signature page is a scan: both read, in page order, pages kept."""
    _require_extra()
    import pypdfium2 as pdfium

    from fzlint.ingest import load_path
    from tests.docmaker import docx_to_pdf, seed_body, write_docx

    body = seed_body(seed("004"))
    text_pdf = docx_to_pdf([write_docx(body[:-2], tmp_path / "body.docx", furniture=False)], tmp_path)[0]
    scan = draw_page([("right", body[-2]), ("right", body[-1])])
    _t, (x0, y0, x1, y1) = scan.info["line_boxes"][-1]
    stamp_seal(scan, ((x0 + x1) / 2, (y0 + y1) / 2 - 20), issuer=body[-2])
    merged = pdfium.PdfDocument(str(text_pdf))
    merged.import_pages(pdfium.PdfDocument(scanned_pdf([scan])))
    path = tmp_path / "mixed.pdf"
    merged.save(str(path))
    n_pages = len(merged)
    src = load_path(path)
    assert src.meta["ocr_pages"] == "1"
    lines = src.text.splitlines()
    assert lines[-2:] == [body[-2], body[-1]], lines[-3:]
    pages = [int(p) for p in src.meta["page_of_line"].split(",")]
    assert len(pages) == len(lines) and pages[0] == 1 and pages[-1] == n_pages and pages == sorted(pages)
    assert src.low_confidence == [] or all(s >= len(src.text) - len(body[-2]) - len(body[-1]) - 2 for s, _e in src.low_confidence)


def test_second_read_comes_from_the_cache(sealed_png: Path, sealed_json: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from fzlint.ingest import load_path

    cached = list((Path(os.environ["FZLINT_CACHE_DIR"]) / "ocr").glob("*.json"))
    assert cached and all(json.loads(p.read_text(encoding="utf-8"))["page"]["boxes"] for p in cached)

    def fail(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("recognised again instead of read from the cache")

    monkeypatch.setattr(ocr, "recognize", fail)
    src = load_path(sealed_png)
    assert "2024年1月18日" in src.text
    # a cache file another user can write is not read
    for p in cached:
        p.chmod(0o666)
    with pytest.raises(AssertionError, match="recognised again"):
        load_path(sealed_png)
    for p in cached:
        p.chmod(0o600)


def test_page_time_limit_is_cpu_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """FZLINT_OCR_PAGE_SECONDS bounds the CPU time of a page: a page that waits (a busy machine)
    passes, one that computes past it stops the file with the message; a page done is cached."""
    import time as _time

    from PIL import Image

    from fzlint.errors import InputError
    from fzlint.ingest import load_path
    from tests.ocrmaker import png_bytes

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    monkeypatch.setenv("FZLINT_CACHE_DIR", str(cache))
    monkeypatch.setenv("FZLINT_OCR_PAGE_SECONDS", "0.2")
    line = "一、主要举措和成效"
    made = ocr.Box(line, [0.99] * len(line), 165, 200, 462, 238)

    def waits(_rgb: Any, **_k: Any) -> list[Any]:
        _time.sleep(0.5)
        return [made]

    def computes(_rgb: Any, **_k: Any) -> list[Any]:
        t0 = _time.process_time()
        while _time.process_time() - t0 < 0.5:
            pass
        return [made]

    waited = tmp_path / "waited.png"
    waited.write_bytes(png_bytes(Image.new("RGB", (1240, 1754), "white")))
    monkeypatch.setattr(ocr, "recognize", waits)
    assert line in load_path(waited).text

    busy = tmp_path / "busy.png"
    busy.write_bytes(png_bytes(Image.new("RGB", (1240, 1750), "white")))
    monkeypatch.setattr(ocr, "recognize", computes)
    with pytest.raises(InputError, match="CPU 时间") as err:
        load_path(busy)
    assert "FZLINT_OCR_PAGE_SECONDS" in str(err.value)

    def fail(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("recognised again instead of read from the cache")

    monkeypatch.setattr(ocr, "recognize", fail)
    monkeypatch.setenv("FZLINT_OCR_PAGE_SECONDS", "120")
    assert line in load_path(busy).text  # the page done before the limit stopped the file


def test_text_sarif_and_schema(sealed_png: Path, sealed_json: dict[str, Any]) -> None:
    import jsonschema

    schema = json.loads((ROOT / "docs/schema/fzlint-output.schema.json").read_text(encoding="utf-8"))
    proc = _cli("--format", "json", "--exit-zero", str(sealed_png))
    jsonschema.validate(json.loads(proc.stdout), schema)
    assert all(d["page"] == 1 for d in sealed_json["diagnostics"])  # an image is one page
    text = _cli("--exit-zero", str(sealed_png)).stdout.decode()
    assert f"已 OCR 识别(平均置信度 {sealed_json['ocr_confidence']:.0%})" in text
    sarif = json.loads(_cli("--format", "sarif", "--exit-zero", str(sealed_png)).stdout)
    files = sarif["runs"][0]["properties"]["fzlint/files"]
    assert files[0]["ocr"] is True and files[0]["ocr_confidence"] == sealed_json["ocr_confidence"]
    # -j: the OCR'd file's result (its mask and fields) comes back from a worker unchanged
    both = [str(sealed_png), str(seed("004"))]
    one = _cli("--format", "json", "--exit-zero", "-j", "1", *both).stdout
    assert _cli("--format", "json", "--exit-zero", "-j", "2", *both).stdout == one
    assert json.loads(one)["files"][0] == sealed_json


def test_a_folder_with_scans_is_scored_in_every_output_format(sealed_png: Path, sealed_json: dict[str, Any], tmp_path: Path) -> None:
    """The same one-page report as text, Word, a text PDF, a scanned PDF and a PNG (sealed): one
    score (the Word file's own layout, rules L1xx, is left out: only a .docx has one); every output
    format lists every file."""
    import shutil

    from tests.docmaker import docx_to_pdf, write_docx

    folder = tmp_path / "收到的报告"
    folder.mkdir()
    body = paragraphs_of(REPORT)
    (folder / "a.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    docx = write_docx(body, folder / "b.docx", furniture=False)
    shutil.copy(docx_to_pdf([docx], tmp_path)[0], folder / "c.pdf")
    (folder / "d-scan.pdf").write_bytes(scanned_pdf([draw_page(REPORT)]))
    shutil.copy(sealed_png, folder / "e.png")
    proc = _cli("--format", "json", "--ignore", "L", str(folder))
    assert proc.returncode in (0, 1), proc.stderr.decode()
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert sorted(files) == ["a.txt", "b.docx", "c.pdf", "d-scan.pdf", "e.png"]
    assert {n for n, f in files.items() if f.get("ocr")} == {"d-scan.pdf", "e.png"}
    assert len({f["score"] for f in files.values()}) == 1, {n: (f["score"], [d["code"] for d in f["diagnostics"]]) for n, f in files.items()}
    tables = {n: {k: v["status"] for k, v in f["elements"].items()} for n, f in files.items()}
    assert all(t == tables["a.txt"] for t in tables.values()), tables
    # the other formats (pages from the OCR cache now), with the layout rules: github and rdjson
    # list diagnostics only, so they name the files that have one
    proc = _cli("--format", "json", str(folder))
    with_findings = {Path(f["path"]).name for f in json.loads(proc.stdout)["files"] if f["diagnostics"]}
    assert "b.docx" in with_findings
    for fmt in ("text", "sarif", "github", "junit", "rdjson", "html"):
        out = _cli("--format", fmt, str(folder))
        assert out.returncode in (0, 1), (fmt, out.stderr.decode())
        for name in files if fmt not in ("github", "rdjson") else with_findings:
            assert name in out.stdout.decode(), (fmt, name)


# ---- the low-confidence mask (no recognition: boxes made here) -------------------------------------
def _page(lines: list[tuple[str, float | list[float]]]) -> Any:
    """An OCR'd A4 page at 150 dpi with these lines (text, confidence of each character)."""
    boxes = []
    y = 200
    for text, conf in lines:
        confs = conf if isinstance(conf, list) else [conf] * len(text)
        indent = 70 if text.startswith(("一、", "二、", "三、", "四、", "全年", "局长", "继续", "执法人员", "严格")) else 0
        boxes.append(ocr.Box(text, confs, 165 + indent, y, 165 + indent + 33 * ocr._units(text), y + 38))
        y += 58
    return ocr.PageText(1240, 1754, 150, boxes)


MASK_REPORT = [
    ("县人力资源和社会保障局2022年法治政府建设年度报告", 0.99),
    ("一、主要举措和成效", 0.99),
    ("全年办理行政复议案件8件,纠错率为125%。", 0.99),
    ("严格落实行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度。", 0.99),
    ("二、存在的不足和原因", 0.99),
    ("执法人员业务能力有待提高,原因是培训不够系统。", 0.99),
    ("三、党政主要负责人履行推进法治建设第一责任人职责情况", 0.99),
    ("局长主持召开专题会议2次,研究部署法治工作。", 0.99),
    ("四、2023年工作安排", 0.99),
    ("继续推进严格规范公正文明执法。", 0.99),
]


def _lint_page(page: Any) -> tuple[Any, set[str]]:
    from fzlint.engine import Linter
    from fzlint.rules.loader import load_ruleset

    lines, height = ocr.page_lines(page, 0)
    src = ocr.assemble([lines], [height], "scan.png", "image", ocr_pages_done=1)
    result = Linter(load_ruleset("fazhi-annual")).lint_source(src)
    return result, {f.code for f in result.findings}


def test_low_confidence_characters_silence_sensitive_rules_only() -> None:
    sure = _page(MASK_REPORT)
    result, codes = _lint_page(sure)
    assert result.source.low_confidence == []
    assert "FZ501" in codes  # 125% read with confidence: a rate over 100 % is reported
    assert result.source.meta["ocr_confidence"] == "0.9900"

    unsure = list(MASK_REPORT)
    text = unsure[2][0]
    at = text.index("125%")
    unsure[2] = (text, [0.99] * at + [0.42] + [0.99] * (len(text) - at - 1))  # the "1" is doubtful
    # the heading of part 2 read with low confidence throughout
    unsure[4] = (unsure[4][0], 0.6)
    result, codes = _lint_page(_page(unsure))
    src = result.source
    low = [src.text[s:e] for s, e in src.low_confidence]
    assert "1" in low and "二、存在的不足和原因" in low
    assert "FZ501" not in codes  # a misread digit is not the writer's mistake
    assert result.elements["problems"].status == "heading"  # required parts still use the text
    assert result.elements["problems"].line == src.position(src.text.index("二、存在"))[0]


def test_a_full_last_line_without_a_stop_is_doubtful() -> None:
    """A paragraph whose last line runs from the margin to the right edge without a closing mark
    may have lost a short last line to the detector (seen on a 1-degree skewed scan: "…努力加以解"
    read, "决。" under it not found): its last character is doubtful, so P104 (paragraph ends
    without a stop) is quiet there; a short last line without a stop is still reported, and a
    right-aligned date is not made doubtful."""

    def box(text: str, x0: float, y: float, x1: float | None = None) -> Any:
        return ocr.Box(text, [0.99] * len(text), x0, y, x1 if x1 is not None else x0 + 33 * ocr._units(text), y + 38)

    rows = [
        box("县人力资源和社会保障局2022年法治政府建设年度报告", 250, 100, 990),
        box("一、主要举措和成效", 231, 200),
        box("全年办理行政复议案件8件，依法纠正违法或者不当的行政行为", 231, 258, 1075),
        box("2件，对存在的问题，我们将在今后的工作中努力加以解", 165, 316, 1075),
        box("二、存在的不足和原因", 231, 374),
        box("执法人员业务能力有待提高，行政执法案卷评查发现的问题", 231, 432, 1075),
        box("整改不够及时，原因是培训不够系统。", 165, 490),
        box("三、党政主要负责人履行推进法治建设第一责任人职责情况", 231, 548),
        box("局长主持召开专题会议2次，研究部署法治政府建设重点任", 231, 606, 1075),
        box("务，听取法治工作汇报", 165, 664),
        box("四、2023年工作安排", 231, 722),
        box("继续推进严格规范公正文明执法，全面落实行政执法公示制", 231, 780, 1075),
        box("度、执法全过程记录制度和重大执法决定法制审核制度。", 165, 838),
        box("县人力资源和社会保障局", 1075 - 33 * 13, 954),
        box("2023年1月18日", 1075 - 33 * ocr._units("2023年1月18日"), 1012),
    ]
    result, _codes = _lint_page(ocr.PageText(1240, 1754, 150, rows))
    src = result.source
    ends = [src.text[f.start:f.end] for f in result.findings if f.code == "P104"]
    lines = src.text.splitlines()
    assert any(ln.endswith("努力加以解") for ln in lines), lines
    # the part 3 heading fills its line too (its last character doubtful: harmless, required parts
    # are found in the text); the right-aligned signature and date are not doubtful
    assert [src.text[s:e] for s, e in src.low_confidence] == ["解", "况"]
    assert result.elements["first_responsible"].status == "heading"
    assert len(ends) == 1 and "解" not in ends[0], [f for f in result.findings if f.code == "P104"]
    assert ends[0].endswith("汇报") or src.text[result.findings[0].start:].startswith("报"), ends


def test_punctuation_width_is_not_judged_on_ocr_text() -> None:
    assert ocr.fold_punctuation("纠错2件,纠错率为25%(含撤回)。ISO 9001, A4") == "纠错2件，纠错率为25%（含撤回）。ISO 9001, A4"
    result, codes = _lint_page(_page(MASK_REPORT))
    assert not codes & {"P100", "P101"}
    assert "，" in result.source.text


def test_rows_become_lines_in_reading_order() -> None:
    """Boxes given out of order, a row split into two boxes: one line per row, top to bottom."""
    page = ocr.PageText(1240, 1754, 150, [
        ocr.Box("2024年1月18日", [0.99] * 11, 820, 460, 1030, 498),
        ocr.Box("一、主要举措和成效", [0.99] * 9, 230, 200, 530, 238),
        ocr.Box("县自然资源局", [0.99] * 6, 830, 400, 1030, 438),
        ocr.Box("全面落实行政执法", [0.99] * 8, 230, 260, 494, 298),
        ocr.Box("三项制度。", [0.99] * 5, 500, 261, 665, 297),
    ])
    lines, _h = ocr.page_lines(page, 0)
    assert [ln.text for ln in lines] == ["一、主要举措和成效", "全面落实行政执法三项制度。", "县自然资源局", "2024年1月18日"]
    assert lines[0].top > lines[1].top > lines[2].top  # PDF points, y upward


# ---- without the extra, bounds, damaged files (no recognition) -------------------------------------
def test_without_the_extra_each_file_gets_its_message(tmp_path: Path) -> None:
    png = tmp_path / "scan.png"
    png.write_bytes(png_bytes(draw_page(REPORT[:2])))
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(scanned_pdf([draw_page(REPORT[:2])]))
    txt = tmp_path / "report.txt"
    txt.write_text("\n".join(t for _a, t in REPORT), encoding="utf-8")
    hide = "import sys\nsys.modules['rapidocr_onnxruntime'] = None"
    proc = _cli("--format", "json", "--exit-zero", str(tmp_path), pre=hide)
    assert proc.returncode == 2, proc.stderr.decode()
    out = json.loads(proc.stdout)
    assert [f["path"] for f in out["files"]] == [str(txt)]  # the others are still reported
    err = proc.stderr.decode()
    for name in ("scan.png", "scan.pdf"):
        line = next(ln for ln in err.splitlines() if name in ln)
        assert "pip install 'fzlint[ocr]'" in line, err
    assert "扫描件" in next(ln for ln in err.splitlines() if "scan.pdf" in ln)


def test_image_bounds_and_damage(tmp_path: Path) -> None:
    _require_extra()
    import struct
    import zlib

    from fzlint.errors import InputError
    from fzlint.ingest import load_path

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    bomb = tmp_path / "bomb.png"  # a header claiming 100000 x 100000 pixels
    bomb.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b""))
    with pytest.raises(InputError, match="像素数超过上限"):
        load_path(bomb)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 50)
    with pytest.raises(InputError, match="图片文件已损坏"):
        load_path(broken)
    tif = tmp_path / "three.tif"
    tif.write_bytes(tiff_bytes([draw_page(REPORT[:1])] * 3))
    os.environ["FZLINT_OCR_MAX_PAGES"] = "2"
    try:
        with pytest.raises(InputError, match="FZLINT_OCR_MAX_PAGES"):
            load_path(tif)
    finally:
        del os.environ["FZLINT_OCR_MAX_PAGES"]
    proc = _cli(str(bomb), "--lang", "en")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr and b"megapixels" in proc.stderr
