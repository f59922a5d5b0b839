"""runbook/missing: an alert without a runbook in the output tree."""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every alert's `runbook_url` leads to a runbook file of the output tree."""
    for rule in ctx.alerts:
        service = ctx.services.get(rule.service)
        if service is None:
            continue
        url = rule.annotations.get("runbook_url")
        line = rule.annotation_lines.get("runbook_url")
        if not url:
            yield at_rule(
                rule,
                "has no runbook_url annotation, so on-call gets no instructions with the page; "
                "regenerate the rules from the spec (every alert has a runbook=Runbook(...))",
            )
            continue
        target = ctx.runbook_target(url)
        if target is None:
            yield at_rule(
                rule,
                f"runbook_url {url!r} is not under the service's runbook_base_url "
                f"{service.spec.runbook_base_url!r}, so no generated runbook backs it; regenerate the rules",
                line,
            )
        elif target[0] not in ctx.files:
            yield at_rule(
                rule,
                f"runbook_url leads to {target[0]}, which is not in the output; regenerate the output "
                "(the runbook renderer writes one runbook per service)",
                line,
            )


CHECK = Check(
    "runbook/missing", Level.ERROR, "an alert whose runbook is not in the output", run, scope=Scope.GLOBAL
)
