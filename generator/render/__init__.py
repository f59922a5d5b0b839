"""Renderers: each a pure function from the resolved model to `{relative path: text}`."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Model
from . import alertmanager, grafana, grafana_provisioning, prometheus, promtool_tests, runbooks

Renderer = Callable[[Model], dict[str, str]]

# One renderer per artifact; a new artifact adds its module here.
RENDERERS: tuple[Renderer, ...] = (
    prometheus.render,
    promtool_tests.render,
    grafana.render,
    grafana_provisioning.render,
    runbooks.render,
    alertmanager.render,
)


def render_all(model: Model) -> dict[str, str]:
    """Every artifact of the model; two renderers claiming one path is a bug."""
    files: dict[str, str] = {}
    for renderer in RENDERERS:
        for path, text in renderer(model).items():
            if path in files:
                raise RuntimeError(f"two renderers write {path}")
            files[path] = text
    return dict(sorted(files.items()))
