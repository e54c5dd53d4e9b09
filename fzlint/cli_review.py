"""The reviewer's commands: `fzlint audit DIR...` and `fzlint compare OLD NEW` (see cli.py)."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import os
import sys
from contextlib import AbstractContextManager, nullcontext
from typing import IO, TYPE_CHECKING, Any

from fzlint.errors import FzlintError
from fzlint.runner import settle
from fzlint.termsafe import term

if TYPE_CHECKING:
    from fzlint.runner import Settings


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


def cmd_audit(args: argparse.Namespace, lang: str, settings: Settings) -> int:
    from fzlint.audit import AuditConfig, iter_failed_inputs, run_audit
    from fzlint.render.audit_pages import resolve_link_format, write_report_page
    from fzlint.render.audit_progress import AuditProgress, wants_progress
    from fzlint.runner import walk

    found = walk(args.paths, settings)
    if not found.files and not found.errors:
        raise FzlintError("指定的目录中没有可检查的报告文件", "No report files found in the given folders")
    if args.jobs is not None and args.jobs < 1:
        raise FzlintError("-j 应为正整数", "-j must be a positive integer")
    # a bad ruleset stops here with its message, before any worker starts
    settings.ruleset_for(settings.config_for_file(found.files[0]) if found.files else settings.config_for("."))
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
        settings,
        lang=lang,
        pages_dir=pages_dir,
        page_format=page_format,
        page_writer=write_report_page if page_format else None,
    )
    previous = None
    if args.previous:
        prev = walk(args.previous, settings)
        if prev.errors:
            raise FzlintError(f"上一年度报告目录不存在:{prev.errors[0][0]}", f"No such folder: {prev.errors[0][0]}")
        previous = prev.files
    bar = AuditProgress(force=args.progress == "always") if wants_progress(args.progress) else nullcontext(None)
    if not isinstance(bar, nullcontext):
        from fzlint.ingest import ocr

        ocr.PROGRESS["mode"] = "never"  # one bar at a time: the audit's (OCR pages have their own otherwise)
    with bar as progress:
        audit = run_audit(
            found.files,
            cfg,
            jobs=args.jobs,
            progress=progress,
            previous=previous,
            previous_dirs=args.previous,
            unreadable=list(iter_failed_inputs(found.errors, lang)),
            named=found.named,
        )
    renderer = importlib.import_module(f"fzlint.render.audit_{args.format}")
    with _open_output(args.output) as out:
        renderer.render_audit(audit, out, base=base, color="never" if args.output else args.color, to_file=args.output is not None)
    if audit.interrupted:
        print("fzlint: 已中断,只输出了已完成的报告" if lang == "zh" else "fzlint: interrupted; finished reports only", file=sys.stderr)
        return 130
    # a report that could not be checked is not silently dropped: the run fails (exit 2)
    return 2 if audit.failed else 0


def pair_warnings(old: Any, new: Any) -> list[tuple[str, str]]:
    """Why two reports may not be last year's and this year's of one issuer: the reuse figures
    then mean little. `old`, `new`: the documents' metadata (issuer, report year)."""
    out = []
    # one issuer may sign as 召陵区 one year and 召陵区人民政府 the next: same when one contains the other
    if old.issuer and new.issuer and old.issuer not in new.issuer and new.issuer not in old.issuer:
        out.append(
            (
                f"两份报告的发文机关不同(“{old.issuer}”与“{new.issuer}”),沿用比例只有在同一机关前后两年的报告之间才有意义",
                f"the two reports have different issuers ({old.issuer} / {new.issuer}); reuse figures compare one issuer's consecutive years",
            )
        )
    if old.year and new.year and new.year - old.year != 1:
        out.append(
            (
                f"两份报告的报告年度是{old.year}年和{new.year}年,不是相邻的两年(应先给上一年度的报告,再给本年度的)",
                f"the report years are {old.year} and {new.year}, not consecutive (give last year's report first, then this year's)",
            )
        )
    return out


def cmd_compare(args: argparse.Namespace, lang: str, settings: Settings) -> int:
    from fzlint.compare import compare_results
    from fzlint.render import Run, render_run
    from fzlint.runner import lint_path
    from fzlint.score import compute

    reports = [lint_path(path, settings) for path in (args.old, args.new)]
    for report in reports:
        if report.error is not None:
            raise report.error
    old, new_report = reports
    assert old.result is not None and new_report.result is not None
    notes = pair_warnings(old.result.doc.meta, new_report.result.doc.meta)
    for zh, en in notes:
        print(term(f"fzlint: {'warning' if lang == 'en' else '注意'}: {en if lang == 'en' else zh}"), file=sys.stderr)
    # the configuration of the new report's folder: which reuse rules run, their suppressions
    cfg = settings.config_for_file(args.new)
    c = compare_results(old.result, new_report.result, settings.linter_for(cfg))
    c.findings = settle(c.findings, new_report.result.source, args.new, cfg)
    ruleset = new_report.result.ruleset
    # the comparison's findings are ordinary findings of the new report: every renderer shows them
    new = dataclasses.replace(c.new, findings=list(c.findings))
    score = compute(new.findings, ruleset)
    run = Run([(new, score)], ruleset, color="never" if args.output else args.color, lang=lang, extra={"compare": c, "pair_warnings": [zh for zh, _en in notes]})
    with _open_output(args.output) as out:
        if args.format in ("text", "json", "html"):
            module: Any = importlib.import_module(f"fzlint.render.compare_{args.format}")
            module.render_compare(c, run, out)
        else:
            render_run(args.format, run, out)
    if args.exit_zero:
        return 0
    return 1 if any(f.severity == "error" for f in c.findings) else 0
