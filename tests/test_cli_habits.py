"""What ruff users expect of a command line: global options before the subcommand, --config,
unknown codes named with the nearest one (exit 2)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES, run_cli

BAD = str(FIXTURES / "reports" / "bad.txt")


def test_global_options_before_the_subcommand() -> None:
    after = run_cli("explain", "FZ103", "--isolated")
    before = run_cli("--isolated", "explain", "FZ103")
    assert before.returncode == 0 and before.stdout == after.stdout
    rules = run_cli("--ruleset", "gbt15834", "rules")
    assert rules.returncode == 0 and "FZ102" not in rules.stdout.decode() and "P101" in rules.stdout.decode()


def test_unknown_code_in_select_names_the_nearest_code() -> None:
    proc = run_cli("--select", "FZ1O3", BAD)
    assert proc.returncode == 2 and proc.stdout == b""
    err = proc.stderr.decode()
    assert "--select" in err and "FZ1O3" in err and "最接近的是 FZ103" in err
    proc = run_cli("--ignore", "D1,QQ9", BAD)
    assert proc.returncode == 2 and "QQ9" in proc.stderr.decode()
    assert run_cli("--ignore", "D1,FZ4", BAD).returncode == 1  # prefixes that name rules are fine


def test_unknown_code_in_a_config_file_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "fzlint.toml").write_text('select = ["FZ1"]\nignore = ["FZ10", "FZ909"]\n', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_bytes(Path(BAD).read_bytes())
    proc = run_cli(str(report))
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert f"{tmp_path / 'fzlint.toml'}:2" in err and "FZ909" in err and "最接近的是 FZ90" in err


def test_config_path_uses_that_file_only(tmp_path: Path) -> None:
    (tmp_path / "fzlint.toml").write_text('ignore = ["FZ4"]\n', encoding="utf-8")
    other = tmp_path / "ci.toml"
    other.write_text('select = ["FZ401"]\n', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_bytes(Path(BAD).read_bytes())
    found = run_cli("--statistics", str(report)).stdout.decode()
    assert "FZ401" not in found and "FZ102" in found  # the folder's fzlint.toml
    given = run_cli("--config", str(other), "--statistics", str(report)).stdout.decode()
    assert "FZ401" in given and "FZ102" not in given  # --config: that file, not the folder's
    missing = run_cli("--config", str(tmp_path / "nope.toml"), str(report))
    assert missing.returncode == 2 and "nope.toml" in missing.stderr.decode()
