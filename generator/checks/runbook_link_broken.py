"""runbook/link-broken: a link in a runbook to a file, section, dashboard or panel that is not there."""

from __future__ import annotations

from collections.abc import Iterator

from ..artifacts.dashboards import dashboard_link
from ..artifacts.runbooks import Link, resolve
from .base import Check, Level, Problem, Scope
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Links inside the output tree resolve; links to external sites are not followed."""
    grafanas = {s.spec.grafana_url for s in ctx.model.services}
    for path, book in ctx.runbooks.items():
        for link in book.links:
            problem = _problem(ctx, path, link, grafanas)
            if problem is not None:
                yield Problem(
                    path,
                    link.line,
                    f"link [{link.text}]({link.url}) {problem}; regenerate the output, or fix the "
                    "spec text that holds the link",
                )


def _problem(ctx: Context, path: str, link: Link, grafanas: set[str]) -> str | None:
    target = resolve(path, link.url) or ctx.runbook_target(link.url)
    if target is not None:
        page, anchor = target
        if page not in ctx.files:
            return f"leads to {page}, which is not in the output"
        book = ctx.runbooks.get(page)
        if anchor and book is not None and anchor not in book.anchors:
            return f"leads to #{anchor}, which matches no heading of {page}"
        return None
    board_link = dashboard_link(link.url)
    if board_link is None or board_link.base not in grafanas:
        return None  # an external site: not ours to check
    board = ctx.dashboards_by_uid.get(board_link.uid)
    if board is None:
        return f"opens dashboard uid {board_link.uid!r}, which no dashboard of the output has"
    if board_link.panel is not None and board.panel(board_link.panel) is None:
        return f"opens panel {board_link.panel}, which {board.path} does not have"
    return None


CHECK = Check(
    "runbook/link-broken",
    Level.ERROR,
    "a runbook link to something the output lacks",
    run,
    scope=Scope.GLOBAL,
)
