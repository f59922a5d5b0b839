"""JSON text as `json.dumps(value, indent=2, sort_keys=True)` writes it, several times faster.

With `indent`, the standard library encodes in Python, one generator per container, and the
dashboards (18 MB at 10,000 alerts) took most of the Grafana renderer's time. This writes the same
text (tests/test_jsonout.py holds it to `json.dumps` byte for byte) by joining strings, with the C
string escaper. Objects with a `to_json()` (grafana-foundation-sdk's models) are encoded as what
that returns, as the SDK's own encoder does.
"""

from __future__ import annotations

from json.encoder import encode_basestring_ascii
from typing import Any

_INDENT = "  "


def dumps(value: Any) -> str:
    """`value` as indented JSON with sorted keys, ASCII only, NaN and Infinity as `json` writes them."""
    return _encode(value, "\n")


def _encode(value: Any, newline: str) -> str:
    kind = type(value)
    # Exact types first (almost every value); then subclasses, in the order json tries them.
    if kind is str or (kind not in _EXACT and isinstance(value, str)):
        return str(encode_basestring_ascii(value))
    if kind is dict or (kind not in _EXACT and isinstance(value, dict)):
        if not value:
            return "{}"
        inner = newline + _INDENT
        items = [f"{_key(key)}: {_encode(item, inner)}" for key, item in sorted(value.items(), key=_sort_key)]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if kind is list or kind is tuple or (kind not in _EXACT and isinstance(value, list | tuple)):
        if not value:
            return "[]"
        inner = newline + _INDENT
        return "[" + inner + ("," + inner).join([_encode(item, inner) for item in value]) + newline + "]"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if kind is int or (kind not in _EXACT and isinstance(value, int)):
        return int.__repr__(value)
    if kind is float or (kind not in _EXACT and isinstance(value, float)):
        return _float(value)
    to_json = getattr(value, "to_json", None)
    if callable(to_json):
        return _encode(to_json(), newline)
    raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")


_EXACT = frozenset({str, dict, list, tuple, int, float, bool, type(None)})


def _sort_key(item: tuple[Any, Any]) -> Any:
    return item[0]


def _key(key: Any) -> str:
    # json converts keys the same way: strings as they are, numbers and constants as their text.
    if isinstance(key, str):
        return str(encode_basestring_ascii(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, float):
        return f'"{_float(key)}"'
    if isinstance(key, int):
        return f'"{int.__repr__(key)}"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)
