"""`fzlint serve`: a local web page where a writer drops a report and a reviewer drops a batch.

    fzlint serve [--host 127.0.0.1] [--port 8000]

A front door like the command line: the handlers call the runner (fzlint/runner.py) and the
existing renderers (`--format html` for one report, the audit page for several) and convert; there
is nothing lint-specific here. The web part needs the optional extra `fzlint[serve]` (Starlette,
uvicorn, python-multipart), imported only when this command runs.

    app.py      routes, the upload stream (limits while it arrives), pages kept in memory
    upload.py   multipart/form-data streamed into the request's temp folder, bounded
    jobs.py     a warm checking process that forks one child per request (killed at the deadline)
    work.py     what that child does: unpack zips, lint, render, annotate
    archive.py  bounded, traversal-free zip unpacking (on top of ingest/ziplimits.py)
    pages.py    the upload and error pages, the bar added to result pages, the headers
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fzlint.errors import FzlintError

if TYPE_CHECKING:
    import argparse

    from fzlint.runner import Settings

EXTRA_MISSING = (
    ("fzlint serve 需要网页组件(Starlette、uvicorn、python-multipart),当前未安装。"
    "请运行:pip install 'fzlint[serve]'"),
    ("fzlint serve needs the web components (Starlette, uvicorn, python-multipart), which are not "
    "installed. Run: pip install 'fzlint[serve]'"),
)


@dataclass(slots=True, frozen=True)
class Limits:
    """What one request may bring and take (every one a command-line option; see docs/serve.md)."""

    max_file: int = 20 * 1024 * 1024  # bytes of one report (a .zip may be up to max_total)
    max_total: int = 200 * 1024 * 1024  # bytes of one upload, and unpacked bytes of its zips
    max_files: int = 200  # reports in one upload, zip members counted
    timeout: float = 120.0  # seconds one check may take (upload and queue not counted)
    concurrency: int = 2  # checks running at once; as many more may wait
    jobs: int = 1  # processes one audit uses
    keep: float = 600.0  # seconds result pages and annotated files stay in memory
    store_bytes: int = 512 * 1024 * 1024  # memory for kept results (oldest dropped first)


def _require_extra() -> None:
    try:
        import python_multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise FzlintError(*EXTRA_MISSING) from None


def _absolute_ruleset(settings: Settings) -> None:
    """A ruleset file named on the command line, made absolute (checks run in their own folder)."""
    value = settings.overrides.get("ruleset")
    if value and (os.sep in value or value.endswith((".yaml", ".yml"))) and os.path.exists(value):
        settings.overrides["ruleset"] = os.path.abspath(value)


def limits_from(args: argparse.Namespace) -> Limits:
    mb = 1024 * 1024
    limits = Limits(
        max_file=int(args.max_size * mb),
        max_total=int(args.max_total * mb),
        max_files=args.max_files,
        timeout=float(args.timeout),
        concurrency=args.concurrency,
        jobs=args.jobs,
        keep=float(args.keep_minutes) * 60,
    )
    if limits.max_files < 1 or limits.concurrency < 1 or limits.jobs < 1:
        raise FzlintError("--max-files、--concurrency、-j 应为正整数", "--max-files, --concurrency and -j must be positive")
    if limits.timeout <= 0 or limits.keep <= 0:
        raise FzlintError("--timeout 和 --keep-minutes 应为正数", "--timeout and --keep-minutes must be positive")
    if limits.max_total < limits.max_file:
        raise FzlintError("--max-total 不能小于 --max-size", "--max-total must not be smaller than --max-size")
    return limits


def cmd_serve(args: argparse.Namespace, lang: str, settings: Settings) -> int:
    """Start the server (blocks until Ctrl-C / SIGTERM)."""
    _require_extra()
    limits = limits_from(args)
    _absolute_ruleset(settings)
    root = os.getcwd()
    # a broken fzlint.toml or ruleset stops here with its message, before anything starts
    settings.ruleset_for(settings.config_for(root))
    from fzlint.serve.app import serve

    warn = None
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        warn = (
            f"警告:--host {args.host} 让本机所在网络中的任何人都能打开此页面并上传文件,页面没有登录。"
            "在办公网络中使用请放在带访问控制的反向代理之后(见 docs/serve.md)。"
        )
        print(f"fzlint: {warn}", file=sys.stderr, flush=True)
    return serve(
        args.host,
        args.port,
        limits,
        settings,
        root,
        log_level="warning" if args.quiet else "info",
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
