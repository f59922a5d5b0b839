"""Signals and the alerts that are thresholds on them, single or as warning/critical tiers."""

from __future__ import annotations

import sys
from typing import Annotated

from pydantic import AfterValidator, Field

from .base import SpecModel
from .disable import Disable
from .runbook import Runbook
from .secrets import Committed
from .types import (
    AlertName,
    Category,
    Comparison,
    Duration,
    LabelName,
    LabelValue,
    Severity,
    SnakeName,
    Text,
    Unit,
)


class Signal(SpecModel):
    """One PromQL quantity (an error ratio, a p95 latency) that alerts and panels share."""

    name: SnakeName
    expr: Text
    unit: Unit
    title: str = ""
    description: str = ""
    record: str | None = Field(default=None, pattern=r"^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+:[a-zA-Z0-9_]+$")


def _shared(series: dict[str, str]) -> dict[str, str]:
    """The series with each selector and value string held once per run (interned)."""
    # Examples repeat their series: a firing and a silent case of one alert, the tiers of one
    # signal, usually built by a helper that makes new strings on each call. Held once, the
    # 72,000 selectors of the 10,000-alert bench take 4 MB instead of 20 (docs/benchmarks.md).
    return {sys.intern(selector): sys.intern(values) for selector, values in series.items()}


class Example(SpecModel):
    """Input series and whether the alert fires at `at`; becomes a promtool unit test."""

    name: Text
    series: Annotated[dict[str, str], AfterValidator(_shared)] = Field(min_length=1)
    at: Duration
    fires: bool
    value: float | None = None
    labels: dict[LabelName, str] | None = None
    interval: Duration = Duration("1m")


class AlertFields(Committed):
    """What an alert and a tier of a tiered alert have in common."""

    name: AlertName
    threshold: float
    for_: Duration = Duration("0s")
    keep_firing_for: Duration | None = None
    summary: Text
    description: str = ""
    title: str = ""
    category: Category = Category.SERVICE
    labels: dict[LabelName, LabelValue] = Field(default_factory=dict)
    runbook: Runbook | None = None
    examples: tuple[Example, ...] = ()
    team: str | None = None
    # True for the alert that means the whole service is down: while it fires, Alertmanager
    # inhibits every other alert of the service (the rule is derived, docs/alertmanager.md).
    inhibits_service: bool = False
    # The service version that last changed this alert; runbooks show it. Unset: not recorded.
    changed_in: str | None = Field(default=None, pattern=r"^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$")
    # Checks this alert opts out of, each with the reason the check report shows.
    disable: tuple[Disable, ...] = ()


class Alert(AlertFields):
    """A threshold on a signal: fires while `signal op threshold` holds for `for_`."""

    signal: Signal
    severity: Severity
    op: Comparison = Comparison.GT
    absent: bool = False


class Tier(AlertFields):
    """One tier (warning or critical) of a tiered alert; signal and comparison are shared."""

    @classmethod
    def kind(cls) -> str:
        """Messages call a tier an alert: that is what its author thinks of."""
        return "Alert"


class Tiers(SpecModel):
    """Warning and critical thresholds on one signal, declared once; the critical inhibits the warning."""

    signal: Signal
    op: Comparison = Comparison.GT
    warning: Tier
    critical: Tier

    @property
    def name(self) -> str:
        """Both tiers' names, for messages."""
        return f"{self.warning.name}/{self.critical.name}"
