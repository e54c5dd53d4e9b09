"""`fzlint --annotate FILE... [-o OUT]`: each report's findings as Word comments (批注).

Each file is linted as `fzlint check` lints it (its folder's configuration, inline directives,
per-file-ignores, [severity]) and written as NAME.fzlint.docx next to it, or at -o: a .docx path
when one file is given, or a folder for any number. When two inputs would get the same name
(report.docx and report.pdf), the later one is NAME.EXT.fzlint.docx (report.pdf.fzlint.docx). The findings are printed as `check` prints
them (--format, -q …); the exit code is check's (0, 1, or 2 when a file could not be read or its
annotated copy not written). The input is never written to; an earlier NAME.fzlint.docx is
replaced (it is fzlint's own output). Files named *.fzlint.docx met in a folder walk are
fzlint's output and are skipped.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fzlint.errors import FzlintError, InputError

if TYPE_CHECKING:
    import argparse

OWN_SUFFIX = ".fzlint.docx"


def _usage(zh: str, en: str) -> FzlintError:
    return FzlintError(zh, en)


def _check_usage(args: argparse.Namespace) -> Path | None:
    """Refuse what --annotate cannot do; the -o folder, if -o names one."""
    if args.fix or args.diff:
        raise _usage("--annotate 不能与 --fix/--diff 同时使用:批注文档不修改原文", "--annotate cannot be combined with --fix/--diff")
    if not args.paths:
        raise _usage("请指定要加批注的文件或目录(如 fzlint --annotate 报告.docx)", "Give the files or folders to annotate (fzlint --annotate report.docx)")
    out = args.output
    if out is None:
        if "-" in args.paths:
            raise _usage("从标准输入读取时请用 -o 指定批注文档的路径", "With stdin, give the annotated document's path with -o")
        return None
    if os.path.isdir(out):
        return Path(out)
    if not out.lower().endswith(".docx"):
        raise _usage(f"-o 应为 .docx 文件或已有的目录:{out}", f"-o must be a .docx file or an existing folder: {out}")
    return None


def _target(name: str, args: argparse.Namespace, folder: Path | None) -> Path:
    from fzlint.annotate import output_path

    if name == "-":
        return Path(args.output)
    if folder is not None:
        return folder / output_path(name).name
    if args.output:
        return Path(args.output)
    return output_path(name)


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def cmd_annotate(args: argparse.Namespace, lang: str) -> int:
    from fzlint import cli, config, suppress
    from fzlint.annotate import annotate
    from fzlint.ingest.source import _from_bytes, os_error, read_limited

    folder = _check_usage(args)

    def is_excluded(path: str) -> bool:
        return config.excluded(path, cli.config_for(os.path.dirname(path) or ".", args))

    files, missing = cli.collect(args.paths, is_excluded, force_exclude=args.force_exclude)
    named = {os.path.normpath(p) for p in args.paths}
    # fzlint's own output met in a walk is not a report (named on the command line, it is linted)
    files = [f for f in files if f == "-" or os.path.normpath(f) in named or not f.lower().endswith(OWN_SUFFIX)]
    if args.output and folder is None and len(files) > 1:
        raise _usage(
            f"-o {args.output} 只能用于一个文件;为多个文件加批注时省略 -o(各自写在原文件旁),或让 -o 指向一个已有的目录",
            f"-o {args.output} takes one file; for several, leave out -o (each is written next to its source) or give an existing folder",
        )
    errors: list[tuple[str, FzlintError]] = list(missing)
    results: list[tuple[Any, Any]] = []
    written: list[tuple[str, Path, Any]] = []
    targets: dict[str, str] = {}
    failed_under = False
    linters: dict[tuple[Any, ...], Any] = {}
    max_bytes = int(args.max_size * 1024 * 1024)
    inputs = [f for f in files if f != "-"]
    interrupted = False
    try:
        for f in files:
            name = (args.stdin_filename or "<stdin>") if f == "-" else f
            out = _target(f, args, folder)
            if f != "-" and any(_same_file(out, i) for i in inputs if os.path.exists(out)):
                errors.append((name, InputError(f"批注文档 {out} 会覆盖被检查的文件,已跳过(用 -o 另选路径)", f"the annotated document {out} would overwrite an input; skipped (choose another path with -o)", path=name)))
                continue
            key = os.path.abspath(out)
            if key in targets and f != "-" and not (args.output and folder is None):
                # report.docx and report.pdf side by side: the second is report.pdf.fzlint.docx
                out = out.with_name(Path(f).name + OWN_SUFFIX)
                key = os.path.abspath(out)
            if key in targets:
                errors.append((name, InputError(f"批注文档 {out} 与 {targets[key]} 的重名,已跳过", f"the annotated document {out} has the same name as {targets[key]}'s; skipped", path=name)))
                continue
            targets[key] = name
            try:
                if f == "-":
                    data = read_limited(sys.stdin.buffer, max_bytes, name)
                else:
                    try:
                        with open(f, "rb") as fh:
                            data = read_limited(fh, max_bytes, name)
                    except OSError as exc:
                        raise os_error(exc, name) from None
                src = _from_bytes(data, name)
                cfg = cli._file_config(name, args)
                linter = suppress.Silencing(cli.cached_linter(cfg, args, linters), config.ignored_codes(name, cfg))
                result = linter.lint_source(src)
                score, below = cli.scored(result, cfg)
            except FzlintError as exc:
                errors.append((name, exc))
                continue
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
                errors.append((name, InputError(f"内部错误:{type(exc).__name__}: {exc}(请报告此问题)", f"internal error: {type(exc).__name__}: {exc}", path=name)))
                continue
            failed_under = failed_under or below
            results.append((result, score))
            try:
                stats = annotate(result, score, out, data=data, lang=lang)
            except FzlintError as exc:
                errors.append((name, exc))
                continue
            except Exception as exc:  # noqa: BLE001
                errors.append((name, InputError(f"无法生成批注文档:{type(exc).__name__}: {exc}(请报告此问题)", f"cannot write the annotated document: {type(exc).__name__}: {exc}", path=name)))
                continue
            written.append((name, out, stats))
    except KeyboardInterrupt:
        interrupted = True

    from fzlint.render import Run, render_run

    run = Run(
        results,
        results[0][0].ruleset if results else cli._load_ruleset(args),
        [(n, e.message(lang)) for n, e in errors],
        color=args.color,
        show_source=args.show_source,
        quiet=args.quiet,
        verbose=args.verbose,
        statistics=args.statistics,
        lang=lang,
        # junit lists the selected rules of the run: those of the first file's configuration
        extra={"selection": cli.cached_linter(cli._file_config(files[0], args) if files else cli.config_for(".", args), args, linters).selection},
    )
    render_run(args.format, run, sys.stdout)
    for result, _score in results:
        for note in result.source.notes:
            print(f"fzlint: {result.path}: {'提示' if lang == 'zh' else 'note'}: {note}", file=sys.stderr)
    for name, out, stats in written:
        print(f"fzlint: {_said(name, out, stats, lang)}", file=sys.stderr)
    for _name, err in errors:
        print(err.message(lang), file=sys.stderr)
    if interrupted:
        print("fzlint: 已中断" if lang == "zh" else "fzlint: interrupted", file=sys.stderr)
        return 130
    if errors:
        return 2
    if args.exit_zero:
        return 0
    failed = any(f.severity == "error" for r, _ in results for f in r.findings)
    return 1 if failed or failed_under else 0


def _said(name: str, out: Path, stats: Any, lang: str) -> str:
    n = stats.comments - 1  # the title comment is not a finding
    if lang == "en":
        parts = [f"{name}: wrote {out} ({n} findings as comments, and the score on the title"]
        if stats.moved:
            parts.append(f"; {stats.moved} placed next to their text, see each comment")
        if stats.replaced:
            parts.append(f"; {stats.replaced} earlier fzlint comments replaced")
        if stats.built:
            parts.append("; a Word document built from the text")
        return "".join(parts) + ")"
    parts = [f"{name}: 已写入批注文档 {out}({n} 条问题批注,标题上另有得分批注"]
    if stats.moved:
        parts.append(f";其中 {stats.moved} 条无法精确标注,标在附近并在批注中说明")
    if stats.replaced:
        parts.append(f";替换了上次 fzlint 的 {stats.replaced} 条批注")
    if stats.built:
        parts.append(";原文不是 Word 文件,已按文字生成 Word 文档")
    return "".join(parts) + ")"
