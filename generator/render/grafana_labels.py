"""The labels a service's series carry as Prometheus evaluates them, for the dashboard's matchers.

A signal may read a series that is another signal's recording rule (declared in `metrics=` under
the record's name, so the build takes the catalog's labels for it: the target labels and more).
Prometheus gives that series the record's labels instead; a record that aggregates `namespace`
away feeds none to its readers. Dashboards add a variable's matcher only where the series keeps
the label (`dashboard/filter-dropped` rejects any other), so they read the labels from here,
following records the way the checks' label flow does (generator/checks/labelflow.py).
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Recording, ResolvedAlert, ResolvedService
from ..promql import flow


def record_labels(service: ResolvedService) -> dict[str, frozenset[str]]:
    """The labels each recording rule of the service keeps, its reads of other records followed."""
    records: dict[str, Recording] = {}
    for rec in service.recordings:
        records.setdefault(rec.name, rec)  # Prometheus-wise the first rule of a name, as the checks
    kept: dict[str, frozenset[str]] = {}
    busy: set[str] = set()

    def of(name: str) -> frozenset[str]:
        found = kept.get(name)
        if found is not None:
            return found
        if name in busy:  # a record reading itself, as the checks see it, keeps no label
            return frozenset()
        busy.add(name)
        try:
            found = kept[name] = flow(records[name].ast, labels_of).resolve(frozenset())
        finally:
            busy.discard(name)
        return found

    def labels_of(name: str) -> frozenset[str] | None:
        return of(name) if name in records else service.catalog.get(name)

    for name in records:
        of(name)
    return kept


def as_evaluated(service: ResolvedService) -> ResolvedService:
    """The service with each recording's and alert's `kept_labels` as Prometheus gives them."""
    kept = record_labels(service)
    if all(kept[r.name] == r.kept_labels for r in service.recordings):
        return service  # no signal reads a record that drops a label its catalog entry has

    def labels_of(name: str) -> frozenset[str] | None:
        return kept.get(name, service.catalog.get(name))

    # By name: a built service has one recording rule and one alert of each name.
    alerts = {a.name: flow(a.ast, labels_of).resolve(frozenset()) for a in service.alerts}

    def rec(r: Recording) -> Recording:
        return replace(r, kept_labels=kept[r.name])

    def alert(a: ResolvedAlert) -> ResolvedAlert:
        return replace(a, kept_labels=alerts[a.name])

    rows = tuple(
        replace(
            row,
            panels=tuple(
                replace(p, recordings=tuple(map(rec, p.recordings)), alerts=tuple(map(alert, p.alerts)))
                for p in row.panels
            ),
        )
        for row in service.rows
    )
    return replace(
        service,
        recordings=tuple(map(rec, service.recordings)),
        alerts=tuple(map(alert, service.alerts)),
        rows=rows,
    )
