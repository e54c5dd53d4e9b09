"""A warm start for the `regex` module: the patterns a run compiled, kept for the next run.

Compiling a pattern with `regex` runs its Python compiler (0.1-5 ms a pattern); unpickling a
compiled pattern is one C call (about 20 µs), because `regex` pickles a pattern as its compiled
code. A run compiles a few hundred patterns (the module-level ones in document/ and kinds/, every
rule's patterns), so `fzlint` backs regex's own compile cache with a pickle in the user cache dir
(each pattern pickled on its own and unpickled on first use: a run pays for the patterns it uses,
not for all the file holds) before it imports anything that compiles, and writes the file back at
exit when the run compiled new patterns. A cache hit returns exactly what compiling would (same pattern, flags and regex
version). The file is keyed on the regex and Python versions; anything unexpected (a regex release
with other internals, a corrupt or unwritable file) silently falls back to compiling. The file is
read and written through fzlint.cachedir (load/store): only a file in a private cache dir that
carries this user's MAC is unpickled.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

# regex's compile cache drops random entries once it holds _MAXCACHE (500) patterns; a ruleset
# with many rules would then recompile some on every run.
_MAXCACHE = 4000

_state: dict[str, Any] = {"loaded": None, "registered": False}  # loaded: the _LazyCache
# Named dicts saved in the same file: results that depend only on a pattern's text and flags
# (rules/kinds/base.py's pattern analysis), so a warm run does not redo them. name -> dict, and
# each dict's size when loaded (a bigger one is written back at exit).
_memos: dict[str, dict[Any, Any]] = {}
_memo_sizes: dict[str, int] = {}


def memo(name: str) -> dict[Any, Any]:
    """The saved dict `name` (empty at first); what a run adds to it is kept for the next run."""
    d = _memos.get(name)
    if d is None:
        d = _memos[name] = {}
    return d


def _internals() -> Any:
    """regex's module holding the compile cache, or None when it is not laid out as expected."""
    import regex

    main = getattr(regex, "_main", None) or sys.modules.get("regex.regex")
    needed = ("_cache", "_named_args", "_locale_sensitive", "_cache_lock")
    if main is None or not all(hasattr(main, n) for n in needed):
        return None
    return main


def cache_file() -> Path:
    import regex

    from fzlint.cachedir import cache_dir

    py = f"{sys.version_info[0]}.{sys.version_info[1]}"
    return cache_dir() / f"regex-{regex.__version__}-py{py}-lazy.pickle"


class _LazyCache(dict):  # type: ignore[type-arg]
    """regex's compile cache, taking each saved pattern from its pickle on first use.

    regex looks a pattern up with `_cache[key]` and compiles on KeyError, so a miss here
    unpickles the saved pattern (about 20 µs) instead; a run pays only for the patterns it
    uses, not for every pattern any earlier run compiled (the file holds several hundred)."""

    def __init__(self, blobs: dict[Any, bytes]) -> None:
        super().__init__()
        self.blobs = blobs

    def __missing__(self, key: Any) -> Any:
        blob = self.blobs.get(key)
        if blob is None:
            raise KeyError(key)
        try:
            value = pickle.loads(blob)
        except Exception:  # noqa: BLE001 - an entry that does not load is compiled instead
            del self.blobs[key]
            raise KeyError(key) from None
        self[key] = value
        return value

    def clear(self) -> None:  # regex.purge()
        super().clear()
        self.blobs.clear()


def preload() -> int:
    """Let regex's compile cache draw on the saved patterns; returns how many were saved.

    Also registers `save` to run at exit (once per process)."""
    if not _state["registered"]:
        import atexit

        atexit.register(save)
        _state["registered"] = True
    main = _internals()
    if main is None:
        return 0
    main._MAXCACHE = max(main._MAXCACHE, _MAXCACHE)
    blobs: dict[Any, bytes] = {}
    try:
        from fzlint import cachedir

        raw = cachedir.load(cache_file())  # None unless ours, private and signed
        if raw is None:
            raise FileNotFoundError
        data = pickle.loads(raw)
        blobs = data["blobs"]
        if not isinstance(blobs, dict):
            raise TypeError
        with main._cache_lock:
            main._named_args.update(data["named_args"])
            main._locale_sensitive.update(data["locale_sensitive"])
        memos = data.get("memos", {})
        if isinstance(memos, dict):
            for name, saved in memos.items():
                if isinstance(saved, dict):
                    memo(name).update(saved)
                    _memo_sizes[name] = len(saved)
    except Exception:  # noqa: BLE001 - no file, an old layout, a corrupt pickle: compile as usual
        blobs = {}
    with main._cache_lock:
        lazy = _LazyCache(blobs)
        lazy.update(main._cache)
        main._cache = lazy
    _state["loaded"] = lazy
    return len(blobs)


def save() -> bool:
    """Write the saved patterns back when this run compiled patterns the file lacks."""
    main = _internals()
    lazy = _state["loaded"]
    if main is None or lazy is None or main._cache is not lazy:
        return False
    new = lazy.keys() - lazy.blobs.keys()
    if not new and all(len(d) == _memo_sizes.get(name, 0) for name, d in _memos.items()):
        return False
    try:
        with main._cache_lock:
            for key in new:
                lazy.blobs[key] = pickle.dumps(lazy[key], protocol=pickle.HIGHEST_PROTOCOL)
            data = {
                "blobs": lazy.blobs,
                "named_args": dict(main._named_args),
                "locale_sensitive": dict(main._locale_sensitive),
                "memos": {name: dict(d) for name, d in _memos.items()},
            }
            blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        from fzlint import cachedir

        if not cachedir.store(cache_file(), blob):
            return False
    except Exception:  # noqa: BLE001 - a read-only cache dir or an unpicklable entry must not fail a run
        return False
    return True
