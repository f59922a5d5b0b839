"""promtool tests for every SLO: a fast burn pages, a slow burn tickets, a burn within budget is
silent. Input series are made from the SLI's selectors; what fires is worked out by evaluating
every alert of the SLO on them (promql/values.py, exact against promtool), and promtool judges.

An SLI whose series alertgen cannot make (a selector it cannot satisfy, a query outside the
evaluator's subset) gets no test; the warning about missing examples says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from .build_examples import chain
from .model import Expected, Recording, ResolvedAlert, TestCase
from .promql import parse, selectors
from .promql.values import evaluate_at
from .spec import SLO, Service
from .spec.slo import WINDOW, Events, Latency
from .spec.types import Duration

STEP = Duration("1m")
AT = Duration("15m")
REQUESTS = 100  # per minute, of which the profile's share fails
# (name, burn as a multiple of the budget's pace): above the page's, between, and within budget.
PROFILES = (
    ("a fast burn pages", 20.0),
    ("a slow burn tickets", 4.0),
    ("a burn within budget is silent", 0.5),
)
# Values tried for a label a regular expression selects (or must not select).
_CANDIDATES = ("500", "503", "429", "200", "201", "error", "ok", "true", "false", "1", "0", "fail", "success")


def with_slo_tests(
    service: Service, alerts: list[ResolvedAlert], records: Mapping[str, tuple[Recording, ...]]
) -> list[ResolvedAlert]:
    """The alerts, the first of each SLO carrying the SLO's three tests."""
    if service.evaluation_interval != STEP:
        return alerts
    out = list(alerts)
    for slo in service.slos:
        mine = [i for i, a in enumerate(out) if a.name == slo.alert and a.label_map.get("sloth_severity")]
        if not mine or any(out[i].tests for i in mine):
            continue
        if any("{{" in text for i in mine for _, text in out[i].annotations):
            continue  # annotations alertgen would have to expand per alert: the user's examples say
        cases = _cases(slo, [out[i] for i in mine], records)
        if cases:
            out[mine[0]] = replace(out[mine[0]], tests=tuple(cases))
    return out


def _cases(
    slo: SLO, alerts: Sequence[ResolvedAlert], records: Mapping[str, tuple[Recording, ...]]
) -> list[TestCase]:
    budget = (100 - slo.objective) / 100
    cases = []
    for name, burn in PROFILES:
        series = _series(slo, min(1.0, burn * budget))
        if series is None:
            return []
        expected = []
        for alert in alerts:
            needed = [(r.name, r.ast, r.signal.labels) for r in chain(alert.ast, records)]
            found = evaluate_at(alert.ast, series, STEP.seconds, AT.seconds, needed)
            if found is None:
                return []
            for labels, _ in found:
                produced = {k: v for k, v in labels.items() if k != "__name__"}
                expected.append(
                    Expected(
                        tuple(sorted({**produced, **alert.label_map}.items())),
                        tuple(sorted(alert.annotations)),
                    )
                )
        fires = bool(expected)
        if (burn > 14.4) != any(dict(e.labels).get("sloth_severity") == "page" for e in expected):
            return []  # the profile does not do what its name says (custom windows): no test
        cases.append(
            TestCase(name=name, series=series, interval=STEP, at=AT, fires=fires, expected=tuple(expected))
        )
    return cases


def _series(slo: SLO, ratio: float) -> dict[str, str] | None:
    """Input series on which the SLI's error ratio is `ratio`, or None where alertgen cannot tell."""
    bad, good = round(REQUESTS * ratio, 6), round(REQUESTS * (1 - ratio), 6)
    sli = slo.sli
    if isinstance(sli, Latency):
        sel = parse(f"{sli.histogram}_count{{{sli.selector}}}" if sli.selector else f"{sli.histogram}_count")
        labels = _plain(selectors(sel)[0].matchers)
        if labels is None:
            return None
        bucket = {**labels, "le": sli.le}
        return {
            _text(f"{sli.histogram}_bucket", bucket): f"0+{_num(good)}x30",
            _text(f"{sli.histogram}_count", labels): f"0+{REQUESTS}x30",
        }
    if not isinstance(sli, Events):
        return None
    errors = [s for s in selectors(parse(sli.error_query.replace(WINDOW, "5m"))) if s.name]
    totals = [s for s in selectors(parse(sli.total_query.replace(WINDOW, "5m"))) if s.name]
    if len(errors) != 1 or len(totals) != 1 or errors[0].name != totals[0].name:
        return None
    failing = _satisfy(errors[0].matchers, {})
    passing = _satisfy(totals[0].matchers, {}, avoid=errors[0].matchers)
    if failing is None or passing is None or failing == passing:
        return None
    return {
        _text(errors[0].name, failing): f"0+{_num(bad)}x30",
        _text(totals[0].name, passing): f"0+{_num(good)}x30",
    }


def _plain(matchers: Sequence[tuple[str, str, str]]) -> dict[str, str] | None:
    if any(op != "=" for _, op, _ in matchers):
        return None
    return {name: value for name, _, value in matchers}


def _satisfy(
    matchers: Sequence[tuple[str, str, str]], base: dict[str, str], avoid: Sequence[tuple[str, str, str]] = ()
) -> dict[str, str] | None:
    """Labels every matcher selects (and, given `avoid`, that some matcher of it rejects)."""
    labels = dict(base)
    for name, op, value in matchers:
        if op == "=":
            labels[name] = value
        elif op == "=~":
            labels[name] = next((c for c in _CANDIDATES if re.fullmatch(value, c)), "")
            if not labels[name]:
                return None
        elif op in ("!=", "!~"):
            continue
    for name, op, value in avoid:
        if op == "=~" and name not in labels:
            picked = next((c for c in _CANDIDATES if not re.fullmatch(value, c)), None)
            if picked is None:
                return None
            labels[name] = picked
    for name, op, value in (*matchers, *avoid):
        have = labels.get(name, "")
        if (op == "!=" and have == value) or (op == "!~" and re.fullmatch(value, have)):
            return None
    return labels


def _text(name: str, labels: Mapping[str, str]) -> str:
    return name + "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)
