"""The user cache dir (FZLINT_CACHE_DIR overrides): ruleset, config, regex and dataclass caches.

Its own module so that the earliest caches can find it without importing the rest of fzlint."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_dir() -> Path:
    env = os.environ.get("FZLINT_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "fzlint" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "fzlint"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fzlint"
