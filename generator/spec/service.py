"""A monitored service: its metric catalog, alerts, links and service-wide runbook content."""

from __future__ import annotations

from pydantic import Field

from .alert import Alert, Signal, Tiers
from .dashboard import Dashboard
from .runbook import DocRef, Document, EscalationLevel, Link, Section
from .secrets import Committed
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
    alerts: tuple[Alert | Tiers, ...] = Field(min_length=1)
    scrape_interval: Duration = Duration("1m")
    evaluation_interval: Duration = Duration("1m")
    runbook_base_url: str = Field(pattern=r"^https?://\S+/$")
    grafana_url: str = Field(default="http://localhost:3000", pattern=r"^https?://\S+[^/]$")
    dashboard: Dashboard | None = None
    links: tuple[Link, ...] = ()
    documents: tuple[Document, ...] = ()
    quick_reference: tuple[DocRef, ...] = ()
    change_management: tuple[DocRef, ...] = ()
    escalation: tuple[EscalationLevel, ...] = ()
    sections: tuple[Section, ...] = ()
