"""`fzlint compare --format json`: the usual JSON shape for the new report (its findings are the
comparison's) plus a `compare` object: reuse per part and the repeated passages."""

from __future__ import annotations

from typing import IO, Any

from fzlint.compare import Comparison, PartReuse
from fzlint.render import Run, jsontext
from fzlint.render.common import file_payload, run_payload


def _loc(result: Any, start: int, end: int) -> dict[str, Any]:
    line, col = result.source.position(start)
    end_line, end_col = result.source.position(end)
    return {"path": result.path, "line": line, "column": col, "end_line": end_line, "end_column": end_col}


def _part(p: PartReuse) -> dict[str, Any]:
    return {"id": p.id, "label": p.label, "new_status": p.new_status, "old_status": p.old_status, "sentences": p.sentences, "reused": p.reused, "share": round(p.share, 3)}


def compare_payload(c: Comparison) -> dict[str, Any]:
    return {
        "old": c.old.path,
        "new": c.new.path,
        "parts": [_part(p) for p in c.parts],
        "whole": _part(c.whole),
        "passages": [
            {
                "new": _loc(c.new, p.new_start, p.new_end),
                "old": _loc(c.old, p.old_start, p.old_end),
                "sentences": p.sentences,
                "similarity": round(p.similarity, 3),
                "text": p.text,
            }
            for p in c.passages
        ],
    }


def render_compare(c: Comparison, run: Run, stream: IO[str]) -> None:
    payload = run_payload([file_payload(r, s) for r, s in run.results], [])
    payload["compare"] = compare_payload(c)
    stream.write(jsontext.dumps(payload) + "\n")
