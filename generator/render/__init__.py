"""Renderers: each a pure function from the resolved model to `{relative path: text}`."""

from __future__ import annotations

import sys
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


# What a second process takes: the runbooks (the slowest renderer) and the rules, about half of
# the rendering time at 10k alerts (with the dashboards instead, 4.2 s instead of 3.8 s).
_AWAY: tuple[Renderer, ...] = (prometheus.render, runbooks.render)


def render_all(model: Model, *, processes: int = 1) -> dict[str, str]:
    """Every artifact of the model; two renderers claiming one path is a bug.

    `processes=2` renders the rules and runbooks in a forked process meanwhile (Linux only):
    the same files, sooner where a second core is free.
    """
    if processes > 1 and sys.platform == "linux":
        outputs = _forked(model)
    else:
        outputs = [renderer(model) for renderer in RENDERERS]
    files: dict[str, str] = {}
    for output in outputs:
        for path, text in output.items():
            if path in files:
                raise RuntimeError(f"two renderers write {path}")
            files[path] = text
    return dict(sorted(files.items()))


# Renderers are pure functions of the frozen model; a forked process shares it as it is, so
# only the rendered text travels back.
_SHARED: list[Model] = []


def _render_away() -> list[dict[str, str]]:
    return [renderer(_SHARED[0]) for renderer in _AWAY]


def _forked(model: Model) -> list[dict[str, str]]:
    """Each renderer's output in RENDERERS order, `_AWAY` rendered by a forked process."""
    import multiprocessing

    _SHARED[:] = [model]
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            pending = pool.apply_async(_render_away)
            here = {r: r(model) for r in RENDERERS if r not in _AWAY}
            away: dict[Renderer, dict[str, str]] = dict(zip(_AWAY, pending.get(), strict=True))
    finally:
        _SHARED.clear()
    return [here[r] if r in here else away[r] for r in RENDERERS]
