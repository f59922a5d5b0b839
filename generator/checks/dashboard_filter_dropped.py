"""dashboard/filter-dropped: a panel query filters on a label its recording rule does not keep.

Grafana's `namespace` and `instance` variables become label matchers; on a series that lacks
the label, a chosen value matches nothing, so the panel goes blank exactly when on-call narrows
it down to the namespace that paged them.
Generated dashboards match only on labels a record keeps; this catches hand edits, and a
renderer that gets the labels wrong.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import Check, Level, Problem
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """Every label a panel's query matches on is one the recording rule it reads keeps."""
    for path, board in sorted(ctx.dashboards.items()):
        for panel in board.panels:
            for read in panel.expr_selectors:
                if read is None:
                    continue  # a query that does not parse is not this check's to report
                for sel in read:
                    record = ctx.records.get(sel.name)
                    if record is None or record.ast is None:
                        continue
                    kept = ctx.labels.stored(record)
                    for label, op, value in sel.matchers:
                        if label not in kept:
                            yield Problem(
                                path,
                                panel.line,
                                f'{panel.label} matches {label}{op}"{value}" on {sel.name}, whose '
                                f"expression does not keep {label!r}, so the panel is empty once a value "
                                f"of {label} is chosen; remove the matcher from the query (generate adds "
                                f"one only where the record keeps the label) or keep {label} in the "
                                "recording rule's aggregation",
                                board.service,
                            )


CHECK = Check(
    "dashboard/filter-dropped",
    Level.ERROR,
    "a panel query filtering on a label its recording rule drops",
    run,
)
