"""Prometheus rule files: a service's own group (recording rules first, then alerts), then its Groups.

Rules are split by where they are evaluated: the source tier's file keeps today's name, the
global tier's says so (`<service>.global.rules.yml`) and is written only when the service has
global rules. The targets' renderers write the same groups per tier.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import __version__
from .. import conventions as conv
from ..model import Model, ResolvedGroup, ResolvedService
from .yamlout import dump

SOURCE = "source"
EVALUATIONS = (SOURCE, "global")


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`prometheus/rules/<service>.rules.yml` (and `.global.rules.yml`): the service's rule groups."""
    return per_tier(
        service, lambda tier: conv.rules_path(service.name, tier), lambda tier: _file(service, tier)
    )


def per_tier(
    service: ResolvedService, path: Callable[[str], str], text: Callable[[str], str]
) -> dict[str, str]:
    """One file per evaluation tier the service has rules in (the source tier's always)."""
    return {path(tier): text(tier) for tier in tiers(service)}


def tiers(service: ResolvedService) -> tuple[str, ...]:
    """The evaluation tiers of a service's files: the source always, others where rules are."""
    used = {evaluation(service, rule) for group in service.groups for rule in group.rules}
    return tuple(t for t in EVALUATIONS if t == SOURCE or t in used)


def evaluation(service: ResolvedService, rule: tuple[str, int]) -> str:
    """Where one of a group's rules is evaluated."""
    kind, index = rule
    return (service.recordings[index] if kind == "record" else service.alerts[index]).evaluation


def header(service: ResolvedService) -> str:
    """The generated-file notice shared by the Prometheus artifacts."""
    source = f"{service.source} (service {service.name} {service.spec.version}, alertgen {__version__})"
    return conv.GENERATED_NOTICE.format(source=source)


def rules(service: ResolvedService, group: ResolvedGroup, tier: str = SOURCE) -> list[dict[str, Any]]:
    """The rule list of one of a service's groups, those evaluated at `tier`, as plain data."""
    out: list[dict[str, Any]] = []
    for kind, index in group.rules:
        if evaluation(service, (kind, index)) != tier:
            continue
        if kind == "record":
            rec = service.recordings[index]
            record: dict[str, Any] = {"record": rec.name, "expr": rec.expr}
            if rec.signal.labels:
                record["labels"] = dict(rec.signal.labels)
            out.append(record)
            continue
        alert = service.alerts[index]
        rule: dict[str, Any] = {"alert": alert.name, "expr": alert.expr}
        if alert.for_:
            rule["for"] = alert.for_.text
        if alert.keep_firing_for:
            rule["keep_firing_for"] = alert.keep_firing_for.text
        rule["labels"] = dict(alert.labels)
        rule["annotations"] = dict(alert.annotations)
        out.append(rule)
    return out


def groups(service: ResolvedService, tier: str = SOURCE) -> list[dict[str, Any]]:
    """The service's rule groups evaluated at `tier` as plain data, as every rule format shares them.

    A group goes where its rules are evaluated (to both tiers when they are mixed); an empty
    group stays at the source, as declared.
    """
    out = []
    for group in service.groups:
        picked = rules(service, group, tier)
        if not picked and (group.rules or tier != SOURCE):
            continue
        data: dict[str, Any] = {"name": group.name}
        if group.interval is not None:
            data["interval"] = group.interval.text
        if group.limit:
            data["limit"] = group.limit
        data["rules"] = picked
        out.append(data)
    return out


def _file(service: ResolvedService, tier: str) -> str:
    return dump({"groups": groups(service, tier)}, header=header(service))
