"""`fzlint audit`: lint every report under some folders in parallel and rank them.

Work goes to a process pool in small chunks; each worker builds its Linter once (initializer), so a
chunk costs only the linting. One broken file becomes a failed row with its reason; a dead worker
process is replaced by linting the rest in this process. Ctrl-C keeps what was finished.

With `previous`, last year's reports are read too, paired with this year's by issuer (or by file
name), and each pair is compared (fzlint/compare.py) for a reuse column.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

import regex

from fzlint.errors import FzlintError
from fzlint.termsafe import term

# The required parts shown as columns (其他需要报告的情况 is optional, so it is not a column).
PARTS = ("measures", "problems", "causes", "first_responsible", "next_year_plan", "three_systems")
PART_LABELS = {
    "measures": "主要举措和成效",
    "problems": "存在的不足",
    "causes": "原因分析",
    "first_responsible": "第一责任人职责",
    "next_year_plan": "下一年度安排",
    "three_systems": "三项制度",
}
MAX_CHUNK = 16  # files per task: small enough that Ctrl-C and the progress bar stay prompt


@dataclass(slots=True)
class AuditRow:
    """One report's line in the audit (picklable: workers send these back)."""

    path: str
    index: int  # position in the list of files (stable order; names per-report pages)
    status: str = "ok"  # ok | failed
    reason: str = ""
    issuer: str | None = None
    year: int | None = None
    score: int | None = None
    grade: str | None = None
    parts: dict[str, str] = field(default_factory=dict)  # part id -> heading | inline | missing
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

    ruleset: str
    use_cache: bool = True
    lang: str = "zh"
    max_bytes: int = 20 * 1024 * 1024
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

    @property
    def ok(self) -> list[AuditRow]:
        return [r for r in self.rows if r.status == "ok"]

    @property
    def failed(self) -> list[AuditRow]:
        return [r for r in self.rows if r.status == "failed"]


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


def audit_one(linter: Any, cfg: AuditConfig, index: int, path: str) -> AuditRow:
    """Lint one file into an AuditRow; any failure becomes a failed row with its reason."""
    from fzlint.ingest import load_path
    from fzlint.score import compute

    row = AuditRow(path, index)
    try:
        result = linter.lint_source(load_path(path, max_bytes=cfg.max_bytes))
        score = compute(result.findings, linter.ruleset)
    except FzlintError as exc:
        row.status, row.reason = "failed", exc.message(cfg.lang).removeprefix(f"{term(path)}: ")
        return row
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the audit
        row.status, row.reason = "failed", f"内部错误:{type(exc).__name__}: {exc}"
        return row
    meta = result.doc.meta
    row.issuer, row.year = meta.issuer, (linter.options.report_year or meta.year)
    row.score, row.grade = score.value, score.grade
    for key in PARTS:
        hit = result.elements.get(key)
        row.parts[key] = hit.status if hit is not None else "missing"
    for f in result.findings:
        row.counts[f.code] = row.counts.get(f.code, 0) + 1
        row.messages.setdefault(f.code, f.message)
        row.code_severity.setdefault(f.code, f.severity)
        row.severities[f.severity] = row.severities.get(f.severity, 0) + 1
    if cfg.fingerprints:
        from fzlint.compare import fingerprint, reuse_rules, thresholds

        row.fingerprint = fingerprint(result, thresholds(reuse_rules(linter)).min_chars).strip()
    if cfg.pages_dir and cfg.page_format and cfg.page_writer is not None:
        name = page_name(index, path, cfg.page_format)
        try:
            cfg.page_writer(cfg.page_format, result, score, linter.ruleset, cfg.lang, os.path.join(cfg.pages_dir, name))
            row.page = name
        except Exception as exc:  # noqa: BLE001 - the row still counts without its page
            row.reason = f"未能写出单独报告页面:{type(exc).__name__}: {exc}"
    return row


# ---- the pool ----------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def make_linter(cfg: AuditConfig) -> Any:
    from fzlint.engine import Linter
    from fzlint.rules.loader import load_ruleset

    return Linter(load_ruleset(cfg.ruleset, use_cache=cfg.use_cache))


def _init_worker(cfg: AuditConfig) -> None:
    # Ctrl-C is the main process's business: it stops handing out work and keeps what is done.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["cfg"] = cfg
    _WORKER["linter"] = make_linter(cfg)


def _lint_chunk(items: list[tuple[int, str]]) -> list[AuditRow]:
    linter, cfg = _WORKER["linter"], _WORKER["cfg"]
    return [audit_one(linter, cfg, i, p) for i, p in items]


def chunked(items: list[Any], jobs: int) -> list[list[Any]]:
    """Chunks of at most MAX_CHUNK, at least 4 per worker so the load evens out."""
    size = max(1, min(MAX_CHUNK, len(items) // (jobs * 4) or 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def run_pool(
    func: Callable[[list[Any]], list[Any]],
    items: list[Any],
    cfg: AuditConfig,
    jobs: int,
    progress: Progress,
    on_result: Callable[[Any], None],
) -> bool:
    """Run func over chunks of items; on_result gets each result. False when interrupted."""
    if not items:
        return True
    if jobs <= 1 or len(items) == 1:
        if "linter" not in _WORKER or _WORKER.get("cfg") != cfg:
            _WORKER["cfg"], _WORKER["linter"] = cfg, make_linter(cfg)
        try:
            for item in items:
                on_result(func([item])[0])
                progress.advance()
        except KeyboardInterrupt:
            return False
        return True
    chunks = chunked(items, jobs)
    done_items: set[int] = set()
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), initializer=_init_worker, initargs=(cfg,))
    pending: dict[Future[list[Any]], int] = {}
    try:
        for n, chunk in enumerate(chunks):
            pending[pool.submit(func, chunk)] = n
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                n = pending.pop(fut)
                for res in fut.result():
                    on_result(res)
                done_items.add(n)
                progress.advance(len(chunks[n]))
    except KeyboardInterrupt:
        pool.shutdown(wait=True, cancel_futures=True)
        for fut, n in pending.items():  # chunks that were running still count
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                for res in fut.result():
                    on_result(res)
                progress.advance(len(chunks[n]))
        return False
    except BrokenProcessPool:
        # a worker died (out of memory, a crash in a native library): finish here, one by one
        pool.shutdown(wait=False, cancel_futures=True)
        rest = [it for n, chunk in enumerate(chunks) if n not in done_items for it in chunk]
        return run_pool(func, rest, cfg, 1, progress, on_result)
    pool.shutdown(wait=True)
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
_ISSUER_NOISE = regex.compile(r"人民政府|政府|[\p{P}\p{S}\s]+")
_NAME_NOISE = regex.compile(r"\d+|年度?|法治政府建设|法治建设|情况|工作|报告|关于|的|[\p{P}\p{S}\s_]+")


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
) -> Audit:
    """Lint, rank and (with `previous` files) compare; returns whatever finished if interrupted."""
    from fzlint.rules.loader import load_ruleset

    ruleset = load_ruleset(cfg.ruleset, use_cache=cfg.use_cache)  # fails early, before any worker
    jobs = jobs or os.cpu_count() or 1
    progress = progress or _NoProgress()
    rows: list[AuditRow] = [AuditRow(p, -1, "failed", reason) for p, reason in unreadable]
    total = len(files) + len(rows)
    if cfg.pages_dir:
        os.makedirs(cfg.pages_dir, exist_ok=True)
    progress.start("检查报告", len(files))
    if previous is not None:
        cfg = dataclasses.replace(cfg, fingerprints=True)
    completed = run_pool(_lint_chunk, list(enumerate(files)), cfg, jobs, progress, rows.append)
    audit = Audit(rows, total, ruleset.id, not completed)
    audit.pages_dir, audit.page_format = cfg.pages_dir, cfg.page_format
    if completed and previous is not None:
        audit.previous_dirs = list(previous_dirs or [])
        old_rows: list[AuditRow] = []
        plain = AuditConfig(cfg.ruleset, cfg.use_cache, cfg.lang, cfg.max_bytes, fingerprints=True)
        progress.start("读取上一年度报告", len(previous))
        completed = run_pool(_lint_chunk, list(enumerate(previous)), plain, jobs, progress, old_rows.append)
        if completed:
            completed = _compare_years([r for r in rows if r.index >= 0], old_rows, make_linter(plain), progress)
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
