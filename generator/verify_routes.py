"""The labels an Alertmanager config can route by, so that `alertgen verify` runs
`amtool config routes test` once per label set that may be routed differently.

A route reads only the labels its matchers name (`matchers`, the older `match` and `match_re`):
an alert's other labels cannot change its receivers. Alerts whose routed labels and expected
receivers agree share one amtool run; each alert still gets its own verdict.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def route_matchers(config: Path) -> str | None:
    """Every matcher of the config's route tree as written, a line each; None when the config does
    not read as a route tree of mappings and lists (every label then counts)."""
    try:
        data: Any = yaml.safe_load(config.read_text())
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    lines: list[str] = []
    stack = [data.get("route")]
    while stack:
        route = stack.pop()
        if not isinstance(route, dict):
            return None
        matchers = route.get("matchers", [])
        if not isinstance(matchers, list) or not all(isinstance(m, str) for m in matchers):
            return None
        lines.extend(matchers)
        for key in ("match", "match_re"):
            named = route.get(key, {})
            if not isinstance(named, dict):
                return None
            lines.extend(str(name) for name in named)
        routes = route.get("routes", [])
        if not isinstance(routes, list):
            return None
        stack.extend(routes)
    return "\n".join(lines)


def routed(labels: tuple[tuple[str, str], ...], matchers: str | None) -> tuple[tuple[str, str], ...]:
    """The labels a route may read: those whose name the matchers hold. A name written other than
    as itself (quoted, escaped) is always kept, as are all labels when the matchers are unknown."""
    if matchers is None:
        return labels
    return tuple((k, v) for k, v in labels if k in matchers or not _PLAIN_NAME.fullmatch(k))
