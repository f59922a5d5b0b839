"""Thanos Ruler rule files: Prometheus' groups, each saying what a partial store answer does."""

from __future__ import annotations

from .. import conventions as conv
from ..model import Model, ResolvedService
from .prometheus import groups, header, per_tier
from .yamlout import dump


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`thanos/rules/<service>[.global].rules.yml`, when Thanos is a target."""
    target = model.targets.thanos
    if target is None:
        return {}
    strategy = target.partial_response_strategy

    def text(tier: str) -> str:
        # Written on every group, default or not: a reader of the file sees the choice.
        out = [{**g, "partial_response_strategy": strategy} for g in groups(service, tier)]
        return dump({"groups": out}, header=header(service))

    return per_tier(service, lambda tier: conv.target_path("thanos", service.name, tier), text)
