"""test/missing-examples: an alert whose promtool tests lack a firing or a silent case."""

from __future__ import annotations

from collections.abc import Iterator

from .. import conventions as conv
from ..artifacts.rules import Examples
from .base import Check, Level, Problem, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every alert has a case where it fires and one where it stays silent."""
    for rule in ctx.alerts:
        cases = ctx.examples.get(rule.service, {}).get(rule.name, Examples())
        missing = [kind for kind, count in (("firing", cases.firing), ("silent", cases.silent)) if not count]
        if not missing:
            continue
        fires = " and ".join(f"Example(fires={kind == 'firing'}, ...)" for kind in missing)
        yield at_rule(
            rule,
            f"{conv.tests_path(rule.service)} has no {' and no '.join(missing)} case for this alert; "
            f"add {fires} to its spec so promtool proves when it fires",
        )


CHECK = Check("test/missing-examples", Level.WARNING, "an alert without firing and silent examples", run)
