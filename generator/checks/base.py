"""The shared types of every check: its identity, the problems it yields, the findings reported."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..artifacts.rules import Rule
    from .context import Context

ID_RE = re.compile(r"^[a-z]+/[a-z]+(-[a-z]+)*$")


class Level(StrEnum):
    """How serious a finding is: errors stop `alertgen generate`, the others are reported."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Scope(StrEnum):
    """What a check needs to see: one service's files, the whole tree, or a part's own files."""

    SERVICE = "service"  # runs in each service's job, on that service's files
    GLOBAL = "global"  # runs once, on every file (what spans services: routing, links)
    EVERY = "every"  # runs in every part's job, the spanning files' too: what its own files say


@dataclass(frozen=True, slots=True)
class Problem:
    """What a check yields: where, about what, and a message that says what to change."""

    path: str
    line: int | None
    message: str
    service: str = ""
    alert: str = ""
    route: str = ""


def at_rule(rule: Rule, message: str, line: int | None = None, route: str = "") -> Problem:
    """A problem about a rendered rule, at its first line unless `line` is given."""
    return Problem(rule.path, line or rule.line, message, rule.service, rule.name, route)


@dataclass(frozen=True, slots=True)
class Check:
    """One consistency check: a stable `family/name` id, a level, and the function that runs it."""

    id: str
    level: Level
    summary: str
    run: Callable[[Context], Iterable[Problem]]
    scope: Scope = Scope.SERVICE

    @property
    def module(self) -> str:
        """The module file the check lives in: `promql/metric-unknown` -> `promql_metric_unknown`."""
        return self.id.replace("/", "_").replace("-", "_")


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem a check found, with the check's id and level; `suppressed` holds a disable reason."""

    check: str
    level: Level
    path: str
    line: int | None
    message: str
    service: str = ""
    alert: str = ""
    route: str = ""
    suppressed: str = ""

    @property
    def subject(self) -> str:
        """What the finding is about, for messages: `alert 'HighErrorRate'`, `route 2`."""
        parts = []
        if self.alert:
            parts.append(f"alert {self.alert!r}" if ":" not in self.alert else f"rule {self.alert!r}")
        if self.route:
            parts.append(self.route)
        return ", ".join(parts)

    @property
    def where(self) -> str:
        """`path:line`, or the path alone when no line applies."""
        return f"{self.path}:{self.line}" if self.line else self.path

    def sort_key(self) -> tuple[str, int, str, str, str]:
        """Report order: by file and line, then check and message, so output is stable."""
        return (self.path, self.line or 0, self.check, self.alert, self.message)
