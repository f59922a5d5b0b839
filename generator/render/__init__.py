"""Renderers: each a pure function to `{relative path: text}`, one module per artifact.

Most artifacts are one file per service, rendered from the model and that service (in the
service's job); the rest are rendered once from the whole model (the global stage).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ..model import Model, ResolvedService
from . import (
    alertmanager,
    alertmanager_templates,
    amtool_tests,
    grafana,
    grafana_provisioning,
    mimir,
    prometheus,
    prometheus_rule,
    promtool_tests,
    runbooks,
    thanos,
    vmalert,
)

ServiceRenderer = Callable[[Model, ResolvedService], dict[str, str]]
ModelRenderer = Callable[[Model], dict[str, str]]

# A new artifact adds its module to one of these.
PER_SERVICE: tuple[ServiceRenderer, ...] = (
    prometheus.render,
    prometheus_rule.render,
    thanos.render,
    mimir.render,
    vmalert.render,
    promtool_tests.render,
    grafana.render,
    runbooks.render,
)
WHOLE_MODEL: tuple[ModelRenderer, ...] = (
    grafana_provisioning.render,
    runbooks.render_index,
    alertmanager.render,
    alertmanager_templates.render,
    amtool_tests.render,
)


def render_service(model: Model, service: ResolvedService) -> dict[str, bytes]:
    """Every per-service artifact of one service, as the UTF-8 bytes to write."""
    return encoded(renderer(model, service) for renderer in PER_SERVICE)


def render_model(model: Model) -> dict[str, bytes]:
    """Every artifact rendered from the whole model, as the UTF-8 bytes to write."""
    return encoded(renderer(model) for renderer in WHOLE_MODEL)


def encoded(outputs: Iterable[Mapping[str, str]]) -> dict[str, bytes]:
    """Renderers' outputs as one tree of bytes in path order; two renderers claiming one path is a bug."""
    files: dict[str, bytes] = {}
    for output in outputs:
        for path, text in output.items():
            if path in files:
                raise RuntimeError(f"two renderers write {path}")
            files[path] = text.encode()
    return dict(sorted(files.items()))
