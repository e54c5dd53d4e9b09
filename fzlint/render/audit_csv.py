"""`fzlint audit --format csv`: one row per report (a file gets a UTF-8 BOM so that Excel reads Chinese).

Cells that a spreadsheet would run as a formula (a file named `=HYPERLINK(…).txt`, an issuer
starting with `+`) get a leading `'`, as OWASP's CSV Injection page recommends: Excel, LibreOffice
and WPS then show the text instead of evaluating it."""

from __future__ import annotations

import csv
from typing import IO

from fzlint.audit import PARTS, Audit
from fzlint.render.audit_json import page_href

COLUMNS = ["rank", "path", "issuer", "year", "score", "grade", "status", "reason", *PARTS, "errors", "warnings", "infos", "findings", "page"]  # with the built-in parts
PREVIOUS_COLUMNS = ["previous", "reuse", "reuse_problems"]
# OWASP's list (= + - @ tab CR) and the full-width forms that Chinese input methods type and
# spreadsheets in a CJK locale also accept as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def cell(value: object) -> object:
    """A cell value that a spreadsheet will not evaluate (numbers pass through)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def render_audit(audit: Audit, stream: IO[str], *, base: str = "", color: str = "auto", to_file: bool = False) -> None:
    if to_file:
        stream.write("\ufeff")  # a file is opened in Excel, which needs the BOM to read UTF-8
    parts = [k for k, _ in audit.part_columns()]
    at = COLUMNS.index(PARTS[0])
    cols = [*COLUMNS[:at], *parts, *COLUMNS[at + len(PARTS) :]] + (PREVIOUS_COLUMNS if audit.previous_dirs else [])
    w = csv.DictWriter(stream, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in audit.rows:
        row: dict[str, object] = {
            "rank": r.rank or "",
            "path": r.path,
            "issuer": r.issuer or "",
            "year": r.year or "",
            "score": "" if r.score is None else r.score,
            "grade": r.grade or "",
            "status": r.status,
            "reason": r.reason,
            "errors": r.severities.get("error", 0),
            "warnings": r.severities.get("warning", 0),
            "infos": r.severities.get("info", 0),
            "findings": " ".join(f"{c}×{n}" if n > 1 else c for c, n in sorted(r.counts.items())),
            "page": page_href(audit, r, base) or "",
        }
        for k in parts:
            row[k] = r.parts.get(k, "") if r.status == "ok" else ""
        if audit.previous_dirs:
            row.update(
                previous=r.previous or "",
                reuse="" if r.reuse is None else f"{r.reuse:.3f}",
                reuse_problems="" if r.reuse_problems is None else f"{r.reuse_problems:.3f}",
            )
        w.writerow({k: cell(v) for k, v in row.items()})
