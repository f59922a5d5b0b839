"""A real Alertmanager sends PagerDuty events and Slack messages with the runbook, dashboard and
silence links, from the shared template file, with the production config as generated.

Only where the notifications go is changed: PagerDuty's events URL and Slack's webhook file
point at a server in the test, so the payloads are the ones PagerDuty and Slack would get.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import conventions as conv
from generator.pipeline import Result
from generator.routing import templates

from .conftest import require_tool
from .e2e.procs import WebhookSink, free_port, running, wait_for
from .test_routing_live import _alerts, _labels

pytestmark = pytest.mark.e2e


def _to_sink(config: dict[str, Any], sink: WebhookSink, secrets: Path) -> None:
    """Point every integration at the sink and make notifications leave at once."""
    (secrets / "key").write_text("0123456789abcdef0123456789abcdef\n")
    (secrets / "slack").write_text(sink.url.replace("/alerts", "/slack") + "\n")
    for receiver in config["receivers"]:
        for pd in receiver.get("pagerduty_configs", ()):
            pd.update(routing_key_file=str(secrets / "key"), url=sink.url.replace("/alerts", "/pagerduty"))
        for slack in receiver.get("slack_configs", ()):
            slack["api_url_file"] = str(secrets / "slack")
    stack = [config["route"]]
    while stack:
        route = stack.pop()
        route.update(group_wait="1s", group_interval="1s")
        stack.extend(route.get("routes", ()))


def _annotations(brownie: Result, name: str) -> dict[str, str]:
    rules = yaml.safe_load(brownie.texts[conv.rules_path("brownie-metadata")])
    rule = next(r for g in rules["groups"] for r in g["rules"] if r.get("alert") == name)
    return {k: v for k, v in rule["annotations"].items() if "{{" not in v}


def test_pages_and_chat_carry_runbook_dashboard_and_silence_links(brownie: Result, tmp_path: Path) -> None:
    binary = require_tool("prometheus-alertmanager")
    name = "CriticalErrorRate"  # pages brownie-oncall and posts to #brownie-alerts
    notes = _annotations(brownie, name)
    with WebhookSink() as sink:
        config = yaml.safe_load(brownie.texts[conv.alertmanager_path("production")])
        _to_sink(config, sink, tmp_path)
        (tmp_path / "alertmanager.yml").write_text(yaml.safe_dump(config))
        (tmp_path / templates.FILE).write_text(brownie.texts[f"alertmanager/{templates.FILE}"])
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        args = [
            binary,
            f"--config.file={tmp_path / 'alertmanager.yml'}",
            f"--storage.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            f"--web.external-url={url}",
            "--cluster.listen-address=",
        ]
        log = tmp_path / "alertmanager.log"
        with running("alertmanager", args, log, f"{url}/-/ready"):
            _post(url, [{"labels": _labels(_alerts(brownie)[name]), "annotations": notes}])

            def both() -> bool:
                return {n["_path"] for n in sink.notifications()} >= {"/pagerduty", "/slack"}

            wait_for("a PagerDuty event and a Slack message", both, 30.0, log)
    sent = {n["_path"]: n for n in sink.notifications()}
    links = {link["text"]: link["href"] for link in sent["/pagerduty"]["links"]}
    assert links["Runbook"] == notes["runbook_url"]
    assert links["Dashboard"] == notes["dashboard_url"]
    assert links["Silence"].startswith(f"{url}/#/silences/new?filter=%7B")
    assert "alertname%3D%22CriticalErrorRate%22" in links["Silence"]
    assert sent["/pagerduty"]["payload"]["summary"].startswith(
        "[FIRING:1] CriticalErrorRate (brownie-metadata)"
    )
    text = sent["/slack"]["attachments"][0]["text"]
    assert f"<{notes['runbook_url']}|Runbook>" in text
    assert f"<{notes['dashboard_url']}|Dashboard>" in text
    assert f"<{url}/#/silences/new?filter=" in text


def _post(url: str, body: list[dict[str, Any]]) -> None:
    request = urllib.request.Request(
        f"{url}/api/v2/alerts", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as resp:
        assert resp.status == 200
