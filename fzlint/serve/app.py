"""The web app (Starlette on uvicorn) and `serve()`.

    GET  /                  the upload page
    POST /check             the upload: one report -> its page; several files or a .zip -> the
                            audit page (303 to r/<token>/), or an error page (4xx, Chinese)
    GET  /r/<token>/        a result kept in memory; /r/<token>/<name>: its other pages, the
                            annotated .docx
    GET  /static/<name>     the page's CSS, script and icon (package data; nothing else listed)
    GET  /healthz           "ok" once the checking process is warm

Every link is relative, so the app works behind a reverse proxy under any path prefix.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import pickle
import shutil
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from fzlint.errors import FzlintError
from fzlint.serve import pages
from fzlint.serve.archive import Refused
from fzlint.serve.jobs import Checker, JobFailed, WorkerInit
from fzlint.serve.store import Store
from fzlint.serve.upload import receive
from fzlint.serve.work import Job, Outcome, Upload, annotate_available, download_name

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


@dataclass
class State:
    limits: Any
    checker: Checker
    store: Store
    tmp: Path  # the server's temp folder: one req-* folder per request, removed after it
    suffixes: set[str]
    static: dict[str, tuple[str, bytes]]
    csp: str
    in_flight: int = 0
    slots: asyncio.Semaphore | None = None

    def error(self, status: int, title: str, message: str, extra: str = "") -> HTMLResponse:
        shown = sorted(self.suffixes)
        return HTMLResponse(pages.error_page(title, message, self.limits, shown, extra=extra), status_code=status, headers=_no_store())


def _no_store() -> dict[str, str]:
    return {"Cache-Control": "no-store"}


def _load_static() -> dict[str, tuple[str, bytes]]:
    folder = resources.files("fzlint.serve") / "static"
    out = {}
    for item in folder.iterdir():
        suffix = os.path.splitext(item.name)[1]
        if suffix in STATIC_TYPES:
            out[item.name] = (STATIC_TYPES[suffix], item.read_bytes())
    return out


# ---- handlers ---------------------------------------------------------------------------------
async def upload_page(request: Request) -> Response:
    state: State = request.app.state.fz
    return HTMLResponse(pages.upload_page(state.limits, sorted(state.suffixes)))


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def static(request: Request) -> Response:
    state: State = request.app.state.fz
    item = state.static.get(request.path_params["name"])
    if item is None:
        raise HTTPException(404)
    return Response(item[1], media_type=item[0], headers={"Cache-Control": "no-cache"})


async def check(request: Request) -> Response:
    state: State = request.app.state.fz
    if state.in_flight >= state.limits.concurrency * 5:
        return state.error(503, "服务器正忙", "正在检查的报告太多,请稍后再试。")
    state.in_flight += 1
    folder = Path(tempfile.mkdtemp(prefix="req-", dir=state.tmp))
    try:
        return await _check(request, state, folder)
    finally:
        state.in_flight -= 1
        await run_in_threadpool(shutil.rmtree, folder, True)


async def _run(state: State, folder: Path, job: Job) -> Outcome | Response:
    """Run `job` in a child (at most `concurrency` at once, killed at the deadline): its Outcome,
    or the error page to answer with."""
    limits = state.limits
    (folder / "job.pickle").write_bytes(pickle.dumps(job))
    assert state.slots is not None
    try:
        await asyncio.wait_for(state.slots.acquire(), limits.timeout)
    except TimeoutError:
        return state.error(503, "服务器正忙", "正在检查的报告太多,等待超时。请稍后再试。")
    try:
        await state.checker.run(str(folder), limits.timeout)
    except JobFailed as exc:
        if exc.timeout:
            return state.error(
                413,
                "检查超时",
                f"这次检查超过了 {limits.timeout:g} 秒的时间上限,已停止。请减少一次上传的报告数量,或分开上传较大的文件。",
            )
        return state.error(500, "检查进程意外退出", "检查这份文件时检查进程意外退出(可能是内存不足或文件结构异常),请把这个问题报告给维护人员。")
    finally:
        state.slots.release()
    outcome: Outcome = pickle.loads((folder / "result.pickle").read_bytes())
    return outcome


def _keep_until(state: State) -> str:
    return (datetime.now() + timedelta(seconds=state.limits.keep)).strftime("%H:%M")


async def _check(request: Request, state: State, folder: Path) -> Response:
    started = time.perf_counter()
    try:
        uploads = await receive(request.headers, request.stream(), folder, state.limits, state.suffixes)
    except Refused as exc:
        return state.error(exc.status, exc.title, exc.message)
    received = time.perf_counter()
    if len(uploads) == 1 and uploads[0].kind == "unsupported":
        up = uploads[0]
        return state.error(
            415,
            "不支持的文件类型",
            f"{up.name} 不是可以检查的报告文件。支持的类型:{' '.join(sorted(state.suffixes))},或把多份报告压缩成 .zip 上传。",
        )
    mode = "report" if len(uploads) == 1 and uploads[0].kind == "report" else "audit"
    outcome = await _run(state, folder, Job(uploads, mode, _keep_until(state)))
    if isinstance(outcome, Response):
        return outcome
    timing = (
        f"upload;dur={(received - started) * 1000:.1f}, check;dur={(time.perf_counter() - received) * 1000:.1f}, "
        f"work;dur={outcome.seconds * 1000:.1f}"
    )
    # one report: its bytes stay with its page, for the annotated .docx made when asked for
    source = (uploads[0].name, (folder / uploads[0].file).read_bytes()) if mode == "report" and annotate_available() else None
    if outcome.kind == "error":
        extra = ""
        if outcome.view_anyway and outcome.files:
            token = state.store.put(outcome.files, source)
            if token is not None:
                extra = f'<p><a id="view-anyway" href="r/{token}/">仍然查看检查结果</a></p>'
        response = state.error(outcome.status, outcome.title, outcome.message, extra)
        response.headers["Server-Timing"] = timing
        return response
    token = state.store.put(outcome.files, source)
    if token is None:
        return state.error(413, "结果过大", "这次检查的结果太大,无法保存在服务内存中。请分批上传。")
    return RedirectResponse(f"r/{token}/", status_code=303, headers={"Server-Timing": timing})


async def _annotated(state: State, token: str, name: str) -> Response | None:
    """The annotated .docx of a kept report, made now (a check of its own); None: not this."""
    source = state.store.source(token)
    if source is None or name != download_name(source[0]):
        return None
    folder = Path(tempfile.mkdtemp(prefix="req-", dir=state.tmp))
    try:
        (folder / "in").mkdir()
        (folder / "in" / "000").write_bytes(source[1])
        outcome = await _run(state, folder, Job([Upload(source[0], "in/000", "report", len(source[1]))], "annotate", _keep_until(state)))
    finally:
        await run_in_threadpool(shutil.rmtree, folder, True)
    if isinstance(outcome, Response):
        return outcome
    if outcome.kind == "error":
        return state.error(outcome.status, outcome.title, outcome.message)
    item = outcome.files[name]
    state.store.add(token, name, item)
    return _file_response(name, item, "")


async def result_root(request: Request) -> Response:
    return RedirectResponse(f"{request.path_params['token']}/", status_code=308)


async def result_file(request: Request) -> Response:
    state: State = request.app.state.fz
    token = request.path_params["token"]
    name = request.path_params.get("name", "")
    item = state.store.get(token, name)
    if item is not None:
        return _file_response(name, item, request.headers.get("accept-encoding", ""))
    made = await _annotated(state, token, name)
    if made is not None:
        return made
    if state.store.has(token):
        raise HTTPException(404)
    minutes = f"{state.limits.keep / 60:g}"
    page = pages.simple_page("结果已过期", f"检查结果只保存 {minutes} 分钟(也可能服务已重启),请重新上传报告。", static=pages.STATIC_FROM_RESULT, back="../../")
    return HTMLResponse(page, status_code=404, headers=_no_store())


def _file_response(name: str, item: tuple[str, bytes, bool], accept_encoding: str) -> Response:
    ctype, blob, gzipped = item
    headers = {"Cache-Control": "private, no-store"}
    if not ctype.startswith("text/html"):
        fallback = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
        headers["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    if gzipped:
        if "gzip" in accept_encoding:
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        else:
            blob = gzip.decompress(blob)
    return Response(blob, media_type=ctype, headers=headers)


async def not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    title, message = {
        404: ("页面不存在", "没有这个页面。"),
        405: ("不支持的请求方式", "请通过上传页面提交文件。"),
    }.get(status, ("请求有误", "请求无法处理。"))
    depth = request.url.path.count("/") - 1
    static = "../" * depth + "static/"
    return HTMLResponse(pages.simple_page(title, message, static=static, back="../" * depth or "./"), status_code=status)


# ---- headers on every response ---------------------------------------------------------------
class SecurityHeaders:
    """Adds the Content-Security-Policy and the other security headers to every response."""

    def __init__(self, app: Any, csp: str) -> None:
        self.app = app
        self.headers = [(b"content-security-policy", csp.encode())] + [
            (k.lower().encode(), v.encode()) for k, v in pages.SECURITY_HEADERS.items()
        ]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + self.headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(state: State) -> Any:
    routes = [
        Route("/", upload_page, methods=["GET"]),
        Route("/check", check, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/static/{name}", static, methods=["GET"]),
        Route("/r/{token}", result_root, methods=["GET"]),
        Route("/r/{token}/", result_file, methods=["GET"]),
        Route("/r/{token}/{name:path}", result_file, methods=["GET"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    app.state.fz = state
    state.slots = asyncio.Semaphore(state.limits.concurrency)
    return SecurityHeaders(app, state.csp)


# ---- the command ------------------------------------------------------------------------------
class _Stop(Exception):
    pass


def _bind(host: str, port: int) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise FzlintError(f"无法解析主机名 {host}:{exc.strerror}", f"cannot resolve {host}: {exc.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise FzlintError(f"端口 {port} 已被占用,请用 --port 指定其他端口(如 --port 8001)", f"port {port} is in use; pick another with --port") from None
        raise FzlintError(f"无法在 {host}:{port} 上监听:{exc.strerror}", f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(host: str, port: int, limits: Any, settings: Any, root: str, *, log_level: str = "info", forwarded_allow_ips: str | None = None) -> int:
    import signal

    import uvicorn

    from fzlint.runner import supported_suffixes

    sock = _bind(host, port)
    tmp = Path(tempfile.mkdtemp(prefix="fzlint-serve-"))
    checker = Checker(WorkerInit(root, dict(settings.overrides), settings.isolated, settings.use_cache, settings.max_bytes, limits, str(tmp / "work")))
    previous = signal.getsignal(signal.SIGTERM)

    def stop(_sig: int, _frame: Any) -> None:
        raise _Stop

    try:
        (tmp / "work").mkdir(mode=0o700)
        try:
            checker.start()
        except RuntimeError as exc:
            raise FzlintError(f"无法启动检查进程:{exc}", f"cannot start the checking process: {exc}") from None
        state = State(limits, checker, Store(limits.keep, limits.store_bytes), tmp, supported_suffixes(), _load_static(), pages.content_security_policy())
        app = create_app(state)
        config = uvicorn.Config(
            app,
            log_level=log_level,
            proxy_headers=True,
            forwarded_allow_ips=forwarded_allow_ips,
            server_header=False,
            timeout_graceful_shutdown=5,
            lifespan="off",
        )
        bound = sock.getsockname()
        shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
        if shown in ("0.0.0.0", "[::]"):
            shown = "127.0.0.1" if shown == "0.0.0.0" else "[::1]"
        print(f"fzlint serve: 请在浏览器中打开 http://{shown}:{bound[1]}/ (按 Ctrl-C 停止)", flush=True)
        signal.signal(signal.SIGTERM, stop)  # uvicorn stops gracefully, then raises it again: here
        uvicorn.Server(config).run(sockets=[sock])
    except (_Stop, KeyboardInterrupt):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        checker.close()
        sock.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print("fzlint serve: 已停止", file=sys.stderr, flush=True)
    return 0
