"""Rule files compared by meaning: groups, and per rule its name, labels, annotations, durations
and expression as parsed PromQL (layout and redundant spacing do not count)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

import promql_parser as pp

from ..spec.types import Duration
from .source import SourceFile, SourceGroup, SourceRule


def differences(theirs: Sequence[SourceFile], ours: Sequence[SourceFile]) -> list[str]:
    """Each way `ours` differs from `theirs`, as `group/rule: field: theirs != ours`; none when equal.

    Groups are matched by name across all files (a source's groups may be spread over files; a
    name used in several files pairs up in file order); rules within a group in order.
    """
    their_groups, our_groups = _by_name(theirs), _by_name(ours)
    out = [f"{name[0]}: group: present != missing" for name in their_groups if name not in our_groups]
    out += [f"{name[0]}: group: missing != present" for name in our_groups if name not in their_groups]
    for name, theirs_group in their_groups.items():
        if name in our_groups:
            out += _group(theirs_group, our_groups[name])
    return out


def _by_name(files: Sequence[SourceFile]) -> dict[tuple[str, int], SourceGroup]:
    """Groups by (name, how many of that name came before): files may each have a group `g`."""
    out: dict[tuple[str, int], SourceGroup] = {}
    for group in (g for f in files for g in f.groups):
        n = sum(1 for key in out if key[0] == group.name)
        out[(group.name, n)] = group
    return out


def _group(theirs: SourceGroup, ours: SourceGroup) -> list[str]:
    out = []
    if _seconds(theirs.interval, None) != _seconds(ours.interval, None):
        out.append(f"{theirs.name}: interval: {theirs.interval!r} != {ours.interval!r}")
    if theirs.limit != ours.limit:
        out.append(f"{theirs.name}: limit: {theirs.limit!r} != {ours.limit!r}")
    # Group keys alertgen does not write (query_offset, Mimir's own) are differences; a group's
    # labels are on each of its rules (read_rules), its Thanos strategy in Targets (targets.py).
    for key, value in theirs.other.items():
        if key not in ("labels", "partial_response_strategy") and ours.other.get(key) != value:
            out.append(f"{theirs.name}: {key}: {value!r} != {ours.other.get(key, 'missing')}")
    # Rules pair up by kind and name in order, so one missing rule is one difference, not a shift.
    mine_keys = [(r.kind, r.name) for r in theirs.rules]
    your_keys = [(r.kind, r.name) for r in ours.rules]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, mine_keys, your_keys, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            for mine, yours in zip(theirs.rules[i1:i2], ours.rules[j1:j2], strict=True):
                out += _rule(f"{theirs.name}/{mine.name}", mine, yours)
            continue
        out += [f"{theirs.name}/{r.name}: rule: present != missing" for r in theirs.rules[i1:i2]]
        out += [f"{theirs.name}/{r.name}: rule: missing != present" for r in ours.rules[j1:j2]]
    return out


_FIELDS: dict[str, Callable[[SourceRule], object]] = {
    "kind": lambda r: r.kind,
    "name": lambda r: r.name,
    "labels": lambda r: dict(r.labels),
    "annotations": lambda r: dict(r.annotations),
    "for": lambda r: _seconds(r.for_, 0.0),
    "keep_firing_for": lambda r: _seconds(r.keep_firing_for, 0.0),
    "expr": lambda r: expression(r.expr),
}


def _rule(where: str, theirs: SourceRule, ours: SourceRule) -> list[str]:
    return [
        f"{where}: {field}: {value(theirs)!r} != {value(ours)!r}"
        for field, value in _FIELDS.items()
        if value(theirs) != value(ours)
    ]


def _seconds(text: str | None, absent: float | None) -> float | None:
    """A duration's length (`1h` equals `60m`); `absent` when there is none."""
    return absent if text is None else Duration(text).seconds


def expression(text: str) -> str:
    """An expression as promql_parser prints it; its text, single-spaced, when it does not parse."""
    try:
        return str(pp.parse(text).prettify())
    except ValueError:
        return " ".join(text.split())
