"""Build a Document from a Source: strip page noise, find title and signature, join broken lines,
detect headings and build the outline tree, and read the report's metadata."""

from __future__ import annotations

import functools
from datetime import date

import regex

from fzlint.document import noise
from fzlint.document.model import (
    DateMention,
    Document,
    Heading,
    Metadata,
    Paragraph,
    Section,
    Signature,
    Stripped,
    TextView,
)
from fzlint.document.normalize import cn_to_int, int_to_cn, normalize
from fzlint.ingest.source import Source, find_line_starts
from fzlint.patterns import lazy

_CJK = r"\p{Han}，。、；：？！“”‘’《》〈〉【】…·「」『』〔〕,.;:?!()"
# Spaces that PDF/web extraction puts next to Chinese text ("2019 年", "XX 市"): dropped in views.
_DROP_SPACE = lazy(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])|(?<= ) +")

_TITLE = lazy(
    r"(法治政府|法治建设|依法行政|法治.{0,8}建设|法治工作).{0,30}(报告|情况|总结)(\(.{1,20}\))?$"
)
_TITLE_BAD = lazy(r"[。;；!！?？]|^(根据|按照|为了|为)")
_YEAR = lazy(r"(?<!\d)(20\d\d|19\d\d)\s*年")
_CN_YEAR = lazy(r"([〇零一二三四五六七八九]{4})年")

# Heading markers, by GB/T 9704-2012 level. Groups: number, trailing mark.
_H1 = lazy(r"^([一二三四五六七八九十]{1,3})([、,.．:：])")
_H2 = lazy(r"^[(（]([一二三四五六七八九十]{1,3})[)）]([、,.．:：]?)")
_H2_NO_OPEN = lazy(r"^([一二三四五六七八九十]{1,3})[)）]")
_H3 = lazy(r"^(\d{1,2})([.．、,])(?![\d%])")
_H4 = lazy(r"^[(（](\d{1,2})[)）]([、,.．]?)")
_H4_NO_OPEN = lazy(r"^(\d{1,2})[)）]")
_SENT_END = lazy(r"[。！？!?；;]")
_OCR_LEAD = lazy(r"^\d\s+(?=\d{4})")  # "三、0 2020 年工作计划"
# A lone digit after a heading marker, set apart by a space from a year or a word: a page number
# that PDF extraction ran into the heading ("一、9 2019 年度…", "三、0 2020 年工作计划"). Not a
# count: "1. 3项制度", "(一)12345热线" and "(二)3 个专项" (a measure word follows) are headings.
_STRAY_DIGIT = lazy(r"[ \t]{0,3}(?<![\d.])(\d)[ \t]{1,4}(?=(?:19|20)\d\d[ \t]{0,3}年|\p{Han})")
_MEASURE_WORDS = frozenset(
    "项个件次年月日号类种条家名人批万亿千百元大小点支所场期套户台辆张本册级星倍成起宗部份篇位座间栋处段轮届周天时分秒岁度米亩吨斤克枚块片根道层排组队班团对双副股笔单页幅首章节名例宗余多"
)

_ORG_SUFFIX = lazy(
    r"(人民政府|政府|委员会|办公室|办事处|管理局|局|委|办|厅|署|院|中心|镇|乡|街道|区|县|市|州|盟|旗|省)$"
)
_DATE_NUM = r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
_DATE_CN = r"(?P<cy>[〇零一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,3})月(?P<cd>[一二三四五六七八九十]{1,3})日"
_SIGN_LINE = lazy(rf"^(?P<issuer>.{{0,40}}?)(?:{_DATE_NUM}|{_DATE_CN})$")
_PARA_START = lazy(
    r"^(20\d\d年|我(市|区|县|局|镇|乡|委|们|单位)|全(市|区|县|省|镇|局|年)|今年|一年来|目前|同时|此外|另外|下一步|今后|专此报告|特此报告|[一二三四五六七八九十]是)"
)
_OPEN_END = "，,、（(《“‘〔【"
_TITLE_LINE_MAX = 30
_ANY_PUNCT = lazy(r"[，,。；;：:、！？!?“”《》()（）]")
_MD_PREFIX = lazy(r"[ \t]{0,3}(?:#{1,6}|>)[ \t]+")
_MD_EMPHASIS = lazy(r"\*{1,3}|(?<!_)__(?!_)")
_CLOSE_OK = "。！？!?；;：:…"
# Issuer name parts (compiled once: regex's own cache lookup costs ~10 µs a call)
_ISSUER_ABOUT = lazy(r"^(.{2,40}?)(关于|对于)")
_ISSUER_YEAR = lazy(r"^(.{2,30}?)(?=\d{4}|二〇|[(（]?\d{4})")
_PARTY_PREFIX = lazy(r"^中共.{0,20}?(委员会|委)")
_GOV_SUFFIX = lazy(r"(人民政府办公室|人民政府|政府)$")
_DEPARTMENT = lazy(r"(局|委员会|委|办公室|办|厅|署|中心|院|所|站|队)$")
_TOWNSHIP = lazy(r"(镇|乡|街道|街道办事处|苏木)(人民政府)?$")

def _make_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _lines(text: str, starts: list[int] | None = None) -> list[tuple[int, int]]:
    """(start, end of content) of each line; no empty line after a final line break.

    `starts` are the line starts the Source already found (Source.line_starts), reused rather
    than matching every line again."""
    if starts is None:
        starts = find_line_starts(text)
    n = len(text)
    out = [(s, e - (2 if e - 2 >= s and text.startswith("\r\n", e - 2) else 1)) for s, e in zip(starts, starts[1:])]
    last = starts[-1]
    if last < n or not out:
        out.append((last, n))
    return out


def _view(norm: str, ranges: list[tuple[int, int]]) -> TextView:
    """A view over source ranges with edge whitespace trimmed and CJK-adjacent spaces dropped."""
    if len(ranges) == 1:  # the usual paragraph: one line, and often no space to drop
        s, e = ranges[0]
        seg = norm[s:e]
        piece = seg.strip()
        if piece and " " not in piece:
            return TextView(piece, [0], [s + len(seg) - len(seg.lstrip())])
    parts: list[str] = []
    starts: list[int] = []
    doc_starts: list[int] = []
    pos = 0
    for s, e in ranges:
        seg = norm[s:e]
        lead = len(seg) - len(seg.lstrip())
        seg_s, seg_e = s + lead, s + len(seg.rstrip())
        if seg_e <= seg_s:
            continue
        piece = norm[seg_s:seg_e]
        if " " not in piece:  # the usual case: nothing for _DROP_SPACE (spaces only) to drop
            starts.append(pos)
            doc_starts.append(seg_s)
            parts.append(piece)
            pos += len(piece)
            continue
        cur = 0
        for m in _DROP_SPACE.finditer(piece):
            if m.start() > cur:
                starts.append(pos)
                doc_starts.append(seg_s + cur)
                parts.append(piece[cur : m.start()])
                pos += m.start() - cur
            cur = m.end()
        if cur < len(piece):
            starts.append(pos)
            doc_starts.append(seg_s + cur)
            parts.append(piece[cur:])
            pos += len(piece) - cur
    return TextView("".join(parts), starts, doc_starts)


def _pieces(v: TextView) -> list[tuple[int, int]]:
    """(source start, length) of each piece of a view."""
    ends = [*v.starts[1:], len(v.text)]
    return [(d, e - s) for s, d, e in zip(v.starts, v.doc_starts, ends)]


def _compact(s: str) -> str:
    s = s.strip()
    return _DROP_SPACE.sub("", s) if " " in s else s


@functools.lru_cache(maxsize=4096)  # called up to three times per line; Heading is frozen
def parse_heading(text: str) -> Heading | None:
    """Recognize a GB/T 9704 heading marker at the start of a paragraph's view text."""
    found: tuple[int, int, int, str | None, str | None] | None = None  # level, number, end, malformed, expected
    if m := _H2.match(text):
        n = cn_to_int(m.group(1))
        bad = "括号序号后不应再加标点" if m.group(2) else None
        found = (2, n or 0, m.end(), bad, f"({m.group(1)})" if bad else None)
    elif m := _H2_NO_OPEN.match(text):
        n = cn_to_int(m.group(1))
        found = (2, n or 0, m.end(), "缺少左括号", f"({m.group(1)})")
    elif m := _H1.match(text):
        n = cn_to_int(m.group(1))
        if text[m.end() : m.end() + 1] == "是":  # 一是… is an enumeration, not a heading
            return None
        bad = None if m.group(2) == "、" else "汉字序号后应使用顿号“、”"
        found = (1, n or 0, m.end(), bad, f"{m.group(1)}、" if bad else None)
    elif m := _H4.match(text):
        bad = "括号序号后不应再加标点" if m.group(2) else None
        found = (4, int(m.group(1)), m.end(), bad, f"({m.group(1)})" if bad else None)
    elif m := _H4_NO_OPEN.match(text):
        found = (4, int(m.group(1)), m.end(), "缺少左括号", f"({m.group(1)})")
    elif m := _H3.match(text):
        bad = None if m.group(2) in ".．" else "阿拉伯数字序号后应使用下脚点“.”"
        found = (3, int(m.group(1)), m.end(), bad, f"{m.group(1)}." if bad else None)
    if found is None or found[1] <= 0:
        return None
    level, number, end, bad, expected = found
    rest = text[end:]
    se = _SENT_END.search(rest)
    title_end = end + (se.start() if se else len(rest))
    title = _OCR_LEAD.sub("", text[end:title_end].strip()).rstrip(":：,，")
    if not title:
        return None
    # A level-3/4 "heading" that is a long sentence without an end mark is body text with a number.
    return Heading(level, number, text[:end], title, end, title_end, bad, expected)


def _with_stray_digit(norm: str, v: TextView, h: Heading) -> Heading:
    """The heading with its stray page-number digit (_STRAY_DIGIT) marked and left out of the
    title; the heading itself when the digit after the marker is part of the title."""
    _s, e = v.doc_span(0, h.marker_end)
    line_end = norm.find("\n", e)
    m = _STRAY_DIGIT.match(norm, e, line_end if line_end >= 0 else len(norm))
    if m is None or norm[m.end()] in _MEASURE_WORDS:
        return h
    title = h.title
    if title[:1] == m.group(1):  # "9法治…": the view dropped the space before the word
        title = title[1:].lstrip()
    if not title:
        return h
    return h._replace(title=title, stray_digit=(m.start(1), m.end()))


def _is_title(line: str) -> bool:
    c = _compact(line)
    return 6 <= len(c) <= 90 and _TITLE.search(c) is not None and not _TITLE_BAD.search(c)


def _date_from_match(m: regex.Match[str], base: int) -> DateMention:
    if m.group("y"):
        y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        padded = m.group("m").startswith("0") or m.group("d").startswith("0")
        cn = False
    else:
        y = cn_to_int(m.group("cy")) or 0
        mo = cn_to_int(m.group("cm")) or 0
        d = cn_to_int(m.group("cd")) or 0
        padded, cn = False, True
    s = base + m.start("y" if m.group("y") else "cy")
    return DateMention(_make_date(y, mo, d), y, mo, d, s, base + m.end(), m.group(0)[m.start("y" if m.group("y") else "cy") - m.start() :], cn, padded)


def build_document(src: Source) -> Document:
    """Turn a Source into a Document (pure: the source is not changed)."""
    text = src.text
    norm = normalize(text)
    if src.meta.get("script") == "traditional":
        from fzlint.document.traditional import to_simplified

        norm = to_simplified(norm)
    lines = _lines(text, src.line_starts)
    if src.format == "md":
        # Markdown heading marks (## 一、…) and quote marks are markup, not report text
        lines = [(m.end(), e) if (m := _MD_PREFIX.match(text, s, e)) else (s, e) for s, e in lines]
        # and so is emphasis (**一、主要举措和成效**): read as spaces, which views drop next to
        # Chinese text (the normalized text keeps its length)
        if "*" in norm or "__" in norm:
            norm = _MD_EMPHASIS.sub(lambda m: " " * len(m.group()), norm)
    content = [norm[s:e].strip() for s, e in lines]
    n = len(lines)
    noise_reason: list[str | None] = [None] * n
    stripped: list[Stripped] = []
    meta = Metadata()

    for i, c in enumerate(content):
        if c:
            noise_reason[i] = noise.classify(c)

    # Title: the first title-like line near the top; everything above it is page furniture.
    title_idx = None
    title_end_idx = None
    seen = 0
    for i, c in enumerate(content):
        if not c:
            continue
        seen += 1
        if seen > 30:
            break
        if noise_reason[i] is None and parse_heading(_compact(c)) is not None:
            break  # the body has begun: a title comes before any numbered heading
        if noise_reason[i] is None and _is_title(c):
            title_idx = i
            break
        # a title wrapped onto two lines: "…关于2021年度法治政府建设" + "情况的报告"
        nxt = next((j for j in range(i + 1, min(n, i + 3)) if content[j]), None)
        if (
            noise_reason[i] is None
            and nxt is not None
            and noise_reason[nxt] is None
            and len(_compact(c)) < 40
            and len(_compact(content[nxt])) <= 20
            and _is_title(c + content[nxt])
            and not _is_title(content[nxt])
        ):
            title_idx, title_end_idx = i, nxt
            break
    published: date | None = None
    for i in range(n):
        if noise_reason[i] == "页面信息" or (title_idx is not None and i < title_idx):
            if published is None and (pm := noise.PUBLISHED.search(content[i])):
                published = _make_date(int(pm.group(2)), int(pm.group(3)), int(pm.group(4)))
    body_start = 0
    if title_idx is not None:
        for i in range(title_idx):
            if content[i] and noise_reason[i] is None:
                noise_reason[i] = "标题前的无关内容"
        last_title = title_end_idx if title_end_idx is not None else title_idx
        tv = _view(norm, [lines[k] for k in range(title_idx, last_title + 1) if content[k]])
        # the title as shown: source text of its pieces, line break removed
        meta.title = "".join(text[s : s + ln] for s, ln in _pieces(tv)) if tv.text else None
        meta.title_span = tv.doc_span(0, len(tv.text))
        body_start = last_title + 1
        # Header zone: page metadata and repeated/alternative titles right after the title.
        j, nonblank = body_start, 0
        while j < n and nonblank < 6:
            c = content[j]
            if c:
                nonblank += 1
                if noise_reason[j] is not None:
                    pass
                elif _is_title(c):
                    if _compact(c) == _compact(content[title_idx]):
                        noise_reason[j] = "重复的标题"
                    else:
                        s, e = lines[j]
                        v = _view(norm, [(s, e)])
                        ym = _YEAR.search(v.text)
                        meta.alt_titles.append((v.text, v.doc_span(0, len(v.text)), int(ym.group(1)) if ym else None))
                        noise_reason[j] = "另一标题"
                else:
                    break
            body_start = j + 1 if (not c or noise_reason[j]) else body_start
            j += 1
    # Signature block (落款): a date line near the end, with the issuer on it or just above.
    last_body = n - 1
    while last_body >= 0 and (not content[last_body] or noise_reason[last_body]):
        last_body -= 1
    signature: Signature | None = None
    checked = 0
    k = n - 1
    while k >= body_start and checked < 40:
        c = content[k]
        if not c:
            k -= 1
            continue
        checked += 1
        compact = _compact(c)
        m = _SIGN_LINE.match(compact)
        if m and len(compact) <= 50:
            s, e = lines[k]
            v = _view(norm, [(s, e)])
            mm = _SIGN_LINE.match(v.text)
            if mm:
                dm = _date_from_match(mm, 0)
                ds, de = v.doc_span(dm.start, dm.end)
                dm.start, dm.end, dm.text = ds, de, text[ds:de]
                issuer = mm.group("issuer").strip() or None
                ispan = v.doc_span(mm.start("issuer"), mm.end("issuer")) if issuer else None
                if issuer is None:
                    p = k - 1
                    while p >= body_start and not content[p]:
                        p -= 1
                    pc = _compact(content[p]) if p >= body_start else ""
                    if pc and len(pc) <= 40 and _ORG_SUFFIX.search(pc) and not _SENT_END.search(pc):
                        pv = _view(norm, [lines[p]])
                        issuer, ispan = pv.text, pv.doc_span(0, len(pv.text))
                        noise_reason[p] = noise_reason[p] or None
                        sig_first = p
                    else:
                        sig_first = k
                else:
                    sig_first = k
                signature = Signature(issuer, ispan, dm)
                for t in range(k + 1, n):
                    if content[t] and noise_reason[t] is None:
                        noise_reason[t] = "落款之后的页面内容"
                last_body = sig_first - 1
                break
        if noise_reason[k] is None and len(compact) > 60:
            break  # reached report text: no signature date below it
        k -= 1
    if signature is None:
        # Trailing junk without a signature: short non-report lines at the very end.
        t = last_body
        while t >= body_start and (not content[t] or noise_reason[t] or (len(_compact(content[t])) <= 4 and not _SENT_END.search(content[t]))):
            if content[t] and not noise_reason[t]:
                noise_reason[t] = "页尾残留"
            t -= 1
        last_body = t
        # An issuer line alone at the end (no date): a signature without 成文日期.
        if last_body >= body_start:
            lc = _compact(content[last_body])
            if len(lc) <= 30 and _ORG_SUFFIX.search(lc) and not _SENT_END.search(lc) and parse_heading(lc) is None and not _is_title(lc):
                pv = _view(norm, [lines[last_body]])
                signature = Signature(pv.text, pv.doc_span(0, len(pv.text)), None)
                last_body -= 1
    for i in range(n):
        if noise_reason[i] and content[i]:
            stripped.append(Stripped(i + 1, text[lines[i][0] : lines[i][1]].strip(), noise_reason[i] or ""))

    # Issuer: signature first, else from the title.
    issuer = signature.issuer if signature and signature.issuer else None
    if issuer is None and meta.title:
        t = _compact(normalize(meta.title))
        if (m := _ISSUER_ABOUT.match(t)) or (m := _ISSUER_YEAR.match(t)):
            issuer = m.group(1)
    meta.issuer = _compact(normalize(issuer)) if issuer else None
    if meta.issuer:
        short = _PARTY_PREFIX.sub("", meta.issuer)
        short = _GOV_SUFFIX.sub("", short) or meta.issuer
        meta.issuer_short = short
        if _DEPARTMENT.search(meta.issuer) and not meta.issuer.endswith("人民政府"):
            meta.body_kind = "department"
        elif _TOWNSHIP.search(meta.issuer):
            meta.body_kind = "township"
    meta.signature = signature
    meta.published = published
    if src.meta.get("published"):
        try:
            meta.published = date.fromisoformat(src.meta["published"])
        except ValueError:
            pass
    meta.published_source = "page" if meta.published else None

    # Paragraphs: body lines, with lines broken inside a sentence joined back.
    issuer_short = meta.issuer_short
    groups: list[list[int]] = []
    prev_text = ""
    prev_heading_only = True
    blank = False  # a blank line since the previous body line
    for i in range(body_start, last_body + 1):
        c = content[i]
        if not c or noise_reason[i]:
            blank = blank or not c
            continue
        cc = _compact(c)
        join = False
        # an unnumbered title on a line of its own ("存在的问题和不足", then a blank line) is a
        # paragraph of its own, not the start of a sentence broken across lines
        title_line = blank and len(groups[-1]) == 1 and len(prev_text) <= _TITLE_LINE_MAX and not _ANY_PUNCT.search(prev_text) if groups else False
        blank = False
        if groups and src.format in ("txt", "md", "pdf", "image") and len(prev_text) >= 12 and not prev_heading_only and not title_line:
            last = prev_text[-1]
            unbalanced = prev_text.count("《") > prev_text.count("》") or prev_text.count("“") > prev_text.count("”")
            if unbalanced and last not in _CLOSE_OK:
                join = parse_heading(cc) is None
            elif last not in _CLOSE_OK and last not in "”’)）》】" or last in _OPEN_END:
                starts_new = (
                    parse_heading(cc) is not None
                    or _PARA_START.match(cc) is not None
                    or (issuer_short is not None and cc.startswith(issuer_short))
                    or _SIGN_LINE.match(cc) is not None
                )
                join = last in _OPEN_END or not starts_new
        if join:
            groups[-1].append(i)
            prev_text = prev_text + cc
        else:
            groups.append([i])
            prev_text = cc
            h = parse_heading(cc)
            prev_heading_only = h is not None and not _SENT_END.search(cc[len(h.marker):])
    paragraphs: list[Paragraph] = []
    for g in groups:
        v = _view(norm, [lines[i] for i in g])
        if not v.text:
            continue
        h = parse_heading(v.text)
        if h is not None and h.marker_end < len(v.text) and v.text[h.marker_end].isdigit():
            h = _with_stray_digit(norm, v, h)
        paragraphs.append(Paragraph(len(paragraphs), v, g[0] + 1, h))

    # Outline tree.
    root = Section(None, None, 0)
    stack = [root]
    for p in paragraphs:
        h = p.heading
        if h is None:
            stack[-1].paragraphs.append(p)
            p.section = stack[-1]
            continue
        while stack[-1].level >= h.level:
            stack.pop()
        sec = Section(h, p, h.level, parent=stack[-1])
        stack[-1].children.append(sec)
        stack.append(sec)
        p.section = sec

    body_s = lines[body_start][0] if body_start < n else len(text)
    # no body lines at all: an empty body at its start (len(text) could point inside a "\r\n")
    body_e = lines[last_body][1] if body_start <= last_body < n else body_s
    doc = Document(src, norm, paragraphs, root, meta, stripped, (body_s, max(body_s, body_e)))
    _read_year(doc)
    return doc


_PLAN_YEAR = lazy(r"(20\d\d)年度?.{0,8}(计划|安排|打算|思路|展望)")
_OPEN_YEAR = lazy(r"^(?:在|过去的|回顾)?(20\d\d)年(以来|度|,|，|是|我|全|在|,|，|上半年)?")
_OPEN_CN_YEAR = lazy(r"^(?:在|过去的|回顾)?([〇零一二三四五六七八九]{4})年(?=以来|度|,|，|是|我|全|在)")
# 主送机关 above the text ("市委、市政府:", "XX市人民政府："): not the opening sentence
_SALUTATION = lazy(r"^[^。；;,，]{2,40}[:：]$")
# a year opening a sentence of the text ("2021年，全市…", "。2021年以来…"): the body's own frame
_SENTENCE_YEAR = lazy(r"(?:^|(?<=[。；;！!？?]))(20\d\d)年(?:度|以来|,|，|全|我|在|共|是)")
# report year sources in order of precedence when two weigh the same
_YEAR_SOURCES = ("title", "subtitle", "opening", "plan", "heading", "signature", "published", "body")


def _opening(text: str) -> str:
    """The first words of the text's opening sentence, for year_basis."""
    return text[:16] + ("…" if len(text) > 16 else "")


def _read_year(doc: Document) -> None:
    """Vote on the report year (年度) from title, opening, headings, plan, signature and date;
    record which of them decided it (meta.year_source) and on what words (meta.year_basis)."""
    meta = doc.meta
    votes: dict[int, float] = {}
    grounds: list[tuple[int, float, str, str]] = []  # year, weight, source, basis

    def vote(y: int | None, w: float, source: str, basis: str) -> None:
        if y and 1990 < y < 2100:
            votes[y] = votes.get(y, 0.0) + w
            grounds.append((y, w, source, basis))

    if meta.title:
        m = _YEAR.search(_compact(normalize(meta.title)))
        if m:
            meta.title_year = int(m.group(1))
        elif cm := _CN_YEAR.search(meta.title):
            meta.title_year = cn_to_int(cm.group(1))
        vote(meta.title_year, 3, "title", f"标题“{meta.title}”")
    for t, _span, y in meta.alt_titles:
        vote(y, 3, "subtitle", f"副标题“{t}”")
    for p in doc.paragraphs[:4]:
        if p.heading is not None:
            continue
        if _SALUTATION.match(p.text):
            continue  # 主送机关
        if m := _OPEN_YEAR.match(p.text):
            vote(int(m.group(1)), 2, "opening", f"正文开头“{_opening(p.text)}”")
        elif m := _OPEN_CN_YEAR.match(p.text):
            vote(cn_to_int(m.group(1)), 2, "opening", f"正文开头“{_opening(p.text)}”")
        break
    for p in doc.paragraphs:
        h = p.heading
        if h is None or h.level > 2:
            continue
        if m := _PLAN_YEAR.search(h.title):
            vote(int(m.group(1)) - 1, 2, "plan", f"下一年度安排的标题“{h.marker}{h.title}”")
        elif m := _YEAR.search(h.title):
            vote(int(m.group(1)), 1, "heading", f"标题“{h.marker}{h.title}”")
    sig = meta.signature
    if sig and sig.date and sig.date.year:
        d = sig.date
        early = d.month <= 6
        vote(d.year - (1 if early else 0), 1, "signature", f"成文日期{d.year}年{d.month}月{d.day}日" + ("(次年上半年成文,报告上一年度)" if early else "(年内成文,报告当年)"))
    if meta.published:
        d2 = meta.published
        early = d2.month <= 6
        vote(d2.year - (1 if early else 0), 1, "published", f"发布日期{d2.isoformat()}" + ("(次年上半年发布,报告上一年度)" if early else "(年内发布,报告当年)"))
    if not votes:
        # nothing else: the year that opens the text's sentences most often, if one does
        counts: dict[int, int] = {}
        for p in doc.paragraphs:
            if "年" in p.text:
                for m in _SENTENCE_YEAR.finditer(p.text):
                    counts[int(m.group(1))] = counts.get(int(m.group(1)), 0) + 1
        ranked = sorted(counts.items(), key=lambda t: -t[1])
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            y, n = ranked[0]
            vote(y, 0.5, "body", f"正文中以“{y}年”开头的句子({n}处)")
    meta.year_votes = votes
    if votes:
        best = max(votes.values())
        tied = [y for y, w in votes.items() if w == best]
        meta.year = meta.title_year if meta.title_year in tied else max(tied)
        mine = [g for g in grounds if g[0] == meta.year]
        top = max(w for _y, w, _s, _b in mine)
        first = min((g for g in mine if g[1] == top), key=lambda g: _YEAR_SOURCES.index(g[2]))
        meta.year_source, meta.year_basis = first[2], first[3]


def heading_label(level: int, number: int) -> str:
    """The GB/T 9704 form of a heading marker."""
    if level == 1:
        return f"{int_to_cn(number)}、"
    if level == 2:
        return f"({int_to_cn(number)})"
    if level == 3:
        return f"{number}."
    return f"({number})"
