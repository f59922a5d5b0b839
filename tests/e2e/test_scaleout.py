"""Scale-out live: two source Prometheus servers, VictoriaMetrics, vmalert and Alertmanager.

All on 127.0.0.1, started and stopped by this test (tests/fixtures/scaleout is the spec):
- two Brownie simulators, one per shard, each scraped by its own Prometheus, which evaluates the
  source rules (`prometheus/rules/brownie-fleet.rules.yml`) and remote-writes everything to a
  VictoriaMetrics single node with its external labels (`cluster`, `replica`);
- vmalert evaluates the global rules (`vmalert/rules/brownie-fleet.global.rules.yml`) against
  VictoriaMetrics, writes the global records back, and sends alerts to a real Alertmanager
  running the generated `local` config, which delivers to a webhook sink in this test.

One scenario: shard A's simulator fails -> the global error alerts fire once, the critical
reaches the receivers the spec names and inhibits the warning; shard B fails too -> still one
alert (not one per shard); shard B's
Prometheus stops -> the global view still evaluates, and FleetSourceMissing fires and is
delivered. Rules use the test-only time scale (docs/testing.md): `for: 2m` is 2 s.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import conventions as conv
from generator.model import Model
from generator.pipeline import run
from generator.render.alertmanager import render_config
from generator.routing.expect import expectations
from tests.conftest import FIXTURES, require_tool
from tests.e2e.procs import Daemon, WebhookSink, free_port, get_json, running, wait_for
from tests.e2e.simulator import BrownieSimulator

pytestmark = pytest.mark.e2e

SPECS = FIXTURES / "scaleout"
SERVICE = "brownie-fleet"
TIME_SCALE = 60
JOB = "brownie-metadata-app"
NAMESPACE = "brownie-metadata"
SHARDS = ("shard-a", "shard-b")
STARTUP = 30.0
STEP = 45.0
CRITICAL, WARNING, MISSING = "FleetCriticalErrorRate", "FleetHighErrorRate", "FleetSourceMissing"


@dataclass
class Fleet:
    """The running system under test."""

    model: Model
    victoria: str
    vmalert: str
    alertmanager: str
    sims: tuple[BrownieSimulator, ...]
    prometheus: tuple[Daemon, ...]
    sink: WebhookSink
    logs: list[Path]

    def query(self, promql: str) -> list[dict[str, Any]]:
        """An instant query of the global view (VictoriaMetrics)."""
        url = f"{self.victoria}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
        return list(get_json(url)["data"]["result"])

    def value(self, promql: str) -> float | None:
        """The one value of an instant query, None when it returns no series."""
        found = self.query(promql)
        assert len(found) <= 1, found
        return float(found[0]["value"][1]) if found else None

    def firing(self, name: str) -> list[dict[str, Any]]:
        """vmalert's firing instances of one alert."""
        alerts = get_json(f"{self.vmalert}/api/v1/alerts")["data"]["alerts"] or []  # null when none
        return [a for a in alerts if a["name"] == name and a["state"] == "firing"]

    def am_alerts(self, name: str) -> list[dict[str, Any]]:
        """Alertmanager's alerts of one name (active, inhibited or silenced)."""
        return [a for a in get_json(f"{self.alertmanager}/api/v2/alerts") if a["labels"]["alertname"] == name]


def _write(files: dict[str, str], root: Path) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)


def _prometheus_config(shard: str, target: str, rules: Path, victoria: str) -> str:
    config = {
        "global": {
            "scrape_interval": "1s",
            "scrape_timeout": "1s",
            "evaluation_interval": "1s",
            # What every source adds; the spec's GlobalLayer names the same labels.
            "external_labels": {"cluster": shard, "replica": "0"},
        },
        "scrape_configs": [
            {"job_name": JOB, "static_configs": [{"targets": [target], "labels": {"namespace": NAMESPACE}}]}
        ],
        "rule_files": [str(rules)],
        "remote_write": [
            {
                "url": f"{victoria}/api/v1/write",
                "queue_config": {"batch_send_deadline": "1s", "max_backoff": "1s"},
            }
        ],
    }
    return yaml.safe_dump(config, sort_keys=False)


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    """Sink, Alertmanager, VictoriaMetrics, two simulators and Prometheus servers, and vmalert."""
    binaries = {
        name: require_tool(name)
        for name in ("prometheus", "prometheus-alertmanager", "victoria-metrics", "vmalert")
    }
    root = tmp_path_factory.mktemp("scaleout")
    result = run(SPECS, time_scale=TIME_SCALE)
    _write(result.texts, root / "output")
    logs: list[Path] = []
    with ExitStack() as stack:

        def start(name: str, args: list[str], ready: str) -> Daemon:
            log = root / f"{name}.log"
            logs.append(log)
            return stack.enter_context(running(name, args, log, ready, STARTUP))

        sink = stack.enter_context(WebhookSink())
        (root / "alertmanager.yml").write_text(render_config(result.model, "local", sink.url))
        am = f"127.0.0.1:{free_port()}"
        start(
            "alertmanager",
            [
                binaries["prometheus-alertmanager"],
                f"--config.file={root / 'alertmanager.yml'}",
                f"--storage.path={root / 'am-data'}",
                f"--web.listen-address={am}",
                "--cluster.listen-address=",
                "--log.level=warn",
            ],
            f"http://{am}/-/ready",
        )
        victoria = f"http://127.0.0.1:{free_port()}"
        start(
            "victoria-metrics",
            [
                binaries["victoria-metrics"],
                f"-storageDataPath={root / 'vm-data'}",
                f"-httpListenAddr={victoria.removeprefix('http://')}",
                "-retentionPeriod=1",
                # Answer with what arrived a moment ago, uncached, and let a stopped source's
                # series go stale within seconds (the defaults suit minutes-long scrapes).
                "-search.latencyOffset=0s",
                "-search.disableCache",
                "-search.maxStalenessInterval=5s",
                "-loggerLevel=WARN",
            ],
            f"{victoria}/health",
        )
        sims = tuple(stack.enter_context(BrownieSimulator()) for _ in SHARDS)
        servers = []
        for shard, sim in zip(SHARDS, sims, strict=True):
            config = root / f"prometheus-{shard}.yml"
            rules = root / "output" / conv.rules_path(SERVICE)
            config.write_text(_prometheus_config(shard, sim.address, rules, victoria))
            port = free_port()
            servers.append(
                start(
                    f"prometheus-{shard}",
                    [
                        binaries["prometheus"],
                        f"--config.file={config}",
                        f"--storage.tsdb.path={root / f'tsdb-{shard}'}",
                        f"--web.listen-address=127.0.0.1:{port}",
                        "--log.level=warn",
                    ],
                    f"http://127.0.0.1:{port}/-/ready",
                )
            )
        vmalert = f"http://127.0.0.1:{free_port()}"
        start(
            "vmalert",
            [
                binaries["vmalert"],
                f"-rule={root / 'output' / conv.target_path('vmalert', SERVICE, 'global')}",
                f"-datasource.url={victoria}",
                f"-remoteWrite.url={victoria}",
                "-remoteWrite.flushInterval=1s",
                f"-notifier.url=http://{am}",
                "-evaluationInterval=1s",
                f"-httpListenAddr={vmalert.removeprefix('http://')}",
                "-loggerLevel=WARN",
            ],
            f"{vmalert}/health",
        )
        yield Fleet(result.model, victoria, vmalert, f"http://{am}", sims, tuple(servers), sink, logs)


def _instant(text: str) -> datetime:
    """An Alertmanager timestamp (RFC 3339, fractions up to nanoseconds) as a datetime."""
    m = re.fullmatch(r"([^.]+?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)", text)
    assert m is not None, text
    whole, fraction, zone = m.groups()
    return datetime.fromisoformat(f"{whole}.{(fraction or '')[:6]:0<6}{zone.replace('Z', '+00:00')}")


def test_global_alerts_fire_once_route_inhibit_and_survive_a_lost_source(fleet: Fleet) -> None:
    receivers = {e.alert: set(e.receivers) for e in expectations(fleet.model)}
    logs = fleet.logs
    # Both sources report through the global layer, and vmalert records what it sees.
    wait_for(
        "the global record to count both sources",
        lambda: fleet.value("job_namespace:brownie_sources:count") == 2.0,
        STARTUP,
        logs,
    )
    clusters = {s["metric"]["cluster"] for s in fleet.query("job_namespace:brownie_http_errors:ratio_rate5m")}
    assert clusters == set(SHARDS)

    # 1. shard A fails: the worst shard's ratio crosses both tiers, and each tier fires once.
    fleet.sims[0].set(error_ratio=0.5)
    wait_for(f"{CRITICAL} to fire", lambda: fleet.firing(CRITICAL), STEP, logs)
    for name in (CRITICAL, WARNING):
        (alert,) = wait_for(f"{name} to fire", lambda n=name: fleet.firing(n), STEP, logs)  # type: ignore[misc]
        assert "cluster" not in alert["labels"] and "replica" not in alert["labels"]
    wait_for(
        f"{CRITICAL} to reach {sorted(receivers[CRITICAL])}",
        lambda: fleet.sink.receivers(CRITICAL) == receivers[CRITICAL],
        STEP,
        logs,
    )
    (critical,) = fleet.am_alerts(CRITICAL)

    def inhibited() -> bool:
        found = fleet.am_alerts(WARNING)
        return len(found) == 1 and critical["fingerprint"] in found[0]["status"]["inhibitedBy"]

    wait_for(f"{WARNING} to be inhibited by {CRITICAL}", inhibited, STEP, logs)
    # Alertmanager inhibits when it notifies. The ratio climbs through 5% before 10%, so the
    # warning may fire an evaluation before the critical and rightly go out then; never later.
    since = _instant(critical["startsAt"])
    late = [a for _, a in fleet.sink.delivered(WARNING) if _instant(a["startsAt"]) >= since]
    assert late == [], f"{WARNING} was delivered after {CRITICAL} fired"
    # Shard B fails too: two shards above the threshold, still one alert.
    fleet.sims[1].set(error_ratio=0.5)
    wait_for(
        "both shards' error ratio above 10% in the global view",
        lambda: fleet.value("count(job_namespace:brownie_http_errors:ratio_rate5m > 0.1)") == 2.0,
        STEP,
        logs,
    )
    time.sleep(3)  # vmalert evaluates every second: a per-shard alert would have appeared by now
    assert len(fleet.firing(CRITICAL)) == 1
    assert len(fleet.am_alerts(CRITICAL)) == 1
    assert len({a["fingerprint"] for _, a in fleet.sink.delivered(CRITICAL)}) == 1

    # 2. shard B's Prometheus stops: the global view keeps evaluating on what is left.
    fleet.prometheus[1].stop()
    wait_for(
        f"{MISSING} to reach {sorted(receivers[MISSING])}",
        lambda: fleet.sink.receivers(MISSING) == receivers[MISSING],
        STEP,
        logs,
    )
    assert fleet.value("job_namespace:brownie_sources:count") == 1.0
    assert len(fleet.firing(CRITICAL)) == 1
