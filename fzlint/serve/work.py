"""What a check does, in the child process forked for one request (see jobs.py).

The request's folder holds the uploads as the server received them (in/000, in/001 …) and
`job.pickle`; the child unpacks zips into files/, lints through the runner, renders with the
existing renderers, and writes `result.pickle` (the pages gzipped, the annotated .docx) for the
server to keep in memory. Nothing is written anywhere else: the readers' temporary files go to the
checking process's own temp folder, LibreOffice conversions are not cached, and the server removes
the request's folder when it has answered.
"""

from __future__ import annotations

import gzip
import io
import os
import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fzlint.errors import FzlintError
from fzlint.runner import Settings

HTML = "text/html; charset=utf-8"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ServeSettings(Settings):
    """Every upload is checked with the configuration of the folder the server was started in
    (fzlint.toml found upward from there, the command line's options on top), wherever the
    upload sits on disk; converted copies of uploads are never cached."""

    def __init__(self, root: str, overrides: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(overrides, **kwargs)
        self.root = os.path.abspath(root)

    def config_for(self, folder: str) -> Any:
        return super().config_for(self.root)

    def configure_readers(self, path: str) -> None:
        from fzlint.ingest import formats

        super().configure_readers(path)
        # an upload is not kept: no LibreOffice conversion of it lands in the user's cache
        formats.configure(formats.CONVERT["soffice"], formats.CONVERT["timeout"], use_cache=False)


@dataclass(slots=True)
class Upload:
    name: str  # the file's own name, cleaned (shown on the pages)
    file: str  # where it was stored, relative to the request's folder
    kind: str  # report | zip | unsupported
    size: int


@dataclass(slots=True)
class Job:
    uploads: list[Upload]
    mode: str  # report | audit | annotate
    keep_until: str  # HH:MM, shown on the pages


@dataclass(slots=True)
class Outcome:
    """What the server shows: a page (kind report/audit) kept under a token with its other files,
    or an error page (status >= 400). `files`: name -> (content type, bytes, gzipped); "" is the
    main page."""

    kind: str  # report | audit | annotate | error
    status: int = 200
    title: str = ""
    message: str = ""
    files: dict[str, tuple[str, bytes, bool]] = field(default_factory=dict)
    view_anyway: bool = False  # error with files: the result can still be opened (not a report)
    seconds: float = 0.0


def _gz(html: str) -> tuple[str, bytes, bool]:
    return HTML, gzip.compress(html.encode("utf-8"), 1), True  # level 1: ~5x faster, ~15% larger


def _error(status: int, title: str, message: str) -> Outcome:
    return Outcome("error", status, title, message)


# ---- in the checking process, once ------------------------------------------------------------
# Linted once at start, never shown: what a lint loads lazily (modules, compiled patterns, the
# readers) is then loaded in the checking process and every child inherits it.
WARM_UP_TEXT = """某某县人民政府关于2023年度法治政府建设情况的报告

2023年,某某县坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻习近平法治思想。现将有关情况报告如下。
一、主要举措和成效
(一)全面落实行政执法“三项制度”。严格执行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度,全年办理行政复议案件12件。
(二)党政主要负责人履行推进法治建设第一责任人职责情况。县委书记、县长认真履行第一责任人职责,召开常务会议专题研究法治政府建设4次。
二、存在的不足和原因
一是行政执法规范化水平有待提高;二是基层法治力量薄弱。产生上述问题的原因主要是学习培训不够深入。
三、2024年主要安排
(一)深化行政执法体制改革。(二)加强法治宣传教育。

某某县人民政府
2024年2月20日
"""


def warm(settings: ServeSettings) -> None:
    """Build the linter, import what every check needs and lint a sample once, so each forked
    child starts warm."""
    from fzlint.render import Run, render_run
    from fzlint.runner import lint_bytes

    settings.linter_for(settings.config_for(settings.root))
    report = lint_bytes(WARM_UP_TEXT.encode("utf-8"), "warm-up.txt", settings)
    if report.result is not None and report.score is not None:
        render_run("html", Run([(report.result, report.score)], report.result.ruleset, color="never"), io.StringIO())
    # the same text as a Word file (built in memory): the .docx reader and the layout rules warm too
    # (a seed .docx's check in a child: ~600 ms instead of ~800 ms here)
    import docx

    document = docx.Document()
    for line in WARM_UP_TEXT.splitlines():
        document.add_paragraph(line)
    blob = io.BytesIO()
    document.save(blob)
    report = lint_bytes(blob.getvalue(), "warm-up.docx", settings)
    if annotate_available() and report.result is not None and report.score is not None:
        annotated_docx(report.result, report.score, blob.getvalue())
    import fzlint.audit
    import fzlint.ingest.docx
    import fzlint.render.audit_html
    import fzlint.render.html_report
    import fzlint.serve.archive
    import fzlint.serve.pages  # noqa: F401

    for name in ("docx", "fzlint.ingest.pdf", "fzlint.ingest.html", "fzlint.annotate"):
        try:
            __import__(name)
        except Exception:  # noqa: BLE001, S112 - imported on first use instead
            continue


# ---- in the child, per request ----------------------------------------------------------------
def run_job(folder: str, settings: ServeSettings, limits: Any) -> None:
    """Do the job in `folder` and write its Outcome (see the module docstring)."""
    started = time.perf_counter()
    base = Path(folder)
    job: Job = pickle.loads((base / "job.pickle").read_bytes())
    try:
        if job.mode == "report":
            outcome = _report(base, job, settings)
        elif job.mode == "annotate":
            outcome = _annotate(base, job, settings)
        else:
            outcome = _audit(base, job, settings, limits)
    except FzlintError as exc:  # the run's own set-up (a config file changed since start)
        outcome = _error(500, "无法检查", exc.zh)
    outcome.seconds = time.perf_counter() - started
    tmp = base / "result.pickle.tmp"
    tmp.write_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, base / "result.pickle")


def annotate_available() -> bool:
    """Whether this fzlint has --annotate (fzlint/annotate.py)."""
    from fzlint.serve.pages import can_annotate

    return can_annotate()


def annotated_docx(result: Any, score: Any, data: bytes) -> tuple[bytes | None, str | None]:
    """The report with its findings as Word comments (fzlint --annotate), or why not. (None, None)
    when this fzlint has no --annotate."""
    try:
        from fzlint.annotate import annotate_bytes  # type: ignore[import-not-found,unused-ignore]  # the annotate branch
    except ImportError:
        return None, None
    try:
        blob, _stats = annotate_bytes(result, score, data=data, lang="zh")
    except FzlintError as exc:
        return None, f"未能生成带批注的 Word 文档:{exc.zh}"
    except Exception as exc:  # noqa: BLE001 - the page is still shown
        return None, f"未能生成带批注的 Word 文档(内部错误:{type(exc).__name__}: {exc})"
    return blob, None


def download_name(name: str) -> str:
    try:
        from fzlint.annotate import SUFFIX  # type: ignore[import-not-found,unused-ignore]  # the annotate branch
    except ImportError:
        SUFFIX = ".fzlint.docx"
    return os.path.splitext(name)[0] + SUFFIX


def _report(base: Path, job: Job, settings: ServeSettings) -> Outcome:
    from fzlint.render import Run, render_run
    from fzlint.runner import lint_bytes
    from fzlint.serve.pages import bar, with_bar

    up = job.uploads[0]
    data = (base / up.file).read_bytes()
    report = lint_bytes(data, up.name, settings)
    if report.error is not None or report.result is None or report.score is None:
        why = report.error.zh if report.error is not None else "没有得到检查结果"
        return _error(422, "无法读取这份文件", f"{up.name}:{why}")
    result, score = report.result, report.score
    page = io.StringIO()
    render_run("html", Run([(result, score)], result.ruleset, color="never", lang="zh"), page)
    notes = [f"提示:{n}" for n in result.source.notes]
    download = None
    if annotate_available():
        # made when the link is followed (a check of its own): the page comes back sooner
        download = (download_name(up.name), "下载带批注的 Word 文档(.docx)")
    files = {"": _gz(with_bar(page.getvalue(), bar(back="../../", keep_until=job.keep_until, download=download, notes=notes)))}
    if report.not_report is not None:
        if "fzlint" in report.not_report.zh:  # fzlint's own output saved and uploaded
            why = f"{up.name} 是 fzlint 生成的检查结果,不是报告本身,因此没有评分。请上传报告的 Word、PDF 或文本文件。"
        else:
            why = (
                f"{up.name} 看起来不是法治政府建设年度报告:标题和开头没有“法治”“依法行政”等字样,也没有找到报告的必备部分,"
                "因此没有评分。请确认上传的是年度报告正文;如确实是报告,可以仍然查看检查结果(仅供参考)。"
            )
        out = _error(422, "这份文件不像法治政府建设年度报告", why)
        out.files, out.view_anyway = files, True
        return out
    return Outcome("report", files=files)


def _annotate(base: Path, job: Job, settings: ServeSettings) -> Outcome:
    """The annotated .docx of a report checked a moment ago (its bytes kept with its page)."""
    from fzlint.runner import lint_bytes

    up = job.uploads[0]
    data = (base / up.file).read_bytes()
    report = lint_bytes(data, up.name, settings)
    if report.result is None or report.score is None:
        why = report.error.zh if report.error is not None else "没有得到检查结果"
        return _error(422, "无法生成带批注的 Word 文档", f"{up.name}:{why}")
    blob, why_not = annotated_docx(report.result, report.score, data)
    if blob is None:
        return _error(422, "无法生成带批注的 Word 文档", why_not or "这个版本的 fzlint 不能生成带批注的 Word 文档。")
    return Outcome("annotate", files={download_name(up.name): (DOCX, blob, False)})


def _audit(base: Path, job: Job, settings: ServeSettings, limits: Any) -> Outcome:
    from fzlint.audit import AuditConfig, run_audit
    from fzlint.render.audit_html import render_audit
    from fzlint.render.audit_pages import write_report_page
    from fzlint.runner import supported_suffixes
    from fzlint.serve.archive import Refused, clean_component, unique, unpack
    from fzlint.serve.pages import bar, with_bar

    files_dir = base / "files"
    pages_dir = base / "pages"
    files_dir.mkdir()
    pages_dir.mkdir()
    os.chdir(files_dir)  # the pages show each report by its name (and folder in the zip)
    suffixes = supported_suffixes()
    taken: set[str] = set()
    paths: list[str] = []
    failed: list[tuple[str, str]] = []
    not_checked: list[str] = []
    left_files = limits.max_files - sum(1 for u in job.uploads if u.kind == "report")
    left_bytes = limits.max_total - sum(u.size for u in job.uploads if u.kind == "report")
    one_zip = len(job.uploads) == 1
    for up in job.uploads:
        if up.kind == "unsupported":
            failed.append((up.name, f"不支持的文件类型({os.path.splitext(up.name)[1] or '无扩展名'}),未检查"))
        elif up.kind == "report":
            rel = unique(clean_component(up.name), taken)
            os.replace(base / up.file, files_dir / rel)
            paths.append(rel)
        else:
            prefix = "" if one_zip else clean_component(os.path.splitext(up.name)[0])
            try:
                got = unpack((base / up.file).read_bytes(), up.name, files_dir, prefix, suffixes,
                             max_file=limits.max_file, max_total=left_bytes, max_files=left_files, taken=taken)
            except Refused as exc:
                return _error(exc.status, exc.title, exc.message)
            (base / up.file).unlink()
            paths += got.files
            failed += got.failed
            not_checked += [n if one_zip else f"{up.name}:{n}" for n in got.not_checked]
            left_files -= len(got.files) + len(got.failed)
            left_bytes -= got.size
    if not paths and not failed:
        listed = f"(压缩包中的文件:{'、'.join(not_checked[:10])}{' 等' if len(not_checked) > 10 else ''})" if not_checked else ""
        return _error(400, "没有可检查的报告", f"上传的内容中没有可检查的报告文件{listed}。支持的类型:{' '.join(sorted(suffixes))}。")
    cfg = AuditConfig(settings, lang="zh", pages_dir=str(pages_dir), page_format="html", page_writer=write_report_page)
    # named=set(): like files met in a folder, what is not a report is listed, not ranked
    audit = run_audit(paths, cfg, jobs=limits.jobs, unreadable=failed, named=set())
    if not audit.ok and not audit.failed:
        names = "、".join(r.path for r in audit.skipped[:10]) + (f" 等 {len(audit.skipped)} 个文件" if len(audit.skipped) > 10 else "")
        return _error(
            422,
            "上传的文件都不像法治政府建设年度报告",
            f"{names} 看起来都不是法治政府建设年度报告(标题和开头没有“法治”“依法行政”等字样,也没有找到报告的必备部分),"
            "没有可以排名的报告。请确认上传的是年度报告正文。",
        )
    page = io.StringIO()
    render_audit(audit, page, base="", color="never", to_file=True)
    notes = []
    if not_checked:
        shown = "、".join(not_checked[:20]) + (f" 等 {len(not_checked)} 个" if len(not_checked) > 20 else "")
        notes.append(f"未检查(不是支持的报告类型):{shown}")
    files = {"": _gz(with_bar(page.getvalue(), bar(back="../../", keep_until=job.keep_until, notes=notes)))}
    report_bar = bar(back="../../", keep_until=job.keep_until, summary="./")
    for row in audit.rows:
        if row.page:
            html = (pages_dir / row.page).read_text(encoding="utf-8")
            files[row.page] = _gz(with_bar(html, report_bar))
    return Outcome("audit", files=files)
