"""Prometheus rule files: one group per service, recording rules first, then alerts."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .. import conventions as conv
from ..model import Model, ResolvedService
from .yamlout import dump


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`prometheus/rules/<service>.rules.yml`: the service's rule group."""
    return {conv.rules_path(service.name): _file(service)}


def header(service: ResolvedService) -> str:
    """The generated-file notice shared by the Prometheus artifacts."""
    source = f"{service.source} (service {service.name} {service.spec.version}, alertgen {__version__})"
    return conv.GENERATED_NOTICE.format(source=source)


def rules(service: ResolvedService) -> list[dict[str, Any]]:
    """The rule list of a service's group, as plain data."""
    out: list[dict[str, Any]] = [{"record": r.name, "expr": r.expr} for r in service.recordings]
    for alert in service.alerts:
        rule: dict[str, Any] = {"alert": alert.name, "expr": alert.expr}
        if alert.for_:
            rule["for"] = alert.for_.text
        if alert.keep_firing_for:
            rule["keep_firing_for"] = alert.keep_firing_for.text
        rule["labels"] = dict(alert.labels)
        rule["annotations"] = dict(alert.annotations)
        out.append(rule)
    return out


def _file(service: ResolvedService) -> str:
    group = {
        "name": conv.group_name(service.name),
        "interval": service.spec.evaluation_interval.text,
        "rules": rules(service),
    }
    return dump({"groups": [group]}, header=header(service))
