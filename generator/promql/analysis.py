"""Walk a parsed expression: the selectors it reads, with their matchers and ranges."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import promql_parser as pp

from .parse import parse


@dataclass(frozen=True, slots=True)
class Selector:
    """A vector selector: its metric name, matchers, the range (seconds) and the function applied."""

    name: str
    matchers: tuple[tuple[str, str, str], ...]
    range_seconds: float | None
    function: str | None

    def text(self) -> str:
        """The selector as PromQL, e.g. `up{job="x"}`."""
        body = ",".join(f"{n}{op}{_quote(v)}" for n, op, v in self.matchers)
        return f"{self.name}{{{body}}}" if body else self.name

    def equalities(self) -> dict[str, str]:
        """Labels fixed by `=` matchers (what `absent()` of this selector returns)."""
        return {n: v for n, op, v in self.matchers if op == "="}


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}


def matcher_tuples(vs: Any) -> tuple[tuple[str, str, str], ...]:
    """The `(label, op, value)` matchers of a vector selector, `__name__` left out."""
    out = []
    for m in vs.matchers.matchers:
        if m.name == "__name__":
            continue
        read = (m.name, _OPS.get(str(m.op), str(m.op)), m.value)
        out.append(read)
    return tuple(out)


def children(node: Any) -> list[Any]:
    """The direct sub-expressions of a node."""
    if isinstance(node, pp.AggregateExpr):
        return [c for c in (node.param, node.expr) if c is not None]
    if isinstance(node, pp.BinaryExpr):
        return [node.lhs, node.rhs]
    if isinstance(node, pp.Call):
        return list(node.args)
    if isinstance(node, (pp.ParenExpr, pp.UnaryExpr, pp.SubqueryExpr)):
        return [node.expr]
    if isinstance(node, pp.MatrixSelector):
        return [node.vector_selector]
    return []


def walk_nodes(node: Any) -> Iterator[tuple[Any, Any | None]]:
    """Every node with its parent, depth first."""
    stack: list[tuple[Any, Any | None]] = [(node, None)]
    while stack:
        cur, parent = stack.pop()
        yield cur, parent
        stack.extend((c, cur) for c in reversed(children(cur)))


def depth(node: Any) -> int:
    """How many levels deep an expression nests (a selector alone is 1)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(node, 1)]
    while stack:
        cur, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((c, level + 1) for c in children(cur))
    return deepest


def selectors(node: Any) -> list[Selector]:
    """All selectors an expression reads, in order, with the function that wraps each."""
    out: list[Selector] = []
    for cur, parent in walk_nodes(node):
        if isinstance(cur, pp.VectorSelector) and not isinstance(parent, pp.MatrixSelector):
            func = parent.func.name if isinstance(parent, pp.Call) else None
            out.append(Selector(cur.name or "", matcher_tuples(cur), None, func))
        elif isinstance(cur, pp.MatrixSelector):
            vs = cur.vector_selector
            func = parent.func.name if isinstance(parent, pp.Call) else None
            out.append(Selector(vs.name or "", matcher_tuples(vs), cur.range.total_seconds(), func))
    return out


_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}


def comparison(node: Any) -> tuple[Any, str, float] | None:
    """`(compared expression, operator, threshold)` of a condition such as `x > 0.1 or absent(...)`:
    the left-most comparison with a number, through `and`/`or`/`unless` (the number put right)."""
    while isinstance(node, pp.ParenExpr):
        node = node.expr
    while isinstance(node, pp.BinaryExpr):
        op = str(node.op)
        if op in _FLIP:
            if isinstance(node.rhs, pp.NumberLiteral):
                return node.lhs, op, float(node.rhs.val)
            if isinstance(node.lhs, pp.NumberLiteral):
                return node.rhs, _FLIP[op], float(node.lhs.val)
            return None
        if op not in ("or", "and", "unless"):
            return None
        node = node.lhs  # the condition is the left operand; `or absent(...)` only adds
        while isinstance(node, pp.ParenExpr):
            node = node.expr
    return None


def forget_trees() -> None:
    """Let go of every tree parsed so far (parsed again if asked for)."""
    parse.cache_clear()
