"""Print which problems of a report map to which items of its next-year plan (FZ902's view).

    python benchmarks/correspondence_map.py seeds/001_*.txt
"""

from __future__ import annotations

import sys

from fzlint.engine import Linter
from fzlint.ingest import load_path
from fzlint.rules.context import Context
from fzlint.rules.kinds.correspondence import Correspondence
from fzlint.rules.loader import load_ruleset


def main(paths: list[str]) -> None:
    linter = Linter(load_ruleset("fazhi-annual"))
    kind = next(c for c in linter.checks if isinstance(c, Correspondence))
    for path in paths:
        result = linter.lint_source(load_path(path))
        ctx = Context(result.doc, linter.options, result.elements)
        maps, plan = kind.correspond(result.doc, ctx)
        print(f"== {path}")
        for k, item in enumerate(plan):
            print(f"  P{k + 1}: {item.quote[:50]}")
        for m in maps:
            found = ", ".join(f"P{k + 1}({s:.2f}{' ' + t if t else ''})" for k, s, t in m.matches) or "—— 无对应"
            print(f"  问题: {m.problem.quote[:50]}\n      -> {found}")


if __name__ == "__main__":
    main(sys.argv[1:])
