"""Float arithmetic of Prometheus 2.42, bit for bit: operators, range functions, aggregations.

The evaluator in values.py selects samples; this module turns them into numbers exactly as the
Go code of promtool 2.42 does (same operations in the same order), or raises Unsupported where an
exact answer is not known (a Go routine Python does not reproduce, an order promtool randomises).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

LabelSet = tuple[tuple[str, str], ...]
Vector = list[tuple[LabelSet, float]]
Point = tuple[int, float]  # (milliseconds, value) inside a range, staleness markers removed

ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "^"})
COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
RANGE_FUNCTIONS = frozenset(
    {"rate", "irate", "increase", "delta"} | {f"{a}_over_time" for a in ("avg", "min", "max", "sum", "count")}
)
# Every subset of up to this many series is tried when an aggregation's result could depend on
# the order it reads them in (2^8 subsets): more series give None rather than a guess.
MAX_ORDERED = 8


class Unsupported(Exception):
    """Outside the subset, or a query promtool refuses or answers non-deterministically."""


def binop(op: str, a: float, b: float) -> tuple[float, bool]:
    """`a op b` as Prometheus' vectorElemBinop: (value, keep); a comparison keeps `a` if true."""
    if op == "+":
        return a + b, True
    if op == "-":
        return a - b, True
    if op == "*":
        return a * b, True
    if op == "/":
        return _div(a, b), True
    if op == "%":
        # Go's math.Mod, like C's fmod, is exact; only its special cases differ from Python's.
        if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
            return math.nan, True
        return math.fmod(a, b), True
    if op == "^":
        return go_pow(a, b), True
    if op in COMPARISONS:
        held = {"==": a == b, "!=": a != b, ">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op]
        return a, held
    raise Unsupported(op)  # atan2: Go's own Atan2 may differ from libm in the last bit


def _div(a: float, b: float) -> float:
    # IEEE division, which Python refuses for a zero divisor.
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _odd_int(x: float) -> bool:
    return abs(x) < 1 << 53 and x.is_integer() and int(x) & 1 == 1


def go_pow(x: float, y: float) -> float:
    """Go's math.Pow for integer and ±0.5 exponents (repeated squaring, as Go does it).

    Other fractional exponents go through Go's own Exp and Log, not reproduced: Unsupported."""
    if y == 0 or x == 1:
        return 1.0
    if y == 1:
        return x
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0:
        if y < 0:
            return -math.inf if math.copysign(1, x) < 0 and _odd_int(y) else math.inf
        return x if math.copysign(1, x) < 0 and _odd_int(y) else 0.0
    if math.isinf(y):
        if x == -1:
            return 1.0
        return 0.0 if (abs(x) < 1) == (y > 0) else math.inf
    if math.isinf(x):
        if x < 0:
            return go_pow(1 / x, -y)
        return 0.0 if y < 0 else math.inf
    if y in (0.5, -0.5):
        if x < 0:
            return math.nan
        return math.sqrt(x) if y > 0 else 1 / math.sqrt(x)
    frac, whole = math.modf(abs(y))
    if frac != 0:
        if x < 0:
            return math.nan
        raise Unsupported("fractional exponent")
    if whole >= 2.0**63:
        if x == -1:
            return 1.0
        return 0.0 if (abs(x) < 1) == (y > 0) else math.inf
    a1, ae = 1.0, 0
    x1, xe = math.frexp(x)
    i = int(whole)
    while i != 0:
        if xe < -(1 << 12) or xe > (1 << 12):
            ae += xe  # catastrophic over/underflow: Go leaves it to Ldexp
            break
        if i & 1:
            a1 *= x1
            ae += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        i >>= 1
    if y < 0:
        a1, ae = 1 / a1, -ae
    try:
        out = math.ldexp(a1, ae)
    except OverflowError:
        return math.copysign(math.inf, a1)
    if out == 0 or abs(out) < 2.2250738585072014e-308:
        raise Unsupported("subnormal power")  # Go's Ldexp rounds these its own way
    return out


def go_max(a: float, b: float) -> float:
    """Go's math.Max: NaN wins, +0 beats -0."""
    if (math.isinf(a) and a > 0) or (math.isinf(b) and b > 0):
        return math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return a if math.copysign(1, a) > 0 else b
    return max(a, b)


def go_min(a: float, b: float) -> float:
    """Go's math.Min: NaN wins, -0 beats +0."""
    if (math.isinf(a) and a < 0) or (math.isinf(b) and b < 0):
        return -math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return a if math.copysign(1, a) < 0 else b
    return min(a, b)


def _kahan_inc(inc: float, total: float, c: float) -> tuple[float, float]:
    # Prometheus' kahanSumInc (Neumaier's variant).
    t = total + inc
    if abs(total) >= abs(inc):
        c += (total - t) + inc
    else:
        c += (inc - t) + total
    return t, c


def range_function(name: str, points: list[Point], t: int, range_ms: int) -> float | None:
    """A range function of the points in [t - range, t]; None where Prometheus gives no sample."""
    if not points:
        return None
    values = [v for _, v in points]
    if name in ("rate", "increase", "delta"):
        return _extrapolated_rate(points, t, range_ms, name != "delta", name == "rate")
    if name == "irate":
        if len(points) < 2 or points[-1][0] == points[-2][0]:
            return None
        (t0, v0), (t1, v1) = points[-2], points[-1]
        return (v1 if v1 < v0 else v1 - v0) / ((t1 - t0) / 1000)
    if name == "count_over_time":
        return float(len(values))
    if name in ("min_over_time", "max_over_time"):
        best = values[0]
        for v in values:
            if (v < best if name == "min_over_time" else v > best) or math.isnan(best):
                best = v
        return best
    if not all(math.isfinite(v) for v in values):
        raise Unsupported("non-finite sample")  # Inf special cases of the Kahan sums not reproduced
    total, c = 0.0, 0.0
    if name == "sum_over_time":
        for v in values:
            total, c = _kahan_inc(v, total, c)
        return total + c
    count = 0.0  # avg_over_time: 2.42 keeps a running mean, Kahan-compensated
    for v in values:
        count += 1
        total, c = _kahan_inc(v / count - total / count, total, c)
    return total + c


def _extrapolated_rate(
    points: list[Point], t: int, range_ms: int, counter: bool, per_second: bool
) -> float | None:
    # extrapolatedRate of Prometheus 2.42: note the zero clamp comes before the threshold test
    # (later versions swapped them; promtool 2.42 gives 465, not 450, for `_x3 45+60x7`).
    if len(points) < 2:
        return None
    (first_t, first), (last_t, last) = points[0], points[-1]
    result = last - first
    if counter:
        prev = first
        for _, v in points[1:]:
            if v < prev:
                result += prev  # a counter reset: what was counted before it still counts
            prev = v
    range_start, range_end = t - range_ms, t
    to_start = (first_t - range_start) / 1000
    to_end = (range_end - last_t) / 1000
    sampled = (last_t - first_t) / 1000
    average = sampled / (len(points) - 1)
    if counter and result > 0 and first >= 0:
        to_zero = sampled * (first / result)
        if to_zero < to_start:
            to_start = to_zero
    threshold = average * 1.1
    interval = sampled
    interval += to_start if to_start < threshold else average / 2
    interval += to_end if to_end < threshold else average / 2
    factor = interval / sampled
    if per_second:
        factor /= (range_ms // 1000) + (range_ms % 1000) * 1_000_000 / 1e9  # Go's Duration.Seconds()
    return result * factor


def _key(x: float) -> object:
    return "nan" if math.isnan(x) else x  # NaN != NaN would defeat the set of outcomes


def order_free(values: Sequence[float], step: Callable[[float, float, int], float]) -> float:
    """Fold `values` (first one as the start, `step(acc, v, count)` after) in every order.

    promtool loads its input series from a Go map, so aggregations see them in a random order
    (the same test gave `avg` 0.8999999999999999 and 0.9000000000000001 on two runs): a result
    is given only when every order agrees."""
    n = len(values)
    if n > MAX_ORDERED:
        raise Unsupported("too many series to try every order")
    full = (1 << n) - 1
    table: list[dict[object, float]] = [{} for _ in range(full + 1)]
    for mask in range(1, full + 1):
        size = mask.bit_count()
        if size == 1:
            v = values[mask.bit_length() - 1]
            table[mask] = {_key(v): v}
            continue
        cell: dict[object, float] = {}
        for i in range(n):
            if mask >> i & 1:
                for acc in table[mask ^ (1 << i)].values():
                    out = step(acc, values[i], size)
                    cell[_key(out)] = out
        table[mask] = cell
    outcomes = list(table[full].values())
    if len(outcomes) != 1:
        raise Unsupported("result depends on the order promtool reads series in")
    return outcomes[0]


def aggregate(op: str, values: list[float]) -> float:
    """sum/avg/min/max/count of one group, as Prometheus 2.42's aggregation."""
    if op == "count":
        return float(len(values))
    if op in ("min", "max"):
        best = values[0]
        for v in values[1:]:
            if (best > v if op == "min" else best < v) or math.isnan(best):
                best = v
        return best
    if op == "sum":
        exact = all(v.is_integer() for v in values) and sum(abs(v) for v in values) <= 2.0**53
        if exact:  # every partial sum is an exact integer: any order gives this
            return math.fsum(values)
        return order_free(values, lambda acc, v, _: acc + v)
    if op == "avg":
        if not all(math.isfinite(v) for v in values):
            raise Unsupported("non-finite sample")  # 2.42's Inf special cases not reproduced
        return order_free(values, lambda acc, v, n: acc + (v / n - acc / n))
    raise Unsupported(op)


_LE = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|(?i:inf|infinity))")


def histogram_quantile(q: float, vector: Vector) -> Vector:
    """histogram_quantile over classic buckets: grouped by all labels but `le`, name dropped."""
    groups: dict[LabelSet, tuple[LabelSet, list[tuple[float, float]]]] = {}
    for labels, value in vector:
        le = dict(labels).get("le")
        if le is None:
            continue  # Prometheus skips a series without a bucket bound
        if not _LE.fullmatch(le):
            raise Unsupported(f"le={le!r}")  # Go's ParseFloat reads forms not reproduced here
        key = tuple(p for p in labels if p[0] != "le")
        shown = tuple(p for p in key if p[0] != "__name__")
        groups.setdefault(key, (shown, []))[1].append((float(le), value))
    return [(shown, _bucket_quantile(q, buckets)) for shown, buckets in groups.values()]


def _bucket_quantile(q: float, buckets: list[tuple[float, float]]) -> float:
    # bucketQuantile of Prometheus 2.42 (promql/quantile.go).
    if math.isnan(q):
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    buckets = sorted(buckets)
    if len({b for b, _ in buckets}) != len(buckets):
        raise Unsupported("duplicate bucket bounds")  # merged in an unstable sort's order
    if not (math.isinf(buckets[-1][0]) and buckets[-1][0] > 0):
        return math.nan
    counts, highest = [], -math.inf
    for _, count in buckets:  # ensureMonotonic: a bucket never counts less than the one below
        if count > highest:
            highest = count
        elif count < highest:
            count = highest
        counts.append(count)
    if len(buckets) < 2 or counts[-1] == 0:
        return math.nan
    if any(math.isnan(c) for c in counts):
        raise Unsupported("NaN bucket count")  # Go's binary search then differs from a scan
    rank = q * counts[-1]
    b = next((i for i in range(len(buckets) - 1) if counts[i] >= rank), len(buckets) - 1)
    if b == len(buckets) - 1:
        return buckets[-2][0]
    if b == 0 and buckets[0][0] <= 0:
        return buckets[0][0]
    start, end, count = 0.0, buckets[b][0], counts[b]
    if b > 0:
        start = buckets[b - 1][0]
        count -= counts[b - 1]
        rank -= counts[b - 1]
    return start + (end - start) * (rank / count)
