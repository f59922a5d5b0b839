"""Alertmanager configs (production, staging); the routing tests they must pass are amtool_tests.py's.

`local` is never written: it needs the webhook URL of a test, so `alertgen alertmanager --env
local --webhook-url URL` renders it on demand (render_config).
"""

from __future__ import annotations

from .. import __version__
from .. import conventions as conv
from ..model import Model
from ..routing.config import alertmanager_config
from .yamlout import dump


def render(model: Model) -> dict[str, str]:
    """`alertmanager/alertmanager.yml` and `alertmanager.staging.yml`."""
    return {conv.alertmanager_path(env): render_config(model, env) for env in conv.WRITTEN_ENVIRONMENTS}


def render_config(model: Model, env: str, webhook_url: str | None = None) -> str:
    """The Alertmanager config for one environment as YAML; ValueError for a bad env or URL."""
    config = alertmanager_config(model, env, webhook_url)
    return dump(config, header=header(model, f"environment: {env}"))


def header(model: Model, note: str) -> str:
    """The generated-file notice of an Alertmanager-side file: its specs, then `note`."""
    sources = sorted({s.source for s in model.services})
    source = f"{', '.join(sources) or 'no specs'} (alertgen {__version__})"
    return conv.GENERATED_NOTICE.format(source=source) + "\n" + note
