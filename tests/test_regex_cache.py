"""fzlint/regex_cache.py: regex's compile cache kept between runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, run_cli, seed


def _env(cache: Path) -> dict[str, str]:
    return {"FZLINT_CACHE_DIR": str(cache)}


def _preloaded(cache: Path) -> int:
    code = "from fzlint import regex_cache; print(regex_cache.preload())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **_env(cache)}, cwd=ROOT, check=True)
    return int(out.stdout.strip())


def test_a_run_saves_the_patterns_and_the_next_run_loads_them(tmp_path: Path) -> None:
    first = run_cli("--format", "json", str(seed("001")), env=_env(tmp_path))
    assert first.returncode in (0, 1), first.stderr
    files = list(tmp_path.glob("regex-*.pickle"))
    assert len(files) == 1
    assert _preloaded(tmp_path) > 20  # module-level patterns plus every rule's
    second = run_cli("--format", "json", str(seed("001")), env=_env(tmp_path))
    assert second.stdout == first.stdout


def test_a_corrupt_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    run_cli(str(seed("002")), env=_env(tmp_path))
    (target,) = tmp_path.glob("regex-*.pickle")
    reference = run_cli("--format", "json", str(seed("002")), env=_env(tmp_path / "other")).stdout
    target.write_bytes(b"not a pickle")
    assert _preloaded(tmp_path) == 0
    again = run_cli("--format", "json", str(seed("002")), env=_env(tmp_path))
    assert again.returncode == 1 and again.stdout == reference
    assert _preloaded(tmp_path) > 20  # rebuilt by that run


def test_cached_patterns_behave_like_freshly_compiled_ones(tmp_path: Path) -> None:
    code = (
        "import regex\n"
        "from fzlint import regex_cache\n"
        "n = regex_cache.preload()\n"
        "p = regex.compile(r'(?<!\\d)(20\\d\\d)\\s*年', regex.V1)\n"
        "q = regex.compile(r'\\p{Han}+(?=局)')\n"
        "print(n, p.findall('2021年和 2022 年、12021年'), q.search('市司法局').group(), regex_cache.save())\n"
    )
    env = {**os.environ, **_env(tmp_path)}
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.split()
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.split()
    assert cold[0] == "0" and cold[-1] == "True"  # nothing loaded, then saved
    assert int(warm[0]) >= 2 and warm[-1] == "False"  # loaded, nothing new to save
    assert cold[1:-1] == warm[1:-1] == ["['2021',", "'2022']", "市司法"]


def test_an_unwritable_cache_dir_does_not_fail_the_run(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run_cli("--format", "json", str(seed("001")), env=_env(blocker / "cache"))
    assert done.returncode in (0, 1) and b'"files"' in done.stdout
    assert b"Traceback" not in done.stderr


def test_pattern_analysis_is_saved_and_a_warm_run_does_not_redo_it(tmp_path: Path) -> None:
    first = run_cli("--format", "json", str(seed("003")), env=_env(tmp_path))
    assert first.returncode in (0, 1), first.stderr
    # a warm run with every analysis function broken must print the same: it never calls them
    code = (
        "import sys, runpy\n"
        "import fzlint.rules.kinds.base as b\n"
        "def boom(p): raise AssertionError('analysed again: ' + p.pattern)\n"
        "b._bounded_uncached = b._edge_insensitive_uncached = b._required_items_uncached = boom\n"
        f"sys.argv = ['fzlint', '--format', 'json', {str(seed('003'))!r}]\n"
        "runpy.run_module('fzlint', run_name='__main__')\n"
    )
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, env={**os.environ, **_env(tmp_path), "NO_COLOR": "1"}, cwd=ROOT)
    assert warm.stderr == b"" and warm.stdout == first.stdout
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, env={**os.environ, **_env(tmp_path / "empty")}, cwd=ROOT)
    assert b"analysed again" in cold.stderr  # the check above can fail
