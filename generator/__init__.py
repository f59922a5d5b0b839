"""alertgen: typed Prometheus alerting specs rendered to cross-checked artifacts.

Specs import their vocabulary from here: `from generator import Service, Alert, ...`.
"""

from .spec import (
    Alert,
    Category,
    Command,
    Comparison,
    Dashboard,
    Disable,
    DocRef,
    Document,
    Duration,
    EscalationLevel,
    Example,
    Link,
    Metric,
    MetricType,
    Panel,
    Row,
    Runbook,
    Section,
    Service,
    Severity,
    Signal,
    Step,
    Tier,
    Tiers,
    Unit,
)

__version__ = "0.1.0"

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
    "Step",
    "Tier",
    "Tiers",
    "Unit",
    "__version__",
]
