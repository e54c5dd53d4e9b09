"""Findings as Word comments (批注): `fzlint --annotate report.docx` writes `report.fzlint.docx`.

    data = Path("report.docx").read_bytes()
    result = linter.lint_source(load_data(data, "report.docx"))     # or runner.lint_bytes(...)
    stats = annotate(result, score, "report.fzlint.docx", data=data)  # a path or a binary stream

The output is the original Word document, untouched except for one comment per finding anchored
on the finding's exact span (runs are split at the span's ends, each half keeping the run's
properties), author "fzlint", and one comment on the title with the score, grade and required
parts. Styles, numbering, tables, headers, footers, fields and other people's comments stay as
they were; comments an earlier `--annotate` run left (author "fzlint") are replaced, so running it
again on an annotated file does not pile them up.

Text, Markdown, PDF and web-page reports have no Word file: a plain one is built from the text,
laid out as GB/T 9704 asks (A4, 仿宋 三号, 小标宋 title, 黑体/楷体 headings, fixed 28 pt lines),
one Word paragraph per line, except that lines fzlint itself reads as one paragraph (a PDF's
broken lines) become one paragraph. Linting that file gives the same findings as the source.

Where a span cannot be covered exactly the comment says why: the "一、" of a heading numbered by
Word (numbering.xml draws it; there is no text to anchor), a span crossing into a table or out of
it (anchored on its first paragraph's part), a paragraph whose text is not what was linted.
"""

from __future__ import annotations

import copy
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from fzlint.errors import FzlintError, InputError
from fzlint.rules.kinds.layout_checks import lead_chars
from fzlint.rules.model import citation
from fzlint.score import named_deductions

if TYPE_CHECKING:
    from fzlint.engine import FileResult
    from fzlint.rules.model import Finding
    from fzlint.score import Score

AUTHOR = "fzlint"
INITIALS = "FZ"
SUFFIX = ".fzlint.docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_NS + "}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_SEVERITY = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "Error", "warning": "Warning", "info": "Info"},
}
_NOTES = {
    "marker": ("“{marker}”是 Word 自动编号,没有可标注的文字,批注标在编号后的文字上", 'the "{marker}" is numbered by Word and holds no text; the comment covers the text after it'),
    "marker_only": ("问题在 Word 自动编号“{marker}”上,批注标在这一段的开头", 'the finding is on the Word numbering "{marker}"; the comment is on the start of the paragraph'),
    "ends_in": ("问题止于 Word 自动编号“{marker}”之中,编号没有可标注的文字,批注止于该段之前", 'the finding ends inside the Word numbering "{marker}", which holds no text; the comment ends before that paragraph'),
    "crossing": ("问题跨越多个段落(含表格),批注只标在第一段中的部分", "the finding spans several paragraphs (in and out of a table); the comment covers its part in the first"),
    "mismatch": ("这一段的文字与检查时读到的不一致,批注标在段首", "this paragraph's text differs from what was checked; the comment is on its start"),
    "no_text": ("问题所在位置没有文字,批注标在该处", "there is no text at the finding's place; the comment marks the point"),
}


# ---- results ---------------------------------------------------------------------------------
@dataclass(slots=True)
class Placed:
    """One comment written: the finding (None for the title comment), its comment id, whether it
    covers the span exactly, and the note added when it does not."""

    comment_id: int
    finding: Finding | None
    exact: bool
    note: str = ""


@dataclass(slots=True)
class AnnotateStats:
    comments: int = 0  # comments written, the title comment included
    exact: int = 0  # findings whose comment covers exactly their span
    moved: int = 0  # findings anchored near their span, with a note saying why
    built: bool = False  # a Word file was built from the text (the input was not .docx)
    replaced: int = 0  # comments of an earlier fzlint run removed
    kept: int = 0  # other people's comments kept
    placed: list[Placed] = field(default_factory=list)


def output_path(path: str | os.PathLike[str]) -> Path:
    """Where `--annotate` writes without -o: NAME.fzlint.docx next to the input."""
    p = Path(path)
    return p.with_name(p.stem + SUFFIX) if p.suffix else p.with_name(p.name + SUFFIX)


# ---- entry points ----------------------------------------------------------------------------
def annotate(
    result: FileResult,
    score: Score,
    out: str | os.PathLike[str] | BinaryIO,
    *,
    data: bytes | None = None,
    lang: str = "zh",
) -> AnnotateStats:
    """Write `result`'s findings as comments into a Word file at `out` (a path: written
    atomically; or a binary stream). `data`: the bytes that were linted (the original .docx);
    without them a .docx source is read again from its path."""
    blob, stats = annotate_bytes(result, score, data=data, lang=lang)
    if isinstance(out, (str, os.PathLike)):
        write_new(out, blob)
    else:
        out.write(blob)
    return stats


def annotate_bytes(result: FileResult, score: Score, *, data: bytes | None = None, lang: str = "zh") -> tuple[bytes, AnnotateStats]:
    """The annotated Word file as bytes, and what was written (see `annotate`)."""
    stats = AnnotateStats()
    target = _original(result, data, stats)
    if target is None:
        target = _build_plain(result)
        stats.built = True
    _Annotator(target, result, score, lang, stats).run()
    buf = io.BytesIO()
    target.document.save(buf)
    return buf.getvalue(), stats


def write_new(path: str | os.PathLike[str], blob: bytes) -> None:
    """Write `blob` at `path` atomically (outfile.atomic_output): a reader never sees half a file,
    and an existing file is replaced only when all is written. A failure is this file's error."""
    from fzlint.outfile import CannotWrite, atomic_output

    try:
        with atomic_output(os.fspath(path), binary=True) as stream:
            stream.write(blob)
    except CannotWrite as exc:
        raise InputError(
            f"无法写入批注文档:{exc.reason}", f"cannot write the annotated document: {exc.reason}", path=str(path)
        ) from None


# ---- the Word file and where each source offset lands in it --------------------------------
@dataclass(slots=True)
class _Para:
    p: Any  # the w:p element
    marker: str = ""  # text Word's numbering draws before the paragraph (in the source line)
    lead: int = 0  # leading whitespace of the paragraph text the reader dropped after a marker
    ok: bool = True  # the paragraph text is the linted line


@dataclass(slots=True)
class _Target:
    """The Word document being annotated and the map from source offsets into its paragraphs."""

    document: Any
    paras: list[_Para]
    # source offset -> (paragraph index, offset in the paragraph's run text, flag)
    locate: Any
    built: bool = False



def _part_element(doc: Any, attr: str) -> Any | None:
    """The XML of a python-docx part (numbering, styles), None when the file has none. The file
    was read within the Word reader's bounds (ingest/ziplimits.py) before it is annotated."""
    try:
        return getattr(doc.part, attr).element
    except (KeyError, NotImplementedError, AttributeError):
        return None


def _original(result: FileResult, data: bytes | None, stats: AnnotateStats) -> _Target | None:
    """The Word file that was linted, opened for annotating; None when there is none (text,
    PDF, web pages) or it cannot be matched to what was linted."""
    src = result.source
    if src.format != "docx" and not src.meta.get("converted_from"):
        return None
    if data is None:
        try:
            data = Path(src.path).read_bytes()
        except OSError:
            return None
    if src.meta.get("converted_from") and not data.startswith(b"PK"):
        data = _converted_docx(data, src)
        if data is None:
            return None
    if not data.startswith(b"PK"):
        return None
    import docx

    from fzlint.ingest.docx import Numbering, _blocks

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - it was read once already; anything odd: build a plain one
        return None
    numbering = Numbering(_part_element(document, "numbering_part"), _part_element(document, "_styles_part"))
    paras: list[_Para] = []
    mismatches = 0
    for i, p in enumerate(_blocks(document.element.body)):
        text = _text(_atoms(p))
        marker = numbering.marker(p.find(W + "pPr")) or ""
        para = _Para(p)
        if marker and text.strip():
            para.marker = marker
            para.lead = len(text) - len(text.lstrip())
            text = marker + text.lstrip()
        if i >= src.line_count or src.line_text(i + 1) != text.replace("\r", " ").replace("\n", " ").replace("\v", " "):
            para.ok = False
            mismatches += 1
        paras.append(para)
    if len(paras) != src.line_count or mismatches > len(paras) // 2:
        return None  # not the document that was linted: the plain rebuild keeps the findings right
    stats.kept = _remove_own_comments(document, stats)

    def locate(offset: int) -> tuple[int, int, str]:
        line, col = src.position(offset)
        i = line - 1
        para = paras[i]
        c = col - 1
        length = len(src.line_text(line))
        flag = "newline" if c >= length else ""
        c = min(c, length)
        if para.marker:
            if c < len(para.marker):
                return i, para.lead, "marker"
            return i, c - len(para.marker) + para.lead, flag
        return i, c, flag

    return _Target(document, paras, locate)


def _converted_docx(data: bytes, src: Any) -> bytes | None:
    """The .docx LibreOffice made of a .doc/.wps/.odt file (from the conversion cache)."""
    try:
        from fzlint.ingest import convert  # type: ignore[attr-defined]

        kind = convert.sniff(data, Path(src.path).suffix.lower())
        return convert.convert_to_docx(data, kind, src.path)  # type: ignore[no-any-return]
    except (ImportError, AttributeError, FzlintError, OSError):
        return None


# ---- text of a paragraph, run by run (what ingest/docx.py reads, with where it comes from) --
def _skip() -> set[str]:
    global _SKIP
    if _SKIP is None:
        from fzlint.ingest.docx import _SKIP_INSIDE

        _SKIP = {*_SKIP_INSIDE, W + "p"}
    return _SKIP


_SKIP: set[str] | None = None


def _atoms(p: Any) -> list[tuple[Any, Any, int]]:
    """(element, its w:r or None, characters) for everything the reader turns into text, in order."""
    out: list[tuple[Any, Any, int]] = []
    _walk(p, None, out)
    return out


def _walk(children: Any, run: Any, out: list[tuple[Any, Any, int]]) -> None:
    """ingest/docx.py's _paragraph_text, recording which element gives each character."""
    skip = _skip()
    for child in children:
        tag = child.tag
        if not isinstance(tag, str) or tag in skip:
            continue
        if tag == W + "t":
            out.append((child, run, len(child.text or "")))
        elif tag in (W + "tab", W + "ptab", W + "noBreakHyphen"):
            out.append((child, run, 1))
        elif tag in (W + "br", W + "cr"):
            out.append((child, run, 0 if child.get(W + "type") in ("page", "column") else 1))
        elif tag in (W + "sym", W + "instrText"):
            continue
        else:
            _walk(child, child if tag == W + "r" else run, out)


def _text(atoms: list[tuple[Any, Any, int]]) -> str:
    parts = []
    for el, _run, n in atoms:
        if n:
            parts.append(el.text or "" if el.tag == W + "t" else ("-" if el.tag == W + "noBreakHyphen" else " "))
    return "".join(parts)


def _runs(p: Any) -> list[tuple[int, int, Any]]:
    """(start, end, w:r) of each run holding text, in reading order."""
    out: list[tuple[int, int, Any]] = []
    pos = 0
    for _el, run, n in _atoms(p):
        if n and run is not None:
            if out and out[-1][2] is run and out[-1][1] == pos:
                out[-1] = (out[-1][0], pos + n, run)
            else:
                out.append((pos, pos + n, run))
        pos += n
    return out


def _child_len(child: Any) -> int:
    out: list[tuple[Any, Any, int]] = []
    _walk([child], None, out)
    return sum(n for _e, _r, n in out)


def _split_run(r: Any, k: int) -> bool:
    """Split w:r `r` so that its first `k` characters are a run of their own (placed before it,
    with a copy of its properties). False when k falls inside something that cannot be cut."""
    rpr = r.find(W + "rPr")
    left = r.makeelement(r.tag, dict(r.attrib))
    if rpr is not None:
        left.append(copy.deepcopy(rpr))
    pos = 0
    moving = []
    cut: tuple[Any, int] | None = None
    for child in r:
        if child is rpr:
            continue
        if pos >= k:
            break
        n = _child_len(child) if child.tag != W + "t" else len(child.text or "")
        if pos + n <= k:
            moving.append(child)
            pos += n
            continue
        if child.tag != W + "t":
            return False
        cut = (child, k - pos)
        break
    for child in moving:
        left.append(child)
    if cut is not None:
        t, at = cut
        text = t.text or ""
        head = t.makeelement(W + "t", {})
        head.text = text[:at]
        head.set(_XML_SPACE, "preserve")
        t.text = text[at:]
        t.set(_XML_SPACE, "preserve")
        left.append(head)
    r.addprevious(left)
    return True


def _split_at(p: Any, offsets: set[int]) -> None:
    """Cut the paragraph's runs so that each offset falls on a run boundary."""
    for k in sorted(offsets, reverse=True):
        for s, e, r in _runs(p):
            if s < k < e:
                _split_run(r, k - s)
                break


# ---- earlier fzlint comments -----------------------------------------------------------------
def _remove_own_comments(document: Any, stats: AnnotateStats) -> int:
    """Remove the comments an earlier `--annotate` wrote (author fzlint) and their anchors;
    return how many other comments the document keeps."""
    part = document.part
    try:
        comments_part = part._comments_part  # only when the document already has comments
    except Exception:  # noqa: BLE001
        return 0
    if comments_part is None:
        return 0
    root = comments_part.element
    own = [c for c in root.findall(W + "comment") if c.get(W + "author") == AUTHOR]
    ids = {c.get(W + "id") for c in own}
    if ids:
        para_ids = {p.get("{http://schemas.microsoft.com/office/word/2010/wordml}paraId") for c in own for p in c.iter(W + "p")} - {None}
        body = document.element.body
        for tag in ("commentRangeStart", "commentRangeEnd"):
            for el in list(body.iter(W + tag)):
                if el.get(W + "id") in ids:
                    el.getparent().remove(el)
        for ref in list(body.iter(W + "commentReference")):
            if ref.get(W + "id") in ids:
                run = ref.getparent()
                run.remove(ref)
                if run.tag == W + "r" and all(ch.tag == W + "rPr" for ch in run):
                    run.getparent().remove(run)
        for c in own:
            root.remove(c)
        _drop_extended(part, para_ids)
        stats.replaced = len(own)
    return len(root.findall(W + "comment"))


def _drop_extended(part: Any, para_ids: set[str]) -> None:
    """Remove removed comments' entries from commentsExtended/commentsIds (Word 2013+)."""
    if not para_ids:
        return
    from lxml import etree  # type: ignore[import-untyped]

    for rel in part.rels.values():
        if rel.is_external or not str(rel.target_part.partname).endswith(("commentsExtended.xml", "commentsIds.xml")):
            continue
        target = rel.target_part
        loaded = getattr(target, "_element", None)  # an XmlPart: edit its tree; else its bytes
        try:
            root = loaded if loaded is not None else etree.fromstring(target.blob, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue
        for el in list(root):
            attrs = {k.split("}")[-1]: v for k, v in el.attrib.items()}
            if attrs.get("paraId") in para_ids:
                root.remove(el)
            elif attrs.get("paraIdParent") in para_ids:
                for k in [k for k in el.attrib if k.endswith("}paraIdParent")]:
                    del el.attrib[k]
        if loaded is None:
            target._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---- comments --------------------------------------------------------------------------------
def comment_text(finding: Finding, result: FileResult, lang: str = "zh", note: str = "") -> str:
    """A finding as the comment says it: severity, code and message; 修改建议; 依据 (the strings
    the text output prints)."""
    zh = lang != "en"
    sev = _SEVERITY["zh" if zh else "en"].get(finding.severity, finding.severity)
    message = finding.message if zh else (finding.message_en or finding.message)
    help_text = finding.help if zh else (finding.help_en or finding.help)
    lines = [f"{sev} {finding.code}:{message}" if zh else f"{sev} {finding.code}: {message}"]
    if help_text:
        lines.append(("修改建议:" if zh else "Fix: ") + help_text)
    fix = finding.fix
    if fix is not None and fix.start == finding.start and fix.end == finding.end and len(fix.replacement) <= 40:
        if fix.replacement:
            lines.append(f"可改为:“{fix.replacement}”" if zh else f"Could read: “{fix.replacement}”")
        else:
            lines.append("可删除这段文字" if zh else "Could be deleted")
    rule = result.ruleset.rule(finding.code)
    if rule is not None and rule.source:
        # the regulation itself, and 经验判断 once for an empirical rule (rules.model.citation)
        lines.append(("依据:" if zh else "Basis: ") + citation(rule))
    if note:
        lines.append(f"({note})")
    return "\n".join(lines)


def title_comment_text(result: FileResult, score: Score, lang: str = "zh") -> str:
    """The comment on the title: score, grade, counts, the required parts, the deductions."""
    from fzlint.render.text import status_label

    zh = lang != "en"
    findings = result.findings
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    meta = result.doc.meta
    out = []
    if zh:
        out.append(f"fzlint 检查结果:得分 {score.value} / 100,{score.grade}")
        facts = []
        if meta.issuer:
            facts.append(f"发文机关:{meta.issuer}")
        if meta.year:
            facts.append(f"报告年度:{meta.year}{meta.year_hint()}")
        if facts:
            out.append(";".join(facts))
        out.append(
            f"共 {len(findings)} 条问题(错误 {counts['error']},警告 {counts['warning']},提示 {counts['info']}),每条都以批注标在原文处。"
            if findings
            else "没有发现问题。"
        )
        out.append("必备部分:")
    else:
        out.append(f"fzlint: score {score.value} / 100, {score.grade}")
        out.append(
            f"{len(findings)} findings ({counts['error']} errors, {counts['warning']} warnings, {counts['info']} infos), each a comment at its place."
            if findings
            else "No findings."
        )
        out.append("Required parts:")
    for key in result.ruleset.part_order(result.elements):
        hit = result.elements.get(key)
        if hit is None:
            continue
        label, _style = status_label(hit)
        evidence = " ".join((hit.evidence or "").split())
        if len(evidence) > 30:
            evidence = evidence[:29] + "…"
        out.append(f"  {hit.label}:{label}" + (f"(“{evidence}”)" if evidence else ""))
    if score.deductions:
        out.append("扣分:" if zh else "Deductions:")
        for d, name in named_deductions(findings, score, 40):
            extra = f" ×{d.count}" if d.count > 1 else ""
            cap = ("(已达上限)" if zh else " (capped)") if d.capped else ""
            out.append(f"  -{d.points:g} {d.code}{extra} {name}{cap}")
    return "\n".join(out)


class _Annotator:
    def __init__(self, target: _Target, result: FileResult, score: Score, lang: str, stats: AnnotateStats) -> None:
        self.t = target
        self.result = result
        self.score = score
        self.lang = lang
        self.stats = stats
        self._run_cache: dict[int, list[tuple[int, int, Any]]] = {}

    def _runs(self, i: int) -> list[tuple[int, int, Any]]:
        """The runs of paragraph i (after the cuts; comment marks add no text)."""
        runs = self._run_cache.get(i)
        if runs is None:
            runs = self._run_cache[i] = _runs(self.t.paras[i].p)
        return runs

    def _new_comment(self, text: str) -> int:
        """A comment by fzlint holding `text`, one paragraph per line; its id."""
        from docx.oxml import OxmlElement

        comment = self.t.document.comments.add_comment(text="", author=AUTHOR, initials=INITIALS)
        first = comment.paragraphs[0]._p  # holds the annotation mark
        p = first
        for k, line in enumerate(text.split("\n")):
            if k:  # further lines: paragraphs like the first (python-docx's add_paragraph is slow)
                p = first.makeelement(W + "p", {})
                ppr = first.find(W + "pPr")
                if ppr is not None:
                    p.append(copy.deepcopy(ppr))
                first.getparent().append(p)
            r = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = _xml_safe(line)
            t.set(_XML_SPACE, "preserve")
            r.append(t)
            p.append(r)
        return int(comment.comment_id)

    def _note(self, key: str, **kw: str) -> str:
        zh, en = _NOTES[key]
        return (en if self.lang == "en" else zh).format(**kw)

    def _anchor(self, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int], list[str]]:
        """(paragraph, offset) of the span's first character and after its last; notes."""
        locate = self.t.locate
        notes: list[str] = []
        ps, os_, flag = locate(start)
        paras = self.t.paras
        src = self.result.source

        def number(i: int) -> tuple[int, int]:
            """Source offsets of the number Word draws before paragraph i (line i + 1)."""
            a = src.line_span(i + 1)[0]
            return a, a + len(paras[i].marker)

        if flag == "marker":
            # the span starts in Word's number: all of it (the paragraph from its start) needs
            # no word; part of it does (the comment covers the text after it). A point before
            # the number is the paragraph's start.
            a, b = number(ps)
            if not (end <= start == a):
                whole = start == a and end >= b
                notes.append(("covered:" if whole else "marker:") + paras[ps].marker)
        if end <= start:
            return (ps, os_), (ps, os_), notes
        pe, oe, eflag = locate(end - 1)
        if eflag == "marker":
            oe = paras[pe].lead  # ends inside the numbering: nothing of this paragraph
        elif eflag == "newline" and pe + 1 < len(paras):
            pe, oe = pe + 1, 0  # ends with the paragraph's line break
        elif eflag == "":
            oe += 1  # after the last character ("gap": a character the Word file leaves out)
        last_line = pe  # the paragraph the span ends in
        pe, oe = max((pe, oe), (ps, os_))
        if pe != ps and not _same_container(paras[ps].p, paras[pe].p):
            pe, oe = ps, len(_text(_atoms(paras[ps].p)))
            notes.append("crossing")
        elif last_line > ps and paras[last_line].marker and number(last_line)[0] < end < number(last_line)[1]:
            # ends inside the number Word draws before the last paragraph (numbers of paragraphs
            # the span runs through whole belong to them: nothing to say)
            notes.append("ends_in:" + paras[last_line].marker)
        for i in range(ps, pe + 1):
            if not paras[i].ok:
                notes.append("mismatch")
                break
        return (ps, os_), (pe, oe), notes

    def run(self) -> None:
        result = self.result
        doc = result.doc
        title = doc.meta.title_span
        if title is None:
            from fzlint.rules.kinds.base import anchor

            title = anchor(doc)
        items: list[tuple[Finding | None, int, int]] = [(None, *title)]
        items.extend((f, f.start, f.end) for f in result.findings)
        anchored = [(f, *self._anchor(s, e)) for f, s, e in items]
        # cut runs at every span end first, paragraph by paragraph
        cuts: dict[int, set[int]] = {}
        for _f, (ps, os_), (pe, oe), notes in anchored:
            if "mismatch" in notes:
                continue
            cuts.setdefault(ps, set()).add(os_)
            cuts.setdefault(pe, set()).add(oe)
        for i, offsets in cuts.items():
            _split_at(self.t.paras[i].p, offsets)
        for f, first, last, notes in anchored:
            self._comment(f, first, last, notes)

    def _comment(self, f: Finding | None, first: tuple[int, int], last: tuple[int, int], notes: list[str]) -> None:
        paras = self.t.paras
        (ps, os_), (pe, oe) = first, last
        keys: list[tuple[str, dict[str, str]]] = []
        marker = next((n.split(":", 1)[1] for n in notes if n.startswith("marker:")), None)
        if "mismatch" in notes:
            keys.append(("mismatch", {}))
            head = self._runs(ps)[:1]  # the paragraph's first run
            (pe, oe), os_ = ((ps, head[0][1]) if head else (ps, 0)), head[0][0] if head else 0
        if "crossing" in notes:
            keys.append(("crossing", {}))
        ends_in = next((n.split(":", 1)[1] for n in notes if n.startswith("ends_in:")), None)
        if ends_in:
            keys.append(("ends_in", {"marker": ends_in}))
        covered = next((n.split(":", 1)[1] for n in notes if n.startswith("covered:")), None)
        # where the range starts: before the first run at or after the span's start, else at the
        # end of that paragraph (the span starts with its line break); where it ends: after the
        # last run ending by the span's end, else at the start of that paragraph
        start = next(((s, r) for s, _e, r in self._runs(ps) if s >= os_), None)
        end = None
        for s, e, r in self._runs(pe):
            if e <= oe and (pe > ps or start is None or s >= start[0]):
                end = (e, r)
        start_exact = start[0] == os_ if start is not None else os_ >= self._length(ps)
        end_exact = end[0] == oe if end is not None else oe == 0
        point = (pe, oe) <= (ps, os_)
        if point:  # a zero-length span: a comment on that point
            start_exact = end_exact = True
        elif pe == ps and (start is None or end is None):
            point = True  # no text of this paragraph inside the span (Word's numbering only)
            start_exact = end_exact = False
        if point and (marker or covered):
            marker = marker or covered or ""
            keys.append(("marker_only", {"marker": marker}))
        elif marker:
            keys.append(("marker", {"marker": marker}))
        if point and marker:  # mark the paragraph's first run instead of a point before it
            head = self._runs(ps)[:1]
            if head:
                start, end, point = (head[0][0], head[0][2]), (head[0][1], head[0][2]), False
        exact = start_exact and end_exact and not keys
        note = ";".join(self._note(k, **kw) for k, kw in keys)
        text = title_comment_text(self.result, self.score, self.lang) if f is None else comment_text(f, self.result, self.lang, note)
        comment_id = self._new_comment(text)
        if point:
            _mark_point(paras[ps].p, os_, comment_id)
        elif start is not None and end is not None:
            from docx.text.paragraph import Paragraph
            from docx.text.run import Run

            first_run = Run(start[1], Paragraph(paras[ps].p, self.t.document))
            first_run.mark_comment_range(Run(end[1], Paragraph(paras[pe].p, self.t.document)), comment_id)
        else:
            _mark_range(paras[ps].p, start[1] if start else None, paras[pe].p, end[1] if end else None, comment_id)
        self.stats.comments += 1
        self.stats.placed.append(Placed(comment_id, f, exact, note))
        if f is not None:
            if exact:
                self.stats.exact += 1
            else:
                self.stats.moved += 1

    def _length(self, i: int) -> int:
        runs = self._runs(i)
        return max((e for _s, e, _r in runs), default=0)


def _same_container(a: Any, b: Any) -> bool:
    """Both paragraphs directly in the body, or in the same table cell."""
    return a.getparent() is b.getparent()


def _markers(comment_id: int) -> tuple[Any, Any, Any]:
    """commentRangeStart, commentRangeEnd and the run holding the comment's reference mark."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start = OxmlElement("w:commentRangeStart", attrs={qn("w:id"): str(comment_id)})
    end = OxmlElement("w:commentRangeEnd", attrs={qn("w:id"): str(comment_id)})
    ref_run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:rStyle", attrs={qn("w:val"): "CommentReference"}))
    ref_run.append(rpr)
    ref_run.append(OxmlElement("w:commentReference", attrs={qn("w:id"): str(comment_id)}))
    return start, end, ref_run


def _at_start(p: Any, el: Any) -> None:
    ppr = p.find(W + "pPr")
    if ppr is not None:
        ppr.addnext(el)
    else:
        p.insert(0, el)


def _mark_range(p_start: Any, start_run: Any | None, p_end: Any, end_run: Any | None, comment_id: int) -> None:
    """A range from before `start_run` (None: the end of its paragraph) to after `end_run`
    (None: the start of its paragraph), for spans that begin or end with a line break."""
    start, end, ref_run = _markers(comment_id)
    if start_run is not None:
        start_run.addprevious(start)
    else:
        p_start.append(start)
    if end_run is not None:
        end_run.addnext(end)
    else:
        _at_start(p_end, end)
    end.addnext(ref_run)


def _mark_point(p: Any, offset: int, comment_id: int) -> None:
    """A comment on a point (a zero-length span, an empty paragraph): its range start and end
    next to each other, at the run boundary `offset` (after the paragraph's properties)."""
    start, end, ref_run = _markers(comment_id)
    runs = _runs(p)
    after = next((r for s, _e, r in runs if s >= offset), None)
    if after is not None:
        after.addprevious(start)
    elif runs:
        p.append(start)
    else:
        _at_start(p, start)
    start.addnext(end)
    end.addnext(ref_run)


# ---- a Word file built from text ---------------------------------------------------------------
_INVALID_XML = {c: " " for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]}

# GB/T 9704-2012 layout (twips unless said): A4, margins 37/35/28/26 mm, fixed 28 pt lines
_PAGE = (11906, 16838)
_MARGINS = (2098, 1984, 1587, 1474)  # top, bottom, left, right
_LINE = 560
_FONTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312", 1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312", "subtitle": "楷体_GB2312"}


@dataclass(slots=True)
class _Unit:
    """One Word paragraph of the built file: source lines and how it is laid out."""

    lines: list[int]  # 1-based source lines, in order
    role: str = "body"  # title | subtitle | heading | body | signature | plain | blank
    level: int = 0


def _units(result: FileResult) -> list[_Unit]:
    """Source lines grouped into Word paragraphs: one per line, except the lines fzlint joins
    into one paragraph (a PDF's or a hard-wrapped text's broken lines), which stay together;
    blank and page-furniture lines met inside such a paragraph follow it."""
    src = result.source
    doc = result.doc
    n = src.line_count
    group_of: dict[int, list[int]] = {}
    joined: set[int] = set()
    role: dict[int, tuple[str, int]] = {}
    for para in doc.paragraphs:
        lines = sorted({src.position(d)[0] for d in para.view.doc_starts})
        if para.heading is not None:
            role[lines[0]] = ("heading", para.heading.level)
        else:
            role[lines[0]] = ("body", 0)
        if len(lines) > 1:
            group_of[lines[0]] = lines
            joined.update(lines[1:])
    meta = doc.meta
    if meta.title_span:
        a, b = src.position(meta.title_span[0])[0], src.position(max(meta.title_span[0], meta.title_span[1] - 1))[0]
        for ln in range(a, b + 1):
            role[ln] = ("title", 0)
    for _t, span, _y in meta.alt_titles:
        role.setdefault(src.position(span[0])[0], ("subtitle", 0))
    sig = meta.signature
    if sig is not None:
        spans = [sig.issuer_span, (sig.date.start, sig.date.end) if sig.date else None]
        for where in spans:
            if where is not None:
                role[src.position(where[0])[0]] = ("signature", 0)
    units: list[_Unit] = []
    for ln in range(1, n + 1):
        if ln in joined:
            continue
        if ln in group_of:
            r, lv = role.get(ln, ("body", 0))
            units.append(_Unit(group_of[ln], r, lv))
            for x in range(ln + 1, group_of[ln][-1]):
                if x not in group_of[ln]:  # a blank or page-furniture line inside the paragraph
                    units.append(_Unit([x], "blank" if not src.line_text(x).strip() else "plain"))
                    joined.add(x)
            continue
        if not src.line_text(ln).strip():
            units.append(_Unit([ln], "blank"))
            continue
        r, lv = role.get(ln, ("plain", 0))
        units.append(_Unit([ln], r, lv))
    return units


def _build_plain(result: FileResult) -> _Target:
    """A Word file of the report's text (see the module docstring) and the offset map into it."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    from fzlint.document.build import _MD_PREFIX

    src = result.source
    text = src.text
    document = docx.Document()
    sec = document.sections[0]
    sec.page_width, sec.page_height = Twips(_PAGE[0]), Twips(_PAGE[1])
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Twips(x) for x in _MARGINS)
    normal = document.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), _FONTS["body"])
    normal.font.size = Pt(16)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Twips(_LINE)
    pf.space_before = pf.space_after = Pt(0)
    _page_numbers(document)

    # line -> (paragraph index, kept source start, kept source end, offset of that start in the paragraph)
    line_map: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)] * (src.line_count + 1)
    paras: list[_Para] = []
    last_line: list[int] = []  # paragraph -> its last source line
    units = _units(result)
    for k, unit in enumerate(units):
        pieces: list[str] = []
        pos = 0
        for j, ln in enumerate(unit.lines):
            s, e = src.line_span(ln)
            if src.format == "md" and (m := _MD_PREFIX.match(text, s, e)):
                s = m.end()
            if len(unit.lines) > 1:  # joined lines: the reader strips each piece
                seg = text[s:e]
                if j > 0:
                    s += len(seg) - len(seg.lstrip())
                e = max(s, s + len(text[s:e].rstrip()))
            line_map[ln] = (k, s, e, pos)
            pieces.append(text[s:e])
            pos += e - s
        last_line.append(unit.lines[-1])
        p = document.add_paragraph()
        _layout(p, unit, pieces[0] if pieces else "", WD_ALIGN_PARAGRAPH, OxmlElement, qn)
        run = p.add_run()
        t = OxmlElement("w:t")
        t.text = _xml_safe("".join(pieces))
        t.set(_XML_SPACE, "preserve")
        run._r.append(t)
        if unit.role == "title" or unit.role == "heading" and unit.level == 1:
            _fonts(run._r.get_or_add_rPr(), _FONTS["title" if unit.role == "title" else 1])
        elif unit.role == "heading":
            _fonts(run._r.get_or_add_rPr(), _FONTS[unit.level])
        elif unit.role == "subtitle":
            _fonts(run._r.get_or_add_rPr(), _FONTS["subtitle"])
        if unit.role == "title":
            run.font.size = Pt(22)
        paras.append(_Para(p._p))
    # a blank or furniture line between the lines of a joined paragraph has its own (later)
    # paragraph, but an offset in it lies between the joined pieces: map it there
    for k, unit in enumerate(units):
        lines = unit.lines
        if len(lines) > 1:
            for x in range(lines[0] + 1, lines[-1]):
                if x not in lines:
                    prev = max(ln for ln in lines if ln < x)
                    _k, ps, pe, pbase = line_map[prev]
                    start = src.line_span(x)[0]
                    line_map[x] = (k, start, start, pbase + (pe - ps))

    def locate(offset: int) -> tuple[int, int, str]:
        line, col = src.position(offset)
        k, s, e, base = line_map[line]
        o = src.line_starts[line - 1] + col - 1
        if o >= src.line_span(line)[1]:  # the line break: a paragraph's end, or left out inside one
            return k, base + (e - s), "newline" if last_line[k] == line else "gap"
        if o < s or o >= e:  # Markdown marks, edge spaces of joined lines: left out
            return k, base + (0 if o < s else e - s), "gap"
        return k, base + o - s, ""

    return _Target(document, paras, locate, built=True)


def _xml_safe(s: str) -> str:
    """Characters XML cannot hold (control characters) as spaces: same length, offsets kept."""
    s = s.translate(_INVALID_XML)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        s = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in s)
    return s


def _fonts(rpr: Any, east_asia: str) -> None:
    """Chinese text in `east_asia`, Latin letters and digits in Times New Roman."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), "Times New Roman")
    fonts.set(qn("w:hAnsi"), "Times New Roman")


def _layout(p: Any, unit: _Unit, text: str, align: Any, oxml: Any, qn: Any) -> None:
    ppr = p._p.get_or_add_pPr()
    if unit.role in ("title", "subtitle"):
        p.alignment = align.CENTER
    elif unit.role == "signature":
        p.alignment = align.RIGHT
        ppr.append(oxml("w:ind", attrs={qn("w:rightChars"): "400", qn("w:right"): "1280"}))
    elif unit.role in ("body", "heading"):
        p.alignment = align.JUSTIFY
        # the first line starts two characters in, counting spaces typed at its start
        indent = 2 - lead_chars(text)
        if indent >= 0:
            attrs = {qn("w:firstLineChars"): str(round(indent * 100)), qn("w:firstLine"): str(round(indent * 320))}
        else:
            attrs = {qn("w:hangingChars"): str(round(-indent * 100)), qn("w:hanging"): str(round(-indent * 320))}
        ppr.append(oxml("w:ind", attrs=attrs))


def _size_font(r: Any) -> None:
    """四号 宋体 (page numbers)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    r.font.size = Pt(14)
    rf = r._r.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        rf.set(qn(key), "宋体")


def _page_numbers(document: Any) -> None:
    """"— N —" in 四号 宋体: odd pages on the right, even pages on the left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.settings.odd_and_even_pages_header_footer = True
    sec = document.sections[0]
    for footer, align, side in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"), (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        p._p.get_or_add_pPr().append(OxmlElement("w:ind", attrs={qn(f"w:{side}Chars"): "100", qn(f"w:{side}"): "280"}))

        def add(text: str, p: Any = p) -> None:
            _size_font(p.add_run(text))

        add("— ")
        for kind in ("begin", "instr", "separate"):
            r = p.add_run()
            _size_font(r)
            if kind == "instr":
                it = OxmlElement("w:instrText", attrs={qn("xml:space"): "preserve"})
                it.text = " PAGE "
                r._r.append(it)
            else:
                r._r.append(OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): kind}))
        add("1")
        end = p.add_run()
        _size_font(end)
        end._r.append(OxmlElement("w:fldChar", attrs={qn("w:fldCharType"): "end"}))
        add(" —")
