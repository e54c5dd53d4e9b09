"""Shared helpers for the content ("substance") kinds: what a part says, not only that it exists.

Each content kind records its judgement on the located part (`ElementHit.detail["content"]`, a
JSON-safe dict keyed by the kind) and a one-line Chinese summary for the parts table
(`ElementHit.detail["content_summary"]`). Renderers show both; nothing else reads them.
"""

from __future__ import annotations

from typing import Any

from fzlint.document.model import Paragraph
from fzlint.patterns import lazy
from fzlint.rules.context import ElementHit

_BOOK_TITLE = lazy(r"《[^《》]{1,60}》")


def add_content(hit: ElementHit, key: str, data: dict[str, Any], summary: str | None = None) -> None:
    """Attach a content judgement to a located part (replacing an earlier one of the same key)."""
    hit.detail.setdefault("content", {})[key] = data
    summaries: dict[str, str] = hit.detail.setdefault("content_summary_by_key", {})
    if summary:
        summaries[key] = summary
    else:
        summaries.pop(key, None)
    hit.detail["content_summary"] = list(summaries.values())


def body_text(p: Paragraph) -> tuple[str, int]:
    """A paragraph's text and where its body starts (after a heading's own title, if any).

    A heading's title is a claim, not evidence: "（五）坚持领导干部带头学法" says nothing about
    what was done."""
    if p.heading is None:
        return p.view.text, 0
    return p.view.text, p.heading.title_end


def mask_book_titles(text: str) -> str:
    """Blank out the inside of 《…》 (same length) so that document names such as
    《党政主要负责人履行推进法治建设第一责任人职责规定》 are not read as statements."""
    return _BOOK_TITLE.sub(lambda m: "《" + "〇" * (len(m.group(0)) - 2) + "》", text)


def join_labels(labels: list[str], limit: int = 9) -> str:
    shown = labels[:limit]
    return "、".join(shown) + ("等" if len(labels) > limit else "")
