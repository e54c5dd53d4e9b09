"""render/jsontext.py: the JSON-like formats' text is what json.dumps(obj, ensure_ascii=False,
indent=2) writes for every payload fzlint produces."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from fzlint.render import jsontext
from tests.conftest import run_cli, seed

# floats as payloads hold them (scores, shares): no NaN, no exponent form
_floats = st.floats(min_value=1e-4, max_value=1e15) | st.floats(min_value=-1e15, max_value=-1e-4) | st.just(0.0)
_scalars = st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | _floats | st.text()
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4) | st.tuples(inner, inner), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_same_text_as_the_standard_library(value: object) -> None:
    assert jsontext.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_control_characters_and_line_separators_are_escaped_alike() -> None:
    value = {"message": "x\"\n\u2028中\x00\x1f\t\\", "empty": {}, "list": [], "nested": [{"a": (1, 2.5)}]}
    assert jsontext.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_what_orjson_refuses_goes_to_the_standard_library() -> None:
    for odd in ({1: {}, None: [], 2.5: (1, 2), False: "x"}, {"big": 2**80}, {"s": "\ud800"}):
        assert jsontext.dumps(odd) == json.dumps(odd, ensure_ascii=False, indent=2)

    class Thing:
        pass

    try:
        jsontext.dumps({"a": Thing()})
    except TypeError:
        pass
    else:
        raise AssertionError("accepted an object json cannot write")


def test_a_real_run_prints_what_json_dumps_would() -> None:
    out = run_cli("--format", "json", str(seed("001")), str(seed("004"))).stdout.decode("utf-8")
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
