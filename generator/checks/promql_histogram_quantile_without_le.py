"""promql/histogram-quantile-without-le: histogram_quantile() over an aggregation that drops `le`."""

from __future__ import annotations

from collections.abc import Iterator

import promql_parser as pp

from ..promql import walk_nodes
from .base import Check, Level, Problem, at_rule
from .context import Context


def run(ctx: Context) -> Iterator[Problem]:
    """The bucket input of every histogram_quantile() keeps the `le` label."""
    for rule in ctx.rules:
        ast = rule.ast
        if ast is None:
            continue
        for node, _ in walk_nodes(ast):
            if not (isinstance(node, pp.Call) and node.func.name == "histogram_quantile"):
                continue
            if len(node.args) < 2:
                continue
            buckets = node.args[1]
            if ctx.labels.flow(rule, buckets).keeps("le") is False:
                yield at_rule(
                    rule,
                    "histogram_quantile() reads an expression whose aggregation drops 'le', so it "
                    "has no buckets to interpolate and returns nothing; keep le, e.g. "
                    "sum by (job, le) (rate(<metric>_bucket[5m]))",
                    rule.expr_line,
                )


CHECK = Check(
    "promql/histogram-quantile-without-le",
    Level.ERROR,
    "histogram_quantile() over an aggregation that drops le",
    run,
)
