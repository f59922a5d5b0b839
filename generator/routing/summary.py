"""Per-alert routing facts that other artifacts (runbooks, checks) show: receivers, inhibitions.

Until the Alertmanager renderer derives them, every alert reports no receivers and no
inhibitions; consumers must render that state sensibly ("not routed yet").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Model


@dataclass(frozen=True)
class AlertRouting:
    """Who is told about one alert, and the inhibitions that involve it."""

    receivers: tuple[str, ...] = ()
    inhibited_by: tuple[str, ...] = ()
    inhibits: tuple[str, ...] = ()


def alert_routing(model: Model) -> dict[tuple[str, str], AlertRouting]:
    """Routing facts per `(service, alert)`."""
    return {(s.name, a.name): AlertRouting() for s in model.services for a in s.alerts}
