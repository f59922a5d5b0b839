"""Run every registered check on an output tree, apply the specs' disables, order the findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..model import Model
from ..render.readback import ReadBack
from .base import Check, Finding, Level
from .context import ARTIFACTS, Context
from .registry import CHECKS

_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}


def run_checks(
    model: Model,
    files: Mapping[str, str | bytes],
    *,
    prefix: str = "output",
    prometheus_url: str | None = None,
    checks: Sequence[Check] = CHECKS,
    artifacts: Sequence[str] = ARTIFACTS,
    written: dict[str, ReadBack] | None = None,
) -> list[Finding]:
    """Findings of every check on `files` (paths relative to the tree shown as `prefix`).

    `checks` and `artifacts` (the kinds `artifact/invalid` parses) take a share of the run for one
    process of several (generator/parallel.py); `merge` joins the shares.
    """
    ctx = Context(model, files, prometheus_url=prometheus_url, artifacts=artifacts, written=written)
    return run_on(ctx, checks, prefix)


def run_on(ctx: Context, checks: Sequence[Check] = CHECKS, prefix: str = "output") -> list[Finding]:
    """Findings of `checks` on a context (which may have parsed some artifacts already)."""
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


def merge(*shares: Iterable[Finding]) -> list[Finding]:
    """Findings without repeats (two checks' shares may report one unreadable file), in report order."""
    unique = {(f.check, f.path, f.line, f.alert, f.route, f.message): f for share in shares for f in share}
    return sorted(unique.values(), key=Finding.sort_key)


def _disables(model: Model) -> dict[tuple[str, str, str], str]:
    """`(service, alert or its recording rule, check id)` -> the reason the spec gives."""
    out: dict[tuple[str, str, str], str] = {}
    for service in model.services:
        for alert in service.alerts:
            for item in alert.disable:
                out[(service.name, alert.name, item.check)] = item.reason
                # Problems in the alert's recording rule are the alert's problems too.
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
