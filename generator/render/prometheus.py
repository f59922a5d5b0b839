"""Prometheus rule files: a service's own group (recording rules first, then alerts), then its Groups."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .. import conventions as conv
from ..model import Model, ResolvedGroup, ResolvedService
from .yamlout import dump


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`prometheus/rules/<service>.rules.yml`: the service's rule groups."""
    return {conv.rules_path(service.name): _file(service)}


def header(service: ResolvedService) -> str:
    """The generated-file notice shared by the Prometheus artifacts."""
    source = f"{service.source} (service {service.name} {service.spec.version}, alertgen {__version__})"
    return conv.GENERATED_NOTICE.format(source=source)


def rules(service: ResolvedService, group: ResolvedGroup) -> list[dict[str, Any]]:
    """The rule list of one of a service's groups, as plain data."""
    out: list[dict[str, Any]] = []
    for kind, index in group.rules:
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


def groups(service: ResolvedService) -> list[dict[str, Any]]:
    """The service's rule groups as plain data, as every rule format shares them."""
    out = []
    for group in service.groups:
        data: dict[str, Any] = {"name": group.name}
        if group.interval is not None:
            data["interval"] = group.interval.text
        if group.limit:
            data["limit"] = group.limit
        data["rules"] = rules(service, group)
        out.append(data)
    return out


def _file(service: ResolvedService) -> str:
    return dump({"groups": groups(service)}, header=header(service))
