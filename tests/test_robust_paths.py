"""Paths through the real command: missing, unreadable, symlink loops, odd names, stdin, and a
mix of good and bad files (the good ones are still reported; exit 2)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from tests.conftest import ROOT, run_cli, seed

SEED = seed("004")


def _err(proc: subprocess.CompletedProcess[bytes]) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err


def test_missing_file_with_a_good_one(tmp_path: Path) -> None:
    proc = run_cli("-q", str(SEED), str(tmp_path / "没有.txt"))
    assert proc.returncode == 2
    assert "没有.txt: 文件或目录不存在" in _err(proc)
    assert SEED.name in proc.stdout.decode()
    proc = run_cli("-q", "--lang", "en", str(tmp_path / "none.txt"))
    assert "No such file or directory" in _err(proc)


def test_names_with_spaces_and_chinese(tmp_path: Path) -> None:
    d = tmp_path / "年度 报告"
    d.mkdir()
    f = d / "高州市 2021年 报告.txt"
    shutil.copy(SEED, f)
    proc = run_cli("--format", "json", str(d))
    assert proc.returncode in (0, 1), _err(proc)
    assert json.loads(proc.stdout)["files"][0]["path"] == str(f)


@pytest.mark.skipif(sys.platform != "linux", reason="needs a filesystem that takes any bytes as a name")
def test_undecodable_file_name_does_not_crash_output(tmp_path: Path) -> None:
    raw = os.fsencode(str(tmp_path)) + b"/\xb1\xa8\xb8\xe6.txt"  # 报告 in GBK bytes
    with open(raw, "wb") as fh:
        fh.write(SEED.read_bytes())
    for args in (["-q"], ["--format", "json"], []):
        proc = run_cli(*args, os.fsdecode(raw), os.fsdecode(raw + b".missing"))
        assert proc.returncode == 2, _err(proc)
        # text output shows the undecodable byte as `ls -b` does; JSON keeps the \udcb1 escape
        assert ("\\udcb1" if "json" in args else "\\xb1\\xa8") in proc.stdout.decode() + _err(proc)
    json.loads(run_cli("--format", "json", os.fsdecode(raw)).stdout)


def test_symlink_loops_in_a_folder(tmp_path: Path) -> None:
    d = tmp_path / "r"
    (d / "sub").mkdir(parents=True)
    shutil.copy(SEED, d / "sub" / "a.txt")
    (d / "sub" / "up").symlink_to("..")  # folder loop: not followed
    (d / "self.txt").symlink_to("self.txt")  # file loop
    (d / "gone.txt").symlink_to("nowhere.txt")
    proc = run_cli("-q", str(d))
    err = _err(proc)
    assert proc.returncode == 2
    assert "a.txt" in proc.stdout.decode() and proc.stdout.decode().count("a.txt") == 1
    assert "self.txt" in err and "gone.txt" in err
    proc = run_cli("-q", str(d / "self.txt"))
    assert proc.returncode == 2 and "循环" in _err(proc)
    proc = run_cli("-q", str(d / "gone.txt"))
    assert proc.returncode == 2 and "符号链接" in _err(proc)


def test_directory_given_where_a_ruleset_is_expected(tmp_path: Path) -> None:
    proc = run_cli("--ruleset", str(tmp_path), str(SEED))
    assert proc.returncode == 2 and "规则集" in _err(proc)


def test_output_file_that_cannot_be_written(tmp_path: Path) -> None:
    for target in (tmp_path / "no" / "such" / "dir.json", tmp_path):
        proc = run_cli("-o", str(target), str(SEED))
        assert proc.returncode == 2
        assert "无法写入输出文件" in _err(proc)


def test_stdin_with_and_without_filename() -> None:
    data = SEED.read_bytes()
    proc = run_cli("-", "--format", "json", input=data)
    assert json.loads(proc.stdout)["files"][0]["path"] == "<stdin>", _err(proc)
    proc = run_cli("-", "--stdin-filename", "报告 2021.txt", "--format", "json", input=data)
    assert json.loads(proc.stdout)["files"][0]["path"] == "报告 2021.txt", _err(proc)
    proc = run_cli("-", "--stdin-filename", "old.doc", input=data)  # plain text under a Word name
    assert proc.returncode in (0, 1) and "old.doc" in _err(proc) and "实际上是纯文本" in _err(proc)
    word = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 512
    proc = run_cli("-", "--stdin-filename", "old.doc", input=word, env={"PATH": "/nonexistent"})  # no LibreOffice
    assert proc.returncode == 2 and "old.doc" in _err(proc) and ".docx" in _err(proc)
    proc = run_cli("-", input=b"")
    assert proc.returncode == 2 and "<stdin>: 文件是空的" in _err(proc)


# ---- permission denied: root ignores file modes, so the run drops to `nobody` ---------------
_AS_NOBODY = r"""
import contextlib, io, os, pwd, sys
from fzlint.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    main(["-q", sys.argv[1]])  # load every lazily imported module while still allowed to
if os.geteuid() == 0:
    nobody = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
sys.exit(main(sys.argv[2:]))
"""


def _can_drop_privileges() -> bool:
    if os.geteuid() != 0:
        return True
    try:
        import pwd

        pwd.getpwnam("nobody")
    except (ImportError, KeyError):
        return False
    return True


@pytest.mark.skipif(not _can_drop_privileges(), reason="root without a 'nobody' user: permissions cannot be tested")
def test_unreadable_file_and_folder() -> None:
    base = Path(tempfile.mkdtemp(prefix="fzlint-perm-"))
    try:
        base.chmod(0o755)
        good = base / "good.txt"
        shutil.copy(SEED, good)
        good.chmod(0o644)
        locked = base / "locked.txt"
        shutil.copy(SEED, locked)
        locked.chmod(0o000)
        closed = base / "closed"
        (closed / "inner").mkdir(parents=True)
        closed.chmod(0o755)
        (closed / "inner").chmod(0o000)
        env = {**os.environ, "NO_COLOR": "1", "FZLINT_CACHE_DIR": str(base / "cache")}
        proc = subprocess.run(
            [sys.executable, "-c", _AS_NOBODY, str(SEED), "-q", "--no-cache", str(good), str(locked), str(closed)],
            capture_output=True,
            cwd=ROOT,
            env=env,
            timeout=120,
            check=False,
        )
        err = _err(proc)
        assert proc.returncode == 2, err
        assert "good.txt" in proc.stdout.decode()
        assert f"{locked}: 没有读取权限" in err
        assert "inner: 没有读取权限" in err
    finally:
        for p in (base / "closed" / "inner", base / "locked.txt"):
            if p.exists():
                p.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)
