"""What an SRE notices on a generated dashboard: the variables, axis bounds, links, read-only,
and panel ids that stay put when a signal is added."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import conventions as conv

from .test_grafana_layout import BASE, dashboard, generate


def _panels(tmp_path: Path) -> dict[str, dict[str, object]]:
    return {p["title"]: p for p in dashboard(tmp_path)["panels"] if p["type"] != "row"}


def test_ratio_axes_are_bounded_and_the_dashboard_is_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = BASE.replace(
        'error_rate = Signal(name="error_rate", expr=\'sum by (job, namespace) (rate(shop_requests_total{code=~"5.."}[5m]))\', unit="reqps")',
        'error_rate = Signal(name="error_rate", expr=\'100 * sum by (job, namespace) (rate(shop_requests_total{code=~"5.."}[5m])) / sum by (job, namespace) (rate(shop_requests_total[5m]))\', unit="percent")',
    ).replace(
        'Panel(title="Requests vs. errors", signals=(requests, error_rate)), errors',
        "requests, error_rate, errors",
    )
    assert 'unit="percent"' in source and "requests, error_rate, errors" in source
    code, stderr = generate(tmp_path, monkeypatch, source)
    assert code == 0, stderr
    board = dashboard(tmp_path)
    assert board["editable"] is False  # provisioned with allowUiUpdates: false
    bounds = {
        title: (p["fieldConfig"]["defaults"].get("min"), p["fieldConfig"]["defaults"].get("max"))  # type: ignore[index]
        for title, p in _panels(tmp_path).items()
    }
    assert bounds["Error ratio"] == (0, 1)  # percentunit
    assert bounds["Availability"] == (0, 1)
    assert bounds["Error rate"] == (0, 100)  # percent
    assert bounds["Request rate"] == (None, None)  # reqps has no upper bound


def test_links_to_runbook_index_alertmanager_and_prometheus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = (
        "from generator import Conventions\nconventions = Conventions(alertmanager_url='https://am.example.com', prometheus_url='https://prom.example.com')\n"
        + BASE
    )
    code, stderr = generate(tmp_path, monkeypatch, source)
    assert code == 0, stderr
    links = {link["title"]: link["url"] for link in dashboard(tmp_path)["links"]}
    assert links == {
        "Runbook": "https://example.com/runbooks/shop.md",
        "Runbook index": "https://example.com/runbooks/README.md",
        "Alertmanager": "https://am.example.com/#/alerts?silenced=false&inhibited=false&filter=%7Bservice%3D%22shop%22%7D",
        "Prometheus alerts": "https://prom.example.com/alerts?search=shop",
    }


def test_default_links_point_at_local_prometheus_and_alertmanager(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stderr = generate(tmp_path, monkeypatch, BASE)
    assert code == 0, stderr
    urls = [link["url"] for link in dashboard(tmp_path)["links"]]
    assert any(u.startswith("http://localhost:9093/#/alerts") for u in urls)
    assert any(u.startswith("http://localhost:9090/alerts") for u in urls)


def test_cluster_variable_where_the_series_carry_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = BASE.replace("sum by (job, namespace)", "sum by (cluster, job, namespace)").replace(
        'labels=("code",)', 'labels=("code", "cluster")'
    )
    code, stderr = generate(tmp_path, monkeypatch, source)
    assert code == 0, stderr
    board = dashboard(tmp_path)
    assert [v["name"] for v in board["templating"]["list"]] == ["datasource", "cluster", "job", "namespace"]
    requests = _panels(tmp_path)["Requests vs. errors"]
    expr = requests["targets"][0]["expr"]  # type: ignore[index]
    assert expr.endswith('{cluster=~"$cluster",job=~"$job",namespace=~"$namespace"}')
    # availability keeps no cluster, so its panel is not narrowed by it (it would go blank).
    assert "cluster" not in _panels(tmp_path)["Availability"]["targets"][0]["expr"]  # type: ignore[index]


def test_panel_ids_are_small_and_stay_when_a_signal_is_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, stderr = generate(tmp_path, monkeypatch, BASE)
    assert code == 0, stderr
    before = {t: p["id"] for t, p in _panels(tmp_path).items()}
    links = set(re.findall(r"viewPanel=\d+", (tmp_path / "out" / conv.rules_path("shop")).read_text()))
    grown = BASE.replace(
        "signals=(requests, error_rate),",
        'signals=(requests, error_rate, Signal(name="shop_up", title="Shop up", expr="min by (job) (up)", unit="bool")),',
    )
    code, stderr = generate(tmp_path, monkeypatch, grown)
    assert code == 0, stderr
    after = {t: p["id"] for t, p in _panels(tmp_path).items()}
    assert all(i < 20 for i in after.values())
    assert {t: after[t] for t in before} == before  # nobody's bookmark or alert link moved
    assert after["Shop up"] not in before.values()
    assert links <= set(
        re.findall(r"viewPanel=\d+", (tmp_path / "out" / conv.rules_path("shop")).read_text())
    )
