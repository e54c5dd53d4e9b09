"""Indented JSON for the JSON-like formats (json, sarif, rdjson, audit and compare JSON).

orjson writes what `json.dumps(obj, ensure_ascii=False, indent=2)` writes for fzlint's payloads
(dicts with string keys, lists, strings, integers, booleans, None and floats such as scores), in a
fraction of the time: with `indent`, the standard library falls back to its pure-Python encoder.
Two differences, neither in fzlint's payloads: NaN and infinities become null (valid JSON), and
floats below 1e-4 or from 1e16 up are written without the exponent's sign padding (1e-5, not
1e-05). What orjson refuses (keys that are not strings, integers over 64 bits, lone surrogates)
goes to the standard library."""

from __future__ import annotations

import json
from typing import Any

import orjson


def dumps(obj: Any) -> str:
    """`obj` as indented JSON text (two spaces, non-ASCII characters as they are)."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(obj, ensure_ascii=False, indent=2)
