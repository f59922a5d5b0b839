"""Label sets an expression returns for concrete input series (values ignored).

Examples in specs name their input series; the expected labels of the alert they produce are
worked out here, then promtool checks them. So this evaluator is tested against Prometheus on
every `make test`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import promql_parser as pp

from .analysis import matcher_tuples

Labels = dict[str, str]


def series_labels(selector: str) -> Labels:
    """The labels of a promtool input series written as `name{a="b"}`."""
    return dict(_series_labels(selector))


# `name{a="b", c="d"}` as examples write it (no escapes, no `__name__` inside): read without the
# PromQL parser, which took 0.4 s for the 25,000 distinct input series of 10,000 alerts. Any
# other text goes to the parser, which also gives the errors (tests/test_series_labels.py).
_PAIR = r'[a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*"'
_PLAIN_SERIES = re.compile(rf"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{{({_PAIR}(?:, ?{_PAIR})*)\}})?")
_PLAIN_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"')
# Metric names the parser reads as something else (or refuses) before a `{`.
_RESERVED = frozenset(
    {"on", "ignoring", "group_left", "group_right", "bool", "atan2", "inf", "nan", "and", "or", "unless"}
)


@lru_cache(maxsize=4096)
def _series_labels(selector: str) -> tuple[tuple[str, str], ...]:
    # Examples of one alert repeat their series with other values: each selector is parsed once
    # while its alert is built; bounded, as nothing needs them afterwards.
    plain = _PLAIN_SERIES.fullmatch(selector)
    if plain and plain.group(1).lower() not in _RESERVED and "__name__=" not in selector:
        labels = {"__name__": plain.group(1)}
        labels.update(_PLAIN_LABEL.findall(plain.group(2) or ""))
        return tuple(labels.items())
    node = pp.parse(selector)
    if not isinstance(node, pp.VectorSelector):
        raise ValueError(f'input series {selector!r} is not a series selector like name{{label="value"}}')
    labels = {"__name__": node.name or ""}
    for name, op, value in matcher_tuples(node):
        if op != "=":
            raise ValueError(f"input series {selector!r} must use '=' for every label")
        labels[name] = value
    return tuple(labels.items())


def selects_any(name: str, matchers: tuple[tuple[str, str, str], ...], inputs: list[Labels]) -> bool:
    """Whether a selector (metric name and matchers) matches any of `inputs`."""
    return any(_matches(labels, name, matchers) for labels in inputs)


def _matches(labels: Labels, name: str, matchers: tuple[tuple[str, str, str], ...]) -> bool:
    if name and labels.get("__name__") != name:
        return False
    for label, op, value in matchers:
        have = labels.get(label, "")
        # Only the matcher's own operator is evaluated: an `=` value is never compiled as a regex.
        if op == "=":
            ok = have == value
        elif op == "!=":
            ok = have != value
        elif op == "=~":
            ok = re.fullmatch(value, have) is not None
        elif op == "!~":
            ok = re.fullmatch(value, have) is None
        else:
            raise KeyError(op)
        if not ok:
            return False
    return True


def _dedupe(items: list[Labels]) -> list[Labels]:
    seen: dict[tuple[tuple[str, str], ...], Labels] = {}
    for item in items:
        seen.setdefault(tuple(sorted(item.items())), item)
    return list(seen.values())


def _drop_name(items: list[Labels]) -> list[Labels]:
    return _dedupe([{k: v for k, v in i.items() if k != "__name__"} for i in items])


def evaluate(node: Any, inputs: list[Labels], recordings: dict[str, Any] | None = None) -> list[Labels]:
    """The label sets `node` yields on `inputs`, assuming every comparison holds.

    `recordings` maps recording rule names to their parsed expressions, which are evaluated
    in place of a selector of that name (promtool computes them from the same inputs).
    """
    if recordings:
        inputs = inputs + [
            {**labels, "__name__": name}
            for name, expr in recordings.items()
            for labels in evaluate(expr, inputs)
        ]
    return _eval(node, inputs)


def _eval(node: Any, inputs: list[Labels]) -> list[Labels]:
    if isinstance(node, pp.VectorSelector):
        name, matchers = node.name or "", matcher_tuples(node)
        return [dict(i) for i in inputs if _matches(i, name, matchers)]
    if isinstance(node, pp.MatrixSelector):
        return _eval(node.vector_selector, inputs)
    if isinstance(node, (pp.ParenExpr, pp.UnaryExpr, pp.SubqueryExpr)):
        return _eval(node.expr, inputs)
    if isinstance(node, (pp.NumberLiteral, pp.StringLiteral)):
        return []
    if isinstance(node, pp.AggregateExpr):
        inner = _eval(node.expr, inputs)
        mod = node.modifier
        if str(node.op) in ("topk", "bottomk", "limitk"):
            return inner
        if not inner:
            return []
        if mod is None:
            return [{}]
        keep = set(mod.labels)
        if str(mod.type).endswith("By"):
            return _dedupe([{k: v for k, v in i.items() if k in keep} for i in inner])
        return _drop_name([{k: v for k, v in i.items() if k not in keep} for i in inner])
    if isinstance(node, pp.Call):
        return _call(node, inputs)
    if isinstance(node, pp.BinaryExpr):
        return _binary(node, inputs)
    return []


def _call(node: Any, inputs: list[Labels]) -> list[Labels]:
    name = node.func.name
    if name in ("absent", "absent_over_time"):
        arg = node.args[0]
        if _eval(arg, inputs):
            return []
        vs = arg.vector_selector if isinstance(arg, pp.MatrixSelector) else arg
        if not isinstance(vs, pp.VectorSelector):
            return [{}]  # absent(up == 1): labels only come from a plain selector's `=` matchers
        return [{n: v for n, op, v in matcher_tuples(vs) if op == "="}]
    if name in ("vector", "time"):
        return [{}]
    args = [a for a in node.args if not isinstance(a, (pp.NumberLiteral, pp.StringLiteral))]
    if not args:
        return []
    inner = _eval(args[-1] if name == "histogram_quantile" else args[0], inputs)
    if name == "histogram_quantile":
        return _drop_name([{k: v for k, v in i.items() if k != "le"} for i in inner])
    return _drop_name(inner)


def _signature(labels: Labels, mod: Any) -> tuple[tuple[str, str], ...]:
    matching = getattr(mod, "matching", None) if mod is not None else None
    if matching is not None and str(matching.type).endswith("Include"):
        keys = set(matching.labels)
        return tuple(sorted((k, v) for k, v in labels.items() if k in keys))
    drop = {"__name__"} | (set(matching.labels) if matching is not None else set())
    return tuple(sorted((k, v) for k, v in labels.items() if k not in drop))


# Functions whose result is a scalar, not a vector.
_SCALAR_FUNCTIONS = frozenset({"time", "pi", "scalar"})


def _is_scalar(node: Any) -> bool:
    """Whether `node` is a scalar: a number, `time()`, or arithmetic of scalars (`7.5 * (10 ^ 12)`)."""
    if isinstance(node, pp.NumberLiteral):
        return True
    if isinstance(node, (pp.ParenExpr, pp.UnaryExpr)):
        return _is_scalar(node.expr)
    if isinstance(node, pp.Call):
        return node.func.name in _SCALAR_FUNCTIONS
    if isinstance(node, pp.BinaryExpr):
        return _is_scalar(node.lhs) and _is_scalar(node.rhs)
    return False


def _binary(node: Any, inputs: list[Labels]) -> list[Labels]:
    op = str(node.op)
    lhs_scalar = _is_scalar(node.lhs)
    rhs_scalar = _is_scalar(node.rhs)
    if lhs_scalar and rhs_scalar:
        return []
    if lhs_scalar or rhs_scalar:
        side = node.rhs if lhs_scalar else node.lhs
        return _drop_name(_eval(side, inputs))
    lhs, rhs = _eval(node.lhs, inputs), _eval(node.rhs, inputs)
    mod = node.modifier
    rhs_sigs = {_signature(r, mod) for r in rhs}
    if op == "or":
        lhs_sigs = {_signature(lval, mod) for lval in lhs}
        return _drop_name(lhs + [r for r in rhs if _signature(r, mod) not in lhs_sigs])
    if op == "unless":
        return _drop_name([lval for lval in lhs if _signature(lval, mod) not in rhs_sigs])
    matched = [lval for lval in lhs if _signature(lval, mod) in rhs_sigs]
    matching = getattr(mod, "matching", None) if mod is not None else None
    card = str(getattr(mod, "card", "")) if mod is not None else ""
    if op != "and" and (card.endswith("OneToOne") or not card) and matching is not None:
        if str(matching.type).endswith("Include"):
            keep = set(matching.labels)
            matched = [{k: v for k, v in m.items() if k in keep} for m in matched]
        else:
            matched = [{k: v for k, v in m.items() if k not in set(matching.labels)} for m in matched]
    return _drop_name(matched)
