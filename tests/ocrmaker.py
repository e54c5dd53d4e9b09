"""Pages for the OCR tests and benchmarks/ocr.py: text drawn with PIL in a CJK font, a red
official seal (ring, star, issuer name along the arc) stamped over the signature and date, and
the scan damage of benchmarks' noisy variant (a slight rotation, JPEG compression)."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

SEAL_RED = (214, 32, 38)


def cjk_font_path(bold: bool = False) -> str:
    """A Chinese font file (fonts-noto-cjk), found by fontconfig."""
    import pytest

    name = "Noto Serif CJK SC:style=Bold" if bold else "Noto Serif CJK SC"
    exe = shutil.which("fc-match")
    if exe:
        out = subprocess.run([exe, "-f", "%{file}", name], capture_output=True, text=True, check=False).stdout.strip()
        if out and Path(out).exists() and "CJK" in out:
            return out
    for p in ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"):
        if Path(p).exists():
            return p
    pytest.skip("no CJK font (apt-get install fonts-noto-cjk)")
    raise AssertionError  # unreachable


def font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    path = cjk_font_path(bold)
    return ImageFont.truetype(path, size, index=2 if path.endswith(".ttc") else 0)  # index 2: SC


def wrap(paragraphs: list[tuple[str, str]], per_line: float = 28) -> list[tuple[str, str]]:
    """Paragraphs (kind, text; kind "para" is wrapped, others are one line as they are) as the
    lines draw_page takes: a paragraph's first line indented two characters, every line but its
    last justified to the right margin; widths in ems (Chinese 1, digits and Latin 1/2)."""
    out: list[tuple[str, str]] = []
    for kind, text in paragraphs:
        if kind != "para":
            out.append((kind, text))
            continue
        lines: list[str] = []
        cur, width, room = "", 0.0, per_line - 2
        for ch in text:
            w = 0.5 if ord(ch) < 0x2000 else 1.0
            if width + w > room:
                lines.append(cur)
                cur, width, room = "", 0.0, per_line
            cur += ch
            width += w
        lines.append(cur)
        for i, ln in enumerate(lines):
            last = i == len(lines) - 1
            out.append((("indent" if i == 0 else "left") if last else ("full-indent" if i == 0 else "full"), ln))
    return out


def paragraphs_of(lines: list[tuple[str, str]]) -> list[str]:
    """The text of wrap's lines as paragraphs again (one per line)."""
    out: list[str] = []
    for align, text in lines:
        if align in ("left", "full") and out:
            out[-1] += text
        else:
            out.append(text)
    return out


def draw_page(lines: list[tuple[str, str]], *, dpi: int = 150, size_pt: float = 16) -> Any:
    """An A4 page (RGB) with one text line per entry: (align, text), align in left/indent/
    centre/right, or full/full-indent (justified to the right margin, as Word sets all lines of a
    paragraph but its last); the body in `size_pt` points, 28 characters per line as in a
    GB/T 9704 report. Returns the image; `line_boxes` on it lists each line's pixel box."""
    from PIL import Image, ImageDraw

    px = dpi / 72.0
    w, h = round(595 * px), round(842 * px)
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    f = font(round(size_pt * px))
    left, right = round(79 * px), w - round(74 * px)
    y = round(100 * px)
    pitch = round(size_pt * px * 1.75)
    boxes: list[tuple[str, tuple[int, int, int, int]]] = []
    for align, text in lines:
        tw = d.textlength(text, font=f)
        start = left + 2 * size_pt * px if align in ("indent", "full-indent") else left
        if align.startswith("full") and len(text) > 1:
            gap = (right - start - tw) / (len(text) - 1)
            x = start
            for ch in text:
                d.text((x, y), ch, font=f, fill="black")
                x += d.textlength(ch, font=f) + gap
            boxes.append((text, (round(start), y, right, y + round(size_pt * px))))
            y += pitch
            continue
        x = {"left": left, "indent": start, "centre": (w - tw) / 2, "right": right - tw}[align]
        d.text((x, y), text, font=f, fill="black")
        boxes.append((text, (round(x), y, round(x + tw), y + round(size_pt * px))))
        y += pitch
    img.info["line_boxes"] = boxes
    img.info["dpi"] = (dpi, dpi)
    return img


def stamp_seal(img: Any, centre: tuple[float, float], *, issuer: str = "高州市人民政府", dpi: int = 150) -> Any:
    """A red round seal (4.2 cm: ring, five-pointed star, the issuer along the upper arc) printed
    over the page at `centre`, multiplied in as ink is (black text under it stays black)."""
    from PIL import Image, ImageChops, ImageDraw

    px = dpi / 2.54  # pixels per cm
    diameter = round(4.2 * px)
    seal = Image.new("L", (diameter, diameter), 0)  # ink coverage
    d = ImageDraw.Draw(seal)
    ring = max(3, round(0.12 * px))
    d.ellipse((ring // 2, ring // 2, diameter - ring // 2 - 1, diameter - ring // 2 - 1), outline=235, width=ring)
    c = diameter / 2
    star_r = 0.55 * px
    pts = []
    for i in range(10):
        r = star_r if i % 2 == 0 else star_r * 0.382
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    d.polygon(pts, fill=235)
    f = font(round(0.5 * px), bold=True)
    chars = list(issuer)
    spread = math.radians(220)
    for i, ch in enumerate(chars):
        a = -math.pi / 2 - spread / 2 + spread * (i + 0.5) / len(chars)
        r = c - ring - 0.38 * px
        tile = Image.new("L", (round(0.7 * px), round(0.7 * px)), 0)
        ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), ch, font=f, fill=235, anchor="mm")
        tile = tile.rotate(-math.degrees(a + math.pi / 2), resample=Image.Resampling.BICUBIC)
        seal.paste(tile, (round(c + r * math.cos(a) - tile.width / 2), round(c + r * math.sin(a) - tile.height / 2)), tile)
    ink = Image.new("RGB", seal.size, SEAL_RED)
    white = Image.new("RGB", seal.size, "white")
    layer = Image.composite(ink, white, seal)  # red where there is ink, white elsewhere
    x0, y0 = round(centre[0] - c), round(centre[1] - c)
    region = img.crop((x0, y0, x0 + diameter, y0 + diameter))
    img.paste(ImageChops.multiply(region, layer), (x0, y0))
    return img


def degrade(img: Any, *, angle: float = 1.0, quality: int = 60) -> Any:
    """A scanned look: rotated by `angle` degrees (white corners) and saved as JPEG `quality`."""
    from PIL import Image

    rotated = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor="white")
    buf = io.BytesIO()
    rotated.save(buf, "JPEG", quality=quality)
    out = Image.open(io.BytesIO(buf.getvalue()))
    out.load()
    return out


def png_bytes(img: Any, dpi: int = 150) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def tiff_bytes(pages: list[Any], dpi: int = 150) -> bytes:
    """A multi-page TIFF (LZW, lossless: a JPEG page keeps its artefacts)."""
    buf = io.BytesIO()
    rgb = [p.convert("RGB") for p in pages]
    rgb[0].save(buf, "TIFF", save_all=True, append_images=rgb[1:], compression="tiff_lzw", dpi=(dpi, dpi))
    return buf.getvalue()


def run_cli_without_ocr(*args: str) -> subprocess.CompletedProcess[bytes]:
    """`fzlint ARGS` as on a machine without the OCR extra (its engine cannot be imported)."""
    import os
    import sys

    code = ("import sys\nsys.modules['rapidocr_onnxruntime'] = None\nfrom fzlint.cli import main\n"
            "sys.argv = ['fzlint', *sys.argv[1:]]\nraise SystemExit(main())")
    root = Path(__file__).resolve().parent.parent
    return subprocess.run([sys.executable, "-c", code, *args], check=False, capture_output=True, cwd=root,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=120)


def scanned_pdf(pages: list[Any], dpi: int = 150) -> bytes:
    """A PDF of page images only (no text layer), as a scanner writes."""
    buf = io.BytesIO()
    rgb = [p.convert("RGB") for p in pages]
    rgb[0].save(buf, "PDF", save_all=True, append_images=rgb[1:], resolution=dpi)
    return buf.getvalue()
