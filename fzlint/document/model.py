"""The document model: views of the text that map back to source offsets, the outline, metadata."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from fzlint.ingest.source import Source


@dataclass(slots=True)
class TextView:
    """A matching string assembled from pieces of the source text.

    `text` is normalized and may skip characters (spaces between Chinese words, line breaks inside
    a sentence). `starts[k]` is where piece k begins in `text` and `doc_starts[k]` where it begins
    in the source, so any index of `text` maps back to a source offset.
    """

    text: str
    starts: list[int]
    doc_starts: list[int]

    def to_doc(self, i: int) -> int:
        starts = self.starts
        if len(starts) == 1:  # one piece (most paragraphs): nothing to look up
            return self.doc_starts[0] + (i - starts[0])
        if not starts:
            return 0
        k = bisect_right(starts, i) - 1
        k = max(k, 0)
        return self.doc_starts[k] + (i - starts[k])

    def doc_span(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets [s, e) of the view range [start, end)."""
        if end <= start:
            s = self.to_doc(start)
            return s, s
        return self.to_doc(start), self.to_doc(end - 1) + 1

    @staticmethod
    def concat(views: list[TextView], sep: str = "\n") -> TextView:
        text_parts: list[str] = []
        starts: list[int] = []
        doc_starts: list[int] = []
        pos = 0
        for n, v in enumerate(views):
            if n:
                text_parts.append(sep)
                # the separator maps onto the end of the previous view
                starts.append(pos)
                doc_starts.append(views[n - 1].to_doc(max(0, len(views[n - 1].text) - 1)) + 1)
                pos += len(sep)
            starts.extend(s + pos for s in v.starts)
            doc_starts.extend(v.doc_starts)
            text_parts.append(v.text)
            pos += len(v.text)
        return TextView("".join(text_parts), starts, doc_starts)


class Heading(NamedTuple):
    level: int  # 1: 一、  2: (一)  3: 1.  4: (1)
    number: int
    marker: str  # the marker as written, e.g. "二)" or "(三)"
    title: str  # normalized title text after the marker (up to the first sentence end)
    marker_end: int  # index in the paragraph view where the title starts
    title_end: int  # index in the paragraph view where the title ends
    malformed: str | None = None  # why the marker is not GB/T 9704 form, if it is not
    expected_marker: str | None = None
    # source span of a stray page-number digit right after the marker ("一、9 2019年…", from PDF
    # extraction) and the spaces after it; the title leaves it out
    stray_digit: tuple[int, int] | None = None


@dataclass(slots=True)
class Paragraph:
    index: int
    view: TextView
    line: int  # 1-based source line of the first character
    heading: Heading | None = None
    section: Section | None = None
    _sentences: list[tuple[int, int]] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.view.text

    def sentences(self) -> list[tuple[int, int]]:
        """(start, end) of each sentence of the view text; split once, shared by every rule."""
        if self._sentences is None:
            from fzlint.document.sentences import split_sentences

            self._sentences = split_sentences(self.view.text)
        return self._sentences


@dataclass(slots=True)
class Section:
    """A heading and everything under it; the root section has no heading."""

    heading: Heading | None
    paragraph: Paragraph | None  # the heading paragraph
    level: int
    parent: Section | None = None
    children: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)  # direct body paragraphs

    @property
    def title(self) -> str:
        return self.heading.title if self.heading else ""

    def all_paragraphs(self) -> list[Paragraph]:
        out: list[Paragraph] = []
        if self.paragraph is not None:
            out.append(self.paragraph)
        # keep document order: direct paragraphs come before their following child sections
        items: list[tuple[int, object]] = [(p.index, p) for p in self.paragraphs]
        items.extend((c.paragraph.index if c.paragraph else 0, c) for c in self.children)
        for _, item in sorted(items, key=lambda t: t[0]):
            if isinstance(item, Section):
                out.extend(item.all_paragraphs())
            else:
                out.append(item)  # type: ignore[arg-type]
        return out

    def walk(self) -> list[Section]:
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out

    def ancestors(self) -> list[Section]:
        out: list[Section] = []
        s = self.parent
        while s is not None:
            out.append(s)
            s = s.parent
        return out


class Stripped(NamedTuple):
    line: int
    text: str
    reason: str


@dataclass(slots=True)
class DateMention:
    value: date | None  # None when the date is impossible (e.g. 2月30日)
    year: int
    month: int
    day: int
    start: int  # source offsets
    end: int
    text: str
    chinese_numerals: bool = False
    zero_padded: bool = False


@dataclass(slots=True)
class Signature:
    issuer: str | None
    issuer_span: tuple[int, int] | None
    date: DateMention | None


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    title_span: tuple[int, int] | None = None
    title_year: int | None = None
    alt_titles: list[tuple[str, tuple[int, int], int | None]] = field(default_factory=list)
    issuer: str | None = None
    issuer_short: str | None = None
    body_kind: str = "government"  # government | department | township
    year: int | None = None
    year_votes: dict[int, float] = field(default_factory=dict)
    # what the report year was read from: title | subtitle | opening | plan | heading | signature |
    # published | body (see build._read_year), and the words or date it rests on, in Chinese
    year_source: str | None = None
    year_basis: str | None = None
    signature: Signature | None = None
    published: date | None = None
    published_source: str | None = None

    def year_hint(self) -> str:
        """A note after the report year in reports, when it was not read from a title."""
        how = _YEAR_HINTS.get(self.year_source or "")
        return f"(据{how}推断)" if how else ""


_YEAR_HINTS = {"opening": "正文开头", "plan": "下一年度安排", "heading": "标题", "signature": "成文日期", "published": "发布日期", "body": "正文中的年份"}


@dataclass(slots=True)
class Document:
    source: Source
    norm: str  # normalized source text, same length as source.text
    paragraphs: list[Paragraph]
    root: Section
    meta: Metadata
    stripped: list[Stripped]
    body_span: tuple[int, int]  # source offsets of the report body (title .. signature)
    _body_view: TextView | None = None

    @property
    def body(self) -> TextView:
        """All body paragraphs joined by newlines."""
        if self._body_view is None:
            self._body_view = TextView.concat([p.view for p in self.paragraphs])
        return self._body_view

    def headings(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.heading is not None]

    def sections(self) -> list[Section]:
        return self.root.walk()[1:]
