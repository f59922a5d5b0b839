"""Prometheus rule and promtool test files read back into rules with their lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .. import conventions as conv
from ..promql import PromQLError, comparison, parse, selectors
from .yamlnodes import LineDict, load

# Comparison operators, each with its mirror image for `threshold op expr`.


@dataclass(frozen=True, slots=True)
class Rule:
    """One recording or alerting rule as a rules file holds it."""

    path: str
    line: int
    service: str
    kind: str  # "record" or "alert"
    name: str
    expr: str
    expr_line: int
    for_: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    annotation_lines: dict[str, int] = field(default_factory=dict)
    # Where the rule is evaluated, as its file's name says: `source` or `global`.
    evaluation: str = "source"

    @property
    def ast(self) -> Any:
        """The parsed expression (parse caches), or None when it does not parse."""
        try:
            return parse(self.expr)
        except PromQLError:
            return None

    @property
    def is_alert(self) -> bool:
        """Whether this is an alerting rule."""
        return self.kind == "alert"

    @property
    def comparison(self) -> tuple[Any, str, float] | None:
        """`(compared expression, operator, threshold)` of an alert such as `x > 0.1 or absent(...)`."""
        return comparison(self.ast) if self.ast is not None else None

    @property
    def compared_series(self) -> frozenset[str]:
        """The series names the alert's condition compares (what a dashboard panel should plot)."""
        comparison = self.comparison
        node = comparison[0] if comparison is not None else self.ast
        return frozenset(s.name for s in selectors(node) if s.name) if node is not None else frozenset()


@dataclass(frozen=True, slots=True)
class Examples:
    """How a service's promtool tests exercise one alert: firing and silent cases."""

    firing: int = 0
    silent: int = 0


def service_of(path: str, directory: str, suffix: str) -> str | None:
    """The service a generated file belongs to: `prometheus/rules/x.rules.yml` -> `x`."""
    head = directory + "/"
    if path.startswith(head) and path.endswith(suffix) and "/" not in path[len(head) :]:
        return path[len(head) : -len(suffix)]
    return None


RULES_SUFFIX = conv.rules_path("").rsplit("/", 1)[1]
TESTS_SUFFIX = conv.tests_path("").rsplit("/", 1)[1]
GLOBAL_INFIX = conv.tier_infix("global")


def parse_rules(path: str, text: str) -> list[Rule]:
    """The rules of one rules file; ValueError when it is not a rules file."""
    doc = _yaml(text)
    service = service_of(path, conv.RULES_DIR, RULES_SUFFIX) or ""
    evaluation = "source"
    if service.endswith(GLOBAL_INFIX):  # `x.global.rules.yml`: service x's global tier
        service, evaluation = service.removesuffix(GLOBAL_INFIX), "global"
    groups = doc.get("groups") if isinstance(doc, dict) else None
    if not isinstance(groups, list):
        raise ValueError("no `groups:` list")
    out = []
    for group in groups:
        for raw in group.get("rules") or () if isinstance(group, dict) else ():
            if not isinstance(raw, LineDict):
                raise ValueError(f"line {getattr(raw, 'line', '?')}: a rule must be a mapping")
            kind = "alert" if "alert" in raw else "record"
            labels = raw.get("labels") or {}
            annotations = raw.get("annotations") or {}
            out.append(
                Rule(
                    path=path,
                    line=raw.line,
                    service=service,
                    kind=kind,
                    name=str(raw.get(kind, "")),
                    expr=str(raw.get("expr", "")),
                    expr_line=raw.line_of("expr"),
                    for_=str(raw.get("for", "") or ""),
                    labels={str(k): str(v) for k, v in labels.items()},
                    annotations={str(k): str(v) for k, v in annotations.items()},
                    annotation_lines=dict(annotations.key_lines) if isinstance(annotations, LineDict) else {},
                    evaluation=evaluation,
                )
            )
    return out


def parse_tests(text: str) -> dict[str, Examples]:
    """Firing and silent cases per alert name in one promtool test file."""
    try:  # no lines or types needed (findings point at the alert's rule): every scalar a string
        doc = yaml.load(text, Loader=yaml.CBaseLoader)
    except yaml.YAMLError as exc:
        raise ValueError(f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    out: dict[str, Examples] = {}
    tests = doc.get("tests") if isinstance(doc, dict) else None
    for test in tests or ():
        for case in test.get("alert_rule_test") or () if isinstance(test, dict) else ():
            name = str(case.get("alertname", ""))
            seen = out.get(name, Examples())
            if case.get("exp_alerts"):
                out[name] = Examples(seen.firing + 1, seen.silent)
            else:
                out[name] = Examples(seen.firing, seen.silent + 1)
    return out


def _yaml(text: str) -> Any:
    try:
        return load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ValueError(f"{where}not valid YAML ({getattr(exc, 'problem', exc)})") from None
