"""load -> build -> render -> write (or compare): the one path every command takes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .build import build
from .errors import ErrorSink
from .load import load
from .model import Model
from .render import render_all


@dataclass(frozen=True)
class Result:
    """A run's model and rendered files."""

    model: Model
    files: dict[str, str]


def run(specs_dir: Path, time_scale: float = 1.0) -> Result:
    """Load, build and render; raises SpecErrors on bad specs, writes nothing.

    `time_scale` > 1 shortens every duration for end-to-end tests (generator/timescale.py).
    """
    sink = ErrorSink()
    model = build(load(specs_dir, sink), sink, time_scale)
    return Result(model, render_all(model))
