"""Labels each rendered rule's result carries, following recording rules as they are rendered.

`analyse` reads the rules' PromQL once (each rule once, records before the rules reading them)
and keeps per rule what the checks ask: the labels its result always carries, the labels some
input carries, and the records it reads. `LabelIndex` answers from those facts alone, so a
stage that never parsed the expressions (the pipeline's global stage) asks the same questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..artifacts.rules import Rule
from ..promql import Flow, flow, selectors

RuleKey = tuple[str, str, int]  # (path, name, line)
Catalogs = Mapping[str, Mapping[str, frozenset[str]]]  # per service: series name -> labels


def key(rule: Rule) -> RuleKey:
    """The identity of a rendered rule."""
    return (rule.path, rule.name, rule.line)


@dataclass(frozen=True, slots=True)
class LabelFacts:
    """What one rule's query does to labels."""

    guaranteed: frozenset[str]  # every result series carries these (what `$labels` sees)
    available: frozenset[str]  # some series the rule reads carries these, before aggregation
    reads: tuple[str, ...]  # series names it selects, in order


def records_of(rules: Sequence[Rule]) -> dict[str, Rule]:
    """Recording rules by name (the first definition of a name)."""
    out: dict[str, Rule] = {}
    for rule in rules:
        if not rule.is_alert:
            out.setdefault(rule.name, rule)
    return out


def analyse(rules: Sequence[Rule], catalogs: Catalogs) -> dict[RuleKey, LabelFacts]:
    """The label facts of every rule (an unparsable one, or one reading itself, keeps none)."""
    records = records_of(rules)
    facts: dict[RuleKey, LabelFacts] = {}
    busy: set[RuleKey] = set()

    def of(rule: Rule) -> LabelFacts:
        k = key(rule)
        known = facts.get(k)
        if known is not None:
            return known
        ast = rule.ast
        if ast is None or k in busy:
            return _NONE
        busy.add(k)
        try:
            catalog = catalogs.get(rule.service, {})

            def labels_of(name: str) -> frozenset[str] | None:
                # A record's series carry its query's labels and its static ones.
                record = records.get(name)
                return (
                    of(record).guaranteed | frozenset(record.labels)
                    if record is not None
                    else catalog.get(name)
                )

            guaranteed = flow(ast, labels_of).resolve(frozenset())
            sels = selectors(ast)
            available: set[str] = set(guaranteed)
            for sel in sels:
                record = records.get(sel.name)
                available |= (
                    of(record).available if record is not None else catalog.get(sel.name, frozenset())
                )
                available |= sel.equalities().keys()
            found = facts[k] = LabelFacts(guaranteed, frozenset(available), tuple(s.name for s in sels))
            return found
        finally:
            busy.discard(k)

    for rule in rules:
        of(rule)
    return facts


_NONE = LabelFacts(frozenset(), frozenset(), ())


class LabelIndex:
    """Guaranteed and available labels of every rule of an output tree, from their facts."""

    def __init__(
        self, rules: Sequence[Rule], facts: Mapping[RuleKey, LabelFacts], catalogs: Catalogs
    ) -> None:
        self._facts = facts
        self._records = records_of(rules)
        self._catalogs = catalogs

    def _of(self, rule: Rule) -> LabelFacts:
        return self._facts.get(key(rule), _NONE)

    def parsed(self, rule: Rule) -> bool:
        """Whether the rule's expression parsed (facts exist only for those)."""
        return key(rule) in self._facts

    def guaranteed(self, rule: Rule) -> frozenset[str]:
        """Labels the query's result always carries (what `$labels` sees; static labels excluded)."""
        return self._of(rule).guaranteed

    def stored(self, rule: Rule) -> frozenset[str]:
        """Labels every series a recording rule writes carries: its query's and its static ones."""
        return self.guaranteed(rule) | frozenset(rule.labels)

    def available(self, rule: Rule) -> frozenset[str]:
        """Labels some series the rule reads carries, before any aggregation."""
        return self._of(rule).available

    def reads(self, rule: Rule) -> tuple[str, ...]:
        """Series names the rule's query selects, in order (none when it did not parse)."""
        return self._of(rule).reads

    def runtime(self, rule: Rule) -> frozenset[str]:
        """Labels a firing alert carries: the query's, the rule's static ones, and `alertname`."""
        return self.guaranteed(rule) | frozenset(rule.labels) | {"alertname"}

    def flow(self, rule: Rule, node: Any) -> Flow:
        """The label flow of a sub-expression of `rule`, with catalog and recorded labels known."""
        catalog = self._catalogs.get(rule.service, {})

        def labels_of(name: str) -> frozenset[str] | None:
            record = self._records.get(name)
            return self.stored(record) if record is not None else catalog.get(name)

        return flow(node, labels_of)

    def dropped_by(self, rule: Rule, label: str) -> Rule | None:
        """The rule whose aggregation drops `label` on the way to `rule`, or None if no input has it."""
        if label not in self.available(rule) or label in self.guaranteed(rule):
            return None
        for name in self._of(rule).reads:
            record = self._records.get(name)
            if (
                record is not None
                and record is not rule
                and label in self.available(record)
                and label not in self.guaranteed(record)
            ):
                return self.dropped_by(record, label) or record
        return rule
