"""SLOs (tests/fixtures/slo): Sloth's rules from an objective, alerts that say their window pair,
generated promtool tests, a dashboard row and a runbook section per SLO."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main

from .conftest import FIXTURES, require_tool

SPECS = FIXTURES / "slo"
IDS = 'sloth_id="checkout-requests-availability", sloth_service="checkout", sloth_slo="requests-availability"'


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("slo") / "out"
    result = CliRunner().invoke(main, ["generate", "--specs", str(SPECS), "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out


def _groups(tree: Path) -> dict[str, list[dict]]:
    doc = yaml.safe_load((tree / "prometheus/rules/checkout.rules.yml").read_text())
    return {g["name"]: g["rules"] for g in doc["groups"]}


def test_sloths_three_groups_per_slo(tree: Path) -> None:
    groups = _groups(tree)
    assert list(groups)[:3] == [
        "sloth-slo-sli-recordings-checkout-requests-availability",
        "sloth-slo-meta-recordings-checkout-requests-availability",
        "sloth-slo-alerts-checkout-requests-availability",
    ]
    sli = groups["sloth-slo-sli-recordings-checkout-requests-availability"]
    assert [r["record"] for r in sli] == [
        f"slo:sli_error:ratio_rate{w}" for w in ("5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d")
    ]
    assert sli[0]["labels"] == {
        "owner": "checkout-team",
        "sloth_id": "checkout-requests-availability",
        "sloth_service": "checkout",
        "sloth_slo": "requests-availability",
        "sloth_window": "5m",
    }
    meta = {
        r["record"]: r["expr"] for r in groups["sloth-slo-meta-recordings-checkout-requests-availability"]
    }
    assert meta["slo:objective:ratio"] == "vector(0.9990000000000001)"  # as Sloth writes 99.9 / 100
    assert meta["slo:period_error_budget_remaining:ratio"] == f"1 - slo:period_burn_rate:ratio{{{IDS}}}"


def test_each_alert_says_its_window_pair_and_the_slow_pair_waits_for_the_quick(tree: Path) -> None:
    alerts = _groups(tree)["sloth-slo-alerts-checkout-requests-availability"]
    pairs = [
        (a["labels"]["sloth_severity"], a["labels"]["slo_window"], a["labels"]["severity"]) for a in alerts
    ]
    assert pairs == [
        ("page", "5m/1h", "critical"),
        ("page", "30m/6h", "critical"),
        ("ticket", "2h/1d", "warning"),
        ("ticket", "6h/3d", "warning"),
    ]
    quick = (
        f"max(slo:sli_error:ratio_rate5m{{{IDS}}} > (14.4 * 0.0009999999999999432)) without (sloth_window)\nand\n"
        f"max(slo:sli_error:ratio_rate1h{{{IDS}}} > (14.4 * 0.0009999999999999432)) without (sloth_window)"
    )
    assert alerts[0]["expr"] == quick
    assert alerts[1]["expr"].endswith(f"unless on (sloth_id, sloth_service, sloth_slo)\n({quick})")
    assert alerts[2]["labels"]["slack_channel"] == "#checkout"  # the ticket's own labels


def test_every_slo_is_tested_by_promtool(tree: Path) -> None:
    tests = yaml.safe_load((tree / "prometheus/tests/checkout.test.yml").read_text())
    names = [t["name"] for t in tests["tests"]]
    for alert in ("CheckoutHighErrorRate", "CheckoutSlowRequests"):
        assert [n for n in names if n.startswith(alert)] == [
            f"{alert}: a fast burn pages",
            f"{alert}: a slow burn tickets",
            f"{alert}: a burn within budget is silent",
        ]
    require_tool("promtool")
    require_tool("amtool")
    result = CliRunner().invoke(main, ["verify", "--out", str(tree)])
    assert result.exit_code == 0, result.output
    assert "0 failures" in result.output


def test_a_dashboard_row_and_a_runbook_section_per_slo(tree: Path) -> None:
    import json

    board = json.loads((tree / "grafana/dashboards/checkout.json").read_text())
    rows = [p["title"] for p in board["panels"] if p["type"] == "row"]
    assert rows == ["SLO requests-availability", "SLO requests-latency"]
    runbook = (tree / "runbooks/checkout.md").read_text()
    assert "### requests-availability: 99.9% over 30d" in runbook
    assert (
        "- Page (CheckoutHighErrorRate, slo_window 5m/1h): the budget burns 14.4× too fast over both 5m and 1h: "
        "2% of it gone in 1h"
    ) in runbook
    result = CliRunner().invoke(main, ["check", "--specs", str(SPECS), "--out", str(tree)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "0 errors, 0 warnings" in result.output + result.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "objective=99.9,",
            'objective=99.9, period="7d",',
            "period '7d' has no default alert windows (30d and 28d have); give windows=Windows(...)",
        ),
        (
            "[{{{{.window}}}}]))',",
            "[5m]))',",
            "error_query: write {{.window}} where the range goes, e.g. rate(x_total[{{.window}}])",
        ),
    ],
    ids=["period-without-windows", "query-without-window"],
)
def test_slo_mistakes_are_one_line_errors(tmp_path: Path, old: str, new: str, message: str) -> None:
    source = (SPECS / "checkout.py").read_text()
    assert old in source
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "checkout.py").write_text(source.replace(old, new, 1))
    result = CliRunner().invoke(
        main, ["generate", "--specs", str(tmp_path / "specs"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    (line,) = [ln for ln in result.stderr.splitlines() if message in ln]
    assert line.startswith(f"{tmp_path / 'specs' / 'checkout.py'}:") or line.startswith("specs/checkout.py:")
