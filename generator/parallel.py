"""Render and check on two cores: a forked process takes a share of the renderers and of the checks.

Renderers and checks are pure functions of the frozen model and the rendered files. A forked
process shares the model as it is (nothing is pickled on the way in); rendered text and findings
travel over a pipe. Each process renders its share, sends it on (from a thread, so that both can
send at once), parses the artifacts it rendered itself while the other share's text arrives, then
runs its share of the checks. The shares balance the work at 10,000 alerts (docs/benchmarks.md);
which share a check is in never changes what it finds (tests/test_parallel.py). Anything going
wrong in the forked process makes this one do that share itself, so a bug surfaces here with its
own traceback.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .checks import Check, Finding, run_checks
from .checks.context import Context
from .checks.registry import CHECKS
from .checks.runner import merge, run_on
from .model import Model
from .render import RENDERERS, Renderer, join, render_all
from .render.yamltext import Written


@dataclass(frozen=True, slots=True)
class Share:
    """One process's part: what it renders, parses early, checks, and reports as unreadable."""

    renderers: tuple[Renderer, ...]
    # Kinds whose every file this share renders, parsed before the other share's text arrives.
    early: tuple[str, ...]
    checks: tuple[Check, ...]
    # artifact/invalid runs in both shares, each reporting the kinds its other checks read anyway.
    artifacts: tuple[str, ...]


def _share(
    renderers: Sequence[str], early: Sequence[str], checks: Sequence[str], artifacts: Sequence[str]
) -> Share:
    by_module = {r.__module__.rsplit(".", 1)[1]: r for r in RENDERERS}
    return Share(
        tuple(by_module[name] for name in renderers),
        tuple(early),
        tuple(c for c in CHECKS if c.id in checks or c.id == "artifact/invalid"),
        tuple(artifacts),
    )


# The forked process: rules, promtool tests, Alertmanager configs and dashboards; the checks of
# rules, examples and of where alerts go (none of them reads a dashboard or a runbook). The
# dashboards are rendered there because runbooks cost this process more than all the rest.
AWAY = _share(
    renderers=("prometheus", "promtool_tests", "alertmanager", "grafana", "grafana_provisioning"),
    early=("rules", "examples", "alertmanagers"),
    checks=(
        "promql/syntax",
        "promql/metric-unknown",
        "promql/counter-without-rate",
        "promql/rate-on-gauge",
        "promql/histogram-quantile-without-le",
        "promql/range-too-short",
        "rule/duplicate",
        "rule/recording-undefined",
        "tier/order",
        "tier/mismatch",
        "test/missing-examples",
        "label/dropped-by-aggregation",
        "route/unrouted",
        "route/unexpected",
        "route/unreachable",
        "receiver/unused",
        "inhibit/missing-equal",
        "inhibit/equal-conflict",
        "inhibit/self",
        "inhibit/too-broad",
    ),
    artifacts=("rules", "examples", "alertmanagers"),
)
# This process: runbooks; the checks of dashboards and runbooks (it parses the rules and the
# dashboards once they arrive).
HERE = _share(
    renderers=tuple(r.__module__.rsplit(".", 1)[1] for r in RENDERERS if r not in AWAY.renderers),
    early=("runbooks",),
    checks=tuple(c.id for c in CHECKS if c not in AWAY.checks),
    artifacts=("rules", "dashboards", "runbooks"),
)

_OK, _FAILED = "ok", "failed"


def render_and_check(
    model: Model,
    *,
    prefix: str,
    processes: int = 1,
    prometheus_url: str | None = None,
    files: dict[str, str] | None = None,
) -> tuple[dict[str, str], list[Finding]]:
    """Every artifact of the model (unless `files` are given) and every check's findings on them.

    `processes=2` (Linux) shares the work with a forked process; the result is the same.
    """
    if processes < 2 or sys.platform != "linux":
        written: dict[str, Written] = {}
        if files is None:
            files = render_all(model, written=written)
        return files, run_checks(model, files, prefix=prefix, prometheus_url=prometheus_url, written=written)
    import multiprocessing

    here_end, away_end = multiprocessing.Pipe()
    args = (model, away_end, files, prefix, prometheus_url)
    proc = multiprocessing.get_context("fork").Process(target=_away, args=args, daemon=True)
    proc.start()
    away_end.close()  # so that a dead child reads as EOF here, never as a hang
    try:
        return _here(model, here_end, files, prefix, prometheus_url)
    finally:
        here_end.close()
        proc.join()


def _here(
    model: Model, conn: Connection, files: dict[str, str] | None, prefix: str, url: str | None
) -> tuple[dict[str, str], list[Finding]]:
    ctx, sending = _rendered(model, conn, files, HERE, url, missing=AWAY)
    assert ctx is not None  # with `missing`, the other share is rendered here if need be
    found = run_on(ctx, HERE.checks, prefix)
    if sending is not None:
        sending.join()
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
    return ctx.files, merge(found, away)


def _away(model: Model, conn: Connection, files: dict[str, str] | None, prefix: str, url: str | None) -> None:
    """The forked share: render, trade texts, check, send the findings; report failure, never raise."""
    try:
        ctx, sending = _rendered(model, conn, files, AWAY, url, missing=None)
        if ctx is not None:
            found = run_on(ctx, AWAY.checks, prefix)
            if sending is not None:
                sending.join()  # one message at a time on the pipe
            conn.send((_OK, found))
    except BaseException:  # the parent redoes this share and shows the real error
        with contextlib.suppress(OSError):
            conn.send((_FAILED, None))
    finally:
        conn.close()


def _rendered(
    model: Model,
    conn: Connection,
    files: dict[str, str] | None,
    share: Share,
    url: str | None,
    missing: Share | None,
) -> tuple[Context | None, threading.Thread | None]:
    """A context on every file (this share's rendered, the other's received), and the thread
    sending this share's text (None when there is nothing to trade), to be joined before anything
    else is sent.

    When the other process sends nothing, its share (`missing`) is rendered here, or None returned.
    """
    if files is not None:
        return Context(model, files, url, share.artifacts), None
    written: dict[str, Written] = {}
    mine = render_all(model, share.renderers, written)
    sender = threading.Thread(target=_send, args=(conn, (_OK, mine)))
    sender.start()
    ctx = Context(model, mine, url, share.artifacts, written)
    for kind in share.early:  # only reads files of this share, all present already
        getattr(ctx, kind)
    status, theirs = _receive(conn)
    if status != _OK:
        if missing is None:
            return None, sender
        theirs = render_all(model, missing.renderers, written)
    ctx.files = join([mine, theirs])
    return ctx, sender


def _receive(conn: Connection) -> tuple[str, Any]:
    try:
        status, payload = conn.recv()
    except (EOFError, OSError):
        return _FAILED, None
    return status, payload


def _send(conn: Connection, message: tuple[str, Any]) -> None:
    # The other process may be gone: its share is redone here when its answer is missing.
    with contextlib.suppress(OSError):
        conn.send(message)
