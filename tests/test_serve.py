"""`fzlint serve` end to end: the real server (`python -m fzlint serve`, a subprocess on a free
loopback port, TMPDIR pointed at a folder of the test) driven by Debian's Chromium through Selenium
and by plain HTTP. After every request the server's temp folder must hold nothing of it; after the
server stops, TMPDIR must be empty."""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SEEDS, run_cli
from tests.render_support import chromium, tool_missing

SEED_FILES = sorted(SEEDS.glob("*.txt"))
# Limits small enough to test with small files (MB, MB, reports).
LIMITS = ("--max-size", "1", "--max-total", "3", "--max-files", "8")
# A text that is plainly not an annual report (a meeting notice).
NOTICE = "关于召开2023年度安全生产工作会议的通知\n各科室:\n定于3月15日上午9时在三楼会议室召开安全生产工作会议,请各科室负责人准时参加。\n办公室\n2023年3月10日\n"


def _have_annotate() -> bool:
    try:
        import fzlint.annotate  # noqa: F401
    except ImportError:
        return False
    return True


# ---- the server ------------------------------------------------------------------------------
class Server:
    def __init__(self, proc: subprocess.Popen[bytes], port: int, tmpdir: Path, stderr: Path) -> None:
        self.proc = proc
        self.port = port
        self.url = f"http://127.0.0.1:{port}/"
        self.tmpdir = tmpdir
        self.stderr = stderr

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def post(self, files: list[tuple[str, bytes]]) -> tuple[int, dict[str, str], str]:
        body, ctype = multipart(files)
        status, headers, data = self.request("POST", "/check", body, {"Content-Type": ctype})
        return status, headers, data.decode("utf-8")

    def clean(self) -> None:
        """Nothing of any request is left: TMPDIR holds only the server's folder, and that only
        the checking process's (empty) temp folder."""
        entries = sorted(p.relative_to(self.tmpdir).as_posix() for p in self.tmpdir.rglob("*"))
        assert len(entries) == 2 and entries[0].startswith("fzlint-serve-") and entries[1] == f"{entries[0]}/work", entries

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(60)
        assert code == 0, self.stderr.read_text(errors="replace")
        assert "Traceback" not in self.stderr.read_text(errors="replace")
        assert list(self.tmpdir.iterdir()) == []  # the server's temp folder went with it


def multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "----fzlinttest7MA4YWxkTrZu0gW"
    out = io.BytesIO()
    for name, data in files:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'.encode())
        out.write(b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def start_server(base: Path, *args: str) -> Server:
    try:
        import python_multipart  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        tool_missing("the serve extra is not installed (pip install -e '.[test,serve]')")
    tmpdir, cwd = base / "tmp", base / "cwd"
    tmpdir.mkdir(parents=True)
    cwd.mkdir()
    stderr = base / "stderr.txt"
    env = {**os.environ, "TMPDIR": str(tmpdir), "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    proc = subprocess.Popen(
        [sys.executable, "-m", "fzlint", "serve", "--port", "0", "-q", *args],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=stderr.open("wb"),
    )
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 120
    line = b""
    while time.monotonic() < deadline and b"\n" not in line:
        if sel.select(timeout=1):
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            line += chunk
    m = re.search(rb"http://127\.0\.0\.1:(\d+)/", line)
    if m is None:
        proc.kill()
        pytest.fail(f"the server did not start: {line!r} {stderr.read_text(errors='replace')}")
    server = Server(proc, int(m.group(1)), tmpdir, stderr)
    assert server.request("GET", "/healthz")[0] == 200
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    s = start_server(tmp_path_factory.mktemp("serve"), *LIMITS)
    try:
        yield s
    finally:
        if s.proc.poll() is None:
            s.stop()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    with chromium(prefs=prefs, browser_log=True) as driver:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        yield driver


def shots() -> Path | None:
    """FZLINT_SERVE_SHOTS=folder: keep screenshots there to look at (never in the repository)."""
    folder = os.environ.get("FZLINT_SERVE_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return None


def shoot(driver: Any, name: str, tmp_path: Path, *, top: bool = True) -> None:
    target = (shots() or tmp_path) / name
    if top:
        driver.execute_script("document.documentElement.style.scrollBehavior='auto';window.scrollTo(0,0)")
    assert driver.save_screenshot(str(target)) and target.stat().st_size > 10_000


def csp_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"] or "Refused" in e["message"]]


def seed_docx(seed: Path, out: Path) -> Path:
    from tests.docmaker import seed_body, write_docx

    return write_docx(seed_body(seed), out)


def upload(driver: Any, server: Server, *paths: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(server.url)
    assert driver.title == "法治政府建设年度报告检查 · fzlint"
    driver.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in paths))
    WebDriverWait(driver, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#chosen li")) == len(paths))
    driver.find_element(By.ID, "submit").click()
    WebDriverWait(driver, 120).until(lambda d: "/r/" in d.current_url or d.find_elements(By.ID, "error"))


_COLLECT = """
const marks = {};
document.querySelectorAll('.source mark[data-finding]').forEach(function (m) {
  const id = m.dataset.finding;
  const e = marks[id] || (marks[id] = {text: '', code: m.dataset.code, line: +m.dataset.line, column: +m.dataset.column,
                                       rendered: m.getClientRects().length > 0, bg: getComputedStyle(m).backgroundColor});
  e.text += m.textContent;
});
return {score: document.querySelector('.score .big .value').textContent, marks: marks,
        panel: document.querySelectorAll('.panel li.finding').length};
"""


# ---- a writer: one report ----------------------------------------------------------------------
def test_report_page_and_annotated_docx(server: Server, browser: Any, downloads: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from fzlint.ingest import load_path

    docx_file = seed_docx(SEED_FILES[0], tmp_path / "区政府2023年法治政府建设年度报告.docx")
    browser.get(server.url)  # the upload page as a writer first sees it
    shoot(browser, "upload.png", tmp_path)
    upload(browser, server, docx_file)
    assert re.search(r"/r/[\w-]{20,}/$", browser.current_url), browser.current_url
    assert browser.title == "fzlint 检查报告"
    page = browser.execute_script(_COLLECT)
    # the same findings and score as `fzlint --format json` on the same file
    proc = run_cli("--format", "json", str(docx_file))
    ref = json.loads(proc.stdout)["files"][0]
    assert page["score"] == str(ref["score"])
    diags = ref["diagnostics"]
    assert page["panel"] == len(diags) == len(page["marks"]) and diags
    text = load_path(docx_file).text.splitlines()
    for i, d in enumerate(diags, 1):
        mark = page["marks"][f"file1-f{i}"]
        assert (mark["code"], mark["line"], mark["column"]) == (d["code"], d["line"], d["column"])
        if d["line"] == d["end_line"]:
            assert mark["text"] == text[d["line"] - 1][d["column"] - 1 : d["end_column"] - 1]
        assert mark["rendered"]
    # a highlighted finding is painted (not transparent) and the page's own script runs under the CSP
    assert any(m["bg"] not in ("rgba(0, 0, 0, 0)", "transparent") and m["text"] for m in page["marks"].values())
    link = browser.find_element(By.CSS_SELECTOR, ".panel li.finding:first-child a")
    target = link.get_attribute("href").rsplit("#", 1)[1]
    link.click()
    WebDriverWait(browser, 5).until(lambda d: d.execute_script("return document.getElementById(arguments[0]).classList.contains('active')", target))
    shoot(browser, "report-finding.png", tmp_path, top=False)
    assert csp_errors(browser) == []
    bar = browser.find_element(By.CSS_SELECTOR, ".fz-serve-bar").text
    assert "检查其他报告" in bar and "结果保留到" in bar
    shoot(browser, "report.png", tmp_path)
    server.clean()

    if not _have_annotate():
        # this fzlint has no --annotate yet: no download link, and no broken one; the upload
        # page promises no annotated file
        assert browser.find_elements(By.ID, "download") == []
        browser.get(server.url)
        assert "带批注" not in browser.find_element(By.TAG_NAME, "body").text
        return
    import docx

    link = browser.find_element(By.ID, "download")
    assert link.text.startswith("下载带批注的 Word 文档")
    link.click()
    want = downloads / "区政府2023年法治政府建设年度报告.fzlint.docx"
    WebDriverWait(browser, 30).until(lambda _d: want.exists() and not list(downloads.glob("*.crdownload")))
    comments = list(docx.Document(str(want)).comments)
    assert all(c.author == "fzlint" for c in comments)
    assert len(comments) == len(diags) + 1  # one per finding and one with the score on the title
    assert f"得分 {ref['score']} / 100" in "\n".join(c.text for c in comments)
    for d in diags:
        assert any(f"{d['code']}:{d['message']}" in c.text for c in comments), d
    # the original is untouched apart from the comments: same paragraphs
    assert [p.text for p in docx.Document(str(want)).paragraphs] == [p.text for p in docx.Document(str(docx_file)).paragraphs]


def test_dropped_files_give_the_audit_page(server: Server, browser: Any, tmp_path: Path) -> None:
    """Three reports dropped on the page (a real drop event carrying File objects): the audit page
    ranks them as `fzlint audit` does, and each name links to that report's own page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    chosen = SEED_FILES[:3]
    browser.get(server.url)
    browser.execute_script(
        """
        const dt = new DataTransfer();
        for (const [name, text] of arguments[0]) dt.items.add(new File([text], name, {type: 'text/plain'}));
        const zone = document.getElementById('drop');
        zone.dispatchEvent(new DragEvent('dragenter', {bubbles: true, dataTransfer: dt}));
        zone.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
        """,
        [[p.name, p.read_text(encoding="utf-8")] for p in chosen],
    )
    names = browser.execute_script("return Array.from(document.querySelectorAll('#chosen li')).map(li => li.firstChild.textContent)")
    assert names == [p.name for p in chosen]
    assert browser.find_element(By.ID, "submit").text == "开始检查(生成审阅汇总)"
    browser.find_element(By.ID, "submit").click()
    WebDriverWait(browser, 120).until(lambda d: d.find_elements(By.ID, "ranking"))
    rows = browser.execute_script("return Array.from(document.querySelectorAll('#ranking tbody tr')).map(r => [r.dataset.path, +r.dataset.score, +r.dataset.rank])")
    folder = tmp_path / "batch"
    folder.mkdir()
    for p in chosen:
        shutil.copy(p, folder / p.name)
    ref = json.loads(run_cli("audit", "--format", "json", *(p.name for p in chosen), cwd=folder).stdout)["reports"]
    assert rows == [[r["path"], r["score"], r["rank"]] for r in ref]
    assert csp_errors(browser) == []
    server.clean()
    first = browser.find_element(By.CSS_SELECTOR, "#ranking tbody tr a")
    first.click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".source mark[data-finding]"))
    assert browser.find_element(By.CSS_SELECTOR, ".file-head h2").text == rows[0][0]
    browser.find_element(By.CSS_SELECTOR, ".fz-summary").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.ID, "ranking"))


def test_zip_gives_the_audit_page(server: Server, browser: Any, tmp_path: Path) -> None:
    """A reviewer's zip: reports in a folder (one named in GBK, as Chinese Windows zips them), a
    spreadsheet and macOS litter. The reports are ranked under their folder names; the spreadsheet
    is listed as not checked."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    class GbkInfo(zipfile.ZipInfo):
        def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # what a GBK zip tool writes
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    archive = tmp_path / "各区县报告.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in SEED_FILES[:4]:
            zf.write(p, f"县区/{p.name}")
        zf.writestr(GbkInfo("县区/甲县2023年度报告.txt"), SEED_FILES[4].read_bytes())
        zf.writestr("县区/统计表.xlsx", b"PK\x03\x04 not really")
        zf.writestr("__MACOSX/县区/._甲县.txt", b"\x00\x05\x16\x07")
    upload(browser, server, archive)
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.ID, "ranking"))
    paths = browser.execute_script("return Array.from(document.querySelectorAll('#ranking tbody tr')).map(r => r.dataset.path)")
    assert sorted(paths) == sorted([f"县区/{p.name}" for p in SEED_FILES[:4]] + ["县区/甲县2023年度报告.txt"])
    notes = browser.find_element(By.CSS_SELECTOR, ".fz-notes").text
    assert "县区/统计表.xlsx" in notes and "__MACOSX" not in notes
    assert browser.find_element(By.ID, "summary").text.startswith("共 5 份报告,完成 5 份")
    shoot(browser, "audit.png", tmp_path)
    server.clean()


def test_errors_in_chromium(server: Server, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    bomb = tmp_path / "报告合集.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("报告.txt", b"\x00" * (64 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    upload(browser, server, bomb)
    assert browser.find_element(By.CSS_SELECTOR, "#error h2").text == "压缩包过大或可能是压缩炸弹,未解压"
    assert "压缩炸弹" in browser.find_element(By.CSS_SELECTOR, "#error .message").text
    server.clean()

    notice = tmp_path / "会议通知.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    upload(browser, server, notice)
    assert browser.find_element(By.CSS_SELECTOR, "#error h2").text == "这份文件不像法治政府建设年度报告"
    assert "会议通知.txt" in browser.find_element(By.CSS_SELECTOR, "#error .message").text
    shoot(browser, "error.png", tmp_path)
    server.clean()
    browser.find_element(By.ID, "view-anyway").click()
    assert browser.title == "fzlint 检查报告"

    # too big for the page's own check: a Chinese message at once, nothing sent
    big = tmp_path / "扫描件.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (1536 * 1024))
    browser.get(server.url)
    browser.find_element(By.ID, "files").send_keys(str(big))
    message = browser.find_element(By.ID, "client-error")
    assert message.is_displayed() and "超过 1.0 MB 的上限" in message.text
    assert not browser.find_element(By.ID, "submit").is_enabled()
    assert csp_errors(browser) == []


# ---- limits and refusals over plain HTTP -------------------------------------------------------
def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (0o120777 << 16)
    return info


def _damaged_docx() -> bytes:
    return _zip([("[Content_Types].xml", b"<Types/>")])


REFUSALS = [
    ("oversized", [("报告.txt", SEED_FILES[0].read_bytes() * 100)], 413, "文件过大", "超过 1.0 MB 的上限"),
    ("total", [(f"{i}.zip", os.urandom(1100 * 1024)) for i in range(3)], 413, "上传的文件过大", "共不能超过 3.0 MB"),
    ("count", [(f"报告{i}.txt", b"x") for i in range(9)], 413, "文件数量超过上限", "最多上传 8 份"),
    ("traversal", [("a.zip", _zip([("报告/../../etc/cron.d/x.txt", b"x")]))], 400, "压缩包不安全,未解压", "指向上级目录的路径"),
    ("absolute", [("a.zip", _zip([("/tmp/x.txt", b"x")]))], 400, "压缩包不安全,未解压", "绝对路径"),
    ("symlink", [("a.zip", _zip([(_symlink("报告.txt"), b"/etc/passwd")]))], 400, "压缩包不安全,未解压", "符号链接"),
    ("zip count", [("a.zip", _zip([(f"{i}.txt", b"x") for i in range(9)]))], 413, "文件数量超过上限", "9 份报告"),
    ("not a zip", [("a.zip", b"PK\x03\x04 broken")], 400, "压缩包无法打开", "已损坏"),
    ("no report in zip", [("a.zip", _zip([("图片.gif", b"GIF89a")]))], 400, "没有可检查的报告", "图片.gif"),  # .png/.jpg are scans (OCR)
    ("unsupported", [("统计表.xlsx", b"PK\x03\x04")], 415, "不支持的文件类型", "统计表.xlsx"),
    ("damaged docx", [("报告.docx", _damaged_docx())], 422, "无法读取这份文件", "报告.docx"),
    ("not a report", [("通知.txt", NOTICE.encode())], 422, "这份文件不像法治政府建设年度报告", "通知.txt"),
    ("no file", [], 400, "没有选择文件", "请先选择"),
    ("only notices", [("通知一.txt", NOTICE.encode()), ("通知二.txt", NOTICE.replace("安全生产", "保密").encode())], 422,
     "上传的文件都不像法治政府建设年度报告", "通知一.txt、通知二.txt 看起来都不是"),
]


@pytest.mark.parametrize(("case", "files", "status", "title", "detail"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals(server: Server, case: str, files: list[tuple[str, bytes]], status: int, title: str, detail: str) -> None:
    code, headers, body = server.post(files)
    assert code == status, body
    assert f"<h2>{title}</h2>" in body
    assert detail in body, body
    assert "content-security-policy" in headers and headers["x-content-type-options"] == "nosniff"
    assert 'id="upload"' in body  # the form again, to retry
    server.clean()


def test_bad_requests(server: Server) -> None:
    code, _h, body = server.request("POST", "/check", b"files=x", {"Content-Type": "application/x-www-form-urlencoded"})
    assert code == 400 and "上传格式不对".encode() in body
    code, _h, body = server.request("GET", "/check")
    assert code == 405 and "不支持的请求方式".encode() in body
    code, headers, body = server.request("GET", "/r/no-such-result/")
    assert code == 404 and "结果已过期".encode() in body and "content-security-policy" in headers
    for path in ("/static/", "/static/../fzlint/serve/app.py", "/static/%2e%2e/app.py", "/nothing"):
        code, headers, _body = server.request("GET", path)
        assert code == 404 and headers["x-content-type-options"] == "nosniff", path
    code, headers, body = server.request("GET", "/static/serve.js")
    assert code == 200 and headers["content-type"].startswith("text/javascript") and b"DataTransfer" in body
    server.clean()


def test_headers_and_csp(server: Server) -> None:
    code, headers, body = server.request("GET", "/")
    assert code == 200
    csp = headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"
    assert b"<script>" not in body and b"http://" not in body and b"https://" not in body  # no CDN, no inline script
    code, headers, _body = server.request("GET", "/static/serve.css")
    assert code == 200 and headers["content-type"].startswith("text/css")


def test_zip_names_cannot_escape(server: Server) -> None:
    """Odd member names land inside the request's folder under cleaned names (and are gone after)."""
    data = _zip([
        ("报告\x01A.txt", SEED_FILES[0].read_bytes()),
        ("报告A.txt", SEED_FILES[1].read_bytes()),
        ("目录\\子目录\\报告B.txt", SEED_FILES[2].read_bytes()),
    ])
    code, headers, body = server.post([("批量.zip", data)])
    assert code == 303, body
    code, headers, page = server.request("GET", "/" + headers["location"], headers={"Accept-Encoding": "identity"})
    html = page.decode()
    paths = re.findall(r'data-path="([^"]+)" data-status="ok"', html)
    assert sorted(paths) == sorted(["报告A.txt", "报告A (2).txt", "目录/子目录/报告B.txt"])
    server.clean()


def test_timeout_stops_the_check(tmp_path: Path) -> None:
    """Past --timeout the check is killed (with its workers), the user is told, the request's
    files are removed and the server goes on."""
    slow = start_server(tmp_path / "slow", "--timeout", "0.05", "-j", "2")
    try:
        archive = _zip([(f"{i:02d}_{p.name}", p.read_bytes()) for i in range(4) for p in SEED_FILES])
        code, _h, body = slow.post([("二十份报告.zip", archive)])
        assert code == 413 and "<h2>检查超时</h2>" in body and "0.05 秒" in body
        slow.clean()
        assert slow.request("GET", "/healthz")[0] == 200
    finally:
        slow.stop()


# ---- the command ----------------------------------------------------------------------------------
def test_without_the_extra() -> None:
    code = "import sys; sys.modules['uvicorn'] = None; from fzlint.cli import main; sys.exit(main(['serve']))"
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "pip install 'fzlint[serve]'" in err and "Traceback" not in err


def test_open_host_warns_and_busy_port_is_named(tmp_path: Path) -> None:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    port = holder.getsockname()[1]
    try:
        proc = run_cli("serve", "--host", "0.0.0.0", "--port", str(port), cwd=tmp_path)
    finally:
        holder.close()
    err = proc.stderr.decode()
    assert proc.returncode == 2, err
    assert "警告:--host 0.0.0.0" in err and "反向代理" in err
    assert f"端口 {port} 已被占用" in err and "Traceback" not in err
    proc = run_cli("serve", "--max-files", "0", cwd=tmp_path)
    assert proc.returncode == 2 and "正整数" in proc.stderr.decode()


def test_check_does_not_import_the_server() -> None:
    code = (
        "import sys; from fzlint.cli import main; main(['-q', sys.argv[1]]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'python_multipart', 'anyio') or m.startswith('fzlint.serve')))"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(SEED_FILES[0])], check=False, capture_output=True, cwd=ROOT, timeout=120)
    assert proc.stdout.decode().strip().splitlines()[-1] == "[]"


def test_store_expires_and_caps() -> None:
    from fzlint.serve.store import Store

    store = Store(keep=0.2, max_bytes=100)
    a = store.put({"": ("text/html", b"a" * 60, False)})
    assert a is not None and store.get(a, "") is not None
    b = store.put({"": ("text/html", b"b" * 60, False)})  # over the cap: the oldest goes
    assert b is not None and store.get(a, "") is None and store.get(b, "") is not None
    assert store.put({"": ("text/html", b"c" * 101, False)}) is None  # never kept at all
    time.sleep(0.3)
    assert store.get(b, "") is None and store.kept_bytes == 0


def test_store_keeps_the_upload_for_its_annotated_file() -> None:
    """A report's upload is kept with its page (counted against the cap), the annotated file made
    later joins the same entry, and both go when the entry goes."""
    from fzlint.serve.store import Store

    store = Store(keep=0.2, max_bytes=200)
    a = store.put({"": ("text/html", b"a" * 40, False)}, ("报告.docx", b"d" * 40))
    assert a is not None and store.source(a) == ("报告.docx", b"d" * 40) and store.kept_bytes == 80
    b = store.put({"": ("text/html", b"b" * 40, False)})
    assert b is not None and store.source(b) is None
    # adding to the older entry makes room by dropping the other one, never the entry itself
    assert store.add(a, "报告.fzlint.docx", ("application/x", b"z" * 100, False))
    assert store.get(a, "报告.fzlint.docx") is not None and store.get(b, "") is None
    assert store.kept_bytes == 180
    assert not store.add(a, "x", ("application/x", b"z" * 201, False))  # larger than the cap
    assert not store.add("gone", "x", ("application/x", b"z", False))
    time.sleep(0.3)
    assert store.source(a) is None and store.kept_bytes == 0


def test_annotated_link_of_an_expired_result(server: Server) -> None:
    """The annotated .docx of a result that is gone (or never existed) is the expiry page, not an
    error of the checking process."""
    code, headers, body = server.request("GET", "/r/no-such-result/%E6%8A%A5%E5%91%8A.fzlint.docx")
    assert code == 404 and "结果已过期".encode() in body and "content-security-policy" in headers
    server.clean()
