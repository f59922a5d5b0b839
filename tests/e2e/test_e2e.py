"""Brownie end to end: the simulator, a real Prometheus loading the generated rules, a real
Alertmanager with the generated `local` config delivering to a webhook sink in this test.

One scenario, in order (each step is a state of the same running system):
1. every alert condition holds on both simulated instances -> every alert but ServiceDown fires
   in Prometheus with the rule's labels and rendered annotations; the critical tiers, the
   connection alert and the business alerts reach exactly the receivers the spec names (the
   pager among them for the criticals); HighErrorRate and HighResponseTime are inhibited by
   their critical twins in Alertmanager and never delivered;
2. one instance stops answering scrapes -> ServiceDown reaches the pager, every other alert is
   inhibited by it (they keep firing on the healthy instance);
3. the instance returns -> ServiceDown resolves; the requests recover -> resolved
   notifications for every delivered request alert.

Rules are rendered with the test-only time scale E2E_TIME_SCALE (docs/testing.md): `for: 5m` is
5 s, `[1h]` is `[1m]`, evaluation and scrape every second; thresholds and labels are the real ones.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import conventions as conv
from generator.model import Model
from generator.pipeline import run
from generator.render.alertmanager import render_config
from generator.routing.expect import expectations
from tests.conftest import SPECS, require_tool
from tests.e2e.procs import Daemon, WebhookSink, free_port, get_json, running, wait_for
from tests.e2e.simulator import BrownieSimulator

pytestmark = pytest.mark.e2e

E2E_TIME_SCALE = 60
JOB = "brownie-metadata-app"
NAMESPACE = "brownie-metadata"
# Generous bounds for each wait (the machine is shared); the scenario normally needs far less.
STARTUP = 30.0
STEP = 45.0

# On both instances: every alert's condition, summed or as a ratio, holds on either one alone.
BAD = {
    "error_ratio": 0.12,
    "latency_seconds": 7.0,
    "connections": 85.0,
    "incidents_per_second": 1.0,
    "resolution_seconds": 5000.0,
}
RECOVERED = {"error_ratio": 0.0, "latency_seconds": 0.03, "connections": 10.0}
# A drained backlog of fast, successful requests moves the 5m (scaled: 5s) ratio and p95 below
# both tiers in one evaluation. A gradual recovery slides through the warning band instead, and
# the warning, firing but inhibited all along, would rightly be delivered once its critical resolves.
BACKLOG = 1_000_000
TWINS = {"HighErrorRate": "CriticalErrorRate", "HighResponseTime": "CriticalResponseTime"}
REQUEST_ALERTS = {"CriticalErrorRate", "HighErrorRate", "CriticalResponseTime", "HighResponseTime"} | {
    "DatabaseConnectionHigh"
}
ALL_BUT_DOWN = REQUEST_ALERTS | {"HighIncidentVolume", "LongIncidentResolution"}
DELIVERED = ALL_BUT_DOWN - set(TWINS)


@dataclass
class Stack:
    """The running system under test."""

    model: Model
    prometheus: str
    alertmanager: str
    sims: tuple[BrownieSimulator, BrownieSimulator]
    sink: WebhookSink
    logs: list[Path]
    real_output: Path  # the same specs rendered without the time scale, as users deploy them
    pager: str  # the receiver that pages in production

    def alerts(self, state: str | None = None) -> list[dict[str, Any]]:
        """Prometheus' active alerts (pending and firing), optionally of one state."""
        found = get_json(f"{self.prometheus}/api/v1/alerts")["data"]["alerts"]
        return [a for a in found if state is None or a["state"] == state]

    def firing(self) -> set[str]:
        """Names of the alerts Prometheus has firing."""
        return {a["labels"]["alertname"] for a in self.alerts("firing")}

    def query(self, promql: str) -> list[dict[str, Any]]:
        """An instant query's result vector."""
        url = f"{self.prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
        return list(get_json(url)["data"]["result"])

    def am_alerts(self) -> dict[str, dict[str, Any]]:
        """Alertmanager's alerts (active, inhibited, silenced) by alert name."""
        found = get_json(f"{self.alertmanager}/api/v2/alerts")
        return {a["labels"]["alertname"]: a for a in found}


def _write_tree(files: dict[str, str], root: Path) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


def _prometheus_config(model: Model, targets: list[str], alertmanager: str, rules: Path | None) -> str:
    (service,) = model.services
    interval = service.spec.scrape_interval.text
    config: dict[str, Any] = {
        "global": {"scrape_interval": interval, "scrape_timeout": interval, "evaluation_interval": interval},
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]},
        "scrape_configs": [
            {
                "job_name": JOB,
                "static_configs": [{"targets": targets, "labels": {"namespace": NAMESPACE}}],
            }
        ],
    }
    if rules is not None:
        config["rule_files"] = [str(rules / "*.rules.yml")]
    return yaml.safe_dump(config, sort_keys=False)


def _pager(files: dict[str, str]) -> str:
    production = yaml.safe_load(files[conv.alertmanager_path("production")])
    (name,) = [r["name"] for r in production["receivers"] if r.get("pagerduty_configs")]
    return str(name)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Webhook sink, Alertmanager, simulators and Prometheus, all on loopback, all stopped at the end."""
    prometheus_bin = require_tool("prometheus")
    alertmanager_bin = require_tool("prometheus-alertmanager")
    root = tmp_path_factory.mktemp("e2e")
    result = run(SPECS, time_scale=E2E_TIME_SCALE)
    _write_tree(result.texts, root / "output")
    real = run(SPECS)
    _write_tree(real.texts, root / "real-output")
    with ExitStack() as stack:
        sink = stack.enter_context(WebhookSink())
        am_config = root / "alertmanager.yml"
        am_config.write_text(render_config(result.model, "local", sink.url))
        am_port = free_port()
        am_url = f"http://127.0.0.1:{am_port}"
        am_log = root / "alertmanager.log"
        stack.enter_context(
            running(
                "alertmanager",
                [
                    alertmanager_bin,
                    f"--config.file={am_config}",
                    f"--storage.path={root / 'am-data'}",
                    f"--web.listen-address=127.0.0.1:{am_port}",
                    "--cluster.listen-address=",  # no gossip: a single, private instance
                    "--log.level=warn",
                ],
                am_log,
                f"{am_url}/-/ready",
                STARTUP,
            )
        )
        sims = (
            stack.enter_context(BrownieSimulator(**BAD)),
            stack.enter_context(BrownieSimulator(**BAD)),
        )
        targets = [s.address for s in sims]
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        config = root / "prometheus.yml"
        # Rules load only once both targets are scraped: before that `absent(up)` would hold
        # and ServiceDown fire for a moment, which is start-up noise, not the behaviour under test.
        config.write_text(_prometheus_config(result.model, targets, f"127.0.0.1:{am_port}", None))
        log = root / "prometheus.log"
        prometheus: Daemon = stack.enter_context(
            running(
                "prometheus",
                [
                    prometheus_bin,
                    f"--config.file={config}",
                    f"--storage.tsdb.path={root / 'tsdb'}",
                    f"--web.listen-address=127.0.0.1:{port}",
                    # Send to Alertmanager on every evaluation instead of once a minute.
                    "--rules.alert.resend-delay=1s",
                    "--log.level=warn",
                ],
                log,
                f"{url}/-/ready",
                STARTUP,
            )
        )
        system = Stack(
            result.model, url, am_url, sims, sink, [log, am_log], root / "real-output", _pager(real.texts)
        )
        wait_for(
            "both simulated targets to be scraped",
            lambda: len(system.query(f'up{{job="{JOB}",namespace="{NAMESPACE}"}} == 1')) == 2,
            STARTUP,
            system.logs,
        )
        rules = root / "output" / conv.RULES_DIR
        config.write_text(_prometheus_config(result.model, targets, f"127.0.0.1:{am_port}", rules))
        prometheus.reload()
        yield system


def _wait_rules_evaluated(stack: Stack) -> list[dict[str, Any]]:
    """The generated rules once Prometheus has loaded and evaluated each without error."""
    (service,) = stack.model.services
    expected = len(service.recordings) + len(service.alerts)

    def evaluated() -> list[dict[str, Any]] | None:
        groups = get_json(f"{stack.prometheus}/api/v1/rules")["data"]["groups"]
        rules = [r for g in groups for r in g["rules"]]
        done = len(rules) == expected and all(not r["lastEvaluation"].startswith("0001") for r in rules)
        return rules if done and all(r["health"] == "ok" for r in rules) else None

    return wait_for("the generated rules to load and evaluate cleanly", evaluated, STARTUP, stack.logs)


def _inhibited_by(stack: Stack, targets: set[str], source: str) -> dict[str, dict[str, Any]] | None:
    """Alertmanager's alerts when each of `targets` is suppressed by `source`'s fingerprint."""
    alerts = stack.am_alerts()
    fingerprint = alerts.get(source, {}).get("fingerprint")
    ok = fingerprint is not None and all(
        name in alerts
        and alerts[name]["status"]["state"] == "suppressed"
        and fingerprint in alerts[name]["status"]["inhibitedBy"]
        for name in targets
    )
    return alerts if ok else None


def test_brownie_alerts_fire_route_inhibit_and_resolve_live(stack: Stack) -> None:
    (service,) = stack.model.services
    rules = _wait_rules_evaluated(stack)
    assert {r["name"] for r in rules if r["type"] == "alerting"} == {a.name for a in service.alerts}
    receivers = {e.alert: set(e.receivers) for e in expectations(stack.model)}
    sink, logs = stack.sink, stack.logs

    # 1. every condition holds on both instances
    wait_for(f"{sorted(ALL_BUT_DOWN)} to fire", lambda: stack.firing() == ALL_BUT_DOWN, STEP, logs)
    critical = next(a for a in stack.alerts("firing") if a["labels"]["alertname"] == "CriticalErrorRate")
    spec = service.alert("CriticalErrorRate")
    # The rule's labels plus what the query keeps: the aggregation drops the instance.
    assert critical["labels"] == {
        **spec.label_map,
        "alertname": spec.name,
        "job": JOB,
        "namespace": NAMESPACE,
    }
    assert critical["annotations"] == {
        **spec.annotation_map,
        "description": f"Error rate is 12%, above 10% for the last 5 minutes (job {JOB}, namespace {NAMESPACE}).",
    }
    wait_for(
        f"{sorted(DELIVERED)} to reach their receivers",
        lambda: all(sink.receivers(name) == receivers[name] for name in DELIVERED),
        STEP,
        logs,
    )
    assert stack.pager in sink.receivers("CriticalErrorRate")
    (paged,) = [a for r, a in sink.delivered("CriticalErrorRate") if r == stack.pager]
    assert (paged["labels"], paged["annotations"]) == (critical["labels"], critical["annotations"])
    for warning, twin in TWINS.items():
        wait_for(
            f"{warning} to be inhibited by {twin}",
            lambda w=warning, t=twin: _inhibited_by(stack, {w}, t),  # type: ignore[misc]
            STEP,
            logs,
        )

    # 2. one instance down: ServiceDown pages, and silences everything else of the service
    down = stack.sims[0]
    down.set(up=False)
    wait_for(
        "ServiceDown to reach its receivers",
        lambda: sink.receivers("ServiceDown") == receivers["ServiceDown"],
        STEP,
        logs,
    )
    assert stack.pager in receivers["ServiceDown"]
    assert {a["labels"]["instance"] for _, a in sink.delivered("ServiceDown")} == {down.address}
    alerts = wait_for(
        "every other alert to be inhibited by ServiceDown",
        lambda: _inhibited_by(stack, ALL_BUT_DOWN, "ServiceDown"),
        STEP,
        logs,
    )
    assert set(alerts) == ALL_BUT_DOWN | {"ServiceDown"}

    # 3. the instance returns, then the requests recover
    down.set(up=True)
    wait_for(
        "ServiceDown's resolved notification",
        lambda: sink.receivers("ServiceDown", "resolved") == receivers["ServiceDown"],
        STEP,
        logs,
    )
    for sim in stack.sims:
        sim.set(**RECOVERED)
        sim.drain(BACKLOG)
    recovered = DELIVERED & REQUEST_ALERTS
    wait_for(
        f"resolved notifications for {sorted(recovered)}",
        lambda: all(sink.receivers(name, "resolved") == receivers[name] for name in recovered),
        STEP,
        logs,
    )
    assert not stack.firing() & REQUEST_ALERTS
    for warning in TWINS:
        assert sink.delivered(warning, status=None) == [], f"{warning} was delivered despite its inhibition"


def _check(stack: Stack, out: Path) -> subprocess.CompletedProcess[str]:
    args = ["check", "--specs", str(SPECS), "--out", str(out), "--prometheus", stack.prometheus]
    return subprocess.run(
        [sys.executable, "-m", "generator", *args, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_series_check_finds_every_series_live(stack: Stack) -> None:
    """`alertgen check --prometheus` on the deployable output: everything it reads exists."""
    _wait_rules_evaluated(stack)
    proc = _check(stack, stack.real_output)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert [f for f in findings if f["check"] == "promql/series-missing"] == []


def test_series_check_names_what_is_missing(stack: Stack, tmp_path: Path) -> None:
    """A typo'd metric, a wrong job matcher and an unloaded recording rule are each reported."""
    _wait_rules_evaluated(stack)
    out = tmp_path / "output"
    shutil.copytree(stack.real_output, out)
    rules = out / "prometheus/rules/brownie-metadata.rules.yml"
    text = rules.read_text()
    for old, new in (
        ('(up{job="brownie-metadata-app"})', '(up{job=~"brownie-metadata"})'),
        ("brownie_db_connections_active{", "brownie_db_connection_active{"),
        # A renamed recording rule (record and alert) not yet loaded into Prometheus.
        ("job_namespace:brownie_incidents_created:increase1h", "job_namespace:brownie_incidents:increase1h"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    rules.write_text(text)
    proc = _check(stack, out)
    assert proc.returncode == 4, proc.stdout + proc.stderr
    found = sorted(
        (f["alert"], f["message"])
        for f in json.loads(proc.stdout)["findings"]
        if f["check"] == "promql/series-missing"
    )
    url = stack.prometheus
    assert found == [
        (
            "HighIncidentVolume",
            f"recording rule 'job_namespace:brownie_incidents:increase1h' has no series in {url} "
            "in the last 1h; load the generated rule files into this Prometheus (rule_files:)",
        ),
        (
            "job_namespace:brownie_db_connections_active:sum",
            f"metric 'brownie_db_connection_active' has no series in {url} in the last 1h; "
            "check that the service exports it and that Prometheus scrapes the service",
        ),
        (
            "job_namespace_instance:up:min",
            f"'up' has series in {url}, but none with {{job=~\"brownie-metadata\"}} in the last 1h; "
            "fix the matcher in the spec or the target's labels in the scrape config",
        ),
    ]
