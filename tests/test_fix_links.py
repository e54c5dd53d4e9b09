"""`--fix` through symlinks and hard links, and what a fixed file keeps (issue #13, item 13),
through the real command under memory and time limits: a symlink is written through only when
its target is inside the folders being fixed (black skips "a symbolic link that points outside"
the project); a hard-linked file is refused (replacing it would split the names, writing in
place would not be atomic); owner, group, mode and extended attributes are kept."""

from __future__ import annotations

import grp
import os
import pwd
import stat
import sys
from pathlib import Path

import pytest

from tests.bounded import run_bounded

MEM_MB = 600
SECONDS = 60
# half-width punctuation in Chinese text: P100/P101 are fixable
TEXT = "高州市2021年度法治政府建设情况报告\n\n一、主要举措和成效\n\n我们开展了工作,取得成效.全年办理案件12件,同比增长5%.\n"


def _fix(*args: str) -> object:
    run = run_bounded("--fix", *args, mem_mb=MEM_MB, timeout=SECONDS * 2)
    assert not run.killed and run.seconds < SECONDS and run.peak_mb < 400, (run.seconds, run.peak_mb)
    assert "Traceback" not in run.err and "内部错误" not in run.err, run.err
    return run


def test_symlink_to_a_file_outside_the_fixed_folder_is_not_written(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "home"
    repo.mkdir()
    outside.mkdir()
    secret = outside / "notes.txt"
    secret.write_text(TEXT, encoding="utf-8")
    (repo / "report.txt").symlink_to(secret)
    (repo / "own.txt").write_text(TEXT, encoding="utf-8")
    run = _fix(str(repo))
    assert secret.read_text(encoding="utf-8") == TEXT  # was: rewritten
    assert (repo / "report.txt").is_symlink()
    assert "符号链接" in run.err and str(secret) in run.err and run.returncode == 2, run.err
    assert (repo / "own.txt").read_text(encoding="utf-8") != TEXT  # the rest is fixed
    assert "已修复" in run.err and "(1 个文件)" in run.err, run.err  # the refused one is not counted
    # named itself, the target is fixed
    run = _fix(str(secret))
    assert secret.read_text(encoding="utf-8") != TEXT and run.returncode in (0, 1), run.err


def test_symlink_inside_the_fixed_folder_is_written_through(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    real = repo / "sub" / "real.txt"
    real.write_text(TEXT, encoding="utf-8")
    (repo / "link.txt").symlink_to(real)
    run = _fix(str(repo / "link.txt"), str(repo / "sub"))
    assert run.returncode in (0, 1), run.err
    assert (repo / "link.txt").is_symlink() and real.read_text(encoding="utf-8") != TEXT


def test_hard_linked_file_is_refused_not_split(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT, encoding="utf-8")
    os.link(a, b)
    run = _fix(str(a))
    assert run.returncode == 2 and "硬链接" in run.err, run.err
    assert a.read_text(encoding="utf-8") == TEXT and os.path.samefile(a, b)  # was: a new inode for a


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="needs root to give a file away")
def test_owner_group_mode_and_xattrs_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    nobody, nogroup = pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid
    os.chown(path, nobody, nogroup)
    path.chmod(0o664)
    try:
        os.setxattr(path, "user.fzlint-test", b"keep me")
    except OSError:
        pytest.skip("no user xattrs on this filesystem")
    tmp_path.chmod(0o755)
    run = _fix(str(path))
    assert run.returncode in (0, 1), run.err
    assert path.read_text(encoding="utf-8") != TEXT
    st = path.stat()
    assert (st.st_uid, st.st_gid) == (nobody, nogroup)  # was: root:root
    assert stat.S_IMODE(st.st_mode) == 0o664
    assert os.getxattr(path, "user.fzlint-test") == b"keep me"  # was: lost
