"""render/fastjson.py: byte-for-byte what json.dumps(obj, ensure_ascii=False, indent=2) writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from fzlint.render import fastjson
from tests.conftest import run_cli, seed

_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4) | st.tuples(inner, inner), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_same_text_as_the_standard_library(value: object) -> None:
    assert fastjson.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_odd_keys_and_values() -> None:
    value = {1: {}, None: [], 2.5: (1, 2), False: "x\"\n\u2028中\x00", "nan": [float("nan"), float("inf"), -float("inf")]}
    assert fastjson.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_what_it_cannot_encode_goes_to_the_standard_library() -> None:
    class Thing:
        pass

    for bad in ({"a": Thing()}, {(1, 2): 1}):
        try:
            json.dumps(bad, ensure_ascii=False, indent=2)
        except TypeError as exc:
            want = str(exc)
        else:  # pragma: no cover - the standard library rejects both
            raise AssertionError
        try:
            fastjson.dumps(bad)
        except TypeError as exc:
            assert str(exc) == want
        else:
            raise AssertionError("accepted what json.dumps rejects")
    loop: list[object] = []
    loop.append(loop)
    try:
        fastjson.dumps(loop)
    except ValueError as exc:
        assert "Circular" in str(exc)
    else:
        raise AssertionError("accepted a circular list")


def test_a_real_run_prints_what_json_dumps_would() -> None:
    out = run_cli("--format", "json", str(seed("001")), str(seed("004"))).stdout.decode("utf-8")
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
