"""YAML read back with line numbers: findings point at the rule, route or key they concern."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from ..linedoc import LineDict, LineList

__all__ = ["LineDict", "LineList", "load", "load_plain"]

# The C parser composes the node tree; only scalars are converted in Python.
_Loader = yaml.CSafeLoader


class _Scalars(yaml.constructor.SafeConstructor):
    """Converts scalar nodes with YAML's own resolution rules (ints, floats, booleans, nulls)."""


def load(text: str) -> Any:
    """Parse one YAML document into dicts and lists that carry line numbers."""
    try:
        return _from_events(text, lines=True)
    except Exception:  # anything the fast path does not take: the node path decides, errors too
        pass
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        return None
    return _convert(node, _Scalars())


def load_plain(text: str) -> Any:
    """Parse one YAML document as `yaml.load(text, Loader=yaml.CSafeLoader)` does, only faster."""
    try:
        return _from_events(text, lines=False)
    except Exception:  # anything the fast path does not take: PyYAML decides, errors too
        pass
    return yaml.load(text, Loader=_Loader)


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


class _Unsupported(Exception):
    """A document the event path leaves to PyYAML's node path."""


_STR = "tag:yaml.org,2002:str"
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
_NO_KEY = object()


def _from_events(text: str, lines: bool) -> Any:
    """Build the document straight from the C parser's events, skipping PyYAML's node tree.

    Composing nodes and constructing from them is Python code per node, and it was most of the
    checks' time on large outputs. This builds the same objects as `load` (lines) or
    `yaml.load` (plain) for documents of untagged mappings, sequences and scalars, resolving
    scalars with the loader's own resolver and constructor. Anchors, aliases, tags, merge keys,
    collection keys, several documents and syntax errors raise, and the callers fall back.
    """
    loader = _Loader(text)
    scalars = _Scalars()
    # Events are read by duck typing: each kind has its own attributes.
    resolve: Callable[..., str] = loader.resolve
    memo: dict[str, Any] = {}
    get: Callable[[], Any] = loader.get_event
    scalar_event, end_events = yaml.ScalarEvent, (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    start_events = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    try:
        get()  # StreamStartEvent
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        root: Any = None
        # The innermost open container, whether it is a mapping, its pending key and that key's
        # line, kept in locals; the enclosing ones wait on the stack.
        container: Any = None
        is_map = False
        key: Any = _NO_KEY
        key_line = 0
        stack: list[tuple[Any, bool, Any, int]] = []
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_event:
                if event.tag is not None or event.anchor is not None:
                    raise _Unsupported
                value: Any = event.value
                if event.implicit[0]:  # plain: may read as a number, a boolean, null...
                    raw = value
                    value = memo.get(raw, _NO_KEY)
                    if value is _NO_KEY:
                        tag = resolve(yaml.ScalarNode, raw, event.implicit)
                        if tag in _SPECIAL_KEYS:
                            raise _Unsupported
                        value = raw if tag == _STR else scalars.construct_object(yaml.ScalarNode(tag, raw))
                        memo[raw] = value
                # else quoted or block: a string, whatever it reads as
            elif kind in start_events:
                if event.tag is not None or event.anchor is not None:
                    raise _Unsupported
                if is_map and key is _NO_KEY:
                    raise _Unsupported  # a collection as a mapping key
                stack.append((container, is_map, key, key_line))
                is_map = kind is yaml.MappingStartEvent
                if lines:
                    container = LineDict() if is_map else LineList()
                    container.line = event.start_mark.line + 1
                    if is_map:
                        container.key_lines = {}
                else:
                    container = {} if is_map else []
                key = _NO_KEY
                continue
            elif kind in end_events:
                value = container
                container, is_map, key, key_line = stack.pop()
            elif kind is yaml.DocumentEndEvent:
                break
            else:  # aliases, and anything else
                raise _Unsupported
            if container is None:
                root = value
            elif not is_map:
                container.append(value)
            elif key is _NO_KEY:
                key = value
                if lines:
                    key_line = event.start_mark.line + 1
            else:
                if lines:
                    key = str(key)
                    container.key_lines[key] = key_line
                container[key] = value
                key = _NO_KEY
        if not isinstance(get(), yaml.StreamEndEvent):
            raise _Unsupported  # more than one document: PyYAML reports it
        return root
    finally:
        loader.dispose()
