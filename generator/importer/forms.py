"""Which imported alerts read as alertgen's short form: a threshold on a recorded signal."""

from __future__ import annotations

from collections.abc import Mapping

import promql_parser as pp

from ..build_condition import number
from ..promql import parse
from .compare import expression
from .source import SourceRule

_OPS = (">", ">=", "<", "<=", "==", "!=")


def threshold_form(rule: SourceRule, units: Mapping[str, str]) -> tuple[str, str, float] | None:
    """`(record, op, threshold)` when the alert is `record op number` exactly as alertgen writes
    it (so the rules generated again are the same), has a description of its own (the short form
    would otherwise write one), and the threshold makes sense for the record's unit."""
    if "description" not in rule.annotations:
        return None
    node = parse(rule.expr)
    while isinstance(node, pp.ParenExpr):
        node = node.expr
    if not isinstance(node, pp.BinaryExpr) or str(node.op) not in _OPS:
        return None
    if getattr(node.modifier, "return_bool", False) or not isinstance(node.rhs, pp.NumberLiteral):
        return None
    lhs = node.lhs
    if not isinstance(lhs, pp.VectorSelector) or lhs.offset or lhs.at:
        return None
    name = lhs.name
    if name is None or name not in units or any(m.name != "__name__" for m in lhs.matchers.matchers):
        return None
    value = float(node.rhs.val)
    unit = units[name]
    if (value < 0 and unit != "short") or (unit == "percentunit" and value > 1):
        return None
    if expression(f"{name} {node.op} {number(value)}") != expression(rule.expr):
        return None
    return name, str(node.op), value
