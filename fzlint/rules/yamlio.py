"""YAML loading that remembers the line of every mapping key, for error messages.

A ruleset may come from anyone (a config file in a folder being linted can name one), so the
loader bounds what a small file can make it build:

* nesting deeper than MAX_DEPTH levels (counting what aliases bring in) is refused where it
  starts: 100,000 nested `[` would otherwise overflow the recursive composer;
* aliases are allowed (the built-in rulesets share lists with `&name`/`*name`), but every alias
  counts as the nodes it repeats: more than MAX_NODES in all (the "billion laughs" alias bomb
  builds 10^9 strings from a 1 KB file) is refused at the alias that crosses the limit; an alias
  to a node that contains it (a cycle) is refused too;
* an integer with more than MAX_INT_DIGITS digits is refused where it stands (Python refuses to
  convert more than 4,300 digits, and no ruleset value needs more than a few).

Each refusal is a RulesetError naming file and line, like a syntax error.
"""

from __future__ import annotations

from typing import Any

import yaml

from fzlint.errors import RulesetError


class LineDict(dict):  # type: ignore[type-arg]
    """A dict that knows the 1-based line of itself and of each key."""

    line: int = 0
    lines: dict[Any, int]


MAX_DEPTH = 50  # the built-in rulesets nest at most 9 levels
MAX_NODES = 100_000  # per file, aliases expanded; the largest built-in file has about 1,000
MAX_INT_DIGITS = 30


class _Limit(yaml.MarkedYAMLError):
    """A file beyond one of the limits above (not a syntax error)."""

    en = ""


def _error(zh: str, en: str, mark: Any) -> _Limit:
    exc = _Limit(None, None, zh, mark)
    exc.en = en
    return exc


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0  # nesting of the node being composed, aliases expanded
        self._nodes = 0  # nodes composed so far, each alias counted as the nodes it repeats
        self._sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (nodes, depth) once complete
        self._keep: list[yaml.Node] = []  # keeps the measured nodes (and so their ids) alive

    def _measure(self, node: yaml.Node) -> tuple[int, int]:
        """(nodes, depth) of a complete node, aliases inside it expanded (memoised)."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        nodes, depth = 1, 0
        if isinstance(node, yaml.MappingNode):
            children = [c for pair in node.value for c in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        for child in children:
            n, d = self._measure(child)
            nodes += n
            depth = max(depth, d)
        self._sizes[id(node)] = (nodes, depth + 1)
        self._keep.append(node)
        return nodes, depth + 1

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            if id(node) not in self._sizes:
                raise _error("别名指向包含它自身的节点(循环引用)", "an alias to a node that contains it (a cycle)", mark)
            nodes, depth = self._sizes[id(node)]
            self._count(nodes, mark)
            if self._depth + depth > MAX_DEPTH:
                raise _error(f"嵌套超过 {MAX_DEPTH} 层(含别名展开)", f"nested deeper than {MAX_DEPTH} levels (aliases expanded)", mark)
            return node
        mark = self.peek_event().start_mark
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _error(f"嵌套超过 {MAX_DEPTH} 层", f"nested deeper than {MAX_DEPTH} levels", mark)
        self._count(1, mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._measure(node)
        return node

    def _count(self, nodes: int, mark: Any) -> None:
        self._nodes += nodes
        if self._nodes > MAX_NODES:
            raise _error(f"节点总数超过 {MAX_NODES:,}(别名按展开后计算;是否为“别名炸弹”?)", f"more than {MAX_NODES:,} nodes with aliases expanded (an alias bomb?)", mark)


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> Any:
    digits = sum(ch.isdigit() for ch in node.value)
    if digits > MAX_INT_DIGITS:
        raise _error(f"数字有 {digits} 位,太长(最多 {MAX_INT_DIGITS} 位)", f"a number with {digits} digits (at most {MAX_INT_DIGITS})", node.start_mark)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)  # type: ignore[arg-type]


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
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except _Limit as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise RulesetError(f"{path}:{line}: 规则集文件超出限制:{exc.problem}", f"{path}:{line}: ruleset file over a limit: {exc.en}") from None
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
    finally:
        loader.dispose()


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
