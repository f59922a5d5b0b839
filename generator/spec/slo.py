"""Service level objectives: an SLI, an objective over a period, and burn-rate alerting from them.

alertgen derives what the SRE workbook and Sloth derive from an SLO (the SLI per window, the
period's error ratio, the objective, budget and burn-rate series, and page and ticket alerts on
multiwindow burn rates), with Sloth's series names, so Sloth's dashboards read them too.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from .base import is_stand_in
from .runbook import Runbook
from .secrets import Committed
from .types import AlertName, Duration, KebabName, LabelName, LabelValue, MetricName, SeverityName, Text

WINDOW = "{{.window}}"


class Events(Committed):
    """SLI as events: bad ones over all, each a query with `{{.window}}` where its range goes."""

    error_query: Text
    total_query: Text

    @model_validator(mode="after")
    def _windowed(self) -> Events:
        for name, query in (("error_query", self.error_query), ("total_query", self.total_query)):
            if not is_stand_in(self) and WINDOW not in query:
                raise ValueError(f"{name}: write {WINDOW} where the range goes, e.g. rate(x_total[{WINDOW}])")
        return self


class Latency(Committed):
    """SLI as latency: requests slower than `le` seconds are bad, read from a histogram."""

    histogram: MetricName  # the histogram's name, without _bucket
    le: str = Field(pattern=r"^[0-9.eE+-]+$")  # a bucket bound the histogram has, as it writes it
    selector: str = ""  # label matchers that select the service's series, e.g. 'job="api"'


class RawRatio(Committed):
    """SLI as an error ratio query, with `{{.window}}` where its range goes."""

    error_ratio_query: Text

    @model_validator(mode="after")
    def _windowed(self) -> RawRatio:
        if not is_stand_in(self) and WINDOW not in self.error_ratio_query:
            raise ValueError(f"error_ratio_query: write {WINDOW} where the range goes")
        return self


class BurnWindow(Committed):
    """An alert window pair: fires while both windows burn the given share of the budget's pace.

    The burn factor is `budget_percent / 100 * period / long` (2% of a 30-day budget in 1h:
    14.4), as in the SRE workbook and Sloth's AlertWindows.
    """

    budget_percent: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
    short: Duration
    long: Duration


class Windows(Committed):
    """The two window pairs of each alert: quick (large burn, short windows) and slow."""

    page_quick: BurnWindow
    page_slow: BurnWindow
    ticket_quick: BurnWindow
    ticket_slow: BurnWindow


class SLOAlert(Committed):
    """One of an SLO's two alerts (page or ticket): its severity, labels and annotations."""

    # Unset: the repository's most urgent severity for the page, the next for the ticket.
    severity: SeverityName | None = None
    labels: dict[LabelName, LabelValue] = Field(default_factory=dict)
    annotations: dict[LabelName, str] = Field(default_factory=dict)
    enabled: bool = True


class SLO(Committed):
    """An objective for an SLI over a period, alerted on by multiwindow, multi-burn-rate rules."""

    name: KebabName
    objective: Annotated[float, Field(gt=0, lt=100, allow_inf_nan=False)]  # percent, e.g. 99.9
    sli: Events | Latency | RawRatio
    alert: AlertName  # the name of both alerts (page and ticket, told apart by their labels)
    period: Duration = Duration("30d")
    description: str = ""
    labels: dict[LabelName, LabelValue] = Field(default_factory=dict)  # on every rule of the SLO
    alert_labels: dict[LabelName, LabelValue] = Field(default_factory=dict)
    alert_annotations: dict[LabelName, str] = Field(default_factory=dict)
    page: SLOAlert = Field(default_factory=SLOAlert)
    ticket: SLOAlert = Field(default_factory=SLOAlert)
    # Unset: Google's (the SRE workbook's, as Sloth has them) for a 30-day or 28-day period.
    windows: Windows | None = None
    runbook: Runbook | None = None

    @model_validator(mode="after")
    def _known_period(self) -> SLO:
        if (
            not is_stand_in(self)
            and self.windows is None
            and self.period.seconds not in (28 * 86400, 30 * 86400)
        ):
            raise ValueError(
                f"period {self.period.text!r} has no default alert windows (30d and 28d have); "
                "give windows=Windows(...)"
            )
        return self
