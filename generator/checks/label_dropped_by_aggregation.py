"""label/dropped-by-aggregation: a label something relies on that the alert does not carry.

Annotation templates see the query's labels only (Prometheus expands `$labels` before it adds
the rule's static labels); routes, inhibitions and grouping see the firing alert's labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..artifacts.rules import Rule
from .base import Check, Level, Problem, Scope, at_rule
from .context import Context

_TEMPLATE_LABEL = re.compile(
    r"\$labels\.([A-Za-z_]\w*)|\.Labels\.([A-Za-z_]\w*)|index\s+\$labels\s+\"([A-Za-z_]\w*)\""
)


def run(ctx: Context) -> Iterator[Problem]:
    """Every label a template relies on is kept by the query."""
    for rule in ctx.alerts:
        if not ctx.labels.parsed(rule):
            continue  # promql/syntax reports it
        query = ctx.labels.guaranteed(rule)
        for key, text in sorted(rule.annotations.items()):
            for label in sorted(template_labels(text) - query):
                if label in rule.labels:
                    why = (
                        f"{label!r} is a static label of the rule, and Prometheus expands annotation "
                        "templates with the query's labels only"
                    )
                    fix = "write its value literally, or keep the label in the query"
                else:
                    why = explain(ctx, rule, label)
                    fix = fix_for(ctx, rule, label, "drop it from the template")
                yield at_rule(
                    rule,
                    f"annotation {key!r} shows {{{{ $labels.{label} }}}}, which expands to nothing: "
                    f"{why}; {fix}",
                    rule.annotation_lines.get(key),
                )
    yield from _alertmanager(ctx)


def _alertmanager(ctx: Context) -> Iterator[Problem]:
    """Each problem once, though every environment's config repeats the same tree."""
    seen: set[tuple[str, str, str]] = set()
    for rule, label, consumer, path in _consumers(ctx):
        key = (rule.path, rule.name, label + consumer)
        if key not in seen:
            seen.add(key)
            yield _problem(ctx, rule, label, consumer.replace("{path}", path))


def _consumers(ctx: Context) -> Iterator[tuple[Rule, str, str, str]]:
    """`(alert, label, what relies on it, config)`: labels routes, `group_by` and `equal` need, dropped."""
    # Prometheus adds its external labels to every alert it sends: a source alert has them whatever
    # its query keeps; at the global tier every input has them (eval/global-labels checks those).
    layer = ctx.model.targets.global_layer
    external = frozenset(layer.external_labels if layer is not None else ())
    for path, flow in ctx.route_flows.items():
        config = flow.config
        for rule in ctx.alerts:
            if not ctx.labels.parsed(rule):
                continue
            for route, label in flow.visit(rule).blocked:
                if label in external:
                    continue
                if ctx.labels.dropped_by(rule, label) is not None:
                    yield rule, label, f"{config.describe(route)} in {{path}} matches on it", path
            runtime = ctx.labels.runtime(rule)
            for route in flow.final(rule):
                for label in route.group_by or ():
                    if label != "..." and label not in runtime and ctx.labels.dropped_by(rule, label):
                        yield (
                            rule,
                            label,
                            f"{config.describe(route)} in {{path}} groups by it, so alerts that "
                            "differ only in it share one notification",
                            path,
                        )
    index = ctx.inhibit_index
    for path, config in ctx.alertmanagers.items():
        for i, inhibit in enumerate(config.inhibit):
            for side, matchers in (("source", inhibit.source), ("target", inhibit.target)):
                for rule in index.side(matchers):
                    for label in inhibit.equal:
                        if label in ctx.labels.runtime(rule) or ctx.labels.dropped_by(rule, label) is None:
                            continue
                        yield (
                            rule,
                            label,
                            f"{config.describe_inhibit(i)} in {{path}} needs it equal on source and "
                            f"target (this alert is a {side}), and an empty value never equals the "
                            "other side's, so the inhibition does not happen",
                            path,
                        )


def _problem(ctx: Context, rule: Rule, label: str, consumer: str) -> Problem:
    return at_rule(
        rule,
        f"label {label!r} is not on the alert, yet {consumer}: {explain(ctx, rule, label)}; "
        f"{fix_for(ctx, rule, label, 'stop relying on it')}",
        rule.expr_line,
    )


def template_labels(text: str) -> frozenset[str]:
    """The label names a Go template reads through `$labels`."""
    return frozenset(next(g for g in m.groups() if g) for m in _TEMPLATE_LABEL.finditer(text))


def explain(ctx: Context, rule: Rule, label: str) -> str:
    """Why `rule`'s result lacks `label`: which aggregation drops it, or that no input has it."""
    culprit = ctx.labels.dropped_by(rule, label)
    if culprit is None:
        return f"no series the query reads carries {label!r}"
    keeps = ", ".join(sorted(ctx.labels.guaranteed(culprit))) or "no labels"
    if culprit is rule:
        return f"the alert's own expression drops {label!r} (its result keeps {keeps})"
    return (
        f"recording rule {culprit.name!r} ({culprit.path}:{culprit.expr_line}) drops {label!r} "
        f"in its aggregation (it keeps {keeps})"
    )


def fix_for(ctx: Context, rule: Rule, label: str, otherwise: str) -> str:
    """What to change: keep the label in the aggregation that drops it, or stop relying on it."""
    culprit = ctx.labels.dropped_by(rule, label)
    if culprit is None:
        return otherwise
    return f"add {label} to the by (...) of that aggregation in the signal's expr, or {otherwise}"


CHECK = Check(
    "label/dropped-by-aggregation",
    Level.ERROR,
    "a label relied on by routing, inhibition, grouping or a template is not on the alert",
    run,
    scope=Scope.GLOBAL,
)
