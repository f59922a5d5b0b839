"""runbook/anchor-broken: a runbook link whose #anchor leads to no section, or to another alert's."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from .base import Check, Level, Problem, Scope, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Alert `runbook_url`s and dashboard runbook links open the alert's own section."""
    key = ctx.model.conventions.runbook_annotation or ""
    for rule in ctx.alerts if key else ():
        url = rule.annotations.get(key, "")
        intent = ctx.intent(rule)
        if intent is not None and intent.runbook_elsewhere == url:
            continue  # a runbook the spec keeps elsewhere: no section of ours to point at
        target = ctx.runbook_target(url) if url else None
        if target is None or target[0] not in ctx.runbooks:
            continue  # runbook/missing reports it
        path, anchor = target
        problem = _anchor_problem(ctx, path, anchor)
        if problem is None and intent is not None and anchor != intent.anchor:
            problem = f"leads to #{anchor}, but the alert's section is #{intent.anchor}"
        if problem is not None:
            yield at_rule(
                rule,
                f"{key} {problem}; regenerate the output so the heading and the link agree",
                rule.annotation_lines.get(key),
            )
    by_url = {r.annotations.get(key, ""): r.name for r in ctx.alerts} if key else {}
    for board in ctx.dashboards.values():
        for panel in board.panels:
            for url in panel.links:
                target = ctx.runbook_target(url)
                if target is None or target[0] not in ctx.runbooks:
                    continue
                problem = _anchor_problem(ctx, *target)
                if problem is not None:
                    yield Problem(
                        board.path,
                        panel.line,
                        f"{panel.label} links to {url!r}, whose {problem}; regenerate the output",
                        board.service,
                        by_url.get(url, ""),
                    )


def _anchor_problem(ctx: Context, path: str, anchor: str) -> str | None:
    if not anchor:
        return f"has no #anchor, so it opens the top of {path} instead of the alert's section"
    book = ctx.runbooks[path]
    if anchor in book.anchors:
        return None
    close = difflib.get_close_matches(anchor, sorted(book.anchors), n=1)
    hint = f" (closest: #{close[0]})" if close else ""
    return f"anchor #{anchor} matches no heading of {path}{hint}"


CHECK = Check(
    "runbook/anchor-broken", Level.ERROR, "a runbook link whose anchor leads nowhere", run, scope=Scope.GLOBAL
)
