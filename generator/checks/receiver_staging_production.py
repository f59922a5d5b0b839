"""receiver/staging-production: a staging receiver that reaches production's pager, channel or people."""

from __future__ import annotations

from collections.abc import Iterator

from .. import conventions as conv
from .base import Check, Level, Problem, Scope
from .context import Context

_FIX = {
    "PagerDuty": "give it staging=PagerDutyTarget(routing_key_file=...) naming a staging service's key file",
    "Slack": "give it staging=SlackTarget(channel=..., api_url_file=...) with a staging channel, webhook",
    "E-mail": "give it staging=EmailTarget(to=(...)) with staging addressees",
    "Webhook": "give it staging=WebhookTarget(url=...) with a staging endpoint",
}


def run(ctx: Context) -> Iterator[Problem]:
    """No destination of the staging config is a destination of the production config."""
    production = ctx.alertmanagers.get(conv.alertmanager_path("production"))
    path = conv.alertmanager_path("staging")
    staging = ctx.alertmanagers.get(path)
    if production is None or staging is None:
        return
    owners = {d: name for name, found in production.destinations.items() for d in found}
    for name, found in sorted(staging.destinations.items()):
        for destination in found:
            owner = owners.get(destination)
            if owner is None:
                continue
            kind, *where = destination
            yield Problem(
                path,
                staging.receivers.get(name),
                f"staging receiver {name!r} reaches production: {kind} {' by '.join(where)} is also "
                f"production receiver {owner!r}'s, so staging noise lands where on-call works; "
                f"{_FIX.get(kind, 'give it a staging target of its own')} in the spec, or drop its staging=",
                route=f"receiver {name!r}",
            )


CHECK = Check(
    "receiver/staging-production",
    Level.ERROR,
    "a staging receiver with production's pager key, channel, addressee or webhook",
    run,
    scope=Scope.GLOBAL,
)
