"""artifact/invalid: a generated file that cannot be read back (bad YAML or JSON, wrong shape)."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Parse every artifact the other checks read and report those that fail."""
    ctx.parse_all()
    yield from ctx.invalid


CHECK = Check("artifact/invalid", Level.ERROR, "a generated file cannot be parsed back", run)
