"""The runner: every front door lints through here (`fzlint check`, `-j`, `--fix`/`--diff`,
`audit`, `compare`; a web page or an editor server the same way).

    settings = Settings()                               # or Settings(overrides={...}) from a CLI
    report = lint_path("report.docx", settings)         # a file
    report = lint_bytes(data, "upload.docx", settings)  # a web upload, stdin
    report = lint_text(text, "buffer.md", settings)     # an editor's buffer
    found = walk(["reports/"], settings)                # folders walked: exclude, odd files
    for report in iter_reports(found.files, settings, jobs=2, named=found.named): ...

Each file is linted with the configuration of its folder (fzlint.toml found upward, the command
line's overrides on top): select/ignore, the ruleset, per-file-ignores, inline `fzlint: disable`
directives, [severity] and fail-under, then scored. A `FileReport` carries the outcome or the
file's error: nothing one file does escapes as an exception (MemoryError, RecursionError, a bug
in a reader or a rule, a worker process that dies), so one bad file never stops a run. Errors
in the run's own set-up (an invalid config file or ruleset) do raise: they concern every file.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable, Container, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from fzlint.errors import FzlintError, InputError, RulesetError

if TYPE_CHECKING:
    from fzlint.config import Config
    from fzlint.engine import FileResult, Linter
    from fzlint.fix import FixOutcome
    from fzlint.ingest.source import Source
    from fzlint.rules.model import Finding, Ruleset
    from fzlint.score import Score

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class Note(NamedTuple):
    """A remark about one file, in both languages."""

    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


# Why a file is not an annual report: met in a folder walk (not listed, scored or ranked), and
# named by the user (linted all the same).
NOT_A_REPORT = Note("不像法治政府建设年度报告,未评分", "does not look like an annual rule-of-law report; not scored")
OWN_OUTPUT = Note("这是 fzlint 生成的检查结果,不是报告,未评分", "this is fzlint's own output, not a report; not scored")
_NAMED = {
    NOT_A_REPORT: Note("不像法治政府建设年度报告,以下结果仅供参考", "does not look like an annual rule-of-law report; the findings may not apply"),
    OWN_OUTPUT: Note("这是 fzlint 生成的检查结果,不是报告,以下结果仅供参考", "this is fzlint's own output, not a report; the findings may not apply"),
}


# ---- settings ------------------------------------------------------------------------------
class Settings:
    """What a run is given, and the configuration it resolves per folder.

    `overrides` holds the config keys given on the command line (fzlint.toml key -> value; None
    or absent: not given); they win over every config file. Configurations, rulesets and linters
    are built once per folder / distinct configuration and kept for the run (not pickled)."""

    def __init__(
        self,
        overrides: dict[str, Any] | None = None,
        *,
        isolated: bool = False,
        use_cache: bool = True,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timings: dict[str, float] | None = None,
        config_file: str | None = None,
    ) -> None:
        self.overrides = dict(overrides or {})
        self.isolated = isolated  # no config file is read
        self.config_file = config_file  # --config: this file only, no search upward
        self.use_cache = use_cache  # the ruleset cache
        self.max_bytes = max_bytes
        self.timings = timings  # --profile-rules: seconds per rule, summed over every linter
        self._configs: dict[str, Config] = {}
        self._rulesets: dict[str, Ruleset] = {}
        self._linters: dict[tuple[Any, ...], Linter] = {}

    def __getstate__(self) -> dict[str, Any]:
        # workers started by spawn build their own (fork ones inherit the parent's)
        state = dict(self.__dict__)
        state.update(_configs={}, _rulesets={}, _linters={})
        return state

    def config_for(self, folder: str) -> Config:
        """The effective configuration for files in `folder`."""
        from fzlint import config

        key = os.path.abspath(folder)
        cfg = self._configs.get(key)
        if cfg is None:
            cfg = self._configs[key] = config.resolve(key, self.overrides, isolated=self.isolated, config_file=self.config_file)
        return cfg

    def config_for_file(self, path: str) -> Config:
        return self.config_for(os.path.dirname(path) or ".")

    def ruleset_choice(self, cfg: Config) -> tuple[str, Path | None]:
        """The configuration's ruleset as an absolute path (a path in a config file is relative
        to that file; on the command line, to the current folder), and the folder its files must
        lie in: a config file's own folder tree when a config file chose it, else None
        (rules/loader.py: check_confined)."""
        from fzlint.rules.loader import resolve

        setting = cfg.settings["ruleset"]
        from_file = setting.origin not in ("default", "command line")
        confine = setting.base if from_file else None
        return str(resolve(setting.value, confine, confine=confine, asked_by=setting.origin if from_file else "")), confine

    def ruleset_for(self, cfg: Config) -> Ruleset:
        from fzlint.rules.loader import load_ruleset

        ref, confine = self.ruleset_choice(cfg)
        key = f"{ref}\0{confine}"
        rs = self._rulesets.get(key)
        if rs is None:
            rs = self._rulesets[key] = load_ruleset(ref, use_cache=self.use_cache, confine=confine)
        return rs

    def linter_for(self, cfg: Config) -> Linter:
        """The Linter for a configuration, built once per distinct selection and options."""
        from fzlint import config
        from fzlint.engine import Linter, Selection
        from fzlint.rules.context import Options

        rs = cfg.settings["ruleset"]
        key = (rs.value, rs.base, tuple(cfg["select"]), tuple(cfg["ignore"]), tuple(cfg["extend-select"]), cfg["report-year"], cfg["published"])
        linter = self._linters.get(key)
        if linter is None:
            check_codes(cfg, self.ruleset_for(cfg))
            linter = Linter(
                self.ruleset_for(cfg),
                Selection(list(cfg["select"]), list(cfg["ignore"]), list(cfg["extend-select"])),
                Options(report_year=cfg["report-year"], published=config.as_date(cfg["published"])),
            )
            linter.timings = self.timings
            self._linters[key] = linter
        return linter

    def configure_readers(self, path: str) -> None:
        """Tell the readers what the file's configuration says (LibreOffice's path and time limit)."""
        from fzlint.ingest import formats

        cfg = self.config_for_file(path)
        exe = cfg["soffice"]
        if exe and os.sep in exe and not os.path.isabs(exe):
            exe = str(cfg.base("soffice") / exe)  # relative to the config file's folder
        formats.configure(exe, cfg["soffice-timeout"], use_cache=self.use_cache)

    def excluded(self, path: str) -> bool:
        """Whether the `exclude` globs of the file's folder cover it."""
        from fzlint import config

        return config.excluded(path, self.config_for_file(path))


def check_codes(cfg: Config, ruleset: Ruleset) -> None:
    """Every code or prefix in select/ignore/extend-select/per-file-ignores/[severity] names at
    least one rule of the ruleset; otherwise a ConfigError naming the nearest code (as ruff does):
    a typo such as `FZ1O3` would silently select nothing."""
    codes = [r.code for r in ruleset.rules]
    for key in ("select", "extend-select", "ignore", "per-file-ignores", "severity"):
        value = cfg[key]
        given = [c for cs in value.values() for c in cs] if key == "per-file-ignores" else list(value)
        for code in given:
            code = str(code).upper()
            if any(c.startswith(code) for c in codes):
                continue
            raise _unknown_code(code, key, cfg.settings[key].origin, codes)


def _unknown_code(code: str, key: str, origin: str, codes: list[str]) -> Exception:
    from fzlint.config import ConfigError

    where = f"--{key}" if origin == "command line" else f"{origin}: {key}"
    near = sorted(codes, key=lambda c: (_distance(code, c), c))[:1]
    hint_zh = f";最接近的是 {near[0]}" if near else ""
    hint_en = f"; did you mean {near[0]}?" if near else ""
    return ConfigError(
        f"{where}:未知的规则代码或前缀 {code}{hint_zh}(用 fzlint rules 查看全部规则)",
        f"{where}: unknown rule code or prefix {code}{hint_en} (see fzlint rules)",
    )


_LOOKALIKE = {frozenset("O0"), frozenset("I1"), frozenset("L1"), frozenset("Z2"), frozenset("S5"), frozenset("B8")}


def _distance(a: str, b: str) -> float:
    """Edit distance where swapping look-alike characters (O/0, I/1) costs half."""
    prev = [float(j) for j in range(len(b) + 1)]
    for i, ca in enumerate(a, 1):
        cur = [float(i)]
        for j, cb in enumerate(b, 1):
            sub = 0.0 if ca == cb else 0.5 if frozenset((ca, cb)) in _LOOKALIKE else 1.0
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + sub))
        prev = cur
    return prev[-1]


# ---- one file's outcome --------------------------------------------------------------------
@dataclass(slots=True)
class FileReport:
    """What one file came to: its findings (after the configuration's selection, per-file-ignores,
    inline directives and [severity]) and score, or its error, or both when a file was linted but
    could not be fixed."""

    path: str  # as given (the name, for bytes and text)
    result: FileResult | None = None
    score: Score | None = None
    below_fail_under: bool = False
    suppressed: tuple[int, int] = (0, 0)  # findings switched off by inline directives, per-file-ignores
    error: FzlintError | None = None
    not_report: Note | None = None  # why the file does not look like an annual report
    counted: bool = True  # False: met in a folder walk and not a report; not listed or ranked
    fix: FixOutcome | None = None  # --fix/--diff: what was (or would be) changed
    fix_note: str | None = None  # --fix/--diff: why the file was left alone

    @property
    def ok(self) -> bool:
        return self.error is None and self.result is not None

    @property
    def notes(self) -> list[Note]:
        """Remarks for the user besides the findings (shown on stderr by the CLI)."""
        return [self.not_report] if self.not_report is not None else []


def internal_error(exc: BaseException, path: str) -> InputError:
    """An unexpected exception while handling one file, as that file's error."""
    name = type(exc).__name__
    if isinstance(exc, MemoryError):
        return InputError(
            "内存不足:处理这个文件时内存耗尽(MemoryError),文件可能过大或结构异常;其他文件照常检查",
            "out of memory while processing this file (MemoryError); it may be too large or malformed",
            path=path,
        )
    what = f"{name}: {exc}"
    return InputError(f"内部错误:{what}(请报告此问题)", f"internal error: {what}", path=path)


def _fatal(exc: FzlintError) -> bool:
    """Errors about the run's set-up (config files, rulesets), not about one file: they stop the run."""
    from fzlint.config import ConfigError

    return isinstance(exc, (RulesetError, ConfigError))


# ---- linting -------------------------------------------------------------------------------
def lint_source(src: Source, settings: Settings, *, named: bool = True) -> FileReport:
    """Lint a loaded source with its folder's configuration. `named`: the user named this file
    (it is scored even when it does not look like a report); False for files met in a walk."""
    path = src.path
    try:
        cfg = settings.config_for_file(path)
        linter = _silencing(settings, cfg, path)
        result = linter.lint_source(src)
        return _finish(FileReport(path, result, suppressed=linter.counts), cfg, named)
    except FzlintError as exc:
        if _fatal(exc):
            raise
        return FileReport(path, error=exc)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the run
        return FileReport(path, error=internal_error(exc, path))


def lint_path(path: str, settings: Settings, *, named: bool = True) -> FileReport:
    """Read and lint one file (any supported format). `named`: see lint_source; an HTML report
    fzlint wrote, met in a walk, is not even read."""
    own_html = _own_html_file(path)
    if own_html and not named:
        return FileReport(path, not_report=OWN_OUTPUT, counted=False)
    src = _load(path, settings, named)
    if isinstance(src, FileReport):
        return src
    report = lint_source(src, settings, named=named)
    if own_html and report.error is None:
        report.not_report = _NAMED[OWN_OUTPUT]
    return report


def lint_bytes(data: bytes, name: str, settings: Settings, *, named: bool = True) -> FileReport:
    """Lint a file's content (a web upload, stdin, a file read once for --annotate); `name`'s
    suffix picks the reader and its folder the configuration. `named`: see lint_source."""
    from fzlint.ingest import load_data

    def read() -> Source:
        if len(data) > settings.max_bytes:
            from fzlint.ingest.source import read_limited

            read_limited(io.BytesIO(data), settings.max_bytes, name)  # raises "too large"
        return load_data(data, name)

    src = _read(name, settings, read)
    if isinstance(src, FileReport):
        return src
    report = lint_source(src, settings, named=named)
    if _own_html(data[:4096], name) and report.error is None:
        report.not_report = _NAMED[OWN_OUTPUT]
    return report


def lint_text(text: str, name: str, settings: Settings) -> FileReport:
    """Lint text (an editor's buffer) as the plain-text or Markdown file `name`."""
    from fzlint.ingest import load_bytes

    fmt = "md" if Path(name).suffix.lower() in (".md", ".markdown") else "txt"
    src = _read(name, settings, lambda: load_bytes(text.encode("utf-8", "surrogatepass"), name, fmt))
    return src if isinstance(src, FileReport) else lint_source(src, settings)


def fix_path(
    path: str, settings: Settings, *, write: bool, data: bytes | None = None, named: bool = True, roots: Sequence[str] | None = None
) -> FileReport:
    """--fix (`write`) or --diff: apply the certain fixes of a plain-text file's findings in
    rounds; the report carries the fix outcome and the findings of the text as it now stands.
    `data`: the file's content when it is not on disk (stdin; then nothing is written). A file
    met in a walk that is not a report (a README.md among the reports) is left alone. `roots`:
    the paths the user asked to fix; a symlink pointing outside them is not written through
    (fix.fix_roots; default: the file's own folder)."""
    from fzlint.fix import FixError, encode, fix_roots, fix_source, fixable, write_atomic
    from fzlint.ingest import load_bytes, load_data

    src = _load(path, settings, True) if data is None else _read(path, settings, lambda: load_data(data, path))
    if isinstance(src, FileReport):
        return src
    cfg = settings.config_for_file(path)
    linter = _silencing(settings, cfg, path)
    reason = fixable(src)
    if reason is not None:
        report = lint_source(src, settings, named=named)
        report.fix_note = reason
        return report
    if not named:
        report = lint_source(src, settings, named=False)
        if not report.counted:
            return report
    try:
        if data is None:
            # the bytes the fix is computed from: write_atomic refuses if the file changes meanwhile
            data = Path(path).read_bytes()
            src = load_bytes(data, path, src.format)
            on_disk = True
        else:
            on_disk = False
        outcome = fix_source(src, linter)
        if outcome.changed and write and on_disk:
            write_atomic(path, encode(outcome.fixed, src), expected_old=data, roots=fix_roots(roots if roots is not None else [path]))
        assert outcome.result is not None
        report = _finish(FileReport(path, outcome.result, suppressed=linter.counts, fix=outcome), cfg, named)
    except FixError as exc:
        report = lint_source(src, settings)
        report.error = exc
    except OSError as exc:
        from fzlint.ingest.source import os_error

        return FileReport(path, error=os_error(exc, path))
    except FzlintError as exc:
        if _fatal(exc):
            raise
        return FileReport(path, error=exc)
    except Exception as exc:  # noqa: BLE001
        return FileReport(path, error=internal_error(exc, path))
    return report


def settle(findings: list[Finding], src: Source, path: str, cfg: Config) -> list[Finding]:
    """Findings made outside a lint (a comparison with last year's report) treated as a lint's
    are: inline directives, per-file-ignores and [severity] of the file's configuration."""
    from fzlint import config, suppress

    kept, _n = suppress.apply(findings, src)
    ignored = config.ignored_codes(path, cfg)
    kept = [f for f in kept if not any(f.code.startswith(c) for c in ignored)]
    for f in kept:
        f.severity = config.severity_for(f.code, cfg) or f.severity
    return kept


def _load(path: str, settings: Settings, named: bool) -> Source | FileReport:
    from fzlint.ingest import load_path

    return _read(path, settings, lambda: load_path(path, max_bytes=settings.max_bytes))


def _read(name: str, settings: Settings, read: Callable[[], Source]) -> Source | FileReport:
    """Read one file with the readers `settings` configure for it; any failure is that file's
    error row (a reader's bug, MemoryError and RecursionError included), never the run's."""
    try:
        settings.configure_readers(name)
        return read()
    except FzlintError as exc:
        return FileReport(name, error=exc)
    except Exception as exc:  # noqa: BLE001 - reported for this file
        return FileReport(name, error=internal_error(exc, name))


def _silencing(settings: Settings, cfg: Config, path: str) -> Any:
    from fzlint import config, suppress

    return suppress.Silencing(settings.linter_for(cfg), config.ignored_codes(path, cfg))


def _finish(report: FileReport, cfg: Config, named: bool) -> FileReport:
    """Score the result, apply [severity], and tell whether the file looks like a report."""
    from fzlint import config
    from fzlint.score import compute

    result = report.result
    assert result is not None
    report.score = compute(result.findings, result.ruleset)
    report.below_fail_under = cfg["fail-under"] is not None and report.score.value < cfg["fail-under"]
    # [severity] changes how a finding is shown and the exit code, not the score.
    if cfg["severity"]:
        for f in result.findings:
            f.severity = config.severity_for(f.code, cfg) or f.severity
    why = not_a_report(result)
    report.counted = named or why is None
    report.not_report = _NAMED[why] if why is not None and named else why
    return report


# ---- what is not a report ------------------------------------------------------------------
_MIN_HAN = 30  # fewer Chinese characters than this: not a report (a note, a "hello", a code file)
_PARTS = ("problems", "causes", "first_responsible", "next_year_plan", "three_systems")


def not_a_report(result: FileResult) -> Note | None:
    """Why a linted file is not an annual rule-of-law report, or None when it may be one.

    Conservative: a file is a report when it says so in a title or its first lines (法治, 法制,
    依法行政, 依法治…) or when any required part is found, however broken the rest is. Not a
    report: fzlint's own text/JSON output saved as a file, text with hardly any Chinese, or text
    with neither a report's title nor any of its parts."""
    from fzlint.document.model import Document

    doc: Document = result.doc
    if _own_text_output(doc.source.text[:4096]):
        return OWN_OUTPUT
    text = doc.norm
    if sum(1 for _ in islice(_han().finditer(text), _MIN_HAN)) < _MIN_HAN:
        return NOT_A_REPORT
    words = _report_words()
    titles = [doc.meta.title or "", *(t for t, _span, _y in doc.meta.alt_titles), text[:300]]
    if _documentation(text) and not any(_report_title().search(t) for t in [*titles[:-1], *text[:300].splitlines()[:3]]):
        # a README, CHANGELOG or docs page about reports (code blocks, links): it names the
        # parts and the regulations, but it is not a report unless its title says it is one
        return NOT_A_REPORT
    if any(words.search(t) for t in titles):
        return None
    measures = result.elements.get("measures")
    if measures is not None and measures.status == "heading":
        return None
    if any(hit is not None and hit.status != "missing" for hit in (result.elements.get(k) for k in _PARTS)):
        return None
    return NOT_A_REPORT


def _documentation(text: str) -> bool:
    """Markdown or HTML documentation rather than a report: a fenced code block, an HTML anchor,
    or three or more links (reports quote documents by title, not by link)."""
    import regex

    if regex.search(r"(?m)^\s{0,3}(```|~~~)|<a\s+(id|name|href)=", text):
        return True
    return len(regex.findall(r"\]\([^)\s]+\)|https?://", text[:20000])) >= 3


def _report_title() -> Any:
    """A report's title line: names the rule of law and ends as a report does (…报告, …情况)."""
    import regex

    return regex.compile(r"^\s*#*\s*\S*?(法治|法制|依法行政|依法治).{0,60}(报告|情况)\s*$", regex.M)


def _han() -> Any:
    import regex

    return regex.compile(r"\p{Han}")


def _report_words() -> Any:
    import regex

    return regex.compile(r"法治|法制|依法行政|依法治")


def _own_text_output(head: str) -> bool:
    """fzlint's text, -q, JSON or SARIF output saved to a file that a walk picks up."""
    import regex

    stripped = head.lstrip()
    if stripped.startswith("{") and ('"fzlint"' in head[:300] or '"name": "fzlint"' in head):
        return True
    diagnostics = regex.findall(r"(?m)^(?:错误|警告|提示|error|warning|info)\[[A-Z]+\d+\]: .*\n\s+--> .+:\d+:\d+$", head)
    quiet = regex.findall(r"(?m)^.+: \d+ (?:优秀|良好|合格|不合格)  \(\d+ 条问题\)$", head)
    return len(diagnostics) >= 2 or len(quiet) >= 2


def _own_html(head: bytes, name: str) -> bool:
    """An HTML page fzlint wrote (its reports carry <meta name="generator" content="fzlint …">)."""
    import re

    if Path(name).suffix.lower() not in (".html", ".htm"):
        return False
    return re.search(rb"""<meta\s+name=["']generator["']\s+content=["']fzlint\b""", head, re.IGNORECASE) is not None


def _own_html_file(path: str) -> bool:
    if Path(path).suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with open(path, "rb") as fh:
            return _own_html(fh.read(4096), path)
    except OSError:
        return False


# ---- folders -------------------------------------------------------------------------------
@dataclass(slots=True)
class Walk:
    """The files to lint, in a stable order, and what the walk met besides."""

    files: list[str] = field(default_factory=list)
    errors: list[tuple[str, InputError]] = field(default_factory=list)  # missing, unreadable
    named: set[str] = field(default_factory=set)  # the files given by name (not found in a walk)
    skipped: list[str] = field(default_factory=list)  # unsupported types met in a walk
    special: list[str] = field(default_factory=list)  # not regular files (pipes, devices) met in a walk


def supported_suffixes() -> set[str]:
    from fzlint.ingest.formats import SUPPORTED_SUFFIXES

    return SUPPORTED_SUFFIXES


def walk(paths: Sequence[str], settings: Settings | None = None, *, force_exclude: bool = False) -> Walk:
    """Files to lint under `paths`; folders are walked (symlinks to folders are not followed).

    The `exclude` globs of each folder's configuration prune folders and files met in a walk,
    and files given by name too when `force_exclude` is set (pre-commit passes every changed
    file by name). `-` is standard input. In a walk, files of unsupported types, hidden files,
    Office lock files (~$…), fzlint's own reports (*.fzlint.*) and anything that is not a regular
    file (a named pipe or a device called *.txt would block or never end) are left out."""
    from fzlint.ingest.source import os_error

    skip = settings.excluded if settings is not None else (lambda _p: False)
    out = Walk()
    suffixes = supported_suffixes()
    for raw in paths:
        if raw == "-":
            out.files.append("-")
            out.named.add("-")
            continue
        p = Path(raw)
        try:
            is_dir = stat.S_ISDIR(p.stat().st_mode)
        except FileNotFoundError:
            if p.is_symlink():
                out.errors.append((raw, InputError("符号链接指向的文件不存在。", "Broken symbolic link.", path=raw)))
            else:
                out.errors.append((raw, InputError("文件或目录不存在。", "No such file or directory.", path=raw)))
            continue
        except OSError as exc:  # symlink loop, permission denied on a parent, name too long
            out.errors.append((raw, os_error(exc, raw)))
            continue
        if not is_dir:
            if not (force_exclude and skip(raw)):
                out.files.append(raw)
                out.named.add(raw)
            continue

        def unreadable(exc: OSError, top: str = raw) -> None:
            out.errors.append((exc.filename or top, os_error(exc, exc.filename or top)))

        # Symlinked folders are not followed (no loops); symlinked files are linted where they point.
        for dirpath, dirnames, filenames in os.walk(p, followlinks=False, onerror=unreadable):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not skip(os.path.join(dirpath, d)))
            for name in sorted(filenames):
                if not (Path(name).suffix.lower() in suffixes and not name.startswith((".", "~$")) and ".fzlint." not in name):
                    if not name.startswith("."):
                        out.skipped.append(os.path.join(dirpath, name))
                    continue
                full = os.path.join(dirpath, name)
                if skip(full):
                    continue
                try:
                    mode = os.stat(full).st_mode  # follows a symlink to what it points at
                except OSError:
                    out.errors.append((full, InputError("符号链接无法解析(目标不存在或形成循环)。", "Broken or looping symbolic link.", path=full)))
                    continue
                if not stat.S_ISREG(mode):
                    out.special.append(full)
                    continue
                out.files.append(full)
    return out


# ---- many files ----------------------------------------------------------------------------
def iter_reports(
    files: Sequence[str],
    settings: Settings,
    *,
    jobs: int = 1,
    named: Container[str] | None = None,
    fix: str | None = None,
    fix_roots: Sequence[str] | None = None,
    stdin: BinaryIO | None = None,
    stdin_name: str = "<stdin>",
) -> Iterator[FileReport]:
    """One FileReport per file, in the order of `files`, whatever `jobs` is.

    `named`: the files the user named (None: all of them); the others were met in a walk, and one
    that does not look like a report gets `counted=False`. `fix`: "write" (--fix) or "diff";
    `fix_roots`: the paths given (see fix_path).
    `-` reads `stdin` as `stdin_name`. With jobs > 1 (not for --fix, stdin or --profile-rules)
    the files are linted in one process pool (fzlint/parallel.py); a worker that dies becomes
    the error of the file it was reading."""
    is_named = (lambda _p: True) if named is None else named.__contains__
    prepare_conversions(files, settings)
    if jobs > 1 and len(files) > 1 and fix is None and "-" not in files and settings.timings is None:
        yield from _iter_parallel(files, settings, jobs, is_named)
        return
    for path in files:
        if path == "-":
            yield _stdin_report(stdin, stdin_name, settings, fix)
        elif fix is not None:
            yield fix_path(path, settings, write=fix == "write", named=is_named(path), roots=fix_roots)
        else:
            yield lint_path(path, settings, named=is_named(path))


def prepare_conversions(files: Sequence[str], settings: Settings) -> None:
    """Several .doc/.wps/.rtf/.odt files: convert them with one LibreOffice start before they are
    read one by one (and before -j workers fork). Best effort: what fails here is converted, or
    reported, when the file itself is read."""
    convertible = (".doc", ".wps", ".rtf", ".odt")
    todo = [f for f in files if f != "-" and f.lower().endswith(convertible) and _regular(f)]
    if len(todo) > 1:
        from fzlint.ingest.convert import prepare

        try:
            prepare(todo, settings.configure_readers, settings.max_bytes)
        except Exception:  # noqa: BLE001, S110 - each file is converted (or fails) on its own later
            pass


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _stdin_report(stream: BinaryIO | None, name: str, settings: Settings, fix: str | None) -> FileReport:
    from fzlint.ingest.source import read_limited

    if stream is None:
        return FileReport(name, error=InputError("没有可读的标准输入。", "No standard input to read.", path=name))
    try:
        data = read_limited(stream, settings.max_bytes, name)
    except FzlintError as exc:
        return FileReport(name, error=exc)
    except OSError as exc:
        from fzlint.ingest.source import os_error

        return FileReport(name, error=os_error(exc, name))
    if fix is not None:
        return fix_path(name, settings, write=False, data=data)
    return lint_bytes(data, name, settings)


# The -j workers: the run's settings (inherited when forked), set by _init_worker.
_WORKER: dict[str, Any] = {}


def _init_worker(settings: Settings, named: Container[str] | None) -> None:
    import gc

    gc.enable()
    _WORKER["settings"] = settings
    _WORKER["named"] = named


def _lint_chunk(paths: list[str]) -> list[Any]:
    """The -j worker: each file's report as the parent needs it (see _slim)."""
    settings: Settings = _WORKER["settings"]
    named = _WORKER["named"]
    out: list[Any] = []
    for path in paths:
        try:
            report = lint_path(path, settings, named=named is None or path in named)
        except FzlintError as exc:  # a broken config file or ruleset: the parent stops the run
            out.append(exc)
            continue
        if report.result is not None:
            _slim(report.result)
        out.append(report)
    return out


def _slim(result: FileResult) -> None:
    """The result as the parent needs it: renderers read the source, the document's metadata and
    stripped lines, and each part's status, label, line, evidence and detail. The paragraphs,
    the outline and the normalized text are most of a pickled result (~57 KB, ~1 ms to pickle
    and unpickle per report, the parent's share serial): they stay in the worker."""
    from fzlint.document.model import Section

    result.ruleset = None  # type: ignore[assignment]  # the parent has it: not pickled once per file
    doc = result.doc
    doc._body_view = None
    doc.paragraphs = []
    doc.root = Section(None, None, 0)
    doc.norm = ""
    for hit in result.elements.values():
        hit.paragraphs = []
        hit.sections = []


def _crashed(path: str, why: tuple[str, str]) -> FileReport:
    return FileReport(path, error=InputError(f"内部错误:{why[0]}(请报告此问题)", f"internal error: {why[1]}", path=path))


def _iter_parallel(files: Sequence[str], settings: Settings, jobs: int, is_named: Callable[[str], bool]) -> Iterator[FileReport]:
    from fzlint.parallel import imap

    named = {f for f in files if is_named(f)}
    for report in imap(_lint_chunk, list(files), min(jobs, len(files)), crashed=_crashed, initializer=_init_worker, initargs=(settings, named)):
        if isinstance(report, FzlintError):
            raise report
        if report.result is not None:
            # the ruleset is not shipped back: loaded here (from its cache) once per configuration
            report.result.ruleset = settings.ruleset_for(settings.config_for_file(report.path))
        yield report
