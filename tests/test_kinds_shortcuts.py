"""The shortcuts of the content check kinds (skipping paragraphs or sentences that cannot yield a
finding, sharing per-document work between rules) change no finding: each test lints random
reports once as shipped and once with the shortcut turned off, and compares."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
import regex

from tests.conftest import lint_text

# Pieces that exercise unit marks, closing quotes after terminators, headings, numbers and
# counts, dates, repeated phrases and half-/full-width punctuation.
_PIECES = [
    "加强执法队伍建设", "规范行政执法行为", "推进依法行政工作", "全年办理复议案件", "调处成功", "成功率达",
    "共调处纠纷", "公示行政检查案", "行政处罚案", "12件", "1337宗", "800宗", "98.29%", "7591件", "7461件",
    "2月30日", "11日8日", "2021年3月5日", "，", ",", "。", "；", ";", "：", "、", "！", "？", "?", "“", "”",
    "。”", "（", "）", "(", ")", "《法治政府建设实施纲要》", " ", "_", "一是", "二是", "四是", "等",
    "行政强制案36宗，", "行政强制案1299宗，", "全市共调处纠纷7591件,", "调处成功7461件,", "成功率达98.28%。",
]


def _report(rng: random.Random) -> str:
    lines = ["某市2021年度法治政府建设情况报告", "一、主要举措和成效"]
    pool = [rng.choice(_PIECES) for _ in range(12)]  # a small pool: units repeat often
    for n in range(rng.randint(3, 9)):
        if rng.random() < 0.2:
            lines.append(f"（{'一二三四五六'[n % 6]}）" + rng.choice(pool))
        lines.append("".join(rng.choice(pool if rng.random() < 0.7 else _PIECES) for _ in range(rng.randint(4, 30))))
    lines += ["二、存在的不足和原因", "执法力量不足，原因是编制紧张。", "三、2022年工作安排", "加强执法队伍建设。", "某市人民政府", "2022年1月10日"]
    return "\n".join(lines) + "\n"


def _findings(text: str, prefixes: tuple[str, ...]) -> list[tuple[Any, ...]]:
    result, _ = lint_text(text)
    return [(f.code, f.start, f.end, f.message, f.fix) for f in result.findings if f.code.startswith(prefixes)]


def _compare(monkeypatch: pytest.MonkeyPatch, prefixes: tuple[str, ...], turn_off: Any, seeds: int = 60) -> None:
    texts = [_report(random.Random(seed)) for seed in range(seeds)]
    fast = [_findings(t, prefixes) for t in texts]
    with monkeypatch.context() as m:
        turn_off(m)
        slow = [_findings(t, prefixes) for t in texts]
    assert fast == slow
    assert any(fast), "the random reports should produce some findings"


def test_repetition_skips_only_paragraphs_that_repeat_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from fzlint.rules.kinds import repetition

    def every(self: Any, _min_chars: int) -> set[int]:
        return set(range(len(self.doc.paragraphs)))

    def turn_off(m: pytest.MonkeyPatch) -> None:
        for name in ("sharing_sentences", "repeating_clauses", "repeating_items"):
            m.setattr(repetition._Keys, name, every)

    _compare(monkeypatch, ("FZ60",), turn_off)


def test_repetition_paragraph_keys_are_the_keys_of_the_bodies() -> None:
    from fzlint.document import build_document
    from fzlint.ingest import load_bytes
    from fzlint.rules.kinds import repetition

    for seed in range(30):
        doc = build_document(load_bytes(_report(random.Random(seed)).encode(), "r.txt"))
        expected = [repetition._key(p.view.text[repetition._body(p)[0] :]) for p in doc.paragraphs]
        assert repetition._Keys(doc).paragraphs() == expected


def test_data_consistency_skips_only_sentences_without_a_match(monkeypatch: pytest.MonkeyPatch) -> None:
    from fzlint.rules.kinds import data

    def all_units(self: Any, _pattern: Any, _text: str, units: list[tuple[int, int]]) -> Iterator[int]:
        return iter(range(len(units)))

    def turn_off(m: pytest.MonkeyPatch) -> None:
        m.setattr(data._Sentences, "body_matches", lambda self, doc, pattern: None)  # no body pass either
        m.setattr(data._Sentences, "candidates", all_units)

    _compare(monkeypatch, ("FZ503", "FZ504"), turn_off)


def test_body_matches_give_each_range_search_exactly() -> None:
    """_BodyMatches.within (with the fallback over a range's edges) gives finditer(text, lo, hi)."""
    from fzlint.rules.kinds import data

    rng = random.Random(3)
    for src in (r"\d{1,5}件", r"a[^。]{0,6}?b|c", r"(?P<x>\d{1,3})(?:万)?[件宗]", r"[ab]{1,3}。?c"):
        pattern = regex.compile(src)
        assert data._body_suited(pattern)
        for _ in range(300):
            text = "".join(rng.choice("ab c1234件宗万。\n") for _ in range(rng.randint(0, 40)))
            bm = data._BodyMatches(list(pattern.finditer(text)))
            lo = rng.randint(0, len(text))
            hi = rng.randint(lo, len(text))
            found = bm.within(lo, hi)
            if found is not None:
                assert [m.span() for m in found] == [m.span() for m in pattern.finditer(text, lo, hi)]
    for src in (r"a(?=b)", r"\bab", r"^a", r"a$", r"(?>a+)b", r"a++b", r"(?<=x)a", r"(?:ab){e<=1}"):
        assert not data._body_suited(regex.compile(src))


def test_punctuation_rules_share_the_scan_without_changing_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    from fzlint.rules.kinds import punctuation

    def fresh(doc: Any, ctx: Any, specs: Any) -> Any:
        ctx.cache.pop("punctuation.scans", None)  # every rule scans on its own
        return original(doc, ctx, specs)

    original = punctuation._scans
    _compare(monkeypatch, ("P100", "P101"), lambda m: m.setattr(punctuation, "_scans", fresh))


def test_shared_per_document_results_match_separate_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    from fzlint.rules.kinds import concrete_results, stale

    def turn_off(m: pytest.MonkeyPatch) -> None:
        m.setattr(concrete_results.ConcreteResults, "_shared_units", lambda self, ctx, hit, later: self.units(hit, later))
        m.setattr(stale.SessionReference, "_mentions", lambda self, doc, ctx: self._find_mentions(doc, ctx))

    _compare(monkeypatch, ("FZ12", "FZ70"), turn_off, seeds=20)


def test_literal_alternation_in_re_matches_as_in_regex() -> None:
    from fzlint.rules.kinds.correspondence import _literals

    words = ["进一步", "加强", "不", "不够", "工作", "a.b", "(x)", "法治建设", "法治"]
    rng = random.Random(7)
    for _ in range(200):
        order = sorted(rng.sample(words, rng.randint(1, len(words))), key=len, reverse=True)
        fast = _literals(order)
        slow = regex.compile("|".join(regex.escape(w) for w in order), regex.V1)
        text = "".join(rng.choice(words + ["，", "x", "法"]) for _ in range(30))
        assert fast.sub("|", text) == slow.sub("|", text)


def test_task_area_words_match_as_the_pattern() -> None:
    from fzlint.rules.kinds.task_coverage import _literal_words

    assert _literal_words("立法|规章") == ("立法", "规章")
    for src in ("应急(?!局)", "a||b", r"互联网\+|x", "a.b", "党委.{0,4}领导", "[ab]", "x|"):
        assert _literal_words(src) == ()


def test_key_term_needs_a_shared_ngram() -> None:
    from fzlint.rules.kinds.correspondence import Correspondence, _ngrams

    rng = random.Random(11)
    for _ in range(2000):
        a, b = ("|".join("".join(rng.choice("法治执行政") for _ in range(rng.randint(0, 7))) for _ in range(rng.randint(1, 3))) for _ in range(2))
        n = rng.randint(1, 5)
        if _ngrams(a, n).isdisjoint(_ngrams(b, n)):
            assert Correspondence._key_term(a, b, n) == ""
