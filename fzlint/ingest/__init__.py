"""Ingest: bytes of a file -> decoded text plus a map back to the file's own line:column."""

from fzlint.ingest.source import Source, load_bytes, load_data, load_path

__all__ = ["Source", "load_bytes", "load_data", "load_path"]
