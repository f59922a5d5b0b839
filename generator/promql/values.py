"""The values an expression takes at one instant on promtool input series (a subset of PromQL).

concrete.py works out the labels an example's alert carries; this works out its `$value`, so a
spec need not write it by hand. It answers exactly as promtool 2.42 does, or None: anything
outside the subset (offset, @, subqueries, group_left, topk, label_replace...) and anything
promtool itself would refuse or answer differently from run to run gives None, never a guess.

Subset: selectors with = != =~ !~; rate irate increase delta {avg,min,max,sum,count}_over_time
abs clamp_min clamp_max histogram_quantile time vector; sum avg min max count with by/without;
+ - * / % ^ and comparisons (bool or filtering) on scalars and vectors, one-to-one with
on/ignoring; and or unless. tests/test_promql_values.py checks each against promtool.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import promql_parser as pp

from . import values_functions as fn
from .analysis import selectors
from .concrete import series_labels
from .values_functions import ARITHMETIC, COMPARISONS, LabelSet, Unsupported, Vector

# A sample is (milliseconds, value); None is a staleness marker (`stale`, or a record gone).
Sample = tuple[int, float | None]
Store = dict[LabelSet, list[Sample]]
Value = float | Vector  # a scalar or an instant vector

LOOKBACK_MS = 5 * 60 * 1000  # Prometheus' default lookback delta, which promtool uses


def evaluate_at(
    node: Any,
    series: Mapping[str, str],
    interval_s: float,
    at_s: float,
    records: Sequence[tuple[str, Any, Mapping[str, str]]] = (),
) -> list[tuple[dict[str, str], float]] | None:
    """Each output series' labels and value at `at_s`, as promtool gives them, or None.

    `series` is promtool's input_series ({selector: values}); `records` are recording rules
    (name, parsed expression, static labels) evaluated in order every `interval_s` from 0.
    `interval_s` is also taken as the evaluation_interval: promtool loads input samples only up
    to its last evaluation step, which hides nothing when both intervals are the same."""
    try:
        interval, at = _ms(interval_s), _ms(at_s)
        if interval <= 0 or at < 0:
            raise Unsupported("times")
        store: Store = {}
        for text, values in series.items():
            try:
                labels = _labelset(series_labels(text))
            except ValueError as exc:
                raise Unsupported(str(exc)) from None
            if labels in store:
                raise Unsupported("a series given twice")
            store[labels] = expand(values, interval)
        if records:
            _materialise(records, store, interval, at, _since(node, records, interval, at))
        result = _eval(node, store, at)
    except (Unsupported, RecursionError):
        return None
    if isinstance(result, float):
        return [({}, result)]  # promtool shows a scalar as a sample without labels
    return [(dict(labels), value) for labels, value in result]


def _ms(seconds: float) -> int:
    ms = round(seconds * 1000)
    if abs(ms - seconds * 1000) > 1e-6:
        raise Unsupported("promtool keeps times in whole milliseconds")
    return ms


def _labelset(labels: Mapping[str, str]) -> LabelSet:
    return tuple(sorted(labels.items()))  # sorted pairs: Prometheus' own label order


_NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
_TOKEN = re.compile(
    rf"(?P<blank>_)(?:x(?P<gaps>\d+))?|(?P<stale>stale)|(?P<special>[+-]?(?i:inf|nan))"
    rf"|(?P<start>{_NUMBER})(?:(?P<step>[+-](?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)?x(?P<times>\d+))?"
)


def expand(values: str, interval_ms: int) -> list[Sample]:
    """promtool's expanding notation as samples: `a+bxn` is n+1 samples, `_xn` n gaps."""
    out: list[Sample] = []
    k = 0  # index of the next sample: it lands at k * interval
    for token in values.split():
        m = _TOKEN.fullmatch(token)
        if m is None:
            raise Unsupported(f"series value {token!r}")
        if m["blank"]:
            k += int(m["gaps"]) if m["gaps"] else 1
            continue
        if m["stale"] or m["special"]:
            out.append((k * interval_ms, None if m["stale"] else float(m["special"])))
            k += 1
            continue
        value, step = float(m["start"]), float(m["step"] or 0)
        for _ in range(int(m["times"]) + 1 if m["times"] else 1):
            out.append((k * interval_ms, value))
            value += step  # accumulated like promtool's parser, rounding included
            k += 1
    return out


def _since(
    node: Any, records: Sequence[tuple[str, Any, Mapping[str, str]]], interval: int, at: int
) -> list[int]:
    """From which evaluation each record must be worked out for a value at `at`: the oldest
    sample any reader looks at (an instant read sees the record's sample of that evaluation, a
    stale marker hiding any older one; a range read, the range). Earlier evaluations cannot
    change the value, and skipping them saves most of the work at long `at`s."""
    names = [name for name, _, _ in records]
    since = [at + 1] * len(records)
    readers = [(node, at), *((expr, -1) for _, expr, _ in records)]
    # The expression first, then the records from the last: a record's readers come after it.
    for position in (0, *range(len(readers) - 1, 0, -1)):
        expr, first = readers[position]
        if position > 0:
            first = since[position - 1]
        if first > at:
            continue
        for sel in selectors(expr):
            back = _ms(sel.range_seconds or 0)
            for i, name in enumerate(names):  # records may share a name (told apart by labels)
                if name == sel.name:
                    since[i] = min(since[i], max(0, (first - back) // interval * interval))
    return since


def _materialise(
    records: Sequence[tuple[str, Any, Mapping[str, str]]],
    store: Store,
    interval: int,
    at: int,
    since: Sequence[int],
) -> None:
    # promtool evaluates its rule groups at 0, interval, 2*interval...; each record's samples are
    # stored before the next rule runs, and a series a record stops returning is marked stale,
    # as a rule group does. Steps after `at` cannot change a value at `at`, nor can steps before
    # a record's `since` (_since).
    inputs = set(store)
    previous: list[set[LabelSet]] = [set() for _ in records]
    for t in range(min(since, default=0), at + 1, interval):
        for i, (name, expr, static) in enumerate(records):
            if t < since[i]:
                continue
            out = _eval(expr, store, t)
            got: dict[LabelSet, float] = {}
            for labels, value in [((), out)] if isinstance(out, float) else out:
                key = _labelset({**dict(labels), "__name__": name, **static})
                if key in got or key in inputs or (store.get(key) and store[key][-1][0] >= t):
                    raise Unsupported("a record's series collides")  # Prometheus refuses these
                got[key] = value
            for key, value in got.items():
                store.setdefault(key, []).append((t, value))
            for key in previous[i] - got.keys():
                store[key].append((t, None))
            previous[i] = set(got)


_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}
# Go's RE2 and Python's re agree on plain patterns; these constructs differ (or exist in one only).
_REGEX_UNSAFE = re.compile(r"\(\?(?!:)|\[:|\\[pPzZACQEbB1-9]|\{,")


def _matcher(op: str, value: str) -> Any:
    if op in ("=", "!="):
        return lambda have: (have == value) == (op == "=")
    if _REGEX_UNSAFE.search(value):
        raise Unsupported(f"regex {value!r}")
    try:
        pattern = re.compile(f"(?:{value})", re.ASCII)  # Prometheus anchors it: ^(?:value)$
    except re.error:
        raise Unsupported(f"regex {value!r}") from None
    return lambda have: (pattern.fullmatch(have) is not None) == (op == "=~")


def _select(vs: Any, store: Store) -> list[tuple[LabelSet, list[Sample]]]:
    if not _no_modifier(vs) or vs.matchers.or_matchers:
        raise Unsupported("offset, @ or `or` in a selector")
    tests = [("__name__", _matcher("=", vs.name))] if vs.name else []
    for m in vs.matchers.matchers:
        tests.append((m.name, _matcher(_OPS.get(str(m.op), "?"), m.value)))
    return sorted(
        (labels, samples)
        for labels, samples in store.items()
        if all(test(dict(labels).get(name, "")) for name, test in tests)
    )


def _no_modifier(node: Any) -> bool:
    offset = getattr(node, "offset", None)
    return getattr(node, "at", None) is None and (offset is None or offset == timedelta(0))


def _range_ms(ms: Any) -> int:
    r: timedelta = ms.range
    return (r.days * 86400 + r.seconds) * 1000 + r.microseconds // 1000


def _drop_name(labels: LabelSet) -> LabelSet:
    return tuple(p for p in labels if p[0] != "__name__")


def _unique(vector: Vector) -> Vector:
    # "vector cannot contain metrics with the same labelset": promtool fails the query.
    if len({labels for labels, _ in vector}) != len(vector):
        raise Unsupported("duplicate label sets")
    return vector


def _eval(node: Any, store: Store, t: int) -> Value:
    if isinstance(node, pp.NumberLiteral):
        return float(node.val)
    if isinstance(node, pp.ParenExpr):
        return _eval(node.expr, store, t)
    if isinstance(node, pp.VectorSelector):
        out: Vector = []
        for labels, samples in _select(node, store):
            i = bisect_right(samples, t, key=lambda s: s[0])
            if not i:
                continue
            # The latest sample at or before t, not older than the lookback; stale ends a series.
            when, value = samples[i - 1]
            if when >= t - LOOKBACK_MS and value is not None:
                out.append((labels, value))
        return out
    if isinstance(node, pp.UnaryExpr):
        inner = _eval(node.expr, store, t)
        if isinstance(inner, float):
            return -inner
        return _unique([(_drop_name(labels), -value) for labels, value in inner])
    if isinstance(node, pp.Call):
        return _call(node, store, t)
    if isinstance(node, pp.AggregateExpr):
        return _aggregate(node, store, t)
    if isinstance(node, pp.BinaryExpr):
        return _binary(node, store, t)
    raise Unsupported(type(node).__name__)  # subqueries, strings, bare matrix selectors


def _scalar(node: Any, store: Store, t: int) -> float:
    value = _eval(node, store, t)
    if not isinstance(value, float):
        raise Unsupported("a vector where a scalar is wanted")
    return value


def _vector(node: Any, store: Store, t: int) -> Vector:
    value = _eval(node, store, t)
    if isinstance(value, float):
        raise Unsupported("a scalar where a vector is wanted")
    return value


def _call(node: Any, store: Store, t: int) -> Value:
    name, args = node.func.name, list(node.args)
    if name == "time":
        return t / 1000
    if name == "vector":
        return [((), _scalar(args[0], store, t))]
    if name in fn.RANGE_FUNCTIONS:
        if not isinstance(args[0], pp.MatrixSelector):
            raise Unsupported("a subquery")
        width = _range_ms(args[0])
        out: Vector = []
        for labels, samples in _select(args[0].vector_selector, store):
            # [t - range, t], both ends included in 2.42 (3.0 opened the left end); stale
            # markers are not samples.
            points = [(st, v) for st, v in samples if t - width <= st <= t and v is not None]
            value = fn.range_function(name, points, t, width)
            if value is not None:
                out.append((_drop_name(labels), value))
        return _unique(out)
    if name == "histogram_quantile":
        q = _scalar(args[0], store, t)
        return _unique(fn.histogram_quantile(q, _vector(args[1], store, t)))
    if name in ("abs", "clamp_min", "clamp_max"):
        vector = _vector(args[0], store, t)
        if name == "abs":
            return _unique([(_drop_name(labels), abs(value)) for labels, value in vector])
        bound = _scalar(args[1], store, t)
        clamp = fn.go_max if name == "clamp_min" else fn.go_min
        return _unique([(_drop_name(labels), clamp(bound, value)) for labels, value in vector])
    raise Unsupported(f"function {name}")


def _aggregate(node: Any, store: Store, t: int) -> Vector:
    op = str(node.op)
    if op not in ("sum", "avg", "min", "max", "count") or node.param is not None:
        raise Unsupported(f"aggregation {op}")
    mod = node.modifier
    names = set(mod.labels) if mod is not None else set()
    by = mod is None or str(mod.type).endswith("By")
    groups: dict[LabelSet, list[float]] = {}
    for labels, value in _vector(node.expr, store, t):
        if by:  # `by` keeps the listed labels only (even __name__ if listed)
            key = tuple(p for p in labels if p[0] in names)
        else:  # `without` drops them and the metric name
            key = tuple(p for p in labels if p[0] not in names and p[0] != "__name__")
        groups.setdefault(key, []).append(value)
    return [(key, fn.aggregate(op, values)) for key, values in groups.items()]


def _binary(node: Any, store: Store, t: int) -> Value:
    op, mod = str(node.op), node.modifier
    if op not in ARITHMETIC | COMPARISONS | {"and", "or", "unless"}:
        raise Unsupported(f"operator {op}")
    as_bool = bool(mod is not None and mod.return_bool)
    lhs, rhs = _eval(node.lhs, store, t), _eval(node.rhs, store, t)
    if isinstance(lhs, float) and isinstance(rhs, float):
        value, held = fn.binop(op, lhs, rhs)
        return float(held) if op in COMPARISONS else value
    if isinstance(lhs, float) or isinstance(rhs, float):
        return _with_scalar(op, lhs, rhs, as_bool)
    if mod is not None and (
        not str(mod.card).endswith(("OneToOne", "ManyToMany")) or _fills(mod) or mod.group_labels
    ):
        raise Unsupported("group_left/group_right")
    matching = mod.matching if mod is not None else None
    on = matching is not None and str(matching.type).endswith("Include")
    listed = set(matching.labels) if matching is not None else set()

    def sig(labels: LabelSet) -> LabelSet:
        if on:
            return tuple(p for p in labels if p[0] in listed)
        return tuple(p for p in labels if p[0] not in listed and p[0] != "__name__")

    if op in ("and", "unless"):
        right = {sig(labels) for labels, _ in rhs}
        return [s for s in lhs if (sig(s[0]) in right) == (op == "and")]
    if op == "or":
        left = {sig(labels) for labels, _ in lhs}
        return lhs + [s for s in rhs if sig(s[0]) not in left]
    by_sig: dict[LabelSet, float] = {}
    for labels, value in rhs:
        if sig(labels) in by_sig:
            raise Unsupported("many-to-many matching")  # promtool errors
        by_sig[sig(labels)] = value
    out: Vector = []
    matched: set[LabelSet] = set()
    for labels, value in lhs:
        key = sig(labels)
        if key not in by_sig:
            continue
        if key in matched:
            raise Unsupported("many-to-one matching without group_left")  # promtool errors
        matched.add(key)
        result, held = fn.binop(op, value, by_sig[key])
        if as_bool:
            result, held = float(held), True
        if not held:
            continue
        keep = labels
        if op in ARITHMETIC or as_bool:
            keep = _drop_name(keep)
        if on:
            keep = tuple(p for p in keep if p[0] in listed)
        else:
            keep = tuple(p for p in keep if p[0] not in listed)
        out.append((keep, result))
    return _unique(out)


def _fills(mod: Any) -> bool:
    # Prometheus 3's fill() modifiers, which 2.42 does not have.
    fill = getattr(mod, "fill_values", None)
    return fill is not None and (fill.lhs is not None or fill.rhs is not None)


def _with_scalar(op: str, lhs: Value, rhs: Value, as_bool: bool) -> Vector:
    swap = isinstance(lhs, float)
    vector, scalar = (rhs, lhs) if swap else (lhs, rhs)
    assert isinstance(scalar, float) and not isinstance(vector, float)
    out: Vector = []
    for labels, value in vector:
        result, held = fn.binop(op, scalar, value) if swap else fn.binop(op, value, scalar)
        if op in COMPARISONS:
            result = value  # a filter keeps the vector's own value, whichever side it is on
        if as_bool:
            result, held = float(held), True
        if not held:
            continue
        out.append((_drop_name(labels) if op in ARITHMETIC or as_bool else labels, result))
    return _unique(out)
