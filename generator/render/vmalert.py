"""vmalert rule files: Prometheus' format, as the vmalert version of the target reads it."""

from __future__ import annotations

from .. import conventions as conv
from ..model import Model, ResolvedService
from .prometheus import groups, header, per_tier
from .yamlout import dump


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`vmalert/rules/<service>[.global].rules.yml`, when vmalert is a target.

    Fields the target's vmalert version does not read are spec errors (build_targets.py), so
    the groups are Prometheus' own.
    """
    if model.targets.vmalert is None:
        return {}
    return per_tier(
        service,
        lambda tier: conv.target_path("vmalert", service.name, tier),
        lambda tier: dump({"groups": groups(service, tier)}, header=header(service)),
    )
