"""The processes a test started alertgen with: its children, and those still running."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path


def children(pid: int) -> list[int]:
    """The processes `pid` started that are still there."""
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(child) for child in found.stdout.split()]


def still_running(pids: list[int], within: float) -> list[int]:
    """Of `pids`, those still running (not gone, not a zombie) after waiting up to `within` s;
    they are killed, so that a failing test leaves none behind."""
    deadline = time.monotonic() + within
    while any(map(_running, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in pids if _running(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    return alive


def _running(pid: int) -> bool:
    try:
        return ") Z " not in Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
