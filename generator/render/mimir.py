"""Mimir/Cortex ruler namespace files (`namespace:` + `groups:`), as `mimirtool rules sync` reads them."""

from __future__ import annotations

from .. import conventions as conv
from ..model import Model, ResolvedService
from .prometheus import groups, header
from .yamlout import dump


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`mimir/rules/<service>.namespace.yml`, when Mimir is a target."""
    target = model.targets.mimir
    if target is None:
        return {}
    data = {"namespace": target.namespace or service.name, "groups": groups(service)}
    return {conv.target_path("mimir", service.name): dump(data, header=header(service))}
