"""The typed spec API that files under specs/ use (re-exported by `generator`)."""

from .alert import Alert, Example, Fired, Signal, Tier, Tiers
from .base import SpecModel
from .dashboard import Dashboard, Panel, Row
from .disable import Disable
from .house import Conventions
from .routing import (
    Email,
    EmailTarget,
    Grouping,
    Notify,
    PagerDuty,
    PagerDutyTarget,
    Route,
    Routing,
    Slack,
    SlackTarget,
    Team,
    TimeInterval,
    TimeRange,
    Webhook,
    WebhookTarget,
)
from .runbook import Command, DocRef, Document, EscalationLevel, Link, Runbook, Section, Step
from .service import Group, Metric, Service
from .slo import SLO, BurnWindow, Events, Latency, RawRatio, SLOAlert, Windows
from .targets import GlobalLayer, Mimir, Operator, Targets, Thanos, VMAlert
from .types import Category, Comparison, Duration, MetricType, Severity, Unit

__all__ = [
    "SLO",
    "Alert",
    "BurnWindow",
    "Category",
    "Command",
    "Comparison",
    "Conventions",
    "Dashboard",
    "Disable",
    "DocRef",
    "Document",
    "Duration",
    "Email",
    "EmailTarget",
    "EscalationLevel",
    "Events",
    "Example",
    "Fired",
    "GlobalLayer",
    "Group",
    "Grouping",
    "Latency",
    "Link",
    "Metric",
    "MetricType",
    "Mimir",
    "Notify",
    "Operator",
    "PagerDuty",
    "PagerDutyTarget",
    "Panel",
    "RawRatio",
    "Route",
    "Routing",
    "Row",
    "Runbook",
    "SLOAlert",
    "Section",
    "Service",
    "Severity",
    "Signal",
    "Slack",
    "SlackTarget",
    "SpecModel",
    "Step",
    "Targets",
    "Team",
    "Thanos",
    "Tier",
    "Tiers",
    "TimeInterval",
    "TimeRange",
    "Unit",
    "VMAlert",
    "Webhook",
    "WebhookTarget",
    "Windows",
]
