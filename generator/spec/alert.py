"""Signals and the alerts that are thresholds on them, single or as warning/critical tiers."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from .base import is_stand_in
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
    MetricName,
    SeverityName,
    SnakeName,
    Text,
    Unit,
)

# Where a rule is evaluated: `source`, on every Prometheus that scrapes the service; `global`,
# once, in the ruler over all of them (Thanos Ruler, Mimir's ruler, vmalert). docs/scale-out.md.
Evaluation = Literal["source", "global"]


class Signal(Committed):
    """One PromQL quantity (an error ratio, a p95 latency) that alerts and panels share."""

    name: SnakeName
    expr: Text
    unit: Unit
    title: str = ""
    description: str = ""
    # The recording rule's name; unset, alertgen names it `level:metric:operation`.
    record: MetricName | None = None
    # Static labels of the recording rule (Prometheus adds them to every series it records).
    labels: dict[LabelName, LabelValue] = Field(default_factory=dict)
    # Checks its recording rule opts out of, each with the reason the check report shows.
    disable: tuple[Disable, ...] = ()
    # Where its recording rule is evaluated; alerts on it are evaluated there too unless they say.
    evaluation: Evaluation = "source"


# Samples one example series may expand to (and evaluations up to `at`): promtool expands
# `0+1x300000000` in memory, gigabytes for one typo.
MAX_SAMPLES = 100_000
_NUMBER = r"[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|0[xX][0-9a-fA-F]+|[iI]nf|NaN)"
_VALUE = re.compile(rf"(?:_|stale|{_NUMBER})(?:(?:[-+]{_NUMBER})?x(\d+))?|_x(\d+)")


def _series_values(series: dict[str, str]) -> dict[str, str]:
    """Values written as promtool's input series notation, within MAX_SAMPLES samples."""
    for selector, values in series.items():
        if any(c in text for text in (selector, values) for c in "\n\r\0"):
            raise ValueError(f"series {selector!r}: {values!r}: write the series and its values on one line")
        total = 0
        for token in values.split():
            match = _VALUE.fullmatch(token)
            if match is None:
                raise ValueError(
                    f"series {selector!r}: {token!r} in {values!r} is not promtool's notation; "
                    "write numbers, '_' (missing), 'stale', or expanding forms such as '0+10x20', "
                    "'5x3', '_x2'"
                )
            repeat = match.group(1) or match.group(2)
            total += int(repeat) + 1 if repeat else 1
        if total == 0:
            raise ValueError(f"series {selector!r}: no values; write at least one, e.g. '0+1x10'")
        if total > MAX_SAMPLES:
            raise ValueError(
                f"series {selector!r}: {values!r} expands to {total:,} samples; "
                f"keep it within {MAX_SAMPLES:,}"
            )
    return series


class Fired(Committed):
    """One alert an example expects: the labels its query gives it, and its value when shown.

    `annotations`, when given, are all the annotations expected, as promtool shows them: for
    templates alertgen cannot expand (`{{ printf "%.2f" $value }}`).
    """

    labels: dict[LabelName, str]
    value: Annotated[float, Field(allow_inf_nan=False)] | None = None
    annotations: dict[LabelName, str] | None = None


class Example(Committed):
    """Input series and whether the alert fires at `at`; becomes a promtool unit test.

    Firing, alertgen works out the one alert the series give; where they give several, or the
    query is beyond it, say which with `labels=` (one alert) or `alerts=` (several).
    """

    name: Text
    # No series at all is a test too: what fires when nothing is scraped (absent()).
    series: Annotated[dict[str, str], AfterValidator(_series_values)]
    at: Duration
    fires: bool
    value: Annotated[float, Field(allow_inf_nan=False)] | None = None
    labels: dict[LabelName, str] | None = None
    alerts: tuple[Fired, ...] | None = Field(default=None, min_length=1)
    interval: Duration = Duration("1m")

    @model_validator(mode="after")
    def _bounded(self) -> Example:
        # promtool evaluates every rule at every interval up to `at`: a test must stay small.
        if is_stand_in(self):
            return self
        if not self.interval:
            raise ValueError("interval: must be longer than 0s, e.g. '1m'")
        if self.alerts is not None and (self.labels is not None or self.value is not None):
            raise ValueError(
                "give the alerts either as labels=/value= (one) or as alerts= (several), not both"
            )
        if self.alerts is not None and not self.fires:
            raise ValueError("alerts= lists what fires; remove it or set fires=True")
        steps = self.at.seconds / self.interval.seconds
        if steps > MAX_SAMPLES:
            raise ValueError(
                f"at {self.at.text!r} is {steps:,.0f} evaluations of {self.interval.text!r}; "
                f"keep an example within {MAX_SAMPLES:,} (a larger interval or an earlier at)"
            )
        return self


class AlertFields(Committed):
    """What an alert and a tier of a tiered alert have in common."""

    name: AlertName
    for_: Duration = Duration("0s")
    keep_firing_for: Duration | None = None
    # The notification's headline. Rules written elsewhere may have none (older mixins say
    # `message`); alertgen then warns, as a page without a headline is hard to act on.
    summary: Text | None = None
    description: str = ""
    title: str = ""
    category: Category = Category.SERVICE
    labels: dict[LabelName, LabelValue] = Field(default_factory=dict)
    # Annotations beyond summary and description, as written (templates allowed).
    annotations: dict[LabelName, str] = Field(default_factory=dict)
    runbook: Runbook | None = None
    # A runbook kept elsewhere: the alert links it instead of a section of the generated runbook.
    runbook_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
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
    """Fires while its condition holds for `for_`: `signal op threshold`, or any PromQL `expr`."""

    signal: Signal | None = None
    threshold: Annotated[float, Field(allow_inf_nan=False)] | None = None
    # Any PromQL condition (`and`, `unless`, vector against vector, `absent()`), as an alternative
    # to signal and threshold; `signal=` may still name the panel it belongs on.
    expr: str | None = None
    severity: SeverityName
    op: Comparison = Comparison.GT
    absent: bool = False
    # Where the alert is evaluated; unset, where its signal is (`source` without one).
    evaluation: Evaluation | None = None

    @model_validator(mode="after")
    def _condition(self) -> Alert:
        if is_stand_in(self):
            return self
        if self.expr is not None:
            if not self.expr.strip():
                raise ValueError("expr: must not be empty")
            if self.threshold is not None or self.absent or self.op is not Comparison.GT:
                raise ValueError(
                    "expr= is the whole condition: remove threshold=, op= and absent=, or drop expr="
                )
        elif self.signal is None or self.threshold is None:
            raise ValueError(
                "give the condition as signal= and threshold= (with op=), or as expr='<PromQL condition>'"
            )
        return self


class Tier(AlertFields):
    """One tier (warning or critical) of a tiered alert; signal and comparison are shared."""

    threshold: Annotated[float, Field(allow_inf_nan=False)]

    @classmethod
    def kind(cls) -> str:
        """Messages call a tier an alert: that is what its author thinks of."""
        return "Alert"


class Tiers(Committed):
    """Warning and critical thresholds on one signal, declared once; the critical inhibits the warning."""

    signal: Signal
    op: Comparison = Comparison.GT
    warning: Tier
    critical: Tier

    @property
    def name(self) -> str:
        """Both tiers' names, for messages."""
        return f"{self.warning.name}/{self.critical.name}"
