"""A service's dashboard layout: which row shows which signals. Optional; without it every
signal still gets a panel, in an Overview or a Business row."""

from __future__ import annotations

from pydantic import Field

from .alert import Signal
from .secrets import Committed
from .types import Text


class Panel(Committed):
    """A panel plotting several signals of one unit (active vs. max); the first one names it."""

    signals: tuple[Signal, ...] = Field(min_length=1)
    title: str = ""

    @property
    def name(self) -> str:
        """The panel's key: its first signal's name (alert links open the panel by it)."""
        return self.signals[0].name


class Row(Committed):
    """A dashboard row: a title and its panels, left to right; a bare Signal is a panel of its own."""

    title: Text
    panels: tuple[Panel | Signal, ...] = Field(min_length=1)

    @property
    def name(self) -> str:
        """How messages name the row."""
        return self.title


class Dashboard(Committed):
    """The rows of a service's dashboard, top to bottom; signals placed in none get a last row."""

    rows: tuple[Row, ...] = Field(min_length=1)
