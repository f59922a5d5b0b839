"""promql/rate-on-gauge: rate(), irate(), increase() or resets() applied to a gauge."""

from __future__ import annotations

from collections.abc import Iterator

from ..promql import selectors
from ..spec.types import MetricType
from .base import Check, Level, Problem, at_rule
from .context import Context

RATE_FUNCTIONS = frozenset({"rate", "irate", "increase", "resets"})


def run(ctx: Context) -> Iterator[Problem]:
    """Rate-like functions read counters only; gauges and recorded series go up and down."""
    for rule in ctx.rules:
        types = ctx.series_types.get(rule.service, {})
        ast = rule.ast
        if ast is None:
            continue
        for sel in selectors(ast):
            if sel.function not in RATE_FUNCTIONS:
                continue
            if types.get(sel.name) is MetricType.GAUGE:
                kind = "gauge"
            elif sel.name in ctx.records:
                kind = "recorded series (a gauge)"
            else:
                continue
            yield at_rule(
                rule,
                f"{sel.function}() on {kind} {sel.name!r} treats every drop as a counter reset; "
                f"read the gauge directly, or use deriv({sel.name}[...]) or delta({sel.name}[...]) "
                "for its trend",
                rule.expr_line,
            )


CHECK = Check("promql/rate-on-gauge", Level.ERROR, "rate() applied to a gauge", run)
