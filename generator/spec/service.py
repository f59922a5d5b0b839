"""A monitored service: its metric catalog, alerts, links and service-wide runbook content."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field, model_validator

from .alert import Alert, Signal, Tiers
from .base import is_stand_in
from .dashboard import Dashboard
from .runbook import DocRef, Document, EscalationLevel, Link, Section
from .secrets import Committed
from .slo import SLO
from .types import Duration, KebabName, LabelName, LabelValue, MetricName, MetricType, Text


class Metric(Committed):
    """A metric the service exports, with its type and labels (beyond the target labels)."""

    name: MetricName
    type: MetricType
    labels: tuple[LabelName, ...] = ()
    help: str = ""
    buckets: tuple[float, ...] = ()
    # The labels every series carries besides `labels`; unset, the service's target_labels. A
    # record made outside the specs (by another team's rules) keeps what its rule keeps: say so.
    target_labels: tuple[LabelName, ...] | None = None


class Group(Committed):
    """A rule group of its own: these signals' recording rules and these alerts, in this order,
    evaluated every `interval` (unset: Prometheus' global evaluation_interval)."""

    name: Text
    rules: tuple[Signal | Alert | Tiers, ...] = ()
    interval: Duration | None = None
    # At most this many series an alert or record may produce (Prometheus' `limit`; 0: none).
    limit: int = Field(default=0, ge=0)


class Service(Committed):
    """The single source of truth for one service's alerting, dashboards and runbooks."""

    name: KebabName
    title: Text
    version: str = Field(pattern=r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")
    team: KebabName
    description: str = ""
    labels: dict[LabelName, LabelValue] = Field(default_factory=dict)
    target_labels: tuple[LabelName, ...] = ("job", "namespace", "instance")
    metrics: tuple[Metric, ...] = Field(min_length=1)
    signals: tuple[Signal, ...] = ()
    alerts: tuple[Alert | Tiers, ...] = ()
    scrape_interval: Duration = Duration("1m")
    evaluation_interval: Duration = Duration("1m")
    # Where the generated runbooks are published; needed when alerts link their sections.
    runbook_base_url: str | None = Field(default=None, pattern=r"^https?://\S+/$")
    grafana_url: str = Field(default="http://localhost:3000", pattern=r"^https?://\S+[^/]$")
    dashboard: Dashboard | None = None
    links: tuple[Link, ...] = ()
    documents: tuple[Document, ...] = ()
    quick_reference: tuple[DocRef, ...] = ()
    change_management: tuple[DocRef, ...] = ()
    escalation: tuple[EscalationLevel, ...] = ()
    sections: tuple[Section, ...] = ()
    # Rule groups besides the service's own (named after it): each rule is in one group.
    groups: tuple[Group, ...] = ()
    # Service level objectives: each adds its SLI, meta and alert rules (generator/build_slo.py).
    slos: tuple[SLO, ...] = ()
    # Services this one depends on: while one of them is down (its inhibits_service alert
    # fires), this service's alerts are silenced, as GitLab's metrics-catalog `dependsOn`.
    depends_on: tuple[KebabName, ...] = ()

    @model_validator(mode="after")
    def _alerting(self) -> Service:
        if not is_stand_in(self) and not self.all_alerts() and not self.all_signals() and not self.slos:
            raise ValueError(
                "alerts: no alert and no signal; add one (to alerts=, signals= or a Group's rules=)"
            )
        return self

    def all_alerts(self) -> tuple[Alert | Tiers, ...]:
        """The alerts of alerts= and then those only a Group lists, each once."""
        extra = [r for g in self.groups for r in g.rules if isinstance(r, Alert | Tiers)]
        return (*self.alerts, *(r for i, r in enumerate(extra) if _first(r, self.alerts, extra[:i])))

    def all_signals(self) -> tuple[Signal, ...]:
        """The signals of signals= and then those only a Group lists, each once."""
        extra = [r for g in self.groups for r in g.rules if isinstance(r, Signal)]
        return (*self.signals, *(r for i, r in enumerate(extra) if _first(r, self.signals, extra[:i])))


def _first(item: object, *seen: Sequence[object]) -> bool:
    return not any(item is other for group in seen for other in group)
