"""One service's alerts resolved: tiers expanded, labels, annotations and promtool cases derived."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from . import conventions as conv
from .checks import registry as checks_registry
from .errors import ErrorSink
from .gotemplate import Template, parse_template
from .model import Recording, ResolvedAlert, TestCase
from .promql import PromQLError, flow, parse, selectors
from .promql.concrete import evaluate, series_labels
from .spec import Alert, Example, Service, Signal, Tier, Tiers
from .spec.types import Comparison, Severity, Unit

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
class Ctx:
    """What resolving one spec module collects: its errors and warnings."""

    sink: ErrorSink
    warnings: list[str] = field(default_factory=list)
    # A recording rule's result series per (rule, example series): the tiers of one signal and
    # the firing examples of an alert often share their series.
    recorded: dict[tuple[str, str, tuple[str, ...]], list[dict[str, str]]] = field(default_factory=dict)


Expanded = tuple[Alert | Tier, Severity, Signal, Comparison, bool, str | None, Severity | None]


def expand(ctx: Ctx, service: Service) -> list[Expanded]:
    out: list[Expanded] = []
    for item in service.alerts:
        if item.invalid:
            continue
        if isinstance(item, Alert):
            out.append((item, item.severity, item.signal, item.op, item.absent, None, None))
            continue
        warning, critical = item.warning, item.critical
        if all(
            isinstance(t.threshold, int | float) and math.isfinite(t.threshold) for t in (warning, critical)
        ):
            _tier_order(ctx, item)  # also when a tier has other errors: report them all at once
        if warning.invalid or critical.invalid:
            continue
        pair: list[Expanded] = [
            (critical, Severity.CRITICAL, item.signal, item.op, False, warning.name, Severity.CRITICAL),
            (warning, Severity.WARNING, item.signal, item.op, False, critical.name, Severity.WARNING),
        ]
        # Source order, so that "first defined at" names the earlier line.
        out.extend(sorted(pair, key=lambda t: t[0].location))
    return out


def _tier_order(ctx: Ctx, tiers: Tiers) -> None:
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
    return str(int(v)) if math.isfinite(v) and v == int(v) and abs(v) < 1e15 else repr(v)


def _release(version: str) -> tuple[int, ...]:
    # major.minor.patch only: a pre-release suffix does not order versions of one release here.
    return tuple(int(part) for part in re.split(r"[-+]", version)[0].split("."))


def has_causes(spec: Alert | Tier) -> bool:
    return spec.runbook is not None and bool(spec.runbook.causes)


def title(spec: Alert | Tier) -> str:
    return spec.title or conv.title_from_name(spec.name)


def resolve_alert(
    ctx: Ctx,
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
    generated = {
        "alertname": (spec.name, "from the alert's name"),
        "service": (service.name, "from Service.name"),
        "severity": (severity.value, "from severity= or the tier"),
        "team": (team, "from team= or Service.team"),
        "category": (spec.category.value, "from category="),
    }
    for owner, given in (("labels", spec.labels), ("the service's labels", service.labels)):
        for name in sorted(given.keys() & generated.keys()):
            value, source = generated[name]
            ctx.sink.add(
                spec.location,
                subject,
                f"{owner} set {name}={given[name]!r}, but alertgen sets {name}={value!r} ({source}); "
                "remove it from labels=",
            )
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
        title=title(spec),
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
    ctx: Ctx,
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
