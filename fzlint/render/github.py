"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=报告.txt,line=3,col=5,endLine=3,endColumn=7,title=FZ401 placeholder-left::文中留有占位符“XX”

GitHub shows them on the changed lines of a pull request and in the run summary. Columns count
characters, as in fzlint's text output. Escaping follows the Actions runner: in the message
% CR LF are percent-encoded, in property values also `:` and `,`. The runner's log is a terminal
that interprets escape sequences, so control characters, ESC and bidi overrides from a file name
or a report are shown as escapes first (termsafe.term).
"""

from __future__ import annotations

from typing import IO

from fzlint.render import Run
from fzlint.render.locations import display_path, region
from fzlint.rules.model import citation
from fzlint.termsafe import term

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    text = term(text, keep_newlines=True, keep="\r")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: str | int | None) -> str:
    """One workflow command line; properties with a None value are left out."""
    shown = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return (
        f"::{kind} {shown}::{escape_data(message)}"
        if shown
        else f"::{kind}::{escape_data(message)}"
    )


def render_run(run: Run, stream: IO[str]) -> None:
    for result, score in run.results:
        path = display_path(result.path)
        for f in result.findings:
            reg = region(result.source, f.start, f.end)
            one_line = reg.line == reg.end_line
            rule = result.ruleset.rule(f.code)
            name = rule.name if rule else f.rule_name
            lines = [f.message]
            if f.help:
                lines.append(f"修改建议:{f.help}")
            if rule is not None and rule.source:
                lines.append("依据:" + citation(rule))
            # GitHub uses col/endColumn only for single-line annotations.
            stream.write(
                command(
                    _COMMAND.get(f.severity, "warning"),
                    "\n".join(lines),
                    file=path,
                    line=reg.line,
                    col=reg.column if one_line else None,
                    endLine=reg.end_line,
                    endColumn=reg.end_column if one_line else None,
                    title=f"{f.code} {name}".strip(),
                )
                + "\n"
            )
        stream.write(
            command(
                "notice",
                f"得分 {score.value}/100({score.grade}),{len(result.findings)} 条问题",
                file=path,
                title="fzlint 得分",
            )
            + "\n"
        )
    for path, message in run.errors:
        stream.write(
            command("error", message, file=display_path(path), title="fzlint 无法读取文件") + "\n"
        )
