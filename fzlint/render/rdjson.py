"""`--format rdjson`: reviewdog's Diagnostic Format (DiagnosticResult as JSON).

    fzlint --format rdjson 报告.txt | reviewdog -f=rdjson -reporter=github-pr-review

reviewdog counts columns in UTF-8 bytes (a Han character is 3), ends exclusive; a rule's
automatic fix becomes a suggestion that reviewers can apply from the pull request.
"""

from __future__ import annotations

from typing import IO, Any

from fzlint.ingest import Source
from fzlint.render import Run, jsontext
from fzlint.render.locations import Region, display_path, region, utf8_column
from fzlint.render.sarif import INFORMATION_URI

_SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _range(source: Source, reg: Region) -> dict[str, Any]:
    return {
        "start": {"line": reg.line, "column": utf8_column(source, reg.line, reg.column)},
        "end": {"line": reg.end_line, "column": utf8_column(source, reg.end_line, reg.end_column)},
    }


def build_result(run: Run) -> dict[str, Any]:
    """The DiagnosticResult as a dict (exposed for tests)."""
    diagnostics: list[dict[str, Any]] = []
    worst = 0
    order = {"INFO": 1, "WARNING": 2, "ERROR": 3}
    for result, _score in run.results:
        path = display_path(result.path)
        src = result.source
        for f in result.findings:
            reg = region(src, f.start, f.end)
            severity = _SEVERITY.get(f.severity, "WARNING")
            worst = max(worst, order[severity])
            message = f.message + (f"\n修改建议:{f.help}" if f.help else "")
            item: dict[str, Any] = {
                "message": message,
                "location": {"path": path, "range": _range(src, reg)},
                "severity": severity,
                "code": {"value": f.code},
            }
            if f.fix is not None:
                fix_reg = region(src, f.fix.start, f.fix.end)
                item["suggestions"] = [{"range": _range(src, fix_reg), "text": f.fix.replacement}]
            diagnostics.append(item)
    for path, message in run.errors:
        worst = order["ERROR"]
        diagnostics.append(
            {
                "message": message,
                "location": {"path": display_path(path)},
                "severity": "ERROR",
                "code": {"value": "read-error"},
            }
        )
    out: dict[str, Any] = {"source": {"name": "fzlint", "url": INFORMATION_URI}}
    if worst:
        out["severity"] = {v: k for k, v in order.items()}[worst]
    out["diagnostics"] = diagnostics
    return out


def render_run(run: Run, stream: IO[str]) -> None:
    stream.write(jsontext.dumps(build_result(run)) + "\n")
