"""Kubernetes `PrometheusRule` objects (prometheus-operator): the service's groups as one object."""

from __future__ import annotations

from typing import Any

from .. import conventions as conv
from ..model import Model, ResolvedService
from .prometheus import groups, header
from .yamlout import dump

API_VERSION = "monitoring.coreos.com/v1"
KIND = "PrometheusRule"


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`kubernetes/prometheusrules/<service>.prometheusrule.yaml`, when the operator is a target."""
    target = model.targets.operator
    if target is None:
        return {}
    # The spec's labels are what the Prometheus object's ruleSelector matches; ours say who wrote it.
    labels = {"app.kubernetes.io/managed-by": "alertgen", "app.kubernetes.io/part-of": service.name}
    labels.update(target.labels)
    data: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": {"name": service.name, "namespace": target.namespace, "labels": labels},
        "spec": {"groups": groups(service)},
    }
    return {conv.target_path("operator", service.name): dump(data, header=header(service))}
