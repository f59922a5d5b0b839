"""Grafana's dashboard provisioning file, so output/grafana can be mounted into Grafana as is."""

from __future__ import annotations

from .. import __version__
from .. import conventions as conv
from ..model import Model
from .yamlout import dump


def render(model: Model) -> dict[str, str]:
    """`grafana/provisioning/dashboards.yml`: one file provider reading every dashboard."""
    if not model.services:
        return {}
    dashboards_dir = conv.GRAFANA_DIR.removeprefix("grafana/")
    provider = {
        "name": "alertgen",
        "orgId": 1,
        "folder": "alertgen",
        "type": "file",
        # A service removed from specs/ loses its dashboard; UI edits would be overwritten, so none.
        "disableDeletion": False,
        "allowUiUpdates": False,
        "updateIntervalSeconds": 30,
        "options": {"path": f"{conv.GRAFANA_MOUNT}/{dashboards_dir}", "foldersFromFilesStructure": False},
    }
    notice = conv.GENERATED_NOTICE.format(source=f"specs/ (alertgen {__version__})")
    header = f"{notice}\nMount output/grafana at {conv.GRAFANA_MOUNT} (docs/grafana.md)."
    return {conv.GRAFANA_PROVISIONING: dump({"apiVersion": 1, "providers": [provider]}, header=header)}
