"""Alertmanager configs (production, staging) and the per-alert routing expectations they must meet.

`local` is never written: it needs the webhook URL of a test, so `alertgen alertmanager --env
local --webhook-url URL` renders it on demand (render_config).
"""

from __future__ import annotations

from .. import __version__
from .. import conventions as conv
from ..model import Model
from ..routing.config import alertmanager_config
from ..routing.expect import expectations
from .yamlout import dump


def render(model: Model) -> dict[str, str]:
    """`alertmanager/alertmanager.yml`, `alertmanager.staging.yml` and `routing-tests.yml`."""
    out = {conv.alertmanager_path(env): render_config(model, env) for env in conv.WRITTEN_ENVIRONMENTS}
    out[conv.ROUTING_TESTS] = _routing_tests(model)
    return out


def render_config(model: Model, env: str, webhook_url: str | None = None) -> str:
    """The Alertmanager config for one environment as YAML; ValueError for a bad env or URL."""
    config = alertmanager_config(model, env, webhook_url)
    return dump(config, header=_header(model, f"environment: {env}"))


def _routing_tests(model: Model) -> str:
    tests = [
        {
            "service": e.service,
            "alert": e.alert,
            "labels": dict(e.labels),
            "receivers": list(e.receivers),
        }
        for e in expectations(model)
    ]
    note = (
        "Per alert, the receivers its static labels must reach, derived from the spec; the tests run\n"
        "`amtool config routes test --verify.receivers=...` on every written environment's config."
    )
    return dump(tests, header=_header(model, note))


def _header(model: Model, note: str) -> str:
    sources = sorted({s.source for s in model.services})
    source = f"{', '.join(sources) or 'no specs'} (alertgen {__version__})"
    return conv.GENERATED_NOTICE.format(source=source) + "\n" + note
