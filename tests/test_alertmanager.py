"""The Brownie Alertmanager configs: valid for amtool, routed as brownie-service.md says, no secrets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator import conventions as conv
from generator.cli import main
from generator.pipeline import Result
from generator.render.alertmanager import render_config
from generator.render.mermaid import routing_mermaid
from generator.routing import alert_routing
from generator.spec.secrets import secret_kind

from .conftest import SPECS, require_tool, run_tool

ONCALL_AND_CHAT = ["brownie-oncall", "brownie-alerts"]
# brownie-service.md, "Who is told": critical pages on-call and tells #brownie-alerts; warnings go
# to #brownie-alerts; the two business alerts to #brownie-incidents only.
CONTRACT = {
    "ServiceDown": ONCALL_AND_CHAT,
    "CriticalErrorRate": ONCALL_AND_CHAT,
    "CriticalResponseTime": ONCALL_AND_CHAT,
    "HighErrorRate": ["brownie-alerts"],
    "HighResponseTime": ["brownie-alerts"],
    "DatabaseConnectionHigh": ["brownie-alerts"],
    "HighIncidentVolume": ["brownie-incidents"],
    "LongIncidentResolution": ["brownie-incidents"],
}
WRITTEN = [conv.alertmanager_path(env) for env in conv.WRITTEN_ENVIRONMENTS]


@pytest.fixture(scope="module")
def configs(brownie: Result, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rendered Alertmanager folder, written where amtool can read it."""
    out = tmp_path_factory.mktemp("am")
    for path, text in brownie.texts.items():
        if path.startswith(conv.ALERTMANAGER_DIR + "/"):
            (out / Path(path).name).write_text(text)
    return out


def _tests(brownie: Result) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load(brownie.texts[conv.ROUTING_TESTS])
    return data


def _amtool_route(config: Path, labels: dict[str, str], expected: list[str]) -> tuple[int, str]:
    args = [f"{k}={v}" for k, v in sorted(labels.items())]
    proc = run_tool(
        require_tool("amtool"),
        "config",
        "routes",
        "test",
        f"--config.file={config}",
        f"--verify.receivers={','.join(expected)}",
        *args,
    )
    return proc.returncode, proc.stdout.strip()


def test_written_files(brownie: Result) -> None:
    assert {p for p in brownie.texts if p.startswith("alertmanager/")} == {
        "alertmanager/alertmanager.yml",
        "alertmanager/alertmanager.staging.yml",
        "alertmanager/notifications.tmpl",
        "alertmanager/routing-tests.yml",
    }


@pytest.mark.amtool
@pytest.mark.parametrize("name", WRITTEN)
def test_amtool_accepts_the_config(configs: Path, name: str) -> None:
    proc = run_tool(require_tool("amtool"), "check-config", str(configs / Path(name).name))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS" in proc.stdout
    assert " - 3 inhibit rules" in proc.stdout
    assert " - 4 receivers" in proc.stdout


def test_expectations_are_the_contract(brownie: Result) -> None:
    assert {t["alert"]: t["receivers"] for t in _tests(brownie)} == CONTRACT


def test_expectations_use_the_rules_static_labels(brownie: Result) -> None:
    rules = yaml.safe_load(brownie.texts[conv.rules_path("brownie-metadata")])["groups"][0]["rules"]
    static = {r["alert"]: {**r["labels"], "alertname": r["alert"]} for r in rules if "alert" in r}
    assert {t["alert"]: t["labels"] for t in _tests(brownie)} == static
    business = {a for a, labels in static.items() if labels["category"] == "business"}
    assert business == {"HighIncidentVolume", "LongIncidentResolution"}


@pytest.mark.amtool
@pytest.mark.parametrize("name", WRITTEN)
def test_amtool_routes_every_alert_to_its_receivers(brownie: Result, configs: Path, name: str) -> None:
    for case in _tests(brownie):
        code, printed = _amtool_route(configs / Path(name).name, case["labels"], case["receivers"])
        assert (code, printed) == (0, ",".join(case["receivers"])), case["alert"]


@pytest.mark.amtool
def test_amtool_verification_can_fail(configs: Path) -> None:
    labels = {
        "alertname": "HighErrorRate",
        "service": "brownie-metadata",
        "severity": "warning",
        "team": "brownie",
    }
    code, printed = _amtool_route(configs / "alertmanager.yml", labels, ["brownie-oncall"])
    assert code == 1
    assert printed.splitlines()[0] == "brownie-alerts"


@pytest.mark.amtool
def test_unowned_alerts_reach_the_default_receiver(configs: Path) -> None:
    labels = {"alertname": "NodeDown", "severity": "critical", "team": "platform"}
    assert _amtool_route(configs / "alertmanager.yml", labels, ["default"]) == (0, "default")


def _config(brownie: Result, env: str, url: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(render_config(brownie.model, env, url))
    return data


def test_staging_pages_nobody_and_keeps_chat(brownie: Result) -> None:
    prod, staging = _config(brownie, "production"), _config(brownie, "staging")
    assert staging["route"] == prod["route"]
    assert staging["inhibit_rules"] == prod["inhibit_rules"]
    integrations = {r["name"]: sorted(k for k in r if k != "name") for r in staging["receivers"]}
    assert integrations == {
        "default": ["slack_configs"],
        "brownie-alerts": ["slack_configs"],
        "brownie-incidents": ["slack_configs"],
        "brownie-oncall": [],
    }
    channels = {
        env: {(c["channel"], c["api_url_file"]) for r in cfg["receivers"] for c in r.get("slack_configs", ())}
        for env, cfg in (("production", prod), ("staging", staging))
    }
    assert channels["staging"] == {
        ("#alerts-staging", "/etc/alertmanager/secrets/slack-alerts-staging"),
        ("#brownie-staging", "/etc/alertmanager/secrets/slack-brownie-staging"),
    }
    assert not channels["staging"] & channels["production"]


def test_local_sends_every_receiver_to_the_webhook(brownie: Result) -> None:
    url = "http://127.0.0.1:9999/hook"
    local = _config(brownie, "local", url)
    assert {r["name"]: r["webhook_configs"] for r in local["receivers"]} == {
        name: [{"url": url, "send_resolved": True}]
        for name in ("default", "brownie-alerts", "brownie-incidents", "brownie-oncall")
    }
    waits = {r.get("group_wait") for r in local["route"]["routes"][0]["routes"]} | {
        local["route"]["group_wait"]
    }
    assert waits == {"1s"}


def test_local_needs_a_webhook_url(brownie: Result) -> None:
    with pytest.raises(ValueError, match="give its URL"):
        render_config(brownie.model, "local")
    with pytest.raises(ValueError, match="unknown environment 'prod'"):
        render_config(brownie.model, "prod")


def test_critical_pages_faster_and_repeats_sooner_than_chat(brownie: Result) -> None:
    routes = _config(brownie, "production")["route"]["routes"][0]["routes"]
    by_matcher = {(r["matchers"][0], r["receiver"]): r for r in routes}
    page = by_matcher[('severity="critical"', "brownie-oncall")]
    chat = by_matcher[('severity="warning"', "brownie-alerts")]
    assert (page["group_wait"], page["repeat_interval"]) == ("10s", "1h")
    assert (chat["group_wait"], chat["repeat_interval"]) == ("30s", "4h")


def test_inhibitions_are_derived(brownie: Result) -> None:
    rules = _config(brownie, "production")["inhibit_rules"]
    assert rules == [
        {
            "source_matchers": ['alertname="ServiceDown"', 'service="brownie-metadata"'],
            "target_matchers": ['service="brownie-metadata"', 'alertname!="ServiceDown"'],
            "equal": ["job", "service", "team"],
        },
        {
            "source_matchers": ['alertname="CriticalErrorRate"', 'service="brownie-metadata"'],
            "target_matchers": ['service="brownie-metadata"', 'alertname="HighErrorRate"'],
            "equal": ["category", "job", "namespace", "service", "team"],
        },
        {
            "source_matchers": ['alertname="CriticalResponseTime"', 'service="brownie-metadata"'],
            "target_matchers": ['service="brownie-metadata"', 'alertname="HighResponseTime"'],
            "equal": ["category", "job", "namespace", "service", "team"],
        },
    ]


def test_inhibition_equal_labels_are_carried_at_run_time(brownie: Result) -> None:
    service = brownie.model.services[0]
    for rule in _config(brownie, "production")["inhibit_rules"]:
        source = service.alert(rule["source_matchers"][0].split('"')[1])
        targets = [a for a in service.alerts if a.name != source.name]
        if rule["target_matchers"][1].startswith('alertname="'):
            targets = [service.alert(rule["target_matchers"][1].split('"')[1])]
        for alert in [source, *targets]:
            assert set(rule["equal"]) <= alert.runtime_labels, alert.name
    # ServiceDown's absent() branch keeps only `job`: namespace must not be required equal.
    assert service.alert("ServiceDown").kept_labels == {"job"}


def test_no_generated_file_contains_a_secret(brownie: Result) -> None:
    found = {
        (path, n): kind
        for path, text in brownie.texts.items()
        for n, line in enumerate(text.splitlines(), 1)
        if (kind := secret_kind(line))
    }
    assert found == {}
    config = _config(brownie, "production")
    keys = {
        k
        for r in config["receivers"]
        for configs in r.values()
        if isinstance(configs, list)
        for c in configs
        for k in c
    }
    assert keys & {"routing_key", "service_key", "api_url", "auth_password", "url"} == set()
    assert {"routing_key_file", "api_url_file"} <= keys


def test_summary_reports_receivers_and_inhibitions(brownie: Result) -> None:
    facts = alert_routing(brownie.model)  # per (service, runbook anchor): alerts may share a name
    names = {a.anchor: a.name for a in brownie.model.services[0].alerts}
    assert {names[anchor]: list(f.receivers) for (_, anchor), f in facts.items()} == CONTRACT
    down = facts[("brownie-metadata", "service-down")]
    assert sorted(down.inhibits) == sorted(set(CONTRACT) - {"ServiceDown"})
    assert down.inhibited_by == ()
    assert facts[("brownie-metadata", "high-error-rate")].inhibited_by == ("ServiceDown", "CriticalErrorRate")
    assert facts[("brownie-metadata", "critical-error-rate")].inhibits == ("HighErrorRate",)
    assert down.destinations == ("PagerDuty brownie-oncall", "Slack #brownie-alerts")


def test_mermaid_diagram_draws_every_route_and_receiver(brownie: Result) -> None:
    text = routing_mermaid(brownie.model)
    assert text.startswith("flowchart LR\n")
    assert "```" not in text
    for label in (
        '["1. team=#quot;brownie#quot;"]',
        '["1. category=#quot;business#quot;"]',
        '["2. severity=#quot;critical#quot;<br/>continue"]',
        '["3. severity=#quot;critical#quot;"]',
        '["4. severity=#quot;warning#quot;"]',
        '(["brownie-oncall<br/>PagerDuty brownie-oncall"])',
        '(["brownie-alerts<br/>Slack #35;brownie-alerts"])',
        '(["brownie-incidents<br/>Slack #35;brownie-incidents"])',
        '(["default<br/>Slack #35;alerts-unrouted"])',
    ):
        assert text.count(label) == 1, label
    assert text.count(" --> receiver") == 4
    assert text.count('-. "no route below matched" .->') == 2


def test_cli_writes_the_local_config(tmp_path: Path) -> None:
    out = tmp_path / "am" / "local.yml"
    result = CliRunner().invoke(
        main,
        [
            "alertmanager",
            "--specs",
            str(SPECS),
            "--env",
            "local",
            "--webhook-url",
            "http://127.0.0.1:1/x",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "# environment: local" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--env", "local"], "the local environment needs --webhook-url URL"),
        (["--env", "staging", "--webhook-url", "http://x/"], "only the local environment uses a webhook URL"),
        (
            ["--env", "local", "--webhook-url", "http://u:p@127.0.0.1/"],
            "give an http:// or https:// URL on one line, without credentials",
        ),
        (
            ["--env", "local", "--webhook-url", "http://127.0.0.1:9/hook\nX"],
            "give an http:// or https:// URL on one line, without credentials",
        ),
    ],
)
def test_cli_refuses_bad_webhook_arguments(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["alertmanager", "--specs", str(SPECS), *args])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--webhook-url': {message}"
