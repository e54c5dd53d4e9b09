"""Command line: `fzlint PATH...` (check), `fzlint rules`, `fzlint explain CODE`.

Exit codes, whatever the output format: 0 no error-severity finding and every score at or above
--fail-under; 1 otherwise; 2 usage, input or ruleset errors (a clear message, never a traceback).
"""

from __future__ import annotations

import gc
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fzlint.errors import FzlintError, InputError
from fzlint.termsafe import term

if TYPE_CHECKING:
    import argparse

# Subcommands: name -> handler name in this module (added to by later features).
SUBCOMMANDS = ("check", "rules", "explain", "config", "init", "audit", "compare")


# What `fzlint check` parses when given no option: the defaults of build_parser("check")
# (tests/test_cli_fast_parse.py checks that the two agree).
CHECK_DEFAULTS: dict[str, Any] = {
    "command": "check",
    "ruleset": None,
    "lang": None,
    "no_cache": False,
    "color": "auto",
    "isolated": False,
    "format": "text",
    "output": None,
    "select": None,
    "extend_select": None,
    "ignore": None,
    "fail_under": None,
    "report_year": None,
    "published": None,
    "exclude": None,
    "force_exclude": False,
    "exit_zero": False,
    "stdin_filename": None,
    "max_size": 20,
    "verbose": False,
    "quiet": False,
    "show_source": True,
    "statistics": False,
    "fix": False,
    "diff": False,
    "jobs": 1,
    "profile_rules": False,
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    from fzlint.cli_parser import build_parser as build

    return build(only)


def _parse(argv: list[str]) -> argparse.Namespace:
    if not argv or argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help", "--version"):
        if all(a and not a.startswith("-") for a in argv):
            # `fzlint FILE...` (pre-commit, editors): only paths, so argparse would return the
            # defaults with these paths; skip importing it and building the parser.
            from types import SimpleNamespace

            return SimpleNamespace(**CHECK_DEFAULTS, paths=list(argv))  # type: ignore[return-value]
        argv = ["check", *argv]
    return build_parser(argv[0] if argv[0] in SUBCOMMANDS else None).parse_args(argv)


# ---- files ---------------------------------------------------------------------------------
def supported_suffixes() -> set[str]:
    from fzlint.ingest.formats import SUPPORTED_SUFFIXES

    return SUPPORTED_SUFFIXES


def collect(
    paths: list[str],
    is_excluded: Callable[[str], bool] | None = None,
    *,
    force_exclude: bool = False,
    skipped: list[str] | None = None,
) -> tuple[list[str], list[tuple[str, InputError]]]:
    """Files to lint, in a stable order; folders are walked (symlinks to folders are not followed).

    `is_excluded` (the `exclude` globs) prunes folders and files met in a walk, and files given
    by name too when `force_exclude` is set (pre-commit passes every changed file by name).
    Files of unsupported types met in a walk are appended to `skipped` when it is given."""
    from fzlint.ingest.source import os_error

    skip = is_excluded or (lambda _p: False)
    files: list[str] = []
    missing: list[tuple[str, InputError]] = []
    suffixes = supported_suffixes()
    for raw in paths:
        if raw == "-":
            files.append("-")
            continue
        p = Path(raw)
        try:
            is_dir = stat.S_ISDIR(p.stat().st_mode)
        except FileNotFoundError:
            if p.is_symlink():
                missing.append((raw, InputError("符号链接指向的文件不存在。", "Broken symbolic link.", path=raw)))
            else:
                missing.append((raw, InputError("文件或目录不存在。", "No such file or directory.", path=raw)))
            continue
        except OSError as exc:  # symlink loop, permission denied on a parent, name too long
            missing.append((raw, os_error(exc, raw)))
            continue
        if not is_dir:
            if not (force_exclude and skip(raw)):
                files.append(raw)
            continue

        def unreadable(exc: OSError, top: str = raw) -> None:
            missing.append((exc.filename or top, os_error(exc, exc.filename or top)))

        # Symlinked folders are not followed (no loops); symlinked files are linted where they point.
        for dirpath, dirnames, filenames in os.walk(p, followlinks=False, onerror=unreadable):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not skip(os.path.join(dirpath, d)))
            for name in sorted(filenames):
                if not (Path(name).suffix.lower() in suffixes and not name.startswith((".", "~$"))):
                    if skipped is not None and not name.startswith("."):
                        skipped.append(os.path.join(dirpath, name))
                    continue
                full = os.path.join(dirpath, name)
                if skip(full):
                    continue
                if os.path.islink(full) and not os.path.exists(full):
                    missing.append((full, InputError("符号链接无法解析(目标不存在或形成循环)。", "Broken or looping symbolic link.", path=full)))
                    continue
                files.append(full)
    return files, missing


# ---- configuration ---------------------------------------------------------------------------
_CLI_KEYS = {  # config key -> argparse dest, for the options that override config files
    "ruleset": "ruleset",
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "fail-under": "fail_under",
    "report-year": "report_year",
    "published": "published",
    "exclude": "exclude",
    "lang": "lang",
}


def _cli_values(args: argparse.Namespace) -> dict[str, Any]:
    """The config keys given on the command line (absent options are None)."""
    return {key: getattr(args, dest, None) for key, dest in _CLI_KEYS.items()}


def config_for(folder: str, args: argparse.Namespace) -> Any:
    """The effective configuration for files in `folder` (cached per folder for one run)."""
    from fzlint import config

    cache: dict[str, Any] = args.__dict__.setdefault("_config_cache", {})
    key = os.path.abspath(folder)
    if key not in cache:
        cache[key] = config.resolve(key, _cli_values(args), isolated=getattr(args, "isolated", False))
    return cache[key]


def _file_config(path: str, args: argparse.Namespace) -> Any:
    if path == "-":
        return config_for(os.path.dirname(args.stdin_filename) if args.stdin_filename else ".", args)
    return config_for(os.path.dirname(path) or ".", args)


# ---- commands --------------------------------------------------------------------------------
def _ruleset_choice(args: argparse.Namespace, cfg: Any = None) -> tuple[str, Path | None]:
    """The effective ruleset (command line, else the nearest config file) as an absolute path,
    and the folder its files must lie in: a config file's own folder tree when a config file
    chose it (rules/loader.py: check_confined), else None."""
    from fzlint.rules.loader import resolve

    cfg = cfg if cfg is not None else config_for(".", args)
    setting = cfg.settings["ruleset"]
    # a ruleset path in a config file is relative to that file; on the command line, to the cwd
    from_file = setting.origin not in ("default", "command line")
    confine = setting.base if from_file else None
    return str(resolve(setting.value, confine, confine=confine, asked_by=setting.origin if from_file else "")), confine


def _ruleset_ref(args: argparse.Namespace, cfg: Any = None) -> str:
    return _ruleset_choice(args, cfg)[0]


def _load_ruleset(args: argparse.Namespace, cfg: Any = None) -> Any:
    from fzlint.rules.loader import load_ruleset

    ref, confine = _ruleset_choice(args, cfg)
    return load_ruleset(ref, use_cache=not args.no_cache, confine=confine)


def configure_readers(path: str, args: argparse.Namespace) -> None:
    """Tell the readers what the file's configuration says (LibreOffice's path and time limit)."""
    from fzlint.ingest import formats

    cfg = _file_config(path, args)
    exe = cfg["soffice"]
    if exe and os.sep in exe and not os.path.isabs(exe):
        exe = str(cfg.base("soffice") / exe)  # relative to the config file's folder
    formats.configure(exe, cfg["soffice-timeout"], use_cache=not args.no_cache)


def prepare_conversions(files: list[str], args: argparse.Namespace) -> None:
    """Several .doc/.wps/.rtf/.odt files: convert them with one LibreOffice start (convert.prepare)."""
    if sum(f.lower().endswith((".doc", ".wps", ".rtf", ".odt")) for f in files) > 1:
        from fzlint.ingest.convert import prepare

        prepare(files, lambda f: configure_readers(f, args), int(args.max_size * 1024 * 1024))


def _iter_sources(files: list[str], args: argparse.Namespace) -> Iterator[tuple[str, Any]]:
    from fzlint.ingest import load_path
    from fzlint.ingest.source import load_stdin

    max_bytes = int(args.max_size * 1024 * 1024)
    for f in files:
        name = (args.stdin_filename or "<stdin>") if f == "-" else f
        configure_readers(f, args)
        try:
            if f == "-":
                yield name, load_stdin(sys.stdin.buffer, name, max_bytes)
            else:
                yield f, load_path(f, max_bytes=max_bytes)
        except FzlintError as exc:
            yield name, exc


def _default_jobs() -> int:
    from fzlint.parallel import default_jobs

    return default_jobs()


def cached_linter(cfg: Any, args: argparse.Namespace, linters: dict[tuple[Any, ...], Any], timings: dict[str, float] | None = None) -> Any:
    """The Linter for a file's configuration, built once per distinct configuration."""
    from fzlint import config
    from fzlint.engine import Linter, Selection
    from fzlint.rules.context import Options

    rs = cfg.settings["ruleset"]
    key = (rs.value, rs.base, tuple(cfg["select"]), tuple(cfg["ignore"]), tuple(cfg["extend-select"]), cfg["report-year"], cfg["published"])
    if key not in linters:
        linters[key] = Linter(
            _load_ruleset(args, cfg),
            Selection(list(cfg["select"]), list(cfg["ignore"]), list(cfg["extend-select"])),
            Options(report_year=cfg["report-year"], published=config.as_date(cfg["published"])),
        )
        linters[key].timings = timings
        gc.enable()  # start-up is over (see main)
    return linters[key]


def scored(result: Any, cfg: Any) -> tuple[Any, bool]:
    """A file's score, with [severity] applied to its findings; and whether it is below the
    configured fail-under. Shared by the one-process loop and the -j workers."""
    from fzlint import config
    from fzlint.score import compute

    kept = result.findings
    score = compute(kept, result.ruleset)
    # [severity] changes how a finding is shown and the exit code, not the score.
    if cfg["severity"]:
        for f in kept:
            f.severity = config.severity_for(f.code, cfg) or f.severity
    return score, cfg["fail-under"] is not None and score.value < cfg["fail-under"]


def _print_timings(timings: dict[str, float], n_files: int) -> None:
    """--profile-rules: milliseconds per rule (and for building the document), slowest first."""
    total = sum(timings.values()) or 1.0
    print(f"{'rule':12s} {'ms total':>10s} {'ms/file':>9s} {'share':>6s}", file=sys.stderr)
    for code, sec in sorted(timings.items(), key=lambda t: -t[1]):
        print(f"{code:12s} {sec * 1e3:10.2f} {sec * 1e3 / max(1, n_files):9.3f} {sec / total:6.1%}", file=sys.stderr)


def cmd_check(args: argparse.Namespace, lang: str) -> int:
    from fzlint import config, suppress

    if not args.paths:
        if sys.stdin.isatty():
            raise FzlintError("请指定要检查的文件或目录(或用 - 从标准输入读取)", "Give files or folders to lint (or - for stdin)")
        args.paths = ["-"]

    def is_excluded(path: str) -> bool:
        return config.excluded(path, config_for(os.path.dirname(path) or ".", args))

    skipped: list[str] = []
    files, missing = collect(args.paths, is_excluded, force_exclude=args.force_exclude, skipped=skipped)
    if args.verbose:
        for name in skipped:
            print(term(f"fzlint: 跳过不支持的文件类型:{name}" if lang == "zh" else f"fzlint: skipped (unsupported type): {name}"), file=sys.stderr)
    errors: list[tuple[str, FzlintError]] = list(missing)
    # One Linter per distinct configuration (folders with their own fzlint.toml may differ).
    linters: dict[tuple[Any, ...], Any] = {}
    timings: dict[str, float] = {}  # --profile-rules: summed over every linter

    def linter_for(cfg: Any) -> Any:
        return cached_linter(cfg, args, linters, timings if args.profile_rules else None)

    results = []
    silenced: dict[str, tuple[int, int]] = {}  # path -> (inline directives, per-file-ignores)
    failed_under = False
    fixing = args.fix or args.diff
    if args.fix and not args.diff and "-" in files:
        raise FzlintError("标准输入不能用 --fix 修改,请用 --diff 查看改动", "--fix cannot modify stdin; use --diff")
    fix_state = _FixState()
    interrupted = False
    jobs = args.jobs if args.jobs > 0 else _default_jobs()
    # -j N: the same per-file steps in N processes (not for --fix/--diff, stdin or --profile-rules)
    parallel = jobs > 1 and len(files) > 1 and not fixing and "-" not in files and not args.profile_rules
    prepare_conversions(files, args)
    if parallel:
        from fzlint.parallel import check_parallel

        gc.enable()  # the parent only collects results (workers enable it in cached_linter)

        try:
            for name, outcome in check_parallel(files, args, min(jobs, len(files))):
                if isinstance(outcome, FzlintError):
                    errors.append((name, outcome))
                elif isinstance(outcome, Exception):
                    what = getattr(outcome, "described", None) or f"{type(outcome).__name__}: {outcome}"
                    errors.append((name, InputError(f"内部错误:{what}(请报告此问题)", f"internal error: {what}", path=name)))
                else:
                    result, counts, score, below = outcome
                    if any(counts):
                        silenced[name] = counts
                    failed_under = failed_under or below
                    results.append((result, score))
        except KeyboardInterrupt:
            interrupted = True
    try:
        for name, src in (() if parallel else _iter_sources(files, args)):
            if isinstance(src, FzlintError):
                errors.append((name, src))
                continue
            cfg = _file_config(name, args)
            # inline directives and per-file-ignores apply to fixes as well as to what is shown
            linter = suppress.Silencing(linter_for(cfg), config.ignored_codes(name, cfg))
            try:
                if fixing:
                    from fzlint.fix import FixError

                    try:
                        result = _fix_one(name, src, linter, args, fix_state)
                    except FixError as exc:
                        errors.append((name, exc))
                        result = linter.lint_source(src)
                else:
                    result = linter.lint_source(src)
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
                errors.append((name, InputError(f"内部错误:{type(exc).__name__}: {exc}(请报告此问题)", f"internal error: {type(exc).__name__}: {exc}", path=name)))
                continue
            if any(linter.counts):
                silenced[name] = linter.counts
            score, below = scored(result, cfg)
            failed_under = failed_under or below
            results.append((result, score))
    except KeyboardInterrupt:
        # Ctrl-C: report what was finished, then exit 130 (no traceback).
        interrupted = True

    if args.diff:
        sys.stdout.write("".join(fix_state.diffs))
        for note in fix_state.notes:
            print(term(f"fzlint: {note}"), file=sys.stderr)
        for name, err in errors:
            print(err.message(lang), file=sys.stderr)
        print(f"fzlint: {fix_state.summary(would=True)}", file=sys.stderr)
        if interrupted:
            print("fzlint: 已中断" if lang == "zh" else "fzlint: interrupted", file=sys.stderr)
            return 130
        return 2 if errors else (1 if fix_state.diffs else 0)

    if args.profile_rules:
        _print_timings(timings, len(results))

    from fzlint.render import Run, render_run

    run = Run(
        results,
        results[0][0].ruleset if results else _load_ruleset(args),
        [(n, e.message(lang)) for n, e in errors],
        color="never" if args.output else args.color,
        show_source=args.show_source,
        quiet=args.quiet,
        verbose=args.verbose,
        statistics=args.statistics,
        lang=lang,
        # junit lists the selected rules of the run: those of the first file's configuration
        extra={"selection": linter_for(_file_config(files[0], args) if files else config_for(".", args)).selection},
    )
    run.extra["suppressed"] = silenced
    if args.output:
        from fzlint.outfile import atomic_output  # whole or not at all

        with atomic_output(args.output) as out_stream:
            render_run(args.format, run, out_stream)
    else:
        render_run(args.format, run, sys.stdout)
    for result, _score in results:
        for note in result.source.notes:
            print(term(f"fzlint: {result.path}: {'提示' if lang == 'zh' else 'note'}: {note}"), file=sys.stderr)
    for name, err in errors:
        print(err.message(lang), file=sys.stderr)
    if args.verbose:
        from fzlint.cachedir import refusal

        if (why := refusal()) is not None:  # an unsafe cache dir: the run used no cache
            print(term(f"fzlint: 提示: {why}"), file=sys.stderr)
    if args.fix:
        for note in fix_state.notes:
            print(term(f"fzlint: {note}"), file=sys.stderr)
        print(f"fzlint: {fix_state.summary(would=False)}", file=sys.stderr)
    if interrupted:
        done = f"{len(results) + len(errors) - len(missing)}/{len(files)}"
        print(f"fzlint: 已中断(完成 {done} 个文件)" if lang == "zh" else f"fzlint: interrupted ({done} files done)", file=sys.stderr)
        return 130
    if errors:
        return 2
    if args.exit_zero:
        return 0
    failed = any(f.severity == "error" for r, _ in results for f in r.findings)
    return 1 if failed or failed_under else 0


class _FixState:
    """What --fix/--diff did across files: diffs, notes on files left alone, counts."""

    def __init__(self) -> None:
        self.diffs: list[str] = []
        self.notes: list[str] = []
        self.applied = 0
        self.files = 0

    def summary(self, would: bool) -> str:
        verb = "可修复" if would else "已修复"
        return f"{verb} {self.applied} 处问题({self.files} 个文件)"


def _fix_one(name: str, src: Any, linter: Any, args: argparse.Namespace, state: _FixState) -> Any:
    """Fix (or diff) one source; returns the lint result of the text as it now stands."""
    from fzlint.fix import encode, fix_roots, fix_source, fixable, unified_diff, write_atomic
    from fzlint.ingest import load_bytes

    reason = fixable(src)
    if reason is not None:
        state.notes.append(reason)
        return linter.lint_source(src)
    data: bytes | None = None
    from_stdin = "-" in args.paths and name == (args.stdin_filename or "<stdin>")
    if not from_stdin:
        # the bytes the fix is computed from: write_atomic refuses if the file changes meanwhile
        data = Path(name).read_bytes()
        src = load_bytes(data, name, src.format)
    outcome = fix_source(src, linter)
    if outcome.changed:
        if args.diff:
            state.diffs.append(unified_diff(outcome))
        else:  # counted only once written (a refused file is not "fixed")
            write_atomic(name, encode(outcome.fixed, src), expected_old=data, roots=fix_roots(args.paths))
        state.files += 1
        state.applied += outcome.applied
    return outcome.result


def cmd_rules(args: argparse.Namespace, lang: str) -> int:
    from fzlint.render.rules import render_rules

    ruleset = _load_ruleset(args)
    sys.stdout.write(render_rules(ruleset, args.format))
    return 0


def cmd_explain(args: argparse.Namespace, lang: str) -> int:
    from fzlint.render.rules import explain

    ruleset = _load_ruleset(args)
    rule = ruleset.rule(args.code.upper())
    if rule is None:
        raise FzlintError(f"规则集 {ruleset.id} 中没有规则 {args.code}(用 fzlint rules 查看全部规则)", f"No rule {args.code} in ruleset {ruleset.id} (see fzlint rules)")
    sys.stdout.write(explain(rule))
    return 0


def cmd_config(args: argparse.Namespace, lang: str) -> int:
    from fzlint.render.config import render_config

    target = Path(args.path)
    if not target.exists():
        raise InputError("文件或目录不存在。", "No such file or directory.", path=args.path)
    cfg = config_for(str(target if target.is_dir() else target.parent), args)
    sys.stdout.write(render_config(cfg, args.format))
    return 0


def cmd_init(args: argparse.Namespace, lang: str) -> int:
    from fzlint.config import STARTER

    target = Path(args.directory) / "fzlint.toml"
    if not target.parent.is_dir():
        raise InputError("目录不存在。", "No such directory.", path=args.directory)
    if target.exists() and not args.force:
        raise FzlintError(f"{target} 已存在,未覆盖(确需覆盖请加 --force)", f"{target} exists; not overwritten (use --force)")
    target.write_text(STARTER, encoding="utf-8")
    print(f"已写入 {target}(用 fzlint config 查看生效的配置)" if lang == "zh" else f"Wrote {target} (see fzlint config)")
    return 0


def _safe_streams() -> None:
    """Never die on output encoding: lone surrogates (from undecodable file names) and
    characters a legacy console cannot show are escaped instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    # Start-up (imports, the ruleset, the linter) allocates many long-lived objects and hardly any
    # garbage: the cyclic GC would trace them all several times for nothing (~4 ms). It is off
    # until the first linter is built (cached_linter), or the command is not check.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if gc_was_enabled:
            gc.enable()


def _main(argv: list[str] | None) -> int:
    from fzlint import dataclass_cache
    from fzlint.regex_cache import preload

    dataclass_cache.install()  # before any module defining a dataclass is imported
    preload()  # before anything that compiles patterns is imported (see fzlint/regex_cache.py)
    _safe_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = "en" if "--lang=en" in argv or ("--lang" in argv and argv[argv.index("--lang") + 1 : argv.index("--lang") + 2] == ["en"]) else "zh"
    try:
        args = _parse(argv)
        if args.command != "check":
            gc.enable()
        lang = getattr(args, "lang", None) or lang
        if args.command == "init":
            return cmd_init(args, lang)
        # `lang` in the config of the current folder applies to the whole run
        lang = config_for(".", args)["lang"]
        if args.command == "rules":
            return cmd_rules(args, lang)
        if args.command == "explain":
            return cmd_explain(args, lang)
        if args.command == "config":
            return cmd_config(args, lang)
        if args.command == "audit":
            from fzlint.cli_review import cmd_audit

            return cmd_audit(args, lang)
        if args.command == "compare":
            from fzlint.cli_review import cmd_compare

            return cmd_compare(args, lang)
        return cmd_check(args, lang)
    except FzlintError as exc:
        print(f"fzlint: {exc.message(lang)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("fzlint: 已中断" if lang == "zh" else "fzlint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `fzlint dir | head`: the reader left; silence the flush at exit too.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except SystemExit as exc:  # argparse --help/--version
        return int(exc.code or 0)
    except Exception as exc:  # last resort: a message, never a traceback
        if os.environ.get("FZLINT_DEBUG"):
            raise
        print(
            term(
                f"fzlint: 内部错误:{type(exc).__name__}: {exc}(请报告此问题;设置 FZLINT_DEBUG=1 可查看详细信息)"
                if lang == "zh"
                else f"fzlint: internal error: {type(exc).__name__}: {exc} (please report; set FZLINT_DEBUG=1 for details)"
            ),
            file=sys.stderr,
        )
        return 2
