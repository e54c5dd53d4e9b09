"""Load a ruleset by name or path: resolve `extends`/`include`, validate, and cache the result.

A normal run reads the validated ruleset from a pickle in the user cache dir and never imports
pydantic or parses YAML (the pickle is loaded only when fzlint.cachedir has checked the folder's
owner and the file's MAC). The cache is keyed on fzlint's version and the ruleset's path, and
stores the hash of every file it was built from; a stale or corrupt cache is rebuilt silently.

A ruleset may be hostile (a config file in a folder being linted can choose one), so: each file
is read once however often `extends` reaches it (a diamond 25 levels deep is 50 reads, not 2^25),
`extends` chains are at most MAX_EXTENDS_DEPTH deep and a ruleset at most MAX_FILES files of at
most MAX_FILE_BYTES each; `extends`/`include` name .yaml/.yml files only, and a file that is
not a ruleset is refused without quoting it (a password file's lines never reach the terminal);
a ruleset chosen by a config file may only use files in that config file's folder tree (and
the built-in rulesets): `confine`. Message templates and patterns are checked when the rule is
built (rules/kinds/base.py: check_template, compile_pattern's limits).
"""

from __future__ import annotations

import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import Any

from fzlint import __version__, cachedir, patterns
from fzlint.cachedir import cache_dir
from fzlint.errors import RulesetError
from fzlint.rules.model import Rule, Ruleset

DEFAULT_RULESET = "fazhi-annual"
MAX_EXTENDS_DEPTH = 16
MAX_FILES = 200
MAX_FILE_BYTES = 2 * 1024 * 1024  # the largest built-in file is 25 KB
YAML_SUFFIXES = (".yaml", ".yml")
# Top-level keys of a ruleset and of an included file: a file with none of them is not a ruleset.
RULESET_KEYS = frozenset(("ruleset", "title", "description", "extends", "include", "settings", "overrides", "disable", "rules", "formats", "parts"))
INCLUDE_KEYS = frozenset(("settings", "rules"))
# Bump when the pickled structure changes (Rule/Ruleset fields, params encoding).
CACHE_FORMAT = 5


def builtin_dir() -> Path:
    """Folder of the built-in rulesets: installed package data, or the checkout's rulesets/."""
    pkg = Path(__file__).resolve().parent.parent
    installed = pkg / "rulesets"
    if (installed / f"{DEFAULT_RULESET}.yaml").is_file():
        return installed
    return pkg.parent / "rulesets"


def builtin_names() -> list[str]:
    d = builtin_dir()
    return sorted(p.stem for p in d.glob("*.yaml"))


def resolve(name: str, relative_to: Path | None = None, *, confine: Path | None = None, asked_by: str = "") -> Path:
    """A ruleset name (built-in) or a path to a YAML file; with `confine`, a file outside that
    folder tree (other than a built-in ruleset) is refused (see check_confined)."""
    looks_like_path = name.endswith(YAML_SUFFIXES) or "/" in name or os.sep in name
    if looks_like_path:
        p = Path(name)
        if not p.is_absolute() and relative_to is not None:
            cand = relative_to / p
            if cand.exists():
                p = cand
        if not name.lower().endswith(YAML_SUFFIXES):
            raise RulesetError(f"规则集文件必须是 .yaml 或 .yml 文件:{name}", f"A ruleset file must be a .yaml or .yml file: {name}")
        if not p.is_file():
            raise RulesetError(f"找不到规则集文件:{name}", f"Ruleset file not found: {name}")
        return check_confined(p.resolve(), confine, asked_by)
    if relative_to is not None:
        local = relative_to / f"{name}.yaml"
        if local.is_file():
            return local.resolve()
    p = builtin_dir() / f"{name}.yaml"
    if not p.is_file():
        names = "、".join(builtin_names())
        raise RulesetError(
            f"找不到名为 “{name}” 的规则集(内置规则集:{names})",
            f"No ruleset named '{name}' (built-in: {', '.join(builtin_names())})",
        )
    return p.resolve()


def check_confined(path: Path, confine: Path | None, asked_by: str = "") -> Path:
    """`path` (resolved), unless `confine` is set and the file lies outside that folder tree and
    is not a built-in ruleset: a config file found in a linted folder must not make fzlint read,
    and print, files elsewhere (symlinks are followed before the check)."""
    if confine is None:
        return path
    folder = confine.resolve()
    if path.is_relative_to(folder) or path.is_relative_to(builtin_dir().resolve()):
        return path
    who = f"{asked_by}: " if asked_by else ""
    raise RulesetError(
        f"{who}规则集文件 {path} 不在配置文件所在的目录 {folder} 之内,未加载:配置文件选定的规则集只能使用该目录(含子目录)中的文件和内置规则集。"
        "确需使用这个文件,请在命令行用 --ruleset 指定",
        f"{who}ruleset file {path} lies outside the config file's folder {folder}; not loaded: a ruleset chosen by a config file "
        "may only use files in that folder tree and the built-in rulesets. To use it anyway, give it with --ruleset",
    )


def _digest(data: bytes) -> str:
    import hashlib  # lazily: a warm run whose files are unchanged never hashes (see _stat)

    return hashlib.sha1(data).hexdigest()


def _stat(path: str) -> tuple[int, int]:
    """(size, mtime_ns): when both are unchanged the file's digest need not be recomputed."""
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def _cache_key(root: Path) -> str:
    return f"{__version__}|{CACHE_FORMAT}|{root}|{sys.version_info[:2]}"


def _cache_file(root: Path) -> Path:
    # crc32 names the file (no hashlib import on the hot path); the payload holds the full key.
    return cache_dir() / "rulesets" / f"{zlib.crc32(_cache_key(root).encode()):08x}.pickle"


def _read_cache(root: Path) -> Ruleset | None:
    try:
        blob = cachedir.load(_cache_file(root))  # None unless ours, private and signed
        if blob is None:
            return None
        payload = pickle.loads(blob)
        if payload.get("version") != __version__ or payload.get("key") != _cache_key(root):
            return None
        stats = payload.get("stats", {})
        for path, digest in payload["deps"]:
            if stats.get(path) == _stat(path):
                continue  # same size and mtime as when the cache was written
            if _digest(Path(path).read_bytes()) != digest:
                return None
        rs = payload["ruleset"]
        if not isinstance(rs, Ruleset):
            return None
        from fzlint.rules.kinds.base import ANALYSES

        ANALYSES.update(payload.get("analyses", {}))
        patterns.preload(payload.get("patterns", {}))
        return rs
    except Exception:  # noqa: BLE001 - any unreadable cache is simply rebuilt
        return None


def _verified_stats(deps: dict[str, str]) -> dict[str, tuple[int, int]]:
    """The stat of each file whose current content still has the digest it was built from."""
    out: dict[str, tuple[int, int]] = {}
    for path, digest in deps.items():
        before = _stat(path)
        if _digest(Path(path).read_bytes()) == digest and _stat(path) == before:
            out[path] = before
    return out


def _write_cache(root: Path, ruleset: Ruleset, deps: dict[str, str]) -> None:
    try:
        stats = _verified_stats(deps)
    except OSError:
        return
    from fzlint.rules.kinds.base import ANALYSES

    payload = {"version": __version__, "key": _cache_key(root), "deps": sorted(deps.items()), "stats": stats, "ruleset": ruleset, "analyses": dict(ANALYSES), "patterns": patterns.compiled()}
    # a read-only home or an untrusted cache dir must not stop linting: store just returns False
    cachedir.store(_cache_file(root), pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))


def load_ruleset(name: str = DEFAULT_RULESET, *, use_cache: bool = True, relative_to: Path | None = None, confine: Path | None = None) -> Ruleset:
    """The validated ruleset `name` (built-in name or YAML path). With `confine` (the folder of
    the config file that chose it) every file it uses must lie in that folder tree or be built in."""
    root = resolve(name, relative_to, confine=confine)
    if use_cache:
        cached = _read_cache(root)
        if cached is not None:
            for f in cached.files:
                check_confined(Path(f), confine)
            return cached
    deps: dict[str, str] = {}
    ruleset = _build(root, deps, [], {}, confine)
    ruleset.checks = build_checks(ruleset)
    if use_cache:
        # the cached checks are instances of the kinds' classes: a changed kind rebuilds them
        for kind_file in sorted((Path(__file__).parent / "kinds").glob("*.py")):
            deps[str(kind_file)] = _digest(kind_file.read_bytes())
        _write_cache(root, ruleset, deps)
    return ruleset


def build_checks(ruleset: Ruleset) -> list[Any]:
    """The check of every rule, with its patterns compiled and analysed (what a search plan asks
    of a pattern), so that the ruleset cache keeps both."""
    from fzlint.rules.kinds import KINDS
    from fzlint.rules.kinds.base import analyse_patterns

    checks = [KINDS[r.kind](r) for r in ruleset.rules]
    analyse_patterns(checks)
    return checks


# ---- building (imports pydantic and yaml) --------------------------------------------------
def _read(path: Path, deps: dict[str, str]) -> tuple[Any, str]:
    from fzlint.rules.yamlio import load_yaml

    if len(deps) >= MAX_FILES:
        raise RulesetError(f"{path}: 规则集用到的文件超过 {MAX_FILES} 个", f"{path}: a ruleset of more than {MAX_FILES} files")
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise RulesetError(f"无法读取规则集 {path}:{exc.strerror}", f"Cannot read ruleset {path}: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise RulesetError(f"{path}: 规则集文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB", f"{path}: a ruleset file over {MAX_FILE_BYTES // 1024 // 1024} MB")
    deps[str(path)] = _digest(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RulesetError(f"{path}: 规则集必须是 UTF-8 编码", f"{path}: a ruleset must be UTF-8") from None
    return load_yaml(text, str(path)), str(path)


def _plain(value: Any) -> Any:
    """Plain dicts and lists (no YAML LineDict), so the cache unpickles without importing yaml."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


_CJK_GAP = None


def _tidy(text: str) -> str:
    """Remove the spaces YAML folding (`>-`) puts between two Chinese characters."""
    global _CJK_GAP
    if _CJK_GAP is None:
        import regex

        cjk = r"[\p{Han}，。、；：？！“”‘’（）《》【】〔〕]"
        _CJK_GAP = regex.compile(rf"(?<={cjk})[ \t\n]+(?={cjk})")
    return _CJK_GAP.sub("", text).strip()


def _rule_from_model(m: Any, ruleset_id: str, origin: str, formats: list[str] | None = None) -> Rule:
    return Rule(
        code=m.code,
        name=m.name,
        kind=m.kind,
        category=m.category,
        severity=m.severity,
        weight=m.weight,
        message=_tidy(m.message),
        help=_tidy(m.help),
        rationale=_tidy(m.rationale),
        source=_tidy(m.source),
        opinion=m.opinion,
        fixable=m.fixable,
        ocr_sensitive=m.ocr_sensitive,
        max_penalty=m.max_penalty,
        params=_plain(m.params),
        examples_pass=list(m.examples.pass_),
        examples_fail=list(m.examples.fail),
        ruleset=ruleset_id,
        origin=origin,
        formats=tuple(m.formats if m.formats is not None else formats or ()),
        en={k: " ".join(v.split()) for k, v in m.en.items()},
    )


def _check_params(rule: Rule, data: Any, path: str, loc: tuple[Any, ...]) -> None:
    """Validate a rule's params against its kind's Params dataclass (types, unknown keys)."""
    from pydantic import ConfigDict, TypeAdapter, ValidationError

    from fzlint.rules.kinds import KINDS
    from fzlint.rules.schema import format_errors

    params_cls = KINDS[rule.kind].Params
    if not hasattr(params_cls, "__pydantic_config__"):
        params_cls.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
    try:
        TypeAdapter(params_cls).validate_python(dict(rule.params))
    except ValidationError as exc:
        zh, en = format_errors(exc, data, path, loc)
        raise RulesetError(zh, en) from None


def _check_template(text: str, data: Any, path: str, loc: tuple[Any, ...]) -> None:
    """A message or help template may only name fields (`{match}`): no attribute or index access
    (`{match.__class__}` would print Python internals), no conversion and no format spec
    (`{match:>200000000}` pads to 200 million characters)."""
    from fzlint.rules.kinds.base import template_problem
    from fzlint.rules.yamlio import line_of

    problem = template_problem(text)
    if problem is not None:
        field = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
        ln = line_of(data, loc)
        raise RulesetError(f"{path}:{ln}: 字段 {field}: {problem[0]}", f"{path}:{ln}: field {field}: {problem[1]}")


def _validate_rules(models: list[Any], data: Any, path: str, ruleset_id: str, key: str = "rules", formats: list[str] | None = None) -> list[Rule]:
    from fzlint.rules.kinds import KINDS
    from fzlint.rules.yamlio import line_of

    rules: list[Rule] = []
    for i, m in enumerate(models):
        line = line_of(data, (key, i))
        if m.kind not in KINDS:
            kl = line_of(data, (key, i, "kind"))
            raise RulesetError(
                f"{path}:{kl}: 字段 {key}[{i}].kind: 未知的检查类型 “{m.kind}”(可用:{'、'.join(sorted(KINDS))})",
                f"{path}:{kl}: field {key}[{i}].kind: unknown check kind '{m.kind}' (known: {', '.join(sorted(KINDS))})",
            )
        for field in ("message", "help"):
            _check_template(getattr(m, field), data, path, (key, i, field))
        rule = _rule_from_model(m, ruleset_id, f"{path}:{line}", formats)
        _check_params(rule, data, path, (key, i, "params"))
        compile_rule(rule, data, path, (key, i))
        rules.append(rule)
    return rules


def compile_rule(rule: Rule, data: Any, path: str, loc: tuple[Any, ...]) -> None:
    """Build the rule's check once (compiles its patterns) so that a bad regex, scope or group
    is reported now, with file, line and field, instead of failing on every linted file."""
    import regex

    from fzlint.rules.kinds import KINDS
    from fzlint.rules.kinds.base import ParamError, PatternLimit
    from fzlint.rules.yamlio import line_of

    try:
        KINDS[rule.kind](rule)
    except ParamError as exc:
        fl = line_of(data, (*loc, "params", exc.field))
        raise RulesetError(
            f"{path}:{fl}: 规则 {rule.code} 的字段 params.{exc.field}: {exc.zh}",
            f"{path}:{fl}: rule {rule.code}: field params.{exc.field}: {exc.en}",
        ) from None
    except PatternLimit as exc:
        pl = line_of(data, (*loc, "params"))
        pattern = exc.pattern if isinstance(exc.pattern, str) else ""
        shown = pattern if len(pattern) <= 60 else pattern[:59] + "…"
        raise RulesetError(
            f"{path}:{pl}: 规则 {rule.code} 的字段 params 中的正则表达式 {shown!r} 无法使用:{exc.zh}",
            f"{path}:{pl}: rule {rule.code}: field params: pattern {shown!r} refused: {exc.en}",
        ) from None
    except regex.error as exc:
        pl = line_of(data, (*loc, "params"))
        pattern = exc.pattern if isinstance(exc.pattern, str) else ""
        pattern = pattern if len(pattern) <= 200 else pattern[:199] + "…"
        raise RulesetError(
            f"{path}:{pl}: 规则 {rule.code} 的字段 params 中的正则表达式 {pattern!r} 有误:{exc}",
            f"{path}:{pl}: rule {rule.code}: field params: bad regular expression {pattern!r}: {exc}",
        ) from None
    except Exception as exc:  # noqa: BLE001 - any other failure is a bad parameter too
        pl = line_of(data, (*loc, "params"))
        detail = f"{type(exc).__name__}: {exc}" if isinstance(exc, (KeyError, IndexError, TypeError)) else str(exc)
        raise RulesetError(
            f"{path}:{pl}: 规则 {rule.code} 的 params 无效:{detail}",
            f"{path}:{pl}: rule {rule.code}: invalid params: {detail}",
        ) from None


def _resolve_ref(ref: str, field: str, index: int, data: Any, path: Path, shown: str, confine: Path | None) -> Path:
    """Resolve an `extends`/`include` entry; a missing one names the file and line that asks for it."""
    from fzlint.rules.yamlio import line_of

    try:
        if field == "include":
            if not ref.lower().endswith(YAML_SUFFIXES):
                raise RulesetError(f"只能包含 .yaml 或 .yml 规则集文件:{ref}", f"only .yaml or .yml files can be included: {ref}")
            target = (path.parent / ref).resolve()
            if not target.is_file():
                raise RulesetError(f"找不到文件 {ref}", f"file not found: {ref}")
            return check_confined(target, confine)
        return resolve(ref, path.parent, confine=confine)
    except RulesetError as exc:
        ln = line_of(data, (field, index))
        raise RulesetError(
            f"{shown}:{ln}: 字段 {field}[{index}]: {exc.zh}",
            f"{shown}:{ln}: field {field}[{index}]: {exc.en}",
        ) from None


def _not_a_ruleset(data: Any, shown: str, keys: frozenset[str]) -> None:
    """Refuse a file that is no ruleset (or included rule file) without quoting any of it: the
    file may be anything readable (`include: ../../etc/shadow.yaml`), and its "keys" would be
    its lines."""
    if not isinstance(data, dict):
        raise RulesetError(f"{shown}:1: 规则集文件的顶层必须是映射(ruleset:、rules: …)", f"{shown}:1: a ruleset file must be a mapping")
    if not any(isinstance(k, str) and k in keys for k in data):
        raise RulesetError(
            f"{shown}:1: 这不是 fzlint 规则集文件(顶层没有 {'、'.join(sorted(keys))} 中的任何一项)",
            f"{shown}:1: not an fzlint ruleset file (none of {', '.join(sorted(keys))} at the top level)",
        )


def _copy(ruleset: Ruleset) -> Ruleset:
    """A copy whose rules can be changed by overrides without changing the original (params
    dicts are replaced, never changed in place)."""
    from dataclasses import replace

    return replace(ruleset, rules=[replace(r) for r in ruleset.rules], settings=dict(ruleset.settings), files=list(ruleset.files), chain=list(ruleset.chain), parts=list(ruleset.parts))


def _build(path: Path, deps: dict[str, str], stack: list[Path], built: dict[Path, Ruleset], confine: Path | None = None) -> Ruleset:
    """Build the ruleset in `path`. `stack`: the files extending it (cycle and depth checks);
    `built`: rulesets already built in this load, by path, so that each file is read and
    validated once however many times `extends` reaches it."""
    from pydantic import ValidationError

    from fzlint.rules.schema import IncludeModel, RulesetModel, format_errors

    data, shown = _read(path, deps)
    _not_a_ruleset(data, shown, RULESET_KEYS)
    try:
        model = RulesetModel.model_validate(data)
    except ValidationError as exc:
        zh, en = format_errors(exc, data, shown)
        raise RulesetError(zh, en) from None

    rules: list[Rule] = []
    settings: dict[str, Any] = {}
    chain: list[str] = []
    files: list[str] = []
    base_parts: list[str] = []
    from fzlint.rules.yamlio import line_of

    for idx, base_name in enumerate(model.extends):
        base_path = _resolve_ref(base_name, "extends", idx, data, path, shown, confine)
        el = line_of(data, ("extends", idx))
        if base_path in stack or base_path == path:
            cycle = " -> ".join(p.name for p in [*stack, path, base_path])
            raise RulesetError(
                f"{shown}:{el}: 字段 extends[{idx}]: 规则集继承形成循环:{cycle}",
                f"{shown}:{el}: field extends[{idx}]: ruleset extends cycle: {cycle}",
            )
        if len(stack) + 1 >= MAX_EXTENDS_DEPTH:
            raise RulesetError(
                f"{shown}:{el}: 字段 extends[{idx}]: 规则集继承超过 {MAX_EXTENDS_DEPTH} 层",
                f"{shown}:{el}: field extends[{idx}]: ruleset extends chain deeper than {MAX_EXTENDS_DEPTH}",
            )
        if base_path not in built:
            built[base_path] = _build(base_path, deps, [*stack, path], built, confine)
        base = _copy(built[base_path])
        have = {r.code: r for r in rules}
        for r in base.rules:
            # a rule reached twice through a diamond (A extends B and C, both extend D) is kept once
            if r.code not in have:
                rules.append(r)
                have[r.code] = r
            elif have[r.code].origin != r.origin:
                raise RulesetError(
                    f"{shown}:{el}: 字段 extends[{idx}]: 规则代码 {r.code} 在 {have[r.code].origin} 和 {r.origin} 中各定义了一次",
                    f"{shown}:{el}: field extends[{idx}]: rule code {r.code} is defined both at {have[r.code].origin} and at {r.origin}",
                )
        settings.update(base.settings)
        chain.extend(c for c in base.chain if c not in chain)
        base_parts.extend(p for p in base.parts if p not in base_parts)
        files.extend(f for f in base.files if f not in files)
    by_code = {r.code: r for r in rules}
    for code, ov in model.overrides.items():
        if code not in by_code:
            ol = line_of(data, ("overrides", code))
            raise RulesetError(f"{shown}:{ol}: overrides 中的 {code} 不是被继承规则集中的规则", f"{shown}:{ol}: override {code} matches no inherited rule")
        r = by_code[code]
        for field in ("message", "help"):
            val = getattr(ov, field)
            if val is not None:
                _check_template(val, data, shown, ("overrides", code, field))
        for field in ("severity", "weight", "message", "help", "max_penalty"):
            val = getattr(ov, field)
            if val is not None:
                setattr(r, field, _tidy(val) if isinstance(val, str) else val)
        if ov.formats is not None:
            r.formats = tuple(ov.formats)
        if ov.params:
            r.params = {**r.params, **_plain(ov.params)}
            _check_params(r, data, shown, ("overrides", code, "params"))
            compile_rule(r, data, shown, ("overrides", code))
    disabled = set(model.disable)
    rules = [r for r in rules if r.code not in disabled]
    settings.update(model.settings)

    own = _validate_rules(model.rules, data, shown, model.ruleset, formats=model.formats)
    for idx, inc in enumerate(model.include):
        inc_path = _resolve_ref(inc, "include", idx, data, path, shown, confine)
        if str(inc_path) in files:
            continue  # included twice: once is enough (its rules would be duplicates)
        inc_data, inc_shown = _read(inc_path, deps)
        if inc_data is not None:  # an empty file adds nothing
            _not_a_ruleset(inc_data, inc_shown, INCLUDE_KEYS)
        try:
            inc_model = IncludeModel.model_validate(inc_data or {})
        except ValidationError as exc:
            zh, en = format_errors(exc, inc_data, inc_shown)
            raise RulesetError(zh, en) from None
        settings.update(inc_model.settings)
        own.extend(_validate_rules(inc_model.rules, inc_data, inc_shown, model.ruleset, formats=model.formats))
        files.append(inc_shown)
    seen = {r.code: r for r in rules}
    for r in own:
        if r.code in seen:
            raise RulesetError(
                f"{r.origin}: 规则代码 {r.code} 重复(已在 {seen[r.code].origin} 定义);修改继承的规则请用 overrides",
                f"{r.origin}: duplicate rule code {r.code} (already defined at {seen[r.code].origin}); use overrides to change an inherited rule",
            )
        seen[r.code] = r
        rules.append(r)
    # this file's `parts:` order first, then the parts its bases declare that it does not name
    parts = list(dict.fromkeys(model.parts))
    parts.extend(p for p in base_parts if p not in parts)
    return Ruleset(model.ruleset, model.title, rules, _plain(settings), [*files, shown], [*chain, model.ruleset], parts)
