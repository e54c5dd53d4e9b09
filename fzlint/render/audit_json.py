"""`fzlint audit --format json`: the ranking, part coverage and most frequent findings."""

from __future__ import annotations

from typing import IO, Any

from fzlint import __version__
from fzlint.audit import Audit, AuditRow
from fzlint.render import jsontext


def page_href(audit: Audit, row: AuditRow, base: str) -> str | None:
    """Link to a report's own page, relative to where the audit output is written."""
    if row.page is None:
        return None
    return f"{base.rstrip('/')}/{row.page}" if base else row.page


def score_histogram(audit: Audit) -> list[dict[str, int]]:
    """Reports per score band: 0–9, 10–19, …, 90–100."""
    bins = [0] * 10
    for r in audit.ok:
        bins[min(9, (r.score or 0) // 10)] += 1
    return [{"from": 10 * i, "to": 100 if i == 9 else 10 * i + 9, "count": n} for i, n in enumerate(bins)]


def row_payload(audit: Audit, r: AuditRow, base: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rank": r.rank,
        "path": r.path,
        "status": r.status,
        "reason": r.reason or None,
        "issuer": r.issuer,
        "year": r.year,
        "score": r.score,
        "grade": r.grade,
        "parts": {k: r.parts.get(k) for k, _ in audit.part_columns()} if r.status == "ok" else {},
        "errors": r.severities.get("error", 0),
        "warnings": r.severities.get("warning", 0),
        "infos": r.severities.get("info", 0),
        "findings": dict(sorted(r.counts.items())),
        "page": page_href(audit, r, base),
    }
    if audit.previous_dirs:
        out.update(previous=r.previous, reuse=_round(r.reuse), reuse_problems=_round(r.reuse_problems), reuse_findings=r.reuse_codes)
    return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def audit_payload(audit: Audit, base: str = "") -> dict[str, Any]:
    scores = [r.score or 0 for r in audit.ok]
    return {
        "fzlint": __version__,
        "ruleset": audit.ruleset_id,
        "total": audit.total,
        "finished": len(audit.rows),
        "failed": len(audit.failed),
        "interrupted": audit.interrupted,
        "mean_score": round(sum(scores) / len(scores), 1) if scores else None,
        "parts": [{"id": k, "label": label} for k, label in audit.part_columns()],
        "previous": audit.previous_dirs or None,
        "reports": [row_payload(audit, r, base) for r in audit.rows],
        "top_findings": [
            {"code": t.code, "name": t.name, "severity": t.severity, "reports": t.reports, "total": t.total, "message": t.message}
            for t in audit.top
        ],
        "score_histogram": score_histogram(audit),
    }


def render_audit(audit: Audit, stream: IO[str], *, base: str = "", color: str = "auto", to_file: bool = False) -> None:
    stream.write(jsontext.dumps(audit_payload(audit, base)) + "\n")
