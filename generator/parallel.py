"""Render and check on two cores: a forked process takes a share of the renderers and of the checks.

Renderers and checks are pure functions of the frozen model and the rendered files. A forked
process shares the model as it is (nothing is pickled on the way in); rendered text and findings
travel over a pipe. The shares balance the work at 10,000 alerts (docs/benchmarks.md) and parse
each artifact kind in one process where they can; which share a check is in never changes what
it finds (tests/test_parallel.py). Anything going wrong in the forked process makes this process
do that share itself, so a bug surfaces here with its own traceback.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

from .checks import Finding, run_checks
from .checks.registry import CHECKS
from .checks.runner import merge
from .model import Model
from .render import RENDERERS, join, prometheus, render_all, runbooks

# Rendered away: the runbooks (the slowest renderer) and the rules, about half the rendering.
AWAY_RENDERERS = (prometheus.render, runbooks.render)
HERE_RENDERERS = tuple(r for r in RENDERERS if r not in AWAY_RENDERERS)

# Checked away: what reads runbooks and dashboards (parsed there only) and the rules-only PromQL
# and tier checks; here: what reads the promtool tests and the Alertmanager configs.
_AWAY_IDS = frozenset(
    {
        "promql/syntax",
        "promql/metric-unknown",
        "promql/counter-without-rate",
        "promql/rate-on-gauge",
        "promql/histogram-quantile-without-le",
        "promql/range-too-short",
        "rule/duplicate",
        "rule/recording-undefined",
        "rule/recording-unused",
        "tier/order",
        "tier/mismatch",
        "dashboard/missing-panel",
        "dashboard/threshold-mismatch",
        "dashboard/url-broken",
        "dashboard/filter-dropped",
        "runbook/missing",
        "runbook/anchor-broken",
        "runbook/link-broken",
        "promql/series-missing",
    }
)
# artifact/invalid runs in both shares, each parsing the kinds its other checks read anyway.
AWAY_CHECKS = tuple(c for c in CHECKS if c.id in _AWAY_IDS or c.id == "artifact/invalid")
HERE_CHECKS = tuple(c for c in CHECKS if c.id not in _AWAY_IDS)
AWAY_ARTIFACTS = ("rules", "dashboards", "runbooks")
HERE_ARTIFACTS = ("rules", "examples", "alertmanagers")

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
        if files is None:
            files = render_all(model)
        return files, run_checks(model, files, prefix=prefix, prometheus_url=prometheus_url)
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
    if files is None:
        mine = render_all(model, HERE_RENDERERS)
        status, theirs = _receive(conn)
        if status != _OK:
            theirs = render_all(model, AWAY_RENDERERS)
        else:
            _send(conn, (_OK, mine))
        files = join([mine, theirs])
    found = _checks(model, files, prefix, url, HERE_CHECKS, HERE_ARTIFACTS)
    status, away = _receive(conn)
    if status != _OK:
        away = _checks(model, files, prefix, url, AWAY_CHECKS, AWAY_ARTIFACTS)
    return files, merge(found, away)


def _away(model: Model, conn: Connection, files: dict[str, str] | None, prefix: str, url: str | None) -> None:
    """The forked share: render, trade texts, check, send the findings; report failure, never raise."""
    try:
        if files is None:
            mine = render_all(model, AWAY_RENDERERS)
            conn.send((_OK, mine))
            status, theirs = conn.recv()
            if status != _OK:
                return
            files = join([mine, theirs])
        conn.send((_OK, _checks(model, files, prefix, url, AWAY_CHECKS, AWAY_ARTIFACTS)))
    except BaseException:  # the parent redoes this share and shows the real error
        with contextlib.suppress(OSError):
            conn.send((_FAILED, None))
    finally:
        conn.close()


def _checks(
    model: Model,
    files: dict[str, str],
    prefix: str,
    url: str | None,
    checks: Sequence[Any],
    artifacts: Sequence[str],
) -> list[Finding]:
    return run_checks(model, files, prefix=prefix, prometheus_url=url, checks=checks, artifacts=artifacts)


def _receive(conn: Connection) -> tuple[str, Any]:
    try:
        status, payload = conn.recv()
    except (EOFError, OSError):
        return _FAILED, None
    return status, payload


def _send(conn: Connection, message: tuple[str, Any]) -> None:
    # The child may be gone: its share is redone here when its answer is missing.
    with contextlib.suppress(OSError):
        conn.send(message)
