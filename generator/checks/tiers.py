"""The tiered alerts the spec declares, found in the rendered rules."""

from __future__ import annotations

from collections.abc import Iterator

from ..artifacts.rules import Rule
from ..spec.types import Severity
from .context import Context


def tier_pairs(ctx: Context) -> Iterator[tuple[Rule, Rule]]:
    """`(warning rule, critical rule)` for each warning/critical pair the spec declares."""
    for service in ctx.model.services:
        for alert in service.alerts:
            if alert.tier is not Severity.WARNING or alert.twin is None:
                continue
            warning = _rendered(ctx, service.name, alert.name)
            critical = _rendered(ctx, service.name, alert.twin)
            if warning is not None and critical is not None:
                yield warning, critical


def _rendered(ctx: Context, service: str, name: str) -> Rule | None:
    return next((r for r in ctx.alert_rules.get(name, ()) if r.service == service), None)
