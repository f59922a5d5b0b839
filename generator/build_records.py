"""A service's recording rules: one per signal, in the order signals read each other's records."""

from __future__ import annotations

from typing import Any

from . import conventions as conv
from .build_alerts import Ctx
from .build_condition import MAX_DEPTH
from .checks import registry as checks_registry
from .model import Recording
from .promql import PromQLError, depth, flow, parse, selectors
from .spec import Service, Signal


def recordings_of(
    ctx: Ctx, service: Service, signals: list[Signal], catalog: dict[str, frozenset[str]]
) -> dict[str, Recording]:
    """Each signal's recording rule by signal name, in the signals' order. A signal may read the
    records of others (any order, no cycle): their labels flow through the chain."""
    parsed: dict[str, Any] = {}
    for signal in signals:
        for entry in signal.disable:
            if entry.check not in checks_registry.BY_ID:
                ctx.sink.add(
                    entry.location, signal.subject, f"disable: {checks_registry.unknown_message(entry.check)}"
                )
        ast = _parsed(ctx, signal)
        if ast is not None:
            parsed[signal.name] = ast
    done: dict[str, Recording] = {}
    known = dict(catalog)
    made: set[str] = set()
    pending = [s for s in signals if s.name in parsed]
    while pending:
        # A record's name may depend on the labels it keeps, so a signal waits for what it reads.
        # A record also declared in metrics= still waits: what the rule keeps overrides the catalog.
        named = {s.record: s for s in pending if s.record}
        ready = [
            s
            for s in pending
            if not any(named.get(sel.name, s) is not s for sel in selectors(parsed[s.name]))
        ]
        if not ready:
            for signal in pending:
                ctx.sink.add(
                    signal.location,
                    signal.subject,
                    "its expr reads records that read it back (a cycle); record the shared part once",
                )
            break
        for signal in ready:
            rec = _recording(ctx, service, signal, parsed[signal.name], known)
            if rec is not None:
                done[signal.name] = rec
                prior = known.get(rec.name) if rec.name in made else None
                known[rec.name] = rec.kept_labels if prior is None else prior & rec.kept_labels
                made.add(rec.name)
        pending = [s for s in pending if s not in ready]
    # One name may record several series sets (told apart by labels, or by what each selects, as
    # kube-prometheus' code_verb:apiserver_request_total:increase1h per status class); the same
    # rule twice is a mistake.
    keys = [(r.name, tuple(sorted(r.signal.labels.items())), " ".join(r.expr.split())) for r in done.values()]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        sig = next(r.signal for r, k in zip(done.values(), keys, strict=True) if k == key)
        ctx.sink.add(
            sig.location,
            sig.subject,
            f"recording rule {key[0]!r} is defined twice with the same labels and expression; remove one",
        )
    return {s.name: done[s.name] for s in signals if s.name in done}


def _parsed(ctx: Ctx, signal: Signal) -> Any:
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
    return ast


def _recording(
    ctx: Ctx, service: Service, signal: Signal, ast: Any, known: dict[str, frozenset[str]]
) -> Recording | None:
    sels = selectors(ast)
    unknown = sorted({s.name for s in sels if s.name and s.name not in known})
    for name in unknown:
        ctx.sink.add(
            signal.location,
            signal.subject,
            f"metric {name!r} is not in the metric catalog of service {service.name!r} nor recorded "
            "by one of its signals; add it to metrics= or fix the name",
        )
    if unknown:
        return None
    # Prometheus adds a recording rule's static labels to every series it records.
    kept = flow(ast, known.get).resolve(frozenset()) | frozenset(signal.labels)
    metric = sels[0].name if sels else signal.name
    name = signal.record or conv.record_name(kept, metric, signal.name)
    return Recording(name=name, expr=signal.expr.strip(), signal=signal, kept_labels=kept)
