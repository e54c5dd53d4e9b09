"""The reviewer's commands: `fzlint audit DIR...` and `fzlint compare OLD NEW` (see cli.py)."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import sys
from contextlib import AbstractContextManager, nullcontext
from typing import IO, Any

from fzlint.errors import FzlintError


def _open_output(path: str | None) -> AbstractContextManager[IO[str]]:
    """stdout, or `-o FILE` written whole or not at all (fzlint/outfile.py)."""
    if path is None:
        return nullcontext(sys.stdout)
    from fzlint.outfile import atomic_output

    return atomic_output(path, newline="")


def _pages_dir(args: argparse.Namespace) -> str:
    if args.reports_dir:
        return str(args.reports_dir)
    if args.output:
        stem, _ext = os.path.splitext(args.output)
        return f"{stem}_reports"
    return "fzlint-audit-reports"


def cmd_audit(args: argparse.Namespace, lang: str) -> int:
    from fzlint.audit import AuditConfig, iter_failed_inputs, run_audit
    from fzlint.cli import _load_ruleset, _ruleset_ref, collect, prepare_conversions
    from fzlint.render.audit_pages import resolve_link_format, write_report_page
    from fzlint.render.audit_progress import AuditProgress, wants_progress

    files, missing = collect(args.paths)
    if not files and not missing:
        raise FzlintError("指定的目录中没有可检查的报告文件", "No report files found in the given folders")
    if args.jobs is not None and args.jobs < 1:
        raise FzlintError("-j 应为正整数", "-j must be a positive integer")
    _load_ruleset(args)  # a bad ruleset stops here with its message, before any worker starts
    prepare_conversions(files, args)  # .doc/.wps/.rtf/.odt: one LibreOffice start for all, before workers fork
    page_format = None
    pages_dir = None
    if args.format == "html" or args.reports_dir:
        page_format = resolve_link_format(args.report_links)
        pages_dir = _pages_dir(args) if page_format else None
    base = ""
    if pages_dir:
        start = os.path.dirname(os.path.abspath(args.output)) if args.output else os.getcwd()
        base = os.path.relpath(os.path.abspath(pages_dir), start).replace(os.sep, "/")
    cfg = AuditConfig(
        ruleset=_ruleset_ref(args),  # the command line's, else the config file's
        use_cache=not args.no_cache,
        lang=lang,
        max_bytes=int(args.max_size * 1024 * 1024),
        pages_dir=pages_dir,
        page_format=page_format,
        page_writer=write_report_page if page_format else None,
    )
    previous = None
    if args.previous:
        previous, prev_missing = collect(args.previous)
        if prev_missing:
            raise FzlintError(f"上一年度报告目录不存在:{prev_missing[0][0]}", f"No such folder: {prev_missing[0][0]}")
    bar = AuditProgress(force=args.progress == "always") if wants_progress(args.progress) else nullcontext(None)
    with bar as progress:
        audit = run_audit(
            files,
            cfg,
            jobs=args.jobs,
            progress=progress,
            previous=previous,
            previous_dirs=args.previous,
            unreadable=list(iter_failed_inputs(missing, lang)),
        )
    renderer = importlib.import_module(f"fzlint.render.audit_{args.format}")
    with _open_output(args.output) as out:
        renderer.render_audit(audit, out, base=base, color="never" if args.output else args.color, to_file=args.output is not None)
    if audit.interrupted:
        print("fzlint: 已中断,只输出了已完成的报告" if lang == "zh" else "fzlint: interrupted; finished reports only", file=sys.stderr)
        return 130
    return 0


def cmd_compare(args: argparse.Namespace, lang: str) -> int:
    from fzlint.cli import _load_ruleset
    from fzlint.compare import compare_files
    from fzlint.engine import Linter
    from fzlint.render import Run, render_run
    from fzlint.score import compute

    ruleset = _load_ruleset(args)
    linter = Linter(ruleset)
    c = compare_files(args.old, args.new, linter, int(args.max_size * 1024 * 1024))
    # the comparison's findings are ordinary findings of the new report: every renderer shows them
    new = dataclasses.replace(c.new, findings=list(c.findings))
    score = compute(new.findings, ruleset)
    run = Run([(new, score)], ruleset, color="never" if args.output else args.color, lang=lang, extra={"compare": c})
    with _open_output(args.output) as out:
        if args.format in ("text", "json"):
            module: Any = importlib.import_module(f"fzlint.render.compare_{args.format}")
            module.render_compare(c, run, out)
        else:
            render_run(args.format, run, out)
    if args.exit_zero:
        return 0
    return 1 if any(f.severity == "error" for f in c.findings) else 0
