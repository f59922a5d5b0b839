"""`make bench`: full `alertgen generate` at 1,000 and 10,000 alerts against `promtool check rules`.

For each size a synthetic spec set (tests/bench/synth.py) is written into a temporary folder;
then, per round, `alertgen generate` runs as a child into an empty output folder (every
artifact, every check, every file written), a second `alertgen generate` runs on the
unchanged specs (it must rewrite no file), and `promtool check rules` checks the rules the
first one wrote. Wall time and peak RSS come from each child alone (wait4). Rounds alternate
generate and promtool so that load from other processes hits both alike; medians are printed.
The last line is the 10k ratio generate/promtool-check. Exit status 1 when a target is missed.

    python -m tests.bench [--sizes 1000,10000] [--rounds 3] [--profile DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .synth import ALERTS_PER_SERVICE, write_specs

ROOT = Path(__file__).resolve().parents[2]
ALERTGEN = Path(sys.executable).parent / "alertgen"

# The targets of issue 8.
MAX_RATIO = 1.0
MAX_RSS_MB = 300
MAX_SCALING = 11.0
MAX_HELP_S = 0.3


@dataclass(frozen=True)
class Child:
    """One child process: wall seconds, peak RSS in MB, exit status, output."""

    wall: float
    rss_mb: float
    status: int
    output: str


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Child:
    """Run `cmd` and measure it alone: wait4 gives this child's own rusage, not a running max."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode(errors="replace")
    return Child(wall, usage.ru_maxrss / 1024, proc.returncode, text)


def _ok(child: Child, what: str) -> Child:
    if child.status != 0:
        sys.exit(f"bench: {what} failed with status {child.status}:\n{child.output[-4000:]}")
    return child


def _snapshot(out: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and mtime: a rewritten file changes one of them."""
    return {
        str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in out.rglob("*")
        if p.is_file()
    }


@dataclass(frozen=True)
class Round:
    """The measurements of one round at one size."""

    generate: Child
    noop: Child
    rewritten: int
    promtool: Child
    files: int
    rules: int


def one_round(work: Path, promtool: str, env: dict[str, str]) -> Round:
    """Cold generate into an empty folder, a no-change generate, promtool on the rules."""
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(ALERTGEN), "generate", "--specs", "specs", "--out", "out"]
    gen = _ok(measure(cmd, work, env), "alertgen generate")
    before = _snapshot(out)
    noop = _ok(measure(cmd, work, env), "alertgen generate (no change)")
    after = _snapshot(out)
    rewritten = sum(1 for p in set(before) | set(after) if before.get(p) != after.get(p))
    rule_files = sorted(str(p.relative_to(work)) for p in (out / "prometheus" / "rules").glob("*.yml"))
    check = _ok(measure([promtool, "check", "rules", *rule_files], work), "promtool check rules")
    rules = sum(int(line.split()[1]) for line in check.output.splitlines() if "rules found" in line)
    return Round(gen, noop, rewritten, check, len(after), rules)


def _median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass(frozen=True)
class Size:
    """Medians over the rounds at one size."""

    alerts: int
    services: int
    files: int
    rules: int
    gen_s: float
    gen_mb: float
    prom_s: float
    prom_mb: float
    noop_s: float
    rewritten: int
    ratio: float


def bench_size(alerts: int, rounds: int, promtool: str, env: dict[str, str], profile: Path | None) -> Size:
    """Write the spec set for `alerts` alerts and measure `rounds` rounds."""
    services = alerts // ALERTS_PER_SERVICE
    with tempfile.TemporaryDirectory(prefix=f"alertgen-bench-{alerts}-") as tmp:
        work = Path(tmp)
        write_specs(work / "specs", services)
        results = [one_round(work, promtool, env) for _ in range(rounds)]
        if profile is not None:
            _profile(work, env, profile / f"generate-{alerts}.txt")
    gen = [r.generate.wall for r in results]
    prom = [r.promtool.wall for r in results]
    return Size(
        alerts=alerts,
        services=services,
        files=results[0].files,
        rules=results[0].rules,
        gen_s=_median(gen),
        gen_mb=_median([r.generate.rss_mb for r in results]),
        prom_s=_median(prom),
        prom_mb=_median([r.promtool.rss_mb for r in results]),
        noop_s=_median([r.noop.wall for r in results]),
        rewritten=max(r.rewritten for r in results),
        # The ratio of each round (same load on both), then the median of those.
        ratio=_median([g / p for g, p in zip(gen, prom, strict=True)]),
    )


def _profile(work: Path, env: dict[str, str], report: Path) -> None:
    """A pyinstrument profile of one cold generate (dev extra), as text."""
    shutil.rmtree(work / "out", ignore_errors=True)
    report.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(report)]
    cmd += ["-m", "generator", "generate", "--specs", "specs", "--out", "out"]
    _ok(measure(cmd, work, env), "pyinstrument")
    print(f"profile: {report}", flush=True)


def help_seconds(env: dict[str, str], runs: int = 5) -> float:
    """Median wall time of `alertgen --help`."""
    return _median([_ok(measure([str(ALERTGEN), "--help"], ROOT, env), "--help").wall for _ in range(runs)])


def _version(promtool: str) -> str:
    first = subprocess.run([promtool, "--version"], capture_output=True, text=True, check=False).stdout
    return first.split()[2] if first.count(" ") >= 2 else "?"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; the last line is the 10k ratio."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="alert counts, multiples of 50")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size; medians are printed")
    parser.add_argument("--profile", type=Path, help="also write a pyinstrument profile per size here")
    args = parser.parse_args(argv)
    promtool = shutil.which("promtool")
    if promtool is None:
        sys.exit("bench: promtool is not installed (`make tools`)")
    sizes = sorted(int(s) for s in args.sizes.split(","))
    # Spec modules are compiled from source on every run, as in a fresh CI checkout.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONHASHSEED", None)
    print(
        f"alertgen bench: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"promtool {_version(promtool)}; median of {args.rounds} rounds",
        flush=True,
    )
    header = (
        f"{'alerts':>7} {'services':>8} {'rules':>6} {'files':>6} | {'generate s':>10} {'peak MB':>7} "
        f"{'µs/alert':>8} | {'promtool s':>10} {'peak MB':>7} | {'ratio':>5} | {'no-op s':>7} {'rewritten':>9}"
    )
    print(header, flush=True)
    done: list[Size] = []
    for alerts in sizes:
        s = bench_size(alerts, args.rounds, promtool, env, args.profile)
        done.append(s)
        print(
            f"{s.alerts:>7} {s.services:>8} {s.rules:>6} {s.files:>6} | {s.gen_s:>10.2f} {s.gen_mb:>7.0f} "
            f"{s.gen_s / s.alerts * 1e6:>8.0f} | {s.prom_s:>10.2f} {s.prom_mb:>7.0f} | {s.ratio:>5.2f} | "
            f"{s.noop_s:>7.2f} {s.rewritten:>9}",
            flush=True,
        )
    help_s = help_seconds(env)
    print(f"alertgen --help: {help_s:.3f} s", flush=True)
    big, small = done[-1], done[0]
    scaling = big.gen_s / small.gen_s if len(done) > 1 else 1.0
    if len(done) > 1:
        print(f"scaling {small.alerts}->{big.alerts} alerts (generate wall): {scaling:.1f}x")
    missed = [
        text
        for bad, text in (
            (big.ratio > MAX_RATIO, f"ratio {big.ratio:.2f} > {MAX_RATIO}"),
            (big.gen_mb > MAX_RSS_MB, f"peak RSS {big.gen_mb:.0f} MB > {MAX_RSS_MB} MB"),
            (scaling > MAX_SCALING, f"scaling {scaling:.1f}x > {MAX_SCALING}x"),
            (any(s.rewritten for s in done), "a no-change generate rewrote files"),
            (help_s > MAX_HELP_S, f"--help {help_s:.3f} s > {MAX_HELP_S} s"),
        )
        if bad
    ]
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    print(f"ratio generate/promtool-check at {big.alerts} alerts: {big.ratio:.2f}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
