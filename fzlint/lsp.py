"""`fzlint server`: the Language Server Protocol over stdio (pygls), for .txt and .md reports.

Every lint goes through the runner (`lint_text`, `fix_path`), so an editor shows what
`fzlint report.md` prints: the configuration of the document's folder (fzlint.toml found upward),
inline directives, per-file-ignores and [severity]. This module only translates:

- diagnostics on open, change (debounced) and save: one per finding, `code` the rule, the message
  and its 修改建议, the rule's documentation behind `codeDescription`;
- code actions: a finding's own fix (the Fix the `--fix` machinery would apply), "fix all"
  (`source.fixAll.fzlint`: `fix_path`'s rounds to a fixpoint) and "disable for this line" (an
  inline `fzlint: disable-next-line=CODE` directive line, docs/suppression.md);
- hover on a finding: the rule's `fzlint explain` text.

Lints run one at a time on a worker thread, off the event loop, so typing stays responsive; a
result is published only if the document has not changed since (the version it was computed
for). Positions are converted to the negotiated encoding (UTF-16 unless the client offers UTF-32
or UTF-8); documents are synchronised whole (TextDocumentSyncKind.Full), so that lines are always
split as LSP and fzlint split them (\\r\\n, \\r, \\n).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from fzlint import __version__
from fzlint.errors import FzlintError
from fzlint.ingest.source import TEXT_SUFFIXES
from fzlint.lsp_text import PositionMap, clean_surrogates, edits_between, line_break, shorten
from fzlint.rules.model import SEVERITY_ZH, Finding
from fzlint.runner import FileReport, Settings, fix_path, lint_text

log = logging.getLogger("fzlint.lsp")

NAME = "fzlint"
FIX_ALL = "source.fixAll.fzlint"
DEBOUNCE = 0.3  # seconds between the last keystroke and the lint
SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}
# languageId -> the suffix a document without one is linted as
LANGUAGE_SUFFIX = {"markdown": ".md", "plaintext": ".txt", "text": ".txt"}
CONFIG_GLOBS = ("**/fzlint.toml", "**/.fzlint.toml", "**/pyproject.toml")


@dataclass(slots=True)
class Doc:
    """An open document: the client's text and version."""

    uri: str
    text: str
    version: int
    language: str
    name: str | None  # the path it is linted as (None: not served, e.g. a .docx opened as text)
    timer: asyncio.Task[None] | None = None


@dataclass(slots=True)
class Linted:
    """One lint of one version of a document, and what the handlers derive from it."""

    version: int
    text: str  # the client's text
    shift: int  # code points before the linted text (a leading BOM character the reader drops)
    pmap: PositionMap
    report: FileReport | None = None
    diagnostics: list[lsp.Diagnostic] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the findings behind diagnostics, in order
    spans: list[tuple[int, int]] = field(default_factory=list)  # their ranges, in the client's text
    fixed: str | None = None  # "fix all": the fixed text, computed on demand

    @property
    def body(self) -> str:
        return self.text[self.shift :]


class FzlintServer(LanguageServer):
    """The language server; `make_settings` builds the runner's Settings (again after a
    configuration change)."""

    def __init__(self, make_settings: Callable[[], Settings], debounce: float = DEBOUNCE, lang: str = "zh") -> None:
        super().__init__(NAME, __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.make_settings = make_settings
        self.settings = make_settings()
        self.debounce = debounce
        self.lang = lang
        self.docs: dict[str, Doc] = {}
        self.linted: dict[str, Linted] = {}
        self.jobs: dict[str, tuple[int, asyncio.Future[Linted | None]]] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fzlint-lint")
        self.shut_down = False
        self.stamps: dict[str, tuple[Any, ...]] = {}  # folder -> its config files' (path, mtime, size)
        self.rule_docs: dict[tuple[str, str], str | None] = {}  # (ruleset id, code) -> file URI
        self.shown_errors: set[str] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    # ---- documents ---------------------------------------------------------------------------
    def lint_name(self, uri: str, language: str) -> str | None:
        """The file name a document is linted as: its path (config is found from its folder, the
        suffix picks the reader), or a name in the first workspace folder for an unsaved one.
        None for documents fzlint does not serve (Word, PDF, HTML opened in a text editor)."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        fallback = LANGUAGE_SUFFIX.get(language, ".txt")
        if path is None:
            root = self.root_folder()
            return os.path.join(root, "untitled" + fallback)
        suffix = Path(path).suffix.lower()
        if suffix in TEXT_SUFFIXES:
            return path
        from fzlint.runner import supported_suffixes

        if suffix in supported_suffixes():
            return None
        return path + fallback

    def root_folder(self) -> str:
        try:
            folders = list(self.workspace.folders.values())
            root = self.workspace.root_path
        except RuntimeError:  # not initialised
            folders, root = [], None
        for folder in folders:
            path = to_fs_path(folder.uri)
            if path:
                return path
        return root or os.getcwd()

    def encoding(self) -> str:
        try:
            enc = self.workspace.position_encoding
        except RuntimeError:
            enc = None
        return str(enc.value if isinstance(enc, lsp.PositionEncodingKind) else enc or "utf-16")

    # ---- linting (worker thread) --------------------------------------------------------------
    def lint_job(self, uri: str, name: str | None, text: str, version: int) -> Linted | None:
        """Lint one version of a document; None when it changed before the job started."""
        doc = self.docs.get(uri)
        if doc is None or doc.version != version:
            return None
        shift = 1 if text.startswith("\ufeff") else 0  # the reader drops a BOM: offsets move by one
        out = Linted(version, text, shift, PositionMap(text, self.encoding()))
        body = clean_surrogates(text[shift:])
        if name is None or not body.strip():
            return out  # not served, or an empty new file: nothing to say yet
        try:
            self.refresh_settings(name)
            if self.settings.excluded(name):
                return out
            if len(body) * 3 > self.settings.max_bytes and len(body.encode("utf-8", "surrogatepass")) > self.settings.max_bytes:
                mb = self.settings.max_bytes / 1024 / 1024
                return self.note(out, f"文件超过 {mb:g} MB 的检查上限,未检查", f"larger than the {mb:g} MB limit; not linted")
            report = lint_text(body, name, self.settings)
        except FzlintError as exc:  # an invalid config file or ruleset: about every document
            return self.note(out, exc.message("zh"), exc.message("en"), shown=True)
        except Exception as exc:  # noqa: BLE001 - the server must survive a bug in one lint
            log.exception("lint failed: %s", uri)
            return self.note(out, f"内部错误:{type(exc).__name__}: {exc}(请报告此问题)", f"internal error: {type(exc).__name__}: {exc}")
        out.report = report
        if report.error is not None:
            return self.note(out, report.error.message("zh"), report.error.message("en"))
        if report.not_report is not None or report.result is None:
            # a README.md or a note: fzlint's findings would not apply (the CLI says so on stderr)
            log.info("%s: %s", name, report.not_report.en if report.not_report else "no result")
            return out
        self.diagnose(out, report)
        return out

    def diagnose(self, out: Linted, report: FileReport) -> None:
        from fzlint.render.locations import region

        result = report.result
        assert result is not None
        for f in result.findings:
            reg = region(result.source, f.start, f.end)
            span = (reg.start + out.shift, reg.end + out.shift)
            message = f.message + (f"\n修改建议: {f.help}" if f.help else "")
            rule = result.ruleset.rule(f.code)
            href = self.rule_doc(result.ruleset.id, f.code, rule) if rule is not None else None
            out.diagnostics.append(
                lsp.Diagnostic(
                    range=self.range(out.pmap, *span),
                    message=message,
                    severity=SEVERITY.get(f.severity, lsp.DiagnosticSeverity.Information),
                    code=f.code,
                    code_description=lsp.CodeDescription(href=href) if href else None,
                    source=NAME,
                )
            )
            out.findings.append(f)
            out.spans.append(span)

    def note(self, out: Linted, zh: str, en: str, *, shown: bool = False) -> Linted:
        """A problem with the document as a whole (not text, too large, a bad config file): one
        diagnostic on the first line; a configuration error is also shown once as a message."""
        message = en if self.lang == "en" else zh
        end = out.pmap.line_end(0) if out.pmap.starts else 0
        out.diagnostics.append(
            lsp.Diagnostic(range=self.range(out.pmap, 0, end), message=f"fzlint: {message}", severity=lsp.DiagnosticSeverity.Error, source=NAME)
        )
        if shown and message not in self.shown_errors:
            self.shown_errors.add(message)
            self.loop_call(self.window_show_message, lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"fzlint: {message}"))
        return out

    @staticmethod
    def range(pmap: PositionMap, start: int, end: int) -> lsp.Range:
        (l1, c1), (l2, c2) = pmap.position(start), pmap.position(end)
        return lsp.Range(start=lsp.Position(line=l1, character=c1), end=lsp.Position(line=l2, character=c2))

    def rule_doc(self, ruleset_id: str, code: str, rule: Any) -> str | None:
        """A file URI of the rule's `fzlint explain` text (written once into fzlint's cache
        folder), for the link on the diagnostic's code; None when it cannot be written."""
        key = (ruleset_id, code)
        if key not in self.rule_docs:
            from fzlint.cachedir import cache_dir
            from fzlint.render.rules import explain

            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{ruleset_id}_{code}")
            path = cache_dir() / "rules" / f"{safe}.md"
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                text = explain(rule)
                if not path.is_file() or path.read_text(encoding="utf-8") != text:
                    tmp = path.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_text(text, encoding="utf-8")
                    os.replace(tmp, path)
                self.rule_docs[key] = path.resolve().as_uri()
            except (OSError, ValueError):
                self.rule_docs[key] = None
        return self.rule_docs[key]

    def refresh_settings(self, name: str) -> None:
        """Start over with fresh Settings when a config file the document's folder sees (or its
        ruleset file) was added, changed or removed since the last lint: polled with a few stat
        calls, so that it works in any client."""
        folder = os.path.dirname(os.path.abspath(name))
        stamp = self.config_stamp(folder)
        old = self.stamps.get(folder)
        if old is not None and old != stamp:
            self.reload()
            stamp = self.config_stamp(folder)
            self.loop_call(self.relint_all)
        self.stamps[folder] = stamp

    def config_stamp(self, folder: str) -> tuple[Any, ...]:
        from fzlint.config import CONFIG_NAMES

        seen: list[Any] = []
        here = folder
        while True:
            for cname in CONFIG_NAMES:
                seen.append(_stat(os.path.join(here, cname)))
            parent = os.path.dirname(here)
            if parent == here:
                break
            here = parent
        try:
            ref, _confine = self.settings.ruleset_choice(self.settings.config_for(folder))
            seen.append(_stat(ref))
        except (FzlintError, OSError):
            pass
        return tuple(seen)

    def warm_up(self) -> None:
        """Build the linter of the workspace's configuration before the first document arrives."""
        try:
            self.settings.linter_for(self.settings.config_for(self.root_folder()))
        except Exception:  # noqa: BLE001 - the first lint reports what is wrong
            log.info("warm-up failed", exc_info=True)

    def reload(self) -> None:
        """New Settings: config files and rulesets are read again."""
        from fzlint import config

        config.clear_cache()
        self.settings = self.make_settings()
        self.stamps.clear()
        self.shown_errors.clear()

    def fix_all(self, linted: Linted, name: str) -> str:
        """The text after every certain fix (`fix_path`'s rounds, as `fzlint --fix` does)."""
        if linted.fixed is None:
            body = clean_surrogates(linted.body)
            report = fix_path(name, self.settings, write=False, data=body.encode("utf-8"))
            outcome = report.fix
            ok = outcome is not None and outcome.original == body and report.error is None
            linted.fixed = linted.text[: linted.shift] + outcome.fixed if ok and outcome is not None else linted.text
        return linted.fixed

    # ---- the event loop side ------------------------------------------------------------------
    def loop_call(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run fn on the event loop (from the worker thread)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(fn, *args)

    def job(self, doc: Doc) -> asyncio.Future[Linted | None]:
        """The lint of the document's current version, started once and shared by whoever waits."""
        held = self.jobs.get(doc.uri)
        if held is not None and held[0] == doc.version and not held[1].cancelled():
            return held[1]
        fut = asyncio.get_running_loop().run_in_executor(self.worker, self.lint_job, doc.uri, doc.name, doc.text, doc.version)
        self.jobs[doc.uri] = (doc.version, fut)
        return fut

    def schedule(self, doc: Doc, delay: float) -> None:
        if doc.timer is not None:
            doc.timer.cancel()
        doc.timer = asyncio.ensure_future(self.lint_and_publish(doc.uri, doc.version, delay))

    async def lint_and_publish(self, uri: str, version: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        doc = self.docs.get(uri)
        if doc is None or doc.version != version:
            return
        linted = await asyncio.shield(self.job(doc))
        self.publish(uri, linted)

    def publish(self, uri: str, linted: Linted | None) -> None:
        doc = self.docs.get(uri)
        if linted is None or doc is None or doc.version != linted.version or self.linted.get(uri) is linted:
            return  # stale (the text changed meanwhile) or already published
        self.linted[uri] = linted
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, version=linted.version, diagnostics=linted.diagnostics))

    async def current(self, uri: str) -> tuple[Doc, Linted] | None:
        """The document and the lint of its current version (linting now if needed)."""
        doc = self.docs.get(uri)
        if doc is None:
            return None
        linted = self.linted.get(uri)
        if linted is None or linted.version != doc.version:
            if doc.timer is not None:
                doc.timer.cancel()
            linted = await asyncio.shield(self.job(doc))
            self.publish(uri, linted)
        if linted is None or linted.version != doc.version:
            return None
        return doc, linted

    def relint_all(self) -> None:
        for doc in self.docs.values():
            self.jobs.pop(doc.uri, None)
            self.schedule(doc, 0)

    # ---- code actions -------------------------------------------------------------------------
    def workspace_edit(self, doc: Doc, linted: Linted, edits: list[tuple[int, int, str]]) -> lsp.WorkspaceEdit:
        text_edits = [lsp.TextEdit(range=self.range(linted.pmap, s, e), new_text=t) for s, e, t in edits]
        caps = self.client_capabilities.workspace
        if caps is not None and caps.workspace_edit is not None and caps.workspace_edit.document_changes:
            ident = lsp.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=linted.version)
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(text_document=ident, edits=text_edits)])
        return lsp.WorkspaceEdit(changes={doc.uri: text_edits})

    def quick_fix(self, doc: Doc, linted: Linted, i: int) -> lsp.CodeAction | None:
        f = linted.findings[i]
        fx = f.fix
        if fx is None:
            return None
        body = linted.body
        if body[fx.start : fx.end] == fx.replacement:
            return None
        # one character of context each side, so that an edit never splits a \r\n
        lo, hi = max(0, fx.start - 1), min(len(body), fx.end + 1)
        new = body[lo : fx.start] + fx.replacement + body[fx.end : hi]
        edits = [(s + linted.shift, e + linted.shift, t) for s, e, t in edits_between(body[lo:hi], new, lo)]
        if len(edits) == 1:
            s, e, t = edits[0]
            was = linted.text[s:e]
            what = f"把“{shorten(was)}”改为“{shorten(t)}”" if was and t else (f"删除“{shorten(was)}”" if was else f"插入“{shorten(t)}”")
        else:
            what = f"改动 {len(edits)} 处"
        return lsp.CodeAction(
            title=f"修复 {f.code}:{what}",
            kind=lsp.CodeActionKind.QuickFix,
            diagnostics=[linted.diagnostics[i]],
            is_preferred=True,
            edit=self.workspace_edit(doc, linted, edits),
        )

    def disable_line(self, doc: Doc, linted: Linted, i: int) -> lsp.CodeAction:
        """Insert `fzlint: disable-next-line=CODE` as a line of its own above the finding's first
        line (an HTML comment in Markdown, `# …` in plain text: docs/suppression.md)."""
        f = linted.findings[i]
        line, _ = linted.pmap.position(linted.spans[i][0])
        directive = f"fzlint: disable-next-line={f.code}"
        markdown = (doc.name or "").lower().endswith((".md", ".markdown"))
        shell = f"<!-- {directive} -->" if markdown else f"# {directive}"
        at = linted.pmap.starts[line]
        if line == 0 and linted.shift:
            at = linted.shift  # after the BOM
        new = shell + line_break(linted.text, linted.pmap.starts, line)
        return lsp.CodeAction(
            title=f"在此行停用 {f.code}(插入 fzlint 指令)",
            kind=lsp.CodeActionKind.QuickFix,
            diagnostics=[linted.diagnostics[i]],
            edit=self.workspace_edit(doc, linted, [(at, at, new)]),
        )

    def fill_fix_all(self, doc: Doc, linted: Linted, action: lsp.CodeAction) -> None:
        assert doc.name is not None
        fixed = self.fix_all(linted, doc.name)
        action.edit = self.workspace_edit(doc, linted, edits_between(linted.text, fixed))

    def can_resolve_edit(self) -> bool:
        """Whether the client fills a code action's edit later (codeAction/resolve)."""
        caps = self.client_capabilities.text_document
        ca = caps.code_action if caps is not None else None
        support = ca.resolve_support if ca is not None else None
        return support is not None and "edit" in support.properties

    # ---- hover --------------------------------------------------------------------------------
    def hover_markdown(self) -> bool:
        caps = self.client_capabilities.text_document
        hov = caps.hover if caps is not None else None
        formats = hov.content_format if hov is not None else None
        return formats is None or lsp.MarkupKind.Markdown in formats

    def hover_text(self, linted: Linted, offset: int, markdown: bool) -> tuple[str, tuple[int, int]] | None:
        from fzlint.render.rules import explain

        hits = [i for i, (s, e) in enumerate(linted.spans) if s <= offset <= e]
        if not hits or linted.report is None or linted.report.result is None:
            return None
        ruleset = linted.report.result.ruleset
        parts = []
        for i in hits:
            f = linted.findings[i]
            head = f"**{SEVERITY_ZH.get(f.severity, f.severity)}[{f.code}]**:{f.message}" if markdown else f"{SEVERITY_ZH.get(f.severity, f.severity)}[{f.code}]: {f.message}"
            if f.help:
                head += f"\n\n修改建议: {f.help}"
            rule = ruleset.rule(f.code)
            doc = _demote(explain(rule).strip()) if rule is not None else ""
            parts.append(head + ("\n\n" + doc if doc else ""))
        span = (min(linted.spans[i][0] for i in hits), max(linted.spans[i][1] for i in hits))
        return ("\n\n---\n\n" if markdown else "\n\n").join(parts), span


def _demote(markdown: str) -> str:
    """Headings two levels down (a hover is small), code blocks left alone."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            line = "##" + line
        out.append(line)
    return "\n".join(out)


def _stat(path: str) -> tuple[str, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return path, st.st_mtime_ns, st.st_size


def _kind_wanted(only: list[str] | None, kind: str) -> bool:
    """Whether a code action of `kind` answers a request for the kinds `only` (hierarchical:
    `source` and `source.fixAll` ask for `source.fixAll.fzlint`)."""
    return only is None or any(kind == o or kind.startswith(o + ".") for o in only)


def build_server(make_settings: Callable[[], Settings], debounce: float = DEBOUNCE, lang: str = "zh") -> FzlintServer:
    server = FzlintServer(make_settings, debounce, lang)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: FzlintServer, _params: lsp.InitializedParams) -> None:
        ls._loop = asyncio.get_running_loop()
        ls.worker.submit(ls.warm_up)
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps is not None else None
        if watch is not None and watch.dynamic_registration:
            options = lsp.DidChangeWatchedFilesRegistrationOptions(watchers=[lsp.FileSystemWatcher(glob_pattern=g) for g in CONFIG_GLOBS])
            reg = lsp.Registration(id="fzlint-config-files", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options)
            ls.client_register_capability(lsp.RegistrationParams(registrations=[reg]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FzlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls._loop = asyncio.get_running_loop()
        item = params.text_document
        doc = Doc(item.uri, item.text, item.version, item.language_id, ls.lint_name(item.uri, item.language_id))
        ls.docs[item.uri] = doc
        ls.schedule(doc, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FzlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is None:
            return
        for change in params.content_changes:
            if isinstance(change, lsp.TextDocumentContentChangeWholeDocument):
                doc.text = change.text
            else:  # a ranged change, though we asked for whole documents: apply it
                pmap = PositionMap(doc.text, ls.encoding())
                s = pmap.offset(change.range.start.line, change.range.start.character)
                e = pmap.offset(change.range.end.line, change.range.end.character)
                doc.text = doc.text[:s] + change.text + doc.text[e:]
        doc.version = params.text_document.version
        ls.schedule(doc, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
    def did_save(ls: FzlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        doc = ls.docs.get(params.text_document.uri)
        if doc is not None:
            ls.jobs.pop(doc.uri, None)  # lint again: a config file may have changed with the save
            ls.schedule(doc, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FzlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        doc = ls.docs.pop(uri, None)
        if doc is not None and doc.timer is not None:
            doc.timer.cancel()
        ls.linted.pop(uri, None)
        ls.jobs.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: FzlintServer, _params: lsp.DidChangeConfigurationParams) -> None:
        ls.worker.submit(ls.reload).add_done_callback(lambda _f: ls.loop_call(ls.relint_all))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: FzlintServer, _params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.worker.submit(ls.reload).add_done_callback(lambda _f: ls.loop_call(ls.relint_all))

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True),
    )
    async def code_action(ls: FzlintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        got = await ls.current(params.text_document.uri)
        if got is None:
            return None
        doc, linted = got
        only = params.context.only
        actions: list[lsp.CodeAction] = []
        if _kind_wanted(only, lsp.CodeActionKind.QuickFix):
            r = params.range
            start = linted.pmap.offset(r.start.line, r.start.character)
            end = linted.pmap.offset(r.end.line, r.end.character)
            asked = {(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, str(d.code)) for d in params.context.diagnostics if d.source == NAME}
            hits = []
            for i, (s, e) in enumerate(linted.spans):
                d = linted.diagnostics[i].range
                key = (d.start.line, d.start.character, d.end.line, d.end.character, linted.findings[i].code)
                if key in asked or (s <= end and start <= e):
                    hits.append(i)
            fixes = [a for a in (ls.quick_fix(doc, linted, i) for i in hits) if a is not None]
            seen: set[tuple[int, str]] = set()
            disables = []
            for i in hits:
                key2 = (linted.pmap.position(linted.spans[i][0])[0], linted.findings[i].code)
                if key2 not in seen:
                    seen.add(key2)
                    disables.append(ls.disable_line(doc, linted, i))
            actions += fixes + disables
        if _kind_wanted(only, FIX_ALL) and doc.name is not None and any(f.fix is not None for f in linted.findings):
            # the light bulb asks on every cursor move: the fix-all edit is made when chosen
            # (codeAction/resolve), or at once when asked for by kind (fix on save) or the client
            # cannot resolve
            action = lsp.CodeAction(title="fzlint: 修复全部可自动修复的问题", kind=FIX_ALL, data={"uri": doc.uri, "version": linted.version})
            if only is not None or not ls.can_resolve_edit():
                await asyncio.get_running_loop().run_in_executor(ls.worker, ls.fix_all, linted, doc.name)
                ls.fill_fix_all(doc, linted, action)
            actions.append(action)
        return actions

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    async def code_action_resolve(ls: FzlintServer, action: lsp.CodeAction) -> lsp.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        if action.kind != FIX_ALL or not isinstance(uri, str):
            return action
        got = await ls.current(uri)
        if got is None or got[0].name is None:
            return action
        doc, linted = got
        await asyncio.get_running_loop().run_in_executor(ls.worker, ls.fix_all, linted, doc.name)
        ls.fill_fix_all(doc, linted, action)
        return action

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: FzlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        got = await ls.current(params.text_document.uri)
        if got is None:
            return None
        _doc, linted = got
        offset = linted.pmap.offset(params.position.line, params.position.character)
        markdown = ls.hover_markdown()
        found = ls.hover_text(linted, offset, markdown)
        if found is None:
            return None
        text, span = found
        kind = lsp.MarkupKind.Markdown if markdown else lsp.MarkupKind.PlainText
        return lsp.Hover(contents=lsp.MarkupContent(kind=kind, value=text), range=ls.range(linted.pmap, *span))

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: FzlintServer, *_args: Any) -> None:
        ls.shut_down = True
        for doc in ls.docs.values():
            if doc.timer is not None:
                doc.timer.cancel()

    return server


def serve(make_settings: Callable[[], Settings], *, debounce: float = DEBOUNCE, lang: str = "zh", verbose: bool = False) -> int:
    """Speak LSP on stdin/stdout until the client says exit (0 after shutdown, else 1)."""
    logging.basicConfig(stream=sys.stderr, level=logging.INFO if verbose else logging.WARNING, format="fzlint server: %(levelname)s %(message)s")
    if sys.stdin.isatty():
        zh = "fzlint server 是供编辑器(VS Code、Neovim 等)启动的语言服务器,经标准输入输出通信,无需手动运行;按 Ctrl-C 退出。"
        en = "fzlint server is a language server for editors (VS Code, Neovim, ...) to start; it speaks LSP on stdin/stdout. Ctrl-C to quit."
        print(f"fzlint: {en if lang == 'en' else zh}", file=sys.stderr)
    # The protocol owns stdout: anything else printed (a library's warning) goes to stderr.
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    server = build_server(make_settings, debounce, lang)

    def interrupted(_signum: int, _frame: Any) -> None:
        # pygls's reader thread cannot be stopped while it waits on stdin, and its shutdown joins
        # it: leave at once (nothing is half-written: the only files are the rule pages, replaced
        # atomically)
        sys.stderr.write("fzlint: interrupted\n" if lang == "en" else "fzlint: 已中断\n")
        sys.stderr.flush()
        os._exit(130)

    signal.signal(signal.SIGINT, interrupted)
    server.start_io(sys.stdin.buffer, protocol_out)
    server.worker.shutdown(wait=False, cancel_futures=True)
    return 0 if server.shut_down else 1

