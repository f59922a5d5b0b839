"""grafana/dashboard-linter's rules, held to every dashboard alertgen writes for the fixtures.

The linter is a Go program; its rules (docs/rules/*.md of grafana/dashboard-linter) are
re-stated here where they apply to generated dashboards:

- template-datasource-rule: one datasource variable, named `datasource`, labelled "Data Source".
- template-job-rule, template-instance-rule: a `job` / `instance` variable (where the service's
  series carry the label), labelled so, on `$datasource`, a Prometheus `label_values` query,
  multi-select, allValue `.+`.
- template-label-promql-rule: every query variable's query is `label_values(<valid PromQL>, label)`.
- template-on-time-change-reload-rule: query variables refresh on time range change (2).
- template-uneditable-rule: the dashboard is not editable (it is provisioned from the spec).
- panel-datasource-rule, panel-title-description-rule, panel-units-rule: every panel reads
  `$datasource`, has a title and a description, and a valid unit.
- target-promql-rule: every query is valid PromQL once the variables are filled in.
- target-rate-interval-rule: rate/irate/increase in a query use `$__rate_interval`.
- target-job-rule, target-instance-rule: a query matches `job=~"$job"` (`instance=~"$instance"`)
  wherever its series keep that label. Where the recording rule aggregated the label away the
  rule does not apply: a matcher there would only empty the panel (alertgen's
  dashboard/filter-dropped check).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import promql_parser as pp
import pytest

from generator.pipeline import Result, run
from generator.promql import selectors

from .conftest import FIXTURES

GRAFANA_UNITS = {"percentunit", "percent", "s", "ms", "short", "none", "bytes", "reqps", "ops", "bool"}
LABEL_VALUES = re.compile(r"^label_values\((?P<selector>.+), (?P<label>[a-zA-Z_]\w*)\)$")


def filled(expr: str) -> str:
    """A query as Grafana runs it with "All" chosen everywhere."""
    return re.sub(r"\$\{?(\w+)\}?", lambda m: "5m" if m.group(1) == "__rate_interval" else ".+", expr)


def _query_variables(board: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {v["name"]: v for v in board["templating"]["list"] if v["type"] == "query"}


def violations(board: dict[str, Any], kept: dict[str, frozenset[str]]) -> list[str]:
    """Every dashboard-linter rule the board breaks, as `rule: what`; `kept` is the labels each
    recording rule keeps (which variables apply to its queries)."""
    out: list[str] = []
    variables = board["templating"]["list"]
    sources = [v for v in variables if v["type"] == "datasource"]
    if [(v["name"], v.get("label"), v["query"]) for v in sources] != [
        ("datasource", "Data Source", "prometheus")
    ]:
        out.append(f"template-datasource-rule: {sources}")
    queries = _query_variables(board)
    carried = set().union(*kept.values()) if kept else set()
    for name in ("job", "instance"):
        var = queries.get(name)
        if name not in carried:
            continue
        if var is None:
            out.append(f"template-{name}-rule: no {name} variable")
            continue
        if (var.get("label"), var["datasource"]["uid"], var.get("multi"), var.get("allValue")) != (
            name,
            "${datasource}",
            True,
            ".+",
        ):
            out.append(f"template-{name}-rule: {var}")
    for name, var in queries.items():
        found = LABEL_VALUES.match(var["query"])
        try:
            ok = found is not None and found["label"] == name and bool(pp.parse(filled(found["selector"])))
        except ValueError:
            ok = False
        if not ok:
            out.append(f"template-label-promql-rule: {name}: {var['query']}")
        if var.get("refresh") != 2:
            out.append(f"template-on-time-change-reload-rule: {name}")
    if board.get("editable") is not False:
        out.append("template-uneditable-rule: editable")
    for panel in board["panels"]:
        if panel["type"] == "row":
            continue
        title = panel.get("title", "")
        if panel.get("datasource", {}).get("uid") != "${datasource}":
            out.append(f"panel-datasource-rule: {title}")
        if not title or not panel.get("description"):
            out.append(f"panel-title-description-rule: {title!r}")
        if panel["fieldConfig"]["defaults"].get("unit") not in GRAFANA_UNITS:
            out.append(f"panel-units-rule: {title}")
        for target in panel.get("targets", []):
            expr = target["expr"]
            try:
                parsed = pp.parse(filled(expr))
            except ValueError:
                out.append(f"target-promql-rule: {title}: {expr}")
                continue
            if re.search(r"\b(rate|irate|increase)\s*\(", expr) and "$__rate_interval" not in expr:
                out.append(f"target-rate-interval-rule: {title}: {expr}")
            for sel in selectors(parsed):
                applied = {m[0] for m in sel.matchers}
                for name in ("job", "instance"):
                    if name in kept.get(sel.name, ()) and name not in applied:
                        out.append(f"target-{name}-rule: {title}: {expr}")
    return out


@pytest.fixture(scope="module", params=["brownie", "payments", "slo", "expressive", "record_reader"])
def generated(request: pytest.FixtureRequest) -> Result:
    return run(FIXTURES / request.param)


def _kept(result: Result) -> dict[str, frozenset[str]]:
    return {r.name: r.kept_labels for s in result.model.services for r in s.recordings}


def _boards(result: Result) -> list[dict[str, Any]]:
    return [json.loads(t) for p, t in result.texts.items() if p.startswith("grafana/dashboards/")]


def test_every_dashboard_keeps_dashboard_linter_rules(generated: Result) -> None:
    boards = _boards(generated)
    assert boards
    for board in boards:
        assert violations(board, _kept(generated)) == [], board["title"]


def test_the_rules_catch_what_the_linter_would(brownie: Result) -> None:
    (board,) = _boards(brownie)
    broken = copy.deepcopy(board)
    broken["editable"] = True
    broken["templating"]["list"] = [v for v in broken["templating"]["list"] if v["name"] != "job"]
    panel = next(p for p in broken["panels"] if p["type"] == "timeseries")
    panel["targets"][0]["expr"] = "sum(rate(brownie_http_requests_total[5m]))"
    del panel["description"]
    found = {v.split(":")[0] for v in violations(broken, _kept(brownie))}
    assert found == {
        "template-uneditable-rule",
        "template-job-rule",
        "panel-title-description-rule",
        "target-rate-interval-rule",
    }
