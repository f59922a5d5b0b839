"""promtool unit tests from each alert's examples: one test group per example."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import conventions as conv
from ..checks.rules import ExamplesRead, parse_tests
from ..model import Model, ResolvedService
from . import readback
from .prometheus import header
from .yamlout import dump


def render(model: Model) -> dict[str, str]:
    """`prometheus/tests/<service>.test.yml` for each service with examples."""
    return dict(each(model))


def each(model: Model) -> Iterator[tuple[str, str]]:
    """The test files one at a time, `(path, text)`: `render.render_encoded` lets each go once
    written (at 10,000 alerts they are 39 MB of text)."""
    for service in model.services:
        if any(a.tests for a in service.alerts):
            yield conv.tests_path(service.name), _file(service)


def _file(service: ResolvedService) -> str:
    rules = "../rules/" + conv.rules_path(service.name).rsplit("/", 1)[1]
    tests: list[dict[str, Any]] = []
    for alert in service.alerts:
        for case in alert.tests:
            expected: list[dict[str, Any]] = []
            if case.fires:
                expected.append(
                    {
                        "exp_labels": dict(case.exp_labels),
                        "exp_annotations": dict(case.exp_annotations),
                    }
                )
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
    doc = {
        "rule_files": [rules],
        "evaluation_interval": service.spec.evaluation_interval.text,
        "tests": tests,
    }
    text = dump(doc, header=header(service))
    # The checks read only how many firing and silent cases each alert has: recording that, not
    # the document, lets the document go once written (39 MB at 10,000 alerts).
    readback.record(text, ExamplesRead(parse_tests("", doc)))
    return text
