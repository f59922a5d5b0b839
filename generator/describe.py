"""The description an alert gets when its spec writes none: worded from its condition.

Its own module: the build writes it, and `alertgen diff` recognises it (a description derived
from a threshold is not a second change when the threshold changes).
"""

from __future__ import annotations

from . import conventions as conv
from .model import Recording
from .spec.types import Comparison, Duration


def default_description(rec: Recording, op: Comparison, for_: Duration, threshold: float) -> str:
    """`<signal title> is {{ $value | <filter> }} (<op words> <threshold>[ for more than <for>]).`"""
    signal = rec.signal
    unit = signal.unit
    what = signal.title or conv.title_from_name(signal.name)
    cond = f"{op.words} {conv.format_value(threshold, unit)}"
    dur = f" for more than {conv.format_duration_words(for_.seconds)}" if for_ else ""
    return f"{what} is {{{{ $value | {conv.value_filter(unit)} }}}} ({cond}{dur})."
