"""`--format json`: the documented shape (see README), one object for the whole run."""

from __future__ import annotations

from typing import IO

from fzlint.render import Run, jsontext
from fzlint.render.common import file_payload, run_payload


def render_run(run: Run, stream: IO[str]) -> None:
    payload = run_payload(
        [file_payload(r, s) for r, s in run.results],
        [{"path": p, "message": m} for p, m in run.errors],
    )
    stream.write(jsontext.dumps(payload) + "\n")
