"""promql/counter-without-rate: a counter's raw value read where its rate is meant."""

from __future__ import annotations

from collections.abc import Iterator

from ..promql import selectors
from ..spec.types import MetricType
from .base import Check, Level, Problem, at_rule
from .context import Context

# Functions that make sense of a counter as it is: its rate, or whether it exists at all.
COUNTER_FUNCTIONS = frozenset(
    {
        "rate",
        "irate",
        "increase",
        "resets",
        "absent",
        "absent_over_time",
        "present_over_time",
        "count_over_time",
        "timestamp",
    }
)


def run(ctx: Context) -> Iterator[Problem]:
    """A counter (histogram buckets, counts and sums included) is read only through rate-like functions."""
    for rule in ctx.rules:
        types = ctx.series_types.get(rule.service, {})
        ast = rule.ast
        if ast is None:
            continue
        reported: set[str] = set()
        for sel in selectors(ast):
            if types.get(sel.name) is not MetricType.COUNTER or sel.function in COUNTER_FUNCTIONS:
                continue
            if sel.name in reported:
                continue
            reported.add(sel.name)
            used = f"inside {sel.function}()" if sel.function else "without rate()"
            yield at_rule(
                rule,
                f"counter {sel.name!r} is read {used}; a counter only grows and resets on restart, "
                f"so read rate({sel.name}[5m]) or increase({sel.name}[1h]) instead",
                rule.expr_line,
            )


CHECK = Check("promql/counter-without-rate", Level.ERROR, "a counter read without rate()", run)
