"""A small Language Server Protocol client for the tests: spawns `python -m fzlint server` and
speaks JSON-RPC to it over pipes with Content-Length framing, as an editor does."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


class LspClient:
    def __init__(
        self, *args: str, cwd: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None, command: list[str] | None = None
    ) -> None:
        """`command`: the server to start (default: this checkout's `python -m fzlint server`)."""
        full_env = dict(os.environ)
        if command is None:
            full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [*(command or [sys.executable, "-m", "fzlint", "server"]), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=full_env,
        )
        self.inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []  # every notification received, in order
        self.requests: list[dict[str, Any]] = []  # requests the server sent us (registerCapability)
        self._next_id = 0
        self._pending: dict[int, dict[str, Any]] = {}
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # ---- wire ----------------------------------------------------------------------------------
    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.strip().lower()] = value.strip()
            body = out.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body.decode("utf-8")))

    def _drain_stderr(self) -> None:
        err = self.proc.stderr
        assert err is not None
        for chunk in iter(lambda: err.read(4096), b""):
            self.stderr += chunk

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode("utf-8")
        stdin = self.proc.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params} if params is not None else {"method": method})

    def request(self, method: str, params: Any = None, timeout: float = 60) -> Any:
        self._next_id += 1
        msg_id = self._next_id
        self.send({"id": msg_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while msg_id not in self._pending:
            self._pump(deadline)
        reply = self._pending.pop(msg_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result")

    def _pump(self, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no answer from the server; stderr: {self.stderr.decode(errors='replace')[-2000:]}")
        try:
            msg = self.inbox.get(timeout=left)
        except queue.Empty:
            raise TimeoutError(f"no answer from the server; stderr: {self.stderr.decode(errors='replace')[-2000:]}") from None
        if msg is None:
            raise EOFError(f"the server closed its output; stderr: {self.stderr.decode(errors='replace')[-2000:]}")
        if "id" in msg and "method" in msg:  # a request from the server: answer it
            self.requests.append(msg)
            self.send({"id": msg["id"], "result": None})
        elif "id" in msg:
            self._pending[msg["id"]] = msg
        else:
            self.notifications.append(msg)

    def wait_for(self, method: str, match: Any = None, timeout: float = 60, after: int = 0) -> dict[str, Any]:
        """The first notification `method` (at index >= after) whose params satisfy match(params)."""
        deadline = time.monotonic() + timeout
        seen = after
        while True:
            while seen < len(self.notifications):
                msg = self.notifications[seen]
                seen += 1
                if msg.get("method") == method and (match is None or match(msg.get("params"))):
                    return msg["params"]
            self._pump(deadline)

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 60, after: int = 0) -> list[dict[str, Any]]:
        params = self.wait_for(
            "textDocument/publishDiagnostics",
            lambda p: p["uri"] == uri and (version is None or p.get("version") == version),
            timeout,
            after,
        )
        return params["diagnostics"]

    def idle(self, seconds: float) -> None:
        """Read whatever arrives for `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                self._pump(deadline)
            except TimeoutError:
                return

    # ---- session -------------------------------------------------------------------------------
    def initialize(self, root: str | os.PathLike[str], capabilities: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
        root_uri = Path(root).resolve().as_uri()
        caps = capabilities if capabilities is not None else default_capabilities()
        result = self.request(
            "initialize",
            {"processId": os.getpid(), "rootUri": root_uri, "capabilities": caps, "workspaceFolders": [{"uri": root_uri, "name": "reports"}], **extra},
        )
        self.notify("initialized", {})
        return result

    def open(self, path: str | os.PathLike[str], text: str, language: str = "plaintext", version: int = 1) -> str:
        uri = Path(path).resolve().as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}})
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})

    def close(self, timeout: float = 30) -> int:
        """shutdown, exit; the process's exit code."""
        self.request("shutdown")
        self.notify("exit")
        try:
            return self.proc.wait(timeout)
        finally:
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def default_capabilities() -> dict[str, Any]:
    """What a current editor (VS Code 1.9x) says it can do, in the parts fzlint uses."""
    return {
        "general": {"positionEncodings": ["utf-16"]},
        "workspace": {"workspaceEdit": {"documentChanges": True}, "didChangeWatchedFiles": {"dynamicRegistration": True}, "configuration": True},
        "textDocument": {
            "synchronization": {"didSave": True, "dynamicRegistration": False},
            "publishDiagnostics": {"versionSupport": True, "codeDescriptionSupport": True},
            "codeAction": {
                "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix", "source", "source.fixAll"]}},
                "resolveSupport": {"properties": ["edit"]},
                "dataSupport": True,
            },
            "hover": {"contentFormat": ["markdown", "plaintext"]},
        },
    }


def apply_edits(text: str, edits: list[dict[str, Any]], encoding: str = "utf-16") -> str:
    """Apply LSP TextEdits to text as a client does (positions in `encoding` units; lines end at
    \\r\\n, \\r or \\n), from the last edit to the first."""
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(pos: dict[str, int]) -> int:
        line, char = pos["line"], pos["character"]
        if line >= len(starts):
            return len(text)
        i = starts[line]
        units = 0
        while units < char and i < len(text) and text[i] not in "\r\n":
            ch = text[i]
            units += len(ch.encode("utf-8")) if encoding == "utf-8" else (2 if encoding == "utf-16" and ord(ch) > 0xFFFF else 1)
            i += 1
        return i

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits), reverse=True)
    for s, e, new in spans:
        text = text[:s] + new + text[e:]
    return text


def edits_of(action: dict[str, Any], uri: str) -> list[dict[str, Any]]:
    """The TextEdits a code action's WorkspaceEdit makes to `uri`."""
    edit = action["edit"]
    if edit.get("documentChanges"):
        return [e for dc in edit["documentChanges"] if dc["textDocument"]["uri"] == uri for e in dc["edits"]]
    return edit["changes"][uri]
