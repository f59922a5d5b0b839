"""Every routing feature a spec can use, rendered for each environment and checked by amtool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import conventions as conv
from generator.pipeline import Result, run
from generator.render.alertmanager import render_config
from generator.routing.router import receivers

from .conftest import require_tool, run_tool

BASE = (Path(__file__).parent / "badspecs" / "base.py.txt").read_text()
ROUTING = """
from generator import (
    Email, EmailTarget, Grouping, Notify, PagerDuty, Route, Routing, Slack, Team, TimeInterval, TimeRange,
    Webhook,
)

team = Team(
    name="shop-team",
    receivers=(
        PagerDuty(name="shop-pager", service_key_file="/run/secrets/pd", severity="critical", details={"team": "shop"}),
        Slack(name="shop-chat", channel="#shop", api_url_file="/run/secrets/slack", title="{{ .CommonLabels.alertname }}"),
        Email(
            name="shop-mail",
            to=("shop@example.com", "lead@example.com"),
            sender="alertmanager@example.com",
            smarthost="smtp.example.com:587",
            auth_username="alertmanager",
            auth_password_file="/run/secrets/smtp",
            title="[shop] {{ .CommonLabels.alertname }}",
            staging=EmailTarget(to=("shop-staging@example.com",)),
        ),
    ),
    routes=(Route(matchers=('alertname=~"Shop.*Error.*"',), receivers=("shop-mail",), continue_=True),),
    notify=(
        Notify(severity="critical", receivers=("shop-pager", "shop-chat"), grouping=Grouping(group_wait="5s")),
        Notify(severity="warning", receivers=("shop-chat",), mute_time_intervals=("nights",)),
    ),
    time_intervals=(
        TimeInterval(
            name="nights",
            times=(TimeRange(start="22:00", end="24:00"), TimeRange(start="00:00", end="06:00")),
            weekdays=("monday:friday",),
            timezone="Europe/Berlin",
        ),
    ),
)

routing = Routing(
    default_receiver=Webhook(name="catch-all", url="https://alerts.example.com/unrouted"),
    receivers=(Webhook(name="audit-hook", url="https://audit.example.com/am", bearer_token_file="/run/secrets/audit"),),
    routes=(Route(matchers=('severity="critical"',), receivers=("audit-hook",), continue_=True, active_time_intervals=("office",)),),
    time_intervals=(TimeInterval(name="office", weekdays=("monday:friday",), times=(TimeRange(start="09:00", end="17:00"),)),),
    grouping=Grouping(group_by=("alertname", "service", "namespace"), repeat_interval="12h"),
    resolve_timeout="10m",
)
"""
EXPECTED = {
    "ShopCriticalErrorRate": ["audit-hook", "shop-mail", "shop-pager", "shop-chat"],
    "ShopHighErrorRate": ["shop-mail", "shop-chat"],
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Result:
    folder = tmp_path_factory.mktemp("specs")
    (folder / "shop.py").write_text(BASE + ROUTING)
    return run(folder)


def _config(shop: Result, env: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(render_config(shop.model, env, "http://127.0.0.1:1/hook"))
    return data


def test_expectations_follow_routes_then_notify(shop: Result) -> None:
    tests = yaml.safe_load(shop.texts[conv.ROUTING_TESTS])
    assert {t["alert"]: t["receivers"] for t in tests} == EXPECTED
    production = _config(shop, "production")
    for t in tests:
        assert receivers(production, t["labels"]) == t["receivers"]


@pytest.mark.amtool
@pytest.mark.parametrize("env", conv.ENVIRONMENTS)
def test_amtool_accepts_every_environment_and_routes_as_expected(
    shop: Result, tmp_path: Path, env: str
) -> None:
    amtool = require_tool("amtool")
    path = tmp_path / "am.yml"
    path.write_text(render_config(shop.model, env, "http://127.0.0.1:1/hook"))
    proc = run_tool(amtool, "check-config", str(path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for t in yaml.safe_load(shop.texts[conv.ROUTING_TESTS]):
        args = [f"{k}={v}" for k, v in sorted(t["labels"].items())]
        verify = f"--verify.receivers={','.join(t['receivers'])}"
        proc = run_tool(amtool, "config", "routes", "test", f"--config.file={path}", verify, *args)
        assert (proc.returncode, proc.stdout.strip()) == (0, ",".join(t["receivers"])), (env, t["alert"])


def test_production_receivers_refer_to_secret_files(shop: Result) -> None:
    got = {r["name"]: r for r in _config(shop, "production")["receivers"]}
    assert list(got) == ["catch-all", "audit-hook", "shop-chat", "shop-mail", "shop-pager"]
    assert got["shop-pager"]["pagerduty_configs"] == [
        {
            "send_resolved": True,
            "service_key_file": "/run/secrets/pd",
            "description": '{{ template "alertgen.pagerduty.description" . }}',
            "severity": "critical",
            "links": [
                {"href": '{{ template "alertgen.runbook.url" . }}', "text": "Runbook"},
                {"href": '{{ template "alertgen.dashboard.url" . }}', "text": "Dashboard"},
                {"href": '{{ template "alertgen.silence.url" . }}', "text": "Silence"},
            ],
            "details": {"team": "shop"},
        }
    ]
    mail = got["shop-mail"]["email_configs"][0]
    assert (mail["to"], mail["auth_password_file"], mail["headers"]) == (
        "shop@example.com, lead@example.com",
        "/run/secrets/smtp",
        {"Subject": "[shop] {{ .CommonLabels.alertname }}"},
    )
    assert got["audit-hook"]["webhook_configs"][0]["http_config"] == {
        "authorization": {"type": "Bearer", "credentials_file": "/run/secrets/audit"}
    }


def test_grouping_and_time_intervals(shop: Result) -> None:
    config = _config(shop, "production")
    route = config["route"]
    assert (route["group_by"], route["repeat_interval"], config["global"]["resolve_timeout"]) == (
        ["alertname", "service", "namespace"],
        "12h",
        "10m",
    )
    audit, team = route["routes"]
    assert audit["active_time_intervals"] == ["office"]

    def by_receiver(name: str) -> list[dict[str, Any]]:
        return [r for r in team["routes"] if r["receiver"] == name]

    assert by_receiver("shop-pager")[0]["group_wait"] == "5s"
    assert by_receiver("shop-chat")[1]["mute_time_intervals"] == ["nights"]
    assert config["time_intervals"] == [
        {
            "name": "nights",
            "time_intervals": [
                {
                    "times": [
                        {"start_time": "22:00", "end_time": "24:00"},
                        {"start_time": "00:00", "end_time": "06:00"},
                    ],
                    "weekdays": ["monday:friday"],
                    "location": "Europe/Berlin",
                }
            ],
        },
        {
            "name": "office",
            "time_intervals": [
                {"times": [{"start_time": "09:00", "end_time": "17:00"}], "weekdays": ["monday:friday"]}
            ],
        },
    ]


def test_staging_reaches_only_what_is_declared_for_it_and_local_drops_time_intervals(shop: Result) -> None:
    receivers = {r["name"]: r for r in _config(shop, "staging")["receivers"]}
    assert {name: sorted(set(r) - {"name"}) for name, r in receivers.items()} == {
        "catch-all": [],
        "audit-hook": [],
        "shop-chat": [],  # no staging=: production's channel is not staging's
        "shop-mail": ["email_configs"],
        "shop-pager": [],
    }
    assert receivers["shop-mail"]["email_configs"][0]["to"] == "shop-staging@example.com"
    local = render_config(shop.model, "local", "http://127.0.0.1:1/hook")
    assert "time_intervals" not in local
