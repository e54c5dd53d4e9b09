"""rules/loader.py cache: a warm run imports neither PyYAML nor pydantic; edits are picked up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, seed


def _imports(args: list[str], cache: Path) -> set[str]:
    env = {**os.environ, "FZLINT_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "fzlint", *args], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return {ln.split("|")[-1].strip() for ln in done.stderr.splitlines() if ln.startswith("import time:")}


def test_warm_runs_import_neither_yaml_nor_pydantic(tmp_path: Path) -> None:
    cold = _imports(["--format", "json", str(seed("001"))], tmp_path)
    assert "yaml" in cold and "pydantic" in cold  # the first run validates the YAML
    warm_json = _imports(["--format", "json", str(seed("001"))], tmp_path)
    warm_text = _imports([str(seed("001"))], tmp_path)
    for mods in (warm_json, warm_text):
        assert not {m for m in mods if m.split(".")[0] in ("yaml", "pydantic", "fzlint.rules.yamlio", "hashlib")}
    assert not {m for m in warm_json if m.startswith("rich")}  # JSON output never loads rich
    assert not {m for m in warm_text if m.startswith("rich")}  # nor does text output (render/text.py)


def test_an_edited_ruleset_is_revalidated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fzlint.rules.loader import load_ruleset

    monkeypatch.setenv("FZLINT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "mine.yaml"
    path.write_text("ruleset: mine\ntitle: t\nextends: [fazhi-annual]\noverrides:\n  FZ102:\n    message: 甲\n", encoding="utf-8")
    assert load_ruleset(str(path)).rule("FZ102").message == "甲"
    assert load_ruleset(str(path)).rule("FZ102").message == "甲"  # from the cache
    path.write_text(path.read_text(encoding="utf-8").replace("甲", "乙乙"), encoding="utf-8")
    assert load_ruleset(str(path)).rule("FZ102").message == "乙乙"
    params = load_ruleset(str(path)).rule("FZ112").params
    assert all(type(v) in (list, dict, str, int, float, bool, type(None)) for v in params.values())
    assert all(type(v) is dict for v in params.values() if isinstance(v, dict))


def test_the_cached_checks_find_what_freshly_compiled_ones_find(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ruleset cache keeps each rule's compiled check: a warm load lints exactly like a
    ruleset built from the YAML, and a check belongs to its own rule (an override's message)."""
    from fzlint.engine import Linter
    from fzlint.ingest.source import load_bytes
    from fzlint.rules.loader import load_ruleset

    monkeypatch.setenv("FZLINT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "mine.yaml"
    path.write_text("ruleset: mine\ntitle: t\nextends: [fazhi-annual]\noverrides:\n  N102:\n    message: 时间范围“{match}”写法有误\n", encoding="utf-8")
    load_ruleset(str(path))  # fills the cache
    warm, fresh = load_ruleset(str(path)), load_ruleset(str(path), use_cache=False)
    assert warm.checks and all(c.rule is r for c, r in zip(warm.checks, warm.rules))
    for name in ("001", "003", "004"):
        data = seed(name).read_bytes()
        got = [(f.code, f.start, f.end, f.message) for f in Linter(warm).lint_source(load_bytes(data, name)).findings]
        want = [(f.code, f.start, f.end, f.message) for f in Linter(fresh).lint_source(load_bytes(data, name)).findings]
        assert got == want
    assert any(m.endswith("写法有误") for _c, _s, _e, m in got)
