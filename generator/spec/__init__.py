"""The typed spec API that files under specs/ use (re-exported by `generator`)."""

from .alert import Alert, Example, Signal, Tier, Tiers
from .base import SpecModel
from .dashboard import Dashboard, Panel, Row
from .disable import Disable
from .runbook import Command, DocRef, Document, EscalationLevel, Link, Runbook, Section, Step
from .service import Metric, Service
from .types import Category, Comparison, Duration, MetricType, Severity, Unit

__all__ = [
    "Alert",
    "Category",
    "Command",
    "Comparison",
    "Dashboard",
    "Disable",
    "DocRef",
    "Document",
    "Duration",
    "EscalationLevel",
    "Example",
    "Link",
    "Metric",
    "MetricType",
    "Panel",
    "Row",
    "Runbook",
    "Section",
    "Service",
    "Severity",
    "Signal",
    "SpecModel",
    "Step",
    "Tier",
    "Tiers",
    "Unit",
]
