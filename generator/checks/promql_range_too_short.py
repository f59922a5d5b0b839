"""promql/range-too-short: a rate-like range shorter than four scrape intervals."""

from __future__ import annotations

from collections.abc import Iterator

from ..promql import selectors
from ..spec.types import Duration
from .base import Check, Level, Problem, at_rule
from .context import Context

# Functions that need two or more samples in their range; four intervals survive a missed scrape.
RANGE_FUNCTIONS = frozenset(
    {"rate", "irate", "increase", "delta", "idelta", "deriv", "predict_linear", "resets", "changes"}
)
FACTOR = 4


def run(ctx: Context) -> Iterator[Problem]:
    """Every rate-like range is at least 4x the service's scrape interval."""
    for rule in ctx.rules:
        service = ctx.services.get(rule.service)
        ast = rule.ast
        if service is None or ast is None:
            continue
        scrape = service.spec.scrape_interval
        least = Duration.of_seconds(scrape.seconds * FACTOR)
        for sel in selectors(ast):
            if sel.range_seconds is None or sel.function not in RANGE_FUNCTIONS:
                continue
            if sel.range_seconds >= least.seconds:
                continue
            have = Duration.of_seconds(sel.range_seconds)
            yield at_rule(
                rule,
                f"{sel.function}({sel.name}[{have}]) spans less than {FACTOR}x the scrape interval "
                f"({scrape}) of service {service.name!r}, so one missed scrape leaves too few "
                f"samples; use a range of at least [{least}]",
                rule.expr_line,
            )


CHECK = Check(
    "promql/range-too-short", Level.WARNING, "a rate range shorter than 4x the scrape interval", run
)
