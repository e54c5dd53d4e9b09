"""Web-page reader: declared charsets (GBK), body extraction without page chrome, publication date."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from fzlint.ingest import load_path
from fzlint.ingest.html import (
    _fallback_body,
    declared_charset,
    decode_html,
    published_date,
    read_html,
)
from tests.conftest import run_cli, seed
from tests.docmaker import seed_body, write_html

BODY = [
    "某县2021年度法治政府建设情况报告",
    "2021年,我县深入学习贯彻习近平法治思想,全面推进依法行政,法治政府建设取得新成效。现将有关情况报告如下:",
    "一、主要举措和成效",
    "(一)全面推行行政执法“三项制度”。严格落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。",
    "二、存在的不足和原因",
    "个别部门依法行政意识有待加强,原因主要是学法用法不够深入。喆",  # 喆: in GBK, not in GB2312
    "某县人民政府",
    "2022年1月20日",
]


def test_gbk_page_is_decoded_with_its_declared_charset(tmp_path: Path) -> None:
    path = write_html(BODY, tmp_path / "page.html", encoding="gbk")
    src = load_path(path)
    assert src.encoding == "gb18030" and src.replaced == 0
    assert src.text.split("\n") == BODY


def test_gb2312_declaration_reads_gbk_characters(tmp_path: Path) -> None:
    page = write_html(BODY, tmp_path / "p.html", encoding="gbk").read_bytes().replace(b"charset=gbk", b"charset=gb2312")
    text, encoding, replaced = decode_html(page)
    assert encoding == "gb18030" and replaced == 0 and "喆" in text


def test_a_false_declaration_falls_back_to_detection(tmp_path: Path) -> None:
    page = write_html(BODY, tmp_path / "p.html", encoding="gbk").read_bytes().replace(b"charset=gbk", b"charset=utf-8")
    text, encoding, _ = decode_html(page)
    assert encoding == "gb18030" and BODY[1] in text


def test_no_declaration_uses_fzlint_decoder() -> None:
    page = "<html><body><p>某县2021年度法治政府建设情况报告</p></body></html>".encode("gb18030")
    assert declared_charset(page) is None
    text, encoding, _ = decode_html(page)
    assert encoding == "gb18030" and "法治政府" in text


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("<meta http-equiv='Content-Type' content='text/html; charset=GBK'>", "gb18030"),
        ('<meta charset="utf-8">', "utf-8"),
        ('<?xml version="1.0" encoding="GB2312"?><html>', "gb18030"),
        ('<meta charset="no-such-codec">', None),
    ],
)
def test_declared_charset(head: str, expected: str | None) -> None:
    assert declared_charset(head.encode()) == expected


def test_navigation_and_footer_are_dropped(tmp_path: Path) -> None:
    src = load_path(write_html(BODY, tmp_path / "page.html"))
    assert src.format == "html"
    for chrome in ("首页", "政务公开", "您当前的位置", "相关链接", "主办单位", "网站标识码", "无障碍", "打印"):
        assert chrome not in src.text, chrome


def test_published_date_from_meta_tag(tmp_path: Path) -> None:
    src = load_path(write_html(BODY, tmp_path / "page.html", published="2022-02-15"))
    assert src.meta["published"] == "2022-02-15"
    proc = run_cli("--format", "json", "--exit-zero", str(tmp_path / "page.html"))
    assert json.loads(proc.stdout)["files"][0]["report"]["published"] == "2022-02-15"


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('<meta name="PubDate" content="2022-03-10 15:52">', "2022-03-10"),
        ('<meta property="article:published_time" content="2022-03-11T08:00:00+08:00">', "2022-03-11"),
        ("<div>发布时间：2022年3月12日 来源：司法局</div>", "2022-03-12"),
        ("<span>发布日期: 2022/3/13</span>", "2022-03-13"),
        ("<div>来源：司法局</div>", None),
        ('<meta name="PubDate" content="2022-02-30">', None),
    ],
)
def test_published_date(fragment: str, expected: str | None) -> None:
    tree = lxml.html.document_fromstring(f"<html><head></head><body>{fragment}<p>正文</p></body></html>")
    assert published_date(tree, tree.text_content()) == expected


def test_title_outside_the_body_is_put_on_top() -> None:
    page = (
        "<html><head><title>某县2021年度法治政府建设情况报告_某县人民政府</title></head><body>"
        "<div class='nav'><a href='/'>首页</a></div><h1>某县2021年度法治政府建设情况报告</h1>"
        "<div class='article'>" + "".join(f"<p>{p}</p>" for p in BODY[1:]) + "</div></body></html>"
    )
    src = read_html(page.encode("utf-8"), "p.html")
    assert src.text.split("\n")[0] == BODY[0]
    assert src.text.count(BODY[0]) == 1


def test_density_fallback_finds_the_paragraphs() -> None:
    page = (
        "<html><body><div class='nav'><a href='/'>首页</a><a href='/x'>政务公开</a></div>"
        "<div id='zoom'><p>第一段正文。</p><p>第二段正文。</p></div><div class='footer'>版权所有</div></body></html>"
    )
    text = _fallback_body(lxml.html.document_fromstring(page))
    assert [ln.strip() for ln in text.split("\n") if ln.strip()] == ["第一段正文。", "第二段正文。"]


def test_short_page_uses_the_fallback() -> None:
    page = "<html><body><div class='menu'>首页 政务公开</div><div><p>某县法治政府建设情况报告</p><p>全面推进依法行政。</p></div></body></html>"
    src = read_html(page.encode("utf-8"), "p.html")
    assert src.text.split("\n") == ["某县法治政府建设情况报告", "全面推进依法行政。"]


def test_page_without_text_is_a_clear_error() -> None:
    from fzlint.errors import InputError

    with pytest.raises(InputError) as exc:
        read_html(b"<html><body><script>var a=1;</script></body></html>", "empty.html")
    assert "没有找到正文" in exc.value.zh


def test_seed_page_as_html_gives_the_seed_findings(tmp_path: Path) -> None:
    # The cheap half of the equivalence test (no LibreOffice): seed 001 as a GBK page.
    path = write_html(seed_body(seed("001")), tmp_path / "001.html", encoding="gbk", published="2022-03-10")
    a = json.loads(run_cli("--format", "json", "--exit-zero", str(seed("001"))).stdout)["files"][0]
    b = json.loads(run_cli("--format", "json", "--exit-zero", str(path)).stdout)["files"][0]
    assert [d["code"] for d in a["diagnostics"]] == [d["code"] for d in b["diagnostics"]]
    assert b["report"]["published"] == a["report"]["published"] == "2022-03-10"
