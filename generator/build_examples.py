"""An alert's examples resolved into promtool cases: the alerts each example expects, worked out.

The evaluator knows labels, not values (promql/concrete.py): it says which series an expression
can return. An example that fires expects the one alert its series give; where they give
several, or none, the example must say which (`labels=` or `alerts=`): alertgen never guesses a
count, and promtool, which knows the values, judges what the example claims.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import promql_parser as pp

from .errors import ErrorSink
from .gotemplate import Template
from .model import Expected, Recording, TestCase
from .promql import selectors, walk_nodes
from .promql.concrete import Labels, evaluate, selects_any, series_labels
from .promql.values import evaluate_at
from .spec import Alert, Example, Tier

# Series recorded per (records evaluated, example series), shared by one module's alerts.
Recorded = dict[tuple[tuple[str, ...], tuple[str, ...]], list[Labels]]


def example_case(
    sink: ErrorSink,
    recorded: Recorded,
    spec: Alert | Tier,
    ex: Example,
    ast: Any,
    records: Mapping[str, tuple[Recording, ...]],
    labels: Mapping[str, str],
    templates: Mapping[str, Template],
    static_annotations: Mapping[str, str],
    step_s: float,
) -> TestCase | None:
    """One example as a promtool case, or None with its error reported; `step_s` is how often
    the generated tests evaluate the rules (the service's evaluation_interval)."""
    subject = f"Alert {spec.name!r}"
    where = f"example {ex.name!r}"
    try:
        inputs = [series_labels(s) for s in ex.series]
    except ValueError as exc:
        sink.add(ex.location, subject, f"{where}: {exc}")
        return None
    fired: list[tuple[dict[str, str], float | None, dict[str, str] | None]] = []
    if ex.fires:
        if ex.alerts is not None:
            fired = [(dict(f.labels), f.value, f.annotations) for f in ex.alerts]
        elif ex.labels is not None:
            fired = [(dict(ex.labels), ex.value, None)]
        else:
            needed = chain(ast, records)
            key = (tuple(r.name for r in needed), tuple(ex.series))
            made = recorded.get(key)
            if made is None:
                made = recorded[key] = record_series(needed, inputs)
            results = evaluate(ast, inputs + made)
            if len(results) != 1:
                sink.add(ex.location, subject, f"{where}: {_count_advice(len(results), ast, inputs + made)}")
                return None
            fired = [(results[0], ex.value, None)]
    expected = []
    beyond = next((t.beyond for t in templates.values() if not t.expandable), "")
    for produced, value, given in fired:
        if given is not None:
            expected.append(
                Expected(tuple(sorted({**produced, **labels}.items())), tuple(sorted(given.items())))
            )
            continue
        if beyond:
            sink.add(
                ex.location,
                subject,
                f"{where}: alertgen cannot expand {beyond} to foresee the annotations; give them: "
                "alerts=[Fired(labels={...}, annotations={...})]",
            )
            return None
        shown = any(t.uses_value for t in templates.values())
        worked = _value(ex, ast, records, produced, step_s) if shown else None
        if value is None and worked is None and shown:
            sink.add(
                ex.location,
                subject,
                f"{where}: the annotations show $value, which alertgen cannot work out for this "
                f"example; give the alert's value at {ex.at} as value=",
            )
            return None
        if (
            value is not None
            and worked is not None
            and _texts(templates, produced, value) != (_texts(templates, produced, worked))
        ):
            sink.add(
                ex.location,
                subject,
                f"{where}: value={value!r}, but its series give {worked!r} at {ex.at}, so promtool would "
                "see other annotations; fix value= or leave it out (alertgen works it out)",
            )
            return None
        # Prometheus expands templates with the query's labels only; static rule labels come later.
        annotations = _texts(templates, produced, worked if value is None else value)
        annotations.update(static_annotations)
        expected.append(
            Expected(tuple(sorted({**produced, **labels}.items())), tuple(sorted(annotations.items())))
        )
    return TestCase(
        name=ex.name,
        series=ex.series,
        interval=ex.interval,
        at=ex.at,
        fires=ex.fires,
        expected=tuple(expected),
    )


def _texts(
    templates: Mapping[str, Template], labels: Mapping[str, str], value: float | None
) -> dict[str, str]:
    return {key: tmpl.expand(labels, value) for key, tmpl in templates.items()}


def _value(
    ex: Example,
    ast: Any,
    records: Mapping[str, tuple[Recording, ...]],
    labels: Mapping[str, str],
    step_s: float,
) -> float | None:
    """The alert's value at the example's time, as promtool evaluates it, or None where alertgen
    cannot tell (promql/values.py evaluates a subset exactly)."""
    if ex.interval.seconds != step_s:
        return None  # promtool loads samples up to its evaluation steps: keep to one grid
    at = ex.at.seconds // step_s * step_s  # the evaluation an alert_rule_test sees
    needed = [(r.name, r.ast, r.signal.labels) for r in chain(ast, records)]
    found = evaluate_at(ast, ex.series, step_s, at, needed)
    want = dict(labels)
    # An alert's labels are its query's without the metric name a comparison may keep.
    values = [v for got, v in found or () if {k: x for k, x in got.items() if k != "__name__"} == want]
    return values[0] if len(values) == 1 else None


def chain(ast: Any, records: Mapping[str, tuple[Recording, ...]]) -> list[Recording]:
    """The recording rules an expression reads, directly or through other records, each after
    the records it reads (the order a rule group evaluates them in)."""
    out: list[Recording] = []
    seen: set[str] = set()

    def visit(node: Any) -> None:
        for sel in selectors(node):
            if sel.name in records and sel.name not in seen:
                seen.add(sel.name)
                for rec in records[sel.name]:
                    visit(rec.ast)
                out.extend(records[sel.name])

    visit(ast)
    return out


def record_series(needed: list[Recording], inputs: list[Labels]) -> list[Labels]:
    """The series `needed` records make from `inputs`, in order, each reading those before it."""
    made: list[Labels] = []
    for rec in needed:
        extra = dict(rec.signal.labels)
        made.extend({**out, **extra, "__name__": rec.name} for out in evaluate(rec.ast, inputs + made))
    return made


def _absent_of_expression(ast: Any) -> bool:
    """Whether the condition holds `absent(<not a plain selector>)`, decided by values alone."""
    return any(
        isinstance(node, pp.Call)
        and node.func.name in ("absent", "absent_over_time")
        and not isinstance(node.args[0], pp.VectorSelector | pp.MatrixSelector)
        for node, _ in walk_nodes(ast)
    )


def _count_advice(count: int, ast: Any, series: list[Labels]) -> str:
    """Why an example cannot be worked out, and what to write instead."""
    if count == 0 and _absent_of_expression(ast):
        return (
            "alertgen reads labels, not values, so it cannot tell whether absent() of an expression "
            "fires; say what fires: labels={} (absent() of an expression gives no labels), or fires=False"
        )
    if count == 0:
        unmatched = [sel.text() for sel in selectors(ast) if not selects_any(sel.name, sel.matchers, series)]
        if unmatched:
            return (
                f"no series it gives matches {unmatched[0]}, so the expression has no result and no "
                "alert fires; add such a series or set fires=False"
            )
        return (
            "every selector of the expression matches a series it gives, yet the expression returns "
            "nothing: its binary operations join sides whose labels differ (e.g. sum by (job) / "
            "sum by (job, namespace)); match them with on(...)/ignoring(...) or the same by (...)"
        )
    return (
        f"its series give {count} alerts; list the ones that fire with alerts=[Fired(labels=...), ...], "
        "or give the one with labels={...}"
    )
