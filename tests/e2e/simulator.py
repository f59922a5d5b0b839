"""A Brownie Metadata Database stand-in: serves every metric of the service contract on loopback.

A test sets the error ratio, latency, connection count, incident rate, resolution time and
up/down state while it runs (`sim.set(error_ratio=0.12)`); Prometheus scrapes `/metrics`.
Counters grow with wall time at the configured rates and are integrated piecewise at every
scrape or change, so a ratio set at time t holds exactly for every later window.
Down means `/metrics` answers 503, so Prometheus records `up == 0` for the target.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

# From the service contract (../shared/brownie-service.md).
HTTP_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
RESOLUTION_BUCKETS = (300.0, 900.0, 1800.0, 3600.0, 7200.0, 14400.0)
ERROR_TYPES = ("auth", "database", "external", "validation")
ROUTE = ("GET", "/api/v1/metadata")
POOL = "primary"


@dataclass(frozen=True)
class Behaviour:
    """What the simulated service does right now."""

    up: bool = True
    requests_per_second: float = 50.0
    error_ratio: float = 0.0  # share of requests answered 503
    latency_seconds: float = 0.03  # every request takes this long
    connections: float = 10.0
    max_connections: float = 100.0
    incidents_per_second: float = 0.0  # incidents created (and, as many, resolved) per second
    resolution_seconds: float = 600.0  # how long each resolved incident took


@dataclass
class _Totals:
    ok: float = 0.0
    errors: float = 0.0
    latency_sum: float = 0.0
    latency_buckets: tuple[float, ...] = (0.0,) * (len(HTTP_BUCKETS) + 1)
    incidents: float = 0.0
    resolution_sum: float = 0.0
    resolution_buckets: tuple[float, ...] = (0.0,) * (len(RESOLUTION_BUCKETS) + 1)


def _observe(
    buckets: tuple[float, ...], bounds: tuple[float, ...], value: float, n: float
) -> tuple[float, ...]:
    """Cumulative bucket counts after `n` observations of `value` (last bucket is +Inf)."""
    return tuple(c + (n if i == len(bounds) or value <= bounds[i] else 0.0) for i, c in enumerate(buckets))


class BrownieSimulator:
    """The exporter: `start()`, `set(...)` while running, `stop()` (or use it as a context manager)."""

    def __init__(self, **behaviour: Any) -> None:
        self._lock = threading.Lock()
        self._now = time.monotonic()
        self._behaviour = Behaviour(**behaviour)
        self._totals = _Totals()
        registry = CollectorRegistry(auto_describe=False)
        registry.register(self)  # type: ignore[arg-type]  # duck-typed collector
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self, registry))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="brownie-sim", daemon=True)

    @property
    def address(self) -> str:
        """`host:port` the exporter listens on: the scrape target."""
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    @property
    def behaviour(self) -> Behaviour:
        """The current behaviour."""
        return self._behaviour

    def start(self) -> BrownieSimulator:
        """Serve `/metrics` in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> BrownieSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set(self, **changes: Any) -> None:
        """Change the behaviour from now on; unknown names are an error."""
        known = {f.name for f in fields(Behaviour)}
        unknown = set(changes) - known
        if unknown:
            raise TypeError(f"unknown simulator setting(s) {sorted(unknown)}; known: {sorted(known)}")
        with self._lock:
            self._advance()
            self._behaviour = replace(self._behaviour, **changes)

    def drain(self, requests: float) -> None:
        """Serve `requests` queued requests at once, at the current behaviour (a drained backlog)."""
        with self._lock:
            self._advance()
            self._serve(requests, 0.0)

    def _advance(self) -> None:
        """Add what the service did since the last call, at the behaviour in force then."""
        now = time.monotonic()
        dt, self._now = now - self._now, now
        b = self._behaviour
        if b.up:  # a down service serves nothing
            self._serve(b.requests_per_second * dt, b.incidents_per_second * dt)

    def _serve(self, requests: float, incidents: float) -> None:
        b, t = self._behaviour, self._totals
        t.ok += requests * (1 - b.error_ratio)
        t.errors += requests * b.error_ratio
        t.latency_sum += requests * b.latency_seconds
        t.latency_buckets = _observe(t.latency_buckets, HTTP_BUCKETS, b.latency_seconds, requests)
        t.incidents += incidents
        t.resolution_sum += incidents * b.resolution_seconds
        t.resolution_buckets = _observe(
            t.resolution_buckets, RESOLUTION_BUCKETS, b.resolution_seconds, incidents
        )

    def collect(self) -> Iterator[Metric]:
        """The metric families of the service contract, at their current values."""
        with self._lock:
            self._advance()
            b, t = self._behaviour, self._totals
            route = list(ROUTE)
            requests = CounterMetricFamily(
                "brownie_http_requests_total", "HTTP requests served", labels=["method", "handler", "status"]
            )
            requests.add_metric([*route, "200"], t.ok)
            requests.add_metric([*route, "503"], t.errors)
            latency = HistogramMetricFamily(
                "brownie_http_request_duration_seconds", "Request latency", labels=["method", "handler"]
            )
            latency.add_metric(route, _buckets(HTTP_BUCKETS, t.latency_buckets), sum_value=t.latency_sum)
            errors = CounterMetricFamily("brownie_errors_total", "Errors by cause", labels=["type"])
            for kind in ERROR_TYPES:
                errors.add_metric([kind], t.errors if kind == "database" else 0.0)
            active = GaugeMetricFamily(
                "brownie_db_connections_active", "Active database connections", labels=["pool"]
            )
            active.add_metric([POOL], b.connections)
            size = GaugeMetricFamily("brownie_db_connections_max", "Configured pool size", labels=["pool"])
            size.add_metric([POOL], b.max_connections)
            incidents = CounterMetricFamily(
                "brownie_incidents_created_total", "Incidents recorded", labels=["severity"]
            )
            incidents.add_metric(["high"], t.incidents)
            resolution = HistogramMetricFamily(
                "brownie_incident_resolution_duration_seconds", "Time from incident creation to resolution"
            )
            resolution.add_metric(
                [], _buckets(RESOLUTION_BUCKETS, t.resolution_buckets), sum_value=t.resolution_sum
            )
        yield from (requests, latency, errors, active, size, incidents, resolution)


def _buckets(bounds: tuple[float, ...], counts: tuple[float, ...]) -> list[tuple[str, float]]:
    les = [repr(b) for b in bounds] + ["+Inf"]
    return list(zip(les, counts, strict=True))


def _handler(sim: BrownieSimulator, registry: CollectorRegistry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.split("?")[0] != "/metrics":
                self._reply(404, b"not found\n", "text/plain")
            elif not sim.behaviour.up:
                self._reply(503, b"service unavailable\n", "text/plain")
            else:
                self._reply(200, generate_latest(registry), CONTENT_TYPE_LATEST)

        def _reply(self, code: int, body: bytes, kind: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # scrapes every second would flood the test output

    return Handler
