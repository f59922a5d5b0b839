"""promtool unit tests from each alert's examples: one test group per example."""

from __future__ import annotations

from typing import Any

from .. import conventions as conv
from ..model import Model, ResolvedService
from .prometheus import header, tiers
from .yamlout import dump


def render(model: Model, service: ResolvedService) -> dict[str, str]:
    """`prometheus/tests/<service>.test.yml` when the service's alerts have examples."""
    if not any(a.tests for a in service.alerts):
        return {}
    return {conv.tests_path(service.name): _file(service)}


def _file(service: ResolvedService) -> str:
    # Both tiers' files: a test evaluates the global rules on the source records, as the ruler does.
    rules = ["../rules/" + conv.rules_path(service.name, tier).rsplit("/", 1)[1] for tier in tiers(service)]
    tests: list[dict[str, Any]] = []
    for alert in service.alerts:
        for case in alert.tests:
            expected = [
                {"exp_labels": dict(e.labels), "exp_annotations": dict(e.annotations)} for e in case.expected
            ]
            tests.append(
                {
                    "name": f"{alert.name}: {case.name}",
                    "interval": case.interval.text,
                    "input_series": [{"series": s, "values": v} for s, v in case.series.items()],
                    "alert_rule_test": [
                        {"eval_time": case.at.text, "alertname": alert.name, "exp_alerts": expected}
                    ],
                }
            )
    doc: dict[str, Any] = {
        "rule_files": rules,
        "evaluation_interval": service.spec.evaluation_interval.text,
    }
    if len(service.groups) > 1 and len(rules) == 1:  # a group split over tiers has one name twice
        # promtool evaluates groups in random order unless told; the rule file's order makes an
        # alert that reads another group's records see this evaluation's, every run.
        doc["group_eval_order"] = [g.name for g in service.groups]
    doc["tests"] = tests
    return dump(doc, header=header(service))
