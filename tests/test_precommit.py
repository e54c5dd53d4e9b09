"""The pre-commit hook (.pre-commit-hooks.yaml), run by the real pre-commit in a temp git repo.

pre-commit installs fzlint from a committed copy of this working tree into its own virtualenv,
so this test needs git, pre-commit (test extra) and the package index; CI must run it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import FIXTURES, ROOT

GOOD = FIXTURES / "reports" / "good.txt"
BAD = FIXTURES / "reports" / "bad.txt"
_COPY_IGNORE = shutil.ignore_patterns(".git", ".venv*", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", ".mypy_cache", ".hypothesis", "build", "dist", "node_modules", "benchmarks")


def _tool(name: str) -> str:
    path = shutil.which(name) or (shutil.which(name, path=str(Path(os.sys.executable).parent)))
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (pip install -e '.[test]' installs pre-commit)")
        pytest.skip(f"{name} not available")
    return path


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run([_tool("git"), *args], check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed copy of the working tree (pre-commit clones repositories at a revision)."""
    repo = tmp_path_factory.mktemp("fzlint-hook-repo") / "fzlint"
    shutil.copytree(ROOT, repo, ignore=_COPY_IGNORE)
    assert git("init", "-q", cwd=repo).returncode == 0
    git("add", "-A", cwd=repo)
    assert git("commit", "-qm", "snapshot", cwd=repo).returncode == 0
    return repo


@pytest.fixture(scope="module")
def precommit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("NO_COLOR", None)
    return env


def drafting_repo(path: Path) -> Path:
    path.mkdir()
    assert git("init", "-q", cwd=path).returncode == 0
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, hook_repo: Path, precommit_env: dict[str, str]) -> dict[str, object]:
    """Both pre-commit installs of fzlint (try-repo's throwaway store, and the store of an
    installed hook) run at the same time: each is a pip install that mostly waits on the index."""
    pre_commit = _tool("pre-commit")
    base = tmp_path_factory.mktemp("drafting")
    tried = drafting_repo(base / "tried")
    shutil.copy(BAD, tried / "bad.txt")
    shutil.copy(GOOD, tried / "good.txt")
    git("add", "-A", cwd=tried)
    installed = drafting_repo(base / "installed")
    rev = git("rev-parse", "HEAD", cwd=hook_repo).stdout.strip()
    (installed / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n      - id: fzlint\n", encoding="utf-8"
    )
    common = {"env": precommit_env, "stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
    try_repo = subprocess.Popen(
        [pre_commit, "try-repo", str(hook_repo), "fzlint", "--files", "bad.txt", "good.txt", "--color", "never"], cwd=tried, **common
    )
    install = subprocess.Popen([pre_commit, "install", "--install-hooks"], cwd=installed, **common)
    tried_out, _ = try_repo.communicate(timeout=900)
    install_out, _ = install.communicate(timeout=900)
    assert install.returncode == 0, install_out
    return {"try_repo": (try_repo.returncode, tried_out), "installed": installed, "pre_commit": pre_commit}


def test_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "fzlint")
    assert hook["language"] == "python" and hook["require_serial"] is False
    import re

    pattern = re.compile(hook["files"])
    for name in ("a.txt", "报告.md", "b.DOCX", "c.pdf", "d.html", "e.htm"):
        assert pattern.search(name), name
    for name in ("setup.py", "a.yaml", "x.doc"):
        assert not pattern.search(name), name


def test_try_repo_refuses_bad_report_shows_findings(runs: dict[str, object]) -> None:
    rc, out = runs["try_repo"]  # type: ignore[misc]
    assert rc == 1, out
    assert "fzlint(法治政府建设年度报告检查)" in out and "Failed" in out
    # the hook's output is the concise form: one line per finding, then each file's score
    assert "bad.txt:14:1: 错误[FZ401] 文中留有占位符“XX”" in out
    assert "bad.txt: 得分 41 / 100 不合格" in out
    # the good report was linted in the same run and has nothing to report
    assert "good.txt: 得分 100 / 100 优秀" in out and "good.txt:1:" not in out


def test_commit_with_installed_hook(runs: dict[str, object], precommit_env: dict[str, str]) -> None:
    """The setup docs/guide.md shows: `repo:` + `rev:`, `pre-commit install`, `git commit`."""
    work: Path = runs["installed"]  # type: ignore[assignment]
    (work / "fzlint.toml").write_text('exclude = ["README.md"]\n', encoding="utf-8")
    (work / "README.md").write_text("# 报告草稿库\n", encoding="utf-8")  # not a report: excluded by fzlint.toml
    shutil.copy(GOOD, work / "2022年度报告.txt")
    git("add", "-A", cwd=work)
    ok = subprocess.run(["git", "commit", "-m", "good report"], check=False, cwd=work, env=precommit_env, capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout + ok.stderr
    shutil.copy(BAD, work / "县级报告.txt")
    git("add", "-A", cwd=work)
    refused = subprocess.run(["git", "commit", "-m", "bad report"], check=False, cwd=work, env=precommit_env, capture_output=True, text=True, timeout=600)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0, out
    assert "县级报告.txt:1:1: 错误[FZ102] 缺少“存在的不足和原因”部分" in out
    assert git("log", "--format=%s", cwd=work).stdout.split("\n")[0] == "good report"
