"""Child processes measured for the benchmark: wall time, CPU time, peak RSS of main and workers.

Linux semantics, checked on this machine (a child holding 114 MB that ran a 413 MB grandchild):
the rusage `wait4` returns for a child is its own plus that of every descendant it waited for,
so ru_maxrss is the largest of them all and ru_utime + ru_stime their sum. That is the CPU time
wanted here (alertgen and its pool workers), but it cannot tell the main process from a worker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# alertgen's entry point run in the wrapper's own process, so that at exit RUSAGE_SELF is the
# main process's peak alone and RUSAGE_CHILDREN the largest of the pool workers it has joined.
_WRAPPER = """\
import json, resource, sys
report = sys.argv.pop(1)
sys.argv[0] = "alertgen"
from generator.cli import entry
try:
    entry()
finally:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(report, "w") as f:
        json.dump({"main_kb": own, "workers_kb": workers}, f)
"""


@dataclass(frozen=True)
class Child:
    """One child process: wall and CPU seconds (with its descendants'), peak RSS in MB, status, output."""

    wall: float
    cpu: float
    rss_mb: float
    status: int
    output: str


@dataclass(frozen=True)
class Generate:
    """One `alertgen generate`: the child as a whole, and the peak RSS of main and of the largest worker."""

    child: Child
    main_mb: float
    worker_mb: float


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Child:
    """Run `cmd` and measure it with its descendants (wait4), apart from any other child of ours."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Child(wall, cpu, usage.ru_maxrss / 1024, proc.returncode, text)


def ok(child: Child, what: str) -> Child:
    """`child` if it exited 0; else stop the benchmark with the end of what it printed."""
    if child.status != 0:
        sys.exit(f"bench: {what} failed with status {child.status}:\n{child.output[-4000:]}")
    return child


def generate(args: list[str], cwd: Path, env: dict[str, str]) -> Generate:
    """`alertgen generate ARGS` (through the wrapper above), measured; stops the bench if it fails."""
    with tempfile.TemporaryDirectory(prefix="alertgen-bench-rusage-") as tmp:
        report = Path(tmp) / "rusage.json"
        cmd = [sys.executable, "-c", _WRAPPER, str(report), "generate", *args]
        child = ok(measure(cmd, cwd, env), "alertgen generate " + " ".join(args))
        peaks = json.loads(report.read_text())
    return Generate(child, peaks["main_kb"] / 1024, peaks["workers_kb"] / 1024)
