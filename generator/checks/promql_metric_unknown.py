"""promql/metric-unknown: an expression reads a metric outside its service's catalog."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..promql import selectors
from .base import Check, Level, Problem, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every selector of a service's rules names a catalog metric (recording rules aside)."""
    for rule in ctx.rules:
        service = ctx.services.get(rule.service)
        ast = rule.ast
        if service is None or ast is None:
            continue
        reported: set[str] = set()
        for sel in selectors(ast):
            name = sel.name
            # Colon names are recording rules: rule/recording-undefined checks those.
            if not name or ":" in name or name in service.catalog or name in reported:
                continue
            reported.add(name)
            close = difflib.get_close_matches(name, sorted(service.catalog), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            yield at_rule(
                rule,
                f"metric {name!r} is not in the catalog of service {service.name!r}{hint}; "
                f"fix the name or add Metric(name={name!r}, ...) to metrics= in {service.source}",
                rule.expr_line,
            )


CHECK = Check("promql/metric-unknown", Level.ERROR, "a metric outside the service's catalog", run)
