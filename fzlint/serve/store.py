"""Results kept in the server's memory for a while (never on disk): a report page, an audit page and
its per-report pages, an annotated .docx, each under a random token (128 bits) that only the
uploader's browser is sent. An entry is dropped when it expires, and the oldest entries go first
when the kept bytes would pass the cap."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(slots=True)
class Entry:
    files: dict[str, tuple[str, bytes, bool]]  # name -> (content type, bytes, gzipped)
    expires: float  # time.monotonic()
    size: int
    source: tuple[str, bytes] | None = None  # the upload (name, bytes), for its annotated .docx


class Store:
    def __init__(self, keep: float, max_bytes: int) -> None:
        self.keep = keep
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def put(self, files: dict[str, tuple[str, bytes, bool]], source: tuple[str, bytes] | None = None) -> str | None:
        """A new token for `files` (and the upload they came from), or None when they alone are
        larger than the cap."""
        size = sum(len(b) for _t, b, _g in files.values()) + (len(source[1]) if source else 0)
        if size > self.max_bytes:
            return None
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._make_room(size)
            self._entries[token] = Entry(files, time.monotonic() + self.keep, size, source)
            self._bytes += size
        return token

    def add(self, token: str, name: str, item: tuple[str, bytes, bool]) -> bool:
        """Add a file to a kept entry (False: it expired meanwhile, or is too large)."""
        size = len(item[1])
        with self._lock:
            entry = self._entries.get(token)
            if entry is None or size > self.max_bytes:
                return False
            self._entries.move_to_end(token)  # the entry being used is not the one dropped
            self._make_room(size, keep=token)
            entry.files[name] = item
            entry.size += size
            self._bytes += size
        return True

    def source(self, token: str) -> tuple[str, bytes] | None:
        with self._lock:
            self._expire()
            entry = self._entries.get(token)
            return None if entry is None else entry.source

    def _make_room(self, size: int, keep: str | None = None) -> None:
        self._expire()
        while self._entries and self._bytes + size > self.max_bytes:
            token = next(iter(self._entries))
            if token == keep:
                break
            self._bytes -= self._entries.pop(token).size

    def get(self, token: str, name: str) -> tuple[str, bytes, bool] | None:
        with self._lock:
            self._expire()
            entry = self._entries.get(token)
            return None if entry is None else entry.files.get(name)

    def has(self, token: str) -> bool:
        with self._lock:
            self._expire()
            return token in self._entries

    def drop(self, token: str) -> None:
        with self._lock:
            entry = self._entries.pop(token, None)
            if entry is not None:
                self._bytes -= entry.size

    def _expire(self) -> None:
        now = time.monotonic()
        for token in [t for t, e in self._entries.items() if e.expires <= now]:
            self._bytes -= self._entries.pop(token).size

    @property
    def kept_bytes(self) -> int:
        return self._bytes
