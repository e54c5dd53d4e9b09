"""Precision and recall of fzlint on a corpus of reports whose defects are known.

The corpus (default `tests/fixtures/precision/`) holds complete reports and a `manifest.yaml`
that lists, for each file, whether it is clean and, if not, the defects planted in it: rule
code, 1-based line, a piece of that line's text and a description. A missing part has
`scope: report` (it is not on any line; a finding with its code anywhere counts).

Each warning or error fzlint reports is **expected** when a planted defect has the same code at
the same line (±1) and **unexpected** (a false alarm) otherwise; each planted defect is
**found**, **found only as info** or **missed**. Infos are counted apart: they are advice, and
a clean report may carry them.

    python benchmarks/precision.py                    # per-rule table, totals, the details
    python benchmarks/precision.py --json             # the same as JSON
    python benchmarks/precision.py --corpus DIR       # another folder with the same manifest format

fzlint runs as a user runs it (`python -m fzlint --format json --isolated`) from this
checkout, so the figures are those of the code next to this script.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "tests" / "fixtures" / "precision"
TOLERANCE = 1  # lines either side of the planted line
SHOWN = ("error", "warning")


@dataclass(frozen=True, slots=True)
class Planted:
    code: str
    line: int
    what: str
    text: str = ""
    scope: str = "line"  # "line" or "report"

    def matches(self, code: str, line: int) -> bool:
        return code == self.code and (self.scope == "report" or abs(line - self.line) <= TOLERANCE)


@dataclass(frozen=True, slots=True)
class Found:
    code: str
    line: int
    severity: str
    message: str


@dataclass(slots=True)
class FileOutcome:
    file: str
    clean: bool
    expected: list[Found] = field(default_factory=list)  # warnings/errors that match a planted defect
    unexpected: list[Found] = field(default_factory=list)  # warnings/errors that match none
    found: list[Planted] = field(default_factory=list)  # planted, reported as warning/error
    as_info: list[Planted] = field(default_factory=list)  # planted, reported only as info
    missed: list[Planted] = field(default_factory=list)
    infos: list[Found] = field(default_factory=list)  # infos that match no planted defect

    @property
    def exact(self) -> bool:
        """What the corpus test asserts: no false alarm, and every planted defect reported."""
        return not self.unexpected and not self.missed


def load_manifest(corpus: Path) -> list[dict[str, Any]]:
    """The manifest's file entries; raises ValueError or TypeError with the reason when it is malformed."""
    import yaml

    path = corpus / "manifest.yaml"
    if not path.is_file():
        raise ValueError(f"{path}: no manifest.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        raise TypeError(f"{path}: expected a mapping with a 'files' list")
    for i, e in enumerate(files):
        if not isinstance(e, dict) or "file" not in e or "clean" not in e:
            raise ValueError(f"{path}: files[{i}] needs 'file' and 'clean'")
        if not e["clean"] and not e.get("planted"):
            raise ValueError(f"{path}: {e['file']} is not clean but lists no planted defect")
        if e["clean"] and e.get("planted"):
            raise ValueError(f"{path}: {e['file']} is clean but lists planted defects")
    return files


def planted_of(entry: dict[str, Any]) -> list[Planted]:
    return [
        Planted(p["code"], int(p["line"]), p.get("what", ""), p.get("text", ""), p.get("scope", "line"))
        for p in entry.get("planted") or ()
    ]


def run_fzlint(paths: list[Path], ruleset: str | None = None) -> dict[str, list[Found]]:
    """Findings per file (keyed by file name), from this checkout's fzlint CLI."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    cmd = [sys.executable, "-m", "fzlint", "check", "--format", "json", "--isolated", "--exit-zero"]
    if ruleset:
        cmd += ["--ruleset", ruleset]
    proc = subprocess.run([*cmd, *map(str, paths)], check=False, capture_output=True, cwd=ROOT, env=env, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"fzlint exited {proc.returncode}: {proc.stderr.decode(errors='replace')}")
    out: dict[str, list[Found]] = {}
    for f in json.loads(proc.stdout)["files"]:
        name = Path(f["path"]).name
        out[name] = [Found(d["code"], int(d.get("line") or 0), d["severity"], d["message"]) for d in f["diagnostics"]]
    return out


def classify(entry: dict[str, Any], findings: list[Found]) -> FileOutcome:
    planted = planted_of(entry)
    o = FileOutcome(entry["file"], bool(entry["clean"]))
    for f in findings:
        hit = any(p.matches(f.code, f.line) for p in planted)
        if f.severity in SHOWN:
            (o.expected if hit else o.unexpected).append(f)
        elif not hit:
            o.infos.append(f)
    for p in planted:
        sev = {f.severity for f in findings if p.matches(f.code, f.line)}
        if sev & set(SHOWN):
            o.found.append(p)
        elif sev:
            o.as_info.append(p)
        else:
            o.missed.append(p)
    return o


def evaluate(corpus: Path, ruleset: str | None = None) -> list[FileOutcome]:
    entries = load_manifest(corpus)
    paths = [corpus / e["file"] for e in entries]
    for p in paths:
        if not p.is_file():
            raise ValueError(f"{p}: listed in the manifest but not found")
    results = run_fzlint(paths, ruleset)
    return [classify(e, results.get(e["file"], [])) for e in entries]


def per_rule(outcomes: list[FileOutcome]) -> dict[str, dict[str, int]]:
    rows: dict[str, dict[str, int]] = {}

    def row(code: str) -> dict[str, int]:
        return rows.setdefault(code, {"expected": 0, "unexpected": 0, "missed": 0, "as_info": 0, "info": 0, "planted": 0})

    for o in outcomes:
        for f in o.expected:
            row(f.code)["expected"] += 1
        for f in o.unexpected:
            row(f.code)["unexpected"] += 1
        for f in o.infos:
            row(f.code)["info"] += 1
        for p in o.found:
            row(p.code)["planted"] += 1
        for p in o.as_info:
            row(p.code)["planted"] += 1
            row(p.code)["as_info"] += 1
        for p in o.missed:
            row(p.code)["planted"] += 1
            row(p.code)["missed"] += 1
    return dict(sorted(rows.items()))


def totals(outcomes: list[FileOutcome]) -> dict[str, Any]:
    expected = sum(len(o.expected) for o in outcomes)
    unexpected = sum(len(o.unexpected) for o in outcomes)
    planted = sum(len(o.found) + len(o.as_info) + len(o.missed) for o in outcomes)
    found = sum(len(o.found) for o in outcomes)
    clean = [o for o in outcomes if o.clean]
    defect = [o for o in outcomes if not o.clean]
    return {
        "files": len(outcomes),
        "clean_files": len(clean),
        "clean_files_without_false_alarm": sum(not o.unexpected for o in clean),
        "defect_files": len(defect),
        "defect_files_exact": sum(o.exact for o in defect),
        "findings": expected + unexpected,
        "expected": expected,
        "unexpected": unexpected,
        "planted": planted,
        "planted_found": found,
        "planted_as_info": sum(len(o.as_info) for o in outcomes),
        "planted_missed": sum(len(o.missed) for o in outcomes),
        "infos": sum(len(o.infos) for o in outcomes),
        "precision": round(expected / (expected + unexpected), 3) if expected + unexpected else None,
        "recall": round(found / planted, 3) if planted else None,
    }


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def render_text(outcomes: list[FileOutcome], corpus: Path) -> str:
    rows = per_rule(outcomes)
    t = totals(outcomes)
    lines = [
        f"Precision corpus: {corpus} ({t['files']} files: {t['clean_files']} clean, {t['defect_files']} with planted defects)",
        "",
        "| rule | expected | unexpected | planted | missed | planted, only info | other infos |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for code, r in rows.items():
        lines.append(f"| {code} | {r['expected']} | {r['unexpected']} | {r['planted']} | {r['missed']} | {r['as_info']} | {r['info']} |")
    lines.append(
        f"| **total** | **{t['expected']}** | **{t['unexpected']}** | **{t['planted']}** | **{t['planted_missed']}** | **{t['planted_as_info']}** | **{t['infos']}** |"
    )
    lines += [
        "",
        f"Warnings and errors: {t['findings']}, of which expected {t['expected']}, unexpected {t['unexpected']}: precision {_pct(t['precision'])}.",
        f"Planted defects: {t['planted']}, reported as warning/error {t['planted_found']}, only as info {t['planted_as_info']}, missed {t['planted_missed']}: recall {_pct(t['recall'])}.",
        f"Clean files without a false alarm: {t['clean_files_without_false_alarm']}/{t['clean_files']}; defect files reported exactly: {t['defect_files_exact']}/{t['defect_files']}.",
    ]
    false_alarms = [(o.file, f) for o in outcomes for f in o.unexpected]
    if false_alarms:
        lines += ["", "Unexpected warnings and errors (false alarms):"]
        lines += [f"  {name}:{f.line}  {f.code} {f.severity}  {f.message}" for name, f in false_alarms]
    missed = [(o.file, p, "missed") for o in outcomes for p in o.missed] + [(o.file, p, "only info") for o in outcomes for p in o.as_info]
    if missed:
        lines += ["", "Planted defects not reported as warning or error:"]
        lines += [f"  {name}:{p.line}  {p.code} ({how})  {p.what}" for name, p, how in sorted(missed, key=lambda x: (x[0], x[1].line))]
    return "\n".join(lines) + "\n"


def render_json(outcomes: list[FileOutcome], corpus: Path) -> str:
    def f2d(f: Found) -> dict[str, Any]:
        return {"code": f.code, "line": f.line, "severity": f.severity, "message": f.message}

    def p2d(p: Planted) -> dict[str, Any]:
        return {"code": p.code, "line": p.line, "scope": p.scope, "what": p.what}

    doc = {
        "corpus": str(corpus),
        "tolerance_lines": TOLERANCE,
        "totals": totals(outcomes),
        "rules": per_rule(outcomes),
        "files": [
            {
                "file": o.file,
                "clean": o.clean,
                "exact": o.exact,
                "expected": [f2d(f) for f in o.expected],
                "unexpected": [f2d(f) for f in o.unexpected],
                "found": [p2d(p) for p in o.found],
                "only_info": [p2d(p) for p in o.as_info],
                "missed": [p2d(p) for p in o.missed],
                "infos": [f2d(f) for f in o.infos],
            }
            for o in outcomes
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder with the reports and manifest.yaml")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--ruleset", help="ruleset name or YAML path (default: fzlint's default)")
    a = ap.parse_args(argv)
    try:
        outcomes = evaluate(a.corpus.resolve(), a.ruleset)
    except (ValueError, TypeError, RuntimeError) as e:
        print(f"precision.py: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(render_json(outcomes, a.corpus) if a.json else render_text(outcomes, a.corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
