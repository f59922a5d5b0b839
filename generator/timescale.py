"""Test-only time scale: every duration of the resolved model divided by one factor.

Production `for` durations and range windows are minutes to hours; an end-to-end test against a
real Prometheus cannot wait that long. `scale(model, 60)` turns `for: 5m` into `5s`, `[1h]` into
`[1m]` and a 1m evaluation interval into 1s, and changes nothing else: thresholds, labels,
annotations and rule names stay identical, so the scaled rules fire on the same data as the
real ones, only sooner. Never deploy scaled output; it exists for tests (docs/testing.md).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import Model, Recording, ResolvedAlert, ResolvedService, TestCase
from .promql import parse, selectors
from .spec.types import Duration

# A duration inside a range `[5m]` / subquery `[1h:1m]` or after `offset`; strings and comments
# are skipped by _scale_expr, so a `[5m]` inside a label value is never touched.
_DURATION = r"(?:\d+(?:y|w|d|h|ms|m|s))+"
_BRACKET_RE = re.compile(rf"\[\s*({_DURATION})\s*(?::\s*({_DURATION})?\s*)?\]")
_OFFSET_RE = re.compile(rf"(\b(?i:offset)\s+-?\s*)({_DURATION})")


def scale_duration(duration: Duration, factor: float) -> Duration:
    """`duration / factor`, never below 1ms so that a scaled window stays a valid one."""
    if not duration:
        return duration
    return Duration.of_seconds(max(duration.seconds / factor, 0.001))


def _scaled_text(text: str, factor: float) -> str:
    return scale_duration(Duration(text), factor).text


def _scale_code(code: str, factor: float) -> str:
    def bracket(m: re.Match[str]) -> str:
        rng = _scaled_text(m.group(1), factor)
        if ":" not in m.group(0):
            return f"[{rng}]"
        step = _scaled_text(m.group(2), factor) if m.group(2) else ""
        return f"[{rng}:{step}]"

    def offset(m: re.Match[str]) -> str:
        return f"{m.group(1)}{_scaled_text(m.group(2), factor)}"

    return _OFFSET_RE.sub(offset, _BRACKET_RE.sub(bracket, code))


def scale_expr(expr: str, factor: float) -> str:
    """The PromQL `expr` with every range, subquery step and offset divided by `factor`."""
    out: list[str] = []
    code_start = i = 0
    while i < len(expr):
        ch = expr[i]
        if ch in "\"'`":
            end = i + 1
            while end < len(expr) and expr[end] != ch:
                end += 2 if expr[end] == "\\" and ch != "`" else 1
            out.extend((_scale_code(expr[code_start:i], factor), expr[i : end + 1]))
            i = code_start = end + 1
        elif ch == "#":
            end = expr.find("\n", i)
            end = len(expr) if end < 0 else end
            out.extend((_scale_code(expr[code_start:i], factor), expr[i:end]))
            i = code_start = end
        else:
            i += 1
    out.append(_scale_code(expr[code_start:], factor))
    scaled = "".join(out)
    _verify(expr, scaled, factor)
    return scaled


def _verify(original: str, scaled: str, factor: float) -> None:
    """The scaled expression must read the same series, each window divided by the factor."""
    before, after = selectors(parse(original)), selectors(parse(scaled))
    ok = len(before) == len(after) and all(
        (b.name, b.matchers, b.function) == (a.name, a.matchers, a.function)
        and _window(b.range_seconds, factor) == _window(a.range_seconds, 1.0)
        for b, a in zip(before, after, strict=False)
    )
    if not ok:  # pragma: no cover - a bug in the rewrite above
        raise RuntimeError(f"time scale rewrote {original!r} wrongly as {scaled!r}")


def _window(seconds: float | None, factor: float) -> int | None:
    """A range in whole milliseconds after scaling, as Duration.of_seconds rounds it."""
    return None if seconds is None else max(round(seconds * 1000 / factor), 1)


def scale(model: Model, factor: float) -> Model:
    """The model with every duration divided by `factor`; thresholds and labels unchanged."""
    if factor <= 0:
        raise ValueError(f"time scale must be a positive number, not {factor}")
    if factor == 1:
        return model
    return replace(model, services=tuple(_service(s, factor) for s in model.services))


def _service(service: ResolvedService, factor: float) -> ResolvedService:
    spec = replace(
        service.spec,
        scrape_interval=scale_duration(service.spec.scrape_interval, factor),
        evaluation_interval=scale_duration(service.spec.evaluation_interval, factor),
    )
    return replace(
        service,
        spec=spec,
        recordings=tuple(_recording(r, factor) for r in service.recordings),
        alerts=tuple(_alert(a, factor) for a in service.alerts),
        groups=tuple(
            replace(g, interval=scale_duration(g.interval, factor) if g.interval is not None else None)
            for g in service.groups
        ),
    )


def _recording(rec: Recording, factor: float) -> Recording:
    expr = scale_expr(rec.expr, factor)
    return replace(rec, expr=expr)


def _alert(alert: ResolvedAlert, factor: float) -> ResolvedAlert:
    expr = scale_expr(alert.expr, factor)
    keep = alert.keep_firing_for
    return replace(
        alert,
        expr=expr,
        for_=scale_duration(alert.for_, factor),
        keep_firing_for=scale_duration(keep, factor) if keep is not None else None,
        tests=tuple(_test(t, factor) for t in alert.tests),
    )


def _test(case: TestCase, factor: float) -> TestCase:
    # Input series are given per step, so scaling the step and the evaluation time keeps them.
    return replace(case, interval=scale_duration(case.interval, factor), at=scale_duration(case.at, factor))
