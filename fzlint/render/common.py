"""The per-file payload shared by the JSON-family renderers (json, sarif, junit, html …)."""

from __future__ import annotations

from typing import Any

from fzlint import __version__
from fzlint.engine import FileResult
from fzlint.score import Score


def diagnostic(result: FileResult, f: Any) -> dict[str, Any]:
    src = result.source
    line, col = src.position(f.start)
    end_line, end_col = src.position(f.end)
    return {
        "code": f.code,
        "category": f.category,
        "severity": f.severity,
        "message": f.message,
        "line": line,
        "column": col,
        "end_line": end_line,
        "end_column": end_col,
        **page_of(result, line),
    }


def page_of(result: FileResult, line: int) -> dict[str, int]:
    """`page`: the page where a line (paragraph) of a PDF or OFD file starts; nothing for others."""
    pages = result.source.meta.get("page_of_line")
    if not pages:
        return {}
    cut = pages.split(",", line)  # only as far as the line
    return {"page": int(cut[line - 1])} if 0 < line <= len(cut) and cut[line - 1].isdigit() else {}


def converted(result: FileResult) -> dict[str, str]:
    """`converted_from` (doc, wps, rtf, odt) and `converter` (LibreOffice 7.4.7.2) of a file read
    through LibreOffice; nothing for others."""
    meta = result.source.meta
    if "converted_from" not in meta:
        return {}
    return {"converted_from": meta["converted_from"], "converter": meta.get("converter", "LibreOffice")}


def file_payload(result: FileResult, score: Score) -> dict[str, Any]:
    meta = result.doc.meta
    sig = meta.signature
    elements: dict[str, Any] = {}
    for key in result.ruleset.part_order(result.elements):
        hit = result.elements.get(key)
        if hit is None:
            continue
        elements[key] = {"status": hit.status, "line": hit.line, "evidence": hit.evidence}
        if hit.detail.get("optional"):
            elements[key]["optional"] = True  # 其他需要报告的情况: missing is no defect
        if hit.detail.get("content"):
            elements[key]["detail"] = hit.detail["content"]  # what the content rules found inside
    return {
        "path": result.path,
        "ruleset": result.ruleset.id,
        "score": score.value,
        "grade": score.grade,
        "report": {
            "title": meta.title,
            "issuer": meta.issuer,
            "year": meta.year,
            "year_source": meta.year_source,  # where the year was read from (docs/formats-output.md)
            "year_basis": meta.year_basis,
            "signed_date": sig.date.value.isoformat() if sig and sig.date and sig.date.value else None,
            "published": meta.published.isoformat() if meta.published else None,
        },
        "elements": elements,
        "diagnostics": [diagnostic(result, f) for f in result.findings],
        **converted(result),
        **({"notes": list(result.source.notes)} if result.source.notes else {}),
        **ocr_fields(result),
        # rules skipped because the file's time budget ran out (engine.FILE_TIMEOUT)
        **({"not_run": list(result.not_run)} if result.not_run else {}),
    }


def ocr_fields(result: FileResult) -> dict[str, Any]:
    """`ocr`, `ocr_confidence` (mean over the recognised characters, 0-1), `ocr_engine` and
    `ocr_low_confidence` (characters not used by ocr_sensitive rules) of a file read by OCR."""
    meta = result.source.meta
    if "ocr" not in meta:
        return {}
    return {
        "ocr": True,
        "ocr_confidence": round(float(meta.get("ocr_confidence", "0")), 4),
        "ocr_engine": meta["ocr"],
        "ocr_low_confidence": sum(e - s for s, e in result.source.low_confidence),
    }


def ocr_label(result: FileResult) -> str | None:
    """`已 OCR 识别(平均置信度 97%)…` for a file read by OCR, else None."""
    meta = result.source.meta
    if "ocr" not in meta:
        return None
    conf = float(meta.get("ocr_confidence", "0"))
    low = sum(e - s for s, e in result.source.low_confidence)
    tail = f";{low} 个字符识别置信度低,这些字符处不报告标点、数字和日期问题" if low else ""
    return f"已 OCR 识别(平均置信度 {conf:.0%}){tail}"


def run_payload(files: list[dict[str, Any]], errors: list[dict[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {"fzlint": __version__, "files": files}
    if errors:
        out["errors"] = errors
    return out
