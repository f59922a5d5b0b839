"""What a team moving its rules to alertgen writes (tests/fixtures/expressive): conventions,
expr= conditions, its own labels and annotations, chained records with labels, groups, and a page
and a ticket sharing one name. Judged by the rendered files and by promtool and amtool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

from .conftest import FIXTURES, require_tool

SPECS = FIXTURES / "expressive"
RULES = "prometheus/rules/inventory.rules.yml"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("expressive") / "out"
    result = CliRunner().invoke(main, ["generate", "--specs", str(SPECS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _groups(tree: Path) -> dict[str, dict[str, Any]]:
    return {g["name"]: g for g in yaml.safe_load((tree / RULES).read_text())["groups"]}


def _rule(tree: Path, name: str, severity: str | None = None) -> dict[str, Any]:
    found = [
        r
        for g in _groups(tree).values()
        for r in g["rules"]
        if r.get("alert", r.get("record")) == name and severity in (None, r.get("labels", {}).get("severity"))
    ]
    assert len(found) == 1, found
    return found[0]


def test_groups_as_declared_with_the_rest_in_the_services_own(tree: Path) -> None:
    groups = _groups(tree)
    assert list(groups) == ["inventory", "inventory-requests", "inventory-latency"]
    assert {k: v for k, v in groups["inventory-requests"].items() if k != "rules"} == {
        "name": "inventory-requests",
        "interval": "30s",
    }
    assert {k: v for k, v in groups["inventory-latency"].items() if k != "rules"} == {
        "name": "inventory-latency",
        "limit": 100,
    }
    names = {n: [r.get("alert", r.get("record")) for r in g["rules"]] for n, g in groups.items()}
    assert names == {
        "inventory": ["InventoryTargetMissing", "InventoryStockBelowOrders"],
        "inventory-requests": [
            "job_code:inventory_requests:rate5m",
            "job:inventory_errors:ratio_rate5m",
            "InventoryErrorRatioHigh",
        ],
        # The group's order, not alerts=' and not records first: Prometheus evaluates in this order.
        "inventory-latency": ["InventorySlow", "job:inventory_latency_seconds:p99", "InventorySlow"],
    }
    severities = [r["labels"]["severity"] for r in groups["inventory-latency"]["rules"] if "alert" in r]
    assert severities == ["page", "ticket"]


def test_recording_rules_keep_their_labels(tree: Path) -> None:
    assert _rule(tree, "job:inventory_latency_seconds:p99")["labels"] == {"quantile": "0.99"}


def test_labels_follow_the_conventions_and_keep_the_users(tree: Path) -> None:
    rule = _rule(tree, "InventoryErrorRatioHigh")
    # owner renames team, category is off, the user's component is kept as written.
    assert rule["labels"] == {
        "component": "api",
        "owner": "inventory-team",
        "service": "inventory",
        "severity": "page",
    }
    assert rule["annotations"] == {
        "summary": "Inventory fails {{ $value | humanizePercentage }} of requests",
        "grafana_path": "d/inventory/inventory?orgId=1",
        "runbook_url": "https://runbooks.example.com/inventory.md#inventory-error-ratio-high",
        "grafana_url": "http://localhost:3000/d/inventory/inventory?viewPanel=4",
    }
    assert rule["expr"] == (
        "job:inventory_errors:ratio_rate5m > 0.1\nand\nsum by (job) (job_code:inventory_requests:rate5m) > 1"
    )


def test_an_external_runbook_is_linked_as_written(tree: Path) -> None:
    rule = _rule(tree, "InventoryTargetMissing")
    assert rule["annotations"]["runbook_url"] == "https://wiki.example.com/runbooks/inventory-target-missing"
    runbook = (tree / "runbooks" / "inventory.md").read_text()
    assert (
        "- Follow the runbook kept at https://wiki.example.com/runbooks/inventory-target-missing" in runbook
    )


def test_a_page_and_a_ticket_share_a_name_each_with_its_own_section_and_route(tree: Path) -> None:
    page, ticket = _rule(tree, "InventorySlow", "page"), _rule(tree, "InventorySlow", "ticket")
    assert (page["expr"], ticket["expr"]) == (
        "job:inventory_latency_seconds:p99 > 2",
        "job:inventory_latency_seconds:p99 > 0.5",
    )
    assert page["annotations"]["runbook_url"].endswith("#inventory-slow")
    assert ticket["annotations"]["runbook_url"].endswith("#inventory-slow-1")
    tests = yaml.safe_load((tree / "alertmanager" / "routing-tests.yml").read_text())
    slow = sorted((t["labels"]["severity"], t["receivers"]) for t in tests if t["alert"] == "InventorySlow")
    assert slow == [("page", ["inventory-pager"]), ("ticket", ["inventory-chat"])]


def test_routes_match_the_renamed_team_label_and_the_vocabulary(tree: Path) -> None:
    config = yaml.safe_load((tree / "alertmanager" / "alertmanager.yml").read_text())
    team = config["route"]["routes"][0]
    assert team["matchers"] == ['owner="inventory-team"']
    assert [r["matchers"] for r in team["routes"]] == [['severity="page"'], ['severity="ticket"']]


def test_an_example_expecting_two_alerts(tree: Path) -> None:
    tests = yaml.safe_load((tree / "prometheus" / "tests" / "inventory.test.yml").read_text())["tests"]
    case = next(t for t in tests if t["name"] == "InventoryStockBelowOrders: two warehouses short")
    fired = case["alert_rule_test"][0]["exp_alerts"]
    assert [a["exp_labels"]["warehouse"] for a in fired] == ["berlin", "paris"]


def test_promtool_and_amtool_accept_the_tree(tree: Path) -> None:
    require_tool("promtool")
    require_tool("amtool")
    result = CliRunner().invoke(main, ["verify", "--out", str(tree)])
    assert result.exit_code == 0, result.output
    assert "0 failures" in result.output


def test_the_value_an_annotation_shows_is_worked_out_as_promtool_does(tree: Path) -> None:
    tests = yaml.safe_load((tree / "prometheus" / "tests" / "inventory.test.yml").read_text())["tests"]
    case = next(t for t in tests if t["name"] == "InventorySlow: a tenth take seconds")
    (fired,) = case["alert_rule_test"][0]["exp_alerts"]
    # histogram_quantile(0.99, ...) over the example's buckets; promtool (verify below) agrees.
    assert (
        fired["exp_annotations"]["description"]
        == "Latency p99 is 9.282s (above 2 s for more than 5 minutes)."
    )
