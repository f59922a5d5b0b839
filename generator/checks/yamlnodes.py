"""YAML read back with line numbers: findings point at the rule, route or key they concern."""

from __future__ import annotations

from typing import Any

import yaml

# The C parser composes the node tree; only scalars are converted in Python.
_Loader = yaml.CSafeLoader


class LineDict(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A YAML sequence that remembers its line (1-based)."""

    line: int = 0


class _Scalars(yaml.constructor.SafeConstructor):
    """Converts scalar nodes with YAML's own resolution rules (ints, floats, booleans, nulls)."""


def load(text: str) -> Any:
    """Parse one YAML document into dicts and lists that carry line numbers."""
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        return None
    return _convert(node, _Scalars())


def _convert(node: yaml.Node, scalars: _Scalars) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, scalars)
            out[str(key)] = _convert(value_node, scalars)
            out.key_lines[str(key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LineList(_convert(item, scalars) for item in node.value)
        seq.line = node.start_mark.line + 1
        return seq
    return scalars.construct_object(node)
