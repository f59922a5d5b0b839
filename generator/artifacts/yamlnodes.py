"""YAML read back with line numbers: findings point at the rule, route or key they concern."""

from __future__ import annotations

from typing import Any

import yaml

from .linedoc import LineDict, LineList

__all__ = ["LineDict", "LineList", "load"]


class _Scalars(yaml.constructor.SafeConstructor):
    """Converts scalar nodes with YAML's own resolution rules (ints, floats, booleans, nulls)."""


def load(text: str) -> Any:
    """Parse one YAML document (libyaml composes the nodes) into dicts and lists with line numbers."""
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    if node is None:
        return None
    return _convert(node, _Scalars(), {})


def _convert(node: yaml.Node, scalars: _Scalars, done: dict[int, Any]) -> Any:
    # alertgen writes no aliases; one in a file is a hand edit, and `&a [*b, *b, ...]` chains
    # ("billion laughs") would make every reader of the tree walk it exponentially often.
    if id(node) in done:
        raise ValueError("YAML aliases (*name) are not used in generated files; write the value out")
    if isinstance(node, yaml.MappingNode):
        out = done[id(node)] = LineDict(node.start_mark.line + 1)
        for key_node, value_node in node.value:
            key = str(_convert(key_node, scalars, done))
            out[key] = _convert(value_node, scalars, done)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = done[id(node)] = LineList(node.start_mark.line + 1)
        seq.extend(_convert(item, scalars, done) for item in node.value)
        return seq
    return scalars.construct_object(node)
