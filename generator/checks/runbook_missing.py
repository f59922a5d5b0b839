"""runbook/missing: an alert without a runbook in the output tree."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every alert's `runbook_url` leads to a runbook file of the output tree."""
    key = ctx.model.conventions.runbook_annotation
    if key is None:
        return  # the repository links no runbook from its alerts
    for rule in ctx.alerts:
        service = ctx.services.get(rule.service)
        if service is None:
            continue
        url = rule.annotations.get(key)
        line = rule.annotation_lines.get(key)
        if not url:
            yield at_rule(
                rule,
                f"has no {key} annotation, so on-call gets no instructions with the page; "
                "regenerate the rules from the spec (every alert has a runbook=Runbook(...))",
            )
            continue
        intent = ctx.intent(rule)
        if intent is not None and intent.runbook_elsewhere == url:
            continue  # a runbook kept elsewhere, as the spec says: not a generated one
        target = ctx.runbook_target(url)
        if target is None:
            yield at_rule(
                rule,
                f"{key} {url!r} is not under the service's runbook_base_url "
                f"{ctx.model.conventions.runbook_base(service.spec.runbook_base_url)!r}, so no generated "
                "runbook backs it; regenerate the rules",
                line,
            )
        elif target[0] not in ctx.files:
            yield at_rule(
                rule,
                f"{key} leads to {target[0]}, which is not in the output; regenerate the output "
                "(the runbook renderer writes one runbook per service)",
                line,
            )


CHECK = Check(
    "runbook/missing", Level.ERROR, "an alert whose runbook is not in the output", run, scope=Scope.GLOBAL
)
