"""A service's versions from git history: the changelog of its runbook, and `changed_in` for the
alerts whose spec leaves it unset.

Every commit that touched the specs folder is loaded (the specs as they were then, through the
same load and build), oldest first, then the working tree. A run of consecutive states at one
`Service.version` is that version; its entry is the semantic diff (review/compare.py) between
the last state of the version before and its own last state. An alert was last changed in the
newest version whose entry names it. Dates are commit dates, never the clock, so the same
history gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import SpecErrors
from ..isolate import DEFAULT_TIMEOUT
from ..model import ChangelogEntry, Model
from ..pipeline import load
from . import gitrev
from .compare import compare
from .report import words
from .snapshot import ServiceFacts, snapshot

# A state of the specs: the commit date ("" for the working tree) and every service's behaviour.
State = tuple[str, Mapping[str, ServiceFacts]]


def with_history(specs_dir: Path, model: Model, *, timeout: float = DEFAULT_TIMEOUT) -> Model:
    """`model` with each service's changelog and, where the spec leaves it unset, each alert's
    `changed_in` from git history; `model` unchanged when the specs are not in git."""
    if gitrev.toplevel(specs_dir) is None:
        return model
    states = [*_committed(specs_dir, timeout), ("", snapshot(model))]
    changelog = {s.name: entries(s.name, states) for s in model.services}
    services = []
    for service in model.services:
        last = last_changed(changelog[service.name])
        alerts = tuple(
            a if a.changed_in or a.name not in last else replace(a, changed_in=last[a.name])
            for a in service.alerts
        )
        services.append(replace(service, alerts=alerts))
    return replace(model, services=tuple(services), changelog=changelog)


def _committed(specs_dir: Path, timeout: float) -> list[State]:
    states: list[State] = []
    for sha, date in gitrev.log(specs_dir):
        with gitrev.specs_at(specs_dir, sha) as folder:
            if folder is None:
                continue
            try:
                states.append((date, snapshot(load(folder, timeout=timeout))))
            except SpecErrors:
                continue  # a commit whose specs did not build was never released
    return states


def entries(name: str, states: Sequence[State]) -> tuple[ChangelogEntry, ...]:
    """One service's changelog, newest version first."""
    runs: list[tuple[str, str, ServiceFacts]] = []  # (version, first date, last state)
    for date, services in states:
        facts = services.get(name)
        if facts is None:
            continue
        if runs and runs[-1][0] == facts.version:
            runs[-1] = (runs[-1][0], runs[-1][1], facts)
        else:
            runs.append((facts.version, date, facts))
    out = []
    before: dict[str, ServiceFacts] = {}
    for version, date, facts in runs:
        diff = compare(before, {name: facts})
        changes = tuple((c.alert, w) for d in diff for c in d.changes for w in words(c))
        out.append(ChangelogEntry(version, date, changes))
        before = {name: facts}
    return tuple(reversed(out))


def last_changed(changelog: Sequence[ChangelogEntry]) -> dict[str, str]:
    """Per alert name, the newest version whose entry names it."""
    out: dict[str, str] = {}
    for entry in reversed(changelog):  # oldest first, so newer versions overwrite
        for alert, _ in entry.changes:
            out[alert] = entry.version
    return out
