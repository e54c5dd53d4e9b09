"""The document layer: noise, title, signature, paragraphs, headings, outline, report year."""

from __future__ import annotations

from fzlint.document import build_document
from fzlint.document.build import parse_heading
from fzlint.ingest import load_bytes, load_path
from tests.conftest import FIXTURES, seed


def doc_of(text: str, fmt: str = "txt"):  # type: ignore[no-untyped-def]
    return build_document(load_bytes(text.encode("utf-8"), "x." + fmt, fmt))


def test_heading_levels_and_forms() -> None:
    cases = {
        "一、主要举措和成效": (1, 1, None),
        "十二、其他": (1, 12, None),
        "(三)依法决策。一是…": (2, 3, None),
        "（三）依法决策": (2, 3, None),
        "三)依法决策": (2, 3, "缺少左括号"),
        "(三)、依法决策": (2, 3, "括号序号后不应再加标点"),
        "2.进一步明确": (3, 2, None),
        "2、进一步明确": (3, 2, "阿拉伯数字序号后应使用下脚点“.”"),
        "(4)加强培训": (4, 4, None),
    }
    for text, (level, number, bad) in cases.items():
        from fzlint.document.normalize import normalize

        h = parse_heading(normalize(text))
        assert h is not None, text
        assert (h.level, h.number, h.malformed) == (level, number, bad), text
    for text in ("一是深化改革。", "2021年,我市", "1.5亿元资金到位", "全年办理"):
        assert parse_heading(text) is None, text


def test_ocr_noise_in_heading_is_tolerated() -> None:
    h = parse_heading("三、0 2020年工作计划")
    assert h is not None and h.title == "2020年工作计划"


def test_page_noise_is_stripped_and_reported() -> None:
    d = build_document(load_path(seed("004")))
    reasons = {s.reason for s in d.stripped}
    assert {"导航路径", "标题前的无关内容", "脚本/网页代码", "网站页脚"} <= reasons
    assert d.meta.title == "高州市2021年度法治政府建设情况报告"
    assert not any("share" in p.text or "ICP" in p.text for p in d.paragraphs)
    assert d.paragraphs[-1].text == "专此报告。"


def test_publication_date_and_duplicate_title() -> None:
    d = build_document(load_path(seed("003")))
    assert d.meta.published is not None and d.meta.published.isoformat() == "2022-03-28"
    assert any(s.reason == "重复的标题" for s in d.stripped)


def test_pdf_broken_lines_are_joined() -> None:
    d = build_document(load_path(seed("002")))
    joined = [p for p in d.paragraphs if "探索构建分类快审机制" in p.text]
    assert len(joined) == 1
    # and the span maps back to both source lines
    p = joined[0]
    i = p.text.index("构建")
    s, e = p.view.doc_span(i, i + 2)
    assert d.source.text[s] == "构" and d.source.text[e - 1] == "建"
    assert d.source.position(s)[0] + 2 == d.source.position(e - 1)[0]
    assert any("《XX市人民政府2019年度重大行政决策事项目录》" in p.text for p in d.paragraphs)


def test_paragraph_starting_with_issuer_is_not_joined() -> None:
    d = build_document(load_path(seed("003")))
    assert any(p.text.startswith("召陵区“法律服务管家”") for p in d.paragraphs)


def test_signature_and_year_vote() -> None:
    d = build_document(load_path(seed("002")))
    assert d.meta.year == 2019 and d.meta.title_year == 2020
    sig = d.meta.signature
    assert sig is not None and sig.issuer == "XX市人民政府" and sig.date is not None
    assert sig.date.value is not None and sig.date.value.isoformat() == "2020-01-10"


def test_department_and_township_kinds() -> None:
    assert build_document(load_path(FIXTURES / "dept_clean_2022.txt")).meta.body_kind == "department"
    assert build_document(load_path(FIXTURES / "township_2023.txt")).meta.body_kind == "township"
    assert build_document(load_path(seed("000"))).meta.body_kind == "government"


def test_outline_tree() -> None:
    d = build_document(load_path(seed("003")))
    top = [c.heading.number for c in d.root.children if c.heading]
    assert top == [1, 2, 3, 4, 6, 7]
    six = d.root.children[3].children[5]
    assert [c.heading.number for c in six.children if c.heading] == [1, 2, 3, 4]


def test_markdown_heading_marks() -> None:
    d = doc_of("# 某县2021年度法治政府建设情况报告\n\n## 一、主要举措和成效\n\n内容。\n", "md")
    assert d.meta.title == "某县2021年度法治政府建设情况报告"
    assert d.paragraphs[0].heading is not None and d.paragraphs[0].heading.level == 1


def test_full_width_and_ascii_punctuation_match_alike() -> None:
    a = doc_of("（一）依法决策。全年12件。")
    b = doc_of("(一)依法决策。全年12件。")
    assert a.paragraphs[0].text == b.paragraphs[0].text
    assert a.paragraphs[0].heading == b.paragraphs[0].heading


def test_title_wrapped_on_two_lines_and_title_starting_with_guanyu() -> None:
    d = doc_of("某县人民政府关于2021年度法治政府建设\n情况的报告\n\n2021年,我县推进依法行政。\n一、主要举措和成效\n内容。\n")
    assert d.meta.title == "某县人民政府关于2021年度法治政府建设情况的报告" and d.meta.year == 2021
    assert d.paragraphs[0].text.startswith("2021年")
    d = doc_of("关于2022年法治政府建设工作情况的报告\n2022年,我局推进依法行政。\n")
    assert d.meta.title == "关于2022年法治政府建设工作情况的报告"


def test_heading_line_is_never_the_title() -> None:
    d = doc_of("一、主要举措和成效\n内容。\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n内容。\n")
    assert d.meta.title is None and len(d.paragraphs) == 4
