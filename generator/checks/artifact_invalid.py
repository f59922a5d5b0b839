"""artifact/invalid: a generated file that cannot be read back (bad YAML or JSON, wrong shape)."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every file that did not parse as what its path says it is."""
    for unreadable in ctx.invalid:
        yield Problem(unreadable.path, None, unreadable.message)


CHECK = Check(
    "artifact/invalid", Level.ERROR, "a generated file cannot be parsed back", run, scope=Scope.EVERY
)
