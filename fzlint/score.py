"""Score: 100 minus the weighted findings, with a breakdown of where each point went."""

from __future__ import annotations

from typing import NamedTuple

from fzlint.rules.model import Finding, Ruleset

DEFAULT_GRADES: list[tuple[int, str]] = [(90, "优秀"), (75, "良好"), (60, "合格"), (0, "不合格")]
REPEAT_FACTOR = 0.25  # each further finding of the same rule costs a quarter of its weight
# A finding reported below its rule's own severity (a part found only inline instead of missing)
# costs that share of the weight.
SEVERITY_SCALE = {"error": 1.0, "warning": 0.4, "info": 0.1}


class Deduction(NamedTuple):
    """Points one rule took off."""

    code: str
    name: str
    severity: str
    count: int
    points: float
    capped: bool
    category: str = ""


class Score(NamedTuple):
    """A report's score (0-100), grade and deductions."""

    value: int
    grade: str
    deductions: tuple[Deduction, ...]

    @property
    def lost(self) -> float:
        return sum(d.points for d in self.deductions)


def grades_of(ruleset: Ruleset) -> list[tuple[int, str]]:
    raw = ruleset.settings.get("grades")
    if isinstance(raw, list) and raw:
        try:
            return sorted(((int(g[0]), str(g[1])) for g in raw), reverse=True)
        except (TypeError, ValueError, IndexError):
            pass
    return DEFAULT_GRADES


def category_caps(ruleset: Ruleset) -> dict[str, float]:
    """`settings.category_max_penalty`: the most points all the rules of a category may take
    together (the layout rules: a badly formatted report loses at most that much)."""
    raw = ruleset.settings.get("category_max_penalty")
    out: dict[str, float] = {}
    if isinstance(raw, dict):
        for cat, cap in raw.items():
            if isinstance(cap, (int, float)) and not isinstance(cap, bool) and cap >= 0:
                out[str(cat)] = float(cap)
    return out


def compute(findings: list[Finding], ruleset: Ruleset) -> Score:
    """The first finding of a rule costs its weight, each further one a quarter of it, up to the
    rule's max_penalty (default: twice its weight). A finding below its rule's severity costs
    proportionally less (see SEVERITY_SCALE). A category with a cap (`category_caps`) takes at
    most that many points: its rules' deductions are scaled down together."""
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        key = (f.code, f.severity)
        counts[key] = counts.get(key, 0) + 1
    deductions: list[Deduction] = []
    for (code, severity), n in counts.items():
        rule = ruleset.rule(code)
        if rule is None or rule.weight <= 0:
            continue
        scale = min(1.0, SEVERITY_SCALE.get(severity, 1.0) / SEVERITY_SCALE.get(rule.severity, 1.0))
        weight = rule.weight * scale
        raw = weight * (1 + REPEAT_FACTOR * (n - 1))
        cap = (rule.max_penalty if rule.max_penalty is not None else 2 * rule.weight) * scale
        points = min(raw, cap)
        deductions.append(Deduction(code, rule.name, severity, n, round(points, 2), raw > cap, rule.category))
    caps = category_caps(ruleset) if deductions else {}
    for cat, limit in caps.items():
        total = sum(d.points for d in deductions if d.category == cat)
        if total > limit:
            factor = limit / total
            deductions = [Deduction(d.code, d.name, d.severity, d.count, round(d.points * factor, 2), True, d.category) if d.category == cat else d for d in deductions]
    deductions.sort(key=lambda d: (-d.points, d.code))
    value = max(0, min(100, round(100 - sum(d.points for d in deductions))))
    grade = next(label for floor, label in grades_of(ruleset) if value >= floor)
    return Score(int(value), grade, tuple(deductions))


def named_deductions(findings: list[Finding], score: Score, most: int | None = None) -> list[tuple[Deduction, str]]:
    """Each deduction with the name a reader sees: what its rule found (its first finding's
    message, in the report's language), clipped to `most` characters with "…"."""
    first: dict[str, str] = {}
    for f in findings:
        first.setdefault(f.code, f.message)
    out = []
    for d in score.deductions:
        name = first.get(d.code, d.name)
        if most is not None and len(name) > most:
            name = name[: most - 1] + "…"
        out.append((d, name))
    return out
