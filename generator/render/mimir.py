"""Mimir/Cortex ruler namespace files (`namespace:` + `groups:`), as `mimirtool rules sync` reads them."""

from __future__ import annotations

from .. import conventions as conv
from ..model import Model, ResolvedService
from .prometheus import groups, header, per_tier
from .yamlout import dump


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`mimir/rules/<service>[.global].namespace.yml`, when Mimir is a target."""
    target = model.targets.mimir
    if target is None:
        return {}

    def text(tier: str) -> str:
        # `mimirtool rules sync` replaces a namespace whole: each tier's file is a namespace of its own.
        namespace = (target.namespace or service.name) + conv.tier_infix(tier).replace(".", "-")
        return dump({"namespace": namespace, "groups": groups(service, tier)}, header=header(service))

    return per_tier(service, lambda tier: conv.target_path("mimir", service.name, tier), text)
