"""What checks read: the rendered files' artifacts as parsed back, and the model's intent.

A context is built whole before any check runs and never changes; checks only read it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .. import conventions as conv
from ..artifacts.alertmanager import AlertmanagerFile
from ..artifacts.dashboards import Dashboard
from ..artifacts.rules import Examples, Rule
from ..artifacts.runbooks import Runbook
from ..artifacts.tree import Artifacts, Unreadable
from ..model import Model, ResolvedAlert, ResolvedService
from ..review.snapshot import Baseline
from ..spec.types import MetricType
from .inhibitflow import InhibitIndex
from .labelflow import LabelFacts, LabelIndex, RuleKey, records_of
from .routeflow import RouteFlow


@dataclass(frozen=True, slots=True)
class LivePrometheus:
    """A running Prometheus the checks may ask (`alertgen check --prometheus URL`)."""

    url: str
    timeout: float = 30.0  # seconds for one whole answer


@dataclass(frozen=True)
class Context:
    """The output tree under check (its paths and parsed artifacts) and the specs that explain it."""

    model: Model
    files: frozenset[str]
    # The bytes of the files this part of the run read itself (its own, not other jobs').
    own: Mapping[str, bytes]
    rules: tuple[Rule, ...]
    examples: Mapping[str, Mapping[str, Examples]]
    dashboards: Mapping[str, Dashboard]
    runbooks: Mapping[str, Runbook]
    alertmanagers: Mapping[str, AlertmanagerFile]
    invalid: tuple[Unreadable, ...]
    labels: LabelIndex
    prometheus: LivePrometheus | None
    services: Mapping[str, ResolvedService]
    # The spec's alerts by (service, name): several when alerts share a name.
    intended: Mapping[tuple[str, str], tuple[ResolvedAlert, ...]]
    alerts: tuple[Rule, ...]
    records: Mapping[str, Rule]
    alert_rules: Mapping[str, tuple[Rule, ...]]
    series_types: Mapping[str, Mapping[str, MetricType]]
    dashboards_by_uid: Mapping[str, Dashboard]
    dashboard_series: frozenset[str]
    runbook_bases: tuple[str, ...]
    route_flows: Mapping[str, RouteFlow]
    inhibit_index: InhibitIndex
    # The alerting behaviour at a base revision (`alertgen check --base`); None: nothing to compare.
    base: Baseline | None = None

    def runbook_target(self, url: str) -> tuple[str, str] | None:
        """`(output path, anchor)` of a URL under some service's runbook_base_url, else None."""
        for base in self.runbook_bases:
            if url.startswith(base):
                page, _, anchor = url[len(base) :].partition("#")
                return f"{conv.RUNBOOKS_DIR}/{page}", anchor
        return None

    def intent(self, rule: Rule) -> ResolvedAlert | None:
        """The spec's alert a rendered alerting rule stands for: of the alerts of its name, the one
        with its condition, else its labels, else the first."""
        found = self.intended.get((rule.service, rule.name), ())
        if len(found) > 1:
            expr = " ".join(rule.expr.split())
            return next(
                (a for a in found if " ".join(a.expr.split()) == expr),
                next((a for a in found if a.label_map == rule.labels), found[0]),
            )
        return found[0] if found else None


def context(
    model: Model,
    paths: Iterable[str],
    own: Mapping[str, bytes],
    artifacts: Artifacts,
    facts: Mapping[RuleKey, LabelFacts],
    prometheus: LivePrometheus | None = None,
    base: Baseline | None = None,
) -> Context:
    """A context over a tree's `paths` and their parsed `artifacts`, with the rules' label facts."""
    services = {s.name: s for s in model.services}
    catalogs = {name: s.catalog for name, s in services.items()}
    rules = artifacts.rules
    labels = LabelIndex(rules, facts, catalogs)
    alerts = tuple(r for r in rules if r.is_alert)
    by_name: dict[str, list[Rule]] = defaultdict(list)
    for rule in alerts:
        by_name[rule.name].append(rule)
    by_uid: dict[str, Dashboard] = {}
    for board in artifacts.dashboards.values():
        by_uid.setdefault(board.uid, board)
    house = model.conventions
    owned = {b for s in model.services if (b := house.runbook_base(s.spec.runbook_base_url))}
    bases = sorted(owned, key=lambda b: (-len(b), b))
    return Context(
        model=model,
        files=frozenset(paths),
        own=own,
        rules=rules,
        examples=artifacts.examples,
        dashboards=artifacts.dashboards,
        runbooks=artifacts.runbooks,
        alertmanagers=artifacts.alertmanagers,
        invalid=artifacts.unreadable,
        labels=labels,
        prometheus=prometheus,
        services=services,
        intended=_intended(model),
        alerts=alerts,
        records=records_of(rules),
        alert_rules={name: tuple(found) for name, found in by_name.items()},
        series_types={s.name: _series_types(s) for s in model.services},
        dashboards_by_uid=by_uid,
        dashboard_series=frozenset(
            name for b in artifacts.dashboards.values() for p in b.panels for name in p.series
        ),
        runbook_bases=tuple(bases),
        route_flows={path: RouteFlow(labels, config) for path, config in artifacts.alertmanagers.items()},
        inhibit_index=InhibitIndex(alerts, labels),
        base=base,
    )


def _intended(model: Model) -> dict[tuple[str, str], tuple[ResolvedAlert, ...]]:
    out: dict[tuple[str, str], list[ResolvedAlert]] = defaultdict(list)
    for service in model.services:
        for alert in service.alerts:
            out[(service.name, alert.name)].append(alert)
    return {key: tuple(found) for key, found in out.items()}


def _series_types(service: ResolvedService) -> dict[str, MetricType]:
    """The type of each series name the service exports: histogram and summary parts included."""
    types: dict[str, MetricType] = {}
    for metric in service.spec.metrics:
        if metric.type in (MetricType.HISTOGRAM, MetricType.SUMMARY):
            # _bucket, _count and _sum only grow: counters as far as rate() is concerned.
            histogram = metric.type is MetricType.HISTOGRAM
            for part in ("_bucket", "_count", "_sum") if histogram else ("_count", "_sum"):
                types[metric.name + part] = MetricType.COUNTER
            if not histogram:
                types[metric.name] = MetricType.GAUGE
        else:
            types[metric.name] = metric.type
    return types
