"""fzlint/config.py: finding config files, validation errors with file:line, precedence, globs."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from fzlint import config
from fzlint.config import ConfigError, find_files, glob_match, key_lines, resolve


@pytest.fixture(autouse=True)
def _fresh() -> None:
    config.clear_cache()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---- finding files ---------------------------------------------------------------------------
def test_no_config_file_gives_defaults(tmp_path: Path) -> None:
    cfg = resolve(tmp_path)
    assert cfg.files == []
    assert cfg["ruleset"] == "fazhi-annual"
    assert all(s.origin == "default" for s in cfg.settings.values())


@pytest.mark.parametrize("name", ["fzlint.toml", ".fzlint.toml"])
def test_config_file_names(tmp_path: Path, name: str) -> None:
    write(tmp_path / name, 'ignore = ["FZ2"]\n')
    cfg = resolve(tmp_path / "sub")  # a folder below (need not exist) sees it too
    assert cfg["ignore"] == ["FZ2"]
    assert cfg.settings["ignore"].origin == f"{tmp_path / name}:1"


def test_pyproject_only_with_tool_fzlint(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 80\n')
    assert find_files(tmp_path) == []
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.fzlint]\nfail-under = 80\n')
    config.clear_cache()
    cfg = resolve(tmp_path)
    assert cfg["fail-under"] == 80
    assert cfg.settings["fail-under"].origin == f"{tmp_path / 'pyproject.toml'}:5"


def test_pyproject_subtable_only(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.fzlint.severity]\nFZ201 = "info"\n')
    cfg = resolve(tmp_path)
    assert cfg["severity"] == {"FZ201": "info"}


def test_fzlint_toml_wins_over_pyproject_in_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.fzlint]\nfail-under = 10\n")
    write(tmp_path / "fzlint.toml", "fail-under = 20\n")
    write(tmp_path / ".fzlint.toml", "fail-under = 30\n")
    assert [f.path.name for f in find_files(tmp_path)] == ["fzlint.toml"]
    assert resolve(tmp_path)["fail-under"] == 20


def test_nearest_first_and_root_stops_search(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", 'lang = "en"\n')
    write(tmp_path / "a" / "fzlint.toml", "fail-under = 60\n")
    write(tmp_path / "a" / "b" / ".fzlint.toml", "report-year = 2021\n")
    files = find_files(tmp_path / "a" / "b")
    assert [f.path for f in files] == [tmp_path / "a" / "b" / ".fzlint.toml", tmp_path / "a" / "fzlint.toml", tmp_path / "fzlint.toml"]
    write(tmp_path / "a" / "fzlint.toml", "root = true\nfail-under = 60\n")
    config.clear_cache()
    files = find_files(tmp_path / "a" / "b")
    assert [f.path.parent.name for f in files] == ["b", "a"]
    assert resolve(tmp_path / "a" / "b")["lang"] == "zh"  # the file above the root is not read


# ---- precedence ----------------------------------------------------------------------------------
def test_precedence_cli_nearest_parent_default(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", 'select = ["FZ1"]\nignore = ["FZ2"]\nfail-under = 50\n')
    write(tmp_path / "sub" / "fzlint.toml", '\nignore = ["FZ3"]\n')
    cfg = resolve(tmp_path / "sub", {"fail-under": 90.0, "select": None})
    assert cfg["fail-under"] == 90.0 and cfg.settings["fail-under"].origin == "command line"
    assert cfg["ignore"] == ["FZ3"] and cfg.settings["ignore"].origin == f"{tmp_path / 'sub' / 'fzlint.toml'}:2"
    assert cfg["select"] == ["FZ1"] and cfg.settings["select"].origin == f"{tmp_path / 'fzlint.toml'}:1"
    assert cfg["report-year"] is None and cfg.settings["report-year"].origin == "default"
    assert resolve(tmp_path / "sub", isolated=True)["ignore"] == []


def test_every_key_is_read(tmp_path: Path) -> None:
    write(
        tmp_path / "fzlint.toml",
        """ruleset = "my.yaml"
select = ["fz1", "D1"]
extend-select = ["FZ401"]
ignore = ["FZ201"]
fail-under = 75.5
exclude = ["草稿/**"]
report-year = 2022
published = 2023-03-15
lang = "en"
soffice = "/opt/lo/soffice"
soffice-timeout = 90

[severity]
FZ201 = "info"
d1 = "warning"

[per-file-ignores]
"样例/*.txt" = ["FZ401"]
""",
    )
    cfg = resolve(tmp_path)
    assert cfg["ruleset"] == "my.yaml" and cfg.base("ruleset") == tmp_path
    assert cfg["select"] == ["FZ1", "D1"]  # codes are upper-cased
    assert cfg["extend-select"] == ["FZ401"]
    assert cfg["ignore"] == ["FZ201"]
    assert cfg["fail-under"] == 75.5
    assert cfg["exclude"] == ["草稿/**"]
    assert cfg["report-year"] == 2022
    assert cfg["published"] == date(2023, 3, 15)
    assert cfg["lang"] == "en"
    assert cfg["severity"] == {"FZ201": "info", "D1": "warning"}
    assert cfg["per-file-ignores"] == {"样例/*.txt": ["FZ401"]}
    origin = {k: s.origin.rsplit(":", 1)[1] for k, s in cfg.settings.items()}
    assert origin == {"ruleset": "1", "select": "2", "extend-select": "3", "ignore": "4", "fail-under": "5", "exclude": "6",
                      "report-year": "7", "published": "8", "lang": "9", "soffice": "10", "soffice-timeout": "11",
                      "severity": "13", "per-file-ignores": "17"}
    assert set(origin) == set(config.KEYS)


def test_published_as_string(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", 'published = "2023-03-15"\n')
    assert config.as_date(resolve(tmp_path)["published"]) == date(2023, 3, 15)


# ---- errors name file, line and field --------------------------------------------------------
def error_of(tmp_path: Path, text: str, name: str = "fzlint.toml") -> str:
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as info:
        resolve(tmp_path)
    msg = info.value.message("zh")
    assert msg.startswith(str(path) + ":"), msg
    return msg


def test_syntax_error_has_line(tmp_path: Path) -> None:
    msg = error_of(tmp_path, 'lang = "zh"\n\nselect = [FZ1]\n')
    assert f"{tmp_path / 'fzlint.toml'}:3: TOML 语法错误" in msg


def test_unknown_key_has_line_and_suggestion(tmp_path: Path) -> None:
    msg = error_of(tmp_path, 'lang = "zh"\nfail_under = 80\n')
    assert ":2: 字段 fail_under:未知的配置项,是否想写 fail-under?" in msg


def test_wrong_type_has_line_and_field(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '# comment\nselect = "FZ1"\n')
    assert ":2: 字段 select:应为列表" in msg and "'FZ1'" in msg


def test_bad_nested_value_points_at_its_own_line(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[severity]\nFZ101 = "error"\nFZ201 = "fatal"\n')
    assert ":3: 字段 severity.FZ201:取值不在允许范围内" in msg


def test_bad_code_in_per_file_ignores(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[per-file-ignores]\n"a/*.txt" = ["FZ401"]\n"b/*.txt" = ["占位符"]\n')
    assert ":3: 字段 per-file-ignores.b/*.txt[0]:" in msg and "不是规则代码" in msg


def test_bad_value_range_and_lang(tmp_path: Path) -> None:
    msg = error_of(tmp_path, 'fail-under = 120\nlang = "fr"\n')
    assert ":1: 字段 fail-under:数值太大" in msg
    assert ":2: 字段 lang:取值不在允许范围内" in msg


def test_error_in_pyproject_names_its_line(tmp_path: Path) -> None:
    msg = error_of(tmp_path, '[project]\nname = "x"\n\n[tool.fzlint]\nreport-year = "去年"\n', "pyproject.toml")
    assert ":5: 字段 report-year:应为整数" in msg


def test_english_messages(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", "selct = []\n")
    with pytest.raises(ConfigError) as info:
        resolve(tmp_path)
    assert "fzlint.toml:1: field selct: unknown key (did you mean select?)" in info.value.message("en")


def test_key_lines_dotted_and_quoted() -> None:
    text = 'a = 1\n[t]\n"x.y" = 2\nb.c = 3\ns = """\nd = fake\n"""\n[u . "v"]\nk=1\n'
    lines = key_lines(text)
    assert lines[("a",)] == 1 and lines[("t", "x.y")] == 3 and lines[("t", "b", "c")] == 4
    assert ("t", "d") not in lines  # inside a multi-line string
    assert lines[("u", "v", "k")] == 9


# ---- globs and per-code settings ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.md", "a/b/x.md", True),
        ("*.md", "a/b/x.txt", False),
        ("草稿", "草稿/x.txt", True),
        ("草稿*", "a/草稿-v2.txt", True),
        ("drafts/*.txt", "drafts/x.txt", True),
        ("drafts/*.txt", "drafts/old/x.txt", False),
        ("drafts/**/*.txt", "drafts/old/x.txt", True),
        ("drafts/**/*.txt", "drafts/x.txt", True),
        ("drafts/**", "drafts/old/x.txt", True),
        ("./drafts/", "drafts/x.txt", True),
        ("other/drafts", "drafts/x.txt", False),
        ("[ab].txt", "b.txt", True),
        ("[!ab].txt", "b.txt", False),
    ],
)
def test_glob_match(tmp_path: Path, pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, tmp_path / path, tmp_path) is expected


def test_glob_outside_base_matches_name_only(tmp_path: Path) -> None:
    assert glob_match("*.txt", "/elsewhere/x.txt", tmp_path / "proj")
    assert not glob_match("elsewhere/*.txt", "/elsewhere/x.txt", tmp_path / "proj")


def test_severity_longest_prefix_and_per_file_ignores(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", '[severity]\nFZ = "warning"\nFZ2 = "info"\n[per-file-ignores]\n"样例/**" = ["FZ4", "D1"]\n')
    cfg = resolve(tmp_path)
    assert config.severity_for("FZ201", cfg) == "info"
    assert config.severity_for("FZ101", cfg) == "warning"
    assert config.severity_for("D101", cfg) is None
    assert config.ignored_codes(tmp_path / "样例" / "a.txt", cfg) == ["FZ4", "D1"]
    assert config.ignored_codes(tmp_path / "a.txt", cfg) == []


def test_exclude_relative_to_config_folder(tmp_path: Path) -> None:
    write(tmp_path / "fzlint.toml", 'exclude = ["archive"]\n')
    cfg = resolve(tmp_path / "x")
    assert config.excluded(tmp_path / "x" / "archive" / "a.txt", cfg)
    assert not config.excluded(tmp_path / "x" / "a.txt", cfg)


# ---- start-up cost ----------------------------------------------------------------------------
def test_no_config_file_does_not_import_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys; from fzlint import config; cfg = config.resolve(sys.argv[1]);"
        "print('pydantic' in sys.modules, 'fzlint.config_schema' in sys.modules, cfg.files)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False []"
    write(tmp_path / "fzlint.toml", "fail-under = 1\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True).stdout
    assert out.startswith("True True")
    # validated once, then read from the cache: no pydantic on later runs
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True).stdout
    assert out.startswith("False False [ConfigFile(")
    # a changed file is validated again
    write(tmp_path / "fzlint.toml", "fail-under = 2\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True).stdout
    assert out.startswith("True True") and "'fail-under': 2" in out
