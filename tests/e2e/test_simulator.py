"""The Brownie simulator serves the service contract's metrics and obeys its settings."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from generator.pipeline import Result
from tests.e2e.simulator import BrownieSimulator

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def sim() -> Iterator[BrownieSimulator]:
    with BrownieSimulator() as running:
        yield running


def scrape(sim: BrownieSimulator) -> Samples:
    with urllib.request.urlopen(f"http://{sim.address}/metrics", timeout=5) as resp:
        text = resp.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


def test_every_catalog_series_is_served_with_its_labels(sim: BrownieSimulator, brownie: Result) -> None:
    (service,) = brownie.model.services
    target = set(service.spec.target_labels)  # Prometheus adds these when it scrapes
    served: dict[str, set[str]] = {}
    for name, labels in scrape(sim):
        served.setdefault(name, set()).update(k for k, _ in labels)
    expected = {name: set(labels) - target for name, labels in service.catalog.items() if name != "up"}
    assert served == expected


def test_settings_shape_the_next_scrape(sim: BrownieSimulator) -> None:
    route = {"method": "GET", "handler": "/api/v1/metadata"}
    sim.set(
        error_ratio=0.25, latency_seconds=7, connections=85, incidents_per_second=2, resolution_seconds=5000
    )
    before = scrape(sim)
    after = scrape(sim)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    errors = grew("brownie_http_requests_total", **route, status="503")
    ok = grew("brownie_http_requests_total", **route, status="200")
    assert errors / (errors + ok) == pytest.approx(0.25)
    latency = "brownie_http_request_duration_seconds_bucket"
    assert grew(latency, **route, le="5.0") == 0
    assert grew(latency, **route, le="10.0") == pytest.approx(errors + ok)
    assert value(after, "brownie_db_connections_active", pool="primary") == 85
    assert grew("brownie_incidents_created_total", severity="high") > 0
    resolution = "brownie_incident_resolution_duration_seconds_bucket"
    assert grew(resolution, le="3600.0") == 0
    assert grew(resolution, le="7200.0") == pytest.approx(
        grew("brownie_incidents_created_total", severity="high")
    )


def test_down_answers_503_until_up_again(sim: BrownieSimulator) -> None:
    sim.set(up=False)
    with pytest.raises(urllib.error.HTTPError) as err:
        scrape(sim)
    assert err.value.code == 503
    sim.set(up=True)
    assert value(scrape(sim), "brownie_db_connections_active", pool="primary") == 10


def test_unknown_setting_is_an_error(sim: BrownieSimulator) -> None:
    with pytest.raises(TypeError, match=r"unknown simulator setting\(s\) \['error_rate'\]"):
        sim.set(error_rate=0.1)


def test_drain_serves_a_backlog_at_once(sim: BrownieSimulator) -> None:
    route = {"method": "GET", "handler": "/api/v1/metadata", "status": "200"}
    before = value(scrape(sim), "brownie_http_requests_total", **route)
    sim.drain(1_000_000)
    assert value(scrape(sim), "brownie_http_requests_total", **route) - before >= 1_000_000
