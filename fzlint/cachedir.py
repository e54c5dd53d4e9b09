"""The user cache dir (FZLINT_CACHE_DIR overrides): ruleset, config, regex and dataclass caches.

Its own module so that the earliest caches can find it without importing the rest of fzlint.

The caches hold pickles and code objects, so whoever can write a cache file can run code in
the next fzlint run. Two defences, both here so that every cache uses them:

* the folder must belong to the user and not be writable by group or others (a shared
  `FZLINT_CACHE_DIR`); otherwise fzlint runs without caches (`-v` says why). Missing folders are
  created private (0700); a cache file must belong to the user and not be writable by others;
* every file carries a MAC: keyed BLAKE2b over the file's name and content, with a 32-byte key
  kept outside the cache dir, in the user's state folder (`~/.local/state/fzlint/cache-key`,
  mode 0600, created on first use). A cache dir restored from elsewhere (a CI cache, a copied
  home) was signed with another key: every file fails the check and is rebuilt, never loaded.

`load` and `store` are the only way the caches read and write their files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_MAGIC = b"FZC1"
_MAC_SIZE = 32
_KEY_SIZE = 32
# checked once per process (per location: tests move FZLINT_CACHE_DIR): cache dir -> itself if
# trusted else None; key file -> key or None; why the caches are off
_dirs: dict[Path, Path | None] = {}
_keys: dict[Path, bytes | None] = {}
_why: list[str] = []


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


def key_file() -> Path:
    """Where the caches' MAC key lives: the user's state folder, not the cache dir."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "fzlint" / "cache-key"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "fzlint" / "cache-key"
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "fzlint" / "cache-key"


def _owned_private(st: os.stat_result, writable_ok: int = 0) -> bool:
    """Owned by this user and not writable by group or others (always True where there are no
    POSIX owners)."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True
    return st.st_uid == getuid() and not (st.st_mode & 0o022 & ~writable_ok)


def trusted_dir() -> Path | None:
    """The cache dir when it is safe to use (created private when missing), else None; the
    reason is `refusal()`. Checked once per process."""
    d = cache_dir()
    if d in _dirs:
        return _dirs[d]
    result: Path | None = None
    try:
        os.makedirs(d, mode=0o700, exist_ok=True)
        st = os.stat(d)
        if _owned_private(st):
            result = d
        else:
            _why.append(f"缓存目录 {d} 不属于当前用户或可被其他用户写入,本次不使用缓存")
    except OSError as exc:
        _why.append(f"无法使用缓存目录 {d}:{exc.strerror or exc},本次不使用缓存")
    _dirs[d] = result
    return result


def private_subdir(name: str) -> Path | None:
    """A folder inside the trusted cache dir (created 0700), or None when the cache dir is not
    trusted or the folder is not a real folder of this user's that nobody else can write (a
    symbolic link planted there, a folder made group-writable)."""
    base = trusted_dir()
    if base is None:
        return None
    folder = base / name
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return None
    import stat

    return folder if stat.S_ISDIR(st.st_mode) and _owned_private(st) else None


def refusal() -> str | None:
    """Why the caches are not used in this run (for -v), or None."""
    trusted_dir()
    return _why[-1] if _why else None


def _key() -> bytes | None:
    path = key_file()
    if path in _keys:
        return _keys[path]
    key: bytes | None = None
    try:
        key = _read_key(path)
        if key is None:
            key = _new_key(path)
    except OSError as exc:
        _why.append(f"无法读取或创建缓存密钥 {path}:{exc.strerror or exc},本次不使用缓存")
        key = None
    _keys[path] = key
    return key


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    try:
        st = os.fstat(fd)
        getuid = getattr(os, "getuid", None)
        if getuid is not None and (st.st_uid != getuid() or st.st_mode & 0o077):
            raise PermissionError(13, "密钥文件不属于当前用户或权限不是 0600")
        key = os.read(fd, _KEY_SIZE + 1)
    finally:
        os.close(fd)
    if len(key) != _KEY_SIZE:
        raise PermissionError(13, "密钥文件已损坏(长度不对)")
    return key


def _new_key(path: Path) -> bytes | None:
    """Create the key atomically (another process may be doing the same: the first one wins)."""
    os.makedirs(path.parent, mode=0o700, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, os.urandom(_KEY_SIZE))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process created the key first
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return _read_key(path)


def _mac(key: bytes, name: str, payload: bytes) -> bytes:
    try:
        from _blake2 import blake2b  # what hashlib.blake2b is, without importing OpenSSL (~15 ms)
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b
    h = blake2b(key=key, digest_size=_MAC_SIZE)
    h.update(name.encode("utf-8", "surrogateescape") + b"\0")
    h.update(payload)
    return h.digest()


def _inside_trusted(path: Path) -> bool:
    d = trusted_dir()
    if d is None:
        return False
    try:
        path.relative_to(d)
    except ValueError:
        return False
    return True


def load(path: Path) -> bytes | None:
    """The content `store` wrote to `path`, or None: no such file, a file that is not the
    user's own or is writable by others, a foreign key or a changed byte."""
    if not _inside_trusted(path):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        if not _owned_private(os.fstat(fd)):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            blob = fh.read()
    except OSError:
        return None
    finally:
        os.close(fd)
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _MAC_SIZE:
        return None
    key = _key()
    if key is None:
        return None
    head = len(_MAGIC) + _MAC_SIZE
    payload = blob[head:]
    from _operator import _compare_digest as compare_digest  # hmac.compare_digest, without hashlib

    if not compare_digest(blob[len(_MAGIC) : head], _mac(key, path.name, payload)):
        return None
    return payload


def store(path: Path, payload: bytes) -> bool:
    """Write `payload` to `path` with its MAC, atomically (temp file and rename), in private
    folders; False when the cache dir is not trusted or the write fails."""
    if not _inside_trusted(path):
        return False
    key = _key()
    if key is None:
        return False
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        os.makedirs(path.parent, mode=0o700, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC + _mac(key, path.name, payload) + payload)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    return True
