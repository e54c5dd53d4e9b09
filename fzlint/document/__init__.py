"""Document: noise stripped, title/metadata, outline tree, paragraphs, sentences."""

from fzlint.document.build import build_document
from fzlint.document.model import Document, Paragraph, Section, TextView

__all__ = ["Document", "Paragraph", "Section", "TextView", "build_document"]
