"""Property tests: whatever the text, linting does not raise, positions are exact, the score
stays in 0–100 and the output is deterministic.

CI runs a short profile. A longer run:
    HYPOTHESIS_PROFILE=long pytest tests/test_properties.py        # 5,000 examples per test
"""

from __future__ import annotations

import io
import json
import os
from functools import lru_cache

from tests.conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


@lru_cache(maxsize=1)
def _linter():  # type: ignore[no-untyped-def]
    from fzlint.engine import Linter
    from fzlint.rules.loader import load_ruleset

    rs = load_ruleset()
    return rs, Linter(rs)


# ---- strategies ------------------------------------------------------------------------------
CN_NUM = "一二三四五六七八九十"
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PUNCT = st.sampled_from(list("，。、；：？！“”‘’（）《》〈〉【】—…·「」,.;:()\u3000 \t"))
ODD = st.sampled_from(["\u200b", "\u200f", "\u202e", "\ufeff", "\x00", "\ufffd", "\r", "\u2028", "\x0c", "繁體", "國", "\U0002a6a5", "🙂"])
PHRASES = st.sampled_from(
    [
        "法治政府建设",
        "主要举措和成效",
        "存在的不足和原因",
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        "下一年度主要安排",
        "行政执法公示制度",
        "执法全过程记录制度",
        "重大执法决定法制审核制度",
        "产生上述问题的原因主要是",
        "XX",
        "某某",
        "2021年",
        "二〇二一年",
        "截止2021年底",
    ]
)
WORD = st.one_of(st.text(HAN, min_size=1, max_size=8), PHRASES, PUNCT, ODD, st.text(max_size=3))


@st.composite
def dates(draw: st.DrawFn) -> str:
    y = draw(st.integers(1990, 2100))
    m = draw(st.integers(0, 13))
    d = draw(st.integers(0, 32))
    if draw(st.booleans()):
        return f"{y}年{m}月{d}日"
    digits = "〇一二三四五六七八九"
    return "".join(digits[int(c)] for c in str(y)) + f"年{CN_NUM[m % 10]}月{CN_NUM[d % 10]}日"


@st.composite
def lines(draw: st.DrawFn) -> str:
    body = "".join(draw(st.lists(st.one_of(WORD, dates()), max_size=12)))
    marker = draw(
        st.sampled_from(
            ["", "", "", "一、", "二、", "(一)", "（二）", "三)", "1.", "2、", "(3)", "4)", "一是", "二是", "四是", "\u3000\u3000", "  "]
        )
    )
    return marker + body + draw(st.sampled_from(["", "。", "；", "：", "，"]))


@st.composite
def reports(draw: st.DrawFn) -> str:
    title = draw(st.sampled_from(["", "某某县2021年法治政府建设年度报告", "关于2020年度法治政府建设情况的报告", "國家2021年法治政府建設情況報告"]))
    body = draw(st.lists(lines(), max_size=25))
    sign = draw(st.sampled_from(["", "某某县人民政府", "某某县人民政府\n2022年1月5日", "2022年01月05日"]))
    nl = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\n"]))
    return nl.join([title, *body, sign])


@st.composite
def mutated_seeds(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEED_TEXTS))
    ls = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["delete", "swap", "noise", "dup"]))
        if not ls:
            break
        i = draw(st.integers(0, len(ls) - 1))
        j = draw(st.integers(0, len(ls) - 1))
        if op == "delete":
            del ls[min(i, j) : max(i, j) + 1][: draw(st.integers(1, 40))]
        elif op == "swap":  # swap two sections (runs of lines)
            a, b = sorted((i, j))
            k = draw(st.integers(1, 30))
            ls = ls[:a] + ls[b : b + k] + ls[a + k : b] + ls[a : a + k] + ls[b + k :] if a + k <= b else ls
        elif op == "noise":
            ls.insert(i, draw(lines()))
        else:
            ls.insert(i, ls[j])
    out = "\n".join(ls)
    if draw(st.booleans()):  # byte flips, decoded with replacement
        raw = bytearray(out.encode(draw(st.sampled_from(["utf-8", "gb18030"]))))
        for _ in range(draw(st.integers(1, 8))):
            if raw:
                k = draw(st.integers(0, len(raw) - 1))
                raw[k] = draw(st.integers(0, 255))
        out = raw.decode("utf-8", errors="replace")
    return out


ANY_TEXT = st.one_of(reports(), mutated_seeds(), st.text(max_size=300))


# ---- properties --------------------------------------------------------------------------------
def _lint(text: str):  # type: ignore[no-untyped-def]
    from fzlint.ingest import Source
    from fzlint.score import compute

    rs, linter = _linter()
    result = linter.lint_source(Source("p.txt", text))
    return result, compute(result.findings, rs)


def _json(text: str) -> str:
    from fzlint.render import Run
    from fzlint.render.json_out import render_run

    rs, _ = _linter()
    buf = io.StringIO()
    render_run(Run([_lint(text)], rs), buf)
    return buf.getvalue()


@settings(settings.get_profile(PROFILE))
@given(ANY_TEXT)
def test_positions_are_inside_the_file_and_map_back(text: str) -> None:
    result, score = _lint(text)
    src = result.source
    assert 0 <= score.value <= 100
    assert len(result.doc.norm) == len(text)
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text), f
        for off in (f.start, f.end):
            line, col = src.position(off)
            assert 1 <= line <= src.line_count
            assert 1 <= col <= len(src.line_text(line)) + 1
            # (line, column) -> offset gives the finding's own offset back
            assert src.line_starts[line - 1] + col - 1 == off
        rule = result.ruleset.rule(f.code)
        if rule is not None and "{match}" in rule.message and "超时" not in f.message:
            assert text[f.start : f.end] in f.message  # the span is the text the finding quotes


@settings(settings.get_profile(PROFILE))
@given(ANY_TEXT)
def test_linting_is_deterministic(text: str) -> None:
    first = _json(text)
    assert first == _json(text)
    payload = json.loads(first)
    for d in payload["files"][0]["diagnostics"]:
        assert d["line"] <= d["end_line"]


@settings(settings.get_profile(PROFILE))
@given(st.binary(max_size=2000) | mutated_seeds().map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_bytes_are_refused_cleanly_or_linted(data: bytes) -> None:
    from fzlint.errors import InputError
    from fzlint.ingest import load_bytes

    try:
        src = load_bytes(data, "b.txt")
    except InputError as exc:
        assert exc.zh and exc.en and exc.path == "b.txt"
        return
    _result, score = _lint(src.text)
    assert 0 <= score.value <= 100
