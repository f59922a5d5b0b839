"""Render and check on two cores: a forked process takes a share of the renderers and of the checks.

Renderers and checks are pure functions of the frozen model and the rendered files. A forked
process shares the model as it is (nothing is pickled on the way in). It renders its share,
hands the files over in a shared file (generator/handover.py: their bytes, the dashboards also
read), renders what else its checks read (the rules), runs its share of the checks and sends the
findings over a pipe. Meanwhile this process renders the rest and reads what it rendered, then
takes the other share's files (left in the shared file until written) and runs its checks. The
shares balance the work at 10,000 alerts (docs/benchmarks.md); which share a check is in never
changes what it finds (tests/test_parallel.py). Anything going wrong in the forked process makes
this one do that share itself, so a bug surfaces here with its own traceback.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from . import handover
from .checks import Check, Finding, run_checks
from .checks.context import Context
from .checks.registry import CHECKS
from .checks.runner import merge, run_on
from .model import Model
from .output import encoded
from .promql import forget_trees
from .render import RENDERERS, Renderer, render_encoded
from .render.readback import ReadBack


@dataclass(frozen=True, slots=True)
class Share:
    """One process's part: what it renders, parses early, checks, and reports as unreadable."""

    renderers: tuple[Renderer, ...]
    # Rendered for this share's checks only: another share renders them for the output too.
    local: tuple[Renderer, ...]
    # Kinds this share parses while the other's text is on its way.
    early: tuple[str, ...]
    # Kinds of its own files this share parses before handing its text over, and hands over parsed.
    hand_over: tuple[str, ...]
    checks: tuple[Check, ...]
    # artifact/invalid runs in both shares, each reporting the kinds its other checks read anyway.
    artifacts: tuple[str, ...]


def _share(
    renderers: Sequence[str],
    local: Sequence[str],
    early: Sequence[str],
    hand_over: Sequence[str],
    checks: Sequence[str],
    artifacts: Sequence[str],
) -> Share:
    by_module = {r.__module__.rsplit(".", 1)[1]: r for r in RENDERERS}
    return Share(
        tuple(by_module[name] for name in renderers),
        tuple(by_module[name] for name in local),
        tuple(early),
        tuple(hand_over),
        tuple(c for c in CHECKS if c.id in checks or c.id == "artifact/invalid"),
        tuple(artifacts),
    )


# The forked process: Alertmanager configs and dashboards for the output, and the rules for its own
# checks: every check that reads a PromQL tree (those of rules, of dashboards against the rules,
# of where alerts go), none of which reads a runbook, so it needs nothing from this process. The
# dashboards are rendered and read there, and handed over read, because runbooks cost this process
# more than all the rest.
AWAY = _share(
    renderers=("alertmanager", "grafana", "grafana_provisioning"),
    local=("prometheus",),
    early=(),
    hand_over=("dashboards",),
    checks=(
        "promql/syntax",
        "promql/metric-unknown",
        "promql/counter-without-rate",
        "promql/rate-on-gauge",
        "promql/histogram-quantile-without-le",
        "promql/range-too-short",
        "rule/recording-undefined",
        "rule/recording-unused",
        "label/dropped-by-aggregation",
        "tier/order",
        "tier/mismatch",
        "dashboard/missing-panel",
        "dashboard/threshold-mismatch",
        "dashboard/url-broken",
        "dashboard/filter-dropped",
        "route/unrouted",
        "route/unexpected",
        "route/unreachable",
        "receiver/unused",
        "inhibit/missing-equal",
        "inhibit/equal-conflict",
        "inhibit/self",
        "inhibit/too-broad",
    ),
    artifacts=("rules", "alertmanagers", "dashboards"),
)
# This process: rules, promtool tests, runbooks and amtool's routing tests; the checks that read no
# PromQL tree (duplicate rules, missing examples, runbooks). It lets go of the trees it parsed while
# building (the forked process has its own copy): 8,100 of them held 35 MB at 10,000 alerts, and it
# would have parsed the other 6,900 for its checks (tests/test_parallel.py holds it to reading none).
HERE = _share(
    renderers=tuple(r.__module__.rsplit(".", 1)[1] for r in RENDERERS if r not in AWAY.renderers),
    local=(),
    early=("rules", "runbooks"),
    hand_over=(),
    checks=tuple(c.id for c in CHECKS if c not in AWAY.checks),
    artifacts=("rules", "examples", "dashboards", "runbooks"),
)

# What the forked process sends, in order: that its files are in the shared file (the receipt
# says where), then its findings; or that it failed, at any point.
_TEXTS, _OK, _FAILED = "texts", "ok", "failed"


def render_and_check(
    model: Model,
    *,
    prefix: str,
    processes: int = 1,
    prometheus_url: str | None = None,
    files: Mapping[str, str | bytes] | None = None,
) -> tuple[Mapping[str, bytes], list[Finding]]:
    """Every artifact of the model (unless `files` are given) as the bytes to write, and every
    check's findings on them.

    `processes=2` (Linux) shares the work with a forked process; the result is the same.
    """
    if processes < 2 or sys.platform != "linux":
        written: dict[str, ReadBack] = {}
        if files is not None:
            return encoded(files), run_checks(model, files, prefix=prefix, prometheus_url=prometheus_url)
        ctx = Context(model, render_encoded(model, RENDERERS, written), prometheus_url, written=written)
        _done_reading(ctx)
        return _as_bytes(ctx.files), run_on(ctx, CHECKS, prefix)
    import multiprocessing

    # The forked process's files go through a shared file (generator/handover.py): through the
    # pipe, they waited for this process to read them and cost it 0.35 s.
    shared = handover.shared_file()
    if shared is None:  # not on Linux, where this path runs
        return render_and_check(model, prefix=prefix, prometheus_url=prometheus_url, files=files)
    receive, send = multiprocessing.Pipe(duplex=False)
    args = (model, send, shared, files, prefix, prometheus_url)
    proc = multiprocessing.get_context("fork").Process(target=_away, args=args, daemon=True)
    try:
        proc.start()
    except OSError:  # no process to be had (memory, a process limit): this one does it all
        receive.close()
        send.close()
        os.close(shared)
        return render_and_check(model, prefix=prefix, prometheus_url=prometheus_url, files=files)
    send.close()  # so that a dead child reads as EOF here, never as a hang
    try:
        return _here(model, receive, shared, files, prefix, prometheus_url)
    finally:
        receive.close()
        os.close(shared)
        proc.join()


def _here(
    model: Model,
    conn: Connection,
    shared: int,
    files: Mapping[str, str | bytes] | None,
    prefix: str,
    url: str | None,
) -> tuple[Mapping[str, bytes], list[Finding]]:
    forget_trees()  # read by the forked process only, which keeps its own (see HERE)
    if files is None:
        written: dict[str, ReadBack] = {}
        mine = render_encoded(model, HERE.renderers, written)
        ctx = Context(model, mine, url, HERE.artifacts, written)
        for kind in HERE.early:  # only reads files of this share, all present already
            getattr(ctx, kind)
        status, receipt = _receive(conn)
        handed = handover.take_over(shared, receipt) if status == _TEXTS else None
        if handed is not None:
            theirs, parsed = handed
            for kind, (artifacts, invalid) in parsed.items():
                ctx.adopt(kind, artifacts, invalid)
        else:  # the forked process failed before it had handed its share over
            theirs = render_encoded(model, AWAY.renderers, written)
        ctx.files = theirs.plus(mine)
        _done_reading(ctx)
    else:
        ctx = Context(model, files, url, HERE.artifacts)
    found = run_on(ctx, HERE.checks, prefix)
    status, away = _receive(conn)
    if status != _OK:
        away = run_checks(
            model,
            ctx.files,
            prefix=prefix,
            prometheus_url=url,
            checks=AWAY.checks,
            artifacts=AWAY.artifacts,
            written=ctx.written,
        )
    return _as_bytes(ctx.files), merge(found, away)


def _away(
    model: Model,
    conn: Connection,
    shared: int,
    files: Mapping[str, str | bytes] | None,
    prefix: str,
    url: str | None,
) -> None:
    """The forked share: render and hand over its texts, check, send the findings; report failure,
    never raise."""
    try:
        if files is None:
            written: dict[str, ReadBack] = {}
            spool = handover.Spool(shared)
            handed = render_encoded(model, AWAY.renderers, written, spool)
            parsed = {}
            for kind in AWAY.hand_over:
                reading = Context(model, handed, url, (kind,), written)
                parsed[kind] = (getattr(reading, kind), reading.invalid)
            conn.send((_TEXTS, handover.seal(spool, parsed)))
            local = render_encoded(model, AWAY.local, written)
            ctx = Context(model, handed.plus(local), url, AWAY.artifacts, written)
            for kind, (artifacts, invalid) in parsed.items():
                ctx.adopt(kind, artifacts, invalid)
            _done_reading(ctx)
        else:
            ctx = Context(model, files, url, AWAY.artifacts)
        conn.send((_OK, run_on(ctx, AWAY.checks, prefix)))
    except BaseException:  # the parent redoes this share and shows the real error
        with contextlib.suppress(OSError):
            conn.send((_FAILED, None))
    finally:
        conn.close()


def _done_reading(ctx: Context) -> None:
    """Read what the context's checks read, then let go of what only reading needed.

    From then on its checks only ask which files exist, and the files wait in shared files to be
    written. What the renderers recorded (the runbooks as read, the promtool tests' cases) is
    freed.
    """
    ctx.parse_all()
    ctx.written.clear()


def _as_bytes(files: Mapping[str, str | bytes]) -> Mapping[str, bytes]:
    """The files as the bytes to write: left where they are when they are bytes already."""
    return files if isinstance(files, handover.Files) else encoded(files)


def _receive(conn: Connection) -> tuple[str, Any]:
    try:
        status, payload = conn.recv()
    except (EOFError, OSError):
        return _FAILED, None
    return status, payload
