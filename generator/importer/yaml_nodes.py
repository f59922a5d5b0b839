"""YAML as rule files are written by hand: anchors, aliases and merge keys, read as Prometheus'
YAML reader reads them, with a bound on how far aliases may expand."""

from __future__ import annotations

import yaml

Nodes = dict[str, yaml.Node]  # a mapping's value nodes by key
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TAG = "tag:yaml.org,2002:"
STR, INT, NULL, MERGE = TAG + "str", TAG + "int", TAG + "null", TAG + "merge"
_TAG_KINDS = {STR: "a string", INT: "a number", TAG + "bool": "a boolean", NULL: "empty"}
_SHAPES: dict[type, str] = {yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}
# Node visits that aliases may add to a document: shared label sets stay far below it, while
# `&a [*b, *b, ...]` chains ("billion laughs") would make the reader walk them exponentially.
ALIAS_BUDGET = 10_000

Pairs = list[tuple[yaml.Node, yaml.Node]]


class Merges:
    """Merge keys (`<<: *defaults`) resolved as Prometheus' and promtool's YAML reader does, each
    mapping once per document (`&b {<<: [*a, *a]}` chains would otherwise double at each level)."""

    def __init__(self) -> None:
        self.done: dict[int, Pairs] = {}
        # Merge values that are not mappings, and mappings that merge themselves (an anchor's
        # node is in place before its children, so `&a {<<: *a}` composes).
        self.not_mappings: list[yaml.Node] = []
        self.cycles: list[yaml.Node] = []
        self._active: set[int] = set()

    def pairs(self, node: yaml.MappingNode) -> Pairs:
        """A mapping's key/value pairs: the keys it writes win, then those of the merged
        mappings in order."""
        if id(node) in self.done:
            return self.done[id(node)]
        if id(node) in self._active:
            self.cycles.append(node)
            return []
        self._active.add(id(node))
        out = [(key, value) for key, value in node.value if key.tag != MERGE]
        taken = {key.value for key, _ in out if isinstance(key, yaml.ScalarNode)}
        for key, value in node.value:
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources if key.tag == MERGE else []:
                if not isinstance(source, yaml.MappingNode):
                    self.not_mappings.append(source)
                    continue
                for inner, item in self.pairs(source):
                    if not isinstance(inner, yaml.ScalarNode) or inner.value not in taken:
                        taken.add(inner.value if isinstance(inner, yaml.ScalarNode) else None)
                        out.append((inner, item))
        self._active.discard(id(node))
        self.done[id(node)] = out
        return out


def is_null(node: yaml.Node) -> bool:
    """Whether a node is YAML's null (`~`, `null` or nothing)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL


def line_of(node: yaml.Node) -> int:
    """The line a node starts on, counted from 1."""
    return int(node.start_mark.line) + 1


def kind_of(node: yaml.Node) -> str:
    """What a node is, for messages that say what was found instead of what was wanted."""
    return _SHAPES.get(type(node)) or _TAG_KINDS.get(node.tag, f"a {node.tag.removeprefix(TAG)}")
