"""`make golden`: regenerate the golden trees under tests/golden after an intended change."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.output import write
from generator.pipeline import run

GOLDEN = Path(__file__).resolve().parent / "golden"


def refresh() -> None:
    """Render tests/golden/specs into tests/golden/output, replacing what was there."""
    out = GOLDEN / "output"
    shutil.rmtree(out, ignore_errors=True)
    drift = write(out, run(GOLDEN / "specs").texts)
    print(f"{out}: {len(drift.added)} files written")


if __name__ == "__main__":
    refresh()
