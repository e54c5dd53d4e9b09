"""layout: a Word file's page setup and formatting against GB/T 9704-2012 (ruleset gbt9704-layout).

One rule per aspect (`aspect`): paper, margins, font size, East Asian font, heading fonts by
outline level, line spacing, first-line indent, page numbers, position of 署名 and 成文日期.
Expected values, tolerances and accepted fonts are the rule's params; font families
(`settings.layout_fonts`) and the Chinese size names (`settings.layout_size_names`) are ruleset
settings, so a province overrides any of them in YAML.

The check runs only on a Source that carries layout data (`Source.layout`, set by the .docx
reader); the analysis lives in `layout_checks.py`, imported on first use, so a plain-text run
never loads it. Paragraph roles (title, heading levels, body, signature) come from fzlint's own
document model, not from Word's style names. Consecutive paragraphs of one role with the same
deviation make one finding ("第 5—38 段正文字号为…"), anchored at the first of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from fzlint.document.model import Document
from fzlint.errors import FzlintError
from fzlint.rules.context import Context
from fzlint.rules.kinds.base import Check, ParamError
from fzlint.rules.model import Finding

ASPECTS = ("paper", "margins", "size", "font", "heading_font", "line_spacing", "indent", "page_number", "signature")
ROLES = ("title", "body", "heading1", "heading2", "heading3", "heading4", "signature")


@dataclass(eq=False, repr=False)  # only built and read: no generated ==, repr
class LayoutParams:
    aspect: str = "size"
    roles: list[str] = field(default_factory=list)  # paragraphs looked at (size, font, line_spacing, indent)
    size_pt: float | None = None  # expected font size (size, page_number)
    tolerance: float | None = None  # pt, mm or characters, by aspect
    fonts: list[str] = field(default_factory=list)  # accepted East Asian fonts: family names or font names
    level1: list[str] = field(default_factory=list)  # heading_font: accepted fonts by outline level
    level2: list[str] = field(default_factory=list)
    level3: list[str] = field(default_factory=list)
    level4: list[str] = field(default_factory=list)
    paper_mm: list[float] = field(default_factory=list)  # [width, height]
    margins_mm: dict[str, float] = field(default_factory=dict)  # top / bottom / left / right
    min_pt: float | None = None  # line_spacing: accepted exact line pitch (pt)
    max_pt: float | None = None
    lines_per_page: int = 22
    text_height_mm: float = 225.0  # 版心 height, for lines per page
    indent_chars: float = 2.0
    max_findings: int = 5  # per rule and document; the last one says how many more there are


class Layout(Check):
    """A Word file's layout, one aspect per rule (see the module docstring)."""

    name = "layout"
    Params = LayoutParams
    # the rules' `examples` are layout changes to a GB/T 9704 Word file ("正文字号=12"), which
    # the test suite builds (tests/layoutmaker.py), not report texts
    examples_docx = True

    def setup(self) -> None:
        p = self.params
        if p.aspect not in ASPECTS:
            raise ParamError("aspect", f"未知的版式检查项 “{p.aspect}”(可用:{'、'.join(ASPECTS)})", f"unknown aspect '{p.aspect}' (known: {', '.join(ASPECTS)})")
        for r in p.roles:
            if r not in ROLES:
                raise ParamError("roles", f"未知的段落类别 “{r}”(可用:{'、'.join(ROLES)})", f"unknown role '{r}' (known: {', '.join(ROLES)})")
        if p.aspect == "paper" and len(p.paper_mm) != 2:
            raise ParamError("paper_mm", "应为 [宽, 高](毫米)", "must be [width, height] in mm")
        if p.aspect == "margins" and not set(p.margins_mm) <= {"top", "bottom", "left", "right"}:
            raise ParamError("margins_mm", "只能有 top、bottom、left、right", "keys must be top, bottom, left, right")
        if p.aspect in ("size",) and p.size_pt is None:
            raise ParamError("size_pt", "需要给出应有的字号(磅)", "size_pt is required")
        if p.aspect == "font" and not p.fonts:
            raise ParamError("fonts", "需要给出可接受的字体", "fonts is required")
        if p.max_findings < 1:
            raise ParamError("max_findings", "应为正整数", "must be at least 1")

    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        layout = getattr(doc.source, "layout", None)
        if layout is None:
            return iter(())
        from fzlint.rules.kinds import layout_checks

        try:
            return iter(list(layout_checks.run(self, doc, ctx)))
        except Exception as exc:  # noqa: BLE001 - a damaged file's formatting must not stop the lint
            # a part past the reader's limits (a zip bomb in a footer) says which and why
            why = exc.zh if isinstance(exc, FzlintError) else type(exc).__name__
            note = f"Word 文件的版式信息无法完整读取,版式检查(L1xx)未完成:{why}"
            if note not in doc.source.notes:
                doc.source.notes.append(note)
            return iter(())
