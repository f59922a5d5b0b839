"""Labels each rendered rule's result carries, following recording rules as they are rendered.

Each rule is analysed once (memoised), so the cost is linear in the number of rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..promql import Flow, flow, selectors
from .rules import Rule

if TYPE_CHECKING:
    from .context import Context


class LabelIndex:
    """Guaranteed and available labels of every rule of an output tree."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._guaranteed: dict[tuple[str, str, int], frozenset[str]] = {}
        self._available: dict[tuple[str, str, int], frozenset[str]] = {}
        self._runtime: dict[tuple[str, str, int], frozenset[str]] = {}
        self._busy: set[tuple[str, str, int]] = set()

    @staticmethod
    def _key(rule: Rule) -> tuple[str, str, int]:
        return (rule.path, rule.name, rule.line)

    def _catalog(self, rule: Rule) -> dict[str, frozenset[str]]:
        service = self._ctx.services.get(rule.service)
        return service.catalog if service is not None else {}

    def _labels_of(self, rule: Rule, name: str) -> frozenset[str] | None:
        record = self._ctx.records.get(name)
        if record is not None:
            return self.guaranteed(record)
        return self._catalog(rule).get(name)

    def flow(self, rule: Rule, node: Any) -> Flow:
        """The label flow of a sub-expression of `rule`, with catalog and recorded labels known."""
        return flow(node, lambda name: self._labels_of(rule, name))

    def guaranteed(self, rule: Rule) -> frozenset[str]:
        """Labels the query's result always carries (what `$labels` sees; static labels excluded)."""
        key = self._key(rule)
        cached = self._guaranteed.get(key)
        if cached is not None:
            return cached
        ast = rule.ast
        if ast is None or key in self._busy:  # unparsable, or a recording rule reading itself
            return frozenset()
        self._busy.add(key)
        try:
            result = self.flow(rule, ast).resolve(frozenset())
        finally:
            self._busy.discard(key)
        self._guaranteed[key] = result
        return result

    def runtime(self, rule: Rule) -> frozenset[str]:
        """Labels a firing alert carries: the query's, the rule's static ones, and `alertname`."""
        key = self._key(rule)
        cached = self._runtime.get(key)
        if cached is None:  # asked per route and per inhibit rule: once per rule is enough
            cached = self._runtime[key] = self.guaranteed(rule) | frozenset(rule.labels) | {"alertname"}
        return cached

    def available(self, rule: Rule) -> frozenset[str]:
        """Labels some series the rule reads carries, before any aggregation."""
        key = self._key(rule)
        cached = self._available.get(key)
        if cached is not None:
            return cached
        ast = rule.ast
        if ast is None or key in self._busy:
            return frozenset()
        self._busy.add(key)
        out: set[str] = set()
        try:
            catalog = self._catalog(rule)
            for sel in selectors(ast):
                record = self._ctx.records.get(sel.name)
                if record is not None:
                    out |= self.available(record)
                else:
                    out |= catalog.get(sel.name, frozenset())
                out |= sel.equalities().keys()
        finally:
            self._busy.discard(key)
        result = frozenset(out) | self.guaranteed(rule)
        self._available[key] = result
        return result

    def dropped_by(self, rule: Rule, label: str) -> Rule | None:
        """The rule whose aggregation drops `label` on the way to `rule`, or None if no input has it."""
        if label not in self.available(rule) or label in self.guaranteed(rule):
            return None
        ast = rule.ast
        for sel in selectors(ast) if ast is not None else ():
            record = self._ctx.records.get(sel.name)
            if (
                record is not None
                and record is not rule
                and label in self.available(record)
                and label not in self.guaranteed(record)
            ):
                return self.dropped_by(record, label) or record
        return rule
