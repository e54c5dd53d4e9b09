"""Module-level patterns, compiled when first used instead of at import.

The document stages and the check kinds name about a hundred patterns at module level. Compiling
them all at import cost a cold start ~70 ms of CPU (the `regex` module parses a pattern in
Python), and many are used only by the stage or rule that needs them. A module writes

    HEADING = lazy(r"^第[一二三]部分")          # a `regex` pattern
    SPACES = lazy_re(r"\\s+")                  # a stdlib `re` pattern

and uses it like a compiled pattern (`HEADING.search(text)`); the first call compiles it.

A compiled `regex` pattern pickles as its compiled code (no parsing when loaded), so the ruleset
cache (rules/loader.py) stores `compiled()` with the rules' own checks and a warm run hands them
back through `preload`: then a warm run compiles nothing at all.
"""

from __future__ import annotations

import re
from typing import Any

import regex

# (engine, pattern, flags) -> compiled pattern, shared by every LazyPattern with that key.
_TABLE: dict[tuple[str, str, int], Any] = {}
_ALL: list[LazyPattern] = []


class LazyPattern:
    """A pattern compiled on first use; otherwise behaves like the compiled pattern."""

    __slots__ = ("_compiled", "_engine", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0, engine: str = "regex") -> None:
        self._source = source
        self._flags = int(flags)
        self._engine = engine
        self._compiled: Any = None
        _ALL.append(self)

    def compiled(self) -> Any:
        p = self._compiled
        if p is None:
            key = (self._engine, self._source, self._flags)
            p = _TABLE.get(key)
            if p is None:
                p = _TABLE[key] = (regex if self._engine == "regex" else re).compile(self._source, self._flags)
            self._compiled = p
        return p

    @property
    def pattern(self) -> str:
        return self._source

    @property
    def flags(self) -> int:
        return int(self.compiled().flags)

    @property
    def groupindex(self) -> Any:
        return self.compiled().groupindex

    @property
    def groups(self) -> int:
        return int(self.compiled().groups)

    def search(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().search(*args, **kwargs)

    def match(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().match(*args, **kwargs)

    def fullmatch(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().fullmatch(*args, **kwargs)

    def finditer(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().finditer(*args, **kwargs)

    def findall(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().findall(*args, **kwargs)

    def sub(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().sub(*args, **kwargs)

    def subn(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().subn(*args, **kwargs)

    def split(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().split(*args, **kwargs)

    def __repr__(self) -> str:
        return f"lazy({self._source!r}, {self._flags})"

    def __reduce__(self) -> Any:
        return (LazyPattern, (self._source, self._flags, self._engine))


def lazy(source: str, flags: int = 0) -> LazyPattern:
    """A `regex` pattern compiled when first used."""
    return LazyPattern(source, flags, "regex")


def lazy_re(source: str, flags: int = 0) -> LazyPattern:
    """A stdlib `re` pattern compiled when first used."""
    return LazyPattern(source, flags, "re")


def compiled() -> dict[tuple[str, str, int], Any]:
    """Every `regex` pattern named so far, compiled (for the ruleset cache). Stdlib `re` patterns
    pickle as their source and would be parsed again when loaded, so they are left out."""
    for p in _ALL:
        if p._engine == "regex":
            p.compiled()
    return {k: v for k, v in _TABLE.items() if k[0] == "regex"}


def preload(table: dict[tuple[str, str, int], Any]) -> None:
    """Hand compiled patterns (from the ruleset cache) to the patterns that will need them."""
    for key, value in table.items():
        if isinstance(key, tuple) and len(key) == 3 and isinstance(value, regex.Pattern) and value.pattern == key[1]:
            _TABLE.setdefault(key, value)
