"""Configuration files: `fzlint.toml`, `.fzlint.toml` or `[tool.fzlint]` in `pyproject.toml`.

Files are found from the linted file's folder upward to the filesystem root (or to a file that
says `root = true`). Each key is taken from the nearest file that sets it, so a sub-folder's
file only needs the keys it changes; the command line overrides every file. Finding no file
costs a few stat calls per folder; tomllib and pydantic are imported only to parse and validate
a file not seen before (validated files are cached by content). Relative paths and globs in a file are relative to that file's folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from fzlint.errors import FzlintError
from fzlint.patterns import lazy_re

# In one folder the first of these that exists wins (pyproject.toml only with [tool.fzlint]).
CONFIG_NAMES = ("fzlint.toml", ".fzlint.toml", "pyproject.toml")

# key -> default value. The order is the order `fzlint config` shows.
DEFAULTS: dict[str, Any] = {
    "ruleset": "fazhi-annual",
    "select": [],
    "extend-select": [],
    "ignore": [],
    "severity": {},
    "per-file-ignores": {},
    "exclude": [],
    "fail-under": None,
    "report-year": None,
    "published": None,
    "lang": "zh",
    "soffice": None,
    "soffice-timeout": 60,
}
KEYS = tuple(DEFAULTS)
FROM_DEFAULT = "default"
FROM_CLI = "command line"


class ConfigError(FzlintError):
    """A config file that cannot be read or is invalid; the message names file:line and field."""


class Setting(NamedTuple):
    """One effective value and where it came from ("default", "path:line" or "command line")."""

    value: Any
    origin: str
    base: Path | None = None  # folder that relative paths and globs in the value are relative to


@dataclass(slots=True)
class ConfigFile:
    """One validated config file."""

    path: Path
    table: tuple[str, ...]  # () for fzlint.toml, ("tool", "fzlint") for pyproject.toml
    values: dict[str, Any]  # validated; only the keys the file sets
    lines: dict[str, int]
    root: bool = False

    def origin(self, key: str) -> str:
        return f"{self.path}:{self.lines.get(key, 1)}"


@dataclass(slots=True)
class Config:
    """The effective configuration for one folder: every key with its origin."""

    settings: dict[str, Setting]
    files: list[ConfigFile] = field(default_factory=list)  # nearest first

    def __getitem__(self, key: str) -> Any:
        return self.settings[key].value

    def base(self, key: str) -> Path:
        return self.settings[key].base or Path.cwd()


# ---- finding files ---------------------------------------------------------------------------
def _config_in(folder: str) -> Path | None:
    """The config file of one folder, or None. A plain stat per name; pyproject.toml is read
    only to see whether it has a [tool.fzlint] table."""
    for name in CONFIG_NAMES:
        path = os.path.join(folder, name)
        if not os.path.isfile(path):
            continue
        if name == "pyproject.toml":
            try:
                with open(path, "rb") as fh:
                    raw = fh.read()
            except OSError:
                continue
            if b"fzlint" not in raw or not re.search(rb"^\s*\[\s*tool\s*\.\s*fzlint\s*[\].]", raw, re.MULTILINE):
                continue
        return Path(path)
    return None


@lru_cache(maxsize=1024)
def _chain(folder: str) -> tuple[ConfigFile, ...]:
    """Config files from `folder` up to the root (or a `root = true` file), nearest first."""
    found = _config_in(folder)
    parent = os.path.dirname(folder)
    own: tuple[ConfigFile, ...] = ()
    if found is not None:
        cf = load_file(found)
        own = (cf,)
        if cf.root:
            return own
    if parent == folder:
        return own
    return own + _chain(parent)


def find_files(folder: str | Path) -> list[ConfigFile]:
    """The config files that apply to files in `folder`, nearest first."""
    return list(_chain(os.path.abspath(folder)))


def clear_cache() -> None:
    _chain.cache_clear()


# ---- reading one file --------------------------------------------------------------------------
_KEY_PART = lazy_re(r"\s*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+))\s*")


def _parse_key(text: str) -> list[str] | None:
    """A TOML dotted key (`a."b.c".d`) into its parts; None when `text` is not a key."""
    parts: list[str] = []
    pos = 0
    while True:
        m = _KEY_PART.match(text, pos)
        if not m or m.end() == pos:
            return None
        parts.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
        if pos == len(text):
            return parts
        if text[pos] != ".":
            return None
        pos += 1


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line of every table header and `key =` line, by full key path.

    tomllib gives no positions, so error messages find a key's line by scanning the text. Multi-
    line strings and arrays are skipped well enough: only lines that look like `key =` count."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_multiline: str | None = None
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            m = re.match(r"^\[\[?([^\]]*)\]\]?\s*(#.*)?$", line)
            parts = _parse_key(m.group(1)) if m else None
            if parts is not None:
                table = tuple(parts)
                lines.setdefault(table, no)
            continue
        eq = _find_eq(line)
        if eq is None:
            continue
        parts = _parse_key(line[:eq])
        if parts is None:
            continue
        lines.setdefault(table + tuple(parts), no)
        rest = line[eq + 1 :]
        for quote in ('"""', "'''"):
            if rest.count(quote) % 2 == 1:
                in_multiline = quote
    return lines


def _find_eq(line: str) -> int | None:
    """Index of the `=` that ends the key part of a line (outside quotes)."""
    quote: str | None = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "=":
            return i
    return None


def line_of(lines: dict[tuple[str, ...], int], path: tuple[Any, ...]) -> int:
    """The line of the deepest known key along `path` (list indexes use their key's line)."""
    best = 1
    keys: tuple[str, ...] = ()
    for part in path:
        if not isinstance(part, str):
            break
        keys = (*keys, part)
        if keys in lines:
            best = lines[keys]
    return best


def _syntax_line(message: str) -> int:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else 1


def load_file(path: Path) -> ConfigFile:
    """Read and validate one config file (raises ConfigError naming file:line and field)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: 无法读取配置文件:{exc.strerror}", f"{path}: cannot read config file: {exc.strerror}") from None
    cached = _read_cache(path, raw)
    if cached is not None:
        return cached
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}:1: 配置文件必须是 UTF-8 编码", f"{path}:1: a config file must be UTF-8") from None
    import tomllib  # only here: a run with no config file (or a cached one) never parses TOML

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _syntax_line(str(exc))
        raise ConfigError(
            f"{path}:{line}: TOML 语法错误:{exc}(字符串要加英文引号,列表写作 [\"FZ1\", \"D1\"])",
            f"{path}:{line}: TOML syntax error: {exc}",
        ) from None
    table: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        table = ("tool", "fzlint")
        data = data.get("tool", {}).get("fzlint", {})
        if not isinstance(data, dict):
            raise ConfigError(f"{path}:1: [tool.fzlint] 应为表", f"{path}:1: [tool.fzlint] must be a table")
    lines = key_lines(text)
    values = _validate(data, path, table, lines)
    root = bool(values.pop("root", False))
    cf = ConfigFile(path, table, values, {k: line_of(lines, (*table, k)) for k in data}, root)
    _write_cache(path, raw, cf)
    return cf


# Building the pydantic model costs ~0.5 s, more than linting a report: a validated file is kept
# in the user cache dir, keyed on fzlint's version, the file's path and its exact bytes.
def _cache_file(path: Path, raw: bytes) -> Path:
    import hashlib

    from fzlint import __version__
    from fzlint.cachedir import cache_dir

    key = hashlib.sha1(f"{__version__}|{path}|".encode() + raw).hexdigest()
    return cache_dir() / "config" / f"{key}.pickle"


def _read_cache(path: Path, raw: bytes) -> ConfigFile | None:
    import pickle

    from fzlint import cachedir

    try:
        blob = cachedir.load(_cache_file(path, raw))  # None unless ours, private and signed
        if blob is None:
            return None
        cf = pickle.loads(blob)
        return cf if isinstance(cf, ConfigFile) and cf.path == path else None
    except Exception:  # noqa: BLE001 - a missing or unreadable cache entry is rebuilt
        return None


def _write_cache(path: Path, raw: bytes, cf: ConfigFile) -> None:
    import pickle

    from fzlint import cachedir

    # a read-only home or an untrusted cache dir must not stop linting: store just returns False
    cachedir.store(_cache_file(path, raw), pickle.dumps(cf, protocol=pickle.HIGHEST_PROTOCOL))


def _validate(data: dict[str, Any], path: Path, table: tuple[str, ...], lines: dict[tuple[str, ...], int]) -> dict[str, Any]:
    from pydantic import ValidationError

    from fzlint.config_schema import ConfigModel, message_for

    try:
        model = ConfigModel.model_validate(data)
    except ValidationError as exc:
        zh_lines, en_lines = [], []
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = line_of(lines, (*table, *loc))
            field_name = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[")
            zh, en = message_for(err)
            zh_lines.append(f"{path}:{line}: 字段 {field_name}:{zh}")
            en_lines.append(f"{path}:{line}: field {field_name}: {en}")
        raise ConfigError("\n".join(zh_lines), "\n".join(en_lines)) from None
    return model.model_dump(by_alias=True, exclude_unset=True)


# ---- the effective configuration ----------------------------------------------------------------
def resolve(folder: str | Path, cli: dict[str, Any] | None = None, *, isolated: bool = False, config_file: str | None = None) -> Config:
    """The effective configuration for files in `folder`: command line > nearest file > parent
    files > defaults. `cli` holds only the options the user gave (others absent or None).
    `config_file` (--config PATH): that file alone, instead of the files found upward."""
    if config_file is not None and not isolated:
        files = [_named_file(config_file)]
    else:
        files = [] if isolated else find_files(folder)
    settings: dict[str, Setting] = {}
    for key, default in DEFAULTS.items():
        settings[key] = Setting(default, FROM_DEFAULT, None)
        for cf in files:
            if key in cf.values:
                settings[key] = Setting(cf.values[key], cf.origin(key), cf.path.parent)
                break
    for key, value in (cli or {}).items():
        if value is not None:
            settings[key] = Setting(value, FROM_CLI, Path.cwd())
    return Config(settings, files)


def _named_file(path: str) -> ConfigFile:
    """The config file given with --config (a clear error when it is missing)."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"配置文件不存在:{path}(--config)", f"config file not found: {path} (--config)")
    return load_file(p.resolve())


# ---- globs (exclude, per-file-ignores) ----------------------------------------------------------
# gitignore semantics (what users of git, ruff and black expect): a pattern without `/` (other
# than a trailing one) matches a file or folder name at any level; one with a `/` at the start
# or in the middle is relative to the config file's folder; `**` spans folders (leading `**/`,
# middle `/**/`, trailing `/**`); a trailing `/` matches folders only; `!` re-includes what an
# earlier pattern excluded (not inside an excluded folder); `\` escapes the next character.
#
# Matching must stay fast on hostile patterns: translated naively (`*` -> `[^/]*`) a pattern like
# `*a*a*a*a*a*a*a*a*a*a*a*a*b` backtracks exponentially on a long file name (pathspec, which
# translates so, takes 13 s on a 30-character name). Here a path is split into folder names and
# each name is matched by a regex in which every `*` is an atomic lazy group up to the next
# literal chunk (`(?>.*?a)`, as CPython's fnmatch does since 3.11): the leftmost occurrence of a
# fixed-length chunk is always the right one, so no backtracking into it is ever needed. `**`
# across names is a small table over (pattern names, path names).
class _Glob(NamedTuple):
    negated: bool
    dir_only: bool
    anchored: bool
    names: tuple[re.Pattern[str] | None, ...]  # one per pattern segment; None is `**`


def _split_escaped(text: str) -> list[str]:
    """`text` split at unescaped `/` (escapes kept for _name_regex)."""
    parts, cur, i = [], [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            cur.append(text[i : i + 2])
            i += 2
            continue
        if ch == "/":
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return parts


def _name_regex(seg: str) -> re.Pattern[str]:
    """One name pattern (`*`, `?`, `[...]`, `\\x`) as a regex that cannot backtrack badly."""
    chunks: list[list[str]] = [[]]  # literal chunks between stars, as regex pieces
    i, n = 0, len(seg)
    while i < n:
        ch = seg[i]
        if ch == "*":
            while i < n and seg[i] == "*":
                i += 1
            chunks.append([])
            continue
        if ch == "?":
            chunks[-1].append(".")
        elif ch == "\\" and i + 1 < n:
            i += 1
            chunks[-1].append(re.escape(seg[i]))
        elif ch == "[" and (close := _class_end(seg, i)) > 0:
            body = seg[i + 1 : close]
            negate = body[:1] in ("!", "^")
            chunks[-1].append(_class_regex(body[1:] if negate else body, negate))
            i = close
        else:
            chunks[-1].append(re.escape(ch))
        i += 1
    if len(chunks) == 1:
        return re.compile("".join(chunks[0]), re.DOTALL)
    head, *middle, tail = ("".join(c) for c in chunks)
    body = head + "".join(f"(?>.*?{m})" for m in middle) + ".*" + tail
    return re.compile(body, re.DOTALL)


def _class_regex(body: str, negate: bool) -> str:
    out = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            i += 1
            out.append(re.escape(body[i]))
        else:
            out.append("-" if ch == "-" else re.escape(ch))
        i += 1
    return "[" + ("^" if negate else "") + "".join(out) + "]"


def _class_end(seg: str, i: int) -> int:
    """Index of the `]` closing the class that opens at seg[i], or -1."""
    j = i + 1
    if j < len(seg) and seg[j] in "!^":
        j += 1
    if j < len(seg) and seg[j] == "]":
        j += 1
    while j < len(seg):
        if seg[j] == "\\":
            j += 2
            continue
        if seg[j] == "]":
            return j
        j += 1
    return -1


@lru_cache(maxsize=1024)
def _compile_glob(pattern: str) -> _Glob | None:
    p = pattern.strip()
    negated = p.startswith("!")
    if negated:
        p = p[1:]
    p = p.removeprefix("./")
    dir_only = p.endswith("/")
    p = p.rstrip("/")
    if not p:
        return None
    segs = _split_escaped(p)
    anchored = len(segs) > 1
    if segs[0] == "":  # a leading `/`
        segs = segs[1:]
    names: list[re.Pattern[str] | None] = []
    for seg in segs:
        if seg == "**":
            if not names or names[-1] is not None:
                names.append(None)
        else:
            names.append(_name_regex(seg))
    return _Glob(negated, dir_only, anchored, tuple(names))


def _names_match(names: tuple[re.Pattern[str] | None, ...], parts: list[str]) -> bool:
    """Whether the pattern names match the path names exactly (`**` spans any number of names,
    at least one when it ends the pattern: `abc/**` is what is inside abc, not abc itself)."""
    n, m = len(names), len(parts)
    # ok[i][j]: names[i:] matches parts[j:]
    ok = [[False] * (m + 1) for _ in range(n + 1)]
    ok[n][m] = True
    for i in range(n - 1, -1, -1):
        pat = names[i]
        for j in range(m, -1, -1):
            if pat is None:
                least = 1 if i == n - 1 else 0
                ok[i][j] = any(ok[i + 1][k] for k in range(j + least, m + 1))
            else:
                ok[i][j] = j < m and pat.fullmatch(parts[j]) is not None and ok[i + 1][j + 1]
    return ok[0][0]


def _glob_matches(g: _Glob, parts: list[str], is_dir: bool) -> bool:
    """Whether the glob matches exactly this path (its names relative to the glob's base)."""
    if g.dir_only and not is_dir:
        return False
    if not g.anchored:
        pat = g.names[0]
        return pat is None or pat.fullmatch(parts[-1]) is not None
    return _names_match(g.names, parts)


def _rel_parts(path: str | Path, base: Path) -> list[str]:
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute, os.path.abspath(base)).replace(os.sep, "/")
    if rel.startswith("../") or rel == "..":
        return [Path(absolute).name]  # outside the config's folder: only the name can match
    return [p for p in rel.split("/") if p not in ("", ".")]


def _covered(globs: list[_Glob], path: str | Path, base: Path) -> bool:
    """gitignore's verdict for `path`: the last glob matching it decides (`!` re-includes), and
    a folder excluded this way covers everything inside it."""
    parts = _rel_parts(path, base)
    is_dir: bool | None = None
    for k in range(1, len(parts) + 1):
        state = False
        for g in globs:
            if g.dir_only and k == len(parts):
                if is_dir is None:
                    is_dir = os.path.isdir(path)
                here_dir = is_dir
            else:
                here_dir = k < len(parts)
            if (not state or g.negated) and _glob_matches(g, parts[:k], here_dir):
                state = not g.negated
        if state:
            return True
    return False


def glob_match(pattern: str, path: str | Path, base: Path) -> bool:
    """Whether one gitignore-style pattern covers `path` (the file, or a folder it is in),
    relative to `base`; a `!pattern` covers what `pattern` does not."""
    g = _compile_glob(pattern)
    if g is None:
        return False
    if g.negated:
        return not _covered([_Glob(False, g.dir_only, g.anchored, g.names)], path, base)
    return _covered([g], path, base)


def excluded(path: str | Path, config: Config) -> bool:
    """Whether `exclude` in `config` covers `path` (gitignore semantics, `!` included)."""
    patterns = config["exclude"]
    if not patterns:
        return False
    globs = [g for g in map(_compile_glob, patterns) if g is not None]
    return _covered(globs, path, config.base("exclude"))


def ignored_codes(path: str | Path, config: Config) -> list[str]:
    """Codes and prefixes that `per-file-ignores` switches off for `path` (a `!pattern` key
    applies to the files the pattern does not cover, as in ruff)."""
    base = config.base("per-file-ignores")
    codes: list[str] = []
    for pattern, pcodes in config["per-file-ignores"].items():
        if glob_match(pattern, path, base):
            codes.extend(pcodes)
    return codes


def severity_for(code: str, config: Config) -> str | None:
    """The severity `[severity]` sets for a code (the longest matching prefix wins)."""
    best: tuple[int, str] | None = None
    for prefix, sev in config["severity"].items():
        if code.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), sev)
    return best[1] if best else None


def as_date(value: Any) -> date | None:
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))


# ---- `fzlint init` -----------------------------------------------------------------------------
STARTER = '''\
# fzlint 配置文件(由 fzlint init 生成)。
# fzlint 从被检查文件所在目录向上查找 fzlint.toml、.fzlint.toml 或 pyproject.toml 的 [tool.fzlint];
# 每一项取最近的文件中的值,命令行参数优先于所有配置文件。用 `fzlint config` 查看生效的配置和来源。
# 相对路径和通配符都相对于本文件所在的目录。

# 设为 true 时不再读取上级目录中的配置文件
# root = true

# 规则集:内置名称(fazhi-annual;只查格式可用 gbt9704、gbt15834、gbt15835)或 YAML 文件路径,如 "rules/本省规则.yaml"
ruleset = "fazhi-annual"

# 只启用这些规则(代码或前缀);空列表表示全部启用
# select = ["FZ1", "FZ3", "D1"]
# 在 select 之外再启用
# extend-select = ["FZ401"]
# 忽略这些规则(代码或前缀)
# ignore = ["FZ201"]

# 得分低于此值时退出码为 1(用于 CI)
# fail-under = 75

# 检查目录时跳过的文件或目录(通配符;不含 / 的匹配任意一级的名称,** 匹配多级目录)
# exclude = ["草稿", "archive/**", "*.bak.txt"]

# 报告年度(正文无法判断时使用)
# report-year = 2023
# 发布日期(网页上的发布时间,用于检查公开时限)
# published = 2024-03-15

# 错误信息语言:zh 或 en
# lang = "zh"

# LibreOffice 程序(读取 .doc、.wps、.rtf、.odt 用;不写则在 PATH 中查找 soffice)和每个文件的转换时限(秒)
# soffice = "/opt/libreoffice/program/soffice"
# soffice-timeout = 60

# 按文件忽略规则:键是通配符,值是代码或前缀的列表
# [per-file-ignores]
# "样例/*.txt" = ["FZ401"]
# "*-草稿.md" = ["FZ3", "D1"]

# 调整规则级别(error、warning、info):只影响显示和退出码,不影响得分
# [severity]
# FZ201 = "info"
# D1 = "warning"
'''
