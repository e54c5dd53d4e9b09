"""fzlint/dataclass_cache.py: dataclasses' generated methods compiled once, kept between runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, run_cli, seed

PROBE = (
    "from fzlint import dataclass_cache\n"
    "print(dataclass_cache.install())\n"
    "from dataclasses import dataclass, field\n"
    "@dataclass(slots=True)\n"
    "class P:\n"
    "    a: int\n"
    "    b: list = field(default_factory=list)\n"
    "p = P(1)\n"
    "print(repr(p), p == P(1), P.__init__.__annotations__, P.__init__.__code__.co_filename, dataclass_cache.save())\n"
)


def _probe(cache: Path) -> list[str]:
    env = {**os.environ, "FZLINT_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout.splitlines()


def test_cached_code_behaves_like_compiled_code(tmp_path: Path) -> None:
    cold = _probe(tmp_path)
    warm = _probe(tmp_path)
    assert cold[0] == warm[0] == "True"
    assert cold[1].endswith("True") and warm[1].endswith("False")  # saved once, then nothing new
    assert cold[1].rsplit(" ", 1)[0] == warm[1].rsplit(" ", 1)[0]
    # no `from __future__ import annotations` leaks into the generated code: real types, not strings
    assert "P(a=1, b=[]) True {'a': <class 'int'>, 'b': <class 'list'>, 'return': None} <string>" in warm[1]


def test_a_corrupt_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    reference = run_cli("--format", "json", str(seed("003")), env={"FZLINT_CACHE_DIR": str(tmp_path / "other")}).stdout
    run_cli("--format", "json", str(seed("003")), env={"FZLINT_CACHE_DIR": str(tmp_path)})
    (target,) = tmp_path.glob("dataclass-code-*.marshal")
    target.write_bytes(b"\x00garbage")
    again = run_cli("--format", "json", str(seed("003")), env={"FZLINT_CACHE_DIR": str(tmp_path)})
    assert again.stdout == reference and b"Traceback" not in again.stderr
    assert target.stat().st_size > 1000  # rebuilt by that run
