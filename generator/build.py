"""Spec objects -> resolved model: each spec module resolved on its own, then assembled once.

A module is resolved apart from the others (`build_module`, one job of the pipeline); what spans
modules, names defined twice and who is told (teams, routing), is decided in `assemble`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import conventions as conv
from . import layout, timescale
from .build_alerts import Ctx, expand, has_causes, resolve_alert, title
from .build_groups import groups_of
from .build_records import recordings_of
from .build_slo import with_slos
from .build_slo_tests import with_slo_tests
from .errors import ErrorSink, Location, SpecError, SpecErrors, display_path
from .load import load_file
from .model import Model, Recording, ResolvedAlert, ResolvedService, ServiceInfo
from .routing.resolve import resolve as resolve_routing
from .routing.summary import alert_routing
from .spec import Alert, Conventions, Service, Signal, Targets, Tier
from .spec.house import DEFAULT as DEFAULT_CONVENTIONS
from .spec.routing import Routing, Team
from .spec.types import MetricType


@dataclass(frozen=True)
class ModulePart:
    """What one spec module resolves to on its own: its services, who is told, its errors."""

    source: str  # `<specs folder>/<file>`, as artifacts name their source
    services: tuple[ResolvedService, ...]
    teams: tuple[Team, ...]
    routings: tuple[Routing, ...]
    warnings: tuple[tuple[str, tuple[str, ...]], ...]  # (service name, its warnings)
    errors: tuple[SpecError, ...]
    defines_service: bool
    # The Conventions the module defines or imports (None: it has none, so the defaults).
    conventions: Conventions | None = None
    targets: Targets | None = None  # the module's Targets (build_targets.py decides the repository's)


def build_module(path: Path) -> ModulePart:
    """Load one spec module and resolve each service it defines; its spec errors are returned."""
    sink = ErrorSink()
    objects = load_file(path, sink)
    source = f"{path.parent.name}/{path.name}"
    seen = _module_conventions(sink, [o for o in objects if isinstance(o, Conventions)])
    ctx = Ctx(sink, conventions=seen or DEFAULT_CONVENTIONS)
    defined = [s for s in objects if isinstance(s, Service)]
    resolved: list[ResolvedService] = []
    warnings: list[tuple[str, tuple[str, ...]]] = []
    for service in sorted((s for s in defined if not s.invalid), key=lambda s: s.name):
        before = len(ctx.warnings)
        result = _service(ctx, service, source)
        warnings.append((service.name, tuple(ctx.warnings[before:])))
        if result is not None:
            resolved.append(result)
    return ModulePart(
        source=source,
        services=tuple(resolved),
        teams=tuple(o for o in objects if isinstance(o, Team)),
        routings=tuple(o for o in objects if isinstance(o, Routing)),
        warnings=tuple(warnings),
        errors=tuple(sink.errors),
        defines_service=bool(defined),
        conventions=seen,
        targets=module_targets(sink, objects),
    )


def _module_conventions(sink: ErrorSink, found: list[Conventions]) -> Conventions | None:
    """The one Conventions a module sees; two different ones are an error."""
    valid = [c for c in found if not c.invalid]
    for other in valid[1:]:
        if other != valid[0]:
            sink.add(
                other.location,
                "Conventions",
                f"a second, different Conventions; the first is at {valid[0].location}",
            )
    return valid[0] if valid else None


def module_targets(sink: ErrorSink, found: Sequence[object]) -> Targets | None:
    """The one Targets a module sees; two different ones are an error."""
    valid = [t for t in found if isinstance(t, Targets) and not t.invalid]
    for other in valid[1:]:
        if other != valid[0]:
            sink.add(
                other.location, "Targets", f"a second, different Targets; the first is at {valid[0].location}"
            )
    return valid[0] if valid else None


def _repository_conventions(sink: ErrorSink, parts: Sequence[ModulePart]) -> Conventions:
    """The Conventions every module that defines a service was built with: one for all of them."""
    declared = [(p, p.conventions) for p in parts if p.conventions is not None]
    if not declared:
        return DEFAULT_CONVENTIONS
    first = declared[0][1]
    for _part, other in declared[1:]:
        if other != first:
            sink.add(
                other.location,
                "Conventions",
                f"differs from the Conventions at {first.location}; declare them once and import them",
            )
    for part in parts:
        if part.defines_service and part.conventions is None and part.services:
            service = part.services[0].spec
            sink.add(
                service.location,
                service.subject,
                f"built with the default conventions, but {first.location} declares Conventions; import "
                f"them into {part.source.rsplit('/', 1)[-1]} (e.g. `from teams import conventions`)",
            )
    return first


def assemble(parts: Sequence[ModulePart], specs_dir: Path, time_scale: float = 1.0) -> Model:
    """The model of every module's part (in file order); SpecErrors with every error of every part
    and those between parts (a name defined twice, routing).

    `time_scale` divides every duration, for end-to-end tests only (see generator/timescale.py).
    """
    sink = ErrorSink()
    for part in parts:
        sink.errors.extend(part.errors)
    if not sink.errors and not any(p.defines_service for p in parts):
        where = display_path(str(specs_dir))
        sink.add(
            Location(where, 0),
            "",
            f"no Service found in {where}/*.py; define one, e.g. `service = Service(name=..., ...)`",
        )
    services = _unique_services(sink, [s for p in parts for s in p.services])
    _unique_alerts(sink, services)
    # A module that imports another's team re-creates an equal object: keep one.
    teams: list[Team] = []
    routings: list[Routing] = []
    for part in parts:
        teams.extend(t for t in part.teams if t not in teams)
        routings.extend(r for r in part.routings if r not in routings)
    house = _repository_conventions(sink, parts)
    _dependencies(sink, services, house)
    resolved_teams, routing = resolve_routing(sink, services, teams, routings, house)
    if sink.errors:
        raise SpecErrors(sink.sorted())
    warned = dict(w for p in parts for w in p.warnings)
    warnings = tuple(w for s in services for w in warned.get(s.name, ()))
    model = Model(tuple(services), warnings, resolved_teams, routing, conventions=house)
    model = timescale.scale(model, time_scale)
    index = {a.name: (s.name, a) for s in model.services for a in s.alerts}
    return replace(model, routes=alert_routing(model), alert_index=index)


def _dependencies(sink: ErrorSink, services: list[ResolvedService], house: Conventions) -> None:
    """Each service a service depends on exists and has an outage alert to silence it by."""
    by_name = {s.name: s for s in services}
    for service in services:
        spec = service.spec
        for name in spec.depends_on:
            other = by_name.get(name)
            if name == service.name:
                problem = "a service cannot depend on itself; remove it from depends_on="
            elif other is None:
                problem = f"depends on {name!r}, which no spec defines; known: {', '.join(sorted(by_name))}"
            elif not any(a.inhibits_service for a in other.alerts):
                problem = (
                    f"depends on {name!r}, which has no outage alert to silence this service by; give "
                    "one of its alerts inhibits_service=True"
                )
            elif house.service_label is None:
                problem = (
                    "depends_on= silences by the service label, which Conventions(service_label=None) "
                    "turns off"
                )
            else:
                continue
            sink.add(spec.location, spec.subject, problem)


def _unique_services(sink: ErrorSink, services: list[ResolvedService]) -> list[ResolvedService]:
    """Services in name order; a name defined again (in file order) is an error and dropped."""
    first: dict[str, Location] = {}
    out = []
    for service in sorted(services, key=lambda s: s.name):
        where = first.get(service.name)
        if where is not None:
            spec = service.spec
            sink.add(spec.location, spec.subject, f"duplicate service name; first defined at {where}")
            continue
        first[service.name] = service.spec.location
        out.append(service)
    return out


def _unique_alerts(sink: ErrorSink, services: list[ResolvedService]) -> None:
    """An alert defined again, same name, labels and condition (services in name order, each in
    source order), is an error. Alerts may share a name when their labels or conditions differ,
    as a page and a ticket of one name do."""
    first: dict[tuple[str, tuple[tuple[str, str], ...], str], Location] = {}
    for service in services:
        for alert in sorted(service.alerts, key=lambda a: a.location):
            key = (alert.name, alert.labels, " ".join(alert.expr.split()))
            where = first.get(key)
            if where is not None:
                sink.add(
                    alert.location,
                    f"Alert {alert.name!r}",
                    f"the same alert (name, labels and condition) is defined at {where}; remove one",
                )
            else:
                first[key] = alert.location


def catalog_of(service: Service) -> dict[str, frozenset[str]]:
    """Series names the service exports, each with the labels its series carry."""
    out: dict[str, frozenset[str]] = {}
    for metric in service.metrics:
        target = service.target_labels if metric.target_labels is None else metric.target_labels
        labels = frozenset(target) | frozenset(metric.labels)
        if metric.type is MetricType.HISTOGRAM:
            out[f"{metric.name}_bucket"] = labels | {"le"}
            out[f"{metric.name}_sum"] = labels
            out[f"{metric.name}_count"] = labels
        elif metric.type is MetricType.SUMMARY:
            out[metric.name] = labels | {"quantile"}
            out[f"{metric.name}_sum"] = labels
            out[f"{metric.name}_count"] = labels
        else:
            out[metric.name] = labels
    return out


def _service(ctx: Ctx, service: Service, source: str) -> ResolvedService | None:
    service = with_slos(service, ctx.conventions)
    _doc_refs(ctx, service)
    catalog = catalog_of(service)
    signals: dict[str, Signal] = {}
    for signal in _all_signals(service):
        if signal.invalid:
            continue
        prior = signals.get(signal.name)
        if prior is not None:
            if prior.expr != signal.expr or prior.unit != signal.unit:
                ctx.sink.add(
                    signal.location,
                    signal.subject,
                    f"a different signal with this name is defined at {prior.location}; rename one",
                )
            continue
        signals[signal.name] = signal
    recordings = recordings_of(ctx, service, list(signals.values()), catalog)
    records: dict[str, tuple[Recording, ...]] = {}
    for recording in recordings.values():
        records[recording.name] = (*records.get(recording.name, ()), recording)
    # What every rule of a name keeps (`quantile` rules of one name differ only in their labels).
    lookup = {
        **catalog,
        **{name: frozenset.intersection(*(r.kept_labels for r in rs)) for name, rs in records.items()},
    }

    specs = list(expand(ctx, service))
    severities = ctx.conventions.severities
    order = conv.runbook_group_order(severities)
    groups = [conv.runbook_group(spec[1], spec[0].category) for spec in specs]
    ordered = sorted(range(len(specs)), key=lambda i: (order.index(groups[i]), i))
    # Anchors count every heading the runbook writes before an alert, not only alert titles.
    entries = [(title(specs[i][0]), groups[i], has_causes(specs[i][0])) for i in ordered]
    anchors = dict(zip(ordered, conv.runbook_anchors(service.title, entries, severities), strict=True))
    for i, anchor in anchors.items():
        if not anchor:
            ctx.sink.add(
                specs[i][0].location,
                f"Alert {specs[i][0].name!r}",
                f"title {title(specs[i][0])!r} gives its runbook heading an empty anchor (GitHub keeps "
                "only letters, digits, spaces, '-' and '_'), so runbook_url cannot point at it; use words",
            )
    alerts: list[ResolvedAlert] = []
    origins: list[Alert | Tier] = []  # the spec object of each alert, for the Groups that list it
    for i in ordered:
        watched = specs[i][2]
        rec = recordings.get(watched.name) if watched is not None else None
        if watched is not None and rec is None:
            continue  # its signal's error is reported
        alert = resolve_alert(ctx, service, specs[i], rec, anchors[i], records, lookup)
        if alert is not None:
            alerts.append(alert)
            origins.append(specs[i][0])
    alerts = with_slo_tests(service, alerts, records)
    # The missing-example warning of an SLO's alerts goes once its generated tests cover them.
    tested = {(a.name, a.location) for a in alerts if a.tests}
    ctx.warnings[:] = [
        w for w in ctx.warnings if not any(w.startswith(f"{at}: Alert {n!r}: no ") for n, at in tested)
    ]
    return ResolvedService(
        name=service.name,
        spec=ServiceInfo.of(service),
        source=source,
        recordings=tuple(recordings.values()),
        alerts=tuple(alerts),
        catalog=catalog,
        dashboard_uid=conv.dashboard_uid(service.name),
        rows=layout.resolve(ctx.sink, service, signals, recordings, alerts),
        groups=groups_of(ctx.sink, service, recordings, origins),
        alerts_matcher=_alerts_matcher(ctx, service.name, alerts),
    )


def _alerts_matcher(ctx: Ctx, name: str, alerts: list[ResolvedAlert]) -> str:
    """`service="x"`, or by alert name where the conventions add no service label."""
    label = ctx.conventions.service_label
    if label is not None:
        return f'{label}="{name}"'
    names = sorted({re.escape(a.name) for a in alerts})
    return 'alertname=~"' + "|".join(n.replace("\\", "\\\\").replace('"', '\\"') for n in names) + '"'


def _doc_refs(ctx: Ctx, service: Service) -> None:
    """Runbook references name documents the service declares, so no runbook link dangles."""
    declared = sorted(d.name for d in service.documents)
    for ref in (*service.quick_reference, *service.change_management):
        if not ref.invalid and ref.doc not in declared:
            ctx.sink.add(
                ref.location,
                f"DocRef {ref.title!r}",
                f"document {ref.doc!r} is not declared in documents= of service {service.name!r}; "
                f"declared: {', '.join(declared) or 'none'}",
            )


def _all_signals(service: Service) -> list[Signal]:
    out = list(service.all_signals())
    for item in service.all_alerts():
        # A rejected alert's signal is still the service's: panels placing it stay valid, so
        # one mistake gets one error.
        signal = getattr(item, "signal", None)
        if isinstance(signal, Signal) and not signal.invalid:
            out.append(signal)
    return out
