"""tier/order: a warning tier that does not fire before its critical tier."""

from __future__ import annotations

from collections.abc import Iterator

from ..spec.types import Severity
from .base import Check, Level, Problem, at_rule
from .context import Context
from .tiers import tier_pairs

_UP = {">", ">="}
_DOWN = {"<", "<="}


def run(ctx: Context) -> Iterator[Problem]:
    """Warning thresholds lie on the safe side of critical ones, as rendered."""
    for warning, critical in tier_pairs(ctx):
        w, c = warning.comparison, critical.comparison
        if w is None or c is None or w[1] != c[1]:
            continue  # tier/mismatch reports differing comparisons
        op, wt, ct = w[1], w[2], c[2]
        if op in _UP and not wt < ct:
            side = "below"
        elif op in _DOWN and not wt > ct:
            side = "above"
        else:
            continue
        yield at_rule(
            warning,
            f"the {Severity.WARNING.value} tier fires at {op} {wt:g}, the {Severity.CRITICAL.value} tier "
            f"{critical.name!r} at {op} {ct:g}: the warning must fire first, so its threshold must be "
            f"{side} {ct:g}; fix the thresholds in the spec",
            warning.expr_line,
        )


CHECK = Check("tier/order", Level.ERROR, "a warning tier not on the safe side of its critical tier", run)
