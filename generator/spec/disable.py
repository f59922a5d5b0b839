"""Turning a check off for one alert, with the reason written down where the report shows it."""

from __future__ import annotations

from pydantic import Field

from .secrets import Committed
from .types import Text


class Disable(Committed):
    """Skip one check (`family/name`, see docs/checks.md) for this alert, and say why."""

    check: str = Field(pattern=r"^[a-z]+/[a-z]+(-[a-z]+)*$")
    reason: Text
