"""`fzlint server`: real Language Server Protocol sessions over pipes (tests/lsp_client.py spawns
`python -m fzlint server` and speaks JSON-RPC with Content-Length framing, as an editor does),
checked against the CLI on the same text."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_cli, seed
from tests.lsp_client import LspClient, apply_edits, default_capabilities, edits_of

pytest.importorskip("pygls", reason="the lsp extra: pip install -e '.[test,lsp]'")

FIXABLE_SEED = "001"  # has single fixes (FZ705, FZ803) and the whole-text punctuation fix (P100)


@pytest.fixture
def client() -> Any:
    clients: list[LspClient] = []

    def make(*args: str, **kwargs: Any) -> LspClient:
        c = LspClient(*args, **kwargs)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.kill()


def cli_diagnostics(path: Path) -> list[dict[str, Any]]:
    proc = run_cli("--format", "json", "--exit-zero", str(path), cwd=path.parent)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)["files"][0]["diagnostics"]


def as_lsp(d: dict[str, Any]) -> tuple[str, int, int, int, int]:
    """A CLI JSON diagnostic as (code, LSP range) — 0-based lines, code-point columns."""
    return d["code"], d["line"] - 1, d["column"] - 1, d["end_line"] - 1, d["end_column"] - 1


def key(d: dict[str, Any]) -> tuple[str, int, int, int, int]:
    r = d["range"]
    return d["code"], r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"]


def code_actions(c: LspClient, uri: str, rng: dict[str, Any], diagnostics: list[dict[str, Any]] | None = None, only: list[str] | None = None) -> list[dict[str, Any]]:
    context: dict[str, Any] = {"diagnostics": diagnostics or []}
    if only is not None:
        context["only"] = only
    return c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng, "context": context}) or []


def copy_seed(prefix: str, folder: Path, name: str = "report.txt") -> Path:
    target = folder / name
    shutil.copyfile(seed(prefix), target)
    return target


# ---- the whole session -----------------------------------------------------------------------
def test_session_diagnostics_quick_fix_hover_shutdown(tmp_path: Path, client: Any) -> None:
    """initialize → didOpen → publishDiagnostics (= the CLI's findings) → codeAction on a fixable
    finding → apply its edit → didChange → the finding is gone → hover → shutdown → exit 0."""
    path = copy_seed(FIXABLE_SEED, tmp_path)
    text = path.read_text(encoding="utf-8")
    expected = sorted(as_lsp(d) for d in cli_diagnostics(path))

    c = client()
    init = c.initialize(tmp_path)
    caps = init["capabilities"]
    assert init["serverInfo"]["name"] == "fzlint"
    assert caps["positionEncoding"] == "utf-16"
    assert caps["textDocumentSync"]["change"] == 1  # whole documents
    assert set(caps["codeActionProvider"]["codeActionKinds"]) == {"quickfix", "source.fixAll.fzlint"}
    assert caps["hoverProvider"]

    uri = c.open(path, text)
    diags = c.diagnostics(uri, version=1)
    assert sorted(key(d) for d in diags) == expected
    assert all(d["source"] == "fzlint" for d in diags)
    by_code = {d["code"]: d for d in diags}
    cli = {d["code"]: d for d in cli_diagnostics(path)}
    for code, d in by_code.items():
        assert d["severity"] == {"error": 1, "warning": 2, "info": 3}[cli[code]["severity"]]
        assert d["message"].startswith(cli[code]["message"])
        href = d["codeDescription"]["href"]
        assert href.startswith("file://") and Path(href[len("file://") :]).read_text(encoding="utf-8").startswith(f"# {code} (")

    # a quick fix for FZ803 (a mixed-up word): exactly the fix --fix applies to it
    target = by_code["FZ803"]
    actions = code_actions(c, uri, target["range"], [target])
    fix = next(a for a in actions if a["kind"] == "quickfix" and a["title"].startswith("修复 FZ803"))
    assert fix["diagnostics"][0]["code"] == "FZ803" and fix["isPreferred"]
    fixed = apply_edits(text, edits_of(fix, uri))
    assert len(fixed) == len(text) and sum(a != b for a, b in zip(text, fixed)) == 1  # one character changed
    assert any(a["title"] == "在此行停用 FZ803(插入 fzlint 指令)" for a in actions)

    c.change(uri, fixed, 2)
    after = c.diagnostics(uri, version=2)
    assert "FZ803" not in {d["code"] for d in after}
    assert sorted(key(d) for d in after) == sorted(k for k in expected if k[0] != "FZ803")

    # hover on a finding: its message and the rule's explain text
    fz705 = next(d for d in after if d["code"] == "FZ705")
    hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": fz705["range"]["start"]})
    assert hover["contents"]["kind"] == "markdown"
    value = hover["contents"]["value"]
    sev = {"error": "错误", "warning": "警告", "info": "提示"}[cli["FZ705"]["severity"]]
    assert value.startswith(f"**{sev}[FZ705]**:{cli['FZ705']['message']}")
    explain = run_cli("explain", "FZ705").stdout.decode()
    assert explain.splitlines()[0].lstrip("# ") in value and "## 依据" in explain and "依据" in value
    assert hover["range"] == fz705["range"]
    quiet_line = next(n for n in range(len(text.splitlines())) if not any(d["range"]["start"]["line"] <= n <= d["range"]["end"]["line"] for d in after))
    assert c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": quiet_line, "character": 0}}) is None

    c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert c.diagnostics(uri, after=len(c.notifications)) == []
    assert c.close() == 0


def test_fix_all_matches_cli_fix(tmp_path: Path, client: Any) -> None:
    """source.fixAll.fzlint: the edit gives exactly what `fzlint --fix` writes; with resolve
    support the edit comes from codeAction/resolve."""
    path = copy_seed(FIXABLE_SEED, tmp_path)
    text = path.read_text(encoding="utf-8")
    on_disk = tmp_path / "fixed-by-cli.txt"
    shutil.copyfile(path, on_disk)
    run_cli("--fix", "--exit-zero", str(on_disk), cwd=tmp_path)
    want = on_disk.read_text(encoding="utf-8")
    assert want != text

    c = client()
    c.initialize(tmp_path)
    uri = c.open(path, text)
    c.diagnostics(uri, version=1)
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    # VS Code's editor.codeActionsOnSave asks for source.fixAll: the edit comes at once
    (action,) = code_actions(c, uri, whole, only=["source.fixAll"])
    assert action["kind"] == "source.fixAll.fzlint"
    assert apply_edits(text, edits_of(action, uri)) == want
    # the light bulb (no `only`): the fix-all action is resolved when chosen
    listed = [a for a in code_actions(c, uri, whole) if a["kind"] == "source.fixAll.fzlint"]
    assert len(listed) == 1 and "edit" not in listed[0]
    resolved = c.request("codeAction/resolve", listed[0])
    assert apply_edits(text, edits_of(resolved, uri)) == want
    # only quick fixes asked for: no source action
    assert all(a["kind"] == "quickfix" for a in code_actions(c, uri, whole, only=["quickfix"]))
    c.change(uri, want, 2)
    remaining = c.diagnostics(uri, version=2)
    assert not [a for a in code_actions(c, uri, whole, only=["source.fixAll"])]
    assert {d["code"] for d in remaining} == {d["code"] for d in cli_diagnostics(on_disk)}
    assert c.close() == 0


@pytest.mark.parametrize("name", ["report.txt", "report.md"])
def test_disable_for_this_line(tmp_path: Path, client: Any, name: str) -> None:
    """The "disable for this line" action inserts the inline directive (an HTML comment in
    Markdown); the finding goes away and the other findings stay where they were."""
    path = copy_seed("004", tmp_path, name)
    text = path.read_text(encoding="utf-8")
    c = client()
    c.initialize(tmp_path)
    uri = c.open(path, text, "markdown" if name.endswith(".md") else "plaintext")
    diags = c.diagnostics(uri, version=1)
    target = next(d for d in diags if d["code"] == "FZ503")
    actions = code_actions(c, uri, target["range"], [target])
    disable = next(a for a in actions if a["title"] == "在此行停用 FZ503(插入 fzlint 指令)")
    new = apply_edits(text, edits_of(disable, uri))
    line = target["range"]["start"]["line"]
    inserted = new.splitlines()[line]
    assert inserted == ("<!-- fzlint: disable-next-line=FZ503 -->" if name.endswith(".md") else "# fzlint: disable-next-line=FZ503")
    c.change(uri, new, 2)
    after = c.diagnostics(uri, version=2)
    assert not [d for d in after if d["code"] == "FZ503" and d["range"]["start"]["line"] == line + 1]
    moved = sorted(
        (k[0], k[1] + (1 if k[1] >= line else 0), k[2], k[3] + (1 if k[3] >= line else 0), k[4]) for k in map(key, diags) if k != key(target)
    )
    assert sorted(key(d) for d in after) == moved
    assert c.close() == 0


# ---- positions -------------------------------------------------------------------------------
ASTRAL = "𠀀"  # U+20000, CJK Extension B: two UTF-16 code units, four UTF-8 bytes


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8"])
def test_positions_with_astral_characters_and_crlf(tmp_path: Path, client: Any, encoding: str) -> None:
    """A rare character outside the BMP before a finding on the same line shifts UTF-16 columns
    by one more than code points; the server speaks the encoding the client offers, on CRLF text
    with a BOM, and its quick fix edits the right characters."""
    text = seed(FIXABLE_SEED).read_text(encoding="utf-8")
    lines = text.split("\n")
    i = next(n for n, ln in enumerate(lines) if "浓造" in ln or "政府履行推进" in ln)
    lines[i] = ASTRAL + lines[i]
    text = "\ufeff" + "\r\n".join(lines)
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("utf-8"))
    expected = {as_lsp(d) for d in cli_diagnostics(path)}  # code-point columns

    c = client()
    caps = default_capabilities()
    caps["general"]["positionEncodings"] = [encoding, "utf-16"]
    assert c.initialize(tmp_path, caps)["capabilities"]["positionEncoding"] == encoding
    uri = c.open(path, text)
    diags = c.diagnostics(uri, version=1)
    physical = text[1:].split("\r\n")  # the BOM is not a column (fzlint and editors agree)

    def units(line: int, col: int) -> int:
        piece = physical[line][:col]
        if line == 0:
            piece = "\ufeff" + piece  # an editor keeps the BOM character in the text it sends
        return {"utf-16": len(piece.encode("utf-16-le")) // 2, "utf-32": len(piece), "utf-8": len(piece.encode("utf-8"))}[encoding]

    want = sorted((code, l1, units(l1, c1), l2, units(l2, c2)) for code, l1, c1, l2, c2 in expected)
    assert sorted(key(d) for d in diags) == want
    on_astral_line = [d for d in diags if d["range"]["start"]["line"] == i]
    assert on_astral_line, "a finding on the line with the astral character"
    # the quick fix on that line replaces the right characters
    target = next((d for d in on_astral_line if d["code"] in ("FZ803", "FZ705")), None)
    if target is not None:
        actions = code_actions(c, uri, target["range"], [target])
        fix = next(a for a in actions if a["title"].startswith(f"修复 {target['code']}"))
        fixed = apply_edits(text, edits_of(fix, uri), encoding)
        c.change(uri, fixed, 2)
        after = c.diagnostics(uri, version=2)
        assert target["code"] not in {d["code"] for d in after if d["range"]["start"]["line"] == i}
        assert fixed.startswith("\ufeff") and ASTRAL in fixed and "\r\n" in fixed and "\n" not in fixed.replace("\r\n", "")
    assert c.close() == 0


# ---- typing ----------------------------------------------------------------------------------
def test_debounce_publishes_only_the_last_version(tmp_path: Path, client: Any) -> None:
    """Five changes in quick succession are linted once, for the last version; nothing stale is
    published."""
    path = copy_seed("002", tmp_path)
    text = path.read_text(encoding="utf-8")
    c = client("--debounce", "300")
    c.initialize(tmp_path)
    uri = c.open(path, text)
    first = c.diagnostics(uri, version=1)
    mark = len(c.notifications)
    for v in range(2, 7):
        c.change(uri, text + "\n" + "补充。" * v, v)
        time.sleep(0.02)
    last = c.diagnostics(uri, version=6, after=mark)
    c.idle(1.0)
    published = [n["params"]["version"] for n in c.notifications[mark:] if n["method"] == "textDocument/publishDiagnostics"]
    assert published == [6]
    assert {d["code"] for d in last} >= {d["code"] for d in first} - {"FZ902"}
    assert c.close() == 0


# ---- configuration ---------------------------------------------------------------------------
def test_config_file_found_from_the_document_and_reloaded(tmp_path: Path, client: Any) -> None:
    """fzlint.toml next to the report applies; editing it re-lints open documents (the client's
    file watcher, or the server noticing at the next lint)."""
    sub = tmp_path / "县政府"
    sub.mkdir()
    path = copy_seed(FIXABLE_SEED, sub)
    text = path.read_text(encoding="utf-8")
    (sub / "fzlint.toml").write_text('ignore = ["P100"]\n', encoding="utf-8")
    c = client()
    c.initialize(tmp_path)
    uri = c.open(path, text)
    codes = {d["code"] for d in c.diagnostics(uri, version=1)}
    (reg,) = [r for r in c.requests if r["method"] == "client/registerCapability"]  # a file watcher for config files
    assert {w["globPattern"] for w in reg["params"]["registrations"][0]["registerOptions"]["watchers"]} >= {"**/fzlint.toml"}
    assert "P100" not in codes and "FZ803" in codes

    time.sleep(0.01)
    (sub / "fzlint.toml").write_text('ignore = ["P100", "FZ803"]\n', encoding="utf-8")
    mark = len(c.notifications)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": (sub / "fzlint.toml").as_uri(), "type": 2}]})
    codes = {d["code"] for d in c.diagnostics(uri, version=1, after=mark)}
    assert "P100" not in codes and "FZ803" not in codes

    # no notification from the client: the next lint sees the change
    (sub / "fzlint.toml").write_text("ignore = []\n", encoding="utf-8")
    mark = len(c.notifications)
    c.change(uri, text + "\n", 2)
    codes = {d["code"] for d in c.diagnostics(uri, version=2, after=mark)}
    assert {"P100", "FZ803"} <= codes
    assert c.close() == 0


def test_config_error_is_shown(tmp_path: Path, client: Any) -> None:
    path = copy_seed("000", tmp_path)
    (tmp_path / "fzlint.toml").write_text('select = "FZ1"\nignore = [\n', encoding="utf-8")
    c = client()
    c.initialize(tmp_path)
    uri = c.open(path, path.read_text(encoding="utf-8"))
    (diag,) = c.diagnostics(uri, version=1)
    assert diag["severity"] == 1 and "fzlint.toml" in diag["message"]
    shown = c.wait_for("window/showMessage")
    assert shown["type"] == 1 and "fzlint.toml" in shown["message"]
    assert c.close() == 0


def test_documents_that_are_not_reports_or_not_served(tmp_path: Path, client: Any) -> None:
    """A README.md that is not a report, an empty new file, and a Word file opened as text get
    no findings; an unsaved buffer is linted with the workspace's configuration."""
    c = client()
    c.initialize(tmp_path)
    readme = c.open(tmp_path / "README.md", "# 工具说明\n\n本目录存放各单位报送的材料,请按月份整理。运行 make 生成汇总表格。\n", "markdown")
    assert c.diagnostics(readme, version=1) == []
    empty = c.open(tmp_path / "新报告.md", "", "markdown")
    assert c.diagnostics(empty, version=1) == []
    word = c.open(tmp_path / "report.docx", seed("000").read_text(encoding="utf-8"))
    assert c.diagnostics(word, version=1) == []
    c.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": "untitled:Untitled-1", "languageId": "plaintext", "version": 1, "text": seed("000").read_text(encoding="utf-8")}},
    )
    assert {d["code"] for d in c.diagnostics("untitled:Untitled-1", version=1)} == {d["code"] for d in cli_diagnostics(seed("000"))}
    assert c.close() == 0


# ---- the process -----------------------------------------------------------------------------
def test_exit_without_shutdown_and_closed_input(tmp_path: Path, client: Any) -> None:
    c = client()
    c.initialize(tmp_path)
    c.notify("exit")
    assert c.proc.wait(30) == 1  # the specification: exit without shutdown is an error
    c2 = client()
    c2.initialize(tmp_path)
    assert c2.proc.stdin is not None
    c2.proc.stdin.close()  # the editor went away
    assert c2.proc.wait(30) != 0


def test_server_without_pygls_says_how_to_install() -> None:
    code = "import sys; sys.modules['pygls'] = None; from fzlint.cli import main; sys.exit(main(['server']))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL, check=False)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "pip install 'fzlint[lsp]'" in err and "Traceback" not in err


def test_check_does_not_import_the_server() -> None:
    """`fzlint report.txt` stays light: neither pygls nor the server module is imported."""
    code = (
        "import sys; from fzlint.cli import main; main(['-q', sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs') or m.startswith('fzlint.lsp')))"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(seed(FIXABLE_SEED))], check=False, capture_output=True, cwd=ROOT, timeout=120)
    assert proc.stdout.decode().strip().splitlines()[-1] == "[]", proc.stderr.decode()


def test_server_help() -> None:
    proc = run_cli("server", "--help")
    assert proc.returncode == 0 and "--debounce" in proc.stdout.decode()


# ---- Neovim as a second real client -----------------------------------------------------------
NVIM_SCRIPT = r"""
local function session()
local out = { }
local id = vim.lsp.start_client({
  name = 'fzlint',
  cmd = { vim.env.FZ_PYTHON, '-m', 'fzlint', 'server' },
  root_dir = vim.env.FZ_ROOT,
})
vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.FZ_FILE))
vim.lsp.buf_attach_client(0, id)
local function snapshot()
  local items = { }
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    table.insert(items, { code = code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity, source = d.source })
  end
  return items
end
out.ready = vim.wait(120000, function() return #vim.diagnostic.get(0) > 0 end, 20)
out.first = snapshot()
-- the quick fix of the first FZ803 finding, applied by Neovim itself
local target
for _, d in ipairs(vim.diagnostic.get(0)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
  if code == 'FZ803' and target == nil then target = d end
end
local params = vim.lsp.util.make_range_params()
params.range = { start = { line = target.lnum, character = 0 }, ['end'] = { line = target.end_lnum + 1, character = 0 } }
params.context = { diagnostics = { } }
local replies = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 60000)
out.titles = { }
local fix
for _, reply in pairs(replies or { }) do
  for _, action in ipairs(reply.result or { }) do
    table.insert(out.titles, action.title)
    if fix == nil and action.title:find('修复 FZ803', 1, true) then fix = action end
  end
end
vim.lsp.util.apply_workspace_edit(fix.edit, 'utf-16')
local before = #out.first
out.updated = vim.wait(60000, function() return #vim.diagnostic.get(0) == before - 1 end, 20)
out.second = snapshot()
local other = vim.diagnostic.get(0)[1]
out.hovered = other.code or other.user_data.lsp.code
local line_text = vim.api.nvim_buf_get_lines(0, other.lnum, other.lnum + 1, false)[1]
local _, u16 = vim.str_utfindex(line_text, other.col)
local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = other.lnum, character = u16 } }, 60000)
out.hover = { }
for _, reply in pairs(hover or { }) do
  if reply.result then table.insert(out.hover, reply.result.contents.value) end
end
out.text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
local f = io.open(vim.env.FZ_OUT, 'w')
f:write(vim.json.encode(out))
f:close()
vim.lsp.stop_client(id)
end
local ok, err = pcall(session)
if not ok then
  io.stderr:write(tostring(err) .. '\n')
  vim.cmd('cquit 3')
end
vim.cmd('qa!')
"""


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed")
def test_neovim_headless_session(tmp_path: Path) -> None:
    """Neovim (0.7+: vim.lsp.start_client) runs `fzlint server`: its diagnostics land on the CLI's
    lines and byte columns, the quick fix it applies itself removes the finding, hover answers."""
    import os

    path = copy_seed(FIXABLE_SEED, tmp_path)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    expected = []
    for d in cli_diagnostics(path):
        code, l1, c1, l2, c2 = as_lsp(d)
        expected.append((code, l1, len(lines[l1][:c1].encode()), l2, len(lines[l2][:c2].encode())))  # Neovim columns are bytes
    script = tmp_path / "session.lua"
    script.write_text(NVIM_SCRIPT, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "FZ_PYTHON": sys.executable,
        "FZ_ROOT": str(tmp_path),
        "FZ_FILE": str(path),
        "FZ_OUT": str(out),
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    proc = subprocess.run(
        ["nvim", "--headless", "--clean", "-c", f"luafile {script}"], env=env, cwd=tmp_path, capture_output=True, timeout=300, stdin=subprocess.DEVNULL, check=False
    )
    assert proc.returncode == 0 and out.exists(), proc.stderr.decode(errors="replace")
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["ready"] and got["updated"]
    first = sorted((d["code"], d["lnum"], d["col"], d["end_lnum"], d["end_col"]) for d in got["first"])
    assert first == sorted(expected)
    assert {d["source"] for d in got["first"]} == {"fzlint"}
    assert any(t.startswith("修复 FZ803") for t in got["titles"]) and any(t.startswith("在此行停用 FZ803") for t in got["titles"])
    assert "FZ803" not in {d["code"] for d in got["second"]}
    fixed = got["text"]
    assert len(fixed) == len(text.rstrip("\n")) and sum(a != b for a, b in zip(text, fixed)) == 1
    assert got["hover"] and f"[{got['hovered']}]" in got["hover"][0]


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed")
def test_neovim_setup_in_the_docs_works(tmp_path: Path) -> None:
    """docs/editors.md's Neovim 0.7–0.10 snippet, verbatim, with `fzlint` on PATH (a shim that runs
    this checkout): opening a report shows the CLI's findings."""
    import os
    import re

    doc = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    snippet = next(b for b in re.findall(r"```lua\n(.*?)```", doc, re.DOTALL) if "nvim_create_autocmd" in b)
    assert 'cmd = { "fzlint", "server" }' in snippet
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "fzlint"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m fzlint "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    (tmp_path / "reports").mkdir()
    path = copy_seed(FIXABLE_SEED, tmp_path / "reports")
    expected = sorted({as_lsp(d)[0] for d in cli_diagnostics(path)})
    out = tmp_path / "codes.json"
    script = tmp_path / "init.lua"
    script.write_text(
        snippet
        + f"""
vim.cmd('edit ' .. vim.fn.fnameescape({json.dumps(str(path))}))
local ok = vim.wait(120000, function() return #vim.diagnostic.get(0) > 0 end, 20)
local codes = {{ }}
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(codes, d.code or d.user_data.lsp.code) end
local f = io.open({json.dumps(str(out))}, 'w')
f:write(vim.json.encode({{ ok = ok, filetype = vim.bo.filetype, codes = codes }}))
f:close()
vim.cmd('qa!')
""",
        encoding="utf-8",
    )
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(
        ["nvim", "--headless", "--clean", "-c", f"luafile {script}"], env=env, cwd=tmp_path, capture_output=True, timeout=300, stdin=subprocess.DEVNULL, check=False
    )
    assert proc.returncode == 0 and out.exists(), proc.stderr.decode(errors="replace")
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["ok"] and got["filetype"] == "text"
    assert sorted(set(got["codes"])) == expected


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_run_by_hand_in_a_terminal_says_what_it_is_and_ctrl_c_quits() -> None:
    """Someone types `fzlint server` in a terminal: a one-line note (it is for editors), and Ctrl-C
    ends it at once with the usual 已中断 and exit 130 (pygls alone would hang joining its stdin
    reader thread)."""
    import os
    import pty
    import signal
    import threading

    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "fzlint", "server"], stdin=slave, stdout=slave, stderr=slave, start_new_session=True, env=env)
    os.close(slave)
    out = bytearray()

    def read() -> None:
        try:
            while chunk := os.read(master, 4096):
                out.extend(chunk)
        except OSError:
            pass

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while "无需手动运行".encode() not in out and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        time.sleep(2)  # the server now waits on stdin
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(15) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        time.sleep(0.2)
        os.close(master)
    text = out.decode(errors="replace")
    assert "语言服务器" in text and "已中断" in text and "Traceback" not in text
