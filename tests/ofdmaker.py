"""Write OFD files (GB/T 33190-2016) for the reader's tests: a report laid out on A4 pages as the
standard's producers do, in several ways of writing the same page, plus damaged packages.

Layout (mm, y downward): text block 28..184 x 37..262, body size 5.6 mm (三号), 28 characters a
line, line pitch 10.2 mm, first-line indent of two characters, title centred in 7.7 mm (二号),
signature lines right-aligned, page number `— N —` centred under the text block, and a running
header from a page template on every page.

Modes:
- "line": one TextObject per printed line, one TextCode with an explicit DeltaX list;
- "gline": the same with the `g N d` repetition syntax;
- "char": one TextObject per character (what many PDF-to-OFD converters write);
- "ctm": Size in points with a CTM scaling points to millimetres (as print drivers write);
- "shuffled": "line" with the objects written in random order (reading order is geometry).
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 28.0, 184.0, 37.0, 262.0
SIZE, TITLE_SIZE, PITCH = 5.6, 7.7, 10.2
PER_LINE = 28
JUSTIFY = "\x00"  # marks a printed line to be spread to the right margin (not written)


def _width(ch: str, size: float) -> float:
    return size if ord(ch) > 0x2E7F else size / 2


def _wrap(text: str, size: float, width: float, indent: float) -> list[tuple[str, float]]:
    """Break a paragraph into printed lines: (text, x offset of the line). A run of Latin letters
    and digits is not broken (as word processors keep `9000` or `2021` on one line)."""
    import re

    out: list[tuple[str, float]] = []
    cur, used, first = "", indent, True
    for piece in re.findall(r"[A-Za-z0-9.%]+|.", text):
        w = sum(_width(ch, size) for ch in piece)
        if used + w > width + 1e-6 and cur:
            out.append((cur, indent if first else 0.0))
            cur, used, first = "", 0.0, False
        cur += piece
        used += w
    if cur:
        out.append((cur, indent if first else 0.0))
    return out


def layout(lines: list[str]) -> list[list[tuple[str, float, float, float]]]:
    """Pages of printed lines (text, x, baseline, size): title, body paragraphs, signature."""
    sig_from = len(lines)
    while sig_from - 1 > 0 and len(lines[sig_from - 1]) <= 30 and not lines[sig_from - 1].endswith("。"):
        sig_from -= 1
    printed: list[tuple[str, float, float, float]] = []  # (text, x, gap before, size)
    for i, para in enumerate(lines):
        if i == 0:
            for text, _ in _wrap(para, TITLE_SIZE, RIGHT - LEFT, 0.0):
                w = sum(_width(c, TITLE_SIZE) for c in text)
                printed.append((text, LEFT + (RIGHT - LEFT - w) / 2, 14.0, TITLE_SIZE))
            continue
        if i >= sig_from:
            w = sum(_width(c, SIZE) for c in para)
            printed.append((para, RIGHT - 2 * SIZE - w, PITCH + (8.0 if i == sig_from else 0.0), SIZE))
            continue
        wrapped = _wrap(para, SIZE, RIGHT - LEFT, 2 * SIZE)
        for j, (text, dx) in enumerate(wrapped):
            # justified: every printed line but a paragraph's last runs to the right margin
            text = text + JUSTIFY if j < len(wrapped) - 1 else text
            printed.append((text, LEFT + dx, PITCH + (6.0 if i == 1 and j == 0 else 0.0), SIZE))
    pages: list[list[tuple[str, float, float, float]]] = [[]]
    y = TOP
    for text, x, gap, size in printed:
        y += gap if pages[-1] else size
        if y > BOTTOM:
            pages.append([])
            y = TOP + size
        pages[-1].append((text, x, y, size))
    return pages


def _fmt(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".")


def _text_objects(page: list[tuple[str, float, float, float]], mode: str, ids: list[int], rng: random.Random) -> list[str]:
    objs: list[str] = []

    def oid() -> int:
        ids[0] += 1
        return ids[0]

    for text, x, base, size in page:
        justify = text.endswith(JUSTIFY)
        text = text.rstrip(JUSTIFY)
        adv = [_width(c, size) for c in text]
        if justify and len(adv) > 1:
            extra = (RIGHT - x - sum(adv)) / (len(adv) - 1)
            adv = [w + extra for w in adv[:-1]] + [adv[-1]]
        if mode == "char":
            cx = x
            for ch, w in zip(text, adv):
                objs.append(f'<ofd:TextObject ID="{oid()}" Boundary="{_fmt(cx)} {_fmt(base - size)} {_fmt(w)} {_fmt(size * 1.2)}" Font="3" Size="{_fmt(size)}">'
                            f'<ofd:TextCode X="0" Y="{_fmt(size)}">{escape(ch)}</ofd:TextCode></ofd:TextObject>')
                cx += w
            continue
        width = sum(adv)
        if mode == "ctm":
            k = 25.4 / 72  # points to mm
            pt = [w / k for w in adv]
            delta = " ".join(_fmt(w) for w in pt[:-1])
            objs.append(f'<ofd:TextObject ID="{oid()}" Boundary="{_fmt(x)} {_fmt(base - size)} {_fmt(width)} {_fmt(size * 1.2)}" '
                        f'CTM="{k:.6f} 0 0 {k:.6f} 0 0" Font="3" Size="{_fmt(size / k)}">'
                        f'<ofd:TextCode X="0" Y="{_fmt(size / k)}" DeltaX="{delta}">{escape(text)}</ofd:TextCode></ofd:TextObject>')
            continue
        if mode == "gline" and len(set(adv[:-1])) == 1 and len(adv) > 2:
            delta = f"g {len(adv) - 1} {_fmt(adv[0])}"
        else:
            delta = " ".join(_fmt(w) for w in adv[:-1])
        objs.append(f'<ofd:TextObject ID="{oid()}" Boundary="{_fmt(x)} {_fmt(base - size)} {_fmt(width)} {_fmt(size * 1.2)}" Font="3" Size="{_fmt(size)}">'
                    f'<ofd:TextCode X="0" Y="{_fmt(size)}" DeltaX="{delta}">{escape(text)}</ofd:TextCode></ofd:TextObject>')
    if mode == "shuffled":
        rng.shuffle(objs)
    return objs


def _xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'


def build(lines: list[str], *, mode: str = "line", header: str | None = "XX县人民政府办公室", page_numbers: bool = True) -> dict[str, bytes]:
    """The members of an OFD package for a report (see the module docstring)."""
    rng = random.Random(7)
    pages = layout(lines)
    ids = [10]
    members: dict[str, str] = {}
    members["OFD.xml"] = _xml(
        f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>fzlint-test</ofd:DocID>'
        '<ofd:Creator>fzlint tests</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'
    )
    tpl = ""
    if header:
        w = sum(_width(c, 4.2) for c in header)
        members["Doc_0/Tpls/Tpl_0/Content.xml"] = _xml(
            f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="2" Type="Background">'
            f'<ofd:TextObject ID="3" Boundary="{_fmt((PAGE_W - w) / 2)} 20 {_fmt(w)} 6" Font="3" Size="4.2">'
            f'<ofd:TextCode X="0" Y="4.2" DeltaX="g {len(header) - 1} 4.2">{escape(header)}</ofd:TextCode></ofd:TextObject>'
            "</ofd:Layer></ofd:Content></ofd:Page>"
        )
        tpl = '<ofd:TemplatePage ID="1" BaseLoc="Tpls/Tpl_0/Content.xml"/>'
    page_refs = []
    for n, page in enumerate(pages):
        objs = _text_objects(page, mode, ids, rng)
        if page_numbers:
            label = f"— {n + 1} —"
            w = sum(_width(c, SIZE) for c in label)
            objs.append(f'<ofd:TextObject ID="{ids[0] + 1}" Boundary="{_fmt((PAGE_W - w) / 2)} 272 {_fmt(w)} 7" Font="3" Size="{_fmt(SIZE)}">'
                        f'<ofd:TextCode X="0" Y="{_fmt(SIZE)}">{escape(label)}</ofd:TextCode></ofd:TextObject>')
            ids[0] += 1
        use_tpl = '<ofd:Template TemplateID="1" ZOrder="Background"/>' if header else ""
        members[f"Doc_0/Pages/Page_{n}/Content.xml"] = _xml(
            f'<ofd:Page xmlns:ofd="{NS}">{use_tpl}<ofd:Content><ofd:Layer ID="{ids[0] + 1}" Type="Body">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>'
        )
        ids[0] += 1
        page_refs.append(f'<ofd:Page ID="{1000 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>')
    members["Doc_0/PublicRes.xml"] = _xml(
        f'<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="3" FontName="仿宋" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>'
    )
    members["Doc_0/Document.xml"] = _xml(
        f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>{ids[0] + 1}</ofd:MaxUnitID>'
        f'<ofd:PageArea><ofd:PhysicalBox>0 0 {_fmt(PAGE_W)} {_fmt(PAGE_H)}</ofd:PhysicalBox></ofd:PageArea>'
        f'<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{tpl}</ofd:CommonData>'
        f'<ofd:Pages>{"".join(page_refs)}</ofd:Pages></ofd:Document>'
    )
    return {k: v.encode("utf-8") for k, v in members.items()}


def pack(members: dict[str, bytes], path: Path | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    data = buf.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def write_ofd(lines: list[str], path: Path, **kwargs: object) -> Path:
    pack(build(lines, **kwargs), path)  # type: ignore[arg-type]
    return path
