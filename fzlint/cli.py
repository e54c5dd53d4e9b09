"""Command line: `fzlint PATH...` (check), `fzlint rules`, `fzlint explain CODE`.

Exit codes, whatever the output format: 0 no error-severity finding and every score at or above
--fail-under; 1 otherwise; 2 usage, input or ruleset errors (a clear message, never a traceback).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fzlint.errors import FzlintError, InputError
from fzlint.termsafe import term

if TYPE_CHECKING:
    import argparse

    from fzlint.runner import FileReport, Settings, Walk

# Subcommands: name -> handler name in this module (added to by later features).
SUBCOMMANDS = ("check", "rules", "explain", "config", "init", "audit", "compare", "serve", "server")


# What `fzlint check` parses when given no option: the defaults of build_parser("check")
# (tests/test_cli_fast_parse.py checks that the two agree).
CHECK_DEFAULTS: dict[str, Any] = {
    "command": "check",
    "ruleset": None,
    "lang": None,
    "no_cache": False,
    "color": "auto",
    "isolated": False,
    "config": None,
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
    "only_reports": False,
    "exit_zero": False,
    "stdin_filename": None,
    "max_size": 20,
    "verbose": False,
    "quiet": False,
    "show_source": True,
    "statistics": False,
    "min_severity": None,
    "fix": False,
    "diff": False,
    "jobs": 1,
    "profile_rules": False,
    "annotate": False,
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    from fzlint.cli_parser import build_parser as build

    return build(only)


# Options every subcommand takes (cli_parser.common), also accepted before the subcommand name:
# `fzlint --lang en explain FZ103` as `fzlint explain FZ103 --lang en`.
_GLOBAL_VALUED = ("--ruleset", "--lang", "--color", "--config")
_GLOBAL_FLAGS = ("--no-cache", "--isolated")


def _hoist_globals(argv: list[str]) -> list[str]:
    """Move the global options written before a subcommand name to after it."""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        arg = argv[i]
        if arg in _GLOBAL_FLAGS or arg.split("=", 1)[0] in _GLOBAL_VALUED and "=" in arg:
            i += 1
        elif arg in _GLOBAL_VALUED and i + 1 < len(argv):
            i += 2
        else:
            return argv
    if 0 < i < len(argv) and argv[i] in SUBCOMMANDS and argv[i] != "init":
        return [argv[i], *argv[:i], *argv[i + 1 :]]
    return argv


def _parse(argv: list[str]) -> argparse.Namespace:
    argv = _hoist_globals(argv)
    if not argv or argv[0] not in SUBCOMMANDS and argv[0] not in ("-h", "--help", "--version"):
        if all(a and not a.startswith("-") for a in argv):
            # `fzlint FILE...` (pre-commit, editors): only paths, so argparse would return the
            # defaults with these paths; skip importing it and building the parser.
            from types import SimpleNamespace

            return SimpleNamespace(**CHECK_DEFAULTS, paths=list(argv))  # type: ignore[return-value]
        argv = ["check", *argv]
    return build_parser(argv[0] if argv[0] in SUBCOMMANDS else None).parse_args(argv)


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


def settings_from(args: argparse.Namespace) -> Settings:
    """The runner's settings from the command line: the config keys given as options override
    every config file."""
    from fzlint.runner import Settings

    return Settings(
        {key: getattr(args, dest, None) for key, dest in _CLI_KEYS.items()},
        isolated=getattr(args, "isolated", False),
        config_file=getattr(args, "config", None),
        use_cache=not getattr(args, "no_cache", False),
        max_bytes=int(getattr(args, "max_size", 20) * 1024 * 1024),
        timings={} if getattr(args, "profile_rules", False) else None,
    )


# ---- check -----------------------------------------------------------------------------------
def _print_timings(timings: dict[str, float], n_files: int) -> None:
    """--profile-rules: milliseconds per rule (and for building the document), slowest first."""
    total = sum(timings.values()) or 1.0
    print(f"{'rule':12s} {'ms total':>10s} {'ms/file':>9s} {'share':>6s}", file=sys.stderr)
    for code, sec in sorted(timings.items(), key=lambda t: -t[1]):
        print(f"{code:12s} {sec * 1e3:10.2f} {sec * 1e3 / max(1, n_files):9.3f} {sec / total:6.1%}", file=sys.stderr)


_LEVELS = ("error", "warning", "info")


class _Tally:
    """What the file reports of a check run add up to, for rendering and the exit code."""

    def __init__(self, errors: Sequence[tuple[str, FzlintError]], min_severity: str | None = None) -> None:
        self.min_severity = min_severity  # --min-severity: findings below it are not shown
        self.english = False  # --lang en: findings in English where the ruleset has it
        self.under: list[tuple[str, float]] = []  # (path, score) of the files under --fail-under
        self.results: list[tuple[Any, Any]] = []  # (FileResult, Score) of the listed files
        self.errors: list[tuple[str, FzlintError]] = list(errors)
        self.notes: list[tuple[str, str, str]] = []  # (path, zh, en) runner notes, in file order
        self.silenced: dict[str, tuple[int, int]] = {}  # path -> (inline directives, per-file-ignores)
        self.failed_under = False
        self.reports = 0
        self.interrupted = False
        self.diffs: list[str] = []
        self.fix_notes: list[str] = []
        self.fixed_files = 0
        self.applied = 0

    def add(self, report: FileReport) -> None:
        self.reports += 1
        if report.error is not None:
            self.errors.append((report.path, report.error))
        self.notes.extend((report.path, n.zh, n.en) for n in report.notes)
        if report.fix_note is not None:
            self.fix_notes.append(report.fix_note)
        if report.fix is not None and report.fix.changed:
            from fzlint.fix import unified_diff

            self.fixed_files += 1
            self.applied += report.fix.applied
            self.diffs.append(unified_diff(report.fix))
        if report.result is None or not report.counted:
            return
        if self.english:
            for f in report.result.findings:
                f.message = f.message_en or f.message
                f.help = f.help_en or f.help
        if self.min_severity:
            keep = _LEVELS[: _LEVELS.index(self.min_severity) + 1]
            report.result.findings = [f for f in report.result.findings if f.severity in keep]
        if report.below_fail_under:
            self.under.append((report.path, report.score.value))
        if any(report.suppressed):
            self.silenced[report.path] = report.suppressed
        self.failed_under = self.failed_under or report.below_fail_under
        self.results.append((report.result, report.score))

    def fix_summary(self, would: bool) -> str:
        verb = "可修复" if would else "已修复"
        return f"{verb} {self.applied} 处问题({self.fixed_files} 个文件)"


def _say(lang: str, zh: str, en: str) -> None:
    print(term(f"fzlint: {en if lang == 'en' else zh}"), file=sys.stderr)


def _note(lang: str, path: str, zh: str, en: str) -> None:
    print(term(f"fzlint: {path}: {'note' if lang == 'en' else '提示'}: {en if lang == 'en' else zh}"), file=sys.stderr)


def cmd_check(args: argparse.Namespace, lang: str, settings: Settings) -> int:
    found = _walk(args, lang, settings)
    files = found.files
    stdin_name = args.stdin_filename or "<stdin>"
    first = settings.config_for_file(stdin_name if files[0] == "-" else files[0]) if files else settings.config_for(".")
    # junit lists the selected rules of the run: those of the first file's configuration
    selection = settings.linter_for(first).selection
    gc.enable()  # start-up is over: the first linter is built (see main)
    tally = _lint(args, settings, found, stdin_name, lang)
    if args.diff:
        return _finish_diff(tally, lang)
    if settings.timings is not None:
        _print_timings(settings.timings, len(tally.results))
    _render(args, lang, settings, tally, selection)
    for path, zh, en in _notes(tally):
        _note(lang, path, zh, en)
    for _name, err in tally.errors:
        print(err.message(lang), file=sys.stderr)
    for path, value in tally.under:
        bar = f"{settings.config_for_file(path)['fail-under']:g}"
        _say(lang, f"{path}: 得分 {value:g} 低于 fail-under {bar}", f"{path}: score {value:g} is under fail-under {bar}")
    if args.verbose:
        from fzlint.cachedir import refusal

        if (why := refusal()) is not None:  # an unsafe cache dir: the run used no cache
            print(term(f"fzlint: 提示: {why}"), file=sys.stderr)
    if args.fix:
        for note in tally.fix_notes:
            print(term(f"fzlint: {note}"), file=sys.stderr)
        print(f"fzlint: {tally.fix_summary(would=False)}", file=sys.stderr)
    return _exit_code(args, lang, tally, len(files))


def _walk(args: argparse.Namespace, lang: str, settings: Settings) -> Walk:
    """The files to lint (stdin when no path is given and input is piped); -v says what a walk
    left out."""
    from fzlint.runner import walk

    if not args.paths:
        if sys.stdin.isatty():
            raise FzlintError("请指定要检查的文件或目录(或用 - 从标准输入读取)", "Give files or folders to lint (or - for stdin)")
        args.paths = ["-"]
    found = walk(args.paths, settings, force_exclude=args.force_exclude)
    if args.verbose:
        for name in found.skipped:
            _say(lang, f"跳过不支持的文件类型:{name}", f"skipped (unsupported type): {name}")
        for name in found.special:
            _say(lang, f"跳过非普通文件(命名管道、设备等):{name}", f"skipped (not a regular file): {name}")
    if args.fix and not args.diff and "-" in found.files:
        raise FzlintError("标准输入不能用 --fix 修改,请用 --diff 查看改动", "--fix cannot modify stdin; use --diff")
    return found


def _lint(args: argparse.Namespace, settings: Settings, found: Walk, stdin_name: str, lang: str = "zh") -> _Tally:
    """Every file's report through the runner (in -j processes when asked), added up."""
    from fzlint.runner import iter_reports

    tally = _Tally(found.errors, getattr(args, "min_severity", None))
    tally.english = lang == "en"
    fix = ("diff" if args.diff else "write") if args.fix or args.diff else None
    jobs = args.jobs if args.jobs > 0 else _default_jobs()
    try:
        for report in iter_reports(
            found.files, settings, jobs=jobs, named=() if args.only_reports else found.named, fix=fix, fix_roots=args.paths, stdin=sys.stdin.buffer, stdin_name=stdin_name
        ):
            tally.add(report)
    except KeyboardInterrupt:
        # Ctrl-C: report what was finished, then exit 130 (no traceback).
        tally.interrupted = True
    return tally


def _exit_code(args: argparse.Namespace, lang: str, tally: _Tally, n_files: int) -> int:
    if tally.interrupted:
        done = f"{tally.reports}/{n_files}"
        _say(lang, f"已中断(完成 {done} 个文件)", f"interrupted ({done} files done)")
        return 130
    if tally.errors:
        return 2
    if args.exit_zero:
        return 0
    failed = any(f.severity == "error" for r, _ in tally.results for f in r.findings)
    return 1 if failed or tally.failed_under else 0


def _notes(tally: _Tally) -> Iterator[tuple[str, str, str]]:
    """The notes on the listed files' sources, then the runner's (files not scored)."""
    for result, _score in tally.results:
        for note in result.source.notes:
            yield result.path, note, note
    yield from tally.notes


def _finish_diff(tally: _Tally, lang: str) -> int:
    sys.stdout.write("".join(tally.diffs))
    for path, zh, en in tally.notes:  # files left alone: not reports
        _note(lang, path, zh, en)
    for note in tally.fix_notes:
        print(term(f"fzlint: {note}"), file=sys.stderr)
    for _name, err in tally.errors:
        print(err.message(lang), file=sys.stderr)
    print(f"fzlint: {tally.fix_summary(would=True)}", file=sys.stderr)
    if tally.interrupted:
        _say(lang, "已中断", "interrupted")
        return 130
    return 2 if tally.errors else (1 if tally.diffs else 0)


def _render(args: argparse.Namespace, lang: str, settings: Settings, tally: _Tally, selection: Any) -> None:
    from fzlint.render import Run, render_run

    run = Run(
        tally.results,
        tally.results[0][0].ruleset if tally.results else settings.ruleset_for(settings.config_for(".")),
        [(n, e.message(lang)) for n, e in tally.errors],
        color="never" if args.output else args.color,
        show_source=args.show_source,
        quiet=args.quiet,
        verbose=args.verbose,
        statistics=args.statistics,
        lang=lang,
        extra={"selection": selection},
    )
    run.extra["suppressed"] = tally.silenced
    if args.statistics and args.format in ("text", "json"):
        # --statistics replaces the findings (as ruff's does): one line per code
        from fzlint.render import statistics

        def render(fmt: str, run: Any, stream: Any) -> None:
            statistics.render_run(run, stream, fmt)

    else:
        render = render_run
    if args.output:
        from fzlint.outfile import atomic_output  # whole or not at all

        with atomic_output(args.output) as out_stream:
            render(args.format, run, out_stream)
    else:
        render(args.format, run, sys.stdout)


def _default_jobs() -> int:
    from fzlint.parallel import default_jobs

    return default_jobs()


# ---- other commands --------------------------------------------------------------------------
def cmd_rules(args: argparse.Namespace, lang: str, settings: Settings) -> int:
    from fzlint.render.rules import render_rules

    ruleset = settings.ruleset_for(settings.config_for("."))
    sys.stdout.write(render_rules(ruleset, args.format, lang))
    return 0


def cmd_explain(args: argparse.Namespace, lang: str, settings: Settings) -> int:
    from fzlint.render.rules import explain

    ruleset = settings.ruleset_for(settings.config_for("."))
    rule = ruleset.rule(args.code.upper())
    if rule is None:
        raise FzlintError(f"规则集 {ruleset.id} 中没有规则 {args.code}(用 fzlint rules 查看全部规则)", f"No rule {args.code} in ruleset {ruleset.id} (see fzlint rules)")
    from fzlint.render.rules import example_findings

    sys.stdout.write(explain(rule, example_findings([rule], ruleset).get(rule.code), lang))
    return 0


def cmd_config(args: argparse.Namespace, lang: str, settings: Settings) -> int:
    from fzlint.render.config import render_config

    target = Path(args.path)
    if not target.exists():
        raise InputError("文件或目录不存在。", "No such file or directory.", path=args.path)
    cfg = settings.config_for(str(target if target.is_dir() else target.parent))
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


def cmd_server(args: argparse.Namespace, lang: str) -> int:
    """`fzlint server`: the editor server (Language Server Protocol over stdio, fzlint/lsp.py)."""
    try:
        from fzlint.lsp import serve
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        raise FzlintError(
            f"fzlint server(编辑器服务)需要可选依赖 pygls,当前环境缺少模块 {exc.name}。请运行:pip install 'fzlint[lsp]'",
            f"fzlint server (the editor server) needs the optional dependency pygls; module {exc.name} is missing. Run: pip install 'fzlint[lsp]'",
        ) from None
    return serve(lambda: settings_from(args), debounce=args.debounce / 1000, lang=lang, verbose=args.verbose)


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
    # until the first linter is built (cmd_check), or the command is not check.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if gc_was_enabled:
            gc.enable()


def _main(argv: list[str] | None) -> int:
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
        settings = settings_from(args)
        # `lang` in the config of the current folder applies to the whole run
        lang = settings.config_for(".")["lang"]
        if args.command == "rules":
            return cmd_rules(args, lang, settings)
        if args.command == "explain":
            return cmd_explain(args, lang, settings)
        if args.command == "config":
            return cmd_config(args, lang, settings)
        if args.command == "audit":
            from fzlint.cli_review import cmd_audit

            return cmd_audit(args, lang, settings)
        if args.command == "compare":
            from fzlint.cli_review import cmd_compare

            return cmd_compare(args, lang, settings)
        if args.command == "serve":
            from fzlint.serve import cmd_serve

            return cmd_serve(args, lang, settings)
        if args.command == "server":
            return cmd_server(args, lang)
        if args.annotate:
            from fzlint.cli_annotate import cmd_annotate

            return cmd_annotate(args, lang, settings)
        return cmd_check(args, lang, settings)
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
