"""Compare this year's report with last year's, part by part: which sentences came back.

Sentences are normalised (punctuation and spaces dropped, every digit made 0, so a changed year or
figure does not hide a copy) and compared by character 3-gram Jaccard similarity. Last year's
sentences are indexed by their 3-grams, so each new sentence is compared only with the old ones it
shares a 3-gram with: linear in practice, not quadratic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from fzlint.engine import FileResult, Linter
from fzlint.patterns import lazy
from fzlint.rules.context import ElementHit
from fzlint.rules.kinds.reuse import Reuse, ReuseParams
from fzlint.rules.model import Finding

_DROP = lazy(r"[\p{P}\p{S}\s\p{Z}]+")
_DIGIT = lazy(r"\d")
# 一是/二是, (一), 1. at the start: items move up or down a place from one year to the next
_ENUM = lazy(r"^\s*(?:[一二三四五六七八九十]+是|(?:首先|其次|再次|最后)|[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．])")
SHINGLE = 3
MAX_POSTINGS = 64  # a 3-gram in more old sentences than this is boilerplate: it picks no candidates
WHOLE = "whole"  # the pseudo-part "the whole report"


def normalize(text: str) -> str:
    """The comparison key of a sentence: no punctuation or spaces, every digit 0."""
    return _DIGIT.sub("0", _DROP.sub("", _ENUM.sub("", text)))


def shingles(key: str) -> set[str]:
    if len(key) <= SHINGLE:
        return {key} if key else set()
    return {key[i : i + SHINGLE] for i in range(len(key) - SHINGLE + 1)}


@dataclass(slots=True)
class Sentence:
    """One body sentence of a report (headings excluded)."""

    index: int  # position among the report's sentences
    paragraph: int  # Paragraph.index
    start: int  # source offsets
    end: int
    text: str
    key: str
    grams: set[str] = field(default_factory=set)


@dataclass(slots=True)
class Fingerprint:
    """What a comparison needs of one report, small and picklable (audit workers send these)."""

    path: str
    sentences: list[Sentence]
    parts: dict[str, ElementHit]  # located parts without their paragraphs
    part_paragraphs: dict[str, frozenset[int]]

    def strip(self) -> Fingerprint:
        """Without 3-gram sets (rebuilt on use) and sentence texts (only passages show them): what
        an audit keeps of each report while it pairs and compares two years."""
        for s in self.sentences:
            s.grams = set()
            s.text = ""
        return self


@dataclass(slots=True)
class Match:
    new: Sentence
    old: Sentence
    similarity: float
    verbatim: bool


@dataclass(slots=True)
class PartReuse:
    """How much of one part of the new report was found again in the old one."""

    id: str
    label: str
    new_status: str
    old_status: str
    sentences: int
    reused: int

    @property
    def share(self) -> float:
        return self.reused / self.sentences if self.sentences else 0.0


@dataclass(slots=True)
class Passage:
    """A run of consecutive reused sentences of the new report, and where it was last year."""

    new_start: int
    new_end: int
    old_start: int
    old_end: int
    sentences: int
    similarity: float  # the lowest similarity of its sentences
    text: str


@dataclass(slots=True)
class ReuseResult:
    """The comparison of two fingerprints."""

    parts: list[PartReuse]
    whole: PartReuse
    passages: list[Passage]
    findings: list[Finding]
    first_old: dict[str, int]  # part id -> source offset in the old report of its first reused sentence

    def part(self, part_id: str) -> PartReuse | None:
        return next((p for p in self.parts if p.id == part_id), None)


@dataclass(slots=True)
class Comparison:
    old: FileResult
    new: FileResult
    parts: list[PartReuse]
    whole: PartReuse
    passages: list[Passage]
    findings: list[Finding] = field(default_factory=list)

    def part(self, part_id: str) -> PartReuse | None:
        return next((p for p in self.parts if p.id == part_id), None)


def body_sentences(result: FileResult, min_chars: int) -> list[Sentence]:
    """The report's sentences outside heading titles, long enough to be worth comparing."""
    out: list[Sentence] = []
    for p in result.doc.paragraphs:
        skip_to = p.heading.title_end if p.heading is not None else 0
        text = p.view.text
        for s, e in p.sentences():
            if e <= skip_to or s < skip_to:
                continue  # the heading's own title: repeated every year by design
            key = normalize(text[s:e])
            if len(key) < min_chars:
                continue
            ds, de = p.view.doc_span(s, e)
            out.append(Sentence(len(out), p.index, ds, de, text[s:e].strip(), key, shingles(key)))
    return out


def fingerprint(result: FileResult, min_chars: int) -> Fingerprint:
    parts: dict[str, ElementHit] = {}
    paras: dict[str, frozenset[int]] = {}
    for key in result.ruleset.part_order(result.elements):  # in the order outputs list the parts
        hit = result.elements[key]
        parts[key] = ElementHit(hit.id, hit.label, hit.status, hit.start, hit.end, hit.line, hit.evidence)
        paras[key] = frozenset(p.index for p in hit.paragraphs) if hit.status != "missing" else frozenset()
    return Fingerprint(result.path, body_sentences(result, min_chars), parts, paras)


class _Index:
    """Old sentences by their 3-grams."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self.by_key = {s.key: s for s in reversed(sentences)}
        postings: dict[str, list[int]] = defaultdict(list)
        # 3-gram counts only: the sets themselves are rebuilt per comparison, never kept
        self.sizes: list[int] = []
        for s in sentences:
            grams = s.grams or shingles(s.key)
            self.sizes.append(len(grams))
            for g in grams:
                postings[g].append(s.index)
        self.postings = postings

    def best(self, new: Sentence, similarity: float, containment: float) -> Match | None:
        same = self.by_key.get(new.key)
        if same is not None:
            return Match(new, same, 1.0, True)
        grams = new.grams or shingles(new.key)
        shared: dict[int, int] = defaultdict(int)
        for g in grams:
            ids = self.postings.get(g)
            if ids is None or len(ids) > MAX_POSTINGS:
                continue
            for i in ids:
                shared[i] += 1
        best: Match | None = None
        n = len(grams)
        for i, k in shared.items():
            old = self.sentences[i]
            jac = k / (n + self.sizes[i] - k)
            # a long new sentence lifted whole out of a longer old one is a copy too
            score = jac if jac >= similarity else (k / n if n >= 20 and k / n >= containment else 0.0)
            if score and (best is None or score > best.similarity):
                best = Match(new, old, score, False)
        return best


def reuse_rules(linter: Linter) -> list[Reuse]:
    """The ruleset's `reuse` rules that the selection allows."""
    return [c for c in linter.checks if isinstance(c, Reuse) and linter.selection.allows(c.rule.code)]


def thresholds(rules: list[Reuse]) -> ReuseParams:
    return rules[0].params if rules else ReuseParams()


def compare_fingerprints(old: Fingerprint, new: Fingerprint, rules: list[Reuse], old_line: Callable[[int], int] | None = None) -> ReuseResult:
    """Part-by-part reuse of `old` in `new`, with the `reuse` rules' findings in `new`."""
    t = thresholds(rules)
    index = _Index(old.sentences)
    matches: dict[int, Match] = {}
    for s in new.sentences:
        m = index.best(s, t.similarity, t.containment)
        if m is not None:
            matches[s.index] = m

    def measure(part_id: str, label: str, paragraphs: frozenset[int] | None, new_status: str, old_status: str) -> PartReuse:
        mine = [s for s in new.sentences if paragraphs is None or s.paragraph in paragraphs]
        return PartReuse(part_id, label, new_status, old_status, len(mine), sum(1 for s in mine if s.index in matches))

    parts: list[PartReuse] = []
    first_old: dict[str, int] = {}
    for key, hit in new.parts.items():
        old_hit = old.parts.get(key)
        paras = new.part_paragraphs.get(key, frozenset())
        parts.append(measure(key, hit.label, paras, hit.status, old_hit.status if old_hit else "missing"))
        first = next((m for m in matches.values() if m.new.paragraph in paras), None)
        if first is not None:
            first_old[key] = first.old.start
    whole = measure(WHOLE, "全文", None, "heading", "heading")

    passages: list[Passage] = []
    run: list[Match] = []

    def flush() -> None:
        if run:
            passages.append(
                Passage(
                    run[0].new.start, run[-1].new.end,
                    min(m.old.start for m in run), max(m.old.end for m in run),
                    len(run), min(m.similarity for m in run),
                    "".join(m.new.text for m in run),
                )
            )
            run.clear()

    for s in new.sentences:
        m = matches.get(s.index)
        if m is None:
            flush()
            continue
        # a passage goes on while last year's sentences also follow each other (or nearly)
        if run and not (0 < m.old.index - run[-1].old.index <= 2):
            flush()
        run.append(m)
    flush()

    findings: list[Finding] = []
    for rule in rules:
        part = next((p for p in parts if p.id == rule.params.element), None)
        if part is None:
            continue
        at = first_old.get(part.id)
        line = old_line(at) if old_line is not None and at is not None else ""
        f = rule.judge(new.parts.get(part.id), part.sentences, part.reused, {"old_path": old.path, "old_line": line})
        if f is not None:
            findings.append(f)
    return ReuseResult(parts, whole, passages, findings, first_old)


def compare_results(old: FileResult, new: FileResult, linter: Linter) -> Comparison:
    """Part-by-part reuse of `old` in `new`, with the `reuse` rules' findings in `new`."""
    rules = reuse_rules(linter)
    t = thresholds(rules)
    r = compare_fingerprints(fingerprint(old, t.min_chars), fingerprint(new, t.min_chars), rules, lambda off: old.source.position(off)[0])
    return Comparison(old, new, r.parts, r.whole, r.passages, r.findings)


def compare_files(old_path: str, new_path: str, linter: Linter, max_bytes: int | None = None) -> Comparison:
    """Load, lint and compare two report files (any supported format)."""
    from fzlint.ingest import load_path

    kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
    old = linter.lint_source(load_path(old_path, **kwargs))
    new = linter.lint_source(load_path(new_path, **kwargs))
    return compare_results(old, new, linter)


def compare_texts(old_text: str, new_text: str, linter: Linter) -> Comparison:
    """Compare two reports given as text (rule examples, tests)."""
    from fzlint.ingest import load_bytes

    old = linter.lint_source(load_bytes(old_text.encode("utf-8"), "上一年度.txt"))
    new = linter.lint_source(load_bytes(new_text.encode("utf-8"), "本年度.txt"))
    return compare_results(old, new, linter)
