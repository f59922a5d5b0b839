"""What files rendered in this run read back as, recorded while they are rendered.

Checks of files rendered in the same run take these instead of reading the text again: each
runbook as `checks.runbooks.parse_runbook` reads it (the renderer reads it anyway, to check its
outline) and the cases of each promtool test file (`checks.rules.ExamplesRead`).
tests/test_written.py holds each to reading the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from ..checks.rules import ExamplesRead
    from ..checks.runbooks import Runbook

ReadBack: TypeAlias = "Runbook | ExamplesRead"

# While `recording()` is active: what each text reads back as, by the id of the text (the text is
# kept, so the id stays its own).
_RECORDS: list[dict[int, tuple[str, ReadBack]]] = []


def record(text: str, read_back: ReadBack) -> None:
    """Remember what `text` reads back as, while `recording()` is active."""
    if _RECORDS:
        _RECORDS[-1][id(text)] = (text, read_back)


@contextmanager
def recording() -> Iterator[dict[int, tuple[str, ReadBack]]]:
    """Remember what renderers record meanwhile: `{id(text): (text, what it reads back as)}`."""
    records: dict[int, tuple[str, ReadBack]] = {}
    _RECORDS.append(records)
    try:
        yield records
    finally:
        _RECORDS.pop()
