"""The caches cannot be used to run code (issue #13, item 15), through the real command under
memory and time limits: a cache file is loaded only from a private cache dir owned by the user,
only when it is the user's own file not writable by others, and only when it carries the MAC made
with the user's key (kept outside the cache dir). A poisoned, copied or shared cache is rebuilt
or skipped, never unpickled."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest

from tests.bounded import run_bounded
from tests.conftest import seed

MEM_MB = 600
SECONDS = 60
posix_owners = pytest.mark.skipif(sys.platform == "win32", reason="POSIX owners and modes")


class _Evil:
    """Unpickling this creates the marker file: proof that a cache file ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def _env(cache: Path, state: Path) -> dict[str, str]:
    return {"FZLINT_CACHE_DIR": str(cache), "XDG_STATE_HOME": str(state)}


def _lint(cache: Path, state: Path, *extra: str) -> object:
    run = run_bounded(*extra, str(seed("004")), env=_env(cache, state), mem_mb=MEM_MB, timeout=SECONDS * 2)
    assert not run.killed and run.seconds < SECONDS and run.peak_mb < 400, (run.seconds, run.peak_mb)
    assert run.returncode in (0, 1) and "得分" in run.out, run.err
    return run


def _cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def _in_process(cache: Path, state: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """fzlint.cachedir as the CLI would see it with these folders."""
    from fzlint import cachedir

    monkeypatch.setenv("FZLINT_CACHE_DIR", str(cache))
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setattr(cachedir, "_dirs", {})
    monkeypatch.setattr(cachedir, "_keys", {})
    monkeypatch.setattr(cachedir, "_why", [])
    return cachedir


@posix_owners
def test_a_poisoned_cache_is_never_unpickled(tmp_path: Path) -> None:
    cache, state, marker = tmp_path / "cache", tmp_path / "state", tmp_path / "PWNED"
    _lint(cache, state)  # the caches exist now
    files = _cache_files(cache)
    assert ".pickle" in {p.suffix for p in files}
    evil = pickle.dumps(_Evil(marker))
    for p in files:  # what an attacker with write access to a shared or restored cache dir does
        p.write_bytes(evil)
    _lint(cache, state)
    assert not marker.exists()  # was: every pickle in the cache dir ran
    # the run rebuilt its caches with this user's MAC
    assert all(p.read_bytes().startswith(b"FZC1") for p in _cache_files(cache))


@posix_owners
def test_a_cache_signed_with_another_key_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, marker = tmp_path / "cache", tmp_path / "PWNED"
    theirs, ours = tmp_path / "ci-runner-state", tmp_path / "my-state"
    _lint(cache, theirs)
    cachedir = _in_process(cache, theirs, monkeypatch)
    rulesets = next(p for p in _cache_files(cache) if p.parent.name == "rulesets")
    assert cachedir.store(rulesets, pickle.dumps(_Evil(marker)))  # a cache restored from another machine
    _lint(cache, ours)
    assert not marker.exists()
    assert cachedir.load(rulesets) is None  # rebuilt with our key: theirs no longer verifies
    # the payload is live: with the key it was signed with, it would run (so the key is the defence)
    _lint(cache, theirs)
    assert not marker.exists()  # ... except that our run has replaced it; forge it once more
    cachedir = _in_process(cache, theirs, monkeypatch)
    assert cachedir.store(rulesets, pickle.dumps(_Evil(marker)))
    run_bounded(str(seed("004")), env=_env(cache, theirs), mem_mb=MEM_MB)
    assert marker.exists()


@posix_owners
@pytest.mark.parametrize("how", ["group-writable", "world-writable", "owned-by-nobody"])
def test_a_shared_cache_dir_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    cache, state, marker = tmp_path / "cache", tmp_path / "state", tmp_path / "PWNED"
    _lint(cache, state)
    cachedir = _in_process(cache, state, monkeypatch)
    rulesets = next(p for p in _cache_files(cache) if p.parent.name == "rulesets")
    # even a file carrying the user's own MAC is not read from a folder others can write to
    assert cachedir.store(rulesets, pickle.dumps(_Evil(marker)))
    if how == "owned-by-nobody":
        if os.geteuid() != 0:
            pytest.skip("needs root to give a folder away")
        import pwd

        os.chown(cache, pwd.getpwnam("nobody").pw_uid, -1)
    else:
        cache.chmod(0o770 if how == "group-writable" else 0o777)
    before = {p: p.stat().st_mtime_ns for p in _cache_files(cache)}
    run = _lint(cache, state, "-v")
    assert not marker.exists()
    assert "本次不使用缓存" in run.err and str(cache) in run.err, run.err
    assert {p: p.stat().st_mtime_ns for p in _cache_files(cache)} == before  # nothing written either


@posix_owners
def test_a_cache_file_writable_by_others_is_not_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, state, marker = tmp_path / "cache", tmp_path / "state", tmp_path / "PWNED"
    _lint(cache, state)
    cachedir = _in_process(cache, state, monkeypatch)
    rulesets = next(p for p in _cache_files(cache) if p.parent.name == "rulesets")
    assert cachedir.store(rulesets, pickle.dumps(_Evil(marker)))
    rulesets.chmod(0o666)
    _lint(cache, state)
    assert not marker.exists()


@posix_owners
def test_the_key_is_private_and_outside_the_cache_dir(tmp_path: Path) -> None:
    cache, state = tmp_path / "cache", tmp_path / "state"
    _lint(cache, state)
    key = state / "fzlint" / "cache-key"
    assert key.stat().st_size == 32 and (key.stat().st_mode & 0o777) == 0o600
    assert (cache.stat().st_mode & 0o777) == 0o700
    assert not any(p.name == "cache-key" for p in _cache_files(cache))
    # a key others can read is not trusted: the run goes on without caches and says so with -v
    key.chmod(0o644)
    run = _lint(cache, state, "-v")
    assert "缓存密钥" in run.err, run.err
