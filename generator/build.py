"""Spec objects -> resolved model: defaults, naming conventions, PromQL parsed once, tests derived."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import conventions as conv
from . import layout, timescale
from .checks import registry as checks_registry
from .errors import ErrorSink, Location, SpecErrors
from .gotemplate import Template, parse_template
from .model import Model, Recording, ResolvedAlert, ResolvedService, TestCase
from .promql import PromQLError, flow, parse, selectors
from .promql.concrete import evaluate, series_labels
from .routing.resolve import resolve as resolve_routing
from .spec import Alert, Example, Service, Signal, Tier, Tiers
from .spec.routing import Routing, Team
from .spec.types import Comparison, MetricType, Severity, Unit

# Units whose values are never negative: a negative threshold on them is a typo.
_NON_NEGATIVE = {
    Unit.PERCENTUNIT,
    Unit.PERCENT,
    Unit.SECONDS,
    Unit.MILLISECONDS,
    Unit.BYTES,
    Unit.REQPS,
    Unit.OPS,
    Unit.BOOL,
}


@dataclass
class _Ctx:
    sink: ErrorSink
    warnings: list[str] = field(default_factory=list)
    alert_names: dict[str, Location] = field(default_factory=dict)
    # A recording rule's result series per (rule, example series): the tiers of one signal and
    # the firing examples of an alert often share their series (a third of evaluations at 10k).
    recorded: dict[tuple[str, str, tuple[str, ...]], list[dict[str, str]]] = field(default_factory=dict)


def build(
    services: list[tuple[Service, str]],
    sink: ErrorSink | None = None,
    time_scale: float = 1.0,
    teams: Sequence[Team] = (),
    routings: Sequence[Routing] = (),
) -> Model:
    """Resolve loaded services (with the spec file each came from); raise SpecErrors on errors.

    `sink` may already hold the loader's errors: they are reported with the build's own.
    `time_scale` divides every duration, for end-to-end tests only (see generator/timescale.py).
    `teams` and `routings` (at most one) say who is told; see generator/routing/resolve.py.
    """
    ctx = _Ctx(sink if sink is not None else ErrorSink())
    resolved = _services(ctx, services)
    resolved_teams, routing = resolve_routing(ctx.sink, resolved, teams, routings)
    if ctx.sink.errors:
        raise SpecErrors(ctx.sink.sorted())
    model = Model(tuple(resolved), tuple(ctx.warnings), resolved_teams, routing)
    return timescale.scale(model, time_scale)


@dataclass(frozen=True, slots=True)
class Part:
    """Services resolved apart from the others (generator/shards.py), with their warnings."""

    services: tuple[ResolvedService, ...]
    warnings: tuple[tuple[str, tuple[str, ...]], ...]  # (service name, its warnings)


def build_part(services: list[tuple[Service, str]], sink: ErrorSink) -> Part:
    """Resolve some of the services: what `build` does for each on its own, errors into `sink`."""
    ctx = _Ctx(sink)
    per_service: list[tuple[str, tuple[str, ...]]] = []
    resolved = _services(ctx, services, per_service)
    return Part(tuple(resolved), tuple(per_service))


def assemble(
    parts: Sequence[Part], time_scale: float, teams: Sequence[Team], routings: Sequence[Routing]
) -> Model | None:
    """The model `build` gives for the services of every part, or None when `build` would report
    errors: a name defined in two parts, or a routing error (the caller then runs `build`)."""
    services = sorted((s for p in parts for s in p.services), key=lambda s: s.name)
    names = [s.name for s in services]
    alert_names = [a.name for s in services for a in s.alerts]
    if len(set(names)) != len(names) or len(set(alert_names)) != len(alert_names):
        return None
    warned = dict(w for p in parts for w in p.warnings)
    warnings = tuple(w for name in names for w in warned.get(name, ()))
    sink = ErrorSink()
    resolved_teams, routing = resolve_routing(sink, services, teams, routings)
    if sink.errors:
        return None
    return timescale.scale(Model(tuple(services), warnings, resolved_teams, routing), time_scale)


def _services(
    ctx: _Ctx,
    services: list[tuple[Service, str]],
    per_service: list[tuple[str, tuple[str, ...]]] | None = None,
) -> list[ResolvedService]:
    """Each valid service resolved, in name order; duplicates and errors reported to ctx."""
    resolved = []
    seen_services: dict[str, Location] = {}
    for service, source in sorted(services, key=lambda s: s[0].name if not s[0].invalid else ""):
        if service.invalid:
            continue
        if service.name in seen_services:
            ctx.sink.add(
                service.location,
                service.subject,
                f"duplicate service name; first defined at {seen_services[service.name]}",
            )
            continue
        seen_services[service.name] = service.location
        before = len(ctx.warnings)
        result = _service(ctx, service, source)
        if per_service is not None:
            per_service.append((service.name, tuple(ctx.warnings[before:])))
        if result is not None:
            resolved.append(result)
    return resolved


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


def _service(ctx: _Ctx, service: Service, source: str) -> ResolvedService | None:
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

    specs = list(_expand(ctx, service))
    for spec, *_ in specs:
        first = ctx.alert_names.get(spec.name)
        if first is not None:
            ctx.sink.add(
                spec.location, f"Alert {spec.name!r}", f"duplicate alert name; first defined at {first}"
            )
        else:
            ctx.alert_names[spec.name] = spec.location
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
            _title(specs[i][0]),
            conv.runbook_group(specs[i][1], specs[i][0].category),
            _has_causes(specs[i][0]),
        )
        for i in ordered
    ]
    anchors = dict(zip(ordered, conv.runbook_anchors(service.title, entries), strict=True))
    for i, anchor in anchors.items():
        if not anchor:
            ctx.sink.add(
                specs[i][0].location,
                f"Alert {specs[i][0].name!r}",
                f"title {_title(specs[i][0])!r} gives its runbook heading an empty anchor (GitHub keeps "
                "only letters, digits, spaces, '-' and '_'), so runbook_url cannot point at it; use words",
            )
    alerts = []
    for i in ordered:
        spec, severity, signal, op, absent, twin, tier = specs[i]
        rec = recordings.get(signal.name)
        if rec is None:
            continue
        alert = _alert(ctx, service, spec, severity, rec, op, absent, twin, tier, anchors[i], catalog)
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


def _doc_refs(ctx: _Ctx, service: Service) -> None:
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
    ctx: _Ctx, service: Service, signal: Signal, catalog: dict[str, frozenset[str]]
) -> Recording | None:
    try:
        ast = parse(signal.expr)
    except PromQLError as exc:
        ctx.sink.add(signal.location, signal.subject, f"invalid PromQL {signal.expr!r}: {exc}")
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


_Expanded = tuple[Alert | Tier, Severity, Signal, Comparison, bool, str | None, Severity | None]


def _expand(ctx: _Ctx, service: Service) -> list[_Expanded]:
    out: list[_Expanded] = []
    for item in service.alerts:
        if item.invalid:
            continue
        if isinstance(item, Alert):
            out.append((item, item.severity, item.signal, item.op, item.absent, None, None))
            continue
        warning, critical = item.warning, item.critical
        if all(isinstance(t.threshold, int | float) for t in (warning, critical)):
            _tier_order(ctx, item)  # also when a tier has other errors: report them all at once
        if warning.invalid or critical.invalid:
            continue
        pair: list[_Expanded] = [
            (critical, Severity.CRITICAL, item.signal, item.op, False, warning.name, Severity.CRITICAL),
            (warning, Severity.WARNING, item.signal, item.op, False, critical.name, Severity.WARNING),
        ]
        # Source order, so that "first defined at" names the earlier line.
        out.extend(sorted(pair, key=lambda t: t[0].location))
    return out


def _tier_order(ctx: _Ctx, tiers: Tiers) -> None:
    w, c = tiers.warning.threshold, tiers.critical.threshold
    if tiers.op in (Comparison.GT, Comparison.GE) and not w < c:
        word = "below"
    elif tiers.op in (Comparison.LT, Comparison.LE) and not w > c:
        word = "above"
    elif tiers.op in (Comparison.EQ, Comparison.NE):
        ctx.sink.add(
            tiers.location,
            f"Alert {tiers.warning.name!r}",
            f"tiers need an ordering comparison (>, >=, <, <=), not {tiers.op.value!r}",
        )
        return
    else:
        return
    ctx.sink.add(
        tiers.warning.location,
        f"Alert {tiers.warning.name!r}",
        f"warning threshold {_num(w)} is not {word} critical {_num(c)}",
    )


def _num(v: float) -> str:
    return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)


def _release(version: str) -> tuple[int, ...]:
    # major.minor.patch only: a pre-release suffix does not order versions of one release here.
    return tuple(int(part) for part in re.split(r"[-+]", version)[0].split("."))


def _has_causes(spec: Alert | Tier) -> bool:
    return spec.runbook is not None and bool(spec.runbook.causes)


def _title(spec: Alert | Tier) -> str:
    return spec.title or conv.title_from_name(spec.name)


def _alert(
    ctx: _Ctx,
    service: Service,
    spec: Alert | Tier,
    severity: Severity,
    rec: Recording,
    op: Comparison,
    absent: bool,
    twin: str | None,
    tier: Severity | None,
    anchor: str,
    catalog: dict[str, frozenset[str]],
) -> ResolvedAlert | None:
    subject = f"Alert {spec.name!r}"
    errors_before = len(ctx.sink.errors)
    unit = rec.signal.unit
    if spec.threshold < 0 and unit in _NON_NEGATIVE:
        ctx.sink.add(
            spec.location,
            subject,
            f"threshold {_num(spec.threshold)} is negative, but a {unit.value} signal never is; "
            "use a value >= 0",
        )
    if unit is Unit.PERCENTUNIT and spec.threshold > 1:
        ctx.sink.add(
            spec.location,
            subject,
            f"threshold {_num(spec.threshold)} on a ratio (percentunit) signal means "
            f"{_num(spec.threshold * 100)}%; write ratios between 0 and 1, e.g. 0.05 for 5%",
        )
    if spec.changed_in and _release(spec.changed_in) > _release(service.version):
        ctx.sink.add(
            spec.location,
            subject,
            f"changed_in {spec.changed_in!r} is newer than the service version {service.version!r}; "
            "bump Service.version or fix changed_in",
        )
    for item in spec.disable:
        if item.check not in checks_registry.BY_ID:
            ctx.sink.add(item.location, subject, f"disable: {checks_registry.unknown_message(item.check)}")
    if spec.runbook is None:
        ctx.sink.add(
            spec.location,
            subject,
            "runbook missing; add runbook=Runbook(actions=[Step(...)]) so on-call knows what to do",
        )
    templates: dict[str, Template] = {}
    description = spec.description or _default_description(rec, op, spec, unit)
    for key, text in (("summary", spec.summary), ("description", description)):
        try:
            templates[key] = parse_template(text)
        except ValueError as exc:
            ctx.sink.add(spec.location, subject, f"{key}: {exc}")
    team = spec.team or service.team
    labels = {
        **service.labels,
        **spec.labels,
        "service": service.name,
        "severity": severity.value,
        "team": team,
        # Routing tells business alerts from service health by it (docs/alertmanager.md).
        "category": spec.category.value,
    }
    threshold = _num(spec.threshold)
    expr = f"{rec.name} {op.value} {threshold}"
    if absent:
        sels = selectors(rec.ast)
        expr = f"{expr} or absent({sels[0].text()})" if sels else expr
    try:
        ast = parse(expr)
    except PromQLError as exc:  # pragma: no cover - built from parsed parts
        ctx.sink.add(spec.location, subject, f"invalid PromQL {expr!r}: {exc}")
        return None
    rec_labels = dict(catalog)
    rec_labels[rec.name] = rec.kept_labels
    kept = flow(ast, rec_labels.get).resolve(frozenset())
    runbook_url = f"{service.runbook_base_url}{service.name}.md#{anchor}"
    dash_url = conv.dashboard_url(service.grafana_url, service.name, service.title, rec.signal.name)
    static_annotations = {"runbook_url": runbook_url, "dashboard_url": dash_url}
    if len(ctx.sink.errors) > errors_before:
        return None
    tests = tuple(
        t
        for ex in spec.examples
        if (t := _test(ctx, spec, ex, ast, rec, labels, templates, static_annotations)) is not None
    )
    missing = [
        kind
        for kind, want in (("firing", True), ("silent", False))
        if not any(ex.fires is want for ex in spec.examples)
    ]
    if missing:
        ctx.warnings.append(
            f"{spec.location}: {subject}: no {' and no '.join(missing)} example; add Example(fires=...) "
            "cases so the generated promtool tests cover both outcomes"
        )
    annotations = {
        "summary": spec.summary,
        "description": description,
        **static_annotations,
    }
    return ResolvedAlert(
        name=spec.name,
        title=_title(spec),
        severity=severity,
        category=spec.category,
        team=team,
        signal=rec.signal,
        record=rec.name,
        op=op,
        threshold=spec.threshold,
        for_=spec.for_,
        keep_firing_for=spec.keep_firing_for,
        expr=expr,
        labels=tuple(sorted(labels.items())),
        annotations=tuple(annotations.items()),
        kept_labels=kept,
        anchor=anchor,
        runbook_url=runbook_url,
        dashboard_url=dash_url,
        runbook=spec.runbook,  # type: ignore[arg-type]  # checked above
        tests=tests,
        location=spec.location,
        tier=tier,
        twin=twin,
        absent=absent,
        changed_in=spec.changed_in,
        disable=spec.disable,
        spec=spec if isinstance(spec, Alert) else None,
    )


def _default_description(rec: Recording, op: Comparison, spec: Alert | Tier, unit: Unit) -> str:
    signal = rec.signal
    what = signal.title or conv.title_from_name(signal.name)
    cond = f"{op.words} {conv.format_value(spec.threshold, unit)}"
    dur = f" for more than {conv.format_duration_words(spec.for_.seconds)}" if spec.for_ else ""
    return f"{what} is {{{{ $value | {conv.value_filter(unit)} }}}} ({cond}{dur})."


def _test(
    ctx: _Ctx,
    spec: Alert | Tier,
    ex: Example,
    ast: Any,
    rec: Recording,
    labels: dict[str, str],
    templates: dict[str, Template],
    static_annotations: dict[str, str],
) -> TestCase | None:
    subject = f"Alert {spec.name!r}"
    where = f"example {ex.name!r}"
    try:
        inputs = [series_labels(s) for s in ex.series]
    except ValueError as exc:
        ctx.sink.add(ex.location, subject, f"{where}: {exc}")
        return None
    exp_labels: dict[str, str] = {}
    exp_annotations: dict[str, str] = {}
    if ex.fires:
        if ex.labels is not None:
            produced = dict(ex.labels)
        else:
            seen = (rec.name, rec.expr, tuple(ex.series))
            recorded = ctx.recorded.get(seen)
            if recorded is None:
                recorded = ctx.recorded[seen] = [
                    {**labels, "__name__": rec.name} for labels in evaluate(rec.ast, inputs)
                ]
            # What evaluate(ast, inputs, {rec.name: rec.ast}) computes, the recording part remembered.
            results = evaluate(ast, inputs + recorded)
            if len(results) != 1:
                ctx.sink.add(
                    ex.location,
                    subject,
                    f"{where}: its series yield {len(results)} alerts; give the expected labels "
                    "with labels={...} or use series of one group",
                )
                return None
            produced = results[0]
        exp_labels = {**produced, **labels}
        if ex.value is None and any(t.uses_value for t in templates.values()):
            ctx.sink.add(
                ex.location,
                subject,
                f"{where}: the annotations show $value; give the alert's value at {ex.at} as value=",
            )
            return None
        # Prometheus expands templates with the query's labels only; static rule labels come later.
        for key, tmpl in templates.items():
            exp_annotations[key] = tmpl.expand(produced, ex.value)
        exp_annotations.update(static_annotations)
    return TestCase(
        name=ex.name,
        series=ex.series,
        interval=ex.interval,
        at=ex.at,
        fires=ex.fires,
        exp_labels=tuple(sorted(exp_labels.items())),
        exp_annotations=tuple(sorted(exp_annotations.items())),
    )
