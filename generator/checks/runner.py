"""Run every registered check on an output tree, apply the specs' disables, order the findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..model import Model
from .base import Check, Finding, Level, Scope
from .context import Context
from .registry import CHECKS

_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


def scoped(*scopes: Scope) -> tuple[Check, ...]:
    """The checks of these scopes, in registry order."""
    return tuple(c for c in CHECKS if c.scope in scopes)


def run_on(ctx: Context, checks: Sequence[Check] = CHECKS, prefix: str = "output") -> list[Finding]:
    """Findings of `checks` on a context, the specs' disables applied, in report order."""
    model = ctx.model
    disabled = _disables(model)
    found: list[Finding] = []
    for check in checks:
        for problem in check.run(ctx):
            reason = disabled.get((problem.service, problem.alert, check.id), "")
            found.append(
                Finding(
                    check=check.id,
                    level=check.level,
                    path=f"{prefix}/{problem.path}" if prefix else problem.path,
                    line=problem.line,
                    message=problem.message,
                    service=problem.service,
                    alert=problem.alert,
                    route=problem.route,
                    suppressed=reason,
                )
            )
    return merge(found)


def merge(*parts: Iterable[Finding]) -> list[Finding]:
    """Findings of the parts of a run as one list without repeats, in report order."""
    unique = {(f.check, f.path, f.line, f.alert, f.route, f.message): f for part in parts for f in part}
    return sorted(unique.values(), key=Finding.sort_key)


def _disables(model: Model) -> dict[tuple[str, str, str], str]:
    """`(service, alert or its recording rule, check id)` -> the reason the spec gives."""
    out: dict[tuple[str, str, str], str] = {}
    for service in model.services:
        for rec in service.recordings:
            for item in rec.signal.disable:
                out[(service.name, rec.name, item.check)] = item.reason
        for alert in service.alerts:
            for item in alert.disable:
                out[(service.name, alert.name, item.check)] = item.reason
                # Problems in the alert's recording rule are the alert's problems too.
                if alert.record is not None:
                    out.setdefault((service.name, alert.record, item.check), item.reason)
    return out


def errors(findings: list[Finding]) -> list[Finding]:
    """The findings that fail a run: errors not disabled by a spec."""
    return [f for f in findings if f.level is Level.ERROR and not f.suppressed]


def counts(findings: list[Finding]) -> dict[str, int]:
    """How many findings of each level are active, and how many are disabled."""
    out = {level.value: 0 for level in _LEVEL_ORDER}
    out["disabled"] = 0
    for f in findings:
        out["disabled" if f.suppressed else f.level.value] += 1
    return out
