"""A real Alertmanager with the `local` config: who is notified, and what is inhibited.

Alerts are posted through Alertmanager's API with the labels the rules produce (the labels of
each alert's firing promtool example: static labels plus those the query keeps). Every
receiver is a webhook to a server in the test, so the payload's `receiver` says who was told.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import conventions as conv
from generator.model import ResolvedAlert
from generator.pipeline import Result
from generator.render.alertmanager import render_config

from .conftest import require_tool
from .e2e.procs import WebhookSink, free_port, get_json, running, wait_for

pytestmark = pytest.mark.e2e

SERVICE = "brownie-metadata"
TWINS = {"HighErrorRate": "CriticalErrorRate", "HighResponseTime": "CriticalResponseTime"}
WAIT = 30.0  # seconds; a bound on waiting, never an assertion about speed


@dataclass
class Alertmanager:
    """A running Alertmanager and the webhook that receives all its notifications."""

    url: str
    sink: WebhookSink
    log: Path

    def post(self, alerts: list[dict[str, str]]) -> None:
        """Fire alerts with these labels (each `alertname` included)."""
        body = json.dumps([{"labels": labels} for labels in alerts]).encode()
        request = urllib.request.Request(
            f"{self.url}/api/v2/alerts",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as resp:
            assert resp.status == 200

    def alerts(self) -> dict[str, dict[str, Any]]:
        """Alertmanager's view of every alert, by name."""
        return {a["labels"]["alertname"]: a for a in get_json(f"{self.url}/api/v2/alerts")}

    def delivered(self) -> dict[str, list[str]]:
        """The receivers each alert was delivered to while firing, sorted, repeats kept."""
        out: dict[str, list[str]] = {}
        for note in self.sink.notifications():
            for alert in note["alerts"]:
                if alert["status"] == "firing":
                    out.setdefault(alert["labels"]["alertname"], []).append(note["receiver"])
        return {name: sorted(receivers) for name, receivers in out.items()}

    def wait_delivered(self, expected: dict[str, list[str]]) -> None:
        """Wait until each alert of `expected` was delivered to at least its receivers."""

        def done() -> bool:
            got = self.delivered()
            return all(set(receivers) <= set(got.get(name, [])) for name, receivers in expected.items())

        wait_for(f"deliveries {expected}", done, WAIT, self.log)


@pytest.fixture
def alertmanager(brownie: Result, tmp_path: Path) -> Iterator[Alertmanager]:
    """Alertmanager on a free loopback port, clustering off, temporary storage; always stopped."""
    binary = require_tool("prometheus-alertmanager")
    with WebhookSink() as sink:
        config = tmp_path / "alertmanager.yml"
        config.write_text(render_config(brownie.model, "local", sink.url))
        port = free_port()
        args = [
            binary,
            f"--config.file={config}",
            f"--storage.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
            "--log.level=debug",
        ]
        log = tmp_path / "alertmanager.log"
        url = f"http://127.0.0.1:{port}"
        with running("alertmanager", args, log, f"{url}/-/ready"):
            yield Alertmanager(url, sink, log)


def _labels(alert: ResolvedAlert, example: int = 0) -> dict[str, str]:
    """The labels the rule gives a firing alert: those of its `example`-th firing promtool case."""
    firing = [t for t in alert.tests if t.fires]
    return {**dict(firing[example].expected[0].labels), "alertname": alert.name}


def _alerts(brownie: Result) -> dict[str, ResolvedAlert]:
    return {a.name: a for a in brownie.model.services[0].alerts}


def _expected(brownie: Result) -> dict[str, list[str]]:
    tests = yaml.safe_load(brownie.texts[conv.ROUTING_TESTS])
    return {t["alert"]: sorted(t["receivers"]) for t in tests}


def test_each_alert_reaches_its_receivers_live(brownie: Result, alertmanager: Alertmanager) -> None:
    alerts, expected = _alerts(brownie), _expected(brownie)
    # In three waves, so that no alert is inhibited before it was delivered once.
    waves = [
        [n for n, a in alerts.items() if a.severity == "warning"],
        ["CriticalErrorRate", "CriticalResponseTime"],
        ["ServiceDown"],
    ]
    assert sorted(n for wave in waves for n in wave) == sorted(expected)
    for wave in waves:
        alertmanager.post([_labels(alerts[n]) for n in wave])
        alertmanager.wait_delivered({n: expected[n] for n in wave})
    assert alertmanager.delivered() == expected
    routed = {name: sorted(r["name"] for r in a["receivers"]) for name, a in alertmanager.alerts().items()}
    assert routed == expected


def _state(am: Alertmanager) -> dict[str, tuple[str, list[str]]]:
    """Per alert: its state and the names of the alerts that inhibit it."""
    seen = am.alerts()
    names = {a["fingerprint"]: name for name, a in seen.items()}
    return {
        name: (a["status"]["state"], sorted(names.get(fp, fp) for fp in a["status"]["inhibitedBy"]))
        for name, a in seen.items()
    }


def test_critical_tiers_inhibit_their_warning_twins_live(brownie: Result, alertmanager: Alertmanager) -> None:
    alerts, expected = _alerts(brownie), _expected(brownie)
    firing = [n for n in alerts if n != "ServiceDown"]
    alertmanager.post([_labels(alerts[n]) for n in firing])
    # Delivery of the others means their groups were flushed, and the twins' groups with them.
    alertmanager.wait_delivered({n: expected[n] for n in firing if n not in TWINS})
    assert _state(alertmanager) == {
        n: ("suppressed", [TWINS[n]]) if n in TWINS else ("active", []) for n in firing
    }
    assert set(alertmanager.delivered()) == set(firing) - set(TWINS)


@pytest.mark.parametrize("example", [0, 1], ids=["target-down", "no-target-absent"])
def test_service_down_inhibits_every_other_alert_live(
    brownie: Result, alertmanager: Alertmanager, example: int
) -> None:
    alerts, expected = _alerts(brownie), _expected(brownie)
    down = _labels(alerts["ServiceDown"], example)
    if example == 1:  # absent() keeps only `job`; the inhibition must not need more
        assert set(down) - {"alertname", "service", "severity", "team", "category"} == {"job"}
    alertmanager.post([down, *(_labels(a) for n, a in alerts.items() if n != "ServiceDown")])
    alertmanager.wait_delivered({"ServiceDown": expected["ServiceDown"]})
    state = _state(alertmanager)
    assert state.pop("ServiceDown") == ("active", [])
    # Alertmanager names the first rule that mutes an alert; the outage rule comes first.
    assert state == {n: ("suppressed", ["ServiceDown"]) for n in alerts if n != "ServiceDown"}
    assert set(alertmanager.delivered()) == {"ServiceDown"}
