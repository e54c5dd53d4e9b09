"""`fzlint audit`: lint every report under some folders in parallel and rank them.

Each report is linted by the runner (fzlint/runner.py) as `fzlint check` lints it: the
configuration of its folder (select/ignore, per-file-ignores, [severity], inline `fzlint:
disable`), so a report scores the same in both. Work goes to the one process pool
(fzlint/parallel.py) in small chunks. One broken file becomes a failed row with its reason (a
worker process that dies too); a file met in a folder that is not a report is a skipped row,
not ranked. Ctrl-C keeps what was finished.

With `previous`, last year's reports are read too, paired with this year's by issuer (or by file
name), and each pair is compared (fzlint/compare.py) for a reuse column.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import regex

from fzlint.errors import FzlintError
from fzlint.parallel import MAX_CHUNK, chunked, imap
from fzlint.patterns import lazy
from fzlint.runner import Settings, lint_path, prepare_conversions
from fzlint.termsafe import term

# The parts every audit shows as columns, and their short column labels. A ruleset's other
# parts (a province's `parts:`) follow in its order, labelled by the rules that locate them;
# optional parts (其他需要报告的情况) are never columns.
PARTS = ("measures", "problems", "causes", "first_responsible", "next_year_plan", "three_systems")
PART_LABELS = {
    "measures": "主要举措和成效",
    "problems": "存在的不足",
    "causes": "原因分析",
    "first_responsible": "第一责任人职责",
    "next_year_plan": "下一年度安排",
    "three_systems": "三项制度",
}
__all__ = ["MAX_CHUNK", "Audit", "AuditConfig", "AuditRow", "chunked", "rank", "run_audit"]


@dataclass(slots=True)
class AuditRow:
    """One report's line in the audit (picklable: workers send these back)."""

    path: str
    index: int  # position in the list of files (stable order; names per-report pages)
    status: str = "ok"  # ok | failed | skipped (met in a folder, not a report: not ranked)
    reason: str = ""
    issuer: str | None = None
    year: int | None = None
    score: int | None = None
    grade: str | None = None
    parts: dict[str, str] = field(default_factory=dict)  # part id -> heading | inline | missing
    part_labels: dict[str, str] = field(default_factory=dict)  # part id -> label, parts not in PART_LABELS
    counts: dict[str, int] = field(default_factory=dict)  # rule code -> findings
    messages: dict[str, str] = field(default_factory=dict)  # rule code -> its first message here
    code_severity: dict[str, str] = field(default_factory=dict)  # rule code -> severity found
    severities: dict[str, int] = field(default_factory=dict)  # error/warning/info -> findings
    page: str | None = None  # per-report page, path relative to the pages' base folder
    rank: int | None = None
    previous: str | None = None  # last year's report it was paired with
    reuse: float | None = None  # share of its sentences found again in last year's report
    reuse_problems: float | None = None  # the same for its 存在的不足 part
    reuse_codes: list[str] = field(default_factory=list)  # reuse findings (FZ901 …)
    fingerprint: Any = None  # compare.Fingerprint while a --previous audit pairs and compares


@dataclass(slots=True)
class TopFinding:
    code: str
    name: str
    severity: str
    reports: int  # reports with at least one
    total: int  # findings in all reports
    message: str  # one example message


@dataclass(slots=True)
class AuditConfig:
    """What every worker needs to lint like the main process (picklable)."""

    settings: Settings
    lang: str = "zh"
    pages_dir: str | None = None  # write a per-report page for every report here
    page_format: str | None = None  # html | json
    page_writer: Callable[..., None] | None = None  # (fmt, result, score, ruleset, lang, path)
    fingerprints: bool = False  # keep what a comparison with last year needs (--previous)


@dataclass(slots=True)
class Audit:
    rows: list[AuditRow]
    total: int  # files found
    ruleset_id: str
    interrupted: bool = False
    top: list[TopFinding] = field(default_factory=list)
    previous_dirs: list[str] = field(default_factory=list)
    pages_dir: str | None = None
    page_format: str | None = None

    def part_columns(self) -> list[tuple[str, str]]:
        """(id, label) of the parts shown as columns: the rulesets' parts in the order the
        reports' rows list them (PARTS when no report was linted)."""
        labels = dict(PART_LABELS)
        for r in self.rows:
            for k, label in r.part_labels.items():
                labels.setdefault(k, label)
        keys = list(PARTS) if not any(r.parts for r in self.rows) else []
        for r in self.rows:
            keys.extend(k for k in r.parts if k not in keys)
        return [(k, labels.get(k, k)) for k in keys]

    @property
    def ok(self) -> list[AuditRow]:
        return [r for r in self.rows if r.status == "ok"]

    @property
    def failed(self) -> list[AuditRow]:
        return [r for r in self.rows if r.status == "failed"]

    @property
    def skipped(self) -> list[AuditRow]:
        return [r for r in self.rows if r.status == "skipped"]


class Progress(Protocol):
    def start(self, label: str, total: int) -> None: ...
    def advance(self, n: int = 1) -> None: ...


class _NoProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


# ---- one report --------------------------------------------------------------------------
def page_name(index: int, path: str, ext: str) -> str:
    """File name of a report's own page: its index keeps same-named files in two folders apart."""
    stem = regex.sub(r"[^\w\p{Han}.-]+", "_", os.path.splitext(os.path.basename(path))[0])[:60]
    return f"{index + 1:04d}_{stem}.{ext}"


def audit_one(cfg: AuditConfig, index: int, path: str, named: bool = True) -> AuditRow:
    """Lint one file into an AuditRow; any failure becomes a failed row with its reason."""
    row = AuditRow(path, index)
    report = lint_path(path, cfg.settings, named=named)
    if report.error is not None or report.result is None:
        row.status = "failed"
        row.reason = report.error.message(cfg.lang).removeprefix(f"{term(path)}: ") if report.error else ""
        return row
    if report.not_report is not None:
        row.reason = report.not_report.text(cfg.lang)
        if not report.counted:
            row.status = "skipped"
            return row
    result, score = report.result, report.score
    assert score is not None
    settings = cfg.settings
    file_cfg = settings.config_for_file(path)
    meta = result.doc.meta
    row.issuer, row.year = meta.issuer, (file_cfg["report-year"] or meta.year)
    row.score, row.grade = score.value, score.grade
    optional = {r.params.get("element") for r in result.ruleset.rules if r.params.get("optional")}
    for key in result.ruleset.part_order(dict.fromkeys([*PARTS, *result.elements])):
        hit = result.elements.get(key)
        if key in optional:
            continue
        row.parts[key] = hit.status if hit is not None else "missing"
        if key not in PART_LABELS and hit is not None:
            row.part_labels[key] = hit.label
    for f in result.findings:
        row.counts[f.code] = row.counts.get(f.code, 0) + 1
        row.messages.setdefault(f.code, f.message)
        row.code_severity.setdefault(f.code, f.severity)
        row.severities[f.severity] = row.severities.get(f.severity, 0) + 1
    if cfg.fingerprints:
        from fzlint.compare import fingerprint, reuse_rules, thresholds

        linter = settings.linter_for(file_cfg)
        row.fingerprint = fingerprint(result, thresholds(reuse_rules(linter)).min_chars).strip()
    if cfg.pages_dir and cfg.page_format and cfg.page_writer is not None:
        name = page_name(index, path, cfg.page_format)
        try:
            cfg.page_writer(cfg.page_format, result, score, result.ruleset, cfg.lang, os.path.join(cfg.pages_dir, name))
            row.page = name
        except Exception as exc:  # noqa: BLE001 - the row still counts without its page
            row.reason = f"未能写出单独报告页面:{type(exc).__name__}: {exc}"
    return row


# ---- the pool ----------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(cfg: AuditConfig, named: Container[str] | None) -> None:
    _WORKER["cfg"], _WORKER["named"] = cfg, named


def _lint_chunk(items: list[tuple[int, str]]) -> list[AuditRow]:
    cfg, named = _WORKER["cfg"], _WORKER["named"]
    return [audit_one(cfg, i, p, named is None or p in named) for i, p in items]


def _crashed(item: tuple[int, str], why: tuple[str, str]) -> AuditRow:
    index, path = item
    return AuditRow(path, index, "failed", f"内部错误:{why[0]}(请报告此问题)")


def lint_rows(
    items: list[tuple[int, str]],
    cfg: AuditConfig,
    jobs: int,
    progress: Progress,
    on_result: Callable[[AuditRow], None],
    named: Container[str] | None = None,
) -> bool:
    """Audit rows for (index, path) items, in `jobs` processes (1: in this one); on_result gets
    each row as it is done. False when interrupted (Ctrl-C): the rows done so far were given."""
    try:
        if jobs <= 1 or len(items) == 1:
            for index, path in items:
                on_result(audit_one(cfg, index, path, named is None or path in named))
                progress.advance()
            return True
        for row in imap(_lint_chunk, items, jobs, crashed=_crashed, initializer=_init_worker, initargs=(cfg, named), ordered=False):
            on_result(row)
            progress.advance()
    except KeyboardInterrupt:
        return False
    return True


# ---- ranking and summary ----------------------------------------------------------------
def rank(rows: list[AuditRow]) -> list[AuditRow]:
    """Reports by score, best first (ties share a rank, 1224 style); failed ones last."""
    ok = sorted((r for r in rows if r.status == "ok"), key=lambda r: (-(r.score or 0), r.path))
    failed = sorted((r for r in rows if r.status != "ok"), key=lambda r: r.path)
    for n, r in enumerate(ok):
        r.rank = ok[n - 1].rank if n and ok[n - 1].score == r.score else n + 1
    for r in failed:
        r.rank = None
    return ok + failed


def top_findings(rows: Iterable[AuditRow], ruleset: Any, limit: int = 10) -> list[TopFinding]:
    reports: Counter[str] = Counter()
    total: Counter[str] = Counter()
    message: dict[str, str] = {}
    severity: dict[str, Counter[str]] = {}
    for r in rows:
        for code, n in r.counts.items():
            reports[code] += 1
            total[code] += n
            message.setdefault(code, r.messages.get(code, ""))
            severity.setdefault(code, Counter())[r.code_severity.get(code, "")] += 1
        for code in r.reuse_codes:
            reports[code] += 1
            total[code] += 1
    out: list[TopFinding] = []
    for code, n in sorted(reports.items(), key=lambda t: (-t[1], -total[t[0]], t[0]))[:limit]:
        rule = ruleset.rule(code)
        sev = severity[code].most_common(1)[0][0] if code in severity else (rule.severity if rule else "warning")
        out.append(TopFinding(code, rule.name if rule else "", sev, n, total[code], message.get(code) or (rule.message if rule else "")))
    return out


# ---- pairing across years ---------------------------------------------------------------
_ISSUER_NOISE = lazy(r"人民政府|政府|[\p{P}\p{S}\s]+")
_NAME_NOISE = lazy(r"\d+|年度?|法治政府建设|法治建设|情况|工作|报告|关于|的|[\p{P}\p{S}\s_]+")


def issuer_key(issuer: str | None) -> str:
    """An issuer name without 人民政府/政府, spaces and punctuation: 新余市人民政府 -> 新余市."""
    return _ISSUER_NOISE.sub("", issuer or "")


def _name_key(path: str) -> str:
    return _NAME_NOISE.sub("", os.path.splitext(os.path.basename(path))[0])


def pair_reports(new: list[AuditRow], old: list[AuditRow], min_ratio: float = 0.6) -> dict[int, AuditRow]:
    """This year's row index -> last year's row: same issuer first, then the most similar file name."""
    pairs: dict[int, AuditRow] = {}
    taken: set[int] = set()
    by_issuer: dict[str, list[AuditRow]] = {}
    for o in old:
        if o.status == "ok" and issuer_key(o.issuer):
            by_issuer.setdefault(issuer_key(o.issuer), []).append(o)
    for n in new:
        if n.status != "ok":
            continue
        for o in by_issuer.get(issuer_key(n.issuer), []):
            if o.index not in taken and (o.year is None or n.year is None or o.year < n.year):
                pairs[n.index] = o
                taken.add(o.index)
                break
    # file names: most similar pairs first, each report used once
    cands: list[tuple[float, int, int]] = []
    rest_old = [o for o in old if o.status == "ok" and o.index not in taken]
    old_keys = {o.index: _name_key(o.path) for o in rest_old}
    for n in new:
        if n.status != "ok" or n.index in pairs:
            continue
        nk = _name_key(n.path)
        for o in rest_old:
            ok_ = old_keys[o.index]
            if nk and ok_:
                ratio = difflib.SequenceMatcher(None, nk, ok_).ratio()
                if ratio >= min_ratio:
                    cands.append((ratio, n.index, o.index))
    by_index = {o.index: o for o in rest_old}
    for _ratio, ni, oi in sorted(cands, reverse=True):
        if ni not in pairs and oi not in taken:
            pairs[ni] = by_index[oi]
            taken.add(oi)
    return pairs


# ---- the whole audit --------------------------------------------------------------------
def run_audit(
    files: list[str],
    cfg: AuditConfig,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    previous: list[str] | None = None,
    previous_dirs: list[str] | None = None,
    unreadable: Iterable[tuple[str, str]] = (),
    named: Container[str] | None = None,
) -> Audit:
    """Lint, rank and (with `previous` files) compare; returns whatever finished if interrupted.
    `named`: the files the user named (None: all); others were met in a folder walk."""
    settings = cfg.settings
    # the run's ruleset (for its id and rule names): the configuration of the first report's folder
    first = settings.config_for_file(files[0]) if files else settings.config_for(".")
    ruleset = settings.ruleset_for(first)  # fails early, before any worker
    jobs = jobs or os.cpu_count() or 1
    progress = progress or _NoProgress()
    rows: list[AuditRow] = [AuditRow(p, -1, "failed", reason) for p, reason in unreadable]
    total = len(files) + len(rows)
    if cfg.pages_dir:
        os.makedirs(cfg.pages_dir, exist_ok=True)
    progress.start("检查报告", len(files))
    if previous is not None:
        cfg = dataclasses.replace(cfg, fingerprints=True)
    prepare_conversions(files, settings)  # .doc/.wps/.rtf/.odt: one LibreOffice start for all, before workers fork
    completed = lint_rows(list(enumerate(files)), cfg, jobs, progress, rows.append, named)
    audit = Audit(rows, total, ruleset.id, not completed)
    audit.pages_dir, audit.page_format = cfg.pages_dir, cfg.page_format
    if completed and previous is not None:
        audit.previous_dirs = list(previous_dirs or [])
        old_rows: list[AuditRow] = []
        plain = AuditConfig(settings, cfg.lang, fingerprints=True)
        progress.start("读取上一年度报告", len(previous))
        completed = lint_rows(list(enumerate(previous)), plain, jobs, progress, old_rows.append)
        if completed:
            completed = _compare_years([r for r in rows if r.index >= 0], old_rows, settings.linter_for(first), progress)
        audit.interrupted = not completed
    for r in rows:
        r.fingerprint = None  # the unpaired ones
    audit.rows = rank(audit.rows)
    audit.top = top_findings(audit.rows, ruleset)
    return audit


def _compare_years(rows: list[AuditRow], old_rows: list[AuditRow], linter: Any, progress: Progress) -> bool:
    """Pair this year's reports with last year's and measure the reuse (in this process: the
    fingerprints are already here and a comparison takes a few milliseconds)."""
    from fzlint.compare import compare_fingerprints, reuse_rules

    rules = reuse_rules(linter)
    pairs = pair_reports(rows, old_rows)
    by_index = {r.index: r for r in rows}
    progress.start("与上一年度比对", len(pairs))
    try:
        for i, old in sorted(pairs.items()):
            row = by_index[i]
            row.previous = old.path
            if row.fingerprint is not None and old.fingerprint is not None:
                c = compare_fingerprints(old.fingerprint, row.fingerprint, rules)
                problems = c.part("problems")
                row.reuse = c.whole.share
                row.reuse_problems = problems.share if problems and problems.sentences else None
                row.reuse_codes = [f.code for f in c.findings]
            row.fingerprint = old.fingerprint = None  # each is compared once: free it now
            progress.advance()
    except KeyboardInterrupt:
        return False
    return True


def iter_failed_inputs(missing: Iterable[tuple[str, FzlintError]], lang: str) -> Iterator[tuple[str, str]]:
    for path, err in missing:
        yield path, err.message(lang).removeprefix(f"{term(path)}: ")
