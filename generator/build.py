"""Spec objects -> resolved model: each spec module resolved on its own, then assembled once.

A module is resolved apart from the others (`build_module`, one job of the pipeline); what spans
modules, names defined twice and who is told (teams, routing), is decided in `assemble`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import conventions as conv
from . import layout, timescale
from .build_alerts import Ctx, expand, has_causes, resolve_alert, title
from .errors import ErrorSink, Location, SpecError, SpecErrors, display_path
from .load import load_file
from .model import Model, Recording, ResolvedService
from .promql import PromQLError, depth, flow, parse, selectors
from .routing.resolve import resolve as resolve_routing
from .routing.summary import alert_routing
from .spec import Service, Signal
from .spec.routing import Routing, Team
from .spec.types import MetricType

# Expressions are analysed recursively (label flow, example evaluation): deeper ones are refused
# before they reach Python's recursion limit.
MAX_DEPTH = 120


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


def build_module(path: Path) -> ModulePart:
    """Load one spec module and resolve each service it defines; its spec errors are returned."""
    sink = ErrorSink()
    objects = load_file(path, sink)
    source = f"{path.parent.name}/{path.name}"
    ctx = Ctx(sink)
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
    )


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
    resolved_teams, routing = resolve_routing(sink, services, teams, routings)
    if sink.errors:
        raise SpecErrors(sink.sorted())
    warned = dict(w for p in parts for w in p.warnings)
    warnings = tuple(w for s in services for w in warned.get(s.name, ()))
    model = timescale.scale(Model(tuple(services), warnings, resolved_teams, routing), time_scale)
    index = {a.name: (s.name, a) for s in model.services for a in s.alerts}
    return replace(model, routes=alert_routing(model), alert_index=index)


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
    """An alert name defined again (services in name order, each in source order) is an error."""
    first: dict[str, Location] = {}
    for service in services:
        for alert in sorted(service.alerts, key=lambda a: a.location):
            where = first.get(alert.name)
            if where is not None:
                sink.add(
                    alert.location, f"Alert {alert.name!r}", f"duplicate alert name; first defined at {where}"
                )
            else:
                first[alert.name] = alert.location


def catalog_of(service: Service) -> dict[str, frozenset[str]]:
    """Series names the service exports, each with the labels its series carry."""
    target = frozenset(service.target_labels)
    out: dict[str, frozenset[str]] = {}
    for metric in service.metrics:
        labels = target | frozenset(metric.labels)
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
    _doc_refs(ctx, service)
    catalog = catalog_of(service)
    signals: dict[str, Signal] = {}
    recordings: dict[str, Recording] = {}
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
        rec = _recording(ctx, service, signal, catalog)
        if rec is not None:
            recordings[signal.name] = rec
    records = [r.name for r in recordings.values()]
    for name in {n for n in records if records.count(n) > 1}:
        sig = next(r.signal for r in recordings.values() if r.name == name)
        ctx.sink.add(
            sig.location,
            sig.subject,
            f"recording rule name {name!r} is used by two signals; set record=",
        )

    specs = list(expand(ctx, service))
    ordered = sorted(
        range(len(specs)),
        key=lambda i: (
            conv.RUNBOOK_GROUP_ORDER.index(conv.runbook_group(specs[i][1], specs[i][0].category)),
            i,
        ),
    )
    # Anchors count every heading the runbook writes before an alert, not only alert titles.
    entries = [
        (
            title(specs[i][0]),
            conv.runbook_group(specs[i][1], specs[i][0].category),
            has_causes(specs[i][0]),
        )
        for i in ordered
    ]
    anchors = dict(zip(ordered, conv.runbook_anchors(service.title, entries), strict=True))
    for i, anchor in anchors.items():
        if not anchor:
            ctx.sink.add(
                specs[i][0].location,
                f"Alert {specs[i][0].name!r}",
                f"title {title(specs[i][0])!r} gives its runbook heading an empty anchor (GitHub keeps "
                "only letters, digits, spaces, '-' and '_'), so runbook_url cannot point at it; use words",
            )
    alerts = []
    for i in ordered:
        spec, severity, signal, op, absent, twin, tier = specs[i]
        rec = recordings.get(signal.name)
        if rec is None:
            continue
        alert = resolve_alert(ctx, service, spec, severity, rec, op, absent, twin, tier, anchors[i], catalog)
        if alert is not None:
            alerts.append(alert)
    return ResolvedService(
        name=service.name,
        spec=service,
        source=source,
        recordings=tuple(recordings.values()),
        alerts=tuple(alerts),
        catalog=catalog,
        dashboard_uid=conv.dashboard_uid(service.name),
        rows=layout.resolve(ctx.sink, service, signals, recordings, alerts),
    )


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
    out = list(service.signals)
    for item in service.alerts:
        # A rejected alert's signal is still the service's: panels placing it stay valid, so
        # one mistake gets one error.
        signal = getattr(item, "signal", None)
        if isinstance(signal, Signal) and not signal.invalid:
            out.append(signal)
    return out


def _recording(
    ctx: Ctx, service: Service, signal: Signal, catalog: dict[str, frozenset[str]]
) -> Recording | None:
    try:
        ast = parse(signal.expr)
    except PromQLError as exc:
        ctx.sink.add(signal.location, signal.subject, f"invalid PromQL {signal.expr!r}: {exc}")
        return None
    levels = depth(ast)
    if levels > MAX_DEPTH:
        ctx.sink.add(
            signal.location,
            signal.subject,
            f"expr nests {levels} levels deep; alertgen follows labels through at most {MAX_DEPTH}: "
            "split it into signals that record its parts",
        )
        return None
    sels = selectors(ast)
    unknown = sorted({s.name for s in sels if s.name not in catalog})
    for name in unknown:
        ctx.sink.add(
            signal.location,
            signal.subject,
            f"metric {name!r} is not in the metric catalog of service {service.name!r}; "
            "add it to metrics= or fix the name",
        )
    if unknown:
        return None
    kept = flow(ast, catalog.get).resolve(frozenset())
    metric = sels[0].name if sels else signal.name
    name = signal.record or conv.record_name(kept, metric, signal.name)
    return Recording(name=name, expr=signal.expr.strip(), signal=signal, kept_labels=kept)
