"""Two snapshots compared: per service, the alerts added, removed and renamed, and every fact of an
alert that differs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .snapshot import AlertFacts, ServiceFacts, Value

# Facts that list alerts by name.
ALERT_LISTS = ("inhibited by", "inhibits")

ADDED = "added"
REMOVED = "removed"
RENAMED = "renamed"


@dataclass(frozen=True)
class Change:
    """One difference: `field` of `alert` went from `before` to `after` (None: absent).

    An alert added, removed or renamed is a change whose field is `added`, `removed` or
    `renamed` (before and after are then the names)."""

    alert: str
    field: str
    before: Value
    after: Value


@dataclass(frozen=True)
class ServiceDiff:
    """What changed in one service's alerting; versions are None where the service is absent."""

    name: str
    title: str
    before_version: str | None
    after_version: str | None
    changes: tuple[Change, ...]

    @property
    def version_bumped(self) -> bool:
        """Whether the service's version differs between the two sides."""
        return self.before_version != self.after_version


def compare(base: Mapping[str, ServiceFacts], head: Mapping[str, ServiceFacts]) -> list[ServiceDiff]:
    """Every service whose alerting behaviour differs, by name; services that do not, left out."""
    names = sorted(base.keys() | head.keys())
    matches = {
        name: _match(base[name].alerts if name in base else (), head[name].alerts if name in head else ())
        for name in names
    }
    # An inhibition of a renamed alert is the same inhibition: names are compared after renames.
    renames = {was.name: now.name for m in matches.values() for was, now in m.renamed}
    out = []
    for name in names:
        old, new = base.get(name), head.get(name)
        changes = matches[name].changes(renames)
        if changes:
            some = new or old
            assert some is not None
            out.append(
                ServiceDiff(
                    name,
                    some.title,
                    old.version if old else None,
                    new.version if new else None,
                    tuple(changes),
                )
            )
    return out


@dataclass(frozen=True)
class _Match:
    """One service's alerts paired up: removed, added, renamed (old, new) and kept (old, new)."""

    gone: list[AlertFacts]
    came: list[AlertFacts]
    renamed: list[tuple[AlertFacts, AlertFacts]]
    kept: list[tuple[AlertFacts, AlertFacts]]

    def changes(self, renames: Mapping[str, str]) -> list[Change]:
        out = [Change(a.name, REMOVED, a.name, None) for a in self.gone]
        out += [Change(a.name, ADDED, None, a.name) for a in self.came]
        for was, now in self.renamed:
            out.append(Change(now.name, RENAMED, was.name, now.name))
            out += _facts(now.name, was, now, renames)
        for was, now in self.kept:
            out += _facts(now.name, was, now, renames)
        return out


def _match(old: tuple[AlertFacts, ...], new: tuple[AlertFacts, ...]) -> _Match:
    before = {a.key: a for a in old}
    after = {a.key: a for a in new}
    gone = [a for a in old if a.key not in after]
    came = [a for a in new if a.key not in before]
    kept = [(before[a.key], a) for a in new if a.key in before]
    renamed: list[tuple[AlertFacts, AlertFacts]] = []
    for was in list(gone):
        # A rename keeps the signal (or expression) and the labels; only one candidate counts.
        same = [a for a in came if a.identity == was.identity]
        if len(same) == 1:
            renamed.append((was, same[0]))
            gone.remove(was)
            came.remove(same[0])
    return _Match(gone, came, renamed, kept)


def _facts(name: str, was: AlertFacts, now: AlertFacts, renames: Mapping[str, str]) -> list[Change]:
    fields = list(dict.fromkeys([f for f, _ in was.fields] + [f for f, _ in now.fields]))
    out = []
    for field in fields:
        before, after = was.value(field), now.value(field)
        if field in ALERT_LISTS and isinstance(before, tuple):
            before = tuple(renames.get(n, n) for n in before)
        if before != after:
            out.append(Change(name, field, was.value(field), after))
    return out
