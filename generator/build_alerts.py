"""One service's alerts resolved: tiers expanded, labels, annotations and promtool cases derived."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import conventions as conv
from .build_condition import condition, drawn, number, parse_or_none, spec_expr
from .build_examples import example_case
from .checks import registry as checks_registry
from .describe import default_description
from .errors import ErrorSink
from .gotemplate import Template, parse_template
from .layout import panel_ids
from .model import AlertRunbook, Recording, ResolvedAlert
from .promql import flow
from .spec import Alert, Service, Signal, Tier, Tiers
from .spec.house import DEFAULT as DEFAULT_CONVENTIONS
from .spec.house import Conventions
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
    """What resolving one spec module collects: its errors and warnings, under its conventions."""

    sink: ErrorSink
    conventions: Conventions = DEFAULT_CONVENTIONS
    warnings: list[str] = field(default_factory=list)
    # The recorded series per (records evaluated, example series): the tiers of one signal and
    # the firing examples of an alert often share their series.
    recorded: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict[str, str]]] = field(
        default_factory=dict
    )


# (spec, severity, signal, comparison, absent, twin's name, tier)
Expanded = tuple[Alert | Tier, str, Signal | None, Comparison | None, bool, str | None, Severity | None]


def expand(ctx: Ctx, service: Service) -> list[Expanded]:
    """Every alert of the service as one entry, a Tiers as its two tiers, in source order."""
    out: list[Expanded] = []
    severities = ctx.conventions.severities
    for item in service.all_alerts():
        if item.invalid:
            continue
        if isinstance(item, Alert):
            if item.severity not in severities:
                ctx.sink.add(
                    item.location,
                    f"Alert {item.name!r}",
                    f"severity {item.severity!r} is not one of this repository's severities "
                    f"({', '.join(map(repr, severities))}); use one, or list it in "
                    "Conventions(severities=...)",
                )
                continue
            op = item.op if item.expr is None else None
            out.append((item, item.severity, item.signal, op, item.absent, None, None))
            continue
        warning, critical = item.warning, item.critical
        if all(
            isinstance(t.threshold, int | float) and math.isfinite(t.threshold) for t in (warning, critical)
        ):
            _tier_order(ctx, item)  # also when a tier has other errors: report them all at once
        if len(severities) < 2:
            ctx.sink.add(
                item.location,
                f"Alert {item.name!r}",
                f"tiers take the two most urgent severities, but Conventions(severities=...) lists "
                f"only {severities[0]!r}; list two or write two Alerts",
            )
            continue
        if warning.invalid or critical.invalid:
            continue
        if warning.name == critical.name:
            ctx.sink.add(item.location, f"Alert {item.name!r}", "the two tiers need two names")
            continue
        pair: list[Expanded] = [
            (critical, severities[0], item.signal, item.op, False, warning.name, Severity.CRITICAL),
            (warning, severities[1], item.signal, item.op, False, critical.name, Severity.WARNING),
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
        f"warning threshold {number(w)} is not {word} critical {number(c)}",
    )


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
    item: Expanded,
    rec: Recording | None,
    anchor: str,
    records: Mapping[str, tuple[Recording, ...]],
    lookup: Mapping[str, frozenset[str]],
) -> ResolvedAlert | None:
    """One alert resolved: its expression, labels, annotations and promtool cases.

    `rec` is the recording rule of a threshold alert's signal; `records` every recording rule of
    the service by name, and `lookup` the labels each series name carries (catalog and records).
    """
    spec, severity, signal, op, absent, twin, tier = item
    subject = f"Alert {spec.name!r}"
    errors_before = len(ctx.sink.errors)
    threshold = spec.threshold
    if rec is not None and threshold is not None:
        _threshold_sense(ctx, spec, threshold, rec.signal.unit)
    if spec.changed_in and _release(spec.changed_in) > _release(service.version):
        ctx.sink.add(
            spec.location,
            subject,
            f"changed_in {spec.changed_in!r} is newer than the service version {service.version!r}; "
            "bump Service.version or fix changed_in",
        )
    for entry in spec.disable:
        if entry.check not in checks_registry.BY_ID:
            ctx.sink.add(entry.location, subject, f"disable: {checks_registry.unknown_message(entry.check)}")
    house = ctx.conventions
    if spec.inhibits_service and house.service_label is None:
        ctx.sink.add(
            spec.location,
            subject,
            "inhibits_service=True silences the alerts of its service, which alertgen tells apart by the "
            "service label, but Conventions(service_label=None) turns it off",
        )
    if spec.runbook is None and spec.runbook_url is None and house.runbook_annotation is not None:
        ctx.sink.add(
            spec.location,
            subject,
            "runbook missing; add runbook=Runbook(actions=[Step(...)]) so on-call knows what to do, "
            "or runbook_url= where it is kept",
        )
    description = spec.description
    if not description and rec is not None and op is not None and threshold is not None:
        description = default_description(rec, op, spec.for_, threshold)
    texts = {
        **({"summary": spec.summary} if spec.summary is not None else {}),
        **({"description": description} if description else {}),
    }
    if spec.summary is None and "summary" not in spec.annotations:
        ctx.warnings.append(
            f"{spec.location}: {subject}: no summary=; notifications show no headline for it, so write one"
        )
    for key in sorted(spec.annotations.keys() & {"summary", "description"} & (texts.keys())):
        ctx.sink.add(spec.location, subject, f"annotations set {key!r}; write it as {key}= instead")
    texts.update({k: v for k, v in spec.annotations.items() if k not in texts})
    templates: dict[str, Template] = {}
    for key, text in texts.items():
        try:
            templates[key] = parse_template(text)
        except ValueError as exc:
            ctx.sink.add(spec.location, subject, f"{key}: {exc}")
    team = spec.team or service.team
    labels = _labels(ctx, service, spec, severity, team)
    expr = condition(spec, rec, op, threshold, absent)
    if expr is None:
        return None
    ast = parse_or_none(ctx.sink, spec, expr, records, lookup)
    if ast is None:
        return None
    if spec_expr(spec) is not None:
        signal, op, threshold = drawn(ast, signal, records)
    base = house.runbook_base(service.runbook_base_url)
    runbook_url = spec.runbook_url or (f"{base}{service.name}.md#{anchor}" if base else "")
    if not runbook_url and house.runbook_annotation is not None:
        ctx.sink.add(
            spec.location,
            subject,
            f"its {house.runbook_annotation} links the generated runbook, but service "
            f"{service.name!r} has no runbook_base_url; set it (where output/runbooks/ is published), or "
            "Conventions(runbook_base_url=...) for every service, "
            "or give runbook_url=",
        )
    panel = panel_ids(service).get(signal.name) if signal is not None else None
    dash_url = conv.dashboard_url(service.grafana_url, service.name, service.title, panel)
    static_annotations = {}
    # A runbook_url the spec gives is the user's: kept even where the convention links none.
    runbook_key = house.runbook_annotation or ("runbook_url" if spec.runbook_url else None)
    if not runbook_url:
        runbook_key = None
    for name, value in ((runbook_key, runbook_url), (house.dashboard_annotation, dash_url)):
        if name is None:
            continue
        if name in texts:
            what = "runbook_url=" if name == runbook_key else "the dashboard link"
            ctx.sink.add(
                spec.location,
                subject,
                f"annotations set {name}={texts[name]!r}, but alertgen sets {name} from {what} "
                f"({value!r}); remove it from annotations= or rename the convention",
            )
        static_annotations[name] = value
    if len(ctx.sink.errors) > errors_before:
        return None
    kept = flow(ast, lookup.get).resolve(frozenset())
    tests = tuple(
        t
        for ex in spec.examples
        # A rejected example's error is reported; its series are not read again.
        if not ex.invalid
        and (
            t := example_case(
                ctx.sink,
                ctx.recorded,
                spec,
                ex,
                ast,
                records,
                labels,
                templates,
                static_annotations,
                service.evaluation_interval.seconds,
            )
        )
        is not None
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
    return ResolvedAlert(
        name=spec.name,
        title=title(spec),
        severity=severity,
        category=spec.category,
        team=team,
        signal=signal,
        record=rec.name if rec is not None and spec_expr(spec) is None else None,
        op=op,
        threshold=threshold,
        for_=spec.for_,
        keep_firing_for=spec.keep_firing_for,
        expr=expr,
        labels=tuple(sorted(labels.items())),
        annotations=tuple({**texts, **static_annotations}.items()),
        kept_labels=kept,
        anchor=anchor,
        runbook_url=runbook_url,
        dashboard_url=dash_url,
        runbook=AlertRunbook.of(spec.runbook) if spec.runbook is not None else None,
        tests=tests,
        location=spec.location,
        tier=tier,
        twin=twin,
        absent=absent,
        changed_in=spec.changed_in,
        disable=spec.disable,
        rank=house.rank(severity),
        runbook_elsewhere=spec.runbook_url,
        evaluation=_evaluation(spec, signal),
        inhibits_service=spec.inhibits_service,
    )


def _evaluation(spec: Alert | Tier, signal: Signal | None) -> str:
    """Where the rule is evaluated: the alert's own choice, else its signal's, else `source`."""
    if isinstance(spec, Alert) and spec.evaluation is not None:
        return spec.evaluation
    return signal.evaluation if signal is not None else "source"


def _threshold_sense(ctx: Ctx, spec: Alert | Tier, threshold: float, unit: Unit) -> None:
    subject = f"Alert {spec.name!r}"
    if threshold < 0 and unit in _NON_NEGATIVE:
        ctx.sink.add(
            spec.location,
            subject,
            f"threshold {number(threshold)} is negative, but a {unit.value} signal never is; "
            "use a value >= 0",
        )
    if unit is Unit.PERCENTUNIT and threshold > 1:
        ctx.sink.add(
            spec.location,
            subject,
            f"threshold {number(threshold)} on a ratio (percentunit) signal means "
            f"{number(threshold * 100) if threshold < 1e300 else 'more than 100'}%; "
            "write ratios between 0 and 1, e.g. 0.05 for 5%",
        )


def _labels(ctx: Ctx, service: Service, spec: Alert | Tier, severity: str, team: str) -> dict[str, str]:
    """The user's labels (service-wide, then the alert's) and the standard ones the conventions add;
    a label set both ways is an error naming both values."""
    house = ctx.conventions
    sources = {
        "service": (service.name, "from Service.name"),
        "team": (team, "from team= or Service.team"),
        "category": (spec.category.value, "from category="),
        "severity": (severity, "from severity= or the tier"),
    }
    generated = {"alertname": (spec.name, "from the alert's name")}
    for role, name in house.labels().items():
        if name is not None:
            generated[name] = sources[role]
    for owner, given in (("labels", spec.labels), ("the service's labels", service.labels)):
        for name in sorted(given.keys() & generated.keys()):
            value, source = generated[name]
            fix = (
                "remove it from labels="
                if name == "alertname"
                else ("remove it from labels=, or rename or turn off that label in Conventions")
            )
            ctx.sink.add(
                spec.location,
                f"Alert {spec.name!r}",
                f"{owner} set {name}={given[name]!r}, but alertgen sets {name}={value!r} ({source}); {fix}",
            )
    labels = {**service.labels, **spec.labels}
    labels.update({name: value for name, (value, _) in generated.items() if name != "alertname"})
    return labels
