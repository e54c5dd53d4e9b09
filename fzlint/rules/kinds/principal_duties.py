"""principal_duties: does the 第一责任人 part say what THIS body's principal did?

The part must report the principal's own acts (DOMAIN.md §2 [B1][B2]): hearing reports and
solving major problems, leading the study of law, 述法, personally deploying and supervising,
appearing in court, putting 法治 into the plans. Reports often fill the part with what was
pressed on others ("压实各镇街主要负责人第一责任人职责") or with the title repeated.

Each duty match is attributed to the nearest actor before it in its clause (an actor at the
start of an earlier clause of the same sentence carries over as the subject). Actors are the
body's own principal or leading organs (titles derived from the issuer's kind and level: 市长,
市委常委会, 局党组书记, 镇长 …), generic principals (主要负责人, 领导班子), or others
(subordinates such as 各镇街主要负责人, and other bodies). A duty with no actor before it is
the part's implicit subject, i.e. the principal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from fzlint.document.model import Document, Paragraph
from fzlint.rules.context import Context, ElementHit
from fzlint.rules.kinds.base import Check, compile_pattern
from fzlint.rules.kinds.content import add_content, body_text, join_labels, mask_book_titles
from fzlint.rules.model import Finding

_CLAUSE_END = regex.compile(r"[,，;；:：。！？!?]")
_SENTENCE_END = regex.compile(r"[。！？!?；;]")
# An actor right after a preposition is a place or a recipient, not the subject (在县委会议上述法).
_PREPOSITION = regex.compile(r"(在|向|到|于|赴|对|给|被|受|经|按照|根据)$")
_LEVELS = "省市县区旗州盟"
_OWN, _GENERIC, _OTHER = "own", "generic", "other"


@dataclass
class PrincipalDutiesParams:
    element: str = "first_responsible"
    duties: dict[str, list[str]] = field(default_factory=dict)  # label -> patterns
    # body kind (government | department | township) -> patterns of the body's own principal
    # and leading organs; "{L}" stands for the issuer's level (市, 县, 区 …)
    principals: dict[str, list[str]] = field(default_factory=dict)
    generic: list[str] = field(default_factory=list)  # 主要负责人, 领导班子 …: own unless qualified
    subordinates: dict[str, list[str]] = field(default_factory=dict)  # body kind or "all" -> patterns
    pressed_on_others: list[str] = field(default_factory=list)  # 压实/督促 … subordinates' duties
    min_duties: int = 2  # fewer duty kinds than this: a finding (none: warning, some: info)


@dataclass(frozen=True, slots=True)
class DutyHit:
    label: str
    role: str  # own | generic | other | implicit
    paragraph: Paragraph
    start: int  # view offsets
    end: int


def _union(patterns: list[str]) -> regex.Pattern[str]:
    """One pattern matching any of `patterns` (earlier ones win at the same position)."""
    return compile_pattern("|".join(f"(?:{x})" for x in patterns))


_META = set("\\[](){}.*+?^$|")


def _top_level_end(src: str, i: int) -> int:
    """The index just past the group opened at src[i] ("("), or -1."""
    depth = 0
    in_class = False
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if src.startswith("[^]", i) or src.startswith("[]", i):
                i += 2 if src[i + 1] == "]" else 3
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def required_literals(src: str) -> tuple[str, ...] | None:
    """Strings one of which every match of `src` contains, when that is easy to see: the
    pattern ends with a plain group (not repeated, not a lookaround) whose every branch starts
    with a literal. None when unsure. A paragraph holding none of them cannot match `src`."""
    if "(?" in src.replace("(?:", "") or not src.endswith(")"):
        return None  # flags, lookaround, named groups …: not analysed
    # the top-level pieces: the pattern must have no top-level "|" and end with a group
    i, last_open = 0, -1
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = i + 1
            if j < len(src) and src[j] == "^":
                j += 1
            if j < len(src) and src[j] == "]":
                j += 1
            while j < len(src) and src[j] != "]":
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c == "|":
            return None
        if c == "(":
            end = _top_level_end(src, i)
            if end < 0:
                return None
            last_open = i
            i = end
            continue
        i += 1
    if last_open < 0 or _top_level_end(src, last_open) != len(src):
        return None
    inner = src[last_open + 1 : -1]
    if inner.startswith("?:"):
        inner = inner[2:]
    # split the group's own branches (not nested ones)
    branches: list[str] = []
    depth, start, k = 0, 0, 0
    while k < len(inner):
        c = inner[k]
        if c == "\\":
            k += 2
            continue
        if c == "[":
            return None  # keep it simple: classes inside the final group are not analysed
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            branches.append(inner[start:k])
            start = k + 1
        k += 1
    branches.append(inner[start:])
    literals: list[str] = []
    for b in branches:
        n = 0
        while n < len(b) and b[n] not in _META:
            n += 1
        if n < len(b) and b[n] in "?*{":
            n -= 1  # the last literal is optional or repeated
        if n < 1:
            return None
        literals.append(b[:n])
    return tuple(literals)


_REQUIRED: dict[str, tuple[str, ...] | None] = {}


def _required(src: str) -> tuple[str, ...] | None:
    if src not in _REQUIRED:
        _REQUIRED[src] = required_literals(src)
    return _REQUIRED[src]


def issuer_level(issuer: str | None) -> str:
    """The administrative level character of a government issuer (高州市人民政府 -> 市)."""
    if not issuer:
        return "市"
    name = regex.sub(r"(人民政府|政府)$", "", issuer)
    for ch in reversed(name):
        if ch in _LEVELS:
            return ch
    return "市"


class PrincipalDuties(Check):
    name = "principal_duties"
    Params = PrincipalDutiesParams

    def setup(self) -> None:
        p: PrincipalDutiesParams = self.params
        # one alternation per duty / role: a few scans per paragraph instead of dozens
        self.duty_res = {label: [_union(pats)] for label, pats in p.duties.items()}
        self.generic_res = [_union(p.generic)] if p.generic else []
        self.pressed_res = [_union(p.pressed_on_others)] if p.pressed_on_others else []
        self._actor_cache: dict[tuple[str, str], tuple[list[regex.Pattern[str]], list[regex.Pattern[str]]]] = {}
        # others' union without the branches whose required literals a text lacks (a branch
        # such as "\\p{Han}{2,10}?(局|…)…(主要负责人|…)" costs ten times the rest together)
        self._others_src: dict[tuple[str, str], list[str]] = {}
        self._narrowed: dict[tuple[str, ...], regex.Pattern[str]] = {}

    # ---- actors --------------------------------------------------------------------------
    def _actor_patterns(self, kind: str, level: str) -> tuple[list[regex.Pattern[str]], list[regex.Pattern[str]]]:
        """Own-principal patterns for this body, and patterns of every other actor."""
        key = (kind, level)
        if key not in self._actor_cache:
            p: PrincipalDutiesParams = self.params
            own_src = [x.replace("{L}", level) for x in p.principals.get(kind, [])]
            others_src: list[str] = list(p.subordinates.get("all", [])) + list(p.subordinates.get(kind, []))
            other_levels = "".join(c for c in _LEVELS if c != level) if kind == "government" else _LEVELS
            for k, pats in p.principals.items():
                lv = f"[{other_levels}]" if k == kind else f"[{_LEVELS}]"
                others_src.extend(x.replace("{L}", lv) for x in pats if k != kind or "{L}" in x)
            self._actor_cache[key] = ([_union(own_src)] if own_src else [], [_union(others_src)] if others_src else [])
            self._others_src[key] = others_src
        return self._actor_cache[key]

    def _others_for(self, key: tuple[str, str], text: str, others: list[regex.Pattern[str]]) -> list[regex.Pattern[str]]:
        """`others`, or the same union without branches that cannot match `text`: a branch that
        matches nowhere in the text changes nothing in the union's matches."""
        srcs = self._others_src.get(key)
        if not srcs or not others:
            return others
        kept = [s for s in srcs if (need := _required(s)) is None or any(x in text for x in need)]
        if len(kept) == len(srcs):
            return others
        if not kept:
            return []
        k = tuple(kept)
        pat = self._narrowed.get(k)
        if pat is None:
            pat = self._narrowed[k] = _union(kept)
        return [pat]

    def _actors(self, text: str, own: list[regex.Pattern[str]], others: list[regex.Pattern[str]]) -> list[tuple[int, int, str]]:
        """Non-overlapping actor mentions (start, end, role), own titles first, then others,
        then generic principals."""
        taken: list[tuple[int, int, str]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b, _ in taken)

        for role, pats in ((_OWN, own), (_OTHER, others), (_GENERIC, self.generic_res)):
            for pat in pats:
                for m in self.finditer(pat, text):
                    s, e = m.span()
                    if e > s and free(s, e) and not _PREPOSITION.search(text, max(0, s - 4), s):
                        taken.append((s, e, role))
        taken.sort()
        return taken

    # ---- duties --------------------------------------------------------------------------
    def duties_in(self, paragraphs: list[Paragraph], doc: Document) -> tuple[list[DutyHit], bool]:
        """Every duty mention with the actor it is attributed to; and whether the text presses
        duties on others (压实各…主要负责人…职责)."""
        key = (doc.meta.body_kind, issuer_level(doc.meta.issuer))
        own, others = self._actor_patterns(*key)
        hits: list[DutyHit] = []
        pressed = False
        for para in paragraphs:
            raw, start = body_text(para)
            text = mask_book_titles(raw)
            if start >= len(text):
                continue
            actors = self._actors(text, own, self._others_for(key, text, others))
            if any(self.search(r, text, start) for r in self.pressed_res):
                pressed = True
            for label, pats in self.duty_res.items():
                for pat in pats:
                    for m in self.finditer(pat, text, start):
                        hits.append(DutyHit(label, self._attribute(text, start, m.start(), actors), para, m.start(), m.end()))
        return hits, pressed

    @staticmethod
    def _attribute(text: str, floor: int, pos: int, actors: list[tuple[int, int, str]]) -> str:
        # the clause holding the duty, and the sentence holding the clause
        clause_start = floor
        for m in _CLAUSE_END.finditer(text, floor, pos):
            clause_start = m.end()
        sentence_start = floor
        for m in _SENTENCE_END.finditer(text, floor, pos):
            sentence_start = m.end()
        before = [a for a in actors if clause_start <= a[0] and a[1] <= pos]
        if before:
            return before[-1][2]
        # a subject at the head of an earlier clause of the same sentence carries over
        heads: list[str] = []
        for a_s, _a_e, role in actors:
            if sentence_start <= a_s < clause_start:
                k = a_s
                while k > sentence_start and text[k - 1] in " \u3000":
                    k -= 1
                if k == sentence_start or _CLAUSE_END.match(text, k - 1):
                    heads.append(role)
        return heads[-1] if heads else "implicit"

    # ---- check ---------------------------------------------------------------------------
    def check(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        p: PrincipalDutiesParams = self.params
        hit: ElementHit | None = ctx.elements.get(p.element)
        if hit is None or hit.status == "missing" or not hit.paragraphs:
            return
        duties, pressed = self.duties_in(hit.paragraphs, doc)
        labels = list(p.duties)
        own_labels = sorted({d.label for d in duties if d.role != _OTHER}, key=labels.index)
        other_labels = sorted({d.label for d in duties if d.role == _OTHER} - set(own_labels), key=labels.index)
        missing = [x for x in labels if x not in own_labels]
        data = {
            "duties": own_labels,
            "missing": missing,
            "subordinate_only": other_labels,
            "pressed_on_others": pressed,
        }
        summary = f"本级主要负责人履职:{join_labels(own_labels) if own_labels else '未写明'}" + (
            f";未写:{join_labels(missing)}" if missing else ""
        )
        add_content(hit, "duties", data, summary)
        if hit.status != "heading" or len(own_labels) >= p.min_duties:
            return  # an inline mention is already reported as lacking its own part
        if own_labels:
            what = f"只写了{join_labels(own_labels)}"
        elif other_labels or pressed:
            what = "只写了对下级或其他单位压实、落实责任"
        else:
            what = "只重复了职责名称"
        values = {"what": what, "missing": join_labels(missing), "label": hit.label}
        assert hit.start is not None
        yield self.finding(hit.start, hit.end or hit.start, values, severity=None if not own_labels else "info")
