"""Indented JSON, as `json.dumps(obj, ensure_ascii=False, indent=2)` writes it, about three times
faster: with `indent`, the standard library falls back to its pure-Python generator encoder, which
is a noticeable share of a `--format json` run over many reports. Strings are escaped by the
standard library's own C function, so the output is the same byte for byte (a test compares them
on real runs); anything but dict/list/tuple/str/int/float/bool/None goes to `json.dumps`."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from math import isnan
from typing import Any

_INF = float("inf")


class _Unsupported(Exception):
    pass


def _float(f: float) -> str:
    if isnan(f):
        return "NaN"
    if f == _INF:
        return "Infinity"
    if f == -_INF:
        return "-Infinity"
    return float.__repr__(f)


def _key(k: Any) -> str:
    if isinstance(k, str):
        return k
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, int):
        return int.__repr__(k)
    if isinstance(k, float):
        return _float(k)
    raise _Unsupported


def _encode(o: Any, level: int, out: list[str]) -> None:
    if isinstance(o, str):
        out.append(encode_basestring(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, (list, tuple)):
        if not o:
            out.append("[]")
            return
        sep = ",\n" + "  " * (level + 1)
        out.append("[\n" + "  " * (level + 1))
        first = True
        for v in o:
            if first:
                first = False
            else:
                out.append(sep)
            _encode(v, level + 1, out)
        out.append("\n" + "  " * level + "]")
    elif isinstance(o, dict):
        if not o:
            out.append("{}")
            return
        sep = ",\n" + "  " * (level + 1)
        out.append("{\n" + "  " * (level + 1))
        first = True
        for k, v in o.items():
            if first:
                first = False
            else:
                out.append(sep)
            out.append(encode_basestring(_key(k)) + ": ")
            _encode(v, level + 1, out)
        out.append("\n" + "  " * level + "}")
    else:
        raise _Unsupported


def dumps(obj: Any) -> str:
    """`json.dumps(obj, ensure_ascii=False, indent=2)`, faster."""
    out: list[str] = []
    try:
        _encode(obj, 0, out)
    except (_Unsupported, RecursionError):
        return json.dumps(obj, ensure_ascii=False, indent=2)
    return "".join(out)
