"""The server's own HTML: the upload page, error pages, and the bar added on top of the report and
audit pages that fzlint's renderers write (those pages themselves are not changed). Plain strings,
every outside text escaped; no Starlette here (the checking child uses it too).

Every response carries the same Content-Security-Policy: scripts and styles from this server
only, plus the one inline script and the inline style blocks of the report and audit pages, each
allowed by its SHA-256 (so nothing else inline could run even if escaping failed).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
from html import escape
from typing import Any
from urllib.parse import quote

# Result pages live at r/<token>/<name>: the static files are two levels up.
STATIC_FROM_RESULT = "../../static/"
# Types a writer may upload, shown on the page (the runner reads what ingest/formats.py lists).
SHOWN_TYPES = ".docx .doc .wps .pdf .ofd .txt .md .html .rtf .odt"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _mb(n: int) -> str:
    return f"{n / 1048576:g} MB"


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def content_security_policy() -> str:
    """The policy of every response (see the module docstring)."""
    from fzlint.render import audit_html, html_report

    scripts = [_hash(html_report._SCRIPT)]
    styles = [_hash(html_report._CSS), _hash(audit_html.CSS)]
    return (
        "default-src 'none'; "
        f"script-src 'self' {' '.join(scripts)}; "
        f"style-src 'self' {' '.join(styles)}; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    )


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # a result's address is its key: never sent elsewhere
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _head(title: str, static: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title>"
        f'<link rel="icon" href="{static}favicon.svg" type="image/svg+xml">'
        f'<link rel="stylesheet" href="{static}serve.css"></head>'
    )


@functools.cache
def can_annotate() -> bool:
    """Whether this fzlint makes annotated .docx files (fzlint/annotate.py, `--annotate`)."""
    return importlib.util.find_spec("fzlint.annotate") is not None


def upload_form(limits: Any, suffixes: list[str]) -> str:
    """The form: a drop zone over a plain file input (works without script too)."""
    max_file = limits.max_file
    max_total = limits.max_total
    max_files = limits.max_files
    keep = limits.keep
    accept = ",".join([*suffixes, ".zip"])
    kept = "检查结果和报告副本(用于生成带批注的 Word 文档)" if can_annotate() else "检查结果"
    return (
        f'<form id="upload" class="upload" method="post" action="check" enctype="multipart/form-data"'
        f' data-max-file="{max_file}" data-max-total="{max_total}" data-max-files="{max_files}"'
        f' data-suffixes="{_e(" ".join(suffixes))}">'
        '<label class="drop" id="drop" for="files">'
        '<span class="drop-title">把报告拖到这里,或点击选择文件</span>'
        f'<span class="drop-sub">一份报告:查看检查结果{"并下载带批注的 Word 文档" if can_annotate() else ""}<br>'
        "多份报告或一个 .zip 压缩包:生成审阅汇总(排名、必备部分、常见问题)</span>"
        '<span class="pick" aria-hidden="true">选择文件</span>'
        f'<input id="files" name="files" type="file" multiple accept="{_e(accept)}">'
        "</label>"
        '<ul id="chosen" class="chosen" hidden></ul>'
        '<p id="client-error" class="client-error" role="alert" hidden></p>'
        '<div class="actions"><button id="submit" type="submit">开始检查</button>'
        '<button id="clear" type="button" class="secondary" hidden>清空</button>'
        '<span id="busy" class="busy" hidden>正在上传并检查,请稍候……</span></div>'
        f'<p class="limits">支持 {_e(SHOWN_TYPES)} 和 .zip(.doc .wps .rtf .odt 需服务器装有 LibreOffice)。'
        f"单个文件不超过 {_mb(max_file)},一次上传共不超过 {_mb(max_total)}、最多 {max_files} 份报告。</p>"
        "<p class=\"privacy\">文件只在运行本服务的这台电脑上检查,不会发送到互联网;检查完立即从磁盘删除。"
        f"{kept}只保存在服务的内存中 {keep / 60:g} 分钟,之后需重新上传。</p>"
        "</form>"
    )


def upload_page(limits: Any, suffixes: list[str]) -> str:
    return (
        _head("法治政府建设年度报告检查 · fzlint", "static/")
        + '<body class="fz-serve"><header class="masthead"><h1>法治政府建设年度报告检查</h1>'
        '<span class="sub">fzlint 在线检查 · 必备部分、三项制度、标题序号、日期年份、数据与占位符</span></header>'
        f'<main class="narrow">{upload_form(limits, suffixes)}</main>'
        '<script src="static/serve.js"></script></body></html>\n'
    )


def error_page(title: str, message: str, limits: Any, suffixes: list[str], *, extra: str = "") -> str:
    """A clear Chinese error with the form again below it (to retry at once); served at the
    top level (the answer to check). `extra`: HTML (already escaped) shown under the message."""
    return (
        _head(f"{title} · fzlint", "static/")
        + '<body class="fz-serve"><header class="masthead"><h1>法治政府建设年度报告检查</h1></header>'
        f'<main class="narrow"><section class="error" id="error" role="alert"><h2>{_e(title)}</h2>'
        f'<p class="message">{_e(message)}</p>{extra}</section>'
        f'<h3 class="again">重新上传</h3>{upload_form(limits, suffixes)}</main>'
        '<script src="static/serve.js"></script></body></html>\n'
    )


def simple_page(title: str, message: str, *, static: str = "static/", back: str = "./") -> str:
    """A short page without the form (a result that has expired, a missing page)."""
    return (
        _head(f"{title} · fzlint", static)
        + '<body class="fz-serve"><header class="masthead"><h1>法治政府建设年度报告检查</h1></header>'
        f'<main class="narrow"><section class="error" id="error" role="alert"><h2>{_e(title)}</h2>'
        f'<p class="message">{_e(message)}</p><p><a href="{_e(back)}">返回上传页</a></p></section></main></body></html>\n'
    )


# ---- the bar on result pages ---------------------------------------------------------------
def bar(*, back: str, keep_until: str, download: tuple[str, str] | None = None, notes: list[str] | None = None,
        summary: str | None = None) -> str:
    """The strip added at the top of a result page. `download`: (file name, link text)."""
    items = [f'<a class="fz-back" href="{_e(back)}">← 检查其他报告</a>']
    if summary is not None:
        items.append(f'<a class="fz-summary" href="{_e(summary)}">↑ 返回审阅汇总</a>')
    if download is not None:
        name, text = download
        items.append(f'<a class="fz-download" id="download" href="{_e(quote(name))}" download="{_e(name)}">{_e(text)}</a>')
    items.append(f'<span class="fz-keep">结果保留到 {_e(keep_until)},之后请重新上传</span>')
    note_html = ""
    if notes:
        note_html = '<ul class="fz-notes">' + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>"
    return f'<nav class="fz-serve-bar" aria-label="在线检查">{"".join(items)}{note_html}</nav>'


def with_bar(page: str, bar_html: str) -> str:
    """A renderer's page with the server's stylesheet and bar added (the page is otherwise left as
    the renderer wrote it: every text in it is escaped, so `<body>` and `</head>` occur once)."""
    link = f'<link rel="stylesheet" href="{STATIC_FROM_RESULT}serve.css">'
    page = page.replace("</head>", link + "</head>", 1)
    return page.replace("<body>", "<body>" + bar_html, 1)
