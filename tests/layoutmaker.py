"""Word files with a GB/T 9704-2012 layout, and the same file with one layout defect, for tests.

`make_layout_docx(path, spec)` writes a short report (title, opening, headings of all four
levels, body, 署名 and 成文日期, a footer page number) formatted the way the standard asks:
A4, margins 37/35/28/26 mm, title 二号 方正小标宋简体, body 三号 仿宋_GB2312 (Latin text Times
New Roman), headings 黑体 / 楷体_GB2312 / 仿宋_GB2312, fixed 28 pt line spacing, first-line indent
2 characters, "— 1 —" page numbers in 四号, the date right-aligned 4 characters from the margin.

`spec` changes one thing (the `examples` of the gbt9704-layout rules are such specs):
"正文字号=12", "纸张=Letter", "行距=1.5倍" … several are joined with "；". A spec without
"=" ("(GB/T 9704 版式)") changes nothing. Formatting is set where Word users set it: the body
through the Normal style, title and headings by direct run formatting.

`report` lists (role, text): title, body, h1…h4, issuer, date; "body@12" sets that paragraph's
size directly; "h2+body" is a heading whose title is followed by body text in the same
paragraph; "table@10.5" is a one-row table whose cells ("|"-separated) are in that size.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

REPORT = [
    ("title", "安平市人民政府关于2023年度法治政府建设情况的报告"),
    ("body", "2023年，我市坚持以习近平法治思想为指导，深入推进依法行政，法治政府建设取得新进展。现将有关情况报告如下。"),
    ("h1", "一、主要举措和成效"),
    ("h2", "（一）坚持依法全面履行政府职能"),
    ("body", "深化“放管服”改革，全年取消和下放行政许可事项12项，政务服务事项网上可办率达到98%。"),
    ("h3", "1.完善权责清单制度"),
    ("body", "动态调整市级部门权责清单，公布行政权力事项3190项，实现清单之外无权力。"),
    ("h4", "（1）规范清单管理"),
    ("body", "建立清单动态调整机制，全年调整事项46项，并在市政府网站公开。"),
    ("h2", "（二）严格规范公正文明执法"),
    ("body", "全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，全年审核重大执法决定86件。"),
    ("h1", "二、存在的不足和原因"),
    ("body", "一是基层执法力量仍然不足，原因是编制紧张、人员流动较快。二是法治宣传的针对性不够强。"),
    ("h1", "三、党政主要负责人履行推进法治建设第一责任人职责情况"),
    ("body", "市政府主要负责人全年主持召开常务会议专题研究法治政府建设4次，带头开展会前学法，年底向市委述法。"),
    ("h1", "四、2024年主要安排"),
    ("body", "2024年，我市将继续加强法治政府建设，重点抓好行政执法队伍建设和法治宣传教育。"),
    ("issuer", "安平市人民政府"),
    ("date", "2024年3月1日"),
]

BASE = {
    "paper": (11906, 16838),
    "margins": (2098, 1984, 1587, 1474),  # top, bottom, left, right (twips): 37, 35, 28, 26 mm
    "title_font": "方正小标宋简体",
    "title_size": 22,
    "body_font": "仿宋_GB2312",
    "body_size": 16,
    "body_latin": None,  # a direct Latin font on body runs
    "h_fonts": {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"},
    "h_sizes": {1: 16, 2: 16, 3: 16, 4: 16},
    "h3_bold": False,
    "spacing": ("exact", 560),  # twips
    "grid": None,  # line pitch in twips
    "indent": ("chars", 200),  # firstLineChars
    "lead": "",
    "left_chars": 0,
    "page": "— # —",  # "#": the PAGE field; None: no footer
    "page_size": 14,
    "date": ("right", 1280),  # alignment, right indent (twips)
    "theme_font": None,  # Normal style's East Asian font left to the theme (+minorEastAsia)
    "landscape": False,
    "auto_h1": False,  # level-1 headings numbered by Word (numbering.xml) instead of typed
}


def _spec(spec: str) -> dict:  # type: ignore[type-arg]
    cfg = {k: (dict(v) if isinstance(v, dict) else v) for k, v in BASE.items()}
    for item in re.split(r"[;；]", spec):
        if "=" not in item:
            continue
        key, value = (s.strip() for s in item.split("=", 1))
        if key == "纸张":
            cfg["paper"] = {"Letter": (12240, 15840), "A4": (11906, 16838), "A4 横向": (16838, 11906)}[value]
            cfg["landscape"] = value.endswith("横向")
        elif key == "页边距":
            mm = dict(re.findall(r"([上下左右])([\d.]+)", value))
            cfg["margins"] = tuple(round(float(mm[k]) / 25.4 * 1440) for k in "上下左右")
        elif key == "标题字号":
            cfg["title_size"] = float(value)
        elif key == "标题字体":
            cfg["title_font"] = value
        elif key == "正文字号":
            cfg["body_size"] = float(value)
        elif key == "正文字体":
            if value.startswith("主题字体"):
                cfg["theme_font"] = value.removeprefix("主题字体")
            else:
                cfg["body_font"] = value
        elif key == "正文西文字体":
            cfg["body_latin"] = value
        elif m := re.fullmatch(r"([一二三四])级标题字体", key):
            cfg["h_fonts"]["一二三四".index(m.group(1)) + 1] = value
        elif m := re.fullmatch(r"([一二三四])级标题字号", key):
            cfg["h_sizes"]["一二三四".index(m.group(1)) + 1] = float(value)
        elif key == "三级标题加粗":
            cfg["h3_bold"] = value == "是"
        elif key == "行距":
            if value.startswith("固定值"):
                cfg["spacing"] = ("exact", round(float(value.removeprefix("固定值")) * 20))
            elif value.startswith("单倍+网格"):
                cfg["spacing"] = ("auto", 240)
                cfg["grid"] = round(float(value.removeprefix("单倍+网格")) * 20)
            elif value.startswith("多倍"):
                cfg["spacing"] = ("auto", round(float(value.removeprefix("多倍")) * 240))
            elif value.endswith("倍"):
                cfg["spacing"] = ("auto", round((1.0 if value == "单倍" else float(value[:-1])) * 240))
        elif key == "首行缩进":
            if value == "0":
                cfg["indent"] = ("chars", 0)
            elif value.endswith("cm"):
                cfg["indent"] = ("twips", round(float(value[:-2]) / 2.54 * 1440))
            elif value.endswith("twips"):
                cfg["indent"] = ("twips", int(value[:-5]))
            elif value == "全角空格":
                cfg["indent"] = ("chars", 0)
                cfg["lead"] = "\u3000\u3000"
            elif value == "左缩进2字符":
                cfg["indent"] = ("chars", 0)
                cfg["left_chars"] = 200
        elif key == "页码":
            cfg["page"] = None if value == "无" else value.replace("1", "#")
        elif key == "页码字号":
            cfg["page_size"] = float(value)
        elif key == "成文日期":
            cfg["date"] = {"居左": ("left", 0), "居中": ("center", 0), "右空2字": ("right", 640), "右空0字": ("right", 0), "制表位": ("tab", 0)}[value]
        elif key == "一级标题编号":
            cfg["auto_h1"] = value == "自动"
        else:
            raise ValueError(f"unknown layout spec key: {key}")
    return cfg


def _fonts(rpr, east_asia: str | None = None, latin: str | None = None) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    rf = rpr.get_or_add_rFonts()
    if east_asia:
        rf.set(qn("w:eastAsia"), east_asia)
    if latin:
        rf.set(qn("w:ascii"), latin)
        rf.set(qn("w:hAnsi"), latin)


def _el(xml: str):  # type: ignore[no-untyped-def]
    from docx.oxml import parse_xml

    return parse_xml(xml.replace("XMLNS", f'xmlns:w="{W_NS}"', 1))


def make_layout_docx(path: Path, spec: str = "", report: list[tuple[str, str]] | None = None) -> Path:
    """Write the report with the GB/T 9704 layout changed by `spec` (see the module docstring)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    cfg = _spec(spec)
    document = docx.Document()
    sec = document.sections[0]
    w, h = cfg["paper"]
    sec.page_width, sec.page_height = Twips(w), Twips(h)
    if cfg["landscape"]:
        sec._sectPr.get_or_add_pgSz().set(qn("w:orient"), "landscape")
    top, bottom, left, right = cfg["margins"]
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Twips(top), Twips(bottom), Twips(left), Twips(right)
    if cfg["grid"]:
        grid = sec._sectPr.find(qn("w:docGrid"))
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(cfg["grid"]))

    # the Normal style carries the body format
    normal = document.styles["Normal"]
    normal.font.size = Pt(cfg["body_size"])
    rpr = normal.element.get_or_add_rPr()
    _fonts(rpr, None if cfg["theme_font"] else cfg["body_font"], "Times New Roman")
    ppr = normal.element.get_or_add_pPr()
    rule, value = cfg["spacing"]
    ppr.append(_el(f'<w:spacing XMLNS w:before="0" w:after="0" w:line="{value}" w:lineRule="{rule}"/>'))
    kind, amount = cfg["indent"]
    ind = f'w:firstLineChars="{amount}" w:firstLine="{amount * 16 // 5}"' if kind == "chars" else f'w:firstLine="{amount}"'
    if cfg["left_chars"]:
        ind += f' w:leftChars="{cfg["left_chars"]}" w:left="{cfg["left_chars"] * 16 // 5}"'
    ppr.append(_el(f"<w:ind XMLNS {ind}/>"))
    ppr.append(_el('<w:jc XMLNS w:val="both"/>'))

    if cfg["auto_h1"]:
        from tests.docmaker import install_numbering

        install_numbering(
            document,
            f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/>'
            '<w:pPr><w:ind w:left="0" w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:lvl></w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>',
        )
    for role, text in report or REPORT:
        role, _, size_s = role.partition("@")
        size = float(size_s) if size_s else None
        if role == "table":
            cells = text.split("|")
            table = document.add_table(rows=1, cols=len(cells))
            for cell, t in zip(table.rows[0].cells, cells):
                run = cell.paragraphs[0].add_run(t)
                if size:
                    run.font.size = Pt(size)
            continue
        p = document.add_paragraph()
        if role == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            r = p.add_run(text)
            r.font.size = Pt(cfg["title_size"])
            _fonts(r._r.get_or_add_rPr(), cfg["title_font"])
            p.paragraph_format.line_spacing = Pt(35)
            continue
        if role in ("issuer", "date"):
            align, right_ind = cfg["date"] if role == "date" else ("right", 1280 + 320)
            p.paragraph_format.first_line_indent = Pt(0)
            if align == "tab":  # pushed to the right with tab stops
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT
                for _ in range(8):
                    p.add_run().add_tab()
            else:
                p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
                p.paragraph_format.right_indent = Twips(right_ind)
            p.add_run(text)
            continue
        if role.startswith("h"):
            lvl = int(role[1])
            title, rest = text, ""
            if role.endswith("+body"):
                cut = text.index("。") + 1
                title, rest = text[:cut], text[cut:]
            if lvl == 1 and cfg["auto_h1"]:
                from tests.docmaker import set_num

                title = re.sub(r"^[一二三四五六七八九十]+、", "", title)
                set_num(p, 1, 0)
            r = p.add_run(cfg["lead"] + title)
            r.font.size = Pt(size or cfg["h_sizes"][lvl])
            _fonts(r._r.get_or_add_rPr(), cfg["h_fonts"][lvl])
            if lvl == 3 and cfg["h3_bold"]:
                r.font.bold = True
            if rest:
                p.add_run(rest)
            continue
        r = p.add_run(cfg["lead"] + text)
        if size:
            r.font.size = Pt(size)
        if cfg["body_latin"]:
            _fonts(r._r.get_or_add_rPr(), None, cfg["body_latin"])

    if cfg["page"] is not None:
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        before, _, after = cfg["page"].partition("#")
        for piece in (before, None, after):
            if piece is None:
                fld = _el('<w:fldSimple XMLNS w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
                r = fld.find(qn("w:r"))
                r.insert(0, _el(f'<w:rPr XMLNS><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="{round(cfg["page_size"] * 2)}"/></w:rPr>'))
                fp._p.append(fld)
            elif piece:
                r = fp.add_run(piece)
                r.font.size = Pt(cfg["page_size"])
                _fonts(r._r.get_or_add_rPr(), "宋体", "宋体")
    document.save(path)
    if cfg["theme_font"]:
        _set_theme_font(path, cfg["theme_font"])
    return path


def _set_theme_font(path: Path, face: str, script: str = "Hans", lang: str | None = "zh-CN") -> None:
    """Name `face` as the theme's East Asian minor font for `script` and set the document's East
    Asian theme language (None: remove it), so `+minorEastAsia` (docDefaults eastAsiaTheme)
    resolves to it."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    theme = parts["word/theme/theme1.xml"].decode("utf-8")
    pattern = rf'(<a:minorFont>.*?<a:font script="{script}" typeface=")[^"]*(")'
    theme = re.sub(pattern, lambda m: m.group(1) + face + m.group(2), theme, count=1, flags=re.DOTALL)
    parts["word/theme/theme1.xml"] = theme.encode("utf-8")
    settings = parts["word/settings.xml"].decode("utf-8")
    if lang is None:
        settings = re.sub(r'(<w:themeFontLang [^>]*?) w:eastAsia="[^"]*"', r"\g<1>", settings)
    else:
        settings = re.sub(r'(<w:themeFontLang [^>]*w:eastAsia=")[^"]*(")', rf"\g<1>{lang}\g<2>", settings)
    parts["word/settings.xml"] = settings.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
