"""The resolved model: specs with every default and naming convention applied, ready to render."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Location
from .promql import parse
from .spec import (
    SLO,
    Disable,
    DocRef,
    Document,
    EscalationLevel,
    Link,
    Metric,
    Runbook,
    Section,
    Service,
    Signal,
    Step,
)
from .spec.house import DEFAULT as DEFAULT_CONVENTIONS
from .spec.house import Conventions
from .spec.routing import Routing, Team
from .spec.targets import DEFAULT as NO_TARGETS
from .spec.targets import Targets
from .spec.types import Category, Comparison, Duration, Severity


@dataclass(frozen=True, slots=True)
class Recording:
    """A recording rule: one per signal."""

    name: str
    expr: str
    signal: Signal
    kept_labels: frozenset[str]

    @property
    def ast(self) -> Any:
        """The parsed expression (`parse` caches it; not stored, so that a model pickles)."""
        return parse(self.expr)

    @property
    def evaluation(self) -> str:
        """Where the rule is evaluated: `source` or `global` (its signal's)."""
        return self.signal.evaluation


@dataclass(frozen=True, slots=True)
class TestCase:
    """One example of an alert, resolved into what promtool is given and must see."""

    name: str
    # The example's own mapping of selectors to values, shared rather than copied into pairs
    # (20,200 cases at 10,000 alerts held 11 MB of pair tuples); never mutated.
    series: Mapping[str, str] = field(hash=False)
    interval: Duration
    at: Duration
    fires: bool
    # Each alert expected at `at`: its labels and annotations (none for a silent example).
    expected: tuple[Expected, ...] = ()


@dataclass(frozen=True, slots=True)
class Expected:
    """One alert a test expects: its labels and annotations, each sorted by name."""

    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class RunbookCommand:
    """A block of commands of a runbook step, as the spec's Command gives it."""

    code: str
    lang: str
    variant: str


@dataclass(frozen=True, slots=True)
class RunbookStep:
    """One step of an alert's runbook, as the spec's Step gives it."""

    title: str
    text: str
    commands: tuple[RunbookCommand, ...]
    bullets: tuple[str, ...]

    @classmethod
    def of(cls, step: Step) -> RunbookStep:
        """The step's values (a spec object carries a dict and a set besides them)."""
        commands = tuple(RunbookCommand(c.code, c.lang, c.variant) for c in step.commands)
        return cls(step.title, step.text, commands, step.bullets)


@dataclass(frozen=True, slots=True)
class AlertRunbook:
    """What an on-call engineer does for one alert, as the spec's Runbook gives it; empty parts when
    the spec gives none. Values only, as in the rest of the model: a spec object carries a dict
    and a set besides them (at 10,000 alerts, 14 MB of objects for 3 MB of values)."""

    actions: tuple[RunbookStep, ...] = ()
    causes: tuple[str, ...] = ()
    escalation: tuple[str, ...] = ()
    notes: str = ""

    @classmethod
    def of(cls, runbook: Runbook) -> AlertRunbook:
        """The runbook's values."""
        actions = tuple(RunbookStep.of(step) for step in runbook.actions)
        return cls(actions, runbook.causes, runbook.escalation, runbook.notes)


@dataclass(frozen=True, slots=True)
class ResolvedAlert:
    """An alerting rule with its labels, annotations, anchors and tests resolved."""

    name: str
    title: str
    severity: str
    category: Category
    team: str
    # A threshold alert's signal, record, comparison and threshold; an `expr=` alert has none of
    # them (but may have the signal whose panel it belongs on).
    signal: Signal | None
    record: str | None
    op: Comparison | None
    threshold: float | None
    for_: Duration
    keep_firing_for: Duration | None
    expr: str
    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...]
    kept_labels: frozenset[str]
    anchor: str
    runbook_url: str
    dashboard_url: str
    runbook: AlertRunbook | None
    tests: tuple[TestCase, ...]
    location: Location
    tier: Severity | None = None
    twin: str | None = None
    absent: bool = False
    changed_in: str | None = None
    disable: tuple[Disable, ...] = ()
    # The severity's place in Conventions.severities: 0 is the most urgent.
    rank: int = 0
    # The spec's runbook_url: a runbook kept outside the generated ones (None: its section here).
    runbook_elsewhere: str | None = None
    # Where the rule is evaluated: the alert's own choice, else its signal's, else `source`.
    evaluation: str = "source"
    # While it fires, every other alert of the service is inhibited (the service is down).
    inhibits_service: bool = False

    @property
    def ast(self) -> Any:
        """The parsed expression (`parse` caches it)."""
        return parse(self.expr)

    @property
    def label_map(self) -> dict[str, str]:
        """The rule's static labels as a dict."""
        return dict(self.labels)

    @property
    def annotation_map(self) -> dict[str, str]:
        """The rule's annotations as a dict."""
        return dict(self.annotations)

    @property
    def runtime_labels(self) -> frozenset[str]:
        """Labels the firing alert is guaranteed to carry: static ones plus those the query keeps."""
        return frozenset(k for k, _ in self.labels) | self.kept_labels | {"alertname"}


@dataclass(frozen=True, slots=True)
class ResolvedPanel:
    """A dashboard panel: the signals it plots (as their recording rules) and the alerts on them."""

    id: int
    key: str
    title: str
    recordings: tuple[Recording, ...]
    alerts: tuple[ResolvedAlert, ...]


@dataclass(frozen=True, slots=True)
class ResolvedRow:
    """A dashboard row and its panels, left to right."""

    id: int
    title: str
    panels: tuple[ResolvedPanel, ...]


@dataclass(frozen=True, slots=True)
class ResolvedGroup:
    """A rule group: its rules in order, each `("record" | "alert", position in the service's)`."""

    name: str
    interval: Duration | None
    limit: int
    rules: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """What renderers and checks read of a service's spec besides its rules, which are resolved
    into the service's recordings, alerts, rows and groups (the spec's rule objects are not kept:
    at 10,000 alerts they held 34 MB that nothing read after the build)."""

    name: str
    title: str
    version: str
    team: str
    description: str
    location: Location
    subject: str
    target_labels: tuple[str, ...]
    metrics: tuple[Metric, ...]
    scrape_interval: Duration
    evaluation_interval: Duration
    runbook_base_url: str | None
    grafana_url: str
    links: tuple[Link, ...]
    documents: tuple[Document, ...]
    quick_reference: tuple[DocRef, ...]
    change_management: tuple[DocRef, ...]
    escalation: tuple[EscalationLevel, ...]
    sections: tuple[Section, ...]
    slos: tuple[SLO, ...]
    depends_on: tuple[str, ...]

    @classmethod
    def of(cls, service: Service) -> ServiceInfo:
        """The fields of a Service spec that outlive the build."""
        return cls(**{name: getattr(service, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True, slots=True)
class ResolvedService:
    """One service, resolved."""

    name: str
    spec: ServiceInfo
    source: str
    recordings: tuple[Recording, ...]
    alerts: tuple[ResolvedAlert, ...]
    catalog: dict[str, frozenset[str]] = field(compare=False)
    dashboard_uid: str = ""
    rows: tuple[ResolvedRow, ...] = ()
    # The service's rule groups, its own (named after it, every rule no Group claims) first.
    groups: tuple[ResolvedGroup, ...] = ()
    # The matcher that selects the service's alerts in Prometheus' ALERTS series.
    alerts_matcher: str = ""

    def alert(self, name: str) -> ResolvedAlert:
        """The alert called `name`."""
        return next(a for a in self.alerts if a.name == name)


@dataclass(frozen=True, slots=True)
class AlertRouting:
    """Who is told about one alert, and the inhibitions that involve it."""

    receivers: tuple[str, ...] = ()
    inhibited_by: tuple[str, ...] = ()
    inhibits: tuple[str, ...] = ()
    # The receivers in words, same order: `PagerDuty brownie-oncall`, `Slack #brownie-alerts`.
    destinations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChangelogEntry:
    """One version of a service as git history shows it (generator/review/history.py): the date
    of the first commit at that version ("" for the working tree), and what changed in its
    alerting since the version before, as `(alert, what changed)` in report order."""

    version: str
    date: str
    changes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Model:
    """Everything the renderers and checks need."""

    services: tuple[ResolvedService, ...]
    warnings: tuple[str, ...] = ()
    # Who is told (validated against the services): the Alertmanager config is derived from these.
    teams: tuple[Team, ...] = ()
    routing: Routing | None = None
    conventions: Conventions = DEFAULT_CONVENTIONS
    # The rule formats written besides the plain Prometheus files (spec/targets.py).
    targets: Targets = NO_TARGETS
    # Per `(service, alert's anchor)`, what the production Alertmanager does with it (routing/summary.py):
    # worked out once for the whole model, read by each service's runbook.
    routes: Mapping[tuple[str, str], AlertRouting] = field(default_factory=dict)
    # Every alert by name, with its service's name: runbooks link alerts of other services.
    alert_index: Mapping[str, tuple[str, ResolvedAlert]] = field(default_factory=dict)
    # Per service, its versions newest first, when read from git (`generate --history`); else empty.
    changelog: Mapping[str, tuple[ChangelogEntry, ...]] = field(default_factory=dict)

    def route(self, service: str, alert: ResolvedAlert) -> AlertRouting:
        """What the production Alertmanager does with an alert (nothing, when it is unknown)."""
        return self.routes.get((service, alert.anchor), _NOT_ROUTED)


_NOT_ROUTED = AlertRouting()
