"""A service's dashboard layout resolved: rows of panels, each panel's signals, alerts and id.

Every signal gets exactly one panel. Panel ids are small and follow the spec's declaration
order, not the screen: 1 is the firing-alerts table, then the signals alerts watch (in the
order of the alerts), then the other signals (signals=, Groups'), then the rows. So each
alert's `dashboard_url` (`viewPanel=<id>`) is known before the layout is; an alert added at
the end or a signal added anywhere renumbers no panel an alert links to; and moving panels
between rows keeps every link and bookmark (docs/grafana.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import conventions as conv
from .errors import ErrorSink, Location
from .model import Recording, ResolvedAlert, ResolvedPanel, ResolvedRow
from .spec import Panel, Service, Signal
from .spec.types import Category

ALERTS_PANEL_ID = 1
DEFAULT_ROW = "Overview"
BUSINESS_ROW = "Business"
LEFTOVER_ROW = "Other signals"


@dataclass
class _Plan:
    """A row as written (or defaulted), before validation: titles, signals and where they came from."""

    title: str
    location: Location
    panels: list[tuple[str, tuple[Signal, ...], Location]]


_last: tuple[Service, dict[str, int]] | None = None


def panel_ids(service: Service) -> dict[str, int]:
    """Each signal's panel id: 2, 3, ... for the alerts' signals in alert order, then the others
    in declaration order. Cached for the last service: every alert of a service asks in turn."""
    global _last
    if _last is not None and _last[0] is service:
        return _last[1]
    names: dict[str, int] = {}
    signals = [*(getattr(a, "signal", None) for a in service.all_alerts()), *service.all_signals()]
    for signal in signals:
        if isinstance(signal, Signal) and signal.name not in names:
            names[signal.name] = ALERTS_PANEL_ID + 1 + len(names)
    _last = (service, names)
    return names


def resolve(
    sink: ErrorSink,
    service: Service,
    signals: Mapping[str, Signal],
    recordings: Mapping[str, Recording],
    alerts: Sequence[ResolvedAlert],
) -> tuple[ResolvedRow, ...]:
    """The dashboard rows of a service; layout mistakes go to `sink` as spec errors."""
    watchers: dict[str, list[ResolvedAlert]] = {}
    for alert in alerts:
        if alert.signal is not None:  # an expr= alert without a signal has no panel
            watchers.setdefault(alert.signal.name, []).append(alert)
    plans = _written(service) if service.dashboard else _default(recordings, watchers)
    ids = panel_ids(service)
    next_id = max(ids.values(), default=ALERTS_PANEL_ID) + 1  # rows after every signal panel
    placed: dict[str, Location] = {}
    rows: list[ResolvedRow] = []
    titles: dict[str, Location] = {}
    for plan in plans:
        if plan.title in titles:
            sink.add(
                plan.location, f"Row {plan.title!r}", f"duplicate row title; first at {titles[plan.title]}"
            )
            continue
        titles[plan.title] = plan.location
        panels = []
        for title, sigs, where in plan.panels:
            recs = _panel_recordings(sink, service, sigs, where, signals, recordings, placed, watchers)
            if recs:
                key = recs[0].signal.name
                watched = tuple(a for r in recs for a in watchers.get(r.signal.name, ()))
                label = title or recs[0].signal.title or conv.title_from_name(key)
                panels.append(ResolvedPanel(ids[key], key, label, recs, watched))
        if panels:
            rows.append(ResolvedRow(next_id, plan.title, tuple(panels)))
            next_id += 1
    leftover = tuple(
        ResolvedPanel(
            ids[name],
            name,
            rec.signal.title or conv.title_from_name(name),
            (rec,),
            tuple(watchers.get(name, ())),
        )
        for name, rec in recordings.items()
        if name not in placed
    )
    if leftover:
        rows.append(ResolvedRow(next_id, LEFTOVER_ROW, leftover))
    return tuple(rows)


def _written(service: Service) -> list[_Plan]:
    assert service.dashboard is not None
    plans = []
    for row in service.dashboard.rows:
        if row.invalid:
            continue
        panels = []
        for item in row.panels:
            if isinstance(item, Panel):
                if not item.invalid:
                    panels.append((item.title, item.signals, item.location))
            elif not item.invalid:
                panels.append(("", (item,), row.location))
        plans.append(_Plan(row.title, row.location, panels))
    return plans


def _default(recordings: Mapping[str, Recording], watchers: Mapping[str, list[ResolvedAlert]]) -> list[_Plan]:
    """Without a layout: business signals (watched only by business alerts) below the others."""
    rows = {
        DEFAULT_ROW: _Plan(DEFAULT_ROW, Location("<default>", 0), []),
        BUSINESS_ROW: _Plan(BUSINESS_ROW, Location("<default>", 0), []),
    }
    for name, rec in recordings.items():
        cats = {a.category for a in watchers.get(name, ())}
        row = BUSINESS_ROW if cats == {Category.BUSINESS} else DEFAULT_ROW
        rows[row].panels.append(("", (rec.signal,), rec.signal.location))
    return list(rows.values())


def _panel_recordings(
    sink: ErrorSink,
    service: Service,
    sigs: tuple[Signal, ...],
    where: Location,
    signals: Mapping[str, Signal],
    recordings: Mapping[str, Recording],
    placed: dict[str, Location],
    watchers: Mapping[str, list[ResolvedAlert]],
) -> tuple[Recording, ...]:
    """The recordings a panel plots, in order; a signal that cannot be plotted is reported."""
    subject = f"Panel {sigs[0].name!r}"
    out: list[Recording] = []
    for i, sig in enumerate(sigs):
        known = signals.get(sig.name)
        if known is None:
            sink.add(
                where,
                subject,
                f"signal {sig.name!r} is not a signal of service {service.name!r}; "
                "add it to signals= or to an alert",
            )
            continue
        if known.expr != sig.expr or known.unit != sig.unit:
            sink.add(where, subject, f"signal {sig.name!r} differs from the one defined at {known.location}")
            continue
        if sig.name in placed:
            sink.add(
                where,
                subject,
                f"signal {sig.name!r} is already on the dashboard (at {placed[sig.name]}); place it once",
            )
            continue
        placed[sig.name] = where
        rec = recordings.get(sig.name)
        if rec is None:  # its expression is broken, which is reported already
            continue
        if i > 0 and sig.name in watchers:
            sink.add(
                where,
                subject,
                f"signal {sig.name!r} is watched by alert {watchers[sig.name][0].name!r}, whose "
                "dashboard_url opens the panel named after its signal; put it first in a panel",
            )
            continue
        if out and rec.signal.unit != out[0].signal.unit:
            sink.add(
                where,
                subject,
                f"signals {out[0].signal.name!r} ({out[0].signal.unit.value}) and {sig.name!r} "
                f"({sig.unit.value}) have different units; plot them in separate panels",
            )
            continue
        out.append(rec)
    return tuple(out)
