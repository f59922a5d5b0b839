"""Kubernetes `PrometheusRule` objects (prometheus-operator): the service's groups as one object."""

from __future__ import annotations

from typing import Any

from .. import conventions as conv
from ..model import Model, ResolvedService
from .prometheus import groups, header, per_tier
from .yamlout import dump

API_VERSION = "monitoring.coreos.com/v1"
KIND = "PrometheusRule"


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`kubernetes/prometheusrules/<service>[.global].prometheusrule.yaml`, when the operator is a target."""
    target = model.targets.operator
    if target is None:
        return {}
    # The spec's labels are what the Prometheus object's ruleSelector matches; ours say who wrote it.
    labels = {"app.kubernetes.io/managed-by": "alertgen", "app.kubernetes.io/part-of": service.name}
    labels.update(target.labels)

    def text(tier: str) -> str:
        # Object names are unique per namespace: the global tier's says its tier, like its file.
        name = service.name + conv.tier_infix(tier).replace(".", "-")
        data: dict[str, Any] = {
            "apiVersion": API_VERSION,
            "kind": KIND,
            "metadata": {"name": name, "namespace": target.namespace, "labels": labels},
            "spec": {"groups": groups(service, tier)},
        }
        return dump(data, header=header(service))

    return per_tier(service, lambda tier: conv.target_path("operator", service.name, tier), text)
