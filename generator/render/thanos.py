"""Thanos Ruler rule files: Prometheus' groups, each saying what a partial store answer does."""

from __future__ import annotations

from .. import conventions as conv
from ..model import Model, ResolvedService
from .prometheus import groups, header
from .yamlout import dump


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`thanos/rules/<service>.rules.yml`, when Thanos is a target."""
    target = model.targets.thanos
    if target is None:
        return {}
    # Written on every group, default or not: a reader of the file sees the choice.
    out = [{**g, "partial_response_strategy": target.partial_response_strategy} for g in groups(service)]
    return {conv.target_path("thanos", service.name): dump({"groups": out}, header=header(service))}
