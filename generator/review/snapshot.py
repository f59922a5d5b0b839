"""A model reduced to its alerting behaviour: per service, per alert, the facts the people paged
notice, each as comparable text. Layout, spacing and wording the generator derives do not count.

Every value is canonical, so two snapshots differ exactly where behaviour differs: durations as
`Duration.of_seconds` writes them (`60m` is `1h`), expressions as promql-parser prints them,
thresholds as the runbook words them (`5%`), labels sorted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .. import conventions as conv
from ..describe import default_description
from ..importer.compare import expression
from ..model import Model, Recording, ResolvedAlert, ResolvedService, TestCase
from ..routing.config import declared_receivers
from ..spec.types import Duration

# A fact's value: text, a set of names (receivers, alerts) in order, or None when it has none.
Value = str | tuple[str, ...] | None


@dataclass(frozen=True)
class AlertFacts:
    """One alerting rule's behaviour: `fields` in report order, and what identifies it across a
    rename (its signal or expression, and its labels)."""

    key: str
    name: str
    identity: tuple[str, ...]
    fields: tuple[tuple[str, Value], ...]

    def value(self, field: str) -> Value:
        """The value of one fact (None when the alert has no such fact)."""
        return dict(self.fields).get(field)


@dataclass(frozen=True)
class Baseline:
    """The alerting behaviour at a base revision (`name`, e.g. `merge base 1a2b3c4`), which
    `alertgen check --base` hands to the checks that compare with it (version/not-bumped)."""

    name: str
    services: Mapping[str, ServiceFacts]


@dataclass(frozen=True)
class ServiceFacts:
    """One service's version and its alerts' behaviour, in the spec's order."""

    name: str
    title: str
    version: str
    alerts: tuple[AlertFacts, ...]


def snapshot(model: Model) -> dict[str, ServiceFacts]:
    """Every service's alerting behaviour, by service name."""
    # Staging sends only through the receivers declared for it (`staging=` targets).
    receivers = declared_receivers(model)
    staged = {name for name, receiver in receivers if receiver and receiver.in_environment("staging")}
    out = {}
    for service in model.services:
        seen: dict[str, int] = {}
        alerts = []
        for alert in service.alerts:
            # Alerts may share a name (told apart by labels): the n-th of a name pairs with the n-th.
            n = seen[alert.name] = seen.get(alert.name, 0) + 1
            key = alert.name if n == 1 else f"{alert.name}#{n}"
            alerts.append(
                AlertFacts(key, alert.name, _identity(alert), tuple(_fields(model, service, alert, staged)))
            )
        out[service.name] = ServiceFacts(
            service.name, service.spec.title, service.spec.version, tuple(alerts)
        )
    return out


def _identity(alert: ResolvedAlert) -> tuple[str, ...]:
    signal = alert.record or expression(alert.expr)
    return (signal, *(f"{k}={v}" for k, v in alert.labels if k != "alertname"))


def _duration(value: Duration | None) -> str | None:
    return None if value is None or not value.seconds else Duration.of_seconds(value.seconds).text


def _fields(
    model: Model, service: ResolvedService, alert: ResolvedAlert, staged: set[str]
) -> Iterator[tuple[str, Value]]:
    house = model.conventions
    rec = next((r for r in service.recordings if r.name == alert.record), None)
    yield "severity", alert.severity
    yield "category", alert.category.value
    yield "team", alert.team
    yield "signal", alert.record
    yield "comparison", alert.op.value if alert.op is not None else None
    unit = alert.signal.unit if alert.signal is not None else None
    threshold = alert.threshold
    yield (
        "threshold",
        None if threshold is None else conv.format_value(threshold, unit) if unit else str(threshold),
    )
    yield "fires when absent", "yes" if alert.absent else None
    yield "for", _duration(alert.for_) or "0s"
    yield "keep_firing_for", _duration(alert.keep_firing_for)
    # A threshold alert's condition is its signal's query against the threshold, reported above.
    yield "expression", expression(rec.expr if rec is not None else alert.expr)
    standard = {v for v in (house.severity_label, house.team_label, house.category_label) if v}
    yield "labels", tuple(f"{k}={v}" for k, v in alert.labels if k not in standard and k != "alertname")
    yield from _annotations(model, alert, rec)
    yield from (_example(case) for case in alert.tests)
    routing = model.route(service.name, alert)
    yield "notified (production)", routing.receivers
    yield "notified (staging)", tuple(r for r in routing.receivers if r in staged)
    yield "inhibited by", routing.inhibited_by
    yield "inhibits", routing.inhibits
    yield "dashboard panel", _panel(service, alert)
    section = alert.runbook_elsewhere or f"{conv.runbook_path(service.name)}#{alert.anchor}"
    yield "runbook section", section


def _annotations(model: Model, alert: ResolvedAlert, rec: Recording | None) -> Iterator[tuple[str, Value]]:
    house = model.conventions
    # Links are reported as the dashboard panel and runbook section they open.
    links = {house.runbook_annotation, house.dashboard_annotation}
    derived = None
    if rec is not None and alert.op is not None and alert.threshold is not None:
        derived = default_description(rec, alert.op, alert.for_, alert.threshold)
    for key, text in alert.annotations:
        if key in links:
            continue
        # A description written from the condition changes with it; the condition is reported.
        if key == "description" and text == derived:
            continue
        yield f"annotation {key}", text


def _example(case: TestCase) -> tuple[str, Value]:
    outcome = "fires" if case.fires else "silent"
    series = "; ".join(f"{selector} = {values}" for selector, values in sorted(case.series.items()))
    return f"example {case.name!r}", f"{outcome} at {case.at.text}, step {case.interval.text}: {series}"


def _panel(service: ResolvedService, alert: ResolvedAlert) -> str | None:
    for row in service.rows:
        for panel in row.panels:
            if any(a.name == alert.name and a.anchor == alert.anchor for a in panel.alerts):
                return f"{row.title} / {panel.title}"
    return None
