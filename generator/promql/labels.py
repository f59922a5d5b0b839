"""Which labels an expression's result is guaranteed to carry, from promql-parser's tree.

This is the static half of the label-flow analysis: routes, inhibitions and templates may only
rely on labels that survive aggregation, vector matching, `absent()` and `label_replace()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import promql_parser as pp

from .analysis import matcher_tuples

# Functions whose result carries no labels of their argument.
_NO_LABELS = {
    "vector",
    "time",
    "scalar",
    "pi",
    "minute",
    "hour",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "days_in_month",
    "month",
    "year",
}
_ABSENT = {"absent", "absent_over_time"}


@dataclass(frozen=True, slots=True)
class Flow:
    """Labels of a result: exactly `names`, or (open) every input label except `names`."""

    open: bool
    names: frozenset[str]

    @staticmethod
    def exact(names: set[str] | frozenset[str]) -> Flow:
        """A result with exactly these labels."""
        return Flow(False, frozenset(names) - {"__name__"})

    @staticmethod
    def passthrough(removed: set[str] | frozenset[str] = frozenset()) -> Flow:
        """A result that keeps its input's labels except `removed`."""
        return Flow(True, frozenset(removed) | {"__name__"})

    def keeps(self, label: str) -> bool | None:
        """True if guaranteed, False if dropped, None when it depends on the input series."""
        if self.open:
            return None if label not in self.names else False
        return label in self.names

    def without(self, labels: set[str] | frozenset[str]) -> Flow:
        """This flow with `labels` dropped."""
        return Flow(True, self.names | labels) if self.open else Flow(False, self.names - labels)

    def restricted(self, labels: set[str] | frozenset[str]) -> Flow:
        """Only `labels` of this flow survive."""
        if self.open:
            return Flow(False, frozenset(labels) - self.names)
        return Flow(False, self.names & frozenset(labels))

    def plus(self, labels: set[str] | frozenset[str]) -> Flow:
        """This flow with `labels` added."""
        return Flow(True, self.names - labels) if self.open else Flow(False, self.names | labels)

    def both(self, other: Flow) -> Flow:
        """Labels guaranteed on either of two results (what `or` guarantees)."""
        if not self.open and not other.open:
            return Flow(False, self.names & other.names)
        if self.open and other.open:
            return Flow(True, self.names | other.names)
        closed = other if self.open else self
        opened = self if self.open else other
        return Flow(False, closed.names - opened.names)

    def resolve(self, known: frozenset[str]) -> frozenset[str]:
        """The labels guaranteed when the inputs are known to carry `known`."""
        return (known - self.names) if self.open else self.names


LabelsOf = Callable[[str], frozenset[str] | None]


def flow(node: Any, labels_of: LabelsOf | None = None) -> Flow:
    """The labels `node`'s result carries; `labels_of(metric)` knows catalog metrics' labels."""
    if isinstance(node, pp.VectorSelector):
        known = labels_of(node.name or "") if labels_of else None
        return Flow.exact(known) if known is not None else Flow.passthrough()
    if isinstance(node, pp.MatrixSelector):
        return flow(node.vector_selector, labels_of)
    if isinstance(node, (pp.NumberLiteral, pp.StringLiteral)):
        return Flow.exact(set())
    if isinstance(node, (pp.ParenExpr, pp.UnaryExpr, pp.SubqueryExpr)):
        return flow(node.expr, labels_of)
    if isinstance(node, pp.AggregateExpr):
        return _aggregate(node, labels_of)
    if isinstance(node, pp.Call):
        return _call(node, labels_of)
    if isinstance(node, pp.BinaryExpr):
        return _binary(node, labels_of)
    return Flow.passthrough()


def _aggregate(node: Any, labels_of: LabelsOf | None) -> Flow:
    inner = flow(node.expr, labels_of)
    op = str(node.op)
    if op in ("topk", "bottomk", "limitk", "limit_ratio"):
        return inner
    mod = node.modifier
    extra = set()
    if op == "count_values" and isinstance(node.param, pp.StringLiteral):
        extra.add(node.param.val)
    if mod is None:
        return Flow.exact(extra)
    labels = set(mod.labels)
    if str(mod.type).endswith("By"):
        # `by (x)` yields x whenever some input has it; guaranteed only if the input keeps it.
        return inner.restricted(labels).plus(extra)
    return inner.without(labels).plus(extra)


def _call(node: Any, labels_of: LabelsOf | None) -> Flow:
    name = node.func.name
    if name in _NO_LABELS:
        return Flow.exact(set())
    if name in _ABSENT:
        arg = node.args[0]
        vs = arg.vector_selector if isinstance(arg, pp.MatrixSelector) else arg
        if isinstance(vs, pp.VectorSelector):
            return Flow.exact({n for n, op, _ in matcher_tuples(vs) if op == "="})
        return Flow.exact(set())
    vector_args = [a for a in node.args if not isinstance(a, (pp.NumberLiteral, pp.StringLiteral))]
    if not vector_args:
        return Flow.exact(set())
    # histogram_quantile reads the vector in its second argument; the others in their first.
    inner = flow(vector_args[-1] if name == "histogram_quantile" else vector_args[0], labels_of)
    if name == "histogram_quantile":
        return inner.without({"le", "__name__"})
    if name == "label_replace":
        return _label_replace(node, inner)
    if name == "label_join":
        return _label_join(node, inner)
    return inner.without({"__name__"})


def _strings(node: Any) -> list[str] | None:
    """The string arguments after the vector, or None when one is not a literal."""
    args = node.args[1:]
    if not all(isinstance(a, pp.StringLiteral) for a in args):
        return None
    return [a.val for a in args]


# Regexes that match any value, the empty one of a missing label included.
_MATCH_ALL = {".*", "(.*)", "^.*$", "^(.*)$", ".*?", "(.*?)"}


def _label_replace(node: Any, inner: Flow) -> Flow:
    """`label_replace(v, dst, replacement, src, regex)`: dst is set only where regex matches src.

    The destination is guaranteed when the regex matches every value and the replacement
    cannot expand to nothing (an empty result deletes the label); otherwise it is guaranteed
    only if the input already had it and the regex can never match (then nothing changes).
    """
    strings = _strings(node)
    if strings is None or len(strings) != 4:
        return inner
    dst, replacement, src, regex = strings
    if regex in _MATCH_ALL:
        if "$" not in replacement:
            return inner.plus({dst}) if replacement else inner.without({dst})
        if inner.keeps(src) is not False:
            return inner.plus({dst})
    return inner.without({dst}) if inner.keeps(dst) is not True else inner


def _label_join(node: Any, inner: Flow) -> Flow:
    """`label_join(v, dst, sep, src...)`: dst is the joined values, guaranteed if a source is."""
    strings = _strings(node)
    if strings is None or len(strings) < 2:
        return inner
    dst, sep, *sources = strings
    # Two or more sources join to at least the separator, which is never empty when given.
    if any(inner.keeps(s) is not False for s in sources) or (sep and len(sources) > 1):
        return inner.plus({dst})
    return inner.without({dst})


_SET_OPS = {"and", "or", "unless"}
_COMPARISONS = {"==", "!=", ">", "<", ">=", "<="}


def _binary(node: Any, labels_of: LabelsOf | None) -> Flow:
    lhs, rhs = flow(node.lhs, labels_of), flow(node.rhs, labels_of)
    lhs_scalar = _is_scalar(node.lhs)
    rhs_scalar = _is_scalar(node.rhs)
    op = str(node.op)
    if lhs_scalar and rhs_scalar:
        return Flow.exact(set())
    if lhs_scalar or rhs_scalar:
        return rhs if lhs_scalar else lhs
    if op == "or":
        return lhs.both(rhs)
    if op in _SET_OPS:
        return lhs
    mod = node.modifier
    matching = getattr(mod, "matching", None) if mod is not None else None
    card = str(getattr(mod, "card", "")) if mod is not None else ""
    if card.endswith("OneToOne") or not card:
        if matching is not None and str(matching.type).endswith("Include"):
            return lhs.restricted(set(matching.labels))
        if matching is not None:
            return lhs.without(set(matching.labels))
        return lhs
    # group_left keeps the "many" side's labels and copies the listed ones from the "one" side.
    many = lhs if card.endswith("ManyToOne") else rhs
    return many.plus(set(getattr(mod, "group_labels", None) or []))


def _is_scalar(node: Any) -> bool:
    while isinstance(node, (pp.ParenExpr, pp.UnaryExpr)):
        node = node.expr
    if isinstance(node, pp.NumberLiteral):
        return True
    if isinstance(node, pp.Call) and node.func.name in ("scalar", "time", "pi"):
        return True
    return isinstance(node, pp.BinaryExpr) and _is_scalar(node.lhs) and _is_scalar(node.rhs)
