"""A warm start for `dataclasses`: the compiled code of the methods it generates, kept for the next run.

`@dataclass` writes the source of `__init__`, `__repr__`, `__eq__` … as text and compiles it
with `exec`; for fzlint's ~65 dataclasses that is ~240 compilations, ~25 ms of every cold start.
The source text depends only on the class's fields, so the CLI keeps a map from text to code
object (marshal, in the user cache dir, keyed on the exact Python version and optimisation
level) and `dataclasses._create_fn` executes the cached code instead of compiling the text
again. Code objects run: the file is read and written through fzlint.cachedir (load/store), which
loads only a file in a private cache dir carrying this user's MAC. The code is what `exec(text)` in dataclasses.py compiles: same text, same file name
"<string>", no inherited `from __future__` flags (`dont_inherit=True`). The replacement is
installed only when `dataclasses._create_fn` is byte for byte the function it replaces (see
`_reference`), so another Python's dataclasses are left alone; a missing, stale or corrupt cache
file just means compiling as usual, and the file is rewritten at exit when new text was compiled.
"""

import dataclasses
import marshal
import sys
from typing import Any

MISSING = dataclasses.MISSING

_codes: dict[str, Any] = {}
_state: dict[str, Any] = {"installed": False, "dirty": False}


def _reference(name, args, body, *, globals=None, locals=None,  # type: ignore[no-untyped-def]
               return_type=MISSING):
    # Python 3.11's dataclasses._create_fn, verbatim (comments dropped): the replacement below
    # is installed only when the running Python's function compiles to the same code.
    if locals is None:
        locals = {}
    return_annotation = ''
    if return_type is not MISSING:
        locals['_return_type'] = return_type
        return_annotation = '->_return_type'
    args = ','.join(args)
    body = '\n'.join(f'  {b}' for b in body)

    txt = f' def {name}({args}){return_annotation}:\n{body}'

    local_vars = ', '.join(locals.keys())
    txt = f"def __create_fn__({local_vars}):\n{txt}\n return {name}"
    ns = {}
    exec(txt, globals, ns)  # noqa: S102 - dataclasses' own code, kept verbatim for the comparison
    return ns['__create_fn__'](**locals)


def _create_fn(name, args, body, *, globals=None, locals=None,  # type: ignore[no-untyped-def]
               return_type=MISSING):
    """`_reference` with the compile step served from the cache."""
    if locals is None:
        locals = {}
    return_annotation = ''
    if return_type is not MISSING:
        locals['_return_type'] = return_type
        return_annotation = '->_return_type'
    args = ','.join(args)
    body = '\n'.join(f'  {b}' for b in body)

    txt = f' def {name}({args}){return_annotation}:\n{body}'

    local_vars = ', '.join(locals.keys())
    txt = f"def __create_fn__({local_vars}):\n{txt}\n return {name}"
    code = _codes.get(txt)
    if code is None:
        code = compile(txt, "<string>", "exec", dont_inherit=True)
        _codes[txt] = code
        _state["dirty"] = True
    ns = {}
    exec(code, globals, ns)  # noqa: S102 - what dataclasses would exec, compiled from the same text
    return ns['__create_fn__'](**locals)


def _same_code(a: Any, b: Any) -> bool:
    """Same bytecode, names and constants (nested code compared the same way: file and line differ)."""
    code = type(a)
    if not (a.co_code == b.co_code and a.co_names == b.co_names and a.co_varnames == b.co_varnames and len(a.co_consts) == len(b.co_consts)):
        return False
    return all(_same_code(x, y) if type(x) is code and type(y) is code else x == y for x, y in zip(a.co_consts, b.co_consts))


def _cache_file() -> str:
    from fzlint.cachedir import cache_dir

    tag = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-O{sys.flags.optimize}"
    return str(cache_dir() / f"dataclass-code-{tag}.marshal")


def install() -> bool:
    """Serve dataclasses' compilations from the saved cache; returns whether it is in use.

    Also registers `save` to run at exit. Call before the modules defining dataclasses load."""
    if _state["installed"]:
        return True
    original = getattr(dataclasses, "_create_fn", None)
    if original is None or not _same_code(original.__code__, _reference.__code__):
        return False
    try:
        from pathlib import Path

        from fzlint import cachedir

        raw = cachedir.load(Path(_cache_file()))  # None unless ours, private and signed
        data = marshal.loads(raw) if raw is not None else None
        if isinstance(data, dict):
            _codes.update((k, v) for k, v in data.items() if isinstance(k, str) and type(v) is type(_create_fn.__code__))
    except Exception:  # noqa: BLE001, S110 - no file yet, a corrupt file, another marshal format: compile
        pass
    dataclasses._create_fn = _create_fn
    _state["installed"] = True
    import atexit

    atexit.register(save)
    return True


def save() -> bool:
    """Write the cache back when this run compiled text it lacked."""
    if not _state["dirty"]:
        return False
    try:
        from pathlib import Path

        from fzlint import cachedir

        if not cachedir.store(Path(_cache_file()), marshal.dumps(dict(_codes))):
            return False
    except Exception:  # noqa: BLE001 - a read-only cache dir must not fail a run
        return False
    _state["dirty"] = False
    return True
