"""YAML loading that remembers the line of every mapping key, for error messages."""

from __future__ import annotations

from typing import Any

import yaml

from fzlint.errors import RulesetError


class LineDict(dict):  # type: ignore[type-arg]
    """A dict that knows the 1-based line of itself and of each key."""

    line: int = 0
    lines: dict[Any, int]


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"重复的键 {key!r}", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = key_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]


def load_yaml(text: str, path: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or exc.context or "语法错误"
        raise RulesetError(
            f"{path}:{line}: YAML 语法错误:{problem}",
            f"{path}:{line}: YAML syntax error: {problem}",
        ) from None
    except yaml.YAMLError as exc:
        raise RulesetError(f"{path}: YAML 错误:{exc}", f"{path}: YAML error: {exc}") from None


def line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest known element along a pydantic error location."""
    line = getattr(data, "line", 0)
    obj = data
    for part in loc:
        if isinstance(obj, LineDict) and part in obj:
            line = obj.lines.get(part, line)
            obj = obj[part]
        elif isinstance(obj, list) and isinstance(part, int) and 0 <= part < len(obj):
            obj = obj[part]
            line = getattr(obj, "line", line)
        else:
            break
    return line
