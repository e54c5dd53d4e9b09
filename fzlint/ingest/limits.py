"""Limits on what a reader accepts: far above any real report, so that a hostile or runaway file
is refused with a clear message instead of taking minutes and gigabytes.

A rule-of-law annual report is 5-30 pages: some 10,000-40,000 characters in 100-600 paragraphs.
Every default below is at least ten times the largest real report. Each limit can be raised with
an environment variable, which the refusal names; docs/robustness.md lists them all.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from fzlint.errors import FzlintError, InputError


class LimitError(InputError):
    """A file refused because it is past one of the limits (not merely damaged)."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_chars: int = 2_000_000  # characters of text after reading (every format)
    max_paragraphs: int = 50_000  # lines of a text file; paragraphs of a Word file, PDF or web page
    max_pages: int = 300  # pages of a PDF or OFD file
    max_html_tags: int = 100_000  # start tags in a web page
    max_xml_elements: int = 2_000_000  # elements in one XML part of a Word file
    max_part_mb: float = 32.0  # uncompressed size of one part read from a Word (zip) file
    max_unzipped_mb: float = 100.0  # uncompressed size of all the parts read from one file
    max_ratio: float = 100.0  # uncompressed / compressed size of a part larger than 1 MB
    pdf_seconds: float = 60.0  # wall-clock time to read one PDF
    pdf_memory_mb: float = 512.0  # memory the PDF reader may use on top of fzlint's own


# environment variable -> (Limits field, what it limits in Chinese, in English, unit)
ENV: dict[str, tuple[str, str, str, str]] = {
    "FZLINT_MAX_CHARS": ("max_chars", "字符数", "characters", ""),
    "FZLINT_MAX_PARAGRAPHS": ("max_paragraphs", "段落(行)数", "paragraphs (lines)", ""),
    "FZLINT_MAX_PAGES": ("max_pages", "页数(PDF、OFD)", "pages (PDF, OFD)", ""),
    "FZLINT_MAX_HTML_TAGS": ("max_html_tags", "网页标签数", "HTML tags", ""),
    "FZLINT_MAX_XML_ELEMENTS": ("max_xml_elements", "XML 部件的元素数", "XML elements in one part", ""),
    "FZLINT_MAX_PART_MB": ("max_part_mb", "压缩包中单个部件解压后的大小", "unzipped size of one part", "MB"),
    "FZLINT_MAX_UNZIPPED_MB": ("max_unzipped_mb", "压缩包解压后的总大小", "total unzipped size", "MB"),
    "FZLINT_MAX_RATIO": ("max_ratio", "压缩比", "compression ratio", ""),
    "FZLINT_PDF_SECONDS": ("pdf_seconds", "读取 PDF 的时间", "time to read the PDF", "s"),
    "FZLINT_PDF_MEMORY_MB": ("pdf_memory_mb", "读取 PDF 的内存", "memory to read the PDF", "MB"),
}
_VAR = {field: var for var, (field, *_rest) in ENV.items()}
DEFAULT = Limits()


def current() -> Limits:
    """The defaults, with any FZLINT_MAX_* / FZLINT_PDF_* environment variable applied."""
    given: dict[str, float] = {}
    for var, (field, *_rest) in ENV.items():
        value = env_number(var)
        if value is not None:
            given[field] = int(value) if isinstance(getattr(DEFAULT, field), int) else value
    return Limits(**given) if given else DEFAULT


def env_number(name: str) -> float | None:
    """A positive number from the environment variable `name`, None when unset; any other value is
    a clear error (FzlintError, exit 2)."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise FzlintError(
            f"环境变量 {name} 的值无效:{raw!r}(应为正数)",
            f"Invalid value for the environment variable {name}: {raw!r} (expected a positive number)",
        )
    return value


def _shown(value: float, unit: str) -> str:
    number = f"{value:,}" if isinstance(value, int) else f"{value:,g}"
    return f"{number} {unit}" if unit else number


def exceeded(field: str, found_zh: str, found_en: str, limit: float, path: str) -> LimitError:
    """The refusal for one limit: what was found, the limit, and the variable that raises it."""
    var = _VAR[field]
    _field, zh_name, en_name, unit = ENV[var]
    zh_unit = {"s": "秒"}.get(unit, unit)
    return LimitError(
        f"{zh_name}超过上限:{found_zh}(上限 {_shown(limit, zh_unit)})。年度报告通常只有 5-30 页,远低于此上限,"
        f"文件可能有误或是异常构造的;确需检查时可设置环境变量 {var} 提高上限。",
        f"{en_name[0].upper()}{en_name[1:]} over the limit: {found_en} (limit {_shown(limit, unit)}). An annual report (5-30 pages) is far "
        f"below this, so the file is probably wrong or crafted; to lint it anyway, raise the limit with {var}.",
        path=path,
    )


def count_lines(text: str) -> int:
    """Lines as an editor counts them (\\r\\n, \\r or \\n end a line; no empty line after the
    last break), cheaply: one count per kind of line end."""
    n = text.count("\n")
    if "\r" in text:
        n = max(n, text.count("\r"))
    return n + (0 if text.endswith(("\n", "\r")) else 1)


def too_many_chars(n: int, path: str, lim: Limits, *, at_least: bool = False) -> InputError:
    zh, en = ("至少 ", "at least ") if at_least else ("", "")
    return exceeded("max_chars", f"{zh}{n:,} 个字符", f"{en}{n:,} characters", lim.max_chars, path)


def too_many_paragraphs(n: int, path: str, lim: Limits, *, unit_zh: str = "段", unit_en: str = "paragraphs",
                        at_least: bool = False) -> InputError:
    zh, en = ("至少 ", "at least ") if at_least else ("", "")
    return exceeded("max_paragraphs", f"{zh}{n:,} {unit_zh}", f"{en}{n:,} {unit_en}", lim.max_paragraphs, path)


def check_text(text: str, path: str, lim: Limits | None = None, *, unit_zh: str = "行", unit_en: str = "lines") -> None:
    """Refuse text with more characters or lines than the limits allow (a few C-speed passes)."""
    lim = lim or current()
    if len(text) > lim.max_paragraphs and (lines := count_lines(text)) > lim.max_paragraphs:
        raise too_many_paragraphs(lines, path, lim, unit_zh=unit_zh, unit_en=unit_en)
    if len(text) > lim.max_chars:
        raise too_many_chars(len(text), path, lim)
