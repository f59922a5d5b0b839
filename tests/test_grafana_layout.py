"""Dashboard layouts in the spec: rows as written, defaults, and the one-line errors of bad ones."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator import conventions as conv
from generator.cli import main

BASE = textwrap.dedent(
    """\
    from generator import Alert, Dashboard, Metric, Panel, Row, Runbook, Service, Signal, Step, Tier, Tiers

    errors = Signal(
        name="error_ratio",
        expr='sum by (job, namespace) (rate(shop_requests_total{code=~"5.."}[5m])) / sum by (job, namespace) (rate(shop_requests_total[5m]))',
        unit="percentunit",
    )
    requests = Signal(name="request_rate", expr="sum by (job, namespace) (rate(shop_requests_total[5m]))", unit="reqps")
    error_rate = Signal(name="error_rate", expr='sum by (job, namespace) (rate(shop_requests_total{code=~"5.."}[5m]))', unit="reqps")
    availability = Signal(name="availability", expr="avg by (job, namespace) (up)", unit="percentunit")
    RUNBOOK = Runbook(actions=(Step(title="Look at the logs"),))
    high_errors = Alert(name="ShopHighErrorRate", signal=errors, threshold=0.05, severity="warning", summary="Errors", runbook=RUNBOOK)
    low_availability = Tiers(
        signal=availability,
        op="<",
        warning=Tier(name="ShopAvailabilityLow", threshold=0.99, summary="Availability low", runbook=RUNBOOK),
        critical=Tier(name="ShopAvailabilityCritical", threshold=0.95, summary="Availability critical", runbook=RUNBOOK),
    )
    dashboard = Dashboard(
        rows=(
            Row(title="Traffic", panels=(Panel(title="Requests vs. errors", signals=(requests, error_rate)), errors)),
        )
    )
    service = Service(
        name="shop",
        title="Shop & Co",
        version="1.0.0",
        team="shop-team",
        metrics=(
            Metric(name="shop_requests_total", type="counter", labels=("code",)),
            Metric(name="up", type="gauge"),
        ),
        signals=(requests, error_rate),
        alerts=(high_errors, low_availability),
        dashboard=dashboard,
        runbook_base_url="https://example.com/runbooks/",
    )
    """
)
ROW = 'Row(title="Traffic", panels=(Panel(title="Requests vs. errors", signals=(requests, error_rate)), errors)),'


def line_of(source: str, text: str) -> int:
    """The 1-based line of the first occurrence of `text`."""
    return source[: source.index(text)].count("\n") + 1


def generate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> tuple[int, str]:
    specs = tmp_path / "specs"
    specs.mkdir(exist_ok=True)
    (specs / "shop.py").write_text(source)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["generate", "--specs", "specs", "--out", "out"])
    return result.exit_code, result.stderr


def dashboard(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / "out" / conv.dashboard_path("shop")).read_text())
    return data


def layout(board: dict[str, Any]) -> list[tuple[str, list[str]]]:
    rows: list[tuple[str, list[str]]] = [("", [])]
    for panel in sorted(board["panels"], key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"])):
        if panel["type"] == "row":
            rows.append((panel["title"], []))
        else:
            rows[-1][1].append(panel["title"])
    return rows


def test_rows_as_written_and_unplaced_signals_in_a_last_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stderr = generate(tmp_path, monkeypatch, BASE)
    assert code == 0, stderr
    board = dashboard(tmp_path)
    assert layout(board) == [
        ("", ["Firing alerts"]),
        ("Traffic", ["Requests vs. errors", "Error ratio"]),
        ("Other signals", ["Availability"]),
    ]
    panels = {p["id"]: p for p in board["panels"]}
    # Ids follow the spec, not the screen: the alerts' signals first, then signals=; the combined
    # panel takes its first signal's id, and the second signal's (5) stays unused.
    assert {p["title"]: p["id"] for p in board["panels"] if p["type"] != "row"} == {
        "Firing alerts": 1,
        "Error ratio": 2,
        "Availability": 3,
        "Requests vs. errors": 4,
    }
    assert 5 not in panels
    assert board["uid"] == "shop"


def test_below_threshold_tiers_colour_the_band_under_each_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stderr = generate(tmp_path, monkeypatch, BASE)
    assert code == 0, stderr
    panel = next(p for p in dashboard(tmp_path)["panels"] if p["title"] == "Availability")
    steps = [(s["value"], s["color"]) for s in panel["fieldConfig"]["defaults"]["thresholds"]["steps"]]
    # Below 95% critical (red), 95-99% warning (orange), from 99% fine (green).
    assert steps == [(None, "red"), (0.95, "orange"), (0.99, "green")]
    assert panel["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"] == {"mode": "line+area"}


def test_alert_links_open_the_panel_of_their_signal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, stderr = generate(tmp_path, monkeypatch, BASE)
    assert code == 0, stderr
    rules = (tmp_path / "out" / conv.rules_path("shop")).read_text()
    ids = {p["id"] for p in dashboard(tmp_path)["panels"]}
    assert "http://localhost:3000/d/shop/shop-co?viewPanel=2" in rules
    assert 2 in ids


def test_without_a_layout_every_signal_gets_a_panel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = BASE.replace("    dashboard=dashboard,\n", "")
    assert "dashboard=" not in source
    code, stderr = generate(tmp_path, monkeypatch, source)
    assert code == 0, stderr
    assert layout(dashboard(tmp_path)) == [
        ("", ["Firing alerts"]),
        ("Overview", ["Request rate", "Error rate", "Error ratio", "Availability"]),
    ]


CASES: list[tuple[str, str, str, str]] = [
    # (id, text in BASE, replacement, expected error with {line} of the replacement)
    (
        "signal-not-in-service",
        "signals=(requests, error_rate),\n    alerts",
        "signals=(requests,),\n    alerts",
        "specs/shop.py:{row}: Panel 'request_rate': signal 'error_rate' is not a signal of service 'shop'; "
        "add it to signals= or to an alert",
    ),
    (
        "watched-signal-not-first",
        ROW,
        'Row(title="Traffic", panels=(Panel(signals=(requests, errors)),)),',
        "specs/shop.py:{row}: Panel 'request_rate': signal 'error_ratio' is watched by alert 'ShopHighErrorRate', "
        "whose dashboard_url opens the panel named after its signal; put it first in a panel",
    ),
    (
        "placed-twice",
        ROW,
        'Row(title="Traffic", panels=(errors,)),\n        Row(title="Errors", panels=(errors,)),',
        "specs/shop.py:{row_plus_1}: Panel 'error_ratio': signal 'error_ratio' is already on the dashboard "
        "(at specs/shop.py:{row}); place it once",
    ),
    (
        "mixed-units",
        """[5m]))', unit="reqps")""",
        """[5m]))', unit="ops")""",
        "specs/shop.py:{row}: Panel 'request_rate': signals 'request_rate' (reqps) and 'error_rate' (ops) "
        "have different units; plot them in separate panels",
    ),
    (
        "duplicate-row",
        ROW,
        ROW + '\n        Row(title="Traffic", panels=(availability,)),',
        "specs/shop.py:{row_plus_1}: Row 'Traffic': duplicate row title; first at specs/shop.py:{row}",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_layout_gets_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, expected: str
) -> None:
    assert old in BASE
    source = BASE.replace(old, new, 1)
    row = line_of(source, "Row(")
    code, stderr = generate(tmp_path, monkeypatch, source)
    assert code == 2
    assert stderr.splitlines() == [
        expected.format(row=row, row_plus_1=row + 1),
        "alertgen: 1 error in specs; nothing written",
    ]
    assert not (tmp_path / "out").exists()
