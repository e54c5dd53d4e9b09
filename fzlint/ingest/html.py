"""Saved web pages (.html/.htm): the report body without the site's navigation and footer.

The page is decoded with the charset it declares (GBK pages are common on government sites), the
body is extracted with trafilatura (offline, no network), and the publication date the page shows
(`<meta name="PubDate">`, `发布时间:2022-03-10`) goes to `Source.meta["published"]`. The text is
one paragraph (or `<br>`-separated line) per line; lines therefore count extracted paragraphs, not
lines of the HTML file.
"""

from __future__ import annotations

import codecs
import re
from datetime import date
from typing import Any

from fzlint.errors import InputError
from fzlint.ingest import limits
from fzlint.ingest.decode import decode
from fzlint.ingest.source import Source
from fzlint.patterns import lazy_re

_META_CHARSET = lazy_re(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_XML_ENCODING = lazy_re(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
# Declared Chinese charsets are read as their superset so that rarer characters still decode.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
_DATE_RE = lazy_re(_DATE)
_PAGE_DATE = lazy_re(r"(发布时间|发布日期|发文日期|发稿时间|公开日期|日期|时间)\s*[:：]\s*" + _DATE)
# <meta> names and properties that carry the publication date on Chinese and other sites.
_DATE_META = {
    "pubdate", "publishdate", "publish_date", "published_time", "article:published_time", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.date", "firstpublishedtime", "releasedate", "og:release_date",
    "citation_publication_date", "date", "publication_date", "sailing_pubdate",
}
# The article's own info bar (date, source, font size, print/close buttons) that extractors keep.
_INFO_BAR = lazy_re(
    r"^[•·\s]*(发布时间|发布日期|发文日期|日期|时间|来源|信息来源|作者|访问量|访问次数|点击|点击数|浏览次数|阅读次数|字号|字体|责任编辑)\s*[:：]"
    r"|【\s*(打印|关闭|保存|字体|大|中|小)"
)
_BOILERPLATE = lazy_re(r"nav|menu|footer|header|breadcrumb|crumb|share|sidebar|related|copyright|bottom|top-?bar|links", re.IGNORECASE)
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article", "blockquote", "pre"}


# The encodings a browser accepts in a page (WHATWG Encoding Standard, "Names and labels"), as
# Python codec names. Any other declared name is ignored, as browsers ignore it: Python also
# knows codecs that are not character sets at all (rot13, base64, hex, zlib) or that are slow or
# fail on arbitrary bytes (punycode, idna, unicode_escape, utf-7).
_WEB_ENCODINGS = (
    "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7", "iso8859-8",
    "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "mac-roman",
    "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "gbk", "gb18030", "gb2312", "big5", "big5hkscs", "euc_jp", "iso2022_jp", "shift_jis", "cp932",
    "euc_kr", "cp949", "latin-1", "ascii",
)


def _web_encoding(name: str) -> str | None:
    """The Python codec for a declared charset name, or None when a browser would ignore it."""
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    if info.name.startswith(("utf-16", "utf-32")):
        return None  # a page whose <meta> is readable as ASCII is not UTF-16 (WHATWG: read it as UTF-8)
    return info.name if info.name in _WEB_CODEC_NAMES else None


_WEB_CODEC_NAMES = frozenset(codecs.lookup(n).name for n in _WEB_ENCODINGS)


def declared_charset(data: bytes) -> str | None:
    """The charset the page declares in its first 4 KB (meta tag or XML declaration), normalized;
    None when there is none or it is not a character set a browser would use."""
    head = data[:4096]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").strip().lower()
    return _web_encoding(_SUPERSET.get(name, name))


def decode_html(data: bytes) -> tuple[str, str, int]:
    """Decode a page: BOM, else its declared charset, else fzlint's decoder. (text, encoding, replaced)."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        charset = declared_charset(data)
        if charset:
            try:
                return data.decode(charset), charset, 0
            except (UnicodeError, LookupError):
                pass  # the declaration lies (a GBK page saved as UTF-8): detect instead
    dec = decode(data)
    return dec.text, dec.encoding, dec.replaced


def _iso(m: re.Match[str] | None) -> str | None:
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups()[-3:])
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def published_date(tree: Any, page_text: str) -> str | None:
    """The publication date the page shows: date meta tags, then `发布时间:` text, as ISO date."""
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or meta.get("http-equiv") or "").strip().lower()
        if key in _DATE_META and (iso := _iso(_DATE_RE.search(meta.get("content") or ""))):
            return iso
    for t in tree.iter("time"):
        marked = (t.get("itemprop") or "").lower() == "datepublished" or t.get("pubdate") is not None
        if marked and (iso := _iso(_DATE_RE.search(t.get("datetime") or t.text_content() or ""))):
            return iso
    return _iso(_PAGE_DATE.search(page_text))


def _visible_text(el: Any) -> str:
    """Text of an element with block boundaries as newlines (used for dates and the fallback)."""
    parts: list[str] = []
    for node in el.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("script", "style", "noscript", "template"):
            if node.tail:
                parts.append(node.tail)
            continue
        if tag in _BLOCK:
            parts.append("\n")
        if node.text and node.getparent() is not None and not _inside_skipped(node):
            parts.append(node.text)
        if node.tail and not _inside_skipped(node.getparent()):
            parts.append(node.tail)
    return "".join(parts)


def _inside_skipped(node: Any) -> bool:
    while node is not None:
        if isinstance(node.tag, str) and node.tag in ("script", "style", "noscript", "template"):
            return True
        node = node.getparent()
    return False


def _fallback_body(tree: Any) -> str:
    """Content-density fallback: the element whose paragraphs hold the most text, minus page chrome."""
    for el in list(tree.iter("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe")):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if _BOILERPLATE.search(marks) and el.tag not in ("body", "html"):
            el.drop_tree()
    best, best_len = None, 0
    for parent in tree.iter():
        if not isinstance(parent.tag, str):
            continue
        total = sum(len(c.text_content().strip()) for c in parent if isinstance(c.tag, str) and c.tag in ("p", "div", "br", "span", "font"))
        total += len((parent.text or "").strip())
        if total > best_len:
            best, best_len = parent, total
    root = best if best is not None else tree
    return _visible_text(root)


def _clean_lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.replace("\r", "\n").split("\n") if ln.strip()]


# trafilatura's extraction grows faster than the page (CPU per paragraph, measured: 70 us at 4,000
# paragraphs, 127 us at 32,000, 225 us at 64,000); a real report page has 1,000-5,000 tags. Above
# this the page is read by the content-density fallback, which stays linear (~25 us a paragraph).
TRAFILATURA_MAX_TAGS = 20_000


# Characters that XML cannot hold (C0 controls but tab, newline and return; U+FFFE, U+FFFF; lone
# surrogates). lxml keeps them when it parses HTML, then refuses them when the tree is edited
# (ValueError from drop_tree, found by tests/fuzz/fuzz_html.py); a browser shows nothing for them.
_NOT_XML = lazy_re("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# The same characters written as numeric character references (&#1;, &#xFFFE;): the parser
# resolves them into the tree, where the same ValueError follows (found by the HTML fuzzer after
# the literal characters were fixed). Up to 8 significant digits can name a character.
_CHAR_REF = lazy_re(r"&#(?:[xX]0*([0-9a-fA-F]{1,9})(?![0-9a-fA-F])|0*([0-9]{1,9})(?![0-9]));?")


def _xml_safe_ref(m: re.Match[str]) -> str:
    hex_digits, dec_digits = m.groups()
    cp = int(hex_digits, 16) if hex_digits is not None else int(dec_digits)
    return " " if cp <= 0x10FFFF and _NOT_XML.match(chr(cp)) else m.group(0)


def xml_safe(html: str) -> str:
    """The page with every character XML cannot hold, literal or as a numeric character reference,
    made a space (a browser shows nothing for them)."""
    html = _NOT_XML.sub(" ", html)
    return _CHAR_REF.sub(_xml_safe_ref, html) if "&#" in html else html


def count_tags(html: str) -> int:
    """Start tags (and empty elements) in a page, counted without parsing: every '<' that does not
    open an end tag, a comment, a declaration or a processing instruction (an upper bound)."""
    return html.count("<") - html.count("</") - html.count("<!") - html.count("<?")


def read_html(data: bytes, path: str, lim: limits.Limits | None = None) -> Source:
    """Read a saved web page into a Source holding the report body, one paragraph per line."""
    lim = lim or limits.current()
    html, encoding, replaced = decode_html(data)
    html = xml_safe(html)
    if (tags := count_tags(html)) > lim.max_html_tags:
        raise limits.exceeded("max_html_tags", f"约 {tags:,} 个", f"about {tags:,}", lim.max_html_tags, path)
    import lxml.html  # imported here: only web pages need it

    try:
        html = re.sub(r"^\s*<\?xml[^>]*>", "", html) or "<html></html>"  # lxml refuses str with it
        tree = lxml.html.document_fromstring(html)
    except Exception as exc:  # noqa: BLE001 - lxml raises several types on hopeless input
        raise InputError(f"无法解析网页(HTML):{exc}", f"Cannot parse the HTML page: {exc}", path=path) from None
    page_text = _visible_text(tree)
    body: str | None = None
    title: str | None = None
    if tags <= TRAFILATURA_MAX_TAGS:
        try:
            import trafilatura

            body = trafilatura.extract(
                html, output_format="txt", include_tables=True, include_comments=False, include_images=False,
                favor_recall=True, deduplicate=False, with_metadata=False,
            )
            # only the title is used: extensive=False keeps htmldate from handing odd date-like
            # text to dateparser, which compiles a thousand regexes (4.4 s CPU) on first use
            meta = trafilatura.extract_metadata(html, extensive=False)
            title = meta.title if meta is not None else None
        except ImportError:
            body = None
    # The info bar under the title (trafilatura sometimes keeps it, even after the body) is page
    # furniture: dropped so that lines count only the report's own paragraphs. Its date is read
    # from the whole page below.
    lines = [ln for ln in _clean_lines(body or "") if len(ln) > 80 or not _INFO_BAR.search(ln)]
    if sum(len(ln) for ln in lines) < 50:
        # trafilatura finds no article in very short or odd pages (and is not asked on very large
        # ones): fall back to content density.
        lines = _clean_lines(_fallback_body(lxml.html.document_fromstring(html)))
    if title is None:
        h1 = next(iter(tree.iter("h1")), None)
        title = h1.text_content() if h1 is not None else tree.findtext(".//title")
    title = " ".join((title or "").split())
    # The title usually sits outside the article body; put it back on top when it is missing.
    if title and re.search(r"报告|情况|总结", title):
        squeezed = [re.sub(r"\s+", "", ln) for ln in lines[:6]]
        if re.sub(r"\s+", "", title) not in squeezed:
            lines.insert(0, title)
    if not lines:
        raise InputError(
            "网页中没有找到正文文字。请确认保存的是报告页面本身(而不是只有框架或脚本的页面)。",
            "No body text found in the web page; save the report page itself, not a frame or script shell.",
            path=path,
        )
    text = "\n".join(lines)
    limits.check_text(text, path, lim, unit_zh="段", unit_en="paragraphs")
    src = Source(path=path, text=text, format="html", encoding=encoding, replaced=replaced)
    if published := published_date(tree, page_text):
        src.meta["published"] = published
    if replaced:
        src.notes.append(f"网页中有 {replaced} 处字节无法按 {encoding} 解码,已替换为 �")
    return src
