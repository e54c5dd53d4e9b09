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
from fzlint.termsafe import term

if TYPE_CHECKING:
    import argparse

    from fzlint.runner import Settings

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


def cmd_annotate(args: argparse.Namespace, lang: str, settings: Settings) -> int:
    from fzlint.annotate import annotate
    from fzlint.ingest.source import read_limited, read_path
    from fzlint.runner import internal_error, lint_bytes, prepare_conversions, walk

    folder = _check_usage(args)
    found = walk(args.paths, settings, force_exclude=args.force_exclude)
    files = found.files
    if args.output and folder is None and len(files) > 1:
        raise _usage(
            f"-o {args.output} 只能用于一个文件;为多个文件加批注时省略 -o(各自写在原文件旁),或让 -o 指向一个已有的目录",
            f"-o {args.output} takes one file; for several, leave out -o (each is written next to its source) or give an existing folder",
        )
    errors: list[tuple[str, FzlintError]] = list(found.errors)
    results: list[tuple[Any, Any]] = []
    notes: list[tuple[str, str]] = []  # (path, note) of files linted
    silenced: dict[str, tuple[int, int]] = {}
    written: list[tuple[str, Path, Any]] = []
    targets: dict[str, str] = {}
    failed_under = False
    inputs = [f for f in files if f != "-"]
    stdin_name = args.stdin_filename or "<stdin>"
    interrupted = False
    prepare_conversions(files, settings)
    try:
        for f in files:
            name = stdin_name if f == "-" else f
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
            # the file is read once: the bytes linted are the bytes annotated
            try:
                if f == "-":
                    data = read_limited(sys.stdin.buffer, settings.max_bytes, name)
                else:
                    data = read_path(f, settings.max_bytes)
            except FzlintError as exc:
                errors.append((name, exc))
                continue
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
                errors.append((name, internal_error(exc, name)))
                continue
            report = lint_bytes(data, name, settings, named=f in found.named)
            if report.error is not None:
                errors.append((name, report.error))
                continue
            notes.extend((name, n.text(lang)) for n in report.notes)
            if report.result is None or report.score is None or not report.counted:
                continue  # met in a walk and not a report: noted, not annotated
            targets[key] = name
            failed_under = failed_under or report.below_fail_under
            if any(report.suppressed):
                silenced[name] = report.suppressed
            results.append((report.result, report.score))
            try:
                stats = annotate(report.result, report.score, out, data=data, lang=lang)
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

    first = settings.config_for_file(stdin_name if files and files[0] == "-" else files[0]) if files else settings.config_for(".")
    run = Run(
        results,
        results[0][0].ruleset if results else settings.ruleset_for(first),
        [(n, e.message(lang)) for n, e in errors],
        color=args.color,
        show_source=args.show_source,
        quiet=args.quiet,
        verbose=args.verbose,
        statistics=args.statistics,
        lang=lang,
        # junit lists the selected rules of the run: those of the first file's configuration
        extra={"selection": settings.linter_for(first).selection},
    )
    run.extra["suppressed"] = silenced
    render_run(args.format, run, sys.stdout)
    label = "note" if lang == "en" else "提示"
    for result, _score in results:
        for note in result.source.notes:
            print(term(f"fzlint: {result.path}: {label}: {note}"), file=sys.stderr)
    for name, note in notes:
        print(term(f"fzlint: {name}: {label}: {note}"), file=sys.stderr)
    for name, out, stats in written:
        print(term(f"fzlint: {_said(name, out, stats, lang)}"), file=sys.stderr)
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
    en = lang == "en"
    said = [f"{name}: wrote {out} ({n} findings as comments, and the score on the title" if en
            else f"{name}: 已写入批注文档 {out}({n} 条问题批注,标题上另有得分批注"]
    for count, zh_part, en_part in (
        (stats.moved, f";其中 {stats.moved} 条无法精确标注,标在附近并在批注中说明", f"; {stats.moved} placed next to their text, see each comment"),
        (stats.replaced, f";替换了上次 fzlint 的 {stats.replaced} 条批注", f"; {stats.replaced} earlier fzlint comments replaced"),
        (stats.built, ";原文不是 Word 文件,已按文字生成 Word 文档", "; a Word document built from the text"),
    ):
        if count:
            said.append(en_part if en else zh_part)
    return "".join(said) + ")"
