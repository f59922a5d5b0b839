"""version/not-bumped: a service whose alerting behaviour changed since the base revision, at the
same version. Runbooks, changelogs and `changed_in` name versions: one version must mean one
behaviour, or an on-call engineer reading "2.3.0" cannot tell which thresholds paged them."""

from __future__ import annotations

from collections.abc import Iterator

from .. import conventions as conv
from ..review.compare import compare
from ..review.report import words
from ..review.snapshot import snapshot
from .base import Check, Level, Problem, Scope
from .context import Context

# Changes named in the message; the rest are counted (`alertgen diff` lists every one).
_SHOWN = 5


def run(ctx: Context) -> Iterator[Problem]:
    """Each service present on both sides whose behaviour differs but whose version does not."""
    if ctx.base is None:
        return
    for diff in compare(ctx.base.services, snapshot(ctx.model)):
        if diff.before_version is None or diff.after_version is None or diff.version_bumped:
            continue
        phrases = [f"{c.alert}: {phrase}" for c in diff.changes for phrase in words(c)]
        more = len(phrases) - _SHOWN
        shown = "; ".join(phrases[:_SHOWN]) + (f"; and {more} more" if more > 0 else "")
        yield Problem(
            conv.rules_path(diff.name),
            1,  # the header line, which names the service's version
            f"service {diff.name!r} changed its alerting since {ctx.base.name} ({shown}) but its version "
            f"is still {diff.after_version}; bump Service.version and set changed_in on the changed "
            "alerts (`alertgen diff` lists every change)",
            service=diff.name,
        )


CHECK = Check(
    "version/not-bumped",
    Level.ERROR,
    "alerting behaviour changed since the base revision without a Service.version bump",
    run,
    scope=Scope.GLOBAL,
)
