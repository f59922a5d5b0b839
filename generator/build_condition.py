"""An alert's condition: its PromQL (as written, or `record op threshold`), parsed and placed."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .errors import ErrorSink
from .model import Recording
from .promql import PromQLError, comparison, depth, parse, selectors
from .spec import Alert, Signal, Tier
from .spec.types import Comparison

# Expressions are analysed recursively (label flow, example evaluation): deeper ones are refused
# before they reach Python's recursion limit.
MAX_DEPTH = 120


def number(v: float) -> str:
    """A threshold as PromQL writes it: `5`, not `5.0`; repr beyond what an int shows exactly."""
    return str(int(v)) if math.isfinite(v) and v == int(v) and abs(v) < 1e15 else repr(v)


def spec_expr(spec: Alert | Tier) -> str | None:
    """The raw condition of an `expr=` alert, else None."""
    return spec.expr if isinstance(spec, Alert) else None


def condition(
    spec: Alert | Tier,
    rec: Recording | None,
    op: Comparison | None,
    threshold: float | None,
    absent: bool,
) -> str | None:
    """The alert's PromQL: its `expr=` as written, or `record op threshold` (or absent)."""
    raw = spec_expr(spec)
    if raw is not None:
        return raw.strip()
    if rec is None or op is None or threshold is None:
        return None  # its signal did not resolve; that error is reported
    expr = f"{rec.name} {op.value} {number(threshold)}"
    if absent:
        sels = selectors(rec.ast)
        expr = f"{expr} or absent({sels[0].text()})" if sels else expr
    return expr


def drawn(
    ast: Any, signal: Signal | None, records: Mapping[str, tuple[Recording, ...]]
) -> tuple[Signal | None, Comparison | None, float | None]:
    """The panel of an `expr=` alert and the threshold line it draws there: where its condition
    compares one record with a number, that record's signal (unless signal= names another)."""
    found = comparison(ast)
    names = {s.name for s in selectors(found[0]) if s.name} if found is not None else set()
    found_records = records.get(next(iter(names)), ()) if len(names) == 1 else ()
    rec = found_records[0] if len(found_records) == 1 else None
    if found is None or rec is None or (signal is not None and signal.name != rec.signal.name):
        return signal, None, None
    return rec.signal, Comparison(found[1]), found[2]


def parse_or_none(
    sink: ErrorSink,
    spec: Alert | Tier,
    expr: str,
    records: Mapping[str, tuple[Recording, ...]],
    lookup: Mapping[str, frozenset[str]],
) -> Any:
    """The parsed condition, or None with the error reported (syntax, depth, unknown series)."""
    subject = f"Alert {spec.name!r}"
    try:
        ast = parse(expr)
    except PromQLError as exc:
        sink.add(spec.location, subject, f"invalid PromQL {expr!r}: {exc}")
        return None
    levels = depth(ast)
    if levels > MAX_DEPTH:
        sink.add(
            spec.location,
            subject,
            f"expr nests {levels} levels deep; alertgen follows labels through at most {MAX_DEPTH}: "
            "record its parts as signals",
        )
        return None
    unknown = sorted({s.name for s in selectors(ast) if s.name and s.name not in lookup})
    for name in unknown:
        sink.add(
            spec.location,
            subject,
            f"series {name!r} is neither in the metric catalog nor recorded by a signal of this "
            "service; add it to metrics= (a record made elsewhere too) or fix the name",
        )
    return None if unknown else ast
