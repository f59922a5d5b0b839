"""YAML documents as dicts and lists that carry line numbers: what checks read."""

from __future__ import annotations

from typing import Any


class LineDict(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    # No instance dict besides the mapping itself: an Alertmanager config has thousands of these.
    __slots__ = ("key_lines", "line")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A YAML sequence that remembers its line (1-based)."""

    __slots__ = ("line",)

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
