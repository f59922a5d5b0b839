"""An SLO written out as the rules the SRE workbook and Sloth derive from it, in three groups.

- SLI recordings: `slo:sli_error:ratio_rate<window>` for every alert window, and the period's;
- meta recordings: objective, error budget, period, current and period burn rates, budget left,
  and `sloth_slo_info` (Sloth's names and labels, so Sloth's dashboards read alertgen's rules);
- alerts: a page and a ticket, each as two rules, one per window pair (Sloth has one rule with
  `or`): the alert says which pair fires (`slo_window`), and the slow pair stays quiet while the
  quick one fires, so there is never more than one page (or ticket) per SLO, as with Sloth.

The SLO becomes Signals, Alerts and Groups of its service; everything alertgen does with those
(rendering, examples, routing, runbooks, checks) then applies to it.
"""

from __future__ import annotations

from typing import TypeVar

from .spec import Alert, Dashboard, Group, Panel, Row, Runbook, Section, Service, Signal, Step
from .spec.house import Conventions
from .spec.slo import SLO, WINDOW, BurnWindow, Events, Latency, RawRatio, SLOAlert, Windows
from .spec.types import Duration

# Google's windows (the SRE workbook's; Sloth's defaults), for 30-day and 28-day periods alike.
GOOGLE = Windows(
    page_quick=BurnWindow(budget_percent=2, short=Duration("5m"), long=Duration("1h")),
    page_slow=BurnWindow(budget_percent=5, short=Duration("30m"), long=Duration("6h")),
    ticket_quick=BurnWindow(budget_percent=10, short=Duration("2h"), long=Duration("1d")),
    ticket_slow=BurnWindow(budget_percent=10, short=Duration("6h"), long=Duration("3d")),
)
IDS = ("sloth_id", "sloth_service", "sloth_slo")


def with_slos(service: Service, house: Conventions) -> Service:
    """The service with each SLO's rules added as Groups (its spec object, extended)."""
    if not service.slos:
        return service
    slos = [slo for slo in service.slos if not slo.invalid]
    if not slos:
        return service  # each SLO's error is reported
    made = [_groups(service, slo, house) for slo in slos]
    groups = [g for parts in made for g in parts]
    rows = tuple(_row(slo, parts) for slo, parts in zip(slos, made, strict=True))
    section = Section(
        title="Service Level Objectives", steps=tuple(_explained(slo) for slo in slos), numbered=False
    )
    section._loc = service.location
    # Without a layout of its own, the other signals land in a last row (layout.LEFTOVER_ROW).
    board = service.dashboard or Dashboard(rows=rows)
    if service.dashboard is not None:
        board = board.model_copy(update={"rows": (*board.rows, *rows)})
    update = {
        "groups": (*service.groups, *groups),
        "sections": (section, *service.sections),
        "dashboard": board,
    }
    return service.model_copy(update=update) if slos else service


def _row(slo: SLO, groups: list[Group]) -> Row:
    """The SLO's dashboard row: its error ratio per window, burn rates, budget, period and info."""
    sli, meta = (tuple(r for r in g.rules if isinstance(r, Signal)) for g in groups[:2])
    key = f"slo_{slo.name.replace('-', '_')}_"
    pick = {name.removeprefix(key): sig for name, sig in ((s.name, s) for s in meta)}
    panels = (
        Panel(signals=sli, title="Error ratio per window"),
        Panel(signals=(pick["burn_rate"], pick["period_burn_rate"]), title="Burn rate (× the budget's pace)"),
        Panel(signals=(pick["budget_left"], pick["objective"], pick["error_budget"]), title="Error budget"),
        Panel(signals=(pick["period_days"],), title="Period (days)"),
        Panel(signals=(pick["info"],), title="SLO info"),
    )
    row = Row(title=f"SLO {slo.name}", panels=panels)
    for item in (row, *panels):
        item._loc = slo.location
    return row


def _explained(slo: SLO) -> Step:
    """What an SLO promises, how its budget is spent, and what each of its alerts asks of on-call."""
    windows = slo.windows or GOOGLE
    budget = 100 - slo.objective
    pairs = {
        "page": (windows.page_quick, windows.page_slow),
        "ticket": (windows.ticket_quick, windows.ticket_slow),
    }
    bullets = [
        f"{kind.capitalize()} ({slo.alert}, slo_window {pair.short.text}/{pair.long.text}): the budget burns "
        f"{_number(burn_factor(pair, slo.period))}× too fast over both {pair.short.text} and "
        f"{pair.long.text}: {pair.budget_percent:g}% of it gone in {pair.long.text}"
        for kind, both in pairs.items()
        if (slo.page if kind == "page" else slo.ticket).enabled
        for pair in both
    ]
    return Step(
        title=f"{slo.name}: {slo.objective:g}% over {slo.period.text}",
        text=(
            f"{slo.description + ' ' if slo.description else ''}The error budget is {budget:.4g}% of "
            f"{'requests' if not isinstance(slo.sli, RawRatio) else 'the SLI'} over {slo.period.text}. "
            "A page means users are affected now: mitigate first. A ticket means the budget will run out "
            "within days at this pace: fix it in working hours. The page silences the ticket while both fire."
        ),
        bullets=tuple(bullets),
    )


def burn_factor(window: BurnWindow, period: Duration) -> float:
    """How many times the budget's pace a window pair alerts at: 2% of 30 days in 1h is 14.4."""
    return window.budget_percent / 100 * (period.seconds / window.long.seconds)


def _groups(service: Service, slo: SLO, house: Conventions) -> list[Group]:
    ident = f"{service.name}-{slo.name}"
    labels = {**slo.labels, "sloth_id": ident, "sloth_service": service.name, "sloth_slo": slo.name}
    match = ", ".join(f'{k}="{v}"' for k, v in labels.items() if k in IDS)
    windows = slo.windows or GOOGLE
    pairs = (windows.page_quick, windows.page_slow, windows.ticket_quick, windows.ticket_slow)
    spans = sorted({d.seconds: d for w in pairs for d in (w.short, w.long)}.values(), key=lambda d: d.seconds)
    snake = slo.name.replace("-", "_")
    sli = [
        _at(
            slo,
            Signal(
                name=f"slo_{snake}_error_{w.text}",
                title=f"{slo.name} error ratio ({w.text})",
                record=f"slo:sli_error:ratio_rate{w.text}",
                expr=_sli(slo, w.text),
                unit="percentunit",
                labels={**labels, "sloth_window": w.text},
            ),
        )
        for w in spans
    ]
    period = slo.period.text
    base = f"slo:sli_error:ratio_rate{spans[0].text}{{{match}}}"
    sli.append(
        _at(
            slo,
            Signal(
                name=f"slo_{snake}_error_{period}",
                title=f"{slo.name} error ratio ({period})",
                record=f"slo:sli_error:ratio_rate{period}",
                expr=(
                    f"sum_over_time({base}[{period}])\n/ ignoring (sloth_window)\n"
                    f"count_over_time({base}[{period}])"
                ),
                unit="percentunit",
                labels={**labels, "sloth_window": period},
            ),
        )
    )
    budget = (100 - slo.objective) / 100
    meta = [
        ("objective", "slo:objective:ratio", f"vector({slo.objective / 100!r})", "percentunit", {}),
        ("error_budget", "slo:error_budget:ratio", f"vector(1-{slo.objective / 100!r})", "percentunit", {}),
        ("period_days", "slo:time_period:days", f"vector({slo.period.seconds // 86400})", "short", {}),
        ("burn_rate", "slo:current_burn_rate:ratio", _burn(spans[0].text, match), "short", {}),
        ("period_burn_rate", "slo:period_burn_rate:ratio", _burn(period, match), "short", {}),
        (
            "budget_left",
            "slo:period_error_budget_remaining:ratio",
            f"1 - slo:period_burn_rate:ratio{{{match}}}",
            "percentunit",
            {},
        ),
        ("info", "sloth_slo_info", "vector(1)", "none", {"sloth_objective": f"{slo.objective:g}"}),
    ]
    metas = [
        _at(
            slo,
            Signal(
                name=f"slo_{snake}_{key}",
                title=f"{slo.name} {key.replace('_', ' ')}",
                record=record,
                expr=expr,
                unit=unit,
                labels={**labels, **extra},
            ),
        )
        for key, record, expr, unit, extra in meta
    ]
    alerts: list[Alert] = []
    for kind, rank, spec_alert, quick, slow in (
        ("page", 0, slo.page, windows.page_quick, windows.page_slow),
        ("ticket", 1, slo.ticket, windows.ticket_quick, windows.ticket_slow),
    ):
        if not spec_alert.enabled:
            continue
        severity = spec_alert.severity or house.severities[min(rank, len(house.severities) - 1)]
        first = _pair(quick, slo.period, budget, match)
        for pair, condition in ((quick, first), (slow, _pair(slow, slo.period, budget, match))):
            if pair is slow:  # the quick pair says it first: one alert per SLO and kind, as Sloth
                condition = f"({condition})\nunless on ({', '.join(IDS)})\n({first})"
            alerts.append(_at(slo, _alert(slo, kind, severity, spec_alert, pair, condition)))
    return [
        _at(slo, Group(name=f"sloth-slo-sli-recordings-{ident}", rules=tuple(sli))),
        _at(slo, Group(name=f"sloth-slo-meta-recordings-{ident}", rules=tuple(metas))),
        _at(slo, Group(name=f"sloth-slo-alerts-{ident}", rules=tuple(alerts))),
    ]


def _sli(slo: SLO, window: str) -> str:
    """The SLI's error ratio over one window."""
    sli = slo.sli
    if isinstance(sli, Events):
        error, total = (q.replace(WINDOW, window) for q in (sli.error_query, sli.total_query))
        return f"({error})\n/\n({total})"
    if isinstance(sli, RawRatio):
        return f"({sli.error_ratio_query.replace(WINDOW, window)})"
    assert isinstance(sli, Latency)
    sel = sli.selector
    slow = f'{sli.histogram}_bucket{{{sel}{", " if sel else ""}le="{sli.le}"}}'
    count = f"{sli.histogram}_count{{{sel}}}" if sel else f"{sli.histogram}_count"
    total = f"sum(rate({count}[{window}]))"
    return f"(\n  {total}\n  -\n  sum(rate({slow}[{window}]))\n)\n/\n{total}"


def _burn(window: str, match: str) -> str:
    return (
        f"slo:sli_error:ratio_rate{window}{{{match}}}\n/ on ({', '.join(IDS)}) group_left\n"
        f"slo:error_budget:ratio{{{match}}}"
    )


def _pair(pair: BurnWindow, period: Duration, budget: float, match: str) -> str:
    factor = _number(burn_factor(pair, period))
    return "\nand\n".join(
        f"max(slo:sli_error:ratio_rate{w.text}{{{match}}} > ({factor} * {budget!r})) without (sloth_window)"
        for w in (pair.short, pair.long)
    )


def _alert(slo: SLO, kind: str, severity: str, spec: SLOAlert, pair: BurnWindow, condition: str) -> Alert:
    factor = _number(burn_factor(pair, slo.period))
    page = kind == "page"
    notes = {**slo.alert_annotations, **spec.annotations}
    summary = notes.pop("summary", None) or (
        f"{slo.name}: the error budget burns {factor}× too fast ({pair.short.text} and {pair.long.text})"
    )
    what = notes.pop("description", None) or (
        f"At this pace the {slo.period.text} error budget of {slo.objective:g}% is spent in "
        f"{_days(slo.period.seconds / burn_factor(pair, slo.period))}. "
        + ("Act now: users are affected." if page else "Plan a fix within working hours.")
    )
    return Alert(
        name=slo.alert,
        title=f"{slo.alert} ({kind}, {pair.short.text} and {pair.long.text})",
        severity=severity,
        expr=condition,
        summary=summary,
        description=what,
        labels={
            **slo.alert_labels,
            **spec.labels,
            "sloth_severity": kind,
            "slo_window": f"{pair.short.text}/{pair.long.text}",
        },
        annotations=notes,
        runbook=slo.runbook or _runbook(slo, page, factor),
    )


def _runbook(slo: SLO, page: bool, factor: str) -> Runbook:
    return Runbook(
        actions=(
            Step(
                title="See how fast the budget burns",
                text=f"The SLO {slo.name} ({slo.objective:g}% over {slo.period.text}) burns its error "
                f"budget {factor}× faster than it may. Open the SLO panels: the error ratio per window, "
                "the burn rate and the budget left show whether the burn is still going on.",
            ),
            Step(
                title="Find what fails",
                text="The SLI's error query names the failing requests: break it down by the labels it "
                "keeps (handler, code, instance) to find where they come from.",
            ),
            Step(
                title="Stop the burn" if page else "Plan the fix",
                text=(
                    "Mitigate first (roll back, fail over, shed load), then find the cause."
                    if page
                    else "The slow burn will spend the budget in days: file the fix and follow it."
                ),
            ),
        ),
        notes=slo.description,
    )


def _days(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.0f} hours" if hours < 48 else f"{hours / 24:.0f} days"


def _number(value: float) -> str:
    """A factor as Sloth prints it: `14.4`, `6`."""
    value = round(value, 10)
    return str(int(value)) if value == int(value) else repr(value)


T = TypeVar("T", Signal, Alert, Group)


def _at(slo: SLO, obj: T) -> T:
    """Messages about what the SLO wrote name the SLO's line."""
    obj._loc = slo.location
    return obj
