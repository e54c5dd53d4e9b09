"""OCR of scanned PDF pages and images (the optional extra `fzlint[ocr]`).

Engine: RapidOCR (rapidocr-onnxruntime, Apache-2.0) running PaddleOCR's PP-OCRv4 Chinese detection
and recognition models, which ship inside its wheel, on onnxruntime (MIT), offline. Why this
engine and not Debian's tesseract-ocr-chi-sim: docs/formats.md (OCR), figures in benchmarks/.

A page is
1. decoded (PIL, with an explicit pixel limit) or rendered from the PDF (pypdfium2, RENDER_DPI),
   scaled down to at most MAX_SIDE pixels;
2. stripped of red ink when it has any (a seal over the signature and date): the red channel is
   taken as the grey image, in which red is as light as the paper and black text stays black;
3. searched for text lines on a copy at most DET_SIDE pixels long (detection is most of the cost
   of a large page and needs no more), each line then recognised from the full-size page; the
   recogniser gives each character a probability, its confidence;
4. turned into `pdf.Line`s in PDF points (y upward), so that the PDF reader's own steps apply:
   rows in reading order, running headers and page numbers removed, lines joined into paragraphs.

The Source keeps where each paragraph starts (`meta["page_of_line"]`), the mean confidence
(`meta["ocr_confidence"]`) and the spans of characters recognised with a confidence below
LOW_CONFIDENCE (`Source.low_confidence`): rules marked `ocr_sensitive` (punctuation, numbers,
wording) report nothing inside them, the required parts are still found there.

OCR cannot tell a half-width comma from a full-width one reliably (its answer changes with the
crop), so next to Chinese characters punctuation is written in the full-width form; rules about
half-width punctuation therefore never fire on OCR text.

The boxes each page gave are cached by content hash, page, engine version and settings in the user
cache dir (JSON, in a private folder), so a second run over a folder of scans is fast.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import stat
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fzlint.errors import InputError
from fzlint.ingest.pdf import Line, _keep_space, join_paragraphs, strip_furniture
from fzlint.patterns import lazy_re

if TYPE_CHECKING:
    from fzlint.ingest.source import Source

ENGINE = "rapidocr"
EXTRA = "pip install 'fzlint[ocr]'"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
# Settings that change what the engine sees: part of the cache key (bump SETTINGS when the
# preprocessing changes).
SETTINGS = 4
RENDER_DPI = 200  # PDF pages without a text layer are rendered at this resolution
MAX_SIDE = 3000  # longer side of the page image given to the recogniser, in pixels
DET_SIDE = 1280  # longer side of the copy searched for text lines
MAX_IMAGE_PIXELS = 60_000_000  # an image file larger than this is refused (A4 at 600 dpi: 35 MP)
LOW_CONFIDENCE = 0.9  # characters below this are not used by ocr_sensitive rules
DEFAULT_MAX_PAGES = 100  # pages OCR'd from one file (FZLINT_OCR_MAX_PAGES)
DEFAULT_PAGE_SECONDS = 120.0  # CPU seconds for one page (FZLINT_OCR_PAGE_SECONDS); a page takes about 10
MAX_BOXES = 1000  # text lines taken from one page (the detector's own limit)
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = "，。、；：？！（）“”‘’《》〈〉【】—…·"
_DOC_NUMBER = lazy_re(r"(?<=[\u4e00-\u9fff])([\[(（【]\d{4}[\])）】])(?=\d{1,5}号)")
_LINE_END = "。！？!?；;：:…”’」』》〉）)】"  # marks a paragraph may end with
_OPENING = "「『[【（(《〈“‘〔"
_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


# ---- availability and limits --------------------------------------------------------------------
def available() -> bool:
    """Whether the OCR extra is installed (without importing it)."""
    from importlib.util import find_spec

    try:
        return all(find_spec(m) is not None for m in ("rapidocr_onnxruntime", "onnxruntime", "cv2", "PIL"))
    except (ImportError, ValueError):
        return False


def missing_extra(path: str, what_zh: str, what_en: str) -> InputError:
    """The message for a file that needs OCR when the extra is not installed."""
    return InputError(
        f"{what_zh},需要文字识别(OCR)才能检查。请安装 OCR 扩展:{EXTRA}(离线运行,自带中文识别模型);"
        "或先用其他工具转换为可选中文字的 PDF 或 Word 文档,例如:ocrmypdf -l chi_sim 输入.pdf 输出.pdf",
        f"{what_en}: it needs OCR (text recognition) to be checked. Install the OCR extra: {EXTRA} "
        "(runs offline, Chinese models included), or convert it to a text PDF or Word file first, "
        "e.g. ocrmypdf -l chi_sim in.pdf out.pdf",
        path=path,
    )


def _env_number(name: str, default: float) -> float:
    from fzlint.ingest.limits import env_number

    value = env_number(name)
    return default if value is None else value


def max_pages() -> int:
    return int(_env_number("FZLINT_OCR_MAX_PAGES", DEFAULT_MAX_PAGES))


def page_seconds() -> float:
    return _env_number("FZLINT_OCR_PAGE_SECONDS", DEFAULT_PAGE_SECONDS)


def _too_many_pages(n: int, limit: int, path: str) -> InputError:
    return InputError(
        f"需要文字识别的页数超过上限:{n} 页(上限 {limit} 页)。年度报告通常只有 5-30 页;"
        "确需检查时可设置环境变量 FZLINT_OCR_MAX_PAGES 提高上限(每页约需数秒)。",
        f"Too many pages to OCR: {n} (limit {limit}). An annual report has 5-30 pages; to lint it anyway, "
        "raise the limit with FZLINT_OCR_MAX_PAGES (each page takes seconds).",
        path=path,
    )


def _page_too_slow(page: int, seconds: float, limit: float, path: str) -> InputError:
    return InputError(
        f"文字识别第 {page} 页用了 {seconds:.0f} 秒 CPU 时间,超过上限 {limit:g} 秒,已停止识别本文件。页面可能异常复杂;"
        "确需检查时可设置环境变量 FZLINT_OCR_PAGE_SECONDS 提高上限。",
        f"OCR of page {page} took {seconds:.0f} s of CPU time, more than the limit ({limit:g} s); this file was not read. "
        "The page may be abnormally complex; raise the limit with FZLINT_OCR_PAGE_SECONDS.",
        path=path,
    )


# ---- recognised text ----------------------------------------------------------------------------
@dataclass(slots=True)
class Box:
    """One recognised text line: its text, each character's confidence, and its corners' bounds
    in the pixels of the page image (y downward)."""

    text: str
    conf: list[float]
    x0: float
    y0: float
    x1: float
    y1: float

    def to_json(self) -> list[Any]:
        return [self.text, [round(c, 4) for c in self.conf], round(self.x0, 1), round(self.y0, 1),
                round(self.x1, 1), round(self.y1, 1)]

    @classmethod
    def from_json(cls, row: Any) -> Box:
        text, conf, x0, y0, x1, y1 = row
        if not isinstance(text, str) or not isinstance(conf, list) or len(conf) != len(text):
            raise TypeError("bad box")
        coords = [float(v) for v in (x0, y0, x1, y1)]
        return cls(text, [min(1.0, max(0.0, float(c))) for c in conf], *coords)


@dataclass(slots=True)
class OcrLine(Line):
    """A line of a PDF page made by OCR: each character's confidence (1.0 for an added space)."""

    conf: list[float] = field(default_factory=list)


@dataclass(slots=True)
class PageText:
    """What OCR found on one page: its size in pixels, the resolution, and the boxes."""

    width: int
    height: int
    dpi: float
    boxes: list[Box] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"width": self.width, "height": self.height, "dpi": self.dpi, "boxes": [b.to_json() for b in self.boxes]}

    @classmethod
    def from_json(cls, obj: Any) -> PageText:
        if not isinstance(obj, dict) or not isinstance(obj.get("boxes"), list):
            raise TypeError("bad page")
        page = cls(int(obj["width"]), int(obj["height"]), float(obj["dpi"]))
        page.boxes = [Box.from_json(b) for b in obj["boxes"][:MAX_BOXES]]
        if page.width <= 0 or page.height <= 0 or not 1 <= page.dpi <= 10_000:
            raise ValueError("bad page size")
        return page


# ---- the engine ---------------------------------------------------------------------------------
_engine: dict[str, Any] = {}


def engine_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{ENGINE} {version('rapidocr-onnxruntime')}"
    except PackageNotFoundError:  # pragma: no cover - checked by available()
        return ENGINE


def _threads() -> int:
    """onnxruntime threads: the cores this process may use, or one inside a -j worker (the
    pool already has a process per core)."""
    import multiprocessing

    if multiprocessing.parent_process() is not None:
        return 1
    try:
        return max(1, min(4, len(os.sched_getaffinity(0))))
    except AttributeError:
        return max(1, min(4, os.cpu_count() or 1))


def _get_engine() -> Any:
    pid = os.getpid()
    if _engine.get("pid") != pid:  # a forked child builds its own (onnxruntime's threads do not fork)
        import logging

        try:
            from rapidocr_onnxruntime import RapidOCR

            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            _engine["ocr"] = RapidOCR(intra_op_num_threads=_threads(), inter_op_num_threads=1, use_cls=False)
        except (ImportError, OSError) as exc:  # e.g. OpenCV without libGL on a server
            raise EngineUnavailable(f"{type(exc).__name__}: {exc}") from None
        _engine["pid"] = pid
    return _engine["ocr"]


class EngineUnavailable(Exception):
    """The OCR extra is installed but cannot be loaded (a missing system library)."""


def _engine_failed(exc: EngineUnavailable, path: str) -> InputError:
    return InputError(
        f"OCR 扩展已安装但无法加载({exc})。常见原因是服务器缺少 OpenCV 需要的系统库:"
        "apt-get install libgl1 libglib2.0-0;或重新安装:" + EXTRA,
        f"The OCR extra is installed but cannot be loaded ({exc}). On servers this is usually a system library "
        f"OpenCV needs: apt-get install libgl1 libglib2.0-0; or reinstall: {EXTRA}",
        path=path,
    )


def suppress_red(rgb: Any) -> Any:
    """The page with red ink (a seal, a red header, red marks) turned to paper colour, if it has
    any: the red channel as grey, in which black and blue text stay dark and red ink is light,
    then levels set so that the seal's ink (the red pixels' usual red value, a little less) is
    white. Text under the seal keeps its strokes (they are dark in the red channel too). Pages
    without red are returned unchanged."""
    import numpy as np

    if rgb.ndim != 3:
        return rgb
    r = rgb[..., 0]
    red = (r.astype(np.int16) - np.maximum(rgb[..., 1], rgb[..., 2]) > 60) & (r > 120)
    if int(np.count_nonzero(red)) < 0.0005 * r.size:
        return rgb
    white = float(np.clip(np.percentile(r[red], 10) - 10, 140, 230))
    grey = np.clip(r.astype(np.float32) * (255.0 / white), 0, 255).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=2)


def recognize(rgb: Any, *, red: bool = True) -> list[Box]:
    """The text lines of one page image (an RGB uint8 array), in the image's pixels."""
    import cv2
    import numpy as np

    eng = _get_engine()
    img = suppress_red(rgb) if red else rgb
    img = np.ascontiguousarray(img[..., ::-1])  # RGB -> BGR, as the engine (OpenCV) expects
    h, w = img.shape[:2]
    scale = min(1.0, DET_SIDE / max(h, w))
    small = cv2.resize(img, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA) if scale < 1 else img
    boxes, _elapsed = eng.text_det(small)
    if boxes is None or len(boxes) == 0:
        return []
    quads = [np.asarray(b, dtype=np.float32) / scale for b in eng.sorted_boxes(boxes)][:MAX_BOXES]
    crops = eng.get_crop_img_list(img, _widen(quads, w))
    results, _elapsed = eng.text_rec(crops, True)
    out: list[Box] = []
    for quad, res in zip(quads, results):
        text = res[0]
        conf = [float(c) for c in res[2][4]] if len(res) > 2 and text else []
        if not text.strip() or len(conf) != len(text):
            continue
        xs, ys = quad[:, 0], quad[:, 1]
        out.append(Box(text, conf, float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())))
    return out


def _widen(quads: list[Any], width: int) -> list[Any]:
    """Each text line's box lengthened by half its height at both ends (the detector's box stops
    short of a small final mark: "98.81%。" was read "98.81%"), but never past half the gap to
    another box on the same row, nor past the page."""
    import numpy as np

    out = []
    bounds = [(q[:, 0].min(), q[:, 0].max(), q[:, 1].min(), q[:, 1].max()) for q in quads]
    for q, (x0, x1, y0, y1) in zip(quads, bounds):
        h = y1 - y0
        left = right = 0.5 * h
        for ox0, ox1, oy0, oy1 in bounds:
            if min(y1, oy1) - max(y0, oy0) <= 0.5 * min(h, oy1 - oy0):
                continue
            if ox0 >= x1:
                right = min(right, (ox0 - x1) / 2)
            elif ox1 <= x0:
                left = min(left, (x0 - ox1) / 2)
        left, right = min(left, x0), min(right, width - 1 - x1)
        top = q[1] - q[0]
        u = top / max(1e-6, float(np.hypot(*top)))  # along the line (a rotated page's boxes are tilted)
        w = q.copy()
        w[[0, 3]] -= u * max(0.0, left)
        w[[1, 2]] += u * max(0.0, right)
        out.append(w.astype(np.float32))
    return out


# ---- images ---------------------------------------------------------------------------------------
def _fit(img: Any) -> tuple[Any, float]:
    """A PIL image scaled down so its longer side is at most MAX_SIDE, and the factor used."""
    w, h = img.size
    scale = min(1.0, MAX_SIDE / max(w, h))
    if scale < 1:
        from PIL import Image

        img = img.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.LANCZOS)
    return img, scale


def _rgb_array(img: Any) -> Any:
    import numpy as np
    from PIL import Image

    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img)
    return np.asarray(img.convert("RGB"))


def _image_dpi(img: Any) -> float:
    """The resolution an image says it has, else the one at which it would be an A4 page."""
    dpi = img.info.get("dpi")
    try:
        x = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        x = 0.0
    if 50 <= x <= 1200:
        return x
    w, h = img.size
    return max(50.0, min(1200.0, min(w, h) / 8.27))


def _open_image(data: bytes, path: str) -> Any:
    import warnings

    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS  # explicit: PIL's default only warns below 2x
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            img.size  # noqa: B018 - header read
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _image_too_large(path) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise InputError(
            f"图片文件已损坏或格式无法识别({exc}),无法进行文字识别。",
            f"The image is damaged or in an unknown format ({exc}); it cannot be OCR'd.",
            path=path,
        ) from None
    w, h = img.size
    if w * h > MAX_IMAGE_PIXELS:
        raise _image_too_large(path)
    return img


def _image_too_large(path: str) -> InputError:
    mp = MAX_IMAGE_PIXELS / 1e6
    return InputError(
        f"图片像素数超过上限({mp:g} 百万像素,相当于 600 dpi 的 A4 页面),可能是异常构造的文件;请缩小后再检查。",
        f"The image has more pixels than the limit ({mp:g} megapixels, an A4 page at 600 dpi); it may be crafted. "
        "Scale it down and lint it again.",
        path=path,
    )


# ---- the cache ----------------------------------------------------------------------------------
MAX_CACHE_FILE = 4 * 1024 * 1024
CACHE_ENTRIES = 5000


def _private_dir(path: Any) -> bool:
    """A real folder owned by this user and writable by nobody else (else another user could
    plant the text fzlint checks)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not st.st_mode & 0o022


def _cache_folder() -> Any:
    from fzlint.ingest.formats import CONVERT

    if os.environ.get("FZLINT_OCR_CACHE") == "0" or not CONVERT["use_cache"]:  # --no-cache
        return None
    from fzlint.cachedir import cache_dir

    base = cache_dir()
    folder = base / "ocr"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if _private_dir(base) and _private_dir(folder) else None


def cache_key(digest: str, page: int, dpi: float) -> str:
    h = hashlib.sha256(f"{engine_version()}|{SETTINGS}|{MAX_SIDE}|{DET_SIDE}|{dpi:g}|{page}|{digest}".encode())
    return h.hexdigest()


def _cache_get(key: str) -> PageText | None:
    folder = _cache_folder()
    if folder is None:
        return None
    try:
        fd = os.open(folder / f"{key}.json", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CACHE_FILE or st.st_mode & 0o022:
                return None
            if hasattr(os, "getuid") and st.st_uid != os.getuid():
                return None
            obj = json.loads(fh.read(MAX_CACHE_FILE + 1))
        if obj.get("key") != key:
            return None
        return PageText.from_json(obj["page"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _cache_put(key: str, page: PageText) -> None:
    folder = _cache_folder()
    if folder is None:
        return
    try:
        payload = json.dumps({"key": key, "page": page.to_json()}, ensure_ascii=False).encode()
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, folder / f"{key}.json")
        entries = [e for e in os.scandir(folder) if e.name.endswith(".json") and not e.name.startswith(".")]
        if len(entries) > CACHE_ENTRIES:
            entries.sort(key=lambda e: e.stat().st_mtime)
            for e in entries[: len(entries) - CACHE_ENTRIES]:
                os.unlink(e.path)
    except OSError:
        pass  # a read-only cache must not stop linting


# ---- progress -----------------------------------------------------------------------------------
# "auto": a bar on stderr when it is a terminal and this is not a -j worker; commands that draw
# their own progress (audit) set "never".
PROGRESS = {"mode": "auto"}


class _Progress:
    def __init__(self, path: str, total: int) -> None:
        self.bar: Any = None
        self.task: Any = None
        if total <= 0 or not self._wanted():
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        name = os.path.basename(path)
        self.bar = Progress(
            TextColumn("文字识别(OCR) {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("页 •"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr, highlight=False),
            transient=True,
        )
        try:
            self.bar.start()
        except Exception:  # noqa: BLE001 - another live display: no bar, never a failure
            self.bar = None
            return
        self.task = self.bar.add_task(name.encode("unicode_escape").decode() if not name.isprintable() else name, total=total)

    @staticmethod
    def _wanted() -> bool:
        mode = PROGRESS["mode"]
        if mode != "auto":
            return mode == "always"
        import multiprocessing

        return sys.stderr is not None and sys.stderr.isatty() and multiprocessing.parent_process() is None

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


# ---- pages to text ------------------------------------------------------------------------------
def ocr_pages(images: Iterable[Callable[[], tuple[Any, float]]], keys: list[str], path: str) -> list[PageText]:
    """OCR each page (a callable giving its RGB array and dpi, called only on a cache miss),
    with the cache, the per-page time limit and a progress bar."""
    limit = page_seconds()
    out: list[PageText] = []
    bar = _Progress(path, len(keys))
    try:
        for n, (make, key) in enumerate(zip(images, keys), 1):
            page = _cache_get(key)
            if page is None:
                # CPU time of this process (all its threads), not wall time: a page that waited
                # for a busy machine's cores is not a pathological page
                t0 = time.process_time()
                rgb, dpi = make()
                try:
                    boxes = recognize(rgb)
                except EngineUnavailable as exc:
                    raise _engine_failed(exc, path) from None
                page = PageText(int(rgb.shape[1]), int(rgb.shape[0]), dpi, boxes)
                spent = time.process_time() - t0
                _cache_put(key, page)  # done is done: a second run of this file does not redo it
                if spent > limit:
                    raise _page_too_slow(n, spent, limit, path)
            out.append(page)
            bar.advance()
    finally:
        bar.close()
    return out


def _tidy_spaces(text: str, conf: list[float]) -> tuple[str, list[float]]:
    """A recognised line without its outer spaces and without the spaces the recogniser puts
    into wide gaps next to Chinese (justified lines: "表扬类 20宗"); spaces between Latin
    words and numbers stay."""
    cjk = re.compile(f"[{_HAN}{_CJK_PUNCT}]")
    keep_t: list[str] = []
    keep_c: list[float] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if not before or not after or before.isspace() or cjk.match(before) or cjk.match(after):
                continue
            ch = " "
        keep_t.append(ch)
        keep_c.append(conf[i])
    # an opening mark cannot end a line in Chinese typesetting (行末禁则): one read there with
    # doubt is the recogniser's echo of the crop's edge ("示范引「")
    while keep_t and keep_t[-1] in _OPENING and keep_c[-1] < LOW_CONFIDENCE:
        keep_t.pop()
        keep_c.pop()
    return "".join(keep_t), keep_c


def fold_punctuation(text: str) -> str:
    """Half-width , ; : ? ! ( ) next to Chinese written full-width (same length)."""
    return _fold_spans(text, [(0, len(text))])


def _fold_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """fold_punctuation inside the spans only (OCR'd lines; a PDF's text-layer lines keep
    their marks), looking across the spans' ends (a comma ending one line, the next line's
    first character)."""
    cjk = re.compile(f"[{_HAN}{_CJK_PUNCT}]")
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            c = text[i]
            if c in _TO_FULL:
                j = i - 1
                while j >= 0 and text[j] in " \n":
                    j -= 1
                k = i + 1
                while k < len(text) and text[k] in " \n":
                    k += 1
                if (j >= 0 and cjk.match(text[j])) or (k < len(text) and cjk.match(text[k])):
                    chars[i] = _TO_FULL[c]
        # a document number's year brackets, read as [ ] or ( ): 国办发〔2018〕118号
        for m in _DOC_NUMBER.finditer(text, s, e):
            chars[m.start(1)], chars[m.end(1) - 1] = "〔", "〕"
    return "".join(chars)


@dataclass(slots=True)
class _Row:
    """Boxes on one baseline, left to right."""

    boxes: list[Box]
    y0: float
    y1: float


def _rows(boxes: list[Box]) -> list[_Row]:
    """Group a page's boxes into rows (vertical overlap of more than half the lower height),
    top to bottom, each left to right."""
    rows: list[_Row] = []
    for b in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        row = rows[-1] if rows else None
        if row is not None:
            overlap = min(row.y1, b.y1) - max(row.y0, b.y0)
            if overlap > 0.5 * min(row.y1 - row.y0, b.y1 - b.y0):
                row.boxes.append(b)
                row.y0, row.y1 = min(row.y0, b.y0), max(row.y1, b.y1)
                continue
        rows.append(_Row([b], b.y0, b.y1))
    for row in rows:
        row.boxes.sort(key=lambda b: b.x0)
    return rows


def _units(text: str) -> float:
    """The width of a text in ems: Chinese characters and full-width forms 1, others 1/2."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.5 for c in text if c != " ")


def _sizes(rows: list[tuple[str, float, float]]) -> list[float]:
    """Font sizes (pixels) of rows given as (text, width, box height). A box's height depends on
    its glyphs (brackets, quotes and digits reach further than Chinese characters), so a row of
    six ems or more is measured by its character pitch; a shorter one by its height times the
    page's usual ratio of pitch to height. Sizes within a fifth of the page's usual size are taken
    as that size, so that only real changes of size (a title) separate paragraphs."""
    long_rows = [(w / _units(t), h) for t, w, h in rows if _units(t) >= 6 and h > 0]
    ratio = statistics.median(p / h for p, h in long_rows) if long_rows else 1 / 1.2
    sizes = [w / _units(t) if _units(t) >= 6 else h * ratio for t, w, h in rows]
    if not long_rows:
        return sizes
    body = statistics.median(p for p, _h in long_rows)
    return [body if abs(size - body) <= 0.2 * body else size for size in sizes]


def page_lines(page: PageText, page_no: int) -> tuple[list[Line], float]:
    """One page's rows as PDF lines in points (y upward) carrying their characters' confidences,
    and the page height in points."""
    k = 72.0 / page.dpi
    height = page.height * k
    made: list[tuple[str, list[float], _Row]] = []
    for row in _rows(page.boxes):
        text = ""
        conf: list[float] = []
        for b in row.boxes:
            t, c = _tidy_spaces(b.text, b.conf)
            if not t:
                continue
            if text and _keep_space(text, t):
                text += " "
                conf.append(1.0)
            text += t
            conf.extend(c)
        if text:
            made.append((text, conf, row))
    sizes = _sizes([(t, max(b.x1 for b in r.boxes) - min(b.x0 for b in r.boxes),
                     statistics.median([b.y1 - b.y0 for b in r.boxes])) for t, _c, r in made])
    lines: list[Line] = []
    for (text, conf, row), size in zip(made, sizes):
        x0, x1 = min(b.x0 for b in row.boxes) * k, max(b.x1 for b in row.boxes) * k
        lines.append(OcrLine(page_no, text, x0, x1, height - row.y0 * k, height - row.y1 * k, size * k, conf=conf))
    return lines, height


def assemble(pages: list[list[Line]], heights: list[float], path: str, fmt: str, *, ocr_pages_done: int,
             meta: dict[str, str] | None = None, notes: list[str] | None = None) -> Source:
    """Lines of all pages (OCR'd ones and, in a PDF, text-layer ones) into a Source: running
    headers and page numbers removed, paragraphs joined, pages and low-confidence spans kept."""
    from fzlint.ingest.source import Source

    kept, removed = strip_furniture(pages, heights)
    lines = [ln for page in kept for ln in page]
    text = "\n".join(join_paragraphs(lines))
    if not text.strip():
        raise InputError(
            "文字识别(OCR)没有在文件中找到文字:可能是空白页、图片过于模糊或不是文字材料。",
            "OCR found no text in the file: blank pages, a blurred image, or not a text document.",
            path=path,
        )
    # Each kept line appears in order in the text, after a space or a line break that the joining
    # added: its characters' confidences and its page map onto the text's offsets.
    ocr_spans: list[tuple[int, int]] = []
    low: list[tuple[int, int]] = []

    def doubtful(i: int) -> None:
        if low and low[-1][1] == i:
            low[-1] = (low[-1][0], i + 1)
        elif not low or low[-1][1] < i:
            low.append((i, i + 1))

    # The edges of the text on each page (its long OCR'd lines reach them): a paragraph whose last
    # line is a full line (from the left edge, or an indent, to the right edge) without a closing
    # mark may go on in a line the detector missed (a short last line such as "决。" on a skewed
    # scan), so its last character is doubtful too. A right-aligned date or signature is not.
    left: dict[int, float] = {}
    right: dict[int, float] = {}
    for ln in lines:
        if isinstance(ln, OcrLine) and len(ln.text) >= 10:
            left[ln.page] = min(left.get(ln.page, math.inf), ln.x0)
            right[ln.page] = max(right.get(ln.page, 0.0), ln.x1)
    starts: list[int] = []
    total = 0.0
    count = 0
    pos = 0
    para_start = True
    for ln in lines:
        while not text.startswith(ln.text, pos) and pos < len(text) and text[pos] in " \n":
            para_start = para_start or text[pos] == "\n"
            pos += 1
        if not text.startswith(ln.text, pos):  # pragma: no cover - joining only adds " " and "\n"
            raise AssertionError(f"OCR line not found in the joined text: {ln.text!r}")
        if para_start:
            starts.append(ln.page + 1)
            para_start = False
        if isinstance(ln, OcrLine):
            ocr_spans.append((pos, pos + len(ln.text)))
            for i, c in enumerate(ln.conf):
                if text[pos + i] == " ":
                    continue
                total += c
                count += 1
                if c < LOW_CONFIDENCE:
                    doubtful(pos + i)
            end = pos + len(ln.text)
            if ((end == len(text) or text[end] == "\n") and ln.text[-1] not in _LINE_END
                    and ln.x1 >= right.get(ln.page, math.inf) - 1.5 * ln.size
                    and ln.x0 <= left.get(ln.page, -math.inf) + 2.5 * ln.size):
                doubtful(end - 1)
        pos += len(ln.text)
    text = _fold_spans(text, ocr_spans)
    src = Source(path=path, text=text, format=fmt, encoding="ocr")
    src.meta.update(meta or {})
    src.meta["ocr"] = engine_version()
    src.meta["ocr_pages"] = str(ocr_pages_done)
    src.meta["ocr_confidence"] = f"{total / count:.4f}" if count else "0"
    src.meta["page_of_line"] = ",".join(map(str, starts))
    if removed:
        src.meta["pdf_furniture_removed"] = str(len(removed))
    src.low_confidence = low
    src.notes.extend(notes or [])
    return src


def read_image(data: bytes, path: str) -> Source:
    """An image of a report (.png/.jpg/.tif, a TIFF may hold several pages), by OCR."""
    if not available():
        raise missing_extra(path, "这是图片文件", "This is an image")
    img = _open_image(data, path)
    n = getattr(img, "n_frames", 1)
    limit = max_pages()
    if n > limit:
        raise _too_many_pages(n, limit, path)
    digest = hashlib.sha256(data).hexdigest()

    def maker(i: int) -> Callable[[], tuple[Any, float]]:
        def make() -> tuple[Any, float]:
            img.seek(i)
            dpi = _image_dpi(img)
            fitted, scale = _fit(img)
            return _rgb_array(fitted), dpi * scale

        return make

    try:
        pages = ocr_pages([maker(i) for i in range(n)], [cache_key(digest, i, 0) for i in range(n)], path)
    except (OSError, ValueError, SyntaxError) as exc:  # a frame that fails to decode
        raise InputError(
            f"图片文件已损坏,无法解码({exc}),无法进行文字识别。",
            f"The image is damaged and cannot be decoded ({exc}); it cannot be OCR'd.",
            path=path,
        ) from None
    all_lines: list[list[Line]] = []
    heights: list[float] = []
    for i, page in enumerate(pages):
        lines, h = page_lines(page, i)
        all_lines.append(lines)
        heights.append(h)
    return assemble(all_lines, heights, path, "image", ocr_pages_done=n)


def render_pdf_pages(data: bytes, page_numbers: list[int]) -> Iterator[tuple[Any, float]]:
    """(RGB array, dpi) of the given 0-based pages of a PDF, each at RENDER_DPI or less so that
    its longer side stays within MAX_SIDE pixels (a page with a huge media box cannot blow up)."""
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for p in page_numbers:
            page = pdf[p]
            try:
                w, h = page.get_size()
                scale = min(RENDER_DPI / 72.0, MAX_SIDE / max(1.0, w, h))
                bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255))
                try:
                    arr = np.array(bitmap.to_numpy()[..., :3][..., ::-1])  # BGR(A) -> RGB
                finally:
                    bitmap.close()
            finally:
                page.close()
            yield arr, scale * 72.0
    finally:
        pdf.close()


def read_pdf_scans(data: bytes, path: str, pages: list[list[Line]], heights: list[float], scans: list[int]) -> Source:
    """A PDF whose pages `scans` (0-based) have no text layer: those pages OCR'd, the others'
    text-layer lines kept, all joined in page order."""
    for p, (lines, height) in pdf_page_lines(data, path, scans).items():
        pages[p] = lines
        heights[p] = height
    return assemble(pages, heights, path, "pdf", ocr_pages_done=len(scans))


def pdf_page_lines(data: bytes, path: str, page_numbers: list[int]) -> dict[int, tuple[list[Line], float]]:
    """OCR the given 0-based pages of a PDF: {page: (lines in points, page height in points)}."""
    limit = max_pages()
    if len(page_numbers) > limit:
        raise _too_many_pages(len(page_numbers), limit, path)
    digest = hashlib.sha256(data).hexdigest()

    def maker(p: int) -> Callable[[], tuple[Any, float]]:
        return lambda: next(render_pdf_pages(data, [p]))

    pages = ocr_pages([maker(p) for p in page_numbers], [cache_key(digest, p, RENDER_DPI) for p in page_numbers], path)
    return {p: page_lines(page, p) for p, page in zip(page_numbers, pages)}
