"""Service dependencies and SLO tiers as Alertmanager inhibitions, in a real Alertmanager.

tests/fixtures/dependencies: checkout depends on payments, so while PaymentsDown fires in a
namespace, checkout's alerts there are silenced. tests/fixtures/slo: an SLO's page silences its
ticket. A loop of dependencies is refused by inhibit/cycle.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.pipeline import Result, run
from generator.render.alertmanager import render_config

from .conftest import FIXTURES, require_tool
from .e2e.procs import WebhookSink, free_port, get_json, running, wait_for

DEPENDENCIES = FIXTURES / "dependencies"
SLO = FIXTURES / "slo"
WAIT = 30.0  # seconds; a bound on waiting, never an assertion about speed


@pytest.fixture(scope="module")
def shop() -> Result:
    return run(DEPENDENCIES)


def test_a_dependencys_outage_silences_the_dependents_alerts_in_its_namespace(shop: Result) -> None:
    config = yaml.safe_load(shop.files["alertmanager/alertmanager.yml"])
    assert {
        "source_matchers": ['alertname="PaymentsDown"', 'service="payments"'],
        "target_matchers": ['service="checkout"'],
        "equal": ["namespace"],
    } in config["inhibit_rules"]
    runbook = shop.texts["runbooks/checkout.md"]
    # The runbook says so, and links the dependency's section in its own runbook.
    assert (
        "- **Silenced by**: [`CheckoutDown`](#checkout-down), [`PaymentsDown`](payments.md#payments-down)"
        in runbook
    )


class _Alertmanager:
    def __init__(self, url: str, sink: WebhookSink, log: Path) -> None:
        self.url, self.sink, self.log = url, sink, log

    def post(self, alerts: list[dict[str, str]]) -> None:
        body = json.dumps([{"labels": labels} for labels in alerts]).encode()
        request = urllib.request.Request(
            f"{self.url}/api/v2/alerts",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as resp:
            assert resp.status == 200

    def states(self) -> dict[tuple[str, str], str]:
        """(alertname, namespace or sloth_severity) -> active | suppressed."""
        return {
            (
                a["labels"]["alertname"],
                a["labels"].get("namespace") or a["labels"].get("sloth_severity", ""),
            ): a["status"]["state"]
            for a in get_json(f"{self.url}/api/v2/alerts")
        }


@contextmanager
def _alertmanager(result: Result, tmp_path: Path) -> Iterator[_Alertmanager]:
    """Alertmanager with the specs' `local` config on a free loopback port; always stopped."""
    binary = require_tool("prometheus-alertmanager")
    with WebhookSink() as sink:
        config = tmp_path / "alertmanager.yml"
        config.write_text(render_config(result.model, "local", sink.url))
        port = free_port()
        args = [
            binary,
            f"--config.file={config}",
            f"--storage.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
        ]
        log = tmp_path / "alertmanager.log"
        with running("alertmanager", args, log, f"http://127.0.0.1:{port}/-/ready"):
            yield _Alertmanager(f"http://127.0.0.1:{port}", sink, log)


def _wait(am: _Alertmanager, expected: dict[tuple[str, str], str]) -> None:
    wait_for(f"states {expected}", lambda: am.states() == expected, WAIT, am.log)


@pytest.mark.e2e
def test_dependency_inhibition_live(shop: Result, tmp_path: Path) -> None:
    def alert(name: str, service: str, namespace: str, severity: str) -> dict[str, str]:
        labels = {"service": service, "namespace": namespace, "job": service, "severity": severity}
        return {"alertname": name, "category": "service", "team": "shop-team", **labels}

    with _alertmanager(shop, tmp_path) as am:
        am.post(
            [
                alert("PaymentsDown", "payments", "eu", "critical"),
                alert("CheckoutErrors", "checkout", "eu", "warning"),
                alert("CheckoutErrors", "checkout", "us", "warning"),
            ]
        )
        # Silenced where payments is down (eu), not where it is up (us).
        _wait(
            am,
            {
                ("PaymentsDown", "eu"): "active",
                ("CheckoutErrors", "eu"): "suppressed",
                ("CheckoutErrors", "us"): "active",
            },
        )


@pytest.mark.e2e
def test_an_slos_page_silences_its_ticket_live(tmp_path: Path) -> None:
    result = run(SLO)
    rules = yaml.safe_load(result.files["prometheus/rules/checkout.rules.yml"])
    alerts = [r for g in rules["groups"] for r in g["rules"] if r.get("alert") == "CheckoutHighErrorRate"]
    page = next(a for a in alerts if a["labels"]["sloth_severity"] == "page")
    ticket = next(a for a in alerts if a["labels"]["sloth_severity"] == "ticket")
    ids = {
        "sloth_id": "checkout-requests-availability",
        "sloth_service": "checkout",
        "sloth_slo": "requests-availability",
    }
    with _alertmanager(result, tmp_path) as am:
        am.post(
            [
                {"alertname": "CheckoutHighErrorRate", **page["labels"], **ids, "owner": "checkout-team"},
                {"alertname": "CheckoutHighErrorRate", **ticket["labels"], **ids, "owner": "checkout-team"},
            ]
        )
        _wait(
            am,
            {("CheckoutHighErrorRate", "page"): "active", ("CheckoutHighErrorRate", "ticket"): "suppressed"},
        )


def _specs(tmp_path: Path, source: str) -> Path:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "services.py").write_text(source)
    return specs


def test_services_that_depend_on_each_other_are_a_loop(tmp_path: Path) -> None:
    source = (DEPENDENCIES / "services.py").read_text()
    source = source.replace(
        'payments = service("payments")', 'payments = service("payments", depends_on=("checkout",))'
    )
    result = CliRunner().invoke(
        main, ["generate", "--specs", str(_specs(tmp_path, source)), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 4, result.output + result.stderr
    assert (
        "alertmanager.yml:45: error inhibit/cycle: alert 'CheckoutDown', inhibit rule 4 (source alertname=\"CheckoutDown\", "
        "service=\"checkout\"): alerts silence each other around a loop ('CheckoutDown' -> 'PaymentsDown' -> "
        "'CheckoutDown'): while all fire, Alertmanager mutes every one of them; break the loop in the spec (a "
        "service cannot depend on what depends on it)"
    ) in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'depends_on=("payments",)',
            'depends_on=("payment",)',
            "depends on 'payment', which no spec defines; known: checkout, payments",
        ),
        (
            'depends_on=("payments",)',
            'depends_on=("checkout",)',
            "a service cannot depend on itself; remove it from depends_on=",
        ),
        (
            "inhibits_service=True,",
            "inhibits_service=False,",
            "depends on 'payments', which has no outage alert to silence this service by; give one of its "
            "alerts inhibits_service=True",
        ),
    ],
    ids=["unknown", "itself", "no-outage-alert"],
)
def test_a_dependency_that_cannot_silence_is_a_spec_error(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    source = (DEPENDENCIES / "services.py").read_text().replace(old, new)
    result = CliRunner().invoke(
        main, ["generate", "--specs", str(_specs(tmp_path, source)), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert f"Service 'checkout': {message}" in result.stderr


def test_a_tier_can_be_the_outage_alert_a_dependent_is_silenced_by(tmp_path: Path) -> None:
    source = (DEPENDENCIES / "services.py").read_text()
    outage = source[source.index('            Alert(\n                name=f"{name.title()}Down"') :]
    outage = outage[: outage.index("            ),\n") + len("            ),\n")]
    tiers = """            Tiers(
                signal=up,
                op="<",
                warning=Tier(name=f"{name.title()}Degraded", threshold=1, summary=f"{name} is degraded", runbook=LOOK),
                critical=Tier(
                    name=f"{name.title()}Down",
                    threshold=0.5,
                    inhibits_service=True,
                    summary=f"{name} is down",
                    runbook=LOOK,
                ),
            ),
"""
    source = source.replace(outage, tiers).replace("Signal, Step", "Signal, Step, Tier, Tiers")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["generate", "--specs", str(_specs(tmp_path, source)), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    config = yaml.safe_load((out / "alertmanager" / "alertmanager.yml").read_text())
    assert {
        "source_matchers": ['alertname="PaymentsDown"', 'service="payments"'],
        "target_matchers": ['service="checkout"'],
        "equal": ["namespace"],
    } in config["inhibit_rules"]
