"""The README's pictures stay in step with what alertgen generates."""

from __future__ import annotations

import json

from .pictures import DASHBOARD, PICTURE, svg


def test_the_dashboard_picture_is_the_committed_dashboards_layout() -> None:
    # Stale after a layout change: `python -m tests.pictures` redraws it.
    assert PICTURE.read_text() == svg(json.loads(DASHBOARD.read_text()))
